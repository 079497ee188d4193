//! New, deleted and renamed resource files: the new pages shown first, from a provisional
//! site, and the whole site after.
//!
//! A file added or removed changes what the whole library is made from: the site map (every
//! text's links are judged against it), the sections, terms, orders, coverage and related
//! lists, the output plan and its collision checks, and every diagnostic made from them. The
//! full path makes all of that again from the cached reads — the markdown cache renders again
//! only the texts whose links resolve otherwise, related lists are carried over by
//! [`related_rebased`](crate::library::related_rebased), and the page memo skips every page
//! whose context is unchanged — but it still builds each page's context, seconds at 10,000
//! resources. So the new page is shown before that, from a *provisional* site: the last good
//! site with the removed resources' pages taken out and the new ones put at its end, its
//! library the last one with the removed resources dropped from every list and the new ones
//! placed by [`Library::reordered`] (as if each had been there without a term: its listings,
//! terms, related list and the related lists it enters). The new resource's own page is made
//! from what the final site has too — its resource, its body, the members and order of its
//! section and terms, its related list — so it is the page the full build makes; the listings,
//! feeds and related lists of other resources wait for the full path, which
//! [`SiteCache::rest`] runs next and which makes the output a full build makes.
//!
//! Shown first only when nothing the provisional site leaves out can matter: single-language
//! sites; every change a new markdown file in a folder that is already a section (not in a
//! page bundle, not `_index.md` or `index.md`), read as a published resource without a
//! problem, attachment, image or alias, at a url no page of the last build has; or a
//! resource file of the last build gone from disk (not a bundle's `index.md`); and no text of
//! the site linking to anything added or removed (its links would resolve otherwise). Anything
//! else goes straight to the full path, whose diagnostics are a full build's — a new file
//! whose url collides with a page is refused there, and the last good site stays served.

use super::{ChangeKind, Rebuild, Rest, SiteCache};
use crate::content::discover::{SourceFile, SourceKind};
use crate::content::site_map::SiteMap;
use crate::content::{self, LoadOptions, Read, Resource};
use crate::library::{without_terms, Library};
use crate::markdown::pages::{self, Page};
use crate::render::memo::{Changes, Reach};
use crate::site::Site;
use crate::urls;
use std::collections::HashSet;

/// The files of a batch of changes: resources removed (their index in the last good site)
/// and new resource files (read).
struct Files {
    removed: Vec<usize>,
    added: Vec<Resource>,
}

impl SiteCache {
    /// After `changes` that only added and removed resource files (see the module docs): the
    /// new resources' pages rendered into the last good build's output from a provisional
    /// site, the removed ones' pages taken out, and the full path left for
    /// [`SiteCache::rest`]. `None` when `changes` did anything else.
    pub(super) fn update_files_first(&mut self, changes: &[ChangeKind]) -> Option<Rebuild> {
        let files = self.changed_files(changes)?;
        let loaded = self.loaded.as_ref()?;
        let good = self.last_good.as_ref()?;
        let last = &good.site;
        let options = crate::site::render_options(&loaded.config, loaded.theme.as_ref());
        let mut site_map = last.site_map.clone();
        for &i in &files.removed {
            site_map.remove(&last.pages[i].resource.content_path);
        }
        for r in &files.added {
            site_map.add(&r.content_path, &urls::page_file(&r.url));
        }
        if links_change(last, &site_map) {
            return None;
        }
        let mut new_pages = Vec::with_capacity(files.added.len());
        let mut markdown_rendered = 0;
        for resource in files.added {
            let text = &pages::texts(std::slice::from_ref(&resource), &[])[0];
            let body = self.markdown.render_one(text, &site_map, &options);
            markdown_rendered += self.markdown.last_rendered();
            if !body.problems.is_empty() {
                return None;
            }
            new_pages.push(Page::new(resource, body));
        }
        let (site, added) = provisional(last, (&files.removed, new_pages), site_map);
        let gone: Vec<String> = (files.removed.iter())
            .map(|&i| urls::page_file(&last.pages[i].resource.url))
            .collect();
        self.pages.forget(&gone);
        let own = Changes {
            pages: added,
            ..Changes::default()
        };
        let mut diagnostics = good.diagnostics.clone();
        let target = (&mut self.pages, self.store.as_ref());
        let (output, counts) = super::render(&site, &loaded.theme, target, Reach::Some(&own), &mut diagnostics)?;
        self.rest = Some(Rest::Full(changes.to_vec()));
        let files_read = changes
            .iter()
            .flat_map(|c| match c {
                ChangeKind::Content(paths) => paths.clone(),
                _ => Vec::new(),
            })
            .filter(|rel| site.pages.iter().any(|p| &p.resource.content_path == rel))
            .collect();
        Some(Rebuild {
            files_read,
            markdown_rendered,
            ..super::rendered(output, counts, diagnostics)
        })
    }

