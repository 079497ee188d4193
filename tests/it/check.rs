//! `casebook check` and the bad-input guarantees of `build`, over fixture sites.
//!
//! Committed fixtures live in `tests/sites/invalid/<case>/`, one problem each; cases git cannot
//! hold well (binary, non-UTF-8, 5 MB, symlinks, unreadable files) are made in a tempdir.
//! The exact text a user sees is pinned by insta snapshots in `tests/it/snapshots/`.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

/// What one run of the binary printed, temp paths replaced by `[TMP]`.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn casebook(args: &[&str], tmp: Option<&Path>) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(args)
        .output()
        .expect("running casebook");
    let normalise = |bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes).into_owned();
        match tmp {
            Some(t) => {
                let canonical = t.canonicalize().unwrap_or_else(|_| t.to_path_buf());
                text.replace(&*canonical.to_string_lossy(), "[TMP]")
                    .replace(&*t.to_string_lossy(), "[TMP]")
            }
            None => text,
        }
    };
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: normalise(&out.stdout),
        stderr: normalise(&out.stderr),
    }
}

fn run_check(root: &Path, format: &str, tmp: Option<&Path>) -> Run {
    casebook(&["check", "--root", &root.to_string_lossy(), "--format", format], tmp)
}

fn fixture(case: &str) -> PathBuf {
    Path::new("tests/sites/invalid").join(case)
}

/// The data-driven helper: `check` on fixture `case` exits with `code`, its human report is
/// the pinned snapshot, and its JSON report agrees and locates every problem in a real line.
fn check(case: &str, code: i32) {
    let root = fixture(case);
    let human = run_check(&root, "human", None);
    assert_eq!(human.code, code, "{}", human.stderr);
    insta::assert_snapshot!(case, human.stderr);
    if code != 2 {
        assert_json_located(&root, &run_check(&root, "json", None).stdout, human.code);
    }
}

/// Every JSON diagnostic is 1-based and inside its file; errors match the exit status.
fn assert_json_located(root: &Path, json: &str, code: i32) {
    let report: serde_json::Value = serde_json::from_str(json).expect("check --format json prints JSON");
    let diagnostics = report["diagnostics"].as_array().expect("a diagnostics array");
    let errors = diagnostics.iter().filter(|d| d["severity"] == "error").count();
    assert_eq!(code == 1, errors > 0, "{json}");
    for d in diagnostics {
        let (line, column) = (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap());
        assert!(line >= 1 && column >= 1, "{d}");
        let path = root.join(d["file"].as_str().unwrap());
        if let Ok(text) = fs::read(&path) {
            let lines = text.split(|&b| b == b'\n').count() as u64;
            assert!(line <= lines.max(1), "line {line} beyond the {lines} lines of {d}");
        }
    }
}

macro_rules! fixtures {
    ($($name:ident => $code:literal,)*) => {$(
        #[test]
        fn $name() {
            check(&stringify!($name).replace('_', "-"), $code);
        }
    )*};
}

fixtures! {
    yaml_unclosed_quote => 1,
    yaml_unindented_continuation => 1,
    yaml_bad_indentation => 1,
    yaml_tabs => 1,
    unclosed_frontmatter => 1,
    empty_file => 1,
    only_frontmatter => 0,
    no_frontmatter => 1,
    byte_order_mark => 1,
    crlf => 1,
    mixed_line_endings => 1,
    number_for_list => 1,
    map_for_string => 1,
    impossible_date => 1,
    slug_dotdot => 1,
    slug_absolute => 1,
    link_dotdot => 1,
    link_absolute => 1,
    duplicate_url => 1,
    missing_content => 1,
    missing_config => 2,
    invalid_config => 1,
    config_not_yaml => 1,
    unknown_field => 1,
    unknown_term => 1,
    missing_field => 1,
    wrong_type_name => 1,
    broken_attachment => 1,
    warnings_only => 0,
    every_problem_at_once => 1,
}

