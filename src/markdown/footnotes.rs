//! Footnotes a reader can follow both ways. pulldown-cmark writes each definition where it
//! stands in the text, numbered by label, with no way back to the reference. Here references
//! are numbered in the order they are read, every definition is held until the end of the
//! text and written there as one ordered list, and each note ends with a back-link to its
//! first reference.
//!
//! Ids are `fnref-<n>` (a second reference to the same note: `fnref-<n>-2`...) and `fn-<n>`,
//! from the number rather than the label, so any label makes a valid id.

use super::highlight::escape;
use super::Labels;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::HashMap;

/// The id of the "Notes" heading, which every reference names as its description.
const NOTES_HEADING: &str = "footnote-label";

/// `events` with footnote references as numbered links and every definition moved to a list
/// of notes after the rest of the text (only definitions are held back), headed and linked
/// back in the words of `labels`.
pub fn at_the_end<'e>(events: impl Iterator<Item = Event<'e>>, labels: &Labels) -> impl Iterator<Item = Event<'e>> {
    let mut events = events.fuse();
    let mut notes = Notes {
        labels: labels.clone(),
        ..Notes::default()
    };
    // The definition being read, if any: its label and its events so far.
    let mut reading: Option<(CowStr<'e>, Vec<Event<'e>>)> = None;
    let mut ending: Option<std::vec::IntoIter<Event<'e>>> = None;
    std::iter::from_fn(move || loop {
        if let Some(tail) = &mut ending {
            return tail.next();
        }
        let Some(event) = events.next() else {
            ending = Some(notes.list().into_iter());
            continue;
        };
        let event = match event {
            Event::FootnoteReference(label) => notes.reference(&label),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                reading = Some((label, Vec::new()));
                continue;
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, body)) = reading.take() {
                    notes.definitions.entry(label.to_string()).or_insert(body);
                }
                continue;
            }
            other => other,
        };
        match &mut reading {
            Some((_, body)) => body.push(event),
            None => return Some(event),
        }
    })
}

/// The footnotes of one text: numbers given by first reference, definitions by label.
#[derive(Default)]
struct Notes<'e> {
    /// Label → (number, references so far).
    numbers: HashMap<String, (usize, usize)>,
    /// Labels in number order.
    order: Vec<String>,
    /// Label → the definition's events.
    definitions: HashMap<String, Vec<Event<'e>>>,
    /// The heading and back-link words.
    labels: Labels,
}

impl<'e> Notes<'e> {
    /// The link of a reference to `label`: a superscript number.
    fn reference(&mut self, label: &str) -> Event<'e> {
        let next = self.order.len() + 1;
        let (number, seen) = self.numbers.entry(label.to_string()).or_insert((next, 0));
        if *number == next && *seen == 0 {
            self.order.push(label.to_string());
        }
        *seen += 1;
        let id = match *seen {
            1 => format!("fnref-{number}"),
            n => format!("fnref-{number}-{n}"),
        };
        Event::InlineHtml(CowStr::from(format!(
            r##"<sup class="fn-ref"><a href="#fn-{number}" id="{id}" aria-describedby="{NOTES_HEADING}">{number}</a></sup>"##
        )))
    }

    /// The notes, in number order, each with its back-link; nothing when no note is used.
    /// A definition nothing refers to is left out, as GitHub does.
    fn list(&mut self) -> Vec<Event<'e>> {
        let used: Vec<(usize, Vec<Event<'e>>)> = self
            .order
            .iter()
            .enumerate()
            .filter_map(|(n, label)| Some((n + 1, self.definitions.remove(label)?)))
            .collect();
        if used.is_empty() {
            return Vec::new();
        }
        let title = escape(&self.labels.notes);
        let mut out = vec![html(format!(
            "<div class=\"footnotes\">\n<h2 id=\"{NOTES_HEADING}\" class=\"footnotes-title\">{title}</h2>\n<ol>\n"
        ))];
        for (number, mut body) in used {
            out.push(html(format!("<li id=\"fn-{number}\">\n")));
            let back_label = crate::i18n::fill(&self.labels.back_to_reference, &[("n", &number.to_string())]);
            let back = Event::InlineHtml(CowStr::from(format!(
                " <a href=\"#fnref-{number}\" class=\"fn-back\" aria-label=\"{}\">↩\u{fe0e}</a>",
                escape(&back_label)
            )));
            // Inside the note's last paragraph when it ends with one, else after it.
            match body.last() {
                Some(Event::End(TagEnd::Paragraph)) => body.insert(body.len() - 1, back),
                _ => body.push(back),
            }
            out.extend(body);
            out.push(html("</li>\n".into()));
        }
        out.push(html("</ol>\n</div>\n".into()));
        out
    }
}

fn html<'e>(text: String) -> Event<'e> {
    Event::Html(CowStr::from(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    fn render(markdown: &str) -> String {
        let mut html = String::new();
        let events = Parser::new_ext(markdown, Options::ENABLE_FOOTNOTES);
        pulldown_cmark::html::push_html(&mut html, at_the_end(events, &Labels::default()));
        html
    }

    #[test]
    fn notes_are_numbered_by_first_reference_and_link_back() {
        let html = render("[^b]: Second.\n\nA[^a] b[^b] a again[^a].\n\n[^a]: First.\n");
        assert!(html.contains(r##"<a href="#fn-1" id="fnref-1""##), "{html}");
        assert!(html.contains(r##"<a href="#fn-2" id="fnref-2""##), "{html}");
        assert!(html.contains(r##"<a href="#fn-1" id="fnref-1-2""##), "{html}");
        let first = html.find("<li id=\"fn-1\">").unwrap();
        let second = html.find("<li id=\"fn-2\">").unwrap();
        assert!(first < second && html[first..second].contains("First."), "{html}");
        assert!(html.contains("First. <a href=\"#fnref-1\" class=\"fn-back\""), "{html}");
        assert!(html.trim_end().ends_with("</ol>\n</div>"), "{html}");
    }

    #[test]
    fn a_text_without_notes_is_unchanged() {
        assert_eq!(render("Plain [^x] text.\n"), "<p>Plain [^x] text.</p>\n");
    }
}
