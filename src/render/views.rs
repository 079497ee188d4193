//! What templates see: serialisable views of the site, resources and terms. Every `href` is
//! relative to the site root; templates prefix it with `root` (the way back from the page).

use super::resource::{file_format, human_size, Citation, ImageView, TocEntry};
use crate::config::{Config, Contribute, ThemeOptions};
use crate::content::date::{Date, DateView};
use crate::content::{Resource, Source};
use crate::i18n::LanguageStrings;
use crate::library::Library;
use crate::urls;
use serde::Serialize;

/// A titled link.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Link text.
    pub title: String,
    /// Root-relative href (`case-studies/index.html`).
    pub href: String,
}

/// The site as every template sees it.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView<'a> {
    /// Site title.
    pub title: &'a str,
    /// Site description.
    pub description: &'a str,
    /// Absolute base URL.
    pub base_url: &'a str,
    /// Language tag (the page's language).
    pub language: &'a str,
    /// What this language's urls start with: empty for the default language, `cy/` for
    /// another; templates link its home page, search and feed as `{{ root }}{{ site.lang_prefix }}index.html`.
    pub lang_prefix: &'a str,
    /// Top-level sections, for the navigation.
    pub sections: Vec<Link>,
    /// Taxonomy index pages, for the navigation.
    pub taxonomies: Vec<Link>,
    /// Root-relative href of the glossary page, when the site has a glossary.
    pub glossary: Option<String>,
    /// Branding from the config's `theme_options`.
    pub theme_options: ThemeView,
    /// Extra values from the config.
    pub extra: &'a indexmap::IndexMap<String, serde_json::Value>,
}

/// The theme options as templates see them: hrefs ready to prefix with `root`.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeView {
    /// Root-relative href of the logo image.
    pub logo: Option<String>,
    /// The logo's text alternative (empty: decorative, the site title stands beside it).
    pub logo_alt: String,
    /// The brand colour as given (the generated `css/theme.css` applies it).
    pub primary_colour: Option<String>,
    /// Footer links.
    pub footer_links: Vec<FooterLinkView>,
}

/// A footer link; `external` ones are used as written, others are prefixed with `root`.
#[derive(Debug, Clone, Serialize)]
pub struct FooterLinkView {
    /// Link text.
    pub title: String,
    /// Target.
    pub href: String,
    /// Whether `href` has a scheme (`https:`, `mailto:`) rather than being root-relative.
    pub external: bool,
}

impl ThemeView {
    /// The view of `options`.
    pub fn new(options: &ThemeOptions) -> Self {
        ThemeView {
            logo: options.logo.as_ref().map(|l| l.trim_start_matches('/').to_string()),
            logo_alt: options.logo_alt.clone(),
            primary_colour: options.primary_colour.clone(),
            footer_links: options
                .footer_links
                .iter()
                .map(|l| {
                    let external = urls::link_kind(&l.href) == urls::LinkKind::External;
                    FooterLinkView {
                        title: l.title.clone(),
                        href: if external {
                            l.href.clone()
                        } else {
                            l.href.trim_start_matches('/').to_string()
                        },
                        external,
                    }
                })
                .collect(),
        }
    }
}

/// A term as a chip: name and link to its page.
#[derive(Debug, Clone, Serialize)]
pub struct TermRef {
    /// Slug.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Root-relative href of the term page.
    pub href: String,
}

/// The terms of one taxonomy on a resource.
#[derive(Debug, Clone, Serialize)]
pub struct TermGroup {
    /// Taxonomy key.
    pub key: String,
    /// Taxonomy name.
    pub name: String,
    /// Its terms on this resource.
    pub terms: Vec<TermRef>,
}

/// A resource as a card in listings.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    /// Title.
    pub title: String,
    /// Root-relative href.
    pub href: String,
    /// Pretty url (`case-studies/x/`).
    pub url: String,
    /// Type key.
    pub kind: String,
    /// Type display name.
    pub kind_name: String,
    /// Date.
    pub date: Option<DateView>,
    /// Summary.
    pub summary: String,
    /// Organisation.
    pub organisation: Option<String>,
    /// Featured on the home page.
    pub featured: bool,
    /// Draft (only with `--drafts`).
    pub draft: bool,
    /// Terms, by taxonomy (only taxonomies with terms on this resource).
    pub terms: Vec<TermGroup>,
}

