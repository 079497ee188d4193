//! Trusting the inputs (issue #9): no symlink publishes a file outside the site, no file
//! silently replaces a generated one, a FIFO never hangs a run, and `check` fails exactly
//! when `build` would. Each site is made in a tempdir, since git cannot hold most of these
//! inputs (symlinks out of the tree, FIFOs, sockets, non-UTF-8 names).

use crate::common;
use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const CONFIG: &str = "title: \"Fixture library\"\ntaxonomies:\n  enablers:\n    name: Enablers\n    terms:\n      - { slug: shared-purpose, name: Shared purpose }\n";
const GOOD: &str = "---\ntitle: \"Good\"\nsummary: \"Fine.\"\nenablers: [shared-purpose]\n---\nBody.\n";
const SECRET: &str = "root:x:0:0:the secret:/root:/bin/sh\n";

/// A site with one toolkit, and a folder outside it holding a secret file.
struct Fixture {
    site: TempDir,
    outside: TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let fixture = Fixture {
            site: tempfile::tempdir().unwrap(),
            outside: tempfile::tempdir().unwrap(),
        };
        fixture.write("casebook.yaml", CONFIG);
        fixture.write("content/toolkits/good.md", GOOD);
        fs::write(fixture.outside.path().join("passwd"), SECRET).unwrap();
        fixture
    }

    fn root(&self) -> &Path {
        self.site.path()
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// Makes `rel` in the site a symlink to `target`.
    fn link(&self, rel: &str, target: &Path) {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        symlink(target, path).unwrap();
    }

    /// Makes `rel` in the site a named pipe no one ever writes to.
    fn fifo(&self, rel: &str) {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let made = Command::new("mkfifo").arg(&path).status().expect("running mkfifo");
        assert!(made.success());
    }

    fn out(&self) -> std::path::PathBuf {
        self.root().join("public")
    }

    fn check(&self) -> Run {
        run(&["check", "--root", &self.root().to_string_lossy(), "--format", "json"])
    }

    fn build(&self) -> Run {
        let out = self.out();
        run(&[
            "build",
            "-q",
            "--root",
            &self.root().to_string_lossy(),
            "--output",
            &out.to_string_lossy(),
        ])
    }

    /// Whether any file of the built output holds the outside secret.
    fn published_secret(&self) -> bool {
        walkdir::WalkDir::new(self.out())
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .any(|e| fs::read_to_string(e.path()).is_ok_and(|t| t.contains("the secret")))
    }
}

/// One finished run of the binary.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The diagnostics of a `check --format json` run: (file, code, line, message).
    fn diagnostics(&self) -> Vec<(String, String, u64, String)> {
        let report: serde_json::Value = serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", self.stdout, self.stderr));
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let text = |k: &str| d[k].as_str().unwrap_or_default().to_string();
                (text("file"), text("code"), d["line"].as_u64().unwrap(), text("message"))
            })
            .collect()
    }

    /// Whether a diagnostic with `code` names `file`.
    fn reports(&self, file: &str, code: &str) -> bool {
        let all = self.diagnostics();
        all.iter().any(|(f, c, _, _)| f == file && c == code)
    }

    fn all(&self) -> String {
        format!("exit {}\n{}{}", self.code, self.stdout, self.stderr)
    }
}

