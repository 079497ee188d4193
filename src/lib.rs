//! Casebook turns a folder of markdown resources with YAML frontmatter into a themed static
//! site with enabler tagging and a prebuilt search index.
//!
//! The pipeline, in reading order: [`Site::load`] reads `casebook.yaml` and `content/`,
//! validates every resource and renders its markdown (collecting [`Diagnostic`]s rather than
//! stopping at the first); [`Site::render`] turns the site into an in-memory [`Output`];
//! [`build`] does both and swaps the output into place atomically.

pub mod colour;
pub mod config;
pub mod content;
pub mod controls;
pub mod diagnostics;
pub mod incremental;
pub mod library;
pub mod markdown;
pub mod output;
pub mod plan;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod urls;
pub mod yaml;

use crate::diagnostics::Code;
use anyhow::Context as _;
use config::{Config, CONFIG_FILE};
use content::{Content, LoadOptions};
pub use diagnostics::{Diagnostic, Diagnostics, Severity};
use library::Library;
use markdown::cache::{MarkdownCache, Text};
use markdown::links::SiteMap;
use markdown::{Place, RenderOptions, Rendered};
pub use output::Output;
use rayon::prelude::*;
use render::theme::Theme;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Options for loading and building a site.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Include drafts.
    pub drafts: bool,
    /// Override `base_url` from the config.
    pub base_url: Option<String>,
}

/// Why a run could not go on.
#[derive(Debug)]
pub enum Failure {
    /// The site's content has errors (exit status 1); the diagnostics say which.
    Content(Diagnostics),
    /// Usage or I/O trouble (exit status 2).
    Usage(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Usage(e)
    }
}

/// A loaded, validated site with its markdown rendered.
pub struct Site {
    /// The site root (the folder with `casebook.yaml`).
    pub root: PathBuf,
    /// The configuration.
    pub config: Config,
    /// Resources, section introductions and assets.
    pub content: Content,
    /// Sections and taxonomy terms.
    pub library: Library,
    /// Rendered body of each resource (same order as `content.resources`).
    pub bodies: Vec<Rendered>,
    /// Rendered body of each section introduction (same order as `content.sections`).
    pub intros: Vec<Rendered>,
    /// The summary of each resource: from frontmatter, else its first paragraph.
    pub summaries: Vec<String>,
    /// Every link target in the site.
    pub site_map: SiteMap,
    /// Files of the site's `static/` folder: output path and source.
    pub static_files: Vec<(String, PathBuf)>,
}

impl Site {
    /// Reads and validates the site at `root`. Content problems come back as diagnostics
    /// alongside the site; only an unreadable or invalid `casebook.yaml` stops early.
    pub fn load(root: &Path, options: &BuildOptions) -> Result<(Site, Diagnostics), Failure> {
        let config = load_config(root, options)?;
        let (content, mut problems) = content::load(root, &config, LoadOptions { drafts: options.drafts });
        let (static_files, static_problems) = static_files(root);
        problems.extend(static_problems);
        let sources = Sources {
            root: root.to_path_buf(),
            config,
            content,
            static_files,
        };
        Ok(Site::assemble(sources, problems, &mut MarkdownCache::default()))
    }

    /// Renders the markdown of read content (reusing what `markdown` still holds) and builds
    /// the library: everything [`Site::load`] does after reading the files.
    pub fn assemble(sources: Sources, mut problems: Diagnostics, markdown: &mut MarkdownCache) -> (Site, Diagnostics) {
        let Sources {
            root,
            config,
            content,
            static_files,
        } = sources;
        let site_map = site_map(&content, &static_files);
        problems.extend(attachment_problems(&content, &site_map));
        let render_options = RenderOptions {
            trusted_html: config.markdown.trusted_html,
        };
        let section_urls: Vec<String> = content.sections.iter().map(|s| urls::dir_url(&s.dir)).collect();
        let texts: Vec<Text<'_>> = resource_texts(&content)
            .chain(section_texts(&content, &section_urls))
            .collect();
        let mut bodies = markdown.render_all(&texts, &site_map, render_options);
        drop(texts);
        let intros = bodies.split_off(content.resources.len());
        for rendered in bodies.iter().chain(&intros) {
            problems.extend(rendered.problems.iter().cloned());
        }
        let summaries = summaries(&content, &bodies, &mut problems);
        let library = Library::new(&content, &config);
        problems.extend(library.term_problems(&content.resources, &config));
        let site = Site {
            root,
            config,
            content,
            library,
            bodies,
            intros,
            summaries,
            site_map,
            static_files,
        };
        (site, problems)
    }

