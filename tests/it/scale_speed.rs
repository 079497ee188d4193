//! A build keeps what the last one made from unchanged inputs (issue #15, item 1): pages whose
//! template and context did not change are not rendered, search indexes whose input did not
//! change are not built, and the result is always a fresh build's tree, whatever changed —
//! content, a template — and whatever the manifest beside the output holds.

use crate::common;
use crate::common::TinySite as Work;

use casebook::BuildOptions;
use std::fs;
use std::path::Path;

const MANIFEST: &str = ".public.casebook-manifest";

impl Work {
    /// Asserts the output is byte for byte the tree a fresh build of the site makes.
    fn assert_fresh(&self) {
        let fresh = self.dir.path().join(format!("fresh-{}", rand_name()));
        casebook::build(&self.site(), &fresh, &BuildOptions::default(), &|_| {})
            .unwrap_or_else(|_| panic!("the fresh build failed"));
        assert_eq!(common::tree(&fresh), common::tree(&self.public()));
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.site().join("content").join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{text}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    /// Output files made by rendering a template or building the search indexes: what a
    /// build can keep.
    fn made(&self) -> usize {
        common::tree(&self.public())
            .keys()
            .filter(|p| p.ends_with(".html") || p.ends_with(".xml") || *p == "robots.txt" || p.starts_with("search/"))
            .count()
    }

    /// The search indexes' files (the search page is a page).
    fn search_files(&self) -> usize {
        common::tree(&self.public())
            .keys()
            .filter(|p| p.starts_with("search/") && !p.ends_with(".html"))
            .count()
    }
}

/// A name no other fresh build of this test used.
fn rand_name() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    N.fetch_add(1, Ordering::Relaxed).to_string()
}

#[test]
fn a_build_with_nothing_changed_makes_no_page_and_equals_a_fresh_build() {
    let work = Work::new();
    assert_eq!(work.build().reused, 0, "nothing to reuse yet");
    for _ in 0..2 {
        let again = work.build();
        assert_eq!(again.reused, work.made(), "{again:?}");
        assert_eq!((again.written, again.carried), (0, again.files));
        work.assert_fresh();
    }
}

#[test]
fn a_build_after_an_edit_makes_what_changed_and_equals_a_fresh_build() {
    let work = Work::new();
    work.build();
    // The body: the resource's own page and the search indexes change.
    work.edit("toolkits/x.md", "\n---\n", "\n---\nA new first sentence.\n\n");
    let report = work.build();
    assert!(report.reused > 0 && report.reused < work.made(), "{report:?}");
    work.assert_fresh();
    // The title: every listing that shows its card changes too.
    let title = fs::read_to_string(work.site().join("content/toolkits/x.md")).unwrap();
    let line = title.lines().find(|l| l.starts_with("title:")).unwrap().to_string();
    work.edit("toolkits/x.md", &line, "title: A retitled toolkit");
    let report = work.build();
    assert!(report.reused < work.made(), "{report:?}");
    work.assert_fresh();
}

#[test]
fn a_changed_template_renders_every_page_again() {
    let work = Work::new();
    work.build();
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/404.html");
    let text = fs::read_to_string(theme).unwrap();
    fs::create_dir_all(work.site().join("templates")).unwrap();
    fs::write(
        work.site().join("templates/404.html"),
        format!("{text}\n<!-- edited -->\n"),
    )
    .unwrap();
    let report = work.build();
    // The search indexes' input did not change: only they are kept.
    assert_eq!(report.reused, work.search_files(), "{report:?}");
    work.assert_fresh();
}

#[test]
fn a_damaged_manifest_is_ignored_and_a_foreign_file_of_its_name_left_alone() {
    let work = Work::new();
    work.build();
    let manifest = work.site().join(MANIFEST);
    let saved = fs::read(&manifest).unwrap();
    // Cut short, as a full disk could leave it: nothing is reused, nothing is wrong.
    fs::write(&manifest, &saved[..saved.len() / 2]).unwrap();
    assert_eq!(work.build().reused, 0);
    work.assert_fresh();
    // A file of that name casebook did not write is neither read nor replaced.
    fs::write(&manifest, "my notes").unwrap();
    let report = work.build();
    assert_eq!(report.reused, 0);
    assert_eq!(fs::read_to_string(&manifest).unwrap(), "my notes");
    let warning = report
        .diagnostics
        .sorted()
        .into_iter()
        .find(|d| d.message.contains("not a manifest"));
    assert!(warning.is_some(), "{:?}", report.diagnostics.sorted());
    work.assert_fresh();
}

#[test]
fn a_kept_page_edited_by_hand_in_both_trees_is_rendered_again() {
    // After three builds the output and staging share each page's inode: a hand edit is in
    // both, so the manifest's hash, not the file, must decide.
    let work = Work::new();
    for _ in 0..3 {
        work.build();
    }
    let page = work.public().join("toolkits/x/index.html");
    let mut bytes = fs::read(&page).unwrap();
    bytes[0] = if bytes[0] == b'x' { b'y' } else { b'x' };
    fs::write(&page, &bytes).unwrap();
    let report = work.build();
    assert_eq!((report.written, report.reused), (1, work.made() - 1), "{report:?}");
    work.assert_fresh();
}

#[test]
fn a_section_introduction_edit_builds_the_search_indexes_again() {
    // Section landing pages with text of their own are searched, so their text is part of
    // what the indexes are made from.
    let work = Work::new();
    fs::write(
        work.site().join("content/toolkits/_index.md"),
        "---\ntitle: Toolkits\n---\nPractical tools.\n",
    )
    .unwrap();
    work.build();
    work.edit("toolkits/_index.md", "Practical tools.", "Practical tools for huddles.");
    work.build();
    work.assert_fresh();
}

#[test]
fn a_translation_edit_builds_the_search_indexes_again() {
    // Each other language has a search index of its own (`cy/search/`): a translation's text
    // is part of what the indexes are made from, though the default language's is unchanged.
    let work = Work::new();
    fs::remove_dir_all(work.site()).unwrap();
    common::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/bilingual"),
        &work.site(),
    );
    work.build();
    let welsh = "case-studies/cardiff-care-homes.cy.md";
    work.edit(welsh, "Ymwelodd fferyllwyr", "Ymwelodd fferyllwyr a nyrsys");
    work.build();
    work.assert_fresh();
}

#[test]
fn a_deleted_output_with_its_manifest_left_gets_its_search_indexes_made_again_whole() {
    let work = Work::new();
    work.build();
    // Staging now holds the first build's tree, whose search files the edit makes stale.
    work.edit("toolkits/x.md", "\n---\n", "\n---\nA new first sentence.\n\n");
    work.build();
    // `rm -rf public`: the manifest says the search input is unchanged, but its files are gone.
    fs::remove_dir_all(work.public()).unwrap();
    let report = work.build();
    assert!(
        report.reused <= work.made() - work.search_files(),
        "no search file kept: {report:?}"
    );
    work.assert_fresh();
    // And the build after it keeps them again.
    assert_eq!(work.build().reused, work.made());
    work.assert_fresh();
}
