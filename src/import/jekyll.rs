//! Reading a Jekyll tree: `_config.yml` (title, url and baseurl, `permalink`, `collections`,
//! `exclude`), `_posts/` (the date and name from each file name, categories from the folders
//! above it), each collection's `_<name>/` folder as a type, pages anywhere else, and every
//! file without frontmatter as a static file. Each document's old URL comes from its own
//! `permalink:`, else its collection's or the site's pattern, plus its `redirect_from:`.

use super::{display_name, files_under, read_doc, text_field, Doc, Tree};
use anyhow::Context as _;
use serde_json::{Map, Value};
use std::path::Path;

/// What Jekyll leaves out of every site, besides `_` and `.` names.
const ALWAYS_EXCLUDED: &[&str] = &[
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor",
    "gemfiles",
    "package.json",
    "package-lock.json",
];

/// Reads the Jekyll tree at `src`.
pub(super) fn read(src: &Path) -> anyhow::Result<Tree> {
    let path = ["_config.yml", "_config.yaml"]
        .iter()
        .map(|n| src.join(n))
        .find(|p| p.is_file())
        .with_context(|| format!("{} has no _config.yml: is it a Jekyll site?", src.display()))?;
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let config: Map<String, Value> = serde_saphyr::from_str::<Option<Map<String, Value>>>(&text)
        .with_context(|| format!("{} does not parse", path.display()))?
        .unwrap_or_default();
    let get = |key: &str| config.get(key).and_then(Value::as_str).unwrap_or("").trim().to_string();
    let mut tree = Tree {
        title: get("title"),
        description: get("description"),
        base_url: super::hugo::with_slash(&format!("{}{}", get("url").trim_end_matches('/'), get("baseurl"))),
        language: Some(get("lang"))
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| "en".into()),
        ..Tree::default()
    };
    let site = Scheme::of(&config);
    read_files(src, &site, &mut tree);
    for field in ["tags", "categories"] {
        if tree.docs.iter().any(|d| d.parsed.fields.contains_key(field)) {
            tree.taxonomies.insert(field.to_string(), display_name(field));
        }
    }
    Ok(tree)
}

/// How the old site made URLs, and what it read.
struct Scheme {
    /// The site's `permalink` pattern for posts.
    posts: String,
    /// Whether pages end in `/` (`permalink: pretty`) rather than `.html`.
    pretty: bool,
    /// Collections: name, whether published, permalink pattern.
    collections: Vec<(String, bool, String)>,
    exclude: Vec<String>,
}

impl Scheme {
    fn of(config: &Map<String, Value>) -> Scheme {
        let style = config.get("permalink").and_then(Value::as_str).unwrap_or("date");
        let posts = match style {
            "date" => "/:categories/:year/:month/:day/:title:output_ext",
            "pretty" => "/:categories/:year/:month/:day/:title/",
            "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
            "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
            "none" => "/:categories/:title:output_ext",
            custom => custom,
        };
        let collections = match config.get("collections") {
            Some(Value::Object(map)) => map
                .iter()
                .filter(|(name, _)| name.as_str() != "posts")
                .map(|(name, c)| {
                    let output = c.get("output").and_then(Value::as_bool).unwrap_or(false);
                    let pattern = c
                        .get("permalink")
                        .and_then(Value::as_str)
                        .unwrap_or("/:collection/:path:output_ext");
                    (name.clone(), output, pattern.to_string())
                })
                .collect(),
            Some(Value::Array(names)) => names
                .iter()
                .filter_map(Value::as_str)
                .map(|n| (n.to_string(), false, String::new()))
                .collect(),
            _ => Vec::new(),
        };
        let exclude = match config.get("exclude") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(|s| s.trim_matches('/').to_string())
                .collect(),
            _ => Vec::new(),
        };
        Scheme {
            posts: posts.to_string(),
            pretty: style == "pretty" || posts.ends_with('/'),
            collections,
            exclude,
        }
    }

    fn excluded(&self, rel: &str) -> bool {
        let first = rel.split('/').next().unwrap_or(rel);
        ALWAYS_EXCLUDED.contains(&first)
            || self
                .exclude
                .iter()
                .any(|e| rel == e || rel.starts_with(&format!("{e}/")) || glob_name(e, first))
    }
}

/// A `*`-pattern of `exclude:` matched against a name (`*.gemspec`).
fn glob_name(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        Some((start, end)) => name.len() >= start.len() + end.len() && name.starts_with(start) && name.ends_with(end),
        None => false,
    }
}

/// What a file of the tree is.
enum Role<'a> {
    Post {
        categories: Vec<String>,
    },
    Collection {
        name: &'a str,
        published: bool,
        pattern: &'a str,
    },
    Draft,
    Page,
    Ignored,
}

