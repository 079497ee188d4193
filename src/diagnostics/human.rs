//! The rustc-style report for people: `error[code]: message`, `--> file:line:column`, the
//! source line with a caret under the problem, and `= help:` with the fix.

use super::{Diagnostic, Severity};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// ANSI styles, used only when the output is a terminal.
#[derive(Clone, Copy)]
struct Style {
    color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(self, severity: Severity) -> String {
        match severity {
            Severity::Error => self.paint("1;31", "error"),
            Severity::Warning => self.paint("1;33", "warning"),
        }
    }

    fn gutter(self, text: &str) -> String {
        self.paint("1;34", text)
    }
}

/// Reads each file once, so many diagnostics in one file cost one read.
#[derive(Default)]
struct Sources {
    root: PathBuf,
    files: HashMap<String, Option<String>>,
}

impl Sources {
    /// Line `line` (1-based) of `file`, as a user's editor shows it; `None` if unreadable.
    fn line(&mut self, file: &str, line: usize) -> Option<String> {
        let root = &self.root;
        let text = self
            .files
            .entry(file.to_string())
            .or_insert_with(|| std::fs::read(root.join(file)).ok().as_deref().map(readable))
            .as_deref()?;
        text.split('\n').nth(line.checked_sub(1)?).map(str::to_string)
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
    // Control characters shown as symbols, one for one: the caret stays under its column.
    crate::controls::visible(&text).into_owned()
}

/// Renders `diagnostics` (paths relative to `root`) followed by a count of errors and warnings.
pub fn render(diagnostics: &[Diagnostic], root: &Path, color: bool) -> String {
    let style = Style { color };
    let mut sources = Sources {
        root: root.to_path_buf(),
        ..Sources::default()
    };
    let mut out = String::new();
    for d in diagnostics {
        one(&mut out, d, &mut sources, style);
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let _ = writeln!(out, "{}", summary(errors, warnings));
    out
}

/// `2 errors, 1 warning`, or `no problems found`.
pub fn summary(errors: usize, warnings: usize) -> String {
    if errors + warnings == 0 {
        return "no problems found".into();
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!("{}, {}", plural(errors, "error"), plural(warnings, "warning"))
}

fn one(out: &mut String, d: &Diagnostic, sources: &mut Sources, style: Style) {
    let head = style.paint("1", &format!("[{}]: {}", d.code, d.message));
    let _ = writeln!(out, "{}{head}", style.severity(d.severity));
    let source = (d.line > 0).then(|| sources.line(&d.file, d.line)).flatten();
    let width = d.line.max(1).to_string().len();
    let pad = " ".repeat(width);
    let arrow = style.gutter(&format!("{pad}-->"));
    if d.line == 0 {
        let _ = writeln!(out, "{arrow} {}", d.file);
    } else {
        let _ = writeln!(out, "{arrow} {}:{}:{}", d.file, d.line, d.column.max(1));
    }
    if let Some(text) = source {
        let bar = style.gutter(&format!("{pad} |"));
        let numbered = style.gutter(&format!("{} |", d.line));
        let carets = style.paint(
            if d.is_error() { "1;31" } else { "1;33" },
            &"^".repeat(span_len(&text, d.column)),
        );
        let _ = writeln!(out, "{bar}");
        let _ = writeln!(out, "{numbered} {text}");
        let _ = writeln!(out, "{bar} {}{carets}", indent(&text, d.column));
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "{pad} {} help: {help}", style.gutter("="));
    }
    out.push('\n');
}

/// Blanks up to `column`, keeping tabs so the caret lines up under the character.
fn indent(line: &str, column: usize) -> String {
    line.chars()
        .take(column.saturating_sub(1))
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect()
}

/// How many characters to underline from `column`: a quoted string, a link, or a bare word
/// up to the next YAML separator; at least one.
fn span_len(line: &str, column: usize) -> usize {
    let rest: Vec<char> = line.chars().skip(column.saturating_sub(1)).collect();
    let len = match rest.first() {
        None => 0,
        Some(c) if c.is_whitespace() => 1,
        Some(&q @ ('"' | '\'')) => rest[1..].iter().position(|&c| c == q).map_or(rest.len(), |i| i + 2),
        Some('[') | Some('!') => rest.iter().position(|&c| c == ')').map_or(1, |i| i + 1),
        Some(_) => {
            let stop = rest
                .windows(2)
                .position(|w| w[0] == ':' && w[1] == ' ')
                .into_iter()
                .chain(rest.iter().position(|&c| matches!(c, ',' | ']' | '}' | '#')))
                .min()
                .unwrap_or(rest.len());
            let word: String = rest[..stop].iter().collect();
            let word = word.trim_end();
            word.strip_suffix(':').unwrap_or(word).chars().count()
        }
    };
    len.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_words_quotes_and_links() {
        assert_eq!(span_len("enablers: [trsut, x]", 12), 5);
        assert_eq!(span_len("title: \"a b\" # c", 8), 5);
        assert_eq!(span_len("See [here](missing.md).", 5), 18);
        assert_eq!(span_len("titel: b", 1), 5);
        assert_eq!(span_len("", 1), 1);
    }

    #[test]
    fn summary_pluralises() {
        assert_eq!(summary(1, 2), "1 error, 2 warnings");
        assert_eq!(summary(0, 0), "no problems found");
    }
}
