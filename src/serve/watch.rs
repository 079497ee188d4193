//! Watching the site's inputs with `notify`, in debounced batches.

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::Duration;

/// How long the files must stay quiet before a batch is handed over: an editor's save is
/// often several events (write a temporary file, rename it over, touch the folder).
pub const QUIET: Duration = Duration::from_millis(100);

/// The folders watched recursively; the root itself is watched for `casebook.yaml`.
const WATCHED: &[&str] = &["content", "static", "templates", "themes"];

/// File-system events from the site's inputs.
pub struct Watcher {
    root: PathBuf,
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
}

impl Watcher {
    /// Starts watching the site at `root`.
    pub fn new(root: &Path) -> anyhow::Result<Watcher> {
        let (sender, events) = channel();
        let mut watcher = notify::recommended_watcher(sender)?;
        // Non-recursive on the root: sees casebook.yaml replaced by an editor's rename.
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        for dir in WATCHED.iter().map(|d| root.join(d)).filter(|d| d.is_dir()) {
            watcher.watch(&dir, RecursiveMode::Recursive)?;
        }
        Ok(Watcher {
            root: root.to_path_buf(),
            watcher,
            events,
        })
    }

    /// Waits for changes, then for [`QUIET`] without any, and returns every path touched
    /// (sorted, once each). `None` when the watcher has stopped.
    pub fn next_batch(&mut self) -> Option<Vec<PathBuf>> {
        let mut paths = Vec::new();
        while paths.is_empty() {
            collect(self.events.recv().ok()?, &mut paths);
        }
        loop {
            match self.events.recv_timeout(QUIET) {
                Ok(event) => collect(event, &mut paths),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return None,
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
                let _ = self.watcher.watch(&dir, RecursiveMode::Recursive);
            }
        }
    }
}

/// Adds the paths of an event that may change a file (reads and errors change nothing).
fn collect(event: notify::Result<notify::Event>, paths: &mut Vec<PathBuf>) {
    let Ok(event) = event else { return };
    if matches!(event.kind, EventKind::Access(_)) {
        return;
    }
    paths.extend(event.paths);
}
