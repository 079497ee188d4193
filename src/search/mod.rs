//! Search: one analyser shared by a prebuilt tantivy index (`search/tantivy/`, queried by
//! `casebook search`) and a browser index exported from it (`search/index.js`).

mod aliases;
pub mod analyzer;
pub mod browser;
pub mod excerpt;
pub mod facets;
pub mod index;
pub mod query;
pub mod schema;
pub mod welsh;

pub use query::{locate, Corrected, Hit, Query, Results, SearchIndex};

use crate::config::Config;
use crate::library::Library;
use crate::markdown::pages::{Intro, Page};
use crate::markdown::Rendered;
use anyhow::Result;
use indexmap::IndexMap;
use tantivy::directory::{Directory, RamDirectory};

/// Where the tantivy index goes in the output.
pub const TANTIVY_DIR: &str = "search/tantivy";
/// Where the browser index's manifest goes in the output.
pub const BROWSER_INDEX: &str = "search/index.js";
/// The folders of the browser index's parts, loaded on demand (see [`browser`]).
pub const BROWSER_FOLDERS: [&str; 3] = ["search/chunks", "search/docs", "search/text"];
/// The folders the build fills with search files, each claimed whole by the output plan.
pub const INDEX_FOLDERS: [&str; 4] = [TANTIVY_DIR, BROWSER_FOLDERS[0], BROWSER_FOLDERS[1], BROWSER_FOLDERS[2]];

/// What the search indexes are made from, borrowed from the assembled site.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    /// The configuration (types, the headline taxonomy).
    pub config: &'a Config,
    /// The taxonomies and their terms (the facets).
    pub library: &'a Library,
    /// Every resource with its rendered body and summary, in index order.
    pub pages: &'a [Page],
    /// The section introductions; those with text of their own are searched too.
    pub intros: &'a [Intro],
}

/// The type key of a section's landing page in the index (its `type` facet value).
pub const SECTION_KIND: &str = "section";

/// One searchable page: a resource, or a section's landing page with text of its own.
pub struct Entry<'a> {
    /// Url relative to the root of its language's site (`case-studies/x/`, also for
    /// `cy/case-studies/x/`): the search page of each language sits at `<prefix>search/`.
    pub url: &'a str,
    /// Title.
    pub title: &'a str,
    /// Type key ([`SECTION_KIND`] for a section).
    pub kind: &'a str,
    /// Summary (a section's description).
    pub summary: &'a str,
    /// The rendered body.
    pub body: &'a Rendered,
    /// Organisation, or empty.
    pub organisation: &'a str,
    /// Authors, joined.
    pub authors: String,
    /// The date, if any.
    pub date: Option<chrono::NaiveDate>,
    /// Taxonomy key → term slugs (none for a section).
    pub terms: Option<&'a IndexMap<String, Vec<String>>>,
}

impl<'a> Input<'a> {
    /// What is indexed, in index order: every resource, then each section (not the home page)
    /// whose introduction has text of its own.
    pub fn entries(&self) -> Vec<Entry<'_>> {
        let prefix = self.config.lang_prefix.as_str();
        let own = |url: &'a str| url.strip_prefix(prefix).unwrap_or(url);
        let resources = self.pages.iter().map(|page| {
            let r = &page.resource;
            Entry {
                url: own(&r.url),
                title: &r.title,
                kind: &r.kind,
                summary: &page.summary,
                body: &page.body,
                organisation: r.organisation.as_deref().unwrap_or(""),
                authors: r.authors.join(", "),
                date: r.date.as_ref().map(|d| d.day),
                terms: Some(&r.terms),
            }
        });
        let sections = self
            .intros
            .iter()
            .filter(|intro| !intro.section.dir.is_empty() && !intro.body.text.trim().is_empty())
            .map(|intro| {
                let s = &intro.section;
                Entry {
                    url: own(&s.url),
                    title: s.title.as_deref().unwrap_or(&s.dir),
                    kind: SECTION_KIND,
                    summary: &s.description,
                    body: &intro.body,
                    organisation: "",
                    authors: String::new(),
                    date: None,
                    terms: None,
                }
            });
        resources.chain(sections).collect()
    }
}

/// Builds both indexes of `input`: the files of the tantivy index under [`TANTIVY_DIR`] and
/// the browser index at [`BROWSER_INDEX`] and under [`BROWSER_FOLDERS`], as (output path, bytes).
pub fn index_files(input: &Input<'_>) -> Result<Vec<(String, Vec<u8>)>> {
    let built = index::build(input)?;
    let mut out = browser::export(input, &built.open()?)?;
    out.extend(
        built
            .files()?
            .into_iter()
            .map(|(name, bytes)| (format!("{TANTIVY_DIR}/{name}"), bytes)),
    );
    Ok(out)
}

/// Opens an index from its files held in memory: (file name, bytes).
pub fn open_in_memory<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Result<SearchIndex> {
    let ram = RamDirectory::create();
    for (name, bytes) in files {
        ram.atomic_write(std::path::Path::new(name), bytes)?;
    }
    SearchIndex::from_directory(ram)
}
