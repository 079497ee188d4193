//! Listings split into pages (`paginate_by`) and the template contexts theme authors rely
//! on. The paginated site is generated in a tempdir: 12 toolkits, 3 case studies and a guide,
//! so at `paginate_by: 5` the toolkits section has 3 pages and the term `alpha` 4, grouped by
//! type (case studies, toolkits, guides) across pages.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

const BASE_URL: &str = "https://fixture.example.org/library/";

/// A generated site and its built output.
struct Built {
    /// Kept so the site and its output live as long as the test.
    _site: TempDir,
    out: PathBuf,
}

impl Built {
    fn page(&self, path: &str) -> String {
        fs::read_to_string(self.out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn exists(&self, path: &str) -> bool {
        self.out.join(path).is_file()
    }
}

/// Writes the generated site with `paginate_by` set to `paginate_by` (unset when `None`).
fn site(paginate_by: Option<&str>) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut config = format!(
        "title: \"Paged library\"\nbase_url: \"{BASE_URL}\"\ntaxonomies:\n  enablers:\n    name: Enablers\n    terms:\n      - {{ slug: alpha, name: Alpha }}\n      - {{ slug: beta, name: Beta }}\n"
    );
    if let Some(n) = paginate_by {
        config.push_str(&format!("paginate_by: {n}\n"));
    }
    fs::write(root.join("casebook.yaml"), config).unwrap();
    let write = |path: &str, text: String| {
        let path = root.join("content").join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    for n in 1..=12 {
        write(
            &format!("toolkits/t{n:02}.md"),
            format!(
                "---\ntitle: \"Toolkit {n}\"\nsummary: \"S.\"\ndate: 2024-01-{n:02}\nenablers: [alpha]\n---\nBody.\n"
            ),
        );
    }
    for n in 1..=3 {
        write(
            &format!("case-studies/c{n}.md"),
            format!("---\ntitle: \"Case {n}\"\nsummary: \"S.\"\ndate: 2023-05-0{n}\norganisation: \"Org\"\nenablers: [alpha]\n---\nBody.\n"),
        );
    }
    write(
        "guides/g1.md",
        "---\ntitle: \"Guide 1\"\nsummary: \"S.\"\nenablers: [alpha, beta]\n---\nBody.\n".into(),
    );
    dir
}

fn casebook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(args)
        .output()
        .unwrap()
}

fn build(paginate_by: Option<&str>) -> Built {
    let site = site(paginate_by);
    let out = site.path().join("public");
    let run = casebook(&["build", "--quiet", "--root", path(site.path()), "--output", path(&out)]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    Built { _site: site, out }
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// How many cards a page shows.
fn cards(html: &str) -> usize {
    html.matches("<article class=\"card").count()
}

/// The values of `attribute="..."` in `html`, in order.
fn attributes<'h>(html: &'h str, attribute: &str) -> Vec<&'h str> {
    let open = format!("{attribute}=\"");
    html.split(&open)
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect()
}

/// The `href` of the `<link rel="...">` in the head, if any.
fn head_link<'h>(html: &'h str, rel: &str) -> Option<&'h str> {
    let open = format!("<link rel=\"{rel}\" href=\"");
    html.split(&open).nth(1).map(|rest| &rest[..rest.find('"').unwrap()])
}

