//! `casebook import hugo|jekyll SRC DEST`: a new Casebook site written from an existing Hugo
//! or Jekyll tree, which is only ever read.
//!
//! Each flavour (`hugo.rs`, `jekyll.rs`) reads its tree's own configuration and documents
//! into a [`Tree`]: the site's title and address, sections as types, taxonomies, every
//! document with its parsed frontmatter (`source.rs`), the URLs the old site served it at and
//! where it goes under DEST's `content/`, and the files to copy. What is common happens here:
//! the fields casebook reads are checked against the shapes it expects (a field that clashes
//! goes to `extra` through `frontmatter.aliases`), terms are gathered and written as slugs,
//! old URLs that differ from the new one become `aliases:` entries, bodies are repaired
//! (`repair.rs`), the files are written, and `casebook check` is run on the result so the
//! report (`report.rs`) names every line that needs a person.

mod hugo;
mod jekyll;
pub mod repair;
pub mod report;
pub mod source;

use crate::diagnostics::{Code, Severity};
use crate::urls;
use anyhow::{bail, Context as _};
use indexmap::IndexMap;
pub use report::{Attention, Repair, Report};
use serde::Serialize;
use serde_json::Value;
use source::{Fields, Parsed};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Which generator wrote the old tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// Hugo: `config.{toml,yaml,json}` or `config/_default/`, `content/`, `static/`.
    Hugo,
    /// Jekyll: `_config.yml`, `_posts/`, collections, pages.
    Jekyll,
}

/// How to import.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Write into a DEST that already has files (those at the paths import writes are replaced).
    pub force: bool,
}

/// The folder of DEST where what could not be converted is kept, as it was.
pub const UNCONVERTED: &str = "import-unconverted";

/// The report's file in DEST.
pub const REPORT_FILE: &str = "import-report.md";

/// The codes import may set to `warn` in DEST's `checks:` (only when the old tree has such
/// problems): what no importer can repair, such as a link to a file that was never there.
const DEMOTED: &[Code] = &[Code::BrokenLink, Code::BrokenAttachment];

/// A tree as a flavour read it.
#[derive(Debug, Default)]
struct Tree {
    title: String,
    description: String,
    base_url: String,
    language: String,
    /// Types by key, in order: display name and section folder (under DEST's `content/`).
    types: IndexMap<String, (String, Option<String>)>,
    /// Taxonomies: the frontmatter field that holds them, and their display name.
    taxonomies: IndexMap<String, String>,
    /// Terms described by the tree itself (Hugo's term folders): taxonomy field → slug → term.
    described: HashMap<String, HashMap<String, TermInfo>>,
    docs: Vec<Doc>,
    /// Files copied as they are: from, and to (relative to DEST).
    copies: Vec<(PathBuf, String)>,
    /// Files not converted: from, their path relative to SRC, and why (with a line).
    unconverted: Vec<(PathBuf, String, usize, String)>,
    /// What the flavour saw that needs a person.
    attention: Vec<Attention>,
}

/// A term as the tree describes it.
#[derive(Debug, Default, Clone)]
struct TermInfo {
    name: String,
    description: String,
}

/// One markdown document of the tree.
#[derive(Debug)]
struct Doc {
    /// Its path relative to SRC.
    src: String,
    /// Where it goes, relative to DEST's `content/`.
    dest: String,
    /// A section introduction (`_index.md`) rather than a resource.
    intro: bool,
    parsed: Parsed,
    /// Set when the frontmatter was TOML or JSON.
    format: Option<Repair>,
    /// The URLs the old site served it at (root-relative, no leading `/`): its own first.
    old_urls: Vec<String>,
    /// The type to write when its folder gives none.
    type_key: Option<String>,
    /// A date from the file name, when the frontmatter has none.
    date: Option<String>,
    /// The names a link tag may give it (`news/a.md`, `2014-03-12-hello`).
    link_keys: Vec<String>,
    /// Fields the flavour consumed (turned into old URLs): removed before writing.
    consumed: Vec<&'static str>,
}

