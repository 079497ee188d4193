//! Rendered markdown kept between builds, so `serve` re-renders only the texts that changed.
//!
//! An entry is reused only when everything its HTML depends on is the same: the markdown, where
//! it sits (file, first line, folder, url) and what its links resolve to. A text depends on the
//! [`SiteMap`] only through the links it resolved ([`Rendered::links`]), so when the site map
//! changes (a file added, removed or moved) a text is rendered again only if one of its links
//! resolves otherwise against the new map than against the one it was rendered against — a
//! link to a file that just appeared or disappeared is judged afresh, and the thousands of
//! texts that do not name it are kept.
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
        let same_map = self.site_map == *site_map;
        let results: Vec<(Arc<Rendered>, bool)> = texts
            .par_iter()
            .map(|t| match self.reuse((same_map, site_map), t, options) {
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
        if let Some(rendered) = self.reuse((same_map, site_map), text, options).cloned() {
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

    /// The entry of `text` if it is what rendering `text` against `site_map` gives (`same`:
    /// whether that is the map the entries were rendered against).
    fn reuse(
        &self,
        (same, site_map): (bool, &SiteMap),
        text: &Text<'_>,
        options: &RenderOptions,
    ) -> Option<&Arc<Rendered>> {
        let entry = self.entries.get(text.place.file)?;
        if entry.key != Key::of(text.markdown, &text.place, options) {
            return None;
        }
        let (dir, url) = (text.place.dir, text.place.url);
        let resolves_alike = |href: &String| self.site_map.resolves_alike(site_map, dir, url, href);
        (same || entry.rendered.links.iter().all(resolves_alike)).then_some(&entry.rendered)
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

    #[test]
    fn a_new_site_map_renders_again_only_the_texts_whose_links_it_changes() {
        let place = |file, url| Place {
            file,
            first_line: 1,
            dir: "",
            url,
        };
        let texts = [
            Text {
                markdown: "See [b](b.md).",
                place: place("a.md", "a/"),
            },
            Text {
                markdown: "See [a](a.md).",
                place: place("c.md", "c/"),
            },
        ];
        let options = RenderOptions::default();
        let mut map = SiteMap::default();
        map.add("a.md", "a/index.html");
        map.add("c.md", "c/index.html");
        let mut cache = MarkdownCache::default();
        let first = cache.render_all(&texts, &map, &options);
        assert_eq!(first[0].problems.len(), 1, "b.md is not there yet");
        map.add("d.md", "d/index.html");
        cache.render_all(&texts, &map, &options);
        assert_eq!(cache.last_rendered(), 0, "no text names d.md");
        map.add("b.md", "b/index.html");
        let again = cache.render_all(&texts, &map, &options);
        assert_eq!(cache.last_rendered(), 1, "a.md's link to b.md resolves now");
        assert!(again[0].problems.is_empty() && again[0].html.contains("../b/index.html"));
    }
}
