//! Removing what raw HTML in markdown must not bring into a page: scripts, event handlers,
//! `javascript:` URLs. ammonia does the work; we only say what markdown itself produces.

use ammonia::Builder;
use std::borrow::Cow;
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
    fn markdown_output_survives() {
        let html = r##"<td class="align-center"><input type="checkbox" disabled="" checked="" aria-label="x"><span class="hl-source">x</span><a href="#fn-1" aria-describedby="footnote-label">1</a></td>"##;
        assert!(sanitize(&format!("<table><tbody><tr>{html}</tr></tbody></table>")).contains(html));
    }
}
