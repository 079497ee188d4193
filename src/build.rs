//! `casebook build`: read, validate and render the site, then swap the output into place —
//! the one caller that writes a site to disk.

use crate::diagnostics::Diagnostics;
use crate::markdown::cache::MarkdownCache;
use crate::output::OutputDir;
use crate::render::theme::Theme;
use crate::site::{BuildOptions, Failure, Site, Sources};
use std::path::Path;
use std::time::{Duration, Instant};

/// The steps of a build, reported as they start (for a progress display).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the config, content and theme, rendering markdown.
    Loading,
    /// Rendering pages and indexes.
    Rendering,
    /// Writing the output folder.
    Writing,
}

impl Stage {
    /// What the step does, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Stage::Loading => "reading content",
            Stage::Rendering => "rendering pages",
            Stage::Writing => "writing output",
        }
    }
}

/// What a build did, for the closing summary.
#[derive(Debug)]
pub struct BuildReport {
    /// Resources built.
    pub resources: usize,
    /// HTML pages written.
    pub pages: usize,
    /// Files written in all.
    pub files: usize,
    /// Warnings.
    pub diagnostics: Diagnostics,
    /// Wall time.
    pub elapsed: Duration,
}

/// Loads, renders and writes the site at `root` into `out_dir`, which must be safe to replace
/// ([`OutputDir::check`]). On any error the previous output stays as it was.
pub fn build(
    root: &Path,
    out_dir: &Path,
    options: &BuildOptions,
    progress: &dyn Fn(Stage),
) -> Result<BuildReport, Failure> {
    let start = Instant::now();
    // Refuse an unsafe output folder before any work, and before anything is moved.
    let out_dir = OutputDir::check(root, out_dir)?;
    progress(Stage::Loading);
    let (sources, problems) = Sources::read(root, options)?;
    let theme = Theme::load(root, &sources.config);
    let (site, mut problems) = Site::assemble(sources, theme.as_ref(), problems, &mut MarkdownCache::default());
    // A theme that did not load has put its problems among the errors.
    let theme = match theme {
        Ok(theme) if !problems.has_errors() => theme,
        _ => return Err(Failure::Content(problems)),
    };
    progress(Stage::Rendering);
    let output = site.render_with(&theme).map_err(|p| {
        let mut all = problems.clone();
        all.extend(p);
        Failure::Content(all)
    })?;
    progress(Stage::Writing);
    problems.extend(output.write_to(&out_dir)?);
    let pages = output.paths().filter(|p| p.ends_with(".html")).count();
    Ok(BuildReport {
        resources: site.pages.len(),
        pages,
        files: output.len(),
        diagnostics: problems,
        elapsed: start.elapsed(),
    })
}
