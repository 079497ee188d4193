//! Issue #13, item 3: the theme speaks the page's language. Every key the templates, the
//! scripts and the Rust code use is in the theme's English and Welsh files; a `language: cy`
//! site shows Welsh words and none of the English ones; a site's own `i18n/` file wins; and
//! `check` says what a language lacks.

use crate::common;

use casebook::diagnostics::Code;
use casebook::yaml::{self, Value};
use casebook::{check, BuildOptions, Site};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

const THEME: &str = "themes/default";
const WELSH_SITE: &str = "tests/sites/cymraeg";

fn repo(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The keys of a language file of the theme, with their values as written.
fn language_file(code: &str) -> BTreeMap<String, yaml::Node> {
    let text = fs::read_to_string(repo(&format!("{THEME}/i18n/{code}.yaml"))).unwrap();
    let Value::Mapping(map) = yaml::parse(&text).unwrap().value else {
        panic!("{code}.yaml is not a map");
    };
    map.entries
        .into_iter()
        .map(|(k, v)| (k.scalar_text().unwrap().to_string(), v))
        .collect()
}

/// Every file under `dir` (relative to the repository) whose name ends with one of `exts`.
fn files(dir: &str, exts: &[&str]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut stack = vec![repo(dir)];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if exts.iter().any(|e| path.to_string_lossy().ends_with(e)) {
                found.push((path.display().to_string(), fs::read_to_string(&path).unwrap()));
            }
        }
    }
    found
}