/// A resource's full page view.
#[derive(Debug, Clone, Serialize)]
pub struct ResourceView<'a> {
    /// The card fields.
    #[serde(flatten)]
    pub card: &'a Card,
    /// Rendered body (borrowed: serialising it is its one copy).
    pub content: &'a str,
    /// Last update.
    pub updated: Option<DateView>,
    /// Authors.
    pub authors: Vec<String>,
    /// External link.
    pub link: Option<String>,
    /// Provenance.
    pub source: Option<Source>,
    /// Downloads, with hrefs relative to the page.
    pub attachments: Vec<AttachmentView>,
    /// Extra frontmatter values.
    pub extra: serde_json::Value,
    /// The DOI (`10.1234/abc`), if it has one.
    pub doi: Option<String>,
    /// The APA-style citation: `text` to copy, `html` to show.
    pub citation: Citation,
    /// Minutes to read the body (200 words a minute, at least 1).
    pub reading_minutes: usize,
    /// The table of contents: level 2 and 3 headings (`level`, `id`, `text`), when the body
    /// has at least three; else empty.
    pub toc: Vec<TocEntry>,
    /// Its picture (`src` relative to the page, absolute `url`, `alt`, `caption`), if any.
    pub image: Option<ImageView>,
}

/// A download link.
#[derive(Debug, Clone, Serialize)]
pub struct AttachmentView {
    /// Link text.
    pub title: String,
    /// Href relative to the resource page.
    pub href: String,
    /// The file's format, from its extension (`PDF`, `DOCX`), if it has one.
    pub format: Option<String>,
    /// Its size in bytes, when the build knows it.
    pub bytes: Option<u64>,
    /// The size for readers (`24 KB`, `1.4 MB`).
    pub size: Option<String>,
}

/// A term page's view, or an entry of a taxonomy page.
#[derive(Debug, Clone, Serialize)]
pub struct TermView {
    /// Slug.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Root-relative href of the term page.
    pub href: String,
    /// Number of resources.
    pub count: usize,
}

impl<'a> SiteView<'a> {
    /// The view of `config` and the navigation of `library`.
    pub fn new(config: &'a Config, library: &Library) -> Self {
        SiteView {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            language: &config.language,
            lang_prefix: &config.lang_prefix,
            sections: library
                .top_sections()
                .map(|s| Link {
                    title: s.title.clone(),
                    href: urls::page_file(&s.url),
                })
                .collect(),
            taxonomies: library
                .taxonomies
                .iter()
                .map(|t| Link {
                    title: t.name.clone(),
                    href: urls::page_file(&taxonomy_url(&config.lang_prefix, &t.key)),
                })
                .collect(),
            glossary: (!config.glossary.is_empty()).then(|| urls::page_file(super::glossary::URL)),
            theme_options: ThemeView::new(&config.theme_options),
            extra: &config.extra,
        }
    }
}

/// The card of `resource`; `summary` is the resolved summary, `strings` the page language's
/// words (its date).
pub fn card(resource: &Resource, summary: &str, config: &Config, strings: &LanguageStrings) -> Card {
    Card {
        title: resource.title.clone(),
        href: urls::page_file(&resource.url),
        url: resource.url.clone(),
        kind: resource.kind.clone(),
        kind_name: config
            .types
            .get(&resource.kind)
            .map_or_else(|| resource.kind.clone(), |t| t.name.clone()),
        date: resource.date.map(|d| date_view(&d, strings)),
        summary: summary.to_string(),
        organisation: resource.organisation.clone(),
        featured: resource.featured,
        draft: resource.draft,
        terms: term_groups(resource, config),
    }
}