#[test]
fn json_and_github_formats_report_every_problem() {
    let root = fixture("every-problem-at-once");
    let json = run_check(&root, "json", None);
    assert_eq!(json.code, 1);
    insta::assert_snapshot!("every-problem-at-once.json", json.stdout);
    let github = run_check(&root, "github", None);
    assert_eq!(github.code, 1);
    insta::assert_snapshot!("every-problem-at-once.github", github.stdout);
}

#[test]
fn valid_site_checks_clean() {
    let run = run_check(Path::new("tests/sites/valid/tiny"), "human", None);
    assert_eq!((run.code, run.stderr.as_str()), (0, "no problems found\n"));
}

// ---- cases made at test time -------------------------------------------------------------

const CONFIG: &str = "title: \"Fixture library\"\ntaxonomies:\n  enablers:\n    name: Enablers\n    terms:\n      - { slug: shared-purpose, name: Shared purpose }\n";
const GOOD: &str = "---\ntitle: \"Good\"\nsummary: \"Fine.\"\nenablers: [shared-purpose]\n---\nBody.\n";

/// A tempdir site with `casebook.yaml` and `content/toolkits/good.md`.
fn temp_site() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("casebook.yaml"), CONFIG).unwrap();
    write(dir.path(), "content/toolkits/good.md", GOOD.as_bytes());
    dir
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

/// Checks a generated site: exit status and pinned human output.
fn check_temp(site: &TempDir, name: &str, code: i32) -> String {
    let run = run_check(site.path(), "human", Some(site.path()));
    assert_eq!(run.code, code, "{}", run.stderr);
    assert_json_located(
        site.path(),
        &run_check(site.path(), "json", Some(site.path())).stdout,
        code,
    );
    insta::assert_snapshot!(name, run.stderr);
    run.stderr
}

#[test]
fn not_utf8_names_the_byte_offset() {
    let site = temp_site();
    write(
        site.path(),
        "content/toolkits/latin1.md",
        b"---\ntitle: \"Caf\xe9\"\nenablers: [shared-purpose]\n---\n",
    );
    let out = check_temp(&site, "not-utf8", 1);
    assert!(out.contains("byte offset 15"), "{out}");
}

#[test]
fn binary_file_named_md_is_refused() {
    let site = temp_site();
    write(
        site.path(),
        "content/toolkits/image.md",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0",
    );
    check_temp(&site, "binary-file", 1);
}

/// A file far beyond any real resource: prose paragraphs up to `bytes`, after a valid
/// frontmatter.
fn big_page(bytes: usize) -> String {
    let paragraph = "Leading across boundaries takes shared purpose and patience, week after week.\n\n";
    let mut text = String::from("---\ntitle: \"Huge\"\nsummary: \"Big.\"\nenablers: [shared-purpose]\n---\n");
    text.push_str(&paragraph.repeat(bytes / paragraph.len() + 1));
    text
}

/// The size of the big-file cases: a tenth of the product's 50 MB bar, twenty times the
/// largest per-page bound (`MAX_HIGHLIGHTED`, 256 KiB). `check` and `build` work through a
/// page in one pass, so 5 MB exercises the code 50 MB does (the superlinear cases are in
/// `trust_blowups.rs`); at 50 MB a debug `check` took 8 s and a build half a minute.
/// BENCHMARKS.md measures a 50 MB page with a release build.
const BIG: usize = 5 * 1024 * 1024;

#[test]
fn a_five_megabyte_file_is_checked_and_its_last_line_located() {
    let site = temp_site();
    let mut text = big_page(BIG);
    let lines = text.lines().count();
    text.push_str("A [broken link](nowhere.md) at the very end.\n");
    write(site.path(), "content/toolkits/huge.md", text.as_bytes());
    let run = run_check(site.path(), "json", Some(site.path()));
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected = format!("\"line\": {}", lines + 1);
    assert!(
        run.stdout.contains("broken-link") && run.stdout.contains(&expected),
        "{}",
        run.stdout
    );
}

