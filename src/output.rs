//! The built site as files, written so that nothing is ever lost: a [`Sink`] receives each
//! file once; [`Output`] (behind a `Mutex`) keeps them in memory for `serve` and tests, and
//! [`StagingWriter`] streams them into the staging folder for `build`.
//!
//! **The promise.** `build` never deletes or changes anything casebook did not make, the
//! output folder always holds one complete tree (the previous one or the new one, whatever
//! instant the build is killed at), a finished build survives a power cut, and a build that
//! reports failure has changed nothing. How each step holds it:
//!
//! 1. **Decide first** ([`OutputDir::check`]). Before anything moves, the output path is
//!    resolved (symlinks of its existing part followed) and refused when it is not a folder
//!    (a file, a symlink, a device), is a non-empty folder without the marker, is the site
//!    root or an ancestor of it, or overlaps (equals, lies inside or contains) an input:
//!    `content/`, `static/`, `templates/`, `themes/`, `casebook.yaml`. The two work folders
//!    beside it, `.<name>.casebook-staging` and `.<name>.casebook-previous`, are refused when
//!    they hold anything casebook did not make. A refusal is an error (exit 2) and touches
//!    nothing. (A third name beside it, the file `.<name>.casebook-manifest`, is the last
//!    build's record of what it made, for the next to reuse: see `build::reuse`.)
//! 2. **Mark what casebook makes.** Every tree casebook writes carries [`MARKER`] at its root,
//!    with fixed bytes (so builds stay byte-identical). Casebook only ever removes a folder
//!    that holds the marker (or the marker being written, `MARKER_NEW`, which a build killed
//!    while marking its new staging folder leaves alone in it), or an empty one; a site file
//!    of that name is refused.
//! 3. **Recover** ([`OutputDir::prepare`], once the site has loaded without errors). If a
//!    crash left the output missing while a marked previous tree survives, that tree is put
//!    back before anything else; a marked previous tree beside a complete output is removed;
//!    then the staging folder is readied: the one the last build left is reused (see
//!    "reusing" below), else an empty one is made, and either way it is marked first.
//! 4. **Stream, then make it durable** ([`StagingWriter`], [`Staging::commit`]). Each file
//!    goes into staging the moment it is made, from the render thread that made it, and is
//!    dropped from memory (folders are made as needed; `create_dir_all` racing itself is
//!    fine); files are distinct paths, so their bytes never depend on the order they come
//!    in. A file staging already holds with the same bytes is left; one the previous output
//!    has with the same bytes is carried over (below). Then what staging held that the new
//!    tree does not have is removed, and one `syncfs` of the filesystem (Linux; elsewhere
//!    every file and folder is fsynced) makes the whole tree durable before it is published.
//!    Measured on a 10,000-resource library (10,051 files, 208 MB, ext4): one `syncfs`
//!    0.31-0.40 s, an fsync per file and folder 82 s. (`syncfs` also flushes other programs'
//!    pending writes on that filesystem: still far cheaper than thousands of fsyncs.) A
//!    failed write stops the writer; the staging folder stays, marked, for the next build.
//! 5. **Swap in one step.** On Linux and macOS, `renameat2(RENAME_EXCHANGE)` swaps staging
//!    and the output folder atomically, so the output name always holds a complete tree; a
//!    first build renames with `RENAME_NOREPLACE`. Where exchange is not supported (another
//!    OS, or a filesystem that answers `EINVAL`), two renames move the old tree to
//!    `.<name>.casebook-previous` and staging into place; a crash between them is the case
//!    step 3 recovers. The parent folder is then fsynced so the rename itself is durable.
//! 6. **Nothing to clean up.** The old tree now sits at the staging name (after the fallback
//!    swap it is renamed there from the previous name) and stays: it is the next build's
//!    staging folder. Nothing after the swap fails the build (the new output is in place): a
//!    problem there is a warning (`output-cleanup`).
//!
//! **Carrying over unchanged files.** When the output holds a marked tree, a file whose path
//! there has the same bytes as the new file (length from the metadata first, then the bytes;
//! for a copied file, the source against the old file) is hard-linked into staging instead of
//! written. Why every promise still holds:
//!
//! - *Nothing ever writes into an existing inode.* A hard link shares the inode with the
//!   previous tree, so the one rule is that no output file is ever opened for writing once it
//!   exists: new files are made with `create_new` (`O_EXCL`), and a file staging holds with
//!   other bytes is first unlinked (which drops a name, never touches the inode, which may
//!   be the live output's); a second file at one path is an error, never an overwrite.
//!   Linking reads the old file (opened without following a symlink) and adds a name; it
//!   changes neither its bytes nor its folder. So the previous tree is exactly as it was
//!   until the swap.
//! - *kill -9 at any moment* leaves the previous output complete: before the swap it is
//!   untouched (above); the swap is one exchange; after it the old tree's names are removed,
//!   and the old tree stays as the next staging folder. A staging folder left by a kill is
//!   a half-updated tree: the next build starts from it and checks every file's bytes.
//! - *A file edited by hand in the output* (even in place, keeping its length) has bytes that
//!   differ from the new file's, so it is written anew; the edited inode goes with the old
//!   tree. (An edit made while a build runs, between its comparison and the swap, can be
//!   carried; the next build replaces it.) A name swapped between the comparison and the link
//!   is caught too: the link is kept only if it is the very inode compared.
//! - *The marker* is never linked: it is written into a new staging folder, kept in a
//!   reused one (replaced by a rename if its bytes differ, so the folder is never unmarked);
//!   a tree is only removed while marked, and its marker goes last.
//! - *The fallback two-rename swap* and recovery move whole trees by name, so they work the
//!   same with linked files.
//! - *Another filesystem, or none with hard links* (`EXDEV`, `EPERM`, `ENOTSUP`): the link
//!   fails, the file is written instead, and no further link is tried. Any other doubt (no old
//!   file, another length, a read error) also means "write": writing is always correct.
//!
//! A carried file keeps its inode and modification time: tools that sync or serve the output
//! see only the files that really changed.
//!
//! **Reusing the previous generation as staging.** Making a fresh staging folder each build
//! meant making every folder of the tree (~11,000 at 10,000 resources: folders cannot be
//! hard-linked) and then removing the whole old tree, one unlink per file and folder; on a
//! busy disk that was 15-17 s of a 32-40 s rebuild with nothing changed. Instead the old tree,
//! which the exchange leaves at the staging name, is kept and updated in place into the next
//! tree: [`OutputDir::prepare`] surveys it (what is neither a regular file nor a folder, such
//! as a symlink put into the output by hand, is removed then, so nothing is ever written
//! through one; a read-only folder is made writable), each file the build makes is left,
//! linked or written as above (a held folder where a file goes, or a held file where a
//! folder goes, is removed first), and [`StagingWriter::finish`] removes every held path the
//! new tree does not have. Staging is then exactly the new tree: the same paths and bytes as
//! a fresh build's, whatever it held before (another site's tree, a killed build's half, a
//! hand edit). With nothing changed, a rebuild makes, writes and removes nothing: the two
//! names are exchanged and both trees stay as they were. The cost is a hidden
//! `.<name>.casebook-staging` beside the output between builds, mostly hard links (only the
//! files that changed in the last build take space); it is safe to delete by hand.

