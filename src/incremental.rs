//! Rebuilding a site after a change, redoing only what the change touches (for `serve`).
//!
//! [`SiteCache`] keeps what the last build read and rendered: the config, the compiled theme,
//! the list of `static/` files, every markdown file's validated [`Read`] and its rendered
//! markdown, and the last good [`Site`]. [`SiteCache::update`] takes the [`ChangeKind`]s of a
//! batch of file events and takes one of three paths:
//!
//! - **body edits** ([`bodies`]): every change is an edit of a resource the last good build
//!   had, and re-reading it shows the same frontmatter. Then the library, the site map and
//!   every other file's result cannot have changed: the edited pages' markdown is rendered
//!   into the last good site, and only the pages that edit can reach get a context (the
//!   resource's own page; where its summary came from the body and changed, the pages
//!   showing its card). Work proportional to the edit, not to the library.
//! - **frontmatter edits** ([`fields`]): every change is an edit of such a resource that
//!   leaves it at the same place (url, aliases, attachments, image). The site map and every
//!   other file's result are still the last build's; the library is made from the last one
//!   by the edit alone (the edited resources moved in its orders, related lists ranked again
//!   only where they can enter or leave them), and only the pages that the old and new
//!   libraries say can differ get a context.
//! - **anything else**: edited content files are read again and every other file's result is
//!   reused; the site is assembled again from the cached parts (validation, library, related
//!   lists depend on every resource), and each page's context is built, but only the pages
//!   whose context changed are rendered.
//!
//! Either way a [`PageMemo`] hands on the unchanged pages' bytes from the last build, and
//! the result is the same [`Output`] a full build gives — the tests hold it to that.

use crate::config::{Config, CONFIG_FILE};
use crate::content::discover::{self, SourceFile, SourceKind};
use crate::content::{self, LoadOptions, Read};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::library::Library;
use crate::markdown::cache::MarkdownCache;
use crate::markdown::pages::Page;
use crate::output::{Output, Store, StoreSink};
use crate::render::memo::{Changes, Reach};
use crate::render::theme::Theme;
use crate::site::{load_config, static_files, BuildOptions, Failure, Site, Sources};
use pages::{Counts, PageMemo};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod bodies;
mod fields;
mod files;
pub mod pages;

/// What changed on disk, as far as rebuilding is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// Files or folders under `content/` (paths relative to it, `/`-separated).
    Content(Vec<String>),
    /// Something under `static/`.
    Static,
    /// Templates: `templates/` or `themes/`.
    Templates,
    /// `casebook.yaml`.
    Config,
}

/// The outcome of one (re)build.
#[derive(Debug)]
pub struct Rebuild {
    /// The output, when the site has no errors.
    pub output: Option<Output>,
    /// Every problem of the site (errors and warnings), as a full build reports them.
    pub diagnostics: Diagnostics,
    /// The content files read in this build (content-relative paths).
    pub files_read: Vec<String>,
    /// How many markdown texts were rendered rather than reused.
    pub markdown_rendered: usize,
    /// How many pages were rendered rather than reused (every page after a template or
    /// config change; only those whose context changed otherwise).
    pub pages_rendered: usize,
    /// How many pages had their context built and fingerprinted: every page, but after a
    /// body edit only those it can reach.
    pub contexts_built: usize,
}

/// A site's parts from the last build, kept to rebuild after a change.
pub struct SiteCache {
    root: PathBuf,
    options: BuildOptions,
    loaded: Option<Loaded>,
    markdown: MarkdownCache,
    /// Every page of the last good build, by the fingerprint of its context.
    pages: PageMemo,
    /// The last build, when it had no errors (`None` after one that had).
    last_good: Option<Good>,
    /// Where the generated files go (`serve`: on disk, see [`Store`]); `None`: in memory.
    store: Option<Arc<Store>>,
    /// The pages a change reaches beyond the changed resources' own, left for
    /// [`SiteCache::rest`] once its own were rendered by [`SiteCache::update_first`].
    rest: Option<Rest>,
}

