//! Measures `casebook serve`'s rebuild after a one-file edit, against a full in-memory build:
//! `cargo run --example rebuild_latency -- SITE_ROOT [ROUNDS]`.
//!
//! Edits the body of one resource ROUNDS times (restoring it at the end) and does what the
//! server does after a save: `SiteCache::update_pages` (the pages, published at once), then
//! `SiteCache::search_files` (the search indexes). Prints the median and fastest of each.

use casebook::incremental::{ChangeKind, SiteCache};
use casebook::{BuildOptions, Site};
use std::fs;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let root = PathBuf::from(args.get(1).expect("usage: rebuild_latency SITE_ROOT [ROUNDS]"));
    let rounds: usize = args.get(2).map_or(10, |n| n.parse().expect("ROUNDS is a number"));
    let options = BuildOptions::default();

    let full = time(|| {
        let (site, _) = Site::load(&root, &options).expect("the site loads");
        site.render().expect("the site builds");
    });
    let start = Instant::now();
    let (mut cache, first) = SiteCache::new(&root, &options);
    let first_time = start.elapsed();
    let resources = first.files_read.len();
    let rel = first
        .files_read
        .iter()
        .find(|r| !r.ends_with("_index.md"))
        .expect("a resource")
        .clone();
    let path = root.join("content").join(&rel);
    let original = fs::read_to_string(&path).expect("the resource reads");

    let (mut pages, mut search) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        fs::write(&path, format!("{original}\n\nEdited, round {round}.\n")).expect("the edit writes");
        let start = Instant::now();
        let rebuild = cache.update_pages(&[ChangeKind::Content(vec![rel.clone()])]);
        pages.push(start.elapsed());
        assert!(rebuild.output.is_some(), "{:?}", rebuild.diagnostics);
        assert_eq!(rebuild.files_read, std::slice::from_ref(&rel));
        search.push(time(|| {
            cache.search_files().expect("a good build").expect("the index builds");
        }));
    }
    fs::write(&path, &original).expect("the original is restored");
    println!("site: {} ({resources} markdown files)", root.display());
    println!("full in-memory build (Site::load + render): {} ms", full.as_millis());
    println!(
        "serve's first build (SiteCache::new):       {} ms",
        first_time.as_millis()
    );
    report("pages published after a one-file edit", &mut pages);
    report("then the search indexes", &mut search);
}

fn time(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let (median, fastest) = (times[times.len() / 2].as_millis(), times[0].as_millis());
    println!(
        "{what}, {} rounds: median {median} ms, fastest {fastest} ms",
        times.len()
    );
}