use crate::config::CONFIG_FILE;
use crate::diagnostics::{Code, Diagnostic, Location};
use anyhow::{bail, Context, Result};
use bytes::Bytes;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

mod store;
pub use store::{Store, StoreSink, StoredFile};

/// The file that marks a folder as made by casebook, at the root of every tree it writes.
pub const MARKER: &str = ".casebook-output";
/// The marker while [`mark`] writes it, renamed to [`MARKER`] once whole. A folder holding it
/// is one casebook was marking when it stopped (killed between making the staging folder and
/// the rename): casebook's own, as a marked one is.
const MARKER_NEW: &str = ".casebook-output.new";

/// The first line of the manifest a build leaves beside the output (`.<name>.casebook-manifest`,
/// [`OutputDir::save_manifest`]): what the next build may reuse, each page's fingerprint and
/// the hash of its bytes (see `build::reuse`). A file of that name without it is not casebook's
/// and is left alone.
const MANIFEST_HEADER: &[u8] = b"casebook manifest\n";

/// The marker's bytes: fixed, so two builds stay byte-identical.
const MARKER_TEXT: &str = "This folder was made by `casebook build`, which replaces it whole on every build:\n\
files put here by hand are lost at the next build. Casebook only ever removes or replaces\n\
a folder that holds this file (or an empty one).\n";

/// The site's inputs, relative to its root: the output may not overlap any of them.
const INPUTS: [&str; 5] = ["content", "static", "templates", "themes", CONFIG_FILE];

/// One output file: bytes made by the build, or a file copied as it is.
#[derive(Debug, Clone)]
pub enum OutputFile {
    /// Generated content, shared rather than copied: `serve` keeps a page's bytes from one
    /// rebuild to the next when its inputs did not change (see `render::Memo`).
    Bytes(Bytes),
    /// Generated content kept on disk by `serve`'s [`Store`] rather than in memory.
    Stored(StoredFile),
    /// A file copied from the site (static, bundle asset).
    Copy(PathBuf),
}

impl OutputFile {
    /// The generated bytes (`None` for a copied file), read from the store if they are kept
    /// there.
    pub fn generated(&self) -> Option<io::Result<std::borrow::Cow<'_, [u8]>>> {
        match self {
            OutputFile::Bytes(bytes) => Some(Ok(std::borrow::Cow::Borrowed(bytes))),
            OutputFile::Stored(stored) => Some(stored.read().map(std::borrow::Cow::Owned)),
            OutputFile::Copy(_) => None,
        }
    }
}

/// Generated files are equal when their bytes are, wherever they are kept.
impl PartialEq for OutputFile {
    fn eq(&self, other: &OutputFile) -> bool {
        match (self, other) {
            (OutputFile::Copy(a), OutputFile::Copy(b)) => a == b,
            (OutputFile::Stored(a), OutputFile::Stored(b)) => a == b,
            (OutputFile::Copy(_), _) | (_, OutputFile::Copy(_)) => false,
            _ => matches!((self.generated(), other.generated()), (Some(Ok(a)), Some(Ok(b))) if a == b),
        }
    }
}

impl Eq for OutputFile {}

/// The whole output tree, by relative path. Sorted, so writing is deterministic.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Output {
    files: BTreeMap<String, OutputFile>,
}

impl Output {
    /// Adds (or replaces) a generated file.
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), OutputFile::Bytes(bytes.into().into()));
    }

    /// Adds (or replaces) a file copied from disk.
    pub fn copy(&mut self, path: impl Into<String>, source: PathBuf) {
        self.files.insert(path.into(), OutputFile::Copy(source));
    }

    /// Adds the files of `other` whose paths this output does not have yet (its own files,
    /// such as a site's `static/` ones, win).
    pub fn add_missing(&mut self, other: Output) {
        for (path, file) in other.files {
            self.files.entry(path).or_insert(file);
        }
    }

    /// Whether `path` is part of the output.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// The generated bytes at `path` held in memory (not copied files, nor files kept in a
    /// [`Store`]: see [`Output::generated`]).
    pub fn bytes(&self, path: &str) -> Option<&[u8]> {
        match self.files.get(path)? {
            OutputFile::Bytes(b) => Some(b),
            OutputFile::Stored(_) | OutputFile::Copy(_) => None,
        }
    }

    /// The generated bytes at `path`, wherever they are kept (not copied files).
    pub fn generated(&self, path: &str) -> Option<io::Result<std::borrow::Cow<'_, [u8]>>> {
        self.files.get(path)?.generated()
    }

    /// The file at `path`: generated bytes or a file to copy.
    pub fn get(&self, path: &str) -> Option<&OutputFile> {
        self.files.get(path)
    }

    /// All paths, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there are no files.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Where the files of a build go, one at a time and from any render thread. What the output
/// contains is decided once, by `Site::render_pages_into` and `Site::search_files_into`;
/// a sink only decides where it goes: into memory (`Mutex<Output>`, for `serve` and tests)
/// or into a staging folder ([`StagingWriter`], for `build`). Each path is put at most once.
pub trait Sink: Sync {
    /// Puts one file of the output at `path`.
    fn put(&self, path: String, file: OutputFile);

    /// Whether the sink has failed, so that the producer may stop early (the sink reports
    /// the failure itself).
    fn failed(&self) -> bool {
        false
    }
}

impl Sink for std::sync::Mutex<Output> {
    fn put(&self, path: String, file: OutputFile) {
        let mut output = self.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        output.files.insert(path, file);
    }
}

/// Refuses a path that could leave the output folder or that names the marker.
fn check_output_path(path: &str) -> Result<()> {
    if path.split('/').any(|part| part == ".." || part.is_empty()) {
        bail!("refusing to write `{path}` outside the output folder");
    }
    if path == MARKER {
        bail!("the site has a file `{MARKER}` at the top of its output (from static/?): casebook reserves that name for the marker of the folders it makes; rename the file");
    }
    Ok(())
}

/// What became of one file put into a [`StagingWriter`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// Written anew (it is new, or its bytes changed).
    Written,
    /// Carried over unchanged: the reused staging folder already held the same bytes at the
    /// same path (left as it was), or the previous output did (hard-linked).
    Carried,
}