/// Imports the tree at `src` into a new site at `dest`, returning the report (also written to
/// `dest/import-report.md`). Refuses, before writing anything, a DEST inside SRC or holding
/// it, and a DEST with files unless `options.force`.
pub fn import(flavour: Flavour, src: &Path, dest: &Path, options: Options) -> anyhow::Result<Report> {
    let src = src
        .canonicalize()
        .with_context(|| format!("reading the tree to import at {}", src.display()))?;
    refuse_unsafe_dest(&src, dest, options)?;
    let tree = match flavour {
        Flavour::Hugo => hugo::read(&src)?,
        Flavour::Jekyll => jekyll::read(&src)?,
    };
    let mut report = Report {
        flavour: match flavour {
            Flavour::Hugo => "hugo",
            Flavour::Jekyll => "jekyll",
        }
        .to_string(),
        ..Report::default()
    };
    let site = convert(flavour, tree, &mut report);
    write_site(dest, &site)?;
    check_written(dest, &site, &mut report)?;
    report.attention.sort();
    std::fs::write(dest.join(REPORT_FILE), report.to_markdown())
        .with_context(|| format!("writing {}", dest.join(REPORT_FILE).display()))?;
    Ok(report)
}

/// DEST must not overlap SRC, and must be new or empty unless `--force`.
fn refuse_unsafe_dest(src: &Path, dest: &Path, options: Options) -> anyhow::Result<()> {
    // An existing DEST is compared where it really is (a symlink into SRC is SRC).
    let dest_abs = if dest.exists() {
        dest.canonicalize()
            .with_context(|| format!("reading DEST {}", dest.display()))?
    } else {
        let parent = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        parent
            .canonicalize()
            .with_context(|| format!("the folder {} (DEST's parent) does not exist", parent.display()))?
            .join(dest.file_name().unwrap_or_default())
    };
    if dest_abs.starts_with(src) || src.starts_with(&dest_abs) {
        bail!(
            "DEST {} overlaps SRC {}: import never writes into the tree it reads; choose a folder outside it",
            dest.display(),
            src.display()
        );
    }
    if dest.is_file() {
        bail!("DEST {} is a file; give a folder (new or empty)", dest.display());
    }
    let has_files = std::fs::read_dir(dest).is_ok_and(|mut entries| entries.next().is_some());
    if has_files && !options.force {
        bail!(
            "DEST {} is not empty; nothing was written. Import into a new or empty folder, or pass --force to write into it (files at the paths import writes are replaced, others are left)",
            dest.display()
        );
    }
    Ok(())
}

/// The site to write: `casebook.yaml`, each content file, the copies, the unconverted files.
#[derive(Debug, Default)]
struct Site {
    config: SiteConfig,
    /// Path relative to DEST → text.
    files: Vec<(String, String)>,
    copies: Vec<(PathBuf, String)>,
}

/// `casebook.yaml` as import writes it: only what the tree needs, in the README's order.
#[derive(Debug, Clone, Default, Serialize)]
struct SiteConfig {
    title: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    description: String,
    base_url: String,
    language: String,
    types: IndexMap<String, TypeConfig>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    taxonomies: IndexMap<String, TaxonomyConfig>,
    frontmatter: FrontmatterConfig,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    checks: IndexMap<String, String>,
}

