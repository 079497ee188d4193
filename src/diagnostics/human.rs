//! The rustc-style report for people, drawn by `annotate-snippets`: `error[code]: message`,
//! `--> file:line:column`, the source lines with the diagnostic's span underlined, and
//! `= help:` with the fix. The text is styled with ANSI colours; the CLI writes it through
//! `anstream`, which strips them unless colour is wanted (`--color`, `NO_COLOR`, a terminal).

use super::{summary, Diagnostic, Severity};
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Reads each file once, so many diagnostics in one file cost one read.
#[derive(Default)]
struct Sources {
    root: PathBuf,
    files: HashMap<String, Option<String>>,
}

impl Sources {
    /// The text of `file`, as a user's editor shows it; `None` if unreadable.
    fn text(&mut self, file: &str) -> Option<&str> {
        let root = &self.root;
        self.files
            .entry(file.to_string())
            .or_insert_with(|| std::fs::read(root.join(file)).ok().as_deref().map(readable))
            .as_deref()
    }
}

/// The text of a file for display: lossy UTF-8 (the diagnostic already names bad bytes), no
/// BOM, no NUL (a binary file's "line" would garble the terminal), no control characters.
fn readable(bytes: &[u8]) -> String {
    if bytes.contains(&0) {
        return String::new();
    }
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // The same line breaks as `content::frontmatter::decode`, so line numbers agree.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    // Control characters shown as symbols, one for one: the underline stays under its column.
    crate::controls::visible(&text).into_owned()
}

/// Renders `diagnostics` (paths relative to `root`) followed by a count of errors and
/// warnings, with ANSI styles.
pub fn render(diagnostics: &[Diagnostic], root: &Path) -> String {
    let renderer = Renderer::styled();
    let mut sources = Sources {
        root: root.to_path_buf(),
        ..Sources::default()
    };
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&renderer.render(&[group(d, &mut sources)]));
        out.push_str("\n\n");
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    out.push_str(&summary(errors, diagnostics.len() - errors));
    out.push('\n');
    out
}

/// One diagnostic: its title, where it is (with the source lines when they can be read),
/// and its help.
fn group<'a>(d: &'a Diagnostic, sources: &'a mut Sources) -> Group<'a> {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level.primary_title(d.message.as_str()).id(d.code.as_str());
    let (line, column) = (d.line, d.column.max(1));
    let lines = d.end.map_or(line, |e| e.line.max(line));
    let excerpt = (line > 0)
        .then(|| sources.text(&d.file))
        .flatten()
        .and_then(|text| excerpt(text, line, lines));
    let title = match excerpt {
        Some(excerpt) => {
            let span = underline(&excerpt, column, d.end.map(|e| (e.line - line, e.column)));
            title.element(
                Snippet::source(excerpt)
                    .line_start(line)
                    .path(d.file.as_str())
                    .annotation(AnnotationKind::Primary.span(span)),
            )
        }
        None if line == 0 => title.element(Origin::path(d.file.as_str())),
        None => title.element(Origin::path(d.file.as_str()).line(line).char_column(column)),
    };
    match &d.help {
        Some(help) => title.element(Level::HELP.message(help.as_str())),
        None => title,
    }
}

/// Lines `first..=last` (1-based) of `text`, joined; `None` when `first` is past the end.
fn excerpt(text: &str, first: usize, last: usize) -> Option<String> {
    let lines: Vec<&str> = text.split('\n').skip(first - 1).take(last - first + 1).collect();
    (!lines.is_empty() && first <= text.split('\n').count()).then(|| lines.join("\n"))
}

/// The bytes of `excerpt` to underline: from character `column` of its first line to `end`
/// (line offset within the excerpt, exclusive column), or one character when the end is
/// unknown.
fn underline(excerpt: &str, column: usize, end: Option<(usize, usize)>) -> Range<usize> {
    let start = byte_at(excerpt, 0, column);
    let end = match end {
        Some((line, column)) => byte_at(excerpt, line, column),
        None => byte_at(excerpt, 0, column + 1),
    };
    start..end.max(start)
}

/// The byte offset of 1-based character `column` of line `line` (0-based) of `text`, clamped
/// to that line's end.
fn byte_at(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text.split('\n').take(line).map(|l| l.len() + 1).sum();
    let Some(this) = text.split('\n').nth(line) else {
        return text.len();
    };
    let within = this
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(this.len(), |(i, _)| i);
    line_start + within
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn underlines_cover_the_span_or_one_character() {
        assert_eq!(underline("enablers: [trsut, x]", 12, Some((0, 17))), 11..16);
        assert_eq!(underline("titel: b", 1, None), 0..1);
        assert_eq!(underline("é: b", 1, None), 0..2);
        assert_eq!(underline("", 1, None), 0..0);
        assert_eq!(underline("a [x](\ny) b", 3, Some((1, 3))), 2..9);
    }
}
