//! Turning the assembled site into pages: one Tera context per page, rendered in parallel and
//! handed over one at a time. Rendering takes explicit [`Input`]s and writes nothing itself:
//! the caller decides where each page goes.

pub mod brand;
pub mod cards;
pub mod context;
pub mod glossary;
pub mod languages;
pub mod memo;
pub mod paginate;
pub mod redirect;
pub mod resource;
pub mod sitemap;
pub mod theme;
pub mod views;
pub mod words;

use crate::config::Config;
use crate::content::site_map::SiteMap;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::i18n::LanguageStrings;
use crate::library::{Library, Section, TaxonomyIndex, TermIndex};
use crate::markdown::pages::{Intro, Page};
use crate::urls;
use cards::{CardHtml, Listed};
use context::{
    CoverageContext, FeedContext, HomeContext, PageBase, PageMeta, ResourceContext, SectionContext, Shared,
    TaxonomyContext, TermContext,
};
pub use languages::Languages;
use memo::{Memo, Reach};
use paginate::Paginator;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use tera::Context;
use theme::{error_chain, Theme};
use views::{
    Card, ContributeView, CoverageCell, CoverageColumn, CoverageRow, CoverageView, Link, ResourceView, SectionLink,
    SectionView, SiteView, SitemapEntry, TaxonomyRef, TaxonomyView, TermView, TypeFilter, TypeGroup,
};

/// How many resources the home page and the feed show.
const LATEST: usize = 10;
const FEED_ENTRIES: usize = 20;

/// One page to render: where it goes, with which template and context.
struct Job {
    path: String,
    template: &'static str,
    /// The page's own variables (the render's [`Shared`] ones are added when it is rendered);
    /// `None` when the [`Memo`] has the page unchanged: nothing to render.
    context: Option<Result<Own, tera::Error>>,
}

/// A page's own variables and their names.
struct Own {
    names: Vec<String>,
    values: Context,
}

/// What the pages are made from, borrowed from the assembled site.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    /// The configuration.
    pub config: &'a Config,
    /// Sections, taxonomy terms, orders and related resources.
    pub library: &'a Library,
    /// Every resource with its rendered body and summary (the library's indexes point here).
    pub pages: &'a [Page],
    /// Every section introduction with its rendered body.
    pub intros: &'a [Intro],
    /// Where every content file is written (attachment links).
    pub site_map: &'a SiteMap,
    /// The size of every download, by output path.
    pub download_bytes: &'a HashMap<String, u64>,
    /// The site's languages and their pages (empty for a site of one language).
    pub languages: &'a Languages,
}

/// Renders every page of `input` with `theme`, handing each page's output path and text to
/// `emit` as soon as it is rendered (from whichever thread rendered it); returns the pages
/// that failed. Each page's context is built inside the parallel loop and dropped once
/// rendered, so memory holds a few contexts and pages at a time rather than all of them;
/// long listings are split into pages of `paginate_by` cards, each its own job. A page whose
/// context `memo` has seen unchanged is not rendered (the memo hands its last bytes on).
pub fn render_pages(
    input: &Input<'_>,
    theme: &Theme,
    memo: Option<&dyn Memo>,
    emit: &(dyn Fn(String, String) + Sync),
) -> Diagnostics {
    let view = SiteView::new(input.config, input.library);
    let lang = input.config.language.as_str();
    let reach = memo.map_or(Reach::Every, |memo| memo.reach());
    // A resource's card appears on many pages (its section, every term, home, feed, related
    // lists): each is built once, when a page first shows it.
    let cards: Vec<OnceLock<Card>> = input.pages.iter().map(|_| OnceLock::new()).collect();
    // What only some pages need is made only when a render can reach them: a term's listing
    // when a page of it (or one linking into it) is reached, the sitemap's entries when it is.
    let term_listings = TermListing::unmade(input.library);
    let sitemap = if !reach.sitemap_changed() || !input.config.lang_prefix.is_empty() {
        Vec::new() // a language other than the default has no sitemap of its own
    } else if input.languages.many() {
        input.languages.sitemap(&input.config.base_url)
    } else {
        sitemap::entries(input.library, input.pages.iter().map(|p| &p.resource), input.config)
    };
    let strings = theme.translations().for_language(lang);
    let shared = match (Shared {
        site: &view,
        lang,
        t: strings,
    })
    .values()
    {
        Ok(shared) => shared,
        Err(e) => return shared_failed(&e),
    };
    let contribute = input
        .config
        .contribute
        .as_ref()
        .map(|c| ContributeView::new(c, input.download_bytes, strings));
    let card_html = CardHtml::new(theme, shared.get("t"), input.pages.len());
    let pages = Pages {
        input,
        view: &view,
        cards: &cards,
        card_html: card_html.as_ref(),
        term_listings: &term_listings,
        sitemap: &sitemap,
        memo,
        shared_print: memo.map_or(0, |_| memo::shared_print(&shared)),
        contexts: Contexts::new(shared),
        contribute: contribute.as_ref(),
        strings,
    };
    let failed: Vec<Diagnostic> = pages
        .list()
        .into_par_iter()
        .filter(|page| pages.reaches(reach, page))
        .filter_map(|page| pages.job_for(page))
        .filter_map(|job| match render(theme, job, &pages.contexts)? {
            Ok((path, text)) => {
                emit(path, text);
                None
            }
            Err(d) => Some(d),
        })
        .collect();
    let mut problems = Diagnostics::default();
    problems.extend(failed);
    problems
}

