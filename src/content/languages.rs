//! Translations: a file beside its original with the language before the extension
//! (`frimley.cy.md`, `index.cy.md` in a page bundle, `_index.cy.md` for a section or the home
//! page). Each is read like any markdown file, placed as its original (same folder, same
//! slug: its page is the original's path under `<code>/`), then [`assemble`]d into its
//! language's [`LanguageContent`]: the fields of [`INHERITED`] and the taxonomy terms it
//! leaves out are the original's. A translation whose original does not exist is an error.

use super::discover::SourceFile;
use super::{Read, Resource, SectionIntro};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The fields a translation takes from its original unless it sets them itself (every
/// taxonomy's terms too). Its title, summary, body, aliases and draft flag are its own; its
/// url is always the original's under `<code>/`.
pub const INHERITED: &[&str] = &[
    "type",
    "date",
    "updated",
    "organisation",
    "authors",
    "link",
    "source",
    "attachments",
    "doi",
    "image",
    "featured",
    "extra",
];

/// A translation as read, before inheritance.
#[derive(Debug, Clone)]
pub struct Translation {
    /// Its language's code (`cy`).
    pub lang: String,
    /// The resource or section introduction, placed as its original.
    pub read: Read,
    /// The inherited fields (of [`INHERITED`] and the taxonomies) it sets itself.
    pub own: Vec<String>,
}

/// One other language's content: its resources (inheritance applied, urls under `<code>/`)
/// and section introductions, sorted by content path as the default language's are.
#[derive(Debug, Clone, Default)]
pub struct LanguageContent {
    /// The language's code (`cy`).
    pub lang: String,
    /// Translated resources; `content_path` is the original's, so links between translations
    /// resolve as between originals.
    pub resources: Vec<Resource>,
    /// Translated section introductions.
    pub sections: Vec<SectionIntro>,
}

/// Puts each translation with its original: the languages' content (sorted by code) and an
/// error for each translation whose original is not in `files`. A translation whose
/// original exists but is not published (a draft) is left out with it.
pub fn assemble(
    originals: &super::Content,
    translations: Vec<Translation>,
    files: &[SourceFile],
) -> (Vec<LanguageContent>, Diagnostics) {
    let on_disk: HashSet<&str> = files.iter().map(|f| f.rel.as_str()).collect();
    let by_path: HashMap<&str, &Resource> = originals
        .resources
        .iter()
        .map(|r| (r.content_path.as_str(), r))
        .collect();
    let mut languages: BTreeMap<String, LanguageContent> = BTreeMap::new();
    let mut problems = Diagnostics::default();
    for t in translations {
        let language = languages.entry(t.lang.clone()).or_insert_with(|| LanguageContent {
            lang: t.lang.clone(),
            ..LanguageContent::default()
        });
        let prefix = format!("{}/", t.lang);
        match t.read {
            Read::Resource(mut r) => match by_path.get(r.content_path.as_str()) {
                Some(original) => {
                    inherit(&mut r, original, &t.own);
                    r.url = format!("{prefix}{}", original.url);
                    language.resources.push(*r);
                }
                None if on_disk.contains(r.content_path.as_str()) => {} // a draft, or unreadable
                None => problems.push(orphan(&r.file, &r.content_path)),
            },
            Read::Section(mut s) => {
                s.url = format!("{prefix}{}", s.url);
                language.sections.push(s);
            }
            Read::Translation(_) | Read::Skipped => {}
        }
    }
    (languages.into_values().collect(), problems)
}

/// The error for a translation at `file` of `original`, which does not exist.
fn orphan(file: &str, original: &str) -> Diagnostic {
    let name = original.rsplit('/').next().unwrap_or(original);
    Diagnostic::error(
        file,
        Location::new(1, 1),
        Code::MissingOriginal,
        format!("this translates `content/{original}`, which does not exist"),
    )
    .with_help(format!(
        "name the translation after the file it translates (`{name}` → `{}`), or write the original first",
        file.rsplit('/').next().unwrap_or(file)
    ))
}

/// Fills what the translation `r` leaves out (of `own`) from its original.
fn inherit(r: &mut Resource, original: &Resource, own: &[String]) {
    let sets = |field: &str| own.iter().any(|f| f == field);
    r.section.clone_from(&original.section);
    if !sets("type") {
        r.kind.clone_from(&original.kind);
    }
    if !sets("date") {
        r.date = original.date;
    }
    if !sets("updated") {
        r.updated = original.updated;
    }
    if !sets("organisation") {
        r.organisation.clone_from(&original.organisation);
    }
    if !sets("authors") {
        r.authors.clone_from(&original.authors);
    }
    if !sets("link") {
        r.link.clone_from(&original.link);
    }
    if !sets("source") {
        r.source.clone_from(&original.source);
    }
    if !sets("attachments") {
        r.attachments.clone_from(&original.attachments);
    }
    if !sets("doi") {
        r.doi.clone_from(&original.doi);
    }
    if !sets("image") {
        // With its alt text and caption: to translate those, give `image` again.
        r.image.clone_from(&original.image);
    }
    if !sets("featured") {
        r.featured = original.featured;
    }
    if !sets("extra") {
        r.extra.clone_from(&original.extra);
    }
    for (key, slugs) in &mut r.terms {
        if !sets(key) {
            slugs.clone_from(&original.terms[key]);
        }
    }
}
