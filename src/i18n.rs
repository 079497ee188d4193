//! The theme's words in each language: every string a reader sees — in templates (`{{ t.key
//! }}`), in `js/search.js` and `js/cite.js` (through the page), and in the HTML Rust writes
//! (breadcrumbs, page titles, footnotes, dates) — comes from a language file,
//! `i18n/<lang>.yaml`. Files are layered key by key as Hugo does: the built-in theme's, then
//! `themes/<name>/i18n/`, then the site's own `i18n/` (the render layer lists them; this module
//! only reads their text). A key a language lacks is taken from English, and `check` lists it;
//! a language with no file at all is shown in English, and `check` says so once.
//!
//! A value is text, a map of CLDR plural forms (`one: "{n} resource"`, picked by
//! [`plural::category`]), or a list (`date_months`). Placeholders are `{name}`, filled by
//! [`fill`]; `[words]` marks the words a link or button is made of.
//!
//! [`Translations::for_language`] is the one entry point: the strings of a page's language.

pub mod plural;

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::yaml::{self, Node, Value};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// The language every other falls back to, and the one the theme is written in.
pub const ENGLISH: &str = "en";

/// One language file of one layer, as read.
#[derive(Debug, Clone)]
pub struct LanguageFile {
    /// Where it comes from, for messages (`i18n/cy.yaml`, `(built-in theme) i18n/cy.yaml`).
    pub label: String,
    /// Its language: the file's stem (`cy`).
    pub code: String,
    /// Its YAML text.
    pub text: String,
}

/// One string of a language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Text {
    /// Text, maybe with `{placeholders}`.
    Plain(String),
    /// A counted string: CLDR category name (`one`, `other`...) → form; `other` is always
    /// there.
    Forms(BTreeMap<String, String>),
    /// A list (`date_months`).
    List(Vec<String>),
}

impl Text {
    fn shape(&self) -> &'static str {
        match self {
            Text::Plain(_) => "text",
            Text::Forms(_) => "a map of plural forms",
            Text::List(_) => "a list",
        }
    }
}

/// The strings of one language: what templates see as `t`. Every key of English is here
/// (the language's own string, else the English one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageStrings {
    code: String,
    strings: BTreeMap<String, Text>,
    /// Keys English has that this language's files lack (shown in English).
    missing: Vec<String>,
    /// The file a missing key should be added to: the last layer's.
    file: String,
}

impl Serialize for LanguageStrings {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.strings.serialize(serializer)
    }
}

impl LanguageStrings {
    /// The language code of its file (`cy`); plural rules follow it.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The string `key`, if the language (or English) has it.
    pub fn get(&self, key: &str) -> Option<&Text> {
        self.strings.get(key)
    }

    /// Every key, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.strings.keys().map(String::as_str)
    }

    /// The text of `key` (a counted string's `other` form); the key itself when no file has
    /// it, so a slip shows on the page rather than stopping the build.
    pub fn text<'s>(&'s self, key: &'s str) -> &'s str {
        match self.strings.get(key) {
            Some(Text::Plain(text)) => text,
            Some(Text::Forms(forms)) => forms.get("other").map_or(key, String::as_str),
            Some(Text::List(_)) | None => key,
        }
    }

    /// The text of `key` with its `{placeholders}` filled from `args`.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.text(key), args)
    }

    /// The form of the counted string `key` for `n`, with `{n}` filled.
    pub fn count(&self, key: &str, n: u64) -> String {
        let form = match self.strings.get(key) {
            Some(Text::Forms(forms)) => pick(forms, &self.code, n),
            _ => self.text(key),
        };
        fill(form, &[("n", &n.to_string())])
    }

    /// `day` as the language writes it (`date_format` with `date_months`): `1 June 2019`,
    /// `1 Mehefin 2019`.
    pub fn date(&self, day: NaiveDate) -> String {
        let month = match self.strings.get("date_months") {
            Some(Text::List(months)) => months.get(day.month0() as usize).cloned(),
            _ => None,
        };
        let month = month.unwrap_or_else(|| day.format("%B").to_string());
        fill(
            self.text("date_format"),
            &[
                ("day", &day.day().to_string()),
                ("month", &month),
                ("year", &day.year().to_string()),
            ],
        )
    }
}

/// The form of `forms` for `n` in `language`; `other` when the language file left the
/// number's category out.
pub fn pick<'f>(forms: &'f BTreeMap<String, String>, language: &str, n: u64) -> &'f str {
    let category = plural::category(language, n);
    forms
        .get(category.name())
        .or_else(|| forms.get(plural::Category::Other.name()))
        .map_or("", String::as_str)
}

