//! `serve` at scale (issue #15 item 5): a rebuild renders only the pages whose context
//! changed (`Rebuild::pages_rendered`), and its output is still byte for byte a full build's,
//! for every kind of edit.

use crate::common;

use casebook::incremental::{ChangeKind, SiteCache};
use casebook::BuildOptions;
use std::fs;
use std::path::Path;

const FIXTURE: &str = "tests/sites/valid/basic";
const BETA: &str = "content/toolkits/beta.md";

/// A copy of the fixture, its cache after the first build, and how many pages that rendered.
fn started() -> (tempfile::TempDir, SiteCache, usize) {
    let site = common::copy_fixture(FIXTURE);
    let (cache, first) = SiteCache::new(site.path(), &BuildOptions::default());
    assert!(first.output.is_some(), "{:?}", first.diagnostics);
    (site, cache, first.pages_rendered)
}

#[test]
fn the_first_build_renders_every_page() {
    let (_site, _, rendered) = started();
    assert!(rendered > 10, "{rendered}");
}

#[test]
fn a_save_that_changes_nothing_renders_no_page() {
    let (site, mut cache, _) = started();
    let rebuild = cache.update(&[common::content_change(&["toolkits/beta.md"])]);
    assert_eq!((rebuild.pages_rendered, rebuild.markdown_rendered), (0, 0));
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn a_body_edit_renders_only_the_resources_own_page() {
    let (site, mut cache, _) = started();
    common::edit_file(site.path(), BETA, |t| {
        t.replace("Agree who comes.", "Agree who **comes**.")
    });
    let rebuild = cache.update(&[common::content_change(&["toolkits/beta.md"])]);
    assert_eq!(
        rebuild.pages_rendered, 1,
        "its summary is given, so its card did not change"
    );
    assert!(common::rebuilt_page(&rebuild, "toolkits/beta/index.html").contains("<strong>comes</strong>"));
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn a_title_edit_renders_the_pages_that_show_its_card_and_no_others() {
    let (site, mut cache, all) = started();
    common::edit_file(site.path(), BETA, |t| t.replace("Beta toolkit", "Gamma toolkit"));
    let rebuild = cache.update(&[common::content_change(&["toolkits/beta.md"])]);
    assert!(
        rebuild.pages_rendered > 1 && rebuild.pages_rendered < all,
        "{} of {all}",
        rebuild.pages_rendered
    );
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn a_term_change_matches_a_full_build() {
    let (site, mut cache, all) = started();
    common::edit_file(site.path(), BETA, |t| {
        t.replace("[relationships-and-trust]", "[relationships-and-trust, shared-purpose]")
    });
    let rebuild = cache.update(&[common::content_change(&["toolkits/beta.md"])]);
    assert!(rebuild.pages_rendered > 1 && rebuild.pages_rendered < all);
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn a_new_file_and_a_deleted_file_match_a_full_build() {
    let (site, mut cache, _) = started();
    let gamma = "toolkits/gamma.md";
    common::edit_file(site.path(), &format!("content/{gamma}"), |_| {
        "---\ntitle: \"Gamma\"\nsummary: \"A third.\"\nenablers: [shared-purpose]\n---\nBody.\n".into()
    });
    let added = cache.update(&[common::content_change(&[gamma])]);
    assert!(added.output.as_ref().unwrap().contains("toolkits/gamma/index.html"));
    common::assert_same_as_full_build(&added, site.path());

    fs::remove_file(site.path().join("content").join(gamma)).unwrap();
    let removed = cache.update(&[common::content_change(&[gamma])]);
    assert!(!removed.output.as_ref().unwrap().contains("toolkits/gamma/index.html"));
    common::assert_same_as_full_build(&removed, site.path());
}

#[test]
fn a_template_change_renders_every_page_again() {
    let (site, mut cache, all) = started();
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/resource.html");
    let template = fs::read_to_string(theme).unwrap();
    common::edit_file(site.path(), "templates/resource.html", |_| {
        template.replacen("{% block content %}", "{% block content %}<!-- changed -->", 1)
    });
    let rebuild = cache.update(&[ChangeKind::Templates]);
    assert_eq!(
        rebuild.pages_rendered, all,
        "the template's text is not in a page's fingerprint"
    );
    assert!(common::rebuilt_page(&rebuild, "toolkits/beta/index.html").contains("<!-- changed -->"));
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn a_failed_rebuild_keeps_the_memo_of_the_last_good_one() {
    let (site, mut cache, _) = started();
    let good = fs::read_to_string(site.path().join(BETA)).unwrap();
    common::edit_file(site.path(), BETA, |t| t.replace("relationships-and-trust", "trsut"));
    assert!(cache
        .update(&[common::content_change(&["toolkits/beta.md"])])
        .output
        .is_none());
    fs::write(site.path().join(BETA), good).unwrap();
    let fixed = cache.update(&[common::content_change(&["toolkits/beta.md"])]);
    assert_eq!(
        fixed.pages_rendered, 0,
        "back to the last good build: every page reused"
    );
    common::assert_same_as_full_build(&fixed, site.path());
}

const FIRST_POST: &str = "content/blog/first-post.md";

#[test]
fn a_body_edit_builds_the_context_of_its_own_page_alone() {
    let (site, mut cache, _) = started();
    common::edit_file(site.path(), BETA, |t| t.replace("Meet.", "Meet twice."));
    let rebuild = cache.update(&[common::content_change(&["toolkits/beta.md"])]);
    assert_eq!((rebuild.contexts_built, rebuild.pages_rendered), (1, 1));
    assert_eq!(rebuild.files_read, ["toolkits/beta.md"]);
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn a_body_edit_builds_one_context_however_large_the_library() {
    let site = common::copy_fixture(FIXTURE);
    for n in 0..60 {
        common::edit_file(site.path(), &format!("content/toolkits/extra-{n:02}.md"), |_| {
            format!("---\ntitle: \"Extra {n}\"\nenablers: [relationships-and-trust]\n---\nExtra {n}.\n")
        });
    }
    let (mut cache, first) = SiteCache::new(site.path(), &BuildOptions::default());
    assert!(first.contexts_built > 60, "{}", first.contexts_built);
    common::edit_file(site.path(), BETA, |t| t.replace("Meet.", "Meet twice."));
    let rebuild = cache.update(&[common::content_change(&["toolkits/beta.md"])]);
    assert_eq!(rebuild.contexts_built, 1);
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn a_body_edit_that_changes_a_summary_from_the_body_reaches_the_pages_showing_its_card() {
    let (site, mut cache, all) = started();
    common::edit_file(site.path(), FIRST_POST, |t| {
        t.replace("No summary here", "Still no summary")
    });
    let rebuild = cache.update(&[common::content_change(&["blog/first-post.md"])]);
    assert!(
        rebuild.contexts_built > 1 && rebuild.contexts_built < all,
        "{} of {all}",
        rebuild.contexts_built
    );
    for listing in ["index.html", "blog/index.html", "atom.xml"] {
        assert!(
            common::rebuilt_page(&rebuild, listing).contains("Still no summary"),
            "{listing}"
        );
    }
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn a_body_edit_with_a_broken_link_is_an_error_and_fixing_it_builds_again() {
    let (site, mut cache, _) = started();
    let good = fs::read_to_string(site.path().join(BETA)).unwrap();
    common::edit_file(site.path(), BETA, |t| format!("{t}\nSee [gone](gone.md).\n"));
    let broken = cache.update(&[common::content_change(&["toolkits/beta.md"])]);
    assert!(broken.output.is_none());
    let errors: Vec<String> = broken
        .diagnostics
        .sorted()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}:{}", d.file, d.line))
        .collect();
    assert_eq!(errors, ["content/toolkits/beta.md:14"]);
    fs::write(site.path().join(BETA), good).unwrap();
    let fixed = cache.update(&[common::content_change(&["toolkits/beta.md"])]);
    common::assert_same_as_full_build(&fixed, site.path());
}

#[test]
fn a_body_edit_keeps_the_warnings_of_other_files_and_replaces_its_own() {
    let (site, mut cache, _) = started();
    common::edit_file(site.path(), FIRST_POST, |t| {
        t.replace("first paragraph", "opening paragraph")
    });
    let rebuild = cache.update(&[common::content_change(&["blog/first-post.md"])]);
    assert!(
        rebuild.diagnostics.warning_count() > 0,
        "the missing summary is still reported"
    );
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn a_date_change_matches_a_full_build() {
    let (site, mut cache, _) = started();
    common::edit_file(site.path(), FIRST_POST, |t| t.replace("2023-03-01", "2018-07-09"));
    let rebuild = cache.update(&[common::content_change(&["blog/first-post.md"])]);
    assert!(rebuild.contexts_built > 1);
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn a_rename_matches_a_full_build() {
    let (site, mut cache, _) = started();
    let content = site.path().join("content");
    fs::rename(content.join("blog/first-post.md"), content.join("blog/second-post.md")).unwrap();
    let rebuild = cache.update(&[common::content_change(&["blog/first-post.md", "blog/second-post.md"])]);
    let output = rebuild.output.as_ref().unwrap();
    assert!(output.contains("blog/second-post/index.html") && !output.contains("blog/first-post/index.html"));
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn a_config_change_matches_a_full_build() {
    let (site, mut cache, all) = started();
    common::edit_file(site.path(), "casebook.yaml", |t| {
        t.replace("Fixture Library", "Fixture Collection")
    });
    let rebuild = cache.update(&[ChangeKind::Config]);
    assert_eq!(rebuild.pages_rendered, all, "a new config renders every page");
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn a_body_edit_after_a_template_change_shows_the_new_template() {
    let (site, mut cache, _) = started();
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/resource.html");
    let template = fs::read_to_string(theme).unwrap();
    common::edit_file(site.path(), "templates/resource.html", |_| {
        template.replacen("{% block content %}", "{% block content %}<!-- changed -->", 1)
    });
    cache.update(&[ChangeKind::Templates]);
    common::edit_file(site.path(), BETA, |t| t.replace("Meet.", "Meet twice."));
    let rebuild = cache.update(&[common::content_change(&["toolkits/beta.md"])]);
    assert_eq!(rebuild.contexts_built, 1);
    assert!(common::rebuilt_page(&rebuild, "toolkits/beta/index.html").contains("<!-- changed -->"));
    common::assert_same_as_full_build(&rebuild, site.path());
}
