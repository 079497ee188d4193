//! `contribute:` in casebook.yaml: the box that invites readers to send their own resource —
//! a case study of their own team's work — with a template to download and someone to contact,
//! shown on the pages of the types it names. Academies word it themselves; nothing of it is
//! built in, and a site without the key shows no box.

use crate::diagnostics::{suggestion, Code, Diagnostic, Diagnostics, Location};
use crate::urls::{self, LinkKind};
use crate::yaml::Spans;
use serde::{Deserialize, Serialize};

/// The contribute box as written in casebook.yaml.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contribute {
    /// The types whose resource pages (and listing) show the box, by key (`case-study`).
    pub types: Vec<String>,
    /// The box's heading; empty: the theme's own ("Share your work").
    #[serde(default)]
    pub title: String,
    /// The invitation, as plain text.
    pub text: String,
    /// Output path of a template to download (`files/case-study-template.docx`): a file of
    /// `static/` or `content/`.
    #[serde(default)]
    pub template: Option<String>,
    /// Who to send it to: `mailto:` an address, or a web page (`https://…`).
    #[serde(default)]
    pub contact: Option<String>,
    /// Where `template` stands in casebook.yaml, for a missing-file error found later.
    #[serde(skip)]
    pub template_at: Location,
}

impl Contribute {
    /// Whether pages of type `kind` show the box.
    pub fn shown_on(&self, kind: &str) -> bool {
        self.types.iter().any(|t| t == kind)
    }

    /// The template's output path, without a leading `/`.
    pub fn template_path(&self) -> Option<&str> {
        self.template.as_deref().map(|t| t.trim_start_matches('/'))
    }

    /// Checks what serde cannot: every type is a type of the site (the closest suggested), the
    /// text is not empty, the contact is a link a reader can follow. Records where `template`
    /// stands; whether its file exists is known only once the site is read
    /// ([`crate::site`]: a `missing-asset` error).
    pub(super) fn validate(&mut self, types: &[&str], spans: &Spans, file: &str) -> Diagnostics {
        let mut problems = Diagnostics::default();
        let at = |path: &str| spans.value(path).unwrap_or(Location::new(1, 1));
        self.template_at = at("contribute.template");
        for (i, kind) in self.types.iter().enumerate() {
            if !types.contains(&kind.as_str()) {
                let message = format!("`contribute.types` names `{kind}`, which is not a type of this site");
                let help = format!(
                    "{} (types are the built-in ones and those under `types`)",
                    suggestion(kind, types)
                );
                problems.push(
                    Diagnostic::error(
                        file,
                        at(&format!("contribute.types[{i}]")),
                        Code::InvalidConfig,
                        message,
                    )
                    .with_help(help),
                );
            }
        }
        if self.types.is_empty() {
            problems.push(
                Diagnostic::error(
                    file,
                    at("contribute.types"),
                    Code::InvalidConfig,
                    "`contribute.types` is empty",
                )
                .with_help("name the types whose pages invite contributions, e.g. `types: [case-study]`"),
            );
        }
        if self.text.trim().is_empty() {
            problems.push(
                Diagnostic::error(file, at("contribute.text"), Code::InvalidConfig, "`contribute.text` is empty")
                    .with_help("say what readers may send and how, e.g. \"Has your team changed something across a boundary? Tell us.\""),
            );
        }
        if let Some(contact) = &self.contact {
            if let Some(message) = contact_problem(contact) {
                problems.push(
                    Diagnostic::error(file, at("contribute.contact"), Code::InvalidConfig, message).with_help(
                        "write `mailto:` and an address (\"mailto:library@example.org\"), or an `https://` address",
                    ),
                );
            }
        }
        problems
    }
}

/// What is wrong with `contact` as a link readers follow: it must be a full address with a
/// scheme (a path of the site could not be checked here, and would break unseen), and not one
/// the one link check refuses (`javascript:`, `//host`...).
fn contact_problem(contact: &str) -> Option<String> {
    match urls::link_kind(contact) {
        LinkKind::External => None,
        LinkKind::Refused(message) => Some(message),
        LinkKind::Local => Some(format!(
            "`contribute.contact` `{contact}` is not an email or web address"
        )),
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::diagnostics::{Code, Diagnostic};

    fn errors(text: &str) -> Vec<Diagnostic> {
        Config::parse(text, "casebook.yaml").unwrap_err().sorted()
    }

    #[test]
    fn a_contribute_box_parses_and_is_shown_on_its_types() {
        let text = "title: T\ncontribute:\n  types: [case-study]\n  text: Tell us.\n  template: /files/t.docx\n  contact: \"mailto:a@example.org\"\n";
        let config = Config::parse(text, "casebook.yaml").unwrap();
        let box_ = config.contribute.as_ref().unwrap();
        assert!(box_.shown_on("case-study") && !box_.shown_on("toolkit"));
        assert_eq!(box_.template_path(), Some("files/t.docx"));
        assert_eq!((box_.template_at.line, box_.template_at.column), (5, 13));
    }

    #[test]
    fn an_unknown_contribute_type_is_located_with_the_closest_type() {
        let found = errors("title: T\ncontribute:\n  types: [case-study, case-studies]\n  text: Tell us.\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].line, found[0].column, found[0].code),
            (3, 23, Code::InvalidConfig)
        );
        assert!(found[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `case-study`?"));
    }

    #[test]
    fn an_empty_text_a_script_contact_and_an_unknown_key_are_refused() {
        let found =
            errors("title: T\ncontribute:\n  types: [blog]\n  text: \"\"\n  contact: \"javascript:alert(1)\"\n");
        let places: Vec<(usize, usize)> = found.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(places, [(4, 9), (5, 12)], "{found:?}");
        let found = errors("title: T\ncontribute:\n  types: [blog]\n  text: x\n  contacts: x\n");
        assert_eq!((found[0].line, found[0].column), (5, 3));
    }
}
