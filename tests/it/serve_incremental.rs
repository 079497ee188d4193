//! `serve` after a frontmatter edit (issue #15 item 5): a title, date, summary, term or type
//! edit takes the quick path — the library made again from the fields, contexts built only
//! for the pages that can show the edit — and every kind of edit, quick or not, gives the
//! output and diagnostics of a full build. The cache keeps its files in a [`Store`], as
//! `serve` does, so each of these also holds the files read back from it to a full build.

use crate::common;

use casebook::incremental::{ChangeKind, Rebuild, SiteCache};
use casebook::output::{OutputFile, Store};
use casebook::BuildOptions;
use std::fs;
use std::path::Path;

const FIXTURE: &str = "tests/sites/valid/basic";

/// The basic fixture with `extras` more toolkits (dated a day apart, alternating between two
/// enablers), five cards a page, so its listings run over several pages.
fn library(extras: usize) -> tempfile::TempDir {
    let site = common::copy_fixture(FIXTURE);
    common::edit_file(site.path(), "casebook.yaml", |t| format!("{t}paginate_by: 5\n"));
    for n in 0..extras {
        let enabler = ["shared-purpose", "relationships-and-trust"][n % 2];
        let day = 1 + n % 28;
        let month = 1 + n / 28;
        common::edit_file(site.path(), &format!("content/toolkits/extra-{n:02}.md"), |_| {
            format!(
                "---\ntitle: \"Extra {n}\"\nsummary: \"Extra {n}.\"\ndate: 2022-{month:02}-{day:02}\n\
                 enablers: [{enabler}]\n---\nExtra {n}.\n"
            )
        });
    }
    site
}

/// A library of 40 extras after its first build (its files kept in a store, as `serve`
/// keeps them), and how many pages that built.
fn started() -> (tempfile::TempDir, SiteCache, usize) {
    let site = library(40);
    let store = Store::new().expect("a temporary file");
    let (cache, first) = SiteCache::new_in(site.path(), &BuildOptions::default(), Some(store));
    assert!(first.output.is_some(), "{:?}", first.diagnostics);
    (site, cache, first.contexts_built)
}

/// Edits content file `rel` with `change` and rebuilds.
fn rebuilt(site: &Path, cache: &mut SiteCache, rel: &str, change: impl FnOnce(String) -> String) -> Rebuild {
    common::edit_file(site, &format!("content/{rel}"), change);
    cache.update(&[common::content_change(&[rel])])
}

/// The rebuild took the quick path: it read the one file and did not build every page's
/// context.
fn assert_quick(rebuild: &Rebuild, rel: &str, all: usize) {
    assert_eq!(rebuild.files_read, [rel]);
    assert!(
        rebuild.contexts_built < all,
        "{} contexts of {all} pages",
        rebuild.contexts_built
    );
}

const EXTRA: &str = "toolkits/extra-07.md";

