//! Search index build figures: `cargo run --release --example bench_search -- SITE_DIR`.
//! Loads the site, then times the tantivy index build and the browser index export and
//! prints their sizes (raw and gzip sizes of index.js are measured by the caller).

use casebook::search::{browser, index, SearchIndex};
use casebook::{BuildOptions, Site};
use std::path::PathBuf;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let root = PathBuf::from(std::env::args().nth(1).expect("usage: bench_search SITE_DIR"));
    let (site, _) = Site::load(&root, &BuildOptions::default()).map_err(|_| anyhow::anyhow!("site failed to load"))?;
    let start = Instant::now();
    let files = index::build(&site.search_input())?.files()?;
    let tantivy_time = start.elapsed();
    let tantivy_bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let dir = tempdir()?;
    for (name, bytes) in &files {
        std::fs::write(dir.join(name), bytes)?;
    }
    let start = Instant::now();
    let opened = SearchIndex::open(&dir)?;
    let js = browser::export(&site.search_input(), &opened)?;
    let export_time = start.elapsed();
    println!("resources: {}", site.pages.len());
    println!(
        "tantivy index: built in {:.2} s, {} bytes in {} files",
        tantivy_time.as_secs_f64(),
        tantivy_bytes,
        files.len()
    );
    println!(
        "browser index: exported in {:.2} s, {} bytes",
        export_time.as_secs_f64(),
        js.len()
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

fn tempdir() -> std::io::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("casebook-bench-search-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