/// How many files a [`StagingWriter`] stored, and how.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stores {
    /// Files written anew.
    pub written: usize,
    /// Files carried over from the previous output unchanged.
    pub carried: usize,
    /// Of all of them, the `.html` pages.
    pub pages: usize,
    /// Of the carried ones, those kept without being made again ([`StagingWriter::keep`]).
    pub kept: usize,
    /// Files the reused staging folder held that the new tree does not have, removed.
    pub removed: usize,
    /// The [`content_hash`] of every generated file (not copied ones), by path.
    pub hashes: HashMap<String, u128>,
}

/// The hash a generated file is known by from one build to the next (XXH3-128 of its bytes).
pub fn content_hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// The sink of `build`: updates the staging folder into the new tree, one file the moment it
/// is put (from the render threads): a file staging already holds with the same bytes is
/// left, one the previous output has with the same bytes is hard-linked, any other is written
/// (see the module docs, "carrying over" and "reusing"). [`StagingWriter::finish`] then
/// removes what staging held that the new tree does not have. Its first error stops it: every
/// later file is dropped, and `finish` returns that error.
pub struct StagingWriter<'a> {
    dir: &'a Path,
    /// What the staging folder held when the build began.
    held: &'a Held,
    /// Every path put so far: a second put of one path is an error, and what staging held
    /// beyond these is removed at the end.
    produced: Mutex<HashSet<String>>,
    /// The marked tree at the output name, which unchanged files are carried over from.
    previous: Option<&'a Path>,
    /// Cleared when the file system refuses a hard link, so no more are tried.
    linking: AtomicBool,
    before_each: &'a Hook<'a>,
    on_stored: &'a (dyn Fn(Stored) + Sync),
    written: AtomicUsize,
    carried: AtomicUsize,
    pages: AtomicUsize,
    kept: AtomicUsize,
    /// The content hash of each generated file stored.
    hashes: Mutex<HashMap<String, u128>>,
    error: Mutex<Option<anyhow::Error>>,
    failed: AtomicBool,
}

/// Called with each path just before its file is stored; an error fails the build there.
pub type Hook<'a> = dyn Fn(&str) -> io::Result<()> + Sync + 'a;

impl Sink for StagingWriter<'_> {
    fn put(&self, path: String, file: OutputFile) {
        if self.failed() {
            return;
        }
        match self.store(&path, &file) {
            Ok(stored) => {
                if let OutputFile::Bytes(bytes) = &file {
                    self.remember(&path, content_hash(bytes));
                }
                self.count(&path, stored);
            }
            Err(e) => self.fail(e),
        }
    }

    fn failed(&self) -> bool {
        self.failed.load(Ordering::Relaxed)
    }
}

impl StagingWriter<'_> {
    /// Stores the generated file at `path` without its bytes, when the caller knows their
    /// [`content_hash`] (from the last build's manifest, `crate::reuse`) and a file with that
    /// hash is at `path` in staging (left as it is) or in the previous output (hard-linked):
    /// whether it did. Any doubt means "no", and the caller makes the file and puts it as
    /// usual; nothing is counted or claimed until the file is in place, so that put is its
    /// first.
    pub fn keep(&self, path: &str, hash: u128) -> bool {
        if self.failed() || check_output_path(path).is_err() {
            return false;
        }
        let dest = self.dir.join(path);
        if !self.staged_with_hash(path, hash) && !self.link_with_hash(path, hash, &dest) {
            return false;
        }
        match self.claim(path) {
            Ok(()) => {
                self.remember(path, hash);
                self.kept.fetch_add(1, Ordering::Relaxed);
                self.count(path, Stored::Carried);
            }
            Err(e) => self.fail(e),
        }
        true
    }

    /// Whether [`keep`](Self::keep) would find a file at `path` whose bytes hash to `hash`,
    /// in staging or in the previous output, without keeping it: so a caller can tell early
    /// that it must make the file after all (the output was deleted but its manifest was
    /// not), rather than find out at `keep`.
    pub fn has_copy(&self, path: &str, hash: u128) -> bool {
        if self.failed() || check_output_path(path).is_err() {
            return false;
        }
        self.staged_with_hash(path, hash) || self.previous_with_hash(path, hash).is_some()
    }

    /// Whether staging's own file at `path` (left from the tree it held) hashes to `hash`.
    fn staged_with_hash(&self, path: &str, hash: u128) -> bool {
        self.held.files.contains(path)
            && open_no_follow(&self.dir.join(path)).is_ok_and(|mut f| hashes_to(&mut f, hash))
    }

    /// The previous output's file at `path` (its path and metadata) if it is a regular file
    /// whose bytes hash to `hash`.
    fn previous_with_hash(&self, path: &str, hash: u128) -> Option<(PathBuf, fs::Metadata)> {
        let (old_path, mut old, old_meta) = self.previous_file(path)?;
        (old_meta.is_file() && hashes_to(&mut old, hash)).then_some((old_path, old_meta))
    }

    /// Hard-links the previous output's file at `path` to `dest` if its bytes hash to `hash`
    /// (staging's own file there, with other bytes, goes first); whether it did.
    fn link_with_hash(&self, path: &str, hash: u128, dest: &Path) -> bool {
        let Some((old_path, old_meta)) = self.previous_with_hash(path, hash) else {
            return false;
        };
        if self.held.clear_the_way(self.dir, path).is_err() {
            return false;
        }
        // Only a name goes: the inode may live on in the previous output.
        if self.held.files.contains(path) && remove_if_there(dest).is_err() {
            return false;
        }
        self.link(&old_path, &old_meta, dest)
    }

    /// Calls the hook for `path` and records it as put: a second put of a path is an error.
    fn claim(&self, path: &str) -> Result<()> {
        (self.before_each)(path).with_context(|| format!("writing {path}"))?;
        let first = self
            .produced
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(path.to_owned());
        if !first {
            bail!("the build made two files at `{path}`");
        }
        Ok(())
    }

    fn remember(&self, path: &str, hash: u128) {
        self.hashes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(path.to_owned(), hash);
    }

    fn count(&self, path: &str, stored: Stored) {
        let count = match stored {
            Stored::Written => &self.written,
            Stored::Carried => &self.carried,
        };
        count.fetch_add(1, Ordering::Relaxed);
        if path.ends_with(".html") {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
        (self.on_stored)(stored);
    }

    /// Records the first error; the writer stores nothing more.
    fn fail(&self, e: anyhow::Error) {
        let mut first = self.error.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        first.get_or_insert(e);
        self.failed.store(true, Ordering::Relaxed);
    }

    /// The first error so far, if any (the writer then stores nothing more).
    pub fn check(&self) -> Result<()> {
        let mut first = self.error.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match first.take() {
            Some(e) => {
                self.failed.store(true, Ordering::Relaxed);
                Err(e)
            }
            None => Ok(()),
        }
    }

    /// Removes what the staging folder held that the new tree does not have (so staging is
    /// now exactly the new tree), and returns the counts of what was stored, or the first
    /// error.
    pub fn finish(self) -> Result<Stores> {
        self.check()?;
        let produced = self
            .produced
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let removed = self.held.remove_stale(self.dir, &produced)?;
        Ok(Stores {
            written: self.written.into_inner(),
            carried: self.carried.into_inner(),
            pages: self.pages.into_inner(),
            kept: self.kept.into_inner(),
            removed,
            hashes: self
                .hashes
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        })
    }

    fn store(&self, path: &str, file: &OutputFile) -> Result<Stored> {
        // The hook first: as a full disk would, it fails whatever the path is.
        (self.before_each)(path).with_context(|| format!("writing {path}"))?;
        check_output_path(path)?;
        let first = self
            .produced
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(path.to_owned());
        if !first {
            bail!("the build made two files at `{path}`");
        }
        let dest = self.dir.join(path);
        self.held
            .clear_the_way(self.dir, path)
            .with_context(|| format!("making room for {}", dest.display()))?;
        if self.held.files.contains(path) {
            if open_no_follow(&dest).is_ok_and(|mut held| holds(&mut held, file)) {
                return Ok(Stored::Carried);
            }
            // Only a name goes: the inode may live on in the previous output.
            remove_if_there(&dest).with_context(|| format!("replacing {}", dest.display()))?;
        }
        if self.carry_over(path, file, &dest) {
            return Ok(Stored::Carried);
        }
        write_new(&dest, file)?;
        Ok(Stored::Written)
    }

    /// Hard-links the previous output's file at `path` to `dest` if its bytes are `file`'s;
    /// whether it did. Any doubt (no such file, another length, an error) means "no": the
    /// file is then written, which is always correct.
    fn carry_over(&self, path: &str, file: &OutputFile, dest: &Path) -> bool {
        let Some((old_path, mut old, old_meta)) = self.previous_file(path) else {
            return false;
        };
        holds(&mut old, file) && self.link(&old_path, &old_meta, dest)
    }

    /// The previous output's file at `path`, open, with its metadata, while hard links are
    /// still worth trying; `None` on any doubt. Never followed: the previous tree's own file,
    /// not one a symlink points to.
    fn previous_file(&self, path: &str) -> Option<(PathBuf, fs::File, fs::Metadata)> {
        let previous = self.previous.filter(|_| self.linking.load(Ordering::Relaxed))?;
        let old_path = previous.join(path);
        let old = open_no_follow(&old_path).ok()?;
        let old_meta = old.metadata().ok()?;
        Some((old_path, old, old_meta))
    }

    /// Links `old` (whose metadata is `old_meta`) at `dest`, creating folders as needed;
    /// whether `dest` is now that very file.
    fn link(&self, old: &Path, old_meta: &fs::Metadata, dest: &Path) -> bool {
        let linked = in_new_folder(dest, || fs::hard_link(old, dest));
        if let Err(e) = linked {
            if refuses_links(&e) {
                self.linking.store(false, Ordering::Relaxed);
            }
            return false;
        }
        // The name may have been swapped between the comparison and the link: keep the link
        // only if it is the file that was compared.
        if fs::symlink_metadata(dest).is_ok_and(|m| same_file(&m, old_meta)) {
            return true;
        }
        fs::remove_file(dest).is_ok()
    }
}