#[derive(Debug, Clone, Default, Serialize)]
struct TypeConfig {
    name: String,
    plural: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
struct TaxonomyConfig {
    name: String,
    terms: Vec<TermConfig>,
}

#[derive(Debug, Clone, Default, Serialize)]
struct TermConfig {
    slug: String,
    name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    description: String,
}

#[derive(Debug, Clone, Default, Serialize)]
struct FrontmatterConfig {
    unknown_fields: String,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    aliases: IndexMap<String, String>,
}

/// The built-in fields whose values casebook reads with a shape of its own; a tree that uses
/// one of these names otherwise has its values sent to `extra` (`source: gsa`).
fn fits(field: &str, value: &Value) -> bool {
    let text = |v: &Value| v.is_string() || v.is_number();
    match field {
        "title" | "summary" | "organisation" | "link" | "date" | "updated" => text(value),
        "draft" | "featured" => value.is_boolean(),
        "authors" => text(value) || value.as_array().is_some_and(|items| items.iter().all(text)),
        "extra" => value.is_object(),
        "source" => value
            .as_object()
            .is_some_and(|m| m.keys().all(|k| ["publisher", "year", "url"].contains(&k.as_str()))),
        "attachments" => value.as_array().is_some_and(|items| {
            items.iter().all(|i| {
                i.as_object()
                    .is_some_and(|m| m.contains_key("file") && m.keys().all(|k| k == "title" || k == "file"))
            })
        }),
        _ => true,
    }
}

/// Fields a flavour's tree may use for what casebook calls by another name, applied through
/// `frontmatter.aliases` when the tree does not also use casebook's own name.
const RENAMES: &[(&str, &str)] = &[
    ("description", "summary"),
    ("excerpt", "summary"),
    ("lastmod", "updated"),
    ("last_modified_at", "updated"),
    ("author", "authors"),
];

/// Turns the tree into the site to write, recording every repair and decision.
fn convert(flavour: Flavour, mut tree: Tree, report: &mut Report) -> Site {
    let mut config = SiteConfig {
        title: tree.title.clone(),
        description: tree.description.clone(),
        base_url: tree.base_url.clone(),
        language: tree.language.clone(),
        frontmatter: FrontmatterConfig {
            unknown_fields: "allow".into(),
            aliases: IndexMap::new(),
        },
        ..SiteConfig::default()
    };
    report.decisions.push(
        "`frontmatter.unknown_fields: allow`: the old tree's own fields stay in the files as they were (listed below)"
            .into(),
    );
    for (key, (name, section)) in &tree.types {
        let plural = if key == "page" {
            "Pages".to_string()
        } else {
            name.clone()
        };
        let def = TypeConfig {
            name: name.clone(),
            plural,
            section: section.clone(),
        };
        config.types.insert(key.clone(), def);
    }
    report.count("types", config.types.len());
    let taxonomy_keys = taxonomy_keys(&tree, &mut config, report);
    plan_aliases(&tree, &taxonomy_keys, &mut config, report);
    // Slugs first: link tags resolve to the new URLs.
    for doc in &mut tree.docs {
        repair_slug(doc, report);
    }
    let new_urls = unique_urls(&mut tree.docs, report);
    // A name two pages answer to (a file name used in two folders) links to neither.
    let mut link_index: HashMap<String, Option<String>> = HashMap::new();
    let doc_links = tree
        .docs
        .iter()
        .zip(&new_urls)
        .flat_map(|(doc, url)| doc.link_keys.iter().map(move |k| (k, url.clone())));
    for (key, url) in doc_links {
        let url = format!("/{url}");
        link_index
            .entry(key.clone())
            .and_modify(|known| {
                if known.as_ref() != Some(&url) {
                    *known = None;
                }
            })
            .or_insert(Some(url));
    }
    let mut terms: IndexMap<String, IndexMap<String, String>> = IndexMap::new();
    let mut site = Site::default();
    let claims = UrlClaims::of(&tree.docs, &new_urls);
    for doc in &tree.docs {
        let dest_file = format!("content/{}", doc.dest);
        let mut fields = doc.parsed.fields.clone();
        for (repair, _) in &doc.parsed.repairs {
            report.repaired(*repair);
        }
        if let Some(format) = doc.format {
            report.repaired(format);
        }
        for field in &doc.consumed {
            fields.shift_remove(*field);
        }
        let mut body = doc.parsed.body.as_str();
        if !doc.intro {
            type_field(doc, &config, &mut fields, report);
            date_field(doc, &mut fields, report);
            title_field(doc, &mut fields, &mut body, report);
            term_fields(&taxonomy_keys, &mut fields, &mut terms, report);
            alias_field(doc, &claims, &mut fields, report);
        }
        count_foreign(&fields, &config, &taxonomy_keys, report);
        let resolve_ref = |path: &str| resolve_link(&link_index, path);
        let repaired = match flavour {
            Flavour::Hugo => repair::hugo(body, &resolve_ref),
            Flavour::Jekyll => {
                let post = |name: &str| resolve_link(&link_index, &format!("post:{name}"));
                repair::jekyll(body, &resolve_ref, &post)
            }
        };
        match source::write(&fields, &repaired.body) {
            Ok(text) => {
                note_body(&dest_file, &text, &repaired, report);
                site.files.push((dest_file, text));
                report.count(
                    if doc.intro {
                        "section introductions"
                    } else {
                        "resources"
                    },
                    1,
                );
            }
            Err(e) => {
                tree.unconverted.push((
                    PathBuf::new(),
                    doc.src.clone(),
                    1,
                    format!("its fields could not be written as YAML: {e}"),
                ));
            }
        }
    }
    write_terms(&tree, &taxonomy_keys, terms, &mut config, report);
    for (from, rel, line, why) in &tree.unconverted {
        let to = format!("{UNCONVERTED}/{rel}");
        if !from.as_os_str().is_empty() {
            site.copies.push((from.clone(), to.clone()));
        }
        report.attend(
            &to,
            *line,
            format!("not imported: {why}"),
            format!("kept as it was ({rel} in the old tree): to publish it, make it a markdown page under content/"),
        );
    }
    report.count("files not converted", tree.unconverted.len());
    report.count("files copied", tree.copies.len());
    for mut a in tree.attention.drain(..) {
        a.file = format!("SRC/{}", a.file); // about the old tree, not a file of DEST
        report.attention.push(a);
    }
    site.copies.append(&mut tree.copies);
    site.config = config;
    site
}

/// The casebook taxonomy key of each taxonomy field: the field itself when it is a plain,
/// unreserved slug that is not a built-in field, else a key made from it (mapped through
/// `frontmatter.aliases`).
fn taxonomy_keys(tree: &Tree, config: &mut SiteConfig, report: &mut Report) -> IndexMap<String, String> {
    let mut keys = IndexMap::new();
    for field in tree.taxonomies.keys() {
        let mut key = urls::slugify(field).replace('_', "-");
        if crate::config::RESERVED_TAXONOMY_KEYS.contains(&key.as_str())
            || crate::config::BUILT_IN_FIELDS.contains(&key.as_str())
            || key.is_empty()
        {
            key = format!("{key}-terms").trim_start_matches('-').to_string();
        }
        if &key != field {
            config.frontmatter.aliases.insert(field.clone(), key.clone());
            report.decisions.push(format!(
                "taxonomy `{field}` is `{key}` in casebook (`{field}` is reserved, a built-in field or not a plain slug): `frontmatter.aliases: {{{field}: {key}}}`"
            ));
        }
        keys.insert(field.clone(), key);
    }
    keys
}

/// Chooses `frontmatter.aliases`: the tree's names for casebook's fields, and a built-in
/// field the tree uses with another shape sent to `extra.<field>`.
fn plan_aliases(tree: &Tree, taxonomy_keys: &IndexMap<String, String>, config: &mut SiteConfig, report: &mut Report) {
    let docs = || tree.docs.iter().filter(|d| !d.intro).map(|d| &d.parsed.fields);
    let uses = |field: &str| docs().filter(|f| f.contains_key(field)).count();
    for field in crate::config::BUILT_IN_FIELDS {
        if ["type", "slug"].contains(field) || taxonomy_keys.contains_key(*field) {
            continue; // import writes these itself
        }
        let clashing: Vec<&str> = tree
            .docs
            .iter()
            .filter(|d| {
                d.parsed
                    .fields
                    .get(*field)
                    .is_some_and(|v| !v.is_null() && !fits(field, v))
            })
            .map(|d| d.src.as_str())
            .collect();
        if let Some(first) = clashing.first() {
            let target = format!("extra.{field}");
            config.frontmatter.aliases.insert((*field).to_string(), target.clone());
            report.decisions.push(format!(
                "`{field}` holds something else than casebook's `{field}` in {} files (e.g. {first}): `frontmatter.aliases: {{{field}: {target}}}` keeps it under `extra`",
                clashing.len()
            ));
        }
    }
    for (theirs, ours) in RENAMES {
        let taken = config.frontmatter.aliases.values().any(|v| v == ours);
        let clean = docs().all(|f| f.get(*theirs).is_none_or(|v| v.is_null() || fits(ours, v)));
        if uses(theirs) > 0 && uses(ours) == 0 && !taken && clean {
            config
                .frontmatter
                .aliases
                .insert((*theirs).to_string(), (*ours).to_string());
            report.decisions.push(format!(
                "`{theirs}` (in {} files) is casebook's `{ours}`: `frontmatter.aliases: {{{theirs}: {ours}}}`",
                uses(theirs)
            ));
        }
    }
}

/// A `slug:` casebook cannot use as it is (`a/b`, `Café`) becomes its slugified form.
fn repair_slug(doc: &mut Doc, report: &mut Report) {
    let Some(Value::String(slug)) = doc.parsed.fields.get("slug") else {
        return;
    };
    if crate::config::is_slug(slug) {
        return;
    }
    let fixed = urls::slugify(&slug.replace('/', "-"));
    if fixed.is_empty() {
        doc.parsed.fields.shift_remove("slug");
    } else {
        doc.parsed.fields.insert("slug".into(), Value::String(fixed));
    }
    report.repaired(Repair::Slug);
}

/// The URL casebook gives `doc` (root-relative, trailing `/`), as `content::place` does.
fn new_url(doc: &Doc) -> String {
    let (dir, name) = doc.dest.rsplit_once('/').unwrap_or(("", &doc.dest));
    if doc.intro {
        return urls::dir_url(dir);
    }
    let (dir, stem) = if name == "index.md" {
        let (parent, stem) = dir.rsplit_once('/').unwrap_or(("", dir));
        (parent, stem)
    } else {
        (dir, name.trim_end_matches(".md"))
    };
    let slug = match doc.parsed.fields.get("slug") {
        Some(Value::String(s)) if crate::config::is_slug(s) => s.clone(),
        _ => urls::slugify(stem),
    };
    format!("{}{slug}/", urls::dir_url(dir))
}

/// Each document's new URL; when two would share one, the later one's slug is made from its
/// file name (`2018-07-25-x.md` → `2018-07-25-x`), as the old site's dated URLs told them apart.
fn unique_urls(docs: &mut [Doc], report: &mut Report) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut urls = Vec::with_capacity(docs.len());
    for doc in docs.iter_mut() {
        let mut url = new_url(doc);
        if !doc.intro && seen.contains(&url) {
            let stem = doc.dest.rsplit('/').next().unwrap_or("").trim_end_matches(".md");
            doc.parsed
                .fields
                .insert("slug".into(), Value::String(urls::slugify(stem)));
            let other = new_url(doc);
            if !seen.contains(&other) {
                url = other;
                report.repaired(Repair::SlugClash);
            }
        }
        seen.insert(url.clone());
        urls.push(url);
    }
    urls
}

