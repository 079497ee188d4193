//! `casebook search` filter values: an unknown `--type`, `--enabler` or `--facet` value (or
//! facet) exits 2 suggesting the closest value the index holds, instead of "0 results".

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_casebook");

/// The search fixture built into a fresh temporary folder.
fn built_fixture() -> common::BuiltSite {
    common::build_with_binary(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/search"))
}

fn search(site: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(["search", "--index"])
        .arg(site)
        .args(args)
        .output()
        .unwrap()
}

/// Runs a search that must fail with exit 2 and returns its stderr.
fn refused(site: &Path, args: &[&str]) -> String {
    let output = search(site, args);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
    assert!(output.stdout.is_empty(), "{args:?} printed results: {output:?}");
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn unknown_filter_values_exit_2_with_the_closest_valid_one_suggested() {
    let site = built_fixture();
    let cases: &[(&[&str], &str)] = &[
        (
            &["care", "--enabler", "shared-dta"],
            "unknown enabler `shared-dta`; did you mean `shared-data`?",
        ),
        (
            &["care", "--type", "tolkit"],
            "unknown type `tolkit`; did you mean `toolkit`?",
        ),
        (
            &["care", "--facet", "settings=care-home"],
            "unknown `settings` value `care-home`; did you mean `care-homes`?",
        ),
        (
            &["care", "--facet", "setings=care-homes"],
            "unknown facet `setings`; did you mean `settings`?",
        ),
        // A valid value beside an unknown one does not hide it.
        (
            &["care", "--type", "toolkit", "--type", "reprot"],
            "unknown type `reprot`; did you mean `report`?",
        ),
    ];
    for (args, message) in cases {
        let stderr = refused(site.path(), args);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

#[test]
fn a_value_nothing_is_close_to_lists_the_valid_ones() {
    let site = built_fixture();
    let stderr = refused(site.path(), &["care", "--type", "zebra"]);
    assert!(stderr.contains("unknown type `zebra`; expected one of:"), "{stderr}");
    assert!(stderr.contains("`toolkit`") && stderr.contains("`report`"), "{stderr}");
}

#[test]
fn known_filter_values_still_search() {
    let site = built_fixture();
    let output = search(
        site.path(),
        &[
            "medicines",
            "--type",
            "toolkit",
            "--enabler",
            "shared-data",
            "--facet",
            "settings=care-homes",
        ],
    );
    assert!(output.status.success(), "{output:?}");
}
