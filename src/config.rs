//! `casebook.yaml`: the schema (unknown keys are errors), defaults and the built-in types.

use crate::colour::{Rgb, AA_TEXT, BLACK, WHITE};
use crate::diagnostics::{suggestion, Code, Diagnostic, Diagnostics, Location};
use crate::urls;
use crate::yaml::{self, Spans};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

mod checks;
mod contribute;
mod glossary;
mod home;
mod languages;
pub use checks::Checks;
pub use contribute::Contribute;
pub use glossary::{Glossary, GlossaryEntry};
pub use home::HomeOptions;
pub use languages::is_primary_tag;

/// The file that marks a site root.
pub const CONFIG_FILE: &str = "casebook.yaml";

/// The site configuration, with built-in types merged in.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Site title, shown in the header and feeds.
    pub title: String,
    /// One-sentence description for the home page, feeds and meta tags.
    #[serde(default)]
    pub description: String,
    /// Absolute URL the site is published at (canonical links, sitemap, feed); ends in `/`.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// BCP 47 language tag for `<html lang>`: the default language, published at the root.
    #[serde(default = "default_language")]
    pub language: String,
    /// The default language's name in itself, for the language switch (`English`); unset:
    /// [`native_name`] of `language`.
    #[serde(default)]
    pub language_name: Option<String>,
    /// The site's other languages by BCP 47 primary tag (`cy`), in switch order: each one's
    /// pages are published under `<code>/` (see [`Languages`]).
    #[serde(default)]
    pub languages: IndexMap<String, LanguageDef>,
    /// Theme name: `themes/<name>/` in the site, or the built-in `default`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Resource types by key (`case-study`); built-ins are added unless redefined.
    #[serde(default)]
    pub types: IndexMap<String, TypeDef>,
    /// Taxonomies by key (`enablers`), in display order.
    #[serde(default)]
    pub taxonomies: IndexMap<String, Taxonomy>,
    /// The taxonomy the home page and the coverage matrix lead with; unset means
    /// [`DEFAULT_HEADLINE`] when the site defines it, else the first taxonomy.
    #[serde(default)]
    pub headline: Option<String>,
    /// How related resources are ranked.
    #[serde(default)]
    pub related: RelatedOptions,
    /// How frontmatter is read.
    #[serde(default)]
    pub frontmatter: FrontmatterPolicy,
    /// How markdown is rendered.
    #[serde(default)]
    pub markdown: MarkdownOptions,
    /// Branding for the theme: logo, primary colour, footer links.
    #[serde(default)]
    pub theme_options: ThemeOptions,
    /// What the home page leads with: its heading, the audience entry points.
    #[serde(default)]
    pub home: HomeOptions,
    /// The box inviting readers to contribute, on the pages of the types it names.
    #[serde(default)]
    pub contribute: Option<Contribute>,
    /// Cards per page of a section or term listing; 0 puts each listing on one page.
    #[serde(default = "default_paginate_by", deserialize_with = "cards_per_page")]
    pub paginate_by: usize,
    /// Diagnostic code -> `error` | `warn`: which problems stop a build (`checks:`).
    #[serde(default)]
    pub checks: Checks,
    /// The field's terms and abbreviations with their definitions (`glossary:`): a glossary
    /// page, and each abbreviation's first use on a page marked up with `<abbr>`.
    #[serde(default)]
    pub glossary: Glossary,
    /// Free-form values passed to templates untouched.
    #[serde(default)]
    pub extra: IndexMap<String, serde_json::Value>,
    /// Where each key stands in the file, for problems found after parsing (unused terms).
    #[serde(skip)]
    spans: Spans,
    /// What this config's pages' urls start with: empty for the default language, `cy/` for
    /// the view [`Config::for_language`] gives of another.
    #[serde(skip)]
    pub lang_prefix: String,
    /// `language` as written: the default language, also in another language's view.
    #[serde(skip)]
    default_language: String,
}

/// Another language of the site (`languages.cy` in casebook.yaml): what its pages say in
/// place of the default language's.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct LanguageDef {
    /// The language's name in itself (`Cymraeg`), for the language switch; unset:
    /// [`native_name`] of its code.
    #[serde(default)]
    pub name: Option<String>,
    /// The site title in this language; unset: the default language's.
    #[serde(default)]
    pub title: Option<String>,
    /// The site description in this language; unset: the default language's.
    #[serde(default)]
    pub description: Option<String>,
    /// Footer links in this language; unset: the default language's.
    #[serde(default)]
    pub footer_links: Option<Vec<FooterLink>>,
}

/// A type's names in another language (`types.<key>.translations.cy`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct TypeWords {
    /// Singular name; unset: the default language's.
    #[serde(default)]
    pub name: Option<String>,
    /// Plural name; unset: the default language's.
    #[serde(default)]
    pub plural: Option<String>,
}

