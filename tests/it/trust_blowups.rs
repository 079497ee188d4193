//! Hostile small inputs (issue #9, finding 7): each one either renders in bounded time and
//! memory or is refused with a located error. The inputs are generated here, not committed;
//! each test asserts the structural fix (a limit's error at its place, plain text instead of
//! highlighting, an id without a search) rather than a time, so a debug build runs them in
//! seconds. A proptest at the end throws hostile shapes at the whole frontmatter and markdown
//! pipeline (`PROPTEST_CASES=20000 cargo test --release --test it -- trust_blowups::fuzz` to go at scale).

use casebook::content::frontmatter::MAX_TERMS;
use casebook::content::site_map::SiteMap;
use casebook::diagnostics::{Diagnostic, Diagnostics};
use casebook::markdown::{self, Place, RenderOptions, MAX_ELEMENTS, MAX_HIGHLIGHTED, MAX_NESTING};
use casebook::yaml::MAX_DEPTH;
use casebook::BuildOptions;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

const CONFIG: &str =
    "title: Hostile\ntaxonomies:\n  enablers:\n    name: Enablers\n    terms:\n      - { slug: a, name: A }\n";

/// A site with `casebook.yaml` = `config` and one toolkit, `content/toolkits/x.md`, whose
/// frontmatter lines are `front` (after `title`, `summary`, `enablers`) and body `body`.
fn site(config: &str, front: &str, body: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("casebook.yaml"), config).unwrap();
    fs::create_dir_all(dir.path().join("content/toolkits")).unwrap();
    let page = format!("---\ntitle: T\nsummary: S\n{front}---\n{body}");
    fs::write(dir.path().join("content/toolkits/x.md"), page).unwrap();
    dir
}

/// `check`'s problems for the site at `root`, errors only.
fn check_errors(root: &Path) -> Vec<Diagnostic> {
    let problems: Diagnostics = casebook::check(root, &BuildOptions::default()).expect("a readable site");
    problems.sorted().into_iter().filter(Diagnostic::is_error).collect()
}

/// The one error of `errors`, which must have `code`, sit at `line`:`column` and carry help.
fn the_error(errors: &[Diagnostic], code: &str, line: usize, column: usize) {
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert_eq!(
        (e.code.as_str(), e.file.as_str()),
        (code, "content/toolkits/x.md"),
        "{e}"
    );
    assert_eq!((e.line, e.column), (line, column), "{e}");
    assert!(e.help.is_some(), "{e}");
}

fn place() -> Place<'static> {
    Place {
        file: "content/toolkits/x.md",
        first_line: 1,
        dir: "toolkits",
        url: "toolkits/x/",
    }
}

fn render(markdown: &str) -> markdown::Rendered {
    markdown::render(markdown, place(), &SiteMap::default(), &RenderOptions::default())
}

/// Renders `markdown` and checks its links; both must report the same problems.
fn render_and_check(markdown: &str) -> markdown::Rendered {
    let rendered = render(markdown);
    let checked = markdown::check_links(markdown, place(), &SiteMap::default());
    assert_eq!(format!("{:?}", rendered.problems), format!("{checked:?}"));
    rendered
}

// ---- frontmatter nested too deep: refused by the parser's budget, before any tree is built -

#[test]
fn frontmatter_with_150k_nested_brackets_is_refused_on_its_line() {
    let root = site(
        CONFIG,
        &format!("enablers: [a]\nextra: {}\n", "[".repeat(150_000)),
        "Body\n",
    );
    let errors = check_errors(root.path());
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    // The YAML parser reads a flow collection ahead before reporting it, and gives up at 256 open
    // brackets: the error points there, on the `extra` line.
    assert_eq!((e.code.as_str(), e.line), ("too-deep", 5), "{e}");
    assert!(e.column > "extra: ".len() + MAX_DEPTH, "{e}");
}