fn role<'a>(rel: &str, site: &'a Scheme) -> Role<'a> {
    let parts: Vec<&str> = rel.split('/').collect();
    if let Some(at) = parts.iter().position(|p| *p == "_posts") {
        let categories = parts[..at].iter().map(|c| (*c).to_string()).collect();
        return Role::Post { categories };
    }
    if parts[0] == "_drafts" {
        return Role::Draft;
    }
    if let Some((name, published, pattern)) = site.collections.iter().find(|(n, _, _)| parts[0] == format!("_{n}")) {
        return Role::Collection {
            name,
            published: *published,
            pattern,
        };
    }
    let hidden = parts.iter().any(|p| p.starts_with('_') || p.starts_with('.'));
    if hidden || site.excluded(rel) {
        return Role::Ignored;
    }
    Role::Page
}

fn read_files(src: &Path, site: &Scheme, tree: &mut Tree) {
    let mut post_names: Vec<String> = Vec::new();
    let mut used_types: Vec<(String, String, Option<String>)> = Vec::new();
    for (path, rel) in files_under(src) {
        let role = role(&rel, site);
        if matches!(role, Role::Ignored) {
            continue;
        }
        let markdown = rel.ends_with(".md") || rel.ends_with(".markdown");
        if !starts_with_frontmatter(&path) {
            if matches!(role, Role::Page) {
                tree.copies.push((path, format!("static/{rel}")));
            }
            continue;
        }
        let reason = match &role {
            Role::Draft => Some("a draft (`_drafts/`)".to_string()),
            Role::Collection {
                published: false, name, ..
            } => Some(format!("the collection `{name}` is not published (`output: false`)")),
            _ if !markdown => Some("a page or layout that is not markdown (casebook pages are markdown)".to_string()),
            _ => None,
        };
        if let Some(reason) = reason {
            tree.unconverted.push((path, rel, 1, reason));
            continue;
        }
        let Some((mut parsed, format)) = read_doc(tree, &path, &rel) else {
            continue;
        };
        split_word_lists(&mut parsed.fields);
        let file = rel.rsplit('/').next().unwrap_or(&rel);
        let stem = file.trim_end_matches(".markdown").trim_end_matches(".md");
        let mut doc = Doc {
            src: rel.clone(),
            dest: String::new(),
            intro: false,
            parsed,
            format,
            old_urls: Vec::new(),
            type_key: None,
            date: None,
            link_keys: vec![rel.clone()],
            consumed: vec!["permalink", "redirect_from"],
        };
        let own = match &role {
            Role::Post { categories } => {
                let (date, title) = post_name(stem);
                doc.date = date.clone().filter(|_| !doc.parsed.fields.contains_key("date"));
                let name = if post_names.contains(&title) {
                    stem.to_string()
                } else {
                    title.clone()
                };
                post_names.push(name.clone());
                doc.dest = format!("posts/{name}.md");
                doc.link_keys.push(format!("post:{stem}"));
                if let Some(dir) = rel
                    .rsplit_once("/_posts/")
                    .map(|(_, r)| r.rsplit_once('/').map_or("", |(d, _)| d))
                {
                    doc.link_keys
                        .push(format!("post:{dir}/{stem}").replace("post:/", "post:"));
                }
                note_type(&mut used_types, "post", "Posts", Some("posts"));
                doc.type_key = Some("post".into());
                let mut categories = categories.clone();
                categories.extend(words(doc.parsed.fields.get("categories")));
                let date = text_field(&doc.parsed.fields, "date")
                    .map(str::to_string)
                    .or(date)
                    .unwrap_or_default();
                let slug = text_field(&doc.parsed.fields, "slug").map_or(title, str::to_string);
                expand(&site.posts, &date, &slug, &categories, stem, "posts")
            }
            Role::Collection { name, pattern, .. } => {
                let inner = rel.split_once('/').map_or(rel.as_str(), |(_, r)| r);
                let inner = inner
                    .strip_suffix(".markdown")
                    .map_or(inner.to_string(), |s| format!("{s}.md"));
                let section = crate::urls::slugify(name);
                doc.dest = format!("{section}/{inner}");
                note_type(&mut used_types, name, &display_name(name), Some(&section));
                doc.type_key = Some(crate::urls::slugify(name));
                let path = inner.trim_end_matches(".md");
                let date = text_field(&doc.parsed.fields, "date").unwrap_or("").to_string();
                let pattern = pattern.replace(":path", path).replace(":collection", name);
                expand(&pattern, &date, stem, &[], stem, name)
            }
            _ => {
                let dest = rel.strip_suffix(".markdown").map_or(rel.clone(), |s| format!("{s}.md"));
                if dest == "index.md" {
                    doc.dest = "_index.md".into();
                    doc.intro = true;
                } else {
                    doc.dest = dest;
                    doc.type_key = Some("page".into());
                    note_type(&mut used_types, "page", "Pages", None);
                }
                page_url(&rel, site.pretty)
            }
        };
        doc.old_urls = old_urls(&doc, own);
        tree.docs.push(doc);
    }
    for (key, name, section) in used_types {
        tree.types.insert(crate::urls::slugify(&key), (name, section));
    }
}

