//! The output plan: every path a build writes and what writes it, listed from the library
//! without rendering a page, so `check` and `build` find the same collisions.
//!
//! Two producers of one path is an error naming both, with the one exception the README
//! promises: a file of the site's `static/` replaces the theme's file of the same path. So a
//! content asset never replaces anything, and nothing replaces a generated page, feed,
//! stylesheet or search file. A file where another needs a folder (`static/search` against
//! `search/index.html`) collides too, and a path no file system could hold (a folder name
//! with nothing to make a URL from, a name over 255 bytes) is an error before anything is
//! written. `tests/it/trust_inputs.rs` holds the plan to the paths a build really writes.
//!
//! A listing split into pages owns its `page/` folder: anything else written under it (a
//! resource whose slug is `page`, a sub-folder named `page`) is a collision, reported at the
//! other file, rather than a page that would sit among the listing's numbered pages.

use crate::config::{Config, CONFIG_FILE, MAX_SLUG_BYTES};
use crate::content::Content;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::library::Library;
use crate::render::sitemap::{self, SitemapFile};
use crate::render::{paginate, views};
use crate::{search, urls};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Who writes an output path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A resource page (two sharing a url are already reported as `duplicate-url`).
    Resource,
    /// A section's listing page.
    Section,
    /// Page 2 or later of a section's or term's listing (`<listing>/page/<n>/`).
    Pager,
    /// A taxonomy's page or one of its terms' pages.
    Taxonomy,
    /// The headline taxonomy's coverage page (a `coverage` term is refused on its own).
    Coverage,
    /// What every site has: home, 404, feed, sitemap (and its parts past 50,000 pages),
    /// stylesheets, search page and indexes.
    Generated,
    /// A static file of the theme, which the site's `static/` may replace.
    ThemeStatic,
    /// A file of the site's `static/`.
    SiteStatic,
    /// A file of `content/` copied as it is.
    ContentAsset,
    /// The redirect page at an old URL of a resource (its `aliases:`).
    Redirect,
}

/// One output path and what writes it.
#[derive(Debug, Clone)]
pub struct Claim {
    /// The output path (`case-studies/x/index.html`); for the search index, its folder.
    pub path: String,
    /// Who writes it.
    pub origin: Origin,
    /// What writes it, in words: "the home page", "`static/index.html`".
    pub what: String,
    /// The file and place a problem with it is reported at; `None` for what no file of the
    /// site asks for (the home page).
    pub at: Option<(String, Location)>,
}

/// The generated files every site has, with what they are.
const GENERATED: &[(&str, &str)] = &[
    ("index.html", "the home page"),
    ("404.html", "the 404 page"),
    ("sitemap.xml", "the sitemap"),
    ("atom.xml", "the feed"),
    ("robots.txt", "robots.txt"),
    ("search/index.html", "the search page"),
    (search::BROWSER_INDEX, "the browser search index"),
    (search::TANTIVY_DIR, "the search index"),
    (search::BROWSER_FOLDERS[0], "the browser search index's postings"),
    (search::BROWSER_FOLDERS[1], "the browser search index's documents"),
    (search::BROWSER_FOLDERS[2], "the browser search index's passages"),
    ("css/syntax.css", "the generated syntax stylesheet"),
    ("css/theme.css", "the generated brand stylesheet"),
];

/// The generated files each other language has, under its folder: what [`GENERATED`] has
/// but the 404 page, sitemap, robots.txt and stylesheets, of which the site has one.
const PER_LANGUAGE: &[&str] = &[
    "index.html",
    "atom.xml",
    "search/index.html",
    search::BROWSER_INDEX,
    search::TANTIVY_DIR,
    search::BROWSER_FOLDERS[0],
    search::BROWSER_FOLDERS[1],
    search::BROWSER_FOLDERS[2],
];

/// One other language's part of the site: its view of the config, content and library.
#[derive(Clone, Copy)]
pub struct LanguagePart<'a> {
    /// [`Config::for_language`].
    pub config: &'a Config,
    /// Its translations, as content.
    pub content: &'a Content,
    /// Its sections and terms.
    pub library: &'a Library,
}

