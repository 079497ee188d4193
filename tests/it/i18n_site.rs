//! Bilingual sites (issue #13), end to end on `tests/sites/bilingual/`: translations beside
//! their originals published under `cy/` at the same path, what they inherit, the links
//! between the languages (`hreflang`, the language switch, the sitemap's alternates), each
//! language's listings, feeds and search, and the editors' side (`check`, `new --lang`).

use crate::common;

use casebook::diagnostics::Code;
use casebook::render::theme::Theme;
use casebook::{BuildOptions, Output, Site};
use std::path::Path;
use std::sync::OnceLock;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sites/bilingual");

/// The fixture built once, in memory.
fn built() -> &'static Output {
    static BUILT: OnceLock<Output> = OnceLock::new();
    BUILT.get_or_init(|| render(Path::new(FIXTURE)))
}

fn render(root: &Path) -> Output {
    let (site, problems) = Site::load(root, &BuildOptions::default()).unwrap_or_else(|_| panic!("loading"));
    assert!(!problems.has_errors(), "{:?}", problems.sorted());
    let theme = Theme::load(root, &site.config).unwrap_or_else(|p| panic!("{:?}", p.sorted()));
    site.render_with(&theme).unwrap_or_else(|p| panic!("{:?}", p.sorted()))
}

fn page(path: &str) -> String {
    common::output_page(built(), path)
}

#[test]
fn a_translation_is_published_under_its_language_at_its_originals_path() {
    let welsh = page("cy/case-studies/community-pharmacy-network/index.html");
    assert!(welsh.contains("<html lang=\"cy\">"), "the page's language");
    assert!(welsh.contains("Rhwydwaith fferylliaeth gymunedol yng Ngwynedd"));
    assert!(
        welsh.contains("Llyfrgell Arweinyddiaeth Gogledd Cymru"),
        "the site title in Welsh"
    );
    let english = page("case-studies/community-pharmacy-network/index.html");
    assert!(english.contains("<html lang=\"en-GB\">"));
    // A bundle's translation (`index.cy.md`) and a home page's (`_index.cy.md`).
    assert!(page("cy/toolkits/shared-rota/index.html").contains("Rhannu un rota"));
    assert!(page("cy/index.html").contains("Astudiaethau achos, pecynnau cymorth ac ymchwil i arweinwyr"));
}

#[test]
fn a_name_with_a_dot_that_is_no_language_is_not_a_translation() {
    assert!(page("reports/plan-v2/index.html").contains("Plan, second version"));
}