/// What [`SiteCache::rest`] renders.
enum Rest {
    /// The pages an edit in place reaches beyond its own.
    Reached(Changes),
    /// The full path after these changes, whose new pages were shown first from a
    /// provisional site ([`files`]).
    Full(Vec<ChangeKind>),
}

/// A build without errors: its site (for [`SiteCache::search_files`], and the base of the
/// next body edit) and its diagnostics (warnings only).
struct Good {
    site: Arc<Site>,
    diagnostics: Diagnostics,
}

struct Loaded {
    config: Config,
    theme: Result<Theme, Diagnostics>,
    /// The files of `static/` and what could not be listed or read there.
    static_files: (Vec<(String, PathBuf)>, Diagnostics),
    files: Vec<SourceFile>,
    discover_problems: Diagnostics,
    /// Markdown file (content-relative) -> what reading it gave.
    reads: HashMap<String, (Read, Diagnostics)>,
}

impl SiteCache {
    /// Builds the site at `root` once, keeping its parts; the output is held in memory.
    pub fn new(root: &Path, options: &BuildOptions) -> (SiteCache, Rebuild) {
        SiteCache::new_in(root, options, None)
    }

    /// Like [`SiteCache::new`], with every generated file of this and later builds kept in
    /// `store` (when there is one) rather than in memory.
    pub fn new_in(root: &Path, options: &BuildOptions, store: Option<Arc<Store>>) -> (SiteCache, Rebuild) {
        let mut cache = SiteCache {
            root: root.to_path_buf(),
            options: options.clone(),
            loaded: None,
            markdown: MarkdownCache::default(),
            pages: PageMemo::default(),
            last_good: None,
            store,
            rest: None,
        };
        let rebuild = cache.update(&[ChangeKind::Config]);
        (cache, rebuild)
    }

    /// The site's config, once it has been read without errors.
    pub fn config(&self) -> Option<&Config> {
        self.loaded.as_ref().map(|l| &l.config)
    }

    /// Rebuilds after `changes`, redoing only what they touch: the same output as a full
    /// build, search indexes included.
    pub fn update(&mut self, changes: &[ChangeKind]) -> Rebuild {
        let mut rebuild = self.update_pages(changes);
        if let Some(output) = &mut rebuild.output {
            match self.search_files() {
                Some(Ok(files)) => output.add_missing(files),
                Some(Err(problems)) => {
                    rebuild.diagnostics.extend(problems.sorted());
                    rebuild.output = None;
                }
                None => {}
            }
        }
        rebuild
    }

    /// Like [`SiteCache::update`] but without the search indexes, the slowest part of a
    /// rebuild: `serve` publishes the pages at once and builds the indexes afterwards with
    /// [`SiteCache::search_files`].
    pub fn update_pages(&mut self, changes: &[ChangeKind]) -> Rebuild {
        let first = self.update_first(changes);
        match self.rest() {
            Some(rest) => Rebuild {
                files_read: first.files_read,
                markdown_rendered: first.markdown_rendered,
                pages_rendered: first.pages_rendered + rest.pages_rendered,
                contexts_built: first.contexts_built + rest.contexts_built,
                ..rest
            },
            None => first,
        }
    }

    /// Like [`SiteCache::update_pages`], but an edit of resources in place (the body and
    /// fields paths) whose changes reach other pages than the edited resources' own renders
    /// those alone: an output whose edited pages are as after the edit and whose other pages
    /// are the last build's, so `serve` can show the page being edited before the listings,
    /// feeds and related lists it reaches (a type edit re-renders every page of its terms'
    /// listings). [`SiteCache::rest`] renders the others, to the full build's output; call
    /// it before the next update (which renders a pending rest first, unpublished).
    pub fn update_first(&mut self, changes: &[ChangeKind]) -> Rebuild {
        self.rest();
        if let Some(rebuild) = self.update_bodies(changes) {
            return rebuild;
        }
        if let Some(rebuild) = self.update_fields(changes) {
            return rebuild;
        }
        if let Some(rebuild) = self.update_files_first(changes) {
            return rebuild;
        }
        self.update_full(changes)
    }

