//! A published build as the preview serves it: the output, and for every file it copies from
//! the site the identity that file had when the build was published.
//!
//! A copied file ([`OutputFile::Copy`]) is only a path, and a path can change meaning after
//! the build: a static file swapped for a symlink to `/etc/passwd`, a folder on its way
//! swapped for a symlink to another tree. So the preview does not serve "whatever the path
//! points to now". When a build is published, each copied file is resolved once: its
//! canonical path must lie inside the site root, and it must be a regular file; its
//! [`Identity`] (device, inode, length, modification time) is recorded. At request time the
//! canonical path is opened without following a symlink (`O_NOFOLLOW`, and `O_NONBLOCK` so a
//! FIFO swapped in cannot hang the open), and the opened file must still have that identity.
//! Anything else is refused (503 while the watcher rebuilds, 403 for a file that led outside
//! the site), so what is served is the file the build saw, never a file outside the site.
//!
//! Why not keep the bytes instead? Copied files are the heavy part of a library (PDFs,
//! slide decks, images): holding them all in memory would make the preview of a 10,000-resource
//! library cost gigabytes. An identity is a few dozen bytes per file, and checking it costs one
//! `open` and one `fstat` per request.

use crate::output::{open_no_follow, Output, OutputFile};
use rayon::prelude::*;
use std::collections::HashMap;
use std::fmt;
use std::fs::{self, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The output of a good build, with the identities of its copied files.
#[derive(Debug, Default)]
pub struct Published {
    output: Output,
    /// By output path: what each copied file was at publication, or why it is refused.
    copied: HashMap<String, Result<Identity, Refusal>>,
}

/// What makes a copied file the one the build saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Canonical (symlink-free) path, inside the site root.
    path: PathBuf,
    device: u64,
    inode: u64,
    len: u64,
    modified: Option<SystemTime>,
}

/// Why a copied file is not served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Its real path lies outside the site (a symlink leading out).
    Outside,
    /// It is not a regular file (a folder, a FIFO, a device).
    NotAFile,
    /// It could not be read (removed, permissions).
    Unreadable,
    /// It is not the file the build published any more; a rebuild follows.
    Changed,
}

impl Refusal {
    /// The HTTP status that says it.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::Outside | Refusal::NotAFile => 403,
            Refusal::Unreadable => 404,
            Refusal::Changed => 503,
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Refusal::Outside => "refused: this file leads outside the site (a symlink?)",
            Refusal::NotAFile => "refused: this is not a regular file",
            Refusal::Unreadable => "cannot be read",
            Refusal::Changed => "changed since the last build; the preview is rebuilding it",
        })
    }
}

impl Published {
    /// Publishes `output`, recording the identity of each copied file (they all lie under
    /// `root`, which must be canonical).
    pub fn new(output: Output, root: &Path) -> Published {
        let sources: Vec<(&str, &Path)> = output
            .paths()
            .filter_map(|path| match output.get(path)? {
                OutputFile::Copy(source) => Some((path, source.as_path())),
                OutputFile::Bytes(_) | OutputFile::Stored(_) => None,
            })
            .collect();
        let copied = sources
            .par_iter()
            .map(|(path, source)| (path.to_string(), Identity::at_publication(source, root)))
            .collect();
        Published { output, copied }
    }

    /// The output as built.
    pub fn output(&self) -> &Output {
        &self.output
    }

    /// Whether `path` is part of the build.
    pub fn contains(&self, path: &str) -> bool {
        self.output.contains(path)
    }

    /// The bytes of the file at `path` (`None` when the build has no such file).
    pub fn read(&self, path: &str) -> Option<Result<Vec<u8>, Refusal>> {
        Some(match self.output.get(path)? {
            OutputFile::Bytes(bytes) => Ok(bytes.to_vec()),
            OutputFile::Stored(stored) => stored.read().map_err(|_| Refusal::Unreadable),
            OutputFile::Copy(_) => match self.copied.get(path) {
                Some(Ok(identity)) => identity.read(),
                Some(Err(refusal)) => Err(refusal.clone()),
                None => Err(Refusal::Changed),
            },
        })
    }
}

impl Identity {
    /// Resolves `source` once, when its build is published.
    fn at_publication(source: &Path, root: &Path) -> Result<Identity, Refusal> {
        let real = source.canonicalize().map_err(|_| Refusal::Unreadable)?;
        if !real.starts_with(root) {
            return Err(Refusal::Outside);
        }
        let metadata = fs::symlink_metadata(&real).map_err(|_| Refusal::Unreadable)?;
        if !metadata.is_file() {
            return Err(Refusal::NotAFile);
        }
        Ok(Identity::of(real, &metadata))
    }

