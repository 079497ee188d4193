//! Excerpts: the passage of a hit's body around the words searched for, with `<mark>`, and
//! the headings under which they matched (sub-results linking to `#id`). `js/search-engine.js`
//! cuts passages by the same rule.

use super::index::Section;
use serde::Serialize;
use std::collections::HashSet;
use std::ops::Range;

/// Only this many best hits get passages from their body; later ones show their summary, so
/// the browser loads the text of at most this many resources per query.
pub const PASSAGE_HITS: usize = 10;
/// At most this many sub-results per hit.
pub const MAX_SUBS: usize = 3;
/// A passage is this many words long at most…
const WINDOW: usize = 30;
/// …starting this many words before the first match.
const LEAD: usize = 6;

/// A heading under which words matched.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Sub {
    /// The hit's url with the heading's id (`/guides/x/#getting-started`).
    pub url: String,
    /// The heading.
    pub title: String,
    /// A passage under the heading (HTML, matches in `<mark>`).
    pub excerpt: String,
}

/// One section's words and where the wanted ones are.
struct Found<'a> {
    index: usize,
    section: &'a Section,
    spans: Vec<Range<usize>>,
    /// The indexes of the matching words, and their stems.
    matches: Vec<(usize, String)>,
    distinct: usize,
}

/// The excerpt and sub-results of a hit at `url`: a passage of the section holding the most
/// distinct wanted stems (then the most matches, then the first), or `summary` with its
/// matches marked when the body has none. `stems` analyses a text into stems, one per word.
pub fn passages(
    url: &str,
    summary: &str,
    sections: &[Section],
    wanted: &HashSet<&str>,
    stems: &dyn Fn(&str) -> Vec<String>,
) -> (String, Vec<Sub>) {
    let mut spans_of = super::analyzer::word_spans();
    let mut found: Vec<Found<'_>> = sections
        .iter()
        .enumerate()
        .map(|(index, section)| find(index, section, wanted, stems, &mut spans_of))
        .filter(|f| !f.matches.is_empty())
        .collect();
    found.sort_by(|a, b| (b.distinct, b.matches.len(), a.index).cmp(&(a.distinct, a.matches.len(), b.index)));
    let Some(best) = found.first() else {
        let spans = spans_of(summary);
        let marked = matching(summary, &spans, wanted, stems);
        return (mark(summary, &spans, 0..spans.len(), &marked), Vec::new());
    };
    let excerpt = window(best);
    let sub = found
        .iter()
        .filter(|f| !f.section.0.is_empty())
        .take(MAX_SUBS)
        .map(|f| Sub {
            url: format!("{url}#{}", f.section.0),
            title: f.section.1.clone(),
            excerpt: window(f),
        })
        .collect();
    (excerpt, sub)
}

fn find<'a>(
    index: usize,
    section: &'a Section,
    wanted: &HashSet<&str>,
    stems: &dyn Fn(&str) -> Vec<String>,
    spans_of: &mut dyn FnMut(&str) -> Vec<Range<usize>>,
) -> Found<'a> {
    let text = &section.2;
    let spans = spans_of(text);
    let matches = matching(text, &spans, wanted, stems);
    let distinct: HashSet<&str> = matches.iter().map(|(_, stem)| stem.as_str()).collect();
    let distinct = distinct.len();
    Found {
        index,
        section,
        spans,
        matches,
        distinct,
    }
}

/// The indexes of the words whose stem is wanted, with the stem.
fn matching(
    text: &str,
    spans: &[Range<usize>],
    wanted: &HashSet<&str>,
    stems: &dyn Fn(&str) -> Vec<String>,
) -> Vec<(usize, String)> {
    let mut all = stems(text);
    if all.len() != spans.len() {
        // The stemmer keeps every word; should it not, stem word by word.
        all = spans.iter().map(|s| stems(&text[s.clone()]).concat()).collect();
    }
    all.into_iter()
        .enumerate()
        .filter(|(_, stem)| wanted.contains(stem.as_str()))
        .collect()
}

