//! Markdown to HTML: pulldown-cmark with tables, footnotes, strikethrough, task lists,
//! heading ids and GitHub's call-outs; syntect highlighting; link rewriting; the glossary's
//! abbreviations marked up; sanitising of raw HTML (only pages that hold some, or anything
//! else the HTML writer passes unchecked).

pub mod abbreviations;
pub mod cache;
pub mod callouts;
mod footnotes;
pub mod highlight;
mod html_text;
pub mod pages;
pub mod sanitize;
mod tasks;

use crate::content::site_map::{LinkOutcome, SiteMap};
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::i18n::LanguageStrings;
use abbreviations::Abbreviations;
use callouts::CalloutTitles;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::Range;
use std::sync::Arc;

/// Where a markdown text sits, so its links resolve and its problems are located.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    /// Path for messages (`content/case-studies/x.md`).
    pub file: &'a str,
    /// The 1-based line of the file where the markdown starts.
    pub first_line: usize,
    /// The content folder relative links start from.
    pub dir: &'a str,
    /// The url of the page the HTML goes into.
    pub url: &'a str,
}

/// The result of rendering one markdown text.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML fragment.
    pub html: String,
    /// The plain text, for search and summaries.
    pub text: String,
    /// The plain text of the first paragraph.
    pub first_paragraph: Option<String>,
    /// The headings, in order, where they sit in `text`: a page's table of contents, and
    /// search splits the text into sections so a match under a heading can link to it.
    pub headings: Vec<Heading>,
    /// Broken links and other problems, located in the file.
    pub problems: Vec<Diagnostic>,
    /// Every link and image target the text resolved against the [`SiteMap`] (the hrefs
    /// rewritten or broken; external ones never depend on it): what the HTML depends on of
    /// the site map, so a cache can tell whether another site map changes the text.
    pub links: Vec<String>,
}

/// A heading of a rendered text: its level, its id in the HTML and where its words sit in the
/// plain text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The `id` attribute the HTML gives it (explicit `{#id}` or made from its text).
    pub id: String,
    /// Its text.
    pub title: String,
    /// Byte range of its text within [`Rendered::text`].
    pub range: Range<usize>,
}

/// How to render.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Keep raw HTML as written instead of sanitising it.
    pub trusted_html: bool,
    /// The words the HTML has of its own, in the page's language.
    pub labels: Arc<Labels>,
    /// The glossary's abbreviations, marked up at their first use on a page.
    pub abbreviations: Option<Arc<Abbreviations>>,
}

/// The words rendered markdown holds beyond the author's: the footnotes' heading and
/// back-links, the call-outs' titles. English by default; [`Labels::of`] takes them from the
/// theme's language file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    /// The heading of the notes at the end (`Notes`).
    pub notes: String,
    /// The accessible name of a note's way back, `{n}` its number (`Back to reference {n}`).
    pub back_to_reference: String,
    /// The titles call-outs show.
    pub callouts: CalloutTitles,
}

impl Default for Labels {
    fn default() -> Self {
        Labels {
            notes: "Notes".into(),
            back_to_reference: "Back to reference {n}".into(),
            callouts: CalloutTitles::default(),
        }
    }
}

