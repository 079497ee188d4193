//! Enablers and taxonomies, end to end: the binary builds the fixture site
//! `tests/sites/enablers/` and every expectation is derived from that site's own frontmatter
//! and `casebook.yaml`, never from a hard-coded list.

use crate::common;

use casebook::config::Config;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sites/enablers");

/// One resource of the fixture, as its frontmatter says.
#[derive(Debug, Clone)]
struct Meta {
    /// Output url (`case-studies/alpha/`).
    url: String,
    /// Output file (`case-studies/alpha/index.html`).
    page: String,
    title: String,
    kind: String,
    date: Option<String>,
    draft: bool,
    /// Taxonomy key -> slugs.
    terms: BTreeMap<String, Vec<String>>,
}

impl Meta {
    fn has(&self, taxonomy: &str, slug: &str) -> bool {
        self.terms.get(taxonomy).is_some_and(|s| s.iter().any(|t| t == slug))
    }

    fn shared(&self, other: &Meta, taxonomy: &str) -> usize {
        let theirs = other.terms.get(taxonomy).cloned().unwrap_or_default();
        self.terms
            .get(taxonomy)
            .map_or(0, |mine| mine.iter().filter(|t| theirs.contains(t)).count())
    }
}

fn config() -> Config {
    let text = std::fs::read_to_string(Path::new(FIXTURE).join("casebook.yaml")).unwrap();
    Config::parse(&text, "casebook.yaml").unwrap()
}

/// Taxonomy key -> defined term slugs, in config order.
fn taxonomies() -> Vec<(String, Vec<String>)> {
    let config = config();
    config
        .taxonomies
        .iter()
        .map(|(key, t)| (key.clone(), t.terms.iter().map(|term| term.slug.clone()).collect()))
        .collect()
}

/// Every resource of the fixture, drafts included, read from its frontmatter.
fn resources() -> Vec<Meta> {
    let keys: Vec<String> = taxonomies().into_iter().map(|(k, _)| k).collect();
    let content = Path::new(FIXTURE).join("content");
    let mut all = Vec::new();
    for entry in walkdir::WalkDir::new(&content).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(&content)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !rel.ends_with(".md") || rel.ends_with("_index.md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let yaml = text.strip_prefix("---\n").unwrap().split("\n---\n").next().unwrap();
        let fm: Value = serde_saphyr::from_str(yaml).unwrap();
        let url = format!("{}/", rel.trim_end_matches(".md"));
        let terms = keys
            .iter()
            .map(|k| {
                let slugs = fm[k.as_str()]
                    .as_array()
                    .map(|s| s.iter().map(|v| v.as_str().unwrap().to_string()).collect())
                    .unwrap_or_default();
                (k.clone(), slugs)
            })
            .collect();
        all.push(Meta {
            page: format!("{url}index.html"),
            url,
            title: fm["title"].as_str().unwrap().to_string(),
            kind: fm["type"].as_str().expect("fixture files name their type").to_string(),
            date: fm["date"].as_str().map(str::to_string),
            draft: fm["draft"].as_bool().unwrap_or(false),
            terms,
        });
    }
    all
}

fn published() -> Vec<Meta> {
    resources().into_iter().filter(|r| !r.draft).collect()
}

/// Newest first, undated last, then title and url.
fn newest_first(list: &mut [Meta]) {
    list.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.url.cmp(&b.url))
    });
}

fn casebook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(args)
        .output()
        .unwrap()
}

/// Builds the fixture into a fresh folder; the folder lives as long as the guard.
fn build() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let result = casebook(&["build", "--quiet", "--root", FIXTURE, "--output", out.to_str().unwrap()]);
    assert!(
        result.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    (dir, out)
}

