//! Removing what raw HTML in markdown must not bring into a page: scripts, event handlers,
//! `javascript:` URLs. ammonia does the work; we only say what markdown itself produces.
//!
//! Most pages hold no raw HTML, and the HTML pulldown-cmark writes for them is safe by
//! construction, so sanitising it would only parse and write it again (9 % of the
//! instructions of a fresh 1,000-page build). [`Exposure`] notes, from the parser's own events
//! and the resolved URLs, whether a page holds anything the writer passes through unchecked;
//! only such a page is sanitised.
//!
//! What pulldown-cmark 0.13's HTML writer (`html.rs`) does with the author's text, event by
//! event, for the options `super::parser_options` enables:
//! - `Html`, `InlineHtml` (raw HTML): written as is. **Sanitised.**
//! - a heading's `{key=value}` attributes: the name and value are escaped but written as
//!   given, so `{onclick=...}` is an event handler. **Sanitised.** Its `{#id}` and `{.class}`
//!   are escaped into `id` and `class`, which the sanitiser keeps anyway.
//! - a link's or image's destination: escaped for the attribute (`escape_href`), but its
//!   scheme is the author's: one the sanitiser would not keep (`javascript:`, `data:`, any
//!   not in ammonia's list) or a URL it cannot parse is **sanitised**; a relative one (no
//!   scheme: paths, `#fragments`) or one with a kept scheme is safe. Checked after our link
//!   resolution, on the value the browser reads back (see [`is_kept_url`]).
//! - text, inline code, image alt text (raw HTML in it included), link and image titles,
//!   heading ids and classes: escaped (`escape_html_body_text` or `escape_html`).
//! - code blocks: replaced by our highlighted `<pre>` (syntect escapes the code, we escape
//!   the language); footnote references and definitions, task-list markers and call-outs:
//!   replaced by our own events, whose author text is escaped (`highlight::escape`).
//! - everything else (paragraphs, lists and their start numbers, tables and their alignment,
//!   quotes, emphasis, strikethrough, rules, breaks) is fixed markup.
//!
//! Math, metadata blocks, definition lists, sub- and superscript and wiki links are not
//! enabled. A page that skips the sanitiser differs from its sanitised HTML in serialisation
//! only (`"` for `&quot;` in text; void elements are written `<hr>` for both, see
//! `super::void_tags_as_html5`): `tests/it/trust_sanitize.rs` holds
//! the two to the same parse, over the sample library and generated markdown.

use ammonia::url::{ParseError, Url};
use ammonia::Builder;
use pulldown_cmark::{Event, Tag};
use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashSet;
use std::sync::OnceLock;

fn cleaner() -> &'static Builder<'static> {
    static CLEANER: OnceLock<Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = Builder::default();
        b.add_generic_attributes(["class", "id"])
            .add_tags(["input"])
            .add_tag_attributes("input", ["type", "checked", "disabled", "aria-label"])
            // Footnote references and back-links (`footnotes.rs`).
            .add_tag_attributes("a", ["aria-describedby", "aria-label", "data-path"])
            // Call-outs (`callouts.rs`); `abbr` and `title` are ammonia's defaults.
            .add_tag_attributes("div", ["role"])
            .link_rel(None)
            .attribute_filter(keep_safe_attribute);
        b
    })
}

/// Only checkbox inputs (task lists) and notes (call-outs) survive: raw HTML cannot dress
/// itself up as another widget.
fn keep_safe_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    match (element, attribute) {
        ("input", "type") => (value == "checkbox").then_some(Cow::Borrowed(value)),
        ("div", "role") => (value == "note").then_some(Cow::Borrowed(value)),
        _ => Some(Cow::Borrowed(value)),
    }
}

/// The HTML with anything unsafe removed.
pub fn sanitize(html: &str) -> String {
    cleaner().clean(html).to_string()
}

/// Whether a page's markdown holds anything its HTML would carry unchecked (see the module
/// docs): noted as its events go by, so no event is held for it.
#[derive(Debug, Default)]
pub(crate) struct Exposure(Cell<bool>);

impl Exposure {
    /// Notes an event as the parser gives it, before our extensions add their own trusted
    /// HTML events.
    pub fn note_event(&self, event: &Event<'_>) {
        let unchecked = match event {
            Event::Html(_) | Event::InlineHtml(_) => true,
            Event::Start(Tag::Heading { attrs, .. }) => !attrs.is_empty(),
            _ => false,
        };
        if unchecked {
            self.0.set(true);
        }
    }

