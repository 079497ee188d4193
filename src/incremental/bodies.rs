//! The quick path of a rebuild: edits that changed only the markdown bodies of resources.
//!
//! A resource's body reaches few places. Its HTML is on its own page and its text in the
//! search index; when the resource has no `summary:`, the first paragraph is its summary,
//! shown on its card (listings, home, feed, related lists). Nothing else: the library — the
//! sections, terms, orders, related lists, coverage — and the site map are made from
//! frontmatter and paths alone, links are judged against the site map (never against another
//! page's body), and a file's markdown problems are located in that file. So when every
//! changed path is a resource the last good build had, still a regular file, whose frontmatter
//! reads exactly as before, the last good [`Site`] is kept with the edited pages swapped in,
//! the diagnostics of those files are replaced, and the render is narrowed to the pages the
//! edit can reach ([`Reach::Some`](crate::render::memo::Reach::Some)). Anything else — a new, deleted or renamed file, a
//! frontmatter change, a section introduction, a draft, a site with errors — takes the full
//! path, which the tests hold both paths to: byte for byte a full build.

use super::{ChangeKind, InPlace, Rebuild, SiteCache};
use crate::config::Config;
use crate::content::discover::SourceKind;
use crate::content::{self, LoadOptions, Read, Resource};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::pages::{self, Page};
use crate::render::memo::Changes;

/// One edited resource: its content path, what reading it gave now, and its index among the
/// last good site's pages.
pub(super) struct Edit {
    pub(super) rel: String,
    pub(super) resource: Box<Resource>,
    pub(super) problems: Diagnostics,
    pub(super) index: usize,
}

impl SiteCache {
    /// Rebuilds after `changes` when they edited only the bodies of resources of the last
    /// good build (see the module docs); `None` when they did anything else, nothing changed.
    pub(super) fn update_bodies(&mut self, changes: &[ChangeKind]) -> Option<Rebuild> {
        let edits = self.resource_edits(changes, same_but_body)?;
        let loaded = self.loaded.as_mut()?;
        let good = self.last_good.as_ref()?;
        let options = crate::site::render_options(&loaded.config, loaded.theme.as_ref());
        let mut gone = Diagnostics::default();
        let mut fresh = Diagnostics::default();
        let (mut pages, mut cards, mut files_read) = (Vec::new(), Vec::new(), Vec::new());
        let (mut new_pages, mut markdown_rendered) = (Vec::new(), 0);
        for edit in edits {
            let old = &good.site.pages[edit.index];
            let text = &pages::texts(std::slice::from_ref(&*edit.resource), &[])[0];
            let body = self.markdown.render_one(text, &good.site.site_map, &options);
            markdown_rendered += self.markdown.last_rendered();
            if let Some((_, read_problems)) = loaded.reads.get(&edit.rel) {
                gone.extend(read_problems.clone());
            }
            gone.extend(old.body.problems.clone());
            fresh.extend(edit.problems.clone());
            fresh.extend(body.problems.iter().cloned());
            let page = Page::new((*edit.resource).clone(), body);
            if page.summary != old.summary {
                cards.push(edit.index);
            }
            pages.push(edit.index);
            new_pages.push((edit.index, page));
            loaded
                .reads
                .insert(edit.rel.clone(), (Read::Resource(edit.resource), edit.problems));
            files_read.push(edit.rel);
        }
        let diagnostics = replaced(&good.diagnostics, gone, fresh, &loaded.config);
        let changes = Changes {
            pages,
            cards,
            ..Changes::default()
        };
        let edit = InPlace {
            pages: new_pages,
            library: None,
        };
        Some(self.finish_in_place(edit, changes, (diagnostics, files_read, markdown_rendered)))
    }

    /// The edits of `changes` if every one is an edit of a resource of the last good build
    /// that `kept` accepts (old, new): the file is still a regular file and reads as a resource.
    pub(super) fn resource_edits(
        &self,
        changes: &[ChangeKind],
        kept: fn(&Resource, &Resource) -> bool,
    ) -> Option<Vec<Edit>> {
        let good = self.last_good.as_ref()?;
        let loaded = self.loaded.as_ref()?;
        let options = LoadOptions {
            drafts: self.options.drafts,
        };
        let mut edits: Vec<Edit> = Vec::new();
        for change in changes {
            let ChangeKind::Content(paths) = change else {
                return None;
            };
            for rel in paths {
                if edits.iter().any(|e| &e.rel == rel) {
                    continue;
                }
                let file = loaded
                    .files
                    .iter()
                    .find(|f| &f.rel == rel && f.kind != SourceKind::Asset)?;
                // Never opened unless it is still a regular file (a FIFO would block the read).
                let regular = std::fs::symlink_metadata(&file.path).is_ok_and(|m| m.file_type().is_file());
                let (Read::Resource(old), _) = loaded.reads.get(rel)? else {
                    return None;
                };
                if !regular {
                    return None;
                }
                let (Read::Resource(new), problems) = content::read_markdown(file, &loaded.config, options) else {
                    return None;
                };
                if !kept(old, &new) {
                    return None;
                }
                let index = good
                    .site
                    .pages
                    .iter()
                    .position(|p| p.resource.content_path == old.content_path)?;
                edits.push(Edit {
                    rel: rel.clone(),
                    resource: new,
                    problems,
                    index,
                });
            }
        }
        (!edits.is_empty()).then_some(edits)
    }
}

/// Whether `a` and `b` are the same resource but for their markdown body.
fn same_but_body(a: &Resource, b: &Resource) -> bool {
    let frontmatter = |r: &Resource| Resource {
        body: String::new(),
        ..r.clone()
    };
    frontmatter(a) == frontmatter(b)
}

/// `diagnostics` (a build's, with the site's `checks:` levels set) with `gone` replaced by
/// `fresh`, both given as found: the levels are set on them first, as a full build does.
pub(super) fn replaced(
    diagnostics: &Diagnostics,
    mut gone: Diagnostics,
    mut fresh: Diagnostics,
    config: &Config,
) -> Diagnostics {
    config.checks.apply(&mut gone);
    config.checks.apply(&mut fresh);
    let mut kept = without(diagnostics, gone);
    kept.extend(fresh);
    kept
}

/// `diagnostics` less one occurrence of each of `gone`.
fn without(diagnostics: &Diagnostics, gone: Diagnostics) -> Diagnostics {
    let mut items: Vec<Diagnostic> = diagnostics.clone().into_iter().collect();
    for d in gone {
        if let Some(at) = items.iter().position(|item| *item == d) {
            items.remove(at);
        }
    }
    let mut kept = Diagnostics::default();
    kept.extend(items);
    kept
}
