//! The text of a raw HTML block, for a page's plain text (search, excerpts, summaries).
//!
//! Pages moved from other generators often hold whole paragraphs, lists and tables as raw
//! HTML (a third of the W3C WAI site's pages, one in twelve of Digital.gov's): the reader sees
//! their words, so search must find them. The block is read with html5ever's tokenizer, the
//! one ammonia parses with, so its text is what a browser shows: character references decoded,
//! comments and tags left out, and the content of `<script>` and `<style>` left out too, as
//! ammonia removes it from the published page. A tag that starts or ends a block of text
//! (`<p>`, `<li>`, `<td>`, `<br>` …) separates the words on either side of it. A block that
//! opens with `<p>` also gives the page its first paragraph (a summary when it has none).

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};
use std::cell::{Cell, RefCell};

/// Elements whose content is not shown (and that ammonia removes with their content).
const HIDDEN: [&str; 2] = ["script", "style"];

/// Elements that start or end a block of text, or break a line: their words stand apart.
const SEPARATING: [&str; 33] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "th",
];

/// What a raw HTML block shows, read in one pass.
pub struct Shown {
    /// Its text, with whitespace as written (the caller squeezes it).
    pub text: String,
    /// How much of `text` is the paragraph the block opens with, if it opens with `<p>`.
    lead_len: Option<usize>,
}

impl Shown {
    /// The text of the paragraph the block opens with, if it opens with `<p>` (not one inside
    /// another element: a note or a figure is not the page's lead), with whitespace as
    /// written: a page whose body is raw HTML gets its summary from it, as a markdown page
    /// does from its first paragraph.
    pub fn lead(&self) -> Option<&str> {
        self.lead_len.map(|len| &self.text[..len])
    }
}

/// What `html` shows: its text, and where the paragraph it opens with ends.
pub fn shown(html: &str) -> Shown {
    let tokenizer = Tokenizer::new(TextSink::default(), Default::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let text = tokenizer.sink.text.take();
    let lead_len = opens_with_paragraph(html).then(|| tokenizer.sink.lead_end.get().unwrap_or(text.len()));
    Shown { text, lead_len }
}

/// Whether `html` starts (after whitespace) with a `<p>` start tag.
fn opens_with_paragraph(html: &str) -> bool {
    let Some(start) = html.trim_start().get(..3).map(str::to_ascii_lowercase) else {
        return false;
    };
    start == "<p>" || start.starts_with("<p") && start.ends_with(|c: char| c.is_ascii_whitespace())
}

/// Collects character tokens outside hidden elements, and notes where the first paragraph
/// ends.
#[derive(Default)]
struct TextSink {
    text: RefCell<String>,
    /// Inside a hidden element's content: until its end tag.
    hidden: Cell<bool>,
    /// Whether the first block (the paragraph, when the html opens with `<p>`) has begun.
    begun: Cell<bool>,
    /// The length of the text when it ended: at `</p>`, or the start of another block, which
    /// ends it in HTML.
    lead_end: Cell<Option<usize>>,
}

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::CharacterTokens(text) if !self.hidden.get() => self.text.borrow_mut().push_str(&text),
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                if self.lead_end.get().is_none() && name != "br" {
                    let block = SEPARATING.contains(&name) && tag.kind == TagKind::StartTag;
                    let closed = name == "p" && tag.kind == TagKind::EndTag;
                    if closed || (block && self.begun.get()) {
                        self.lead_end.set(Some(self.text.borrow().len()));
                    }
                    self.begun.set(true);
                }
                if SEPARATING.contains(&name) {
                    self.text.borrow_mut().push(' ');
                }
                if HIDDEN.contains(&name) {
                    self.hidden.set(tag.kind == TagKind::StartTag && !tag.self_closing);
                    if self.hidden.get() {
                        // The tokenizer alone does not know that these hold raw text (a tree
                        // builder would tell it): without this, `<style>a<b{}</style>` would
                        // read `<b{}` as a tag.
                        let kind = if name == "script" {
                            RawKind::ScriptData
                        } else {
                            RawKind::Rawtext
                        };
                        return TokenSinkResult::RawData(kind);
                    }
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use crate::markdown::first_paragraph;

    fn squeezed(html: &str) -> String {
        first_paragraph(&super::shown(html).text).unwrap_or_default()
    }

    #[test]
    fn the_text_a_browser_shows_with_blocks_apart() {
        assert_eq!(
            squeezed("<p>Tea &amp; <em>biscuits</em></p><ul><li>one</li><li>two<br>three</li></ul><!-- no -->"),
            "Tea & biscuits one two three"
        );
    }

    #[test]
    fn scripts_and_styles_are_not_text() {
        assert_eq!(
            squeezed("<style>p<b{color:red}</style><p>shown</p><script>if (a<b) x()</script>after"),
            "shown after"
        );
    }

    #[test]
    fn a_leading_paragraph_is_the_first_p_the_html_opens_with() {
        // As the renderer takes it: squeezed, none when empty.
        let lead = |html: &str| super::shown(html).lead().and_then(first_paragraph);
        assert_eq!(
            lead("<p>Updated <a href=\"x\">drafts</a> &amp; more.</p><ul><li>no</li></ul>").as_deref(),
            Some("Updated drafts & more.")
        );
        assert_eq!(
            lead("  <P class=\"lead\">Lead\ntext<br>on</p>").as_deref(),
            Some("Lead text on")
        );
        assert_eq!(lead("<div><p>in a note</p></div>"), None);
        assert_eq!(lead("<pre>code</pre>"), None);
    }

    #[test]
    fn inline_tags_do_not_split_words() {
        assert_eq!(squeezed("<p>pre<span>fix</span>ed</p>"), "prefixed");
    }
}
