//! `casebook build` over fixture sites: what a reader and an editor see.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FIXTURE: &str = "tests/sites/valid/basic";

/// A fixture copied into a temporary folder, so tests can change it and build into it.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn copy_of(fixture: &str) -> Site {
        let dir = common::copy_fixture(fixture);
        Site { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    fn build(&self, extra: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_casebook"))
            .arg("build")
            .arg("--root")
            .arg(self.root())
            .args(extra)
            .output()
            .unwrap()
    }

    fn built(&self) -> &Self {
        let out = self.build(&[]);
        assert!(
            out.status.success(),
            "build failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self
    }

    fn page(&self, rel: &str) -> String {
        fs::read_to_string(self.public().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

/// The values of every `href="..."` and `src="..."` in `html`, entities decoded.
fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for piece in html.split(attr).skip(1) {
            let value = piece.split('"').next().unwrap();
            found.push(
                value
                    .replace("&#x2F;", "/")
                    .replace("&amp;", "&")
                    .replace("&#x3D;", "="),
            );
        }
    }
    found
}

#[test]
fn every_page_type_is_written() {
    let site = Site::copy_of(FIXTURE);
    site.built();
    for page in [
        "index.html",
        "case-studies/index.html",
        "case-studies/alpha/index.html",
        "case-studies/bundle/index.html",
        "toolkits/index.html",
        "toolkits/beta/index.html",
        "blog/first-post/index.html",
        "enablers/index.html",
        "enablers/shared-purpose/index.html",
        "enablers/relationships-and-trust/index.html",
        "settings/care-homes/index.html",
        "sitemap.xml",
        "atom.xml",
        "robots.txt",
        "404.html",
        "css/site.css",
        "css/syntax.css",
    ] {
        assert!(site.public().join(page).is_file(), "{page} is missing");
    }
    assert!(site.page("case-studies/index.html").contains("Stories from practice"));
    assert!(site
        .page("sitemap.xml")
        .contains("<loc>https://fixture.example.org/library/case-studies/alpha/</loc>"));
    assert!(site
        .page("atom.xml")
        .contains("<title>Alpha: a joint medicines review</title>"));
}

#[test]
fn every_relative_link_resolves_to_a_file_in_the_output() {
    let site = Site::copy_of(FIXTURE);
    site.built();
    let mut checked = 0;
    for (rel, bytes) in common::tree(&site.public()) {
        if !rel.ends_with(".html") || rel == "404.html" {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let dir = site.public().join(&rel).parent().unwrap().to_path_buf();
        for link in links(&html) {
            if link.contains(':') || link.starts_with('#') || link.starts_with('/') {
                continue;
            }
            let path = link.split('#').next().unwrap();
            assert!(dir.join(path).is_file(), "{rel}: link {link} does not resolve");
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

#[test]
fn a_markdown_link_becomes_the_page_link() {
    let site = Site::copy_of(FIXTURE);
    site.built();
    let alpha = site.page("case-studies/alpha/index.html");
    assert!(
        alpha.contains(
            r#"<a href="../../toolkits/beta/index.html#step-two" data-path="toolkits/beta/#step-two">Beta toolkit</a>"#
        ),
        "{alpha}"
    );
    assert!(alpha.contains(r#"<a href="../bundle/index.html" data-path="case-studies/bundle/">bundle story</a>"#));
    assert!(site
        .page("index.html")
        .contains(r#"<a href="toolkits/beta/index.html" data-path="toolkits/beta/">toolkit</a>"#));
    assert!(site.page("toolkits/beta/index.html").contains(r#"id="step-two""#));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::copy_of(FIXTURE);
    site.built();
    assert!(!site.public().join("blog/hidden-draft").exists());
    for (rel, bytes) in common::tree(&site.public()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("quixotrine"),
            "{rel} mentions the draft"
        );
        assert!(
            !String::from_utf8_lossy(&bytes).contains("Unfinished thoughts"),
            "{rel} lists the draft"
        );
    }
    let out = site.build(&["--drafts"]);
    assert!(out.status.success());
    assert!(site.page("blog/hidden-draft/index.html").contains("quixotrine"));
}

#[test]
fn bom_and_crlf_files_render_their_titles() {
    let site = Site::copy_of(FIXTURE);
    site.write(
        "content/blog/windows.md",
        b"\xef\xbb\xbf---\r\ntitle: \"Written on Windows\"\r\ndate: 2024-02-01\r\n---\r\nBody with CRLF.\r\n",
    );
    site.write(
        "content/blog/mixed.md",
        b"---\r\ntitle: \"Mixed endings\"\ndate: 2024-02-02\r\n---\nBody.\r\n",
    );
    site.built();
    assert!(site
        .page("blog/windows/index.html")
        .contains("<h1>Written on Windows</h1>"));
    assert!(site.page("blog/mixed/index.html").contains("<h1>Mixed endings</h1>"));
}

#[test]
fn scripts_handlers_and_javascript_urls_do_not_reach_the_page() {
    let site = Site::copy_of(FIXTURE);
    site.built();
    let alpha = site.page("case-studies/alpha/index.html");
    // The page's content; the theme's own scripts (js/cite.js) come after </main>.
    let body = alpha.split("<main").nth(1).unwrap().split("</main>").next().unwrap();
    assert!(!body.contains("<script"), "script survived");
    assert!(!body.contains("alert("), "script text survived");
    assert!(!body.contains("onclick"), "handler survived");
    assert!(!body.contains("javascript:"), "javascript: URL survived");
    assert!(body.contains("Click me"), "the harmless text is kept");
}

#[test]
fn trusted_html_is_kept_when_the_site_opts_in() {
    let site = Site::copy_of(FIXTURE);
    let config = fs::read_to_string(site.root().join("casebook.yaml")).unwrap();
    site.write(
        "casebook.yaml",
        format!("{config}markdown:\n  trusted_html: true\n").as_bytes(),
    );
    site.built();
    assert!(site
        .page("case-studies/alpha/index.html")
        .contains(r#"<p onclick="steal()">"#));
}

#[test]
fn a_page_bundle_brings_its_image_and_attachment() {
    let site = Site::copy_of(FIXTURE);
    site.built();
    let original = fs::read(site.root().join("content/case-studies/bundle/photo.png")).unwrap();
    assert_eq!(
        fs::read(site.public().join("case-studies/bundle/photo.png")).unwrap(),
        original
    );
    let page = site.page("case-studies/bundle/index.html");
    assert!(page.contains(r#"src="photo.png""#));
    assert!(
        page.contains(r#"src="../../img/logo.svg""#),
        "a /absolute link is made relative"
    );
    assert!(page.contains(r#"href="template.txt""#));
    assert!(site.public().join("case-studies/bundle/template.txt").is_file());
}

#[test]
fn code_is_highlighted_with_classes_and_the_summary_falls_back_to_the_first_paragraph() {
    let site = Site::copy_of(FIXTURE);
    let out = site.build(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("first-post.md:1:1: warning: no `summary`"), "{stderr}");
    let alpha = site.page("case-studies/alpha/index.html");
    assert!(alpha.contains(r#"<span class="hl-storage hl-type hl-function hl-python">def</span>"#));
    assert!(!alpha.contains("style=\"color"), "no inline colours");
    let blog = site.page("blog/index.html");
    assert!(blog.contains("No summary here, so this first paragraph becomes the summary."));
}

#[test]
fn a_second_build_is_byte_identical() {
    let site = Site::copy_of(FIXTURE);
    site.built();
    let first = common::tree(&site.public());
    site.built();
    assert_eq!(first, common::tree(&site.public()));
}

#[test]
fn a_broken_file_fails_the_build_and_keeps_the_previous_output() {
    let site = Site::copy_of(FIXTURE);
    site.built();
    let before = common::tree(&site.public());
    site.write(
        "content/toolkits/broken.md",
        b"---\ntitle: \"Broken\"\nenablers: [shared-purpse]\n---\nSee [missing](nowhere.md).\n",
    );
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/toolkits/broken.md:3:12: error: `shared-purpse` is not a defined term of `enablers`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `shared-purpose`?"), "{stderr}");
    assert!(
        stderr.contains("content/toolkits/broken.md:5:5: error: link target `nowhere.md` does not exist"),
        "{stderr}"
    );
    assert_eq!(before, common::tree(&site.public()), "the previous output changed");
    let leftovers: Vec<_> = fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("casebook-") && !n.to_string_lossy().ends_with("casebook-manifest"))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
}

#[test]
fn the_output_folder_and_base_url_can_be_chosen() {
    let site = Site::copy_of(FIXTURE);
    let out_dir = site.root().join("elsewhere/site");
    let out = site.build(&[
        "--output",
        out_dir.to_str().unwrap(),
        "--base-url",
        "https://other.example.org/sub",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let home = fs::read_to_string(out_dir.join("index.html")).unwrap();
    assert!(
        home.contains(r#"<link rel="canonical" href="https://other.example.org/sub/">"#),
        "{home}"
    );
    assert!(!site.public().exists());
}

#[test]
fn a_folder_without_casebook_yaml_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("build")
        .arg("--root")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a casebook site"));
}

#[test]
fn the_sample_library_builds_cleanly() {
    let out_dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(out_dir.path().join("public"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("s: no problems found"),
        "the sample library has warnings: {stderr}"
    );
    let resources = walkdir::WalkDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() != "_index.md" && e.path().extension().is_some_and(|x| x == "md"))
        .count();
    assert!(resources >= 25, "{resources} sample resources");
}
