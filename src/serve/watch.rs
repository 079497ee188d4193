//! Watching the site's inputs in debounced batches, with `notify-debouncer-full`.
//!
//! The debouncer holds each event until its path has been quiet for [`QUIET`], pairs an
//! editor's rename-over (`x.md.tmp` → `x.md`) into one event naming both paths, drops a file
//! created and deleted again in between, and on platforms whose events lack rename cookies
//! (macOS, Windows) stitches renames together from its file-id cache. Only paths leave this
//! module: the rebuild reads the files as they are then, so a file deleted and recreated is
//! simply read again.

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

/// How long a path must stay quiet before its change is handed over: an editor's save is
/// often several events (write a temporary file, rename it over, touch the folder).
pub const QUIET: Duration = Duration::from_millis(100);

/// The folders watched recursively; the root itself is watched for `casebook.yaml`.
const WATCHED: &[&str] = &["content", "static", "templates", "themes"];

/// The debouncer over the platform's recommended watcher.
type Debounced = Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>;

/// File-system events from the site's inputs.
pub struct Watcher {
    root: PathBuf,
    debouncer: Debounced,
    batches: Receiver<DebounceEventResult>,
}

impl Watcher {
    /// Starts watching the site at `root`.
    pub fn new(root: &Path) -> anyhow::Result<Watcher> {
        let (sender, batches) = channel();
        let mut debouncer = new_debouncer(QUIET, None, sender)?;
        // Non-recursive on the root: sees casebook.yaml replaced by an editor's rename.
        debouncer.watch(root, RecursiveMode::NonRecursive)?;
        for dir in WATCHED.iter().map(|d| root.join(d)).filter(|d| d.is_dir()) {
            debouncer.watch(&dir, RecursiveMode::Recursive)?;
        }
        Ok(Watcher {
            root: root.to_path_buf(),
            debouncer,
            batches,
        })
    }

    /// Waits for the next debounced changes and returns every path touched (sorted, once
    /// each; both ends of a rename). `None` when the watcher has stopped.
    pub fn next_batch(&mut self) -> Option<Vec<PathBuf>> {
        let mut paths = Vec::new();
        while paths.is_empty() {
            collect(self.batches.recv().ok()?, &mut paths);
            // Batches that came due while the last rebuild ran make one rebuild, not one each.
            while let Ok(batch) = self.batches.try_recv() {
                collect(batch, &mut paths);
            }
        }
        paths.sort();
        paths.dedup();
        self.watch_new_folders(&paths);
        Some(paths)
    }

    /// A watched folder created after the start (`templates/`, say) is watched from now on.
    fn watch_new_folders(&mut self, paths: &[PathBuf]) {
        for dir in WATCHED.iter().map(|d| self.root.join(d)) {
            let created = paths
                .iter()
                .any(|p| p.file_name() == dir.file_name() && p.parent() == Some(&self.root));
            if created && dir.is_dir() {
                // Already watched, or gone again: either way nothing more to do.
                let _ = self.debouncer.watch(&dir, RecursiveMode::Recursive);
            }
        }
    }
}

/// Adds the paths of the events that may change a file (reads change nothing; the watcher's
/// errors carry no path to rebuild).
fn collect(batch: DebounceEventResult, paths: &mut Vec<PathBuf>) {
    let Ok(events) = batch else { return };
    for event in events {
        if !matches!(event.kind, EventKind::Access(_)) {
            paths.extend(event.event.paths);
        }
    }
}
