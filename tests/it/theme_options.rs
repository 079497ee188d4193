//! Branding through `theme_options`, over the fixture site `tests/sites/theme/`: it builds with
//! its logo and colour, and a colour too light for white text or a missing logo is an error
//! located in casebook.yaml.

use crate::common;

use casebook::{build, BuildOptions, Diagnostic, Failure};
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/theme")
}

/// A copy of the fixture with `casebook.yaml` edited by `edit`.
fn fixture_with(edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture(), dir.path());
    let config = dir.path().join("casebook.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, edit(&text)).unwrap();
    dir
}

fn build_errors(root: &Path) -> Vec<Diagnostic> {
    let out = tempfile::tempdir().unwrap();
    match build(root, &out.path().join("public"), &BuildOptions::default(), &|_| {}) {
        Err(Failure::Content(problems)) => problems.sorted(),
        Err(Failure::Usage(e)) => panic!("usage error: {e}"),
        Ok(_) => panic!("the build should fail"),
    }
}

#[test]
fn the_fixture_builds_with_its_logo_brand_colour_and_footer_links() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build(&fixture(), &public, &BuildOptions::default(), &|_| {}).unwrap();
    let css = std::fs::read_to_string(public.join("css/theme.css")).unwrap();
    assert!(css.contains("--brand: #8a1538;"), "{css}");
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(
        home.contains(r#"<img class="logo" src="images/logo.svg" alt="">"#),
        "{home}"
    );
    assert!(home.contains(r#"<a href="mailto:library@academy.example.org">Contact us</a>"#));
    let page = std::fs::read_to_string(public.join("case-studies/index.html")).unwrap();
    assert!(page.contains(r#"<a href="../case-studies/index.html">About the academy</a>"#));
    assert!(!page.contains(" style="), "no inline styles: the CSP forbids them");
}

#[test]
fn a_low_contrast_primary_colour_is_rejected_at_its_value_with_a_darker_shade() {
    let site = fixture_with(|t| t.replace(r##"primary_colour: "#8a1538""##, r##"primary_colour: "#e07a9a""##));
    let errors = build_errors(site.path());
    assert_eq!(errors.len(), 1, "{errors:?}");
    let d = &errors[0];
    assert_eq!((d.file.as_str(), d.line, d.column), ("casebook.yaml", 9, 19));
    assert_eq!(d.code.as_str(), "invalid-config");
    assert!(
        d.message.contains("`#e07a9a` has a contrast ratio of 2.83:1"),
        "{}",
        d.message
    );
    let help = d.help.as_deref().unwrap();
    let darker = casebook::colour::Rgb::parse(help.split('"').nth(1).unwrap()).unwrap();
    assert!(darker.contrast(casebook::colour::WHITE) >= 4.5, "{help}");
}

#[test]
fn a_logo_that_is_not_a_file_of_the_site_is_located() {
    let site = fixture_with(|t| t.replace("logo: images/logo.svg", "logo: images/logo.png"));
    let errors = build_errors(site.path());
    let d = &errors[0];
    assert_eq!((d.line, d.column, d.code.as_str()), (7, 9, "missing-asset"));
    assert!(d.message.contains("images/logo.png"));
}
