//! The contract with theme authors: one typed context per template, serialised for Tera.
//! Every context has the variables every page of a render shares, [`Shared`] (`site`, `lang`,
//! `t`: made into Tera values once per render, not per page), flattens a [`PageBase`] (`root`,
//! `page`, `translations`) and adds the variables of its template. README.md's "Template
//! contexts" lists the same variables and fields, and `tests/it/listings.rs` holds the two equal
//! on the sample library.

use super::cards::Listed;
use super::glossary::GlossaryTermView;
use super::paginate::Paginator;
use super::views::{
    Alternate, Card, ContributeView, CoverageView, Link, ResourceView, SectionLink, SectionView, SiteView,
    SitemapEntry, TaxonomyRef, TaxonomyView, TermView, TypeFilter, TypeGroup,
};
use crate::i18n::LanguageStrings;
use serde::Serialize;
use tera::Context;

/// What every page of one render (one language) sees, the same on each: serialised once
/// ([`Shared::values`]) and added to each page's context.
#[derive(Debug, Serialize)]
pub struct Shared<'a> {
    /// The site: title, description, base URL, language, navigation, theme options, extra.
    pub site: &'a SiteView<'a>,
    /// The pages' language (a BCP 47 tag: `<html lang>`, the feed's `xml:lang`).
    pub lang: &'a str,
    /// The theme's words in the pages' language: `{{ t.search_button }}` (see README.md,
    /// "Languages of the theme").
    pub t: &'a LanguageStrings,
}

impl Shared<'_> {
    /// The shared variables as a Tera context, made once per render: a few copies of it are
    /// lent to the page renders in turn, each page's own variables added for its render and
    /// taken out after (neither `site` and `t` serialised nor their values copied per page).
    pub fn values(&self) -> Result<Context, tera::Error> {
        Context::from_serialize(self)
    }
}

/// What every template sees besides [`Shared`]: the page's own place and metadata.
#[derive(Debug, Serialize)]
pub struct PageBase {
    /// The page in each of the site's languages, its own included (empty for a site of one
    /// language): `hreflang` links and the language switch.
    pub translations: Vec<Alternate>,
    /// The way back from this page to the site root (`../../`); links are written
    /// `{{ root }}{{ href }}`. On the 404 page, the site's own path from the server root.
    pub root: String,
    /// This page's title, description, url and canonical URL.
    pub page: PageMeta,
}

/// A page's own metadata.
#[derive(Debug, Serialize)]
pub struct PageMeta {
    /// Title (the `<title>` and the last breadcrumb).
    pub title: String,
    /// One-sentence description (the meta description).
    pub description: String,
    /// Root-relative url (`case-studies/x/`; empty for the home page).
    pub url: String,
    /// Absolute URL: `base_url` followed by `url`.
    pub canonical: String,
    /// Absolute URL of the picture that stands for the page when shared: a resource's
    /// `image`, else the site logo.
    pub image: Option<String>,
    /// The picture's text alternative.
    pub image_alt: String,
}

/// `index.html`: the home page.
#[derive(Debug, Serialize)]
pub struct HomeContext<'a> {
    /// Site, root and page.
    #[serde(flatten)]
    pub base: PageBase,
    /// The page's H1: `home.heading`, else the site description, else its title.
    pub heading: &'a str,
    /// The rendered body of `content/_index.md`, if the site has one.
    pub intro: Option<String>,
    /// Featured resources, newest first.
    pub featured: Vec<Listed<'a>>,
    /// The newest resources.
    pub latest: Vec<Listed<'a>>,
    /// Top-level sections with their resource counts.
    pub sections: Vec<SectionLink>,
    /// Every taxonomy with its terms and counts.
    pub taxonomies: Vec<TaxonomyView>,
    /// The taxonomy `home.audiences` names, whose terms are the entry points, if any.
    pub audiences: Option<TaxonomyView>,
    /// Key of the headline taxonomy (the one the home page leads with), if any.
    pub headline: Option<&'a str>,
    /// Root-relative href of the coverage page, if the site has one.
    pub coverage_href: Option<String>,
}

/// `section.html`: one page of a folder's listing.
#[derive(Debug, Serialize)]
pub struct SectionContext<'a> {
    /// Site, root and page.
    #[serde(flatten)]
    pub base: PageBase,
    /// Links from the home page down to the parent folder.
    pub breadcrumbs: Vec<Link>,
    /// The folder: title, description, introduction, sub-sections.
    pub section: SectionView,
    /// The resources on this page, newest first.
    pub resources: Vec<Listed<'a>>,
    /// Where this page stands among the listing's pages.
    pub paginator: Paginator,
    /// The contribute box, on the listing of a type it names.
    pub contribute: Option<ContributeView>,
}