/// A taxonomy's or a term's words in another language (`translations.cy` beside `name`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct TermWords {
    /// Display name; unset: the default language's.
    #[serde(default)]
    pub name: Option<String>,
    /// Description (terms only); unset: the default language's.
    #[serde(default)]
    pub description: Option<String>,
}

/// The name of a language in itself, for the language switch, for the languages a Casebook
/// library is most likely to be published in; else the code itself (set `name:` instead).
pub fn native_name(code: &str) -> String {
    let primary = code.split(['-', '_']).next().unwrap_or(code).to_ascii_lowercase();
    let name = match primary.as_str() {
        "en" => "English",
        "cy" => "Cymraeg",
        "ga" => "Gaeilge",
        "gd" => "Gàidhlig",
        "kw" => "Kernewek",
        "fr" => "Français",
        "de" => "Deutsch",
        "es" => "Español",
        "pl" => "Polski",
        "pt" => "Português",
        "it" => "Italiano",
        "nl" => "Nederlands",
        _ => return code.to_string(),
    };
    name.to_string()
}

/// One language of the site as the language switch shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LanguageRef {
    /// BCP 47 tag (`en-GB`, `cy`).
    pub code: String,
    /// Its name in itself (`English`, `Cymraeg`).
    pub name: String,
    /// What its pages' urls start with (`` or `cy/`).
    pub prefix: String,
}

/// How an academy brands the default theme without copying templates.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ThemeOptions {
    /// Path of the logo in the output (`images/logo.svg`): a file of `static/` or `content/`.
    #[serde(default)]
    pub logo: Option<String>,
    /// Text alternative of the logo; empty (the default) when the site title beside it says it all.
    #[serde(default)]
    pub logo_alt: String,
    /// Brand colour as `#rrggbb`: the header bar, with white text on it, so at least 4.5:1 on white.
    #[serde(default)]
    pub primary_colour: Option<String>,
    /// Links shown in the footer, in order.
    #[serde(default)]
    pub footer_links: Vec<FooterLink>,
    /// Where `logo` stands in casebook.yaml, for a missing-file error found later.
    #[serde(skip)]
    pub logo_at: Location,
}

/// A footer link: root-relative (`about/index.html`) or absolute (`https://…`, `mailto:…`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FooterLink {
    /// Link text.
    pub title: String,
    /// Target.
    pub href: String,
}

/// A resource type: its names, its default section and the fields it requires.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    /// Singular display name, e.g. "Case study".
    pub name: String,
    /// Plural display name, e.g. "Case studies".
    pub plural: String,
    /// Top-level content folder whose files default to this type.
    #[serde(default)]
    pub section: Option<String>,
    /// Frontmatter fields required beyond `title`.
    #[serde(default)]
    pub required: Vec<String>,
    /// The schema.org type its pages describe themselves as (`Article`, `ScholarlyArticle`,
    /// `Report`...); see [`Config::schema_type`] for the defaults.
    #[serde(default)]
    pub schema_type: Option<String>,
    /// Its names in the site's other languages, by language code.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub translations: IndexMap<String, TypeWords>,
}

/// A taxonomy such as enablers: a display name and its defined terms.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    /// Display name, e.g. "Enablers".
    pub name: String,
    /// The terms resources may use, in display order.
    #[serde(default)]
    pub terms: Vec<Term>,
    /// Its name in the site's other languages, by language code.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub translations: IndexMap<String, TermWords>,
}

/// One defined term of a taxonomy.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// URL-safe identifier used in frontmatter.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Shown on the term page.
    #[serde(default)]
    pub description: String,
    /// Its name and description in the site's other languages, by language code.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub translations: IndexMap<String, TermWords>,
}

/// `related:` in casebook.yaml: which taxonomies rank a resource's related resources.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RelatedOptions {
    /// Taxonomy keys: shared terms of the first count most, shared terms of the rest
    /// (together) break ties. Unset means the headline, then [`DEFAULT_SECONDARY`].
    #[serde(default)]
    pub weigh: Option<Vec<String>>,
}

/// The headline taxonomy of a site that names none and defines it.
pub const DEFAULT_HEADLINE: &str = "enablers";

/// The taxonomies that break related-ranking ties after the headline, when the site defines
/// them and sets no `related.weigh`.
pub const DEFAULT_SECONDARY: &[&str] = &["settings", "audiences"];

/// What to do with frontmatter fields casebook does not know.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum UnknownFields {
    /// Report an error (the default: catches typos).
    #[default]
    Error,
    /// Report a warning and ignore the field.
    Warn,
    /// Ignore the field silently (for imported Hugo or Jekyll trees).
    Allow,
}

