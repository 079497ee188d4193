//! `casebook import hugo|jekyll SRC DEST`: small Hugo and Jekyll trees written here come over
//! with their types, terms and old URLs, repaired and reported; SRC is never touched; a
//! non-empty DEST is refused; a file that does not parse is set aside and the rest imported.

use crate::common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn casebook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(args)
        .output()
        .unwrap()
}

/// Writes `files` (path, text) under `root`.
fn write(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

fn hugo_tree(root: &Path) {
    write(
        root,
        &[
            (
                "config.toml",
                "baseURL = \"https://example.gov/\"\ntitle = \"Example\"\nlanguageCode = \"en-us\"\n[params]\ndescription = \"Old site\"\n[taxonomies]\ntag = \"tags\"\n[permalinks]\nnews = \":year/:month/:slug/\"\n",
            ),
            ("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n"),
            ("content/news/_index.md", "---\ntitle: News and blogs\n---\n"),
            (
                "content/news/toml-post.md",
                "+++\ntitle = \"A TOML post\"\ndate = 2019-06-01\nslug = \"toml-post\"\ntags = [\"Open Data\", \"apis\"]\nsummary = \"From TOML.\"\n+++\nSee the [JSON post]({{< ref \"news/json-post.md\" >}}).\n\n{{< figure src=\"/img/chart.png\" caption=\"A chart\" >}}\n",
            ),
            (
                "content/news/json-post.md",
                "{\n  \"title\": \"A JSON post\",\n  \"date\": \"2020-02-03\",\n  \"tags\": [\"apis\"],\n  \"summary\": \"From JSON.\"\n}\n{{< youtube abc123 >}}\n\n{{< highlight go >}}\nfmt.Println(1)\n{{< /highlight >}}\n",
            ),
            (
                "content/news/yaml-post.md",
                "\n\n---\ntitle: A YAML post\ndate: 2021-03-04\nslug: old/path\nslug: yaml/post\nsource: gsa\nsummary: From YAML.\naliases: [/old-yaml-post/]\n---\nKept: {{< card-policy src=\"x\" >}}\n",
            ),
            ("content/about.md", "---\ntitle: About\nurl: /about-us/\nsummary: Who we are.\n---\nAbout.\n"),
            ("content/tags/_index.md", "---\ntitle: Topics we tag\n---\n"),
            (
                "content/tags/open-data/_index.md",
                "---\ntitle: Open data\ndescription: Data anyone can use.\naliases: [/topics/open/]\n---\n",
            ),
            ("static/img/chart.png", "png"),
        ],
    );
}

fn jekyll_tree(root: &Path) {
    write(
        root,
        &[
            (
                "_config.yml",
                "title: Example blog\nurl: https://blog.example.gov\npermalink: pretty\ncollections:\n  authors:\n    output: true\n    permalink: /author/:name/\n  contact:\n    output: false\nexclude: [README.md]\n",
            ),
            (
                "_posts/2014-03-12-hello-world.md",
                "---\ntitle: Hello world\ntags: open-data apis\nredirect_from: /hello/\nexcerpt: The first post.\n---\nRead [the next one]({% post_url 2015-01-02-second %}) ![logo]({{ site.baseurl }}/assets/logo.png)\n\n{% include card.html %}\n",
            ),
            (
                "_posts/2015-01-02-second.md",
                "---\ntitle: Second\ndate: January 2, 2015\nexcerpt: The second post.\n---\nBack to [about]({% link pages/about.md %}).\n",
            ),
            ("_authors/ada.md", "---\nname: Ada Lovelace\nexcerpt: An author.\n---\nAda.\n"),
            ("_contact/form.md", "---\ntitle: Form\n---\n"),
            ("pages/about.md", "---\ntitle: About\npermalink: /about/\nexcerpt: Who we are.\n---\nAbout.\n"),
            ("assets/logo.png", "png"),
            ("README.md", "not part of the site\n"),
            ("feed.xml", "---\nlayout: null\n---\n<feed/>\n"),
        ],
    );
}

fn import(flavour: &str, src: &Path, dest: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["import", flavour, src.to_str().unwrap(), dest.to_str().unwrap()];
    args.extend_from_slice(extra);
    casebook(&args)
}

fn read(dest: &Path, path: &str) -> String {
    fs::read_to_string(dest.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn hugo_tree_comes_over_with_types_terms_repairs_and_every_old_url() {
    let dir = tempfile::tempdir().unwrap();
    let (src, dest) = (dir.path().join("hugo"), dir.path().join("site"));
    hugo_tree(&src);
    let out = import("hugo", &src, &dest, &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let config = read(&dest, "casebook.yaml");
    for expected in [
        "title: Example\n",
        "base_url: https://example.gov/\n",
        "  news:\n    name: News and blogs\n    plural: News and blogs\n    section: news\n",
        "  tags:\n    name: Topics we tag\n",
        "    - slug: open-data\n      name: Open data\n      description: Data anyone can use.\n",
        "    - slug: apis\n      name: apis\n",
        "    source: extra.source\n",
    ] {
        assert!(config.contains(expected), "casebook.yaml lacks {expected:?}:\n{config}");
    }
    // TOML and JSON frontmatter as YAML; the permalink pattern kept as an alias.
    let toml_post = read(&dest, "content/news/toml-post.md");
    assert!(toml_post.starts_with("---\ntitle: A TOML post\n"), "{toml_post}");
    assert!(toml_post.contains("tags:\n- open-data\n- apis\n"), "{toml_post}");
    assert!(toml_post.contains("aliases:\n- 2019/06/toml-post/\n"), "{toml_post}");
    assert!(
        toml_post.contains("See the [JSON post](/news/json-post/)."),
        "{toml_post}"
    );
    assert!(toml_post.contains("![A chart](/img/chart.png)"), "{toml_post}");
    let json_post = read(&dest, "content/news/json-post.md");
    assert!(json_post.contains("[Watch the video on YouTube](https://www.youtube.com/watch?v=abc123)"));
    assert!(json_post.contains("```go\nfmt.Println(1)\n```"), "{json_post}");
    // Leading blank lines, the duplicate slug (last wins) with its `/`, the old aliases.
    let yaml_post = read(&dest, "content/news/yaml-post.md");
    assert!(yaml_post.starts_with("---\n"), "{yaml_post}");
    assert!(yaml_post.contains("slug: yaml-post\n"), "{yaml_post}");
    assert!(
        yaml_post.contains("aliases:\n- 2021/03/yaml/post/\n- old-yaml-post/\n"),
        "{yaml_post}"
    );
    assert!(yaml_post.contains("Kept: {{< card-policy src=\"x\" >}}"), "{yaml_post}");
    // A page outside any section gets a type; `url:` becomes an alias.
    let about = read(&dest, "content/about.md");
    assert!(
        about.contains("type: page\n") && about.contains("aliases:\n- about-us/\n"),
        "{about}"
    );
    assert!(dest.join("static/img/chart.png").is_file());
    assert!(!dest.join("content/tags").exists(), "term folders are terms, not pages");

    insta::assert_snapshot!("hugo-report", read(&dest, "import-report.md"));
    // The imported site checks clean with today's casebook (its redirects wait for `aliases:`).
    let check = casebook(&["check", "--root", dest.to_str().unwrap()]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}

#[test]
fn a_page_without_a_title_is_titled_so_the_imported_site_builds() {
    let dir = tempfile::tempdir().unwrap();
    let (src, dest) = (dir.path().join("hugo"), dir.path().join("site"));
    hugo_tree(&src);
    write(
        &src,
        &[
            (
                "content/news/2018-09-24-budget_review.md",
                "---\ndate: 2018-09-24\n---\nNo heading here.\n",
            ),
            (
                "content/news/headed.md",
                "---\ndate: 2019-01-02\n---\n\n# Services, not systems\n\nWhy words matter.\n",
            ),
            (
                "content/apis/feeds/index.md",
                "---\ndate: 2017-07-08\n---\n{{< api-feed >}}\n",
            ),
        ],
    );
    let out = import("hugo", &src, &dest, &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let headed = read(&dest, "content/news/headed.md");
    assert!(headed.contains("title: Services, not systems\n"), "{headed}");
    assert!(
        !headed.contains("# Services"),
        "the heading became the title, not a second H1: {headed}"
    );
    let dated = read(&dest, "content/news/2018-09-24-budget_review.md");
    assert!(dated.contains("title: Budget review\n"), "{dated}");
    let feeds = read(&dest, "content/apis/feeds/index.md");
    assert!(feeds.contains("title: Feeds\n"), "{feeds}");
    let report = read(&dest, "import-report.md");
    for expected in [
        "| title-from-heading | 1 |",
        "| title-from-file-name | 2 |",
        "no title: titled \"Budget review\" from its file name",
    ] {
        assert!(report.contains(expected), "report lacks {expected:?}:\n{report}");
    }
    let build = casebook(&["build", "--quiet", "--root", dest.to_str().unwrap()]);
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
}

#[test]
fn jekyll_tree_comes_over_with_post_dates_collections_and_links() {
    let dir = tempfile::tempdir().unwrap();
    let (src, dest) = (dir.path().join("jekyll"), dir.path().join("site"));
    jekyll_tree(&src);
    let out = import("jekyll", &src, &dest, &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let hello = read(&dest, "content/posts/hello-world.md");
    for expected in [
        "tags:\n- open-data\n- apis\n",
        "type: post\n",
        "date: \"2014-03-12\"\n",
        "aliases:\n- 2014/03/12/hello-world/\n- hello/\n",
        "Read [the next one](/posts/second/) ![logo](/assets/logo.png)",
        "{% include card.html %}",
    ] {
        assert!(hello.contains(expected), "hello-world.md lacks {expected:?}:\n{hello}");
    }
    assert!(!hello.contains("redirect_from"), "{hello}");
    let second = read(&dest, "content/posts/second.md");
    assert!(
        second.contains("date: \"2015-01-02\"\n"),
        "a date in words is written as a date: {second}"
    );
    assert!(second.contains("[about](/pages/about/)"), "{second}");
    let ada = read(&dest, "content/authors/ada.md");
    assert!(
        ada.contains("title: Ada Lovelace\n") && ada.contains("aliases:\n- author/ada/\n"),
        "{ada}"
    );
    assert!(read(&dest, "content/pages/about.md").contains("aliases:\n- about/\n"));
    assert!(dest.join("static/assets/logo.png").is_file());
    assert!(!dest.join("static/README.md").exists(), "excluded files stay out");
    assert!(
        dest.join("import-unconverted/_contact/form.md").is_file(),
        "an unpublished collection is set aside"
    );
    assert!(dest.join("import-unconverted/feed.xml").is_file());

    insta::assert_snapshot!("jekyll-report", read(&dest, "import-report.md"));
    let check = casebook(&["check", "--root", dest.to_str().unwrap()]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}

#[test]
fn import_never_touches_src() {
    let dir = tempfile::tempdir().unwrap();
    let (src, dest) = (dir.path().join("hugo"), dir.path().join("site"));
    hugo_tree(&src);
    let before = snapshot(&src);
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert!(import("hugo", &src, &dest, &[]).status.success());
    assert_eq!(snapshot(&src), before, "SRC's files, bytes and mtimes are as they were");
}

/// Every path under `root` with its bytes and modification time.
fn snapshot(root: &Path) -> Vec<(String, Vec<u8>, std::time::SystemTime)> {
    let mut files: Vec<_> = common::tree(root)
        .into_iter()
        .map(|(rel, bytes)| {
            let mtime = fs::metadata(root.join(&rel)).unwrap().modified().unwrap();
            (rel, bytes, mtime)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_dest_with_files_is_refused_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let (src, dest) = (dir.path().join("hugo"), dir.path().join("site"));
    hugo_tree(&src);
    write(&dest, &[("notes.txt", "mine")]);
    let out = import("hugo", &src, &dest, &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("is not empty; nothing was written") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(common::tree(&dest).len(), 1, "nothing was written");

    let forced = import("hugo", &src, &dest, &["--force"]);
    assert!(forced.status.success(), "{}", String::from_utf8_lossy(&forced.stderr));
    assert_eq!(read(&dest, "notes.txt"), "mine", "--force leaves other files alone");
}

#[test]
fn a_dest_inside_src_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("hugo");
    hugo_tree(&src);
    let out = import("hugo", &src, &src.join("site"), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("overlaps SRC"));
    assert!(!src.join("site").exists());
    #[cfg(unix)]
    {
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(src.join("content"), &link).unwrap();
        let out = import("hugo", &src, &link, &["--force"]);
        assert_eq!(out.status.code(), Some(2), "a DEST that is a symlink into SRC is SRC");
        assert!(!src.join("content/casebook.yaml").exists());
    }
}

#[test]
fn a_tree_that_is_not_of_its_flavour_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let (src, dest) = (dir.path().join("hugo"), dir.path().join("site"));
    hugo_tree(&src);
    let out = import("jekyll", &src, &dest, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no _config.yml: is it a Jekyll site?"));
}

#[test]
fn malformed_frontmatter_in_one_file_is_set_aside_and_the_rest_imported() {
    let dir = tempfile::tempdir().unwrap();
    let (src, dest) = (dir.path().join("hugo"), dir.path().join("site"));
    hugo_tree(&src);
    write(
        &src,
        &[
            (
                "content/news/bad-toml.md",
                "+++\ntitle = \"x\"\ndate = = 1\n+++\nbody\n",
            ),
            ("content/news/bad-yaml.md", "---\ntitle: [unclosed\n---\nbody\n"),
        ],
    );
    let out = import("hugo", &src, &dest, &["--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["counts"]["resources"], 4);
    assert_eq!(report["counts"]["files not converted"], 2);
    assert_eq!(report["repairs"]["toml-frontmatter"], 1);
    let attention = report["attention"].as_array().unwrap();
    let bad_toml = attention
        .iter()
        .find(|a| a["file"] == "import-unconverted/content/news/bad-toml.md")
        .expect("the TOML file is named");
    assert_eq!(bad_toml["line"], 3, "{bad_toml}");
    assert_eq!(
        read(&dest, "import-unconverted/content/news/bad-yaml.md"),
        "---\ntitle: [unclosed\n---\nbody\n"
    );
    assert!(dest.join("content/news/toml-post.md").is_file());
}

#[test]
fn hostile_files_are_reported_and_never_stop_the_import() {
    let dir = tempfile::tempdir().unwrap();
    let (src, dest) = (dir.path().join("hugo"), dir.path().join("site"));
    hugo_tree(&src);
    write(
        &src,
        &[
            ("content/news/empty.md", ""),
            ("content/news/unclosed.md", "---\ntitle: x\n"),
            ("content/news/a-list.md", "---\n- a\n- b\n---\n"),
            (
                "content/news/tags.md",
                "---\ntitle: T\ntags: {a: b}\nslug: \"///\"\n---\n{{%}} {{< {{< x >}}\n",
            ),
            (
                "content/news/deep.md",
                &format!("---\ntitle: D\nx: {}{}\n---\n", "[".repeat(200), "]".repeat(200)),
            ),
        ],
    );
    fs::write(src.join("content/news/latin1.md"), b"---\ntitle: caf\xe9\n---\n").unwrap();
    let out = import("hugo", &src, &dest, &["--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let set_aside: Vec<&str> = report["attention"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["message"].as_str().unwrap().starts_with("not imported"))
        .map(|a| a["file"].as_str().unwrap())
        .collect();
    for file in ["unclosed.md", "a-list.md", "deep.md", "latin1.md"] {
        assert!(
            set_aside.contains(&format!("import-unconverted/content/news/{file}").as_str()),
            "{file} is set aside: {set_aside:?}"
        );
    }
    assert!(
        read(&dest, "content/news/tags.md").contains("{{%}} {{< {{< x >}}"),
        "odd tags are kept as text"
    );
    assert!(
        dest.join("content/news/empty.md").is_file(),
        "an empty file is imported as it is"
    );
}

#[test]
fn each_old_url_redirects_once_and_never_over_a_page_so_the_import_builds() {
    let dir = tempfile::tempdir().unwrap();
    let (src, dest) = (dir.path().join("src"), dir.path().join("dest"));
    write(
        &src,
        &[
            (
                "config.toml",
                "baseURL = \"https://example.gov/\"\ntitle = \"Example\"\n[permalinks]\nnews = \":year/:month/:slug/\"\n",
            ),
            // Its permalink was 2019/06/moved/: that old URL is this page's own.
            (
                "content/news/moved.md",
                "---\ntitle: Moved\ndate: 2019-06-01\nslug: moved\nsummary: A post.\n---\nText.\n",
            ),
            // A catch-all page listing other pages' old URLs, and its own new one with `//`.
            (
                "content/gone.md",
                "---\ntitle: Gone\nsummary: No longer here.\naliases: [2019/06/moved/, /gone//, /really-gone/]\n---\nText.\n",
            ),
        ],
    );
    let out = import("hugo", &src, &dest, &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let gone = read(&dest, "content/gone.md");
    assert!(gone.contains("really-gone/"), "{gone}");
    assert!(
        !gone.contains("2019/06/moved/"),
        "the post's own old URL stays the post's: {gone}"
    );
    assert!(
        !gone.contains("gone//"),
        "an alias of its own new address is dropped: {gone}"
    );
    assert!(read(&dest, "content/news/moved.md").contains("2019/06/moved/"));
    let report = read(&dest, "import-report.md");
    assert!(report.contains("`/2019/06/moved/` is now another page's"), "{report}");
    let built = casebook(&["build", "--root", dest.to_str().unwrap(), "--quiet"]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    assert!(dest.join("public/2019/06/moved/index.html").is_file());
    assert!(dest.join("public/really-gone/index.html").is_file());
}
