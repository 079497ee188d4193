//! What fields, feeds and `casebook search` must never let through: links that run code or
//! break from disk, control characters in any output, an unbounded `--limit`, a damaged index
//! that panics, and typo tolerance that slows with every unknown word.

use crate::common;

use casebook::{check, BuildOptions, Diagnostic, Failure};
use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_casebook");

const CONFIG: &str = "title: \"Trust fixture\"\ntaxonomies:\n  enablers:\n    name: Enablers\n    terms:\n      - slug: shared-purpose\n        name: Shared purpose\n";

/// A site with `casebook.yaml` (`CONFIG` unless given) and the markdown files `files`
/// (path under `content/`, text).
fn site(config: Option<&str>, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("casebook.yaml"), config.unwrap_or(CONFIG)).unwrap();
    for (path, text) in files {
        let path = dir.path().join("content").join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

/// A toolkit whose frontmatter holds `fields` (one or more lines) and whose body is `body`.
fn toolkit(fields: &str, body: &str) -> String {
    format!("---\ntitle: \"A toolkit\"\nsummary: \"Short.\"\nenablers: [shared-purpose]\n{fields}\n---\n{body}\n")
}

/// The errors `casebook check` finds in `root`, in file and position order.
fn errors(root: &Path) -> Vec<Diagnostic> {
    match check(root, &BuildOptions::default()) {
        Ok(problems) => problems.sorted().into_iter().filter(Diagnostic::is_error).collect(),
        Err(Failure::Content(problems)) => problems.sorted(),
        Err(Failure::Usage(e)) => panic!("usage error: {e}"),
    }
}

/// (line, column, code) of each error.
fn places(errors: &[Diagnostic]) -> Vec<(usize, usize, &'static str)> {
    errors.iter().map(|d| (d.line, d.column, d.code.as_str())).collect()
}

fn run(args: &[&str], root: &Path) -> Output {
    Command::new(BIN).args(args).arg("--root").arg(root).output().unwrap()
}

#[test]
fn script_and_data_urls_in_link_and_source_url_are_refused_at_their_values() {
    let fields =
        "link: \"JavaScript:alert(1)\"\nsource: { publisher: P, url: \"data:text/html,<script>alert(1)</script>\" }";
    let root = site(None, &[("toolkits/x.md", &toolkit(fields, "Body."))]);
    let errors = errors(root.path());
    assert_eq!(
        places(&errors),
        [(5, 7, "broken-link"), (6, 30, "broken-link")],
        "{errors:?}"
    );
    assert!(
        errors[0].message.contains("`javascript:` links are refused"),
        "{errors:?}"
    );
    assert!(errors[1].message.contains("`data:` links are refused"), "{errors:?}");
}

#[test]
fn markdown_links_go_through_the_same_scheme_check_as_fields() {
    // The browser drops the tab, so this is a script link too; `//host` breaks from disk.
    let body = "[a](java&#9;script:alert(1)) and [b](//example.org/x) and [c](https://example.org/)";
    let root = site(None, &[("toolkits/x.md", &toolkit("", body))]);
    let errors = errors(root.path());
    assert_eq!(
        places(&errors),
        [(7, 1, "broken-link"), (7, 34, "broken-link")],
        "{errors:?}"
    );
    assert!(
        errors[1].message.contains("write `https://example.org/x`"),
        "{errors:?}"
    );
}

#[test]
fn a_protocol_relative_or_script_footer_link_is_refused_at_its_href() {
    let config = format!(
        "{CONFIG}theme_options:\n  footer_links:\n    - {{ title: A, href: \"//example.org/x\" }}\n    - {{ title: B, href: \"javascript:alert(1)\" }}\n"
    );
    let root = site(Some(&config), &[("toolkits/x.md", &toolkit("", "Body."))]);
    let errors = errors(root.path());
    assert_eq!(
        places(&errors),
        [(10, 25, "invalid-config"), (11, 25, "invalid-config")],
        "{errors:?}"
    );
    assert!(
        errors[0].message.contains("write `https://example.org/x`"),
        "{errors:?}"
    );
}

#[test]
fn footer_links_with_a_scheme_are_published_as_written() {
    let config = format!(
        "{CONFIG}theme_options:\n  footer_links:\n    - {{ title: A, href: \"https://example.org/a\" }}\n    - {{ title: B, href: /about/index.html }}\n"
    );
    let root = site(Some(&config), &[("toolkits/x.md", &toolkit("", "Body."))]);
    let out = run(&["build", "--quiet"], root.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let page = fs::read_to_string(root.path().join("public/toolkits/x/index.html")).unwrap();
    assert!(page.contains(r#"<a href="https://example.org/a">A</a>"#), "{page}");
    assert!(page.contains(r#"<a href="../../about/index.html">B</a>"#), "{page}");
}

#[test]
fn control_characters_escaped_into_frontmatter_values_are_refused_at_the_value() {
    let fields = "organisation: \"Acme\\e[2J\"\nauthors: [A, \"B\\x07\"]\nextra: { note: \"\\u0001\" }";
    let root = site(None, &[("toolkits/x.md", &toolkit(fields, "Body."))]);
    let errors = errors(root.path());
    let want = [
        (5, 15, "control-character"),
        (6, 14, "control-character"),
        (7, 16, "control-character"),
    ];
    assert_eq!(places(&errors), want, "{errors:?}");
    assert!(errors[0].message.contains("U+001B"), "{errors:?}");
}

#[test]
fn a_control_character_in_a_markdown_body_is_refused_where_it_stands() {
    let root = site(None, &[("toolkits/x.md", &toolkit("", "Line one.\nAb\u{1b}[31mc"))]);
    let errors = errors(root.path());
    assert_eq!(places(&errors), [(8, 3, "control-character")], "{errors:?}");
}

#[test]
fn control_characters_in_casebook_yaml_are_refused_at_the_value() {
    let config = format!("{CONFIG}description: \"Clears \\e[2J the screen\"\n");
    let root = site(Some(&config), &[("toolkits/x.md", &toolkit("", "Body."))]);
    let errors = errors(root.path());
    assert_eq!(places(&errors), [(8, 14, "control-character")], "{errors:?}");
}

#[test]
fn the_feed_and_sitemap_never_carry_characters_xml_cannot_hold() {
    // Content and config refuse control characters; a site's own templates can still bring them.
    let root = site(None, &[("toolkits/x.md", &toolkit("", "Body."))]);
    let templates = root.path().join("templates");
    fs::create_dir_all(&templates).unwrap();
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed>{{ site.title }}\u{1}\u{b}\u{1b}\t\u{fffe}</feed>\n";
    fs::write(templates.join("atom.xml"), xml).unwrap();
    fs::write(templates.join("sitemap.xml"), xml.replace("feed", "urlset")).unwrap();
    let out = run(&["build", "--quiet"], root.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for file in ["atom.xml", "sitemap.xml"] {
        let text = fs::read_to_string(root.path().join("public").join(file)).unwrap();
        assert!(text.contains(">Trust fixture\t</"), "{file}: {text:?}");
    }
}

#[test]
fn search_prints_control_characters_from_an_index_as_symbols() {
    // An index built by an older casebook (or by hand) may hold what content now refuses.
    let root = site(None, &[("toolkits/x.md", &toolkit("", "Body about leadership."))]);
    assert!(run(&["build", "--quiet"], root.path()).status.success());
    let (mut loaded, _) = casebook::Site::load(root.path(), &BuildOptions::default()).unwrap();
    loaded.pages[0].resource.title = "Lead\u{1b}]0;pwned\u{7}\u{1b}[2J".into();
    loaded.pages[0].summary = "About leadership \u{9b}31m.".into();
    let index_dir = root.path().join("public/search/tantivy");
    fs::remove_dir_all(&index_dir).unwrap();
    fs::create_dir_all(&index_dir).unwrap();
    for (name, bytes) in casebook::search::index::build(&loaded.search_input())
        .unwrap()
        .files()
        .unwrap()
    {
        fs::write(index_dir.join(name), bytes).unwrap();
    }
    let out = run(&["search", "leadership"], root.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains(['\u{1b}', '\u{7}', '\u{9b}']), "{stdout:?}");
    assert!(stdout.contains("Lead\u{241b}]0;pwned\u{2407}\u{241b}[2J"), "{stdout}");
}

#[test]
fn diagnostics_show_control_characters_as_symbols_never_as_terminal_commands() {
    let fields = "organisation: \"x\\e]0;pwned\\a\"";
    let body = "Body \u{1b}[2J here.";
    let root = site(
        None,
        &[
            ("toolkits/x.md", &toolkit(fields, "Body.")),
            ("toolkits/y.md", &toolkit("", body)),
        ],
    );
    for args in [&["check"][..], &["build", "--quiet"], &["check", "--format", "github"]] {
        let out = run(args, root.path());
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let text = [out.stdout, out.stderr].concat();
        let text = String::from_utf8(text).unwrap();
        assert!(!text.contains(['\u{1b}', '\u{7}']), "{args:?}: {text:?}");
        assert!(text.contains("control-character"), "{args:?}: {text}");
    }
    let human = String::from_utf8(run(&["check"], root.path()).stderr).unwrap();
    // The source line shows the escape as a symbol, one for one, so the caret stays under it.
    assert!(human.contains("7 | Body \u{241b}[2J here.\n  |      ^"), "{human}");
}

#[test]
fn search_limit_beyond_its_bound_is_refused_with_a_message_not_a_panic() {
    let root = site(None, &[("toolkits/x.md", &toolkit("", "Body about leadership."))]);
    assert!(run(&["build", "--quiet"], root.path()).status.success());
    let out = run(
        &["search", "leadership", "--limit", "18446744073709551615"],
        root.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--limit") && stderr.contains("0..=1000"), "{stderr}");
    let out = run(&["search", "leadership", "--limit", "1000"], root.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The fixture library of tests/sites/search, built into a temporary folder.
fn built_search_fixture() -> common::BuiltSite {
    common::build_with_binary(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/search"))
}

fn search(site: &Path, query: &str) -> Output {
    Command::new(BIN)
        .args(["search", query, "--index"])
        .arg(site)
        .output()
        .unwrap()
}

#[test]
fn a_damaged_index_exits_2_with_a_message_never_a_panic_or_an_abort() {
    let site = built_search_fixture();
    let index = site.path().join("search/tantivy");
    let mut files: Vec<_> = fs::read_dir(&index).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() > 3, "{files:?}");
    for file in files {
        let original = fs::read(&file).unwrap();
        let n = original.len();
        let mut damaged: Vec<(String, Vec<u8>)> = Vec::new();
        // Every byte flipped to its complement: a lone digit of a length, a footer's crc, a
        // bit of meta.json (which then is not UTF-8).
        for offset in [0, 1, n / 3, n / 2, 2 * n / 3, n - 9, n - 5, n - 1] {
            let mut bytes = original.clone();
            bytes[offset] ^= 0xff;
            damaged.push((format!("byte {offset} of {n} flipped"), bytes));
        }
        for len in [0, 3, n / 2, n - 10] {
            damaged.push((format!("cut to {len} of {n} bytes"), original[..len].to_vec()));
        }
        for (what, bytes) in damaged {
            fs::write(&file, &bytes).unwrap();
            let out = search(site.path(), "leadership");
            let stderr = String::from_utf8_lossy(&out.stderr);
            let name = file.file_name().unwrap().to_string_lossy();
            // `code()` is None when a signal (an abort) ended the process; 101 is a panic.
            assert_eq!(out.status.code(), Some(2), "{name}, {what}: {stderr}");
            assert!(
                stderr.contains("cannot be read: run `casebook build` again"),
                "{name}, {what}: {stderr}"
            );
            assert!(!stderr.contains("panicked"), "{name}, {what}: {stderr}");
        }
        fs::write(&file, &original).unwrap();
    }
    // meta.json has no checksum: a document count that is still a number, but wrong, made
    // tantivy's scoring panic.
    let meta = index.join("meta.json");
    let original = fs::read_to_string(&meta).unwrap();
    let count = original
        .split("\"max_doc\": ")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    fs::write(
        &meta,
        original.replace(&format!("\"max_doc\": {count}"), "\"max_doc\": 0"),
    )
    .unwrap();
    let out = search(site.path(), "leadership");
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    fs::write(&meta, original).unwrap();
    assert!(search(site.path(), "leadership").status.success());
}

#[test]
fn a_query_of_two_thousand_unknown_words_finishes_promptly() {
    // Typo tolerance compares each unknown word with the index's vocabulary; reading that
    // vocabulary once per word made this query take 4.4 s in a release build. Read once, it
    // takes well under a second even in a debug build: the bound is only "finishes, not hangs",
    // generous for a slow, shared machine.
    let site = built_search_fixture();
    let words: Vec<String> = (0..2000).map(|i| format!("zq{}x", word(i))).collect();
    let start = Instant::now();
    let out = search(site.path(), &words.join(" "));
    let took = start.elapsed();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

/// `n` written with the letters a-z, so every word is distinct and none is in the index.
fn word(mut n: usize) -> String {
    let mut text = String::new();
    loop {
        text.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            return text;
        }
    }
}