/// Frontmatter reading policy.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FrontmatterPolicy {
    /// Unknown field handling.
    #[serde(default)]
    pub unknown_fields: UnknownFields,
    /// Foreign field name -> casebook field name, e.g. `topics: enablers`, or a key of the
    /// resource's `extra` (`source: extra.source_org`) for a foreign field that shares a
    /// built-in's name but not its meaning.
    #[serde(default)]
    pub aliases: IndexMap<String, String>,
    /// Foreign fields dropped before anything reads the frontmatter.
    #[serde(default)]
    pub ignore: Vec<String>,
}

/// Where an alias sends a field under `extra`: `extra.source_org` -> `source_org`.
pub fn extra_target(target: &str) -> Option<&str> {
    target.strip_prefix("extra.")
}

/// Markdown rendering options.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct MarkdownOptions {
    /// Keep raw HTML in markdown as written (only for sites whose editors are all trusted).
    #[serde(default)]
    pub trusted_html: bool,
}

fn default_base_url() -> String {
    "/".to_string()
}
fn default_language() -> String {
    "en".to_string()
}
fn default_theme() -> String {
    "default".to_string()
}
fn default_paginate_by() -> usize {
    50
}

/// Reads `paginate_by`, saying what it wants in words (serde's own message names `usize`).
fn cards_per_page<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    use serde::de::{Error, Unexpected, Visitor};
    struct CardsPerPage;
    impl Visitor<'_> for CardsPerPage {
        type Value = usize;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a whole number of cards per listing page, 0 or more (0: one page per listing)")
        }
        fn visit_u64<E: Error>(self, n: u64) -> Result<usize, E> {
            usize::try_from(n).map_err(|_| E::invalid_value(Unexpected::Unsigned(n), &self))
        }
        fn visit_i64<E: Error>(self, n: i64) -> Result<usize, E> {
            let n = u64::try_from(n).map_err(|_| E::invalid_value(Unexpected::Signed(n), &self))?;
            self.visit_u64(n)
        }
    }
    d.deserialize_u64(CardsPerPage)
}

/// The built-in types: key, name, plural, section, required fields.
const BUILT_IN_TYPES: &[(&str, &str, &str, &str, &[&str])] = &[
    (
        "case-study",
        "Case study",
        "Case studies",
        "case-studies",
        &["date", "enablers", "organisation"],
    ),
    ("research", "Research", "Research", "research", &["date", "enablers"]),
    ("toolkit", "Toolkit", "Toolkits", "toolkits", &["enablers"]),
    ("report", "Report", "Reports", "reports", &["date", "enablers"]),
    ("publication", "Publication", "Publications", "publications", &["date"]),
    ("blog", "Blog post", "Blog", "blog", &["date"]),
    ("guide", "Guide", "Guides", "guides", &["enablers"]),
];

/// Fields every resource may have, whatever the site defines.
pub const BUILT_IN_FIELDS: &[&str] = &[
    "title",
    "summary",
    "type",
    "date",
    "updated",
    "organisation",
    "authors",
    "link",
    "source",
    "attachments",
    "aliases",
    "doi",
    "image",
    "image_alt",
    "image_caption",
    "slug",
    "draft",
    "featured",
    "extra",
];

/// The built-in type whose section folder is `section` (`guides` → `guide`), so an importer
/// redefines that type rather than adding a second one for the same folder.
pub fn built_in_type_for_section(section: &str) -> Option<&'static str> {
    BUILT_IN_TYPES.iter().find(|t| t.3 == section).map(|t| t.0)
}

impl Config {
    /// Where the value of the key at `path` (`language`, `theme_options.logo`) stands in
    /// `casebook.yaml`; the start of the file when it is not written there (a default).
    pub fn value_location(&self, path: &str) -> Location {
        self.spans.value(path).unwrap_or_else(|| Location::new(1, 1))
    }

