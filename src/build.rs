//! `casebook build`: read, validate and render the site, streaming every file into a staging
//! folder as it is made, then swap it into place — the one caller that writes a site to disk.
//! Nothing of the output is held in memory: each page goes to the [`StagingWriter`] from the
//! render thread that made it, and is dropped once written (or carried over unchanged).
//! The search indexes are built meanwhile, on a thread of their own. What the last build
//! made from unchanged inputs is kept rather than made again ([`reuse`]).

mod reuse;

use crate::config::CONFIG_FILE;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::markdown::cache::MarkdownCache;
use crate::output::{Hook, Output, OutputDir, Sink, StagingWriter, Stored};
use crate::render::theme::Theme;
use crate::site::{BuildOptions, Failure, Site, Sources};
use rayon::prelude::*;
use std::path::Path;
use std::time::{Duration, Instant};

/// The steps of a build, reported as they start (for a progress display).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the config, content and theme, rendering markdown.
    Loading,
    /// Rendering pages and storing them with every copied file: `files` in all.
    Writing {
        /// How many files this step stores.
        files: usize,
    },
    /// Storing the search indexes' files (built alongside the pages: this step starts once
    /// both are done).
    Indexing,
    /// Making the new tree durable and swapping it in (the previous one stays as the next
    /// build's staging folder).
    Finishing,
}

impl Stage {
    /// What the step does, in words.
    pub fn describe(self) -> String {
        match self {
            Stage::Loading => "reading content".into(),
            Stage::Writing { files } => format!("rendering and writing {files} files"),
            Stage::Indexing => "building the search index".into(),
            Stage::Finishing => "swapping the new output in".into(),
        }
    }
}

/// What a build reports as it goes: a step starting, or one more file in the staging folder
/// (from whichever render thread stored it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A step starts.
    Stage(Stage),
    /// A file is stored: written, or carried over unchanged.
    File(Stored),
}

/// What a build did, for the closing summary.
#[derive(Debug)]
pub struct BuildReport {
    /// Resources built.
    pub resources: usize,
    /// HTML pages in the output.
    pub pages: usize,
    /// Files in the output.
    pub files: usize,
    /// Of those, files written anew.
    pub written: usize,
    /// Of those, files carried over from the previous output unchanged (hard links).
    pub carried: usize,
    /// Of the carried files, the pages and search index files not made at all: their inputs
    /// were unchanged since the last build ([`reuse`]).
    pub reused: usize,
    /// Warnings.
    pub diagnostics: Diagnostics,
    /// Wall time.
    pub elapsed: Duration,
}

