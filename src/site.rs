//! A site from its files to its output, the orchestration above the pipeline stages:
//!
//! 1. [`Sources::read`] reads `casebook.yaml`, `content/` and `static/`;
//! 2. [`Sources::validate`] runs every check of the whole site that needs no rendered
//!    markdown (attachments, summaries, terms, templates, the output plan, the logo). `check`
//!    and `build` both run it, so they cannot drift apart;
//! 3. [`Site::assemble`] renders the markdown and ranks related resources;
//! 4. [`Site::render`] hands the assembled parts to `render` and `search` as explicit inputs
//!    and gathers what they make into an [`Output`].
//!
//! [`check`] is steps 1–2 plus the links of every markdown text (no HTML is made).

use crate::config::{self, Config, CONFIG_FILE};
use crate::content::discover::{self, Hidden};
use crate::content::site_map::{LinkOutcome, SiteMap};
use crate::content::{self, Asset, Content, LoadOptions, Resource};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::library::{self, Library};
use crate::markdown::abbreviations::Abbreviations;
use crate::markdown::cache::MarkdownCache;
use crate::markdown::pages::{self, Intro, Page};
use crate::markdown::{self, Labels, RenderOptions};
use crate::output::{Output, OutputFile, Sink};
use crate::plan::{self, Claim};
use crate::render::theme::{self, Theme};
use crate::{render, search};
use anyhow::Context as _;
use languages::LanguageSources;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

mod languages;

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

/// What a site is made from, once read: the input of [`Sources::validate`] and
/// [`Site::assemble`].
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

/// What [`Sources::validate`] derives from the sources, for `check` and `build` alike.
pub struct Validated {
    /// Where every content file and static file is written.
    pub site_map: SiteMap,
    /// Sections, terms, orders and coverage; related resources are left to the build.
    pub library: Library,
    /// Every output path and what writes it (empty when the theme did not load).
    pub plan: Vec<Claim>,
    /// The site's other languages, each validated like the default one.
    pub languages: Vec<LanguageSources>,
}

impl Sources {
    /// Reads `casebook.yaml`, `content/` and `static/` at `root`. Content problems come back
    /// as diagnostics; only an unreadable or invalid `casebook.yaml` stops early.
    pub fn read(root: &Path, options: &BuildOptions) -> Result<(Sources, Diagnostics), Failure> {
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
        Ok((sources, problems))
    }

    /// Every check of the whole site that needs no rendered markdown — attachments, missing
    /// summaries, taxonomy terms, the theme (`theme` as loaded, or its problems), collisions
    /// in the output plan, the logo — adding what it finds to `problems`.
    pub fn validate(&self, theme: Result<&Theme, &Diagnostics>, problems: &mut Diagnostics) -> Validated {
        let (config, content) = (&self.config, &self.content);
        let site_map = SiteMap::of(content, &self.static_files);
        problems.extend(attachment_problems(&content.resources, &site_map));
        problems.extend(
            content
                .resources
                .iter()
                .filter(|r| r.summary.is_none())
                .map(missing_summary),
        );
        let library = Library::without_related(content, config);
        problems.extend(library.term_problems(&content.resources, config));
        let languages = LanguageSources::all(config, content, &site_map);
        for language in &languages {
            let resources = &language.content.resources;
            problems.extend(resources.iter().filter(|r| r.summary.is_none()).map(missing_summary));
        }
        let parts: Vec<plan::LanguagePart<'_>> = languages
            .iter()
            .map(|l| plan::LanguagePart {
                config: &l.config,
                content: &l.content,
                library: &l.library,
            })
            .collect();
        let plan = match theme {
            Ok(theme) => {
                let at = config.value_location("language");
                problems.extend(theme.translations().notes(&config.language, CONFIG_FILE, at));
                plan::claims(config, content, &library, &self.static_files, theme.statics(), &parts)
            }
            Err(theme_problems) => {
                problems.extend(theme_problems.clone());
                Vec::new()
            }
        };
        problems.extend(plan::problems(&plan));
        if !plan.is_empty() {
            problems.extend(logo_problem(config, &plan));
            problems.extend(contribute_template_problem(config, &plan));
        }
        Validated {
            site_map,
            library,
            plan,
            languages,
        }
    }
}

