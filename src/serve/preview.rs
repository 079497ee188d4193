//! What the server shows: the last good build, the errors of the latest one, and a version
//! that changes whenever the pages do (the browser reloads on it).

use super::published::{Published, Refusal};
use crate::diagnostics::Diagnostic;
use crate::incremental::Rebuild;
use crate::output::Output;
use serde::Serialize;
use std::path::Path;
use std::sync::Arc;

/// The served state, replaced after each rebuild.
#[derive(Debug, Default, Clone)]
pub struct Preview {
    /// Bumped whenever `output` is replaced.
    pub version: u64,
    /// The last build without errors (none until one succeeds).
    pub output: Option<Arc<Published>>,
    /// The search indexes, built after the pages of a rebuild are published; until they are,
    /// the previous ones (read only under `search/`).
    pub search: Option<Arc<Published>>,
    /// Bumped whenever `search` is replaced: the search page reloads on it.
    pub search_version: u64,
    /// The errors of the latest build (empty when it succeeded).
    pub errors: Vec<Diagnostic>,
}

/// What a rebuild brings to the preview: a build to publish, or the errors that kept it back.
pub type Outcome = Result<Published, Vec<Diagnostic>>;

/// The body of `/__casebook/status`.
#[derive(Debug, Serialize)]
pub struct Status<'a> {
    /// See [`Preview::version`].
    pub version: u64,
    /// See [`Preview::search_version`].
    pub search_version: u64,
    /// See [`Preview::errors`].
    pub errors: &'a [Diagnostic],
}

impl Preview {
    /// Turns a rebuild of the site at `root` (canonical) into what [`Preview::apply`] takes.
    /// Publishing records the identity of every copied file (see [`Published`]), so it is
    /// done before taking the preview's lock.
    pub fn outcome(rebuild: Rebuild, root: &Path) -> Outcome {
        match rebuild.output {
            Some(output) => Ok(Published::new(output, root)),
            None => Err(rebuild
                .diagnostics
                .sorted()
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect()),
        }
    }

    /// Takes in a rebuild: a good one replaces the output; a failed one keeps the last good
    /// output and records its errors.
    pub fn apply(&mut self, outcome: Outcome) {
        match outcome {
            Ok(published) => {
                // Until this build's indexes arrive, the previous build's keep search working.
                if self.search.is_none() {
                    self.search = self.output.take();
                }
                self.output = Some(Arc::new(published));
                self.version += 1;
                self.errors.clear();
            }
            Err(errors) => self.errors = errors,
        }
    }

    /// Takes in the search indexes of the latest good build; a failure is shown like a
    /// build error.
    pub fn apply_search(&mut self, search: Outcome) {
        match search {
            Ok(files) => {
                self.search = Some(Arc::new(files));
                self.search_version += 1;
            }
            Err(errors) => self.errors = errors,
        }
    }

    /// The last good build's output (none before the first good build).
    pub fn output(&self) -> Option<&Output> {
        self.output.as_deref().map(Published::output)
    }

    /// The search indexes: this build's once they are built, the previous build's until then.
    pub fn search_output(&self) -> Option<&Output> {
        self.search.as_deref().map(Published::output).or(self.output())
    }

    /// The bytes of the file at `path` (relative to the site root): search index files from
    /// `search` while it has them, everything else from the last good build.
    pub fn read(&self, path: &str) -> Option<Result<Vec<u8>, Refusal>> {
        let search = self
            .search
            .as_ref()
            .filter(|_| path.starts_with("search/") && path != "search/index.html");
        search
            .and_then(|s| s.read(path))
            .or_else(|| self.output.as_ref()?.read(path))
    }

    /// The status as JSON.
    pub fn status_json(&self) -> String {
        let status = Status {
            version: self.version,
            search_version: self.search_version,
            errors: &self.errors,
        };
        serde_json::to_string(&status).expect("the status serialises")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Code, Diagnostics, Location};

    fn rebuild(output: Option<Output>, errors: &[&str]) -> Outcome {
        let mut diagnostics = Diagnostics::default();
        for message in errors {
            diagnostics.push(Diagnostic::error(
                "content/a.md",
                Location::new(3, 5),
                Code::UnknownTerm,
                *message,
            ));
        }
        let rebuild = Rebuild {
            output,
            diagnostics,
            files_read: vec![],
            markdown_rendered: 0,
            pages_rendered: 0,
            contexts_built: 0,
        };
        Preview::outcome(rebuild, Path::new("/"))
    }

    fn page(text: &str) -> Output {
        let mut output = Output::default();
        output.insert("index.html", text);
        output
    }

    #[test]
    fn a_failed_rebuild_keeps_the_last_good_output_and_shows_its_errors() {
        let mut preview = Preview::default();
        preview.apply(rebuild(Some(page("one")), &[]));
        assert_eq!(preview.version, 1);
        preview.apply(rebuild(None, &["bad term"]));
        assert_eq!(preview.version, 1, "nothing to reload");
        assert_eq!(preview.output().unwrap().bytes("index.html"), Some(&b"one"[..]));
        let status: serde_json::Value = serde_json::from_str(&preview.status_json()).unwrap();
        assert_eq!(status["version"], 1);
        assert_eq!(status["errors"][0]["file"], "content/a.md");
        assert_eq!(status["errors"][0]["line"], 3);
        assert_eq!(status["errors"][0]["message"], "bad term");
        preview.apply(rebuild(Some(page("two")), &[]));
        assert_eq!(preview.version, 2);
        assert!(preview.errors.is_empty());
    }

    #[test]
    fn search_files_come_from_the_previous_build_until_the_new_index_arrives() {
        let mut full = page("one");
        full.insert("search/index.js", "old index");
        let mut preview = Preview::default();
        preview.apply(rebuild(Some(full), &[]));
        assert_eq!(preview.read("search/index.js"), Some(Ok(b"old index".to_vec())));
        // A rebuild publishes its pages first: the old index keeps search working...
        preview.apply(rebuild(Some(page("two")), &[]));
        assert_eq!(preview.read("index.html"), Some(Ok(b"two".to_vec())));
        assert_eq!(preview.read("search/index.js"), Some(Ok(b"old index".to_vec())));
        // ...until the new one replaces it, which the search page reloads on.
        let mut search = Output::default();
        search.insert("search/index.js", "new index");
        preview.apply_search(Ok(Published::new(search, Path::new("/"))));
        assert_eq!(preview.read("search/index.js"), Some(Ok(b"new index".to_vec())));
        assert_eq!((preview.version, preview.search_version), (2, 1));
        // Only search paths are read from the search part: a page removed stays removed.
        preview.apply(rebuild(Some(Output::default()), &[]));
        assert_eq!(preview.read("index.html"), None);
    }
}
