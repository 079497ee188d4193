//! Ranking and what a hit shows (issue #11), end to end through `casebook search --json`: every
//! query word counts, quoted phrases need their words side by side, the word being typed is
//! completed, passages come from under the heading that matched, a typo fallback says so,
//! browsing a facet lists newest first, the analyser follows the site's language, a question
//! is ranked by what it asks rather than the words it is phrased with, a word typed in
//! full outranks the longer words it begins, the page whose title is the query outranks
//! pages whose longer titles contain it, a misspelt word is corrected even when the
//! other words match many pages, and the page holding a query's words close together
//! outranks one using them far apart.

use crate::common;

use serde_json::Value;
use std::path::Path;

/// The search fixture plus resources written for these tests, with `casebook.yaml` edited by
/// `config`, built into a temporary folder.
fn built(config: impl Fn(String) -> String) -> (tempfile::TempDir, common::BuiltSite) {
    let root = common::copy_fixture("tests/sites/search");
    let yaml = root.path().join("casebook.yaml");
    std::fs::write(&yaml, config(std::fs::read_to_string(&yaml).unwrap())).unwrap();
    let page = |name: &str, title: &str, date: &str, body: &str| {
        let text = format!("---\ntitle: \"{title}\"\nsummary: \"A resource written for a ranking test.\"\ndate: {date}\nenablers: [shared-data]\n---\n{body}\n");
        std::fs::write(root.path().join("content/blog").join(name), text).unwrap();
    };
    page("wombat-guide.md", "Wombat guide", "2020-01-01", "A short note.");
    page(
        "burrows.md",
        "Notes from the field",
        "2020-01-02",
        "Our survey counted every wombat burrow and saw a kestrel hunting above the ridge, among many other animals we noted over a long season of careful work in the valley.",
    );
    page(
        "plain-adjacent.md",
        "Writing guidance",
        "2020-01-03",
        "Always use plain language in letters.",
    );
    page(
        "plain-apart.md",
        "Other guidance",
        "2020-01-04",
        "Plain words help; any language will do.",
    );
    page(
        "quokka.md",
        "A page with headings",
        "2020-01-05",
        "An opening paragraph.\n\n## Getting started\n\nFeed the quokka twice a day.\n\n## Later\n\nNothing here.",
    );
    page("reunions.md", "Minutes", "2020-01-06", "Les réunions du conseil.");
    page(
        "how-do-i.md",
        "How do I get one?",
        "2020-01-07",
        "What is it, and how do I do it? It is what it is.",
    );
    page(
        "numbat-feeding.md",
        "Feeding numbats",
        "2020-01-08",
        "Numbats eat termites.",
    );
    page(
        "site-visits.md",
        "Site visits",
        "2020-01-09",
        "We visit each site in turn.",
    );
    page(
        "sitemaps.md",
        "Sitemaps",
        "2020-01-10",
        "A sitemap lists pages; sitemaps help.",
    );
    page(
        "wallaby-act-guide.md",
        "Guide to the Wallaby Act",
        "2020-01-11",
        "How the law works, in brief.",
    );
    page(
        "wallaby-act-news.md",
        "Introducing a Guide to the Wallaby Act",
        "2020-01-12",
        "Today we publish a guide to the Wallaby Act, which explains the act section by section.",
    );
    page(
        "dingo-licence.md",
        "Permits",
        "2020-01-13",
        "Permits for animals.\n\n## Renewing\n\nTo renew a dingo licence, write to the ranger.",
    );
    page(
        "dingo-news.md",
        "Dingo news",
        "2020-01-14",
        "The dingo season opened early this year, and every dingo pack was counted twice by the rangers on the northern ridge. Licence fees for kennels rose in spring, after a long debate in the council chamber about the cost of care. Members were asked to renew their club subscription before the summer meeting.",
    );
    let intro =
        "---\ntitle: \"Guides\"\ndescription: \"How-to guides.\"\n---\nEvery guide here was checked by a platypus.\n";
    std::fs::write(root.path().join("content/guides/_index.md"), intro).unwrap();
    let out = common::build_with_binary(root.path());
    (root, out)
}