    /// Parses `casebook.yaml` text; `file` names it in diagnostics.
    pub fn parse(text: &str, file: &str) -> Result<Config, Diagnostics> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let one = |e: yaml::YamlError| {
            let mut all = Diagnostics::default();
            all.push(e.diagnostic(file, 1, Code::InvalidConfig));
            all
        };
        // Parsed once: the tree gives serde its values and every problem found later its place.
        let root = yaml::parse(text).map_err(one)?;
        let mut config: Config = root.deserialize().map_err(one)?;
        let spans = Spans::of(&root);
        config.add_built_in_types();
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        config.spans = spans;
        config.default_language.clone_from(&config.language);
        let mut problems = config.validate(&config.spans, file);
        problems.extend(config.theme_options.validate(&config.spans, file));
        problems.extend(config.taxonomy_reference_problems(&config.spans, file));
        problems.extend(config.frontmatter_problems(&config.spans, file));
        problems.extend(config.checks.resolve(&config.spans, file));
        problems.extend(config.page_option_problems(file));
        problems.extend(config.language_problems(&config.spans, file));
        problems.extend(config.glossary.problems(&config.spans, file));
        problems.extend(crate::controls::problems_in_yaml(&root, file, &config.spans));
        config.theme_options.logo_at = config.spans.value("theme_options.logo").unwrap_or_default();
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(config)
    }

    /// The problems of `home` and `contribute`, which name taxonomies and types of the site.
    fn page_option_problems(&mut self, file: &str) -> Diagnostics {
        let taxonomies: Vec<&str> = self.taxonomies.keys().map(String::as_str).collect();
        let mut problems = self.home.validate(&taxonomies, &self.spans, file);
        if let Some(contribute) = &mut self.contribute {
            let types: Vec<&str> = self.types.keys().map(String::as_str).collect();
            problems.extend(contribute.validate(&types, &self.spans, file));
        }
        problems
    }

    /// Where the slug of term `index` of taxonomy `key` stands in `casebook.yaml`.
    pub fn term_location(&self, key: &str, index: usize) -> Location {
        self.spans
            .value(&format!("taxonomies.{key}.terms[{index}].slug"))
            .unwrap_or(Location::new(1, 1))
    }

    /// Adds the built-in types the site does not redefine. A built-in requirement on a
    /// taxonomy the site does not have (a site without `enablers`) is dropped.
    fn add_built_in_types(&mut self) {
        let taxonomies: Vec<String> = self.taxonomies.keys().cloned().collect();
        let known = |field: &&&str| BUILT_IN_FIELDS.contains(*field) || taxonomies.iter().any(|t| t == **field);
        let mut types: IndexMap<String, TypeDef> = BUILT_IN_TYPES
            .iter()
            .map(|(key, name, plural, section, required)| {
                let def = TypeDef {
                    name: name.to_string(),
                    plural: plural.to_string(),
                    section: Some(section.to_string()),
                    required: required.iter().filter(known).copied().map(String::from).collect(),
                    schema_type: None,
                    translations: IndexMap::new(),
                };
                (key.to_string(), def)
            })
            .collect();
        for (key, def) in std::mem::take(&mut self.types) {
            types.insert(key, def);
        }
        self.types = types;
    }

    /// The schema.org type of resources of type `kind`: the type's `schema_type`, else
    /// `ScholarlyArticle` for `research`, `Report` for `report`, `BlogPosting` for `blog`, and
    /// `Article` for every other type.
    pub fn schema_type(&self, kind: &str) -> &str {
        if let Some(schema) = self.types.get(kind).and_then(|t| t.schema_type.as_deref()) {
            return schema;
        }
        match kind {
            "research" => "ScholarlyArticle",
            "report" => "Report",
            "blog" => "BlogPosting",
            _ => "Article",
        }
    }

    /// Where `glossary:` stands in `casebook.yaml`.
    pub fn glossary_location(&self) -> Location {
        self.spans.key("glossary").unwrap_or(Location::new(1, 1))
    }

    /// Where the key `key` of `taxonomies` stands in `casebook.yaml`.
    pub fn taxonomy_location(&self, key: &str) -> Location {
        self.spans
            .key(&format!("taxonomies.{key}"))
            .unwrap_or(Location::new(1, 1))
    }

    /// Checks what serde cannot: taxonomy keys, term slugs, duplicate terms, fields a type
    /// requires.
    fn validate(&self, spans: &Spans, file: &str) -> Diagnostics {
        let mut problems = Diagnostics::default();
        let at = |path: &str| spans.value(path).unwrap_or(Location::new(1, 1));
        for (key, taxonomy) in &self.taxonomies {
            if let Some((message, help)) = taxonomy_key_problem(key) {
                let at = spans.key(&format!("taxonomies.{key}")).unwrap_or(Location::new(1, 1));
                problems.push(Diagnostic::error(file, at, Code::InvalidConfig, message).with_help(help));
            }
            if BUILT_IN_FIELDS.contains(&key.as_str()) {
                problems.push(Diagnostic::error(
                    file,
                    at(&format!("taxonomies.{key}")),
                    Code::InvalidConfig,
                    format!("taxonomy `{key}` has the name of a built-in frontmatter field"),
                ));
            }
            let mut seen = std::collections::HashSet::new();
            for (i, term) in taxonomy.terms.iter().enumerate() {
                let path = format!("taxonomies.{key}.terms[{i}].slug");
                if !is_slug(&term.slug) {
                    let message = match too_long(&term.slug) {
                        Some(long) => format!("term slug {long}"),
                        None => format!("`{}` is not a valid term slug", term.slug),
                    };
                    problems.push(
                        Diagnostic::error(file, at(&path), Code::InvalidConfig, message)
                            .with_help("use lower-case letters, digits and hyphens, e.g. `shared-purpose`"),
                    );
                }
                if !seen.insert(term.slug.as_str()) {
                    problems.push(Diagnostic::error(
                        file,
                        at(&path),
                        Code::InvalidConfig,
                        format!("term `{}` is defined twice in `{key}`", term.slug),
                    ));
                }
            }
        }
        let fields = self.field_names();
        for (key, def) in &self.types {
            let schema = def.schema_type.as_deref().unwrap_or("Article");
            if !(schema.starts_with(|c: char| c.is_ascii_uppercase())
                && schema.chars().all(|c| c.is_ascii_alphanumeric()))
            {
                problems.push(
                    Diagnostic::error(
                        file,
                        at(&format!("types.{key}.schema_type")),
                        Code::InvalidConfig,
                        format!("`{schema}` is not a schema.org type name"),
                    )
                    .with_help("name a schema.org type such as `Article`, `ScholarlyArticle` or `Report`"),
                );
            }
            for (i, field) in def.required.iter().enumerate() {
                if !fields.contains(&field.as_str()) {
                    let path = format!("types.{key}.required[{i}]");
                    problems.push(
                        Diagnostic::error(
                            file,
                            at(&path),
                            Code::InvalidConfig,
                            format!("type `{key}` requires unknown field `{field}`"),
                        )
                        .with_help(suggestion(field, &fields)),
                    );
                }
            }
        }
        problems
    }

    /// The taxonomy that heads the site: `headline`, else [`DEFAULT_HEADLINE`] when defined,
    /// else the first taxonomy; `None` for a site without taxonomies.
    pub fn headline_taxonomy(&self) -> Option<&str> {
        if let Some(key) = self.headline.as_deref() {
            return Some(key);
        }
        if self.taxonomies.contains_key(DEFAULT_HEADLINE) {
            return Some(DEFAULT_HEADLINE);
        }
        self.taxonomies.keys().next().map(String::as_str)
    }

    /// The taxonomies that rank related resources, most weighty first: `related.weigh`, else
    /// the headline then the [`DEFAULT_SECONDARY`] ones the site defines.
    pub fn related_weigh(&self) -> Vec<&str> {
        if let Some(weigh) = &self.related.weigh {
            return weigh.iter().map(String::as_str).collect();
        }
        let headline = self.headline_taxonomy();
        let secondary = DEFAULT_SECONDARY
            .iter()
            .copied()
            .filter(|k| self.taxonomies.contains_key(*k) && headline != Some(*k));
        headline.into_iter().chain(secondary).collect()
    }

    /// `headline` and `related.weigh` must name defined taxonomies, each at most once.
    fn taxonomy_reference_problems(&self, spans: &Spans, file: &str) -> Diagnostics {
        let mut problems = Diagnostics::default();
        let keys: Vec<&str> = self.taxonomies.keys().map(String::as_str).collect();
        let mut check = |path: String, key: &str| {
            if !self.taxonomies.contains_key(key) {
                let at = spans.value(&path).unwrap_or(Location::new(1, 1));
                let message = format!("`{path}` names `{key}`, which is not a taxonomy of this site");
                let help = format!("{} (taxonomies are defined under `taxonomies`)", suggestion(key, &keys));
                problems.push(Diagnostic::error(file, at, Code::InvalidConfig, message).with_help(help));
            }
        };
        if let Some(key) = &self.headline {
            check("headline".to_string(), key);
        }
        let weigh = self.related.weigh.as_deref().unwrap_or_default();
        for (i, key) in weigh.iter().enumerate() {
            check(format!("related.weigh[{i}]"), key);
        }
        for (i, key) in weigh.iter().enumerate() {
            if weigh[..i].contains(key) {
                let at = spans
                    .value(&format!("related.weigh[{i}]"))
                    .unwrap_or(Location::new(1, 1));
                let message = format!("`related.weigh` lists `{key}` twice");
                problems.push(
                    Diagnostic::error(file, at, Code::InvalidConfig, message)
                        .with_help("list each taxonomy once, the weightiest first"),
                );
            }
        }
        problems
    }

    /// Each alias must name a field casebook reads, or one key under `extra`; an ignored field
    /// cannot also be aliased.
    fn frontmatter_problems(&self, spans: &Spans, file: &str) -> Diagnostics {
        let mut problems = Diagnostics::default();
        let mut fields = self.field_names();
        fields.push("description"); // a section introduction's
        for (foreign, target) in &self.frontmatter.aliases {
            let good = match extra_target(target) {
                Some(key) => !key.is_empty() && !key.contains(['.', '[', ']']),
                None => fields.contains(&target.as_str()),
            };
            if good {
                continue;
            }
            let at = spans
                .value(&format!("frontmatter.aliases.{foreign}"))
                .unwrap_or(Location::new(1, 1));
            let message = format!("alias `{foreign}: {target}` names no field casebook reads");
            let help = format!(
                "{}, or `extra.{}` to keep it for templates",
                suggestion(target, &fields).trim_end_matches('?'),
                urls::slugify(foreign).replace('-', "_")
            );
            problems.push(Diagnostic::error(file, at, Code::InvalidConfig, message).with_help(help));
        }
        for (i, field) in self.frontmatter.ignore.iter().enumerate() {
            let problem = if field.trim().is_empty() {
                Some((
                    "an empty field name cannot be ignored".to_string(),
                    "remove it".to_string(),
                ))
            } else if self.frontmatter.aliases.contains_key(field) {
                let message = format!("`{field}` is both ignored and aliased");
                Some((
                    message,
                    format!("keep `{field}` under `frontmatter.aliases` or `frontmatter.ignore`, not both"),
                ))
            } else {
                None
            };
            if let Some((message, help)) = problem {
                let at = spans
                    .value(&format!("frontmatter.ignore[{i}]"))
                    .unwrap_or(Location::new(1, 1));
                problems.push(Diagnostic::error(file, at, Code::InvalidConfig, message).with_help(help));
            }
        }
        problems
    }

    /// Every frontmatter field this site knows: built-ins and taxonomy keys.
    pub fn field_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = BUILT_IN_FIELDS.to_vec();
        names.extend(self.taxonomies.keys().map(String::as_str));
        names
    }

    /// The type whose section is `section` (a top-level content folder).
    pub fn type_for_section(&self, section: &str) -> Option<&str> {
        self.types
            .iter()
            .find(|(_, def)| def.section.as_deref() == Some(section))
            .map(|(key, _)| key.as_str())
    }
}

