//! Checks on what a markdown file says beyond the shape of its fields: no control character
//! anywhere in it (see [`crate::controls`] for why), and the URLs a page publishes as written
//! (`link`, `source.url`) pass the same check as markdown links ([`urls::link_kind`]).

use super::frontmatter::FieldReader;
use super::Source;
use crate::controls;
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::urls::{self, LinkKind};

/// Refuses a file whose text (frontmatter or body) holds a control character, at its place.
pub fn refuse_controls(text: &str, file: &str) -> Result<(), Diagnostic> {
    match controls::first_in(text) {
        None => Ok(()),
        Some((offset, c)) => {
            let at = Location::of_offset(text, offset);
            Err(Diagnostic::error(file, at, Code::ControlCharacter, controls::message(c)).with_help(controls::HELP))
        }
    }
}

/// Reports every frontmatter string (or key) that an escape such as `"\e"` turned into a
/// control character, at its value.
pub fn check_values(fields: &mut FieldReader<'_>) {
    for (path, c) in controls::in_yaml(fields.values()) {
        let at = fields.value_location(&path);
        fields.error_at(at, Code::ControlCharacter, controls::message(c), controls::HELP.into());
    }
}

/// Reports `link` and `source.url` values that a page must not publish (`javascript:`,
/// `data:`, `//host`), at their values.
pub fn check_urls(fields: &mut FieldReader<'_>, link: Option<&str>, source: Option<&Source>) {
    let urls = [("link", link), ("source.url", source.and_then(|s| s.url.as_deref()))];
    for (path, url) in urls {
        if let Some(LinkKind::Refused(message)) = url.map(urls::link_kind) {
            let at = fields.value_location(path);
            let help = format!("write the full address, starting `https://`, in `{path}`");
            // Published as written if the build went on: never a warning.
            fields.firm_error_at(at, Code::BrokenLink, message, help);
        }
    }
}

/// The DOI in a `doi` value, written bare (`10.1234/abc`) or as an address
/// (`https://doi.org/10.1234/abc`, `doi:10.1234/abc`); anything else is reported at the value.
pub fn doi(fields: &mut FieldReader<'_>, value: &str) -> Option<String> {
    let value = value.trim();
    let bare = ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"]
        .iter()
        .find_map(|prefix| value.strip_prefix(prefix))
        .unwrap_or(value);
    let well_formed = bare.split_once('/').is_some_and(|(registrant, suffix)| {
        registrant
            .strip_prefix("10.")
            .is_some_and(|code| !code.is_empty() && code.chars().all(|c| c.is_ascii_digit() || c == '.'))
            && !suffix.is_empty()
            && !suffix.chars().any(char::is_whitespace)
    });
    if well_formed {
        return Some(bare.to_string());
    }
    let at = fields.value_location("doi");
    fields.error_at(
        at,
        Code::WrongType,
        format!("`{value}` is not a DOI"),
        "write the DOI as `10.` then the registrant code, `/` and the item, e.g. `doi: 10.1136/bmj.m1234`".into(),
    );
    None
}