/// A loaded, validated site with its markdown rendered.
#[derive(Clone)]
pub struct Site {
    /// The site root (the folder with `casebook.yaml`).
    pub root: PathBuf,
    /// The configuration.
    pub config: Config,
    /// Every resource with its rendered body and summary, sorted by content path.
    pub pages: Vec<Page>,
    /// Every section introduction with its rendered body, sorted by folder.
    pub intros: Vec<Intro>,
    /// Files of `content/` copied as they are.
    pub assets: Vec<Asset>,
    /// Sections and taxonomy terms (its indexes point into `pages` and `intros`).
    pub library: Library,
    /// Every link target in the site.
    pub site_map: SiteMap,
    /// Files of the site's `static/` folder: output path and source.
    pub static_files: Vec<(String, PathBuf)>,
    /// The size in bytes of every file a resource offers as a download, by output path.
    pub download_bytes: HashMap<String, u64>,
    /// How many files [`Site::render_pages_into`] puts, from the output plan (a progress
    /// total known before rendering).
    pub planned_files: usize,
    /// The site in each of its other languages (under `<code>/`), in config order; none for a
    /// site of one language, and none in a translation itself.
    pub translations: Vec<Site>,
    /// Every language and its pages, for `hreflang` links, the language switch and the
    /// sitemap (shared by the site and its translations).
    pub languages: Arc<render::Languages>,
}

impl Site {
    /// Reads and validates the site at `root` (with its theme) and renders its markdown.
    /// Content problems come back as diagnostics alongside the site; only an unreadable or
    /// invalid `casebook.yaml` stops early.
    pub fn load(root: &Path, options: &BuildOptions) -> Result<(Site, Diagnostics), Failure> {
        let (sources, problems) = Sources::read(root, options)?;
        let theme = Theme::load(root, &sources.config);
        Ok(Site::assemble(
            sources,
            theme.as_ref(),
            problems,
            &mut MarkdownCache::one_shot(),
        ))
    }

    /// Validates read sources against `theme` ([`Sources::validate`]), renders their markdown
    /// (reusing what `markdown` still holds) and ranks related resources: everything
    /// [`Site::load`] does after reading the files.
    pub fn assemble(
        sources: Sources,
        theme: Result<&Theme, &Diagnostics>,
        problems: Diagnostics,
        markdown: &mut MarkdownCache,
    ) -> (Site, Diagnostics) {
        Site::assemble_after(sources, theme, problems, markdown, None)
    }

    /// Like [`Site::assemble`], the related lists made from those of `last`, the site these
    /// sources were last assembled into (`serve`: see [`library::related_rebased`]), when
    /// it ranked them by the same taxonomies.
    pub fn assemble_after(
        sources: Sources,
        theme: Result<&Theme, &Diagnostics>,
        mut problems: Diagnostics,
        markdown: &mut MarkdownCache,
        last: Option<&Site>,
    ) -> (Site, Diagnostics) {
        let Validated {
            site_map,
            mut library,
            plan,
            languages,
        } = sources.validate(theme, &mut problems);
        let planned_files = files_before_search(&plan);
        let Sources {
            root,
            config,
            content,
            static_files,
        } = sources;
        match last.filter(|last| last.config.related_weigh() == config.related_weigh()) {
            Some(last) => {
                let keys = library::RelatedKeys::of(&config);
                let old = (last.pages.as_slice(), last.library.related.as_slice());
                library.related = library::related_rebased(old, &content.resources, &keys);
            }
            None => library.rank_related(&content.resources, &config),
        }
        // A site of one language lists no alternates: nothing to gather.
        let shared = Arc::new(if languages.is_empty() {
            render::Languages::default()
        } else {
            let mut entries = vec![render::sitemap::entries(&library, content.resources.iter(), &config)];
            entries.extend(languages.iter().map(LanguageSources::sitemap_entries));
            render::Languages::new(config.language_refs(), entries)
        });
        let Content {
            resources,
            sections,
            assets,
            languages: _,
        } = content;
        let options = render_options(&config, theme);
        let (pages, intros) = pages::render(resources, sections, &site_map, &options, markdown, &mut problems);
        let download_bytes = download_bytes(&pages, &site_map, &assets, &static_files, &config);
        let translations = languages
            .into_iter()
            .map(|language| {
                let files = (&root, assets.as_slice(), static_files.as_slice());
                Site::translation(language, files, theme, &shared, &mut problems)
            })
            .collect();
        config.checks.apply(&mut problems);
        let site = Site {
            root,
            config,
            pages,
            intros,
            assets,
            library,
            site_map,
            static_files,
            download_bytes,
            planned_files,
            translations,
            languages: shared,
        };
        (site, problems)
    }