fn term_groups(resource: &Resource, config: &Config) -> Vec<TermGroup> {
    config
        .taxonomies
        .iter()
        .filter(|(key, _)| !resource.terms[*key].is_empty())
        .map(|(key, taxonomy)| TermGroup {
            key: key.clone(),
            name: taxonomy.name.clone(),
            terms: resource.terms[key]
                .iter()
                .filter_map(|slug| taxonomy.terms.iter().find(|t| &t.slug == slug))
                .map(|t| TermRef {
                    slug: t.slug.clone(),
                    name: t.name.clone(),
                    href: term_href(&config.lang_prefix, key, &t.slug),
                })
                .collect(),
        })
        .collect()
}

/// How templates see `date` on a page in the language of `strings`: its `display` with the
/// language's month names and order (`1 June 2019`, `1 Mehefin 2019`).
pub fn date_view(date: &Date, strings: &LanguageStrings) -> DateView {
    DateView {
        display: strings.date(date.day),
        ..date.view()
    }
}

/// Root-relative href of a term page; `prefix` is its language's (`cy/`, or empty).
pub fn term_href(prefix: &str, taxonomy: &str, slug: &str) -> String {
    urls::page_file(&term_url(prefix, taxonomy, slug))
}

/// Root-relative url of a term's listing; `prefix` is its language's (`cy/`, or empty).
pub fn term_url(prefix: &str, taxonomy: &str, slug: &str) -> String {
    format!("{prefix}{taxonomy}/{slug}/")
}

/// Root-relative url of a taxonomy's page; `prefix` is its language's (`cy/`, or empty).
pub fn taxonomy_url(prefix: &str, taxonomy: &str) -> String {
    format!("{prefix}{taxonomy}/")
}

/// The resources of a term page that share one type, for grouping by type.
#[derive(Debug, Clone, Serialize)]
pub struct TypeGroup<'a> {
    /// Type key.
    pub kind: String,
    /// Plural display name (the group heading).
    pub plural: String,
    /// In-page anchor (`type-toolkit`), the target of the coverage cells and the filter list.
    pub anchor: String,
    /// How many resources of this type the whole listing has (on every page).
    pub count: usize,
    /// Whether the group started on an earlier page.
    pub continued: bool,
    /// Its resources on this page, newest first.
    pub resources: Vec<super::cards::Listed<'a>>,
}

/// One entry of a term page's "filter by type" list: a type and where its group starts.
#[derive(Debug, Clone, Serialize)]
pub struct TypeFilter {
    /// Type key.
    pub kind: String,
    /// Plural display name.
    pub plural: String,
    /// The group's in-page anchor (`type-toolkit`).
    pub anchor: String,
    /// How many resources of this type the listing has.
    pub count: usize,
    /// Root-relative href of the page where the group starts, with its anchor.
    pub href: String,
    /// Whether the group starts on this page (link to `#anchor` alone).
    pub here: bool,
}

/// A section as the home page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct SectionLink {
    /// Section title.
    pub title: String,
    /// Root-relative href of its listing.
    pub href: String,
    /// Resources directly in it.
    pub count: usize,
}

/// A folder as its listing page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    /// Title (from `_index.md`, else the folder name).
    pub title: String,
    /// Description from `_index.md`.
    pub description: String,
    /// The rendered body of its `_index.md`, if any.
    pub intro: Option<String>,
    /// Its sub-folders' listings.
    pub subsections: Vec<Link>,
}

/// A taxonomy's key and display name.
#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyRef {
    /// Key (`enablers`), also its url folder.
    pub key: String,
    /// Display name.
    pub name: String,
}

/// A taxonomy with its terms, as the home page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyView {
    /// Key (`enablers`).
    pub key: String,
    /// Display name.
    pub name: String,
    /// Root-relative href of the taxonomy's page.
    pub href: String,
    /// Its terms, in config order.
    pub terms: Vec<TermView>,
}

/// The contribute box (`contribute:` in casebook.yaml) as a page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ContributeView {
    /// The configured heading; empty: the theme words it.
    pub title: String,
    /// The invitation, plain text.
    pub text: String,
    /// The template to download, if the site offers one.
    pub template: Option<DownloadView>,
    /// Where to send a contribution (`mailto:…` or `https://…`), as written.
    pub contact: Option<String>,
    /// The address of a `mailto:` contact, to show as its link text.
    pub contact_email: Option<String>,
}