impl Staging<'_> {
    /// A sink writing into this staging folder, carrying unchanged files over from the
    /// output's current tree (when casebook made it); `before_each` is the test seam of
    /// [`crate::build::build_with`], `on_stored` hears of each file stored.
    pub fn writer<'a>(
        &'a self,
        before_each: &'a Hook<'a>,
        on_stored: &'a (dyn Fn(Stored) + Sync),
    ) -> StagingWriter<'a> {
        StagingWriter {
            dir: &self.dir.staging,
            held: &self.held,
            produced: Mutex::new(HashSet::new()),
            previous: self.carry_from_target.then_some(self.dir.target.as_path()),
            linking: AtomicBool::new(true),
            before_each,
            on_stored,
            written: AtomicUsize::new(0),
            carried: AtomicUsize::new(0),
            pages: AtomicUsize::new(0),
            kept: AtomicUsize::new(0),
            hashes: Mutex::new(HashMap::new()),
            error: Mutex::new(None),
            failed: AtomicBool::new(false),
        }
    }
}

/// Whether the open file `old` is a regular file with `file`'s bytes (length from the
/// metadata first, then the bytes; for a copied file, the source against `old`). Any doubt
/// (a read error, a source that is not a regular file) means "no".
fn holds(old: &mut File, file: &OutputFile) -> bool {
    let Ok(old_meta) = old.metadata() else { return false };
    old_meta.is_file()
        && match file {
            OutputFile::Bytes(bytes) => {
                old_meta.len() == bytes.len() as u64 && same_bytes(old, &mut &bytes[..], old_meta.len())
            }
            // `build` has no store; were it given a stored file, writing it is always right.
            OutputFile::Stored(_) => false,
            OutputFile::Copy(source) => open_no_follow(source).is_ok_and(|mut source| {
                source
                    .metadata()
                    .is_ok_and(|m| m.is_file() && m.len() == old_meta.len())
                    && same_bytes(old, &mut source, old_meta.len())
            }),
        }
}

/// Whether the open file `file` is a regular file whose bytes have [`content_hash`] `hash`
/// (any read error: no).
fn hashes_to(file: &mut File, hash: u128) -> bool {
    let mut bytes = Vec::new();
    file.metadata().is_ok_and(|m| m.is_file()) && file.read_to_end(&mut bytes).is_ok() && content_hash(&bytes) == hash
}

/// Removes the file (not folder) `path`; one already gone is fine.
fn remove_if_there(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if gone(&e) => Ok(()),
        other => other,
    }
}

/// Whether a failed removal means the entry is gone already (or one of its folders is, a
/// file of the new tree now in its place).
fn gone(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory)
}

/// What a (reused) staging folder held when the build began, by path relative to it: the
/// starting point the writer updates into the new tree. The marker is not among them.
#[derive(Debug, Default)]
struct Held {
    /// Regular files.
    files: HashSet<String>,
    /// Folders.
    folders: HashSet<String>,
}

impl Held {
    /// Surveys the staging folder `dir` (never following a symlink) and makes it fit to be
    /// updated: what is neither a regular file nor a folder (a symlink, say, put into the
    /// output by hand before it became staging) is removed, so that nothing written later can
    /// go through it; a folder that is not writable is made so (it is casebook's, and the
    /// live output is another folder).
    fn survey(dir: &Path) -> Result<Held> {
        let mut held = Held::default();
        let mut walk = walkdir::WalkDir::new(dir).min_depth(1).into_iter();
        while let Some(entry) = walk.next() {
            let entry = entry?;
            let kind = entry.file_type();
            let rel = entry
                .path()
                .strip_prefix(dir)
                .ok()
                .and_then(Path::to_str)
                .map(|p| p.replace('\\', "/"));
            match rel {
                Some(rel) if rel == MARKER => {}
                Some(rel) if kind.is_file() => {
                    held.files.insert(rel);
                }
                Some(rel) if kind.is_dir() => {
                    make_writable(entry.path(), &entry.metadata()?)?;
                    held.folders.insert(rel);
                }
                // Not a name the build can make (not UTF-8) or not a file: it goes now.
                _ if kind.is_dir() => {
                    walk.skip_current_dir();
                    remove_folder(entry.path())?;
                }
                _ => fs::remove_file(entry.path())?,
            }
        }
        Ok(held)
    }

