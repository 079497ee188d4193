//! New files for editors and new sites for academies: `casebook new`, `casebook init` (and its
//! CI workflow) and `casebook theme eject`. Pure functions that say what to write; the CLI
//! writes it (refusing to overwrite).
//!
//! A new site gets no copy of the theme: copied templates and scripts silently go stale when
//! casebook is upgraded, so a site overrides templates one at a time ([`eject_template`]).

use crate::config::Config;
use crate::urls;

/// A file to create: path relative to the site root, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    /// Path relative to the site root.
    pub path: String,
    /// Contents.
    pub contents: Vec<u8>,
}

impl NewFile {
    fn text(path: &str, text: String) -> NewFile {
        NewFile {
            path: path.to_string(),
            contents: text.into_bytes(),
        }
    }
}

/// A new resource of type `kind` titled `title`, with every field its type requires, dated
/// `today` (`YYYY-MM-DD`). `Err` names the valid types when `kind` is not one.
pub fn new_resource(config: &Config, kind: &str, title: &str, today: &str) -> Result<NewFile, String> {
    let Some(def) = config.types.get(kind) else {
        let types: Vec<&str> = config.types.keys().map(String::as_str).collect();
        return Err(format!(
            "`{kind}` is not a resource type of this site; {}",
            crate::diagnostics::suggestion(kind, &types)
        ));
    };
    let slug = urls::slugify(title);
    if slug.is_empty() {
        return Err("the title needs at least one letter or digit to make a file name from".into());
    }
    let section = def.section.clone().unwrap_or_else(|| urls::slugify(&def.plural));
    let mut text = format!(
        "---\ntitle: {}\nsummary: \"\"  # one or two sentences for listings and search\n",
        yaml_string(title)
    );
    if section_type(config, &section) != Some(kind) {
        text.push_str(&format!("type: {kind}\n"));
    }
    for field in &def.required {
        text.push_str(&required_line(config, field, today));
    }
    for (key, taxonomy) in config.taxonomies.iter().filter(|(key, _)| !def.required.contains(key)) {
        text.push_str(&format!("# {key}: []  # optional; {}\n", term_list(taxonomy)));
    }
    text.push_str("---\n");
    text.push_str(outline(kind));
    Ok(NewFile {
        path: format!("content/{section}/{slug}.md"),
        contents: text.into_bytes(),
    })
}

/// A new translation into language `lang` titled `title`: beside the original `of` (a path
/// from the site root, `content/case-studies/x.md` -> `content/case-studies/x.cy.md`), or,
/// without one, named from the title in the section of type `kind` (its original, of the same
/// name without `.<lang>`, is then still to be written: `check` says so until it is). Only
/// the title and summary are asked for: the rest is the original's unless given.
pub fn new_translation(
    config: &Config,
    kind: &str,
    title: &str,
    lang: &str,
    of: Option<&str>,
) -> Result<NewFile, String> {
    if !config.languages.contains_key(lang) {
        let codes: Vec<&str> = config.languages.keys().map(String::as_str).collect();
        return Err(if codes.is_empty() {
            format!(
                "this site has no other language: add `languages: {{ {lang}: {{ title: \"...\" }} }}` to casebook.yaml"
            )
        } else {
            format!(
                "`{lang}` is not one of the site's `languages:`; {}",
                crate::diagnostics::suggestion(lang, &codes)
            )
        });
    }
    let path = match of {
        Some(original) => {
            let stem = original
                .strip_suffix(".md")
                .filter(|_| original.starts_with("content/"))
                .ok_or_else(|| {
                    format!("`{original}` is not a markdown file under content/ (e.g. content/case-studies/x.md)")
                })?;
            format!("{stem}.{lang}.md")
        }
        None => {
            let original = new_resource(config, kind, title, "")?;
            let stem = original.path.strip_suffix(".md").unwrap_or(&original.path).to_string();
            format!("{stem}.{lang}.md")
        }
    };
    let text = format!(
        "---\ntitle: {}\nsummary: \"\"  # one or two sentences for listings and search\n# The date, terms, attachments and other fields are the original's unless given here.\n---\n\n",
        yaml_string(title)
    );
    Ok(NewFile {
        path,
        contents: text.into_bytes(),
    })
}

