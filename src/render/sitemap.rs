//! The sitemap: every page of the site, in one `sitemap.xml` while the sitemap protocol allows
//! it, else split. The protocol caps a sitemap file at 50,000 URLs (and 50 MB: at ~100 bytes
//! per URL here, 50,000 URLs make ~5 MB), so a larger site's `sitemap.xml` is a sitemap index
//! (`<sitemapindex>`) naming `sitemap-1.xml`, `sitemap-2.xml`, ... of at most 50,000 URLs
//! each. `robots.txt` and the footer keep pointing at `sitemap.xml` either way. The plan
//! (`plan.rs`) lists the same files from the same [`entries`] and [`files`].

use super::context::{SitemapContext, SitemapIndexContext};
use super::views::SitemapEntry;
use super::{paginate, views, Job, Pages};
use crate::config::Config;
use crate::content::Resource;
use crate::library::Library;

/// The most URLs one sitemap file may hold (the sitemap protocol's limit).
pub const URLS_PER_FILE: usize = 50_000;

/// One file of the sitemap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SitemapFile {
    /// `sitemap.xml` with every URL: the site fits in one file.
    Whole,
    /// `sitemap.xml` as the index of `parts` files.
    Index {
        /// How many part files it names.
        parts: usize,
    },
    /// `sitemap-<n>.xml`: the URLs from `start` to `end` (exclusive).
    Part {
        /// Its number, from 1.
        n: usize,
        /// The first URL's position in [`entries`].
        start: usize,
        /// One past the last URL's position.
        end: usize,
    },
}

impl SitemapFile {
    /// The file's output path.
    pub fn path(&self) -> String {
        match self {
            SitemapFile::Whole | SitemapFile::Index { .. } => "sitemap.xml".to_string(),
            SitemapFile::Part { n, .. } => part_path(*n),
        }
    }
}

/// The output path of part `n` (from 1) of a split sitemap.
pub fn part_path(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// The files of a sitemap of `urls` URLs with at most `limit` in each: `sitemap.xml` alone,
/// or the index followed by its parts.
pub fn files(urls: usize, limit: usize) -> Vec<SitemapFile> {
    if urls <= limit {
        return vec![SitemapFile::Whole];
    }
    let parts = urls.div_ceil(limit);
    let part = |n: usize| SitemapFile::Part {
        n,
        start: (n - 1) * limit,
        end: (n * limit).min(urls),
    };
    std::iter::once(SitemapFile::Index { parts })
        .chain((1..=parts).map(part))
        .collect()
}

/// Every page of the site, in sitemap order: home, sections (pages 2 and on included), the
/// coverage page, the glossary, resources (with their last change), taxonomies and their
/// terms' pages.
pub fn entries<'r>(
    library: &Library,
    resources: impl Iterator<Item = &'r Resource>,
    config: &Config,
) -> Vec<SitemapEntry> {
    let (per_page, prefix) = (config.paginate_by, config.lang_prefix.as_str());
    let entry = |url: String, lastmod: Option<String>| SitemapEntry {
        url,
        lastmod,
        alternates: Vec::new(),
    };
    // A listing's url followed by its pages 2 and on.
    let listing = |url: &str, items: usize| -> Vec<SitemapEntry> {
        (1..=paginate::page_count(items, per_page))
            .map(|n| entry(paginate::page_url(url, n), None))
            .collect()
    };
    let mut entries = vec![entry(prefix.to_string(), None)];
    for s in library.sections.values().filter(|s| !s.dir.is_empty()) {
        entries.extend(listing(&s.url, s.resources.len()));
    }
    if let Some(coverage) = &library.coverage {
        entries.push(entry(views::coverage_url(prefix, &coverage.taxonomy), None));
    }
    if !config.glossary.is_empty() && prefix.is_empty() {
        entries.push(entry(super::glossary::URL.to_string(), None));
    }
    for r in resources {
        let lastmod = r.updated.or(r.date).map(|d| d.view().iso);
        entries.push(entry(r.url.clone(), lastmod));
    }
    for t in &library.taxonomies {
        entries.push(entry(views::taxonomy_url(prefix, &t.key), None));
        for term in &t.terms {
            entries.extend(listing(
                &views::term_url(prefix, &t.key, &term.slug),
                term.resources.len(),
            ));
        }
    }
    entries
}