/// The build half of the big-file case: every stage (markdown, sanitising, search indexes,
/// writing) takes the whole page.
#[test]
fn a_five_megabyte_page_is_built_whole() {
    let site = temp_site();
    let text = big_page(BIG);
    write(site.path(), "content/toolkits/huge.md", text.as_bytes());
    let out = site.path().join("public");
    let built = build(site.path(), &out);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let page = fs::read_to_string(out.join("toolkits/huge/index.html")).unwrap();
    assert!(page.len() > BIG, "{} bytes", page.len());
    assert_eq!(
        page.matches("<p>Leading across boundaries").count(),
        text.matches("\n\n").count()
    );
}

#[test]
fn symlink_loops_and_links_out_of_the_site_are_refused() {
    let site = temp_site();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.md"), GOOD).unwrap();
    let toolkits = site.path().join("content/toolkits");
    std::os::unix::fs::symlink(toolkits.join("loop.md"), toolkits.join("loop.md")).unwrap();
    std::os::unix::fs::symlink(toolkits.join("a.md"), toolkits.join("b.md")).unwrap();
    std::os::unix::fs::symlink(toolkits.join("b.md"), toolkits.join("a.md")).unwrap();
    std::os::unix::fs::symlink("..", toolkits.join("up")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), toolkits.join("secret.md")).unwrap();
    let run = run_check(site.path(), "human", Some(site.path()));
    let out = run
        .stderr
        .replace(&*outside.path().canonicalize().unwrap().to_string_lossy(), "[OUTSIDE]");
    assert_eq!(run.code, 1, "{out}");
    insta::assert_snapshot!("symlinks", out);
}

#[test]
fn unreadable_file_is_reported_not_fatal() {
    use std::os::unix::fs::PermissionsExt;
    let site = temp_site();
    let path = site.path().join("content/toolkits/locked.md");
    fs::write(&path, GOOD).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    let run = run_check(site.path(), "human", Some(site.path()));
    if fs::read(&path).is_ok() {
        // Running as root: permissions do not stop reads, so the file is simply valid.
        assert_eq!((run.code, run.stderr.as_str()), (0, "no problems found\n"));
    } else {
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.contains("error[unreadable]") && run.stderr.contains("content/toolkits/locked.md"));
    }
}

#[test]
fn a_file_that_cannot_be_read_even_by_root_is_reported() {
    // Opening a Unix socket for reading fails for every user, root included.
    let site = temp_site();
    let path = site.path().join("content/toolkits/socket.md");
    let _listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    let out = check_temp(&site, "unreadable-socket", 1);
    assert!(out.contains("error[unreadable]"), "{out}");
}

// ---- build: nothing written on error, previous output kept -------------------------------

fn build(root: &Path, out: &Path) -> Run {
    casebook(
        &[
            "build",
            "-q",
            "--root",
            &root.to_string_lossy(),
            "--output",
            &out.to_string_lossy(),
        ],
        None,
    )
}

/// Casebook's work folders in `parent` but the marked staging folder it keeps between builds.
fn leftovers(parent: &Path) -> Vec<String> {
    common::stray_work_folders(parent)
}

#[test]
fn build_killed_while_writing_leaves_previous_output_intact() {
    let work = tempfile::tempdir().unwrap();
    let site = work.path().join("site");
    common::copy_tree(Path::new("tests/sites/valid/tiny"), &site);
    let out = work.path().join("public");
    assert_eq!(build(&site, &out).code, 0);
    let before = common::tree(&out);
    assert!(before.contains_key("toolkits/x/index.html"));
    let page = site.join("content/toolkits/x.md");
    fs::write(
        &page,
        fs::read_to_string(&page).unwrap().replace("A good toolkit", "Changed"),
    )
    .unwrap();
    let failed = common::build_failing_at(&site, &out, "toolkits/x/index.html");
    assert!(failed.contains("injected failure"), "{failed}");
    assert!(common::tree(&out) == before, "the previous output changed");
    assert_eq!(leftovers(work.path()), Vec::<String>::new());
    // Without the injected failure the change goes through: the test can tell the difference.
    assert_eq!(build(&site, &out).code, 0);
    assert!(common::tree(&out) != before);
}