    /// The full path: the changed files read again, every other file's read reused, the site
    /// assembled again and every page's context built (see the module docs).
    fn update_full(&mut self, changes: &[ChangeKind]) -> Rebuild {
        if self.loaded.is_none() || changes.contains(&ChangeKind::Config) {
            if let Err(problems) = self.reload_all() {
                return failed(problems);
            }
        }
        let loaded = self.loaded.as_mut().expect("loaded just above");
        for change in changes {
            match change {
                ChangeKind::Content(paths) => loaded.forget(paths, &self.root),
                ChangeKind::Static => loaded.static_files = static_files(&self.root),
                ChangeKind::Templates => {
                    loaded.theme = Theme::load(&self.root, &loaded.config);
                    // A page's fingerprint does not cover its template's text.
                    self.pages.clear();
                }
                ChangeKind::Config => {}
            }
        }
        self.build()
    }

    /// The rest of the pages of the last [`SiteCache::update_first`] (`None` when it left
    /// none): the whole output, as a full build's; with errors (a template failing on a
    /// listing), the failed rebuild, and the next edit takes the full path.
    pub fn rest(&mut self) -> Option<Rebuild> {
        let changes = match self.rest.take()? {
            Rest::Reached(changes) => changes,
            Rest::Full(changes) => return Some(self.update_full(&changes)),
        };
        let reach = Reach::Some(&changes);
        let theme = &self.loaded.as_ref()?.theme;
        let good = self.last_good.as_mut()?;
        let mut diagnostics = good.diagnostics.clone();
        let target = (&mut self.pages, self.store.as_ref());
        let Some((output, counts)) = render(&good.site, theme, target, reach, &mut diagnostics) else {
            self.last_good = None;
            return Some(failed(diagnostics));
        };
        Some(rendered(output, counts, diagnostics))
    }

    /// The search indexes of the last build without errors (`None` before there is one).
    pub fn search_files(&self) -> Option<Result<Output, Diagnostics>> {
        let good = self.last_good.as_ref()?;
        Some(search_files(&good.site, self.store.as_ref()))
    }

    /// The site of the last build without errors, to build its search indexes on another
    /// thread (`serve` does, so they never hold up the next rebuild).
    pub fn last_good(&self) -> Option<Arc<Site>> {
        self.last_good.as_ref().map(|good| Arc::clone(&good.site))
    }

    /// Reads the config and theme again and forgets every file read.
    fn reload_all(&mut self) -> Result<(), Diagnostics> {
        self.loaded = None;
        self.last_good = None;
        self.pages.clear();
        let config = load_config(&self.root, &self.options).map_err(config_problems)?;
        let (files, discover_problems) = discover::discover(&self.root, &config.language_codes());
        self.loaded = Some(Loaded {
            theme: Theme::load(&self.root, &config),
            config,
            static_files: static_files(&self.root),
            files,
            discover_problems,
            reads: HashMap::new(),
        });
        Ok(())
    }

    fn build(&mut self) -> Rebuild {
        // Every page is rendered: nothing is left of an edit before.
        self.rest = None;
        let loaded = self.loaded.as_mut().expect("build after load");
        let load_options = LoadOptions {
            drafts: self.options.drafts,
        };
        let files_read = loaded.read_missing(load_options);
        let (sources, problems) = loaded.sources(&self.root);
        let last = self.last_good.as_ref().map(|good| &*good.site);
        let theme = loaded.theme.as_ref();
        let (site, mut diagnostics) = Site::assemble_after(sources, theme, problems, &mut self.markdown, last);
        let markdown_rendered = self.markdown.last_rendered();
        let target = (&mut self.pages, self.store.as_ref());
        let rendered = render(&site, &loaded.theme, target, Reach::Every, &mut diagnostics);
        let (output, counts) = rendered.unzip();
        self.last_good = output.is_some().then(|| Good {
            site: Arc::new(site),
            diagnostics: diagnostics.clone(),
        });
        let counts = counts.unwrap_or_default();
        Rebuild {
            output,
            diagnostics,
            files_read,
            markdown_rendered,
            pages_rendered: counts.rendered,
            contexts_built: counts.contexts,
        }
    }
}