impl ThemeOptions {
    /// Checks the primary colour's format and its contrast with white, and the footer links.
    fn validate(&self, spans: &Spans, file: &str) -> Diagnostics {
        let mut problems = Diagnostics::default();
        let at = |path: &str| spans.value(path).unwrap_or(Location::new(1, 1));
        if let Some(text) = &self.primary_colour {
            if let Some(d) = colour_problem(text) {
                let (message, help) = d;
                problems.push(
                    Diagnostic::error(file, at("theme_options.primary_colour"), Code::InvalidConfig, message)
                        .with_help(help),
                );
            }
        }
        for (i, link) in self.footer_links.iter().enumerate() {
            if link.title.trim().is_empty() || link.href.trim().is_empty() {
                problems.push(
                    Diagnostic::error(
                        file,
                        at(&format!("theme_options.footer_links[{i}]")),
                        Code::InvalidConfig,
                        "a footer link needs a `title` and an `href`",
                    )
                    .with_help("e.g. `{ title: Accessibility, href: accessibility/index.html }`"),
                );
            }
            if let crate::urls::LinkKind::Refused(message) = crate::urls::link_kind(&link.href) {
                let at = at(&format!("theme_options.footer_links[{i}].href"));
                problems.push(Diagnostic::error(file, at, Code::InvalidConfig, message).with_help(
                    "link to a page of the site by its path (`about/index.html`) or to another site with `https://`",
                ));
            }
        }
        problems
    }
}

