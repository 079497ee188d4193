//! The card memo (`render::cards`): with the built-in templates, each card is rendered once per
//! page depth and listed as that HTML; any template of the site's own turns it off, and the
//! pages are the same either way.

use crate::common;
use casebook::render::theme::Theme;
use casebook::{load_config, BuildOptions, Output};
use std::fs;
use std::path::Path;

fn card_template(root: &Path) -> Option<&'static str> {
    let config = load_config(root, &BuildOptions::default()).unwrap_or_else(|_| panic!("the config loads"));
    Theme::load(root, &config)
        .unwrap_or_else(|p| panic!("{p:?}"))
        .card_template()
}

fn pages(output: &Output) -> Vec<(String, Vec<u8>)> {
    output
        .paths()
        .map(|path| (path.to_string(), output.bytes(path).unwrap().to_vec()))
        .collect()
}

#[test]
fn cards_rendered_once_per_depth_are_the_cards_every_page_would_render() {
    // Listings split into pages of two: cards at the depths of a section, a term, their
    // `page/<n>/` pages and a resource's related list.
    let memo = common::copy_fixture("tests/sites/paged");
    assert!(
        card_template(memo.path()).is_some(),
        "the built-in templates memoise cards"
    );
    let own = common::copy_fixture("tests/sites/paged");
    fs::create_dir_all(own.path().join("templates")).unwrap();
    fs::write(own.path().join("templates/unused.html"), "{# the site's own #}").unwrap();
    assert_eq!(
        card_template(own.path()),
        None,
        "a template of the site's own turns the memo off"
    );
    let (with, without) = (
        common::built_in_memory(memo.path()),
        common::built_in_memory(own.path()),
    );
    assert!(
        with.paths().any(|p| p.contains("/page/2/")),
        "the fixture has later pages"
    );
    assert_eq!(pages(&with), pages(&without));
}

#[test]
fn a_copy_of_the_built_in_theme_keeps_the_memo_and_a_changed_macro_is_rendered() {
    let site = common::copy_fixture("tests/sites/paged");
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    common::copy_tree(&templates, &site.path().join("templates"));
    assert!(
        card_template(site.path()).is_some(),
        "an unchanged copy is the built-in theme"
    );
    // A theme's own card: the memo must not hand the built-in one to its `cards` macro.
    let macros = site.path().join("templates/macros.html");
    let built_in = fs::read_to_string(&macros).unwrap();
    fs::write(
        &macros,
        built_in.replace("<article class=\"card", "<article data-own=\"yes\" class=\"card"),
    )
    .unwrap();
    assert_eq!(card_template(site.path()), None);
    let output = common::built_in_memory(site.path());
    for listing in [
        "index.html",
        "enablers/shared-purpose/index.html",
        "enablers/shared-purpose/page/2/index.html",
    ] {
        let page = common::output_page(&output, listing);
        assert!(
            page.contains("<article data-own=\"yes\" class=\"card"),
            "{listing} shows the site's card"
        );
    }
}