    fn of(path: PathBuf, metadata: &Metadata) -> Identity {
        let (device, inode) = device_and_inode(metadata);
        Identity {
            path,
            device,
            inode,
            len: metadata.len(),
            modified: metadata.modified().ok(),
        }
    }

    /// The file's bytes, if the file at the recorded path is still the one recorded.
    fn read(&self) -> Result<Vec<u8>, Refusal> {
        let file = open_no_follow(&self.path).map_err(|_| Refusal::Changed)?;
        let metadata = file.metadata().map_err(|_| Refusal::Changed)?;
        if !metadata.is_file() || Identity::of(self.path.clone(), &metadata) != *self {
            return Err(Refusal::Changed);
        }
        let mut bytes = Vec::with_capacity(usize::try_from(self.len).unwrap_or(0));
        file.take(self.len)
            .read_to_end(&mut bytes)
            .map_err(|_| Refusal::Unreadable)?;
        Ok(bytes)
    }
}

#[cfg(unix)]
fn device_and_inode(metadata: &Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (metadata.dev(), metadata.ino())
}

#[cfg(not(unix))]
fn device_and_inode(_: &Metadata) -> (u64, u64) {
    (0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site root with `static/a.txt`, published, and a secret outside the site.
    struct Fixture {
        root: tempfile::TempDir,
        outside: tempfile::TempDir,
    }

    impl Fixture {
        fn new() -> Fixture {
            let fixture = Fixture {
                root: tempfile::tempdir().unwrap(),
                outside: tempfile::tempdir().unwrap(),
            };
            fs::create_dir(fixture.root().join("static")).unwrap();
            fs::write(fixture.root().join("static/a.txt"), "site file").unwrap();
            fs::write(fixture.outside.path().join("secret"), "SECRET").unwrap();
            fixture
        }

        fn root(&self) -> PathBuf {
            self.root.path().canonicalize().unwrap()
        }

        fn publish(&self) -> Published {
            let mut output = Output::default();
            output.copy("a.txt", self.root().join("static/a.txt"));
            output.insert("index.html", "page");
            Published::new(output, &self.root())
        }

        #[cfg(unix)]
        fn swap_for_symlink_to_secret(&self) {
            let file = self.root().join("static/a.txt");
            fs::remove_file(&file).unwrap();
            std::os::unix::fs::symlink(self.outside.path().join("secret"), &file).unwrap();
        }
    }

    #[test]
    fn published_files_are_served_as_the_build_saw_them() {
        let fixture = Fixture::new();
        let published = fixture.publish();
        assert_eq!(published.read("a.txt"), Some(Ok(b"site file".to_vec())));
        assert_eq!(published.read("index.html"), Some(Ok(b"page".to_vec())));
        assert_eq!(published.read("nowhere"), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_copied_file_swapped_for_a_symlink_after_the_build_is_not_served() {
        let fixture = Fixture::new();
        let published = fixture.publish();
        fixture.swap_for_symlink_to_secret();
        assert_eq!(published.read("a.txt"), Some(Err(Refusal::Changed)));
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_on_the_way_swapped_for_a_symlink_after_the_build_is_not_served() {
        let fixture = Fixture::new();
        let published = fixture.publish();
        // Same file name under the swapped-in folder: only the identity tells them apart.
        fs::write(fixture.outside.path().join("a.txt"), "SECRET").unwrap();
        fs::rename(fixture.root().join("static"), fixture.root().join("old")).unwrap();
        std::os::unix::fs::symlink(fixture.outside.path(), fixture.root().join("static")).unwrap();
        assert_eq!(published.read("a.txt"), Some(Err(Refusal::Changed)));
    }

    #[cfg(unix)]
    #[test]
    fn a_copied_file_that_leads_outside_the_site_when_published_is_refused() {
        let fixture = Fixture::new();
        fixture.swap_for_symlink_to_secret();
        assert_eq!(fixture.publish().read("a.txt"), Some(Err(Refusal::Outside)));
    }

    #[cfg(unix)]
    #[test]
    fn a_copied_file_swapped_for_a_fifo_is_refused_without_hanging() {
        let fixture = Fixture::new();
        let published = fixture.publish();
        let file = fixture.root().join("static/a.txt");
        fs::remove_file(&file).unwrap();
        let status = std::process::Command::new("mkfifo").arg(&file).status().unwrap();
        assert!(status.success());
        assert_eq!(published.read("a.txt"), Some(Err(Refusal::Changed)));
    }

    #[test]
    fn a_copied_file_edited_after_the_build_waits_for_the_rebuild() {
        let fixture = Fixture::new();
        let published = fixture.publish();
        fs::write(fixture.root().join("static/a.txt"), "edited, longer").unwrap();
        assert_eq!(published.read("a.txt"), Some(Err(Refusal::Changed)));
        assert_eq!(fixture.publish().read("a.txt"), Some(Ok(b"edited, longer".to_vec())));
    }
}