/// `template` with each `{name}` of `args` replaced by its value, in one pass (a value that
/// holds `{x}` is not filled again); other braces are left as they are.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            args.iter()
                .find(|(name, _)| *name == &after[..close])
                .map(|a| (a, close))
        });
        match value {
            Some(((_, value), close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The primary subtag of a BCP 47 tag, lower-cased: `en-GB` → `en`.
pub fn primary_subtag(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase()
}

/// Every language's strings, loaded once per build and shared by every page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translations {
    /// By language code; English is always there.
    languages: BTreeMap<String, LanguageStrings>,
}

impl Default for Translations {
    /// English with no strings: what a build without a theme falls back to.
    fn default() -> Self {
        let english = LanguageStrings {
            code: ENGLISH.into(),
            strings: BTreeMap::new(),
            missing: Vec::new(),
            file: String::new(),
        };
        Translations {
            languages: BTreeMap::from([(ENGLISH.to_string(), english)]),
        }
    }
}

impl Translations {
    /// The strings of `files` (layer order: a later file's key wins), English first, each
    /// other language completed from English. Files that are not YAML, or whose values have
    /// another shape than English's, are located errors.
    pub fn load(files: &[LanguageFile]) -> Result<Translations, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut merged: BTreeMap<String, (BTreeMap<String, Text>, String)> = BTreeMap::new();
        // English first: the other languages are checked against it.
        let (english, others): (Vec<_>, Vec<_>) = files.iter().partition(|f| f.code == ENGLISH);
        for file in english.into_iter().chain(others) {
            let english = merged.get(ENGLISH).map(|(strings, _)| strings.clone());
            match read_file(file, english.as_ref()) {
                Ok(strings) => {
                    let (into, last) = merged.entry(file.code.clone()).or_default();
                    into.extend(strings);
                    last.clone_from(&file.label);
                }
                Err(found) => problems.extend(found),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let (english, english_file) = merged.remove(ENGLISH).unwrap_or_default();
        let mut languages = BTreeMap::new();
        for (code, (mut strings, file)) in merged {
            let missing: Vec<String> = english.keys().filter(|k| !strings.contains_key(*k)).cloned().collect();
            for key in &missing {
                strings.insert(key.clone(), english[key].clone());
            }
            let language = LanguageStrings {
                code: code.clone(),
                strings,
                missing,
                file,
            };
            languages.insert(code, language);
        }
        let english = LanguageStrings {
            code: ENGLISH.into(),
            strings: english,
            missing: Vec::new(),
            file: english_file,
        };
        languages.insert(ENGLISH.into(), english);
        Ok(Translations { languages })
    }

    /// The strings of the language `tag` (a BCP 47 tag: `cy`, `en-GB`): its primary
    /// subtag's file, else English.
    pub fn for_language(&self, tag: &str) -> &LanguageStrings {
        self.languages
            .get(&primary_subtag(tag))
            .or_else(|| self.languages.get(ENGLISH))
            .expect("English is always loaded")
    }

    /// The codes of the languages that have files.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.languages.keys().map(String::as_str)
    }

    /// What `check` says about pages in `tag`: that the language has no file (its pages are
    /// in English), or which keys its files lack — warnings, never errors. `declared_in` and
    /// `declared_at` locate where the site names the language.
    pub fn notes(&self, tag: &str, declared_in: &str, declared_at: Location) -> Option<Diagnostic> {
        let code = primary_subtag(tag);
        let Some(language) = self.languages.get(&code) else {
            let message = format!("the theme has no strings in `{tag}`: its pages show the theme's English words");
            return Some(
                Diagnostic::warning(declared_in, declared_at, Code::MissingTranslation, message).with_help(format!(
                    "add i18n/{code}.yaml to the site, with the keys of the theme's i18n/en.yaml in your language"
                )),
            );
        };
        if language.missing.is_empty() {
            return None;
        }
        let message = format!(
            "{} theme string{} missing in `{code}`, shown in English: {}",
            language.missing.len(),
            if language.missing.len() == 1 { " is" } else { "s are" },
            language.missing.join(", ")
        );
        Some(
            Diagnostic::warning(&language.file, Location::default(), Code::MissingTranslation, message)
                .with_help(format!("add the keys to the site's i18n/{code}.yaml")),
        )
    }
}

/// The strings of one file, checked against the English ones (`None`: this is English).
fn read_file(
    file: &LanguageFile,
    english: Option<&BTreeMap<String, Text>>,
) -> Result<Vec<(String, Text)>, Vec<Diagnostic>> {
    let invalid = |at: Location, message: String, help: &str| {
        Diagnostic::error(&file.label, at, Code::InvalidTranslation, message).with_help(help)
    };
    let root = yaml::parse(&file.text).map_err(|e| vec![e.diagnostic(&file.label, 1, Code::InvalidTranslation)])?;
    let map = match &root.value {
        Value::Null(_) => return Ok(Vec::new()),
        Value::Mapping(map) => map,
        _ => {
            let help = "write one `key: text` per line";
            return Err(vec![invalid(
                root.span,
                "a language file is a map of keys to strings".into(),
                help,
            )]);
        }
    };
    let mut strings = Vec::new();
    let mut problems = Vec::new();
    for (key, value) in &map.entries {
        let Some(name) = key.scalar_text() else {
            problems.push(invalid(
                key.span,
                "a key is a word, not a list or map".into(),
                "write `key: text`",
            ));
            continue;
        };
        let text = match read_text(value) {
            Ok(text) => text,
            Err((at, message, help)) => {
                problems.push(invalid(at, format!("`{name}`: {message}"), &help));
                continue;
            }
        };
        let theirs = english.and_then(|e| e.get(name));
        if let Some(problem) = theirs.and_then(|theirs| shape_problem(name, &text, theirs)) {
            problems.push(invalid(value.span, problem.0, &problem.1));
            continue;
        }
        strings.push((name.to_string(), text));
    }
    if problems.is_empty() {
        Ok(strings)
    } else {
        Err(problems)
    }
}

type Problem = (Location, String, String);

/// A value as a [`Text`]: a scalar, a map of plural forms, or a list of scalars.
fn read_text(value: &Node) -> Result<Text, Problem> {
    match &value.value {
        Value::Null(_) => Err((
            value.span,
            "has no text".into(),
            "write the text, or `\"\"` for none".into(),
        )),
        Value::Mapping(map) => read_forms(value, map),
        Value::Sequence(items) => items
            .iter()
            .map(|item| scalar(item).map(str::to_string))
            .collect::<Result<Vec<_>, _>>()
            .map(Text::List),
        _ => Ok(Text::Plain(scalar(value)?.to_string())),
    }
}

fn read_forms(value: &Node, map: &yaml::Mapping) -> Result<Text, Problem> {
    let mut forms = BTreeMap::new();
    for (key, form) in &map.entries {
        let name = key.scalar_text().unwrap_or("");
        if plural::Category::named(name).is_none() {
            let names: Vec<&str> = plural::Category::ALL.iter().map(|c| c.name()).collect();
            let help = match crate::diagnostics::closest(name, names.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("the forms are {}", names.join(", ")),
            };
            return Err((key.span, format!("`{name}` is not a plural form"), help));
        }
        forms.insert(name.to_string(), scalar(form)?.to_string());
    }
    if !forms.contains_key("other") {
        let help = "add `other:`, the form for any number without a form of its own".into();
        return Err((value.span, "a counted string needs its `other` form".into(), help));
    }
    Ok(Text::Forms(forms))
}

fn scalar(node: &Node) -> Result<&str, Problem> {
    match (&node.value, node.scalar_text()) {
        (Value::Null(_), _) | (_, None) => Err((
            node.span,
            "is not text".into(),
            "write text here (quote it if it starts with a symbol)".into(),
        )),
        (_, Some(text)) => Ok(text),
    }
}

/// Why `text` cannot stand for English's `theirs` under `key`: another shape (templates use
/// a counted string through `plural`, a list by position), or a list of another length.
fn shape_problem(key: &str, text: &Text, theirs: &Text) -> Option<(String, String)> {
    match (text, theirs) {
        (Text::List(ours), Text::List(english)) if ours.len() != english.len() => Some((
            format!("`{key}` has {} entries; the theme's has {}", ours.len(), english.len()),
            format!("give {} entries, in the same order", english.len()),
        )),
        _ if std::mem::discriminant(text) != std::mem::discriminant(theirs) => Some((
            format!(
                "`{key}` is {} here but {} in the theme's English",
                text.shape(),
                theirs.shape()
            ),
            format!("write `{key}` as {}, as the theme's i18n/en.yaml does", theirs.shape()),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(label: &str, code: &str, text: &str) -> LanguageFile {
        LanguageFile {
            label: label.into(),
            code: code.into(),
            text: text.into(),
        }
    }

    fn theme() -> Vec<LanguageFile> {
        vec![
            file(
                "theme/en.yaml",
                "en",
                "home: Home\nsearch: Search\nn_results:\n  one: \"{n} result\"\n  other: \"{n} results\"\n\
                 date_format: \"{day} {month} {year}\"\n\
                 date_months: [January, February, March, April, May, June, July, August, September, October, November, December]\n",
            ),
            file(
                "theme/cy.yaml",
                "cy",
                "home: Hafan\nn_results:\n  two: \"{n} ganlyniad\"\n  few: \"{n} chanlyniad\"\n  other: \"{n} canlyniad\"\n\
                 date_format: \"{day} {month} {year}\"\n\
                 date_months: [Ionawr, Chwefror, Mawrth, Ebrill, Mai, Mehefin, Gorffennaf, Awst, Medi, Hydref, Tachwedd, Rhagfyr]\n",
            ),
        ]
    }

    #[test]
    fn a_missing_key_falls_back_to_english_and_is_listed() {
        let t = Translations::load(&theme()).unwrap();
        let cy = t.for_language("cy");
        assert_eq!(cy.text("home"), "Hafan");
        assert_eq!(cy.text("search"), "Search");
        let note = t.notes("cy", "casebook.yaml", Location::default()).unwrap();
        assert!(note.message.contains("1 theme string is missing in `cy`") && note.message.ends_with(": search"));
        assert_eq!(note.file, "theme/cy.yaml");
        assert!(t.notes("en-GB", "casebook.yaml", Location::default()).is_none());
    }

    #[test]
    fn a_language_without_a_file_is_english_and_said_once() {
        let t = Translations::load(&theme()).unwrap();
        assert_eq!(t.for_language("fr-CA").text("home"), "Home");
        assert_eq!(t.for_language("EN-gb").code(), "en");
        let note = t.notes("fr-CA", "casebook.yaml", Location::new(4, 11)).unwrap();
        assert_eq!((note.file.as_str(), note.line, note.column), ("casebook.yaml", 4, 11));
        assert!(note.message.contains("no strings in `fr-CA`"), "{}", note.message);
    }

    #[test]
    fn counted_strings_take_the_languages_plural_form() {
        let t = Translations::load(&theme()).unwrap();
        let (en, cy) = (t.for_language("en"), t.for_language("cy"));
        assert_eq!(
            [en.count("n_results", 1), en.count("n_results", 2)],
            ["1 result", "2 results"]
        );
        let welsh: Vec<String> = [1, 2, 3, 4, 6].iter().map(|&n| cy.count("n_results", n)).collect();
        // 1 and 6 have no form of their own in this file: `other`.
        assert_eq!(
            welsh,
            [
                "1 canlyniad",
                "2 ganlyniad",
                "3 chanlyniad",
                "4 canlyniad",
                "6 canlyniad"
            ]
        );
    }

    #[test]
    fn dates_follow_the_language() {
        let t = Translations::load(&theme()).unwrap();
        let day = NaiveDate::from_ymd_opt(2019, 6, 1).unwrap();
        assert_eq!(t.for_language("en-GB").date(day), "1 June 2019");
        assert_eq!(t.for_language("cy").date(day), "1 Mehefin 2019");
    }

    #[test]
    fn a_later_layer_wins_key_by_key() {
        let mut files = theme();
        files.push(file("i18n/en.yaml", "en", "search: Find\n"));
        let t = Translations::load(&files).unwrap();
        assert_eq!(t.for_language("en").text("search"), "Find");
        assert_eq!(t.for_language("en").text("home"), "Home");
        // Welsh lacks `search`: it takes the site's English.
        assert_eq!(t.for_language("cy").text("search"), "Find");
    }

    #[test]
    fn mistakes_are_located_errors() {
        let mut files = theme();
        files.push(file(
            "i18n/cy.yaml",
            "cy",
            "home:\n  one: Hafan\n  other: Hafan\nn_results:\n  othr: x\n  other: y\ndate_months: [Ionawr]\n",
        ));
        let problems = Translations::load(&files).unwrap_err();
        let seen: Vec<(usize, usize, &str)> = problems
            .iter()
            .map(|d| (d.line, d.column, d.help.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(seen.len(), 3, "{problems:?}");
        assert_eq!((seen[0].0, seen[0].1), (2, 3), "{problems:?}");
        assert!(problems[0].message.contains("a map of plural forms here but text"));
        assert_eq!((seen[1].0, seen[1].1, seen[1].2), (5, 3, "did you mean `other`?"));
        assert!(problems[2].message.contains("has 1 entries; the theme's has 12"));
        assert!(problems
            .iter()
            .all(|d| d.code == Code::InvalidTranslation && d.file == "i18n/cy.yaml"));
        let broken = Translations::load(&[file("i18n/en.yaml", "en", "a: \"unclosed\n")]).unwrap_err();
        assert_eq!(broken[0].code, Code::InvalidTranslation);
    }

    #[test]
    fn fill_replaces_known_placeholders_once() {
        assert_eq!(fill("{n} of {total}", &[("n", "2"), ("total", "{n}")]), "2 of {n}");
        assert_eq!(fill("{unknown} {", &[("n", "1")]), "{unknown} {");
        assert_eq!(fill("Ynglŷn â'r {kind}", &[("kind", "pecyn")]), "Ynglŷn â'r pecyn");
    }
}