/// What is wrong with `text` as the primary colour, with a fix: not a hex colour, or too
/// light for white text (WCAG AA, 4.5:1).
fn colour_problem(text: &str) -> Option<(String, String)> {
    let Some(colour) = Rgb::parse(text) else {
        return Some((
            format!("`{text}` is not a hex colour"),
            "write it as `#rrggbb` (quoted, since `#` starts a YAML comment), e.g. \"#005eb8\"".into(),
        ));
    };
    let ratio = colour.contrast(WHITE);
    if ratio >= AA_TEXT {
        return None;
    }
    let darker = colour.shade_for(BLACK, &[WHITE], AA_TEXT);
    Some((
        format!(
            "primary colour `{text}` has a contrast ratio of {ratio:.2}:1 with white; WCAG AA needs 4.5:1 for the header's white text"
        ),
        format!(
            "use a darker shade of the same hue, e.g. \"{darker}\" ({:.2}:1)",
            darker.contrast(WHITE)
        ),
    ))
}

/// The longest slug, in bytes: a slug names a folder of the output, and file and folder
/// names stop at 255 bytes on every common file system (a longer one fails only when written).
pub const MAX_SLUG_BYTES: usize = 255;

/// Whether `s` is a slug: non-empty, lower-case ASCII letters, digits, `-` and `_`, at most
/// [`MAX_SLUG_BYTES`] long.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_SLUG_BYTES
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// `is N bytes long...` when `s` is longer than a slug may be (its start shown, not all of it).
pub fn too_long(s: &str) -> Option<String> {
    if s.len() <= MAX_SLUG_BYTES {
        return None;
    }
    let start: String = s.chars().take(20).collect();
    Some(format!(
        "`{start}…` is {} bytes long; a folder name may have at most {MAX_SLUG_BYTES}",
        s.len()
    ))
}

