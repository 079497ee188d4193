//! The quick path for edits of resources' frontmatter: a title, date, summary, term, type,
//! author... changed, the files themselves where they were.
//!
//! When every changed path is a resource of the last good build, still a regular file, that
//! reads as a resource at the same place — the same content path, url, section, aliases,
//! attachments and image — the files, folders and site map are those of the last good build,
//! and so is every other file's result (links are judged against the site map, a file's
//! problems are located in that file). What the edit can change is what is made from the
//! resources' fields: the library's orders, listings, coverage and related lists, which
//! [`Library::reordered`] makes from the last library by the edit alone (the edited
//! resources moved within the kept orders; related lists ranked again only where an edited
//! resource can enter or leave them); the diagnostics made from fields (the file's own, its
//! missing summary, unused terms); and the pages showing any of it.
//!
//! The old and new libraries are compared to find those pages ([`Changes`]): the edited
//! resources' pages and every page showing their cards, the pages whose related list
//! changed, the overview pages (home, feed, taxonomies, coverage; the sitemap when a date
//! changed), and of the listings: every page of a term listing whose members or type groups
//! changed (each page shows the term's and each group's size), else — the same resources
//! in another order — the pages of a section or term listing showing other items than
//! before (a date edit moving a resource up a listing changes the pages between its old and
//! new place, not the pages past them). Only those get a context; the fingerprint still
//! skips the render of any that did not change. One more condition keeps the set of pages
//! that of the last build: each listing keeps its number of pages (a term gaining its 11th
//! resource gains a page; that edit takes the full path) — so the output plan, and its
//! collision checks, are the last build's too.

use super::bodies::replaced;
use super::{ChangeKind, InPlace, Rebuild, SiteCache};
use crate::config::Config;
use crate::content::Resource;
use crate::library::Library;
use crate::markdown::pages::{self, Page};
use crate::render;
use crate::render::memo::Changes;
use crate::render::paginate::{self, page_count};
use crate::site::missing_summary;

impl SiteCache {
    /// Rebuilds after `changes` when they edited only resources of the last good build, each
    /// in place (see the module docs); `None` when they did anything else.
    pub(super) fn update_fields(&mut self, changes: &[ChangeKind]) -> Option<Rebuild> {
        // Translations inherit an original's fields: a site of several languages takes the
        // full path, which rebuilds each language from its originals.
        if self.loaded.as_ref().is_some_and(|l| !l.config.languages.is_empty()) {
            return None;
        }
        let edits = self.resource_edits(changes, same_place)?;
        let loaded = self.loaded.as_mut()?;
        let good = self.last_good.as_ref()?;
        let config = &loaded.config;
        let options = crate::site::render_options(config, loaded.theme.as_ref());
        let mut markdown_rendered = 0;
        let new_pages: Vec<(usize, Page)> = edits
            .iter()
            .map(|edit| {
                let text = &pages::texts(std::slice::from_ref(&*edit.resource), &[])[0];
                let body = self.markdown.render_one(text, &good.site.site_map, &options);
                markdown_rendered += self.markdown.last_rendered();
                (edit.index, Page::new((*edit.resource).clone(), body))
            })
            .collect();
        let old_pages = &good.site.pages;
        let mut resources: Vec<&Resource> = old_pages.iter().map(|p| &p.resource).collect();
        for (index, page) in &new_pages {
            resources[*index] = &page.resource;
        }
        let old = &good.site.library;
        let edited: Vec<(usize, &Resource)> = new_pages.iter().map(|(i, _)| (*i, &old_pages[*i].resource)).collect();
        let library = old.reordered(&resources, &edited, config);
        if !same_page_counts(old, &library, config.paginate_by) {
            return None;
        }
        let mut gone = old.term_problems(old_pages, config);
        let mut fresh = library.term_problems(&resources, config);
        for (edit, (index, page)) in edits.iter().zip(&new_pages) {
            let before = &old_pages[*index];
            if let Some((_, read_problems)) = loaded.reads.get(&edit.rel) {
                gone.extend(read_problems.clone());
            }
            gone.extend(before.body.problems.clone());
            gone.extend(
                before
                    .resource
                    .summary
                    .is_none()
                    .then(|| missing_summary(&before.resource)),
            );
            fresh.extend(edit.problems.clone());
            fresh.extend(page.body.problems.clone());
            fresh.extend(page.resource.summary.is_none().then(|| missing_summary(&page.resource)));
        }
        let diagnostics = replaced(&good.diagnostics, gone, fresh, config);
        let changes = changes_between(config, old_pages, old, &new_pages, &library);
        drop(resources);
        let files_read = edits.iter().map(|e| e.rel.clone()).collect();
        for edit in edits {
            loaded
                .reads
                .insert(edit.rel, (crate::content::Read::Resource(edit.resource), edit.problems));
        }
        let edit = InPlace {
            pages: new_pages,
            library: Some(library),
        };
        Some(self.finish_in_place(edit, changes, (diagnostics, files_read, markdown_rendered)))
    }
}

