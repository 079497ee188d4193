//! `casebook init` and `casebook new`: what they write builds, and they never overwrite.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn casebook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn init_makes_a_site_that_builds_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("library");
    let site = site.to_str().unwrap();
    assert!(casebook(&["init", site, "--title", "Riverside Library"])
        .status
        .success());
    assert!(
        !Path::new(site).join("themes").exists(),
        "no copy of the theme: it would go stale on upgrade"
    );
    let out = casebook(&["build", "--root", site]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("Built 2 resources") && stderr.contains(": no problems found"),
        "{stderr}"
    );
    let home = fs::read_to_string(format!("{site}/public/index.html")).unwrap();
    assert!(home.contains("Riverside Library"));
    // The output and the generation build keeps beside it stay out of git.
    let ignored = fs::read_to_string(format!("{site}/.gitignore")).unwrap();
    assert!(ignored.lines().eq(["public/", ".public.casebook-*"]), "{ignored}");
    let again = casebook(&["init", site]);
    assert_eq!(again.status.code(), Some(2), "init over an existing site is refused");
}

#[test]
fn new_writes_every_required_field_and_check_asks_for_them() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().to_str().unwrap();
    assert!(casebook(&["init", site]).status.success());
    let out = casebook(&["new", "case-study", "Riverside: a new approach", "--root", site]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let path = dir.path().join("content/case-studies/riverside-a-new-approach.md");
    let text = fs::read_to_string(&path).unwrap();
    for field in [
        "title: \"Riverside: a new approach\"",
        "date: ",
        "enablers: []",
        "organisation: \"\"",
    ] {
        assert!(text.contains(field), "{field} missing from:\n{text}");
    }
    // Unfilled, it is flagged; filled in, it builds.
    let check = casebook(&["check", "--root", site]);
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stderr).contains("required field `enablers` is missing"));
    let filled = text
        .replace("enablers: []", "enablers: [shared-purpose]")
        .replace("organisation: \"\"", "organisation: \"Riverside PCN\"");
    fs::write(&path, filled).unwrap();
    assert!(casebook(&["build", "--root", site]).status.success());
    let twice = casebook(&["new", "case-study", "Riverside: a new approach", "--root", site]);
    assert_eq!(twice.status.code(), Some(2), "an existing file is never overwritten");
}

#[test]
fn new_suggests_the_closest_type() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().to_str().unwrap();
    assert!(casebook(&["init", site]).status.success());
    let out = casebook(&["new", "casestudy", "X", "--root", site]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `case-study`?"));
}