fn read(out: &Path, page: &str) -> String {
    std::fs::read_to_string(out.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

/// Values of every `href="..."` and `src="..."` in `html`, in document order.
fn link_values(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(['h', 's']) {
        rest = &rest[i..];
        let prefix = ["href=\"", "src=\""].iter().find(|p| rest.starts_with(**p));
        match prefix {
            Some(p) => {
                let value = &rest[p.len()..];
                let end = value.find('"').unwrap();
                found.push(unescape(&value[..end]));
                rest = &value[end..];
            }
            None => rest = &rest[1..],
        }
    }
    found
}

/// Undoes HTML attribute escaping.
fn unescape(text: &str) -> String {
    text.replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `href` as an output path, resolved from `page`; `None` for external or in-page links.
fn resolve(page: &str, href: &str) -> Option<(String, Option<String>)> {
    if href.contains(':') || href.starts_with('#') || href.starts_with('/') {
        return None;
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (href, None),
    };
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in path.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    Some((parts.join("/"), fragment))
}

/// The resource pages `html` (the file `page`) links to, in order, each once.
fn resource_links(page: &str, html: &str, pages: &BTreeSet<String>) -> Vec<String> {
    let mut seen = Vec::new();
    for href in link_values(html) {
        if let Some((target, _)) = resolve(page, &href) {
            if pages.contains(&target) && !seen.contains(&target) {
                seen.push(target);
            }
        }
    }
    seen
}

fn pages_of(list: &[Meta]) -> Vec<String> {
    list.iter().map(|r| r.page.clone()).collect()
}

/// The part of `html` from the element with `id` to the end of its `<section>`.
fn section_with_id<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let start = html.find(&format!("id=\"{id}\""))?;
    let end = html[start..].find("</section>").map_or(html.len(), |e| start + e);
    Some(&html[start..end])
}

#[test]
fn term_pages_list_exactly_the_published_resources_tagged_with_the_term_grouped_by_type() {
    let (_guard, out) = build();
    let all = published();
    let pages: BTreeSet<String> = all.iter().map(|r| r.page.clone()).collect();
    for (key, slugs) in taxonomies() {
        for slug in slugs {
            let page = format!("{key}/{slug}/index.html");
            let html = read(&out, &page);
            let tagged: Vec<Meta> = all.iter().filter(|r| r.has(&key, &slug)).cloned().collect();
            let listed: BTreeSet<String> = resource_links(&page, &html, &pages).into_iter().collect();
            let expected: BTreeSet<String> = pages_of(&tagged).into_iter().collect();
            assert_eq!(listed, expected, "{page}");
            let kinds: BTreeSet<&str> = tagged.iter().map(|r| r.kind.as_str()).collect();
            for kind in kinds {
                let mut group: Vec<Meta> = tagged.iter().filter(|r| r.kind == kind).cloned().collect();
                newest_first(&mut group);
                let anchor = format!("type-{kind}");
                let part = section_with_id(&html, &anchor).unwrap_or_else(|| panic!("{page}: no #{anchor}"));
                assert_eq!(resource_links(&page, part, &pages), pages_of(&group), "{page}#{anchor}");
                assert!(
                    html.contains(&format!("href=\"#{anchor}\"")),
                    "{page}: no filter link to #{anchor}"
                );
            }
        }
    }
}

#[test]
fn a_draft_is_on_no_term_page() {
    let (_guard, out) = build();
    let drafts: Vec<Meta> = resources().into_iter().filter(|r| r.draft).collect();
    assert!(!drafts.is_empty(), "the fixture needs a draft");
    let pages: BTreeSet<String> = drafts.iter().map(|r| r.page.clone()).collect();
    for (key, slugs) in taxonomies() {
        for slug in slugs {
            let page = format!("{key}/{slug}/index.html");
            assert!(resource_links(&page, &read(&out, &page), &pages).is_empty(), "{page}");
        }
    }
}

/// The text shown in each coverage cell, by (row term, column type).
type Cells = BTreeMap<(String, String), String>;

/// The coverage table: row terms, column types and the text of every cell.
fn coverage_cells(html: &str) -> (Vec<String>, Vec<String>, Cells) {
    let attr = |s: &str, name: &str| -> Vec<String> {
        s.split(&format!("{name}=\""))
            .skip(1)
            .map(|v| unescape(&v[..v.find('"').unwrap()]))
            .collect()
    };
    let columns = attr(html, "data-type");
    let body = &html[html.find("<tbody>").unwrap()..html.find("</tbody>").unwrap()];
    let mut rows = Vec::new();
    let mut cells = BTreeMap::new();
    for row in body.split("<tr>").skip(1) {
        let term = attr(row, "data-term").remove(0);
        for (column, cell) in columns.iter().zip(row.split("<td").skip(1)) {
            let cell = &cell[cell.find('>').unwrap() + 1..cell.find("</td>").unwrap()];
            cells.insert((term.clone(), column.clone()), strip_tags(cell));
        }
        rows.push(term);
    }
    (rows, columns, cells)
}

fn strip_tags(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_coverage_cell_counts_the_resources_with_that_enabler_and_type() {
    let (_guard, out) = build();
    let all = published();
    let html = read(&out, "enablers/coverage/index.html");
    let (rows, columns, cells) = coverage_cells(&html);
    let enablers = taxonomies().into_iter().find(|(k, _)| k == "enablers").unwrap().1;
    assert_eq!(rows, enablers, "one row per defined enabler, in config order");
    let kinds: BTreeSet<String> = all.iter().map(|r| r.kind.clone()).collect();
    assert_eq!(
        columns.iter().cloned().collect::<BTreeSet<_>>(),
        kinds,
        "one column per type in use"
    );
    for slug in &rows {
        for kind in &columns {
            let count = all
                .iter()
                .filter(|r| &r.kind == kind && r.has("enablers", slug))
                .count();
            let shown = &cells[&(slug.clone(), kind.clone())];
            let expected = if count == 0 {
                "0 gap".to_string()
            } else {
                count.to_string()
            };
            assert_eq!(shown, &expected, "cell {slug} × {kind}");
        }
    }
    assert!(html.contains("<caption"), "the table has a caption");
    assert!(
        !html.contains("style="),
        "no inline styles: the colour scale is classes"
    );
}

#[test]
fn coverage_cells_link_to_the_matching_group_of_the_term_page() {
    let (_guard, out) = build();
    let html = read(&out, "enablers/coverage/index.html");
    let cell_links: Vec<String> = link_values(&html)
        .into_iter()
        .filter(|h| h.contains("#type-"))
        .collect();
    let (_, _, cells) = coverage_cells(&html);
    let non_zero = cells.values().filter(|v| !v.contains("gap")).count();
    assert_eq!(cell_links.len(), non_zero, "every non-empty cell links, no gap does");
    for href in cell_links {
        let (target, fragment) = resolve("enablers/coverage/index.html", &href).unwrap();
        let (slug, kind) = (
            target.split('/').nth(1).unwrap().to_string(),
            fragment.unwrap().trim_start_matches("type-").to_string(),
        );
        assert!(
            !cells[&(slug.clone(), kind.clone())].contains("gap"),
            "{href} is the link of cell {slug} × {kind}"
        );
    }
}

/// The ranking rule, restated from the issue: shared enablers, then shared settings and
/// audiences, then newest, then url; never itself, never with nothing shared; at most five.
fn expected_related(me: &Meta, all: &[Meta]) -> Vec<String> {
    let mut ranked: Vec<(usize, usize, &Meta)> = all
        .iter()
        .filter(|o| o.url != me.url)
        .map(|o| {
            let primary = me.shared(o, "enablers");
            let secondary = me.shared(o, "settings") + me.shared(o, "audiences");
            (primary, secondary, o)
        })
        .filter(|(p, s, _)| p + s > 0)
        .collect();
    ranked.sort_by(|a, b| {
        (b.0, b.1)
            .cmp(&(a.0, a.1))
            .then_with(|| b.2.date.cmp(&a.2.date))
            .then_with(|| a.2.url.cmp(&b.2.url))
    });
    ranked.into_iter().take(5).map(|(_, _, o)| o.page.clone()).collect()
}

#[test]
fn related_resources_follow_the_ranking_rule_and_never_list_the_page_itself() {
    let (_guard, out) = build();
    let all = published();
    let pages: BTreeSet<String> = all.iter().map(|r| r.page.clone()).collect();
    let mut some_have_none = false;
    for me in &all {
        let html = read(&out, &me.page);
        let listed = section_with_id(&html, "related-heading")
            .map(|part| resource_links(&me.page, part, &pages))
            .unwrap_or_default();
        assert!(!listed.contains(&me.page), "{} lists itself", me.page);
        assert_eq!(listed, expected_related(me, &all), "related of {}", me.page);
        some_have_none |= listed.is_empty();
    }
    assert!(
        some_have_none,
        "the fixture has a resource sharing nothing (no related section)"
    );
}

#[test]
fn related_resources_are_the_same_on_every_build() {
    let (_a, first) = build();
    let (_b, second) = build();
    for me in published() {
        assert_eq!(read(&first, &me.page), read(&second, &me.page), "{}", me.page);
    }
}

fn check_json(root: &Path) -> (Option<i32>, Vec<serde_json::Value>) {
    let result = casebook(&["check", "--root", root.to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&result.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&result.stdout)));
    (result.status.code(), json["diagnostics"].as_array().unwrap().clone())
}

#[test]
fn an_undefined_term_is_an_error_at_its_line_with_the_closest_slug_suggested() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(Path::new(FIXTURE), dir.path());
    let text = "---\ntitle: \"Typo\"\ntype: toolkit\nsummary: \"x\"\nenablers: [trust, purpse]\n---\n\nBody.\n";
    std::fs::write(dir.path().join("content/toolkits/typo.md"), text).unwrap();
    let (code, diagnostics) = check_json(dir.path());
    assert_eq!(code, Some(1), "content errors exit with status 1");
    let d = diagnostics
        .iter()
        .find(|d| d["code"] == "unknown-term")
        .expect("an unknown-term diagnostic");
    let line = text.lines().position(|l| l.contains("purpse")).unwrap() + 1;
    let column = text.lines().nth(line - 1).unwrap().find("purpse").unwrap() + 1;
    assert_eq!(d["file"], "content/toolkits/typo.md");
    assert_eq!(d["severity"], "error");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(line as u64), Some(column as u64))
    );
    assert!(d["help"].as_str().unwrap().contains("`purpose`"), "{d}");
}

