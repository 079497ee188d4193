//! Where content goes in the output: a page's folder and slug, each asset's output path (inside
//! its bundle's page folder), and resources that would be written to the same url.

use super::discover::{SourceFile, SourceKind};
use super::frontmatter::FieldReader;
use super::{Asset, Resource};
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::urls;

/// The content folder a page's links start from, and the name its slug defaults to.
pub(super) fn page_place(file: &SourceFile) -> (String, String) {
    let (dir, name) = file.rel.rsplit_once('/').unwrap_or(("", &file.rel));
    if name == "index.md" {
        let stem = dir.rsplit('/').next().unwrap_or(dir).to_string();
        return (dir.to_string(), stem);
    }
    (dir.to_string(), name.trim_end_matches(".md").to_string())
}

/// The `slug` field, checked so that it cannot leave its folder, else the file name slugified.
pub(super) fn page_slug(fields: &mut FieldReader<'_>, stem: &str) -> String {
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

/// Places each asset in the output: inside its bundle's page folder, else at its own path.
pub(super) fn place_assets(files: &[SourceFile], resources: &[Resource]) -> Vec<Asset> {
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
pub(super) fn duplicate_urls(resources: &[Resource]) -> Vec<Diagnostic> {
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
