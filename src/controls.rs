//! Control characters: C0 (but tab, line feed and carriage return), DEL and C1.
//!
//! They are invisible in an editor, most of them cannot be written in XML 1.0 at all (not even
//! as `&#27;`), HTML counts them as parse errors, and on a terminal they are commands (`ESC [2J`
//! clears the screen). So Casebook refuses them where text comes in — markdown files and every
//! string of the frontmatter and of `casebook.yaml`, each with a located error
//! ([`first_in`], [`in_yaml`]) — and, as a second line for text from elsewhere (a theme, an old
//! index), drops what XML cannot carry from feeds and the sitemap ([`for_xml`]) and shows any
//! that reach a terminal as visible symbols ([`visible`]).

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::yaml::{Mapping, Node, Spans, Value};
use std::borrow::Cow;

/// Whether `c` is a control character text may not carry (tab and line breaks are text).
pub fn is_refused(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The byte offset and character of the first refused control character in `text`.
pub fn first_in(text: &str) -> Option<(usize, char)> {
    // Every refused character starts with a byte below 0x20, DEL's 0x7F or, for C1
    // (U+0080–U+009F), 0xC2: only those are decoded, not every character of a whole file.
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b < 0x20 || b == 0x7f || b == 0xc2)
        .find_map(|(i, _)| text[i..].chars().next().filter(|&c| is_refused(c)).map(|c| (i, c)))
}

/// The message for a control character found in text: its code point and what it does.
pub fn message(c: char) -> String {
    format!(
        "this text holds the invisible control character U+{:04X}, which breaks feeds and terminals",
        u32::from(c)
    )
}

/// The help for [`message`].
pub const HELP: &str = "delete it (it often comes with text pasted from a word processor or a terminal); \
     in a double-quoted YAML string, remove the escape (`\\e`, `\\x1b`, `\\u001b`) that makes it";

/// The paths (`title`, `authors[1]`, `source.url`, as `yaml::Spans` names them) of the keys
/// and strings of `map` that hold a refused control character, with the first one of each.
pub fn in_yaml(map: &Mapping) -> Vec<(String, char)> {
    let mut found = Vec::new();
    walk_mapping(map, "", &mut found);
    found
}

fn walk(node: &Node, path: String, found: &mut Vec<(String, char)>) {
    match &node.value {
        Value::String(s) => {
            if let Some((_, c)) = first_in(s) {
                found.push((path, c));
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, format!("{path}[{i}]"), found);
            }
        }
        Value::Mapping(map) => walk_mapping(map, &path, found),
        _ => {}
    }
}

fn walk_mapping(map: &Mapping, path: &str, found: &mut Vec<(String, char)>) {
    for (key, item) in &map.entries {
        let name = key.scalar_text().unwrap_or_default();
        let child = if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        if let Some((_, c)) = first_in(name) {
            found.push((child.clone(), c));
        }
        walk(item, child, found);
    }
}

/// The control characters in the strings of the YAML document `root` (`casebook.yaml`),
/// each an error at its value as `spans` places it.
pub fn problems_in_yaml(root: &Node, file: &str, spans: &Spans) -> Vec<Diagnostic> {
    let Value::Mapping(map) = &root.value else {
        return Vec::new();
    };
    in_yaml(map)
        .into_iter()
        .map(|(path, c)| {
            let at = spans.value(&path).unwrap_or(Location::new(1, 1));
            Diagnostic::error(file, at, Code::ControlCharacter, message(c)).with_help(HELP)
        })
        .collect()
}

/// `text` without the characters XML 1.0 cannot carry: C0 controls but tab, line feed and
/// carriage return, and the non-characters U+FFFE and U+FFFF.
pub fn for_xml(text: &str) -> Cow<'_, str> {
    let invalid = |c: char| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}');
    if text.contains(invalid) {
        Cow::Owned(text.chars().filter(|&c| !invalid(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// `text` safe to print on a terminal: every control character but tab and line feed becomes
/// one visible character (`␛` for escape, the Unicode "control pictures"; `�` for C1), so
/// columns still line up.
pub fn visible(text: &str) -> Cow<'_, str> {
    if text.contains(|c: char| c.is_control() && !matches!(c, '\t' | '\n')) {
        Cow::Owned(text.chars().map(visible_char).collect())
    } else {
        Cow::Borrowed(text)
    }
}

fn visible_char(c: char) -> char {
    match c {
        '\t' | '\n' => c,
        '\0'..='\x1f' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{FFFD}'),
        '\x7f' => '\u{2421}',
        c if c.is_control() => '\u{FFFD}',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_but_tab_and_line_breaks_are_refused() {
        assert_eq!(first_in("a\tb\r\nc"), None);
        assert_eq!(first_in("ab\x1b[2J"), Some((2, '\x1b')));
        assert_eq!(first_in("x\u{9b}"), Some((1, '\u{9b}')));
        assert_eq!(first_in("\x7f"), Some((0, '\x7f')));
    }

    #[test]
    fn the_byte_scan_finds_what_a_scan_of_every_character_finds() {
        let texts = [
            "",
            "plain",
            "é\u{a0}ŵ\u{9f}",
            "\u{80}",
            "\u{a0}\u{85}x",
            "日本\x00",
            "tab\tcr\rlf\n",
            "\u{2028}\u{feff}",
        ];
        for text in texts {
            let every = text.char_indices().find(|&(_, c)| is_refused(c));
            assert_eq!(first_in(text), every, "{text:?}");
        }
    }

    #[test]
    fn yaml_paths_name_the_strings_and_keys_that_hold_controls() {
        let root = crate::yaml::parse(
            "title: \"a\\eb\"\nauthors: [x, \"\\a\"]\nsource: { url: \"\\x01\" }\n\"\\e\": 1\nok: y\n",
        )
        .unwrap();
        let Value::Mapping(map) = &root.value else {
            panic!("a map")
        };
        let found = in_yaml(map);
        let paths: Vec<(&str, char)> = found.iter().map(|(p, c)| (p.as_str(), *c)).collect();
        assert_eq!(
            paths,
            [
                ("title", '\x1b'),
                ("authors[1]", '\x07'),
                ("source.url", '\x01'),
                ("\x1b", '\x1b')
            ]
        );
    }

    #[test]
    fn xml_loses_only_what_it_cannot_carry() {
        assert_eq!(for_xml("a\x1bb\tc\u{FFFF}\u{85}"), "ab\tc\u{85}");
        assert!(matches!(for_xml("plain <text>"), Cow::Borrowed(_)));
    }

    #[test]
    fn terminals_see_symbols_one_for_one() {
        assert_eq!(
            visible("a\x1b[2J\tb\r\x07\x7f\u{9b}"),
            "a\u{241b}[2J\tb\u{240d}\u{2407}\u{2421}\u{fffd}"
        );
        assert!(matches!(visible("plain\nline"), Cow::Borrowed(_)));
    }
}
