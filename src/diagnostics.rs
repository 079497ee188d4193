//! Content problems, collected for the whole site and reported together.
//!
//! A [`Diagnostic`] names the file (relative to the site root), the 1-based line and column in
//! that file, a stable [`Code`], a message and an optional `help` with the fix.

pub mod github;
pub mod human;
pub mod json;

use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors stop a build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the build; `check` exits 1.
    Error,
    /// Reported, but the build goes on.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// Declares [`Code`], [`Code::ALL`] and [`Code::as_str`] from one list, so a new code cannot
/// be left out of `ALL` (and so out of the README check) or lack its name.
macro_rules! codes {
    ($(#[$doc:meta])* $($variant:ident = $name:literal,)*) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $(
                #[doc = concat!("`", $name, "`.")]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in the order of the README's table.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable kebab-case name, e.g. `unknown-term`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }
        }
    };
}

codes! {
    /// The kind of a problem: a closed list, so a new code cannot be invented at a call site and
    /// left out of the README's "Diagnostic codes" table (a test, `readme_lists_every_code`, reads
    /// that table and compares it with [`Code::ALL`], code and severity).
    ///
    /// The kebab-case name ([`Code::as_str`]) is the stable interface: it is what `check --format
    /// json|github|human` prints, so a variant may be renamed but its string never changes.
    InvalidConfig = "invalid-config",
    UnknownTheme = "unknown-theme",
    TemplateError = "template-error",
    InvalidTranslation = "invalid-translation",
    MissingTranslation = "missing-translation",
    MissingAsset = "missing-asset",
    MissingContent = "missing-content",
    Unreadable = "unreadable",
    BadSymlink = "bad-symlink",
    BinaryFile = "binary-file",
    NotUtf8 = "not-utf8",
    EmptyFile = "empty-file",
    MissingFrontmatter = "missing-frontmatter",
    UnclosedFrontmatter = "unclosed-frontmatter",
    InvalidYaml = "invalid-yaml",
    TooDeep = "too-deep",
    TooLarge = "too-large",
    TooManyTerms = "too-many-terms",
    UnknownField = "unknown-field",
    MissingField = "missing-field",
    WrongType = "wrong-type",
    InvalidDate = "invalid-date",
    UnknownType = "unknown-type",
    UnknownTerm = "unknown-term",
    InvalidSlug = "invalid-slug",
    DuplicateUrl = "duplicate-url",
    OutputCollision = "output-collision",
    BrokenLink = "broken-link",
    ControlCharacter = "control-character",
    BrokenAttachment = "broken-attachment",
    SearchIndex = "search-index",
    MissingSummary = "missing-summary",
    UnusedTerm = "unused-term",
    OutputCleanup = "output-cleanup",
    NotASite = "not-a-site",
    MissingOriginal = "missing-original",
}

impl Code {
    /// The severity a diagnostic of this code has by default; a site may change it for the
    /// [`Code::configurable`] ones.
    pub fn severity(self) -> Severity {
        match self {
            Code::MissingSummary | Code::UnusedTerm | Code::OutputCleanup | Code::MissingTranslation => {
                Severity::Warning
            }
            _ => Severity::Error,
        }
    }

    /// Whether `checks:` in casebook.yaml may set this code's severity. Only problems a build
    /// can go past without publishing anything harmful: a link or attachment whose target is
    /// missing (a refused `javascript:` link is [`Diagnostic::firm`]), an undefined term (left
    /// off the resource), a missing required field (but never `title`); and the two warnings a
    /// site may want to make errors.
    pub fn settable(self) -> bool {
        matches!(
            self,
            Code::BrokenLink
                | Code::BrokenAttachment
                | Code::UnknownTerm
                | Code::MissingField
                | Code::MissingSummary
                | Code::UnusedTerm
        )
    }

    /// Whether the site chooses the severity: `frontmatter.unknown_fields` for
    /// `unknown-field`, `checks:` for the [`Code::settable`] ones.
    pub fn configurable(self) -> bool {
        self == Code::UnknownField || self.settable()
    }

    /// The code named `name` (`broken-link`), if there is one.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == name)
    }
}

