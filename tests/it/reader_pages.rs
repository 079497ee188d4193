//! The reader pages of issue #12 around the resources: the phone menu's button (in the markup,
//! hidden until js/site.js runs), a home page whose one H1 is not the header's title, with its
//! own search box and the audience entry points (`home.audiences`), term counts that are not
//! part of links, the contribute box (`contribute:`) on the pages of its types and its located
//! config errors, and a 404 page with a search box and every section — from `build` and from
//! `serve`. Built over the fixture `tests/sites/reader/`.

use crate::common;
use crate::serving::Serve;
use casebook::diagnostics::Code;
use casebook::{BuildOptions, Diagnostic};
use std::fs;
use std::path::{Path, PathBuf};

const CASE: &str = "case-studies/shared-pharmacy-rota/index.html";
const TOOLKIT: &str = "toolkits/huddle-kit/index.html";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/reader")
}

/// The fixture with `edit` applied to its casebook.yaml, checked: its problems.
fn check_with(edit: impl Fn(&str) -> String) -> Vec<Diagnostic> {
    let site = common::copy_fixture("tests/sites/reader");
    let config = site.path().join("casebook.yaml");
    fs::write(&config, edit(&fs::read_to_string(&config).unwrap())).unwrap();
    match casebook::check(site.path(), &BuildOptions::default()) {
        Ok(problems) => problems.sorted(),
        Err(casebook::Failure::Content(problems)) => problems.sorted(),
        Err(other) => panic!("{other:?}"),
    }
}

#[test]
fn every_page_has_a_menu_button_hidden_until_the_script_reveals_it() {
    let output = common::built_in_memory(&fixture());
    for path in [
        "index.html",
        CASE,
        "case-studies/index.html",
        "audiences/index.html",
        "404.html",
    ] {
        let html = common::output_page(&output, path);
        let nav = common::between(&html, "<nav class=\"site-nav\"", "</nav>");
        let button = common::between(nav, "<button", ">");
        assert!(button.contains("type=\"button\""), "{path}: {button}");
        assert!(button.contains("aria-expanded=\"false\""), "{path}: {button}");
        assert!(
            button.contains(" hidden"),
            "{path}: no dead button without JavaScript: {button}"
        );
        assert!(button.contains("aria-controls=\"site-nav-list\""), "{path}: {button}");
        let list = common::between(nav, "<ul", "</ul>");
        assert!(
            list.starts_with("<ul class=\"wrap\" id=\"site-nav-list\">"),
            "{path}: {list}"
        );
        assert_eq!(
            list.matches("<li>").count(),
            5,
            "{path}: 2 sections, 2 taxonomies, search"
        );
    }
    let script = common::output_page(&output, "js/site.js");
    assert!(
        script.contains("button.hidden = false") && script.contains("'Escape'"),
        "{script}"
    );
}

#[test]
fn the_home_page_has_one_h1_that_is_not_the_header_title_and_its_own_search_box() {
    let output = common::built_in_memory(&fixture());
    let html = common::output_page(&output, "index.html");
    assert_eq!(html.matches("<h1").count(), 1);
    assert!(html.contains("<h1>Learn from teams who lead across boundaries</h1>"));
    let main = common::between(&html, "<main", "</main>");
    assert!(
        !main.contains("Harbour Leadership Library"),
        "the header's title is not repeated: {main}"
    );
    assert_eq!(html.matches("role=\"search\"").count(), 1, "the header's box gives way");
    let form = common::between(&html, "<form class=\"search-box\"", "</form>");
    assert!(form.contains("action=\"search/index.html\" method=\"get\""), "{form}");
    assert!(
        form.contains("<label for=\"site-search-q\">") && form.contains("name=\"q\""),
        "{form}"
    );
    // Every other page keeps the header's box.
    assert!(common::output_page(&output, CASE).contains("<form class=\"site-search\" role=\"search\""));
}

