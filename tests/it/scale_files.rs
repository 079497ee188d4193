//! How many files a build writes (issue #15: creating files is the slowest part of writing a
//! large output): the browser search index keeps its per-document parts — what a hit shows
//! and the text passages come from — in buckets of adjacent documents, not a file each, and
//! the page can still find every document's part.

use crate::common::{self, TinySite};
use std::fs;
use std::path::Path;

/// The numbers of a varint string (as `search::browser::varints` writes them).
fn varints(text: &str) -> Vec<u32> {
    let (more, last) = ("ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%()", "0123456789abcdefghijklmnopqrstuv");
    let (mut out, mut n, mut scale) = (Vec::new(), 0, 1);
    for c in text.chars() {
        if let Some(d) = more.find(c) {
            n += d as u32 * scale;
            scale *= 32;
        } else {
            out.push(n + last.find(c).expect("a varint digit") as u32 * scale);
            (n, scale) = (0, 1);
        }
    }
    out
}

/// The data of chunk file `path`, which must register chunk `name`.
fn chunk(path: &Path, name: &str) -> serde_json::Value {
    let (registered, data) = common::chunk_data(&fs::read(path).unwrap());
    assert_eq!(registered, name, "{}", path.display());
    serde_json::from_str(&data).unwrap()
}

/// The tiny fixture with `n` more short resources.
fn site_with(n: usize) -> TinySite {
    let work = TinySite::new();
    let dir = work.path("site/content/blog");
    fs::create_dir_all(&dir).unwrap();
    for i in 0..n {
        let body = format!("## Part one\n\nThe {i}th note on shared rotas.\n\n## Part two\n\nMore words.\n");
        let text =
            format!("---\ntitle: \"Note {i}\"\ntype: blog\nsummary: \"A short note.\"\ndate: 2024-01-01\n---\n{body}");
        fs::write(dir.join(format!("note-{i:03}.md")), text).unwrap();
    }
    work
}

#[test]
fn the_browser_index_keeps_documents_in_buckets_every_document_in_one_in_order() {
    let work = site_with(60);
    work.build();
    let search = work.public().join("search");
    let manifest = fs::read_to_string(search.join("index.js")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(
        manifest
            .strip_prefix("var CasebookIndex = ")
            .and_then(|m| m.strip_suffix(";\n"))
            .unwrap(),
    )
    .unwrap();
    let n = manifest["n"].as_u64().unwrap() as usize;
    assert!(n > 60, "{n} documents");
    let mut urls = Vec::new();
    for (folder, prefix, key) in [("docs", "d", "docs"), ("text", "x", "texts")] {
        let counts = varints(manifest[key].as_str().unwrap());
        let files = fs::read_dir(search.join(folder)).unwrap().count();
        assert_eq!(files, counts.len(), "one file per bucket in search/{folder}/");
        assert!(files * 3 <= n, "{files} files for {n} documents in search/{folder}/");
        assert_eq!(counts.iter().sum::<u32>() as usize, n, "every document in a bucket");
        for (b, &count) in counts.iter().enumerate() {
            let bucket = chunk(&search.join(format!("{folder}/{b}.js")), &format!("{prefix}{b}"));
            assert_eq!(
                bucket.as_array().unwrap().len(),
                count as usize,
                "bucket {b} of {folder}"
            );
            if folder == "docs" {
                urls.extend(
                    bucket
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|d| d["u"].as_str().unwrap().to_string()),
                );
            }
        }
    }
    // In document order: the resources first, as indexed, each once.
    let notes: Vec<&String> = urls.iter().filter(|u| u.starts_with("blog/note-")).collect();
    assert_eq!(notes.len(), 60);
    assert!(notes.windows(2).all(|w| w[0] < w[1]), "{notes:?}");
}
