//! The site map: every place a link written in the content can point to (content path →
//! output path), built from the read [`Content`] and the `static/` files before any markdown
//! is rendered. Resolving a link against it tells the markdown renderer, `check` and the
//! attachment check alike whether the target exists and where its copy is written.

use super::Content;
use crate::urls;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// Every place a markdown link can point to inside the site.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SiteMap {
    /// Content path (`toolkits/x.md`, `toolkits/x/diagram.png`, `toolkits`) -> output path.
    by_content_path: HashMap<String, String>,
    /// Output paths of everything written (pages, assets, static files), for `/absolute` links.
    outputs: HashSet<String>,
}

/// What became of one link.
#[derive(Debug, PartialEq, Eq)]
pub enum LinkOutcome {
    /// Left as written (external, in-page anchor, mail...).
    Unchanged,
    /// Rewritten to this relative href.
    Rewritten(String),
    /// Points nowhere, or somewhere refused (`javascript:`): the message says why.
    Broken(String),
}

impl SiteMap {
    /// Every content path and output path a link in `content` may name: resource pages,
    /// section pages (by folder and by `_index.md`), assets and the files of `static/`.
    pub fn of(content: &Content, static_files: &[(String, PathBuf)]) -> SiteMap {
        let mut map = SiteMap::default();
        for r in &content.resources {
            map.add(&r.content_path, &urls::page_file(&r.url));
        }
        for s in &content.sections {
            let page = urls::page_file(&s.url);
            let intro = if s.dir.is_empty() {
                "_index.md".to_string()
            } else {
                format!("{}/_index.md", s.dir)
            };
            map.add(&intro, &page);
            map.add(&s.dir, &page);
        }
        for r in &content.resources {
            map.add(&r.section, &urls::page_file(&urls::dir_url(&r.section)));
        }
        for a in &content.assets {
            map.add(&a.content_path, &a.output);
        }
        for (path, _) in static_files {
            map.add_output(path);
        }
        map
    }

    /// Registers a content file (or section folder) and where it is written.
    pub fn add(&mut self, content_path: &str, output_path: &str) {
        self.by_content_path
            .insert(content_path.to_string(), output_path.to_string());
        self.outputs.insert(output_path.to_string());
    }

    /// Forgets a content file registered with [`SiteMap::add`] and its output path, which no
    /// other path may name (a resource's page: `serve`, after its file was removed).
    pub fn remove(&mut self, content_path: &str) {
        if let Some(output) = self.by_content_path.remove(content_path) {
            self.outputs.remove(&output);
        }
    }

    /// Registers an output file that has no content path (a `static/` file).
    pub fn add_output(&mut self, output_path: &str) {
        self.outputs.insert(output_path.to_string());
    }

    /// The output path of a content file, if it is part of the site.
    pub fn output_of(&self, content_path: &str) -> Option<&str> {
        self.by_content_path.get(content_path).map(String::as_str)
    }

    /// Whether `href`, from `dir` and `from_url`, resolves against `other` as against this
    /// map (`serve`: whether a text's link changes when a file appears or goes).
    pub fn resolves_alike(&self, other: &SiteMap, dir: &str, from_url: &str, href: &str) -> bool {
        self.resolve(dir, from_url, href) == other.resolve(dir, from_url, href)
    }

    /// Resolves `href`, written in a file in content folder `dir`, for the page at `from_url`.
    pub fn resolve(&self, dir: &str, from_url: &str, href: &str) -> LinkOutcome {
        match urls::link_kind(href) {
            urls::LinkKind::External => return LinkOutcome::Unchanged,
            urls::LinkKind::Refused(message) => return LinkOutcome::Broken(message),
            urls::LinkKind::Local if href.is_empty() || href.starts_with('#') => return LinkOutcome::Unchanged,
            urls::LinkKind::Local => {}
        }
        let cut = href.find(['#', '?']).unwrap_or(href.len());
        let (path, suffix) = href.split_at(cut);
        let decoded = urls::percent_decode(path).unwrap_or_else(|| path.to_string());
        let target = if let Some(absolute) = decoded.strip_prefix('/') {
            self.absolute(absolute)
        } else {
            match urls::resolve(dir, &decoded) {
                Some(content_path) => self.by_content_path.get(content_path.trim_end_matches('/')).cloned(),
                None => return LinkOutcome::Broken(format!("link `{href}` leaves the site")),
            }
        };
        match target {
            Some(output) => LinkOutcome::Rewritten(format!("{}{suffix}", urls::relative(from_url, &output))),
            None => LinkOutcome::Broken(format!("link target `{path}` does not exist")),
        }
    }

    /// `/x/y` is an output path (a static file, a page url) or a content path.
    fn absolute(&self, path: &str) -> Option<String> {
        let path = path.trim_end_matches('/');
        if self.outputs.contains(path) {
            return Some(path.to_string());
        }
        let page = urls::page_file(&format!("{path}/"));
        if self.outputs.contains(&page) {
            return Some(page);
        }
        self.by_content_path.get(path).cloned()
    }
}

/// The output path of `file`, named relative to the content folder `dir` (an attachment or
/// image), when it is a file of the site; `/x` names an output path from the site root.
pub fn output_of_file(site: &SiteMap, dir: &str, file: &str) -> Option<String> {
    let file = file.split(['#', '?']).next().unwrap_or(file);
    let decoded = urls::percent_decode(file).unwrap_or_else(|| file.to_string());
    match decoded.strip_prefix('/') {
        Some(absolute) => site.absolute(absolute),
        None => site.output_of(&urls::resolve(dir, &decoded)?).map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> SiteMap {
        let mut m = SiteMap::default();
        m.add("toolkits/x.md", "toolkits/x/index.html");
        m.add("case-studies/a/index.md", "case-studies/a/index.html");
        m.add("case-studies/a/pic.png", "case-studies/a/pic.png");
        m.add("toolkits", "toolkits/index.html");
        m.add_output("css/site.css");
        m
    }

    #[test]
    fn markdown_links_become_page_links() {
        let m = map();
        let out = m.resolve("case-studies/a", "case-studies/a/", "../../toolkits/x.md#step-2");
        assert_eq!(out, LinkOutcome::Rewritten("../../toolkits/x/index.html#step-2".into()));
        assert_eq!(
            m.resolve("case-studies/a", "case-studies/a/", "pic.png"),
            LinkOutcome::Rewritten("pic.png".into())
        );
        assert_eq!(
            m.resolve("case-studies", "case-studies/b/", "../toolkits/"),
            LinkOutcome::Rewritten("../../toolkits/index.html".into())
        );
        assert_eq!(
            m.resolve("", "", "/css/site.css"),
            LinkOutcome::Rewritten("css/site.css".into())
        );
    }

    #[test]
    fn external_and_broken_links() {
        let m = map();
        assert_eq!(m.resolve("a", "a/", "https://example.org/x.md"), LinkOutcome::Unchanged);
        assert_eq!(m.resolve("a", "a/", "mailto:x@example.org"), LinkOutcome::Unchanged);
        assert!(matches!(m.resolve("a", "a/", "missing.md"), LinkOutcome::Broken(_)));
        assert!(matches!(
            m.resolve("a", "a/", "javascript:alert(1)"),
            LinkOutcome::Broken(_)
        ));
        assert!(matches!(
            m.resolve("a", "a/", "//example.org/x"),
            LinkOutcome::Broken(_)
        ));
        assert!(matches!(
            m.resolve("a", "a/", "../../../etc/passwd"),
            LinkOutcome::Broken(_)
        ));
    }
}