#[test]
fn the_home_heading_falls_back_to_the_description_without_home_heading() {
    let site = common::copy_fixture("tests/sites/reader");
    let config = site.path().join("casebook.yaml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(
        &config,
        text.replace("  heading: \"Learn from teams who lead across boundaries\"\n", ""),
    )
    .unwrap();
    let html = common::output_page(&common::built_in_memory(site.path()), "index.html");
    assert!(html.contains("<h1>Stories and tools from teams who lead across organisational boundaries.</h1>"));
    assert!(
        !html.contains("<p class=\"lead\">"),
        "the description is not repeated under it"
    );
}

#[test]
fn audience_entry_points_show_every_term_with_its_description_and_count() {
    let output = common::built_in_memory(&fixture());
    let html = common::output_page(&output, "index.html");
    let section = common::between(&html, "<section aria-labelledby=\"home-audiences\">", "</section>");
    let entries: Vec<&str> = section.split("<li class=\"entry\">").skip(1).collect();
    let expected = [
        ("audiences/pharmacists/index.html", "Pharmacists", "2 resources"),
        ("audiences/practice-teams/index.html", "Practice teams", "2 resources"),
        ("audiences/new-leaders/index.html", "New leaders", "1 resource<"),
    ];
    assert_eq!(entries.len(), expected.len(), "{section}");
    for (entry, (href, name, count)) in entries.iter().zip(expected) {
        assert!(entry.starts_with(&format!("<a href=\"{href}\">{name}</a>")), "{entry}");
        assert!(output.bytes(href).is_some(), "{href} is a page");
        assert!(entry.contains("<p>You "), "the description: {entry}");
        let link = common::between(entry, "<a ", "</a>");
        assert!(!link.contains("resource"), "the count is not part of the link: {entry}");
        assert!(entry.contains(&format!("<p class=\"count\">{count}")), "{entry}");
    }
    // The entry points come before the latest resources.
    assert!(html.find("home-audiences") < html.find("home-latest"));
}

