//! Finding the site's files: pages, section introductions, page bundles and assets under
//! `content/`, and — through [`walk`] — the files of `static/`, `templates/` and `themes/`.
//!
//! Every folder of the site is listed by [`walk`], which applies the one symlink policy: a
//! symlink is followed only to a regular file inside the site; a symlinked folder (anywhere,
//! `static -> /etc` included) is refused, as is anything that is not a regular file (a FIFO
//! would hang the read) or whose name is not UTF-8. Each refusal is a located diagnostic.

use crate::diagnostics::{display_path, Code, Diagnostic, Diagnostics, Location};
use std::collections::BTreeSet;
use std::fs::FileType;
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
    /// For a translation (`x.cy.md`, `index.cy.md`, `_index.cy.md`), its language's code.
    pub lang: Option<String>,
}

impl SourceFile {
    /// The path of the file a translation translates (`a/x.cy.md` -> `a/x.md`); any other
    /// file's own path.
    pub fn original_rel(&self) -> String {
        match &self.lang {
            Some(code) => original_of(&self.rel, code),
            None => self.rel.clone(),
        }
    }
}

/// `a/x.<code>.md` -> `a/x.md`.
fn original_of(rel: &str, code: &str) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    let stem = stem
        .strip_suffix(code)
        .and_then(|s| s.strip_suffix('.'))
        .unwrap_or(stem);
    format!("{stem}.md")
}

/// The language of `rel` when it is a translation: its name ends in `.<code>.md` for one of
/// `languages` (so `report.v2.md` is no translation unless `v2` were a language).
fn language_of(rel: &str, languages: &[String]) -> Option<String> {
    let stem = rel.strip_suffix(".md")?;
    let (_, code) = stem.rsplit_once('.')?;
    languages.iter().find(|l| *l == code).cloned()
}

/// Walks `content/` in sorted order with [`walk`] (hidden files skipped); a markdown file
/// named `x.<code>.md` for one of `languages` is a translation. Assets, which the build
/// copies without reading, are opened once here so that an unreadable one is a problem
/// `check` reports too.
pub fn discover(root: &Path, languages: &[String]) -> (Vec<SourceFile>, Diagnostics) {
    let content = root.join("content");
    if !content.is_dir() {
        let mut problems = Diagnostics::default();
        problems.push(
            Diagnostic::error(
                "content",
                Location::default(),
                Code::MissingContent,
                "the site has no `content/` folder",
            )
            .with_help("create `content/` and put markdown files in it, or start a new site with `casebook init DIR`"),
        );
        return (Vec::new(), problems);
    }
    let (files, mut problems) = walk(root, &content, Hidden::Skip);
    let files = classify(files, languages);
    let assets = files
        .iter()
        .filter(|f| f.kind == SourceKind::Asset)
        .map(|f| f.path.as_path());
    problems.extend(unreadable(root, assets));
    (files, problems)
}

/// Whether [`walk`] lists files and folders whose names start with `.`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    /// Skip them (`content/`: editor and VCS leftovers).
    Skip,
    /// List them (`static/.well-known/` is published on purpose).
    List,
}

/// The regular files under `dir` (a folder of the site at `root`), sorted: where each is and
/// its path relative to `dir`, with `/` separators. A missing `dir` has none. What cannot be
/// listed safely is a diagnostic and left out: `dir` reached through a symlink, a symlink
/// that is not to a regular file inside the site, anything but a regular file, a name that is
/// not UTF-8 (it would be converted, and two names could become one).
pub fn walk(root: &Path, dir: &Path, hidden: Hidden) -> (Vec<(PathBuf, String)>, Diagnostics) {
    let mut problems = Diagnostics::default();
    let canonical_root = canonical(root);
    match folder_of_site(root, &canonical_root, dir) {
        Ok(true) => {}
        Ok(false) => return (Vec::new(), problems),
        Err(d) => {
            problems.push(d);
            return (Vec::new(), problems);
        }
    }
    let mut files = Vec::new();
    let mut entries = WalkDir::new(dir)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter();
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| display_path(root, dir), |p| display_path(root, p));
                problems.push(Diagnostic::error(
                    &path,
                    Location::default(),
                    Code::Unreadable,
                    format!("cannot read this folder: {e}"),
                ));
                continue;
            }
        };
        let is_dir = entry.file_type().is_dir();
        let name = entry.file_name();
        if hidden == Hidden::Skip && name.as_encoded_bytes().starts_with(b".") {
            if is_dir {
                entries.skip_current_dir();
            }
            continue;
        }
        if name.to_str().is_none() {
            problems.push(not_utf8_name(root, entry.path(), is_dir));
            if is_dir {
                entries.skip_current_dir();
            }
            continue;
        }
        if is_dir {
            continue;
        }
        // A permitted symlink is listed by its target, so every later read (which refuses to
        // follow symlinks: see `output.rs`) opens the file that was checked here.
        let listed = if entry.path_is_symlink() {
            check_symlink(root, &canonical_root, entry.path())
        } else {
            regular(root, entry.path(), entry.file_type()).map(|()| entry.path().to_path_buf())
        };
        match listed {
            Ok(source) => files.push((source, display_path(dir, entry.path()))),
            Err(d) => problems.push(d),
        }
    }
    (files, problems)
}

/// Whether `dir` is a folder of the site reached without a symlink (`Ok(false)`: it does not
/// exist or is not a folder). A folder reached through a symlink is refused like any
/// symlinked folder: its target could be anywhere, `/etc` included.
pub fn site_folder(root: &Path, dir: &Path) -> Result<bool, Diagnostic> {
    folder_of_site(root, &canonical(root), dir)
}

