//! Call-outs: GitHub's alert syntax (`> [!TIP]`, `[!NOTE]`, `[!IMPORTANT]`, `[!WARNING]`,
//! `[!CAUTION]` on a quote's first line) rendered as a titled box rather than a quotation.
//!
//! ```html
//! <div class="callout callout-tip" role="note">
//! <p class="callout-title">Tip</p>
//! <p>…</p>
//! </div>
//! ```
//!
//! Why this markup: a tip is not a quotation, so not `<blockquote>`; nor an `<aside>`, which is
//! a complementary landmark — a page of tips would fill the landmark list, and axe wants
//! landmarks at the top level. The visible title is plain text read in order, so every screen
//! reader announces "Tip" before the tip (the colour and border say nothing to them);
//! `role="note"` adds "note" where the reader supports it. The kind is in the class, for the
//! theme's colours; an icon, if a theme adds one, is CSS decoration. A plain `> quote` stays a
//! `<blockquote>`.

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Tag, TagEnd};

/// The title each kind of call-out shows. English by default; the one place Rust writes a
/// call-out's words into HTML, so a site in another language can hand in its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalloutTitles {
    /// `[!NOTE]`.
    pub note: String,
    /// `[!TIP]`.
    pub tip: String,
    /// `[!IMPORTANT]`.
    pub important: String,
    /// `[!WARNING]`.
    pub warning: String,
    /// `[!CAUTION]`.
    pub caution: String,
}

impl Default for CalloutTitles {
    fn default() -> Self {
        CalloutTitles {
            note: "Note".into(),
            tip: "Tip".into(),
            important: "Important".into(),
            warning: "Warning".into(),
            caution: "Caution".into(),
        }
    }
}

impl CalloutTitles {
    /// The title of a call-out of `kind`.
    pub fn of(&self, kind: BlockQuoteKind) -> &str {
        match kind {
            BlockQuoteKind::Note => &self.note,
            BlockQuoteKind::Tip => &self.tip,
            BlockQuoteKind::Important => &self.important,
            BlockQuoteKind::Warning => &self.warning,
            BlockQuoteKind::Caution => &self.caution,
        }
    }
}

/// The class naming a call-out's kind (`callout-tip`).
fn class(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "callout-note",
        BlockQuoteKind::Tip => "callout-tip",
        BlockQuoteKind::Important => "callout-important",
        BlockQuoteKind::Warning => "callout-warning",
        BlockQuoteKind::Caution => "callout-caution",
    }
}

/// `events` with each alert quote opened and closed as a call-out.
pub(super) fn as_callouts<'e, 't>(
    events: impl Iterator<Item = Event<'e>> + 't,
    titles: &'t CalloutTitles,
) -> impl Iterator<Item = Event<'e>> + 't
where
    'e: 't,
{
    events.map(move |event| match event {
        Event::Start(Tag::BlockQuote(Some(kind))) => Event::Html(CowStr::from(format!(
            "<div class=\"callout {}\" role=\"note\">\n<p class=\"callout-title\">{}</p>\n",
            class(kind),
            super::highlight::escape(titles.of(kind))
        ))),
        Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html(CowStr::Borrowed("</div>\n")),
        other => other,
    })
}
