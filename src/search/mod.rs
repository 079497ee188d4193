//! Search: one analyser shared by a prebuilt tantivy index (`search/tantivy/`, queried by
//! `casebook search`) and a browser index exported from it (`search/index.js`).

pub mod analyzer;
pub mod browser;
pub mod index;
pub mod query;
pub mod schema;

pub use query::{locate, Hit, Query, Results, SearchIndex};

use crate::{Output, Site};
use anyhow::Result;
use tantivy::directory::{Directory, RamDirectory};

/// Where the tantivy index goes in the output.
pub const TANTIVY_DIR: &str = "search/tantivy";
/// Where the browser index goes in the output.
pub const BROWSER_INDEX: &str = "search/index.js";

/// Builds both indexes of `site` and adds their files to `output`.
pub fn write_indexes(site: &Site, output: &mut Output) -> Result<()> {
    let files = index::build(site)?;
    let opened = open_in_memory(files.iter().map(|(name, bytes)| (name.as_str(), bytes.as_slice())))?;
    output.insert(BROWSER_INDEX, browser::export(site, &opened)?);
    for (name, bytes) in files {
        output.insert(format!("{TANTIVY_DIR}/{name}"), bytes);
    }
    Ok(())
}

/// Opens an index from its files held in memory: (file name, bytes).
pub fn open_in_memory<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Result<SearchIndex> {
    let ram = RamDirectory::create();
    for (name, bytes) in files {
        ram.atomic_write(std::path::Path::new(name), bytes)?;
    }
    SearchIndex::from_directory(ram)
}
