//! Welsh search (`language: cy`), end to end: the fixture in tests/sites/welsh is built with
//! the real binary and queried with `casebook search --json`. A query word finds its initial
//! mutations (`gymuned` ↔ `cymuned` ↔ `nghymuned`), accents fold (`ŵyr` = `wyr`), and no English
//! stemmer joins Welsh words (`gofal` ≠ `gofalu`). The browser engine's agreement on the same
//! site is checked in tests/browser/agreement.test.mjs.

use crate::common;

use serde_json::Value;
use std::path::Path;

/// The Welsh fixture, built into a fresh temporary folder.
fn site() -> common::BuiltSite {
    common::build_with_binary(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/welsh"))
}

/// The urls `query` finds, best first (a trailing space: whole words, no completion).
fn urls(site: &common::BuiltSite, query: &str) -> Vec<String> {
    let result = common::search_json(site.path(), &["--", query]);
    hits(&result)
        .iter()
        .map(|h| h["url"].as_str().unwrap().to_string())
        .collect()
}

fn hits(result: &Value) -> &Vec<Value> {
    result["hits"].as_array().unwrap()
}

const RADICAL: &str = "/research/cymuned-a-llesiant/";
const SOFT: &str = "/case-studies/fferyllfa-yn-y-gymuned/";
const NASAL: &str = "/blog/gofalu-yn-fy-nghymuned/";

#[test]
fn a_word_finds_its_radical_and_its_mutations() {
    let site = site();
    for query in ["cymuned ", "gymuned ", "nghymuned ", "chymuned "] {
        let found = urls(&site, query);
        for page in [RADICAL, SOFT, NASAL] {
            assert!(found.iter().any(|u| u == page), "{query:?} misses {page}: {found:?}");
        }
    }
    assert_eq!(
        urls(&site, "gymuned "),
        urls(&site, "cymuned "),
        "each form ranks alike"
    );
    let wales = urls(&site, "Cymru ");
    assert!(
        wales.contains(&"/reports/adroddiad-blynyddol/".to_string()),
        "yng Nghymru: {wales:?}"
    );
    let surgery = urls(&site, "meddygfa ");
    assert!(surgery.contains(&SOFT.to_string()), "y feddygfa: {surgery:?}");
    let voice = urls(&site, "llais ");
    assert!(
        voice.contains(&"/publications/llais-y-claf/".to_string()),
        "ar lais: {voice:?}"
    );
    assert_eq!(urls(&site, "amser "), ["/publications/llais-y-claf/"], "eu hamser");
}

#[test]
fn accents_fold_so_a_circumflex_is_optional() {
    let site = site();
    let with = urls(&site, "ŵyr ");
    assert_eq!(with, ["/toolkits/neiniau-a-theidiau/"]);
    assert_eq!(urls(&site, "wyr "), with);
    assert_eq!(urls(&site, "hŷn "), urls(&site, "hyn "));
}

#[test]
fn welsh_words_are_not_stemmed_as_english() {
    let site = site();
    assert_eq!(urls(&site, "gofalu "), [NASAL], "gofalu finds no page with gofal alone");
    let care = urls(&site, "gofal ");
    assert!(!care.contains(&NASAL.to_string()), "gofal finds gofalu: {care:?}");
    assert!(care.contains(&"/guides/gofal-ar-y-cyd/".to_string()));
}

#[test]
fn words_two_mutations_apart_stay_apart() {
    // `pam` (why) and `mam` (mother) are both reachable from `bam`, but neither is a mutation
    // of the other: each finds only its own page.
    let site = site();
    assert_eq!(urls(&site, "pam "), ["/reports/adroddiad-blynyddol/"]);
    assert_eq!(urls(&site, "mam "), [NASAL]);
}

#[test]
fn a_phrase_matches_its_words_as_written() {
    // Inside a phrase the words before decide the mutation, so it is typed as the text has it.
    let site = site();
    assert_eq!(urls(&site, "\"y gymuned\""), [SOFT]);
    assert!(urls(&site, "\"y cymuned\"").is_empty());
}

#[test]
fn the_mutated_form_found_is_marked_in_the_excerpt() {
    let site = site();
    let result = common::search_json(site.path(), &["--", "cymuned "]);
    let soft = hits(&result).iter().find(|h| h["url"] == SOFT).unwrap();
    assert!(
        soft["excerpt"].as_str().unwrap().contains("<mark>gymuned</mark>"),
        "{soft}"
    );
}

#[test]
fn only_a_welsh_index_asks_the_browser_for_mutations() {
    let welsh = site();
    let manifest = std::fs::read_to_string(welsh.path().join("search/index.js")).unwrap();
    assert!(manifest.contains(r#""stem":false,"mutations":true"#));
    let english = common::build_with_binary(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/search"));
    let manifest = std::fs::read_to_string(english.path().join("search/index.js")).unwrap();
    assert!(!manifest.contains("mutations"));
}