/// A link tag's target: the new URL of the document it names.
fn resolve_link(index: &HashMap<String, Option<String>>, path: &str) -> Option<String> {
    let key = path
        .trim()
        .trim_matches(['"', '\''])
        .trim_start_matches("./")
        .trim_start_matches('/');
    let key = key.trim_end_matches('/');
    index.get(key).cloned().flatten()
}

/// `type:` as casebook reads it: the type the flavour chose for a document outside any section;
/// a `type:` naming no casebook type (Hugo's layout type) moves to `extra.type`.
fn type_field(doc: &Doc, config: &SiteConfig, fields: &mut Fields, report: &mut Report) {
    let foreign = fields
        .get("type")
        .filter(|v| !v.as_str().is_some_and(|t| config.types.contains_key(t)))
        .cloned();
    if let Some(value) = foreign {
        fields.shift_remove("type");
        extra(fields).insert("type".into(), value);
        report.repaired(Repair::TypeToExtra);
    }
    if let Some(key) = &doc.type_key {
        if !fields.contains_key("type") {
            fields.insert("type".into(), Value::String(key.clone()));
        }
    }
}

/// The document's `extra:` map, made when missing.
fn extra(fields: &mut Fields) -> &mut serde_json::Map<String, Value> {
    let entry = fields
        .entry("extra".to_string())
        .or_insert_with(|| Value::Object(serde_json::Map::new()));
    if !entry.is_object() {
        let old = std::mem::take(entry);
        *entry = serde_json::json!({ "value": old });
    }
    entry.as_object_mut().expect("made an object above")
}