    /// Frees the way for a file at `path`: a folder held there is removed, and so is a file
    /// held where one of its folders goes. (Another thread may have made that folder
    /// meanwhile: unlinking it then fails, harmlessly.)
    fn clear_the_way(&self, dir: &Path, path: &str) -> io::Result<()> {
        for (end, _) in path.match_indices('/') {
            if self.files.contains(&path[..end]) {
                let _ = fs::remove_file(dir.join(&path[..end]));
            }
        }
        if self.folders.contains(path) {
            match remove_folder(&dir.join(path)) {
                Err(e) if !gone(&e) => return Err(e),
                _ => {}
            }
        }
        Ok(())
    }

    /// Removes what was held and is not `produced` (files, then folders deepest first, each
    /// depth in parallel), so that `dir` holds exactly the new tree; returns how many files.
    fn remove_stale(&self, dir: &Path, produced: &HashSet<String>) -> Result<usize> {
        let mut needed: HashSet<&str> = HashSet::new();
        for path in produced {
            needed.extend(path.match_indices('/').map(|(end, _)| &path[..end]));
        }
        let stale = |path: &&String| !produced.contains(*path) && !needed.contains(path.as_str());
        let files: Vec<&String> = self.files.iter().filter(stale).collect();
        let removing = |path: &String| {
            format!(
                "removing {}, which the new output does not have",
                dir.join(path).display()
            )
        };
        files
            .par_iter()
            .try_for_each(|path| remove_if_there(&dir.join(path)).with_context(|| removing(path)))?;
        let mut folders: Vec<&String> = self.folders.iter().filter(stale).collect();
        folders.sort_by_key(|path| std::cmp::Reverse(path.matches('/').count()));
        for depth in folders.chunk_by(|a, b| a.matches('/').count() == b.matches('/').count()) {
            depth
                .par_iter()
                .try_for_each(|path| match fs::remove_dir(dir.join(path)) {
                    Err(e) if !gone(&e) => Err(e).with_context(|| removing(path)),
                    _ => Ok(()),
                })?;
        }
        Ok(files.len())
    }
}

/// Gives the owner write access to the folder `path` (whose metadata is `meta`) if it lacks it.
fn make_writable(path: &Path, meta: &fs::Metadata) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode();
        if mode & 0o700 != 0o700 {
            fs::set_permissions(path, fs::Permissions::from_mode(mode | 0o700))?;
        }
    }
    #[cfg(not(unix))]
    if meta.permissions().readonly() {
        let mut permissions = meta.permissions();
        permissions.set_readonly(false);
        fs::set_permissions(path, permissions)?;
    }
    Ok(())
}

/// Writes `file` at `dest` as a new file: `create_new`, so nothing is ever written into an
/// existing inode (one that may be shared, by a hard link, with the previous output).
fn write_new(dest: &Path, file: &OutputFile) -> Result<()> {
    let create = || fs::OpenOptions::new().write(true).create_new(true).open(dest);
    match file {
        OutputFile::Bytes(bytes) => in_new_folder(dest, create)
            .and_then(|mut out| out.write_all(bytes))
            .with_context(|| format!("writing {}", dest.display())),
        OutputFile::Stored(stored) => stored
            .read()
            .and_then(|bytes| in_new_folder(dest, create)?.write_all(&bytes[..]))
            .with_context(|| format!("writing {}", dest.display())),
        OutputFile::Copy(source) => copy_regular_file(source, || in_new_folder(dest, create))
            .with_context(|| format!("copying {} to {}", source.display(), dest.display())),
    }
}

/// Runs `make` (which creates `dest`); if `dest`'s folder is missing, creates it and runs
/// `make` again. (Concurrent `create_dir_all` of the same folder is fine: it accepts a folder
/// that appeared meanwhile.)
fn in_new_folder<T>(dest: &Path, make: impl Fn() -> io::Result<T>) -> io::Result<T> {
    match make() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(folder) = dest.parent() {
                fs::create_dir_all(folder)?;
            }
            make()
        }
        other => other,
    }
}

/// Whether `a` and `b` read the same `len` bytes (any read error: no).
fn same_bytes(a: &mut impl Read, b: &mut impl Read, len: u64) -> bool {
    const CHUNK: usize = 64 * 1024;
    let (mut x, mut y) = (vec![0; CHUNK], vec![0; CHUNK]);
    let mut left = len;
    while left > 0 {
        let n = left.min(CHUNK as u64) as usize;
        if a.read_exact(&mut x[..n]).is_err() || b.read_exact(&mut y[..n]).is_err() || x[..n] != y[..n] {
            return false;
        }
        left -= n as u64;
    }
    true
}

/// Whether two metadata describe the same file (device and inode; elsewhere than Unix, no).
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Whether a failed link means this file system will refuse every link (another file
/// system, or none at all), rather than something about this one file.
fn refuses_links(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        use rustix::io::Errno;
        let code = e.raw_os_error().map(Errno::from_raw_os_error);
        if matches!(code, Some(Errno::XDEV | Errno::PERM | Errno::NOTSUP | Errno::NOSYS)) {
            return true;
        }
    }
    e.kind() == io::ErrorKind::Unsupported
}

/// Copies `source`, which must be a regular file itself (see [`open_no_follow`]), into the
/// file `create` makes.
fn copy_regular_file(source: &Path, create: impl FnOnce() -> io::Result<File>) -> Result<()> {
    let mut from = open_no_follow(source)?;
    if !from.metadata()?.is_file() {
        bail!("not a regular file");
    }
    io::copy(&mut from, &mut create()?)?;
    Ok(())
}

/// Opens `path` for reading without following a symlink, so a link swapped in after discovery
/// cannot reach a file outside the site, and without blocking, so a FIFO swapped in is refused
/// rather than waited on. (Elsewhere than Unix: a plain open.) The build's copies and `serve`'s
/// reads of copied files both open through here.
pub fn open_no_follow(path: &Path) -> io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32);
    }
    options.open(path)
}

/// A checked output folder: where a build may write, and the work folders beside it.
#[derive(Debug, Clone)]
pub struct OutputDir {
    /// The output folder, resolved (may not exist yet).
    target: PathBuf,
    /// `.<name>.casebook-staging`: the new tree while it is written and, after an exchange,
    /// the old one, kept to be updated into the next.
    staging: PathBuf,
    /// `.<name>.casebook-previous`: the old tree between the two renames of the fallback swap.
    previous: PathBuf,
    /// `.<name>.casebook-manifest`: what the last build made, for the next to reuse.
    manifest: PathBuf,
}