/// Ordered by name, as the strings were: [`Diagnostics::sorted`] breaks ties between problems
/// at one place by code, and that order must not change with the order of the variants.
impl Ord for Code {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Serialised as its kebab-case name, exactly the string the JSON report always carried.
impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One located problem in the site's input.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based line in the file (0 when the problem concerns the whole file).
    pub line: usize,
    /// 1-based column in the line (0 when the problem concerns the whole file).
    pub column: usize,
    /// Where the problem ends (exclusive), when its extent is known: a YAML key or value, a
    /// markdown link.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<End>,
    /// Error or warning.
    pub severity: Severity,
    /// The kind of problem; printed as its stable kebab-case name, e.g. `unknown-term`.
    pub code: Code,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when we know.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Never made a warning by `checks:` in casebook.yaml, whatever its code (see
    /// [`Diagnostic::firm`]).
    #[serde(skip)]
    pub firm: bool,
}

/// A place in a file: 1-based line and column, and where the thing there ends when known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Location {
    /// 1-based line (0: the whole file).
    pub line: usize,
    /// 1-based column (0: the whole line or file).
    pub column: usize,
    /// Where the span ends, exclusive (`None`: only the start is known).
    pub end: Option<End>,
}

/// The end of a span: the 1-based line and column just after its last character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
pub struct End {
    /// 1-based line.
    pub line: usize,
    /// 1-based column of the character after the span (columns count characters).
    pub column: usize,
}

impl Location {
    /// A location at `line`, `column` (both 1-based).
    pub fn new(line: usize, column: usize) -> Self {
        Location {
            line,
            column,
            end: None,
        }
    }

    /// This location spanning up to `end` (exclusive; its own end is ignored).
    pub fn to(self, end: Location) -> Self {
        let end = End {
            line: end.line,
            column: end.column,
        };
        Location { end: Some(end), ..self }
    }

    /// This location `lines` further down (for text that starts further down its file).
    pub fn down(self, lines: usize) -> Self {
        let end = self.end.map(|e| End {
            line: e.line + lines,
            ..e
        });
        Location {
            line: self.line + lines,
            end,
            ..self
        }
    }

    /// The location of the bytes `range` of `text`, start and end.
    pub fn of_range(text: &str, range: std::ops::Range<usize>) -> Self {
        Location::of_offset(text, range.start).to(Location::of_offset(text, range.end))
    }

    /// The location of byte `offset` in `text`; columns count characters, not bytes.
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Location::new(line, column)
    }
}

fn visible(text: &str) -> String {
    crate::controls::visible(text).into_owned()
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl Diagnostic {
    /// An error at `at` in `file`.
    ///
    /// The constructors name the severity at the call site, which reads well and lets
    /// `unknown-field` be either; [`Code::severity`] must agree (checked in debug builds).
    pub fn error(file: &str, at: Location, code: Code, message: impl Into<String>) -> Self {
        debug_assert!(
            code.severity() == Severity::Error || code.configurable(),
            "`{code}` is a warning"
        );
        // A file name or a quoted value may hold control characters: shown, never obeyed.
        Diagnostic {
            file: visible(file),
            line: at.line,
            column: at.column,
            end: at.end,
            severity: Severity::Error,
            code,
            message: visible(&message.into()),
            help: None,
            firm: false,
        }
    }

    /// A warning at `at` in `file`.
    pub fn warning(file: &str, at: Location, code: Code, message: impl Into<String>) -> Self {
        debug_assert!(
            code.severity() == Severity::Warning || code.configurable(),
            "`{code}` is an error"
        );
        Diagnostic {
            file: visible(file),
            line: at.line,
            column: at.column,
            end: at.end,
            severity: Severity::Warning,
            code,
            message: visible(&message.into()),
            help: None,
            firm: false,
        }
    }

    /// The same diagnostic with a `help` line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(visible(&help.into()));
        self
    }

    /// The same diagnostic, kept an error whatever `checks:` says about its code: for the
    /// cases of a settable code that would publish something harmful or broken if the build
    /// went on (a `javascript:` link is a `broken-link` too, a page without a title a
    /// `missing-field`).
    pub fn firm(mut self) -> Self {
        self.firm = true;
        self
    }

    /// Whether this stops a build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// The compact one-line form, `file:line:column: error: message [code]`, then `help:`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column.max(1))?;
        }
        write!(f, ": {}: {} [{}]", self.severity, self.message, self.code)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// The diagnostics of one run, kept sorted by file and position for stable output.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds all of `other`.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// The counts in words, as every command ends its report: `1 error, 2 warnings`.
    pub fn summary(&self) -> String {
        summary(self.error_count(), self.warning_count())
    }

    /// Gives each diagnostic the severity `level` sets for its code, if any; a
    /// [`Diagnostic::firm`] one stays as it is (`checks:` in casebook.yaml).
    pub fn set_levels(&mut self, level: impl Fn(Code) -> Option<Severity>) {
        for d in self.items.iter_mut().filter(|d| !d.firm) {
            if let Some(severity) = level(d.code) {
                d.severity = severity;
            }
        }
    }

    /// Whether there are none at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics in file, line, column order (duplicates removed).
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.items.clone();
        items.sort();
        items.dedup();
        items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// `2 errors, 1 warning`, or `no problems found`: the one wording of the counts, used by
