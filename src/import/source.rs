//! Reading one document of the old tree: its frontmatter in whichever of Hugo's and Jekyll's
//! formats it is written (YAML `---`, TOML `+++`, JSON `{ … }`) into ordered fields, and its
//! body. Two mechanical repairs happen here, each recorded: blank lines before the opening
//! fence are dropped, and a YAML key given twice keeps its last value (as Hugo does).

use super::report::Repair;
use indexmap::IndexMap;
use serde_json::Value;

/// The frontmatter fields of a document, in the order written.
pub type Fields = IndexMap<String, Value>;

/// A document read: its fields, its body and the repairs reading it needed.
#[derive(Debug)]
pub struct Parsed {
    /// The frontmatter, in the order written (empty when the file has none).
    pub fields: Fields,
    /// The text after the frontmatter.
    pub body: String,
    /// Repairs made while reading, with the line (in the old file) each concerns.
    pub repairs: Vec<(Repair, usize)>,
}

/// Why a document could not be read; its text is kept aside for a person.
#[derive(Debug)]
pub struct Unreadable {
    /// The line (in the old file) the problem is at.
    pub line: usize,
    /// What is wrong, in words.
    pub message: String,
}

/// The three frontmatter formats, by their opening line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Yaml,
    Toml,
    Json,
}

/// Reads `text` (one markdown file of the old tree).
pub fn parse(text: &str) -> Result<Parsed, Unreadable> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut repairs = Vec::new();
    let skipped = leading_blank_lines(text);
    let start: usize = text.split_inclusive('\n').take(skipped).map(str::len).sum();
    let rest = &text[start..];
    let first = rest.lines().next().unwrap_or("").trim_end();
    let format = match first {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        "{" => Format::Json,
        _ => {
            return Ok(Parsed {
                fields: Fields::new(),
                body: text.to_string(),
                repairs,
            })
        }
    };
    if skipped > 0 {
        repairs.push((Repair::LeadingBlankLines, 1));
    }
    let fence_line = skipped + 1;
    let (block, body) = split_block(rest, format).ok_or_else(|| Unreadable {
        line: fence_line,
        message: format!("the frontmatter opened by `{first}` is never closed"),
    })?;
    let fields = match format {
        Format::Yaml => yaml_fields(block, fence_line, &mut repairs)?,
        Format::Toml => toml_fields(block, fence_line)?,
        Format::Json => json_fields(block, fence_line)?,
    };
    Ok(Parsed {
        fields,
        body: body.to_string(),
        repairs,
    })
}

/// How many blank lines come before the first line with text.
fn leading_blank_lines(text: &str) -> usize {
    text.lines().take_while(|l| l.trim().is_empty()).count()
}

/// The frontmatter block (without its fences; JSON keeps its braces) and the body after it.
fn split_block(rest: &str, format: Format) -> Option<(&str, &str)> {
    let mut offset = 0;
    let mut lines = rest.split_inclusive('\n');
    let opening = lines.next()?;
    offset += opening.len();
    let block_start = if format == Format::Json { 0 } else { offset };
    for line in lines {
        let end = offset + line.len();
        let closes = match format {
            Format::Yaml => matches!(line.trim_end(), "---" | "..."),
            Format::Toml => line.trim_end() == "+++",
            Format::Json => line.trim_end() == "}",
        };
        if closes {
            let block_end = if format == Format::Json { end } else { offset };
            return Some((&rest[block_start..block_end], &rest[end..]));
        }
        offset = end;
    }
    None
}

/// YAML frontmatter, with what Hugo's and Jekyll's parsers tolerate repaired where
/// serde-saphyr stops: a key given twice keeps its last value, and the lines of a quoted text
/// that continue at the first column (libyaml reads them) are indented. Each repair is made at
/// the line the parser names and only once, so the loop ends.
fn yaml_fields(block: &str, fence_line: usize, repairs: &mut Vec<(Repair, usize)>) -> Result<Fields, Unreadable> {
    let mut block = block.to_string();
    let mut last_wins = false;
    loop {
        let policy = if last_wins {
            serde_saphyr::DuplicateKeyPolicy::LastWins
        } else {
            serde_saphyr::DuplicateKeyPolicy::Error
        };
        let e = match read_yaml(&block, policy) {
            Ok(fields) => return Ok(fields),
            Err(e) => e,
        };
        let line = e.location().map_or(1, |l| l.line() as usize);
        let message = e.to_string();
        let at_first_column = block.lines().nth(line - 1).is_some_and(|l| !l.starts_with([' ', '\t']));
        if message.contains("duplicate") && !last_wins {
            last_wins = true;
            repairs.push((Repair::DuplicateKey, fence_line + line));
        } else if message.contains("multiline quoted scalar") && at_first_column {
            if !repairs.iter().any(|(r, _)| *r == Repair::QuotedTextIndent) {
                repairs.push((Repair::QuotedTextIndent, fence_line + line));
            }
            block = indent_line(&block, line);
        } else {
            return Err(yaml_problem(&e, fence_line));
        }
    }
}

