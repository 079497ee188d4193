//! `home:` in casebook.yaml: what the home page leads with — its heading (the header already
//! shows the site title, so the page's H1 says what the library is for) and the audience entry
//! points ("I am a PCN pharmacist…"): each term of a chosen taxonomy as a card.

use crate::diagnostics::{suggestion, Code, Diagnostic, Diagnostics, Location};
use crate::yaml::Spans;
use serde::{Deserialize, Serialize};

/// The home page's options.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HomeOptions {
    /// The page's H1; unset: the site description, else the site title.
    #[serde(default)]
    pub heading: Option<String>,
    /// Key of the taxonomy whose terms are the entry points (`audiences`); unset: none.
    #[serde(default)]
    pub audiences: Option<String>,
}

impl HomeOptions {
    /// The H1 of the home page: `heading`, else `description`, else `title` (the header's).
    pub fn heading<'a>(&'a self, title: &'a str, description: &'a str) -> &'a str {
        [self.heading.as_deref().unwrap_or_default(), description, title]
            .into_iter()
            .find(|h| !h.trim().is_empty())
            .unwrap_or(title)
    }

    /// `audiences` must name a taxonomy of the site (the closest suggested).
    pub(super) fn validate(&self, taxonomies: &[&str], spans: &Spans, file: &str) -> Diagnostics {
        let mut problems = Diagnostics::default();
        if let Some(key) = self.audiences.as_deref().filter(|k| !taxonomies.contains(k)) {
            let at = spans.value("home.audiences").unwrap_or(Location::new(1, 1));
            let message = format!("`home.audiences` names `{key}`, which is not a taxonomy of this site");
            let help = format!(
                "{} (taxonomies are defined under `taxonomies`)",
                suggestion(key, taxonomies)
            );
            problems.push(Diagnostic::error(file, at, Code::InvalidConfig, message).with_help(help));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    #[test]
    fn the_heading_is_the_configured_one_else_the_description_else_the_title() {
        let config = Config::parse("title: T\ndescription: D\nhome: { heading: H }\n", "casebook.yaml").unwrap();
        assert_eq!(config.home.heading(&config.title, &config.description), "H");
        let config = Config::parse("title: T\ndescription: D\n", "casebook.yaml").unwrap();
        assert_eq!(config.home.heading(&config.title, &config.description), "D");
        let config = Config::parse("title: T\n", "casebook.yaml").unwrap();
        assert_eq!(config.home.heading(&config.title, &config.description), "T");
    }

    #[test]
    fn an_audiences_key_that_is_no_taxonomy_is_located_with_the_closest() {
        let text = "title: T\ntaxonomies:\n  audiences: { name: A }\nhome:\n  audiences: audience\n";
        let found = Config::parse(text, "casebook.yaml").unwrap_err().sorted();
        assert_eq!((found[0].line, found[0].column), (5, 14));
        assert!(found[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `audiences`?"));
        let ok = "title: T\ntaxonomies:\n  audiences: { name: A }\nhome:\n  audiences: audiences\n";
        assert_eq!(
            Config::parse(ok, "casebook.yaml").unwrap().home.audiences.as_deref(),
            Some("audiences")
        );
    }
}