impl Labels {
    /// The labels in the language of `strings` (`footnotes_title`, `footnotes_back`,
    /// `callout_note`...).
    pub fn of(strings: &LanguageStrings) -> Labels {
        Labels {
            notes: strings.text("footnotes_title").to_string(),
            back_to_reference: strings.text("footnotes_back").to_string(),
            callouts: CalloutTitles {
                note: strings.text("callout_note").to_string(),
                tip: strings.text("callout_tip").to_string(),
                important: strings.text("callout_important").to_string(),
                warning: strings.text("callout_warning").to_string(),
                caution: strings.text("callout_caution").to_string(),
            },
        }
    }
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_GFM
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// How deep markdown elements may nest (quotes in lists in quotes, emphasis in links…). Real
/// pages nest a handful of levels; HTML nested thousands deep makes the sanitiser quadratic
/// (100,000 `>` took 31 s). A page past this or [`MAX_ELEMENTS`] is refused, and gets no HTML.
pub const MAX_NESTING: usize = 64;

/// How many elements (paragraphs, list items, table cells, links…) one page may have. The
/// sanitiser holds the page as a tree of about 200 bytes per element: an 8 MB table (2.2
/// million elements) took 1.2 GB. A 50 MB page of prose has some 650,000.
pub const MAX_ELEMENTS: usize = 1_000_000;

/// Renders `markdown` for the page at `place`, resolving its links against `site`.
pub fn render(markdown: &str, place: Place<'_>, site: &SiteMap, options: &RenderOptions) -> Rendered {
    let exposure = sanitize::Exposure::default();
    let mut state = State {
        place,
        site,
        markdown,
        exposure: &exposure,
        out: Rendered::default(),
        paragraph: None,
        depth: 0,
        limits: Limits::default(),
        heading: None,
        heading_ids: HeadingIds::default(),
        in_image: 0,
        html_block: None,
    };
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    // One streaming pass: no event list is ever held whole (an 8 MB table is millions of
    // events); only footnote definitions wait for the end of the text.
    let parsed = Parser::new_ext(markdown, parser_options())
        .into_offset_iter()
        .inspect(|(event, _)| exposure.note_event(event));
    let events =
        abbreviations::marked(parsed, options.abbreviations.as_deref()).map(|(e, range)| state.visit(e, range));
    let events = footnotes::at_the_end(with_heading_ids(events), &options.labels);
    let events = callouts::as_callouts(tasks::with_labels(events), &options.labels.callouts);
    pulldown_cmark::html::push_html(&mut html, highlighted(events));
    let mut out = state.out;
    if state.limits.passed {
        // A refused page is never published: no HTML, and no sanitising (the costly step,
        // quadratic in depth, about 200 bytes per element).
        return out;
    }
    let html = alignment_as_classes(html);
    // Markdown without raw HTML or anything else the writer passes unchecked is safe as
    // written (the `sanitize` module docs say why): sanitising it would only write it again.
    out.html = if !exposure.found() {
        void_tags_as_html5(html)
    } else if options.trusted_html {
        html
    } else {
        sanitize::sanitize(&html)
    };
    out
}

/// A first paragraph's text as a page's lead: whitespace runs as one space, `None` if empty.
fn first_paragraph(text: &str) -> Option<String> {
    let squeezed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!squeezed.is_empty()).then_some(squeezed)
}

/// `text` cut to at most `max` bytes at a word boundary, with `…` when cut: the one truncator
/// (summaries from the first paragraph, search snippets without a match).
pub fn truncate_words(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let cut = text[..cut].rfind(' ').unwrap_or(cut);
    format!("{}…", &text[..cut])
}

/// Only the problems [`render`] would report (broken links and images), without producing
/// HTML: what `casebook check` needs, at a fraction of the cost.
pub fn check_links(markdown: &str, place: Place<'_>, site: &SiteMap) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut limits = Limits::default();
    for (event, range) in Parser::new_ext(markdown, parser_options()).into_offset_iter() {
        problems.extend(limits.follow(&event, place, markdown, range.start));
        let Event::Start(Tag::Link { dest_url: href, .. } | Tag::Image { dest_url: href, .. }) = &event else {
            continue;
        };
        if is_email_autolink(&event) {
            continue;
        }
        if let LinkOutcome::Broken(message) = site.resolve(place.dir, place.url, href) {
            problems.push(broken_link(place, markdown, range, href, message));
        }
    }
    problems
}

/// Whether `event` opens an email autolink (`<someone@example.org>`): its target is an
/// address, not a path (the HTML writer adds `mailto:`), so it is neither checked nor rewritten.
fn is_email_autolink(event: &Event<'_>) -> bool {
    matches!(
        event,
        Event::Start(Tag::Link {
            link_type: LinkType::Email,
            ..
        })
    )
}