/// `date:` from a Jekyll post's file name when the frontmatter has none; a date written in
/// words, which Jekyll reads, as casebook's `YYYY-MM-DD`.
fn date_field(doc: &Doc, fields: &mut Fields, report: &mut Report) {
    if let Some(date) = &doc.date {
        if !fields.contains_key("date") {
            fields.insert("date".into(), Value::String(date.clone()));
            report.repaired(Repair::DateFromFileName);
        }
    }
    for key in ["date", "updated", "lastmod", "last_modified_at"] {
        let Some(words) = fields.get(key).and_then(Value::as_str) else {
            continue;
        };
        let parsed = ["%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%B %d %Y"]
            .iter()
            .find_map(|f| chrono::NaiveDate::parse_from_str(words.trim(), f).ok());
        if let Some(date) = parsed {
            fields.insert(key.into(), Value::String(date.format("%Y-%m-%d").to_string()));
            report.repaired(Repair::DateInWords);
        }
    }
}

/// A page without `title:` (which casebook requires) gets one, so the imported site builds:
/// its `name:` (a Jekyll author page), else the `# heading` its body opens with (taken out of
/// the body, where the theme would repeat it), else its file name, which a person should check.
fn title_field(doc: &Doc, fields: &mut Fields, body: &mut &str, report: &mut Report) {
    if fields.contains_key("title") {
        return;
    }
    let (title, repair) = if let Some(name) = fields.get("name").filter(|n| n.is_string()) {
        (name.clone(), Repair::TitleFromName)
    } else if let Some((heading, rest)) = opening_heading(body) {
        *body = rest;
        (Value::String(heading), Repair::TitleFromHeading)
    } else {
        let title = title_from_file_name(&doc.src);
        report.attend(
            &format!("content/{}", doc.dest),
            1,
            format!("no title: titled \"{title}\" from its file name"),
            "write the page's own `title:`",
        );
        (Value::String(title), Repair::TitleFromFileName)
    };
    fields.insert("title".into(), title);
    report.repaired(repair);
}