/// Whether `a` and `b` are written to the same place with the same files: content path,
/// url, section, old urls, attachments, image (what the site map, the assets, the downloads
/// and the output plan are made from).
fn same_place(a: &Resource, b: &Resource) -> bool {
    a.content_path == b.content_path
        && a.url == b.url
        && a.section == b.section
        && a.aliases == b.aliases
        && a.attachments == b.attachments
        && a.image == b.image
}

/// Whether every listing of `new` has as many pages as in `old` (sections cannot change
/// size when no file is added or removed; terms can).
fn same_page_counts(old: &Library, new: &Library, per_page: usize) -> bool {
    let terms = |library: &Library| -> Vec<usize> {
        library
            .taxonomies
            .iter()
            .flat_map(|t| &t.terms)
            .map(|term| page_count(term.resources.len(), per_page))
            .collect()
    };
    terms(old) == terms(new)
}

/// The pages that can differ between the site of `old_pages` and `old` and the one with
/// `edited` swapped in and `new` as its library (see the module docs).
fn changes_between(
    config: &Config,
    old_pages: &[Page],
    old: &Library,
    edited: &[(usize, Page)],
    new: &Library,
) -> Changes {
    let edited_indexes: Vec<usize> = edited.iter().map(|(i, _)| *i).collect();
    let retyped: Vec<usize> = edited
        .iter()
        .filter(|(i, page)| old_pages[*i].resource.kind != page.resource.kind)
        .map(|(i, _)| *i)
        .collect();
    let relisted = (0..new.related.len()).filter(|&i| old.related[i] != new.related[i]);
    let mut pages: Vec<usize> = relisted.filter(|i| !edited_indexes.contains(i)).collect();
    pages.extend(&edited_indexes);
    // A section keeps its resources (each is where it was): only their order can change.
    let mut section_pages = Vec::new();
    for (dir, section) in &new.sections {
        let was = old.sections.get(dir).map_or(&[][..], |s| &s.resources);
        section_pages.extend(pages_differing(was, &section.resources, config.paginate_by).map(|n| (dir.clone(), n)));
    }
    let kind_of = |i: usize| {
        let page = edited
            .iter()
            .find(|(e, _)| *e == i)
            .map_or(&old_pages[i], |(_, page)| page);
        page.resource.kind.as_str()
    };
    let mut terms = Vec::new();
    let mut term_pages = Vec::new();
    for (t, (before, after)) in old.taxonomies.iter().zip(&new.taxonomies).enumerate() {
        for (n, (was, is)) in before.terms.iter().zip(&after.terms).enumerate() {
            if was.resources == is.resources && !retyped.iter().any(|i| is.resources.contains(i)) {
                continue;
            }
            // A listing groups its resources by type and shows each group's size on every
            // page, as it shows the term's size: a type change or a resource joining or
            // leaving changes every page. Otherwise the same resources were reordered.
            let regrouped = retyped
                .iter()
                .any(|i| was.resources.contains(i) || is.resources.contains(i));
            if regrouped || !same_members(&was.resources, &is.resources) {
                terms.push((t, n));
                continue;
            }
            let before = render::term_listing_order(config, kind_of, &was.resources);
            let after = render::term_listing_order(config, kind_of, &is.resources);
            term_pages.extend(pages_differing(&before, &after, config.paginate_by).map(|p| (t, n, p)));
        }
    }
    let last_change = |r: &Resource| r.updated.or(r.date);
    let sitemap = edited
        .iter()
        .any(|(i, page)| last_change(&old_pages[*i].resource) != last_change(&page.resource));
    Changes {
        pages,
        cards: edited_indexes,
        terms,
        section_pages,
        term_pages,
        overview: true,
        sitemap,
    }
}

/// The page numbers (from 1) at which listings `was` and `is` of the same length show other
/// items.
fn pages_differing<'l>(was: &'l [usize], is: &'l [usize], per_page: usize) -> impl Iterator<Item = usize> + 'l {
    (1..=page_count(is.len(), per_page))
        .filter(move |&n| paginate::page_items(was, per_page, n) != paginate::page_items(is, per_page, n))
}

/// Whether two listings hold the same resources, in whatever order.
fn same_members(a: &[usize], b: &[usize]) -> bool {
    let sorted = |list: &[usize]| {
        let mut list = list.to_vec();
        list.sort_unstable();
        list
    };
    a.len() == b.len() && sorted(a) == sorted(b)
}