#[test]
fn a_site_without_home_audiences_shows_no_entry_points() {
    let output = common::built_in_memory(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/theme"));
    assert!(!common::output_page(&output, "index.html").contains("home-audiences"));
}

#[test]
fn home_term_counts_are_text_beside_their_links_not_inside_them() {
    let output = common::built_in_memory(&fixture());
    let html = common::output_page(&output, "index.html");
    let grid = common::between(&html, "<ul class=\"term-grid\">", "</ul>");
    assert_eq!(grid.matches("<li>").count(), 2, "{grid}");
    for item in grid.split("<li>").skip(1) {
        let link = common::between(item, "<a ", "</a>");
        assert!(!link.contains("count"), "{item}");
        assert!(item.contains("</a> <span class=\"count\">"), "{item}");
    }
}

#[test]
fn the_contribute_box_shows_on_the_pages_and_listing_of_its_types_only() {
    let output = common::built_in_memory(&fixture());
    let html = common::output_page(&output, CASE);
    let aside = common::between(&html, "<aside class=\"contribute\"", "</aside>");
    assert!(aside.contains(">Share your work</h2>"), "the theme's heading: {aside}");
    assert!(
        aside.contains("<p>Has your team changed something across a boundary?"),
        "{aside}"
    );
    assert!(
        aside.contains("<a href=\"../../files/case-study-template.txt\" data-path=\"files/case-study-template.txt\" download>Download the template</a> <span class=\"file-meta\">(TXT, 294 bytes)</span>"),
        "{aside}"
    );
    assert!(fixture().join("static/files/case-study-template.txt").is_file());
    assert!(
        aside.contains("Email <a href=\"mailto:stories@harbour.example.org\">stories@harbour.example.org</a>"),
        "{aside}"
    );
    let listing = common::output_page(&output, "case-studies/index.html");
    assert!(listing.contains("<aside class=\"contribute\""), "the type's listing");
    assert!(
        listing.contains("href=\"../files/case-study-template.txt\""),
        "relative to the listing"
    );
    for other in [
        TOOLKIT,
        "toolkits/index.html",
        "index.html",
        "audiences/pharmacists/index.html",
    ] {
        assert!(
            !common::output_page(&output, other).contains("class=\"contribute\""),
            "{other}"
        );
    }
}

#[test]
fn a_contribute_title_and_a_web_contact_are_shown_as_written() {
    let site = common::copy_fixture("tests/sites/reader");
    let config = site.path().join("casebook.yaml");
    let text = fs::read_to_string(&config).unwrap().replace(
        "  contact: \"mailto:stories@harbour.example.org\"\n",
        "  contact: \"https://harbour.example.org/contribute\"\n  title: Send us your story\n",
    );
    fs::write(&config, text).unwrap();
    let html = common::output_page(&common::built_in_memory(site.path()), CASE);
    let aside = common::between(&html, "<aside class=\"contribute\"", "</aside>");
    assert!(aside.contains(">Send us your story</h2>"), "{aside}");
    assert!(
        aside.contains("<a href=\"https://harbour.example.org/contribute\">Get in touch</a>"),
        "{aside}"
    );
}

#[test]
fn a_missing_contribute_template_is_a_located_missing_asset_error() {
    let found = check_with(|c| c.replace("files/case-study-template.txt", "files/case-study-templat.docx"));
    assert_eq!(found.len(), 1, "{found:?}");
    let d = &found[0];
    assert_eq!(
        (d.file.as_str(), d.line, d.column, d.code),
        ("casebook.yaml", 32, 13, Code::MissingAsset)
    );
    assert!(d.message.contains("`files/case-study-templat.docx`"), "{}", d.message);
    assert!(d.help.as_deref().unwrap().contains("static/"), "{d:?}");
}

#[test]
fn an_unknown_contribute_type_or_audience_taxonomy_is_located_with_the_closest() {
    let found = check_with(|c| {
        c.replace("types: [case-study]", "types: [case-studies]")
            .replace("audiences: audiences\n", "audiences: audience\n")
    });
    let summary: Vec<(usize, usize, Code, &str)> = found
        .iter()
        .map(|d| (d.line, d.column, d.code, d.help.as_deref().unwrap_or_default()))
        .collect();
    assert_eq!(summary.len(), 2, "{found:?}");
    assert_eq!(
        (summary[0].0, summary[0].1, summary[0].2),
        (28, 14, Code::InvalidConfig)
    );
    assert!(summary[0].3.starts_with("did you mean `audiences`?"), "{found:?}");
    assert_eq!(
        (summary[1].0, summary[1].1, summary[1].2),
        (30, 11, Code::InvalidConfig)
    );
    assert!(summary[1].3.starts_with("did you mean `case-study`?"), "{found:?}");
}

#[test]
fn the_404_page_has_a_search_box_and_every_section_and_taxonomy() {
    let output = common::built_in_memory(&fixture());
    let html = common::output_page(&output, "404.html");
    assert_eq!(html.matches("role=\"search\"").count(), 1);
    assert!(html.contains("<form class=\"search-box\" role=\"search\" action=\"/search/index.html\""));
    let browse = common::between(&html, "<nav aria-labelledby=\"not-found-sections\">", "</nav>");
    for href in [
        "/case-studies/index.html",
        "/toolkits/index.html",
        "/enablers/index.html",
        "/audiences/index.html",
    ] {
        assert!(browse.contains(&format!("<a href=\"{href}\">")), "{href} in {browse}");
        assert!(output.bytes(href.trim_start_matches('/')).is_some(), "{href} is a page");
    }
}

#[test]
fn serve_answers_a_missing_page_with_the_404_search_box_and_sections() {
    let site = common::copy_fixture("tests/sites/reader");
    let serve = Serve::start(site.path());
    let reply = serve.get("/no/such/page/");
    assert_eq!(reply.status, 404);
    assert!(reply.body.contains("action=\"/search/index.html\""), "{}", reply.body);
    assert!(
        reply.body.contains("<a href=\"/audiences/index.html\">"),
        "{}",
        reply.body
    );
    assert_eq!(
        serve.get("/search/index.html").status,
        200,
        "the form's target is served"
    );
}
