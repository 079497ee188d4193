//! YAML with locations, parsed once: serde-saphyr reads the text into a [`Node`] tree that
//! keeps the span of every key and value, and typed values (the config, a frontmatter
//! `source:`) are then deserialised with serde from that tree ([`Node::deserialize`]), so a
//! problem found at any step — a syntax error, an unknown field, an unknown term, a bad date —
//! is reported at its line and column with its extent.
//!
//! The parser's budget refuses nesting past [`MAX_DEPTH`] and alias bombs while it reads, before
//! any tree is built; duplicate keys are errors at the second key.

use crate::diagnostics::{closest, Code, Diagnostic, Location};
use serde::de::{self, IntoDeserializer, Visitor};
use serde::Deserialize;
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::Spanned;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

/// How many lists and maps deep YAML may nest. Real frontmatter and config nest a few levels;
/// deeper documents are refused by the parser's budget at the first node too deep, so nothing
/// downstream (tree walks, serde) ever sees more.
pub const MAX_DEPTH: usize = 64;

/// A YAML problem, located in the YAML text (1-based).
#[derive(Debug, Clone)]
pub struct YamlError {
    /// Where the problem is, relative to the start of the YAML text.
    pub at: Location,
    /// What is wrong, in words.
    pub message: String,
    /// A fix, when one can be suggested (e.g. the closest known field name).
    pub help: Option<String>,
    /// What kind of problem it is, which decides its diagnostic code.
    pub kind: YamlProblem,
}

/// The kinds of [`YamlError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YamlProblem {
    /// Not valid YAML, or not the shape serde expects.
    Invalid,
    /// Nested deeper than [`MAX_DEPTH`] (`too-deep`).
    TooDeep,
    /// Expands (through aliases) to more values than the budget allows (`too-large`).
    TooLarge,
}

impl YamlError {
    /// The diagnostic for this error in `file`, whose YAML starts at 1-based `first_line`;
    /// `invalid` is the code of a plain syntax or shape error (`invalid-yaml` in frontmatter,
    /// `invalid-config` in casebook.yaml).
    pub fn diagnostic(self, file: &str, first_line: usize, invalid: Code) -> Diagnostic {
        let code = match self.kind {
            YamlProblem::Invalid => invalid,
            YamlProblem::TooDeep => Code::TooDeep,
            YamlProblem::TooLarge => Code::TooLarge,
        };
        let help = self.help.unwrap_or_else(|| {
            "check the quoting and indentation of this line; YAML indents with spaces, not tabs".into()
        });
        Diagnostic::error(file, self.at.down(first_line - 1), code, self.message).with_help(help)
    }
}

/// One YAML value and where it stands: `span` covers the value's text (for a list or map, its
/// first token).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it starts, and ends (exclusive), in the YAML text.
    pub span: Location,
}

/// A YAML value. Scalars that are not strings keep the text they were written as, so a
/// string-typed field reads `2023` or `~` exactly as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `~`, `null` or nothing.
    Null(String),
    /// `true` or `false` (YAML 1.2: `yes`, `on` are text).
    Bool(bool, String),
    /// An integer or a float.
    Number(Number, String),
    /// Text.
    String(String),
    /// A list.
    Sequence(Vec<Node>),
    /// A map, in the order written.
    Mapping(Mapping),
}

/// A YAML number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// A non-negative integer.
    UInt(u64),
    /// A negative integer.
    Int(i64),
    /// A float (`.nan` and `.inf` included).
    Float(f64),
}

/// A YAML map: its entries in the order written (keys are unique: the parser refuses
/// duplicates).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mapping {
    /// The key and value of each entry.
    pub entries: Vec<(Node, Node)>,
}

impl Mapping {
    /// The value of the entry whose key is the text `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// Removes the entry whose key is the text `key`, returning it.
    pub fn remove(&mut self, key: &str) -> Option<(Node, Node)> {
        let index = self.entries.iter().position(|(k, _)| k.as_str() == Some(key))?;
        Some(self.entries.remove(index))
    }

    /// Sets the value of `key` (replacing an entry with that key, else appending one).
    pub fn insert(&mut self, key: Node, value: Node) {
        match self.entries.iter_mut().find(|(k, _)| k.as_str() == key.as_str()) {
            Some(entry) => entry.1 = value,
            None => self.entries.push((key, value)),
        }
    }

    /// The keys that are text.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().filter_map(|(k, _)| k.as_str())
    }
}

