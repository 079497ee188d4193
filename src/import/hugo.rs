//! Reading a Hugo tree: its configuration (`hugo.*` or `config.*` as TOML, YAML or JSON at the
//! root, else in `config/_default/`, keys read case-insensitively as Hugo does), `content/`
//! (sections become types; `_index.md` files of taxonomy term folders name and describe the
//! terms; every page's old URL from `url:`, the `permalinks` pattern of its section or its
//! path, plus its `aliases:`) and `static/`.

use super::{display_name, files_under, read_doc, text_field, Attention, Doc, TermInfo, Tree};
use anyhow::{bail, Context as _};
use serde_json::{Map, Value};
use std::path::Path;

/// The configuration file names Hugo reads, in its order.
const CONFIG_NAMES: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
];

/// Reads the Hugo tree at `src`.
pub(super) fn read(src: &Path) -> anyhow::Result<Tree> {
    let config = read_config(src)?;
    let get = |key: &str| config.get(key).and_then(Value::as_str).unwrap_or("").to_string();
    let params = config.get("params").and_then(Value::as_object);
    let mut tree = Tree {
        title: get("title"),
        description: params
            .and_then(|p| p.get("description"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        base_url: with_slash(&get("baseurl")),
        language: Some(get("languagecode"))
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| "en".into()),
        ..Tree::default()
    };
    let taxonomies = taxonomies(&config);
    for (singular, plural) in &taxonomies {
        tree.taxonomies.insert(plural.clone(), display_name(plural));
        let _ = singular;
    }
    let scheme = Scheme {
        permalinks: permalinks(&config),
        ugly: config.get("uglyurls").and_then(Value::as_bool).unwrap_or(false),
    };
    let content_dir = Some(get("contentdir"))
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "content".into());
    let static_dir = Some(get("staticdir"))
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "static".into());
    if config.contains_key("languages") {
        tree.attention.push(Attention {
            file: "config".into(),
            line: 1,
            message: "the site has several languages: only the default content folder was imported".into(),
            help: "import each language's content folder as a site of its own".into(),
        });
    }
    read_content(src, &src.join(&content_dir), &scheme, &mut tree);
    for (path, rel) in files_under(&src.join(&static_dir)) {
        tree.copies.push((path, format!("static/{rel}")));
    }
    Ok(tree)
}

/// The site configuration, top-level keys lower-cased (Hugo's keys are case-insensitive).
fn read_config(src: &Path) -> anyhow::Result<Map<String, Value>> {
    let at_root = CONFIG_NAMES.iter().map(|n| src.join(n)).find(|p| p.is_file());
    let default_dir = src.join("config/_default");
    let mut config = Map::new();
    match at_root {
        Some(path) => merge(&mut config, read_value(&path)?),
        None if default_dir.is_dir() => {
            // config/_default/: hugo.* or config.* whole; any other file is the key it is named after.
            for (path, rel) in files_under(&default_dir) {
                let Some((stem, _)) = rel.rsplit_once('.') else { continue };
                if rel.contains('/') {
                    continue;
                }
                let value = read_value(&path)?;
                if stem == "hugo" || stem == "config" {
                    merge(&mut config, value);
                } else {
                    config.insert(stem.to_lowercase(), value);
                }
            }
        }
        None => bail!(
            "{} has no Hugo configuration (hugo.toml, config.toml, config.yaml, config.json or config/_default/): is it a Hugo site?",
            src.display()
        ),
    }
    Ok(config)
}

fn merge(config: &mut Map<String, Value>, value: Value) {
    if let Value::Object(map) = value {
        for (k, v) in map {
            config.insert(k.to_lowercase(), v);
        }
    }
}

/// One configuration file, by its extension.
fn read_value(path: &Path) -> anyhow::Result<Value> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let value = match ext {
        "toml" => toml::from_str::<Value>(&text).map_err(|e| anyhow::anyhow!("{}", e.message())),
        "json" => serde_json::from_str::<Value>(&text).map_err(anyhow::Error::from),
        _ => serde_saphyr::from_str::<Value>(&text).map_err(anyhow::Error::from),
    };
    value.with_context(|| format!("{} does not parse", path.display()))
}

/// Taxonomies: singular → plural (the frontmatter field); Hugo's default is tags and categories.
fn taxonomies(config: &Map<String, Value>) -> Vec<(String, String)> {
    match config.get("taxonomies").and_then(Value::as_object) {
        Some(map) => map
            .iter()
            .filter_map(|(s, p)| Some((s.clone(), p.as_str()?.to_string())))
            .collect(),
        None => vec![("tag".into(), "tags".into()), ("category".into(), "categories".into())],
    }
}