/// `check`, `build` and `serve` alike.
pub fn summary(errors: usize, warnings: usize) -> String {
    if errors + warnings == 0 {
        return "no problems found".into();
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!("{}, {}", plural(errors, "error"), plural(warnings, "warning"))
}

/// `path` relative to `root`, with `/` separators, for messages.
pub fn display_path(root: &Path, path: &Path) -> String {
    let relative: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The closest of `candidates` to `word` by edit distance, if close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 4);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, c)| c)
}

/// A `help` text suggesting the closest candidate, else listing the valid ones.
pub fn suggestion(word: &str, candidates: &[&str]) -> String {
    match closest(word, candidates.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None if candidates.is_empty() => "none are defined".to_string(),
        None => format!("expected one of: {}", quoted_list(candidates)),
    }
}

fn quoted_list(items: &[&str]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_to_location_counts_characters() {
        let text = "ab\ncé d";
        assert_eq!(Location::of_offset(text, 0), Location::new(1, 1));
        assert_eq!(Location::of_offset(text, 3), Location::new(2, 1));
        // "é" is two bytes: the space after it is the third character.
        assert_eq!(Location::of_offset(text, 6), Location::new(2, 3));
    }

    /// The README's "Diagnostic codes" table is the users' reference: it must list every code,
    /// in [`Code::ALL`]'s order, with its severity (`error / warning` when configurable).
    #[test]
    fn readme_lists_every_code() {
        let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"));
        let table = readme
            .split_once("### Diagnostic codes")
            .expect("README has a `### Diagnostic codes` section")
            .1;
        let rows: Vec<(String, String)> = table
            .lines()
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .skip(2) // header and separator
            .map(|row| {
                let cells: Vec<&str> = row.split('|').map(str::trim).collect();
                (cells[1].trim_matches('`').to_string(), cells[2].to_string())
            })
            .collect();
        let expected: Vec<(String, String)> = Code::ALL
            .iter()
            .map(|c| {
                let severity = if c.configurable() {
                    "error / warning".to_string()
                } else {
                    c.severity().to_string()
                };
                (c.as_str().to_string(), severity)
            })
            .collect();
        assert_eq!(rows, expected);
    }

    #[test]
    fn code_names_are_distinct_kebab_case() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert!(names.iter().all(|n| n
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
    }

    #[test]
    fn summary_pluralises() {
        assert_eq!(summary(1, 2), "1 error, 2 warnings");
        assert_eq!(summary(2, 1), "2 errors, 1 warning");
        assert_eq!(summary(0, 1), "0 errors, 1 warning");
        assert_eq!(summary(0, 0), "no problems found");
    }

    #[test]
    fn closest_suggests_typos_only() {
        let terms = ["shared-purpose", "relationships-and-trust"];
        assert_eq!(closest("shared-purpos", terms), Some("shared-purpose"));
        assert_eq!(closest("budget", terms), None);
    }
}
