//! YAML with locations: typed parsing (serde_yaml) and a map from each key path to where it
//! stands in the text (yaml-rust2's marked events), so that problems found after parsing —
//! an unknown term, a bad date — can still be reported at their line and column.

use crate::diagnostics::{closest, Location};
use std::collections::HashMap;
use yaml_rust2::parser::Parser;
use yaml_rust2::scanner::Marker;
use yaml_rust2::Event;

/// A YAML problem, located in the YAML text (1-based).
#[derive(Debug, Clone)]
pub struct YamlError {
    /// Where the problem is, relative to the start of the YAML text.
    pub at: Location,
    /// What is wrong, in words.
    pub message: String,
    /// A fix, when one can be suggested (e.g. the closest known field name).
    pub help: Option<String>,
}

/// Explains a serde_yaml error in a user's words, keeping its location.
pub fn explain(error: &serde_yaml::Error) -> YamlError {
    let at = error
        .location()
        .map_or(Location::new(1, 1), |l| Location::new(l.line(), l.column()));
    let text = error.to_string();
    // serde_yaml appends " at line N column M"; we report the location separately.
    let message = match text.find(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    let help = unknown_field_help(&message);
    YamlError { at, message, help }
}

/// Explains a syntax or schema error in `text`, pointing at the likely cause rather than
/// where the YAML parser gave up: a tab used for indentation, a quote never closed.
pub fn explain_in(text: &str, error: &serde_yaml::Error) -> YamlError {
    let explained = explain(error);
    if error.location().is_none() || explained.message.contains("unknown field") {
        return explained;
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let upto = explained.at.line.min(lines.len());
    if let Some((line, column)) = tab_indent(&lines[..upto]) {
        return YamlError {
            at: Location::new(line, column),
            message: "a tab is used for indentation; YAML allows only spaces".into(),
            help: Some("replace the tab with spaces (two per level is usual)".into()),
        };
    }
    if let Some((line, column)) = unclosed_quote(&lines[..upto]) {
        return YamlError {
            at: Location::new(line, column),
            message: "this quote is not closed on its line".into(),
            help: Some("end the value with the same quote mark it starts with".into()),
        };
    }
    if explained.message.starts_with("did not find expected key") {
        return YamlError {
            message: "this line is not indented like the fields around it".into(),
            help: Some("indent fields of the same level by the same number of spaces".into()),
            ..explained
        };
    }
    explained
}

/// The first line (1-based) whose indentation contains a tab, and the tab's column.
fn tab_indent(lines: &[&str]) -> Option<(usize, usize)> {
    lines.iter().enumerate().find_map(|(i, line)| {
        let indent = &line[..line.len() - line.trim_start().len()];
        indent.find('\t').map(|col| (i + 1, indent[..col].chars().count() + 1))
    })
}

/// The last line whose value opens a quote that the line does not close.
fn unclosed_quote(lines: &[&str]) -> Option<(usize, usize)> {
    lines.iter().enumerate().rev().find_map(|(i, line)| {
        let start = line.find(": \"").or_else(|| line.find(": '"))? + 2;
        let rest = &line[start..];
        let quote = rest.chars().next()?;
        let closed = match quote {
            '"' => rest[1..].replace("\\\\", "").replace("\\\"", "").contains('"'),
            _ => rest[1..].replace("''", "").contains('\''),
        };
        (!closed).then(|| (i + 1, line[..start].chars().count() + 1))
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

/// Where each key and value of a YAML document starts, by path: `title`, `enablers[1]`,
/// `source.publisher`, `taxonomies.enablers.terms[0].slug`.
#[derive(Debug, Default, Clone)]
pub struct Spans {
    keys: HashMap<String, Location>,
    values: HashMap<String, Location>,
}

impl Spans {
    /// Collects the spans of `text`, refusing a document nested deeper than [`MAX_DEPTH`] at
    /// its first node too deep. Events are streamed and the walk stops there, so a hostile
    /// document costs little; a syntax error ends the walk quietly (serde_yaml explains it).
    pub fn read(text: &str) -> Result<Spans, YamlError> {
        let mut collector = Collector::default();
        let mut parser = Parser::new_from_str(text);
        loop {
            match parser.next_token() {
                Ok((Event::StreamEnd, _)) => return Ok(collector.spans),
                Ok((event, mark)) => collector.take(event, mark)?,
                // yaml-rust2 gives up at 256 open brackets, before our limit can see them.
                Err(e) if e.info() == "recursion limit exceeded" => return Err(too_deep(*e.marker())),
                Err(_) => return Ok(collector.spans),
            }
        }
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

    /// Where the key at `path` starts, else where its value starts.
    pub fn key(&self, path: &str) -> Option<Location> {
        self.keys.get(path).or_else(|| self.values.get(path)).copied()
    }

    /// Where the value at `path` starts, else where its key starts.
    pub fn value(&self, path: &str) -> Option<Location> {
        self.values.get(path).or_else(|| self.keys.get(path)).copied()
    }
}

#[derive(Debug)]
enum Frame {
    Mapping { path: String, key: Option<String> },
    Sequence { path: String, index: usize },
}

#[derive(Default)]
struct Collector {
    stack: Vec<Frame>,
    spans: Spans,
}

fn location(mark: Marker) -> Location {
    // yaml-rust2 lines are 1-based, columns 0-based.
    Location::new(mark.line(), mark.col() + 1)
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

impl Collector {
    /// The path of the node that starts now, advancing the parent's key or index; `None` when
    /// the node is a mapping key rather than a value.
    fn next_node_path(&mut self) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Sequence { path, index }) => {
                let p = format!("{path}[{index}]");
                *index += 1;
                Some(p)
            }
            Some(Frame::Mapping { path, key }) => key.take().map(|k| join(path, &k)),
        }
    }

    fn on_node(&mut self, mark: Marker, scalar: Option<&str>) -> Option<String> {
        match self.next_node_path() {
            Some(path) => {
                self.spans.values.insert(path.clone(), location(mark));
                Some(path)
            }
            None => {
                // A mapping key: remember it for the value that follows.
                if let Some(Frame::Mapping { path, key }) = self.stack.last_mut() {
                    let name = scalar.unwrap_or("").to_string();
                    self.spans.keys.insert(join(path, &name), location(mark));
                    *key = Some(name);
                }
                None
            }
        }
    }
}

impl Collector {
    /// Records one event; a collection opening deeper than [`MAX_DEPTH`] is refused.
    fn take(&mut self, event: Event, mark: Marker) -> Result<(), YamlError> {
        match event {
            Event::Scalar(value, ..) => {
                self.on_node(mark, Some(&value));
            }
            Event::Alias(_) => {
                self.on_node(mark, None);
            }
            Event::MappingStart(..) | Event::SequenceStart(..) if self.stack.len() >= MAX_DEPTH => {
                return Err(too_deep(mark));
            }
            Event::MappingStart(..) => {
                let path = self.on_node(mark, None).unwrap_or_default();
                self.stack.push(Frame::Mapping { path, key: None });
            }
            Event::SequenceStart(..) => {
                let path = self.on_node(mark, None).unwrap_or_default();
                self.stack.push(Frame::Sequence { path, index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
        Ok(())
    }
}

/// How many lists and maps deep YAML may nest. Real frontmatter and config nest a few levels;
/// the YAML parsers' time grows with depth × length (150,000 `[` took 41 s), so anything
/// deeper is refused before serde_yaml sees it.
pub const MAX_DEPTH: usize = 64;

fn too_deep(mark: Marker) -> YamlError {
    YamlError {
        at: location(mark),
        message: format!("lists and maps are nested more than {MAX_DEPTH} levels deep here"),
        help: Some("flatten this value: a few levels of lists and maps are all a page needs".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_locate_keys_values_and_items() {
        let text = "title: A\nenablers: [one, two]\nsource:\n  publisher: P\nlist:\n  - x\n  - y\n";
        let spans = Spans::read(text).unwrap();
        assert_eq!(spans.key("title"), Some(Location::new(1, 1)));
        assert_eq!(spans.value("title"), Some(Location::new(1, 8)));
        assert_eq!(spans.value("enablers[1]"), Some(Location::new(2, 17)));
        assert_eq!(spans.key("source.publisher"), Some(Location::new(4, 3)));
        assert_eq!(spans.value("list[1]"), Some(Location::new(7, 5)));
    }

    fn syntax(text: &str) -> YamlError {
        let err = serde_yaml::from_str::<serde_yaml::Value>(text).unwrap_err();
        explain_in(text, &err)
    }

    #[test]
    fn syntax_errors_point_at_their_cause() {
        let tab = syntax("a:\n\tb: 1\n");
        assert_eq!((tab.at, tab.message.contains("tab")), (Location::new(2, 1), true));
        let quote = syntax("title: \"open\nsummary: \"x\"\nc: d\n");
        assert_eq!(quote.at, Location::new(1, 8));
        assert!(quote.message.contains("quote"), "{}", quote.message);
        let closed = syntax("title: \"it\\\"s\"\nb:\n  c: 1\n d: 2\n");
        assert!(closed.message.contains("indented"), "{}", closed.message);
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_refused_at_the_first_node_too_deep() {
        let deep = |open: &str| Spans::read(&format!("a: 1\nextra: {}\n", open.repeat(100_000))).unwrap_err();
        // yaml-rust2 reads a flow collection whole before its first event, and gives up at
        // 256 open brackets: that is where the error points.
        for open in ["[", "{a: "] {
            let e = deep(open);
            assert_eq!(e.at.line, 2);
            assert!(e.at.column > 7 + MAX_DEPTH, "{:?}", e.at);
            assert!(e.message.contains("nested"), "{}", e.message);
        }
        let dashes = Spans::read(&format!("extra:\n  {}x\n", "- ".repeat(100_000))).unwrap_err();
        assert_eq!(dashes.at, Location::new(2, 3 + 2 * (MAX_DEPTH - 1)));
        let fine = format!("extra: {}1{}\n", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        assert!(Spans::read(&fine).is_ok());
    }

    #[test]
    fn unknown_field_gets_closest_suggestion() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct S {
            title: String,
        }
        let err = serde_yaml::from_str::<S>("title: a\ntitel: b\n").unwrap_err();
        let explained = explain(&err);
        assert_eq!(explained.at, Location::new(2, 1));
        assert_eq!(explained.help.as_deref(), Some("did you mean `title`?"));
    }
}
