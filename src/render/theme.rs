//! Templates, static files and language files of the theme, layered file by file: the built-in
//! default theme (embedded in the binary), then `themes/<name>/` in the site, then the site's
//! `templates/` (and `i18n/`, merged over the theme's key by key: [`crate::i18n`]). The Tera
//! filters the templates' words need (`plural`, `fill`, `linked`, `script_json`) are
//! registered here.
//! Folders on disk are listed by [`discover::walk`], so they follow the site's one symlink
//! policy: a symlinked `templates/` or theme folder is refused, never read.

use crate::config::Config;
use crate::content::discover::{self, Hidden};
use crate::diagnostics::{display_path, Code, Diagnostic, Diagnostics, Location};
use crate::i18n::{LanguageFile, Translations};
use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::Tera;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Where a template or static file comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A file of the built-in default theme, embedded in the binary.
    Embedded(&'static [u8]),
    /// A file of the site (its theme folder or `templates/`).
    Disk(PathBuf),
}

/// The loaded theme: compiled templates and the static files to copy.
pub struct Theme {
    /// The compiled templates.
    pub tera: Tera,
    /// Output path -> (where it comes from, for messages; its source).
    statics: BTreeMap<String, (String, Source)>,
    /// XXH3-128 of every template's name and text: pages rendered with another theme may
    /// differ even when their contexts do not (see `build`'s reuse of the last generation).
    fingerprint: u128,
    /// The words of every language the theme and site have files for.
    translations: Translations,
    /// Whether every template is the built-in theme's, to the byte (see [`Theme::card_template`]).
    built_in: bool,
}

/// The template rendering one card with the built-in `card` macro (`render::cards`); only
/// added when every template is the built-in one, so no site template can share its name.
const CARD_TEMPLATE: &str = "casebook-card.html";

impl Theme {
    /// Loads the layers for `config.theme` under `root`; broken templates, and files that
    /// cannot be listed or read, are diagnostics.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Diagnostics> {
        let mut templates: BTreeMap<String, (String, Source)> = BTreeMap::new();
        let mut statics: BTreeMap<String, (String, Source)> = BTreeMap::new();
        let mut languages: Vec<(String, Source)> = Vec::new();
        let mut problems = Diagnostics::default();
        add_embedded(&DEFAULT_THEME, "templates", &mut templates, &mut statics);
        languages.extend(embedded_files(&DEFAULT_THEME).into_iter().filter_map(|file| {
            let path = file.path().to_string_lossy().replace('\\', "/");
            path.starts_with("i18n/")
                .then(|| (format!("(built-in theme) {path}"), Source::Embedded(file.contents())))
        }));
        let theme_dir = root.join("themes").join(&config.theme);
        // A symlinked theme folder is reported once here, not once per layer.
        let found = discover::site_folder(root, &theme_dir).map_err(one)?;
        if found {
            // Only templates/ and static/ are read: a theme cloned with its .git stays unread.
            for (layer, files_of) in [("templates", &mut templates), ("static", &mut statics)] {
                let (files, found_problems) = discover::walk(root, &theme_dir.join(layer), Hidden::List);
                problems.extend(found_problems);
                for (path, name) in files {
                    files_of.insert(name, (display_path(root, &path), Source::Disk(path)));
                }
            }
            languages.extend(language_files(root, &theme_dir.join("i18n"), &mut problems));
        } else if config.theme != "default" {
            let d = Diagnostic::error(
                "casebook.yaml",
                Location::default(),
                Code::UnknownTheme,
                format!("theme `{}` was not found at themes/{}/", config.theme, config.theme),
            )
            .with_help("create the theme folder, or use `theme: default`");
            return Err(one(d));
        }
        let (files, found_problems) = discover::walk(root, &root.join("templates"), Hidden::List);
        problems.extend(found_problems);
        for (path, name) in files {
            templates.insert(name, (display_path(root, &path), Source::Disk(path)));
        }
        languages.extend(language_files(root, &root.join("i18n"), &mut problems));
        let on_disk = statics.values().filter_map(|(_, source)| match source {
            Source::Disk(path) => Some(path.as_path()),
            Source::Embedded(_) => None,
        });
        problems.extend(discover::unreadable(root, on_disk));
        if problems.has_errors() {
            return Err(problems);
        }
        let translations = translations(root, &languages)?;
        let (mut tera, fingerprint, built_in) = compile(root, &templates)?;
        if built_in {
            let card = r#"{% import "macros.html" as m %}{{ m::card(r=r, root=root, t=t) }}"#;
            tera.add_raw_template(CARD_TEMPLATE, card).map_err(|e| {
                one(Diagnostic::error(
                    "(built-in theme) templates/macros.html",
                    Location::default(),
                    Code::TemplateError,
                    error_chain(&e),
                ))
            })?;
        }
        Ok(Theme {
            tera,
            statics,
            fingerprint,
            translations,
            built_in,
        })
    }

    /// The template that renders one card as the built-in `cards` macro would, when every
    /// template is the built-in theme's (embedded, or a site's unchanged copy): their pages
    /// can then hold each card rendered once per page depth (`render::cards`). `None` when
    /// any template is the site's own, which may read any field of a card.
    pub fn card_template(&self) -> Option<&'static str> {
        self.built_in.then_some(CARD_TEMPLATE)
    }

    /// The words of every language, for [`Translations::for_language`].
    pub fn translations(&self) -> &Translations {
        &self.translations
    }

    /// The hash of every template's name and text.
    pub fn fingerprint(&self) -> u128 {
        self.fingerprint
    }

    /// The theme's static files: output path and where the bytes come from.
    pub fn static_sources(&self) -> impl Iterator<Item = (&str, &Source)> {
        self.statics.iter().map(|(path, (_, source))| (path.as_str(), source))
    }

    /// The output path of each static file of the theme, with where it comes from.
    pub fn statics(&self) -> impl Iterator<Item = (&str, &str)> {
        self.statics
            .iter()
            .map(|(path, (label, _))| (path.as_str(), label.as_str()))
    }
}