#[test]
fn a_defined_term_no_published_resource_carries_is_a_warning_at_its_slug() {
    let (code, diagnostics) = check_json(Path::new(FIXTURE));
    assert_eq!(code, Some(0), "warnings alone do not fail a check");
    let text = std::fs::read_to_string(Path::new(FIXTURE).join("casebook.yaml")).unwrap();
    let all = published();
    let mut expected = BTreeSet::new();
    for (key, slugs) in taxonomies() {
        for slug in slugs.into_iter().filter(|s| !all.iter().any(|r| r.has(&key, s))) {
            let line = text.lines().position(|l| l.contains(&format!("slug: {slug}"))).unwrap();
            let column = text.lines().nth(line).unwrap().find(&format!("slug: {slug}")).unwrap() + 7;
            expected.insert((slug, line as u64 + 1, column as u64));
        }
    }
    assert!(
        expected.iter().any(|(s, _, _)| s == "draft-only"),
        "a term only a draft carries counts as unused"
    );
    let reported: BTreeSet<(String, u64, u64)> = diagnostics
        .iter()
        .filter(|d| d["code"] == "unused-term")
        .inspect(|d| {
            assert_eq!(
                (d["severity"].as_str(), d["file"].as_str()),
                (Some("warning"), Some("casebook.yaml"))
            );
        })
        .map(|d| {
            let slug = d["message"].as_str().unwrap().split('`').nth(1).unwrap().to_string();
            (slug, d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap())
        })
        .collect();
    assert_eq!(reported, expected);
}