fn section_type<'a>(config: &'a Config, section: &str) -> Option<&'a str> {
    config.type_for_section(section)
}

/// The body a new resource of type `kind` starts from: headings that fit what it is (a
/// toolkit is steps, a case study a story), each with a line saying what goes there.
fn outline(kind: &str) -> &'static str {
    match kind {
        "case-study" => "\n## Background\n\nWhat was the problem, and who shared it?\n\n## What we did\n\nWho led, who joined in, what changed week by week.\n\n## What changed\n\nThe difference for patients, staff and partners, with numbers where you have them.\n\n## What we learned\n\nWhat would you tell a colleague starting the same journey?\n",
        "toolkit" => "\n## Who it is for\n\nThe teams and roles this toolkit helps.\n\n## Before you start\n\n- [ ] Who needs to be in the room\n\n## Steps\n\n1. First step\n2. Next step\n\n## Templates and further help\n\nAttach or link the documents a team needs.\n",
        "research" => "\n## The question\n\nWhat the study set out to find.\n\n## How it was done\n\nMethod, setting and who took part.\n\n## Findings\n\n## What it means for practice\n",
        "report" => "\n## Summary\n\nThe report in three sentences.\n\n## Findings\n\n## Recommendations\n",
        "guide" => "\n## Who this guide is for\n\n## Step by step\n\n1. First step\n\n## Where to find more\n",
        "publication" => "\n## About this publication\n\nWho published it, and for whom.\n\n## Key points\n\n- \n",
        "blog" => "\nStart with what happened, then say what you made of it.\n",
        _ => "\n## Summary\n\n## Details\n",
    }
}

/// `one or more of: a, b` for the terms of `taxonomy` (or that it has none yet).
fn term_list(taxonomy: &crate::config::Taxonomy) -> String {
    let slugs: Vec<&str> = taxonomy.terms.iter().map(|t| t.slug.as_str()).collect();
    if slugs.is_empty() {
        return "no terms are defined yet (casebook.yaml)".into();
    }
    format!("one or more of: {}", slugs.join(", "))
}

fn required_line(config: &Config, field: &str, today: &str) -> String {
    if let Some(taxonomy) = config.taxonomies.get(field) {
        return format!("{field}: []  # {}\n", term_list(taxonomy));
    }
    match field {
        "date" | "updated" => format!("{field}: {today}\n"),
        "authors" => format!("{field}: []\n"),
        _ => format!("{field}: \"\"\n"),
    }
}

fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}

/// Where `casebook init --ci github` writes its workflow.
pub const GITHUB_WORKFLOW: &str = ".github/workflows/casebook.yml";

/// The files of a new site titled `title`: config, a home introduction, two example
/// resources and a `.gitignore` — no theme: the built-in one is used until a template is
/// ejected. With `github_ci`, the GitHub Actions workflow at [`GITHUB_WORKFLOW`] too.
pub fn new_site(title: &str, github_ci: bool) -> Vec<NewFile> {
    let mut files = vec![
        NewFile::text("casebook.yaml", INIT_CONFIG.replace("{title}", &yaml_string(title))),
        NewFile::text("content/_index.md", INIT_HOME.replace("{title}", &yaml_string(title))),
        NewFile::text("content/case-studies/first-case-study.md", INIT_CASE_STUDY.into()),
        NewFile::text("content/toolkits/first-toolkit.md", INIT_TOOLKIT.into()),
        NewFile::text(".gitignore", "public/\n.public.casebook-*\n".into()),
    ];
    if github_ci {
        files.push(NewFile::text(GITHUB_WORKFLOW, GITHUB_WORKFLOW_TEXT.into()));
    }
    files
}