/// Loads, renders and writes the site at `root` into `out_dir`, which must be safe to replace
/// ([`OutputDir::check`]). On any error the previous output stays as it was. `progress` is
/// called from the render threads.
pub fn build(
    root: &Path,
    out_dir: &Path,
    options: &BuildOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<BuildReport, Failure> {
    build_with(root, out_dir, options, progress, &|_| Ok(()))
}

/// [`build`], calling `before_each` with each output path just before its file is stored: an
/// error from it fails the build there, as a full disk would. This is the seam tests use to
/// prove that a build failing halfway leaves the previous output as it was (and a marked
/// staging folder the next build starts from); `casebook build` never sets it.
#[doc(hidden)]
pub fn build_with(
    root: &Path,
    out_dir: &Path,
    options: &BuildOptions,
    progress: &(dyn Fn(Progress) + Sync),
    before_each: &Hook<'_>,
) -> Result<BuildReport, Failure> {
    let start = Instant::now();
    // Refuse an unsafe output folder before any work, and before anything is moved.
    let out_dir = OutputDir::check(root, out_dir)?;
    progress(Progress::Stage(Stage::Loading));
    let (sources, problems) = Sources::read(root, options)?;
    let theme = Theme::load(root, &sources.config);
    let (site, mut problems) = Site::assemble(sources, theme.as_ref(), problems, &mut MarkdownCache::one_shot());
    // A theme that did not load has put its problems among the errors.
    let theme = match theme {
        Ok(theme) if !problems.has_errors() => theme,
        _ => return Err(Failure::Content(problems)),
    };
    let staging = out_dir.prepare()?;
    let key = reuse::key(&theme);
    let last = reuse::Last::read(&out_dir, key);
    let on_stored = |stored| progress(Progress::File(stored));
    let writer = staging.writer(before_each, &on_stored);
    progress(Progress::Stage(Stage::Writing {
        files: site.planned_files,
    }));
    let (pages, search) = write_site(&site, &theme, &writer, &last, progress).map_err(|p| {
        let mut all = problems.clone();
        all.extend(p);
        Failure::Content(all)
    })?;
    let stored = writer.finish()?;
    progress(Progress::Stage(Stage::Finishing));
    problems.extend(staging.commit()?);
    if let Some(key) = key {
        let manifest = reuse::manifest(key, pages, Some(search), &stored.hashes);
        if let Err(e) = reuse::save(&out_dir, &manifest) {
            problems.push(unsaved_manifest(&e));
        }
    }
    Ok(BuildReport {
        resources: site.pages.len(),
        pages: stored.pages,
        files: stored.written + stored.carried,
        written: stored.written,
        carried: stored.carried,
        reused: stored.kept,
        diagnostics: problems,
        elapsed: start.elapsed(),
    })
}

/// Every page with its fingerprint, and the search indexes' input fingerprint with their paths:
/// what the next build's manifest records.
type Made = (Vec<(String, u128)>, (u128, Vec<String>));

/// Puts every file of `site` into `writer`, keeping what `last` shows unchanged: the pages
/// (rendered in parallel) while the search indexes are built on a thread of their own (they
/// read the same immutable site); the indexes' files are stored once the pages are, so the
/// progress total of [`Stage::Writing`] counts the pages' step alone.
fn write_site(
    site: &Site,
    theme: &Theme,
    writer: &StagingWriter<'_>,
    last: &reuse::Last,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Made, Diagnostics> {
    let (pages, index) = std::thread::scope(|scope| {
        // An OS thread, not a rayon task: a rayon worker waiting inside the indexing (for a
        // parallel step of its own) steals render jobs meanwhile, and a whole half of the
        // render ran before the index went on — which left it to run alone once the pages
        // were done. On its own thread it overlaps the render from start to end.
        let indexing = std::thread::Builder::new()
            .name("casebook-index".into())
            .spawn_scoped(scope, || Index::make(site, last, writer));
        let memo = reuse::Pages::new(last, writer);
        let pages = site
            .render_pages_reusing(theme, writer, Some(&memo))
            .map(|()| memo.seen());
        let index = match indexing {
            Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had: index now, after the pages.
            Err(_) => Index::make(site, last, writer),
        };
        (pages, index)
    });
    progress(Progress::Stage(Stage::Indexing));
    let (pages, index) = match (pages, index) {
        (Ok(pages), Ok(index)) => (pages, index),
        (pages, index) => {
            let mut problems = Diagnostics::default();
            problems.extend(pages.err().unwrap_or_default());
            problems.extend(index.err().unwrap_or_default());
            return Err(problems);
        }
    };
    let search = index.store(site, writer)?;
    Ok((pages, search))
}

/// The search indexes of a build: their input's fingerprint, and either the files the last
/// build made from the same input (to be kept) or the files just built.
struct Index {
    input: u128,
    files: IndexFiles,
}

enum IndexFiles {
    /// Path and content hash of each file the last build made.
    Unchanged(Vec<(String, u128)>),
    Built(Output),
}

impl Index {
    /// Fingerprints the indexes' input, and builds them unless `last` made them from it and
    /// `writer` can still keep every file it made. (When the output was deleted but its
    /// manifest and staging folder were not, the last build's files are gone: they are built
    /// here, beside the render, not found missing in [`Index::store`] once every page is done.)
    fn make(site: &Site, last: &reuse::Last, writer: &StagingWriter<'_>) -> Result<Index, Diagnostics> {
        let languages = std::iter::once(site).chain(&site.translations);
        let input = reuse::search_fingerprint(languages.map(Site::search_input));
        let kept = reuse::search_files(last, input)
            .filter(|files| files.iter().all(|(path, hash)| writer.has_copy(path, *hash)));
        let files = match kept {
            Some(files) => IndexFiles::Unchanged(files.to_vec()),
            None => IndexFiles::Built(site.search_files()?),
        };
        Ok(Index { input, files })
    }

    /// Stores the files into `writer`: the last build's kept where they can be (any that
    /// cannot now, though it could in [`Index::make`], is built again); returns the input
    /// fingerprint and the paths.
    fn store(self, site: &Site, writer: &StagingWriter<'_>) -> Result<(u128, Vec<String>), Diagnostics> {
        let built = match self.files {
            IndexFiles::Built(output) => output,
            IndexFiles::Unchanged(files) => {
                let missing: Vec<String> = files
                    .iter()
                    .filter(|(path, hash)| !writer.keep(path, *hash))
                    .map(|(path, _)| path.clone())
                    .collect();
                if !missing.is_empty() {
                    put_all(&site.search_files()?, &missing, writer);
                }
                let paths = files.into_iter().map(|(path, _)| path).collect();
                return Ok((self.input, paths));
            }
        };
        let paths: Vec<String> = built.paths().map(str::to_string).collect();
        put_all(&built, &paths, writer);
        Ok((self.input, paths))
    }
}

/// Puts the files of `output` at `paths` into `writer`, in parallel: thousands of small files
/// (`search/text/`, `search/docs/`), stored once the pages are, when nothing else is left to do.
fn put_all(output: &Output, paths: &[String], writer: &StagingWriter<'_>) {
    paths.par_iter().for_each(|path| {
        if let Some(file) = output.get(path) {
            writer.put(path.clone(), file.clone());
        }
    });
}

/// The warning when the manifest for the next build could not be saved (the build itself
/// succeeded; the next one renders every page).
fn unsaved_manifest(e: &anyhow::Error) -> Diagnostic {
    Diagnostic::warning(
        CONFIG_FILE,
        Location::default(),
        Code::OutputCleanup,
        format!("the new output is in place, but what the next build may reuse was not saved: {e:#}"),
    )
    .with_help("the next build renders every page; if this repeats, remove the output's staging folder yourself")
}
