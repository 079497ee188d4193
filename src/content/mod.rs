//! The site's content: discovery, frontmatter, and the validated [`Resource`] model.

pub mod date;
pub mod discover;
pub mod fields;
pub mod frontmatter;
pub mod site_map;

use crate::config::Config;
use crate::diagnostics::{suggestion, Code, Diagnostic, Diagnostics, Location};
use crate::urls;
use date::Date;
use discover::{SourceFile, SourceKind};
use frontmatter::{FieldReader, Split};
use indexmap::IndexMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Where a resource came from (the `source` field).
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Who published it.
    #[serde(default)]
    pub publisher: Option<String>,
    /// When.
    #[serde(default)]
    pub year: Option<i32>,
    /// Where.
    #[serde(default)]
    pub url: Option<String>,
}

/// A downloadable file that comes with a resource (the `attachments` field).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// Link text.
    pub title: String,
    /// Path relative to the markdown file (usually inside its page bundle).
    pub file: String,
    /// Where `file` is written in the markdown file, for messages.
    #[serde(skip)]
    pub at: Location,
}

/// One validated resource: a case study, toolkit, report...
#[derive(Debug, Clone)]
pub struct Resource {
    /// Path relative to the site root, for messages (`content/case-studies/x.md`).
    pub file: String,
    /// Path relative to `content/` (`case-studies/x.md`).
    pub content_path: String,
    /// The content folder its relative links start from.
    pub content_dir: String,
    /// The content folder of its listing section (`case-studies`; `` for the home page).
    pub section: String,
    /// Output url (`case-studies/x/`).
    pub url: String,
    /// Type key (`case-study`).
    pub kind: String,
    /// Title.
    pub title: String,
    /// Summary from the frontmatter, else the first paragraph once rendered.
    pub summary: Option<String>,
    /// Publication date.
    pub date: Option<Date>,
    /// Last update.
    pub updated: Option<Date>,
    /// Taxonomy key -> term slugs, for every taxonomy of the site, in config order.
    pub terms: IndexMap<String, Vec<String>>,
    /// Organisation the resource is about or from.
    pub organisation: Option<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// External home of the resource.
    pub link: Option<String>,
    /// Provenance.
    pub source: Option<Source>,
    /// Downloads.
    pub attachments: Vec<Attachment>,
    /// Shown first on the home page.
    pub featured: bool,
    /// Built only with `--drafts`.
    pub draft: bool,
    /// Passed to templates untouched.
    pub extra: serde_json::Value,
    /// The markdown body.
    pub body: String,
    /// The file line the body starts on.
    pub body_line: usize,
}

/// A section introduction (`_index.md`).
#[derive(Debug, Clone)]
pub struct SectionIntro {
    /// Path relative to the site root, for messages.
    pub file: String,
    /// The content folder it introduces (`` for the home page).
    pub dir: String,
    /// The url of the folder's page (`case-studies/`; `` for the home page).
    pub url: String,
    /// Title.
    pub title: Option<String>,
    /// One-sentence description.
    pub description: String,
    /// Passed to templates untouched.
    pub extra: serde_json::Value,
    /// The markdown body.
    pub body: String,
    /// The file line the body starts on.
    pub body_line: usize,
}

/// A non-markdown file under `content/`, copied to the output.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Where it is on disk.
    pub source: PathBuf,
    /// Path relative to `content/`.
    pub content_path: String,
    /// Path in the output.
    pub output: String,
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Content {
    /// The resources, sorted by content path.
    pub resources: Vec<Resource>,
    /// Section introductions, sorted by folder.
    pub sections: Vec<SectionIntro>,
    /// Files copied as they are.
    pub assets: Vec<Asset>,
}

/// Options for reading content.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Include drafts.
    pub drafts: bool,
}

const SECTION_FIELDS: &[&str] = &["title", "description", "extra"];

/// What reading one markdown file gave.
#[derive(Debug, Clone)]
pub enum Read {
    /// A resource.
    Resource(Box<Resource>),
    /// A section introduction.
    Section(SectionIntro),
    /// Nothing to build: a draft, or a file too broken to read.
    Skipped,
}

