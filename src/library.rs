//! The library as readers navigate it: sections (one per folder), taxonomy terms with their
//! resources, newest-first orderings. Built once from the validated content; pure data.

use crate::config::Config;
use crate::content::{Content, Resource};
use crate::urls;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// A folder of content with its own listing page.
#[derive(Debug, Clone)]
pub struct Section {
    /// Content folder (`case-studies`; `` for the home page).
    pub dir: String,
    /// Output url (`case-studies/`).
    pub url: String,
    /// Display title.
    pub title: String,
    /// One-sentence description.
    pub description: String,
    /// Index into `Content::sections` of its `_index.md`, if any.
    pub intro: Option<usize>,
    /// Resources directly in it, newest first.
    pub resources: Vec<usize>,
    /// Child folders, sorted.
    pub subsections: Vec<String>,
}

/// One term of a taxonomy with the resources that carry it.
#[derive(Debug, Clone)]
pub struct TermIndex {
    /// Slug from the config.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Description from the config.
    pub description: String,
    /// Resources tagged with it, newest first.
    pub resources: Vec<usize>,
}

/// A taxonomy with its terms in config order.
#[derive(Debug, Clone)]
pub struct TaxonomyIndex {
    /// Key (`enablers`), also its url folder.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Terms in config order.
    pub terms: Vec<TermIndex>,
}

/// Sections and taxonomies over a set of resources (referred to by index).
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// Sections by content folder.
    pub sections: BTreeMap<String, Section>,
    /// Taxonomies in config order.
    pub taxonomies: Vec<TaxonomyIndex>,
    /// All resources, newest first.
    pub newest_first: Vec<usize>,
}

/// Newest first; undated last; then by title and url so ties are stable.
pub fn newest_first(a: &Resource, b: &Resource) -> Ordering {
    b.date
        .map(|d| d.day)
        .cmp(&a.date.map(|d| d.day))
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.url.cmp(&b.url))
}

impl Library {
    /// Groups `content` into sections and taxonomy terms.
    pub fn new(content: &Content, config: &Config) -> Library {
        let resources = &content.resources;
        let mut newest: Vec<usize> = (0..resources.len()).collect();
        newest.sort_by(|&a, &b| newest_first(&resources[a], &resources[b]));
        let mut library = Library {
            newest_first: newest,
            ..Library::default()
        };
        library.build_sections(content, config);
        library.build_taxonomies(resources, config);
        library
    }

    fn build_sections(&mut self, content: &Content, config: &Config) {
        let mut dirs: Vec<String> = content.resources.iter().map(|r| r.section.clone()).collect();
        dirs.extend(content.sections.iter().map(|s| s.dir.clone()));
        dirs.push(String::new());
        for dir in dirs {
            for ancestor in ancestors(&dir) {
                self.sections.entry(ancestor.clone()).or_insert_with(|| Section {
                    url: urls::dir_url(&ancestor),
                    title: default_title(&ancestor, config),
                    dir: ancestor,
                    description: String::new(),
                    intro: None,
                    resources: Vec::new(),
                    subsections: Vec::new(),
                });
            }
        }
        for (i, intro) in content.sections.iter().enumerate() {
            let section = self
                .sections
                .get_mut(&intro.dir)
                .expect("every intro's folder is a section");
            section.intro = Some(i);
            if let Some(title) = &intro.title {
                section.title = title.clone();
            }
            section.description = intro.description.clone();
        }
        for &i in &self.newest_first {
            let dir = &content.resources[i].section;
            self.sections
                .get_mut(dir)
                .expect("every resource's folder is a section")
                .resources
                .push(i);
        }
        let children: Vec<(String, String)> = self
            .sections
            .keys()
            .filter(|d| !d.is_empty())
            .map(|d| (parent(d).to_string(), d.clone()))
            .collect();
        for (parent, child) in children {
            if let Some(p) = self.sections.get_mut(&parent) {
                p.subsections.push(child);
            }
        }
    }

    fn build_taxonomies(&mut self, resources: &[Resource], config: &Config) {
        for (key, taxonomy) in &config.taxonomies {
            let terms = taxonomy
                .terms
                .iter()
                .map(|term| TermIndex {
                    slug: term.slug.clone(),
                    name: term.name.clone(),
                    description: term.description.clone(),
                    resources: self
                        .newest_first
                        .iter()
                        .copied()
                        .filter(|&i| resources[i].terms[key].contains(&term.slug))
                        .collect(),
                })
                .collect();
            self.taxonomies.push(TaxonomyIndex {
                key: key.clone(),
                name: taxonomy.name.clone(),
                terms,
            });
        }
    }

    /// The top-level sections (children of the home page), sorted.
    pub fn top_sections(&self) -> impl Iterator<Item = &Section> {
        self.sections
            .values()
            .filter(|s| !s.dir.is_empty() && !s.dir.contains('/'))
    }
}

fn ancestors(dir: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut path = String::new();
    for part in dir.split('/').filter(|p| !p.is_empty()) {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(part);
        out.push(path.clone());
    }
    out
}

fn parent(dir: &str) -> &str {
    dir.rsplit_once('/').map_or("", |(p, _)| p)
}

/// A type's plural name for its section folder, else the folder name in words.
fn default_title(dir: &str, config: &Config) -> String {
    if let Some(kind) = config.type_for_section(dir) {
        return config.types[kind].plural.clone();
    }
    let name = dir.rsplit('/').next().unwrap_or(dir).replace(['-', '_'], " ");
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => config.title.clone(),
    }
}
