//! Finding the site's content files: pages, section introductions, page bundles and assets.

use crate::diagnostics::{display_path, Diagnostic, Diagnostics, Location};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// What a file under `content/` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A resource: `x.md`, or `x/index.md` (a page bundle).
    Page,
    /// A section introduction: `_index.md`.
    SectionIndex,
    /// Any other file, copied to the output.
    Asset,
}

/// One file found under `content/`.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Where it is on disk.
    pub path: PathBuf,
    /// Its path relative to `content/`, with `/` separators.
    pub rel: String,
    /// What it is.
    pub kind: SourceKind,
    /// The content-relative folder of the page bundle it belongs to, if any.
    pub bundle: Option<String>,
}

/// Walks `content/` in sorted order. Hidden files are skipped; symlinks are followed only to
/// files inside the site, never to folders (which could loop) or outside it.
pub fn discover(root: &Path) -> (Vec<SourceFile>, Diagnostics) {
    let content = root.join("content");
    let mut problems = Diagnostics::default();
    if !content.is_dir() {
        problems.push(
            Diagnostic::error(
                "content",
                Location::default(),
                "missing-content",
                "the site has no `content/` folder",
            )
            .with_help("create `content/` and put markdown files in it, or start a new site with `casebook init DIR`"),
        );
        return (Vec::new(), problems);
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut files = Vec::new();
    let walker = WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    for entry in walker.filter_entry(|e| !is_hidden(e.file_name())) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| display_path(root, p))
                    .unwrap_or_else(|| "content".into());
                problems.push(Diagnostic::error(
                    &path,
                    Location::default(),
                    "unreadable",
                    format!("cannot read this folder: {e}"),
                ));
                continue;
            }
        };
        if entry.path_is_symlink() {
            match check_symlink(root, &canonical_root, entry.path()) {
                Ok(()) => {}
                Err(d) => {
                    problems.push(d);
                    continue;
                }
            }
        } else if entry.file_type().is_dir() {
            continue;
        }
        let rel = display_path(&content, entry.path());
        files.push((entry.into_path(), rel));
    }
    (classify(files), problems)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn check_symlink(root: &Path, canonical_root: &Path, path: &Path) -> Result<(), Diagnostic> {
    let file = display_path(root, path);
    let target = path.canonicalize().map_err(|e| {
        Diagnostic::error(
            &file,
            Location::default(),
            "bad-symlink",
            format!("this symlink cannot be followed ({e}); it may point to itself in a loop"),
        )
        .with_help("replace the symlink with the file it should point to")
    })?;
    if !target.starts_with(canonical_root) {
        return Err(Diagnostic::error(
            &file,
            Location::default(),
            "bad-symlink",
            format!(
                "this symlink points outside the site, to {}; it was not followed",
                target.display()
            ),
        )
        .with_help("copy the file into the site instead of linking to it"));
    }
    if target.is_dir() {
        return Err(Diagnostic::error(
            &file,
            Location::default(),
            "bad-symlink",
            "symlinked folders are not followed",
        )
        .with_help("move the folder into `content/`, or link its files one by one"));
    }
    Ok(())
}

/// Tells pages, section introductions and assets apart, and which bundle each file is in.
fn classify(files: Vec<(PathBuf, String)>) -> Vec<SourceFile> {
    let bundles: BTreeSet<String> = files
        .iter()
        .filter_map(|(_, rel)| rel.strip_suffix("/index.md").map(str::to_string))
        .collect();
    files
        .into_iter()
        .map(|(path, rel)| {
            let name = rel.rsplit('/').next().unwrap_or(&rel);
            let bundle = bundle_of(&rel, &bundles);
            let kind = if name == "_index.md" {
                SourceKind::SectionIndex
            } else if rel.ends_with(".md") && (bundle.is_none() || name == "index.md") {
                SourceKind::Page
            } else {
                SourceKind::Asset
            };
            SourceFile {
                path,
                rel,
                kind,
                bundle,
            }
        })
        .collect()
}

/// The nearest folder above `rel` that is a page bundle.
fn bundle_of(rel: &str, bundles: &BTreeSet<String>) -> Option<String> {
    let mut dir = rel;
    while let Some((parent, _)) = dir.rsplit_once('/') {
        if bundles.contains(parent) {
            return Some(parent.to_string());
        }
        dir = parent;
    }
    None
}