/// Reads and validates every file under `root/content`; problems are collected, not thrown.
pub fn load(root: &Path, config: &Config, options: LoadOptions) -> (Content, Diagnostics) {
    let (files, problems) = discover::discover(root);
    let results: Vec<(Read, Diagnostics)> = files
        .par_iter()
        .filter(|f| f.kind != SourceKind::Asset)
        .map(|f| read_markdown(f, config, options))
        .collect();
    assemble(&files, results, problems)
}

/// Puts the reads of every markdown file of `files` (in the same order) together with the
/// assets, and checks what only the whole site can tell (duplicate urls).
pub fn assemble(
    files: &[SourceFile],
    reads: Vec<(Read, Diagnostics)>,
    mut problems: Diagnostics,
) -> (Content, Diagnostics) {
    let mut content = Content::default();
    for (read, diagnostics) in reads {
        problems.extend(diagnostics);
        match read {
            Read::Resource(r) => content.resources.push(*r),
            Read::Section(s) => content.sections.push(s),
            Read::Skipped => {}
        }
    }
    content.assets = place_assets(files, &content.resources);
    problems.extend(duplicate_urls(&content.resources));
    (content, problems)
}

/// Reads and validates one markdown file (a resource or a section introduction).
pub fn read_markdown(file: &SourceFile, config: &Config, options: LoadOptions) -> (Read, Diagnostics) {
    // Named by its place under content/, not by `path` (a symlink's target, once resolved).
    let name = format!("content/{}", file.rel);
    match read_markdown_inner(file, &name, config, options) {
        Ok(read) => read,
        Err(d) => {
            let mut problems = Diagnostics::default();
            problems.push(d);
            (Read::Skipped, problems)
        }
    }
}

fn read_markdown_inner(
    file: &SourceFile,
    name: &str,
    config: &Config,
    options: LoadOptions,
) -> Result<(Read, Diagnostics), Diagnostic> {
    let bytes = std::fs::read(&file.path).map_err(|e| {
        Diagnostic::error(
            name,
            Location::default(),
            Code::Unreadable,
            format!("cannot read this file: {e}"),
        )
        .with_help("make it a readable regular file (e.g. `chmod u+r`), or move it out of `content/`")
    })?;
    let text = frontmatter::decode(&bytes).map_err(|(at, code, message)| {
        let help = match code {
            Code::BinaryFile => "only markdown files may end in `.md`: rename or remove this one",
            _ => "save the file as UTF-8 text",
        };
        Diagnostic::error(name, at, code, message).with_help(help)
    })?;
    fields::refuse_controls(&text, name)?;
    let split = frontmatter::split(&text)
        .map_err(|(at, code, message, help)| Diagnostic::error(name, at, code, message).with_help(help))?;
    if file.kind == SourceKind::SectionIndex {
        let (section, problems) = read_section(&split, file, name, config)?;
        return Ok((Read::Section(section), problems));
    }
    let (resource, problems) = read_resource(&split, file, name, config)?;
    if resource.draft && !options.drafts {
        return Ok((Read::Skipped, problems));
    }
    Ok((Read::Resource(Box::new(resource)), problems))
}

fn read_section(
    split: &Split<'_>,
    file: &SourceFile,
    name: &str,
    config: &Config,
) -> Result<(SectionIntro, Diagnostics), Diagnostic> {
    let mut fields = FieldReader::new(split, name, config, SECTION_FIELDS)?;
    fields::check_values(&mut fields);
    let dir = file
        .rel
        .strip_suffix("_index.md")
        .unwrap_or("")
        .trim_end_matches('/')
        .to_string();
    let section = SectionIntro {
        file: name.to_string(),
        url: urls::dir_url(&dir),
        dir,
        title: fields.string("title"),
        description: fields.string("description").unwrap_or_default(),
        extra: fields.raw("extra").unwrap_or(serde_json::Value::Null),
        body: split.body.to_string(),
        body_line: split.body_line,
    };
    Ok((section, fields.problems))
}

