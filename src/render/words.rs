//! The Tera filters that put the theme's words ([`crate::i18n`], `t` in every template) on a
//! page:
//!
//! - `plural(n=…, lang=lang)`: the form of a counted string for the number `n` in the page's
//!   language, `{n}` filled: `{{ t.count_resources | plural(n=term.count, lang=lang) }}`;
//! - `fill(name=…, …)`: `{name}` placeholders filled: `{{ t.home_browse_by | fill(name=x) }}`;
//! - `linked(href=…)`: the text escaped and its `[words]` made a link to `href` (then `| safe`);
//! - `script_json(prefixes=[…])`: the strings whose keys start with a prefix, as JSON safe
//!   inside a `<script type="application/json">` element (the search page's words for
//!   `js/search.js`).
//!
//! Tera filters do not see the page's context, so `plural` is given `lang`.

use crate::i18n;
use crate::markdown::highlight::escape;
use std::collections::{BTreeMap, HashMap};
use tera::{Tera, Value};

/// Registers the filters on `tera`.
pub fn register(tera: &mut Tera) {
    tera.register_filter("plural", plural);
    tera.register_filter("fill", fill);
    tera.register_filter("linked", linked);
    tera.register_filter("script_json", script_json);
}

fn plural(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let n = args
        .get("n")
        .and_then(Value::as_u64)
        .ok_or_else(|| tera::Error::msg("`plural` needs `n`, a whole number of 0 or more"))?;
    let lang = args
        .get("lang")
        .and_then(Value::as_str)
        .ok_or_else(|| tera::Error::msg("`plural` needs `lang=lang`, the page's language"))?;
    let form = match value {
        Value::String(text) => text.clone(),
        Value::Object(forms) => {
            let forms: BTreeMap<String, String> = forms
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect();
            i18n::pick(&forms, lang, n).to_string()
        }
        _ => return Err(tera::Error::msg("`plural` is for a counted string of `t`")),
    };
    Ok(Value::String(i18n::fill(&form, &[("n", &n.to_string())])))
}

fn fill(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("`fill` is for a string of `t`"))?;
    let values: Vec<(&str, String)> = args
        .iter()
        .map(|(name, v)| {
            let v = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (name.as_str(), v)
        })
        .collect();
    let pairs: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
    Ok(Value::String(i18n::fill(text, &pairs)))
}

fn linked(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("`linked` is for a string of `t`"))?;
    let href = args
        .get("href")
        .and_then(Value::as_str)
        .ok_or_else(|| tera::Error::msg("`linked` needs `href`"))?;
    Ok(Value::String(link_brackets(text, href)))
}

/// `text` escaped, with its first `[words]` as a link to `href` (all of it when it has none).
pub fn link_brackets(text: &str, href: &str) -> String {
    let open = text.find('[');
    let close = open.and_then(|o| text[o..].find(']').map(|c| o + c));
    let (before, words, after) = match (open, close) {
        (Some(o), Some(c)) => (&text[..o], &text[o + 1..c], &text[c + 1..]),
        _ => ("", text, ""),
    };
    format!(
        "{}<a href=\"{}\">{}</a>{}",
        escape(before),
        escape(href),
        escape(words),
        escape(after)
    )
}

fn script_json(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let strings = value
        .as_object()
        .ok_or_else(|| tera::Error::msg("`script_json` is for `t`"))?;
    let prefixes: Vec<&str> = args
        .get("prefixes")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let chosen: serde_json::Map<String, Value> = strings
        .iter()
        .filter(|(key, _)| prefixes.iter().any(|p| key.starts_with(p)))
        .map(|(key, v)| (key.clone(), v.clone()))
        .collect();
    let json = crate::search::browser::script_safe_json(&Value::Object(chosen))
        .map_err(|e| tera::Error::msg(format!("`script_json`: {e}")))?;
    Ok(Value::String(json))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn args(pairs: &[(&str, Value)]) -> HashMap<String, Value> {
        pairs.iter().map(|(k, v)| ((*k).to_string(), v.clone())).collect()
    }

    #[test]
    fn plural_picks_the_languages_form() {
        let forms = json!({"one": "{n} bwlch", "two": "{n} fwlch", "other": "{n} bwlch"});
        let of = |n: u64, lang: &str| plural(&forms, &args(&[("n", json!(n)), ("lang", json!(lang))])).unwrap();
        assert_eq!(of(2, "cy"), json!("2 fwlch"));
        assert_eq!(of(2, "en-GB"), json!("2 bwlch"));
        assert!(plural(&forms, &args(&[("n", json!(2))])).is_err(), "lang is required");
    }

    #[test]
    fn linked_escapes_and_links_the_bracketed_words() {
        assert_eq!(
            link_brackets("Browse <the> [home page] instead.", "../index.html"),
            "Browse &lt;the&gt; <a href=\"../index.html\">home page</a> instead."
        );
        assert_eq!(link_brackets("All", "x"), "<a href=\"x\">All</a>");
    }

    #[test]
    fn script_json_keeps_the_prefixed_keys_and_cannot_end_the_script() {
        let t = json!({"search_a": "</script>", "home": "x"});
        let out = script_json(&t, &args(&[("prefixes", json!(["search_"]))])).unwrap();
        let text = out.as_str().unwrap();
        assert!(!text.contains("</script>") && !text.contains("home"), "{text}");
    }
}