fn search(site: &Path, args: &[&str]) -> Value {
    common::search_json(site, args)
}

fn urls(result: &Value) -> Vec<&str> {
    result["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["url"].as_str().unwrap())
        .collect()
}

#[test]
fn ranking_phrases_prefixes_passages_and_corrections() {
    let (_root, out) = built(|yaml| yaml);
    let site = out.path();

    // All words matter: the body holding both words beats a short title holding one.
    let both = search(site, &["wombat kestrel "]);
    assert_eq!(urls(&both)[..2], ["/blog/burrows/", "/blog/wombat-guide/"], "{both}");

    // A quoted phrase needs its words side by side.
    let phrase = search(site, &["\"plain language\""]);
    assert!(urls(&phrase).contains(&"/blog/plain-adjacent/"), "{phrase}");
    assert!(!urls(&phrase).contains(&"/blog/plain-apart/"), "{phrase}");
    let loose = search(site, &["plain language "]);
    assert!(urls(&loose).contains(&"/blog/plain-apart/"), "{loose}");

    // The word being typed is completed from the words as written; a space ends it.
    let typing = search(site, &["spirom"]);
    assert_eq!(urls(&typing)[0], "/guides/spirometry-clinics/", "{typing}");
    assert_eq!(search(site, &["--exact", "spirom "])["total"], 0);

    // A passage from under the heading that matched, linked as a sub-result.
    let quokka = search(site, &["quokka"]);
    let hit = &quokka["hits"][0];
    assert_eq!(hit["excerpt"], "Feed the <mark>quokka</mark> twice a day.", "{hit}");
    assert_eq!(hit["sub"][0]["url"], "/blog/quokka/#getting-started", "{hit}");
    assert_eq!(hit["sub"][0]["title"], "Getting started", "{hit}");

    // A typo fallback is reported, and --exact turns it off.
    let typo = search(site, &["dashbord "]);
    assert_eq!(typo["corrected"]["from"], "dashbord ", "{typo}");
    assert_eq!(typo["corrected"]["to"], "dashboard", "{typo}");
    let exact = search(site, &["--exact", "dashbord "]);
    assert!(exact["corrected"].is_null() && exact["total"] == 0, "{exact}");
}

#[test]
fn a_section_landing_page_with_its_own_text_is_searched() {
    let (_root, out) = built(|yaml| yaml);
    let found = search(out.path(), &["platypus"]);
    assert_eq!(found["hits"][0]["url"], "/guides/", "{found}");
    assert_eq!(found["hits"][0]["type"], "section", "{found}");
    let sections = search(out.path(), &["", "--type", "section"]);
    assert_eq!(urls(&sections), ["/guides/"], "{sections}");
}

#[test]
fn an_empty_query_with_a_filter_lists_every_match_newest_first() {
    let (_root, out) = built(|yaml| yaml);
    let all = search(out.path(), &["", "--enabler", "shared-data", "--limit", "100"]);
    let dates: Vec<&str> = all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["date"].as_str().unwrap())
        .collect();
    assert!(dates.len() >= 6, "{all}");
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert_eq!(all["total"].as_u64().unwrap() as usize, dates.len());
    assert_eq!(search(out.path(), &[""])["total"], 0, "no words and no filter: nothing");
}

#[test]
fn english_sites_stem_and_others_only_fold_accents() {
    let (_root, english) = built(|yaml| yaml);
    assert_eq!(urls(&search(english.path(), &["reunion "]))[0], "/blog/reunions/");
    let (_root, french) = built(|yaml| yaml.replace("language: en-GB", "language: fr"));
    assert_eq!(urls(&search(french.path(), &["reunions "]))[0], "/blog/reunions/");
    assert_eq!(search(french.path(), &["--exact", "reunion "])["total"], 0);
}