fn read_resource(
    split: &Split<'_>,
    file: &SourceFile,
    name: &str,
    config: &Config,
) -> Result<(Resource, Diagnostics), Diagnostic> {
    let known = config.field_names();
    let mut fields = FieldReader::new(split, name, config, &known)?;
    fields::check_values(&mut fields);
    let (content_dir, stem) = page_place(file);
    let section = match &file.bundle {
        Some(bundle) => bundle.rsplit_once('/').map_or("", |(parent, _)| parent).to_string(),
        None => content_dir.clone(),
    };
    let kind = resource_type(&mut fields, &section, config);
    let slug = page_slug(&mut fields, &stem);
    let title = fields.string("title");
    if title.is_none() {
        fields.error_at(
            Location::new(1, 1),
            Code::MissingField,
            "required field `title` is missing".into(),
            "add `title: \"...\"` to the frontmatter".into(),
        );
    }
    let mut terms = IndexMap::new();
    for (key, taxonomy) in &config.taxonomies {
        let slugs = fields.terms(key);
        for (i, slug) in slugs.iter().enumerate() {
            if !taxonomy.terms.iter().any(|t| &t.slug == slug) {
                let defined: Vec<&str> = taxonomy.terms.iter().map(|t| t.slug.as_str()).collect();
                let help = format!(
                    "{} (terms are defined under `taxonomies.{key}` in casebook.yaml)",
                    suggestion(slug, &defined)
                );
                fields.error_at(
                    fields.item_location(key, i),
                    Code::UnknownTerm,
                    format!("`{slug}` is not a defined term of `{key}`"),
                    help,
                );
            }
        }
        terms.insert(key.clone(), slugs);
    }
    if let Some(kind) = &kind {
        check_required(&mut fields, kind, config);
    }
    let mut attachments: Vec<Attachment> = fields
        .typed("attachments", "attachments: [{ title: \"...\", file: template.docx }]")
        .unwrap_or_default();
    for (i, a) in attachments.iter_mut().enumerate() {
        a.at = fields.value_location(&format!("attachments[{i}].file"));
    }
    let link = fields.string("link");
    let source: Option<Source> = fields.typed("source", "source: { publisher: \"...\", year: 2019 }");
    fields::check_urls(&mut fields, link.as_deref(), source.as_ref());
    let resource = Resource {
        file: name.to_string(),
        content_path: file.rel.clone(),
        url: format!("{}{}/", urls::dir_url(&section), slug),
        content_dir,
        section,
        kind: kind.unwrap_or_default(),
        title: title.unwrap_or_default(),
        summary: fields.string("summary").filter(|s| !s.trim().is_empty()),
        date: fields.date("date"),
        updated: fields.date("updated"),
        terms,
        organisation: fields.string("organisation"),
        authors: fields.strings("authors"),
        link,
        source,
        attachments,
        featured: fields.flag("featured"),
        draft: fields.flag("draft"),
        extra: fields.raw("extra").unwrap_or(serde_json::Value::Null),
        body: split.body.to_string(),
        body_line: split.body_line,
    };
    Ok((resource, fields.problems))
}

/// The content folder a page's links start from, and the name its slug defaults to.
fn page_place(file: &SourceFile) -> (String, String) {
    let (dir, name) = file.rel.rsplit_once('/').unwrap_or(("", &file.rel));
    if name == "index.md" {
        let stem = dir.rsplit('/').next().unwrap_or(dir).to_string();
        return (dir.to_string(), stem);
    }
    (dir.to_string(), name.trim_end_matches(".md").to_string())
}

/// The type from the `type` field, else from the top-level section.
fn resource_type(fields: &mut FieldReader<'_>, section: &str, config: &Config) -> Option<String> {
    let types: Vec<&str> = config.types.keys().map(String::as_str).collect();
    if let Some(kind) = fields.string("type") {
        if config.types.contains_key(&kind) {
            return Some(kind);
        }
        let at = fields.value_location("type");
        fields.error_at(
            at,
            Code::UnknownType,
            format!("`{kind}` is not a resource type of this site"),
            suggestion(&kind, &types),
        );
        return None;
    }
    let top = section.split('/').next().unwrap_or("");
    if let Some(kind) = config.type_for_section(top) {
        return Some(kind.to_string());
    }
    let help = format!("add `type: ...` to the frontmatter (one of: {}), or move the file into a section folder such as `case-studies/`", types.join(", "));
    fields.error_at(
        Location::new(1, 1),
        Code::UnknownType,
        "cannot tell the type of this resource".into(),
        help,
    );
    None
}