    /// Renders every page and gathers every file of the output, in memory.
    pub fn render(&self) -> Result<Output, Diagnostics> {
        let theme = Theme::load(&self.root, &self.config)?;
        self.render_with(&theme)
    }

    /// Like [`Site::render`], with a theme loaded before (`serve` keeps it between builds).
    pub fn render_with(&self, theme: &Theme) -> Result<Output, Diagnostics> {
        let mut output = self.render_pages_with(theme)?;
        output.add_missing(self.search_files()?);
        Ok(output)
    }

    /// Every file of the output but the search indexes: what `serve` publishes first after a
    /// change, building the indexes (the slowest part) once the pages are showing.
    pub fn render_pages_with(&self, theme: &Theme) -> Result<Output, Diagnostics> {
        let collisions = self.plan_problems(theme);
        if collisions.has_errors() {
            return Err(collisions);
        }
        let mut output = Output::default();
        theme.copy_statics(&mut output);
        output.insert("css/syntax.css", markdown::highlight::stylesheet());
        output.insert("css/theme.css", render::brand::theme_css(&self.config.theme_options));
        let problems = render::render_pages(self, theme, &mut output);
        if problems.has_errors() {
            return Err(problems);
        }
        for asset in &self.content.assets {
            output.copy(asset.output.clone(), asset.source.clone());
        }
        for (path, source) in &self.static_files {
            output.copy(path.clone(), source.clone());
        }
        self.check_logo(&output)?;
        Ok(output)
    }

    /// Every path the build would write, and what writes it (see [`plan`]).
    pub fn plan(&self, theme: &Theme) -> Vec<plan::Claim> {
        plan::claims(
            &self.config,
            &self.content,
            &self.library,
            &self.static_files,
            theme.statics(),
        )
    }

    /// Two producers of one output path, and paths that cannot be written.
    fn plan_problems(&self, theme: &Theme) -> Diagnostics {
        plan::problems(&self.plan(theme))
    }

    /// The search indexes: `search/tantivy/` and `search/index.js`.
    pub fn search_files(&self) -> Result<Output, Diagnostics> {
        let mut output = Output::default();
        search::write_indexes(self, &mut output).map_err(|e| {
            let mut problems = Diagnostics::default();
            let message = format!("building the search index: {e:#}");
            problems.push(Diagnostic::error(
                CONFIG_FILE,
                diagnostics::Location::default(),
                Code::SearchIndex,
                message,
            ));
            problems
        })?;
        Ok(output)
    }

    /// The configured logo must be a file of the output (from `static/` or `content/`).
    fn check_logo(&self, output: &Output) -> Result<(), Diagnostics> {
        let options = &self.config.theme_options;
        let Some(logo) = &options.logo else { return Ok(()) };
        if output.contains(logo.trim_start_matches('/')) {
            return Ok(());
        }
        let mut problems = Diagnostics::default();
        problems.push(
            Diagnostic::error(
                CONFIG_FILE,
                options.logo_at,
                Code::MissingAsset,
                format!("the logo `{logo}` is not a file of the site"),
            )
            .with_help("put the image under static/ (static/images/logo.svg is `images/logo.svg`) or content/"),
        );
        Err(problems)
    }
}

/// What a site is made from, once read: the input of [`Site::assemble`].
pub struct Sources {
    /// The site root.
    pub root: PathBuf,
    /// The configuration.
    pub config: Config,
    /// Everything read from `content/`.
    pub content: Content,
    /// Files of `static/`: output path and source.
    pub static_files: Vec<(String, PathBuf)>,
}