    /// The resource files `changes` added and removed, if that is all they did and each can
    /// be shown first (see the module docs).
    fn changed_files(&self, changes: &[ChangeKind]) -> Option<Files> {
        let loaded = self.loaded.as_ref()?;
        let good = self.last_good.as_ref()?;
        if !loaded.config.languages.is_empty() {
            return None;
        }
        let mut files = Files {
            removed: Vec::new(),
            added: Vec::new(),
        };
        let mut urls_taken: HashSet<String> = HashSet::new();
        for change in changes {
            let ChangeKind::Content(paths) = change else {
                return None;
            };
            for rel in paths {
                let on_disk = self.root.join("content").join(rel);
                let metadata = std::fs::symlink_metadata(&on_disk);
                if let Some(known) = loaded.files.iter().find(|f| &f.rel == rel) {
                    // Known: it must be a resource of the last build, gone from disk.
                    let (Read::Resource(old), _) = loaded.reads.get(rel)? else {
                        return None;
                    };
                    if metadata.is_ok() || known.kind != SourceKind::Page || known.bundle.is_some() {
                        return None;
                    }
                    let index = (good.site.pages.iter()).position(|p| p.resource.content_path == old.content_path)?;
                    // Its section stays (another resource keeps it), so the site's folders do.
                    let section = good.site.library.sections.get(&old.section)?;
                    if section.resources.len() < 2 {
                        return None;
                    }
                    files.removed.push(index);
                    continue;
                }
                if !metadata.ok()?.file_type().is_file() || !self.new_resource_file(rel) {
                    return None;
                }
                let file = SourceFile {
                    path: on_disk,
                    rel: rel.clone(),
                    kind: SourceKind::Page,
                    bundle: None,
                    lang: None,
                };
                let options = LoadOptions {
                    drafts: self.options.drafts,
                };
                let (Read::Resource(resource), problems) = content::read_markdown(&file, &loaded.config, options)
                else {
                    return None;
                };
                let page = urls::page_file(&resource.url);
                let plain = resource.attachments.is_empty() && resource.image.is_none() && resource.aliases.is_empty();
                let listing_page = resource.url.trim_end_matches('/').rsplit('/').next() == Some("page");
                let taken = !urls_taken.insert(page.clone()) || self.pages.has(&page);
                if !problems.is_empty() || !plain || listing_page || taken {
                    return None;
                }
                files.added.push(*resource);
            }
        }
        files.removed.sort_unstable();
        files.removed.dedup();
        (!files.removed.is_empty() || !files.added.is_empty()).then_some(files)
    }

    /// Whether `rel`, a file the last build did not have, is a resource file of a folder that
    /// is a section already: `x.md`, not hidden, in no page bundle.
    fn new_resource_file(&self, rel: &str) -> bool {
        let (Some(loaded), Some(good)) = (self.loaded.as_ref(), self.last_good.as_ref()) else {
            return false;
        };
        let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        let hidden = rel.split('/').any(|part| part.starts_with('.'));
        let in_bundle = (loaded.files.iter()).any(|f| {
            (f.rel.strip_suffix("/index.md"))
                .is_some_and(|folder| rel.strip_prefix(folder).is_some_and(|r| r.starts_with('/')))
        });
        name.ends_with(".md")
            && name != "index.md"
            && name != "_index.md"
            && !hidden
            && !in_bundle
            && good.site.library.sections.contains_key(dir)
    }
}

/// Whether a text of `site` (a resource's or a section introduction's) has a link that
/// resolves otherwise against `site_map`.
fn links_change(site: &Site, site_map: &SiteMap) -> bool {
    let of_pages =
        (site.pages.iter()).map(|p| (&p.body.links, p.resource.content_dir.as_str(), p.resource.url.as_str()));
    let of_intros = (site.intros.iter()).map(|i| (&i.body.links, i.section.dir.as_str(), i.section.url.as_str()));
    of_pages.chain(of_intros).any(|(links, dir, url)| {
        !links
            .iter()
            .all(|href| site.site_map.resolves_alike(site_map, dir, url, href))
    })
}

/// The last good site `last` with the pages at `removed` taken out and `added` put at its
/// end, its library made to match (see the module docs), on `site_map`; and the new pages'
/// indexes.
fn provisional(last: &Site, (removed, added): (&[usize], Vec<Page>), site_map: SiteMap) -> (Site, Vec<usize>) {
    // Old index -> index among the pages kept.
    let mut kept_at = Vec::with_capacity(last.pages.len());
    let mut kept = 0;
    for i in 0..last.pages.len() {
        let gone = removed.binary_search(&i).is_ok();
        kept_at.push((!gone).then_some(kept));
        kept += usize::from(!gone);
    }
    let mut pages: Vec<Page> = (last.pages.iter())
        .enumerate()
        .filter(|(i, _)| kept_at[*i].is_some())
        .map(|(_, page)| page.clone())
        .collect();
    let first_new = pages.len();
    let blanks: Vec<Resource> = added.iter().map(|p| without_terms(&p.resource)).collect();
    pages.extend(added);
    let new: Vec<usize> = (first_new..pages.len()).collect();
    let library = without(&last.library, &kept_at, pages.len());
    let edited: Vec<(usize, &Resource)> = new.iter().copied().zip(&blanks).collect();
    let library = library.reordered(&pages, &edited, &last.config);
    let site = Site {
        root: last.root.clone(),
        config: last.config.clone(),
        pages,
        intros: last.intros.clone(),
        assets: last.assets.clone(),
        library,
        site_map,
        static_files: last.static_files.clone(),
        download_bytes: last.download_bytes.clone(),
        planned_files: last.planned_files,
        translations: Vec::new(),
        languages: last.languages.clone(),
    };
    (site, new)
}

/// `library` over the resources `kept_at` keeps (old index -> new), of `len` resources in
/// all: every list without the others, the new ones listed nowhere yet.
fn without(library: &Library, kept_at: &[Option<usize>], len: usize) -> Library {
    let remap = |list: &[usize]| -> Vec<usize> { list.iter().filter_map(|&i| kept_at[i]).collect() };
    let mut library = library.clone();
    for section in library.sections.values_mut() {
        section.resources = remap(&section.resources);
    }
    for term in library.taxonomies.iter_mut().flat_map(|t| &mut t.terms) {
        term.resources = remap(&term.resources);
    }
    library.newest_first = remap(&library.newest_first);
    let mut related = vec![Vec::new(); len];
    for (i, list) in library.related.iter().enumerate() {
        if let Some(at) = kept_at[i] {
            related[at] = remap(list);
        }
    }
    library.related = related;
    library
}