/// The search indexes of `site`, their files kept in `store` if there is one.
pub fn search_files(site: &Site, store: Option<&Arc<Store>>) -> Result<Output, Diagnostics> {
    let sink = StoreSink::new(store);
    site.search_files_into(&sink)?;
    Ok(sink.into_output())
}

/// The pages of `site` (those within `reach` rendered, the others handed on by the memo of
/// `target`, their files kept in its store if there is one) and how many contexts were built
/// and pages rendered, unless the site has errors (a theme that did not load among them:
/// they are in `diagnostics` already); rendering problems join `diagnostics`.
fn render(
    site: &Site,
    theme: &Result<Theme, Diagnostics>,
    (memo, store): (&mut PageMemo, Option<&Arc<Store>>),
    reach: Reach<'_>,
    diagnostics: &mut Diagnostics,
) -> Option<(Output, Counts)> {
    let Ok(theme) = theme else { return None };
    if diagnostics.has_errors() {
        return None;
    }
    let sink = StoreSink::new(store);
    let round = memo.round(&sink, reach);
    let result = site.render_pages_reusing(theme, &sink, Some(&round));
    let seen = round.seen();
    if let Err(problems) = result {
        diagnostics.extend(problems.sorted());
        return None;
    }
    let output = sink.into_output();
    let counts = memo.finish(seen, &output);
    Some((output, counts))
}

/// What an edit of resources in place (the body and fields paths) made: the edited pages by
/// their index in the last good site, and the library made again when fields changed.
struct InPlace {
    pages: Vec<(usize, Page)>,
    library: Option<Library>,
}

/// `changes` split into the edited resources' own pages (`edited`) and the rest, when there
/// is a rest.
fn own_pages_first(changes: Changes, edited: &[usize]) -> (Changes, Option<Changes>) {
    let own = Changes {
        pages: edited.to_vec(),
        ..Changes::default()
    };
    let rest = Changes {
        pages: changes.pages.into_iter().filter(|i| !edited.contains(i)).collect(),
        ..changes
    };
    match rest == Changes::default() {
        true => (own, None),
        false => (own, Some(rest)),
    }
}

impl SiteCache {
    /// Ends an edit of resources in place: with errors among `so_far`'s diagnostics (the
    /// edit's diagnostics, files read and markdown rendered), the failed rebuild and no last
    /// good build, so the next edit takes the full path; otherwise `edit` put into the last
    /// good site (copied only if the search indexer still reads it), the edited resources' own
    /// pages rendered against the page memo and the other pages `changes` reaches left to
    /// [`SiteCache::rest`], and the site kept as the last good build only if it rendered.
    fn finish_in_place(
        &mut self,
        edit: InPlace,
        changes: Changes,
        so_far: (Diagnostics, Vec<String>, usize),
    ) -> Rebuild {
        let (mut diagnostics, files_read, markdown_rendered) = so_far;
        let edited: Vec<usize> = edit.pages.iter().map(|(index, _)| *index).collect();
        let (own, left) = own_pages_first(changes, &edited);
        let SiteCache {
            loaded,
            pages: memo,
            last_good,
            store,
            rest,
            ..
        } = self;
        let made = match (last_good.as_mut(), loaded.as_ref()) {
            (Some(good), Some(loaded)) if !diagnostics.has_errors() => {
                let site = Arc::make_mut(&mut good.site);
                for (index, page) in edit.pages {
                    site.pages[index] = page;
                }
                if let Some(library) = edit.library {
                    site.library = library;
                }
                let target = (memo, store.as_ref());
                let rendered = render(site, &loaded.theme, target, Reach::Some(&own), &mut diagnostics);
                if rendered.is_some() {
                    good.diagnostics = diagnostics.clone();
                    *rest = left.map(Rest::Reached);
                }
                rendered
            }
            _ => None,
        };
        let Some((output, counts)) = made else {
            *last_good = None;
            return Rebuild {
                files_read,
                markdown_rendered,
                ..failed(diagnostics)
            };
        };
        Rebuild {
            files_read,
            markdown_rendered,
            ..rendered(output, counts, diagnostics)
        }
    }
}