/// `text` with its 1-based line `line` indented by two spaces.
fn indent_line(text: &str, line: usize) -> String {
    text.split_inclusive('\n')
        .enumerate()
        .map(|(i, l)| if i + 1 == line { format!("  {l}") } else { l.to_string() })
        .collect()
}

fn read_yaml(block: &str, duplicate_keys: serde_saphyr::DuplicateKeyPolicy) -> Result<Fields, serde_saphyr::Error> {
    if block
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(Fields::new());
    }
    let options = serde_saphyr::options! {
        duplicate_keys: duplicate_keys,
        // YAML 1.2, as casebook reads it: `yes` and `on` stay text.
        strict_booleans: true,
        with_snippet: false,
        budget: serde_saphyr::budget! { max_depth: crate::yaml::MAX_DEPTH },
    };
    serde_saphyr::from_str_with_options::<Option<Fields>>(block, options).map(Option::unwrap_or_default)
}

fn yaml_problem(e: &serde_saphyr::Error, fence_line: usize) -> Unreadable {
    Unreadable {
        line: fence_line + e.location().map_or(1, |l| l.line() as usize),
        message: format!("the YAML frontmatter does not parse: {e}"),
    }
}

/// TOML frontmatter (`+++`): dates become their RFC 3339 text.
fn toml_fields(block: &str, fence_line: usize) -> Result<Fields, Unreadable> {
    let table: toml::Table = toml::from_str(block).map_err(|e| Unreadable {
        line: fence_line
            + 1
            + e.span()
                .map_or(0, |s| block.get(..s.start).map_or(0, |b| b.matches('\n').count())),
        message: format!("the TOML frontmatter does not parse: {}", e.message()),
    })?;
    Ok(table.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
}

fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(table.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

/// JSON frontmatter: an object from a line `{` to a line `}`.
fn json_fields(block: &str, fence_line: usize) -> Result<Fields, Unreadable> {
    serde_json::from_str::<Fields>(block).map_err(|e| Unreadable {
        line: fence_line + e.line().saturating_sub(1),
        message: format!("the JSON frontmatter does not parse: {e}"),
    })
}

/// Writes `fields` and `body` as a casebook markdown file: YAML frontmatter written by a
/// serializer (never pasted together), then the body.
pub fn write(fields: &Fields, body: &str) -> Result<String, String> {
    let yaml = serde_saphyr::to_string(fields).map_err(|e| e.to_string())?;
    let body = body.strip_prefix('\n').unwrap_or(body);
    Ok(format!("---\n{yaml}---\n\n{body}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_json_and_yaml_frontmatter_read_the_same_fields() {
        let yaml = parse("---\ntitle: A\ntags: [x, y]\n---\nbody\n").unwrap();
        let toml = parse("+++\ntitle = \"A\"\ntags = [\"x\", \"y\"]\n+++\nbody\n").unwrap();
        let json = parse("{\n\"title\": \"A\",\n\"tags\": [\"x\", \"y\"]\n}\nbody\n").unwrap();
        for parsed in [&yaml, &toml, &json] {
            assert_eq!(parsed.fields["title"], "A");
            assert_eq!(parsed.fields["tags"], serde_json::json!(["x", "y"]));
            assert_eq!(parsed.body, "body\n");
        }
    }

    #[test]
    fn duplicate_yaml_keys_keep_the_last_value_and_are_recorded() {
        let parsed = parse("\n\n---\ntitle: A\nslug: one\nslug: two\n---\n").unwrap();
        assert_eq!(parsed.fields["slug"], "two");
        assert_eq!(
            parsed.repairs,
            vec![(Repair::LeadingBlankLines, 1), (Repair::DuplicateKey, 6)]
        );
    }

    #[test]
    fn quoted_text_continued_at_the_first_column_reads_as_libyaml_reads_it() {
        let parsed = parse("---\ntitle: A\nexcerpt: \"one\ntwo\nthree\"\n---\n").unwrap();
        assert_eq!(parsed.fields["excerpt"], "one two three");
        assert_eq!(parsed.repairs, vec![(Repair::QuotedTextIndent, 4)]);
    }

    #[test]
    fn malformed_frontmatter_is_located() {
        let e = parse("+++\ntitle = \"A\"\ndate = = 3\n+++\n").unwrap_err();
        assert_eq!(e.line, 3, "{}", e.message);
        let e = parse("---\ntitle: [a\n").unwrap_err();
        assert_eq!(e.line, 1);
    }

    #[test]
    fn written_yaml_reads_back_the_same_values() {
        let mut fields = Fields::new();
        fields.insert("title".into(), Value::String("Yes: \"quoted\" #1".into()));
        fields.insert("year".into(), Value::String("2023".into()));
        fields.insert("flag".into(), Value::String("true".into()));
        let text = write(&fields, "body\n").unwrap();
        assert_eq!(parse(&text).unwrap().fields, fields);
    }
}