/// The `slug` field, checked so that it cannot leave its folder, else the file name slugified.
fn page_slug(fields: &mut FieldReader<'_>, stem: &str) -> String {
    let fallback = urls::slugify(stem);
    let Some(slug) = fields.string("slug") else {
        return fallback;
    };
    if crate::config::is_slug(&slug) {
        return slug;
    }
    let at = fields.value_location("slug");
    let message = if slug.contains("..") || slug.contains('/') || slug.contains('\\') {
        format!("slug `{slug}` would leave its section folder")
    } else if let Some(long) = crate::config::too_long(&slug) {
        format!("slug {long}")
    } else {
        format!("`{slug}` is not a valid slug")
    };
    let suggested = Some(urls::slugify(&slug)).filter(|s| crate::config::is_slug(s));
    let help = format!(
        "use lower-case letters, digits and hyphens, e.g. `{}`",
        suggested.as_deref().unwrap_or(&fallback)
    );
    fields.error_at(at, Code::InvalidSlug, message, help);
    fallback
}

fn check_required(fields: &mut FieldReader<'_>, kind: &str, config: &Config) {
    for field in &config.types[kind].required {
        if !fields.has(field) {
            let example = match field.as_str() {
                "date" => "date: 2024-01-31".to_string(),
                f if config.taxonomies.contains_key(f) => format!(
                    "{f}: [{}]",
                    config.taxonomies[f].terms.first().map_or("...", |t| t.slug.as_str())
                ),
                f => format!("{f}: \"...\""),
            };
            let message = format!(
                "required field `{field}` is missing (a {} needs it)",
                config.types[kind].name.to_lowercase()
            );
            fields.error_at(
                Location::new(1, 1),
                Code::MissingField,
                message,
                format!("add `{example}` to the frontmatter"),
            );
        }
    }
}

/// Places each asset in the output: inside its bundle's page folder, else at its own path.
fn place_assets(files: &[SourceFile], resources: &[Resource]) -> Vec<Asset> {
    let bundle_urls: std::collections::HashMap<&str, &str> = resources
        .iter()
        .filter_map(|r| {
            r.content_path
                .strip_suffix("/index.md")
                .map(|dir| (dir, r.url.as_str()))
        })
        .collect();
    files
        .iter()
        .filter(|f| f.kind == SourceKind::Asset)
        .filter_map(|f| {
            let output = match &f.bundle {
                Some(bundle) => {
                    let url = bundle_urls.get(bundle.as_str())?; // a draft's files stay out
                    format!("{url}{}", &f.rel[bundle.len() + 1..])
                }
                None => {
                    let (dir, name) = f.rel.rsplit_once('/').unwrap_or(("", &f.rel));
                    format!("{}{name}", urls::dir_url(dir))
                }
            };
            Some(Asset {
                source: f.path.clone(),
                content_path: f.rel.clone(),
                output,
            })
        })
        .collect()
}

/// Two resources that would be written to the same place.
fn duplicate_urls(resources: &[Resource]) -> Vec<Diagnostic> {
    let mut by_url: std::collections::BTreeMap<&str, Vec<&Resource>> = std::collections::BTreeMap::new();
    for r in resources {
        by_url.entry(&r.url).or_default().push(r);
    }
    let mut problems = Vec::new();
    for (url, sharing) in by_url.into_iter().filter(|(_, sharing)| sharing.len() > 1) {
        // Every file is named, so whichever the editor opens tells them about the others.
        for r in &sharing {
            let others: Vec<&str> = sharing
                .iter()
                .filter(|o| o.file != r.file)
                .map(|o| o.file.as_str())
                .collect();
            let message = format!("this page would be written to `{url}`, like {}", others.join(" and "));
            let d = Diagnostic::error(&r.file, Location::new(1, 1), Code::DuplicateUrl, message)
                .with_help("give one of them a different `slug:` or file name");
            problems.push(d);
        }
    }
    problems
}
