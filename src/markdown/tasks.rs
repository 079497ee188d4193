//! Task-list checkboxes with an accessible name. pulldown-cmark writes `- [ ] agree who books
//! patients` as a bare `<input type="checkbox">`, which a screen reader announces as
//! "checkbox, not checked" with nothing to say what the task is (axe-core's `label` rule).
//! Here each checkbox is labelled with its item's text: the events of the item are held until
//! its end (or a nested list), and the checkbox is written with an `aria-label`.

use super::highlight::escape;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::VecDeque;

/// `events` with every task-list marker written as a disabled checkbox named by its item's
/// text.
pub fn with_labels<'e>(events: impl Iterator<Item = Event<'e>>) -> impl Iterator<Item = Event<'e>> {
    let mut events = events;
    let mut held: VecDeque<Event<'e>> = VecDeque::new();
    std::iter::from_fn(move || {
        if let Some(event) = held.pop_front() {
            return Some(event);
        }
        let event = events.next()?;
        let Event::TaskListMarker(checked) = event else {
            return Some(event);
        };
        let mut text = String::new();
        for event in events.by_ref() {
            let last = matches!(event, Event::End(TagEnd::Item) | Event::Start(Tag::List(_)));
            if let Event::Text(t) | Event::Code(t) = &event {
                text.push_str(t);
            }
            held.push_back(event);
            if last {
                break;
            }
        }
        let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let checked = if checked { " checked=\"\"" } else { "" };
        Some(Event::InlineHtml(CowStr::from(format!(
            "<input disabled=\"\" type=\"checkbox\"{checked} aria-label=\"{}\"> ",
            escape(&name)
        ))))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    #[test]
    fn each_checkbox_is_named_by_its_item() {
        let mut html = String::new();
        let markdown = "- [ ] agree who books *patients*\n- [x] share the `rota`\n  - [ ] nested\n";
        pulldown_cmark::html::push_html(
            &mut html,
            with_labels(Parser::new_ext(markdown, Options::ENABLE_TASKLISTS)),
        );
        assert!(
            html.contains(r#"type="checkbox" aria-label="agree who books patients">"#),
            "{html}"
        );
        assert!(
            html.contains(r#"type="checkbox" checked="" aria-label="share the rota">"#),
            "{html}"
        );
        assert!(html.contains(r#"aria-label="nested">"#), "{html}");
    }
}