fn canonical(root: &Path) -> PathBuf {
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

fn folder_of_site(root: &Path, canonical_root: &Path, dir: &Path) -> Result<bool, Diagnostic> {
    let Ok(below) = dir.strip_prefix(root) else {
        return Ok(dir.is_dir());
    };
    let mut path = root.to_path_buf();
    for part in below.components() {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Err(_) => return Ok(false),
            Ok(meta) if meta.file_type().is_symlink() => {
                check_symlink(root, canonical_root, &path)?;
                return Ok(false); // a symlink to a file: not a folder to walk
            }
            Ok(meta) if !meta.is_dir() => return Ok(false),
            Ok(_) => {}
        }
    }
    Ok(true)
}

/// Checks that the entry at `path`, not a symlink, is a regular file: a FIFO would block the
/// read forever, a socket or device is no page.
fn regular(root: &Path, path: &Path, file_type: FileType) -> Result<(), Diagnostic> {
    if file_type.is_file() {
        return Ok(());
    }
    Err(Diagnostic::error(
        &display_path(root, path),
        Location::default(),
        Code::Unreadable,
        format!("this is {}, not a regular file; it was not read", kind_of(file_type)),
    )
    .with_help("remove it, or replace it with the file it stands for"))
}

/// What a file that is not regular is, in words.
pub fn kind_of(file_type: FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt as _;
    if file_type.is_fifo() {
        "a named pipe (FIFO)"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_block_device() || file_type.is_char_device() {
        "a device"
    } else if file_type.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

fn not_utf8_name(root: &Path, path: &Path, is_dir: bool) -> Diagnostic {
    let what = if is_dir { "folder" } else { "file" };
    Diagnostic::error(
        &display_path(root, path),
        Location::default(),
        Code::NotUtf8,
        format!("this {what} name is not UTF-8 (its bad bytes shown as `\u{FFFD}`); it was not read"),
    )
    .with_help(format!("rename the {what} with a UTF-8 name"))
}

/// Opens each of `paths` (regular files the build copies without reading them first), so a
/// file the build could not copy is reported before anything is written.
pub fn unreadable<'a>(root: &Path, paths: impl Iterator<Item = &'a Path>) -> Vec<Diagnostic> {
    paths
        .filter_map(|path| {
            let e = std::fs::File::open(path).err()?;
            Some(
                Diagnostic::error(
                    &display_path(root, path),
                    Location::default(),
                    Code::Unreadable,
                    format!("cannot read this file: {e}"),
                )
                .with_help("make it a readable regular file (e.g. `chmod u+r`), or remove it"),
            )
        })
        .collect()
}

/// The symlink policy: follow `path` only to a regular file inside the site, which is returned.
fn check_symlink(root: &Path, canonical_root: &Path, path: &Path) -> Result<PathBuf, Diagnostic> {
    let file = display_path(root, path);
    let target = path.canonicalize().map_err(|e| {
        Diagnostic::error(
            &file,
            Location::default(),
            Code::BadSymlink,
            format!("this symlink cannot be followed ({e}); it may point to itself in a loop"),
        )
        .with_help("replace the symlink with the file it should point to")
    })?;
    if !target.starts_with(canonical_root) {
        let what = if target.is_dir() { "folder" } else { "file" };
        return Err(Diagnostic::error(
            &file,
            Location::default(),
            Code::BadSymlink,
            format!(
                "this symlink points outside the site, to {}; it was not followed",
                target.display()
            ),
        )
        .with_help(format!("copy the {what} into the site instead of linking to it")));
    }
    let file_type = std::fs::metadata(&target).map(|m| m.file_type());
    match file_type {
        Ok(t) if t.is_file() => Ok(target),
        Ok(t) if t.is_dir() => Err(Diagnostic::error(
            &file,
            Location::default(),
            Code::BadSymlink,
            "symlinked folders are not followed",
        )
        .with_help("replace the symlink with the folder itself, or link its files one by one")),
        Ok(t) => Err(Diagnostic::error(
            &file,
            Location::default(),
            Code::BadSymlink,
            format!(
                "this symlink points to {}, not a regular file; it was not followed",
                kind_of(t)
            ),
        )
        .with_help("replace the symlink with the file it should point to")),
        Err(e) => Err(Diagnostic::error(
            &file,
            Location::default(),
            Code::BadSymlink,
            format!("this symlink cannot be followed ({e})"),
        )
        .with_help("replace the symlink with the file it should point to")),
    }
}

/// Tells pages, section introductions and assets apart, and which bundle each file is in; a
/// translation is told apart by the name of the file it translates.
fn classify(files: Vec<(PathBuf, String)>, languages: &[String]) -> Vec<SourceFile> {
    let bundles: BTreeSet<String> = files
        .iter()
        .filter_map(|(_, rel)| rel.strip_suffix("/index.md").map(str::to_string))
        .collect();
    files
        .into_iter()
        .map(|(path, rel)| {
            let lang = language_of(&rel, languages);
            let original = lang
                .as_ref()
                .map_or_else(|| rel.clone(), |code| original_of(&rel, code));
            let name = original.rsplit('/').next().unwrap_or(&original);
            let bundle = bundle_of(&rel, &bundles);
            let kind = if name == "_index.md" {
                SourceKind::SectionIndex
            } else if rel.ends_with(".md") && (bundle.is_none() || name == "index.md") {
                SourceKind::Page
            } else {
                SourceKind::Asset
            };
            let lang = lang.filter(|_| kind != SourceKind::Asset);
            SourceFile {
                path,
                rel,
                kind,
                bundle,
                lang,
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
