//! `SiteCache::update` (what `serve` rebuilds with): it reads only what changed, and its
//! output is byte for byte what a full build of the same files gives.

use crate::common;

use casebook::incremental::{ChangeKind, Rebuild, SiteCache};
use casebook::BuildOptions;
use std::fs;
use std::path::Path;

const FIXTURE: &str = "tests/sites/valid/basic";

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn errors(rebuild: &Rebuild) -> Vec<String> {
    rebuild
        .diagnostics
        .sorted()
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect()
}

#[test]
fn first_build_reads_every_markdown_file_and_matches_a_full_build() {
    let site = common::copy_fixture(FIXTURE);
    let (_, first) = SiteCache::new(site.path(), &BuildOptions::default());
    assert_eq!(first.files_read.len(), 7, "{:?}", first.files_read);
    common::assert_same_as_full_build(&first, site.path());
}

#[test]
fn editing_one_resource_reads_and_renders_only_that_file() {
    let site = common::copy_fixture(FIXTURE);
    let (mut cache, _) = SiteCache::new(site.path(), &BuildOptions::default());
    let beta = fs::read_to_string(site.path().join("content/toolkits/beta.md")).unwrap();
    write(
        site.path(),
        "content/toolkits/beta.md",
        &beta.replace("Beta toolkit", "Gamma toolkit"),
    );
    let rebuild = cache.update(&[common::content_change(&["toolkits/beta.md"])]);
    assert_eq!(rebuild.files_read, ["toolkits/beta.md"]);
    assert_eq!(
        rebuild.markdown_rendered, 0,
        "the body did not change, so its HTML is reused"
    );
    assert!(common::rebuilt_page(&rebuild, "toolkits/beta/index.html").contains("Gamma toolkit"));
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn editing_a_body_renders_only_that_markdown() {
    let site = common::copy_fixture(FIXTURE);
    let (mut cache, _) = SiteCache::new(site.path(), &BuildOptions::default());
    let beta = fs::read_to_string(site.path().join("content/toolkits/beta.md")).unwrap();
    write(
        site.path(),
        "content/toolkits/beta.md",
        &beta.replace("Agree who comes.", "Agree who **comes**."),
    );
    let rebuild = cache.update(&[common::content_change(&["toolkits/beta.md"])]);
    assert_eq!(rebuild.files_read, ["toolkits/beta.md"]);
    assert_eq!(rebuild.markdown_rendered, 1);
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn adding_a_file_fixes_links_to_it_on_other_pages() {
    let site = common::copy_fixture(FIXTURE);
    let alpha = fs::read_to_string(site.path().join("content/case-studies/alpha.md")).unwrap();
    write(
        site.path(),
        "content/case-studies/alpha.md",
        &format!("{alpha}\n\nSee [gamma](../toolkits/gamma.md).\n"),
    );
    let (mut cache, first) = SiteCache::new(site.path(), &BuildOptions::default());
    assert!(first.output.is_none());
    assert!(
        errors(&first).iter().any(|e| e.contains("gamma.md")),
        "{:?}",
        errors(&first)
    );
    let gamma = "---\ntitle: \"Gamma\"\nsummary: \"G.\"\nenablers: [relationships-and-trust]\n---\nBody.\n";
    write(site.path(), "content/toolkits/gamma.md", gamma);
    let rebuild = cache.update(&[common::content_change(&["toolkits/gamma.md"])]);
    assert_eq!(rebuild.files_read, ["toolkits/gamma.md"]);
    assert!(errors(&rebuild).is_empty(), "{:?}", errors(&rebuild));
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn deleting_a_file_breaks_links_to_it_then_removing_the_link_builds() {
    let site = common::copy_fixture(FIXTURE);
    let (mut cache, _) = SiteCache::new(site.path(), &BuildOptions::default());
    fs::remove_file(site.path().join("content/toolkits/beta.md")).unwrap();
    let rebuild = cache.update(&[common::content_change(&["toolkits/beta.md"])]);
    assert!(rebuild.files_read.is_empty());
    assert!(rebuild.output.is_none(), "the home page links to the deleted toolkit");
    assert!(
        errors(&rebuild).iter().any(|e| e.starts_with("content/_index.md:")),
        "{:?}",
        errors(&rebuild)
    );
    assert!(errors(&rebuild)
        .iter()
        .any(|e| e.starts_with("content/case-studies/alpha.md:")));
    let home = fs::read_to_string(site.path().join("content/_index.md")).unwrap();
    write(
        site.path(),
        "content/_index.md",
        &home.replace("[toolkit](toolkits/beta.md)", "toolkit"),
    );
    let alpha = fs::read_to_string(site.path().join("content/case-studies/alpha.md")).unwrap();
    let alpha = alpha.replace("[Beta toolkit](../toolkits/beta.md#step-two)", "Beta toolkit");
    write(site.path(), "content/case-studies/alpha.md", &alpha);
    let rebuild = cache.update(&[common::content_change(&["_index.md", "case-studies/alpha.md"])]);
    assert_eq!(rebuild.files_read.len(), 2);
    assert!(!rebuild.output.as_ref().unwrap().contains("toolkits/beta/index.html"));
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn an_error_is_reported_with_its_location_and_fixing_it_builds_again() {
    let site = common::copy_fixture(FIXTURE);
    let (mut cache, _) = SiteCache::new(site.path(), &BuildOptions::default());
    let path = "content/toolkits/beta.md";
    let good = fs::read_to_string(site.path().join(path)).unwrap();
    write(
        site.path(),
        path,
        &good.replace("relationships-and-trust", "relationships-and-trusst"),
    );
    let broken = cache.update(&[common::content_change(&["toolkits/beta.md"])]);
    assert!(broken.output.is_none());
    let errors = errors(&broken);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("content/toolkits/beta.md:4:"), "{errors:?}");
    write(site.path(), path, &good);
    let fixed = cache.update(&[common::content_change(&["toolkits/beta.md"])]);
    assert_eq!(fixed.files_read, ["toolkits/beta.md"]);
    common::assert_same_as_full_build(&fixed, site.path());
}

#[test]
fn a_folder_change_rereads_what_is_inside_it() {
    let site = common::copy_fixture(FIXTURE);
    let (mut cache, _) = SiteCache::new(site.path(), &BuildOptions::default());
    let rebuild = cache.update(&[common::content_change(&["case-studies"])]);
    assert_eq!(
        rebuild.files_read,
        [
            "case-studies/_index.md",
            "case-studies/alpha.md",
            "case-studies/bundle/index.md"
        ]
    );
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn template_static_and_config_changes_rebuild_like_a_full_build() {
    let site = common::copy_fixture(FIXTURE);
    let (mut cache, _) = SiteCache::new(site.path(), &BuildOptions::default());
    write(site.path(), "static/extra.txt", "hello");
    let rebuild = cache.update(&[ChangeKind::Static]);
    assert!(rebuild.files_read.is_empty());
    assert!(rebuild.output.as_ref().unwrap().contains("extra.txt"));
    common::assert_same_as_full_build(&rebuild, site.path());

    write(
        site.path(),
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}Lost{% endblock %}",
    );
    let rebuild = cache.update(&[ChangeKind::Templates]);
    assert!(rebuild.files_read.is_empty());
    assert!(String::from_utf8_lossy(rebuild.output.as_ref().unwrap().bytes("404.html").unwrap()).contains("Lost"));
    common::assert_same_as_full_build(&rebuild, site.path());

    let config = fs::read_to_string(site.path().join("casebook.yaml")).unwrap();
    write(site.path(), "casebook.yaml", "title: [unclosed\n");
    let broken = cache.update(&[ChangeKind::Config]);
    assert!(broken.output.is_none());
    assert!(errors(&broken)[0].starts_with("casebook.yaml"), "{:?}", errors(&broken));
    write(site.path(), "casebook.yaml", &config);
    let rebuild = cache.update(&[ChangeKind::Config]);
    assert_eq!(rebuild.files_read.len(), 7);
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn pages_first_then_search_files_make_the_same_output_as_a_full_build() {
    let site = common::copy_fixture(FIXTURE);
    let (mut cache, _) = SiteCache::new(site.path(), &BuildOptions::default());
    let beta = fs::read_to_string(site.path().join("content/toolkits/beta.md")).unwrap();
    write(
        site.path(),
        "content/toolkits/beta.md",
        &beta.replace("Beta toolkit", "Gamma toolkit"),
    );
    let mut rebuild = cache.update_pages(&[common::content_change(&["toolkits/beta.md"])]);
    let pages = rebuild.output.as_mut().expect("the rebuild has no errors");
    assert!(
        !pages.contains("search/index.js"),
        "the pages come without the search index"
    );
    let search = cache.search_files().expect("a good build").expect("the index builds");
    let shown = |p: &str| common::chunk_data(search.bytes(p).unwrap()).1.contains("Gamma toolkit");
    assert!(search.paths().filter(|p| p.starts_with("search/docs/")).any(shown));
    pages.add_missing(search);
    common::assert_same_as_full_build(&rebuild, site.path());
}
