//! What an import did and what it left for a person: counts, the mechanical repairs by kind,
//! the choices written into `casebook.yaml`, and every `file:line` that needs a person. Written
//! as `import-report.md` in DEST and printed as JSON by `casebook import --format json`.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A mechanical repair: something the old generator tolerated or meant, rewritten the way
/// casebook reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Repair {
    /// Blank lines before the opening `---` removed.
    LeadingBlankLines,
    /// A key given twice: the last value kept, as Hugo does.
    DuplicateKey,
    /// The lines of a quoted text that continue at the first column indented (Hugo's and
    /// Jekyll's YAML parsers read them; YAML says continuation lines are indented).
    QuotedTextIndent,
    /// TOML (`+++`) frontmatter written as YAML.
    TomlFrontmatter,
    /// JSON frontmatter written as YAML.
    JsonFrontmatter,
    /// A `slug:` with `/` (or other characters a slug cannot hold) slugified.
    Slug,
    /// A term written as a name (`Open Data`) replaced by its slug (`open-data`).
    TermSpelling,
    /// A Jekyll post's date taken from its file name.
    DateFromFileName,
    /// A date written in words (`August 13, 2020`) written as `2020-08-13`.
    DateInWords,
    /// A page without `title:` titled by its `name:` (Jekyll's author pages).
    TitleFromName,
    /// A page without `title:` titled by the `# heading` its body opens with.
    TitleFromHeading,
    /// A page without `title:`, `name:` or opening heading titled from its file name.
    TitleFromFileName,
    /// Two pages that would share a URL: the later one's slug made from its file name.
    SlugClash,
    /// A `type:` naming no casebook type moved to `extra.type`.
    TypeToExtra,
    /// A `ref`/`relref` shortcode or `{% link %}`/`{% post_url %}` tag turned into a link.
    Link,
    /// A `figure` shortcode turned into a markdown image.
    Figure,
    /// A `youtube` shortcode turned into a link to the video.
    Youtube,
    /// A `highlight` shortcode or Liquid block turned into a fenced code block.
    Highlight,
    /// `{{ site.baseurl }}` removed (links are resolved from the site root).
    Baseurl,
    /// An old URL (permalink, `url:`, `permalink:`, `aliases:`, `redirect_from:`) kept as an
    /// `aliases:` entry.
    UrlAlias,
}

/// Something a person must look at, at a line of a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Attention {
    /// The file, relative to DEST (or to SRC for what was not imported).
    pub file: String,
    /// The 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: String,
}

/// The whole report of one import.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// `hugo` or `jekyll`.
    pub flavour: String,
    /// What came over, by kind: resources, section introductions, types, taxonomies, terms,
    /// static files, files copied beside their page, aliases written.
    pub counts: BTreeMap<String, usize>,
    /// Each mechanical repair and how many times it was made.
    pub repairs: BTreeMap<Repair, usize>,
    /// What import wrote into `casebook.yaml` and why, one sentence each.
    pub decisions: Vec<String>,
    /// Fields of the old tree casebook does not read, with the number of files using each
    /// (kept in the files; `frontmatter.unknown_fields: allow` lets them be).
    pub foreign_fields: BTreeMap<String, usize>,
    /// The problems `casebook check` finds in DEST, by code.
    pub check: BTreeMap<String, usize>,
    /// Every place that needs a person.
    pub attention: Vec<Attention>,
}

impl Report {
    /// Adds one to the count `what`.
    pub fn count(&mut self, what: &str, n: usize) {
        *self.counts.entry(what.to_string()).or_default() += n;
    }

    /// Records a repair.
    pub fn repaired(&mut self, repair: Repair) {
        *self.repairs.entry(repair).or_default() += 1;
    }

    /// Records something a person must look at.
    pub fn attend(&mut self, file: &str, line: usize, message: impl Into<String>, help: impl Into<String>) {
        self.attention.push(Attention {
            file: file.to_string(),
            line,
            message: message.into(),
            help: help.into(),
        });
    }

    /// The report as JSON (`--format json`).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The report as `import-report.md`.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("# Import report ({})\n\n", self.flavour);
        out.push_str("## What came over\n\n| what | count |\n|---|---|\n");
        for (what, n) in &self.counts {
            let _ = writeln!(out, "| {what} | {n} |");
        }
        out.push_str("\n## Repairs made\n\n");
        if self.repairs.is_empty() {
            out.push_str("None were needed.\n");
        } else {
            out.push_str("| repair | files or places |\n|---|---|\n");
            for (repair, n) in &self.repairs {
                let name = serde_json::to_value(repair).ok();
                let name = name.as_ref().and_then(|v| v.as_str()).unwrap_or("");
                let _ = writeln!(out, "| {name} | {n} |");
            }
        }
        out.push_str("\n## Written into casebook.yaml\n\n");
        for decision in &self.decisions {
            let _ = writeln!(out, "- {decision}");
        }
        if !self.foreign_fields.is_empty() {
            out.push_str("\n## Fields casebook does not read\n\nKept in the files as they were; map one into `extra` with `frontmatter.aliases` (`field: extra.field`) to show it in templates.\n\n| field | files |\n|---|---|\n");
            for (field, n) in &self.foreign_fields {
                let _ = writeln!(out, "| `{field}` | {n} |");
            }
        }
        out.push_str("\n## casebook check on the imported site\n\n");
        if self.check.is_empty() {
            out.push_str("No problems found.\n");
        } else {
            out.push_str("| code | problems |\n|---|---|\n");
            for (code, n) in &self.check {
                let _ = writeln!(out, "| `{code}` | {n} |");
            }
        }
        let _ = write!(out, "\n## Needs a person ({})\n\n", self.attention.len());
        if !self.attention.is_empty() {
            out.push_str("Paths are in this site (DEST), except those starting `SRC/` (the old tree).\n\n");
        }
        if self.attention.is_empty() {
            out.push_str("Nothing.\n");
        }
        for a in &self.attention {
            let _ = writeln!(out, "- `{}:{}`: {}  \n  {}", a.file, a.line, a.message, a.help);
        }
        out
    }
}