fn one(d: Diagnostic) -> Diagnostics {
    let mut all = Diagnostics::default();
    all.push(d);
    all
}

fn add_embedded(
    dir: &'static Dir<'static>,
    templates_dir: &str,
    templates: &mut BTreeMap<String, (String, Source)>,
    statics: &mut BTreeMap<String, (String, Source)>,
) {
    for file in embedded_files(dir) {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if let Some(name) = path.strip_prefix(&format!("{templates_dir}/")) {
            let label = format!("(built-in theme) {path}");
            templates.insert(name.to_string(), (label, Source::Embedded(file.contents())));
        } else if let Some(name) = path.strip_prefix("static/") {
            let label = format!("(built-in theme) {path}");
            statics.insert(name.to_string(), (label, Source::Embedded(file.contents())));
        }
    }
}

/// The built-in default theme's files (`templates/...`, `static/...`), for `init`.
pub fn default_theme_files() -> Vec<(String, Vec<u8>)> {
    let files = embedded_files(&DEFAULT_THEME);
    files
        .into_iter()
        .map(|f| (f.path().to_string_lossy().replace('\\', "/"), f.contents().to_vec()))
        .collect()
}

fn embedded_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut files: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(embedded_files(sub));
    }
    files
}

/// The `<code>.yaml` files of the language folder `dir` (files of other kinds are left alone).
fn language_files(root: &Path, dir: &Path, problems: &mut Diagnostics) -> Vec<(String, Source)> {
    let (files, found_problems) = discover::walk(root, dir, Hidden::List);
    problems.extend(found_problems);
    files
        .into_iter()
        .filter(|(_, name)| name.ends_with(".yaml") && !name.contains('/'))
        .map(|(path, _)| (display_path(root, &path), Source::Disk(path)))
        .collect()
}

/// The translations of `files` (label and source, in layer order).
fn translations(root: &Path, files: &[(String, Source)]) -> Result<Translations, Diagnostics> {
    let mut read = Vec::new();
    for (label, source) in files {
        let text = read_text(root, source).map_err(one)?;
        let code = label
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".yaml")
            .to_string();
        read.push(LanguageFile {
            label: label.clone(),
            code,
            text,
        });
    }
    Translations::load(&read).map_err(|found| {
        let mut problems = Diagnostics::default();
        problems.extend(found);
        problems
    })
}

/// The text of a theme file; a file that cannot be read is an `unreadable` diagnostic.
fn read_text(root: &Path, source: &Source) -> Result<String, Diagnostic> {
    match source {
        Source::Embedded(bytes) => Ok(String::from_utf8_lossy(bytes).into_owned()),
        Source::Disk(path) => std::fs::read_to_string(path).map_err(|e| {
            Diagnostic::error(
                &display_path(root, path),
                Location::default(),
                Code::Unreadable,
                format!("cannot read this file: {e}"),
            )
        }),
    }
}

/// The compiled templates, the hash of their names and texts, and whether each is the
/// built-in theme's template of its name, to the byte (a site's copy of the theme included).
fn compile(root: &Path, templates: &BTreeMap<String, (String, Source)>) -> Result<(Tera, u128, bool), Diagnostics> {
    let mut problems = Diagnostics::default();
    let mut raw = Vec::new();
    for (name, (label, source)) in templates {
        match read_text(root, source) {
            Ok(text) => raw.push((name.clone(), label.clone(), text)),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's default also escapes `/`, which makes every href unreadable; HTML and XML need
    // only these five.
    tera.set_escape_fn(crate::markdown::highlight::escape);
    super::words::register(&mut tera);
    let pairs: Vec<(&str, &str)> = raw.iter().map(|(n, _, t)| (n.as_str(), t.as_str())).collect();
    let built_in = pairs.iter().all(|(name, text)| {
        DEFAULT_THEME
            .get_file(format!("templates/{name}"))
            .is_some_and(|file| file.contents() == text.as_bytes())
    });
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for (name, text) in &pairs {
        for part in [name, text] {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
    }
    tera.add_raw_templates(pairs).map_err(|e| {
        let label = raw
            .iter()
            .find(|(n, _, _)| e.to_string().contains(n.as_str()))
            .map_or("templates", |(_, l, _)| l.as_str());
        one(
            Diagnostic::error(label, Location::default(), Code::TemplateError, error_chain(&e))
                .with_help("fix the template, or delete it to fall back to the theme's own"),
        )
    })?;
    Ok((tera, hasher.digest128(), built_in))
}

/// Tera's errors nest their cause; users need the whole chain on one line.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
