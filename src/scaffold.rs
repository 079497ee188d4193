//! New files for editors and new sites for academies: `casebook new` and `casebook init`.
//! Pure functions that say what to write; the CLI writes it (refusing to overwrite).

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
    text.push_str("---\n\n## Background\n\n## What we did\n\n## What we learned\n");
    Ok(NewFile {
        path: format!("content/{section}/{slug}.md"),
        contents: text.into_bytes(),
    })
}

fn section_type<'a>(config: &'a Config, section: &str) -> Option<&'a str> {
    config.type_for_section(section)
}

fn required_line(config: &Config, field: &str, today: &str) -> String {
    if let Some(taxonomy) = config.taxonomies.get(field) {
        let slugs: Vec<&str> = taxonomy.terms.iter().map(|t| t.slug.as_str()).collect();
        return format!("{field}: []  # one or more of: {}\n", slugs.join(", "));
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

/// The files of a new site titled `title`: config, a home introduction, two example
/// resources, and a copy of the default theme's templates and static files to adapt.
pub fn new_site(title: &str) -> Vec<NewFile> {
    let mut files = vec![
        NewFile::text("casebook.yaml", INIT_CONFIG.replace("{title}", &yaml_string(title))),
        NewFile::text("content/_index.md", INIT_HOME.replace("{title}", &yaml_string(title))),
        NewFile::text("content/case-studies/first-case-study.md", INIT_CASE_STUDY.into()),
        NewFile::text("content/toolkits/first-toolkit.md", INIT_TOOLKIT.into()),
        NewFile::text(".gitignore", "public/\n.public.casebook-*\n".into()),
    ];
    let theme = crate::render::theme::default_theme_files();
    files.extend(theme.into_iter().map(|(path, contents)| NewFile {
        path: format!("themes/default/{path}"),
        contents,
    }));
    files
}

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
