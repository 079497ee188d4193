//! The glossary page, `glossary/index.html`: every term of `glossary:` in `casebook.yaml`,
//! alphabetical, each with an anchor (`glossary/#pcn`), its expansion and its definition.
//! A site without a glossary has no such page, no link to it and no sitemap entry.

use super::context::GlossaryContext;
use super::{Job, Pages};
use crate::config::Glossary;
use serde::Serialize;
use std::collections::HashSet;

/// The glossary page's url.
pub const URL: &str = "glossary/";

/// One term as the glossary page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct GlossaryTermView {
    /// The term as written (`PCN`).
    pub term: String,
    /// Its anchor on the page: the term's slug, unique on the page (`pcn`).
    pub id: String,
    /// What an abbreviation stands for, else `None`.
    pub expansion: Option<String>,
    /// What it means (plain text).
    pub definition: String,
}

/// The terms of `glossary` in alphabetical order (letters compared without case or accents,
/// then as written), each with a unique anchor.
pub fn terms(glossary: &Glossary) -> Vec<GlossaryTermView> {
    let mut sorted: Vec<_> = glossary.terms.iter().collect();
    sorted.sort_by_cached_key(|(term, _)| (deunicode::deunicode(term).to_lowercase(), (*term).clone()));
    let mut taken = HashSet::new();
    sorted
        .into_iter()
        .map(|(term, entry)| GlossaryTermView {
            term: term.clone(),
            id: unique_id(term, &mut taken),
            expansion: entry.expansion.clone(),
            definition: entry.definition.clone(),
        })
        .collect()
}

/// The slug of `term`, suffixed `-2`, `-3`… when another term took it (`A&E` and `A-E`).
fn unique_id(term: &str, taken: &mut HashSet<String>) -> String {
    let slug = crate::urls::slugify(term);
    let slug = if slug.is_empty() { "term".to_string() } else { slug };
    let mut id = slug.clone();
    let mut n = 1;
    while !taken.insert(id.clone()) {
        n += 1;
        id = format!("{slug}-{n}");
    }
    id
}

impl Pages<'_> {
    /// The glossary page, when the site has a glossary.
    pub(super) fn glossary(&self) -> Option<Job> {
        let glossary = &self.input.config.glossary;
        if glossary.is_empty() {
            return None;
        }
        let strings = self.strings;
        let context = GlossaryContext {
            base: self.base(URL, strings.text("glossary_title"), strings.text("glossary_lead")),
            breadcrumbs: self.breadcrumbs("", true),
            terms: terms(glossary),
        };
        Some(self.job(URL, "glossary.html", &context))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn terms_are_alphabetical_without_case_or_accents_and_anchors_are_unique() {
        let text = "title: T\nglossary:\n  STP: { definition: s }\n  A-E: { definition: x }\n  Écoles: { definition: e }\n  A&E: { expansion: accident and emergency, definition: a }\n  deprescribing: { definition: d }\n";
        let config = Config::parse(text, "casebook.yaml").unwrap();
        let views = terms(&config.glossary);
        let got: Vec<(&str, &str)> = views.iter().map(|v| (v.term.as_str(), v.id.as_str())).collect();
        assert_eq!(
            got,
            [
                ("A&E", "a-e"),
                ("A-E", "a-e-2"),
                ("deprescribing", "deprescribing"),
                ("Écoles", "ecoles"),
                ("STP", "stp")
            ]
        );
        assert_eq!(views[0].expansion.as_deref(), Some("accident and emergency"));
    }
}