/// The one problem of a render whose shared values (`site`, `t`) do not serialise.
fn shared_failed(e: &tera::Error) -> Diagnostics {
    let mut problems = Diagnostics::default();
    problems.push(Diagnostic::error(
        "casebook.yaml",
        Location::default(),
        Code::TemplateError,
        format!("preparing the values every page shares: {}", error_chain(e)),
    ));
    problems
}

fn render(theme: &Theme, job: Job, contexts: &Contexts) -> Option<Result<(String, String), Diagnostic>> {
    let rendered = job
        .context?
        .and_then(|own| contexts.with(own, |context| theme.tera.render(job.template, context)));
    Some(match rendered {
        // Content and config refuse control characters; this drops any a theme's own templates
        // bring, as XML cannot carry them even escaped (a feed reader would reject the feed).
        Ok(xml) if job.path.ends_with(".xml") => Ok((job.path, crate::controls::for_xml(&xml).into_owned())),
        Ok(html) => Ok((job.path, html)),
        Err(e) => Err(Diagnostic::error(
            &format!("templates/{}", job.template),
            Location::default(),
            Code::TemplateError,
            format!("rendering {}: {}", job.path, error_chain(&e)),
        )),
    })
}

/// Contexts holding the render's shared values (`site`, `lang`, `t`; `t` alone for the cards
/// of `cards::CardHtml`), each lent to one page render at a time: the page's own variables are
/// added for the render and taken out after, where a context of its own per page would copy
/// every shared value (every word of `t`, the navigation) and drop the copy again.
struct Contexts {
    idle: Mutex<Vec<Context>>,
    /// The shared values, copied when every context is lent out.
    shared: Context,
}

impl Contexts {
    fn new(shared: Context) -> Contexts {
        Contexts {
            idle: Mutex::new(Vec::new()),
            shared,
        }
    }

    /// `render` of a context holding the shared values and `own`'s variables.
    fn with<T>(&self, own: Own, render: impl FnOnce(&Context) -> T) -> T {
        if own.names.iter().any(|name| self.shared.contains_key(name)) {
            // A page variable named like a shared one replaces it: this page's context only.
            let mut context = self.shared.clone();
            context.extend(own.values);
            return render(&context);
        }
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let mut context = idle.unwrap_or_else(|| self.shared.clone());
        context.extend(own.values);
        let result = render(&context);
        for name in &own.names {
            context.remove(name);
        }
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(context);
        }
        result
    }
}

/// Every page the site has, before its context is built. Listings carry their page number.
#[derive(Clone, Copy)]
enum PageKind<'s> {
    Home,
    NotFound,
    Sitemap(sitemap::SitemapFile),
    Feed,
    Robots,
    Search,
    Coverage,
    Glossary,
    Section(&'s Section, usize),
    Resource(usize),
    Taxonomy(&'s TaxonomyIndex),
    Term(usize, usize, usize),
    /// The Atom feed of term `n` of taxonomy `t`.
    TermFeed(usize, usize),
}

/// A term's resources in listing order: grouped by type in config type order, newest first
/// within each group, so each type's group is one run of pages and the "filter by type" list
/// and the coverage cells can link to the page where it starts.
struct TermListing {
    /// Indexes into `Input::pages`, in listing order.
    order: Vec<usize>,
    /// Each non-empty type's group: type key, first position in `order`, length.
    groups: Vec<(String, usize, usize)>,
}

/// The order a term's listing shows `resources` (newest first) in, `kind_of` giving each one's
/// type: for `serve`, which compares a listing's pages before and after an edit.
pub fn term_listing_order<'r>(config: &Config, kind_of: impl Fn(usize) -> &'r str, resources: &[usize]) -> Vec<usize> {
    TermListing::of(config, kind_of, resources).order
}

