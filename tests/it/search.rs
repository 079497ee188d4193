//! Search, end to end: build the fixture library in tests/sites/search with the real binary,
//! then query it with `casebook search --json` and check the top hit of each query.

use crate::common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_casebook");

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/search")
}

/// Builds `root` into a fresh temporary folder.
fn build(root: &Path) -> common::BuiltSite {
    common::build_with_binary(root)
}

/// Runs `casebook search --json --index SITE ARGS...` and parses its output.
fn search(site: &Path, args: &[&str]) -> Value {
    common::search_json(site, args)
}

/// (arguments, expected top url or None for no hits).
const QUERIES: &[(&[&str], Option<&str>)] = &[
    (&["deprescribing"], Some("/toolkits/deprescribing-care-homes/")),
    (
        &["deprescribing care homes"],
        Some("/toolkits/deprescribing-care-homes/"),
    ),
    (
        &["collaborating"],
        Some("/case-studies/collaborative-leadership-frimley/"),
    ),
    (&["cafe"], Some("/case-studies/memory-cafe-carers/")),
    (&["Café"], Some("/case-studies/memory-cafe-carers/")),
    (&["deprescibing"], Some("/toolkits/deprescribing-care-homes/")),
    (&["dashbord"], Some("/case-studies/anticoagulation-dashboard/")),
    (&["spirometry"], Some("/guides/spirometry-clinics/")),
    (&["inhaler"], Some("/case-studies/inhaler-technique-partnership/")),
    (&["huddles"], Some("/toolkits/joint-huddle-starter-kit/")),
    (&["Wealdhurst"], Some("/reports/care-home-medicines-audit/")),
    (
        &["\"care homes\" medicines"],
        Some("/reports/care-home-medicines-audit/"),
    ),
    (
        &["trust", "--type", "research"],
        Some("/research/trust-gps-pharmacists/"),
    ),
    (&["listening", "--type", "blog"], Some("/blog/first-hundred-days/")),
    (
        &["pharmacy", "--enabler", "citizen-voice"],
        Some("/research/pharmacy-voice-governance/"),
    ),
    (
        &["medicines", "--facet", "settings=care-homes", "--type", "toolkit"],
        Some("/toolkits/deprescribing-care-homes/"),
    ),
    (
        &["inhaler", "--type", "guide", "--type", "toolkit"],
        Some("/guides/spirometry-clinics/"),
    ),
    (&["zebrafinch"], None),
    (&["qwxyzzy"], None),
];

#[test]
fn each_fixture_query_finds_its_expected_top_hit() {
    let site = build(&fixture());
    for (args, expected) in QUERIES {
        let result = search(site.path(), args);
        let top = result["hits"].get(0).map(|h| h["url"].as_str().unwrap());
        assert_eq!(top, *expected, "query {args:?} gave {result}");
        if expected.is_none() {
            assert_eq!(result["total"], 0, "query {args:?}");
        }
    }
}

#[test]
fn the_drafts_unique_word_is_found_only_when_drafts_are_built() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let status = Command::new(BIN)
        .args(["build", "--quiet", "--drafts", "--root"])
        .arg(fixture())
        .arg("--output")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let result = search(&out, &["zebrafinch"]);
    assert_eq!(result["hits"][0]["url"], "/blog/draft-zebrafinch-notes/");
}

