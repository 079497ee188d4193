//! The site's content: the validated [`Resource`] model and everything read from `content/`.
//! Discovery lists the files (`discover`), each markdown file is read and validated
//! (`read`, with `frontmatter`, `fields` and `date`), then [`assemble`] places the assets and
//! checks what only the whole site can tell (`place`); `site_map` says where every content
//! path is written.

pub mod date;
pub mod discover;
pub mod fields;
pub mod frontmatter;
pub mod languages;
mod place;
mod read;
pub mod site_map;

pub use languages::{LanguageContent, Translation, INHERITED};
pub use read::read_markdown;

use crate::config::Config;
use crate::diagnostics::{Diagnostics, Location};
use date::Date;
use discover::{SourceFile, SourceKind};
use indexmap::IndexMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Where a resource came from (the `source` field).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Who published it.
    #[serde(default)]
    pub publisher: Option<String>,
    /// When.
    #[serde(default)]
    pub year: Option<i32>,
    /// Where.
    #[serde(default)]
    pub url: Option<String>,
}

/// A downloadable file that comes with a resource (the `attachments` field).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// Link text.
    pub title: String,
    /// Path relative to the markdown file (usually inside its page bundle).
    pub file: String,
    /// Where `file` is written in the markdown file, for messages.
    #[serde(skip)]
    pub at: Location,
}

/// An old URL of a resource (the `aliases` field), answered by a redirect page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The path as written (`old/path/`).
    pub path: String,
    /// The output file the redirect page is written to (`old/path/index.html`).
    pub file: String,
    /// Where the path is written in the markdown file.
    pub at: Location,
}

/// A resource's picture (the `image`, `image_alt` and `image_caption` fields).
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Path relative to the markdown file, or an `https://` address.
    pub file: String,
    /// Its text alternative (empty: decorative).
    pub alt: String,
    /// A caption shown under it.
    pub caption: Option<String>,
    /// Where `file` is written in the markdown file, for messages.
    pub at: Location,
}

/// One validated resource: a case study, toolkit, report...
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// Path relative to the site root, for messages (`content/case-studies/x.md`).
    pub file: String,
    /// Path relative to `content/` (`case-studies/x.md`).
    pub content_path: String,
    /// The content folder its relative links start from.
    pub content_dir: String,
    /// The content folder of its listing section (`case-studies`; `` for the home page).
    pub section: String,
    /// Output url (`case-studies/x/`).
    pub url: String,
    /// Type key (`case-study`).
    pub kind: String,
    /// Title.
    pub title: String,
    /// Summary from the frontmatter, else the first paragraph once rendered.
    pub summary: Option<String>,
    /// Publication date.
    pub date: Option<Date>,
    /// Last update.
    pub updated: Option<Date>,
    /// Taxonomy key -> term slugs, for every taxonomy of the site, in config order.
    pub terms: IndexMap<String, Vec<String>>,
    /// Organisation the resource is about or from.
    pub organisation: Option<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// External home of the resource.
    pub link: Option<String>,
    /// Provenance.
    pub source: Option<Source>,
    /// Downloads.
    pub attachments: Vec<Attachment>,
    /// Old URLs that redirect here.
    pub aliases: Vec<Alias>,
    /// The resource's DOI (`10.1234/abc`), without `https://doi.org/`.
    pub doi: Option<String>,
    /// Its picture: the hero of its page and its image when shared.
    pub image: Option<Image>,
    /// Shown first on the home page.
    pub featured: bool,
    /// Built only with `--drafts`.
    pub draft: bool,
    /// Passed to templates untouched.
    pub extra: serde_json::Value,
    /// The markdown body.
    pub body: String,
    /// The file line the body starts on.
    pub body_line: usize,
}

/// So the library can be made from resources or from anything holding one (a rendered page).
impl AsRef<Resource> for Resource {
    fn as_ref(&self) -> &Resource {
        self
    }
}

/// A section introduction (`_index.md`).
#[derive(Debug, Clone)]
pub struct SectionIntro {
    /// Path relative to the site root, for messages.
    pub file: String,
    /// The content folder it introduces (`` for the home page).
    pub dir: String,
    /// The url of the folder's page (`case-studies/`; `` for the home page).
    pub url: String,
    /// Title.
    pub title: Option<String>,
    /// One-sentence description.
    pub description: String,
    /// Passed to templates untouched.
    pub extra: serde_json::Value,
    /// The markdown body.
    pub body: String,
    /// The file line the body starts on.
    pub body_line: usize,
}

/// A non-markdown file under `content/`, copied to the output.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Where it is on disk.
    pub source: PathBuf,
    /// Path relative to `content/`.
    pub content_path: String,
    /// Path in the output.
    pub output: String,
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Content {
    /// The resources, sorted by content path.
    pub resources: Vec<Resource>,
    /// Section introductions, sorted by folder.
    pub sections: Vec<SectionIntro>,
    /// Files copied as they are.
    pub assets: Vec<Asset>,
    /// Each other language's resources and introductions, in config order (none for a site
    /// of one language).
    pub languages: Vec<LanguageContent>,
}

/// Options for reading content.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Include drafts.
    pub drafts: bool,
}

/// What reading one markdown file gave.
#[derive(Debug, Clone)]
pub enum Read {
    /// A resource.
    Resource(Box<Resource>),
    /// A section introduction.
    Section(SectionIntro),
    /// A translation of a resource or section introduction (`x.cy.md`), as read: fields it
    /// leaves out are the original's once the site is assembled (see [`languages`]).
    Translation(Box<Translation>),
    /// Nothing to build: a draft, or a file too broken to read.
    Skipped,
}

/// Reads and validates every file under `root/content`; problems are collected, not thrown.
pub fn load(root: &Path, config: &Config, options: LoadOptions) -> (Content, Diagnostics) {
    let (files, problems) = discover::discover(root, &config.language_codes());
    let results: Vec<(Read, Diagnostics)> = files
        .par_iter()
        .filter(|f| f.kind != SourceKind::Asset)
        .map(|f| read_markdown(f, config, options))
        .collect();
    assemble(&files, results, problems)
}

/// Puts the reads of every markdown file of `files` (in the same order) together with the
/// assets, and checks what only the whole site can tell (duplicate urls).
pub fn assemble(
    files: &[SourceFile],
    reads: Vec<(Read, Diagnostics)>,
    mut problems: Diagnostics,
) -> (Content, Diagnostics) {
    let mut content = Content::default();
    let mut translations = Vec::new();
    for (read, diagnostics) in reads {
        problems.extend(diagnostics);
        match read {
            Read::Resource(r) => content.resources.push(*r),
            Read::Section(s) => content.sections.push(s),
            Read::Translation(t) => translations.push(*t),
            Read::Skipped => {}
        }
    }
    content.assets = place::place_assets(files, &content.resources);
    problems.extend(place::duplicate_urls(&content.resources));
    if !translations.is_empty() {
        let (languages, orphans) = languages::assemble(&content, translations, files);
        content.languages = languages;
        problems.extend(orphans);
    }
    (content, problems)
}