#[test]
fn frontmatter_with_100k_nested_dashes_is_refused_at_the_first_level_too_deep() {
    let root = site(
        CONFIG,
        &format!("enablers: [a]\nextra:\n  {}x\n", "- ".repeat(100_000)),
        "Body\n",
    );
    // The frontmatter mapping is one level, so the dash opening level MAX_DEPTH + 1 is the
    // (MAX_DEPTH)th on the line.
    the_error(&check_errors(root.path()), "too-deep", 6, 3 + 2 * (MAX_DEPTH - 1));
}

#[test]
fn frontmatter_nested_to_the_limit_still_reads() {
    let list = format!("{}1{}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
    let root = site(CONFIG, &format!("enablers: [a]\nextra: {list}\n"), "Body\n");
    let errors = check_errors(root.path());
    assert!(errors.is_empty(), "{errors:#?}");
}

// ---- markdown nested too deep or too large: refused, and left out of the HTML ------------

#[test]
fn markdown_with_100k_quote_markers_is_refused_at_the_first_level_too_deep() {
    let text = format!("{} deep\n", ">".repeat(100_000));
    let rendered = render_and_check(&text);
    assert_eq!(rendered.problems.len(), 1, "{:#?}", rendered.problems);
    let e = &rendered.problems[0];
    assert_eq!(
        (e.code.as_str(), e.line, e.column),
        ("too-deep", 1, MAX_NESTING + 1),
        "{e}"
    );
    // A refused page gets no HTML: the sanitiser, quadratic in depth, never sees it.
    assert_eq!(rendered.html, "");
}

#[test]
fn markdown_lists_100k_deep_are_refused() {
    let rendered = render_and_check(&format!("{}x\n", "- ".repeat(100_000)));
    assert_eq!(rendered.problems.len(), 1, "{:#?}", rendered.problems);
    // Each level is a list and an item: the list opening level MAX_NESTING + 1 is the
    // (MAX_NESTING / 2 + 1)th dash.
    let e = &rendered.problems[0];
    assert_eq!(
        (e.code.as_str(), e.line, e.column),
        ("too-deep", 1, MAX_NESTING + 1),
        "{e}"
    );
    assert_eq!(rendered.html, "");
}

#[test]
fn deeply_nested_emphasis_is_refused() {
    let n = 10_000;
    let rendered = render_and_check(&format!("{}x{}\n", "*".repeat(n), "*".repeat(n)));
    assert_eq!(rendered.problems.len(), 1, "{:#?}", rendered.problems);
    assert_eq!(rendered.problems[0].code.as_str(), "too-deep");
}

#[test]
fn a_table_past_the_element_limit_is_refused_at_its_first_row_past_it() {
    // Each body row is a row and four cells; the head is a head, a row... and four cells.
    let rows = MAX_ELEMENTS / 5 + 10;
    let text = format!(
        "| h | i | j | k |\n|:--|:-:|--:|---|\n{}",
        "| a | b | c | d |\n".repeat(rows)
    );
    let rendered = render_and_check(&text);
    assert_eq!(rendered.problems.len(), 1, "{:#?}", rendered.problems);
    let e = &rendered.problems[0];
    assert_eq!(e.code.as_str(), "too-large", "{e}");
    assert!(
        e.line > 2 + MAX_ELEMENTS / 5 - 5 && e.line <= 2 + MAX_ELEMENTS / 5 + 1,
        "{e}"
    );
    assert_eq!(rendered.html, "");
}

#[test]
fn a_big_table_under_the_element_limit_renders_whole() {
    let rows = 20_000;
    let text = format!("| h | i |\n|:--|--:|\n{}", "| a | b |\n".repeat(rows));
    let rendered = render_and_check(&text);
    assert!(rendered.problems.is_empty(), "{:#?}", rendered.problems);
    assert_eq!(rendered.html.matches("<td class=\"align-left\">").count(), rows);
}

// ---- 40k equal headings: ids without a search from 1 -------------------------------------

#[test]
fn forty_thousand_equal_headings_get_distinct_ids_in_linear_time() {
    let start = Instant::now();
    let rendered = render(&"# Same\n\n".repeat(40_000));
    // Quadratic ids took 71 s in a release build; this takes well under a second there.
    // 10 s leaves room for a slow debug build on a busy machine.
    assert!(start.elapsed() < Duration::from_secs(10), "{:?}", start.elapsed());
    assert!(rendered
        .html
        .starts_with("<h1 id=\"same\">Same</h1>\n<h1 id=\"same-1\">"));
    assert!(rendered.html.contains("<h1 id=\"same-39999\">"));
}

// ---- 10k terms on one resource: refused at the first term past the limit -----------------

#[test]
fn ten_thousand_terms_on_one_resource_are_refused_at_the_first_past_the_limit() {
    let terms: String = (0..10_000)
        .map(|i| format!("      - {{ slug: t{i}, name: T{i} }}\n"))
        .collect();
    let config = format!("title: Hostile\ntaxonomies:\n  enablers:\n    name: Enablers\n    terms:\n{terms}");
    let slugs: Vec<String> = (0..10_000).map(|i| format!("t{i}")).collect();
    let front = format!("enablers: [{}]\n", slugs.join(", "));
    let root = site(&config, &front, "Body\n");
    let column = "enablers: [".len() + slugs[..MAX_TERMS].iter().map(|s| s.len() + 2).sum::<usize>() + 1;
    the_error(&check_errors(root.path()), "too-many-terms", 4, column);
}

#[test]
fn terms_up_to_the_limit_are_fine() {
    let terms: String = (0..MAX_TERMS)
        .map(|i| format!("      - {{ slug: t{i}, name: T{i} }}\n"))
        .collect();
    let config = format!("title: Hostile\ntaxonomies:\n  enablers:\n    name: Enablers\n    terms:\n{terms}");
    let slugs: Vec<String> = (0..MAX_TERMS).map(|i| format!("t{i}")).collect();
    let root = site(&config, &format!("enablers: [{}]\n", slugs.join(", ")), "Body\n");
    let errors = check_errors(root.path());
    assert!(errors.is_empty(), "{errors:#?}");
}

// ---- huge code blocks: plain escaped text, not highlighted -------------------------------

#[test]
fn a_code_block_over_the_highlight_limit_is_plain_escaped_text() {
    let line = "let x = a < b; // <script>\n";
    let big = line.repeat(MAX_HIGHLIGHTED / line.len() + 1);
    let rendered = render(&format!("```rust\n{big}```\n"));
    assert!(rendered.problems.is_empty());
    assert!(!rendered.html.contains("hl-"), "highlighted");
    assert!(rendered
        .html
        .starts_with("<pre class=\"code\"><code class=\"language-rust\">let x = a &lt; b;"));
    assert!(!rendered.html.contains("<script>"));
    // A block under the limit is still highlighted.
    assert!(render(&format!("```rust\n{line}```\n")).html.contains("hl-"));
}

// ---- everything at once, through `build`: refused, nothing written ----------------------

#[test]
fn a_build_of_hostile_pages_reports_each_at_its_place_and_writes_nothing() {
    let root = site(CONFIG, "enablers: [a]\n", "Fine.\n");
    let pages = [
        (
            "brackets",
            format!("enablers: [a]\nextra: {}\n---\n", "[".repeat(150_000)),
        ),
        ("quotes", format!("enablers: [a]\n---\n{} x\n", ">".repeat(100_000))),
        (
            "headings",
            format!("enablers: [a]\n---\n{}", "# Same\n\n".repeat(40_000)),
        ),
    ];
    for (name, rest) in &pages {
        fs::write(
            root.path().join(format!("content/toolkits/{name}.md")),
            format!("---\ntitle: T\nsummary: S\n{rest}"),
        )
        .unwrap();
    }
    let out = root.path().join("public");
    let Err(casebook::Failure::Content(problems)) =
        casebook::build(root.path(), &out, &BuildOptions::default(), &|_| {})
    else {
        panic!("the build should fail on content");
    };
    let errors: Vec<(String, &str)> = problems
        .sorted()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.file.clone(), d.code.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            ("content/toolkits/brackets.md".to_string(), "too-deep"),
            ("content/toolkits/quotes.md".to_string(), "too-deep"),
        ]
    );
    assert!(!out.exists());
}

