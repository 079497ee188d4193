//! `languages:` in casebook.yaml: the site's languages besides the default one, and the view
//! of the configuration each of them publishes with ([`Config::for_language`]: the site's
//! title, type, taxonomy and term names in that language, its urls under `<code>/`).

use super::{native_name, Config, LanguageRef};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location};
use crate::yaml::Spans;

/// Whether `code` is a BCP 47 primary language subtag as a language's folder uses it: two or
/// three lower-case ASCII letters (`cy`, `gd`; `cy-GB` and `Welsh` are not).
pub fn is_primary_tag(code: &str) -> bool {
    (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase())
}

/// The primary subtag of a language tag, lower-cased: `en-GB` -> `en`.
fn primary(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or(tag).to_ascii_lowercase()
}

impl Config {
    /// Every language of the site, the default first, each with its name in itself and the
    /// prefix of its urls: what the language switch and `hreflang` links name.
    pub fn language_refs(&self) -> Vec<LanguageRef> {
        let default = LanguageRef {
            code: self.default_language().to_string(),
            name: self
                .language_name
                .clone()
                .unwrap_or_else(|| native_name(self.default_language())),
            prefix: String::new(),
        };
        let others = self.languages.iter().map(|(code, def)| LanguageRef {
            code: code.clone(),
            name: def.name.clone().unwrap_or_else(|| native_name(code)),
            prefix: format!("{code}/"),
        });
        std::iter::once(default).chain(others).collect()
    }

    /// The default language's tag (`en-GB`), also in a language's view of the config.
    pub fn default_language(&self) -> &str {
        &self.default_language
    }

    /// The codes of the site's other languages, in config order.
    pub fn language_codes(&self) -> Vec<String> {
        self.languages.keys().cloned().collect()
    }

    /// The configuration as the pages of language `code` see it: its title, description and
    /// footer links, the names of types, taxonomies and terms in that language where given
    /// (the default language's elsewhere), `language` set to `code` and urls under `code/`.
    pub fn for_language(&self, code: &str) -> Config {
        let mut config = self.clone();
        config.language = code.to_string();
        config.lang_prefix = format!("{code}/");
        let Some(def) = self.languages.get(code) else {
            return config;
        };
        if let Some(title) = &def.title {
            config.title.clone_from(title);
        }
        if let Some(description) = &def.description {
            config.description.clone_from(description);
        }
        if let Some(links) = &def.footer_links {
            config.theme_options.footer_links.clone_from(links);
        }
        for def in config.types.values_mut() {
            if let Some(words) = def.translations.get(code) {
                def.name = words.name.clone().unwrap_or_else(|| def.name.clone());
                def.plural = words.plural.clone().unwrap_or_else(|| def.plural.clone());
            }
        }
        for taxonomy in config.taxonomies.values_mut() {
            if let Some(name) = taxonomy.translations.get(code).and_then(|w| w.name.clone()) {
                taxonomy.name = name;
            }
            for term in &mut taxonomy.terms {
                if let Some(words) = term.translations.get(code) {
                    term.name = words.name.clone().unwrap_or_else(|| term.name.clone());
                    term.description = words.description.clone().unwrap_or_else(|| term.description.clone());
                }
            }
        }
        config
    }