#[test]
fn a_question_is_ranked_by_what_it_asks_not_the_words_it_is_phrased_with() {
    let (_root, out) = built(|yaml| yaml);
    let site = out.path();
    // "how do I … a" are left out: the page made of them is no hit, the one about feeding
    // numbats is first.
    let question = search(site, &["how do I feed a numbat "]);
    assert_eq!(urls(&question)[0], "/blog/numbat-feeding/", "{question}");
    assert!(!urls(&question).contains(&"/blog/how-do-i/"), "{question}");
    assert_eq!(
        question["total"],
        search(site, &["feed numbat "])["total"],
        "{question}"
    );
    // Quoted, or all the query has, they are searched for.
    assert!(urls(&search(site, &["\"how\" numbat "])).contains(&"/blog/how-do-i/"));
    assert_eq!(urls(&search(site, &["how do I "]))[0], "/blog/how-do-i/");
    // Only English sites know which words are function words.
    let (_root, french) = built(|yaml| yaml.replace("language: en-GB", "language: fr"));
    assert!(urls(&search(french.path(), &["how do I feed a numbat "])).contains(&"/blog/how-do-i/"));
}

#[test]
fn a_word_typed_in_full_outranks_the_longer_words_it_begins() {
    let (_root, out) = built(|yaml| yaml);
    // `site` is being typed: it also matches `sitemaps`, but less than `site` itself.
    let typing = search(out.path(), &["site"]);
    assert_eq!(
        urls(&typing)[..2],
        ["/blog/site-visits/", "/blog/sitemaps/"],
        "{typing}"
    );
    let sitemap = search(out.path(), &["sitemap"]);
    assert_eq!(urls(&sitemap)[0], "/blog/sitemaps/", "{sitemap}");
}

#[test]
fn the_page_whose_title_is_the_query_outranks_longer_titles_containing_it() {
    let (_root, out) = built(|yaml| yaml);
    // The news post's body repeats the words, which BM25 alone rewards (it ranked first); its
    // title holds the query and more, the guide's title is the query.
    for query in [
        "guide to the wallaby act ",
        "Guide to the Wallaby Act",
        "wallaby act guide ",
    ] {
        let known = search(out.path(), &[query]);
        assert_eq!(
            urls(&known)[..2],
            ["/blog/wallaby-act-guide/", "/blog/wallaby-act-news/"],
            "{known}"
        );
    }
    // The same words in a longer question are no known-item query: the body that answers it
    // keeps its place.
    let question = search(
        out.path(),
        &["why does the guide explain the wallaby act section by section "],
    );
    assert_eq!(urls(&question)[0], "/blog/wallaby-act-news/", "{question}");
}

#[test]
fn a_misspelt_word_is_corrected_even_when_the_other_words_match_many_pages() {
    let (_root, out) = built(|yaml| yaml);
    // `guide` alone matches many pages; `wallabee` matches none and stands for `wallaby`.
    let typo = search(out.path(), &["wallabee guide "]);
    assert_eq!(typo["corrected"]["to"], "wallaby guide", "{typo}");
    let mut first = urls(&typo)[..2].to_vec();
    first.sort();
    assert_eq!(first, ["/blog/wallaby-act-guide/", "/blog/wallaby-act-news/"], "{typo}");
    let exact = search(out.path(), &["--exact", "wallabee guide "]);
    assert!(exact["corrected"].is_null(), "{exact}");
    assert!(exact["total"].as_u64().unwrap() >= 3, "{exact}");
}

#[test]
fn the_page_holding_the_query_words_close_together_outranks_one_using_them_apart() {
    let (_root, out) = built(|yaml| yaml);
    // The news post has every word too, `dingo` in its title and twice in its body, which
    // BM25 rewards; the permits page answers the question, its words within one sentence.
    let question = search(out.path(), &["how do I renew a dingo licence "]);
    assert_eq!(
        urls(&question)[..2],
        ["/blog/dingo-licence/", "/blog/dingo-news/"],
        "{question}"
    );
    // The first hits are ranked again before the limit cuts them.
    let first = search(out.path(), &["how do I renew a dingo licence ", "--limit", "1"]);
    assert_eq!(urls(&first), ["/blog/dingo-licence/"], "{first}");
    // Words apart in two sections are not close: one word alone ranks by BM25 as before.
    let one = search(out.path(), &["dingo "]);
    assert_eq!(urls(&one)[0], "/blog/dingo-news/", "{one}");
}
