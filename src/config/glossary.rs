//! `glossary:` in `casebook.yaml`: the field's terms and abbreviations, each with its
//! definition. It lives in the config rather than a data file of its own because it is one
//! short list an academy edits rarely, every page's markdown depends on it (a change must
//! re-render them all, as a config change does), and the config already locates every value.
//!
//! ```yaml
//! glossary:
//!   PCN:
//!     expansion: primary care network
//!     definition: Neighbouring general practices that share staff and services.
//!   Deprescribing:
//!     definition: Stopping or reducing a medicine that no longer helps.
//! ```
//!
//! A term with an `expansion` is an abbreviation: its first use on each page is marked up
//! with `<abbr title="expansion">` (see `markdown/abbreviations.rs`). A term defined twice is
//! the YAML parser's duplicate-key error, at the second one.

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::yaml::Spans;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Term → entry, in the file's order (the glossary page sorts them).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Glossary {
    /// The terms as written, with their entries.
    pub terms: IndexMap<String, GlossaryEntry>,
}

/// What one glossary term means.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryEntry {
    /// What an abbreviation stands for (`primary care network`); unset for a plain term.
    #[serde(default)]
    pub expansion: Option<String>,
    /// What the term means, in a sentence or two.
    pub definition: String,
}

impl Glossary {
    /// Whether the site has no glossary (no page, no link, nothing marked up).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The abbreviations (terms with an expansion) and their expansions.
    pub fn abbreviations(&self) -> impl Iterator<Item = (&str, &str)> {
        self.terms
            .iter()
            .filter_map(|(term, entry)| Some((term.as_str(), entry.expansion.as_deref()?)))
    }

    /// What serde cannot check: a term must contain a letter or digit (it is matched as a
    /// word) and carry no surrounding spaces; definitions and given expansions must not be empty.
    pub(super) fn problems(&self, spans: &Spans, file: &str) -> Diagnostics {
        let mut problems = Diagnostics::default();
        for (term, entry) in &self.terms {
            let path = format!("glossary.{term}");
            let at = |path: &str| spans.value(path).unwrap_or(Location::new(1, 1));
            let mut report = |at: Location, message: String, help: &str| {
                problems.push(Diagnostic::error(file, at, Code::InvalidConfig, message).with_help(help));
            };
            if term.trim() != term || !term.chars().any(char::is_alphanumeric) {
                let at = spans.key(&path).unwrap_or(Location::new(1, 1));
                report(
                    at,
                    format!("`{term}` cannot be a glossary term"),
                    "write the term as readers see it in the text, e.g. `PCN`, without surrounding spaces",
                );
            }
            if entry.definition.trim().is_empty() {
                report(
                    at(&format!("{path}.definition")),
                    format!("glossary term `{term}` has an empty definition"),
                    "say in a sentence what the term means, or remove the term",
                );
            }
            if entry.expansion.as_deref().is_some_and(|e| e.trim().is_empty()) {
                report(
                    at(&format!("{path}.expansion")),
                    format!("glossary term `{term}` has an empty expansion"),
                    "write what the abbreviation stands for, e.g. `primary care network`, or remove `expansion` for a term that is not one",
                );
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    #[test]
    fn terms_keep_their_order_and_abbreviations_are_the_terms_with_an_expansion() {
        let text = "title: T\nglossary:\n  PCN: { expansion: primary care network, definition: Practices together. }\n  Huddle: { definition: A short daily meeting. }\n";
        let config = Config::parse(text, "casebook.yaml").unwrap();
        let terms: Vec<&String> = config.glossary.terms.keys().collect();
        assert_eq!(terms, ["PCN", "Huddle"]);
        let abbreviations: Vec<_> = config.glossary.abbreviations().collect();
        assert_eq!(abbreviations, [("PCN", "primary care network")]);
    }

    #[test]
    fn an_empty_definition_or_expansion_and_a_wordless_term_are_located() {
        let text =
            "title: T\nglossary:\n  PCN:\n    expansion: \"\"\n    definition: \" \"\n  \"--\": { definition: x }\n";
        let err = Config::parse(text, "casebook.yaml").unwrap_err();
        let found: Vec<_> = err.sorted().iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(found, [(4, 16), (5, 17), (6, 3)]);
        assert!(err.sorted().iter().all(|d| d.help.is_some()));
    }

    #[test]
    fn a_term_defined_twice_is_an_error_at_the_second() {
        let text = "title: T\nglossary:\n  ICS: { definition: a }\n  ICS: { definition: b }\n";
        let err = Config::parse(text, "casebook.yaml").unwrap_err();
        let d = &err.sorted()[0];
        assert_eq!((d.line, d.column), (4, 3));
        assert!(d.message.contains("`ICS` is given twice"), "{}", d.message);
    }

    #[test]
    fn a_missing_definition_or_an_unknown_field_is_located() {
        let err = Config::parse("title: T\nglossary:\n  ICS: { expansion: x }\n", "casebook.yaml").unwrap_err();
        assert_eq!(err.sorted()[0].line, 3);
        let err = Config::parse(
            "title: T\nglossary:\n  ICS: { definition: x, meaning: y }\n",
            "casebook.yaml",
        )
        .unwrap_err();
        assert_eq!(err.sorted()[0].line, 3);
    }
}