/// [`WINDOW`] words of a section from [`LEAD`] words before the match that starts the run
/// holding the most distinct wanted stems (the first such).
fn window(found: &Found<'_>) -> String {
    let reach = WINDOW - LEAD;
    let mut anchor = (0, found.matches[0].0);
    for &(at, _) in &found.matches {
        let within: HashSet<&str> = found
            .matches
            .iter()
            .filter(|(i, _)| (at..at + reach).contains(i))
            .map(|(_, stem)| stem.as_str())
            .collect();
        if within.len() > anchor.0 {
            anchor = (within.len(), at);
        }
    }
    let start = anchor.1.saturating_sub(LEAD);
    let end = (start + WINDOW).min(found.spans.len());
    mark(&found.section.2, &found.spans, start..end, &found.matches)
}

/// Words `words` of `text` as HTML, the `marked` ones in `<mark>`, with `…` where text was cut.
fn mark(text: &str, spans: &[Range<usize>], words: Range<usize>, marked: &[(usize, String)]) -> String {
    if spans.is_empty() || words.is_empty() {
        return escape(text);
    }
    let from = if words.start == 0 { 0 } else { spans[words.start].start };
    let to = if words.end == spans.len() {
        text.len()
    } else {
        spans[words.end - 1].end
    };
    let mut out = String::new();
    if words.start > 0 {
        out.push('…');
    }
    let mut at = from;
    let marked: Vec<usize> = marked.iter().map(|(i, _)| *i).filter(|i| words.contains(i)).collect();
    for i in marked {
        out.push_str(&escape(&text[at..spans[i].start]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[spans[i].clone()]));
        out.push_str("</mark>");
        at = spans[i].end;
    }
    out.push_str(&escape(&text[at..to]));
    if words.end < spans.len() {
        out.push('…');
    }
    out
}

/// Escapes `&`, `<` and `>`: excerpts go into element text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str) -> Vec<String> {
        crate::search::analyzer::stems(text)
    }

    fn section(id: &str, title: &str, text: &str) -> Section {
        (id.into(), title.into(), text.into())
    }

    #[test]
    fn a_passage_comes_from_the_section_with_most_words_and_links_its_heading() {
        let sections = [
            section("", "", "An introduction about homes."),
            section("deprescribing", "Deprescribing", "Reviews in care homes cut <harm>."),
        ];
        let wanted: HashSet<&str> = ["care", "home"].into();
        let (excerpt, sub) = passages("/t/", "Summary", &sections, &wanted, &stems);
        assert_eq!(
            excerpt,
            "Reviews in <mark>care</mark> <mark>homes</mark> cut &lt;harm&gt;."
        );
        assert_eq!(sub.len(), 1);
        assert_eq!(sub[0].url, "/t/#deprescribing");
        assert_eq!(sub[0].title, "Deprescribing");
    }

    #[test]
    fn without_a_body_match_the_summary_is_marked() {
        let sections = [section("", "", "Nothing here.")];
        let wanted: HashSet<&str> = ["pharmaci"].into();
        let (excerpt, sub) = passages("/t/", "Pharmacy & care", &sections, &wanted, &stems);
        assert_eq!(excerpt, "<mark>Pharmacy</mark> &amp; care");
        assert!(sub.is_empty());
    }

    #[test]
    fn a_long_section_is_cut_around_the_first_match() {
        let words: Vec<String> = (0..100).map(|i| format!("w{i}")).collect();
        let mut text = words.join(" ");
        text.push_str(" target end");
        let wanted: HashSet<&str> = ["target"].into();
        let (excerpt, _) = passages("/t/", "", &[section("", "", &text)], &wanted, &stems);
        assert!(excerpt.starts_with("…w94 "), "{excerpt}");
        assert!(excerpt.contains("<mark>target</mark> end"), "{excerpt}");
    }
}
