//! Related-resources ranking figures:
//! `cargo run --release --example bench_related -- SITE_DIR [COPIES [ROUNDS]]`.
//! Reads the site's content, optionally repeats its resources `COPIES` times (each copy with
//! its own urls, the same terms and dates: a library `COPIES` times as large with the same
//! vocabulary), then times `library::related_all` over it, best of `ROUNDS` (3), and prints a
//! checksum of the lists so two versions can be compared.

use casebook::library::{related_all, RelatedKeys};
use casebook::{BuildOptions, Sources};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("usage: bench_related SITE_DIR [COPIES [ROUNDS]]"));
    let copies: usize = args.next().map_or(Ok(1), |n| n.parse())?;
    let rounds: usize = args.next().map_or(Ok(3), |n| n.parse())?;
    let (sources, _) =
        Sources::read(&root, &BuildOptions::default()).map_err(|_| anyhow::anyhow!("site failed to load"))?;
    let keys = RelatedKeys::of(&sources.config);
    let one = &sources.content.resources;
    let mut resources = Vec::with_capacity(one.len() * copies);
    for copy in 0..copies {
        resources.extend(one.iter().cloned().map(|mut r| {
            if copy > 0 {
                r.url = format!("copy-{copy}/{}", r.url);
            }
            r.body = String::new();
            r
        }));
    }
    let mut best = Duration::MAX;
    let mut lists = Vec::new();
    for _ in 0..rounds {
        let start = Instant::now();
        lists = related_all(&resources, &keys);
        best = best.min(start.elapsed());
    }
    let checksum = lists
        .iter()
        .flatten()
        .fold(0u64, |sum, &j| sum.wrapping_mul(1_000_003).wrapping_add(j as u64));
    println!(
        "resources: {}, related_all: {:.3} s (best of {rounds}), entries: {}, checksum: {checksum:016x}",
        resources.len(),
        best.as_secs_f64(),
        lists.iter().map(Vec::len).sum::<usize>()
    );
    Ok(())
}