/// `permalinks`: section → pattern (the newer `permalinks: {page: {...}}` form included).
fn permalinks(config: &Map<String, Value>) -> Vec<(String, String)> {
    let Some(map) = config.get("permalinks").and_then(Value::as_object) else {
        return Vec::new();
    };
    let map = map.get("page").and_then(Value::as_object).unwrap_or(map);
    map.iter()
        .filter_map(|(s, p)| Some((s.clone(), p.as_str()?.to_string())))
        .collect()
}

/// How the old site made page URLs.
struct Scheme {
    permalinks: Vec<(String, String)>,
    ugly: bool,
}

/// Reads `content/`: documents, term folders, sections, bundle files.
fn read_content(src: &Path, content: &Path, scheme: &Scheme, tree: &mut Tree) {
    let taxonomy_fields: Vec<String> = tree.taxonomies.keys().cloned().collect();
    let prefix = content
        .strip_prefix(src)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let mut sections: Vec<String> = Vec::new();
    for (path, rel) in files_under(content) {
        let src_rel = format!("{prefix}/{rel}");
        let top = rel.split_once('/').map(|(t, _)| t);
        let in_taxonomy = top.filter(|t| taxonomy_fields.iter().any(|f| f == t));
        let is_markdown = rel.ends_with(".md") || rel.ends_with(".markdown");
        if let Some(field) = in_taxonomy {
            if is_markdown {
                term_page(tree, &path, &src_rel, field, &rel);
            } else {
                tree.copies.push((path, format!("static/{rel}")));
            }
            continue;
        }
        if rel.ends_with(".html") && has_frontmatter(&path) {
            tree.unconverted.push((
                path,
                src_rel,
                1,
                "an HTML page with frontmatter (casebook pages are markdown)".into(),
            ));
            continue;
        }
        if !is_markdown {
            tree.copies.push((path, format!("content/{rel}")));
            continue;
        }
        let Some((parsed, format)) = read_doc(tree, &path, &src_rel) else {
            continue;
        };
        let dest = rel
            .strip_suffix(".markdown")
            .map_or(rel.clone(), |stem| format!("{stem}.md"));
        let name = dest.rsplit('/').next().unwrap_or(&dest);
        let intro = name == "_index.md";
        if let Some(top) = top {
            if !intro && !sections.iter().any(|s| s == top) {
                sections.push(top.to_string());
            }
        }
        let mut doc = Doc {
            src: src_rel,
            link_keys: link_keys(&rel),
            dest,
            intro,
            parsed,
            format,
            old_urls: Vec::new(),
            type_key: top.is_none().then(|| "page".to_string()),
            date: None,
            consumed: if intro { Vec::new() } else { vec!["url", "aliases"] },
        };
        if !intro {
            doc.old_urls = old_urls(&doc, &rel, scheme);
        }
        tree.docs.push(doc);
    }
    for section in sections {
        let key = crate::config::built_in_type_for_section(&crate::urls::slugify(&section))
            .map_or_else(|| crate::urls::slugify(&section), str::to_string);
        let intro = tree.docs.iter().find(|d| d.dest == format!("{section}/_index.md"));
        let name = intro
            .and_then(|d| text_field(&d.parsed.fields, "title"))
            .map_or_else(|| display_name(&section), str::to_string);
        tree.types.insert(key, (name, Some(crate::urls::slugify(&section))));
    }
    if tree.docs.iter().any(|d| d.type_key.is_some()) {
        tree.types.insert("page".into(), ("Page".into(), None));
    }
}

/// A taxonomy folder's `_index.md`: the taxonomy's name (`topics/_index.md`) or a term's name
/// and description (`topics/open-data/_index.md`); its aliases cannot be kept.
fn term_page(tree: &mut Tree, path: &Path, src_rel: &str, field: &str, rel: &str) {
    let Some((parsed, _)) = read_doc(tree, path, src_rel) else {
        return;
    };
    let title = ["title", "display_name"]
        .iter()
        .find_map(|k| text_field(&parsed.fields, k))
        .unwrap_or("")
        .to_string();
    let parts: Vec<&str> = rel.split('/').collect();
    match parts.as_slice() {
        [_, "_index.md"] if !title.is_empty() => {
            tree.taxonomies.insert(field.to_string(), title);
        }
        [_, term, "_index.md"] => {
            let description = ["description", "summary", "deck"]
                .iter()
                .find_map(|k| text_field(&parsed.fields, k))
                .unwrap_or("")
                .to_string();
            let slug = [text_field(&parsed.fields, "slug").unwrap_or(""), term]
                .iter()
                .map(|s| crate::urls::slugify(s))
                .find(|s| !s.is_empty());
            if let Some(slug) = slug {
                let info = TermInfo {
                    name: title,
                    description,
                };
                tree.described.entry(field.to_string()).or_default().insert(slug, info);
            }
            if let Some(Value::Array(aliases)) = parsed.fields.get("aliases") {
                tree.attention.push(Attention {
                    file: src_rel.to_string(),
                    line: 1,
                    message: format!(
                        "{} old addresses of this term page cannot redirect (casebook redirects resource pages only)",
                        aliases.len()
                    ),
                    help: "redirect them on the web server, or leave them to 404".into(),
                });
            }
        }
        _ => {}
    }
}