/// Runs the binary to its end. Bounded: a run on these tiny sites takes well under a second
/// even in a debug build, so 10 s only fails a run that hangs (a FIFO read waits forever);
/// the run is then killed and the test fails instead of hanging the suite.
fn run(args: &[&str]) -> Run {
    let logs = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (logs.path().join("out"), logs.path().join("err"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out_path).unwrap())
        .stderr(fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("running casebook");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("`casebook {}` did not finish in 10 s: it hangs", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: fs::read_to_string(out_path).unwrap(),
        stderr: fs::read_to_string(err_path).unwrap(),
    }
}

/// `check` and `build` both refuse the site, with a located `code` at `file`, and the build
/// wrote nothing.
fn both_refuse(fixture: &Fixture, file: &str, code: &str) {
    let check = fixture.check();
    assert_eq!(check.code, 1, "{}", check.all());
    assert!(check.reports(file, code), "no {code} at {file}: {}", check.all());
    let build = fixture.build();
    assert_eq!(build.code, 1, "{}", build.all());
    assert!(
        build.stderr.contains(file) && build.stderr.contains(code),
        "{}",
        build.all()
    );
    assert!(!fixture.out().exists(), "a refused build wrote output");
}

// ---- symlinks: nothing outside the site is published --------------------------------------

#[test]
fn a_symlinked_static_folder_is_not_published() {
    let f = Fixture::new();
    f.link("static", f.outside.path());
    both_refuse(&f, "static", "bad-symlink");
    assert!(!f.published_secret());
}

#[test]
fn a_symlinked_theme_static_folder_is_not_published() {
    let f = Fixture::new();
    f.write("casebook.yaml", &format!("{CONFIG}theme: mine\n"));
    f.write("themes/mine/templates/.keep", "");
    f.link("themes/mine/static", f.outside.path());
    both_refuse(&f, "themes/mine/static", "bad-symlink");
}

#[test]
fn a_symlinked_theme_folder_is_not_read() {
    let f = Fixture::new();
    f.write("casebook.yaml", &format!("{CONFIG}theme: mine\n"));
    fs::create_dir_all(f.outside.path().join("static")).unwrap();
    fs::write(f.outside.path().join("static/passwd"), SECRET).unwrap();
    f.link("themes/mine", f.outside.path());
    both_refuse(&f, "themes/mine", "bad-symlink");
}

#[test]
fn a_symlinked_templates_folder_is_not_read() {
    let f = Fixture::new();
    f.link("templates", f.outside.path());
    both_refuse(&f, "templates", "bad-symlink");
}

#[test]
fn a_symlinked_content_folder_is_not_read() {
    let f = Fixture::new();
    fs::remove_dir_all(f.root().join("content")).unwrap();
    f.link("content", f.outside.path());
    both_refuse(&f, "content", "bad-symlink");
}

#[test]
fn a_static_symlink_to_a_file_outside_is_refused() {
    let f = Fixture::new();
    f.link("static/passwd", &f.outside.path().join("passwd"));
    both_refuse(&f, "static/passwd", "bad-symlink");
}

#[test]
fn a_static_symlink_to_a_file_inside_the_site_is_published() {
    let f = Fixture::new();
    f.write("shared/logo.svg", "<svg/>");
    f.link("static/images/logo.svg", &f.root().join("shared/logo.svg"));
    let build = f.build();
    assert_eq!(build.code, 0, "{}", build.all());
    assert_eq!(fs::read_to_string(f.out().join("images/logo.svg")).unwrap(), "<svg/>");
}

// ---- collisions: nothing silently replaces a generated file -------------------------------

#[test]
fn a_content_file_cannot_replace_the_home_page() {
    let f = Fixture::new();
    f.write("content/index.html", "<script>alert(1)</script>");
    both_refuse(&f, "content/index.html", "output-collision");
}

#[test]
fn a_content_file_cannot_replace_the_search_engine() {
    let f = Fixture::new();
    f.write("content/js/search.js", "steal()");
    both_refuse(&f, "content/js/search.js", "output-collision");
}

#[test]
fn a_static_file_cannot_replace_a_generated_file() {
    for path in [
        "index.html",
        "css/theme.css",
        "css/syntax.css",
        "search/index.js",
        "atom.xml",
    ] {
        let f = Fixture::new();
        f.write(&format!("static/{path}"), "replaced");
        both_refuse(&f, &format!("static/{path}"), "output-collision");
    }
}

#[test]
fn a_static_file_cannot_go_inside_the_search_index_or_where_a_folder_is_needed() {
    for path in ["search/tantivy/meta.json", "search"] {
        let f = Fixture::new();
        f.write(&format!("static/{path}"), "replaced");
        both_refuse(&f, &format!("static/{path}"), "output-collision");
    }
}

#[test]
fn a_site_static_file_still_replaces_the_theme_stylesheet() {
    let f = Fixture::new();
    f.write("static/css/site.css", "body { color: black }");
    let build = f.build();
    assert_eq!(build.code, 0, "{}", build.all());
    assert_eq!(
        fs::read_to_string(f.out().join("css/site.css")).unwrap(),
        "body { color: black }"
    );
}

#[test]
fn a_content_file_cannot_replace_a_theme_file() {
    let f = Fixture::new();
    f.write("content/css/site.css", "body { display: none }");
    both_refuse(&f, "content/css/site.css", "output-collision");
}

#[test]
fn a_section_folder_cannot_take_the_search_page() {
    let f = Fixture::new();
    f.write("content/search/x.md", &GOOD.replace("title:", "type: toolkit\ntitle:"));
    both_refuse(&f, "content/search", "output-collision");
}

#[test]
fn a_page_and_a_section_cannot_share_a_folder() {
    let f = Fixture::new();
    f.write("content/toolkits.md", &GOOD.replace("title:", "type: toolkit\ntitle:"));
    both_refuse(&f, "content/toolkits.md", "output-collision");
}

#[test]
fn two_asset_folders_that_slugify_alike_collide() {
    let f = Fixture::new();
    f.write("content/toolkits/A B/x.pdf", "one");
    f.write("content/toolkits/a-b/x.pdf", "two");
    both_refuse(&f, "content/toolkits/A B/x.pdf", "output-collision");
}

#[test]
fn a_folder_without_a_url_name_is_refused_before_writing() {
    let f = Fixture::new();
    f.write("content/toolkits/—/x.md", GOOD);
    both_refuse(&f, "content/toolkits/—/x.md", "output-collision");
}

// ---- taxonomy keys and slugs ----------------------------------------------------------------

#[test]
fn a_taxonomy_cannot_take_the_search_page() {
    let f = Fixture::new();
    f.write("casebook.yaml", &format!("{CONFIG}  search:\n    name: Search\n"));
    both_refuse(&f, "casebook.yaml", "invalid-config");
    assert_eq!(f.check().diagnostics()[0].2, 7, "located at the key");
}

#[test]
fn a_taxonomy_key_that_leaves_its_folder_is_refused() {
    let f = Fixture::new();
    f.write("casebook.yaml", &format!("{CONFIG}  \"../x\":\n    name: Up\n"));
    both_refuse(&f, "casebook.yaml", "invalid-config");
}

#[test]
fn a_taxonomy_cannot_take_a_section_folder() {
    let f = Fixture::new();
    f.write("casebook.yaml", &format!("{CONFIG}  toolkits:\n    name: Kits\n"));
    both_refuse(&f, "casebook.yaml", "output-collision");
}

#[test]
fn a_slug_over_255_bytes_is_located() {
    let f = Fixture::new();
    let long = "a".repeat(300);
    f.write(
        "content/toolkits/long.md",
        &GOOD.replace("title:", &format!("slug: {long}\ntitle:")),
    );
    both_refuse(&f, "content/toolkits/long.md", "invalid-slug");
    let f = Fixture::new();
    f.write(
        "casebook.yaml",
        &CONFIG.replace("slug: shared-purpose", &format!("slug: {long}")),
    );
    both_refuse(&f, "casebook.yaml", "invalid-config");
}

// ---- files that are not regular, names that are not UTF-8 ----------------------------------

#[test]
fn a_fifo_in_content_is_reported_not_read() {
    let f = Fixture::new();
    f.fifo("content/toolkits/pipe.md");
    f.fifo("content/toolkits/pipe.png");
    both_refuse(&f, "content/toolkits/pipe.md", "unreadable");
    assert!(f.check().reports("content/toolkits/pipe.png", "unreadable"));
    let human = run(&["check", "--root", &f.root().to_string_lossy()]);
    assert!(human.stderr.contains("named pipe (FIFO)"), "{}", human.all());
}

#[test]
fn a_fifo_in_static_themes_or_templates_is_reported_not_read() {
    for rel in [
        "static/pipe.txt",
        "templates/base.html",
        "themes/default/static/css/site.css",
    ] {
        let f = Fixture::new();
        f.fifo(rel);
        both_refuse(&f, rel, "unreadable");
    }
}

#[test]
fn only_a_themes_templates_and_static_folders_are_read() {
    // A theme cloned with git may hold a socket (`git fsmonitor`) in `.git/`: not an error.
    let f = Fixture::new();
    f.fifo("themes/default/.git/fsmonitor");
    let build = f.build();
    assert_eq!(build.code, 0, "{}", build.all());
}

#[test]
fn a_symlink_to_a_fifo_is_refused() {
    let f = Fixture::new();
    f.fifo("pipes/pipe");
    f.link("static/pipe.txt", &f.root().join("pipes/pipe"));
    both_refuse(&f, "static/pipe.txt", "bad-symlink");
}

#[test]
fn a_fifo_named_casebook_yaml_is_reported_not_read() {
    let f = Fixture::new();
    fs::remove_file(f.root().join("casebook.yaml")).unwrap();
    f.fifo("casebook.yaml");
    both_refuse(&f, "casebook.yaml", "unreadable");
}

#[test]
fn a_non_utf8_file_name_is_refused_not_converted() {
    let f = Fixture::new();
    let dir = f.root().join("content/toolkits");
    // `caf\xe9.pdf` (Latin-1) would become `caf\u{fffd}.pdf`: the same name as the second.
    fs::write(dir.join(OsStr::from_bytes(b"caf\xe9.pdf")), "latin-1").unwrap();
    fs::write(dir.join("caf\u{fffd}.pdf"), "utf-8").unwrap();
    both_refuse(&f, "content/toolkits/caf\u{fffd}.pdf", "not-utf8");
    let check = f.check();
    assert_eq!(check.diagnostics().len(), 1, "only the non-UTF-8 name: {}", check.all());
}

// ---- check = build ---------------------------------------------------------------------------

/// Puts one bad input into a fixture site.
type MakeBad = dyn Fn(&Fixture);

/// Every adversarial input of this file, and a few more: `check` fails exactly when `build`
/// does, and a failing build exits 1 with located diagnostics (never 2, which would mean
/// `check` missed something the build found only while writing).
#[test]
fn check_fails_exactly_when_build_fails() {
    use std::os::unix::fs::PermissionsExt as _;
    let cases: Vec<(&str, Box<MakeBad>)> = vec![
        ("a clean site", Box::new(|_| {})),
        ("static symlink", Box::new(|f| f.link("static", f.outside.path()))),
        ("content collision", Box::new(|f| f.write("content/index.html", "x"))),
        (
            "reserved taxonomy",
            Box::new(|f| f.write("casebook.yaml", &format!("{CONFIG}  page:\n    name: P\n"))),
        ),
        (
            "long slug",
            Box::new(|f| {
                f.write(
                    "content/toolkits/l.md",
                    &GOOD.replace("title:", &format!("slug: {}\ntitle:", "b".repeat(256))),
                );
            }),
        ),
        ("fifo asset", Box::new(|f| f.fifo("content/toolkits/p.pdf"))),
        ("file for a folder", Box::new(|f| f.write("static/search", "x"))),
        ("no URL name", Box::new(|f| f.write("content/toolkits/ü/x.md", GOOD))),
        (
            "socket asset",
            Box::new(|f| {
                let listener = std::os::unix::net::UnixListener::bind(f.root().join("content/toolkits/s.pdf")).unwrap();
                std::mem::forget(listener);
            }),
        ),
        (
            // As root, permissions do not stop reads and both pass; otherwise both fail.
            "unreadable asset",
            Box::new(|f| {
                let path = f.root().join("content/toolkits/locked.pdf");
                fs::write(&path, "x").unwrap();
                fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
            }),
        ),
        (
            "unreadable static file",
            Box::new(|f| {
                f.write("static/locked.txt", "x");
                let path = f.root().join("static/locked.txt");
                fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
            }),
        ),
    ];
    for (name, make) in cases {
        let f = Fixture::new();
        make(&f);
        let (check, build) = (f.check(), f.build());
        assert!(build.code == 0 || build.code == 1, "{name}: build {}", build.all());
        assert_eq!(
            check.code,
            build.code,
            "{name}: check {}\nbuild {}",
            check.all(),
            build.all()
        );
        if name == "a clean site" {
            assert_eq!(build.code, 0, "{}", build.all());
        }
    }
}

/// The plan `check` uses (from [`Sources::validate`]) is what the build writes: every output
/// path is planned and every planned path is written (the search index is planned as its folder).
#[test]
fn every_output_path_is_planned() {
    for root in [".", "tests/sites/theme"] {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(root);
        let (written, planned) = common::written_and_planned(&root);
        assert_eq!(written, planned, "{}", root.display());
    }
}