impl Node {
    /// The text of a string node.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The text a scalar was written as (a string's value); `None` for lists and maps.
    pub fn scalar_text(&self) -> Option<&str> {
        match &self.value {
            Value::String(text) | Value::Null(text) | Value::Bool(_, text) | Value::Number(_, text) => Some(text),
            Value::Sequence(_) | Value::Mapping(_) => None,
        }
    }

    /// Whether this is null.
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null(_))
    }

    /// Reads a typed value out of this node with serde; an error is located at the node it
    /// concerns (an unknown field at its key, with the closest known one suggested).
    pub fn deserialize<T: serde::de::DeserializeOwned>(&self) -> Result<T, YamlError> {
        T::deserialize(self).map_err(|e| {
            let at = e.at.unwrap_or(self.span);
            let help = unknown_field_help(&e.message);
            YamlError {
                at,
                message: e.message,
                help,
                kind: YamlProblem::Invalid,
            }
        })
    }
}

/// Parses `text` (one YAML document) into its [`Node`] tree; an empty document is null.
/// Errors point at their likely cause (a tab used for indentation, a quote never closed)
/// rather than where the parser gave up.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    let options = serde_saphyr::options! {
        // YAML 1.2 core schema: `true`/`false` are booleans, `yes`, `no`, `on`, `off` are text.
        strict_booleans: true,
        // `.nan` and `.inf` are numbers, as YAML says, not errors.
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::PassThrough,
        // `<<` is an ordinary key (a frontmatter or config field it is not).
        merge_keys: serde_saphyr::MergeKeyPolicy::AsOrdinary,
        with_snippet: false,
        budget: serde_saphyr::budget! { max_depth: MAX_DEPTH },
    };
    if is_empty_document(text) {
        return Ok(Node {
            value: Value::Null(String::new()),
            span: Location::new(1, 1),
        });
    }
    match serde_saphyr::from_str_with_options::<Spanned<Raw>>(text, options) {
        Ok(root) => Ok(Builder { text }.node(root)),
        Err(e) => Err(explain_in(text, &e)),
    }
}

/// Whether `text` holds no YAML document at all: blank lines and comments only.
fn is_empty_document(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#')
    })
}

/// The tree as serde-saphyr delivers it: values with their spans, before each scalar's
/// written text and end position are filled in from the source.
enum Raw {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Sequence(Vec<Spanned<Raw>>),
    Mapping(Vec<(Spanned<Raw>, Spanned<Raw>)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Each level of nesting costs the deserialiser's frames (~50 KB in a debug build):
        // MAX_DEPTH levels can outgrow a 2 MB worker thread's stack, so it grows on the heap.
        stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || {
            deserializer.deserialize_any(RawVisitor)
        })
    }
}