/// A broken link to `href` over the bytes `range` of `markdown` (the whole `[text](target)`),
/// located in the file. A refused one (`javascript:`) is firm: `checks:` never lets it through.
fn broken_link(place: Place<'_>, markdown: &str, range: Range<usize>, href: &str, message: String) -> Diagnostic {
    let at = Location::of_range(markdown, range).down(place.first_line - 1);
    let d = Diagnostic::error(place.file, at, Code::BrokenLink, message)
        .with_help("link to an existing file with a path relative to this one, e.g. `../toolkits/x.md`");
    match crate::urls::link_kind(href) {
        crate::urls::LinkKind::Refused(_) => d.firm(),
        _ => d,
    }
}

/// The shape of the markdown read so far, to refuse a page nested too deep or with too many
/// elements.
#[derive(Default)]
struct Limits {
    depth: usize,
    elements: usize,
    /// Whether a limit was passed (reported once per page: the rest follow from it).
    passed: bool,
}

impl Limits {
    /// Follows `event`; the error for the first element past a limit.
    fn follow(&mut self, event: &Event<'_>, place: Place<'_>, markdown: &str, offset: usize) -> Option<Diagnostic> {
        match event {
            Event::Start(_) => {
                self.elements += 1;
                let problem = self.problem();
                self.depth += 1;
                let (code, message, help) = problem.filter(|_| !self.passed)?;
                self.passed = true;
                let at = Location::of_offset(markdown, offset);
                let at = Location::new(at.line + place.first_line - 1, at.column);
                Some(Diagnostic::error(place.file, at, code, message).with_help(help))
            }
            Event::End(_) => {
                self.depth = self.depth.saturating_sub(1);
                None
            }
            _ => None,
        }
    }

    /// What is wrong with an element starting now: (code, message, help).
    fn problem(&self) -> Option<(Code, String, &'static str)> {
        if self.depth >= MAX_NESTING {
            Some((
                Code::TooDeep,
                format!("the markdown here nests more than {MAX_NESTING} levels deep"),
                "flatten it: fewer `>` quote markers, list levels or nested emphasis here",
            ))
        } else if self.elements > MAX_ELEMENTS {
            Some((
                Code::TooLarge,
                format!("the page has more than {MAX_ELEMENTS} elements; this is the first past the limit"),
                "split the page: paragraphs, list items, table rows and cells each count",
            ))
        } else {
            None
        }
    }
}

struct State<'s> {
    place: Place<'s>,
    site: &'s SiteMap,
    markdown: &'s str,
    out: Rendered,
    /// Text of the first paragraph while it is being read.
    paragraph: Option<String>,
    /// Nesting depth of block containers (lists, quotes, footnotes), to find a top-level paragraph.
    depth: usize,
    /// The page's shape so far, to refuse markup nested too deep or too large.
    limits: Limits,
    /// The heading being read: its level, explicit id, text so far and where it starts.
    heading: Option<(u8, Option<String>, String, usize)>,
    /// The same ids [`with_heading_ids`] gives, worked out from the same events, so the
    /// recorded headings name the ids the HTML has.
    heading_ids: HeadingIds,
    /// How many images are open: a link inside an image's alt text stays plain.
    in_image: usize,
    /// The raw HTML block being read, whose text joins the page's at its end.
    html_block: Option<String>,
    /// Whether the page needs the sanitiser: its links' and images' destinations are noted.
    exposure: &'s sanitize::Exposure,
}