impl TermListing {
    /// A slot for the listing of every term, by taxonomy then term (the library's order),
    /// each made when first needed ([`Pages::listing`]).
    fn unmade(library: &Library) -> Vec<Vec<OnceLock<TermListing>>> {
        library
            .taxonomies
            .iter()
            .map(|t| t.terms.iter().map(|_| OnceLock::new()).collect())
            .collect()
    }

    fn of<'r>(config: &Config, kind_of: impl Fn(usize) -> &'r str, resources: &[usize]) -> TermListing {
        let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); config.types.len()];
        for &i in resources {
            // A resource's type is always one of the config's (checked when content is read).
            if let Some(k) = config.types.get_index_of(kind_of(i)) {
                buckets[k].push(i);
            }
        }
        let mut order = Vec::with_capacity(resources.len());
        let mut groups = Vec::new();
        for (kind, bucket) in config.types.keys().zip(buckets) {
            if !bucket.is_empty() {
                groups.push((kind.clone(), order.len(), bucket.len()));
                order.extend(bucket);
            }
        }
        TermListing { order, groups }
    }

    /// The page (from 1) where the group of `kind` starts, if the term has that type.
    fn page_of(&self, kind: &str, per_page: usize) -> Option<usize> {
        let (_, start, _) = self.groups.iter().find(|(k, _, _)| k == kind)?;
        Some(paginate::page_of(*start, per_page))
    }
}

struct Pages<'a> {
    input: &'a Input<'a>,
    view: &'a SiteView<'a>,
    /// The card of each page, built once when first shown (same order as `input.pages`).
    cards: &'a [OnceLock<Card>],
    /// Each card rendered once per page depth, when the built-in templates render the pages.
    card_html: Option<&'a CardHtml<'a>>,
    /// Each term's listing order, by taxonomy then term, made when first needed.
    term_listings: &'a [Vec<OnceLock<TermListing>>],
    /// Every page's sitemap entry, in sitemap order.
    sitemap: &'a [SitemapEntry],
    /// What the last render made, for skipping pages whose context did not change.
    memo: Option<&'a dyn Memo>,
    /// Contexts holding what every page's context holds (`site`, `lang`, `t`, made once),
    /// lent to one page render at a time.
    contexts: Contexts,
    /// The hash of `shared`, part of every page's fingerprint (when there is a memo).
    shared_print: u128,
    /// The contribute box, if the site has one.
    contribute: Option<&'a ContributeView>,
    /// The theme's words in that language.
    strings: &'a LanguageStrings,
}

impl<'a> Pages<'a> {
    fn per_page(&self) -> usize {
        self.input.config.paginate_by
    }