    /// Notes a link's or image's destination as the HTML writes it (`mailto:` included).
    pub fn note_url(&self, url: &str) {
        if !is_kept_url(url) {
            self.0.set(true);
        }
    }

    /// Whether anything noted needs the sanitiser.
    pub fn found(&self) -> bool {
        self.0.get()
    }
}

/// Whether the sanitiser keeps `url` as an `href` or `src` as it is: the same test as
/// ammonia's (`Url::parse`; a kept scheme, or relative when relative URLs pass), on the value
/// a parser reads back from the attribute `escape_href` writes (some bytes percent-encoded).
pub(crate) fn is_kept_url(url: &str) -> bool {
    let mut written = String::with_capacity(url.len());
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_href(&mut written, url);
    // `escape_href` writes only these two references, and every `&` as the first.
    let read_back = written.replace("&#x27;", "'").replace("&amp;", "&");
    match Url::parse(&read_back) {
        Ok(parsed) => kept_schemes().contains(parsed.scheme()),
        Err(ParseError::RelativeUrlWithoutBase) => cleaner().is_url_relative_pass_through(),
        Err(_) => false,
    }
}

/// The URL schemes the sanitiser keeps: ammonia's list, read from the one cleaner.
fn kept_schemes() -> &'static HashSet<&'static str> {
    static SCHEMES: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SCHEMES.get_or_init(|| cleaner().clone_url_schemes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_javascript_urls_go() {
        let out = sanitize(r#"<p onclick="x()">a<script>alert(1)</script><a href="javascript:alert(1)">b</a></p>"#);
        assert_eq!(out, "<p>a<a>b</a></p>");
    }

    #[test]
    fn call_outs_and_abbreviations_survive_but_no_other_role() {
        let html = "<div class=\"callout callout-tip\" role=\"note\">\n<p class=\"callout-title\">Tip</p>\n<p><abbr title=\"primary care network\">PCN</abbr></p>\n</div>";
        assert_eq!(sanitize(html), html);
        assert_eq!(sanitize("<div role=\"button\">x</div>"), "<div>x</div>");
    }

    #[test]
    fn urls_are_kept_as_the_sanitiser_keeps_them() {
        // A space or tab is written percent-encoded (`%20javascript:x`): a path, not a scheme.
        let kept = [
            "../x/",
            "#top",
            "",
            "pic.png?a=1&b='2'",
            "https://example.org/a b",
            "mailto:a@b.org",
            "HTTPS://x.org",
            " javascript:x",
            "java\tscript:x",
        ];
        for kept in kept {
            assert!(is_kept_url(kept), "{kept}");
            let mut html = String::from("<a href=\"");
            let _ = pulldown_cmark_escape::escape_href(&mut html, kept);
            assert!(sanitize(&format!("{html}\">x</a>")).contains("href"), "{kept}");
        }
        for refused in [
            "javascript:alert(1)",
            "JavaScript:x",
            "data:text/html,x",
            "vbscript:x",
            "about:blank",
            "http://[oops",
        ] {
            assert!(!is_kept_url(refused), "{refused}");
        }
    }

    #[test]
    fn raw_html_and_heading_attributes_are_noted_but_ids_and_classes_are_not() {
        let noted = |markdown: &str| {
            let exposure = Exposure::default();
            let options = super::super::parser_options();
            pulldown_cmark::Parser::new_ext(markdown, options).for_each(|e| exposure.note_event(&e));
            exposure.found()
        };
        assert!(noted("a <b>b</b>"));
        assert!(noted("<div>\nx\n</div>"));
        assert!(noted("# A {onclick=alert(1)}"));
        assert!(!noted("# A {#a .b}\n\n*a* `<b>` [x](y) ![z](w) | t |\n|---|\n| 1 |"));
    }

    #[test]
    fn markdown_output_survives() {
        let html = r##"<td class="align-center"><input type="checkbox" disabled="" checked="" aria-label="x"><span class="hl-source">x</span><a href="#fn-1" aria-describedby="footnote-label">1</a></td>"##;
        assert!(sanitize(&format!("<table><tbody><tr>{html}</tr></tbody></table>")).contains(html));
    }
}