/// Below this much stack left, reading a nested value continues on a new stack segment.
const STACK_RED_ZONE: usize = 256 * 1024;
/// The size of each new stack segment.
const STACK_SEGMENT: usize = 2 * 1024 * 1024;

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Number(u64::try_from(v).map_or(Number::Int(v), Number::UInt)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(Raw::Number(Number::UInt(v)))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Raw, E> {
        Ok(Raw::Number(Number::Float(v as f64)))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Raw, E> {
        Ok(Raw::Number(Number::Float(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Number(Number::Float(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::String(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Raw, E> {
        Ok(Raw::String(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Raw::Sequence(items))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Raw::Mapping(entries))
    }
}

/// Turns the [`Raw`] tree into [`Node`]s, reading spans against the source text.
struct Builder<'a> {
    text: &'a str,
}

impl Builder<'_> {
    fn node(&self, raw: Spanned<Raw>) -> Node {
        self.node_and_end(raw).0
    }

    /// The node, and the byte its text ends at (when known).
    fn node_and_end(&self, raw: Spanned<Raw>) -> (Node, Option<usize>) {
        let bytes = self.bytes(&raw.referenced);
        // A scalar's written text is read where it is defined (an alias points at its anchor).
        let written = || {
            self.bytes(&raw.defined)
                .and_then(|r| self.text.get(r))
                .unwrap_or("")
                .to_string()
        };
        let mut last_end = None;
        let value = match raw.value {
            Raw::Null => Value::Null(written()),
            Raw::Bool(b) => Value::Bool(b, written()),
            Raw::Number(n) => Value::Number(n, written()),
            Raw::String(s) => Value::String(s),
            Raw::Sequence(items) => Value::Sequence(
                items
                    .into_iter()
                    .map(|i| {
                        let (node, end) = self.node_and_end(i);
                        last_end = end.or(last_end);
                        node
                    })
                    .collect(),
            ),
            Raw::Mapping(entries) => Value::Mapping(Mapping {
                entries: entries
                    .into_iter()
                    .map(|(k, v)| {
                        let (key, _) = self.node_and_end(k);
                        let (value, end) = self.node_and_end(v);
                        last_end = end.or(last_end);
                        (key, value)
                    })
                    .collect(),
            }),
        };
        let start = Location::new(to_usize(raw.referenced.line()), to_usize(raw.referenced.column()));
        let Some(bytes) = bytes else {
            return (Node { value, span: start }, None);
        };
        let end = self.flow_end(bytes.start, last_end).unwrap_or(bytes.end);
        let span = self.span(start, &self.text[bytes.start..end]);
        (Node { value, span }, Some(end))
    }

    /// The bytes a location covers in the text.
    fn bytes(&self, at: &serde_saphyr::Location) -> Option<Range<usize>> {
        let span = at.span();
        let start = usize::try_from(span.byte_offset()?).ok()?;
        let end = start.checked_add(usize::try_from(span.byte_len()?).ok()?)?;
        self.text.get(start..end).map(|_| start..end)
    }

    /// Where a flow collection (`[a, b]`, `{a: 1}`) starting at byte `start` ends: past its
    /// closing bracket, found after its last item (which ends at `last`). `None` for anything
    /// else: a block collection is located by its first token only.
    fn flow_end(&self, start: usize, last: Option<usize>) -> Option<usize> {
        let close = match self.text[start..].chars().next()? {
            '[' => ']',
            '{' => '}',
            _ => return None,
        };
        let after = last.unwrap_or(start + 1);
        let rest = self.text.get(after..)?;
        let gap = rest.find(|c: char| !(c.is_whitespace() || c == ','))?;
        rest[gap..].starts_with(close).then_some(after + gap + 1)
    }

    /// The location starting at `start` and covering `covered`; columns count characters.
    fn span(&self, start: Location, covered: &str) -> Location {
        if covered.is_empty() {
            return start;
        }
        let end = match covered.rfind('\n') {
            None => Location::new(start.line, start.column + covered.chars().count()),
            Some(i) => Location::new(
                start.line + covered.matches('\n').count(),
                covered[i + 1..].chars().count() + 1,
            ),
        };
        start.to(end)
    }
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// Explains a parse error in `text` in a user's words, pointing at the likely cause rather
/// than where the parser gave up: a tab used for indentation, a quote never closed.
fn explain_in(text: &str, error: &serde_saphyr::Error) -> YamlError {
    let original = original(error);
    let location = original.location().or_else(|| error.location());
    let at = location.map_or(Location::new(1, 1), |l| {
        Location::new(to_usize(l.line()).max(1), to_usize(l.column()).max(1))
    });
    let message =
        serde_saphyr::MessageFormatter::format_message(&serde_saphyr::UserMessageFormatter, original).into_owned();
    if let serde_saphyr::Error::Budget { breach, .. } = original {
        return budget_error(at, breach);
    }
    if message.contains("recursion limit exceeded") {
        // The parser's own limit on open brackets, which it checks before our depth budget.
        return budget_error(at, &BudgetBreach::Depth { depth: MAX_DEPTH + 1 });
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let upto = at.line.min(lines.len());
    let invalid = |at, message: &str, help: &str| YamlError {
        at,
        message: message.into(),
        help: Some(help.into()),
        kind: YamlProblem::Invalid,
    };
    if let Some(at) = tab_indent(&lines[..upto]) {
        return invalid(
            at,
            "a tab is used for indentation; YAML allows only spaces",
            "replace the tab with spaces (two per level is usual)",
        );
    }
    if let Some(at) = unclosed_quote(&lines[..upto]) {
        // Other YAML readers (Hugo's, PyYAML) take a quoted value on to an unindented line;
        // a next line that starts another key means the quote was simply never closed.
        if lines.get(at.line).is_some_and(|next| continues_unindented(next)) {
            return invalid(
                at,
                "this quoted value goes on to the next line without indentation",
                "indent the value's following lines by two spaces, or keep it on one line",
            );
        }
        return invalid(
            at,
            "this quote is not closed on its line",
            "end the value with the same quote mark it starts with",
        );
    }
    if message.contains("did not find expected key") {
        return invalid(
            at,
            "this line is not indented like the fields around it",
            "indent fields of the same level by the same number of spaces",
        );
    }
    if let serde_saphyr::Error::DuplicateMappingKey { key, .. } = original {
        let what = key.as_deref().map_or("this key".to_string(), |k| format!("`{k}`"));
        return invalid(
            at,
            &format!("{what} is given twice in this map"),
            "keep one of them: a key may appear once",
        );
    }
    YamlError {
        at,
        message,
        help: None,
        kind: YamlProblem::Invalid,
    }
}

/// The error an alias or snippet wrapper carries.
fn original(error: &serde_saphyr::Error) -> &serde_saphyr::Error {
    match error.without_snippet() {
        serde_saphyr::Error::AliasError { error, .. } => original(error),
        other => other,
    }
}

fn budget_error(at: Location, breach: &BudgetBreach) -> YamlError {
    match breach {
        BudgetBreach::Depth { .. } => YamlError {
            at,
            message: format!("lists and maps are nested more than {MAX_DEPTH} levels deep here"),
            help: Some("flatten this value: a few levels of lists and maps are all a page needs".into()),
            kind: YamlProblem::TooDeep,
        },
        _ => YamlError {
            at,
            message: "this YAML expands to too many values (aliases repeating aliases)".into(),
            help: Some("write the values out instead of repeating them through `&anchor` and `*alias`".into()),
            kind: YamlProblem::TooLarge,
        },
    }
}

/// The first line (1-based) whose indentation contains a tab, at the tab.
fn tab_indent(lines: &[&str]) -> Option<Location> {
    lines.iter().enumerate().find_map(|(i, line)| {
        let indent = &line[..line.len() - line.trim_start().len()];
        let col = indent.find('\t')?;
        let column = indent[..col].chars().count() + 1;
        Some(Location::new(i + 1, column).to(Location::new(i + 1, column + 1)))
    })
}

/// The last line whose value opens a quote that the line does not close, at the quote.
/// Whether `line`, after a line whose quote is not closed, carries the value on without
/// indentation (rather than starting a key of its own, or being indented as YAML wants).
fn continues_unindented(line: &str) -> bool {
    let starts_key = line
        .split_once(':')
        .is_some_and(|(key, _)| !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-'));
    line.starts_with(|c: char| !c.is_whitespace()) && !starts_key
}

fn unclosed_quote(lines: &[&str]) -> Option<Location> {
    lines.iter().enumerate().rev().find_map(|(i, line)| {
        let start = line.find(": \"").or_else(|| line.find(": '"))? + 2;
        let rest = &line[start..];
        let quote = rest.chars().next()?;
        let closed = match quote {
            '"' => rest[1..].replace("\\\\", "").replace("\\\"", "").contains('"'),
            _ => rest[1..].replace("''", "").contains('\''),
        };
        let column = line[..start].chars().count() + 1;
        (!closed).then(|| Location::new(i + 1, column).to(Location::new(i + 1, column + rest.chars().count())))
    })
}

/// For serde's "unknown field `x`, expected one of `a`, `b`", the closest expected name.
fn unknown_field_help(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    let (field, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    match closest(field, candidates.iter().copied()) {
        Some(c) => Some(format!("did you mean `{c}`?")),
        None => Some(format!("remove `{field}`, or check its spelling")),
    }
}

/// Where each key and value of a YAML document stands, by path: `title`, `enablers[1]`,
/// `source.publisher`, `taxonomies.enablers.terms[0].slug`.
#[derive(Debug, Default, Clone)]
pub struct Spans {
    keys: HashMap<String, Location>,
    values: HashMap<String, Location>,
}

impl Spans {
    /// The spans of every key and value under `root`.
    pub fn of(root: &Node) -> Spans {
        let mut spans = Spans::default();
        spans.collect(root, String::new());
        spans
    }

    fn collect(&mut self, node: &Node, path: String) {
        match &node.value {
            Value::Sequence(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.collect(item, format!("{path}[{i}]"));
                }
            }
            Value::Mapping(map) => {
                for (key, value) in &map.entries {
                    let name = key.scalar_text().unwrap_or("");
                    let child = if path.is_empty() {
                        name.to_string()
                    } else {
                        format!("{path}.{name}")
                    };
                    self.keys.insert(child.clone(), key.span);
                    self.collect(value, child);
                }
            }
            _ => {}
        }
        self.values.insert(path, node.span);
    }

    /// Moves the spans of `from` and everything under it to `to` (for field aliases).
    pub fn rename(&mut self, from: &str, to: &str) {
        for table in [&mut self.keys, &mut self.values] {
            let moved: Vec<(String, Location)> = table
                .iter()
                .filter_map(|(path, at)| {
                    let rest = path.strip_prefix(from)?;
                    (rest.is_empty() || rest.starts_with(['.', '['])).then(|| (format!("{to}{rest}"), *at))
                })
                .collect();
            table.extend(moved);
        }
    }

    /// Where the key at `path` stands, else where its value does.
    pub fn key(&self, path: &str) -> Option<Location> {
        self.keys.get(path).or_else(|| self.values.get(path)).copied()
    }

    /// Where the value at `path` stands, else where its key does.
    pub fn value(&self, path: &str) -> Option<Location> {
        self.values.get(path).or_else(|| self.keys.get(path)).copied()
    }
}

/// The error of reading a typed value from a [`Node`]: serde's message, located at the
/// innermost node it concerns.
#[derive(Debug)]
pub struct DeError {
    message: String,
    at: Option<Location>,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            message: msg.to_string(),
            at: None,
        }
    }
}

impl<'de> IntoDeserializer<'de, DeError> for &'de Node {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl Node {
    /// Locates an error that no inner node has located at this node.
    fn locate<T>(&self, result: Result<T, DeError>) -> Result<T, DeError> {
        result.map_err(|mut e| {
            e.at.get_or_insert(self.span);
            e
        })
    }

    fn visit<'de, V: Visitor<'de>>(&'de self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value {
            Value::Null(_) => visitor.visit_unit(),
            Value::Bool(b, _) => visitor.visit_bool(*b),
            Value::Number(Number::UInt(n), _) => visitor.visit_u64(*n),
            Value::Number(Number::Int(n), _) => visitor.visit_i64(*n),
            Value::Number(Number::Float(n), _) => visitor.visit_f64(*n),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Sequence(items) => {
                let mut seq = de::value::SeqDeserializer::new(items.iter());
                let value = visitor.visit_seq(&mut seq)?;
                seq.end().map(|()| value)
            }
            Value::Mapping(map) => {
                let mut entries = de::value::MapDeserializer::new(map.entries.iter().map(|(k, v)| (k, v)));
                let value = visitor.visit_map(&mut entries)?;
                entries.end().map(|()| value)
            }
        }
    }
}

impl<'de> de::Deserializer<'de> for &'de Node {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.locate(self.visit(visitor))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.value {
            Value::Null(_) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    /// A text field takes any scalar as written (`2023`, `yes`, `~`), as serde_yaml did.
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.scalar_text() {
            Some(text) => self.locate(visitor.visit_borrowed_str(text)),
            None => self.deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.value {
            Value::String(s) => self.locate(visitor.visit_enum(s.as_str().into_deserializer())),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, DeError> {
        self.locate(visitor.visit_newtype_struct(self))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit unit_struct
        seq tuple tuple_struct map struct identifier
    }
}

/// Serialised as the plain value (for templates: `extra`, `raw`).
impl serde::Serialize for Node {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match &self.value {
            Value::Null(_) => serializer.serialize_unit(),
            Value::Bool(b, _) => serializer.serialize_bool(*b),
            Value::Number(Number::UInt(n), _) => serializer.serialize_u64(*n),
            Value::Number(Number::Int(n), _) => serializer.serialize_i64(*n),
            Value::Number(Number::Float(n), _) => serializer.serialize_f64(*n),
            Value::String(s) => serializer.serialize_str(s),
            Value::Sequence(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Mapping(map) => {
                let mut out = serializer.serialize_map(Some(map.entries.len()))?;
                for (key, value) in &map.entries {
                    match key.scalar_text() {
                        Some(text) => out.serialize_entry(text, value)?,
                        None => out.serialize_entry(key, value)?,
                    }
                }
                out.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize, end_column: usize) -> Location {
        Location::new(line, column).to(Location::new(line, end_column))
    }

    #[test]
    fn spans_locate_keys_values_and_items_with_their_extent() {
        let text = "title: \"A b\"\nenablers: [one, two]\nsource:\n  publisher: P\nlist:\n  - x\n  - y\n";
        let spans = Spans::of(&parse(text).unwrap());
        assert_eq!(spans.key("title"), Some(at(1, 1, 6)));
        assert_eq!(spans.value("title"), Some(at(1, 8, 13)));
        assert_eq!(spans.value("enablers[1]"), Some(at(2, 17, 20)));
        assert_eq!(spans.key("source.publisher"), Some(at(4, 3, 12)));
        assert_eq!(spans.value("list[1]"), Some(at(7, 5, 6)));
        assert_eq!(spans.value("enablers"), Some(at(2, 11, 21)), "a flow list to its `]`");
        assert_eq!(
            spans.value("source"),
            Some(Location::new(4, 3)),
            "a block map at its start"
        );
    }

    fn syntax(text: &str) -> YamlError {
        parse(text).unwrap_err()
    }

    #[test]
    fn syntax_errors_point_at_their_cause() {
        let tab = syntax("a:\n\tb: 1\n");
        assert_eq!((tab.at.line, tab.at.column), (2, 1));
        assert!(tab.message.contains("tab"), "{}", tab.message);
        let quote = syntax("title: \"open\nsummary: \"x\"\nc: d\n");
        assert_eq!((quote.at.line, quote.at.column), (1, 8));
        assert!(quote.message.contains("quote"), "{}", quote.message);
        let closed = syntax("title: \"it\\\"s\"\nb:\n  c: 1\n d: 2\n");
        assert!(closed.message.contains("indented"), "{}", closed.message);
    }

    #[test]
    fn a_duplicate_key_is_an_error_at_the_second_one() {
        let e = syntax("title: a\nsummary: s\ntitle: b\n");
        assert_eq!((e.at.line, e.at.column, e.kind), (3, 1, YamlProblem::Invalid));
        assert!(e.message.contains("`title` is given twice"), "{}", e.message);
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_refused_at_the_first_node_too_deep() {
        let deep = |open: &str| parse(&format!("a: 1\nextra: {}\n", open.repeat(100_000))).unwrap_err();
        for open in ["[", "{a: "] {
            let e = deep(open);
            assert_eq!((e.at.line, e.kind), (2, YamlProblem::TooDeep), "{e:?}");
            assert!(e.at.column > 7 + MAX_DEPTH, "{:?}", e.at);
            assert!(e.message.contains("nested"), "{}", e.message);
        }
        let dashes = parse(&format!("extra:\n  {}x\n", "- ".repeat(100_000))).unwrap_err();
        assert_eq!((dashes.at.line, dashes.at.column), (2, 3 + 2 * (MAX_DEPTH - 1)));
        let fine = format!("extra: {}1{}\n", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        assert!(parse(&fine).is_ok());
    }

    #[test]
    fn an_alias_bomb_is_refused_while_parsing() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let aliases = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{aliases}]\n"));
        }
        assert_eq!(parse(&text).unwrap_err().kind, YamlProblem::TooLarge);
    }

    #[test]
    fn yaml_1_2_scalars_keep_their_written_text() {
        let root = parse("a: yes\nb: on\nc: true\nd: 2023-02-28\ne: ~\nf: 1.50\n").unwrap();
        let Value::Mapping(map) = &root.value else { panic!() };
        assert_eq!(map.get("a").unwrap().value, Value::String("yes".into()));
        assert_eq!(map.get("b").unwrap().value, Value::String("on".into()));
        assert_eq!(map.get("c").unwrap().value, Value::Bool(true, "true".into()));
        assert_eq!(map.get("d").unwrap().value, Value::String("2023-02-28".into()));
        assert_eq!(map.get("e").unwrap().value, Value::Null("~".into()));
        assert_eq!(
            map.get("f").unwrap().value,
            Value::Number(Number::Float(1.5), "1.50".into())
        );
        assert!(parse("# only a comment\n").unwrap().is_null());
    }

    #[test]
    fn typed_values_read_from_the_tree_and_unknown_fields_get_the_closest_suggestion() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct S {
            title: String,
            count: Option<u32>,
        }
        let s: S = parse("title: 2023\ncount: 3\n").unwrap().deserialize().unwrap();
        assert_eq!((s.title.as_str(), s.count), ("2023", Some(3)));
        let e = parse("title: a\ntitel: b\n").unwrap().deserialize::<S>().unwrap_err();
        assert_eq!(e.at, at(2, 1, 6));
        assert_eq!(e.help.as_deref(), Some("did you mean `title`?"));
        let e = parse("title: [a]\n").unwrap().deserialize::<S>().unwrap_err();
        assert_eq!((e.at.line, e.at.column), (1, 8));
        assert!(e.message.contains("expected a string"), "{}", e.message);
    }
}