    /// The site in one other language: its markdown rendered (links resolved against its
    /// own site map), related resources ranked among its translations.
    fn translation(
        language: LanguageSources,
        (root, assets, static_files): (&PathBuf, &[Asset], &[(String, PathBuf)]),
        theme: Result<&Theme, &Diagnostics>,
        languages: &Arc<render::Languages>,
        problems: &mut Diagnostics,
    ) -> Site {
        let LanguageSources {
            config,
            content,
            site_map,
            mut library,
        } = language;
        library.rank_related(&content.resources, &config);
        // A cache of its own: the site's keeps the default language's texts between rebuilds.
        let mut markdown = MarkdownCache::one_shot();
        // Its own options: footnote labels and call-out titles in its language.
        let options = render_options(&config, theme);
        let (pages, intros) = pages::render(
            content.resources,
            content.sections,
            &site_map,
            &options,
            &mut markdown,
            problems,
        );
        let download_bytes = download_bytes(&pages, &site_map, assets, static_files, &config);
        Site {
            root: root.clone(),
            config,
            pages,
            intros,
            assets: Vec::new(),
            library,
            site_map,
            static_files: Vec::new(),
            download_bytes,
            planned_files: 0,
            translations: Vec::new(),
            languages: Arc::clone(languages),
        }
    }

    /// Renders every page and gathers every file of the output, in memory.
    pub fn render(&self) -> Result<Output, Diagnostics> {
        let theme = Theme::load(&self.root, &self.config)?;
        self.render_with(&theme)
    }

    /// Like [`Site::render`], with a theme loaded before (the one the site was assembled with).
    pub fn render_with(&self, theme: &Theme) -> Result<Output, Diagnostics> {
        let output = Mutex::new(Output::default());
        self.render_pages_into(theme, &output)?;
        self.search_files_into(&output)?;
        Ok(into_output(output))
    }

    /// Every file of the output but the search indexes, in memory: what `serve` publishes
    /// first after a change, building the indexes (the slowest part) once the pages show.
    pub fn render_pages_with(&self, theme: &Theme) -> Result<Output, Diagnostics> {
        let output = Mutex::new(Output::default());
        self.render_pages_into(theme, &output)?;
        Ok(into_output(output))
    }

    /// Puts every file of the output but the search indexes into `sink`, each as soon as it
    /// is made (pages from the render threads): the theme's static files (less those the
    /// site's `static/` replaces), the generated stylesheets, every page, the content assets
    /// and the site's static files. The one place that decides what the output holds, for
    /// `build` (a staging folder) and `serve` (memory) alike.
    pub fn render_pages_into(&self, theme: &Theme, sink: &dyn Sink) -> Result<(), Diagnostics> {
        self.render_pages_reusing(theme, sink, None)
    }