#[test]
fn build_with_content_errors_writes_nothing() {
    let work = tempfile::tempdir().unwrap();
    let site = work.path().join("site");
    common::copy_tree(Path::new("tests/sites/valid/tiny"), &site);
    let out = work.path().join("public");
    assert_eq!(build(&site, &out).code, 0);
    let before = common::tree(&out);
    common::copy_tree(&fixture("every-problem-at-once").join("content"), &site.join("content"));
    let failed = build(&site, &out);
    assert_eq!(failed.code, 1);
    // build keeps the compact `file:line:column: error: message [code]` form.
    assert!(
        failed
            .stderr
            .contains("content/toolkits/x.md:8:3: error: link target `nowhere.md` does not exist [broken-link]"),
        "{}",
        failed.stderr
    );
    assert!(common::tree(&out) == before, "the previous output changed");
    assert_eq!(leftovers(work.path()), Vec::<String>::new());
}

// ---- robustness: arbitrary input never panics, every error is located in the file --------

mod robustness {
    use casebook::config::Config;
    use casebook::content::frontmatter::{decode, split, FieldReader};
    use casebook::content::site_map::SiteMap;
    use casebook::diagnostics::Diagnostic;
    use casebook::markdown::{self, Place, RenderOptions};
    use proptest::prelude::*;

    fn config() -> Config {
        let yaml = "title: T\ntaxonomies:\n  enablers:\n    name: E\n    terms: [{ slug: a, name: A }]\n";
        Config::parse(yaml, "casebook.yaml").expect("a valid config")
    }

    fn assert_within(d: &Diagnostic, lines: usize) {
        assert!(d.line <= lines + 1, "line {} of {} lines: {d}", d.line, lines);
    }

    /// Runs the whole frontmatter pipeline over `bytes`, checking every location it reports.
    fn frontmatter(bytes: &[u8], config: &Config) {
        let text = match decode(bytes) {
            Ok(text) => text,
            Err((at, _, _)) => {
                let lines = String::from_utf8_lossy(bytes).split(['\n', '\r']).count();
                assert!(at.line <= lines + 1, "{at:?}");
                return;
            }
        };
        let lines = text.split('\n').count();
        let parts = match split(&text) {
            Ok(parts) => parts,
            Err((at, ..)) => return assert!(at.line <= lines + 1),
        };
        let known = config.field_names();
        match FieldReader::new(&parts, "x.md", config, &known) {
            Ok(mut fields) => {
                fields.string("title");
                fields.strings("enablers");
                fields.date("date");
                fields.flag("draft");
                fields.typed::<Vec<casebook::content::Attachment>>("attachments", "[]");
                for d in fields.problems.sorted() {
                    assert_within(&d, lines);
                }
            }
            Err(d) => assert_within(&d, lines),
        }
    }

    fn markdown_text(text: &str) {
        let place = Place {
            file: "x.md",
            first_line: 5,
            dir: "a",
            url: "a/x/",
        };
        let lines = text.split('\n').count() + 4;
        let site = SiteMap::default();
        let rendered = markdown::render(text, place, &site, &RenderOptions::default());
        let checked = markdown::check_links(text, place, &site);
        assert_eq!(rendered.problems, checked, "check and build disagree");
        for d in &checked {
            assert_within(d, lines);
        }
    }

    proptest! {
        // Each case is a millisecond or two; `PROPTEST_CASES` asks for more.
        #![proptest_config(ProptestConfig::with_cases(crate::common::proptest_cases(512)))]

        #[test]
        fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            frontmatter(&bytes, &config());
        }

