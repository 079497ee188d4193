//! GitHub Actions workflow commands, so a CI step annotates the pull request:
//! `::error file=...,line=...,col=...,title=code::message`.

use super::Diagnostic;
use std::fmt::Write as _;

/// Renders one workflow command per diagnostic.
pub fn render(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let level = if d.is_error() { "error" } else { "warning" };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let _ = writeln!(
            out,
            "::{level} file={},line={},col={},title={}::{}",
            property(&d.file),
            d.line.max(1),
            d.column.max(1),
            property(d.code.as_str()),
            data(&message)
        );
    }
    out
}

/// Escapes a message per GitHub's workflow-command rules.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value: as a message, plus the `:` and `,` that delimit properties.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Code, Location};

    #[test]
    fn escapes_workflow_command_characters() {
        let d = Diagnostic::error(
            "content/a,b.md",
            Location::new(3, 4),
            Code::BrokenLink,
            "100% gone\nreally",
        )
        .with_help("fix: it");
        assert_eq!(
            render(&[d]),
            "::error file=content/a%2Cb.md,line=3,col=4,title=broken-link::100%25 gone%0Areally%0Ahelp: fix: it\n"
        );
    }
}