#[test]
fn taxonomies_are_data_names_and_descriptions_come_from_the_config() {
    let (_guard, out) = build();
    let config = config();
    for (key, taxonomy) in &config.taxonomies {
        let index = read(&out, &format!("{key}/index.html"));
        assert!(index.contains(&taxonomy.name), "{key}/ names its taxonomy");
        for term in &taxonomy.terms {
            let slug = &term.slug;
            let page = read(&out, &format!("{key}/{slug}/index.html"));
            assert!(page.contains(&term.name), "{key}/{slug}/ names its term");
            let description = &term.description;
            if !description.is_empty() {
                assert!(index.contains(description), "{key}/ shows the description of {slug}");
                assert!(page.contains(description), "{key}/{slug}/ shows its description");
            }
        }
    }
    let home = read(&out, "index.html");
    assert!(
        home.contains("Ways of working"),
        "the home page shows the headline taxonomy"
    );
    let links_to_coverage = |page: &str| {
        link_values(&read(&out, page))
            .iter()
            .any(|h| resolve(page, h).is_some_and(|(t, _)| t == "enablers/coverage/index.html"))
    };
    assert!(links_to_coverage("index.html"), "the home page links the coverage page");
    assert!(
        links_to_coverage("enablers/index.html"),
        "the enablers page links the coverage page"
    );
}