impl<'s> State<'s> {
    /// Rewrites links and images, and gathers plain text along the way.
    fn visit<'e>(&mut self, mut event: Event<'e>, range: Range<usize>) -> Event<'e> {
        let problem = self.limits.follow(&event, self.place, self.markdown, range.start);
        self.out.problems.extend(problem);
        if is_email_autolink(&event) {
            if let Event::Start(Tag::Link { dest_url, .. }) = &event {
                self.exposure.note_url(&format!("mailto:{dest_url}"));
            }
            return self.gather(event);
        }
        match &event {
            Event::Start(Tag::Image { .. }) => self.in_image += 1,
            Event::End(TagEnd::Image) => self.in_image = self.in_image.saturating_sub(1),
            _ => {}
        }
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &mut event {
            let href = std::mem::replace(dest_url, CowStr::Borrowed(""));
            let (href, rewritten) = self.rewrite(href, range);
            self.exposure.note_url(&href);
            *dest_url = href;
            if rewritten && self.in_image == 0 {
                event = self.link_with_path(event);
            }
        }
        self.gather(event)
    }

    /// A link to a page or file of the site, written with its root-relative path in
    /// `data-path` (the page URL without `index.html`): the print stylesheet prints it after
    /// the link, as an absolute URL.
    fn link_with_path<'e>(&self, event: Event<'e>) -> Event<'e> {
        let Event::Start(Tag::Link { dest_url, title, .. }) = &event else {
            return event;
        };
        let cut = dest_url.find(['#', '?']).unwrap_or(dest_url.len());
        let (path, suffix) = dest_url.split_at(cut);
        let Some(target) = crate::urls::resolve(self.place.url, path) else {
            return event;
        };
        let target = target.strip_suffix("index.html").unwrap_or(&target);
        let mut html = String::from("<a href=\"");
        // Writing to a String cannot fail.
        let _ = pulldown_cmark_escape::escape_href(&mut html, dest_url);
        html.push('"');
        if !title.is_empty() {
            html.push_str(&format!(" title=\"{}\"", highlight::escape(title)));
        }
        html.push_str(&format!(
            " data-path=\"{}{}\">",
            highlight::escape(target),
            highlight::escape(suffix)
        ));
        Event::InlineHtml(CowStr::from(html))
    }

    /// Gathers the page's plain text and its first top-level paragraph.
    fn gather<'e>(&mut self, event: Event<'e>) -> Event<'e> {
        match event {
            Event::Start(Tag::Paragraph) => {
                if self.depth == 0 && self.out.first_paragraph.is_none() {
                    self.paragraph = Some(String::new());
                }
                Event::Start(Tag::Paragraph)
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(p) = self.paragraph.take() {
                    self.out.first_paragraph = first_paragraph(&p);
                }
                self.out.text.push('\n');
                Event::End(TagEnd::Paragraph)
            }
            Event::Start(tag @ (Tag::List(_) | Tag::BlockQuote(_) | Tag::FootnoteDefinition(_) | Tag::Table(_))) => {
                self.depth += 1;
                Event::Start(tag)
            }
            Event::End(
                end @ (TagEnd::List(_) | TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition | TagEnd::Table),
            ) => {
                self.depth = self.depth.saturating_sub(1);
                Event::End(end)
            }
            Event::Start(Tag::Heading { level, ref id, .. }) => {
                let explicit = id.as_ref().map(ToString::to_string);
                self.heading = Some((level as u8, explicit, String::new(), self.out.text.len()));
                event
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if let Some((_, _, title, _)) = &mut self.heading {
                    title.push_str(t);
                }
                self.push_text(t);
                event
            }
            Event::End(TagEnd::Heading(_)) => {
                self.end_heading();
                self.push_text(" ");
                event
            }
            Event::Start(Tag::HtmlBlock) => {
                self.html_block = Some(String::new());
                event
            }
            Event::Html(ref html) => {
                if let Some(block) = &mut self.html_block {
                    block.push_str(html);
                }
                event
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(block) = self.html_block.take() {
                    let shown = html_text::shown(&block);
                    self.push_text(" ");
                    self.push_text(&shown.text);
                    self.out.text.push('\n');
                    if self.depth == 0 && self.out.first_paragraph.is_none() {
                        self.out.first_paragraph = shown.lead().and_then(first_paragraph);
                    }
                }
                event
            }
            // An item's start too: a nested list's first item follows its parent's text.
            Event::Start(Tag::Item)
            | Event::End(TagEnd::Item | TagEnd::TableCell | TagEnd::CodeBlock)
            | Event::SoftBreak
            | Event::HardBreak => {
                self.push_text(" ");
                event
            }
            other => other,
        }
    }

    /// Records the heading just read, with the id [`with_heading_ids`] gives it.
    fn end_heading(&mut self) {
        if let Some((level, explicit, title, start)) = self.heading.take() {
            let id = explicit.unwrap_or_else(|| self.heading_ids.unique(&title));
            let range = start..self.out.text.len();
            self.out.headings.push(Heading {
                level,
                id,
                title,
                range,
            });
        }
    }

    fn push_text(&mut self, text: &str) {
        self.out.text.push_str(text);
        if let Some(p) = &mut self.paragraph {
            p.push_str(text);
        }
    }

    /// The href as the page writes it, and whether it points into the site (rewritten).
    fn rewrite<'e>(&mut self, href: CowStr<'e>, range: Range<usize>) -> (CowStr<'e>, bool) {
        let outcome = self.site.resolve(self.place.dir, self.place.url, &href);
        if outcome != LinkOutcome::Unchanged {
            self.out.links.push(href.to_string());
        }
        match outcome {
            LinkOutcome::Unchanged => (href, false),
            LinkOutcome::Rewritten(new) => (CowStr::from(new), true),
            LinkOutcome::Broken(message) => {
                let d = broken_link(self.place, self.markdown, range, &href, message);
                self.out.problems.push(d);
                (href, false)
            }
        }
    }
}

