//! Reading one markdown file: decoding, the frontmatter block, every field checked against
//! the config (type, title, terms, required fields, attachments, links), into a [`Resource`]
//! or a [`SectionIntro`].

use super::discover::{SourceFile, SourceKind};
use super::frontmatter::{self, FieldReader, Split};
use super::place::{page_place, page_slug};
use super::{fields, Alias, Attachment, Image, LoadOptions, Read, Resource, SectionIntro, Source, Translation};
use crate::config::Config;
use crate::diagnostics::{suggestion, Code, Diagnostic, Diagnostics, Location};
use crate::urls;
use indexmap::IndexMap;

/// The fields a section introduction may have.
const SECTION_FIELDS: &[&str] = &["title", "description", "extra"];

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
    // A translation is placed as the file it translates: same folder, same bundle.
    let placed = SourceFile {
        rel: file.original_rel(),
        ..file.clone()
    };
    if file.kind == SourceKind::SectionIndex {
        let (section, problems) = read_section(&split, &placed, name, config)?;
        return Ok((translated(file, Read::Section(section), Vec::new()), problems));
    }
    let (resource, own, problems) = read_resource(&split, &placed, name, config)?;
    if resource.draft && !options.drafts {
        return Ok((Read::Skipped, problems));
    }
    Ok((translated(file, Read::Resource(Box::new(resource)), own), problems))
}

/// `read` as what `file` is: a translation (with the inherited fields it sets itself) or
/// the default language's own.
fn translated(file: &SourceFile, read: Read, own: Vec<String>) -> Read {
    match &file.lang {
        Some(lang) => Read::Translation(Box::new(Translation {
            lang: lang.clone(),
            read,
            own,
        })),
        None => read,
    }
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

/// Reads a resource; also says which of the fields a translation inherits it sets itself.
fn read_resource(
    split: &Split<'_>,
    file: &SourceFile,
    name: &str,
    config: &Config,
) -> Result<(Resource, Vec<String>, Diagnostics), Diagnostic> {
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
        // A page without a title is no page: `checks:` cannot let it through.
        fields.firm_error_at(
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
        // An undefined term is left off (it has no page); it only matters once `checks:` lets
        // the resource through.
        let defined = slugs
            .into_iter()
            .filter(|s| taxonomy.terms.iter().any(|t| &t.slug == s));
        terms.insert(key.clone(), defined.collect());
    }
    let inherited: Vec<&str> = super::INHERITED
        .iter()
        .copied()
        .chain(config.taxonomies.keys().map(String::as_str))
        .collect();
    let own: Vec<String> = inherited
        .into_iter()
        .filter(|f| fields.has(f))
        .map(String::from)
        .collect();
    if let (Some(kind), None) = (&kind, &file.lang) {
        // A translation inherits what it leaves out: the original answers for those.
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
    let doi = fields.string("doi").and_then(|doi| fields::doi(&mut fields, &doi));
    let image = fields.string("image").map(|file| Image {
        at: fields.value_location("image"),
        alt: fields.string("image_alt").unwrap_or_default(),
        caption: fields.string("image_caption").filter(|c| !c.trim().is_empty()),
        file,
    });
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
        aliases: aliases(&mut fields),
        doi,
        image,
        featured: fields.flag("featured"),
        draft: fields.flag("draft"),
        extra: fields.raw("extra").unwrap_or(serde_json::Value::Null),
        body: split.body.to_string(),
        body_line: split.body_line,
    };
    Ok((resource, own, fields.problems))
}

/// The old URLs of `aliases:`, each as the file its redirect page is written to; a path that
/// cannot be one is an error at it.
fn aliases(fields: &mut FieldReader<'_>) -> Vec<Alias> {
    let mut aliases = Vec::new();
    for (i, path) in fields.strings("aliases").into_iter().enumerate() {
        let at = fields.item_location("aliases", i);
        match urls::alias_file(&path) {
            Ok(file) => aliases.push(Alias { path, file, at }),
            Err(why) => fields.error_at(
                at,
                Code::InvalidSlug,
                format!("alias {why}"),
                "write the old URL's path from the site root, e.g. `/posts/2019/old-title/`".into(),
            ),
        }
    }
    aliases
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
            // An empty value (`enablers: []`, from `casebook new`) is reported where it stands.
            let (at, help) = match fields.key_location(field) {
                Some(at) => (at, format!("fill it in: `{example}`")),
                None => (Location::new(1, 1), format!("add `{example}` to the frontmatter")),
            };
            fields.error_at(at, Code::MissingField, message, help);
        }
    }
}
