//! Each card rendered once per page depth instead of once per page that lists it.
//!
//! A card is listed on many pages (its section, every term it carries — first and later pages
//! of each —, home, related lists): at 10,000 resources, over 100,000 card renders and as many
//! card serialisations, a fifth of a build's CPU. The built-in theme's `card` macro, like every
//! Tera macro, sees only its arguments (`r`, `root`, `t`, `heading`), so its HTML for a card is
//! the same on every page of one depth (`root`, `../` repeated) and language (`t`, fixed for a
//! render): [`CardHtml`] renders it through the theme's own macro once per card and depth, and a
//! listing page's context holds it as [`Listed::Rendered`], which the built-in `cards` macro
//! writes out as it is (for its default `h3` heading; any other renders the card again).
//!
//! That shortcut needs the built-in templates to be the ones rendering: a site's own template
//! may read any field of a card. So it is taken only when every template is the built-in
//! one, to the byte ([`Theme::card_template`]); otherwise every listing holds
//! [`Listed::Card`], every field, and the theme's macros render each card on each page.
//!
//! The built-in `card` macro only writes `root` out, escaped, and escaping leaves a root
//! (`../` repeated) as it is. So a card is rendered once in all, with [`ROOT`] standing
//! for the root, and each depth's HTML is that text with the stand-in replaced by the
//! depth's root. A card or words holding the stand-in themselves are rendered once per
//! depth instead.

use super::theme::Theme;
use super::views::Card;
use super::{Contexts, Own};
use serde::Serialize;
use serde_json::Value;
use std::sync::OnceLock;
use tera::Context;

/// Pages deeper than this (`../` repeated) render their cards on the page itself.
const MAX_DEPTH: usize = 8;

/// What a card is rendered with in place of its page's root: a private-use character, which
/// escaping leaves as it is.
const ROOT: char = '\u{e000}';

/// A card as a listing page's context holds it.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(untagged)]
pub enum Listed<'a> {
    /// Every field of the card: what a site's own templates see.
    Card(&'a Card),
    /// With the built-in templates only: the card as their `card` macro renders it on this
    /// page, which their `cards` macro writes out.
    Rendered {
        /// The card's HTML.
        html: &'a str,
    },
}

/// Every card's HTML at each page depth, rendered when a page of that depth first lists it.
pub struct CardHtml<'a> {
    theme: &'a Theme,
    template: &'static str,
    /// The render's words (`t`), lent to one card render at a time with the card's own
    /// values (`r`, `root`), where a fresh context would copy every word again.
    contexts: Contexts,
    /// By depth, then by card (the order of the render's pages); `None` when the card did not
    /// render (the page then renders it itself, and reports the error).
    by_depth: Vec<OnceLock<Vec<OnceLock<Option<String>>>>>,
    /// By card: its HTML with [`ROOT`] for the root; `None` when it holds [`ROOT`] itself
    /// (or did not render): then it is rendered at each depth.
    rooted: Vec<OnceLock<Option<String>>>,
    /// Whether the words hold [`ROOT`]: then every card is rendered at each depth.
    words_hold_root: bool,
    cards: usize,
}

impl<'a> CardHtml<'a> {
    /// The memo for `cards` cards rendered with `theme` in the words `words`, when the theme
    /// renders cards with the built-in templates alone.
    pub fn new(theme: &'a Theme, words: Option<&Value>, cards: usize) -> Option<CardHtml<'a>> {
        let words = words?;
        Some(CardHtml {
            theme,
            template: theme.card_template()?,
            words_hold_root: holds_root(words),
            contexts: Contexts::new(Context::from_value(serde_json::json!({ "t": words })).ok()?),
            by_depth: (0..MAX_DEPTH).map(|_| OnceLock::new()).collect(),
            rooted: (0..cards).map(|_| OnceLock::new()).collect(),
            cards,
        })
    }

    /// Card `i` (`card`) on a page whose way back to the root is `root`: rendered once per
    /// depth, else (too deep, a root of another shape, or an error) every field.
    pub fn listed(&'a self, i: usize, card: &'a Card, root: &str) -> Listed<'a> {
        match self.html(i, card, root) {
            Some(html) => Listed::Rendered { html },
            None => Listed::Card(card),
        }
    }

    fn html(&self, i: usize, card: &Card, root: &str) -> Option<&str> {
        let depth = depth(root)?;
        let row = self.by_depth.get(depth)?.get_or_init(|| {
            let mut row = Vec::with_capacity(self.cards);
            row.resize_with(self.cards, OnceLock::new);
            row
        });
        row.get(i)?
            .get_or_init(|| match self.rooted(i, card) {
                Some(rooted) => Some(rooted.replace(ROOT, root)),
                None => self.render(card, root),
            })
            .as_deref()
    }

    /// Card `i`'s HTML with [`ROOT`] for its root, rendered once; `None` when the card or the
    /// words hold [`ROOT`] themselves.
    fn rooted(&self, i: usize, card: &Card) -> Option<&str> {
        if self.words_hold_root {
            return None;
        }
        self.rooted
            .get(i)?
            .get_or_init(|| {
                let card = serde_json::to_value(card).ok()?;
                (!holds_root(&card)).then(|| self.render(&card, ROOT.encode_utf8(&mut [0; 4])))?
            })
            .as_deref()
    }

    fn render(&self, card: &impl Serialize, root: &str) -> Option<String> {
        let mut values = Context::new();
        values.insert("r", card);
        values.insert("root", root);
        let own = Own {
            names: vec!["r".into(), "root".into()],
            values,
        };
        let html = self
            .contexts
            .with(own, |context| self.theme.tera.render(self.template, context));
        html.ok()
    }
}

/// Whether any string of `value` (keys included) holds [`ROOT`].
fn holds_root(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains(ROOT),
        Value::Array(items) => items.iter().any(holds_root),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains(ROOT) || holds_root(v)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// How many `../` `root` is, if it is nothing else.
fn depth(root: &str) -> Option<usize> {
    let depth = root.len() / 3;
    (root.len().is_multiple_of(3) && root.as_bytes().chunks(3).all(|part| part == b"../")).then_some(depth)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_stand_in_is_found_in_any_string_of_a_value() {
        assert!(!holds_root(&serde_json::json!({"a": ["b", 1, null, {"c": "d"}]})));
        assert!(holds_root(&serde_json::json!({"a": ["b", {"c": "x\u{e000}"}]})));
        assert!(holds_root(&serde_json::json!({"\u{e000}": 1})));
    }

    #[test]
    fn a_root_is_a_depth_only_when_it_is_steps_up() {
        assert_eq!(depth(""), Some(0));
        assert_eq!(depth("../../"), Some(2));
        assert_eq!(depth("/"), None);
        assert_eq!(depth("/docs/"), None);
        assert_eq!(depth("..//"), None);
    }
}
