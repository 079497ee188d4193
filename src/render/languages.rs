//! The site's languages as its pages see them. A translation keeps its original's path under
//! its language's folder (`case-studies/x/` ↔ `cy/case-studies/x/`), so a page's versions in
//! other languages are found by path alone: [`Languages::alternates`] gives each page its
//! `hreflang` links and language switch (a language without that page: its home page), and
//! [`Languages::sitemap`] the one sitemap of every language's pages with their alternates.

use super::views::{Alternate, SitemapEntry};
use crate::config::LanguageRef;
use crate::urls;
use std::collections::HashSet;

/// Every language of the site with the pages each has; empty for a site of one language,
/// whose pages then carry no alternates.
#[derive(Debug, Clone, Default)]
pub struct Languages {
    /// The languages, the default first.
    refs: Vec<LanguageRef>,
    /// Per language (same order), its sitemap entries: urls with its prefix.
    entries: Vec<Vec<SitemapEntry>>,
    /// Per language, the urls of its pages without its prefix (`case-studies/x/`, `search/`).
    pages: Vec<HashSet<String>>,
}

impl Languages {
    /// The languages `refs` (default first) with each one's pages, as its sitemap lists them
    /// (`entries`, same order); fewer than two languages make no alternates.
    pub fn new(refs: Vec<LanguageRef>, entries: Vec<Vec<SitemapEntry>>) -> Languages {
        if refs.len() < 2 {
            return Languages::default();
        }
        let pages = refs
            .iter()
            .zip(&entries)
            .map(|(language, entries)| {
                let own = |url: &str| url.strip_prefix(language.prefix.as_str()).unwrap_or(url).to_string();
                let mut pages: HashSet<String> = entries.iter().map(|e| own(&e.url)).collect();
                pages.insert("search/".to_string());
                pages
            })
            .collect();
        Languages { refs, entries, pages }
    }

    /// Whether the site has more than one language.
    pub fn many(&self) -> bool {
        !self.refs.is_empty()
    }

    /// The versions of the page at `url` (of the language whose urls start with `prefix`) in
    /// every language, in order: that language's page at the same path, else its home page.
    pub fn alternates(&self, prefix: &str, url: &str, base_url: &str) -> Vec<Alternate> {
        let path = url.strip_prefix(prefix).unwrap_or(url);
        self.refs
            .iter()
            .zip(&self.pages)
            .map(|(language, pages)| {
                let translated = pages.contains(path);
                let target = if translated {
                    format!("{}{path}", language.prefix)
                } else {
                    language.prefix.clone()
                };
                Alternate {
                    code: language.code.clone(),
                    name: language.name.clone(),
                    href: urls::page_file(&target),
                    url: format!("{base_url}{target}"),
                    current: language.prefix == prefix,
                    translated,
                }
            })
            .collect()
    }

    /// The sitemap's entries: every language's pages, the default's first, each page that
    /// exists in more than one language with its versions (`xhtml:link` alternates).
    pub fn sitemap(&self, base_url: &str) -> Vec<SitemapEntry> {
        let mut all = Vec::new();
        for (language, entries) in self.refs.iter().zip(&self.entries) {
            for entry in entries {
                let alternates: Vec<Alternate> = self
                    .alternates(&language.prefix, &entry.url, base_url)
                    .into_iter()
                    .filter(|a| a.translated)
                    .collect();
                all.push(SitemapEntry {
                    alternates: if alternates.len() > 1 { alternates } else { Vec::new() },
                    ..entry.clone()
                });
            }
        }
        all
    }
}