/// The built-in theme's template `name` (`resource.html`, `base.html`...), to be written to
/// the site's `templates/`, which overrides the theme file by file. `Err` names the closest
/// template when there is none.
pub fn eject_template(name: &str) -> Result<NewFile, String> {
    let name = name.trim_start_matches("templates/");
    let templates: Vec<(String, Vec<u8>)> = crate::render::theme::default_theme_files()
        .into_iter()
        .filter_map(|(path, bytes)| Some((path.strip_prefix("templates/")?.to_string(), bytes)))
        .collect();
    let names: Vec<&str> = templates.iter().map(|(n, _)| n.as_str()).collect();
    let Some((_, contents)) = templates.iter().find(|(n, _)| n == name) else {
        let help = crate::diagnostics::suggestion(name, &names);
        return Err(format!("the default theme has no template `{name}`; {help}"));
    };
    Ok(NewFile {
        path: format!("templates/{name}"),
        contents: contents.clone(),
    })
}

/// The workflow `init --ci github` writes: `casebook check --format github` on pull requests
/// (problems become annotations on the changed lines), and on the main branch a build
/// published with GitHub Pages. Casebook is installed with cargo from the repository named
/// in `CASEBOOK_GIT` (Rust is on GitHub's Ubuntu runners).
const GITHUB_WORKFLOW_TEXT: &str = r#"# Checks every pull request and publishes the main branch with GitHub Pages.
# Turn Pages on first: Settings -> Pages -> Source: GitHub Actions.
name: Casebook

on:
  pull_request:
  push:
    branches: [main]
  workflow_dispatch:

env:
  # Where casebook is installed from: replace with the Casebook repository your academy uses.
  CASEBOOK_GIT: https://github.com/YOUR-ORG/casebook

permissions:
  contents: read

jobs:
  check:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Install casebook
        run: cargo install --locked --git "$CASEBOOK_GIT" casebook
      - name: Check the library
        run: casebook check --format github

  build:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: pages
        uses: actions/configure-pages@v5
      - name: Install casebook
        run: cargo install --locked --git "$CASEBOOK_GIT" casebook
      - name: Build the site
        run: casebook build --quiet --base-url "${{ steps.pages.outputs.base_url }}"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: public

  deploy:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"#;

const INIT_CONFIG: &str = r#"title: {title}
description: "Case studies, research and toolkits for leading across boundaries."
base_url: "https://example.org/"
language: en-GB
theme: default
taxonomies:
  enablers:
    name: Enablers
    terms:
      - slug: shared-purpose
        name: Shared purpose
        description: "Partners agree the outcome they most want to change."
      - slug: relationships-and-trust
        name: Relationships and trust
        description: "Time spent knowing colleagues in other organisations."
  settings:
    name: Care settings
    terms:
      - { slug: general-practice, name: General practice }
      - { slug: community-pharmacy, name: Community pharmacy }
frontmatter:
  unknown_fields: error
"#;

const INIT_HOME: &str = r#"---
title: {title}
description: "Our leadership resource library."
---
Welcome. Browse the [case studies](case-studies/) or start from an enabler.
"#;

const INIT_CASE_STUDY: &str = r#"---
title: "Our first case study"
summary: "Replace this with one or two sentences about what changed and why it matters."
date: 2024-01-15
enablers: [shared-purpose]
settings: [general-practice]
organisation: "Example Primary Care Network"
---
## Background

What was the problem, and who shared it?

## What we did

See the [first toolkit](../toolkits/first-toolkit.md) for the steps we followed.

## What we learned

What would you tell a colleague starting the same journey?
"#;

const INIT_TOOLKIT: &str = r#"---
title: "Our first toolkit"
summary: "Practical steps a team can follow."
enablers: [relationships-and-trust]
settings: [community-pharmacy]
---
## Steps

- [ ] Agree who needs to be in the room
- [ ] Agree the outcome you want to change
- [ ] Meet again in four weeks
"#;
