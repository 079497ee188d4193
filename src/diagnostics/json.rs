//! The machine-readable report: `{"diagnostics": [{file, line, column, end_line, end_column,
//! severity, code, message, help}]}`, positions 1-based, the end exclusive (`null` when only
//! the start is known).

use super::{Diagnostic, Severity};
use serde::Serialize;

/// One diagnostic as JSON consumers see it.
#[derive(Serialize)]
struct Entry<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: Option<usize>,
    end_column: Option<usize>,
    severity: Severity,
    code: &'a str,
    message: &'a str,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct Report<'a> {
    diagnostics: Vec<Entry<'a>>,
}

/// Renders `diagnostics` as one JSON object. A problem with the whole file (line 0 inside
/// casebook) is reported at line 1, column 1, so every position is a valid 1-based one.
pub fn render(diagnostics: &[Diagnostic]) -> String {
    let report = Report {
        diagnostics: diagnostics
            .iter()
            .map(|d| Entry {
                file: &d.file,
                line: d.line.max(1),
                column: d.column.max(1),
                end_line: d.end.map(|e| e.line),
                end_column: d.end.map(|e| e.column),
                severity: d.severity,
                code: d.code.as_str(),
                message: &d.message,
                help: d.help.as_deref(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{\"diagnostics\": []}".into())
}
