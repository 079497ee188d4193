//! Turning the assembled site into pages: one Tera context per page, rendered in parallel and
//! handed over one at a time. Rendering takes explicit [`Input`]s and writes nothing itself:
//! the caller decides where each page goes.

pub mod brand;
pub mod theme;
pub mod views;

use crate::config::Config;
use crate::content::site_map::SiteMap;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::library::Library;
use crate::markdown::pages::{Intro, Page};
use crate::urls;
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;
use theme::{error_chain, Theme};
use views::{
    Card, CoverageCell, CoverageColumn, CoverageRow, CoverageView, Link, ResourceView, SiteView, TermView, TypeGroup,
};

/// How many resources the home page and the feed show.
const LATEST: usize = 10;
const FEED_ENTRIES: usize = 20;

/// One page to render: where it goes, with which template and context.
struct Job {
    path: String,
    template: &'static str,
    context: Context,
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
}

/// Renders every page of `input` with `theme`, handing each page's output path and text to
/// `emit` as soon as it is rendered (from whichever thread rendered it); returns the pages
/// that failed. Each page's context is built inside the parallel loop and dropped once
/// rendered, so memory holds a few contexts and pages at a time rather than all of them
/// (listing pages of a large library have thousands of cards).
pub fn render_pages(input: &Input<'_>, theme: &Theme, emit: &(dyn Fn(String, String) + Sync)) -> Diagnostics {
    let view = SiteView::new(input.config, input.library);
    // A resource's card appears on many pages (its section, every term, home, feed, related
    // lists): build each once.
    let cards: Vec<Card> = input
        .pages
        .par_iter()
        .map(|p| views::card(&p.resource, &p.summary, input.config))
        .collect();
    let pages = Pages {
        input,
        view: &view,
        cards: &cards,
    };
    let failed: Vec<Diagnostic> = pages
        .list()
        .into_par_iter()
        .filter_map(|page| pages.job_for(page))
        .filter_map(|job| match render(theme, job) {
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

fn render(theme: &Theme, job: Job) -> Result<(String, String), Diagnostic> {
    match theme.tera.render(job.template, &job.context) {
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
    }
}

/// Every page the site has, before its context is built.
#[derive(Clone, Copy)]
enum PageKind<'s> {
    Home,
    NotFound,
    Sitemap,
    Feed,
    Robots,
    Search,
    Coverage,
    Section(&'s crate::library::Section),
    Resource(usize),
    Taxonomy(&'s crate::library::TaxonomyIndex),
    Term(&'s crate::library::TaxonomyIndex, &'s crate::library::TermIndex),
}

struct Pages<'a> {
    input: &'a Input<'a>,
    view: &'a SiteView<'a>,
    /// The card of each page, built once (same order as `input.pages`).
    cards: &'a [Card],
}

#[derive(Serialize)]
struct PageMeta {
    title: String,
    description: String,
    url: String,
    canonical: String,
}

impl<'a> Pages<'a> {
    fn list(&self) -> Vec<PageKind<'a>> {
        let library = self.input.library;
        let mut pages = vec![
            PageKind::Home,
            PageKind::NotFound,
            PageKind::Sitemap,
            PageKind::Feed,
            PageKind::Robots,
            PageKind::Search,
            PageKind::Coverage,
        ];
        pages.extend(
            library
                .sections
                .values()
                .filter(|s| !s.dir.is_empty())
                .map(PageKind::Section),
        );
        pages.extend((0..self.input.pages.len()).map(PageKind::Resource));
        for taxonomy in &library.taxonomies {
            pages.push(PageKind::Taxonomy(taxonomy));
            pages.extend(taxonomy.terms.iter().map(|term| PageKind::Term(taxonomy, term)));
        }
        pages
    }

    /// The template and context of `page` (`None` for a page this site does not have).
    fn job_for(&self, page: PageKind<'a>) -> Option<Job> {
        Some(match page {
            PageKind::Home => self.home(),
            PageKind::NotFound => self.not_found(),
            PageKind::Sitemap => self.sitemap(),
            PageKind::Feed => self.feed(),
            PageKind::Robots => self.robots(),
            PageKind::Search => self.search(),
            PageKind::Coverage => return self.coverage(),
            PageKind::Section(section) => self.section(section),
            PageKind::Resource(i) => self.resource(i),
            PageKind::Taxonomy(taxonomy) => self.taxonomy(taxonomy),
            PageKind::Term(taxonomy, term) => self.term(taxonomy, term),
        })
    }

    /// The context every page has: the site, the way back to the root, the page's own meta.
    fn context(&self, url: &str, title: &str, description: &str) -> Context {
        let mut c = Context::new();
        c.insert("site", self.view);
        c.insert("root", &urls::root_prefix(url));
        let meta = PageMeta {
            title: title.to_string(),
            description: description.to_string(),
            url: url.to_string(),
            canonical: format!("{}{}", self.input.config.base_url, url),
        };
        c.insert("page", &meta);
        c
    }

    fn job(&self, url: &str, template: &'static str, context: Context) -> Job {
        Job {
            path: urls::page_file(url),
            template,
            context,
        }
    }

    fn cards(&self, indices: &[usize]) -> Vec<&'a Card> {
        indices.iter().map(|&i| &self.cards[i]).collect()
    }

    /// Links from the home page down to (not including) the folder `dir`'s own page.
    fn breadcrumbs(&self, dir: &str, include_self: bool) -> Vec<Link> {
        let mut crumbs = vec![Link {
            title: "Home".into(),
            href: "index.html".into(),
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

    fn home(&self) -> Job {
        let input = self.input;
        let mut c = self.context("", &input.config.title, &input.config.description);
        let intro = input
            .library
            .sections
            .get("")
            .and_then(|s| s.intro)
            .map(|i| input.intros[i].body.html.clone());
        c.insert("intro", &intro);
        let featured: Vec<usize> = input
            .library
            .newest_first
            .iter()
            .copied()
            .filter(|&i| input.pages[i].resource.featured)
            .collect();
        c.insert("featured", &self.cards(&featured));
        let latest: Vec<usize> = input.library.newest_first.iter().copied().take(LATEST).collect();
        c.insert("latest", &self.cards(&latest));
        let sections: Vec<serde_json::Value> = input
            .library
            .top_sections()
            .map(|s| serde_json::json!({"title": s.title, "href": urls::page_file(&s.url), "count": s.resources.len()}))
            .collect();
        c.insert("sections", &sections);
        c.insert("taxonomies", &self.taxonomy_views());
        c.insert("headline", &input.library.coverage.as_ref().map(|cov| &cov.taxonomy));
        c.insert("coverage_href", &self.coverage_href());
        self.job("", "index.html", c)
    }

    fn taxonomy_views(&self) -> Vec<serde_json::Value> {
        self.input
            .library
            .taxonomies
            .iter()
            .map(|t| serde_json::json!({"key": t.key, "name": t.name, "href": urls::page_file(&format!("{}/", t.key)), "terms": self.term_views(t)}))
            .collect()
    }

    fn term_views(&self, taxonomy: &crate::library::TaxonomyIndex) -> Vec<TermView> {
        taxonomy
            .terms
            .iter()
            .map(|t| TermView {
                slug: t.slug.clone(),
                name: t.name.clone(),
                description: t.description.clone(),
                href: views::term_href(&taxonomy.key, &t.slug),
                count: t.resources.len(),
            })
            .collect()
    }

    fn section(&self, section: &crate::library::Section) -> Job {
        let input = self.input;
        let mut c = self.context(&section.url, &section.title, &section.description);
        c.insert("breadcrumbs", &self.breadcrumbs(&section.dir, false));
        let intro = section.intro.map(|i| input.intros[i].body.html.clone());
        let subsections: Vec<Link> = section
            .subsections
            .iter()
            .filter_map(|d| input.library.sections.get(d))
            .map(|s| Link {
                title: s.title.clone(),
                href: urls::page_file(&s.url),
            })
            .collect();
        c.insert("section", &serde_json::json!({"title": section.title, "description": section.description, "intro": intro, "subsections": subsections}));
        c.insert("resources", &self.cards(&section.resources));
        self.job(&section.url, "section.html", c)
    }

    fn resource(&self, i: usize) -> Job {
        let input = self.input;
        let page = &input.pages[i];
        let r = &page.resource;
        let mut c = self.context(&r.url, &r.title, &page.summary);
        c.insert("breadcrumbs", &self.breadcrumbs(&r.section, true));
        let view = ResourceView {
            card: self.cards[i].clone(),
            content: page.body.html.clone(),
            updated: r.updated.map(|d| d.view()),
            authors: r.authors.clone(),
            link: r.link.clone(),
            source: r.source.clone(),
            attachments: views::attachments(r, input.site_map),
            extra: r.extra.clone(),
        };
        c.insert("resource", &view);
        c.insert("related", &self.cards(&input.library.related[i]));
        self.job(&r.url, "resource.html", c)
    }

    fn taxonomy(&self, taxonomy: &crate::library::TaxonomyIndex) -> Job {
        let url = format!("{}/", taxonomy.key);
        let mut c = self.context(&url, &taxonomy.name, "");
        c.insert("breadcrumbs", &self.breadcrumbs("", true));
        c.insert(
            "taxonomy",
            &serde_json::json!({"key": taxonomy.key, "name": taxonomy.name}),
        );
        c.insert("terms", &self.term_views(taxonomy));
        let is_headline = self
            .input
            .library
            .coverage
            .as_ref()
            .is_some_and(|cov| cov.taxonomy == taxonomy.key);
        c.insert("coverage_href", &self.coverage_href().filter(|_| is_headline));
        self.job(&url, "taxonomy.html", c)
    }

    fn term(&self, taxonomy: &crate::library::TaxonomyIndex, term: &crate::library::TermIndex) -> Job {
        let url = format!("{}/{}/", taxonomy.key, term.slug);
        let mut c = self.context(&url, &term.name, &term.description);
        let mut crumbs = self.breadcrumbs("", true);
        crumbs.push(Link {
            title: taxonomy.name.clone(),
            href: urls::page_file(&format!("{}/", taxonomy.key)),
        });
        c.insert("breadcrumbs", &crumbs);
        c.insert(
            "taxonomy",
            &serde_json::json!({"key": taxonomy.key, "name": taxonomy.name}),
        );
        c.insert("term", &serde_json::json!({"slug": term.slug, "name": term.name, "description": term.description, "count": term.resources.len()}));
        c.insert("resources", &self.cards(&term.resources));
        c.insert("groups", &self.type_groups(&term.resources));
        self.job(&url, "term.html", c)
    }

    /// `resources` (newest first) grouped by type, in config type order; empty groups left out.
    fn type_groups(&self, resources: &[usize]) -> Vec<TypeGroup<'a>> {
        let all = &self.input.pages;
        self.input
            .config
            .types
            .keys()
            .map(|kind| {
                let of_kind: Vec<usize> = resources
                    .iter()
                    .copied()
                    .filter(|&i| &all[i].resource.kind == kind)
                    .collect();
                TypeGroup {
                    kind: kind.clone(),
                    plural: views::type_plural(kind, self.input.config),
                    anchor: views::type_anchor(kind),
                    resources: self.cards(&of_kind),
                }
            })
            .filter(|g| !g.resources.is_empty())
            .collect()
    }

    /// Root-relative href of the coverage page, when the site has one.
    fn coverage_href(&self) -> Option<String> {
        let coverage = self.input.library.coverage.as_ref()?;
        Some(urls::page_file(&views::coverage_url(&coverage.taxonomy)))
    }

    /// The coverage page of the headline taxonomy, when the site has a taxonomy.
    fn coverage(&self) -> Option<Job> {
        let coverage = self.input.library.coverage.as_ref()?;
        let taxonomy = self
            .input
            .library
            .taxonomies
            .iter()
            .find(|t| t.key == coverage.taxonomy)?;
        let view = self.coverage_view(coverage, taxonomy);
        let url = views::coverage_url(&taxonomy.key);
        let title = format!("{} coverage", taxonomy.name);
        let description = format!(
            "How many resources of each type carry each of the {}.",
            taxonomy.name.to_lowercase()
        );
        let mut c = self.context(&url, &title, &description);
        let mut crumbs = self.breadcrumbs("", true);
        crumbs.push(Link {
            title: taxonomy.name.clone(),
            href: urls::page_file(&format!("{}/", taxonomy.key)),
        });
        c.insert("breadcrumbs", &crumbs);
        c.insert("coverage", &view);
        Some(self.job(&url, "coverage.html", c))
    }

    fn coverage_view(
        &self,
        coverage: &crate::library::Coverage,
        taxonomy: &crate::library::TaxonomyIndex,
    ) -> CoverageView {
        let config = self.input.config;
        let columns: Vec<CoverageColumn> = coverage
            .columns
            .iter()
            .map(|kind| CoverageColumn {
                kind: kind.clone(),
                plural: views::type_plural(kind, config),
            })
            .collect();
        let rows: Vec<CoverageRow> = self
            .term_views(taxonomy)
            .into_iter()
            .zip(&coverage.cells)
            .map(|(term, counts)| {
                let cells = counts
                    .iter()
                    .zip(&columns)
                    .map(|(&count, column)| CoverageCell {
                        count,
                        level: coverage.level(count),
                        href: (count > 0).then(|| format!("{}#{}", term.href, views::type_anchor(&column.kind))),
                        plural: column.plural.clone(),
                    })
                    .collect();
                CoverageRow { term, cells }
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
        let mut c = self.context("", "Page not found", "");
        // A server shows 404.html at any depth, so its links start from the site's own path.
        let base_path = self
            .input
            .config
            .base_url
            .splitn(4, '/')
            .nth(3)
            .map_or("/".to_string(), |p| format!("/{p}"));
        c.insert("root", &base_path);
        Job {
            path: "404.html".into(),
            template: "404.html",
            context: c,
        }
    }

    fn sitemap(&self) -> Job {
        let input = self.input;
        let mut entries: Vec<serde_json::Value> = vec![serde_json::json!({"url": "", "lastmod": null})];
        entries.extend(
            input
                .library
                .sections
                .values()
                .filter(|s| !s.dir.is_empty())
                .map(|s| serde_json::json!({"url": s.url, "lastmod": null})),
        );
        if let Some(coverage) = &input.library.coverage {
            entries.push(serde_json::json!({"url": views::coverage_url(&coverage.taxonomy), "lastmod": null}));
        }
        for r in input.pages.iter().map(|p| &p.resource) {
            let lastmod = r.updated.or(r.date).map(|d| d.view().iso);
            entries.push(serde_json::json!({"url": r.url, "lastmod": lastmod}));
        }
        for t in &input.library.taxonomies {
            entries.push(serde_json::json!({"url": format!("{}/", t.key), "lastmod": null}));
            entries.extend(
                t.terms
                    .iter()
                    .map(|term| serde_json::json!({"url": format!("{}/{}/", t.key, term.slug), "lastmod": null})),
            );
        }
        let mut c = self.context("", "", "");
        c.insert("entries", &entries);
        Job {
            path: "sitemap.xml".into(),
            template: "sitemap.xml",
            context: c,
        }
    }

    fn feed(&self) -> Job {
        let input = self.input;
        let newest: Vec<usize> = input.library.newest_first.iter().copied().take(FEED_ENTRIES).collect();
        let updated = newest
            .iter()
            .map(|&i| &input.pages[i].resource)
            .filter_map(|r| r.updated.or(r.date))
            .max()
            .map(|d| d.rfc3339());
        let mut c = self.context("", "", "");
        c.insert("entries", &self.cards(&newest));
        c.insert("updated", &updated.unwrap_or_else(|| "1970-01-01T00:00:00Z".into()));
        Job {
            path: "atom.xml".into(),
            template: "atom.xml",
            context: c,
        }
    }

    /// The search page; the engine and index come in by `<script src>` (no fetch: file://).
    fn search(&self) -> Job {
        let c = self.context("search/", "Search", "Search the library's resources.");
        self.job("search/", "search.html", c)
    }

    fn robots(&self) -> Job {
        Job {
            path: "robots.txt".into(),
            template: "robots.txt",
            context: self.context("", "", ""),
        }
    }
}
