//! `casebook build`: read, validate and render the site, streaming every file into a staging
//! folder as it is made, then swap it into place — the one caller that writes a site to disk.
//! Nothing of the output is held in memory: each page goes to the [`StagingWriter`] from the
//! render thread that made it, and is dropped once written (or carried over unchanged).

use crate::diagnostics::Diagnostics;
use crate::markdown::cache::MarkdownCache;
use crate::output::{Hook, OutputDir, Sink, StagingWriter, Stored};
use crate::render::theme::Theme;
use crate::site::{BuildOptions, Failure, Site, Sources};
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
    /// Building the search indexes and storing their files.
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
    let on_stored = |stored| progress(Progress::File(stored));
    let writer = staging.writer(before_each, &on_stored);
    progress(Progress::Stage(Stage::Writing {
        files: site.planned_files,
    }));
    write_site(&site, &theme, &writer, progress).map_err(|p| {
        let mut all = problems.clone();
        all.extend(p);
        Failure::Content(all)
    })?;
    let stored = writer.finish()?;
    progress(Progress::Stage(Stage::Finishing));
    problems.extend(staging.commit()?);
    Ok(BuildReport {
        resources: site.pages.len(),
        pages: stored.pages,
        files: stored.written + stored.carried,
        written: stored.written,
        carried: stored.carried,
        diagnostics: problems,
        elapsed: start.elapsed(),
    })
}

/// Puts every file of `site` into `writer`; the indexes are not built once a write failed
/// (the writer holds that error).
fn write_site(
    site: &Site,
    theme: &Theme,
    writer: &StagingWriter<'_>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<(), Diagnostics> {
    site.render_pages_into(theme, writer)?;
    if writer.failed() {
        return Ok(());
    }
    progress(Progress::Stage(Stage::Indexing));
    site.search_files_into(writer)
}