    /// What this language's urls start with (`cy/`; empty for the default language).
    fn prefix(&self) -> &'a str {
        &self.input.config.lang_prefix
    }

    /// The listing of term `n` of taxonomy `t`.
    fn listing(&self, t: usize, n: usize) -> &'a TermListing {
        self.term_listings[t][n].get_or_init(|| {
            let pages = self.input.pages;
            let term = &self.input.library.taxonomies[t].terms[n];
            TermListing::of(self.input.config, |i| &pages[i].resource.kind, &term.resources)
        })
    }

    fn list(&self) -> Vec<PageKind<'a>> {
        let library = self.input.library;
        let per_page = self.per_page();
        let mut pages = vec![PageKind::Home, PageKind::Feed, PageKind::Search, PageKind::Coverage];
        if self.prefix().is_empty() {
            // One of each for the whole site, whatever its languages: the default one's.
            pages.extend([PageKind::NotFound, PageKind::Robots, PageKind::Glossary]);
            let sitemaps = sitemap::files(self.sitemap.len(), sitemap::URLS_PER_FILE);
            pages.extend(sitemaps.into_iter().map(PageKind::Sitemap));
        }
        for section in library.sections.values().filter(|s| !s.dir.is_empty()) {
            let count = paginate::page_count(section.resources.len(), per_page);
            pages.extend((1..=count).map(|n| PageKind::Section(section, n)));
        }
        pages.extend((0..self.input.pages.len()).map(PageKind::Resource));
        for (t, taxonomy) in library.taxonomies.iter().enumerate() {
            pages.push(PageKind::Taxonomy(taxonomy));
            for (n, term) in taxonomy.terms.iter().enumerate() {
                let count = paginate::page_count(term.resources.len(), per_page);
                pages.extend((1..=count).map(|page| PageKind::Term(t, n, page)));
                pages.push(PageKind::TermFeed(t, n));
            }
        }
        pages
    }

    /// Whether `page` can have changed within `reach` (see [`memo::Changes`]).
    fn reaches(&self, reach: Reach<'_>, page: &PageKind<'a>) -> bool {
        let Reach::Some(changes) = reach else {
            return true;
        };
        let cards = !changes.cards.is_empty();
        // The items are only looked at when some card changed (term listings are built then).
        let shows = |items: &dyn Fn() -> &'a [usize]| cards && items().iter().any(|i| changes.cards.contains(i));
        let per_page = self.per_page();
        let library = self.input.library;
        match *page {
            PageKind::Resource(i) => changes.pages.contains(&i) || shows(&|| &library.related[i]),
            PageKind::Section(section, n) => {
                changes
                    .section_pages
                    .iter()
                    .any(|(dir, p)| *dir == section.dir && *p == n)
                    || shows(&|| paginate::page_items(&section.resources, per_page, n))
            }
            PageKind::Term(t, n, number) => {
                // A listing is made only for a term carrying a changed card.
                let carries = || {
                    cards
                        && changes
                            .cards
                            .iter()
                            .any(|i| library.taxonomies[t].terms[n].resources.contains(i))
                };
                changes.terms.contains(&(t, n))
                    || changes.term_pages.contains(&(t, n, number))
                    || (carries() && shows(&|| paginate::page_items(&self.listing(t, n).order, per_page, number)))
            }
            PageKind::TermFeed(t, n) => {
                let newest = &library.taxonomies[t].terms[n].resources;
                changes.terms.contains(&(t, n))
                    || changes.term_pages.iter().any(|&(a, b, _)| (a, b) == (t, n))
                    || shows(&|| &newest[..newest.len().min(FEED_ENTRIES)])
            }
            PageKind::Home | PageKind::Feed => changes.overview || cards,
            PageKind::Taxonomy(_) | PageKind::Coverage => changes.overview,
            PageKind::Sitemap(_) => changes.sitemap,
            // Made from the config alone.
            PageKind::NotFound | PageKind::Robots | PageKind::Search | PageKind::Glossary => false,
        }
    }

    /// The template and context of `page` (`None` for a page this site does not have).
    fn job_for(&self, page: PageKind<'a>) -> Option<Job> {
        Some(match page {
            PageKind::Home => self.home(),
            PageKind::NotFound => self.not_found(),
            PageKind::Sitemap(file) => self.sitemap(file),
            PageKind::Feed => self.feed(),
            PageKind::Robots => self.robots(),
            PageKind::Search => self.search(),
            PageKind::Coverage => return self.coverage(),
            PageKind::Glossary => return self.glossary(),
            PageKind::Section(section, n) => self.section(section, n),
            PageKind::Resource(i) => self.resource(i),
            PageKind::Taxonomy(taxonomy) => self.taxonomy(taxonomy),
            PageKind::Term(t, n, page) => self.term(t, n, page),
            PageKind::TermFeed(t, n) => self.term_feed(t, n),
        })
    }

    /// What every page has: the site, the way back to the root, the page's own meta.
    fn base(&self, url: &str, title: &str, description: &str) -> PageBase {
        let config = self.input.config;
        let logo = self.view.theme_options.logo.as_ref();
        PageBase {
            translations: self.input.languages.alternates(self.prefix(), url, &config.base_url),
            root: urls::root_prefix(url),
            page: PageMeta {
                title: title.to_string(),
                description: description.to_string(),
                url: url.to_string(),
                canonical: format!("{}{}", config.base_url, url),
                image: logo.map(|logo| format!("{}{logo}", config.base_url)),
                image_alt: config.theme_options.logo_alt.clone(),
            },
        }
    }

    /// The page at `url` (written as `url/index.html`) rendered by `template` from `context`.
    fn job(&self, url: &str, template: &'static str, context: &impl Serialize) -> Job {
        self.job_at(urls::page_file(url), template, context)
    }

    /// The file `path` rendered by `template` from `context`, unless the memo has it unchanged.
    pub(super) fn job_at(&self, path: String, template: &'static str, context: &impl Serialize) -> Job {
        Job::at(path, template, context, self)
    }

    fn cards(&self, indices: &[usize]) -> Vec<&'a Card> {
        indices.iter().map(|&i| self.card(i)).collect()
    }

    /// The cards `indices` as a page whose way back to the root is `root` lists them
    /// (rendered once per depth where [`CardHtml`] can).
    fn listed(&self, indices: &[usize], root: &str) -> Vec<Listed<'a>> {
        indices
            .iter()
            .map(|&i| match self.card_html {
                Some(memo) => memo.listed(i, self.card(i), root),
                None => Listed::Card(self.card(i)),
            })
            .collect()
    }

    fn card(&self, i: usize) -> &'a Card {
        let page = &self.input.pages[i];
        self.cards[i].get_or_init(|| views::card(&page.resource, &page.summary, self.input.config, self.strings))
    }

    /// Links from the home page down to (not including) the folder `dir`'s own page.
    fn breadcrumbs(&self, dir: &str, include_self: bool) -> Vec<Link> {
        let mut crumbs = vec![Link {
            title: self.strings.text("nav_home").into(),
            href: urls::page_file(self.prefix()),
        }];
        let parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
        let upto = if include_self {
            parts.len()
        } else {
            parts.len().saturating_sub(1)
        };
        for n in 1..=upto {
            let d = parts[..n].join("/");
            if let Some(s) = self.input.library.sections.get(&d) {
                crumbs.push(Link {
                    title: s.title.clone(),
                    href: urls::page_file(&s.url),
                });
            }
        }
        crumbs
    }

    /// Breadcrumbs of a taxonomy's pages: home, then the taxonomy.
    fn taxonomy_breadcrumbs(&self, taxonomy: &TaxonomyIndex) -> Vec<Link> {
        let mut crumbs = self.breadcrumbs("", true);
        crumbs.push(Link {
            title: taxonomy.name.clone(),
            href: urls::page_file(&views::taxonomy_url(self.prefix(), &taxonomy.key)),
        });
        crumbs
    }

    fn home(&self) -> Job {
        let input = self.input;
        let library = input.library;
        let featured: Vec<usize> = library
            .newest_first
            .iter()
            .copied()
            .filter(|&i| input.pages[i].resource.featured)
            .collect();
        let latest: Vec<usize> = library.newest_first.iter().copied().take(LATEST).collect();
        let config = input.config;
        let taxonomy_view = |t: &TaxonomyIndex| TaxonomyView {
            key: t.key.clone(),
            name: t.name.clone(),
            href: urls::page_file(&views::taxonomy_url(self.prefix(), &t.key)),
            terms: self.term_views(t),
        };
        let base = self.base(self.prefix(), &config.title, &config.description);
        let context = HomeContext {
            heading: config.home.heading(&config.title, &config.description),
            intro: library
                .sections
                .get("")
                .and_then(|s| s.intro)
                .map(|i| input.intros[i].body.html.clone()),
            featured: self.listed(&featured, &base.root),
            latest: self.listed(&latest, &base.root),
            sections: library
                .top_sections()
                .map(|s| SectionLink {
                    title: s.title.clone(),
                    href: urls::page_file(&s.url),
                    count: s.resources.len(),
                })
                .collect(),
            taxonomies: library.taxonomies.iter().map(taxonomy_view).collect(),
            audiences: config
                .home
                .audiences
                .as_deref()
                .and_then(|key| library.taxonomies.iter().find(|t| t.key == key))
                .map(taxonomy_view),
            headline: library.coverage.as_ref().map(|cov| cov.taxonomy.as_str()),
            coverage_href: self.coverage_href(),
            base,
        };
        self.job(self.prefix(), "index.html", &context)
    }

    /// The contribute box, when pages of type `kind` show it.
    fn contribute_on(&self, kind: &str) -> Option<ContributeView> {
        let shown = self.input.config.contribute.as_ref()?.shown_on(kind);
        shown.then(|| self.contribute.cloned()).flatten()
    }

    fn term_views(&self, taxonomy: &TaxonomyIndex) -> Vec<TermView> {
        taxonomy
            .terms
            .iter()
            .map(|t| term_view(self.prefix(), taxonomy, t))
            .collect()
    }

    /// Page `number` of the listing of `section`.
    fn section(&self, section: &Section, number: usize) -> Job {
        let input = self.input;
        let per_page = self.per_page();
        let url = paginate::page_url(&section.url, number);
        let paginator = Paginator::new(&section.url, number, section.resources.len(), per_page);
        let base = self.base(&url, &self.page_title(&section.title, &paginator), &section.description);
        let context = SectionContext {
            breadcrumbs: self.breadcrumbs(&section.dir, false),
            section: SectionView {
                title: section.title.clone(),
                description: section.description.clone(),
                intro: section.intro.map(|i| input.intros[i].body.html.clone()),
                subsections: section
                    .subsections
                    .iter()
                    .filter_map(|d| input.library.sections.get(d))
                    .map(|s| Link {
                        title: s.title.clone(),
                        href: urls::page_file(&s.url),
                    })
                    .collect(),
            },
            resources: self.listed(paginate::page_items(&section.resources, per_page, number), &base.root),
            paginator,
            contribute: input
                .config
                .type_for_section(&section.dir)
                .and_then(|kind| self.contribute_on(kind)),
            base,
        };
        self.job(&url, "section.html", &context)
    }

    fn resource(&self, i: usize) -> Job {
        let input = self.input;
        let page = &input.pages[i];
        let r = &page.resource;
        let mut base = self.base(&r.url, &r.title, &page.summary);
        let image = resource::image(r, input.site_map, &input.config.base_url);
        if let Some(image) = &image {
            base.page.image = Some(image.url.clone());
            base.page.image_alt = image.alt.clone();
        }
        let json_ld = resource::json_ld(
            &resource::Described {
                resource: r,
                card: self.card(i),
                canonical: &base.page.canonical,
                image: base.page.image.as_deref(),
                keywords_from: input.library.coverage.as_ref().map(|c| c.taxonomy.as_str()),
            },
            input.config,
        );
        let context = ResourceContext {
            breadcrumbs: self.breadcrumbs(&r.section, true),
            resource: ResourceView {
                card: self.card(i),
                content: &page.body.html,
                updated: r.updated.map(|d| views::date_view(&d, self.strings)),
                authors: r.authors.clone(),
                link: r.link.clone(),
                source: r.source.clone(),
                attachments: resource::attachments(r, input.site_map, input.download_bytes, self.strings),
                extra: r.extra.clone(),
                doi: r.doi.clone(),
                citation: resource::citation(r, &base.page.canonical, self.strings),
                reading_minutes: resource::reading_minutes(&page.body.text),
                toc: resource::toc(&page.body.headings),
                image,
            },
            related: self.listed(&input.library.related[i], &base.root),
            json_ld,
            contribute: self.contribute_on(&r.kind),
            base,
        };
        self.job(&r.url, "resource.html", &context)
    }

    fn taxonomy(&self, taxonomy: &TaxonomyIndex) -> Job {
        let url = views::taxonomy_url(self.prefix(), &taxonomy.key);
        let is_headline = self
            .input
            .library
            .coverage
            .as_ref()
            .is_some_and(|cov| cov.taxonomy == taxonomy.key);
        let context = TaxonomyContext {
            base: self.base(&url, &taxonomy.name, ""),
            breadcrumbs: self.breadcrumbs("", true),
            taxonomy: taxonomy_ref(taxonomy),
            terms: self.term_views(taxonomy),
            coverage_href: self.coverage_href().filter(|_| is_headline),
        };
        self.job(&url, "taxonomy.html", &context)
    }

    /// Page `number` of the listing of term `n` of taxonomy `t`.
    fn term(&self, t: usize, n: usize, number: usize) -> Job {
        let taxonomy = &self.input.library.taxonomies[t];
        let term = &taxonomy.terms[n];
        let listing = self.listing(t, n);
        let per_page = self.per_page();
        let listing_url = views::term_url(self.prefix(), &taxonomy.key, &term.slug);
        let url = paginate::page_url(&listing_url, number);
        let paginator = Paginator::new(&listing_url, number, listing.order.len(), per_page);
        let base = self.base(&url, &self.page_title(&term.name, &paginator), &term.description);
        let context = TermContext {
            breadcrumbs: self.taxonomy_breadcrumbs(taxonomy),
            taxonomy: taxonomy_ref(taxonomy),
            term: term_view(self.prefix(), taxonomy, term),
            resources: self.listed(paginate::page_items(&listing.order, per_page, number), &base.root),
            groups: self.type_groups(listing, number, &base.root),
            filters: self.type_filters(listing, &listing_url, number),
            paginator,
            base,
        };
        self.job(&url, "term.html", &context)
    }

    /// The type groups of page `number` of `listing`: each group's part on this page (whose
    /// way back to the root is `root`).
    fn type_groups(&self, listing: &TermListing, number: usize, root: &str) -> Vec<TypeGroup<'a>> {
        let per_page = self.per_page();
        let on_page = paginate::page_items(&listing.order, per_page, number);
        let page_start = if per_page == 0 { 0 } else { (number - 1) * per_page };
        let page_end = page_start + on_page.len();
        listing
            .groups
            .iter()
            .filter_map(|(kind, start, len)| {
                let from = (*start).max(page_start);
                let to = (start + len).min(page_end);
                (from < to).then(|| TypeGroup {
                    kind: kind.clone(),
                    plural: views::type_plural(kind, self.input.config),
                    anchor: views::type_anchor(kind),
                    count: *len,
                    continued: from > *start,
                    resources: self.listed(&listing.order[from..to], root),
                })
            })
            .collect()
    }

    /// The "filter by type" list of page `number` of `listing`: every type of the term, each
    /// linking to the page where its group starts.
    fn type_filters(&self, listing: &TermListing, listing_url: &str, number: usize) -> Vec<TypeFilter> {
        let per_page = self.per_page();
        listing
            .groups
            .iter()
            .map(|(kind, start, len)| {
                let page = paginate::page_of(*start, per_page);
                let anchor = views::type_anchor(kind);
                TypeFilter {
                    kind: kind.clone(),
                    plural: views::type_plural(kind, self.input.config),
                    href: format!("{}#{anchor}", urls::page_file(&paginate::page_url(listing_url, page))),
                    anchor,
                    count: *len,
                    here: page == number,
                }
            })
            .collect()
    }

    /// Root-relative href of the coverage page, when the site has one.
    fn coverage_href(&self) -> Option<String> {
        let coverage = self.input.library.coverage.as_ref()?;
        Some(urls::page_file(&views::coverage_url(self.prefix(), &coverage.taxonomy)))
    }

    /// The coverage page of the headline taxonomy, when the site has a taxonomy.
    fn coverage(&self) -> Option<Job> {
        let coverage = self.input.library.coverage.as_ref()?;
        let (t, taxonomy) = self
            .input
            .library
            .taxonomies
            .iter()
            .enumerate()
            .find(|(_, t)| t.key == coverage.taxonomy)?;
        let url = views::coverage_url(self.prefix(), &taxonomy.key);
        let title = self.strings.fill("coverage_title", &[("name", &taxonomy.name)]);
        let description = self
            .strings
            .fill("coverage_description", &[("name", &taxonomy.name.to_lowercase())]);
        let context = CoverageContext {
            base: self.base(&url, &title, &description),
            breadcrumbs: self.taxonomy_breadcrumbs(taxonomy),
            coverage: self.coverage_view(coverage, taxonomy, t),
        };
        Some(self.job(&url, "coverage.html", &context))
    }

    fn coverage_view(&self, coverage: &crate::library::Coverage, taxonomy: &TaxonomyIndex, t: usize) -> CoverageView {
        let config = self.input.config;
        let columns: Vec<CoverageColumn> = coverage
            .columns
            .iter()
            .map(|kind| CoverageColumn {
                kind: kind.clone(),
                plural: views::type_plural(kind, config),
            })
            .collect();
        let rows: Vec<CoverageRow> = taxonomy
            .terms
            .iter()
            .enumerate()
            .zip(&coverage.cells)
            .map(|((n, term), counts)| {
                let listing = self.listing(t, n);
                let listing_url = views::term_url(self.prefix(), &taxonomy.key, &term.slug);
                let cells = counts
                    .iter()
                    .zip(&columns)
                    .map(|(&count, column)| CoverageCell {
                        count,
                        level: coverage.level(count),
                        href: listing
                            .page_of(&column.kind, self.per_page())
                            .filter(|_| count > 0)
                            .map(|page| {
                                let page_url = paginate::page_url(&listing_url, page);
                                format!("{}#{}", urls::page_file(&page_url), views::type_anchor(&column.kind))
                            }),
                        plural: column.plural.clone(),
                    })
                    .collect();
                CoverageRow {
                    term: term_view(self.prefix(), taxonomy, term),
                    cells,
                }
            })
            .collect();
        let gaps = coverage.cells.iter().flatten().filter(|&&n| n == 0).count();
        CoverageView {
            key: taxonomy.key.clone(),
            name: taxonomy.name.clone(),
            columns,
            rows,
            max: coverage.max,
            gaps,
        }
    }

    fn not_found(&self) -> Job {
        let mut base = self.base("", self.strings.text("not_found_title"), "");
        // A server shows 404.html at any depth, so its links start from the site's own path.
        base.root = self
            .input
            .config
            .base_url
            .splitn(4, '/')
            .nth(3)
            .map_or("/".to_string(), |p| format!("/{p}"));
        self.job_at("404.html".into(), "404.html", &base)
    }

    fn feed(&self) -> Job {
        let newest: Vec<usize> = self
            .input
            .library
            .newest_first
            .iter()
            .copied()
            .take(FEED_ENTRIES)
            .collect();
        let home = self.prefix();
        self.feed_job(format!("{home}atom.xml"), self.base(home, "", ""), &newest)
    }

    /// The feed of one term, `<taxonomy>/<slug>/atom.xml`: its newest resources, so a reader
    /// can follow one enabler rather than the whole library.
    fn term_feed(&self, t: usize, n: usize) -> Job {
        let taxonomy = &self.input.library.taxonomies[t];
        let term = &taxonomy.terms[n];
        let url = views::term_url(self.prefix(), &taxonomy.key, &term.slug);
        // A term's resources are kept newest first.
        let newest = &term.resources[..term.resources.len().min(FEED_ENTRIES)];
        self.feed_job(
            format!("{url}atom.xml"),
            self.base(&url, &term.name, &term.description),
            newest,
        )
    }

    /// The feed at `path` of the resources `newest` (newest first) for the page `base`.
    fn feed_job(&self, path: String, base: PageBase, newest: &[usize]) -> Job {
        let input = self.input;
        let updated = newest
            .iter()
            .map(|&i| &input.pages[i].resource)
            .filter_map(|r| r.updated.or(r.date))
            .max()
            .map(|d| d.rfc3339());
        let context = FeedContext {
            base,
            entries: self.cards(newest),
            updated: updated.unwrap_or_else(|| "1970-01-01T00:00:00Z".into()),
        };
        self.job_at(path, "atom.xml", &context)
    }

    /// The search page; the engine and index come in by `<script src>` (no fetch: file://).
    fn search(&self) -> Job {
        let strings = self.strings;
        let url = format!("{}search/", self.prefix());
        let base = self.base(&url, strings.text("search_title"), strings.text("search_description"));
        self.job(&url, "search.html", &base)
    }

    /// The title of a listing page: the listing's own on page 1, numbered after it.
    fn page_title(&self, title: &str, paginator: &Paginator) -> String {
        if paginator.current == 1 {
            return title.to_string();
        }
        let (n, total) = (paginator.current.to_string(), paginator.pages.to_string());
        self.strings
            .fill("listing_page_title", &[("title", title), ("n", &n), ("total", &total)])
    }

    fn robots(&self) -> Job {
        self.job_at("robots.txt".into(), "robots.txt", &self.base("", "", ""))
    }
}

