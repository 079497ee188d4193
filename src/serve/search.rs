//! `GET /api/search?q=...&enabler=...&type=...&limit=N`: answered by tantivy from the index of
//! the last good build (held in memory), in the shape `casebook search --json` prints.

use super::respond::{query_pairs, Reply};
use crate::output::Output;
use crate::search::{self, Query, SearchIndex};
use anyhow::{Context, Result};
/// Hits returned when the request does not say.
const DEFAULT_LIMIT: usize = 10;

/// The query parameters of a search request.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SearchParams {
    /// The words searched for (`q`).
    pub query: String,
    /// Term slugs of the headline taxonomy (`enabler`, repeatable): any of them.
    pub enablers: Vec<String>,
    /// Resource type keys (`type`, repeatable): any of them.
    pub kinds: Vec<String>,
    /// How many hits (`limit`).
    pub limit: Option<usize>,
}

impl SearchParams {
    /// Reads the params from a query string.
    pub fn parse(query: &str) -> SearchParams {
        let mut params = SearchParams::default();
        for (name, value) in query_pairs(query) {
            match name.as_str() {
                "q" => params.query = value,
                "enabler" => params.enablers.push(value),
                "type" => params.kinds.push(value),
                "limit" => params.limit = value.parse().ok(),
                _ => {}
            }
        }
        params
    }

    /// The query, `enabler` filtering on `headline` (a site without one matches nothing).
    fn to_query(&self, headline: Option<&str>) -> Query {
        let kinds = self.kinds.iter().map(|k| ("type".to_string(), k.clone()));
        let key = headline.unwrap_or_default();
        let enablers = self.enablers.iter().map(|e| (key.to_string(), e.clone()));
        Query {
            text: self.query.clone(),
            filters: kinds.chain(enablers).collect(),
            limit: self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, 100),
            exact: false,
        }
    }
}

/// Answers a search from the index in `output` (503 before the first good build).
pub fn answer(output: Option<&Output>, params: &SearchParams) -> Reply {
    let Some(output) = output else {
        return Reply::new(503, "application/json", r#"{"error": "the site has not built yet"}"#);
    };
    match open(output).and_then(|index| index.search(&params.to_query(index.headline()))) {
        Ok(results) => Reply::new(
            200,
            "application/json",
            serde_json::to_vec(&results).unwrap_or_default(),
        ),
        Err(e) => {
            let body = serde_json::json!({ "error": format!("{e:#}") }).to_string();
            Reply::new(500, "application/json", body)
        }
    }
}

/// Opens the tantivy index held in the in-memory output.
fn open(output: &Output) -> Result<SearchIndex> {
    let prefix = format!("{}/", search::TANTIVY_DIR);
    let files = output
        .paths()
        .filter_map(|path| Some((path.strip_prefix(&prefix)?, output.generated(path)?)))
        .map(|(name, bytes)| Ok((name, bytes?)))
        .collect::<std::io::Result<Vec<_>>>()
        .context("reading the search index of the last build")?;
    let files = files.iter().map(|(name, bytes)| (*name, &bytes[..]));
    search::open_in_memory(files).context("opening the search index of the last build")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_are_read_into_a_query() {
        let params = SearchParams::parse("q=board+report&enabler=a&enabler=b&type=toolkit&limit=3");
        assert_eq!(params.query, "board report");
        let query = params.to_query(Some("enablers"));
        assert_eq!(query.limit, 3);
        assert_eq!(
            query.filters,
            [
                ("type".into(), "toolkit".into()),
                ("enablers".into(), "a".into()),
                ("enablers".into(), "b".into())
            ]
        );
    }

    #[test]
    fn search_answers_from_the_built_output() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/valid/basic");
        let (site, _) =
            crate::site::Site::load(&root, &crate::site::BuildOptions::default()).unwrap_or_else(|_| panic!("loads"));
        let output = site.render().unwrap_or_else(|_| panic!("renders"));
        let reply = answer(Some(&output), &SearchParams::parse("q=toolkit&type=toolkit"));
        assert_eq!(reply.status, 200);
        let json: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
        assert_eq!(json["hits"][0]["url"], "/toolkits/beta/");
        assert_eq!(answer(None, &SearchParams::default()).status, 503);
    }
}