#[test]
fn serve_keeps_its_generated_files_in_the_store_and_they_read_back_as_a_full_build() {
    let site = library(3);
    let store = Store::new().expect("a temporary file");
    let (mut cache, first) = SiteCache::new_in(site.path(), &BuildOptions::default(), Some(store));
    let output = first.output.as_ref().expect("a good build");
    let in_memory = output
        .paths()
        .filter(|path| matches!(output.get(path), Some(OutputFile::Bytes(b)) if !b.is_empty()))
        .collect::<Vec<_>>();
    assert_eq!(in_memory, Vec::<&str>::new(), "every generated file is in the store");
    common::assert_same_as_full_build(&first, site.path());
    let rebuild = rebuilt(site.path(), &mut cache, "toolkits/extra-01.md", |t| {
        format!("{t}\nA new sentence.\n")
    });
    assert!(common::rebuilt_page(&rebuild, "toolkits/extra-01/index.html").contains("A new sentence."));
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn a_title_edit_builds_the_contexts_of_the_pages_showing_it_alone() {
    let (site, mut cache, all) = started();
    let rebuild = rebuilt(site.path(), &mut cache, EXTRA, |t| {
        t.replace("\"Extra 7\"", "\"Seventh\"")
    });
    assert_quick(&rebuild, EXTRA, all);
    assert!(
        rebuild.contexts_built < all / 2,
        "its page, the listings showing its card, the overview: {} of {all}",
        rebuild.contexts_built
    );
    assert!(common::rebuilt_page(&rebuild, "toolkits/extra-07/index.html").contains("Seventh"));
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn a_date_edit_moves_the_resource_through_its_paginated_listings_like_a_full_build() {
    let (site, mut cache, all) = started();
    let rebuild = rebuilt(site.path(), &mut cache, EXTRA, |t| {
        t.replace("2022-01-08", "2030-05-01")
    });
    assert_quick(&rebuild, EXTRA, all);
    assert!(
        common::rebuilt_page(&rebuild, "index.html").contains("Extra 7"),
        "newest: on the home page"
    );
    assert!(
        rebuild.pages_rendered > 5,
        "the listing pages it moved over: {}",
        rebuild.pages_rendered
    );
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn a_summary_edit_and_a_summary_removed_match_a_full_build() {
    let (site, mut cache, all) = started();
    let rebuild = rebuilt(site.path(), &mut cache, EXTRA, |t| {
        t.replace("Extra 7.\"", "The seventh.\"")
    });
    assert_quick(&rebuild, EXTRA, all);
    common::assert_same_as_full_build(&rebuild, site.path());

    let removed = rebuilt(site.path(), &mut cache, EXTRA, |t| {
        t.replace("summary: \"The seventh.\"\n", "")
    });
    assert_quick(&removed, EXTRA, all);
    assert!(
        removed.diagnostics.warning_count() > 0,
        "its missing summary is reported"
    );
    common::assert_same_as_full_build(&removed, site.path());
}

#[test]
fn a_term_added_and_removed_match_a_full_build() {
    let (site, mut cache, all) = started();
    let added = rebuilt(site.path(), &mut cache, EXTRA, |t| {
        t.replace(
            "enablers: [relationships-and-trust]",
            "enablers: [relationships-and-trust]\nsettings: [care-homes]",
        )
    });
    assert_quick(&added, EXTRA, all);
    assert!(common::rebuilt_page(&added, "settings/care-homes/index.html").contains("Extra 7"));
    common::assert_same_as_full_build(&added, site.path());

    let removed = rebuilt(site.path(), &mut cache, EXTRA, |t| {
        t.replace("settings: [care-homes]\n", "")
    });
    assert_quick(&removed, EXTRA, all);
    assert!(!common::rebuilt_page(&removed, "settings/care-homes/index.html").contains("Extra 7"));
    common::assert_same_as_full_build(&removed, site.path());
}

/// How many pages the listing of enabler `shared-purpose` has in a rebuild's output.
fn shared_purpose_pages(rebuild: &Rebuild) -> usize {
    let output = rebuild.output.as_ref().expect("no errors");
    output
        .paths()
        .filter(|p| p.starts_with("enablers/shared-purpose/") && p.ends_with("index.html"))
        .count()
}

#[test]
fn term_edits_that_change_a_listings_page_count_match_a_full_build() {
    // Five cards a page: tagging five more resources one at a time crosses a page boundary
    // (a page is added), untagging them crosses it back (the old last page must go).
    let (site, mut cache, _) = started();
    let odd: Vec<String> = (7..17)
        .step_by(2)
        .map(|n| format!("toolkits/extra-{n:02}.md"))
        .collect();
    let mut counts = Vec::new();
    let (plain, tagged) = ("[relationships-and-trust]", "[relationships-and-trust, shared-purpose]");
    for (from, to) in [(plain, tagged), (tagged, plain)] {
        for rel in &odd {
            let rebuild = rebuilt(site.path(), &mut cache, rel, |t| t.replace(from, to));
            common::assert_same_as_full_build(&rebuild, site.path());
            counts.push(shared_purpose_pages(&rebuild));
        }
    }
    assert!(counts.windows(2).any(|w| w[0] < w[1]), "a page was added: {counts:?}");
    assert!(counts.windows(2).any(|w| w[0] > w[1]), "a page was removed: {counts:?}");
}

#[test]
fn a_type_change_regroups_its_term_listings_like_a_full_build() {
    let (site, mut cache, all) = started();
    let rebuild = rebuilt(site.path(), &mut cache, EXTRA, |t| {
        t.replace(
            "title: \"Extra 7\"",
            "title: \"Extra 7\"\ntype: report\norganisation: \"A trust\"",
        )
    });
    assert_quick(&rebuild, EXTRA, all);
    assert!(common::rebuilt_page(&rebuild, "toolkits/extra-07/index.html").contains("type-report"));
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn serve_shows_an_edited_page_first_and_then_the_listings_it_reaches_as_a_full_build() {
    let (site, mut cache, _) = started();
    let before = common::built_in_memory(site.path());
    common::edit_file(site.path(), &format!("content/{EXTRA}"), |t| {
        t.replace(
            "title: \"Extra 7\"",
            "title: \"Extra 7\"\ntype: report\norganisation: \"A trust\"",
        )
    });
    let after = common::built_in_memory(site.path());
    let first = cache.update_first(&[common::content_change(&[EXTRA])]);
    let output = first.output.as_ref().expect("no errors");
    assert_eq!(first.contexts_built, 1, "the edited page alone");
    let page = "toolkits/extra-07/index.html";
    assert_eq!(
        output.get(page),
        after.get(page),
        "the edited page as a full build makes it"
    );
    let listing = "enablers/relationships-and-trust/index.html";
    assert_ne!(before.get(listing), after.get(listing), "the edit regroups the listing");
    assert_eq!(
        output.get(listing),
        before.get(listing),
        "the listing as it was, for now"
    );
    let rest = cache.rest().expect("the listings the type change reaches");
    assert!(rest.contexts_built > 1);
    assert_same_with_search(rest, &cache, site.path());
    assert!(cache.rest().is_none(), "nothing left");
    // A body edit reaching no other page is done in one part.
    common::edit_file(site.path(), &format!("content/{EXTRA}"), |t| format!("{t}\nMore.\n"));
    let body = cache.update_first(&[common::content_change(&[EXTRA])]);
    assert!(cache.rest().is_none());
    assert_same_with_search(body, &cache, site.path());
}

/// `pages` (a rebuild without its search indexes) with the cache's indexes added is the
/// output of a full build.
fn assert_same_with_search(mut pages: Rebuild, cache: &SiteCache, site: &Path) {
    let search = cache.search_files().expect("a good build").expect("the index builds");
    pages.output.as_mut().expect("no errors").add_missing(search);
    common::assert_same_as_full_build(&pages, site);
}

#[test]
fn a_frontmatter_error_is_reported_as_a_full_build_does_and_fixing_it_builds_again() {
    let (site, mut cache, _) = started();
    let broken = rebuilt(site.path(), &mut cache, EXTRA, |t| {
        t.replace("[relationships-and-trust]", "[trsut]")
    });
    assert!(broken.output.is_none());
    let (_, full) = casebook::Site::load(site.path(), &BuildOptions::default()).unwrap();
    assert_eq!(broken.diagnostics.sorted(), full.sorted());
    let fixed = rebuilt(site.path(), &mut cache, EXTRA, |t| {
        t.replace("[trsut]", "[relationships-and-trust]")
    });
    common::assert_same_as_full_build(&fixed, site.path());
}

#[test]
fn an_edit_reports_its_problems_at_the_levels_the_config_sets() {
    let site = library(4);
    common::edit_file(site.path(), "casebook.yaml", |t| {
        format!("{t}checks: {{ broken-link: warn }}\n")
    });
    let (mut cache, first) = SiteCache::new(site.path(), &BuildOptions::default());
    assert!(first.output.is_some(), "{:?}", first.diagnostics);
    let body = rebuilt(site.path(), &mut cache, EXTRA_SMALL, |t| {
        format!("{t}\nSee [gone](gone.md).\n")
    });
    assert!(body.output.is_some(), "a broken link is a warning here");
    common::assert_same_as_full_build(&body, site.path());
    let title = rebuilt(site.path(), &mut cache, EXTRA_SMALL, |t| {
        t.replace("\"Extra 1\"", "\"First\"")
    });
    common::assert_same_as_full_build(&title, site.path());
}

const EXTRA_SMALL: &str = "toolkits/extra-01.md";

#[test]
fn a_new_a_deleted_and_a_renamed_file_match_a_full_build() {
    let (site, mut cache, _) = started();
    let new = rebuilt(site.path(), &mut cache, "toolkits/newer.md", |_| {
        "---\ntitle: \"Newer\"\nsummary: \"New.\"\ndate: 2031-01-01\nenablers: [shared-purpose]\n---\nNew.\n".into()
    });
    assert!(common::rebuilt_page(&new, "index.html").contains("Newer"));
    common::assert_same_as_full_build(&new, site.path());

    let content = site.path().join("content");
    fs::rename(content.join(EXTRA), content.join("toolkits/extra-renamed.md")).unwrap();
    let renamed = cache.update(&[common::content_change(&[EXTRA, "toolkits/extra-renamed.md"])]);
    assert!(renamed
        .output
        .as_ref()
        .unwrap()
        .contains("toolkits/extra-renamed/index.html"));
    common::assert_same_as_full_build(&renamed, site.path());

    fs::remove_file(content.join("toolkits/newer.md")).unwrap();
    let deleted = cache.update(&[common::content_change(&["toolkits/newer.md"])]);
    assert!(!deleted.output.as_ref().unwrap().contains("toolkits/newer/index.html"));
    common::assert_same_as_full_build(&deleted, site.path());
}

#[test]
fn a_config_edit_takes_the_full_path_and_matches_a_full_build() {
    let (site, mut cache, all) = started();
    common::edit_file(site.path(), "casebook.yaml", |t| {
        t.replace("Fixture Library", "Fixture Collection")
    });
    let rebuild = cache.update(&[ChangeKind::Config]);
    assert_eq!(rebuild.contexts_built, all, "a new config: every page");
    common::assert_same_as_full_build(&rebuild, site.path());
}

#[test]
fn edits_in_a_row_each_match_a_full_build() {
    let (site, mut cache, _) = started();
    let steps: [(&str, &str); 4] = [
        ("\"Extra 7\"", "\"Seven\""),
        ("2022-01-08", "2021-01-08"),
        ("Extra 7.\n", "Extra seven, body.\n"),
        ("\"Seven\"", "\"Extra 7\""),
    ];
    for (from, to) in steps {
        let rebuild = rebuilt(site.path(), &mut cache, EXTRA, |t| t.replacen(from, to, 1));
        common::assert_same_as_full_build(&rebuild, site.path());
    }
}

#[test]
fn a_date_edit_builds_contexts_only_for_the_listing_pages_whose_items_moved() {
    // Two days newer moves it up one place: one page of its section and of its term changes,
    // not every page of them (the toolkits listing alone has nine).
    let (site, mut cache, all) = started();
    let rebuild = rebuilt(site.path(), &mut cache, EXTRA, |t| {
        t.replace("2022-01-08", "2022-01-10")
    });
    assert_quick(&rebuild, EXTRA, all);
    // Beyond the pages that changed, only the overview (home, feed, two taxonomy pages,
    // coverage) gets a context, changed or not.
    assert!(
        rebuild.contexts_built <= rebuild.pages_rendered + 5,
        "{} contexts for {} changed pages",
        rebuild.contexts_built,
        rebuild.pages_rendered
    );
    common::assert_same_as_full_build(&rebuild, site.path());
}

/// `update_first` after `changes`: its output (no errors) shows `page` as a full build of
/// `site` makes it, and no page of `gone`; then `rest` completes it to the full build's output.
fn first_then_rest(site: &Path, cache: &mut SiteCache, changes: &[ChangeKind], page: Option<&str>, gone: &[&str]) {
    let after = common::built_in_memory(site);
    let first = cache.update_first(changes);
    let output = first
        .output
        .as_ref()
        .unwrap_or_else(|| panic!("{:?}", first.diagnostics));
    assert!(
        first.contexts_built <= 1,
        "the new page alone first: {}",
        first.contexts_built
    );
    if let Some(page) = page {
        assert_eq!(output.get(page), after.get(page), "{page} as a full build makes it");
    }
    for path in gone {
        assert!(!output.contains(path), "{path} is gone at once");
    }
    let rest = cache
        .rest()
        .expect("the listings, terms, feeds and related lists after");
    assert_same_with_search(rest, cache, site);
    assert!(cache.rest().is_none(), "nothing left");
}

const NEWER: &str = "---\ntitle: \"Newer\"\nsummary: \"New.\"\ndate: 2031-01-01\n\
                     enablers: [shared-purpose]\nsettings: [care-homes]\n---\nNew, see [extra](extra-07.md).\n";

#[test]
fn a_new_file_with_new_and_existing_terms_shows_its_page_first_and_then_matches_a_full_build() {
    let (site, mut cache, _) = started();
    let full = common::built_in_memory(site.path());
    assert!(
        !common::output_page(&full, "settings/care-homes/index.html").contains("Extra"),
        "care-homes is used by no resource yet"
    );
    common::edit_file(site.path(), "content/toolkits/newer.md", |_| NEWER.into());
    let changes = [common::content_change(&["toolkits/newer.md"])];
    first_then_rest(
        site.path(),
        &mut cache,
        &changes,
        Some("toolkits/newer/index.html"),
        &[],
    );
}

#[test]
fn a_deleted_file_that_was_a_terms_only_member_is_gone_at_once_and_then_matches_a_full_build() {
    let (site, mut cache, _) = started();
    let newer = "toolkits/newer.md";
    common::edit_file(site.path(), &format!("content/{newer}"), |_| NEWER.into());
    common::assert_same_as_full_build(&cache.update(&[common::content_change(&[newer])]), site.path());
    fs::remove_file(site.path().join("content").join(newer)).unwrap();
    let changes = [common::content_change(&[newer])];
    first_then_rest(site.path(), &mut cache, &changes, None, &["toolkits/newer/index.html"]);
}

#[test]
fn a_renamed_file_shows_at_its_new_path_first_and_then_matches_a_full_build() {
    let (site, mut cache, _) = started();
    let content = site.path().join("content");
    fs::rename(content.join(EXTRA), content.join("toolkits/extra-renamed.md")).unwrap();
    let changes = [common::content_change(&[EXTRA, "toolkits/extra-renamed.md"])];
    let (page, gone) = ("toolkits/extra-renamed/index.html", "toolkits/extra-07/index.html");
    first_then_rest(site.path(), &mut cache, &changes, Some(page), &[gone]);
}

#[test]
fn a_new_file_whose_url_collides_reports_what_a_full_build_does_and_the_last_good_site_stays() {
    let (site, mut cache, _) = started();
    let store = Store::new().expect("a temporary file");
    let good = SiteCache::new_in(site.path(), &BuildOptions::default(), Some(store)).1;
    let mut preview = casebook::serve::preview::Preview::default();
    preview.apply(casebook::serve::preview::Preview::outcome(good, site.path()));
    let clash = "toolkits/clash.md";
    let collided = rebuilt(site.path(), &mut cache, clash, |_| {
        NEWER.replace("title: \"Newer\"", "title: \"Clash\"\nslug: extra-07")
    });
    assert!(collided.output.is_none());
    let (_, full) = casebook::Site::load(site.path(), &BuildOptions::default()).unwrap();
    assert!(full.has_errors(), "a full build refuses it");
    assert_eq!(
        collided.diagnostics.sorted(),
        full.sorted(),
        "a full build's diagnostics"
    );
    preview.apply(casebook::serve::preview::Preview::outcome(collided, site.path()));
    let page = preview
        .read("toolkits/extra-07/index.html")
        .expect("still served")
        .unwrap();
    assert!(String::from_utf8_lossy(&page).contains("Extra 7"), "the last good page");
    fs::remove_file(site.path().join("content").join(clash)).unwrap();
    common::assert_same_as_full_build(&cache.update(&[common::content_change(&[clash])]), site.path());
}
