//! One YAML parser with spans, and the report that shows them (issue #10, items 2 and 3):
//! frontmatter and `casebook.yaml` are read once by serde-saphyr; every diagnostic it can place
//! carries an end (`end_line`, `end_column` in JSON); the human report is drawn by
//! annotate-snippets and coloured as `--color`, `NO_COLOR` and `CLICOLOR_FORCE` say.

use std::fs;
use std::path::Path;
use std::process::Command;

const CONFIG: &str = "title: T\ntaxonomies:\n  enablers:\n    name: Enablers\n    terms:\n      - { slug: shared-purpose, name: Shared purpose }\n";

/// A site with `casebook.yaml` = `config` and one toolkit `content/toolkits/x.md` = `page`.
fn site(config: &str, page: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("casebook.yaml"), config).unwrap();
    fs::create_dir_all(dir.path().join("content/toolkits")).unwrap();
    fs::write(dir.path().join("content/toolkits/x.md"), page).unwrap();
    dir
}

/// `casebook check --root ROOT` with `args`, environment `env` (NO_COLOR and CLICOLOR_FORCE
/// cleared first): exit code, stdout, stderr.
fn check(root: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_casebook"));
    command
        .args(["check", "--root"])
        .arg(root)
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    for (key, value) in env {
        command.env(key, value);
    }
    let out = command.output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

/// A diagnostic of `check --format json`: code, line, column, end line, end column.
type Located = (String, u64, u64, Option<u64>, Option<u64>);

/// The diagnostics of `check --format json` but unused-term warnings.
fn located(root: &Path) -> Vec<Located> {
    let (_, stdout, _) = check(root, &["--format", "json"], &[]);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] != "unused-term")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["end_line"].as_u64(),
                d["end_column"].as_u64(),
            )
        })
        .collect()
}

#[test]
fn json_gives_the_end_of_a_yaml_value_and_of_a_markdown_link() {
    let page = "---\ntitle: X\nsummary: S\nenablers: [shared-purpose, budgets]\n---\nSee [the guide](gone.md).\n";
    let root = site(CONFIG, page);
    assert_eq!(
        located(root.path()),
        [
            ("unknown-term".to_string(), 4, 28, Some(4), Some(35)),
            ("broken-link".to_string(), 6, 5, Some(6), Some(25)),
        ]
    );
}

#[test]
fn json_says_null_where_only_the_start_is_known() {
    let root = site(CONFIG, "---\nsummary: S\nenablers: [shared-purpose]\n---\nBody\n");
    let (_, stdout, _) = check(root.path(), &["--format", "json"], &[]);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let missing = &report["diagnostics"][0];
    assert_eq!(missing["code"], "missing-field", "{report}");
    assert!(
        missing["end_line"].is_null() && missing["end_column"].is_null(),
        "{report}"
    );
}

#[test]
fn a_duplicate_frontmatter_key_is_an_error_at_the_second_one() {
    let page = "---\ntitle: X\nsummary: S\nenablers: [shared-purpose]\ntitle: Y\n---\nBody\n";
    let root = site(CONFIG, page);
    let found = located(root.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0.as_str(), found[0].1, found[0].2), ("invalid-yaml", 5, 1));
    let (_, _, stderr) = check(root.path(), &[], &[]);
    assert!(stderr.contains("`title` is given twice"), "{stderr}");
}

#[test]
fn a_duplicate_config_key_is_an_invalid_config_at_the_second_one() {
    let root = site(&format!("{CONFIG}title: U\n"), "---\ntitle: X\n---\n");
    let found = located(root.path());
    assert_eq!((found[0].0.as_str(), found[0].1, found[0].2), ("invalid-config", 7, 1));
}

#[test]
fn yes_and_on_are_text_as_yaml_1_2_says() {
    let page = "---\ntitle: yes\nsummary: on\nenablers: [shared-purpose]\nfeatured: yes\n---\nBody\n";
    let root = site(CONFIG, page);
    let (_, _, stderr) = check(root.path(), &[], &[]);
    // `title: yes` is the text "yes"; `featured: yes` is text where a boolean belongs.
    assert!(
        stderr.contains("`featured` must be `true` or `false`, found text"),
        "{stderr}"
    );
    assert_eq!(located(root.path()).len(), 1, "{stderr}");
}

#[test]
fn an_alias_bomb_in_frontmatter_is_refused_as_too_large() {
    let mut bomb = String::from("extra:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let aliases = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("  a{i}: &a{i} [{aliases}]\n"));
    }
    let page = format!("---\ntitle: X\nsummary: S\nenablers: [shared-purpose]\n{bomb}---\nBody\n");
    let root = site(CONFIG, &page);
    let found = located(root.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "too-large");
}

#[test]
fn a_config_value_of_the_wrong_type_is_located_at_the_value_with_its_extent() {
    let root = site("title: T\nlanguage: [en, fr]\n", "---\ntitle: X\n---\n");
    assert_eq!(
        located(root.path()),
        [("invalid-config".to_string(), 2, 11, Some(2), Some(19))]
    );
}

#[test]
fn the_human_report_underlines_the_span_and_ends_with_the_counts() {
    let root = site(CONFIG, "---\ntitle: X\nsummary: S\nenablers: [budgets]\n---\nBody\n");
    let (code, _, stderr) = check(root.path(), &[], &[]);
    assert_eq!(code, 1);
    let expected = "error[unknown-term]: `budgets` is not a defined term of `enablers`\n --> content/toolkits/x.md:4:12\n  |\n4 | enablers: [budgets]\n  |            ^^^^^^^\n";
    assert!(stderr.contains(expected), "{stderr}");
    assert!(stderr.ends_with("\n1 error, 1 warning\n"), "{stderr}");
}

#[test]
fn colour_follows_the_flag_then_no_color_then_clicolor_force() {
    let root = site(CONFIG, "---\ntitle: X\nsummary: S\nenablers: [budgets]\n---\nBody\n");
    let coloured = |args: &[&str], env: &[(&str, &str)]| check(root.path(), args, env).2.contains("\x1b[");
    assert!(!coloured(&[], &[]), "a pipe gets no colour");
    assert!(coloured(&["--color", "always"], &[]));
    assert!(coloured(&["--color", "always"], &[("NO_COLOR", "1")]), "the flag wins");
    assert!(!coloured(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    assert!(coloured(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(
        !coloured(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]),
        "NO_COLOR wins"
    );
}
