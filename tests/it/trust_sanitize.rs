//! Sanitising only what needs it (issue #15): a page without raw HTML skips the sanitiser,
//! and its HTML parses exactly as the sanitised HTML would (serialisation aside), over the
//! sample library and generated markdown; raw HTML, script and data URLs however written, and
//! heading attributes are still sanitised.

use casebook::config::Config;
use casebook::content::site_map::SiteMap;
use casebook::markdown::abbreviations::Abbreviations;
use casebook::markdown::sanitize::sanitize;
use casebook::markdown::{pages, render, Place, RenderOptions};
use casebook::{BuildOptions, Sources};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};
use proptest::prelude::*;
use std::cell::RefCell;
use std::path::Path;
use std::sync::Arc;

/// What an HTML parser reads from `html`: tags with their attributes in order, text (character
/// references decoded, adjacent runs joined) and comments; how each is written (`<hr />` or
/// `<hr>`, `"` or `&quot;`) is gone. Equal readings build the same tree.
fn reading(html: &str) -> Vec<String> {
    #[derive(Default)]
    struct Reader(RefCell<Vec<String>>);
    impl TokenSink for Reader {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            let mut read = self.0.borrow_mut();
            match token {
                Token::TagToken(tag) => {
                    let attrs: Vec<String> = tag
                        .attrs
                        .iter()
                        .map(|a| format!(" {}={:?}", &*a.name.local, &*a.value))
                        .collect();
                    let slash = if tag.kind == TagKind::EndTag { "/" } else { "" };
                    read.push(format!("<{slash}{}{}>", &*tag.name, attrs.concat()));
                }
                Token::CharacterTokens(text) => match read.last_mut() {
                    Some(last) if last.starts_with("text ") => last.push_str(&text),
                    _ => read.push(format!("text {}", &*text)),
                },
                Token::CommentToken(text) => read.push(format!("<!--{}-->", &*text)),
                Token::DoctypeToken(_) | Token::NullCharacterToken => read.push(format!("{token:?}")),
                Token::EOFToken | Token::ParseError(_) => {}
            }
            TokenSinkResult::Continue
        }
    }
    let tokenizer = Tokenizer::new(Reader::default(), Default::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

/// Renders `markdown` as the page `x/` with `options`, against `site`.
fn rendered(markdown: &str, site: &SiteMap, options: &RenderOptions) -> String {
    let place = Place {
        file: "content/x.md",
        first_line: 1,
        dir: "",
        url: "x/",
    };
    render(markdown, place, site, options).html
}

/// Renders `markdown` as published, and asserts it skipped the sanitiser — the same HTML as
/// with `trusted_html` — and that sanitising it would change how it is written only.
fn assert_skips_and_parses_as_sanitised(markdown: &str, site: &SiteMap, options: &RenderOptions) {
    let published = rendered(markdown, site, options);
    let trusted = RenderOptions {
        trusted_html: true,
        ..options.clone()
    };
    assert_eq!(
        published,
        rendered(markdown, site, &trusted),
        "not skipped: {markdown:?}"
    );
    let sanitised = sanitize(&published);
    assert_eq!(
        reading(&published),
        reading(&sanitised),
        "{markdown:?}\nskipped:   {published}\nsanitised: {sanitised}"
    );
}

/// Renders `markdown` alone, as published.
fn published(markdown: &str) -> String {
    rendered(markdown, &SiteMap::default(), &RenderOptions::default())
}

#[test]
fn the_sample_library_skips_the_sanitiser_and_parses_as_sanitised() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (sources, _) = Sources::read(root, &BuildOptions::default()).unwrap();
    let site = SiteMap::of(&sources.content, &sources.static_files);
    let options = RenderOptions {
        abbreviations: Some(Arc::new(Abbreviations::new(&sources.config.glossary))),
        ..RenderOptions::default()
    };
    let texts = pages::texts(&sources.content.resources, &sources.content.sections);
    assert!(texts.len() > 30, "{} texts", texts.len());
    for text in texts {
        assert_skips_and_parses_as_sanitised(text.markdown, &site, &options);
    }
}

#[test]
fn raw_html_is_still_sanitised() {
    let html = published("Hi <b onclick=\"x()\">there</b>.\n\n<script>alert(1)</script>\n\n<p style=\"x\">p</p>\n");
    assert_eq!(html, "<p>Hi <b>there</b>.</p>\n\n<p>p</p>\n");
}

#[test]
fn script_links_are_still_sanitised_however_written() {
    for markdown in [
        "[x](javascript:alert(1))",
        "[x](JavaScript:alert(1))",
        "[x](   javascript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x](&#106;avascript:alert(1))",
        "[x](java&#x73;cript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html,<script>alert(1)</script>)",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "<javascript:alert(1)>",
    ] {
        let html = published(markdown);
        assert!(!html.contains("href"), "{markdown:?}: {html}");
        assert!(html.starts_with("<p><a>"), "{markdown:?}: {html}");
    }
}

