//! Splitting a markdown file into its YAML frontmatter and body, and reading the frontmatter
//! into typed fields with every problem located in the markdown file.

use super::date::Date;
use crate::config::{Config, UnknownFields};
use crate::diagnostics::{suggestion, Code, Diagnostic, Diagnostics, Location};
use crate::yaml::{self, Mapping, Node, Spans, Value};
use serde::de::DeserializeOwned;

/// How many terms of one taxonomy a resource may carry. Every term page shows the resource's
/// card with its terms, so pages × terms grows with the square of this: 10,000 terms on one
/// resource took 64 s. Real resources carry a handful.
pub const MAX_TERMS: usize = 100;

/// A markdown file's text cut into frontmatter and body.
#[derive(Debug)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// The 1-based file line where the YAML starts.
    pub yaml_line: usize,
    /// The markdown after the closing `---`.
    pub body: &'a str,
    /// The 1-based file line where the body starts.
    pub body_line: usize,
}

/// Decodes a file's bytes: UTF-8 only (a BOM is dropped), CRLF read as LF. An error carries
/// its location, code (`binary-file` or `not-utf8`) and message.
pub fn decode(bytes: &[u8]) -> Result<String, (Location, Code, String)> {
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        let at = Location::of_offset(&String::from_utf8_lossy(&bytes[..offset]), offset);
        return Err((
            at,
            Code::BinaryFile,
            format!("this is a binary file, not markdown (a NUL byte at byte offset {offset})"),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let before = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
        (
            Location::of_offset(before, offset),
            Code::NotUtf8,
            format!("the file is not valid UTF-8 (invalid byte at byte offset {offset})"),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Dropping the CR of CRLF keeps every line and column where it was; a lone CR (old Mac
    // files, or mixed endings) is a line break to editors and to the markdown parser alike.
    if !text.contains('\r') {
        return Ok(text.to_string());
    }
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Cuts `text` at its `---` fences.
pub fn split(text: &str) -> Result<Split<'_>, (Location, Code, String, String)> {
    if text.trim().is_empty() {
        return Err((
            Location::new(1, 1),
            Code::EmptyFile,
            "the file is empty".into(),
            "start it with a frontmatter block: `---`, `title: \"...\"`, `---`".into(),
        ));
    }
    let Some(after_open) = text
        .strip_prefix("---\n")
        .or_else(|| (text.trim_end() == "---").then_some(""))
    else {
        return Err((
            Location::new(1, 1),
            Code::MissingFrontmatter,
            "the file does not start with a `---` frontmatter block".into(),
            "add `---`, `title: \"...\"` and `---` as its first three lines".into(),
        ));
    };
    let mut offset = 0;
    for (index, line) in after_open.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches('\n').trim_end();
        if bare == "---" || bare == "..." {
            let body = &after_open[offset + line.len()..];
            return Ok(Split {
                yaml: &after_open[..offset],
                yaml_line: 2,
                body,
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    Err((
        Location::new(1, 1),
        Code::UnclosedFrontmatter,
        "the frontmatter block is never closed".into(),
        "add a line with `---` after the last frontmatter field".into(),
    ))
}

/// Reads typed fields out of a frontmatter mapping, locating each problem in the file.
pub struct FieldReader<'a> {
    map: Mapping,
    spans: Spans,
    file: &'a str,
    yaml_line: usize,
    /// Problems found so far.
    pub problems: Diagnostics,
}

impl<'a> FieldReader<'a> {
    /// Parses `split.yaml` (applying the site's aliases and unknown-field policy); `known` lists
    /// the fields this kind of file may have.
    pub fn new(split: &Split<'_>, file: &'a str, config: &Config, known: &[&str]) -> Result<Self, Diagnostic> {
        let root = yaml::parse(split.yaml).map_err(|e| e.diagnostic(file, split.yaml_line, Code::InvalidYaml))?;
        let spans = Spans::of(&root);
        let map = match root.value {
            Value::Mapping(map) => map,
            Value::Null(_) => Mapping::default(),
            _ => {
                return Err(Diagnostic::error(
                    file,
                    Location::new(split.yaml_line, 1),
                    Code::InvalidYaml,
                    "the frontmatter is not a set of `field: value` lines",
                )
                .with_help("write one `field: value` per line, e.g. `title: \"...\"`"))
            }
        };
        let mut reader = FieldReader {
            map,
            spans,
            file,
            yaml_line: split.yaml_line,
            problems: Diagnostics::default(),
        };
        for field in &config.frontmatter.ignore {
            reader.map.remove(field);
        }
        reader.apply_aliases(config);
        reader.police_unknown(config.frontmatter.unknown_fields, known);
        Ok(reader)
    }

    fn at_key(&self, key: &str) -> Location {
        self.to_file(self.spans.key(key))
    }

    fn at_value(&self, path: &str) -> Location {
        self.to_file(self.spans.value(path))
    }

    fn to_file(&self, at: Option<Location>) -> Location {
        at.unwrap_or(Location::new(1, 1)).down(self.yaml_line - 1)
    }

    fn apply_aliases(&mut self, config: &Config) {
        for (foreign, ours) in &config.frontmatter.aliases {
            let Some((key, value)) = self.map.remove(foreign.as_str()) else {
                continue;
            };
            self.spans.rename(foreign, ours);
            match crate::config::extra_target(ours) {
                Some(name) => self.put_in_extra(foreign, name, &key, value),
                None => self.map.insert(named(ours, &key), value),
            }
        }
    }

    /// Puts the value of the foreign field `foreign` into `extra` as `name`, never over a
    /// value `extra` already has.
    fn put_in_extra(&mut self, foreign: &str, name: &str, key: &Node, value: Node) {
        let at = self.at_key(foreign);
        let extra = self.map.entries.iter_mut().find(|(k, _)| k.as_str() == Some("extra"));
        let problem = match extra {
            None => {
                let span = key.span;
                let map = Mapping {
                    entries: vec![(named(name, key), value)],
                };
                let extra = Node {
                    value: Value::Mapping(map),
                    span,
                };
                self.map.insert(named("extra", key), extra);
                return;
            }
            Some((
                _,
                Node {
                    value: Value::Mapping(map),
                    ..
                },
            )) if map.get(name).is_none() => {
                map.insert(named(name, key), value);
                return;
            }
            Some((
                _,
                Node {
                    value: Value::Mapping(_),
                    ..
                },
            )) => format!("`extra` already has `{name}`"),
            Some(_) => "`extra` is not a map".to_string(),
        };
        let message = format!("`{foreign}` cannot go into `extra.{name}`: {problem}");
        let help =
            format!("rename `extra.{name}` in this file, or send `{foreign}` elsewhere in `frontmatter.aliases`");
        self.error_at(at, Code::WrongType, message, help);
    }

    fn police_unknown(&mut self, policy: UnknownFields, known: &[&str]) {
        let unknown: Vec<String> = self
            .map
            .keys()
            .filter(|k| !known.contains(k))
            .map(str::to_string)
            .collect();
        for key in unknown {
            self.map.remove(key.as_str());
            let message = format!("unknown frontmatter field `{key}`");
            let help = suggestion(&key, known);
            let d = match policy {
                UnknownFields::Allow => continue,
                UnknownFields::Warn => Diagnostic::warning(self.file, self.at_key(&key), Code::UnknownField, message),
                UnknownFields::Error => Diagnostic::error(self.file, self.at_key(&key), Code::UnknownField, message),
            };
            self.problems.push(d.with_help(help));
        }
    }

    /// Where the key `key` stands in the file, if the frontmatter has it.
    pub fn key_location(&self, key: &str) -> Option<Location> {
        self.map.get(key).map(|_| self.at_key(key))
    }

    /// Whether the field has a value: not null, not an empty string or list.
    pub fn has(&self, key: &str) -> bool {
        match self.map.get(key).map(|n| &n.value) {
            None | Some(Value::Null(_)) => false,
            Some(Value::String(s)) => !s.trim().is_empty(),
            Some(Value::Sequence(items)) => !items.is_empty(),
            Some(_) => true,
        }
    }

    /// A string field; numbers and booleans are taken as their text.
    pub fn string(&mut self, key: &str) -> Option<String> {
        match &self.map.get(key)?.value {
            Value::Null(_) => None,
            Value::String(s) => Some(s.clone()),
            Value::Number(_, text) => Some(text.clone()),
            Value::Bool(b, _) => Some(b.to_string()),
            other => {
                let found = shape(other);
                self.wrong_shape(
                    key,
                    &format!("`{key}` must be a text value, found {found}"),
                    "write it on one line, in quotes if it contains a colon",
                );
                None
            }
        }
    }

    /// A list of strings; a single string counts as a one-item list.
    pub fn strings(&mut self, key: &str) -> Vec<String> {
        match self.map.get(key).map(|n| &n.value) {
            None | Some(Value::Null(_)) => Vec::new(),
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Sequence(items)) => {
                let items = items.clone();
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match &item.value {
                        Value::String(s) => out.push(s.clone()),
                        Value::Number(_, text) => out.push(text.clone()),
                        other => {
                            let d = Diagnostic::error(
                                self.file,
                                self.at_value(&format!("{key}[{i}]")),
                                Code::WrongType,
                                format!("items of `{key}` must be text, found {}", shape(other)),
                            );
                            self.problems.push(d);
                        }
                    }
                }
                out
            }
            Some(other) => {
                let found = shape(other);
                self.wrong_shape(
                    key,
                    &format!("`{key}` must be a list, found {found}"),
                    &format!("write `{key}: [first, second]`"),
                );
                Vec::new()
            }
        }
    }

    /// A taxonomy's terms: a list of strings of at most [`MAX_TERMS`] items; more are an error
    /// at the first one past the limit, and are dropped.
    pub fn terms(&mut self, key: &str) -> Vec<String> {
        let mut terms = self.strings(key);
        if terms.len() > MAX_TERMS {
            let d = Diagnostic::error(
                self.file,
                self.item_location(key, MAX_TERMS),
                Code::TooManyTerms,
                format!(
                    "`{key}` lists {} terms; a resource may carry at most {MAX_TERMS}",
                    terms.len()
                ),
            )
            .with_help("keep the terms that describe this resource best");
            self.problems.push(d);
            terms.truncate(MAX_TERMS);
        }
        terms
    }

    /// The location of item `index` of list field `key`.
    pub fn item_location(&self, key: &str, index: usize) -> Location {
        self.at_value(&format!("{key}[{index}]"))
    }

    /// The location of the value of `key`.
    pub fn value_location(&self, key: &str) -> Location {
        self.at_value(key)
    }

    /// A date field.
    pub fn date(&mut self, key: &str) -> Option<Date> {
        let text = self.string(key)?;
        let parsed = Date::parse(&text);
        if parsed.is_none() {
            let d = Diagnostic::error(
                self.file,
                self.at_value(key),
                Code::InvalidDate,
                format!("`{text}` is not a valid date"),
            )
            .with_help("write a real date as YYYY-MM-DD (e.g. 2023-02-28), or an RFC 3339 date-time");
            self.problems.push(d);
        }
        parsed
    }

    /// A boolean field.
    pub fn flag(&mut self, key: &str) -> bool {
        match self.map.get(key).map(|n| &n.value) {
            None | Some(Value::Null(_)) => false,
            Some(Value::Bool(b, _)) => *b,
            Some(other) => {
                let found = shape(other);
                self.wrong_shape(
                    key,
                    &format!("`{key}` must be `true` or `false`, found {found}"),
                    "write `true` or `false`",
                );
                false
            }
        }
    }

    /// A structured field read with serde (e.g. `source`, `attachments`).
    pub fn typed<T: DeserializeOwned>(&mut self, key: &str, example: &str) -> Option<T> {
        let node = self.map.get(key)?;
        if node.is_null() {
            return None;
        }
        match node.deserialize() {
            Ok(v) => Some(v),
            Err(e) => {
                // At the part of the value that is wrong (a list where text belongs...).
                let message = format!("`{key}` has the wrong shape: {}", e.message);
                let at = self.to_file(Some(e.at));
                let d = Diagnostic::error(self.file, at, Code::WrongType, message);
                self.problems.push(d.with_help(format!("write it like `{example}`")));
                None
            }
        }
    }

    /// Any value, passed to templates untouched.
    pub fn raw(&self, key: &str) -> Option<serde_json::Value> {
        self.map.get(key).and_then(|v| serde_json::to_value(v).ok())
    }

    fn wrong_shape(&mut self, key: &str, message: &str, help: &str) {
        let d = Diagnostic::error(self.file, self.at_value(key), Code::WrongType, message).with_help(help);
        self.problems.push(d);
    }

    /// Every field left after aliases and the unknown-field policy, as parsed.
    pub fn values(&self) -> &Mapping {
        &self.map
    }

    /// Reports an error at the value of `key`.
    pub fn error_at(&mut self, at: Location, code: Code, message: String, help: String) {
        self.problems
            .push(Diagnostic::error(self.file, at, code, message).with_help(help));
    }

    /// Records an error that `checks:` never makes a warning ([`Diagnostic::firm`]).
    pub fn firm_error_at(&mut self, at: Location, code: Code, message: String, help: String) {
        self.problems
            .push(Diagnostic::error(self.file, at, code, message).with_help(help).firm());
    }
}

/// `key` with the text `name`, where it stood.
fn named(name: &str, key: &Node) -> Node {
    Node {
        value: Value::String(name.to_string()),
        span: key.span,
    }
}

fn shape(value: &Value) -> &'static str {
    match value {
        Value::Null(_) => "nothing",
        Value::Bool(..) => "a boolean",
        Value::Number(..) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a map",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_fences_and_body_line() {
        let s = split("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!((s.body, s.body_line), ("Body\n", 4));
    }

    #[test]
    fn unclosed_and_missing_frontmatter_are_errors() {
        assert_eq!(split("---\ntitle: A\n").unwrap_err().1, Code::UnclosedFrontmatter);
        assert_eq!(split("# Just markdown\n").unwrap_err().1, Code::MissingFrontmatter);
        assert_eq!(split("").unwrap_err().1, Code::EmptyFile);
    }

    #[test]
    fn decode_drops_bom_and_cr_and_names_bad_bytes() {
        assert_eq!(decode(b"\xef\xbb\xbf---\r\nx\r\n").unwrap(), "---\nx\n");
        let (at, _, message) = decode(b"ab\n\xffc").unwrap_err();
        assert_eq!(at, Location::new(2, 1));
        assert!(message.contains("byte offset 3"), "{message}");
    }
}
