//! What an imported (or new) site needs (issue #14, items 4–9): `checks:` letting a class of
//! problem through as a warning, foreign fields sent to `extra` or dropped, redirect pages for
//! old URLs, transliterated slugs, `init`/`new`/`theme eject` for a fresh site and the CI
//! workflow `init --ci github` writes.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn casebook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A small site: `casebook.yaml` with one enabler and `extra_config` appended, and `files`
/// (path under the site, text).
fn site(extra_config: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = format!(
        "title: Imported\ntaxonomies:\n  enablers:\n    name: Enablers\n    terms:\n      - {{ slug: shared-purpose, name: Shared purpose }}\n{extra_config}"
    );
    write(dir.path(), "casebook.yaml", &config);
    for (rel, text) in files {
        write(dir.path(), rel, text);
    }
    dir
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const WITH_A_BROKEN_LINK_AND_AN_UNKNOWN_TERM: &str =
    "---\ntitle: Old post\nsummary: S\nenablers: [shared-purpose, trsut]\n---\nSee [the minutes](minutes-2019.pdf).\n";

#[test]
fn checks_warn_lets_a_build_past_broken_links_and_unknown_terms_and_defaults_stay_strict() {
    let files = [("content/toolkits/old.md", WITH_A_BROKEN_LINK_AND_AN_UNKNOWN_TERM)];
    let strict = site("", &files);
    let root = strict.path().to_str().unwrap();
    assert_eq!(casebook(&["check", "--root", root]).status.code(), Some(1));
    assert_eq!(casebook(&["build", "--root", root]).status.code(), Some(1));

    let lenient = site("checks:\n  broken-link: warn\n  unknown-term: warn\n", &files);
    let root = lenient.path().to_str().unwrap();
    let check = casebook(&["check", "--root", root]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(stderr(&check).contains("0 errors, 2 warnings"), "{}", stderr(&check));
    let build = casebook(&["build", "--root", root]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(stderr(&build).contains("warning: link target `minutes-2019.pdf` does not exist [broken-link]"));
    let page = fs::read_to_string(lenient.path().join("public/toolkits/old/index.html")).unwrap();
    assert!(
        page.contains("Shared purpose") && !page.contains("trsut"),
        "an undefined term is left off"
    );
}

#[test]
fn checks_never_let_a_script_link_or_a_missing_title_through() {
    let files = [
        (
            "content/toolkits/a.md",
            "---\ntitle: A\nsummary: S\nenablers: [shared-purpose]\n---\n[x](javascript:alert(1))\n",
        ),
        (
            "content/toolkits/b.md",
            "---\nsummary: S\nenablers: [shared-purpose]\n---\nBody.\n",
        ),
    ];
    let dir = site("checks: { broken-link: warn, missing-field: warn }\n", &files);
    let out = casebook(&["check", "--root", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().into(),
                d["severity"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("broken-link".into(), "error".into()),
            ("missing-field".into(), "error".into())
        ]
    );
}

const FOREIGN_FIELDS: &str =
    "frontmatter:\n  aliases: { source: extra.source_org, topics: enablers }\n  ignore: [weight]\n";

#[test]
fn a_foreign_field_sharing_a_built_in_name_goes_to_extra_and_ignored_fields_are_dropped() {
    let file = "---\ntitle: From Hugo\nsummary: S\nsource: gsa\nweight: 3\ntopics: [shared-purpose]\n---\nBody.\n";
    let dir = site(FOREIGN_FIELDS, &[("content/toolkits/x.md", file)]);
    let (site, problems) = casebook::Site::load(dir.path(), &casebook::BuildOptions::default()).unwrap();
    assert!(problems.is_empty(), "{:?}", problems.sorted());
    let resource = &site.pages[0].resource;
    assert_eq!(resource.extra, serde_json::json!({ "source_org": "gsa" }));
    assert!(resource.source.is_none());
    assert_eq!(resource.terms["enablers"], ["shared-purpose"]);
}

#[test]
fn a_field_that_cannot_go_into_extra_is_a_located_error() {
    let file = "---\ntitle: T\nsummary: S\nextra: { source_org: kept }\nsource: gsa\n---\n";
    let dir = site(FOREIGN_FIELDS, &[("content/toolkits/x.md", file)]);
    let out = casebook(&["check", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(
        text.contains("`source` cannot go into `extra.source_org`: `extra` already has `source_org`"),
        "{text}"
    );
    assert!(text.contains("content/toolkits/x.md:5:1"), "{text}");
}

/// The href of `<meta http-equiv="refresh">` in `html`.
fn refresh_target(html: &str) -> &str {
    let rest = html.split("http-equiv=\"refresh\" content=\"0; url=").nth(1).unwrap();
    &rest[..rest.find('"').unwrap()]
}

#[test]
fn an_alias_writes_a_relative_redirect_page_listed_nowhere_else() {
    let file = "---\ntitle: Moved here\nsummary: S\nenablers: [shared-purpose]\naliases: [old/path/, /posts/2019/moved.html]\n---\nBody.\n";
    let dir = site("", &[("content/toolkits/moved.md", file)]);
    let build = casebook(&["build", "--root", dir.path().to_str().unwrap()]);
    assert!(build.status.success(), "{}", stderr(&build));
    let public = dir.path().join("public");
    for (alias, page) in [
        ("old/path/index.html", "../../toolkits/moved/index.html"),
        ("posts/2019/moved.html", "../../toolkits/moved/index.html"),
    ] {
        let html = fs::read_to_string(public.join(alias)).unwrap();
        assert_eq!(refresh_target(&html), page, "{alias}");
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"{page}\">")),
            "{html}"
        );
        assert!(html.contains(&format!("<a href=\"{page}\">Moved here</a>")), "{html}");
        // Relative to where the redirect stands, so it lands on the page from disk or any sub-path.
        let landed = public.join(alias).parent().unwrap().join(page);
        assert!(
            fs::read_to_string(landed).unwrap().contains("<h1"),
            "{alias} leads to the page"
        );
    }
    for listing in ["sitemap.xml", "atom.xml", "search/index.js"] {
        let text = fs::read_to_string(public.join(listing)).unwrap();
        assert!(
            !text.contains("old/path") && !text.contains("moved.html"),
            "{listing} lists a redirect"
        );
    }
}

#[test]
fn an_alias_over_a_real_page_is_an_output_collision_naming_both() {
    let page = "---\ntitle: Kept\nsummary: S\nenablers: [shared-purpose]\n---\n";
    let moved = "---\ntitle: Moved\nsummary: S\nenablers: [shared-purpose]\naliases: [/toolkits/kept/, ../up/]\n---\n";
    let dir = site(
        "",
        &[("content/toolkits/kept.md", page), ("content/toolkits/moved.md", moved)],
    );
    let out = casebook(&["check", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(
        text.contains("the redirect from `/toolkits/kept/` (an alias of `content/toolkits/moved.md`) would be written to `toolkits/kept/index.html`, where the page of `content/toolkits/kept.md` also goes"),
        "{text}"
    );
    assert!(
        text.contains("content/toolkits/moved.md:5:11"),
        "located at the alias: {text}"
    );
    assert!(
        text.contains("error[invalid-slug]: alias `../up/` has an empty, `.` or `..` folder name"),
        "{text}"
    );
}
