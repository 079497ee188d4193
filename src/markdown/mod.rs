//! Markdown to HTML: pulldown-cmark with tables, footnotes, strikethrough, task lists and
//! heading ids; syntect highlighting; link rewriting; sanitising of raw HTML.

pub mod cache;
pub mod highlight;
pub mod links;
pub mod sanitize;

use crate::diagnostics::{Diagnostic, Location};
use links::{LinkOutcome, SiteMap};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;

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
    /// Broken links and other problems, located in the file.
    pub problems: Vec<Diagnostic>,
}

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Keep raw HTML as written instead of sanitising it.
    pub trusted_html: bool,
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `markdown` for the page at `place`, resolving its links against `site`.
pub fn render(markdown: &str, place: Place<'_>, site: &SiteMap, options: RenderOptions) -> Rendered {
    let mut state = State {
        place,
        site,
        markdown,
        out: Rendered::default(),
        ids: HashSet::new(),
        paragraph: None,
        depth: 0,
    };
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, parser_options())
        .into_offset_iter()
        .map(|(e, range)| state.visit(e, range.start))
        .collect();
    let events = with_heading_ids(events, &mut state.ids);
    let events = highlight_code(events);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    let html = alignment_as_classes(&html);
    let mut out = state.out;
    let html = if options.trusted_html {
        html
    } else {
        sanitize::sanitize(&html)
    };
    out.html = sanitize::alignment_classes(&html);
    out
}

/// Only the problems [`render`] would report (broken links and images), without producing
/// HTML: what `casebook check` needs, at a fraction of the cost.
pub fn check_links(markdown: &str, place: Place<'_>, site: &SiteMap) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (event, range) in Parser::new_ext(markdown, parser_options()).into_offset_iter() {
        let Event::Start(Tag::Link { dest_url: href, .. } | Tag::Image { dest_url: href, .. }) = &event else {
            continue;
        };
        if let LinkOutcome::Broken(message) = site.resolve(place.dir, place.url, href) {
            problems.push(broken_link(place, markdown, range.start, message));
        }
    }
    problems
}

/// A broken link at byte `offset` of `markdown`, located in the file.
fn broken_link(place: Place<'_>, markdown: &str, offset: usize, message: String) -> Diagnostic {
    let at = Location::of_offset(markdown, offset);
    let at = Location::new(at.line + place.first_line - 1, at.column);
    Diagnostic::error(place.file, at, "broken-link", message)
        .with_help("link to an existing file with a path relative to this one, e.g. `../toolkits/x.md`")
}

struct State<'s> {
    place: Place<'s>,
    site: &'s SiteMap,
    markdown: &'s str,
    out: Rendered,
    ids: HashSet<String>,
    /// Text of the first paragraph while it is being read.
    paragraph: Option<String>,
    /// Nesting depth of block containers (lists, quotes, footnotes), to find a top-level paragraph.
    depth: usize,
}

impl<'s> State<'s> {
    /// Rewrites links and images, and gathers plain text along the way.
    fn visit<'e>(&mut self, event: Event<'e>, offset: usize) -> Event<'e> {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.rewrite(dest_url, offset);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.rewrite(dest_url, offset);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Paragraph) => {
                if self.depth == 0 && self.out.first_paragraph.is_none() {
                    self.paragraph = Some(String::new());
                }
                Event::Start(Tag::Paragraph)
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(p) = self.paragraph.take() {
                    let p = p.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !p.is_empty() {
                        self.out.first_paragraph = Some(p);
                    }
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
            Event::Text(ref t) | Event::Code(ref t) => {
                self.push_text(t);
                event
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell | TagEnd::CodeBlock)
            | Event::SoftBreak
            | Event::HardBreak => {
                self.push_text(" ");
                event
            }
            other => other,
        }
    }

    fn push_text(&mut self, text: &str) {
        self.out.text.push_str(text);
        if let Some(p) = &mut self.paragraph {
            p.push_str(text);
        }
    }

    fn rewrite<'e>(&mut self, href: CowStr<'e>, offset: usize) -> CowStr<'e> {
        match self.site.resolve(self.place.dir, self.place.url, &href) {
            LinkOutcome::Unchanged => href,
            LinkOutcome::Rewritten(new) => CowStr::from(new),
            LinkOutcome::Broken(message) => {
                let d = broken_link(self.place, self.markdown, offset, message);
                self.out.problems.push(d);
                href
            }
        }
    }
}

/// Table alignment as classes (`align-left`...): pulldown-cmark writes inline styles, which a
/// Content-Security-Policy without `unsafe-inline` styles would ignore.
fn alignment_as_classes(html: &str) -> String {
    if !html.contains("style=\"text-align: ") {
        return html.to_string();
    }
    html.replace(" style=\"text-align: left\"", " class=\"align-left\"")
        .replace(" style=\"text-align: center\"", " class=\"align-center\"")
        .replace(" style=\"text-align: right\"", " class=\"align-right\"")
}

/// Gives every heading without an explicit `{#id}` an id made from its text, unique per page.
fn with_heading_ids<'e>(events: Vec<Event<'e>>, ids: &mut HashSet<String>) -> Vec<Event<'e>> {
    let mut out = Vec::with_capacity(events.len());
    let mut pending: Option<(usize, HeadingLevel)> = None;
    let mut heading_text = String::new();
    for event in events {
        match &event {
            Event::Start(Tag::Heading { id: None, level, .. }) => {
                pending = Some((out.len(), *level));
                heading_text.clear();
            }
            Event::Text(t) | Event::Code(t) if pending.is_some() => heading_text.push_str(t),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((index, _)) = pending.take() {
                    let id = unique_id(&heading_text, ids);
                    if let Event::Start(Tag::Heading { id: slot, .. }) = &mut out[index] {
                        *slot = Some(CowStr::from(id));
                    }
                }
            }
            _ => {}
        }
        out.push(event);
    }
    out
}

fn unique_id(text: &str, ids: &mut HashSet<String>) -> String {
    let base = crate::urls::slugify(text);
    let base = if base.is_empty() { "section".to_string() } else { base };
    let mut id = base.clone();
    let mut n = 1;
    while !ids.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Replaces fenced code blocks by highlighted HTML.
fn highlight_code(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut code: Option<(String, String)> = None;
    for event in events {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(lang) => lang.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Text(text) if code.is_some() => {
                if let Some((_, buffer)) = &mut code {
                    buffer.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, buffer)) = code.take() {
                    out.push(Event::Html(CowStr::from(highlight::code_block(&buffer, &lang))));
                }
            }
            other => out.push(other),
        }
    }
    out
}