    /// Like [`Site::render_pages_into`], but a page `memo` has unchanged since its last render
    /// is not rendered: the memo puts its bytes into `sink` itself (`serve`'s rebuilds).
    pub fn render_pages_reusing(
        &self,
        theme: &Theme,
        sink: &dyn Sink,
        memo: Option<&dyn render::memo::Memo>,
    ) -> Result<(), Diagnostics> {
        let replaced: HashSet<&str> = self.static_files.iter().map(|(path, _)| path.as_str()).collect();
        for (path, source) in theme.static_sources() {
            if replaced.contains(path) {
                continue;
            }
            let file = match source {
                theme::Source::Embedded(bytes) => OutputFile::Bytes(bytes::Bytes::from_static(bytes)),
                theme::Source::Disk(file) => OutputFile::Copy(file.clone()),
            };
            sink.put(path.to_string(), file);
        }
        sink.put(
            "css/syntax.css".into(),
            OutputFile::Bytes(markdown::highlight::stylesheet().into()),
        );
        let mut brand = render::brand::theme_css(&self.config.theme_options);
        brand.push_str(&render::brand::site_url_css(&self.config.base_url));
        sink.put("css/theme.css".into(), OutputFile::Bytes(brand.into()));
        let language = &self.config.language;
        let strings = theme.translations().for_language(language);
        for resource in self.pages.iter().map(|p| &p.resource) {
            for alias in &resource.aliases {
                let to = render::redirect::Target {
                    url: &resource.url,
                    title: &resource.title,
                };
                let page = render::redirect::page(&alias.file, &to, language, strings);
                sink.put(alias.file.clone(), OutputFile::Bytes(page.into()));
            }
        }
        let emit = |path, page: String| sink.put(path, OutputFile::Bytes(page.into()));
        let mut problems = render::render_pages(&self.render_input(), theme, memo, &emit);
        for translation in &self.translations {
            // Every page: a memo's reach names the default language's pages only.
            problems.extend(render::render_pages(&translation.render_input(), theme, None, &emit).sorted());
        }
        if problems.has_errors() {
            return Err(problems);
        }
        let assets = self.assets.par_iter().map(|a| (&a.output, &a.source));
        let statics = self.static_files.par_iter().map(|(path, source)| (path, source));
        assets.chain(statics).for_each(|(path, source)| {
            if !sink.failed() {
                sink.put(path.clone(), OutputFile::Copy(source.clone()));
            }
        });
        Ok(())
    }

    /// The search indexes, `search/tantivy/` and `search/index.js`, in memory.
    pub fn search_files(&self) -> Result<Output, Diagnostics> {
        let output = Mutex::new(Output::default());
        self.search_files_into(&output)?;
        Ok(into_output(output))
    }

    /// Builds the search indexes and puts their files into `sink`.
    pub fn search_files_into(&self, sink: &dyn Sink) -> Result<(), Diagnostics> {
        let files = search::index_files(&self.search_input()).map_err(|e| {
            let mut problems = Diagnostics::default();
            let message = format!("building the search index: {e:#}");
            problems.push(Diagnostic::error(
                CONFIG_FILE,
                Location::default(),
                Code::SearchIndex,
                message,
            ));
            problems
        })?;
        for (path, bytes) in files {
            sink.put(path, OutputFile::Bytes(bytes.into()));
        }
        for translation in &self.translations {
            // Each language's own index, under its folder (`cy/search/`).
            let prefix = &translation.config.lang_prefix;
            translation.search_files_into(&PrefixedSink { prefix, sink })?;
        }
        Ok(())
    }

    /// What `render` makes the pages from.
    pub fn render_input(&self) -> render::Input<'_> {
        render::Input {
            config: &self.config,
            library: &self.library,
            pages: &self.pages,
            intros: &self.intros,
            site_map: &self.site_map,
            download_bytes: &self.download_bytes,
            languages: &self.languages,
        }
    }

    /// What `search` makes the indexes from.
    pub fn search_input(&self) -> search::Input<'_> {
        search::Input {
            config: &self.config,
            library: &self.library,
            pages: &self.pages,
            intros: &self.intros,
        }
    }
}

/// How the markdown of a site with `config` and `theme` is rendered: its labels (footnotes)
/// in the site's language, English when the theme did not load (nothing is written then).
pub fn render_options(config: &Config, theme: Result<&Theme, &Diagnostics>) -> RenderOptions {
    let labels = theme.map_or_else(
        |_| Labels::default(),
        |theme| Labels::of(theme.translations().for_language(&config.language)),
    );
    RenderOptions {
        trusted_html: config.markdown.trusted_html,
        labels: Arc::new(labels),
        abbreviations: (!config.glossary.is_empty()).then(|| Arc::new(Abbreviations::new(&config.glossary))),
    }
}

