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

#[test]
fn slugs_keep_their_letters_in_file_names_new_titles_and_heading_ids() {
    let file = "---\ntitle: Café\nsummary: S\nenablers: [shared-purpose]\n---\n## Zürich\n";
    let dir = site("", &[("content/toolkits/Café.md", file)]);
    let root = dir.path().to_str().unwrap();
    let new = casebook(&["new", "toolkit", "Dŵr a'r Môr", "--root", root]);
    assert!(new.status.success(), "{}", stderr(&new));
    assert!(dir.path().join("content/toolkits/dwr-a-r-mor.md").exists());
    fs::remove_file(dir.path().join("content/toolkits/dwr-a-r-mor.md")).unwrap();
    assert!(casebook(&["build", "--root", root]).status.success());
    let page = fs::read_to_string(dir.path().join("public/toolkits/cafe/index.html")).unwrap();
    assert!(page.contains("id=\"zurich\""), "{page}");
}

/// A fresh site made by `init` in a temporary folder, and its path as text.
fn fresh_site(extra: &[&str]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("library").to_str().unwrap().to_string();
    let mut args = vec!["init", root.as_str()];
    args.extend(extra);
    let out = casebook(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    (dir, root)
}

#[test]
fn new_writes_an_outline_that_fits_the_type_and_lists_optional_taxonomies() {
    let (_dir, root) = fresh_site(&[]);
    for (kind, title) in [("case-study", "A story"), ("toolkit", "A kit")] {
        assert!(casebook(&["new", kind, title, "--root", &root]).status.success());
    }
    let story = fs::read_to_string(format!("{root}/content/case-studies/a-story.md")).unwrap();
    let kit = fs::read_to_string(format!("{root}/content/toolkits/a-kit.md")).unwrap();
    assert!(
        story.contains("## What we learned") && !story.contains("## Steps"),
        "{story}"
    );
    assert!(kit.contains("## Steps") && !kit.contains("## What we learned"), "{kit}");
    assert!(
        kit.contains("# settings: []  # optional; one or more of: general-practice, community-pharmacy"),
        "{kit}"
    );
    // The empty required list is reported where it stands, not at 1:1.
    let check = casebook(&["check", "--root", &root]);
    let text = stderr(&check);
    let line = kit.lines().position(|l| l.starts_with("enablers: []")).unwrap() + 1;
    assert!(text.contains(&format!("content/toolkits/a-kit.md:{line}:1")), "{text}");
}

#[test]
fn theme_eject_copies_one_template_which_then_overrides_the_built_in_one() {
    let (_dir, root) = fresh_site(&[]);
    let eject = casebook(&["theme", "eject", "resource.html", "--root", &root]);
    assert!(eject.status.success(), "{}", stderr(&eject));
    let path = format!("{root}/templates/resource.html");
    let template = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        template.replacen("{% block content %}", "{% block content %}<p>Ejected!</p>", 1),
    )
    .unwrap();
    assert!(casebook(&["build", "--root", &root]).status.success());
    let page = fs::read_to_string(format!("{root}/public/toolkits/first-toolkit/index.html")).unwrap();
    assert!(page.contains("<p>Ejected!</p>"));
    let again = casebook(&["theme", "eject", "resource.html", "--root", &root]);
    assert_eq!(again.status.code(), Some(2), "never overwrites");
    let typo = casebook(&["theme", "eject", "resorce.html", "--root", &root]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        stderr(&typo).contains("did you mean `resource.html`?"),
        "{}",
        stderr(&typo)
    );
}

/// Splits a workflow `run:` line into words, as the shell would for these simple lines.
fn words(line: &str) -> Vec<String> {
    line.split_whitespace()
        .map(|w| w.trim_matches('"').to_string())
        .collect()
}

#[test]
fn init_ci_github_writes_a_workflow_that_parses_and_runs_real_commands() {
    let (_dir, root) = fresh_site(&["--ci", "github"]);
    let text = fs::read_to_string(format!("{root}/.github/workflows/casebook.yml")).unwrap();
    let workflow: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    let on = &workflow["on"];
    assert!(on.get("pull_request").is_some(), "{on}");
    assert_eq!(on["push"]["branches"], serde_json::json!(["main"]));
    let jobs = workflow["jobs"].as_object().unwrap();
    let steps = |job: &str| jobs[job]["steps"].as_array().unwrap().clone();
    let uses: Vec<String> = jobs
        .keys()
        .flat_map(|job| steps(job))
        .filter_map(|s| s["uses"].as_str().map(String::from))
        .collect();
    for action in [
        "actions/checkout@",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
    ] {
        assert!(uses.iter().any(|u| u.starts_with(action)), "{action} in {uses:?}");
    }
    assert_eq!(jobs["check"]["if"], "github.event_name == 'pull_request'");
    assert_eq!(jobs["deploy"]["permissions"]["pages"], "write");
    // Every casebook command the workflow runs is run here, flags and all, on the new site.
    let runs: Vec<(String, String)> = jobs
        .keys()
        .flat_map(|job| steps(job).into_iter().map(move |s| (job.clone(), s)))
        .filter_map(|(job, s)| Some((job, s["run"].as_str()?.to_string())))
        .filter(|(_, run)| run.starts_with("casebook "))
        .collect();
    let jobs_run: Vec<&str> = runs.iter().map(|(job, _)| job.as_str()).collect();
    assert_eq!(jobs_run, ["build", "check"], "{runs:?}");
    for (_, run) in &runs {
        let line = run.replace(
            "${{ steps.pages.outputs.base_url }}",
            "https://example.github.io/library",
        );
        let mut args = words(&line);
        args.remove(0);
        args.extend(["--root".to_string(), root.clone()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = casebook(&args);
        assert!(out.status.success(), "`{run}` fails: {}", stderr(&out));
        if run.contains("--format github") {
            assert!(
                String::from_utf8_lossy(&out.stdout).is_empty(),
                "a clean site has no annotations"
            );
        }
    }
    let home = fs::read_to_string(format!("{root}/public/sitemap.xml")).unwrap();
    assert!(
        home.contains("https://example.github.io/library/"),
        "built with the Pages URL"
    );
    let upload = steps("build")
        .into_iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.contains("upload-pages")))
        .unwrap();
    assert_eq!(upload["with"]["path"], "public", "publishes what build writes");
}
