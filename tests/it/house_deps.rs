//! The house rules of issue #10: dependencies point one way, down the pipeline (every module
//! of `src/` imports only modules of its own layer or the layers before it), and `check`
//! validates what `build` validates because both run the same `Sources::validate`.

use crate::common;

use casebook::{check, BuildOptions};
use std::collections::BTreeMap;
use std::path::Path;

/// The layers of the crate in pipeline order: a module may use its own layer and the ones
/// before it, never one after. A module is named by its first path segment under `src/`
/// (`src/content/discover.rs` is `content`); `main` and `cli` are the binary.
const LAYERS: &[&[&str]] = &[
    &["colour", "controls", "diagnostics", "i18n", "urls", "yaml"],
    &["config"],
    &["content"],
    &["markdown"],
    &["library"],
    &["render", "search"],
    &["output", "plan"],
    &["build", "import", "scaffold", "site"],
    &["incremental", "serve"],
    &["cli", "main"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The module a file of `src/` belongs to (`None` for `lib.rs`, the table of contents).
fn module_of(rel: &str) -> Option<&str> {
    let first = rel.split('/').next()?;
    match first.strip_suffix(".rs") {
        Some("lib") => None,
        Some(stem) => Some(stem),
        None => Some(first),
    }
}

/// What the crate root re-exports (`pub use site::{check, Site};`): item -> its module, so a
/// `crate::Site` counts as a use of `site`.
fn root_exports(lib_rs: &str) -> BTreeMap<String, String> {
    let mut exports = BTreeMap::new();
    for line in lib_rs.lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, items)) = rest.trim_end_matches(';').split_once("::") else {
            continue;
        };
        for item in items.trim_matches(['{', '}']).split(',') {
            exports.insert(item.trim().to_string(), module.to_string());
        }
    }
    exports
}

/// The first segments of every `crate::` (or, in the binary, `casebook::`) path in `source`,
/// groups included: `use crate::{config::Config, urls};` names `config` and `urls`.
fn modules_used(source: &str, prefix: &str) -> Vec<String> {
    let code: String = source
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut used = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find(prefix) {
        let preceded_by_ident = rest[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        rest = &rest[at + prefix.len()..];
        if preceded_by_ident {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let end = group
                .find(|c| {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => return true,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    false
                })
                .unwrap_or(group.len());
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in group[..end].char_indices().chain([(end, ',')]) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        used.push(first_segment(&group[start..i]));
                        start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            used.push(first_segment(rest));
        }
    }
    used.retain(|m| !m.is_empty() && m != "self");
    used
}

fn first_segment(path: &str) -> String {
    path.trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// Every use of a module from a later layer: `file: module (layer) uses module (layer)`.
fn violations(files: &[(String, String)], exports: &BTreeMap<String, String>) -> Vec<String> {
    let mut found = Vec::new();
    for (rel, source) in files {
        let Some(module) = module_of(rel) else { continue };
        let Some(own) = layer_of(module) else {
            found.push(format!("{rel}: module `{module}` is in no layer of LAYERS"));
            continue;
        };
        let prefix = if own == LAYERS.len() - 1 {
            "casebook::"
        } else {
            "crate::"
        };
        for used in modules_used(source, prefix) {
            let target = exports.get(&used).cloned().unwrap_or(used);
            match layer_of(&target) {
                Some(layer) if layer <= own => {}
                Some(layer) => found.push(format!(
                    "{rel}: `{module}` (layer {own}) uses `{target}` (layer {layer}), a later stage"
                )),
                None => found.push(format!("{rel}: uses `{target}`, which is in no layer of LAYERS")),
            }
        }
    }
    found
}

fn sources_under(dir: &Path, base: &Path, files: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources_under(&path, base, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
            files.push((rel, std::fs::read_to_string(&path).unwrap()));
        }
    }
}

#[test]
fn no_module_uses_a_later_stage_of_the_pipeline() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources_under(&src, &src, &mut files);
    assert!(files.len() > 40, "found only {} files under src/", files.len());
    let exports = root_exports(&std::fs::read_to_string(src.join("lib.rs")).unwrap());
    assert_eq!(exports.get("Site").map(String::as_str), Some("site"));
    let found = violations(&files, &exports);
    assert!(
        found.is_empty(),
        "dependencies against the pipeline:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_layer_check_catches_an_upward_import() {
    let exports = root_exports("pub use site::{check, Site};\npub use output::Output;");
    let file = |rel: &str, source: &str| vec![(rel.to_string(), source.to_string())];
    // What issue #10 found: render reaching back up for the Site.
    let found = violations(&file("render/mod.rs", "use crate::Site;\nfn f() {}"), &exports);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("`render` (layer 5) uses `site` (layer 7)"),
        "{found:?}"
    );
    // Inside a group, and as a path in code.
    let grouped = "use crate::{config::Config, library::Library};\nfn f() { crate::output::x(); }";
    let found = violations(&file("content/mod.rs", grouped), &exports);
    assert_eq!(found.len(), 2, "{found:?}");
    // Looking down, a comment, and a longer name ending in `crate` are fine.
    let fine = "use crate::{urls, diagnostics::{Code, Location}};\n// crate::site\nlet notcrate::site = 1;";
    assert_eq!(
        violations(&file("markdown/mod.rs", fine), &exports),
        Vec::<String>::new()
    );
    // A module nobody placed is reported, so the table stays complete.
    assert_eq!(violations(&file("newthing.rs", ""), &exports).len(), 1);
}

/// A missing logo used to fail `build` only (it was checked against the rendered output);
/// it is now checked against the output plan in `Sources::validate`, which `check` runs too.
#[test]
fn check_reports_a_missing_logo_as_build_does() {
    let site = common::copy_fixture("tests/sites/theme");
    let config = site.path().join("casebook.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("logo: images/logo.svg"));
    std::fs::write(&config, text.replace("logo: images/logo.svg", "logo: images/logo.png")).unwrap();
    let problems = check(site.path(), &BuildOptions::default()).unwrap_or_else(|_| panic!("readable"));
    let missing: Vec<_> = problems
        .sorted()
        .into_iter()
        .filter(|d| d.code.as_str() == "missing-asset")
        .collect();
    assert_eq!(missing.len(), 1, "{:?}", problems.sorted());
    assert_eq!((missing[0].line, missing[0].column), (7, 9));
}