fn resource_texts(content: &Content) -> impl Iterator<Item = Text<'_>> {
    content.resources.iter().map(|r| Text {
        markdown: &r.body,
        place: Place {
            file: &r.file,
            first_line: r.body_line,
            dir: &r.content_dir,
            url: &r.url,
        },
    })
}

fn section_texts<'a>(content: &'a Content, urls: &'a [String]) -> impl Iterator<Item = Text<'a>> {
    content.sections.iter().zip(urls).map(|(s, url)| Text {
        markdown: &s.body,
        place: Place {
            file: &s.file,
            first_line: s.body_line,
            dir: &s.dir,
            url,
        },
    })
}

/// Validates everything a build would — config, frontmatter, terms, links, attachments,
/// duplicate URLs, templates, files that cannot be read, collisions of output paths — without
/// rendering a page or writing a file. Only a missing or
/// unreadable `casebook.yaml` stops early; every other problem is collected.
pub fn check(root: &Path, options: &BuildOptions) -> Result<Diagnostics, Failure> {
    let config = load_config(root, options)?;
    let (content, mut problems) = content::load(root, &config, LoadOptions { drafts: options.drafts });
    let (static_files, static_problems) = static_files(root);
    problems.extend(static_problems);
    let site_map = site_map(&content, &static_files);
    problems.extend(attachment_problems(&content, &site_map));
    let section_urls: Vec<String> = content.sections.iter().map(|s| urls::dir_url(&s.dir)).collect();
    let texts: Vec<Text<'_>> = resource_texts(&content)
        .chain(section_texts(&content, &section_urls))
        .collect();
    let links: Vec<Vec<Diagnostic>> = texts
        .par_iter()
        .map(|text| markdown::check_links(text.markdown, text.place, &site_map))
        .collect();
    problems.extend(links.into_iter().flatten());
    for r in content.resources.iter().filter(|r| r.summary.is_none()) {
        problems.push(missing_summary(r));
    }
    let library = Library::without_related(&content, &config);
    problems.extend(library.term_problems(&content.resources, &config));
    match Theme::load(root, &config) {
        Ok(theme) => {
            let claims = plan::claims(&config, &content, &library, &static_files, theme.statics());
            problems.extend(plan::problems(&claims));
        }
        Err(theme_problems) => problems.extend(theme_problems),
    }
    Ok(problems)
}

/// Attachments whose `file` does not exist in the site, or would leave it.
fn attachment_problems(content: &Content, site_map: &SiteMap) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for r in &content.resources {
        for (a, at) in r.attachments.iter().zip(&r.attachment_at) {
            if let markdown::links::LinkOutcome::Broken(message) = site_map.resolve(&r.content_dir, &r.url, &a.file) {
                let message = message.replacen("link", "attachment", 1);
                let d = Diagnostic::error(&r.file, *at, Code::BrokenAttachment, message).with_help(
                    "put the file next to this one (a page bundle: `x/index.md` with its files) and name it relative to it",
                );
                problems.push(d);
            }
        }
    }
    problems
}

/// Reads and validates `casebook.yaml` at `root`, applying option overrides.
pub fn load_config(root: &Path, options: &BuildOptions) -> Result<Config, Failure> {
    let path = root.join(CONFIG_FILE);
    let Ok(meta) = std::fs::metadata(&path) else {
        return Err(Failure::Usage(anyhow::anyhow!(
            "{} has no {CONFIG_FILE}: not a casebook site (pass --root DIR, or create one with `casebook init DIR`)",
            root.display()
        )));
    };
    if !meta.is_file() {
        // Never opened: reading a FIFO would wait for a writer forever.
        let kind = content::discover::kind_of(meta.file_type());
        let d = Diagnostic::error(
            CONFIG_FILE,
            diagnostics::Location::default(),
            Code::Unreadable,
            format!("{CONFIG_FILE} is {kind}, not a regular file; it was not read"),
        )
        .with_help("replace it with the site's configuration file, or pass --root DIR");
        let mut problems = Diagnostics::default();
        problems.push(d);
        return Err(Failure::Content(problems));
    }
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut config = Config::parse(&text, CONFIG_FILE).map_err(Failure::Content)?;
    if let Some(base_url) = &options.base_url {
        config.base_url = if base_url.ends_with('/') {
            base_url.clone()
        } else {
            format!("{base_url}/")
        };
    }
    Ok(config)
}