/// The output file a relative `href` on the page at `page` (an output path) leads to, and
/// its fragment.
fn resolve(page: &str, href: &str) -> (String, Option<String>) {
    let (target, fragment) = match href.split_once('#') {
        Some((t, f)) => (t, Some(f.to_string())),
        None => (href, None),
    };
    assert!(
        !target.starts_with('/') && !target.contains("://"),
        "not relative: {href}"
    );
    if target.is_empty() {
        return (page.to_string(), fragment);
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in target.split('/') {
        match part {
            ".." => assert!(parts.pop().is_some(), "{href} climbs out of the site from {page}"),
            "." => {}
            p => parts.push(p),
        }
    }
    (parts.join("/"), fragment)
}

/// The pages of a listing, from page 1 at `listing` (`toolkits/`).
fn listing_pages(listing: &str, pages: usize) -> Vec<String> {
    (1..=pages)
        .map(|n| {
            if n == 1 {
                format!("{listing}index.html")
            } else {
                format!("{listing}page/{n}/index.html")
            }
        })
        .collect()
}

#[test]
fn long_listings_are_split_into_pages_with_every_card_once() {
    let built = build(Some("5"));
    for (listing, pages, per_page) in [
        ("toolkits/", 3, [5, 5, 2].as_slice()),
        ("enablers/alpha/", 4, [5, 5, 5, 1].as_slice()),
    ] {
        let paths = listing_pages(listing, pages);
        let mut seen = BTreeSet::new();
        for (path, &expected) in paths.iter().zip(per_page) {
            let html = built.page(path);
            assert_eq!(cards(&html), expected, "{path}");
            let titles: Vec<&str> = attributes(&html, "class=\"card-title\"><a href").into_iter().collect();
            for t in titles {
                assert!(seen.insert(t.to_string()), "{t} twice in {listing}");
            }
        }
        assert_eq!(seen.len(), per_page.iter().sum::<usize>(), "{listing}");
        assert!(!built.exists(&format!("{listing}page/{}/index.html", pages + 1)));
        assert!(
            !built.exists(&format!("{listing}page/1/index.html")),
            "page 1 is the listing itself"
        );
    }
    // The short listings stay one page, and the home page, feed and coverage stay complete.
    assert!(!built.out.join("case-studies/page").exists());
    assert!(built.page("atom.xml").matches("<entry>").count() == 16);
    let coverage = built.page("enablers/coverage/index.html");
    assert!(coverage.contains(">12</a>"), "the toolkit cell counts all 12");
}

#[test]
fn listing_pages_link_prev_and_next_and_show_an_accessible_page_navigation() {
    let built = build(Some("5"));
    let paths = listing_pages("toolkits/", 3);
    for (n, path) in paths.iter().enumerate() {
        let html = built.page(path);
        let prev = head_link(&html, "prev").map(|h| resolve(path, h).0);
        let next = head_link(&html, "next").map(|h| resolve(path, h).0);
        assert_eq!(prev.as_ref(), n.checked_sub(1).map(|p| &paths[p]), "{path}: rel=prev");
        assert_eq!(next.as_ref(), paths.get(n + 1), "{path}: rel=next");
        assert_eq!(
            html.matches("<nav class=\"pager\" aria-label=\"Pagination\">").count(),
            1,
            "{path}"
        );
        let nav = &html[html.find("class=\"pager\"").unwrap()..];
        let nav = &nav[..nav.find("</nav>").unwrap()];
        assert_eq!(
            nav.matches("aria-current=\"page\"").count(),
            1,
            "{path}: one current page"
        );
        let current = nav.split("<a href=\"").find(|a| a.contains("aria-current")).unwrap();
        assert_eq!(resolve(path, &current[..current.find('"').unwrap()]).0, *path);
        assert_eq!(
            nav.contains("rel=\"prev\""),
            n > 0,
            "{path}: a previous link but on the first"
        );
        assert_eq!(
            nav.contains("rel=\"next\""),
            n < 2,
            "{path}: a next link but on the last"
        );
        // Every page of the listing is one plain link away: no script, reachable by Tab (the
        // theme's one script on every page, js/site.js, is only the `/` shortcut to search).
        let targets: BTreeSet<String> = attributes(nav, "href").iter().map(|h| resolve(path, h).0).collect();
        assert_eq!(targets, paths.iter().cloned().collect(), "{path}");
        let site_js = html.matches("js/site.js\"></script>").count();
        assert_eq!(html.matches("<script").count(), site_js, "{path}");
    }
    let page2 = built.page(&paths[1]);
    assert!(page2.contains("<title>Toolkits, page 2 of 3 · Paged library</title>"));
    assert!(page2.contains(&format!("<link rel=\"canonical\" href=\"{BASE_URL}toolkits/page/2/\">")));
    assert!(page2.contains("12 resources<span class=\"listing-range\">, showing 6 to 10</span>"));
    // A listing that fits on one page has no navigation and no rel links.
    let single = built.page("case-studies/index.html");
    assert!(!single.contains("class=\"pager\"") && head_link(&single, "next").is_none());
}

#[test]
fn every_relative_link_of_a_listing_page_leads_to_a_written_file() {
    let built = build(Some("5"));
    for path in listing_pages("enablers/alpha/", 4)
        .iter()
        .chain(&listing_pages("toolkits/", 3))
    {
        let html = built.page(path);
        for href in attributes(&html, "href").into_iter().filter(|h| !h.contains("://")) {
            let (target, _) = resolve(path, href);
            assert!(built.exists(&target), "{path}: {href} leads to {target}, not written");
        }
    }
}

#[test]
fn filter_by_type_links_lead_to_the_page_where_each_type_starts() {
    let built = build(Some("5"));
    let paths = listing_pages("enablers/alpha/", 4);
    // Grouped by type in config order: 3 case studies, 12 toolkits, 1 guide.
    let starts = [("type-case-study", 0), ("type-toolkit", 0), ("type-guide", 3)];
    for path in &paths {
        let html = built.page(path);
        let filter = &html[html.find("aria-label=\"Filter by type\"").unwrap()..];
        let filter = &filter[..filter.find("</nav>").unwrap()];
        let links = attributes(filter, "href");
        assert_eq!(links.len(), 3, "{path}: every type of the listing, on every page");
        for (href, (anchor, start)) in links.iter().zip(starts) {
            let (target, fragment) = resolve(path, href);
            assert_eq!(target, paths[start], "{path}: {href}");
            assert_eq!(fragment.as_deref(), Some(anchor), "{path}: {href}");
            assert!(
                built.page(&target).contains(&format!("id=\"{anchor}\"")),
                "{target} has #{anchor}"
            );
        }
    }
    // A group that began on an earlier page says so, with the type's whole count.
    assert!(built
        .page(&paths[1])
        .contains("Toolkits, continued <span class=\"count\">(12)</span>"));
    // The coverage cells lead to the same places.
    let coverage = built.page("enablers/coverage/index.html");
    let cells: Vec<&str> = attributes(&coverage, "href")
        .into_iter()
        .filter(|h| h.contains("#type-"))
        .collect();
    assert!(!cells.is_empty());
    for href in cells {
        let (target, fragment) = resolve("enablers/coverage/index.html", href);
        let anchor = fragment.unwrap();
        assert!(built.page(&target).contains(&format!("id=\"{anchor}\"")), "{href}");
    }
    assert!(
        coverage.contains("enablers/alpha/page/4/index.html#type-guide"),
        "the guide cell leads to page 4"
    );
}

#[test]
fn paginate_by_zero_keeps_every_listing_on_one_page() {
    let built = build(Some("0"));
    assert_eq!(cards(&built.page("toolkits/index.html")), 12);
    assert_eq!(cards(&built.page("enablers/alpha/index.html")), 16);
    let tree = common::tree(&built.out);
    assert!(!tree.keys().any(|p| p.contains("/page/")), "no page/ folder anywhere");
    assert!(!built.page("toolkits/index.html").contains("class=\"pager\""));
}

#[test]
fn the_default_of_fifty_leaves_short_listings_whole() {
    let built = build(None);
    assert_eq!(cards(&built.page("enablers/alpha/index.html")), 16);
    assert!(!built.out.join("enablers/alpha/page").exists());
}

#[test]
fn the_sitemap_lists_every_page_of_every_listing() {
    let built = build(Some("5"));
    let sitemap = built.page("sitemap.xml");
    let locs: BTreeSet<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|rest| &rest[..rest.find("</loc>").unwrap()])
        .collect();
    let pages: BTreeSet<String> = common::tree(&built.out)
        .into_keys()
        .filter(|p| p.ends_with("index.html") && p != "search/index.html")
        .map(|p| format!("{BASE_URL}{}", p.trim_end_matches("index.html")))
        .collect();
    let locs: BTreeSet<String> = locs.into_iter().map(String::from).collect();
    assert_eq!(locs, pages, "the sitemap lists exactly the site's pages");
    assert!(locs.contains(&format!("{BASE_URL}enablers/alpha/page/4/")));
}

