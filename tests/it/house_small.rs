//! The crates that replaced hand-written code: `serve`'s watcher on `notify-debouncer-full`
//! (saves, renames, a file deleted and recreated, a temporary file that comes and goes).

use casebook::incremental::ChangeKind;
use casebook::serve::{change, watch};

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

/// How long a test waits for the paths it expects before failing (not a timing assertion).
const WAIT: Duration = Duration::from_secs(10);

/// A site folder with `content/` holding `files`, its watcher's batches arriving on a channel.
struct Watched {
    site: tempfile::TempDir,
    batches: Receiver<Vec<PathBuf>>,
}

impl Watched {
    fn start(files: &[&str]) -> Watched {
        let site = tempfile::tempdir().unwrap();
        fs::create_dir(site.path().join("content")).unwrap();
        for file in files {
            fs::write(site.path().join("content").join(file), "---\ntitle: A\n---\n").unwrap();
        }
        let root = site.path().canonicalize().unwrap();
        let mut watcher = watch::Watcher::new(&root).unwrap();
        let (sender, batches) = channel();
        // Ends at the first batch after the test has gone (its folder removed, say).
        std::thread::spawn(move || {
            while let Some(batch) = watcher.next_batch() {
                if sender.send(batch).is_err() {
                    break;
                }
            }
        });
        Watched { site, batches }
    }

    fn content(&self, file: &str) -> PathBuf {
        self.site.path().join("content").join(file)
    }

    /// Every path of the batches until those in `expected` have all been seen, checking that
    /// each batch is sorted with each path once.
    fn paths_until(&self, expected: &[&str]) -> BTreeSet<String> {
        let root = self.site.path().canonicalize().unwrap();
        let mut seen = BTreeSet::new();
        let start = Instant::now();
        while !expected.iter().all(|e| seen.contains(*e)) {
            let left = WAIT.checked_sub(start.elapsed()).unwrap_or_default();
            let batch = self
                .batches
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("saw {seen:?}, still waiting for {expected:?}"));
            assert!(batch.windows(2).all(|w| w[0] < w[1]), "{batch:?}");
            seen.extend(batch.iter().map(|p| relative(&root, p)));
        }
        seen
    }
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn files_saved_together_are_all_reported() {
    let watched = Watched::start(&[]);
    for file in ["a.md", "b.md", "c.md"] {
        fs::write(watched.content(file), "x").unwrap();
    }
    watched.paths_until(&["content/a.md", "content/b.md", "content/c.md"]);
}

#[test]
fn a_rename_reports_both_the_old_and_the_new_path() {
    let watched = Watched::start(&["old.md"]);
    fs::rename(watched.content("old.md"), watched.content("new.md")).unwrap();
    watched.paths_until(&["content/old.md", "content/new.md"]);
}

#[test]
fn an_editor_save_by_rename_over_reports_the_file() {
    let watched = Watched::start(&["a.md"]);
    fs::write(watched.content("a.md.tmp"), "saved").unwrap();
    fs::rename(watched.content("a.md.tmp"), watched.content("a.md")).unwrap();
    watched.paths_until(&["content/a.md"]);
}

#[test]
fn a_file_deleted_and_recreated_is_reported() {
    let watched = Watched::start(&["a.md"]);
    fs::remove_file(watched.content("a.md")).unwrap();
    fs::write(watched.content("a.md"), "back").unwrap();
    watched.paths_until(&["content/a.md"]);
}

#[test]
fn a_temporary_file_that_comes_and_goes_is_never_reported() {
    let watched = Watched::start(&[]);
    fs::write(watched.content("scratch.tmp"), "gone soon").unwrap();
    fs::remove_file(watched.content("scratch.tmp")).unwrap();
    // A later save, so the test knows the batches holding the temporary file are over.
    fs::write(watched.content("a.md"), "x").unwrap();
    let seen = watched.paths_until(&["content/a.md"]);
    assert!(!seen.contains("content/scratch.tmp"), "{seen:?}");
}

#[test]
fn editor_leftovers_in_a_batch_change_nothing() {
    let watched = Watched::start(&["a.md"]);
    fs::write(watched.content(".a.md.swp"), "swap").unwrap();
    fs::write(watched.content("a.md~"), "backup").unwrap();
    fs::write(watched.content("a.md"), "saved").unwrap();
    let root = watched.site.path().canonicalize().unwrap();
    let seen = watched.paths_until(&["content/.a.md.swp", "content/a.md~", "content/a.md"]);
    let paths: Vec<PathBuf> = seen.iter().map(|p| root.join(p)).collect();
    assert_eq!(
        change::classify(&root, &paths),
        vec![ChangeKind::Content(vec!["a.md".to_string()])]
    );
}