impl Job {
    /// The file `path` rendered by `template` from `context` and the render's shared values;
    /// no context to render when the memo of `pages` has this page unchanged.
    fn at(path: String, template: &'static str, context: &impl Serialize, pages: &Pages<'_>) -> Job {
        let own = match serde_json::to_value(context) {
            Ok(own) => own,
            Err(e) => {
                return Job {
                    context: Some(Err(tera::Error::json(e))),
                    path,
                    template,
                }
            }
        };
        let unchanged = pages
            .memo
            .is_some_and(|memo| memo.unchanged(&path, memo::fingerprint(template, pages.shared_print, &own)));
        let context = (!unchanged).then(|| {
            let names = own
                .as_object()
                .map(|own| own.keys().cloned().collect())
                .unwrap_or_default();
            Context::from_value(own).map(|values| Own { names, values })
        });
        Job {
            context,
            path,
            template,
        }
    }
}

fn taxonomy_ref(taxonomy: &TaxonomyIndex) -> TaxonomyRef {
    TaxonomyRef {
        key: taxonomy.key.clone(),
        name: taxonomy.name.clone(),
    }
}

fn term_view(prefix: &str, taxonomy: &TaxonomyIndex, term: &TermIndex) -> TermView {
    TermView {
        slug: term.slug.clone(),
        name: term.name.clone(),
        description: term.description.clone(),
        href: views::term_href(prefix, &taxonomy.key, &term.slug),
        count: term.resources.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(pairs: &[(&str, &str)]) -> Own {
        let mut values = Context::new();
        for (name, value) in pairs {
            values.insert(*name, value);
        }
        Own {
            names: pairs.iter().map(|(name, _)| (*name).to_string()).collect(),
            values,
        }
    }

    fn shared() -> Contexts {
        let mut shared = Context::new();
        shared.insert("lang", "en");
        Contexts::new(shared)
    }

    #[test]
    fn a_lent_context_holds_no_variable_of_the_page_rendered_before() {
        let contexts = shared();
        contexts.with(own(&[("root", "../")]), |c| {
            assert_eq!(c.get("root"), Some(&"../".into()));
            assert_eq!(c.get("lang"), Some(&"en".into()));
        });
        contexts.with(own(&[("page", "p")]), |c| {
            assert_eq!(c.get("root"), None);
            assert_eq!(c.get("page"), Some(&"p".into()));
            assert_eq!(c.get("lang"), Some(&"en".into()));
        });
    }

    #[test]
    fn a_page_variable_named_like_a_shared_one_replaces_it_on_that_page_only() {
        let contexts = shared();
        contexts.with(own(&[("lang", "cy")]), |c| {
            assert_eq!(c.get("lang"), Some(&"cy".into()));
        });
        contexts.with(own(&[]), |c| {
            assert_eq!(c.get("lang"), Some(&"en".into()));
        });
    }
}