/// The files of `plan` that [`Site::render_pages_into`] puts: one per path (a site static file
/// replaces the theme's), the search indexes left out.
fn files_before_search(plan: &[Claim]) -> usize {
    let paths: HashSet<&str> = plan
        .iter()
        .map(|c| c.path.as_str())
        .filter(|p| {
            // Each language's search files too (`cy/search/index.js`).
            let own = p
                .split_once('/')
                .filter(|(code, _)| config::is_primary_tag(code))
                .map_or(*p, |(_, rest)| rest);
            own != search::BROWSER_INDEX && !search::INDEX_FOLDERS.contains(&own)
        })
        .collect();
    paths.len()
}

/// A sink that puts each file under a language's folder (`cy/`).
struct PrefixedSink<'a> {
    prefix: &'a str,
    sink: &'a dyn Sink,
}

impl Sink for PrefixedSink<'_> {
    fn put(&self, path: String, file: OutputFile) {
        self.sink.put(format!("{}{path}", self.prefix), file);
    }

    fn failed(&self) -> bool {
        self.sink.failed()
    }
}

fn into_output(sink: Mutex<Output>) -> Output {
    sink.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Validates everything a build would — config, frontmatter, terms, links, attachments,
/// duplicate URLs, templates, files that cannot be read, collisions of output paths, the
/// logo — without rendering a page or writing a file: [`Sources::validate`], then the links
/// of every markdown text. Only a missing or unreadable `casebook.yaml` stops early; every
/// other problem is collected.
pub fn check(root: &Path, options: &BuildOptions) -> Result<Diagnostics, Failure> {
    let (sources, mut problems) = Sources::read(root, options)?;
    let theme = Theme::load(root, &sources.config);
    let validated = sources.validate(theme.as_ref(), &mut problems);
    let content = &sources.content;
    let mut texts: Vec<(crate::markdown::cache::Text<'_>, &SiteMap)> =
        pages::texts(&content.resources, &content.sections)
            .into_iter()
            .map(|text| (text, &validated.site_map))
            .collect();
    for language in &validated.languages {
        let translated = pages::texts(&language.content.resources, &language.content.sections);
        texts.extend(translated.into_iter().map(|text| (text, &language.site_map)));
    }
    let links: Vec<Vec<Diagnostic>> = texts
        .par_iter()
        .map(|(text, site_map)| markdown::check_links(text.markdown, text.place, site_map))
        .collect();
    problems.extend(links.into_iter().flatten());
    sources.config.checks.apply(&mut problems);
    Ok(problems)
}

/// For each other language of the site at `root` (in config order): its code and the
/// published resources that have no translation into it (their files): what `check` reports
/// for information, as a site may well publish some resources in one language only.
pub fn untranslated(root: &Path, options: &BuildOptions) -> Result<Vec<(String, Vec<String>)>, Failure> {
    let config = load_config(root, options)?;
    if config.languages.is_empty() {
        return Ok(Vec::new());
    }
    let (content, _) = content::load(root, &config, LoadOptions { drafts: options.drafts });
    let report = config
        .languages
        .keys()
        .map(|code| {
            let translated: HashSet<&str> = content
                .languages
                .iter()
                .filter(|l| &l.lang == code)
                .flat_map(|l| l.resources.iter().map(|r| r.content_path.as_str()))
                .collect();
            let missing = content
                .resources
                .iter()
                .filter(|r| !translated.contains(r.content_path.as_str()))
                .map(|r| r.file.clone())
                .collect();
            (code.clone(), missing)
        })
        .collect();
    Ok(report)
}

/// The size of every attachment's file, and of the contribute box's template, by output path:
/// read once per build, so a page can say how large each download is.
fn download_bytes(
    pages: &[Page],
    site_map: &SiteMap,
    assets: &[Asset],
    static_files: &[(String, PathBuf)],
    config: &Config,
) -> HashMap<String, u64> {
    let sources: HashMap<&str, &Path> = assets
        .iter()
        .map(|a| (a.output.as_str(), a.source.as_path()))
        .chain(
            static_files
                .iter()
                .map(|(path, source)| (path.as_str(), source.as_path())),
        )
        .collect();
    pages
        .iter()
        .flat_map(|p| {
            p.resource
                .attachments
                .iter()
                .filter_map(|a| content::site_map::output_of_file(site_map, &p.resource.content_dir, &a.file))
        })
        .chain(
            config
                .contribute
                .iter()
                .filter_map(|c| c.template_path().map(String::from)),
        )
        .filter_map(|output| {
            // A file that vanished since it was listed keeps its link, without a size.
            let bytes = std::fs::metadata(sources.get(output.as_str())?).ok()?.len();
            Some((output, bytes))
        })
        .collect()
}

/// Attachments and images whose `file` does not exist in the site, or would leave it.
fn attachment_problems(resources: &[Resource], site_map: &SiteMap) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for r in resources {
        if let Some(image) = &r.image {
            if let LinkOutcome::Broken(message) = site_map.resolve(&r.content_dir, &r.url, &image.file) {
                let message = message.replacen("link", "image", 1);
                let d = Diagnostic::error(&r.file, image.at, Code::BrokenLink, message).with_help(
                    "name an image file relative to this one (a page bundle: `x/index.md` with its files), or an `https://` address",
                );
                problems.push(d);
            }
        }
        for a in &r.attachments {
            if let LinkOutcome::Broken(message) = site_map.resolve(&r.content_dir, &r.url, &a.file) {
                let message = message.replacen("link", "attachment", 1);
                let d = Diagnostic::error(&r.file, a.at, Code::BrokenAttachment, message).with_help(
                    "put the file next to this one (a page bundle: `x/index.md` with its files) and name it relative to it",
                );
                // A `javascript:` attachment would be published as written: never a warning.
                let refused = matches!(crate::urls::link_kind(&a.file), crate::urls::LinkKind::Refused(_));
                problems.push(if refused { d.firm() } else { d });
            }
        }
    }
    problems
}

pub(crate) fn missing_summary(r: &Resource) -> Diagnostic {
    Diagnostic::warning(
        &r.file,
        Location::new(1, 1),
        Code::MissingSummary,
        "no `summary`: the first paragraph is used instead",
    )
    .with_help("add `summary: \"...\"` (one or two sentences) to the frontmatter")
}

/// The configured logo must be a file of the output (from `static/` or `content/`).
fn logo_problem(config: &Config, plan: &[Claim]) -> Option<Diagnostic> {
    let options = &config.theme_options;
    let logo = options.logo.as_ref()?;
    let path = logo.trim_start_matches('/');
    if plan.iter().any(|claim| claim.path == path) {
        return None;
    }
    let d = Diagnostic::error(
        CONFIG_FILE,
        options.logo_at,
        Code::MissingAsset,
        format!("the logo `{logo}` is not a file of the site"),
    )
    .with_help("put the image under static/ (static/images/logo.svg is `images/logo.svg`) or content/");
    Some(d)
}

/// The contribute box's template must be a file of the output (from `static/` or `content/`).
fn contribute_template_problem(config: &Config, plan: &[Claim]) -> Option<Diagnostic> {
    let contribute = config.contribute.as_ref()?;
    let path = contribute.template_path()?;
    if plan.iter().any(|claim| claim.path == path) {
        return None;
    }
    let d = Diagnostic::error(
        CONFIG_FILE,
        contribute.template_at,
        Code::MissingAsset,
        format!("the contribute template `{path}` is not a file of the site"),
    )
    .with_help("put the file under static/ (static/files/template.docx is `files/template.docx`) or content/, and name it by that path");
    Some(d)
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
        let kind = discover::kind_of(meta.file_type());
        let d = Diagnostic::error(
            CONFIG_FILE,
            Location::default(),
            Code::Unreadable,
            format!("{CONFIG_FILE} is {kind}, not a regular file; it was not read"),
        )
        .with_help("replace it with the site's configuration file, or pass --root DIR");
        let mut problems = Diagnostics::default();
        problems.push(d);
        return Err(Failure::Content(problems));
    }
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut config = config::Config::parse(&text, CONFIG_FILE).map_err(Failure::Content)?;
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
/// not be listed or read (see [`discover::walk`]: the same symlink policy as content).
pub fn static_files(root: &Path) -> (Vec<(String, PathBuf)>, Diagnostics) {
    let (files, mut problems) = discover::walk(root, &root.join("static"), Hidden::List);
    problems.extend(discover::unreadable(root, files.iter().map(|(path, _)| path.as_path())));
    let files = files.into_iter().map(|(path, rel)| (rel, path)).collect();
    (files, problems)
}