impl Pages<'_> {
    /// The job of one sitemap file: a `urlset` of the whole site or of a part (template
    /// `sitemap.xml`), or the index of the parts (`sitemap_index.xml`).
    pub(super) fn sitemap(&self, file: SitemapFile) -> Job {
        let urlset = |entries| {
            let context = SitemapContext {
                base: self.base("", "", ""),
                entries,
            };
            self.job_at(file.path(), "sitemap.xml", &context)
        };
        match file {
            SitemapFile::Whole => urlset(self.sitemap),
            SitemapFile::Part { start, end, .. } => urlset(&self.sitemap[start..end]),
            SitemapFile::Index { parts } => {
                let context = SitemapIndexContext {
                    base: self.base("", "", ""),
                    sitemaps: (1..=parts).map(part_path).collect(),
                };
                self.job_at(file.path(), "sitemap_index.xml", &context)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::site_map::SiteMap;
    use crate::render::context::Shared;
    use crate::render::theme::Theme;
    use crate::render::{render, Contexts, Input, SiteView};

    /// The text of `file` for a site of `entries`, at `https://example.org/lib/`, rendered
    /// with the default theme as a build renders it.
    fn rendered(entries: &[SitemapEntry], file: SitemapFile) -> String {
        let config = Config::parse("title: T\nbase_url: https://example.org/lib/\n", "casebook.yaml").unwrap();
        let library = Library::default();
        let site_map = SiteMap::default();
        let input = Input {
            config: &config,
            library: &library,
            pages: &[],
            intros: &[],
            site_map: &site_map,
            download_bytes: &std::collections::HashMap::new(),
            languages: &crate::render::Languages::default(),
        };
        let view = SiteView::new(&config, &library);
        let site = tempfile::tempdir().unwrap();
        let theme = Theme::load(site.path(), &config).unwrap();
        let strings = theme.translations().for_language(&config.language);
        let shared = Shared {
            site: &view,
            lang: &config.language,
            t: strings,
        }
        .values()
        .unwrap();
        let pages = Pages {
            input: &input,
            view: &view,
            cards: &[],
            card_html: None,
            term_listings: &[],
            sitemap: entries,
            memo: None,
            shared_print: 0,
            contexts: Contexts::new(shared),
            contribute: None,
            strings,
        };
        let (path, text) = render(&theme, pages.sitemap(file), &pages.contexts)
            .expect("no memo: every page is rendered")
            .unwrap();
        assert_eq!(path, file.path());
        text
    }

    fn entry(url: &str) -> SitemapEntry {
        SitemapEntry {
            url: url.to_string(),
            lastmod: None,
            alternates: Vec::new(),
        }
    }

    #[test]
    fn the_index_names_each_part_at_the_base_url() {
        let text = rendered(&[], SitemapFile::Index { parts: 2 });
        assert_eq!(
            text,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
             \x20 <sitemap><loc>https://example.org/lib/sitemap-1.xml</loc></sitemap>\n\
             \x20 <sitemap><loc>https://example.org/lib/sitemap-2.xml</loc></sitemap>\n\
             </sitemapindex>\n"
        );
    }

    #[test]
    fn a_part_lists_only_its_share_of_the_pages() {
        let entries: Vec<SitemapEntry> = ["", "a/", "b/", "c/"].into_iter().map(entry).collect();
        let text = rendered(&entries, SitemapFile::Part { n: 2, start: 2, end: 4 });
        let locs: Vec<&str> = text
            .split("<loc>")
            .skip(1)
            .map(|s| s.split("</loc>").next().unwrap())
            .collect();
        assert_eq!(locs, ["https://example.org/lib/b/", "https://example.org/lib/c/"]);
        assert!(text.contains("<urlset"), "{text}");
    }

    #[test]
    fn a_site_within_the_limit_keeps_one_sitemap() {
        assert_eq!(files(0, 3), [SitemapFile::Whole]);
        assert_eq!(files(3, 3), [SitemapFile::Whole]);
        assert_eq!(files(URLS_PER_FILE, URLS_PER_FILE), [SitemapFile::Whole]);
    }

    #[test]
    fn a_site_past_the_limit_gets_an_index_and_parts_of_at_most_the_limit() {
        let got = files(7, 3);
        assert_eq!(
            got,
            [
                SitemapFile::Index { parts: 3 },
                SitemapFile::Part { n: 1, start: 0, end: 3 },
                SitemapFile::Part { n: 2, start: 3, end: 6 },
                SitemapFile::Part { n: 3, start: 6, end: 7 },
            ]
        );
        let paths: Vec<String> = got.iter().map(SitemapFile::path).collect();
        assert_eq!(
            paths,
            ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
        );
    }

    #[test]
    fn parts_cover_every_url_once_at_any_size() {
        for urls in 0..40 {
            for limit in 1..8 {
                let mut next = 0;
                for file in files(urls, limit) {
                    if let SitemapFile::Part { start, end, .. } = file {
                        assert_eq!(start, next, "{urls} urls, {limit} per file");
                        assert!(end > start && end - start <= limit);
                        next = end;
                    }
                }
                if urls > limit {
                    assert_eq!(next, urls, "{urls} urls, {limit} per file");
                }
            }
        }
    }
}
