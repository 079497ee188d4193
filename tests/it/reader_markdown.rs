//! Reader pages, issue #12 item 7: GitHub call-outs and the glossary (its page, the
//! abbreviations marked up at their first use, its checks, and `serve` picking up an edit),
//! over `tests/sites/valid/reader-markdown`.

use crate::common;

use casebook::incremental::{ChangeKind, SiteCache};
use casebook::BuildOptions;
use std::fs;
use std::path::Path;

const FIXTURE: &str = "tests/sites/valid/reader-markdown";

/// The `<main>` element of `html`.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a main element");
    &html[start..html.find("</main>").expect("its end")]
}

/// Every problem `casebook check` finds in `root`, sorted.
fn check(root: &Path) -> Vec<casebook::Diagnostic> {
    match casebook::check(root, &BuildOptions::default()) {
        Ok(problems) | Err(casebook::Failure::Content(problems)) => problems.sorted(),
        Err(casebook::Failure::Usage(e)) => panic!("check failed: {e:#}"),
    }
}

fn fixture() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/sites/valid/reader-markdown"
    ))
}

#[test]
fn every_call_out_kind_is_a_titled_note_and_a_plain_quote_stays_a_quote() {
    let html = common::output_page(&common::built_in_memory(fixture()), "toolkits/call-outs/index.html");
    for (kind, title) in [
        ("note", "Note"),
        ("tip", "Tip"),
        ("important", "Important"),
        ("warning", "Warning"),
        ("caution", "Caution"),
    ] {
        let opening = format!(
            "<div class=\"callout callout-{kind}\" role=\"note\">\n<p class=\"callout-title\">{title}</p>\n<p>"
        );
        assert!(html.contains(&opening), "{kind}: {}", main_of(&html));
    }
    assert!(html.contains("<blockquote>\n<p>A plain quotation stays a quotation.</p>\n</blockquote>"));
    assert!(!html.contains("[!"), "no alert marker is left as text");
}

#[test]
fn the_first_use_of_each_abbreviation_in_body_text_is_marked_on_every_page() {
    let output = common::built_in_memory(fixture());
    let html = common::output_page(&output, "toolkits/call-outs/index.html");
    let main = main_of(&html);
    assert!(
        main.contains("<h2 id=\"the-pcn-and-its-huddle\">The PCN and its huddle</h2>"),
        "{main}"
    );
    assert!(main.contains("<a href=\"https://example.org/pcn\">PCN</a> link, <code>PCN</code> in code, PCNs and pcn"));
    assert!(main.contains(
        "Our <abbr title=\"primary care network\">PCN</abbr> works with the <abbr title=\"integrated care system\">ICS</abbr>; the PCN meets weekly, and <abbr title=\"accident and emergency\">A&amp;E</abbr> joins."
    ), "{main}");
    assert_eq!(main.matches("<abbr").count(), 3, "once each, and no plain term: {main}");
    let second = common::output_page(&output, "toolkits/second-page/index.html");
    assert!(second.contains("The <abbr title=\"primary care network\">PCN</abbr> again"));
}

#[test]
fn the_glossary_page_lists_every_term_alphabetically_with_anchors_and_is_linked_and_in_the_sitemap() {
    let output = common::built_in_memory(fixture());
    let glossary = common::output_page(&output, "glossary/index.html");
    let ids: Vec<&str> = glossary
        .split("<dt id=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert_eq!(ids, ["a-e", "huddle", "ics", "pcn"]);
    assert!(glossary.contains(
        "<dt id=\"pcn\"><dfn>PCN</dfn> <span class=\"glossary-expansion\">(primary care network)</span></dt>\n  <dd>Neighbouring general practices that share staff and services.</dd>"
    ));
    assert!(glossary.contains("<a href=\"../glossary/index.html\" aria-current=\"page\">Glossary</a>"));
    let resource = common::output_page(&output, "toolkits/call-outs/index.html");
    assert!(
        resource.contains("<a href=\"../../glossary/index.html\">Glossary</a>"),
        "{resource}"
    );
    assert!(common::output_page(&output, "sitemap.xml").contains("<loc>https://fixture.example.org/glossary/</loc>"));
}

#[test]
fn a_site_without_a_glossary_has_no_glossary_page_link_or_sitemap_entry() {
    let output = common::built_in_memory(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/sites/valid/basic"
    )));
    assert!(output.bytes("glossary/index.html").is_none());
    assert!(!common::output_page(&output, "index.html").contains("glossary/"));
    assert!(!common::output_page(&output, "sitemap.xml").contains("glossary/"));
}