/// The text of a level-1 ATX heading on the body's first non-blank line, and the body after it.
fn opening_heading(body: &str) -> Option<(String, &str)> {
    let start = body.len() - body.trim_start().len();
    let line_end = body[start..].find('\n').map_or(body.len(), |i| start + i);
    let heading = body[start..line_end].strip_prefix("# ")?;
    let heading = heading.trim().trim_end_matches('#').trim_end();
    (!heading.is_empty()).then(|| (heading.to_string(), &body[line_end..]))
}

/// `news/2018-09-24-budget_review.md` → "Budget review"; an `index.md` is named by its folder.
fn title_from_file_name(src: &str) -> String {
    let path = Path::new(src);
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let stem = match stem {
        "index" | "_index" => path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|s| s.to_str())
            .unwrap_or(stem),
        _ => stem,
    };
    let (_, undated) = jekyll::post_name(stem);
    let words = undated.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    chars.next().map_or_else(
        || "Untitled".to_string(),
        |first| first.to_uppercase().chain(chars).collect(),
    )
}

/// Each taxonomy field's values as term slugs (a name is replaced by its slug), remembering
/// the first spelling of each as the term's name.
fn term_fields(
    taxonomy_keys: &IndexMap<String, String>,
    fields: &mut Fields,
    terms: &mut IndexMap<String, IndexMap<String, String>>,
    report: &mut Report,
) {
    for field in taxonomy_keys.keys() {
        let Some(value) = fields.get_mut(field) else {
            continue;
        };
        let spellings: Vec<String> = match value {
            Value::String(s) => s.split(',').map(|t| t.trim().to_string()).collect(),
            Value::Array(items) => items
                .iter()
                .filter_map(|i| match i {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect(),
            _ => continue,
        };
        let used = terms.entry(field.clone()).or_default();
        let mut slugs: Vec<Value> = Vec::new();
        for spelling in spellings.iter().filter(|s| !s.trim().is_empty()) {
            let slug = urls::slugify(spelling);
            if slug.is_empty() {
                continue;
            }
            if &slug != spelling {
                report.repaired(Repair::TermSpelling);
            }
            used.entry(slug.clone()).or_insert_with(|| spelling.clone());
            if !slugs.iter().any(|s| s.as_str() == Some(&slug)) {
                slugs.push(Value::String(slug));
            }
        }
        *value = Value::Array(slugs);
    }
}

/// Who may answer each old URL, by the output file a redirect there would be written to
/// (`urls::alias_file`, the site's own judge, so `a/b`, `/a/b/` and `a/b//` are one URL).
struct UrlClaims {
    /// The file of each new page, and the source it comes from.
    pages: HashMap<String, String>,
    /// The file of each old URL, and the one source that redirects there: a page's own old
    /// address (its permalink) before an `aliases:` entry another page lists, then the first.
    aliases: HashMap<String, String>,
}

impl UrlClaims {
    fn of(docs: &[Doc], new_urls: &[String]) -> UrlClaims {
        let pages: HashMap<String, String> = docs
            .iter()
            .zip(new_urls)
            .map(|(doc, url)| (crate::urls::page_file(url), doc.src.clone()))
            .collect();
        let mut aliases = HashMap::new();
        let primary = docs.iter().filter_map(|doc| Some((doc, doc.old_urls.first()?)));
        let others = docs
            .iter()
            .flat_map(|doc| doc.old_urls.iter().skip(1).map(move |old| (doc, old)));
        for (doc, old) in primary.chain(others) {
            let Ok(file) = crate::urls::alias_file(&normalise_url(old)) else {
                continue;
            };
            if !pages.contains_key(&file) {
                aliases.entry(file).or_insert_with(|| doc.src.clone());
            }
        }
        UrlClaims { pages, aliases }
    }
}

/// `aliases:` from every old URL of `doc` that is not its new one and that it may answer.
fn alias_field(doc: &Doc, claims: &UrlClaims, fields: &mut Fields, report: &mut Report) {
    let dest = format!("content/{}", doc.dest);
    let mut aliases: Vec<Value> = Vec::new();
    let mut files = HashSet::new();
    for old in &doc.old_urls {
        let old = normalise_url(old);
        let file = match crate::urls::alias_file(&old) {
            Ok(file) => file,
            Err(why) => {
                let help = "give the page a redirect from its web server, if the address matters";
                report.attend(&dest, 1, format!("the old URL cannot be kept: {why}"), help);
                continue;
            }
        };
        let page = claims.pages.get(&file);
        if page == Some(&doc.src) || !files.insert(file.clone()) {
            continue; // its own new address, or an old one already kept
        }
        let owner = page.or_else(|| claims.aliases.get(&file)).filter(|o| **o != doc.src);
        if let Some(other) = owner {
            report.attend(
                &dest,
                1,
                format!("the old URL `/{old}` is now another page's ({other}): it cannot redirect here"),
                "decide which page keeps the address; give the other a redirect by hand",
            );
            continue;
        }
        aliases.push(Value::String(old));
        report.repaired(Repair::UrlAlias);
    }
    if !aliases.is_empty() {
        report.count("aliases written", aliases.len());
        fields.insert("aliases".into(), Value::Array(aliases));
    }
}

/// An old URL as casebook's aliases take it: root-relative without a leading `/`, no query or
/// fragment, a folder URL ending in `/` (`/a/b` and `/a/b/` are one page).
fn normalise_url(url: &str) -> String {
    let url = url
        .split(['#', '?'])
        .next()
        .unwrap_or("")
        .trim()
        .trim_start_matches('/');
    let last = url.rsplit('/').next().unwrap_or("");
    if url.is_empty() || url.ends_with('/') || last.contains('.') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

/// Counts the fields casebook will not read.
fn count_foreign(fields: &Fields, config: &SiteConfig, taxonomy_keys: &IndexMap<String, String>, report: &mut Report) {
    for key in fields.keys() {
        let known = crate::config::BUILT_IN_FIELDS.contains(&key.as_str())
            || key == "aliases"
            || taxonomy_keys.contains_key(key)
            || config.frontmatter.aliases.contains_key(key);
        if !known {
            *report.foreign_fields.entry(key.clone()).or_default() += 1;
        }
    }
}

/// Records the body's repairs, and each tag kept or link not found at its line in DEST.
fn note_body(dest_file: &str, text: &str, repaired: &repair::Repaired, report: &mut Report) {
    for r in &repaired.repairs {
        report.repaired(*r);
    }
    // `source::write` drops one leading newline of the body and ends the file with the rest.
    let skipped = usize::from(repaired.body.starts_with('\n'));
    let start = text.len() - (repaired.body.len() - skipped);
    let line = |offset: usize| repair::line_of(text, start + offset.saturating_sub(skipped));
    for (offset, tag) in &repaired.kept {
        report.attend(
            dest_file,
            line(*offset),
            format!("`{}` has no markdown equivalent: kept as text", shorten(tag)),
            "rewrite it as markdown (or HTML), or remove it",
        );
    }
    for (offset, tag) in &repaired.unresolved {
        report.attend(
            dest_file,
            line(*offset),
            format!("`{}` names no resource of the old tree: kept as text", shorten(tag)),
            "link to the page's new address (a term page is /<taxonomy>/<term>/), or remove the link",
        );
    }
    report.count("tags kept as text", repaired.kept.len() + repaired.unresolved.len());
}

fn shorten(tag: &str) -> String {
    let one_line = tag.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(80) {
        Some((at, _)) => format!("{}…", &one_line[..at]),
        None => one_line,
    }
}

/// The taxonomies with their terms: every term used (named by the tree's own description, else
/// by its first spelling), then those the tree describes but nothing uses.
fn write_terms(
    tree: &Tree,
    taxonomy_keys: &IndexMap<String, String>,
    mut used: IndexMap<String, IndexMap<String, String>>,
    config: &mut SiteConfig,
    report: &mut Report,
) {
    for (field, name) in &tree.taxonomies {
        let described = tree.described.get(field).cloned().unwrap_or_default();
        let mut spelled = used.shift_remove(field).unwrap_or_default();
        let mut extra: Vec<&String> = described.keys().filter(|s| !spelled.contains_key(*s)).collect();
        extra.sort();
        for slug in extra {
            spelled.insert(slug.clone(), described[slug].name.clone());
        }
        spelled.sort_keys();
        let terms: Vec<TermConfig> = spelled
            .into_iter()
            .map(|(slug, spelling)| {
                let info = described.get(&slug).cloned().unwrap_or_default();
                TermConfig {
                    name: if info.name.is_empty() { spelling } else { info.name },
                    description: info.description,
                    slug,
                }
            })
            .collect();
        report.count("terms", terms.len());
        let key = taxonomy_keys[field].clone();
        config.taxonomies.insert(
            key,
            TaxonomyConfig {
                name: name.clone(),
                terms,
            },
        );
    }
    report.count("taxonomies", config.taxonomies.len());
}

/// Writes DEST: `casebook.yaml`, the content files, the copies.
fn write_site(dest: &Path, site: &Site) -> anyhow::Result<()> {
    write_config(dest, &site.config)?;
    for (rel, text) in &site.files {
        write_file(&dest.join(rel), text.as_bytes())?;
    }
    for (from, rel) in &site.copies {
        let to = dest.join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::copy(from, &to).with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
    }
    Ok(())
}

fn write_config(dest: &Path, config: &SiteConfig) -> anyhow::Result<()> {
    let yaml = serde_saphyr::to_string(config).context("writing casebook.yaml")?;
    let text = format!("# Written by `casebook import`; see import-report.md for what was decided and why.\n{yaml}");
    write_file(&dest.join(crate::config::CONFIG_FILE), text.as_bytes())
}

fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

/// Runs `casebook check` on DEST: what only a link checker can tell (a link to a file that
/// was never there) is set to `warn` in `checks:` when the tree has any, and every problem is
/// named in the report.
fn check_written(dest: &Path, site: &Site, report: &mut Report) -> anyhow::Result<()> {
    let problems = match crate::site::check(dest, &crate::site::BuildOptions::default()) {
        Ok(problems) => problems,
        Err(crate::site::Failure::Content(problems)) => problems,
        Err(crate::site::Failure::Usage(e)) => return Err(e.context("checking the imported site")),
    };
    let mut demoted: BTreeMap<&str, usize> = BTreeMap::new();
    for d in problems.sorted() {
        *report.check.entry(d.code.as_str().to_string()).or_default() += 1;
        let demote = DEMOTED.contains(&d.code);
        if demote {
            *demoted.entry(d.code.as_str()).or_default() += 1;
        }
        if d.severity == Severity::Error || demote {
            let message = format!("{} [{}]", d.message, d.code.as_str());
            report.attend(&d.file, d.line, message, d.help.clone().unwrap_or_default());
        }
    }
    if demoted.is_empty() {
        return Ok(());
    }
    let mut config = site.config.clone();
    for (code, n) in demoted {
        config.checks.insert(code.to_string(), "warn".to_string());
        report.decisions.push(format!(
            "`checks: {{{code}: warn}}`: {n} `{code}` problems came with the old tree (listed under \"Needs a person\"); they no longer block the build"
        ));
    }
    write_config(dest, &config)
}

/// A display name from a folder or file name: `case-studies` → `Case studies`.
fn display_name(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// Reads a document of the tree; a file that cannot be read as text or whose frontmatter does
/// not parse is set aside, not lost.
fn read_doc(tree: &mut Tree, path: &Path, rel: &str) -> Option<(Parsed, Option<Repair>)> {
    let text = match std::fs::read(path).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => {
            tree.unconverted
                .push((path.to_path_buf(), rel.to_string(), 1, "it is not UTF-8 text".into()));
            return None;
        }
        Err(e) => {
            tree.attention.push(Attention {
                file: rel.to_string(),
                line: 1,
                message: format!("cannot be read: {e}"),
                help: "make it readable and import again".into(),
            });
            return None;
        }
    };
    let format = match text.trim_start().lines().next().map(str::trim_end) {
        Some("+++") => Some(Repair::TomlFrontmatter),
        Some("{") => Some(Repair::JsonFrontmatter),
        _ => None,
    };
    match source::parse(&text) {
        Ok(parsed) => Some((parsed, format)),
        Err(e) => {
            tree.unconverted
                .push((path.to_path_buf(), rel.to_string(), e.line, e.message));
            None
        }
    }
}

/// The string value of `field`, if it is text.
fn text_field<'a>(fields: &'a Fields, field: &str) -> Option<&'a str> {
    fields.get(field).and_then(Value::as_str)
}

/// Every path under `root` (sorted, files only, symlinks not followed), relative with `/`.
fn files_under(root: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name().into_iter().flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let Some(rel) = rel.to_str() else { continue };
        files.push((entry.path().to_path_buf(), rel.replace('\\', "/")));
    }
    files
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_title_from_a_file_name_drops_a_date_and_never_panics() {
        assert_eq!(
            super::title_from_file_name("news/2018-09-24-budget_review.md"),
            "Budget review"
        );
        assert_eq!(super::title_from_file_name("apis/feeds/index.md"), "Feeds");
        // A character across byte 10, where a dated name has its last `-`.
        assert_eq!(super::title_from_file_name("abcdefghié-x.md"), "Abcdefghié x");
        assert_eq!(super::title_from_file_name("-_.md"), "Untitled");
    }
}
