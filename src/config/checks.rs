//! `checks:` in casebook.yaml: a map of diagnostic code → `error` | `warn`, so a site can let
//! a class of problem through as a warning — an imported library's links to files that were
//! never in its tree — as Zola's `link_checker.internal_level` does. Only the
//! [`Code::settable`] codes may be set; the defaults stay strict.

use crate::diagnostics::{closest, Code, Diagnostic, Diagnostics, Location, Severity};
use crate::yaml::Spans;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// The levels a code may be set to, as written in casebook.yaml.
const LEVELS: &[&str] = &["error", "warn"];

/// `checks:` as written (code name → level), and the levels it sets once validated.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Checks {
    written: IndexMap<String, String>,
    #[serde(skip)]
    levels: Vec<(Code, Severity)>,
}

impl Checks {
    /// The severity the site sets for `code`, if it sets one.
    pub fn level(&self, code: Code) -> Option<Severity> {
        self.levels.iter().find(|(c, _)| *c == code).map(|&(_, s)| s)
    }

    /// Gives every problem of `problems` the severity the site sets for its code (firm ones
    /// excepted: see [`Diagnostic::firm`]).
    pub fn apply(&self, problems: &mut Diagnostics) {
        if !self.levels.is_empty() {
            problems.set_levels(|code| self.level(code));
        }
    }

    /// Reads the written map into levels; each unknown code, code that cannot be set or
    /// unknown level is an error at its place in `file`, with the closest valid one suggested.
    pub(super) fn resolve(&mut self, spans: &Spans, file: &str) -> Diagnostics {
        let mut problems = Diagnostics::default();
        let settable: Vec<&str> = Code::ALL.iter().filter(|c| c.settable()).map(|c| c.as_str()).collect();
        for (name, level) in &self.written {
            let path = format!("checks.{name}");
            let code = Code::from_name(name).filter(|c| c.settable());
            let Some(code) = code else {
                let at = spans.key(&path).unwrap_or(Location::new(1, 1));
                problems.push(code_problem(file, at, name, &settable));
                continue;
            };
            let severity = match level.as_str() {
                "error" => Severity::Error,
                "warn" => Severity::Warning,
                _ => {
                    let at = spans.value(&path).unwrap_or(Location::new(1, 1));
                    // `warning` is too far from `warn` for a typo, but plainly meant it.
                    let near = closest(level, LEVELS.iter().copied())
                        .or_else(|| LEVELS.iter().copied().find(|l| level.starts_with(l)));
                    let help = match near {
                        Some(c) => format!("did you mean `{c}`? (a check is `error` or `warn`)"),
                        None => "a check is `error` or `warn`".to_string(),
                    };
                    let message = format!("`{level}` is not a level for `{name}`");
                    problems.push(Diagnostic::error(file, at, Code::InvalidConfig, message).with_help(help));
                    continue;
                }
            };
            self.levels.push((code, severity));
        }
        problems
    }
}

/// The error for a `checks:` key that is not a code the site may set.
fn code_problem(file: &str, at: Location, name: &str, settable: &[&str]) -> Diagnostic {
    let list = || settable.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ");
    let (message, help) = match Code::from_name(name) {
        Some(Code::UnknownField) => (
            "`unknown-field` is set by `frontmatter.unknown_fields`, not `checks`".to_string(),
            "write `frontmatter: { unknown_fields: warn }` instead".to_string(),
        ),
        Some(_) => (
            format!("`{name}` cannot be set in `checks`: a site with this problem cannot be built safely"),
            format!("fix the problem itself; `checks` may set {}", list()),
        ),
        None => (
            format!("`{name}` is not a diagnostic code `checks` may set"),
            match closest(name, settable.iter().copied()) {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!("`checks` may set {}", list()),
            },
        ),
    };
    Diagnostic::error(file, at, Code::InvalidConfig, message).with_help(help)
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::diagnostics::{Code, Diagnostic, Diagnostics, Location, Severity};

    fn errors(text: &str) -> Vec<Diagnostic> {
        Config::parse(text, "casebook.yaml").unwrap_err().sorted()
    }

    #[test]
    fn checks_demote_a_settable_code_and_leave_others_strict() {
        let config = Config::parse(
            "title: T\nchecks:\n  broken-link: warn\n  unused-term: error\n",
            "casebook.yaml",
        )
        .unwrap();
        assert_eq!(config.checks.level(Code::BrokenLink), Some(Severity::Warning));
        assert_eq!(config.checks.level(Code::UnusedTerm), Some(Severity::Error));
        assert_eq!(config.checks.level(Code::UnknownTerm), None);
        let mut problems = Diagnostics::default();
        let at = Location::new(3, 1);
        problems.push(Diagnostic::error("content/a.md", at, Code::BrokenLink, "missing"));
        problems.push(Diagnostic::error("content/a.md", at, Code::BrokenLink, "javascript:").firm());
        problems.push(Diagnostic::error("content/a.md", at, Code::UnknownTerm, "x"));
        config.checks.apply(&mut problems);
        let severities: Vec<Severity> = problems.into_iter().map(|d| d.severity).collect();
        assert_eq!(severities, [Severity::Warning, Severity::Error, Severity::Error]);
    }

    #[test]
    fn an_unknown_check_code_is_located_with_the_closest_settable_code() {
        let found = errors("title: T\nchecks:\n  broken-links: warn\n");
        assert_eq!(
            (found[0].line, found[0].column, found[0].code),
            (3, 3, Code::InvalidConfig)
        );
        assert_eq!(found[0].help.as_deref(), Some("did you mean `broken-link`?"));
    }

    #[test]
    fn a_code_that_cannot_be_demoted_is_refused_at_its_key() {
        let found = errors("title: T\nchecks:\n  output-collision: warn\n  unknown-field: warn\n");
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!((found[0].line, found[0].column), (3, 3));
        assert!(found[0].message.contains("cannot be set"), "{}", found[0].message);
        assert!(found[1].help.as_deref().unwrap().contains("unknown_fields"));
    }

    #[test]
    fn an_unknown_check_level_is_located_at_its_value() {
        let found = errors("title: T\nchecks:\n  broken-link: warning\n");
        assert_eq!((found[0].line, found[0].column), (3, 16));
        assert!(found[0].help.as_deref().unwrap().starts_with("did you mean `warn`?"));
    }
}