/// Every path the site's build writes, and what writes it: `theme_statics` are the theme's
/// static files (output path, where from); `languages` the site's other languages, each
/// written under its folder.
pub fn claims<'a>(
    config: &Config,
    content: &Content,
    library: &Library,
    static_files: &[(String, PathBuf)],
    theme_statics: impl Iterator<Item = (&'a str, &'a str)>,
    languages: &[LanguagePart<'_>],
) -> Vec<Claim> {
    let mut claims: Vec<Claim> = GENERATED
        .iter()
        .map(|(path, what)| claim(path.to_string(), Origin::Generated, what.to_string(), None))
        .collect();
    let mut urls = sitemap::entries(library, content.resources.iter(), config).len();
    for part in languages {
        urls += sitemap::entries(part.library, part.content.resources.iter(), part.config).len();
        let prefix = &part.config.lang_prefix;
        claims.extend(PER_LANGUAGE.iter().map(|path| {
            let what = format!("a generated file of language `{}`", part.config.language);
            claim(format!("{prefix}{path}"), Origin::Generated, what, None)
        }));
        page_claims(part.config, part.content, part.library, &mut claims);
    }
    for file in sitemap::files(urls, sitemap::URLS_PER_FILE) {
        if let SitemapFile::Part { n, .. } = file {
            claims.push(claim(
                file.path(),
                Origin::Generated,
                format!("part {n} of the sitemap"),
                None,
            ));
        }
    }
    page_claims(config, content, library, &mut claims);
    let whole = Location::default();
    if !config.glossary.is_empty() {
        let at = Some((CONFIG_FILE.to_string(), config.glossary_location()));
        claims.push(claim(
            urls::page_file(crate::render::glossary::URL),
            Origin::Generated,
            "the glossary page".to_string(),
            at,
        ));
    }
    for r in &content.resources {
        for alias in &r.aliases {
            let what = format!("the redirect from `{}` (an alias of `{}`)", alias.path, r.file);
            claims.push(claim(
                alias.file.clone(),
                Origin::Redirect,
                what,
                Some((r.file.clone(), alias.at)),
            ));
        }
    }
    for (path, label) in theme_statics {
        let at = (!label.starts_with('(')).then(|| (label.to_string(), whole));
        claims.push(claim(path.to_string(), Origin::ThemeStatic, format!("`{label}`"), at));
    }
    for (path, _) in static_files {
        let file = format!("static/{path}");
        claims.push(claim(
            path.clone(),
            Origin::SiteStatic,
            format!("`{file}`"),
            Some((file, whole)),
        ));
    }
    for asset in &content.assets {
        let file = format!("content/{}", asset.content_path);
        let what = format!("`{file}`");
        claims.push(claim(
            asset.output.clone(),
            Origin::ContentAsset,
            what,
            Some((file, whole)),
        ));
    }
    claims
}

/// The pages of `library` (in `config`'s language): section listings, resources, taxonomies,
/// terms with their feeds, listing pages 2 and on, the coverage page.
fn page_claims(config: &Config, content: &Content, library: &Library, claims: &mut Vec<Claim>) {
    let whole = Location::default();
    let prefix = config.lang_prefix.as_str();
    for section in library.sections.values().filter(|s| !s.dir.is_empty()) {
        let file = match section.intro {
            Some(i) => content.sections[i].file.clone(),
            None => format!("content/{}", section.dir),
        };
        let what = format!("the listing page of `content/{}/`", section.dir);
        claims.push(claim(
            urls::page_file(&section.url),
            Origin::Section,
            what.clone(),
            Some((file.clone(), whole)),
        ));
        let pages = paginate::page_count(section.resources.len(), config.paginate_by);
        claims.extend(pager_claims(&section.url, pages, &what, Some((file, whole))));
    }
    for r in &content.resources {
        let what = format!("the page of `{}`", r.file);
        claims.push(claim(
            urls::page_file(&r.url),
            Origin::Resource,
            what,
            Some((r.file.clone(), whole)),
        ));
    }
    for taxonomy in &library.taxonomies {
        let key = &taxonomy.key;
        let at = Some((CONFIG_FILE.to_string(), config.taxonomy_location(key)));
        let what = format!("the page of taxonomy `{key}`");
        claims.push(claim(
            urls::page_file(&views::taxonomy_url(prefix, key)),
            Origin::Taxonomy,
            what,
            at,
        ));
        for (n, term) in taxonomy.terms.iter().enumerate() {
            let at = Some((CONFIG_FILE.to_string(), config.term_location(key, n)));
            let what = format!("the page of term `{}` of `{key}`", term.slug);
            claims.push(claim(
                views::term_href(prefix, key, &term.slug),
                Origin::Taxonomy,
                what.clone(),
                at.clone(),
            ));
            claims.push(claim(
                format!("{}atom.xml", views::term_url(prefix, key, &term.slug)),
                Origin::Taxonomy,
                format!("the feed of term `{}` of `{key}`", term.slug),
                at.clone(),
            ));
            let pages = paginate::page_count(term.resources.len(), config.paginate_by);
            let listing = views::term_url(prefix, key, &term.slug);
            claims.extend(pager_claims(&listing, pages, &what, at));
        }
    }
    if let Some(coverage) = &library.coverage {
        let key = &coverage.taxonomy;
        let at = Some((CONFIG_FILE.to_string(), config.taxonomy_location(key)));
        let what = format!("the coverage page of `{key}`");
        claims.push(claim(
            urls::page_file(&views::coverage_url(prefix, key)),
            Origin::Coverage,
            what,
            at,
        ));
    }
}