#[test]
fn every_listing_page_is_in_the_output_plan() {
    let site = site(Some("5"));
    let (written, planned) = common::written_and_planned(site.path());
    assert!(planned.contains("enablers/alpha/page/4/index.html"));
    assert_eq!(written, planned);
}

/// `casebook check --format json` on `root`: exit code and diagnostics.
fn check(root: &Path) -> (i32, Vec<serde_json::Value>) {
    let run = casebook(&["check", "--format", "json", "--root", path(root)]);
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    (
        run.status.code().unwrap(),
        json["diagnostics"].as_array().unwrap().clone(),
    )
}

#[test]
fn a_resource_named_page_in_a_split_listing_is_an_output_collision() {
    let page = "---\ntitle: \"Page\"\nsummary: \"S.\"\nenablers: [beta]\n---\nBody.\n";
    let site = site(Some("5"));
    fs::write(site.path().join("content/toolkits/page.md"), page).unwrap();
    let (code, diagnostics) = check(site.path());
    assert_eq!(code, 1);
    let collision = diagnostics
        .iter()
        .find(|d| d["code"] == "output-collision")
        .unwrap_or_else(|| panic!("{diagnostics:?}"));
    assert_eq!(collision["file"], "content/toolkits/page.md");
    let message = collision["message"].as_str().unwrap();
    assert!(
        message.contains("toolkits/page/") && message.contains("page 2 of"),
        "{message}"
    );
    assert!(collision["help"].as_str().unwrap().contains("paginate_by"));
    // The build refuses it too, and writes nothing.
    let out = site.path().join("public");
    let run = casebook(&["build", "--quiet", "--root", path(site.path()), "--output", path(&out)]);
    assert_eq!(run.status.code(), Some(1));
    assert!(!out.exists());
    // Where the listing fits on one page, `page/` is free and the slug is fine.
    let site = site_with_page(page, "0");
    assert_eq!(check(site.path()).0, 0);
}