#[test]
fn script_images_are_still_sanitised_however_written() {
    for markdown in [
        "![x](javascript:alert(1))",
        "![x](JAVASCRIPT:alert(1))",
        "![x](&#x6A;avascript:alert(1))",
        "![x](data:image/svg+xml;base64,PHN2Zz4=)",
        "![x][r]\n\n[r]: vbscript:x",
    ] {
        let html = published(markdown);
        assert!(!html.contains("src"), "{markdown:?}: {html}");
        assert!(html.contains("<img alt=\"x\">"), "{markdown:?}: {html}");
    }
}

#[test]
fn heading_event_handlers_are_still_sanitised() {
    let html = published("# Title {#t .c onclick=alert(1) style=color:red}\n");
    assert_eq!(html, "<h1 id=\"t\" class=\"c\">Title</h1>\n");
}

#[test]
fn a_script_link_among_safe_ones_sanitises_the_whole_page() {
    let html = published("[a](https://example.org) [b](../y/) [c](javascript:alert(1))\n");
    assert_eq!(
        html,
        "<p><a href=\"https://example.org\">a</a> <a href=\"../y/\">b</a> <a>c</a></p>\n"
    );
}

/// Link and image destinations of every kind the sanitiser keeps: relative paths, fragments,
/// queries, kept schemes, characters that are escaped or percent-encoded.
fn destination() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("../toolkits/x.md".to_string()),
        Just("#section-2".to_string()),
        Just("/static/pic.png".to_string()),
        Just("?a=1&b=2".to_string()),
        Just("https://example.org/a?b=c&d='e'#f".to_string()),
        Just("HTTP://EXAMPLE.ORG/".to_string()),
        Just("mailto:someone@example.org".to_string()),
        Just("tel:+441234".to_string()),
        Just("<https://example.org/a b>".to_string()),
        Just("https://exämple.org/ü".to_string()),
        Just("pic.png \"a \\\"title\\\" & more\"".to_string()),
        Just("x.md 'single'".to_string()),
        Just("%20javascript:x".to_string()),
        "[a-z]{1,8}(/[a-z0-9]{1,8}){0,2}(\\.md|\\.png|/)?".prop_map(String::from),
    ]
}

/// Inline markdown: words with the characters HTML escapes, emphasis, code, links, images,
/// autolinks, footnote references, entities, breaks.
fn inline() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[A-Za-z]{1,8}".prop_map(String::from),
        Just("PCN".to_string()),
        Just("a < b & c > d \"quoted\" 'it'".to_string()),
        Just("&amp; &quot; &nbsp; &#39; &copy; &#x1F600;".to_string()),
        Just("*em* **strong** ~~gone~~".to_string()),
        Just("`code <b> & \"q\"`".to_string()),
        Just("<https://example.org/auto?a=1&b=2>".to_string()),
        Just("<someone@example.org>".to_string()),
        Just("[^1] and [^note]".to_string()),
        Just("line  \nbreak".to_string()),
        Just("back\\\nslash".to_string()),
        (destination(), "[a-z ]{0,8}").prop_map(|(d, t)| format!("[{t}]({d})")),
        (destination(), "[a-z ]{0,8}").prop_map(|(d, t)| format!("![{t} *alt*]({d})")),
    ];
    prop::collection::vec(piece, 1..6).prop_map(|pieces| pieces.join(" "))
}

/// Block markdown: paragraphs, headings with ids and classes, tables with alignment,
/// footnote definitions, call-outs, task lists, lists, quotes, code, rules.
fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        inline(),
        (1..=6usize, inline()).prop_map(|(level, text)| format!("{} {text}", "#".repeat(level))),
        inline().prop_map(|text| format!("## {text} {{#own-id .wide .note}}")),
        (inline(), inline()).prop_map(|(a, b)| format!("| {a} | n |\n|:--|--:|\n| {b} | 1 |\n| x | ^ |")),
        inline().prop_map(|text| format!("[^1]: {text}\n\n[^note]: Second.")),
        (
            prop::sample::select(vec!["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"]),
            inline()
        )
            .prop_map(|(kind, text)| format!("> [!{kind}]\n> {text}")),
        (inline(), inline()).prop_map(|(a, b)| format!("- [ ] {a}\n- [x] {b}\n  - [ ] nested")),
        (inline(), inline()).prop_map(|(a, b)| format!("3. {a}\n4. {b}")),
        inline().prop_map(|text| format!("> {text}\n>\n> > deeper")),
        Just("```rust\nfn main() { let s = \"<b>&\"; }\n```".to_string()),
        Just("```not-a-language\n<script>x</script> & \"\n```".to_string()),
        Just("    indented a < b &amp; more".to_string()),
        Just("---".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn markdown_without_raw_html_skips_the_sanitiser_and_parses_as_sanitised(
        blocks in prop::collection::vec(block(), 1..8)
    ) {
        let text = "title: T\nglossary:\n  PCN: { expansion: \"primary care \\\"network\\\"\", definition: d }\n";
        let config = Config::parse(text, "casebook.yaml").unwrap();
        let options = RenderOptions {
            abbreviations: Some(Arc::new(Abbreviations::new(&config.glossary))),
            ..RenderOptions::default()
        };
        assert_skips_and_parses_as_sanitised(&blocks.join("\n\n"), &SiteMap::default(), &options);
    }
}
