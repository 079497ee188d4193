//! Sorting a batch of file-system events into the [`ChangeKind`]s a rebuild needs.

use crate::config::CONFIG_FILE;
use crate::incremental::ChangeKind;
use std::path::{Component, Path, PathBuf};

/// What `paths` (as the watcher reports them) change in the site at `root`. Editor
/// leftovers (hidden files, `x~` backups) and anything outside the site's inputs (`public/`,
/// `.git/`) change nothing. Each kind appears at most once; content paths are sorted.
pub fn classify(root: &Path, paths: &[PathBuf]) -> Vec<ChangeKind> {
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut content: Vec<String> = Vec::new();
    let mut kinds: Vec<ChangeKind> = Vec::new();
    for path in paths {
        let Some(rel) = path.strip_prefix(&canonical).or_else(|_| path.strip_prefix(root)).ok() else {
            continue;
        };
        match kind_of(rel) {
            Some(ChangeKind::Content(paths)) => content.extend(paths),
            Some(kind) if !kinds.contains(&kind) => kinds.push(kind),
            _ => {}
        }
    }
    if !content.is_empty() {
        content.sort();
        content.dedup();
        kinds.insert(0, ChangeKind::Content(content));
    }
    kinds
}

/// The kind of change of one path relative to the site root.
fn kind_of(rel: &Path) -> Option<ChangeKind> {
    let parts: Vec<&str> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    if parts.iter().any(|p| is_editor_leftover(p)) {
        return None;
    }
    match parts.as_slice() {
        [file] if *file == CONFIG_FILE => Some(ChangeKind::Config),
        ["content", rest @ ..] => Some(ChangeKind::Content(vec![rest.join("/")])),
        ["static", ..] => Some(ChangeKind::Static),
        ["templates", ..] | ["themes", ..] | ["i18n", ..] => Some(ChangeKind::Templates),
        _ => None,
    }
}

/// Hidden files (`.x.md.swp`, `.#x.md`), backups (`x.md~`) and vim's write test (`4913`).
fn is_editor_leftover(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~') || name == "4913"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(paths: &[&str], expect: &[ChangeKind]) {
        let root = Path::new("/site");
        let paths: Vec<PathBuf> = paths.iter().map(|p| root.join(p)).collect();
        assert_eq!(classify(root, &paths), expect, "{paths:?}");
    }

    fn content(paths: &[&str]) -> ChangeKind {
        ChangeKind::Content(paths.iter().copied().map(String::from).collect())
    }

    #[test]
    fn content_files_are_listed_once_sorted() {
        check(
            &["content/b.md", "content/a/x.md", "content/b.md"],
            &[content(&["a/x.md", "b.md"])],
        );
    }

    #[test]
    fn the_content_folder_itself_is_every_content_file() {
        check(&["content"], &[content(&[""])]);
    }

    #[test]
    fn static_templates_themes_and_config_are_their_own_kinds() {
        check(&["static/css/x.css", "static/y.png"], &[ChangeKind::Static]);
        check(
            &["templates/page.html", "themes/t/static/a.css"],
            &[ChangeKind::Templates],
        );
        check(&["casebook.yaml"], &[ChangeKind::Config]);
        check(
            &["casebook.yaml", "content/a.md", "static/x"],
            &[content(&["a.md"]), ChangeKind::Config, ChangeKind::Static],
        );
    }

    #[test]
    fn editor_leftovers_and_outputs_change_nothing() {
        check(
            &[
                "content/.a.md.swp",
                "content/a.md~",
                "content/4913",
                "content/.#a.md",
                "public/index.html",
                ".git/index",
                "README.md",
                "content/.hidden/x.md",
            ],
            &[],
        );
    }

    #[test]
    fn paths_outside_the_site_change_nothing() {
        assert_eq!(
            classify(Path::new("/site"), &[PathBuf::from("/elsewhere/content/a.md")]),
            vec![]
        );
    }
}