/// Names a taxonomy may not take: its pages live at `<key>/`, and these are folders or files
/// the generator writes at the top of the output (`page` is kept for pagination).
pub const RESERVED_TAXONOMY_KEYS: &[&str] = &[
    "404", "atom", "coverage", "css", "feeds", "index", "js", "page", "robots", "search", "sections", "sitemap",
    "types",
];

/// What is wrong with `key` as a taxonomy key, with a fix: it must be a plain slug (lower-case
/// ASCII letters, digits, `-`: it is a folder of the output and a frontmatter field) and not
/// reserved.
fn taxonomy_key_problem(key: &str) -> Option<(String, String)> {
    let help = "use lower-case letters, digits and hyphens, e.g. `care-settings`".to_string();
    if let Some(long) = too_long(key) {
        return Some((format!("taxonomy key {long}"), help));
    }
    let plain = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
    if key.is_empty() || !key.bytes().all(plain) {
        return Some((format!("taxonomy key `{key}` is not a plain slug"), help));
    }
    if RESERVED_TAXONOMY_KEYS.contains(&key) {
        let message = format!("taxonomy key `{key}` is reserved: the site's own `{key}` files are written there");
        return Some((message, format!("choose another key, e.g. `{key}-terms`")));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_types_exist_without_a_types_key() {
        let config = Config::parse("title: T\n", "casebook.yaml").unwrap();
        assert_eq!(config.type_for_section("case-studies"), Some("case-study"));
        assert_eq!(config.types["case-study"].required, ["date", "organisation"]);
        assert_eq!(config.base_url, "/");
    }

    #[test]
    fn unknown_key_is_located_with_a_suggestion() {
        let err = Config::parse("title: T\ndescripton: x\n", "casebook.yaml").unwrap_err();
        let d = &err.sorted()[0];
        assert_eq!((d.line, d.column), (2, 1));
        assert_eq!(d.help.as_deref(), Some("did you mean `description`?"));
    }

    #[test]
    fn a_low_contrast_primary_colour_is_located_with_a_darker_shade() {
        let text = "title: T\ntheme_options:\n  primary_colour: \"#7fb2e5\"\n";
        let err = Config::parse(text, "casebook.yaml").unwrap_err();
        let d = &err.sorted()[0];
        assert_eq!((d.line, d.column), (3, 19));
        assert!(d.message.contains("2.23:1"), "{}", d.message);
        let help = d.help.as_deref().unwrap();
        let suggested = Rgb::parse(help.split('"').nth(1).unwrap()).unwrap();
        assert!(suggested.contrast(WHITE) >= AA_TEXT, "{help}");
    }

    #[test]
    fn a_malformed_colour_and_an_unknown_theme_option_are_errors() {
        let err = Config::parse("title: T\ntheme_options:\n  primary_colour: blue\n", "casebook.yaml").unwrap_err();
        assert!(err.sorted()[0].message.contains("not a hex colour"));
        let err = Config::parse("title: T\ntheme_options:\n  colour: \"#000\"\n", "casebook.yaml").unwrap_err();
        assert_eq!(err.sorted()[0].line, 3);
    }

    #[test]
    fn good_theme_options_parse() {
        let text = "title: T\ntheme_options:\n  logo: images/logo.svg\n  primary_colour: \"#005EB8\"\n  footer_links:\n    - { title: About, href: about/index.html }\n";
        let config = Config::parse(text, "casebook.yaml").unwrap();
        assert_eq!(
            config.theme_options.logo_at,
            Location::new(3, 9).to(Location::new(3, 24))
        );
        assert_eq!(config.theme_options.footer_links[0].title, "About");
    }

    #[test]
    fn taxonomy_keys_must_be_plain_unreserved_slugs() {
        for key in ["search", "\"../x\"", "Care_Settings", "page"] {
            let text = format!("title: T\ntaxonomies:\n  {key}:\n    name: X\n");
            let err = Config::parse(&text, "casebook.yaml").unwrap_err();
            let d = &err.sorted()[0];
            assert_eq!(
                (d.line, d.column, d.code),
                (3, 3, Code::InvalidConfig),
                "{key}: {}",
                d.message
            );
            assert!(d.help.is_some());
        }
        let long = "a".repeat(MAX_SLUG_BYTES + 1);
        let text = format!("title: T\ntaxonomies:\n  {long}:\n    name: X\n");
        assert!(Config::parse(&text, "casebook.yaml").is_err());
        assert!(Config::parse(
            "title: T\ntaxonomies:\n  care-settings2: { name: X }\n",
            "casebook.yaml"
        )
        .is_ok());
    }

    const TWO_TAXONOMIES: &str = "title: T\ntaxonomies:\n  places: { name: P }\n  themes: { name: Th }\n";

    #[test]
    fn headline_and_related_weigh_default_to_todays_taxonomies() {
        let config = Config::parse(TWO_TAXONOMIES, "casebook.yaml").unwrap();
        assert_eq!(
            config.headline_taxonomy(),
            Some("places"),
            "no enablers: the first taxonomy"
        );
        assert_eq!(config.related_weigh(), ["places"]);
        let text =
            "title: T\ntaxonomies:\n  audiences: { name: A }\n  enablers: { name: E }\n  settings: { name: S }\n";
        let config = Config::parse(text, "casebook.yaml").unwrap();
        assert_eq!(config.headline_taxonomy(), Some("enablers"));
        assert_eq!(config.related_weigh(), ["enablers", "settings", "audiences"]);
        assert!(Config::parse("title: T\n", "casebook.yaml")
            .unwrap()
            .related_weigh()
            .is_empty());
    }

    #[test]
    fn headline_and_related_weigh_are_read_from_casebook_yaml() {
        let text = format!("{TWO_TAXONOMIES}headline: themes\nrelated:\n  weigh: [places, themes]\n");
        let config = Config::parse(&text, "casebook.yaml").unwrap();
        assert_eq!(config.headline_taxonomy(), Some("themes"));
        assert_eq!(config.related_weigh(), ["places", "themes"]);
    }

    #[test]
    fn an_undefined_headline_or_weighed_taxonomy_is_located_with_the_closest_suggested() {
        let text = format!("{TWO_TAXONOMIES}headline: theme\nrelated:\n  weigh: [places, plaices, places]\n");
        let err = Config::parse(&text, "casebook.yaml").unwrap_err();
        let found: Vec<_> = err
            .sorted()
            .iter()
            .map(|d| (d.line, d.column, d.help.clone().unwrap_or_default()))
            .collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!((found[0].0, found[0].1), (5, 11));
        assert!(found[0].2.starts_with("did you mean `themes`?"), "{}", found[0].2);
        assert_eq!((found[1].0, found[1].1), (7, 19));
        assert!(found[1].2.starts_with("did you mean `places`?"), "{}", found[1].2);
        assert_eq!((found[2].0, found[2].1), (7, 28), "a taxonomy weighed twice");
    }

    #[test]
    fn an_unknown_key_under_related_is_rejected() {
        let text = format!("{TWO_TAXONOMIES}related:\n  weight: [places]\n");
        let err = Config::parse(&text, "casebook.yaml").unwrap_err();
        assert_eq!((err.sorted()[0].line, err.sorted()[0].column), (6, 3));
    }

    #[test]
    fn a_bad_term_slug_is_located() {
        let text =
            "title: T\ntaxonomies:\n  enablers:\n    name: E\n    terms:\n      - slug: Bad Slug\n        name: B\n";
        let err = Config::parse(text, "casebook.yaml").unwrap_err();
        let d = &err.sorted()[0];
        assert_eq!((d.line, d.column), (6, 15));
    }

    #[test]
    fn an_alias_to_no_field_and_a_field_both_ignored_and_aliased_are_located() {
        let text = "title: T\nfrontmatter:\n  aliases: { source: extra.source_org, topic: summry, x: extra. }\n  ignore: [weight, source]\n";
        let err = Config::parse(text, "casebook.yaml").unwrap_err();
        let found: Vec<_> = err
            .sorted()
            .iter()
            .map(|d| (d.line, d.column, d.help.clone().unwrap()))
            .collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!((found[0].0, found[0].1), (3, 47));
        assert!(
            found[0].2.starts_with("did you mean `summary`, or `extra.topic`"),
            "{}",
            found[0].2
        );
        assert_eq!((found[1].0, found[1].1), (3, 58), "an empty key under extra");
        assert_eq!((found[2].0, found[2].1), (4, 20), "ignored and aliased");
        let ok = "title: T\ntaxonomies:\n  enablers: { name: E }\nfrontmatter:\n  aliases: { source: extra.source_org, topics: enablers }\n  ignore: [weight]\n";
        assert_eq!(
            Config::parse(ok, "casebook.yaml").unwrap().frontmatter.ignore,
            ["weight"]
        );
    }

    #[test]
    fn a_config_nested_too_deep_is_refused_before_serde_reads_it() {
        let text = format!("title: T\nextra:\n  x: {}\n", "[".repeat(150_000));
        let err = Config::parse(&text, "casebook.yaml").unwrap_err();
        let d = &err.sorted()[0];
        assert_eq!((d.line, d.code), (3, Code::TooDeep), "{}", d.message);
    }
}