fn note_type(types: &mut Vec<(String, String, Option<String>)>, key: &str, name: &str, section: Option<&str>) {
    if !types.iter().any(|(k, _, _)| k == key) {
        types.push((key.to_string(), name.to_string(), section.map(str::to_string)));
    }
}

/// The page's own `permalink:` else `own`, then each `redirect_from:`.
fn old_urls(doc: &Doc, own: String) -> Vec<String> {
    let fields = &doc.parsed.fields;
    let own = text_field(fields, "permalink").map_or(own, |p| p.trim_start_matches('/').to_string());
    let mut urls = vec![own];
    match fields.get("redirect_from") {
        Some(Value::String(one)) => urls.push(one.trim_start_matches('/').to_string()),
        Some(Value::Array(many)) => urls.extend(
            many.iter()
                .filter_map(Value::as_str)
                .map(|u| u.trim_start_matches('/').to_string()),
        ),
        _ => {}
    }
    urls
}

/// A page's URL: `about.md` → `about.html` (or `about/` when pretty), `x/index.md` → `x/`.
fn page_url(rel: &str, pretty: bool) -> String {
    let stem = rel.trim_end_matches(".markdown").trim_end_matches(".md");
    if stem == "index" {
        return String::new();
    }
    if let Some(dir) = stem.strip_suffix("/index") {
        return format!("{dir}/");
    }
    if pretty {
        format!("{stem}/")
    } else {
        format!("{stem}.html")
    }
}

/// A post's date and name from its file name: `2014-03-12-coming-soon` → (2014-03-12,
/// coming-soon). Also how an untitled page of either flavour is named from its file.
pub(super) fn post_name(stem: &str) -> (Option<String>, String) {
    let bytes = stem.as_bytes();
    let dated = stem.len() > 11
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes[10] == b'-'
        && stem.as_bytes()[..10].iter().filter(|b| b.is_ascii_digit()).count() == 8;
    match (stem.get(..10), stem.get(11..)) {
        (Some(date), Some(name)) if dated => (Some(date.to_string()), name.to_string()),
        _ => (None, stem.to_string()),
    }
}

/// Expands a Jekyll permalink pattern.
fn expand(pattern: &str, date: &str, title: &str, categories: &[String], name: &str, collection: &str) -> String {
    let part = |range: std::ops::Range<usize>| date.get(range).unwrap_or("").to_string();
    let categories: Vec<String> = categories.iter().map(|c| crate::urls::slugify(c)).collect();
    let mut out = pattern.to_string();
    // Longest tokens first, so `:title` is not read as `:t` + `itle`.
    for (token, value) in [
        (":categories", categories.join("/")),
        (":output_ext", ".html".to_string()),
        (":collection", collection.to_string()),
        (":short_year", part(2..4)),
        (":i_month", part(5..7).trim_start_matches('0').to_string()),
        (":i_day", part(8..10).trim_start_matches('0').to_string()),
        (":title", title.to_string()),
        (":slug", crate::urls::slugify(title)),
        (":name", crate::urls::slugify(name)),
        (":year", part(0..4)),
        (":month", part(5..7)),
        (":day", part(8..10)),
    ] {
        out = out.replace(token, &value);
    }
    while out.contains("//") {
        out = out.replace("//", "/");
    }
    let out = out.trim_start_matches('/');
    out.strip_suffix("index.html").unwrap_or(out).to_string()
}

/// Jekyll reads `tags: a b` and `categories: a b` as lists of words.
fn split_word_lists(fields: &mut super::Fields) {
    for field in ["tags", "categories"] {
        if let Some(Value::String(text)) = fields.get(field) {
            let words: Vec<Value> = text.split_whitespace().map(|w| Value::String(w.to_string())).collect();
            fields.insert(field.to_string(), Value::Array(words));
        }
    }
}

fn words(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

/// Whether a file begins with `---` (Jekyll converts only such files).
fn starts_with_frontmatter(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = [0u8; 8];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let head = &head[..n];
    let head = head.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(head);
    head.starts_with(b"---\n") || head.starts_with(b"---\r")
}

#[cfg(test)]
mod tests {
    #[test]
    fn post_names_split_into_date_and_name_and_never_panic() {
        assert_eq!(
            super::post_name("2014-03-12-hello"),
            (Some("2014-03-12".into()), "hello".into())
        );
        assert_eq!(super::post_name("2014-03-1é-x"), (None, "2014-03-1é-x".into()));
        assert_eq!(super::post_name("notes"), (None, "notes".into()));
    }

    #[test]
    fn frontmatter_after_a_byte_order_mark_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "\u{feff}---\ntitle: A\n---\n").unwrap();
        assert!(super::starts_with_frontmatter(&path));
        std::fs::write(&path, "no frontmatter").unwrap();
        assert!(!super::starts_with_frontmatter(&path));
    }
}