/// The snake_case words that follow `prefix` in `text` — where a prefix that starts like a
/// name does not continue one: `t.` in `{{ t.search_button }}` (not in `site.title`),
/// `say('` in `say('search_prompt')`, `.text("` in `strings.text("nav_home")`.
fn keys_after(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for (at, _) in text.match_indices(prefix) {
        let before = text[..at].chars().next_back();
        let continues = prefix.starts_with(char::is_alphanumeric);
        if continues && before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let key: String = text[at + prefix.len()..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
            .collect();
        if !key.is_empty() {
            keys.insert(key);
        }
    }
    keys
}

/// Every key the theme's templates (`t.key`), its scripts (`say('key'`, `words.key`) and the
/// Rust code (`strings.text("key")`, `.fill("key"`, `.count("key"` on a `LanguageStrings`
/// named `strings`) use, with where.
fn keys_used() -> BTreeMap<String, String> {
    let mut used = BTreeMap::new();
    let mut add = |keys: BTreeSet<String>, file: &str| {
        for key in keys {
            used.entry(key).or_insert_with(|| file.to_string());
        }
    };
    for (file, text) in files(&format!("{THEME}/templates"), &[".html", ".xml", ".txt"]) {
        add(keys_after(&text, "t."), &file);
    }
    for (file, text) in files(&format!("{THEME}/static/js"), &[".js"]) {
        for prefix in ["say('", "sayHtml('"] {
            add(keys_after(&text, prefix), &file);
        }
        // search.js's own map of the page's words (the engine has `words` of another kind).
        if file.ends_with("search.js") && !file.ends_with("-engine.js") {
            add(keys_after(&text, "words."), &file);
        }
    }
    for (file, text) in files("src", &[".rs"]) {
        // Unit tests use keys of their own; calls may be split over lines.
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        for prefix in ["strings.text(\"", "strings.fill(\"", "strings.count(\""] {
            add(keys_after(&code, prefix), &file);
        }
    }
    used
}

#[test]
fn every_key_the_theme_uses_is_in_english_and_welsh() {
    let (en, cy) = (language_file("en"), language_file("cy"));
    let used = keys_used();
    assert!(used.len() > 80, "the scan found only {} keys", used.len());
    for (key, file) in &used {
        assert!(en.contains_key(key), "`{key}` ({file}) is not in {THEME}/i18n/en.yaml");
        assert!(cy.contains_key(key), "`{key}` ({file}) is not in {THEME}/i18n/cy.yaml");
    }
    // And nothing more: no key Welsh has that English lacks, no English key nothing uses
    // (the date keys are read by `LanguageStrings::date` and search.js's `readableDate`).
    let extra: Vec<&String> = cy.keys().filter(|k| !en.contains_key(*k)).collect();
    assert!(extra.is_empty(), "cy.yaml has keys en.yaml lacks: {extra:?}");
    let unused: Vec<&String> = en
        .keys()
        .filter(|k| !used.contains_key(*k) && !["date_format", "date_months"].contains(&k.as_str()))
        .collect();
    assert!(unused.is_empty(), "en.yaml has keys nothing uses: {unused:?}");
}

#[test]
fn the_theme_ships_complete_english_and_welsh() {
    // Loading checks every value's shape against English (plural forms, 12 month names).
    let site = common::TinySite::new();
    let problems = check(&site.site(), &BuildOptions::default()).unwrap();
    assert_eq!(problems.warning_count() + problems.error_count(), 0, "{problems:?}");
    let cy = language_file("cy");
    let en = language_file("en");
    assert_eq!(cy.len(), en.len(), "cy.yaml lacks keys");
}

/// The text a reader meets on an HTML page: the text between tags (scripts and styles left
/// out) and the words of `aria-label`, `alt`, `title` and the copy button's messages; every
/// tag stands for a space, and runs of spaces are one.
fn readable(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        let tag_end = rest[open..].find('>').map_or(rest.len(), |e| open + e + 1);
        let tag = &rest[open..tag_end];
        for attr in [
            "aria-label=\"",
            "alt=\"",
            " title=\"",
            "data-copied=\"",
            "data-selected=\"",
        ] {
            if let Some(at) = tag.find(attr) {
                let value = &tag[at + attr.len()..];
                text.push_str(&value[..value.find('"').unwrap_or(value.len())]);
                text.push(' ');
            }
        }
        rest = &rest[tag_end..];
        for element in ["<script", "<style"] {
            if tag.starts_with(element) {
                let close = format!("</{}>", &element[1..]);
                rest = rest.find(&close).map_or("", |end| &rest[end..]);
            }
        }
    }
    text.push_str(rest);
    // Addresses (the printed canonical URL) are not words.
    let words: Vec<&str> = text.split_whitespace().filter(|w| !w.contains("://")).collect();
    words
        .join(" ")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Whether `word` stands in `text` as a whole (not inside a longer word).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The English words of the theme that Welsh says otherwise: each English string (every
/// form, every month) cut at its `{placeholders}` and `[link]` marks, the pieces with four
/// letters or more.
fn english_only_words() -> BTreeSet<String> {
    let (en, cy) = (language_file("en"), language_file("cy"));
    let texts = |node: &yaml::Node| -> Vec<String> {
        match &node.value {
            Value::Mapping(map) => map
                .entries
                .iter()
                .filter_map(|(_, v)| v.scalar_text())
                .map(String::from)
                .collect(),
            Value::Sequence(items) => items.iter().filter_map(|v| v.scalar_text()).map(String::from).collect(),
            _ => node.scalar_text().map(String::from).into_iter().collect(),
        }
    };
    let mut words = BTreeSet::new();
    for (key, value) in &en {
        let welsh: BTreeSet<String> = cy.get(key).map(texts).unwrap_or_default().into_iter().collect();
        for text in texts(value).into_iter().filter(|t| !welsh.contains(t)) {
            let mut piece = String::new();
            let mut depth = 0;
            for c in text.chars().chain(std::iter::once('{')) {
                match c {
                    '{' | '[' | ']' | '}' => {
                        depth += usize::from(c == '{');
                        depth -= usize::from(c == '}' && depth > 0);
                        let trimmed = piece.trim().trim_matches(|c: char| !c.is_alphanumeric());
                        if trimmed.chars().filter(|c| c.is_alphabetic()).count() >= 4
                            && !welsh.iter().any(|w| w.contains(trimmed))
                        {
                            words.insert(trimmed.to_string());
                        }
                        piece.clear();
                    }
                    _ if depth == 0 => piece.push(c),
                    _ => {}
                }
            }
        }
    }
    words
}

#[test]
fn a_welsh_site_shows_welsh_words_and_no_english_ones() {
    let (site, problems) = Site::load(&repo(WELSH_SITE), &BuildOptions::default()).unwrap();
    assert!(!problems.has_errors() && problems.warning_count() == 0, "{problems:?}");
    let output = site.render().unwrap();
    let english = english_only_words();
    assert!(
        english.contains("Skip to main content") && english.contains("June"),
        "{english:?}"
    );
    let mut pages = 0;
    let text_of = |path: &str| String::from_utf8(output.bytes(path).unwrap().to_vec()).unwrap();
    for path in output.paths().filter(|p| p.ends_with(".html")) {
        let html = text_of(path);
        assert!(html.contains("<html lang=\"cy\">"), "{path}: no <html lang=\"cy\">");
        let text = readable(&html);
        let found: Vec<&String> = english.iter().filter(|w| has_word(&text, w)).collect();
        assert!(found.is_empty(), "{path} shows English: {found:?}\n{text}");
        pages += 1;
    }
    assert!(pages >= 15, "only {pages} pages");
    let page = |path: &str| readable(&text_of(path));
    let resource = page("astudiaethau-achos/fferyllfa-gymunedol/index.html");
    for welsh in [
        "Neidio i'r prif gynnwys",
        "3 Mehefin 2024",
        "Diweddarwyd ddiwethaf 15 Medi 2024",
        "Awduron",
        "Nodiadau",
        "Yn ôl at gyfeiriad 1",
        "Ar y dudalen hon",
        "Dyfynnu'r astudiaeth achos",
        "Cyfeirnod wedi'i gopïo.",
        "Hafan",
        "Map o'r safle",
    ] {
        assert!(resource.contains(welsh), "no “{welsh}” in\n{resource}");
    }
    assert!(
        page("pecynnau/pecyn-sgwrs/index.html").contains("(d.d.)"),
        "a citation without a date"
    );
    // Counted strings in Welsh forms: one gap on the coverage page; page 2 of a listing.
    assert!(page("enablers/coverage/index.html").contains("(1 bwlch)"));
    let second = page("astudiaethau-achos/page/2/index.html");
    assert!(second.contains("Astudiaethau achos, tudalen 2 o 2"), "{second}");
    assert!(second.contains("2 adnodd , yn dangos 2 i 2"), "{second}");
    assert!(page("404.html").contains("Tudalen heb ei chanfod"));
    let moved = page("hen/pecyn-sgwrs/index.html");
    assert!(moved.contains("Mae'r dudalen hon wedi symud i Pecyn sgwrs"), "{moved}");
    let feed = text_of("atom.xml");
    assert!(feed.contains("xml:lang=\"cy\""));
    let search = text_of("search/index.html");
    assert!(search.contains(r#""search_prompt":"Teipiwch i chwilio, neu dewiswch hidlwyr i bori.""#));
    assert!(
        search.contains(r#""date_months":["Ionawr","#),
        "search.js formats dates in Welsh"
    );
}

#[test]
fn a_sites_own_strings_win_over_the_themes() {
    let site = common::TinySite::new();
    fs::create_dir_all(site.path("site/i18n")).unwrap();
    fs::write(
        site.path("site/i18n/en.yaml"),
        "search_button: Find\nfootnotes_title: Footnotes\n",
    )
    .unwrap();
    site.build();
    let home = fs::read_to_string(site.public().join("index.html")).unwrap();
    assert!(home.contains("<button type=\"submit\">Find</button>"), "{home}");
    // Strings not overridden stay the theme's.
    assert!(home.contains("Skip to main content"));
}

#[test]
fn check_lists_what_a_language_lacks_and_locates_mistakes() {
    let site = common::TinySite::new();
    let config = site.path("site/casebook.yaml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, format!("language: fr\n{text}")).unwrap();
    let problems = check(&site.site(), &BuildOptions::default()).unwrap();
    let note = problems
        .clone()
        .into_iter()
        .find(|d| d.code == Code::MissingTranslation)
        .expect("a note on fr");
    assert_eq!((note.file.as_str(), note.line, note.column), ("casebook.yaml", 1, 11));
    assert!(!problems.has_errors(), "a language without strings is not an error");

    fs::write(&config, format!("language: cy\n{text}")).unwrap();
    fs::create_dir_all(site.path("site/i18n")).unwrap();
    fs::write(site.path("site/i18n/en.yaml"), "site_motto: Lead together\n").unwrap();
    let problems = check(&site.site(), &BuildOptions::default()).unwrap();
    let missing: Vec<_> = problems
        .clone()
        .into_iter()
        .filter(|d| d.code == Code::MissingTranslation)
        .collect();
    assert_eq!(missing.len(), 1, "{problems:?}");
    assert!(
        missing[0].message.ends_with("shown in English: site_motto"),
        "{}",
        missing[0].message
    );
    assert!(!problems.has_errors());

    fs::write(
        site.path("site/i18n/cy.yaml"),
        "site_motto: Arwain gyda'n gilydd\ncount_resources: adnoddau\n",
    )
    .unwrap();
    let problems = check(&site.site(), &BuildOptions::default()).unwrap();
    let wrong = problems
        .into_iter()
        .find(|d| d.code == Code::InvalidTranslation)
        .expect("a shape error");
    assert_eq!((wrong.file.as_str(), wrong.line, wrong.column), ("i18n/cy.yaml", 2, 18));
    assert!(
        wrong
            .message
            .contains("`count_resources` is text here but a map of plural forms"),
        "{}",
        wrong.message
    );
}