impl OutputDir {
    /// Checks that a build of the site at `root` may write into `target` (see the module
    /// docs for the rules). Changes nothing on disk.
    pub fn check(root: &Path, target: &Path) -> Result<OutputDir> {
        let written: PathBuf = std::path::absolute(target)
            .context("reading the current folder")?
            .components()
            .collect();
        if fs::symlink_metadata(&written).is_ok_and(|m| m.file_type().is_symlink()) {
            bail!(
                "refusing to write the site into {}: it is a symlink, and casebook replaces its output folder whole; pass the real folder (or a new one) as --output",
                written.display()
            );
        }
        let target = resolve(&written)?;
        let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
            bail!(
                "refusing to write the site into {}: choose a folder of its own",
                target.display()
            );
        };
        let beside = |role: &str| parent.join(format!(".{}.casebook-{role}", name.to_string_lossy()));
        let dir = OutputDir {
            staging: beside("staging"),
            previous: beside("previous"),
            manifest: beside("manifest"),
            target: target.clone(),
        };
        dir.refuse_site_overlap(root)?;
        dir.refuse_foreign_folders()?;
        Ok(dir)
    }

    /// The output folder, resolved.
    pub fn path(&self) -> &Path {
        &self.target
    }

    /// Puts back a tree a crash left out, removes a leftover previous tree, and readies the
    /// staging folder to write the new tree into: the one left by the last build (the
    /// generation before the output's, or a killed build's half-updated tree) is reused as
    /// it is, else an empty one is made. Either way it is marked first.
    pub fn prepare(&self) -> Result<Staging<'_>> {
        self.refuse_foreign_folders()?;
        self.recover()?;
        remove_leftover(&self.previous)?;
        let parent = self.parent();
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        if inspect(&self.staging)? == Found::Missing {
            fs::create_dir(&self.staging).with_context(|| format!("creating {}", self.staging.display()))?;
        }
        mark(&self.staging).with_context(|| format!("writing the marker into {}", self.staging.display()))?;
        let held = Held::survey(&self.staging).with_context(|| format!("reading {}", self.staging.display()))?;
        Ok(Staging {
            dir: self,
            carry_from_target: inspect(&self.target)? == Found::Marked,
            held,
        })
    }

    /// Leaves `bytes` as the manifest beside the output (`.<name>.casebook-manifest`) for the
    /// next build, replacing the last one (but never a file of that name casebook did not
    /// write). Written beside and renamed over, so it is whole or absent; not synced, as a
    /// lost one only means the next build renders every page.
    pub fn save_manifest(&self, bytes: &[u8]) -> Result<()> {
        let manifest = &self.manifest;
        if fs::symlink_metadata(manifest).is_ok() && self.last_manifest().is_none() {
            bail!(
                "{} is not a manifest casebook wrote: casebook leaves it alone",
                manifest.display()
            );
        }
        let mut fresh = manifest.clone().into_os_string();
        fresh.push(".new");
        let fresh = PathBuf::from(fresh);
        remove_if_there(&fresh)?;
        let mut file = fs::OpenOptions::new().write(true).create_new(true).open(&fresh)?;
        file.write_all(MANIFEST_HEADER)?;
        file.write_all(bytes)?;
        fs::rename(&fresh, manifest)?;
        Ok(())
    }

    /// The manifest the last build left beside the output, without its header (`None` if
    /// there is none, or what is there is not one).
    pub fn last_manifest(&self) -> Option<Vec<u8>> {
        let mut file = open_no_follow(&self.manifest).ok()?;
        let mut bytes = Vec::new();
        if !file.metadata().ok()?.is_file() || file.read_to_end(&mut bytes).is_err() {
            return None;
        }
        bytes.strip_prefix(MANIFEST_HEADER).map(<[u8]>::to_vec)
    }

    /// If the output is missing but a marked previous tree survives (a crash between the
    /// two renames of the fallback swap), puts it back.
    pub fn recover(&self) -> Result<()> {
        if inspect(&self.target)? == Found::Missing && inspect(&self.previous)? == Found::Marked {
            fs::rename(&self.previous, &self.target)
                .with_context(|| format!("putting the previous output back into {}", self.target.display()))?;
            sync_dir(self.parent())?;
        }
        Ok(())
    }

    fn parent(&self) -> &Path {
        self.target.parent().unwrap_or(&self.target)
    }

    /// The output may not be the site root, contain it, or overlap any of its inputs.
    fn refuse_site_overlap(&self, root: &Path) -> Result<()> {
        let root = resolve(root)?;
        let target = &self.target;
        if root.starts_with(target) {
            bail!(
                "refusing to write the site into {}: it is the site folder or contains it, and casebook replaces its output folder whole; use the default (public/ in the site) or a folder of its own",
                target.display()
            );
        }
        for input in INPUTS {
            let input = resolve(&root.join(input))?;
            if target.starts_with(&input) || input.starts_with(target) {
                bail!(
                    "refusing to write the site into {}: it overlaps the site's input {}; use the default (public/ in the site) or a folder of its own",
                    target.display(),
                    input.display()
                );
            }
        }
        Ok(())
    }

    /// The output and its work folders must be missing, empty or made by casebook.
    fn refuse_foreign_folders(&self) -> Result<()> {
        if let Found::Foreign(what) = inspect(&self.target)? {
            bail!(
                "refusing to write the site into {}: it is {what}. Casebook replaces its output folder whole, so it only writes into a new or empty folder, or one it made (with a `{MARKER}` file); choose another --output, or move that one away yourself",
                self.target.display()
            );
        }
        for work in [&self.staging, &self.previous] {
            if let Found::Foreign(what) = inspect(work)? {
                bail!(
                    "{} is in the way: casebook uses that name for its work folder, and it is {what}; rename or remove it yourself",
                    work.display()
                );
            }
        }
        Ok(())
    }
}

/// A marked folder the new tree is written into. Dropped without [`Staging::commit`] (a
/// failed build), it stays, marked and hidden, as the starting point of the next build.
#[derive(Debug)]
pub struct Staging<'a> {
    dir: &'a OutputDir,
    /// Whether the output holds a tree casebook made, which unchanged files are carried
    /// over from.
    carry_from_target: bool,
    /// What the folder held before this build.
    held: Held,
}

