//! Rendered markdown kept between builds, so `serve` re-renders only the texts that changed.
//!
//! An entry is reused only when everything its HTML depends on is the same: the markdown, where
//! it sits (file, first line, folder, url) and the [`SiteMap`] its links were resolved against.
//! When the site map changes (a file added, removed or moved) every text is rendered again, so
//! a link to a file that just appeared or disappeared is judged afresh.
//!
//! What it keeps costs little memory of its own: the rendered texts are shared (`Arc`) with the
//! pages of the site that uses them, and the markdown is remembered by its XXH3-128 hash, not
//! copied (a false match needs a 128-bit collision between two versions of one file).

use super::abbreviations::Abbreviations;
use super::{render, Labels, Place, RenderOptions, Rendered};
use crate::content::site_map::SiteMap;
use std::collections::HashMap;
use std::sync::Arc;

/// Rendered markdown by file, with the inputs it was rendered from.
#[derive(Debug, Default, Clone)]
pub struct MarkdownCache {
    site_map: SiteMap,
    entries: HashMap<String, Entry>,
    rendered: usize,
    /// Keep nothing: a one-shot `build` never asks again, and a copy of every rendered page
    /// would cost as much memory as the pages themselves (about 170 MB at 10,000 resources).
    one_shot: bool,
}

#[derive(Debug, Clone)]
struct Entry {
    key: Key,
    rendered: Arc<Rendered>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    /// The XXH3-128 hash of the markdown.
    markdown: u128,
    first_line: usize,
    dir: String,
    url: String,
    trusted_html: bool,
    /// The words the HTML has of its own (footnotes, call-out titles), in its language.
    labels: Arc<Labels>,
    /// The glossary's abbreviations ([`Abbreviations::fingerprint`]): an edit to them
    /// re-renders every text.
    abbreviations: u128,
}

impl Key {
    fn of(markdown: &str, place: &Place<'_>, options: &RenderOptions) -> Key {
        Key {
            markdown: xxhash_rust::xxh3::xxh3_128(markdown.as_bytes()),
            first_line: place.first_line,
            dir: place.dir.to_string(),
            url: place.url.to_string(),
            trusted_html: options.trusted_html,
            labels: Arc::clone(&options.labels),
            abbreviations: options.abbreviations.as_deref().map_or(0, Abbreviations::fingerprint),
        }
    }
}

/// One text to render: its markdown and where it sits.
pub struct Text<'a> {
    /// The markdown.
    pub markdown: &'a str,
    /// Where it sits.
    pub place: Place<'a>,
}

impl MarkdownCache {
    /// A cache that keeps nothing, for a build that renders every text once.
    pub fn one_shot() -> MarkdownCache {
        MarkdownCache {
            one_shot: true,
            ..MarkdownCache::default()
        }
    }

    /// Renders `texts` against `site_map` (in parallel), reusing what is still valid, and keeps
    /// the results for next time.
    pub fn render_all(
        &mut self,
        texts: &[Text<'_>],
        site_map: &SiteMap,
        options: &RenderOptions,
    ) -> Vec<Arc<Rendered>> {
        use rayon::prelude::*;
        let reusable = self.site_map == *site_map;
        let results: Vec<(Arc<Rendered>, bool)> = texts
            .par_iter()
            .map(|t| match self.reuse(reusable, t, options) {
                Some(r) => (Arc::clone(r), false),
                None => (Arc::new(render(t.markdown, t.place, site_map, options)), true),
            })
            .collect();
        self.rendered = results.iter().filter(|(_, fresh)| *fresh).count();
        if self.one_shot {
            return results.into_iter().map(|(r, _)| r).collect();
        }
        self.entries = texts
            .iter()
            .zip(&results)
            .map(|(t, (r, _))| {
                let entry = Entry {
                    key: Key::of(t.markdown, &t.place, options),
                    rendered: Arc::clone(r),
                };
                (t.place.file.to_string(), entry)
            })
            .collect();
        self.site_map = site_map.clone();
        results.into_iter().map(|(r, _)| r).collect()
    }

    /// Renders the one text `text` against `site_map` (reusing it if still valid) and keeps
    /// it: `serve`'s rebuild after a body edit, which leaves every other text as it was. The
    /// other entries stay valid only if `site_map` is the one they were rendered against, so
    /// against another the text is rendered and not kept.
    pub fn render_one(&mut self, text: &Text<'_>, site_map: &SiteMap, options: &RenderOptions) -> Arc<Rendered> {
        let same_map = self.site_map == *site_map;
        if let Some(rendered) = self.reuse(same_map, text, options).cloned() {
            self.rendered = 0;
            return rendered;
        }
        let rendered = Arc::new(render(text.markdown, text.place, site_map, options));
        self.rendered = 1;
        if same_map && !self.one_shot {
            let entry = Entry {
                key: Key::of(text.markdown, &text.place, options),
                rendered: Arc::clone(&rendered),
            };
            self.entries.insert(text.place.file.to_string(), entry);
        }
        rendered
    }

    fn reuse(&self, reusable: bool, text: &Text<'_>, options: &RenderOptions) -> Option<&Arc<Rendered>> {
        if !reusable {
            return None;
        }
        let entry = self.entries.get(text.place.file)?;
        (entry.key == Key::of(text.markdown, &text.place, options)).then_some(&entry.rendered)
    }

    /// How many texts the last [`MarkdownCache::render_all`] had to render (not reuse).
    pub fn last_rendered(&self) -> usize {
        self.rendered
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts() -> Vec<Text<'static>> {
        let place = Place {
            file: "content/a.md",
            first_line: 1,
            dir: "",
            url: "a/",
        };
        vec![Text {
            markdown: "Hello *there*.",
            place,
        }]
    }

    #[test]
    fn a_cache_reuses_what_it_rendered_and_a_one_shot_cache_keeps_nothing() {
        let (texts, options) = (texts(), RenderOptions::default());
        let mut kept = MarkdownCache::default();
        kept.render_all(&texts, &SiteMap::default(), &options);
        kept.render_all(&texts, &SiteMap::default(), &options);
        assert_eq!((kept.entries.len(), kept.last_rendered()), (1, 0));
        let mut one_shot = MarkdownCache::one_shot();
        let rendered = one_shot.render_all(&texts, &SiteMap::default(), &options);
        assert!(rendered[0].html.contains("<em>there</em>"));
        assert!(one_shot.entries.is_empty());
    }
}