impl Loaded {
    /// Drops what was read from `paths` (files or folders under `content/`) and discovers
    /// the content files again, so added and deleted files are seen.
    fn forget(&mut self, paths: &[String], root: &Path) {
        self.reads.retain(|rel, _| !paths.iter().any(|p| is_within(rel, p)));
        let (files, problems) = discover::discover(root, &self.config.language_codes());
        self.files = files;
        self.discover_problems = problems;
        let present: std::collections::HashSet<&str> = self.files.iter().map(|f| f.rel.as_str()).collect();
        self.reads.retain(|rel, _| present.contains(rel.as_str()));
    }

    /// Reads (in parallel) every markdown file that has no cached read; returns their paths.
    fn read_missing(&mut self, options: LoadOptions) -> Vec<String> {
        let missing: Vec<&SourceFile> = self
            .files
            .iter()
            .filter(|f| f.kind != SourceKind::Asset && !self.reads.contains_key(&f.rel))
            .collect();
        let config = &self.config;
        let fresh: Vec<(String, (Read, Diagnostics))> = missing
            .par_iter()
            .map(|f| (f.rel.clone(), content::read_markdown(f, config, options)))
            .collect();
        let paths = fresh.iter().map(|(rel, _)| rel.clone()).collect();
        self.reads.extend(fresh);
        paths
    }

    /// The inputs of [`Site::assemble`], from the cached reads in discovery order.
    fn sources(&self, root: &Path) -> (Sources, Diagnostics) {
        let reads = self
            .files
            .iter()
            .filter_map(|f| self.reads.get(&f.rel))
            .cloned()
            .collect();
        let (content, mut problems) = content::assemble(&self.files, reads, self.discover_problems.clone());
        problems.extend(self.static_files.1.clone());
        let sources = Sources {
            root: root.to_path_buf(),
            config: self.config.clone(),
            content,
            static_files: self.static_files.0.clone(),
        };
        (sources, problems)
    }
}

/// Whether content path `rel` is `changed` or inside it.
fn is_within(rel: &str, changed: &str) -> bool {
    rel == changed || changed.is_empty() || rel.strip_prefix(changed).is_some_and(|rest| rest.starts_with('/'))
}

fn config_problems(failure: Failure) -> Diagnostics {
    match failure {
        Failure::Content(problems) => problems,
        Failure::Usage(e) => {
            let mut problems = Diagnostics::default();
            problems.push(Diagnostic::error(
                CONFIG_FILE,
                Location::default(),
                Code::Unreadable,
                format!("{e:#}"),
            ));
            problems
        }
    }
}

/// A rebuild that rendered `output` (no files read, no markdown rendered: a caller that did
/// either says so).
fn rendered(output: Output, counts: Counts, diagnostics: Diagnostics) -> Rebuild {
    Rebuild {
        output: Some(output),
        diagnostics,
        files_read: Vec::new(),
        markdown_rendered: 0,
        pages_rendered: counts.rendered,
        contexts_built: counts.contexts,
    }
}

fn failed(diagnostics: Diagnostics) -> Rebuild {
    Rebuild {
        output: None,
        diagnostics,
        files_read: Vec::new(),
        markdown_rendered: 0,
        pages_rendered: 0,
        contexts_built: 0,
    }
}