/// A file to download: root-relative href, format and size.
#[derive(Debug, Clone, Serialize)]
pub struct DownloadView {
    /// Root-relative href.
    pub href: String,
    /// The file's format, from its extension (`DOCX`), if it has one.
    pub format: Option<String>,
    /// Its size for readers (`24 KB`), when the build knows it.
    pub size: Option<String>,
}

impl ContributeView {
    /// The view of `contribute`; `bytes` are the sizes of the site's downloads by output path.
    /// Sizes are written in the words of `strings`.
    pub fn new(
        contribute: &Contribute,
        bytes: &std::collections::HashMap<String, u64>,
        strings: &LanguageStrings,
    ) -> Self {
        let contact = contribute.contact.clone();
        ContributeView {
            title: contribute.title.clone(),
            text: contribute.text.clone(),
            template: contribute.template_path().map(|path| DownloadView {
                href: path.to_string(),
                format: file_format(path),
                size: bytes.get(path).map(|&b| human_size(b, strings)),
            }),
            contact_email: contact
                .as_deref()
                .and_then(|c| c.strip_prefix("mailto:"))
                .map(|address| address.split('?').next().unwrap_or(address).to_string()),
            contact,
        }
    }
}

/// One `<url>` of the sitemap.
#[derive(Debug, Clone, Serialize)]
pub struct SitemapEntry {
    /// Root-relative url (`case-studies/x/`).
    pub url: String,
    /// ISO date of the last change, for resources with a date.
    pub lastmod: Option<String>,
    /// The page in every language that has it, itself included (`xhtml:link` alternates);
    /// empty when only its own language has it.
    pub alternates: Vec<Alternate>,
}

/// A page's version in one of the site's languages: an `hreflang` link and an entry of the
/// language switch.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Alternate {
    /// The language's BCP 47 tag (`en-GB`, `cy`).
    pub code: String,
    /// The language's name in itself (`English`, `Cymraeg`).
    pub name: String,
    /// Root-relative href: the page in that language, else that language's home page.
    pub href: String,
    /// The same as an absolute URL (from `base_url`).
    pub url: String,
    /// Whether this is the page's own language.
    pub current: bool,
    /// Whether that language has this page (else `href` is its home page).
    pub translated: bool,
}

/// One column of the coverage matrix.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageColumn {
    /// Type key.
    pub kind: String,
    /// Plural display name.
    pub plural: String,
}

/// One cell of the coverage matrix.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageCell {
    /// Resources with this term and type.
    pub count: usize,
    /// Colour step, 0 (a gap) to [`crate::library::COVERAGE_LEVELS`].
    pub level: usize,
    /// Root-relative href of the term page's group of this type; `None` for a gap.
    pub href: Option<String>,
    /// Type plural, for the cell's accessible label.
    pub plural: String,
}

/// One row of the coverage matrix: a term and its cells.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageRow {
    /// The term.
    pub term: TermView,
    /// Cells in column order.
    pub cells: Vec<CoverageCell>,
}

/// The coverage page's matrix.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageView {
    /// Taxonomy key.
    pub key: String,
    /// Taxonomy display name.
    pub name: String,
    /// Type columns.
    pub columns: Vec<CoverageColumn>,
    /// Term rows.
    pub rows: Vec<CoverageRow>,
    /// The largest cell.
    pub max: usize,
    /// Number of empty cells.
    pub gaps: usize,
}

/// The type's plural name, falling back to its key for a type the config no longer has.
pub fn type_plural(kind: &str, config: &Config) -> String {
    config
        .types
        .get(kind)
        .map_or_else(|| kind.to_string(), |t| t.plural.clone())
}

/// Anchor of a type's group on a term page.
pub fn type_anchor(kind: &str) -> String {
    format!("type-{kind}")
}

/// Root-relative url of a taxonomy's coverage page; `prefix` is its language's.
pub fn coverage_url(prefix: &str, taxonomy: &str) -> String {
    format!("{prefix}{taxonomy}/{}/", crate::library::COVERAGE_SLUG)
}