fn site_with_page(page: &str, paginate_by: &str) -> TempDir {
    let site = site(Some(paginate_by));
    fs::write(site.path().join("content/toolkits/page.md"), page).unwrap();
    site
}

#[test]
fn a_paginate_by_that_is_not_a_whole_number_is_a_located_config_error() {
    for value in ["-3", "\"ten\"", "2.5"] {
        let site = site(Some(value));
        let (code, diagnostics) = check(site.path());
        assert_eq!(code, 1, "{value}");
        let d = &diagnostics[0];
        assert_eq!(
            (d["code"].as_str(), d["file"].as_str()),
            (Some("invalid-config"), Some("casebook.yaml"))
        );
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(9), Some(14)),
            "{value}: {d}"
        );
        assert!(d["message"].as_str().unwrap().contains("a whole number"), "{d}");
    }
}

/// The "Template contexts" tables of README.md: template -> variable -> documented fields
/// (`None`: a list of cards), and the card's fields.
struct Documented {
    variables: BTreeMap<String, BTreeMap<String, Fields>>,
    card: BTreeSet<String>,
}

#[derive(Debug)]
enum Fields {
    Named(BTreeSet<String>),
    Cards,
}

fn documented() -> Documented {
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("\n## Template contexts\n")
        .nth(1)
        .expect("a Template contexts section");
    let section = &section[..section.find("\n## ").unwrap()];
    let names = |cell: &str| -> BTreeSet<String> { attributes_in_backticks(cell) };
    let mut variables: BTreeMap<String, BTreeMap<String, Fields>> = BTreeMap::new();
    let mut card = BTreeSet::new();
    for row in section
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| template") && !l.starts_with("| shape"))
    {
        let cells: Vec<&str> = row
            .split(" | ")
            .map(|c| c.trim_matches(|c| c == '|' || c == ' '))
            .collect();
        if cells[0] == "card" {
            card = names(cells[1]);
            continue;
        }
        let template = cells[0].trim_matches('`').to_string();
        let variable = cells[1].trim_matches('`').to_string();
        let fields = if cells[2] == "cards" {
            Fields::Cards
        } else {
            Fields::Named(names(cells[2]))
        };
        variables.entry(template).or_default().insert(variable, fields);
    }
    Documented { variables, card }
}