#[test]
fn call_out_text_is_searched_like_body_text_and_the_page_text_is_unchanged() {
    let site = common::build_with_binary(fixture());
    let found = common::search_json(site.path(), &["prescription query"]);
    let urls: Vec<&str> = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["url"].as_str().unwrap())
        .collect();
    assert_eq!(urls, ["/toolkits/call-outs/"], "{found}");
    let found = common::search_json(site.path(), &["\"our PCN works\""]);
    assert_eq!(
        found["hits"].as_array().unwrap().len(),
        1,
        "the words around an <abbr> still make a phrase: {found}"
    );
}

#[test]
fn a_glossary_edit_re_renders_every_page_in_serve_as_a_full_build_would() {
    let site = common::copy_fixture(FIXTURE);
    let (mut cache, first) = SiteCache::new(site.path(), &BuildOptions::default());
    assert!(common::rebuilt_page(&first, "toolkits/second-page/index.html").contains("primary care network"));
    let config = fs::read_to_string(site.path().join("casebook.yaml")).unwrap();
    let edited = config.replace("expansion: primary care network", "expansion: primary care networks");
    fs::write(site.path().join("casebook.yaml"), edited).unwrap();
    let rebuild = cache.update(&[ChangeKind::Config]);
    assert_eq!(
        rebuild.markdown_rendered, 2,
        "the markdown cache is keyed on the glossary"
    );
    let second = common::rebuilt_page(&rebuild, "toolkits/second-page/index.html");
    assert!(
        second.contains("<abbr title=\"primary care networks\">PCN</abbr>"),
        "{second}"
    );
    assert!(common::rebuilt_page(&rebuild, "glossary/index.html").contains("(primary care networks)"));
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn check_locates_an_empty_definition_and_a_term_defined_twice() {
    let site = common::copy_fixture(FIXTURE);
    let config = fs::read_to_string(site.path().join("casebook.yaml")).unwrap();
    let bad = config
        .replace(
            "definition: \"The hospital department for urgent care.\"",
            "definition: \"\"",
        )
        .replace("  huddle:\n", "  ICS:\n    definition: \"Again.\"\n  huddle:\n");
    fs::write(site.path().join("casebook.yaml"), bad).unwrap();
    let found: Vec<(usize, usize, String)> = check(site.path())
        .iter()
        .map(|d| (d.line, d.column, d.message.clone()))
        .collect();
    assert_eq!(found.len(), 1, "the YAML parser stops at the duplicate: {found:?}");
    assert_eq!((found[0].0, found[0].1), (16, 3), "{found:?}");
    assert!(found[0].2.contains("`ICS` is given twice"), "{found:?}");

    let empty = config.replace(
        "definition: \"The hospital department for urgent care.\"",
        "definition: \"\"",
    );
    fs::write(site.path().join("casebook.yaml"), empty).unwrap();
    let problems = check(site.path());
    let d = &problems[0];
    assert_eq!((d.file.as_str(), d.line, d.column), ("casebook.yaml", 15, 17));
    assert!(d.message.contains("`A&E` has an empty definition"), "{}", d.message);
    assert!(d.help.is_some());
}

#[test]
fn a_content_page_at_glossary_collides_with_the_glossary_page() {
    let site = common::copy_fixture(FIXTURE);
    let page = "---\ntitle: Glossary\ntype: toolkit\nslug: glossary\n---\nMine.\n";
    fs::create_dir_all(site.path().join("content/glossary")).unwrap();
    fs::write(
        site.path().join("content/glossary/_index.md"),
        "---\ntitle: Words\n---\n",
    )
    .unwrap();
    fs::write(site.path().join("content/glossary/words.md"), page).unwrap();
    let problems = check(site.path());
    let collision = problems
        .iter()
        .find(|d| d.code.to_string() == "output-collision")
        .unwrap_or_else(|| panic!("{problems:?}"));
    assert!(collision.message.contains("the glossary page"), "{}", collision.message);
}