fn claim(path: String, origin: Origin, what: String, at: Option<(String, Location)>) -> Claim {
    Claim { path, origin, what, at }
}

/// Pages 2 to `pages` of the listing at `listing_url`, whose first page is `what`.
fn pager_claims<'a>(
    listing_url: &'a str,
    pages: usize,
    what: &'a str,
    at: Option<(String, Location)>,
) -> impl Iterator<Item = Claim> + 'a {
    (2..=pages).map(move |n| {
        let path = urls::page_file(&paginate::page_url(listing_url, n));
        claim(path, Origin::Pager, format!("page {n} of {what}"), at.clone())
    })
}

/// The problems of a plan: paths that cannot be written, two producers of one path, a file
/// where a folder is needed.
pub fn problems(claims: &[Claim]) -> Diagnostics {
    let mut problems = Diagnostics::default();
    let mut by_path: BTreeMap<&str, Vec<&Claim>> = BTreeMap::new();
    for c in claims {
        by_path.entry(&c.path).or_default().push(c);
        if let Some(message) = unwritable(&c.path) {
            if let Some((file, at)) = &c.at {
                let message = format!("{} would be written to `{}`, {message}", c.what, c.path);
                let help = "rename the folder or file with ASCII letters or digits, at most 255 bytes";
                problems.push(Diagnostic::error(file, *at, Code::OutputCollision, message).with_help(help));
            }
        }
    }
    for (path, group) in &by_path {
        let mut group = group.clone();
        if group.iter().any(|c| c.origin == Origin::SiteStatic) {
            group.retain(|c| c.origin != Origin::ThemeStatic); // the documented override
        }
        if group.len() > 1 && !reported_elsewhere(&group) {
            same_path(&mut problems, path, &group);
        }
        let inside = format!("{path}/");
        if let Some((deeper, below)) = by_path.range(inside.as_str()..).next() {
            if deeper.starts_with(&inside) {
                file_for_folder(&mut problems, &group, below[0]);
            }
        }
    }
    in_pager_folders(&mut problems, &by_path);
    problems
}

/// What another producer would write inside the `page/` folder of a listing split into pages
/// (a path the pager itself writes is already reported as two producers of one path).
fn in_pager_folders(problems: &mut Diagnostics, by_path: &BTreeMap<&str, Vec<&Claim>>) {
    // Page 2 of a listing stands for all its pages: `<listing>/page/2/index.html`.
    let second_page = format!("/{}/2/index.html", paginate::PAGE_DIR);
    let pagers = by_path
        .iter()
        .filter(|(path, _)| path.ends_with(&second_page))
        .filter_map(|(_, group)| pager_of(group));
    for pager in pagers {
        let folder = pager.path.trim_end_matches("2/index.html");
        let inside = by_path.range(folder..).take_while(|(path, _)| path.starts_with(folder));
        for (path, group) in inside.filter(|(_, group)| pager_of(group).is_none()) {
            for (c, (file, at)) in group.iter().filter_map(|c| Some((c, c.at.as_ref()?))) {
                let message = format!(
                    "{} would be written to `{path}`, inside `{folder}`, where {} and the pages after it go",
                    c.what, pager.what
                );
                let help = "give it another name: a listing longer than `paginate_by` (casebook.yaml) keeps its later pages in `page/`";
                problems.push(Diagnostic::error(file, *at, Code::OutputCollision, message).with_help(help));
            }
        }
    }
}