// ---- fuzzing: hostile shapes through the whole frontmatter + markdown pipeline -----------

mod fuzz {
    use super::*;
    use casebook::config::Config;
    use casebook::content::frontmatter::{decode, split, FieldReader};
    use proptest::prelude::*;

    /// Pieces that nest, repeat or open things, each repeated up to thousands of times.
    fn hostile_piece() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("["),
            Just("{"),
            Just("]"),
            Just("- "),
            Just("  "),
            Just("? "),
            Just(": "),
            Just("&a "),
            Just("*a "),
            Just("\"["),
            Just("'"),
            Just("\n"),
            Just(">"),
            Just("> "),
            Just("* "),
            Just("1. "),
            Just("*"),
            Just("_"),
            Just("`"),
            Just("```"),
            Just("~~"),
            Just("#"),
            Just("# H\n"),
            Just("|"),
            Just("|--|\n"),
            Just("[^1]"),
            Just("<div>"),
            Just("</div>"),
            Just("<!--"),
            Just("](x.md)"),
            Just("!["),
            Just("\t"),
            Just("\\"),
            Just("x"),
        ];
        (piece, 1usize..3000).prop_map(|(p, n)| p.repeat(n))
    }

    /// A file: maybe a frontmatter block with hostile pieces, then a hostile body.
    fn hostile_file() -> impl Strategy<Value = String> {
        (
            proptest::collection::vec(hostile_piece(), 0..4),
            proptest::collection::vec(hostile_piece(), 0..6),
            any::<bool>(),
        )
            .prop_map(|(front, body, fenced)| {
                let front = if fenced {
                    format!("---\ntitle: T\nextra: {}\n---\n", front.concat())
                } else {
                    front.concat()
                };
                front + &body.concat()
            })
    }

    fn config() -> Config {
        Config::parse(CONFIG, "casebook.yaml").expect("a valid config")
    }

    /// Every problem of one file, from reading its frontmatter to rendering its body; each
    /// must lie within the file, and render and check must agree on the body's.
    fn run(text: &str, config: &Config) {
        let lines = text.split('\n').count();
        let within = |d: &Diagnostic| assert!(d.line >= 1 && d.line <= lines + 1, "{d} of {lines} lines");
        let Ok(text) = decode(text.as_bytes()) else { return };
        let Ok(parts) = split(&text) else { return };
        match FieldReader::new(&parts, "content/toolkits/x.md", config, &config.field_names()) {
            Ok(mut fields) => {
                fields.terms("enablers");
                fields.raw("extra");
                fields.problems.sorted().iter().for_each(within);
            }
            Err(d) => within(&d),
        }
        let place = Place {
            first_line: parts.body_line,
            ..place()
        };
        let rendered = markdown::render(parts.body, place, &SiteMap::default(), &RenderOptions::default());
        let checked = markdown::check_links(parts.body, place, &SiteMap::default());
        let codes = |ds: &[Diagnostic]| {
            ds.iter()
                .map(|d| format!("{}:{}: {}", d.line, d.column, d.code))
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(&rendered.problems), codes(&checked));
        rendered.problems.iter().for_each(within);
    }

    proptest! {
        // 64 cases by default, to keep the suite fast; `PROPTEST_CASES` asks for more.
        #![proptest_config(ProptestConfig::with_cases(crate::common::proptest_cases(64)))]

        #[test]
        fn hostile_files_end_in_html_or_located_errors(text in hostile_file()) {
            run(&text, &config());
        }
    }
}
