//! `GET /api/search?q=...&enabler=...&type=...`.
//!
//! SEARCH HOOK: the tantivy search module (`src/search/`) is built on another branch. To plug
//! it in, make [`answer`] query the index of the last good build with these params and return
//! `{"query", "total", "hits"}` as `casebook search --json` prints it. Until then the route
//! answers 501.

use super::respond::{query_pairs, Reply};

/// The query parameters of a search request.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SearchParams {
    /// The words searched for (`q`).
    pub query: String,
    /// Enabler term slugs, all required (`enabler`, repeatable).
    pub enablers: Vec<String>,
    /// A resource type key (`type`).
    pub kind: Option<String>,
}

impl SearchParams {
    /// Reads the params from a query string.
    pub fn parse(query: &str) -> SearchParams {
        let mut params = SearchParams::default();
        for (name, value) in query_pairs(query) {
            match name.as_str() {
                "q" => params.query = value,
                "enabler" => params.enablers.push(value),
                "type" => params.kind = Some(value),
                _ => {}
            }
        }
        params
    }
}

/// Answers a search. Not available yet: 501 (see the module docs).
pub fn answer(_params: &SearchParams) -> Reply {
    Reply::new(501, "application/json", r#"{"error": "search index not available"}"#)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_are_read_and_the_route_answers_501_until_search_lands() {
        let params = SearchParams::parse("q=board+report&enabler=a&enabler=b&type=toolkit");
        assert_eq!(params.query, "board report");
        assert_eq!(params.enablers, ["a", "b"]);
        assert_eq!(params.kind.as_deref(), Some("toolkit"));
        let reply = answer(&params);
        assert_eq!(reply.status, 501);
        assert_eq!(reply.body, br#"{"error": "search index not available"}"#);
    }
}