/// The names written in backticks in `cell`.
fn attributes_in_backticks(cell: &str) -> BTreeSet<String> {
    cell.split('`').skip(1).step_by(2).map(String::from).collect()
}

/// The keys of `value`'s objects: itself, or the elements of a list.
fn keys_of(value: &serde_json::Value) -> Vec<BTreeSet<String>> {
    match value {
        serde_json::Value::Object(map) => vec![map.keys().cloned().collect()],
        serde_json::Value::Array(items) => items.iter().flat_map(keys_of).collect(),
        _ => Vec::new(),
    }
}

/// Builds the sample library (split into pages of 2, so every paginator field has a value)
/// with every template replaced by a dump of its context; returns each template's contexts.
fn dumped_contexts() -> BTreeMap<String, Vec<serde_json::Value>> {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_tree(&sample.join("content"), &root.join("content"));
    let config = fs::read_to_string(sample.join("casebook.yaml")).unwrap();
    fs::write(root.join("casebook.yaml"), format!("{config}\npaginate_by: 2\n")).unwrap();
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    fs::create_dir_all(root.join("templates")).unwrap();
    for entry in fs::read_dir(templates).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let dump = format!("{{\"template\": \"{name}\", \"context\": {{{{ __tera_context | safe }}}}}}");
        fs::write(root.join("templates").join(&name), dump).unwrap();
    }
    let out = root.join("public");
    let run = casebook(&["build", "--quiet", "--root", path(root), "--output", path(&out)]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let mut contexts: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for (path, bytes) in common::tree(&out) {
        if !(path.ends_with(".html") || path.ends_with(".xml") || path == "robots.txt") {
            continue;
        }
        let Ok(dump) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
            continue; // a copied file of content/, not a rendered page
        };
        let template = dump["template"].as_str().unwrap().to_string();
        contexts.entry(template).or_default().push(dump["context"].clone());
    }
    contexts
}

#[test]
fn the_readme_documents_every_template_variable_and_field_and_nothing_else() {
    let documented = documented();
    let contexts = dumped_contexts();
    let common_vars = &documented.variables["every template"];
    assert_eq!(contexts.len(), 12, "every template rendered: {:?}", contexts.keys());
    for (template, pages) in &contexts {
        let own = documented.variables.get(template);
        let expected: BTreeSet<&str> = common_vars
            .keys()
            .chain(own.into_iter().flat_map(|v| v.keys()))
            .map(String::as_str)
            .collect();
        let mut fields_seen: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for context in pages {
            let map = context.as_object().unwrap();
            let present: BTreeSet<&str> = map.keys().map(String::as_str).collect();
            assert_eq!(present, expected, "{template}: variables present vs documented");
            for (name, value) in map {
                fields_seen
                    .entry(name)
                    .or_default()
                    .extend(keys_of(value).into_iter().flatten());
            }
        }
        for (name, seen) in fields_seen {
            let fields = own.and_then(|v| v.get(name)).or(common_vars.get(name)).unwrap();
            let documented_fields = match fields {
                Fields::Cards => &documented.card,
                Fields::Named(names) => names,
            };
            if seen.is_empty() || name == "t" {
                // A plain value, or a list empty on every page of the sample; `t`'s fields are
                // the theme's string keys, held to i18n/en.yaml by `i18n_theme`.
                continue;
            }
            assert_eq!(&seen, documented_fields, "{template}: fields of `{name}`");
        }
    }
}
