//! The glossary's abbreviations as aliases in search: a reader who types `PCN` means the
//! pages that say "primary care network" too, and one who types the words means the pages
//! that only say `PCN`. Health and care writing is dense with such pairs (PCN, ICS, ARRS,
//! COPD), and a page often uses only one of the two.
//!
//! Done when indexing, so both engines (the browser index is exported from the tantivy
//! segment) and every query form — words being typed, phrases, filters — get it alike: a page
//! that uses an abbreviation but never its expansion has the expansion added to its body, as
//! a second value of the field (tantivy leaves a gap of positions between values, so no phrase
//! runs across them), and a page that uses the expansion but never the abbreviation has the
//! abbreviation added. The added words count in the body's length like any other (a few words
//! in hundreds). Passages and the page itself are unchanged.
//!
//! A use of an abbreviation is as the glossary marks it up (`markdown/abbreviations.rs`): a
//! whole word, case-sensitive (`ICS`, not `ics`), here also with a plural `s` (`PCNs`). A use
//! of an expansion is its words in any case, starting a word (`Primary care networks`).

use crate::config::Glossary;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder};

/// The glossary's abbreviations and expansions, ready to find in a page's text.
pub struct Aliases {
    /// (abbreviation, expansion), by pattern index of both automata.
    pairs: Vec<(String, String)>,
    abbreviations: Option<AhoCorasick>,
    expansions: Option<AhoCorasick>,
}

impl Aliases {
    /// The aliases of `glossary` (its terms with an expansion).
    pub fn new(glossary: &Glossary) -> Aliases {
        let pairs: Vec<(String, String)> = glossary
            .abbreviations()
            .map(|(term, expansion)| (term.to_string(), expansion.to_string()))
            .collect();
        // At most a few hundred short patterns: building cannot reach the automata's limits,
        // and a failure would only mean no aliases.
        let automaton = |patterns: Vec<&str>, any_case: bool| {
            (!patterns.is_empty())
                .then(|| {
                    AhoCorasickBuilder::new()
                        .ascii_case_insensitive(any_case)
                        .build(patterns)
                        .ok()
                })
                .flatten()
        };
        Aliases {
            abbreviations: automaton(pairs.iter().map(|(a, _)| a.as_str()).collect(), false),
            expansions: automaton(pairs.iter().map(|(_, e)| e.as_str()).collect(), true),
            pairs,
        }
    }

    /// What to add to the body of a page whose texts are `texts` (title, summary, body): the
    /// expansion of each abbreviation it uses without it, and each abbreviation whose
    /// expansion it uses without the abbreviation, one per line; empty if none.
    pub fn added(&self, texts: &[&str]) -> String {
        let uses_abbreviation = self.found(&self.abbreviations, texts, ends_a_word);
        let uses_expansion = self.found(&self.expansions, texts, |_, _| true);
        let mut out = String::new();
        for (i, (abbreviation, expansion)) in self.pairs.iter().enumerate() {
            let alias = match (uses_abbreviation[i], uses_expansion[i]) {
                (true, false) => expansion,
                (false, true) => abbreviation,
                _ => continue,
            };
            out.push_str(alias);
            out.push('\n');
        }
        out
    }

    /// Which patterns of `automaton` start a word somewhere in `texts` and end as `ends` says.
    fn found(&self, automaton: &Option<AhoCorasick>, texts: &[&str], ends: fn(&str, usize) -> bool) -> Vec<bool> {
        let mut found = vec![false; self.pairs.len()];
        if let Some(automaton) = automaton {
            for text in texts {
                for m in automaton.find_overlapping_iter(*text) {
                    let starts = !text[..m.start()].chars().next_back().is_some_and(char::is_alphanumeric);
                    if starts && ends(text, m.end()) {
                        found[m.pattern().as_usize()] = true;
                    }
                }
            }
        }
        found
    }
}

/// Whether a word ends at `end` of `text`, or after one more `s` (a plural: `PCNs`).
fn ends_a_word(text: &str, end: usize) -> bool {
    let mut rest = text[end..].chars();
    match rest.next() {
        Some('s') => !rest.next().is_some_and(char::is_alphanumeric),
        next => !next.is_some_and(char::is_alphanumeric),
    }
}

#[cfg(test)]
mod tests {
    use super::Aliases;
    use crate::config::Config;

    fn aliases() -> Aliases {
        let text = "title: T\nglossary:\n  PCN: { expansion: primary care network, definition: d }\n  ICS: { expansion: integrated care system, definition: d }\n  Huddle: { definition: not an abbreviation }\n";
        Aliases::new(&Config::parse(text, "casebook.yaml").unwrap().glossary)
    }

    #[test]
    fn a_page_gets_the_other_half_of_each_pair_it_uses_one_half_of() {
        let aliases = aliases();
        assert_eq!(
            aliases.added(&["Our PCNs", "", "and the ICS."]),
            "primary care network\nintegrated care system\n"
        );
        assert_eq!(aliases.added(&["", "Primary Care Networks meet", ""]), "PCN\n");
        assert_eq!(
            aliases.added(&["PCN", "", "a primary care network"]),
            "",
            "both halves: nothing to add"
        );
    }

    #[test]
    fn only_whole_words_in_the_glossary_case_count_as_abbreviations() {
        let aliases = aliases();
        assert_eq!(aliases.added(&["ics and PCNA and XPCN and physics"]), "");
        assert_eq!(aliases.added(&["nonprimary care network"]), "");
    }
}
