//! The content with its markdown rendered: one [`Page`] per resource (its body and its
//! summary) and one [`Intro`] per section introduction — what the site's pages and its search
//! index are made from. Every text goes through the [`MarkdownCache`], so `serve` renders
//! again only the texts that changed.

use super::cache::{MarkdownCache, Text};
use super::{truncate_words, Place, RenderOptions, Rendered};
use crate::content::site_map::SiteMap;
use crate::content::{Resource, SectionIntro};
use crate::diagnostics::Diagnostics;
use std::sync::Arc;

/// How long a summary taken from the first paragraph may be, in bytes.
const SUMMARY_BYTES: usize = 300;

/// A resource with its markdown rendered. Cheap to clone: the rendered body is shared, and the
/// markdown is not kept once rendered (so `serve` can keep one site and change a page of it
/// while its search index is built from the other).
#[derive(Debug, Clone)]
pub struct Page {
    /// The resource as read, but for its markdown `body` (empty: the page holds the HTML and
    /// text made from it).
    pub resource: Resource,
    /// Its rendered body (shared with `serve`'s markdown cache).
    pub body: Arc<Rendered>,
    /// The frontmatter summary, else the first paragraph (cut at a word boundary).
    pub summary: String,
}

/// A section introduction (`_index.md`) with its markdown rendered.
#[derive(Debug, Clone)]
pub struct Intro {
    /// The introduction as read.
    pub section: SectionIntro,
    /// Its rendered body (shared with `serve`'s markdown cache).
    pub body: Arc<Rendered>,
}

impl AsRef<Resource> for Page {
    fn as_ref(&self) -> &Resource {
        &self.resource
    }
}

impl Page {
    /// The page of `resource` with its rendered `body`; its summary from the frontmatter,
    /// else from the body's first paragraph. The markdown is dropped.
    pub fn new(mut resource: Resource, body: Arc<Rendered>) -> Page {
        resource.body = String::new();
        let summary = match &resource.summary {
            Some(summary) => summary.clone(),
            None => body
                .first_paragraph
                .as_deref()
                .map(|p| truncate_words(p, SUMMARY_BYTES))
                .unwrap_or_default(),
        };
        Page {
            resource,
            body,
            summary,
        }
    }
}

/// Every markdown text of the content with where it sits: the resources', then the section
/// introductions' (the order [`render`] relies on). `check` checks the links of these very
/// texts, so it judges the links a build renders.
pub fn texts<'a>(resources: &'a [Resource], sections: &'a [SectionIntro]) -> Vec<Text<'a>> {
    let of_resources = resources.iter().map(|r| Text {
        markdown: &r.body,
        place: Place {
            file: &r.file,
            first_line: r.body_line,
            dir: &r.content_dir,
            url: &r.url,
        },
    });
    let of_sections = sections.iter().map(|s| Text {
        markdown: &s.body,
        place: Place {
            file: &s.file,
            first_line: s.body_line,
            dir: &s.dir,
            url: &s.url,
        },
    });
    of_resources.chain(of_sections).collect()
}

/// Renders the markdown of every resource and section introduction against `site_map` (in
/// parallel, reusing what `cache` still holds); the problems found in it join `problems`.
pub fn render(
    resources: Vec<Resource>,
    sections: Vec<SectionIntro>,
    site_map: &SiteMap,
    options: &RenderOptions,
    cache: &mut MarkdownCache,
    problems: &mut Diagnostics,
) -> (Vec<Page>, Vec<Intro>) {
    let bodies = cache.render_all(&texts(&resources, &sections), site_map, options);
    for body in &bodies {
        problems.extend(body.problems.iter().cloned());
    }
    let mut bodies = bodies.into_iter();
    let pages = resources
        .into_iter()
        .zip(bodies.by_ref())
        .map(|(resource, body)| Page::new(resource, body))
        .collect();
    let intros = sections
        .into_iter()
        .zip(bodies)
        .map(|(section, body)| Intro { section, body })
        .collect();
    (pages, intros)
}