        #[test]
        fn frontmatter_shaped_text(
            text in "(\u{feff})?(---\r?\n)?([a-z]{1,6}:( |\t)?[\"'\\[\\]{}a-z0-9:, -]{0,16}\r?\n|\t[a-z]+\n| +- [a-z\"]*\n){0,8}(---|\\.\\.\\.)?\n?[^\u{0}]{0,80}"
        ) {
            frontmatter(text.as_bytes(), &config());
        }

        #[test]
        fn arbitrary_markdown(text in "\\PC{0,300}") {
            markdown_text(&text);
        }

        #[test]
        fn link_heavy_markdown(text in "([a-z ]{0,10}(\\[[a-z]*\\]\\(([./a-z#?%:]|\\.\\./){0,12}\\)|!\\[\\]\\([a-z./]*\\)|<[a-z]+>|`|\\*|\r?\n|    |> |- )){0,20}") {
            markdown_text(&text);
        }
    }
}

// ---- importing a Hugo tree: only the real mistakes are reported ---------------------------

/// Posts in the Hugo import: enough that every day of the month and each kind of line appear
/// many times over around the three planted mistakes (2,000 took seconds and found no more).
const POSTS: usize = 300;

#[test]
fn hugo_import_reports_only_planted_mistakes() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    let config = format!(
        "{CONFIG}      - {{ slug: relationships-and-trust, name: Relationships and trust }}\nfrontmatter:\n  unknown_fields: allow\n  aliases: {{ description: summary, tags: enablers }}\n"
    );
    fs::write(root.join("casebook.yaml"), config).unwrap();
    for i in 0..POSTS {
        write(root, &format!("content/blog/post-{i}.md"), hugo_post(i).as_bytes());
    }
    let run = run_check(root, "json", Some(root));
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let found: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {}",
                d["file"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["code"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "content/blog/post-123.md:15:7 broken-link",
            "content/blog/post-17.md:7:24 unknown-term",
            "content/blog/post-299.md:3:7 invalid-date",
        ]
    );
}

/// A post as Hugo writes them: fields casebook does not know, Hugo date-times, shortcodes.
/// Three carry a real mistake: an undefined tag, an impossible date, a broken link.
fn hugo_post(i: usize) -> String {
    let date = if i == 299 {
        "2023-02-31".to_string()
    } else {
        format!("2023-10-{:02} 09:39:00 -0500", i % 28 + 1)
    };
    let tag = if i == 17 {
        "relationships-and-trsut"
    } else {
        "relationships-and-trust"
    };
    let next = if i == 123 {
        "post-missing.md".to_string()
    } else {
        format!("post-{}.md", (i + 1) % POSTS)
    };
    format!(
        "---\ntitle: \"Post {i}: leading across boundaries\"\ndate: {date}\ndraft: false\ndescription: \"What post {i} is about.\"\nweight: {i}\ntags: [shared-purpose, {tag}]\ncategories: [\"News\", \"Primary care\"]\naliases: [\"/old/{i}/\"]\ntoc: true\nimages: [\"/img/{i}.png\"]\n---\n{{{{< figure src=\"/img/{i}.png\" >}}}}\n\nNext: [the following post]({next}).\n"
    )
}

#[test]
fn a_folder_that_is_not_a_site_is_reported_in_json_too() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_string_lossy().into_owned();
    let run = casebook(&["check", "--root", &root, "--format", "json"], Some(dir.path()));
    assert_eq!(run.code, 2);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(
        (d["file"].as_str(), d["code"].as_str()),
        (Some("casebook.yaml"), Some("not-a-site"))
    );
    assert!(d["message"].as_str().unwrap().contains("not a casebook site"), "{d}");
    let github = casebook(&["check", "--root", &root, "--format", "github"], Some(dir.path()));
    assert_eq!(github.code, 2);
    assert!(
        github
            .stdout
            .starts_with("::error file=casebook.yaml,line=1,col=1,title=not-a-site::"),
        "{}",
        github.stdout
    );
}