/// The pager's claim among `group`, if it has one.
fn pager_of<'c>(group: &[&'c Claim]) -> Option<&'c Claim> {
    group.iter().find(|c| c.origin == Origin::Pager).copied()
}

/// Why `path` cannot be written, if it cannot.
fn unwritable(path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('/').collect();
    if parts.iter().any(|p| p.is_empty() || *p == "." || *p == "..") {
        return Some("but a folder name on the way gives no URL (it has no ASCII letter or digit)".into());
    }
    if parts.iter().any(|p| p.len() > MAX_SLUG_BYTES) {
        return Some(format!(
            "but a name in it is longer than {MAX_SLUG_BYTES} bytes, the limit of file names"
        ));
    }
    None
}

/// Collisions checked elsewhere, with a message of their own.
fn reported_elsewhere(group: &[&Claim]) -> bool {
    let all = |origin| group.iter().all(|c| c.origin == origin);
    let coverage_term = group.iter().any(|c| c.origin == Origin::Coverage)
        && group
            .iter()
            .all(|c| matches!(c.origin, Origin::Coverage | Origin::Taxonomy));
    all(Origin::Resource) || coverage_term
}

fn same_path(problems: &mut Diagnostics, path: &str, group: &[&Claim]) {
    for c in group {
        let others: Vec<&str> = group
            .iter()
            .filter(|o| !std::ptr::eq(**o, *c))
            .map(|o| o.what.as_str())
            .collect();
        let message = format!(
            "{} would be written to `{path}`, where {} also goes",
            c.what,
            others.join(" and ")
        );
        report(problems, c, message);
    }
    if group.iter().all(|c| c.at.is_none()) {
        let message = format!(
            "{} would all be written to `{path}`",
            group.iter().map(|c| c.what.as_str()).collect::<Vec<_>>().join(" and ")
        );
        problems.push(
            Diagnostic::error(CONFIG_FILE, Location::default(), Code::OutputCollision, message)
                .with_help("rename or remove the theme's file"),
        );
    }
}

/// `files` are written at a path that `deeper` needs as a folder.
fn file_for_folder(problems: &mut Diagnostics, files: &[&Claim], deeper: &Claim) {
    for file in files {
        let message = format!(
            "{} would be written to `{}`, but {} needs a folder there for `{}`",
            file.what, file.path, deeper.what, deeper.path
        );
        report(problems, file, message);
        let message = format!(
            "{} would be written to `{}`, but {} takes `{}`",
            deeper.what, deeper.path, file.what, file.path
        );
        report(problems, deeper, message);
    }
}

/// Reports `message` at `c`'s place, with the fix that suits what it is; what has no place
/// of its own (a generated file, the built-in theme) is reported through the other side.
fn report(problems: &mut Diagnostics, c: &Claim, message: String) {
    let help = match c.origin {
        Origin::Resource => "give the page another `slug:` or file name",
        Origin::Section => "rename the folder",
        Origin::Pager => "raise `paginate_by` in casebook.yaml, or rename the other file",
        Origin::Taxonomy | Origin::Coverage => "rename the taxonomy or the term",
        Origin::ThemeStatic => "rename or remove the theme's file",
        Origin::SiteStatic => {
            "rename or move this file: a file of `static/` may replace only a static file of the theme"
        }
        Origin::ContentAsset => "rename or move this file: a file of `content/` may not replace another",
        Origin::Redirect => "remove this alias: an old URL may not replace a page or file the site still has",
        Origin::Generated => "this is a file Casebook writes itself; rename the other one",
    };
    if let Some((file, at)) = &c.at {
        problems.push(Diagnostic::error(file, *at, Code::OutputCollision, message).with_help(help));
    }
}