#[test]
fn every_relative_link_and_anchor_in_the_output_resolves() {
    let (_guard, out) = build();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        let page = entry
            .path()
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !page.ends_with(".html") || page == "404.html" {
            continue; // 404.html links from the server root, wherever it is shown
        }
        let html = read(&out, &page);
        for href in link_values(&html) {
            let Some((target, fragment)) = resolve(&page, &href) else {
                continue;
            };
            let target = if target.is_empty() { page.clone() } else { target };
            assert!(out.join(&target).is_file(), "{page}: {href} -> {target} is missing");
            if let Some(id) = fragment.filter(|_| target.ends_with(".html")) {
                assert!(
                    read(&out, &target).contains(&format!("id=\"{id}\"")),
                    "{page}: {href}: no #{id}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn an_enabler_slugged_coverage_is_an_error_since_the_coverage_page_owns_that_url() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(Path::new(FIXTURE), dir.path());
    let config = dir.path().join("casebook.yaml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("slug: voice", "slug: coverage");
    std::fs::write(&config, &text).unwrap();
    let (code, diagnostics) = check_json(dir.path());
    assert_eq!(code, Some(1));
    let line = text.lines().position(|l| l.contains("slug: coverage")).unwrap() as u64 + 1;
    assert!(
        diagnostics
            .iter()
            .any(|d| d["file"] == "casebook.yaml" && d["line"].as_u64() == Some(line) && d["severity"] == "error"),
        "{diagnostics:?}"
    );
}

/// A site whose taxonomies are `places` then `themes`: `headline: themes` and
/// `related.weigh: [places, themes]`. `a` shares a theme with the newer `b` and a place with
/// the older `c`, so only the configured weighing puts `c` first.
fn themed_site(extra_config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = format!(
        "title: Themed\ntaxonomies:\n  places:\n    name: Places\n    terms: [{{ slug: north, name: North }}]\n  themes:\n    name: Themes\n    terms: [{{ slug: care, name: Care }}]\n{extra_config}"
    );
    std::fs::write(dir.path().join("casebook.yaml"), config).unwrap();
    let blog = dir.path().join("content/blog");
    std::fs::create_dir_all(&blog).unwrap();
    for (slug, title, date, terms) in [
        ("a", "Alpha", "2024-01-01", "themes: [care]\nplaces: [north]"),
        ("b", "Bravo", "2024-03-01", "themes: [care]"),
        ("c", "Charlie", "2024-02-01", "places: [north]"),
    ] {
        let text = format!("---\ntitle: {title}\ndate: {date}\nsummary: x\n{terms}\n---\n\nBody.\n");
        std::fs::write(blog.join(format!("{slug}.md")), text).unwrap();
    }
    dir
}

/// The titles listed under "Related resources" of `page`, in order.
fn related_titles(out: &Path, page: &str) -> Vec<String> {
    let html = read(out, page);
    let part = section_with_id(&html, "related-heading").unwrap_or_default();
    let mut titles: Vec<(usize, String)> = ["Alpha", "Bravo", "Charlie"]
        .iter()
        .filter_map(|t| part.find(&format!(">{t}</a>")).map(|at| (at, t.to_string())))
        .collect();
    titles.sort();
    titles.into_iter().map(|(_, t)| t).collect()
}

fn build_site(root: &Path) -> PathBuf {
    let out = root.join("public");
    let result = casebook(&[
        "build",
        "--quiet",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    out
}

#[test]
fn a_site_with_a_themes_headline_builds_and_ranks_related_by_related_weigh() {
    let site = themed_site("headline: themes\nrelated:\n  weigh: [places, themes]\n");
    let out = build_site(site.path());
    assert!(
        out.join("themes/coverage/index.html").is_file(),
        "coverage follows `headline`"
    );
    assert!(!out.join("places/coverage").exists(), "not the first taxonomy's");
    assert!(
        read(&out, "index.html").contains("themes/coverage/"),
        "the home page leads with themes"
    );
    assert_eq!(
        related_titles(&out, "blog/a/index.html"),
        ["Charlie", "Bravo"],
        "places weigh most"
    );

    let default = themed_site("headline: themes\n");
    let out = build_site(default.path());
    assert_eq!(
        related_titles(&out, "blog/a/index.html"),
        ["Bravo"],
        "by default only the headline ranks on a site without settings or audiences"
    );
}

#[test]
fn an_undefined_weighed_taxonomy_is_a_located_config_error_with_the_closest_suggested() {
    let site = themed_site("related:\n  weigh: [theme]\n");
    let (code, diagnostics) = check_json(site.path());
    assert_eq!(code, Some(1));
    let d = diagnostics
        .iter()
        .find(|d| d["code"] == "invalid-config")
        .expect("invalid-config");
    assert_eq!(
        (d["file"].as_str(), d["line"].as_u64(), d["column"].as_u64()),
        (Some("casebook.yaml"), Some(10), Some(11))
    );
    assert!(d["help"].as_str().unwrap().starts_with("did you mean `themes`?"), "{d}");
}

#[test]
fn the_sample_library_builds_byte_identically_with_its_defaults_written_out() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let explicit = tempfile::tempdir().unwrap();
    for folder in ["content", "themes"] {
        common::copy_tree(&root.join(folder), &explicit.path().join(folder));
    }
    let config = std::fs::read_to_string(root.join("casebook.yaml")).unwrap();
    let config = format!("{config}headline: enablers\nrelated:\n  weigh: [enablers, settings, audiences]\n");
    std::fs::write(explicit.path().join("casebook.yaml"), config).unwrap();
    let implicit = tempfile::tempdir().unwrap();
    let out = implicit.path().join("public");
    let result = casebook(&[
        "build",
        "--quiet",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    assert!(
        common::tree(&out) == common::tree(&build_site(explicit.path())),
        "writing the defaults out changes the sample site's output"
    );
}

#[test]
fn enabler_search_filters_and_hit_terms_follow_the_configured_headline_taxonomy() {
    let site = themed_site("headline: themes\n");
    let out = build_site(site.path());
    let search = |extra: &[&str]| {
        let mut args = vec!["search", "body", "--json", "--index", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        let result = casebook(&args);
        assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
        let json: serde_json::Value = serde_json::from_slice(&result.stdout).unwrap();
        let mut urls: Vec<String> = json["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| format!("{} {}", h["url"].as_str().unwrap(), h["enablers"]))
            .collect();
        urls.sort();
        urls
    };
    let by_headline = search(&["--enabler", "care"]);
    assert_eq!(
        by_headline,
        [r#"/blog/a/ ["care"]"#, r#"/blog/b/ ["care"]"#],
        "--enabler is the headline, themes"
    );
    assert_eq!(by_headline, search(&["--facet", "themes=care"]));
    assert_eq!(
        search(&["--facet", "places=north"]).len(),
        2,
        "--facet works for any taxonomy"
    );
}

#[test]
fn enabler_search_on_a_site_without_taxonomies_is_a_clear_error_not_an_empty_answer() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("casebook.yaml"), "title: Plain\n").unwrap();
    std::fs::create_dir_all(site.path().join("content/blog")).unwrap();
    let post = "---\ntitle: Post\ndate: 2024-01-01\nsummary: x\n---\n\nBody.\n";
    std::fs::write(site.path().join("content/blog/post.md"), post).unwrap();
    let out = build_site(site.path());
    let result = casebook(&["search", "body", "--enabler", "x", "--index", out.to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("no headline taxonomy") && stderr.contains("--facet"),
        "{stderr}"
    );
}