/// Table alignment as classes (`align-left`...): pulldown-cmark writes inline styles, which a
/// Content-Security-Policy without `unsafe-inline` styles would ignore.
fn alignment_as_classes(html: String) -> String {
    if !html.contains("style=\"text-align: ") {
        return html;
    }
    html.replace(" style=\"text-align: left\"", " class=\"align-left\"")
        .replace(" style=\"text-align: center\"", " class=\"align-center\"")
        .replace(" style=\"text-align: right\"", " class=\"align-right\"")
}

/// Void elements written as the theme and the sanitiser write them (`<hr>`, `<img …>`), not as
/// pulldown-cmark does (`<hr />`), which HTML validators flag. Only for HTML without raw HTML
/// (`sanitize::Exposure`): there every `>` of the author's text is escaped (`&gt;`, `%3E` in a
/// URL), so ` />` can only end a tag the writer made.
fn void_tags_as_html5(html: String) -> String {
    if !html.contains(" />") {
        return html;
    }
    html.replace(" />", ">")
}

/// Gives every heading without an explicit `{#id}` an id made from its text, unique per page.
/// Only a heading's own events are held back, until its text is known.
fn with_heading_ids<'e>(events: impl Iterator<Item = Event<'e>>) -> impl Iterator<Item = Event<'e>> {
    let mut events = events;
    let mut ids = HeadingIds::default();
    let mut held: VecDeque<Event<'e>> = VecDeque::new();
    std::iter::from_fn(move || {
        if let Some(event) = held.pop_front() {
            return Some(event);
        }
        let mut first = events.next()?;
        if !matches!(first, Event::Start(Tag::Heading { id: None, .. })) {
            return Some(first);
        }
        let mut text = String::new();
        for event in events.by_ref() {
            let end = matches!(event, Event::End(TagEnd::Heading(_)));
            if let Event::Text(t) | Event::Code(t) = &event {
                text.push_str(t);
            }
            held.push_back(event);
            if end {
                break;
            }
        }
        if let Event::Start(Tag::Heading { id, .. }) = &mut first {
            *id = Some(CowStr::from(ids.unique(&text)));
        }
        Some(first)
    })
}

/// The heading ids of one page. Ids are `slug`, then `slug-1`, `slug-2`…: the first free one;
/// remembering where each slug's search stopped keeps 40,000 equal headings linear (71 s
/// before), and gives the same ids, since taken ids are never freed.
#[derive(Default)]
struct HeadingIds {
    taken: HashSet<String>,
    next_suffix: HashMap<String, usize>,
}

