//! The text of a raw HTML block, for a page's plain text (search, excerpts, summaries).
//!
//! Pages moved from other generators often hold whole paragraphs, lists and tables as raw
//! HTML (a third of the W3C WAI site's pages, one in twelve of Digital.gov's): the reader sees
//! their words, so search must find them. The block is read with html5ever's tokenizer, the
//! one ammonia parses with, so its text is what a browser shows: character references decoded,
//! comments and tags left out, and the content of `<script>` and `<style>` left out too, as
//! ammonia removes it from the published page. A tag that starts or ends a block of text
//! (`<p>`, `<li>`, `<td>`, `<br>` …) separates the words on either side of it.

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

/// The text `html` shows, with whitespace as written (the caller squeezes it).
pub fn text_of(html: &str) -> String {
    let tokenizer = Tokenizer::new(TextSink::default(), Default::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.text.take()
}

/// Collects character tokens outside hidden elements.
#[derive(Default)]
struct TextSink {
    text: RefCell<String>,
    /// Inside a hidden element's content: until its end tag.
    hidden: Cell<bool>,
}

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::CharacterTokens(text) if !self.hidden.get() => self.text.borrow_mut().push_str(&text),
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
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
    use super::text_of;

    fn squeezed(html: &str) -> String {
        text_of(html).split_whitespace().collect::<Vec<_>>().join(" ")
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
    fn inline_tags_do_not_split_words() {
        assert_eq!(squeezed("<p>pre<span>fix</span>ed</p>"), "prefixed");
    }
}
