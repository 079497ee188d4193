//! The glossary's abbreviations marked up where a page first uses them: `PCN` becomes
//! `<abbr title="primary care network">PCN</abbr>` once per page, so a reader (and a screen
//! reader, on request) can learn what it stands for where it first appears.
//!
//! What counts as a use: the abbreviation as a whole word (no letter or digit touching it),
//! case-sensitive (`ICS` is not `ics`), in the body text — paragraphs, lists, tables, quotes,
//! call-outs and footnotes. Headings (they become the table of contents and anchors), link
//! text (a link already says where it goes; a nested `<abbr>` would only clutter it), image
//! alt text and code are left as written, and a use there does not count as the first.
//!
//! One Aho-Corasick automaton over all abbreviations scans each text once, so the cost does
//! not grow with the size of the glossary; once every abbreviation has been marked on a page,
//! the rest of it is not scanned at all.

use crate::config::Glossary;
use aho_corasick::AhoCorasick;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::VecDeque;
use std::ops::Range;

/// The glossary's abbreviations, ready to find in text.
#[derive(Debug, Clone)]
pub struct Abbreviations {
    /// Every abbreviation; `None` when the glossary has none.
    matcher: Option<AhoCorasick>,
    /// The opening tag for each abbreviation, by pattern index (`<abbr title="…">`).
    openings: Vec<String>,
    /// XXH3-128 of every abbreviation and expansion: rendered markdown depends on it.
    fingerprint: u128,
}

impl Abbreviations {
    /// The abbreviations of `glossary` (its terms with an expansion).
    pub fn new(glossary: &Glossary) -> Abbreviations {
        let (terms, expansions): (Vec<&str>, Vec<&str>) = glossary.abbreviations().unzip();
        let mut hashed = Vec::new();
        for (term, expansion) in terms.iter().zip(&expansions) {
            for part in [term, expansion] {
                hashed.extend_from_slice(&part.len().to_le_bytes());
                hashed.extend_from_slice(part.as_bytes());
            }
        }
        // Patterns are at most a few hundred short words: building cannot reach the
        // automaton's size limits, but a failure would only mean nothing is marked up.
        let matcher = (!terms.is_empty()).then(|| AhoCorasick::new(&terms).ok()).flatten();
        Abbreviations {
            matcher,
            openings: expansions
                .iter()
                .map(|e| format!("<abbr title=\"{}\">", super::highlight::escape(e)))
                .collect(),
            fingerprint: xxhash_rust::xxh3::xxh3_128(&hashed),
        }
    }

    /// What every page's markup depends on: equal for equal abbreviations and expansions.
    pub fn fingerprint(&self) -> u128 {
        self.fingerprint
    }

    /// The uses of abbreviations in `text` not marked yet (`marked`, by pattern index), each
    /// as (pattern, byte range): whole words, leftmost first, a longer one over a shorter one
    /// it overlaps. The first use of each is marked in `marked`.
    fn first_uses(&self, text: &str, marked: &mut [bool]) -> Vec<(usize, Range<usize>)> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        let mut found: Vec<(usize, Range<usize>)> = matcher
            .find_overlapping_iter(text)
            .filter(|m| is_whole_word(text, m.range()))
            .map(|m| (m.pattern().as_usize(), m.range()))
            .collect();
        found.sort_by_key(|(_, range)| (range.start, std::cmp::Reverse(range.end)));
        let mut uses = Vec::new();
        let mut free_from = 0;
        for (pattern, range) in found {
            if range.start < free_from {
                continue;
            }
            free_from = range.end;
            if !marked[pattern] {
                marked[pattern] = true;
                uses.push((pattern, range));
            }
        }
        uses
    }
}