impl HeadingIds {
    fn unique(&mut self, text: &str) -> String {
        let base = crate::urls::slugify(text);
        let base = if base.is_empty() { "section".to_string() } else { base };
        let n = self.next_suffix.entry(base.clone()).or_insert(0);
        loop {
            let id = if *n == 0 { base.clone() } else { format!("{base}-{n}") };
            *n += 1;
            if self.taken.insert(id.clone()) {
                return id;
            }
        }
    }
}

/// Code blocks longer than this are shown as escaped plain text: highlighting turns each
/// token into an element, and a 9 MB block took 5.3 GB to highlight and sanitise.
pub const MAX_HIGHLIGHTED: usize = 256 * 1024;

/// Replaces fenced code blocks by highlighted HTML.
fn highlighted<'e>(events: impl Iterator<Item = Event<'e>>) -> impl Iterator<Item = Event<'e>> {
    let mut events = events;
    std::iter::from_fn(move || {
        let event = events.next()?;
        let Event::Start(Tag::CodeBlock(kind)) = event else {
            return Some(event);
        };
        let lang = match kind {
            CodeBlockKind::Fenced(lang) => lang.to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        let mut code = String::new();
        for event in events.by_ref() {
            match event {
                Event::Text(text) => code.push_str(&text),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        let html = if code.len() > MAX_HIGHLIGHTED {
            highlight::plain_block(&code, &lang)
        } else {
            highlight::code_block(&code, &lang)
        };
        Some(Event::Html(CowStr::from(html)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn table_alignment_becomes_a_class_the_csp_allows() {
        let out =
            alignment_as_classes(r#"<th style="text-align: right">n</th><td style="text-align: center">1</td>"#.into());
        assert_eq!(out, r#"<th class="align-right">n</th><td class="align-center">1</td>"#);
    }

    #[test]
    fn recorded_headings_carry_the_ids_the_html_gives_them() {
        let markdown = "Intro.\n\n## Getting `started`\n\nText.\n\n## Setup {#own}\n\n## Getting started\n";
        let out = render(markdown, place(), &SiteMap::default(), &RenderOptions::default());
        let ids: Vec<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["getting-started", "own", "getting-started-1"]);
        for heading in &out.headings {
            assert!(out.html.contains(&format!("id=\"{}\"", heading.id)), "{}", out.html);
            assert_eq!(&out.text[heading.range.clone()], heading.title);
        }
        assert_eq!(out.headings[0].title, "Getting started");
    }

    #[test]
    fn a_body_of_raw_html_has_the_paragraph_it_opens_with_as_its_first() {
        let first =
            |markdown: &str| render(markdown, place(), &SiteMap::default(), &RenderOptions::default()).first_paragraph;
        assert_eq!(
            first("<p>Updated   <b>drafts</b>.</p>\n<ul><li>x</li></ul>\n").as_deref(),
            Some("Updated drafts.")
        );
        assert_eq!(
            first("<div><p>A note.</p></div>\n\nThe lead.\n").as_deref(),
            Some("The lead.")
        );
        assert_eq!(first("The lead.\n\n<p>Later.</p>\n").as_deref(), Some("The lead."));
    }

    #[test]
    fn plain_text_keeps_words_of_nested_items_and_raw_html_blocks_apart() {
        let markdown =
            "- High-impact repairs\n  - Appear on every page\n\n<p>Raw <b>HTML</b></p><p>block &amp; more</p>\n";
        let out = render(markdown, place(), &SiteMap::default(), &RenderOptions::default());
        let words: Vec<&str> = out.text.split_whitespace().collect();
        assert_eq!(
            words,
            [
                "High-impact",
                "repairs",
                "Appear",
                "on",
                "every",
                "page",
                "Raw",
                "HTML",
                "block",
                "&",
                "more"
            ]
        );
    }

    #[test]
    fn images_rules_and_breaks_are_written_as_html5_void_elements_and_text_is_untouched() {
        let markdown = "![a /> b](x.png \"t />\")\n\n---\n\nline  \nnext /> `c />`\n";
        let out = render(markdown, place(), &SiteMap::default(), &RenderOptions::default());
        assert_eq!(
            out.html,
            "<p><img src=\"x.png\" alt=\"a /&gt; b\" title=\"t /&gt;\"></p>\n<hr>\n<p>line<br>\nnext /&gt; <code>c /&gt;</code></p>\n"
        );
    }

    /// The page the tests' markdown is rendered for.
    fn place() -> Place<'static> {
        Place {
            file: "content/x.md",
            first_line: 1,
            dir: "",
            url: "x/",
        }
    }

    fn with_glossary(markdown: &str) -> Rendered {
        let text = "title: T\nglossary:\n  PCN: { expansion: primary care network, definition: d }\n  ICS: { expansion: \"integrated care \\\"system\\\"\", definition: d }\n";
        let config = Config::parse(text, "casebook.yaml").unwrap();
        let abbreviations = Abbreviations::new(&config.glossary);
        render(
            markdown,
            place(),
            &SiteMap::default(),
            &RenderOptions {
                abbreviations: Some(Arc::new(abbreviations)),
                ..RenderOptions::default()
            },
        )
    }

    #[test]
    fn the_first_use_of_an_abbreviation_in_body_text_is_marked_and_the_text_is_unchanged() {
        let markdown = "# The PCN\n\n[PCN](https://example.org) and `PCN`.\n\nOur PCN meets the ICS; the PCN again.\n";
        let out = with_glossary(markdown);
        assert_eq!(
            out.html,
            "<h1 id=\"the-pcn\">The PCN</h1>\n<p><a href=\"https://example.org\">PCN</a> and <code>PCN</code>.</p>\n<p>Our <abbr title=\"primary care network\">PCN</abbr> meets the <abbr title=\"integrated care &quot;system&quot;\">ICS</abbr>; the PCN again.</p>\n"
        );
        assert_eq!(
            out.text,
            with_glossary(&markdown.replace("PCN", "XYZ"))
                .text
                .replace("XYZ", "PCN")
        );
        assert_eq!(out.headings[0].title, "The PCN");
    }

    #[test]
    fn image_alt_text_and_raw_links_are_left_as_written() {
        let out = with_glossary("![PCN map](map.png) <a href=\"x\">PCN</a> then PCN.\n");
        assert_eq!(
            out.html,
            "<p><img src=\"map.png\" alt=\"PCN map\"> <a href=\"x\">PCN</a> then <abbr title=\"primary care network\">PCN</abbr>.</p>\n"
        );
    }

    #[test]
    fn call_outs_are_titled_notes_and_plain_quotes_stay_quotes() {
        let out = with_glossary("> [!TIP]\n> Ask the PCN.\n\n> [!CAUTION]\n> Careful.\n\n> Said.\n");
        assert_eq!(
            out.html,
            "<div class=\"callout callout-tip\" role=\"note\">\n<p class=\"callout-title\">Tip</p>\n<p>Ask the <abbr title=\"primary care network\">PCN</abbr>.</p>\n</div>\n<div class=\"callout callout-caution\" role=\"note\">\n<p class=\"callout-title\">Caution</p>\n<p>Careful.</p>\n</div>\n<blockquote>\n<p>Said.</p>\n</blockquote>\n"
        );
        assert!(out.text.contains("Ask the PCN."), "{}", out.text);
        assert_eq!(
            out.first_paragraph, None,
            "a call-out is not the page's first paragraph"
        );
    }

    #[test]
    fn heading_ids_take_the_first_free_suffix() {
        let mut ids = HeadingIds::default();
        let got: Vec<String> = ["A", "a-1", "A", "A", "", "!"].iter().map(|t| ids.unique(t)).collect();
        assert_eq!(got, ["a", "a-1", "a-2", "a-3", "section", "section-1"]);
    }
}
