//! What readers of a resource page get (issue #12): the resource itself near the title with
//! every download's format and size, footnotes linked both ways, a table of contents on long
//! pages, the reading time, "Cite this" and "Last updated", related resources as cards, and
//! task-list checkboxes named by their item; dark-mode coverage colours; print (absolute URLs
//! of internal links, the page address and dates). Built over the browser fixture
//! `tests/sites/theme/`, whose case study uses every markdown feature.

use crate::common;
use casebook::colour::Rgb;

use std::path::{Path, PathBuf};
use std::process::Command;

const HUB: &str = "case-studies/riverside-hub/index.html";
const AUDIT: &str = "toolkits/callback-audit/index.html";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/theme")
}

#[test]
fn downloads_show_their_format_and_size_near_the_title() {
    let output = common::built_in_memory(&fixture());
    let html = common::output_page(&output, HUB);
    let bytes = std::fs::metadata(fixture().join("content/case-studies/riverside-hub-rota.csv"))
        .unwrap()
        .len();
    let access = common::between(&html, r#"<section class="access""#, "</section>");
    assert!(
        access.contains(&format!(
            r#"<a href="../riverside-hub-rota.csv" download>Hub rota template</a> <span class="file-meta">(CSV, {bytes} bytes)</span>"#
        )),
        "{access}"
    );
    // The box comes before the body, right under the title and summary.
    assert!(html.find(r#"class="access""#) < html.find(r#"class="prose""#));
    let audit = common::output_page(&output, AUDIT);
    let access = common::between(&audit, r#"<section class="access""#, "</section>");
    assert!(
        access.contains(r#"href="https://academy.example.org/toolkits/callback-audit.pdf""#),
        "{access}"
    );
}

#[test]
fn footnotes_are_numbered_links_with_a_way_back() {
    let html = common::output_page(&common::built_in_memory(&fixture()), HUB);
    assert!(
        html.contains(
            r##"<sup class="fn-ref"><a href="#fn-1" id="fnref-1" aria-describedby="footnote-label">1</a></sup>"##
        ),
        "{html}"
    );
    assert!(html.contains(r##"<a href="#fn-2" id="fnref-2""##));
    let notes = common::between(&html, r#"<div class="footnotes">"#, "</div>");
    assert!(
        notes.contains(r#"<h2 id="footnote-label" class="footnotes-title">Notes</h2>"#),
        "{notes}"
    );
    for n in 1..=2 {
        assert!(notes.contains(&format!(r#"<li id="fn-{n}">"#)), "{notes}");
        assert!(
            notes.contains(&format!(
                r##"<a href="#fnref-{n}" class="fn-back" aria-label="Back to reference {n}">"##
            )),
            "{notes}"
        );
    }
}

#[test]
fn a_table_of_contents_only_on_pages_with_three_headings() {
    let output = common::built_in_memory(&fixture());
    let toc = common::between(&common::output_page(&output, HUB), r#"<nav class="toc""#, "</nav>").to_string();
    for id in [
        "what-happened",
        "before-the-first-week",
        "what-the-academy-would-do-again",
    ] {
        assert!(toc.contains(&format!(r##"<a href="#{id}">"##)), "{toc}");
    }
    assert!(!common::output_page(&output, AUDIT).contains(r#"class="toc""#));
}

#[test]
fn reading_time_and_last_updated_show_under_the_title() {
    let html = common::output_page(&common::built_in_memory(&fixture()), HUB);
    let header = common::between(&html, r#"<header class="resource-header">"#, "</header>");
    assert!(
        header.contains(r#"<span class="reading-time">1 min read</span>"#),
        "{header}"
    );
    assert!(
        header.contains(r#"Last updated <time datetime="2024-09-01">1 September 2024</time>"#),
        "{header}"
    );
}

#[test]
fn cite_this_is_apa_style_with_the_doi_and_copyable_without_javascript() {
    let html = common::output_page(&common::built_in_memory(&fixture()), HUB);
    let cite = common::between(&html, r#"<section class="cite""#, "</section>");
    assert!(
        cite.contains(r#"<p class="citation" id="citation">R. Okafor &amp; J. Lee (2024). <i>A shared hub for Riverside practices</i>. Riverside PCN. https://doi.org/10.5555/riverside.2024.01</p>"#),
        "{cite}"
    );
    // The button is hidden until the script shows it: without JavaScript the text stays.
    assert!(
        cite.contains(r#"data-copy="citation""#) && cite.contains(r#" hidden>Copy citation</button>"#),
        "{cite}"
    );
    assert!(html.contains(r#"<script src="../../js/cite.js" defer></script>"#));
    assert!(html.contains(r#"<dt>DOI</dt><dd><a href="https://doi.org/10.5555/riverside.2024.01">"#));
}

#[test]
fn related_resources_are_cards() {
    let html = common::output_page(&common::built_in_memory(&fixture()), HUB);
    let related = common::between(&html, r#"<section class="related""#, "</section>");
    assert!(related.contains(r#"<ul class="cards">"#), "{related}");
    assert!(
        related.contains(r#"<h3 class="card-title"><a href="../../toolkits/callback-audit/index.html""#),
        "{related}"
    );
}

#[test]
fn task_list_checkboxes_are_named_by_their_item() {
    let html = common::output_page(&common::built_in_memory(&fixture()), HUB);
    assert!(
        html.contains(r#"<input disabled="" type="checkbox" checked="" aria-label="agree who books patients">"#),
        "{html}"
    );
    assert!(html.contains(r#"<input disabled="" type="checkbox" aria-label="publish the shared rota">"#));
    // The footnote reference in the item is not part of its name.
    assert!(html.contains(r#"aria-label="tell patients about the new number">"#));
}

#[test]
fn a_malformed_doi_is_an_error_at_its_value() {
    let site = crate::common::copy_fixture("tests/sites/theme");
    let file = site.path().join("content/toolkits/callback-audit.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("enablers:", "doi: \"doi.org/nothing\"\nenablers:", 1),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["check", "--format", "json"])
        .current_dir(site.path())
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    let json: serde_json::Value = serde_json::from_str(&report).unwrap();
    let problem = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"].as_str().unwrap_or("").contains("is not a DOI"))
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(problem["file"], "content/toolkits/callback-audit.md");
    assert_eq!(
        (problem["line"].as_u64(), problem["column"].as_u64()),
        (Some(4), Some(6)),
        "{problem}"
    );
    assert!(problem["help"].as_str().unwrap().contains("10."), "{problem}");
}

/// The `background` and `color` of `.cov-0` to `.cov-4` in the dark-mode block of site.css
/// (a rule may name several steps: `.cov-1, .cov-2 { … }`).
fn dark_coverage_steps() -> Vec<(Rgb, Rgb)> {
    let css = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/css/site.css"))
        .unwrap();
    let dark = css
        .split("@media (prefers-color-scheme: dark) {")
        .find(|block| block.trim_start().starts_with(".cov-0"))
        .expect("a dark-mode block for the coverage steps");
    let rules: Vec<(&str, &str)> = dark
        .split('}')
        .take_while(|rule| rule.contains('{'))
        .filter_map(|rule| rule.split_once('{'))
        .collect();
    (0..=4)
        .map(|n| {
            let step = format!(".cov-{n}");
            let (_, rule) = rules
                .iter()
                .find(|(selectors, _)| selectors.split(',').any(|s| s.trim() == step))
                .unwrap_or_else(|| panic!("no dark rule for {step}"));
            let value = |name: &str| {
                Rgb::parse(common::between(rule, &format!("{name}: "), ";").trim_start_matches(&format!("{name}: ")))
                    .unwrap()
            };
            (value("background"), value("color"))
        })
        .collect()
}

#[test]
fn dark_coverage_steps_are_apart_and_their_numbers_readable() {
    let steps = dark_coverage_steps();
    for (n, (background, text)) in steps.iter().enumerate() {
        assert!(
            text.contrast(*background) >= 4.5,
            "cov-{n}: number at {:.2}:1",
            text.contrast(*background)
        );
    }
    // Steps may share a shade (five shades 3:1 apart would need 81:1, black to white is 21:1);
    // each shade is 3:1 or more from the next, growing lighter from "few" to "most" so that
    // full cells stand out on the dark page instead of reading as empty.
    let mut shades: Vec<(usize, Rgb)> = Vec::new();
    for (n, (background, _)) in steps.iter().enumerate() {
        if shades.last().is_none_or(|(_, last)| last.contrast(*background) > 1.0) {
            shades.push((n, *background));
        }
    }
    assert!(shades.len() >= 3, "gap, few and most at least: {shades:?}");
    for pair in shades.windows(2) {
        let ((a, low), (b, high)) = (pair[0], pair[1]);
        assert!(
            low.contrast(high) >= 3.0,
            "cov-{a} to cov-{b}: {:.2}:1",
            low.contrast(high)
        );
        if a >= 1 {
            assert!(high.luminance() > low.luminance(), "cov-{b} is lighter than cov-{a}");
        }
    }
}

#[test]
fn internal_links_carry_their_path_for_print_and_the_theme_sets_the_site_url() {
    let output = common::built_in_memory(&fixture());
    let html = common::output_page(&output, HUB);
    assert!(
        html.contains(
            r#"<a href="../../toolkits/callback-audit/index.html" data-path="toolkits/callback-audit/">toolkit</a>"#
        ),
        "{html}"
    );
    // Cards (here: related resources) too, so a printed list says where each resource is.
    assert!(html.contains(r#"<a href="../../toolkits/callback-audit/index.html" data-path="toolkits/callback-audit/">Callback audit toolkit</a>"#));
    let theme = common::output_page(&output, "css/theme.css");
    assert!(
        theme.contains(r#":root { --site-url: "https://academy.example.org/"; }"#),
        "{theme}"
    );
    let css = common::output_page(&output, "css/site.css");
    assert!(css.contains(r#"main a[data-path]::after { content: " (" var(--site-url, "") attr(data-path) ")";"#));
}

#[test]
fn the_printed_footer_names_the_page_and_its_dates() {
    let html = common::output_page(&common::built_in_memory(&fixture()), HUB);
    assert!(
        html.contains(r#"<p class="print-only">https://academy.example.org/case-studies/riverside-hub/ · Published 12 March 2024 · Last updated 1 September 2024</p>"#),
        "{html}"
    );
    let home = common::output_page(&common::built_in_memory(&fixture()), "index.html");
    assert!(home.contains(r#"<p class="print-only">https://academy.example.org/</p>"#));
}

/// The JSON-LD of a built page, parsed.
fn json_ld(html: &str) -> serde_json::Value {
    let script = common::between(html, r#"<script type="application/ld+json">"#, "</script>");
    let json = script.trim_start_matches(r#"<script type="application/ld+json">"#);
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

#[test]
fn pages_carry_open_graph_and_twitter_card_tags_with_the_logo_as_image() {
    let output = common::built_in_memory(&fixture());
    let html = common::output_page(&output, HUB);
    for tag in [
        r#"<meta property="og:title" content="A shared hub for Riverside practices">"#,
        r#"<meta property="og:description" content="Four practices pooled reception and prescribing teams around one phone line.">"#,
        r#"<meta property="og:url" content="https://academy.example.org/case-studies/riverside-hub/">"#,
        r#"<meta property="og:type" content="article">"#,
        r#"<meta property="og:image" content="https://academy.example.org/images/logo.svg">"#,
        r#"<meta name="twitter:card" content="summary">"#,
        r#"<meta property="article:modified_time" content="2024-09-01">"#,
    ] {
        assert!(html.contains(tag), "{tag} in\n{html}");
    }
    assert!(common::output_page(&output, "index.html").contains(r#"<meta property="og:type" content="website">"#));
}

#[test]
fn a_resource_image_is_its_hero_and_its_shared_picture() {
    let site = crate::common::copy_fixture("tests/sites/theme");
    let file = site.path().join("content/toolkits/callback-audit.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let fields = "image: /images/logo.svg\nimage_alt: \"The audit sheet\"\nimage_caption: \"Week one\"\nenablers:";
    std::fs::write(&file, text.replacen("enablers:", fields, 1)).unwrap();
    let html = common::output_page(&common::built_in_memory(site.path()), AUDIT);
    assert!(html.contains(r#"<meta property="og:image" content="https://academy.example.org/images/logo.svg">"#));
    assert!(html.contains(r#"<meta property="og:image:alt" content="The audit sheet">"#));
    assert!(html.contains(r#"<meta name="twitter:card" content="summary_large_image">"#));
    let figure = common::between(&html, r#"<figure class="resource-image">"#, "</figure>");
    assert!(
        figure.contains(r#"<img src="../../images/logo.svg" alt="The audit sheet">"#),
        "{figure}"
    );
    assert!(figure.contains("<figcaption>Week one</figcaption>"), "{figure}");
}

#[test]
fn json_ld_describes_the_resource_by_its_type() {
    let output = common::built_in_memory(&fixture());
    let hub = json_ld(&common::output_page(&output, HUB));
    assert_eq!(hub["@context"], "https://schema.org");
    assert_eq!(hub["@type"], "Article");
    assert_eq!(hub["headline"], "A shared hub for Riverside practices");
    assert_eq!(hub["url"], "https://academy.example.org/case-studies/riverside-hub/");
    assert_eq!(hub["datePublished"], "2024-03-12");
    assert_eq!(hub["dateModified"], "2024-09-01");
    assert_eq!(
        hub["author"],
        serde_json::json!([{"@type": "Person", "name": "R. Okafor"}, {"@type": "Person", "name": "J. Lee"}])
    );
    assert_eq!(hub["publisher"]["@type"], "Organization");
    assert_eq!(
        hub["keywords"],
        serde_json::json!(["Shared purpose", "Learning culture"])
    );
    assert_eq!(hub["identifier"]["value"], "10.5555/riverside.2024.01");
    assert_eq!(hub["image"], "https://academy.example.org/images/logo.svg");
    let audit = json_ld(&common::output_page(&output, AUDIT));
    assert_eq!(audit["@type"], "Article");
    assert!(audit.get("author").is_none(), "no author is made up: {audit}");
}

#[test]
fn the_schema_type_of_a_type_is_configurable_and_json_ld_cannot_end_its_script() {
    let site = crate::common::copy_fixture("tests/sites/theme");
    let config = site.path().join("casebook.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    let types = "types:\n  toolkit: { name: Toolkit, plural: Toolkits, section: toolkits, schema_type: HowTo }\n";
    std::fs::write(&config, format!("{text}{types}")).unwrap();
    let file = site.path().join("content/toolkits/callback-audit.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("Callback audit toolkit", "Audit </script><script>alert(1)</script>", 1),
    )
    .unwrap();
    let output = common::built_in_memory(site.path());
    let html = common::output_page(&output, AUDIT);
    let audit = json_ld(&html);
    assert_eq!(audit["@type"], "HowTo");
    assert_eq!(audit["headline"], "Audit </script><script>alert(1)</script>");
    assert!(!html.contains("<script>alert(1)"), "{html}");
    // The built-in defaults: research is ScholarlyArticle, a report a Report.
    let config = casebook::config::Config::parse("title: T\n", "casebook.yaml").unwrap();
    assert_eq!(
        ["research", "report", "blog", "case-study"].map(|k| config.schema_type(k)),
        ["ScholarlyArticle", "Report", "BlogPosting", "Article"]
    );
}

#[test]
fn a_schema_type_that_is_not_a_type_name_is_a_config_error_at_its_value() {
    let text = "title: T\ntypes:\n  toolkit: { name: Toolkit, plural: Toolkits, schema_type: \"how to\" }\n";
    let problems = casebook::config::Config::parse(text, "casebook.yaml").unwrap_err();
    let column = text.lines().nth(2).unwrap().find("\"how to\"").unwrap() + 1;
    let d = problems
        .sorted()
        .into_iter()
        .find(|d| d.message.contains("schema.org"))
        .unwrap_or_else(|| panic!("{problems:?}"));
    assert_eq!((d.line, d.column), (3, column), "{d:?}");
}

#[test]
fn every_term_has_an_atom_feed_linked_from_its_page() {
    let output = common::built_in_memory(&fixture());
    let feed = common::output_page(&output, "enablers/shared-purpose/atom.xml");
    assert!(
        feed.contains("<title>Riverside Primary Care Leadership Academy: Shared purpose</title>"),
        "{feed}"
    );
    assert!(feed.contains(r#"<link href="https://academy.example.org/enablers/shared-purpose/atom.xml" rel="self" type="application/atom+xml"/>"#), "{feed}");
    assert!(
        feed.contains("<id>https://academy.example.org/enablers/shared-purpose/</id>"),
        "{feed}"
    );
    assert!(
        feed.contains("<link href=\"https://academy.example.org/case-studies/riverside-hub/\"/>"),
        "{feed}"
    );
    // Only the term's resources: the toolkit carries learning-culture alone.
    assert!(!feed.contains("callback-audit"), "{feed}");
    assert!(common::output_page(&output, "enablers/learning-culture/atom.xml").contains("toolkits/callback-audit/"));
    let term = common::output_page(&output, "enablers/shared-purpose/index.html");
    assert!(term.contains(r#"<link rel="alternate" type="application/atom+xml" title="Riverside Primary Care Leadership Academy: Shared purpose" href="../../enablers/shared-purpose/atom.xml">"#), "{term}");
}