/// Whether `range` of `text` is a word of its own: no letter or digit right before or after.
fn is_whole_word(text: &str, range: Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// How far inside text that is left as written: headings, links, images and code blocks,
/// counted by their start and end events, and raw `<a>` and `<abbr>` elements.
fn depth_change(event: &Event<'_>) -> isize {
    match event {
        Event::Start(Tag::Heading { .. } | Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => 1,
        Event::End(TagEnd::Heading(_) | TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => -1,
        Event::InlineHtml(html) => {
            let tag = html.trim_start_matches('<').to_ascii_lowercase();
            let opens = |name: &str| tag.strip_prefix(name).is_some_and(|r| r.starts_with([' ', '>']));
            if opens("/a") || opens("/abbr") {
                -1
            } else if opens("a") || opens("abbr") {
                1
            } else {
                0
            }
        }
        _ => 0,
    }
}

/// `events` with the first use of each abbreviation in body text wrapped in `<abbr title>`.
/// The word itself stays a text event, so the page's plain text (search, summaries) is the
/// same; each piece keeps the byte range of the text it came from. Only a text with a first
/// use is split (its pieces wait in a queue); every other event passes straight through.
pub(super) fn marked<'e, 'a>(
    mut events: impl Iterator<Item = (Event<'e>, Range<usize>)> + 'a,
    abbreviations: Option<&'a Abbreviations>,
) -> impl Iterator<Item = (Event<'e>, Range<usize>)> + 'a
where
    'e: 'a,
{
    let mut marked = vec![false; abbreviations.map_or(0, |a| a.openings.len())];
    let mut left = marked.len();
    let mut inside: isize = 0;
    let mut pieces: VecDeque<(Event<'e>, Range<usize>)> = VecDeque::new();
    std::iter::from_fn(move || {
        if let Some(piece) = pieces.pop_front() {
            return Some(piece);
        }
        let (event, range) = events.next()?;
        inside = (inside + depth_change(&event)).max(0);
        let (Some(abbreviations), Event::Text(text)) = (abbreviations, &event) else {
            return Some((event, range));
        };
        if left == 0 || inside > 0 {
            return Some((event, range));
        }
        let uses = abbreviations.first_uses(text, &mut marked);
        if uses.is_empty() {
            return Some((event, range));
        }
        left -= uses.len();
        pieces.extend(
            split(text, &uses, abbreviations)
                .into_iter()
                .map(|e| (e, range.clone())),
        );
        pieces.pop_front()
    })
}

/// `text` as events: plain runs, and each use wrapped in its `<abbr>`.
fn split<'e>(text: &str, uses: &[(usize, Range<usize>)], abbreviations: &Abbreviations) -> Vec<Event<'e>> {
    let mut events = Vec::with_capacity(uses.len() * 4 + 1);
    let mut from = 0;
    for (pattern, range) in uses {
        if range.start > from {
            events.push(Event::Text(CowStr::from(text[from..range.start].to_string())));
        }
        events.push(Event::InlineHtml(CowStr::from(
            abbreviations.openings[*pattern].clone(),
        )));
        events.push(Event::Text(CowStr::from(text[range.clone()].to_string())));
        events.push(Event::InlineHtml(CowStr::Borrowed("</abbr>")));
        from = range.end;
    }
    if from < text.len() {
        events.push(Event::Text(CowStr::from(text[from..].to_string())));
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::GlossaryEntry;

    fn abbreviations(terms: &[(&str, &str)]) -> Abbreviations {
        let mut glossary = Glossary::default();
        for (term, expansion) in terms {
            let entry = GlossaryEntry {
                expansion: Some(expansion.to_string()),
                definition: "d".into(),
            };
            glossary.terms.insert(term.to_string(), entry);
        }
        Abbreviations::new(&glossary)
    }

    fn uses(a: &Abbreviations, text: &str) -> Vec<&'static str> {
        let mut marked = vec![false; a.openings.len()];
        let text: &'static str = Box::leak(text.to_string().into_boxed_str());
        a.first_uses(text, &mut marked)
            .into_iter()
            .map(|(_, r)| &text[r])
            .collect()
    }

    #[test]
    fn only_whole_words_in_their_own_case_are_uses_and_only_the_first_of_each() {
        let a = abbreviations(&[("PCN", "primary care network"), ("ICS", "integrated care system")]);
        assert_eq!(
            uses(&a, "PCNs, the pcn, XPCN and PCN2 are not; ICS, PCN and PCN."),
            ["ICS", "PCN"]
        );
        assert_eq!(uses(&a, "(PCN)"), ["PCN"]);
    }

    #[test]
    fn a_longer_abbreviation_wins_over_one_inside_it() {
        let a = abbreviations(&[("A&E", "accident and emergency"), ("A", "a")]);
        assert_eq!(uses(&a, "Go to A&E now."), ["A&E"]);
        assert_eq!(uses(&a, "A&Ex, A"), ["A"]);
    }

    #[test]
    fn the_fingerprint_follows_abbreviations_and_expansions() {
        let one = abbreviations(&[("PCN", "primary care network")]);
        assert_eq!(
            one.fingerprint(),
            abbreviations(&[("PCN", "primary care network")]).fingerprint()
        );
        assert_ne!(
            one.fingerprint(),
            abbreviations(&[("PCN", "primary care networks")]).fingerprint()
        );
        assert_ne!(one.fingerprint(), abbreviations(&[]).fingerprint());
    }
}