#[test]
fn json_has_the_documented_shape_with_marked_excerpts() {
    let site = build(&fixture());
    let result = search(site.path(), &["medicines", "--limit", "2"]);
    assert_eq!(result["query"], "medicines");
    assert!(result["total"].as_u64().unwrap() > 2);
    let hits = result["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 2);
    let hit = &hits[0];
    for key in ["url", "title", "type", "date", "enablers", "score", "excerpt", "sub"] {
        assert!(!hit[key].is_null(), "hit lacks {key}: {hit}");
    }
    assert!(result["corrected"].is_null(), "{result}");
    assert!(hit["excerpt"].as_str().unwrap().contains("<mark>"), "{hit}");
    assert!(hits[0]["score"].as_f64() >= hits[1]["score"].as_f64());
}

#[test]
fn filters_combine_as_and_across_facets_and_or_within_one() {
    let site = build(&fixture());
    let total = |args: &[&str]| search(site.path(), args)["total"].as_u64().unwrap();
    let guides = total(&["care", "--type", "guide"]);
    let toolkits = total(&["care", "--type", "toolkit"]);
    assert_eq!(
        total(&["care", "--type", "guide", "--type", "toolkit"]),
        guides + toolkits
    );
    assert!(total(&["care", "--type", "toolkit", "--enabler", "relationships-and-trust"]) < toolkits);
}

#[test]
fn two_builds_write_byte_identical_search_indexes() {
    let (a, b) = (build(&fixture()), build(&fixture()));
    assert_eq!(
        common::tree(&a.path().join("search")),
        common::tree(&b.path().join("search"))
    );
    let files = |dir: &Path| {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.join("search/tantivy"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let first = files(a.path());
    assert!(first.iter().any(|(name, _)| name == "meta.json"));
    assert!(
        !first.iter().any(|(name, _)| name.starts_with('.')),
        "lock files left behind"
    );
    assert_eq!(first, files(b.path()));
}

#[test]
fn searching_a_read_only_copy_writes_nothing_into_it() {
    let site = build(&fixture());
    let index = site.path().join("search/tantivy");
    let before = std::fs::read_dir(&index).unwrap().count();
    for entry in std::fs::read_dir(&index).unwrap() {
        let path = entry.unwrap().path();
        let mut perms = std::fs::metadata(&path).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&path, perms).unwrap();
    }
    let result = search(&index, &["deprescribing"]);
    assert_eq!(result["total"], 1);
    assert_eq!(std::fs::read_dir(&index).unwrap().count(), before);
}

#[test]
fn a_site_without_an_index_exits_2_with_advice() {
    let empty = tempfile::tempdir().unwrap();
    let output = Command::new(BIN)
        .args(["search", "anything", "--root"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("run `casebook build` first"));
}

#[test]
fn text_in_the_browser_index_cannot_break_out_of_its_script() {
    let root = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture(), root.path());
    let evil = root.path().join("content/blog/evil.md");
    std::fs::write(
        &evil,
        "---\ntitle: \"</script><script>alert(1)</script> \u{2028} 'quoted' & \\\"double\\\"\"\nsummary: \"A line\u{2029}separator <!-- comment\"\ndate: 2024-01-01\n---\nBody </SCRIPT> text.\n",
    )
    .unwrap();
    let site = build(root.path());
    let mut all = String::new();
    for (path, bytes) in common::tree(&site.path().join("search")) {
        if path.ends_with(".js") {
            let js = String::from_utf8(bytes).unwrap();
            for bad in ["<", ">", "\u{2028}", "\u{2029}"] {
                assert!(!js.contains(bad), "{path} contains {bad:?}");
            }
            if js.starts_with("CasebookChunk(") {
                all.push_str(&common::chunk_data(js.as_bytes()).1);
            }
        }
    }
    // The text itself is all there, packed (base64 has none of the characters above).
    assert!(
        all.contains("</script><script>alert(1)</script> \u{2028} 'quoted'"),
        "{all:.300}"
    );
}

#[test]
fn search_into_a_reader_that_stopped_reading_exits_without_a_panic() {
    // `casebook search … | head`: the pipe's reader is gone before the hits are written.
    let site = build(&fixture());
    let mut child = Command::new(BIN)
        .args(["search", "care", "--index"])
        .arg(site.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

#[test]
fn the_words_of_raw_html_blocks_are_searched_and_excerpted_without_tags() {
    let site = common::TinySite::new();
    std::fs::write(
        site.path("site/content/toolkits/moved.md"),
        "---\ntitle: \"Moved from another generator\"\nsummary: \"Its body is raw HTML.\"\nenablers: [shared-purpose]\n---\n\n\
         <p>Ask the <em>Wealdhurst</em> network &amp; its\n<a href=\"https://example.org/\">pharmacists</a>.</p>\n\
         <ul><li>first</li><li>second</li></ul><style>.hidden{}</style><script>var zebrafish = 1;</script>\n",
    )
    .unwrap();
    site.build();
    let hits = search(&site.public(), &["wealdhurst pharmacists"]);
    assert_eq!(hits["hits"][0]["url"], "/toolkits/moved/");
    let excerpt = hits["hits"][0]["excerpt"].as_str().unwrap();
    assert!(
        excerpt.contains("<mark>Wealdhurst</mark> network &amp; its <mark>pharmacists</mark>"),
        "{excerpt}"
    );
    assert!(!excerpt.contains("&lt;"), "no tags as text: {excerpt}");
    assert_eq!(
        search(&site.public(), &["\"first second\""])["hits"][0]["url"],
        "/toolkits/moved/"
    );
    assert_eq!(
        search(&site.public(), &["zebrafish"])["total"],
        0,
        "a script is not text"
    );
}

#[test]
fn a_glossary_abbreviation_and_its_expansion_find_each_other() {
    let site = common::TinySite::new();
    let config = site.path("site/casebook.yaml");
    let yaml = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!(
            "{yaml}\nglossary:\n  PCN:\n    expansion: primary care network\n    definition: Practices together.\n"
        ),
    )
    .unwrap();
    let page = |name: &str, title: &str, body: &str| {
        std::fs::write(
            site.path(&format!("site/content/toolkits/{name}.md")),
            format!("---\ntitle: \"{title}\"\nsummary: \"A page.\"\nenablers: [shared-purpose]\n---\n\n{body}\n"),
        )
        .unwrap();
    };
    page("abbreviated", "Leading locally", "Our PCNs meet monthly.");
    page(
        "spelt-out",
        "Working together",
        "Each primary care network meets monthly.",
    );
    page(
        "neither",
        "Elsewhere",
        "The physics of care: pcn in lower case is not the abbreviation.",
    );
    site.build();
    let urls = |query: &str| -> Vec<String> {
        let found = search(&site.public(), &[query]);
        let hits = found["hits"].as_array().unwrap();
        let mut urls: Vec<String> = hits.iter().map(|h| h["url"].as_str().unwrap().to_string()).collect();
        urls.sort();
        urls
    };
    let both = ["/toolkits/abbreviated/", "/toolkits/spelt-out/"];
    assert_eq!(urls("\"primary care network\""), both);
    assert_eq!(
        urls("PCN"),
        ["/toolkits/abbreviated/", "/toolkits/neither/", "/toolkits/spelt-out/"]
    );
    assert_eq!(urls("\"monthly\" primary care networks"), both);
}