impl Staging<'_> {
    /// The folder to write the new tree into.
    pub fn path(&self) -> &Path {
        &self.dir.staging
    }

    /// Makes the staged tree durable and swaps it into place; the old tree stays at the
    /// staging name, for the next build to update. Errors come only before the swap (and
    /// leave the output as it was); problems after it are returned as warnings.
    pub fn commit(self) -> Result<Vec<Diagnostic>> {
        let dir = self.dir;
        sync_tree(&dir.staging).with_context(|| format!("making {} durable", dir.staging.display()))?;
        dir.refuse_foreign_folders()?;
        let aside = swap(dir)?;
        let mut warnings = Vec::new();
        if let Err(e) = sync_dir(dir.parent()) {
            warnings.push(cleanup_warning(dir.parent(), "it may not survive a power cut", &e));
        }
        if aside {
            // The fallback swap put the old tree at the previous name: make it the next
            // staging folder (or, failing that, the next build removes it).
            if let Err(e) = fs::rename(&dir.previous, &dir.staging) {
                let e = anyhow::Error::from(e);
                warnings.push(cleanup_warning(
                    &dir.previous,
                    "the previous output could not be moved",
                    &e,
                ));
            }
        }
        Ok(warnings)
    }
}

fn cleanup_warning(path: &Path, what: &str, e: &anyhow::Error) -> Diagnostic {
    Diagnostic::warning(
        &path.display().to_string(),
        Location::default(),
        Code::OutputCleanup,
        format!("the new output is in place, but {what}: {e:#}"),
    )
    .with_help("the next build tries again; if this repeats, remove the folder yourself")
}

/// Puts the staged tree at the output name, the old one (if any) at the staging name by an
/// exchange, or at the previous name by the fallback: whether it is there.
fn swap(dir: &OutputDir) -> Result<bool> {
    let (staging, target) = (&dir.staging, &dir.target);
    let moving = || format!("moving the new output into {}", target.display());
    if inspect(target)? == Found::Missing {
        rename_noreplace(staging, target).with_context(moving)?;
        return Ok(false);
    }
    match exchange(staging, target) {
        Ok(()) => return Ok(false),
        Err(e) if !exchange_unsupported(&e) => return Err(e).with_context(moving),
        Err(_) => {}
    }
    // No atomic exchange here: two renames, which `OutputDir::recover` completes after a crash.
    fs::rename(target, &dir.previous).with_context(|| format!("moving the previous {} aside", target.display()))?;
    if let Err(e) = fs::rename(staging, target) {
        let _ = fs::rename(&dir.previous, target);
        return Err(e).with_context(moving);
    }
    Ok(true)
}

#[cfg(any(target_os = "linux", target_os = "android", target_os = "macos", target_os = "ios"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    Ok(renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE)?)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos", target_os = "ios")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(any(target_os = "linux", target_os = "android", target_os = "macos", target_os = "ios"))]
fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Err(e) if exchange_unsupported(&io::Error::from(e)) => fs::rename(from, to),
        other => Ok(other?),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos", target_os = "ios")))]
fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    fs::rename(from, to)
}

/// Makes sure the folder `dir` holds the marker with its fixed bytes. A wrong one is
/// replaced by a rename over it, so the folder is never unmarked meanwhile.
fn mark(dir: &Path) -> io::Result<()> {
    let marker = dir.join(MARKER);
    if fs::read(&marker).is_ok_and(|bytes| bytes == MARKER_TEXT.as_bytes()) {
        return Ok(());
    }
    let fresh = dir.join(MARKER_NEW);
    remove_if_there(&fresh)?;
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&fresh)?
        .write_all(MARKER_TEXT.as_bytes())?;
    fs::rename(&fresh, &marker)
}

/// Whether a failed exchange means "not supported here" (so two renames are used instead).
fn exchange_unsupported(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        use rustix::io::Errno;
        let code = e.raw_os_error().map(Errno::from_raw_os_error);
        if matches!(code, Some(Errno::INVAL | Errno::NOSYS | Errno::NOTSUP)) {
            return true;
        }
    }
    e.kind() == io::ErrorKind::Unsupported
}

/// Makes every file under `dir` durable: one `syncfs` of its filesystem on Linux (0.3 s
/// against 82 s for a fsync per file on 10,000 resources), else a fsync of every file and folder.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn sync_tree(dir: &Path) -> Result<()> {
    Ok(rustix::fs::syncfs(File::open(dir)?)?)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn sync_tree(dir: &Path) -> Result<()> {
    sync_each(dir)
}

/// A fsync of every file and folder under `dir` (the portable way, and the one `syncfs` was
/// measured against).
#[cfg_attr(any(target_os = "linux", target_os = "android"), allow(dead_code))]
fn sync_each(dir: &Path) -> Result<()> {
    for entry in walkdir::WalkDir::new(dir).contents_first(true) {
        let entry = entry?;
        if entry.file_type().is_file() {
            File::open(entry.path())?.sync_all()?;
        } else if entry.file_type().is_dir() {
            sync_dir(entry.path())?;
        }
    }
    Ok(())
}

/// Makes the entries of `dir` (a rename into it) durable.
fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("syncing {}", dir.display()))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// What is at a path, as far as removing or replacing it goes.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    Missing,
    Empty,
    /// A folder casebook made: it holds the marker.
    Marked,
    /// Anything else, in words: casebook must not touch it.
    Foreign(&'static str),
}

fn inspect(path: &Path) -> Result<Found> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Found::Missing),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let kind = meta.file_type();
    if kind.is_symlink() {
        return Ok(Found::Foreign("a symlink"));
    }
    if !kind.is_dir() {
        return Ok(Found::Foreign("not a folder"));
    }
    if [MARKER, MARKER_NEW]
        .iter()
        .any(|name| fs::symlink_metadata(path.join(name)).is_ok_and(|m| m.is_file()))
    {
        return Ok(Found::Marked);
    }
    let mut entries = fs::read_dir(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(match entries.next() {
        None => Found::Empty,
        Some(_) => Found::Foreign("a folder with files casebook did not make"),
    })
}

/// Removes `path` if casebook may: a marked tree or an empty folder. Anything else stays.
fn remove_leftover(path: &Path) -> Result<()> {
    let removing = || format!("removing casebook's leftover {}", path.display());
    match inspect(path)? {
        Found::Missing => Ok(()),
        Found::Empty => fs::remove_dir(path).with_context(removing),
        Found::Marked => remove_tree(path).with_context(removing),
        Found::Foreign(what) => bail!("{} is {what}: casebook leaves it alone", path.display()),
    }
}

/// Removes a tree casebook made, folders in parallel. The marker goes last, so a build killed
/// halfway leaves a tree that is still marked (and removed by the next build), never an
/// unmarked one that casebook would have to refuse.
fn remove_tree(path: &Path) -> io::Result<()> {
    remove_contents(path, |name| name != MARKER && name != MARKER_NEW)?;
    remove_if_there(&path.join(MARKER_NEW))?;
    remove_if_there(&path.join(MARKER))?;
    fs::remove_dir(path)
}

