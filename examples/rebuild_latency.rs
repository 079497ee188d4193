//! Measures `casebook serve`'s rebuild after a one-file edit, against a full in-memory build:
//! `cargo run --example rebuild_latency -- SITE_ROOT [ROUNDS]`.
//!
//! Edits the body of one resource ROUNDS times (restoring it at the end), calling
//! `SiteCache::update` as the server does after a save, and prints the median and fastest.

use casebook::incremental::{ChangeKind, SiteCache};
use casebook::{BuildOptions, Site};
use std::fs;
use std::path::{Path, PathBuf};
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

    let mut times = Vec::new();
    for round in 0..rounds {
        fs::write(&path, format!("{original}\n\nEdited, round {round}.\n")).expect("the edit writes");
        let start = Instant::now();
        let rebuild = cache.update(&[ChangeKind::Content(vec![rel.clone()])]);
        times.push(start.elapsed());
        assert!(rebuild.output.is_some(), "{:?}", rebuild.diagnostics);
        assert_eq!(rebuild.files_read, std::slice::from_ref(&rel));
    }
    fs::write(&path, &original).expect("the original is restored");
    report(&root, resources, full, first_time, &mut times);
}

fn time(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn report(root: &Path, files: usize, full: Duration, first: Duration, times: &mut [Duration]) {
    times.sort();
    println!("site: {} ({files} markdown files)", root.display());
    println!("full in-memory build (Site::load + render): {} ms", full.as_millis());
    println!("serve's first build (SiteCache::new):       {} ms", first.as_millis());
    println!(
        "rebuild after a one-file edit, {} rounds: median {} ms, fastest {} ms",
        times.len(),
        times[times.len() / 2].as_millis(),
        times[0].as_millis()
    );
}