/// `resource.html`: one resource.
#[derive(Debug, Serialize)]
pub struct ResourceContext<'a> {
    /// Site, root and page.
    #[serde(flatten)]
    pub base: PageBase,
    /// Links from the home page down to the resource's folder.
    pub breadcrumbs: Vec<Link>,
    /// The resource: its card fields, body, dates, authors, links, attachments, extra.
    pub resource: ResourceView<'a>,
    /// Related resources, best first.
    pub related: Vec<Listed<'a>>,
    /// The schema.org description of the resource as JSON, escaped for a `<script>` element.
    pub json_ld: String,
    /// The contribute box, when the resource's type is one it names.
    pub contribute: Option<ContributeView>,
}

/// `taxonomy.html`: a taxonomy's terms.
#[derive(Debug, Serialize)]
pub struct TaxonomyContext {
    /// Site, root and page.
    #[serde(flatten)]
    pub base: PageBase,
    /// A link to the home page.
    pub breadcrumbs: Vec<Link>,
    /// The taxonomy's key and name.
    pub taxonomy: TaxonomyRef,
    /// Its terms with descriptions and counts, in config order.
    pub terms: Vec<TermView>,
    /// Root-relative href of the coverage page, on the headline taxonomy's page only.
    pub coverage_href: Option<String>,
}

/// `term.html`: one page of the resources tagged with a term, grouped by type.
#[derive(Debug, Serialize)]
pub struct TermContext<'a> {
    /// Site, root and page.
    #[serde(flatten)]
    pub base: PageBase,
    /// Links to the home page and the taxonomy's page.
    pub breadcrumbs: Vec<Link>,
    /// The taxonomy's key and name.
    pub taxonomy: TaxonomyRef,
    /// The term, with the number of resources carrying it.
    pub term: TermView,
    /// The resources on this page, in the order of `groups`.
    pub resources: Vec<Listed<'a>>,
    /// This page's resources by type, in config type order.
    pub groups: Vec<TypeGroup<'a>>,
    /// Every type of the whole listing, linking to the page and group where it starts: the
    /// "filter by type" list.
    pub filters: Vec<TypeFilter>,
    /// Where this page stands among the listing's pages.
    pub paginator: Paginator,
}

/// `coverage.html`: the headline taxonomy × type matrix.
#[derive(Debug, Serialize)]
pub struct CoverageContext {
    /// Site, root and page.
    #[serde(flatten)]
    pub base: PageBase,
    /// Links to the home page and the taxonomy's page.
    pub breadcrumbs: Vec<Link>,
    /// The matrix.
    pub coverage: CoverageView,
}

/// `sitemap.xml`: every page of the site (or, past the sitemap protocol's limit, a part's
/// share of them in `sitemap-<n>.xml`).
#[derive(Debug, Serialize)]
pub struct SitemapContext<'a> {
    /// Site, root and page.
    #[serde(flatten)]
    pub base: PageBase,
    /// Every page, listing pages 2 and on included (a part: its share, in the same order).
    pub entries: &'a [SitemapEntry],
}

/// `sitemap_index.xml`: the sitemap index written as `sitemap.xml` when the site has more
/// pages than one sitemap file may hold.
#[derive(Debug, Serialize)]
pub struct SitemapIndexContext {
    /// Site, root and page.
    #[serde(flatten)]
    pub base: PageBase,
    /// Root-relative paths of the parts (`sitemap-1.xml`, ...), in order.
    pub sitemaps: Vec<String>,
}

/// `glossary.html`: the glossary page, when the site has a `glossary:`.
#[derive(Debug, Serialize)]
pub struct GlossaryContext {
    /// Site, root and page.
    #[serde(flatten)]
    pub base: PageBase,
    /// A link to home.
    pub breadcrumbs: Vec<Link>,
    /// Every term, alphabetical.
    pub terms: Vec<GlossaryTermView>,
}

/// `atom.xml`: the feed of the newest resources.
#[derive(Debug, Serialize)]
pub struct FeedContext<'a> {
    /// Site, root and page.
    #[serde(flatten)]
    pub base: PageBase,
    /// The newest resources, newest first.
    pub entries: Vec<&'a Card>,
    /// RFC 3339 time of the newest entry (the epoch for an empty library).
    pub updated: String,
}