/// Removes the entries of `dir` that `wanted` names, and everything under them, in parallel
/// (rayon: one task per folder), never following a symlink.
fn remove_contents(dir: &Path, wanted: fn(&std::ffi::OsStr) -> bool) -> io::Result<()> {
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    entries
        .par_iter()
        .filter(|entry| wanted(&entry.file_name()))
        .try_for_each(|entry| {
            if entry.file_type()?.is_dir() {
                remove_folder(&entry.path())
            } else {
                fs::remove_file(entry.path())
            }
        })
}

/// Removes a folder and everything in it, first making it writable if that is what stops it
/// (a read-only folder in a tree casebook made).
fn remove_folder(path: &Path) -> io::Result<()> {
    let everything = |_: &std::ffi::OsStr| true;
    if remove_contents(path, everything).is_err() {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(path, fs::Permissions::from_mode(0o700))?;
        }
        remove_contents(path, everything)?;
    }
    fs::remove_dir(path)
}

/// `path` made absolute with the symlinks of its existing part resolved; the part that does
/// not exist yet follows as written (`.` dropped, `..` applied: nothing there to resolve).
fn resolve(path: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(path).context("reading the current folder")?;
    let mut resolved = PathBuf::new();
    let mut exists = true;
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            part => {
                resolved.push(part);
                if exists {
                    match resolved.canonicalize() {
                        Ok(real) => resolved = real,
                        Err(e) if e.kind() == io::ErrorKind::NotFound && fs::symlink_metadata(&resolved).is_err() => {
                            exists = false;
                        }
                        Err(e) => return Err(e).with_context(|| format!("resolving {}", resolved.display())),
                    }
                }
            }
        }
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolving_follows_existing_symlinks_and_keeps_the_rest_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        fs::create_dir(real.join("site")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(real.join("site"), real.join("link")).unwrap();
        #[cfg(unix)]
        assert_eq!(resolve(&real.join("link/new/../out/.")).unwrap(), real.join("site/out"));
        assert_eq!(
            resolve(&real.join("site/../site/public")).unwrap(),
            real.join("site/public")
        );
    }

    #[test]
    fn a_marker_makes_a_folder_casebooks_and_an_empty_one_is_free() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        assert_eq!(inspect(&out).unwrap(), Found::Missing);
        fs::create_dir(&out).unwrap();
        assert_eq!(inspect(&out).unwrap(), Found::Empty);
        fs::write(out.join("notes.txt"), "mine").unwrap();
        assert!(matches!(inspect(&out).unwrap(), Found::Foreign(_)));
        assert!(remove_leftover(&out).is_err());
        assert!(out.join("notes.txt").exists());
        fs::write(out.join(MARKER), MARKER_TEXT).unwrap();
        assert_eq!(inspect(&out).unwrap(), Found::Marked);
        remove_leftover(&out).unwrap();
        assert!(!out.exists());
    }

    #[test]
    fn a_folder_killed_while_its_marker_was_written_is_casebooks() {
        // A build killed between making its staging folder and renaming the marker into place
        // leaves the folder holding only the half-written marker: the next build takes it up.
        let dir = tempfile::tempdir().unwrap();
        let staging = dir.path().join("staging");
        fs::create_dir(&staging).unwrap();
        fs::write(staging.join(MARKER_NEW), &MARKER_TEXT[..10]).unwrap();
        assert_eq!(inspect(&staging).unwrap(), Found::Marked);
        mark(&staging).unwrap();
        assert_eq!(fs::read_to_string(staging.join(MARKER)).unwrap(), MARKER_TEXT);
        assert!(!staging.join(MARKER_NEW).exists());
        fs::write(staging.join(MARKER_NEW), "x").unwrap();
        remove_leftover(&staging).unwrap();
        assert!(!staging.exists());
    }

    #[test]
    fn a_tree_being_removed_keeps_its_marker_until_nothing_else_is_left() {
        // Otherwise a build killed while removing an old tree leaves an unmarked, non-empty
        // folder that every later build would have to refuse. Many top-level folders put the
        // marker anywhere in the directory order.
        let dir = tempfile::tempdir().unwrap();
        let tree = dir.path().join("old");
        for i in 0..60 {
            let folder = tree.join(format!("f{i}"));
            fs::create_dir_all(&folder).unwrap();
            for j in 0..20 {
                fs::write(folder.join(format!("{j}.html")), "x").unwrap();
            }
        }
        fs::write(tree.join(MARKER), MARKER_TEXT).unwrap();
        let remover = {
            let tree = tree.clone();
            std::thread::spawn(move || remove_tree(&tree))
        };
        let mut looks = 0;
        while !remover.is_finished() {
            let Ok(entries) = fs::read_dir(&tree) else { break };
            let names: Vec<_> = entries.filter_map(Result::ok).map(|e| e.file_name()).collect();
            assert!(
                names.is_empty() || names.iter().any(|n| n == MARKER),
                "unmarked while {} entries remain",
                names.len()
            );
            looks += 1;
        }
        remover.join().unwrap().unwrap();
        assert!(!tree.exists());
        assert!(looks > 0);
    }

    #[cfg(unix)]
    #[test]
    fn a_copied_file_swapped_for_a_symlink_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("secret.txt"), "outside the site").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), dir.path().join("logo.svg")).unwrap();
        let out = OutputDir::check(&dir.path().join("site"), &dir.path().join("public")).unwrap();
        let staging = out.prepare().unwrap();
        let writer = staging.writer(&|_| Ok(()), &|_| {});
        writer.put("logo.svg".into(), OutputFile::Copy(dir.path().join("logo.svg")));
        assert!(writer.check().is_err());
        assert!(!staging.path().join("logo.svg").exists());
        // A regular file is copied.
        fs::write(dir.path().join("real.svg"), "<svg/>").unwrap();
        let writer = staging.writer(&|_| Ok(()), &|_| {});
        writer.put("images/logo.svg".into(), OutputFile::Copy(dir.path().join("real.svg")));
        writer.finish().unwrap();
        assert_eq!(fs::read(staging.path().join("images/logo.svg")).unwrap(), b"<svg/>");
    }

    #[test]
    fn a_path_is_never_written_twice_so_no_existing_file_is_written_into() {
        // `create_new`: a second file at one path fails rather than writing into the first
        // (which could be a hard link shared with the previous output).
        let dir = tempfile::tempdir().unwrap();
        let out = OutputDir::check(&dir.path().join("site"), &dir.path().join("public")).unwrap();
        let staging = out.prepare().unwrap();
        let writer = staging.writer(&|_| Ok(()), &|_| {});
        writer.put("a/b.html".into(), OutputFile::Bytes(b"first".as_slice().into()));
        writer.put("a/b.html".into(), OutputFile::Bytes(b"second".as_slice().into()));
        assert!(writer.finish().is_err());
        assert_eq!(fs::read(staging.path().join("a/b.html")).unwrap(), b"first");
    }
}