/// Whether a file starts with a frontmatter fence.
fn has_frontmatter(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .is_ok_and(|t| matches!(t.trim_start().lines().next().map(str::trim_end), Some("---" | "+++")))
}

/// The names a `ref`/`relref` may give a file: its path with and without extension, its
/// bundle folder, and its file name.
fn link_keys(rel: &str) -> Vec<String> {
    let mut keys = vec![rel.to_string()];
    let stem = rel.trim_end_matches(".md").trim_end_matches(".markdown");
    keys.push(stem.to_string());
    for bundle in [stem.strip_suffix("/index"), stem.strip_suffix("/_index")]
        .into_iter()
        .flatten()
    {
        keys.push(bundle.to_string());
        keys.push(format!("{bundle}/"));
    }
    // Hugo also finds a page by its file name, with or without extension, or its bundle's name.
    let name = rel.rsplit('/').next().unwrap_or(rel);
    keys.push(name.to_string());
    let bundle_name = stem.strip_suffix("/index").and_then(|b| b.rsplit('/').next());
    let logical = bundle_name.unwrap_or_else(|| stem.rsplit('/').next().unwrap_or(stem));
    keys.push(logical.to_string());
    keys.dedup();
    keys
}

/// The URLs Hugo served the page at: `url:`, else its section's permalink pattern, else its
/// path; then each of its `aliases:`.
fn old_urls(doc: &Doc, rel: &str, scheme: &Scheme) -> Vec<String> {
    let fields = &doc.parsed.fields;
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = file.trim_end_matches(".md").trim_end_matches(".markdown");
    let (dir, stem) = if stem == "index" {
        dir.rsplit_once('/').unwrap_or(("", dir))
    } else {
        (dir, stem)
    };
    let slug = text_field(fields, "slug").map(str::to_string);
    let section = rel.split_once('/').map_or("", |(t, _)| t);
    let own = if let Some(url) = text_field(fields, "url") {
        url.trim_start_matches('/').to_string()
    } else if let Some((_, pattern)) = scheme.permalinks.iter().find(|(s, _)| s == section) {
        expand(pattern, fields, section, dir, stem, slug.as_deref())
    } else {
        let name = slug.unwrap_or_else(|| stem.to_string());
        let dir = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let url = if scheme.ugly {
            format!("{dir}{name}.html")
        } else {
            format!("{dir}{name}/")
        };
        url.to_lowercase().replace(' ', "-")
    };
    let mut urls = vec![own.clone()];
    if let Some(Value::Array(aliases)) = fields.get("aliases") {
        let base = own.rsplit_once('/').map_or("", |(d, _)| d).trim_end_matches('/');
        for alias in aliases.iter().filter_map(Value::as_str) {
            let alias = alias.split('#').next().unwrap_or("");
            let alias = match alias.strip_prefix('/') {
                Some(root) => root.to_string(),
                None => format!("{}/{alias}", base.rsplit_once('/').map_or("", |(d, _)| d))
                    .trim_start_matches('/')
                    .to_string(),
            };
            urls.push(alias);
        }
    }
    urls
}

/// Expands a permalink pattern (`:year/:month/:slug/`).
fn expand(pattern: &str, fields: &super::Fields, section: &str, dir: &str, stem: &str, slug: Option<&str>) -> String {
    let date = text_field(fields, "date").unwrap_or("");
    let part = |range: std::ops::Range<usize>| date.get(range).unwrap_or("").to_string();
    let title = crate::urls::slugify(text_field(fields, "title").unwrap_or(stem));
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let token_len = rest[at + 1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .unwrap_or(rest.len() - at - 1);
        let token = &rest[at + 1..at + 1 + token_len];
        let value = match token {
            "year" => part(0..4),
            "month" => part(5..7),
            "day" => part(8..10),
            "section" => section.to_string(),
            "sections" => dir.to_string(),
            "title" => title.clone(),
            "slug" => slug.map_or_else(|| title.clone(), str::to_string),
            "filename" | "contentbasename" => stem.to_string(),
            "slugorfilename" | "slugorcontentbasename" => slug.unwrap_or(stem).to_string(),
            other => format!(":{other}"),
        };
        out.push_str(&value);
        rest = &rest[at + 1 + token_len..];
    }
    out.push_str(rest);
    out.trim_start_matches('/').to_lowercase()
}

/// A base URL ending in `/` (casebook's default `/` when the tree gives none).
pub(super) fn with_slash(url: &str) -> String {
    match url.trim() {
        "" => "/".into(),
        u if u.ends_with('/') => u.to_string(),
        u => format!("{u}/"),
    }
}