    /// Problems of `languages:` and of the `translations:` of types, taxonomies and terms: a
    /// code that is not a primary tag, one equal to the default language's, a translation
    /// into a language the site does not have.
    pub(super) fn language_problems(&self, spans: &Spans, file: &str) -> Diagnostics {
        let mut problems = Diagnostics::default();
        let key_at = |path: &str| spans.key(path).unwrap_or(Location::new(1, 1));
        let default = primary(&self.language);
        for code in self.languages.keys() {
            let at = key_at(&format!("languages.{code}"));
            if !is_primary_tag(code) {
                let message = format!("`{code}` is not a language code this site can publish under");
                let help = format!(
                    "use the language's BCP 47 primary tag, two or three lower-case letters, e.g. `cy` for Welsh (not `{code}`)"
                );
                problems.push(Diagnostic::error(file, at, Code::InvalidConfig, message).with_help(help));
            } else if *code == default {
                let message = format!("`{code}` is the default language (`language: {}`)", self.language);
                let help = "list only the other languages under `languages:`; the default one is published at the root";
                problems.push(Diagnostic::error(file, at, Code::InvalidConfig, message).with_help(help));
            }
        }
        let mut translated: Vec<String> = Vec::new();
        for (key, def) in &self.types {
            translated.extend(def.translations.keys().map(|c| format!("types.{key}.translations.{c}")));
        }
        for (key, taxonomy) in &self.taxonomies {
            let at = format!("taxonomies.{key}.translations");
            translated.extend(taxonomy.translations.keys().map(|c| format!("{at}.{c}")));
            for (i, term) in taxonomy.terms.iter().enumerate() {
                let at = format!("taxonomies.{key}.terms[{i}].translations");
                translated.extend(term.translations.keys().map(|c| format!("{at}.{c}")));
            }
        }
        let codes: Vec<&str> = self.languages.keys().map(String::as_str).collect();
        for path in translated {
            let code = path.rsplit('.').next().unwrap_or("");
            if codes.contains(&code) {
                continue;
            }
            let message = format!("`{code}` is not one of the site's `languages:`");
            let help = if codes.is_empty() {
                format!(
                    "add `languages: {{ {code}: {{ title: \"...\" }} }}` to casebook.yaml, or remove this translation"
                )
            } else {
                crate::diagnostics::suggestion(code, &codes)
            };
            problems.push(Diagnostic::error(file, key_at(&path), Code::InvalidConfig, message).with_help(help));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BILINGUAL: &str = "title: Library\nlanguage: en-GB\nlanguages:\n  cy:\n    title: Llyfrgell\ntypes:\n  case-study:\n    name: Case study\n    plural: Case studies\n    section: case-studies\n    translations: { cy: { name: Astudiaeth achos, plural: Astudiaethau achos } }\ntaxonomies:\n  enablers:\n    name: Enablers\n    translations: { cy: { name: Galluogwyr } }\n    terms:\n      - { slug: trust, name: Trust, translations: { cy: { name: Ymddiriedaeth } } }\n";

    #[test]
    fn a_language_view_names_types_taxonomies_and_terms_in_that_language() {
        let config = Config::parse(BILINGUAL, "casebook.yaml").unwrap();
        let cy = config.for_language("cy");
        assert_eq!(
            (cy.title.as_str(), cy.language.as_str(), cy.lang_prefix.as_str()),
            ("Llyfrgell", "cy", "cy/")
        );
        assert_eq!(cy.types["case-study"].plural, "Astudiaethau achos");
        assert_eq!(cy.types["research"].plural, "Research", "untranslated: the default's");
        assert_eq!(cy.taxonomies["enablers"].name, "Galluogwyr");
        assert_eq!(cy.taxonomies["enablers"].terms[0].name, "Ymddiriedaeth");
        assert_eq!(cy.default_language(), "en-GB");
        let names: Vec<(String, String)> = config.language_refs().into_iter().map(|l| (l.code, l.name)).collect();
        assert_eq!(
            names,
            [("en-GB".into(), "English".into()), ("cy".into(), "Cymraeg".into())]
        );
    }

    #[test]
    fn a_bad_language_code_the_default_one_and_an_unknown_translation_are_located() {
        let text = "title: T\nlanguage: en-GB\nlanguages:\n  cy-GB: {}\n  en: {}\ntaxonomies:\n  enablers:\n    name: E\n    translations: { gd: { name: X } }\n";
        let err = Config::parse(text, "casebook.yaml").unwrap_err();
        let found: Vec<(usize, usize)> = err.sorted().iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(found, [(4, 3), (5, 3), (9, 21)], "{:?}", err.sorted());
        let err = Config::parse("title: T\nlanguages:\n  cy: { titel: X }\n", "casebook.yaml").unwrap_err();
        assert_eq!(err.sorted()[0].line, 3, "unknown keys are refused");
    }
}