#[test]
fn every_translated_page_links_its_versions_with_hreflang_and_x_default() {
    let welsh = page("cy/research/trust-between-practices/index.html");
    for link in [
        r#"<link rel="alternate" hreflang="en-GB" href="https://library.example.org/research/trust-between-practices/">"#,
        r#"<link rel="alternate" hreflang="cy" href="https://library.example.org/cy/research/trust-between-practices/">"#,
        r#"<link rel="alternate" hreflang="x-default" href="https://library.example.org/research/trust-between-practices/">"#,
    ] {
        assert!(welsh.contains(link), "{link}");
    }
    assert!(page("research/trust-between-practices/index.html")
        .contains(r#"hreflang="cy" href="https://library.example.org/cy/research/trust-between-practices/""#));
}

#[test]
fn the_language_switch_names_each_language_in_itself_with_relative_links() {
    let english = page("guides/listening-to-patients/index.html");
    assert!(english
        .contains(r#"<a href="../../cy/guides/listening-to-patients/index.html" hreflang="cy" lang="cy">Cymraeg</a>"#));
    let welsh = page("cy/guides/listening-to-patients/index.html");
    assert!(welsh.contains(
        r#"<a href="../../../guides/listening-to-patients/index.html" hreflang="en-GB" lang="en-GB">English</a>"#
    ));
    assert!(
        !welsh.contains(">Cymraeg</a>"),
        "the page's own language is not offered"
    );
}

#[test]
fn a_page_without_a_translation_switches_to_the_other_languages_home() {
    let english_only = page("reports/annual-review/index.html");
    assert!(english_only.contains(r#"<a href="../../cy/index.html" hreflang="cy" lang="cy">Cymraeg</a>"#));
    assert!(
        !english_only.contains("hreflang=\"x-default\""),
        "no translation: no alternates in the head"
    );
    assert!(!built().contains("cy/reports/annual-review/index.html"));
}

#[test]
fn a_translation_inherits_terms_dates_and_attachments_unless_it_sets_its_own() {
    let inherited = page("cy/case-studies/community-pharmacy-network/index.html");
    assert!(inherited.contains("2024-03-14"), "the original's date");
    assert!(
        inherited.contains("Pwrpas cyffredin"),
        "the original's terms, named in Welsh"
    );
    let own_date = page("cy/case-studies/cardiff-care-homes/index.html");
    assert!(own_date.contains("2023-12-01") && !own_date.contains("2023-11-02"));
    // The Welsh research sets its own enablers: it is on the Welsh citizen-voice page only.
    assert!(page("cy/enablers/citizen-voice/index.html").contains("Ymddiriedaeth rhwng meddygfeydd a fferyllwyr"));
    assert!(!page("enablers/citizen-voice/index.html").contains("Trust between GP practices"));
    // The bundle's file is shared, not copied.
    assert!(page("cy/toolkits/shared-rota/index.html")
        .contains(r#"href="../../../toolkits/shared-rota/rota.csv" download>Rota template"#));
    assert!(!built().contains("cy/toolkits/shared-rota/rota.csv"));
}

#[test]
fn links_in_a_translation_go_to_the_translation_where_there_is_one() {
    let welsh = page("cy/case-studies/community-pharmacy-network/index.html");
    assert!(welsh.contains(r#"<a href="../../toolkits/shared-rota/index.html" data-path="cy/toolkits/shared-rota/">"#));
    assert!(
        welsh.contains(r#"<a href="../../../reports/annual-review/index.html" data-path="reports/annual-review/">"#)
    );
}

#[test]
fn each_language_has_its_listings_terms_coverage_feeds_and_search() {
    for path in [
        "cy/index.html",
        "cy/atom.xml",
        "cy/case-studies/index.html",
        "cy/enablers/index.html",
        "cy/enablers/shared-purpose/index.html",
        "cy/enablers/shared-purpose/atom.xml",
        "cy/enablers/coverage/index.html",
        "cy/search/index.html",
        "cy/search/index.js",
    ] {
        assert!(built().contains(path), "{path}");
    }
    assert!(page("cy/enablers/index.html").contains("Galluogwyr"));
    assert!(page("cy/case-studies/index.html").contains("Sut y bu timau yng Ngogledd Cymru"));
    let search = page("cy/search/index.html");
    assert!(
        search.contains(r#"<script src="../../cy/search/index.js">"#),
        "its own index"
    );
    // One 404 page, robots.txt and sitemap for the whole site.
    for path in ["cy/404.html", "cy/robots.txt", "cy/sitemap.xml"] {
        assert!(!built().contains(path), "{path}");
    }
}

#[test]
fn the_one_sitemap_lists_every_language_with_its_alternates() {
    let sitemap = page("sitemap.xml");
    assert!(sitemap.contains(r#"xmlns:xhtml="http://www.w3.org/1999/xhtml""#));
    assert!(sitemap.contains("<loc>https://library.example.org/cy/guides/listening-to-patients/</loc>"));
    assert!(sitemap.contains(r#"<xhtml:link rel="alternate" hreflang="cy" href="https://library.example.org/cy/guides/listening-to-patients/"/>"#));
    let english_only = sitemap.lines().find(|l| l.contains("reports/annual-review/")).unwrap();
    assert!(!english_only.contains("xhtml:link"), "{english_only}");
}

#[test]
fn a_site_of_one_language_has_no_switch_alternates_or_language_folders() {
    let output = render(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/search"));
    let home = String::from_utf8(output.bytes("index.html").unwrap().to_vec()).unwrap();
    assert!(!home.contains("language-switch") && !home.contains("hreflang"));
    assert!(!String::from_utf8_lossy(output.bytes("sitemap.xml").unwrap()).contains("xhtml"));
}

#[test]
fn the_plan_lists_every_path_a_bilingual_build_writes() {
    let (written, planned) = common::written_and_planned(Path::new(FIXTURE));
    let folder = |p: &str| {
        casebook::search::INDEX_FOLDERS.iter().any(|f| {
            p.strip_prefix("cy/")
                .is_some_and(|rest| rest.starts_with(&format!("{f}/")))
        })
    };
    // The helper folds the default language's index folders; fold the Welsh ones alike.
    let written: std::collections::BTreeSet<String> = written
        .into_iter()
        .map(|p| match folder(&p) {
            true => casebook::search::INDEX_FOLDERS
                .iter()
                .map(|f| format!("cy/{f}"))
                .find(|f| p.starts_with(&format!("{f}/")))
                .unwrap(),
            false => p,
        })
        .collect();
    assert_eq!(written, planned);
}

#[test]
fn a_translation_without_its_original_is_an_error_at_it() {
    let site = common::copy_fixture("tests/sites/bilingual");
    let orphan = site.path().join("content/guides/lost.cy.md");
    std::fs::write(
        &orphan,
        "---\ntitle: \"Ar goll\"\nsummary: \"Dim gwreiddiol.\"\n---\nTestun.\n",
    )
    .unwrap();
    let problems = casebook::check(site.path(), &BuildOptions::default()).unwrap_or_else(|_| panic!("check"));
    let found: Vec<_> = problems
        .sorted()
        .into_iter()
        .filter(|d| d.code == Code::MissingOriginal)
        .collect();
    assert_eq!(found.len(), 1, "{:?}", problems.sorted());
    assert_eq!(
        (found[0].file.as_str(), found[0].line),
        ("content/guides/lost.cy.md", 1)
    );
    assert!(
        found[0].message.contains("content/guides/lost.md"),
        "{}",
        found[0].message
    );
}

#[test]
fn new_with_lang_writes_a_translation_beside_its_original() {
    let site = common::copy_fixture("tests/sites/bilingual");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
            .args(["new", "--root"])
            .arg(site.path())
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&[
        "report",
        "Adolygiad blynyddol",
        "--lang",
        "cy",
        "--of",
        "content/reports/annual-review.md",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(site.path().join("content/reports/annual-review.cy.md")).unwrap();
    assert!(text.starts_with("---\ntitle: \"Adolygiad blynyddol\"\n"), "{text}");
    let problems = casebook::check(site.path(), &BuildOptions::default()).unwrap_or_else(|_| panic!("check"));
    assert!(
        !problems.has_errors(),
        "a new translation checks clean: {:?}",
        problems.sorted()
    );
    let unknown = run(&["guide", "Teitl", "--lang", "gd"]);
    assert_eq!(unknown.status.code(), Some(2));
    // Without --of, named from the title (transliterated: ŵ -> w, ô -> o).
    let out = run(&["guide", "Dŵr a'r Môr", "--lang", "cy"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(site.path().join("content/guides/dwr-a-r-mor.cy.md").is_file());
}

#[test]
fn search_by_language_answers_from_that_languages_index() {
    let out = common::build_with_binary(Path::new(FIXTURE));
    let welsh = common::search_json(out.path(), &["--lang", "cy", "fferyllwyr"]);
    let urls: Vec<&str> = welsh["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["url"].as_str().unwrap())
        .collect();
    assert!(urls.contains(&"/cy/research/trust-between-practices/"), "{urls:?}");
    let english = common::search_json(out.path(), &["fferyllwyr"]);
    assert!(
        english["hits"].as_array().unwrap().is_empty(),
        "Welsh words are not in the English index"
    );
}

#[test]
fn check_counts_untranslated_resources_for_information_not_as_a_failure() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["check", "--color", "never", "--root", FIXTURE])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(
            "info: 2 resources have no `cy` translation: content/reports/annual-review.md, content/reports/plan.v2.md"
        ),
        "{stderr}"
    );
}