/// The files of the site's `static/` folder, sorted: output path and source, and what could
/// not be listed or read (see [`content::discover::walk`]: the same symlink policy as content).
pub fn static_files(root: &Path) -> (Vec<(String, PathBuf)>, Diagnostics) {
    use content::discover::{self, Hidden};
    let (files, mut problems) = discover::walk(root, &root.join("static"), Hidden::List);
    problems.extend(discover::unreadable(root, files.iter().map(|(path, _)| path.as_path())));
    let files = files.into_iter().map(|(path, rel)| (rel, path)).collect();
    (files, problems)
}

/// Every content path and output path a markdown link may name.
fn site_map(content: &Content, static_files: &[(String, PathBuf)]) -> SiteMap {
    let mut map = SiteMap::default();
    for r in &content.resources {
        map.add(&r.content_path, &urls::page_file(&r.url));
    }
    for s in &content.sections {
        let page = urls::page_file(&urls::dir_url(&s.dir));
        let intro = if s.dir.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{}/_index.md", s.dir)
        };
        map.add(&intro, &page);
        map.add(&s.dir, &page);
    }
    for r in &content.resources {
        map.add(&r.section, &urls::page_file(&urls::dir_url(&r.section)));
    }
    for a in &content.assets {
        map.add(&a.content_path, &a.output);
    }
    for (path, _) in static_files {
        map.add_output(path);
    }
    map
}

/// The frontmatter summary, else the first paragraph (with a warning).
fn summaries(content: &Content, bodies: &[Rendered], problems: &mut Diagnostics) -> Vec<String> {
    content
        .resources
        .iter()
        .zip(bodies)
        .map(|(r, body)| match &r.summary {
            Some(s) => s.clone(),
            None => {
                problems.push(missing_summary(r));
                body.first_paragraph
                    .clone()
                    .map(|p| truncate_words(&p, 300))
                    .unwrap_or_default()
            }
        })
        .collect()
}

fn missing_summary(r: &content::Resource) -> Diagnostic {
    Diagnostic::warning(
        &r.file,
        diagnostics::Location::new(1, 1),
        Code::MissingSummary,
        "no `summary`: the first paragraph is used instead",
    )
    .with_help("add `summary: \"...\"` (one or two sentences) to the frontmatter")
}

/// `text` cut to at most `max` bytes at a word boundary, with `…` when cut: the one truncator
/// (summaries from the first paragraph, search snippets without a match).
pub(crate) fn truncate_words(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let cut = text[..cut].rfind(' ').unwrap_or(cut);
    format!("{}…", &text[..cut])
}

/// The steps of a build, reported as they start (for a progress display).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the config and content, rendering markdown.
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
/// ([`output::OutputDir::check`]). On any error the previous output stays as it was.
pub fn build(
    root: &Path,
    out_dir: &Path,
    options: &BuildOptions,
    progress: &dyn Fn(Stage),
) -> Result<BuildReport, Failure> {
    let start = Instant::now();
    // Refuse an unsafe output folder before any work, and before anything is moved.
    let out_dir = output::OutputDir::check(root, out_dir)?;
    progress(Stage::Loading);
    let (site, mut problems) = Site::load(root, options)?;
    if problems.has_errors() {
        return Err(Failure::Content(problems));
    }
    progress(Stage::Rendering);
    let output = site.render().map_err(|p| {
        let mut all = problems.clone();
        all.extend(p);
        Failure::Content(all)
    })?;
    progress(Stage::Writing);
    problems.extend(output.write_to(&out_dir)?);
    let pages = output.paths().filter(|p| p.ends_with(".html")).count();
    Ok(BuildReport {
        resources: site.content.resources.len(),
        pages,
        files: output.len(),
        diagnostics: problems,
        elapsed: start.elapsed(),
    })
}
