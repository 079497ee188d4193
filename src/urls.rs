//! Output paths and the relative links between them.
//!
//! Every page lives at `<dir>/index.html`; a page's *url* is its folder with a trailing slash
//! (`case-studies/x/`, the home page is ``). Links are always relative and name `index.html`
//! explicitly, so the site works from any web server, any sub-path and from `file://`.
//!
//! [`link_kind`] is the one place that tells a local link from an external or a refused one,
//! for markdown links, attachments, frontmatter URLs (`link`, `source.url`) and footer links.

/// Lower-case ASCII letters, digits, `_` and single hyphens: `"My Case (2019)"` ->
/// `my-case-2019`. Other scripts are transliterated first (`deunicode`): `"Zürich"` -> `zurich`.
/// The ASCII rules are our own, not the `slug` crate's, which turns `_` into `-` and so would
/// move existing pages.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// The output file that serves the old URL `path` of a resource's `aliases:` (where its
/// redirect page is written): `old/path/` and `/old/path` are `old/path/index.html`, a name
/// ending in `.html` or `.htm` is that file; `%xx` escapes are decoded, since a web server
/// maps a request to the decoded name. `Err` says why the path cannot be one.
pub fn alias_file(path: &str) -> Result<String, String> {
    if path.contains("://") || path.starts_with("//") {
        return Err(format!("`{path}` is not a path of this site"));
    }
    if path.contains(['?', '#', '\\']) {
        return Err(format!("`{path}` has a `?`, `#` or `\\`; an old URL is a plain path"));
    }
    let decoded = percent_decode(path).ok_or_else(|| format!("`{path}` has a `%` escape that is not UTF-8"))?;
    let trimmed = decoded.trim_matches('/');
    let parts: Vec<&str> = trimmed.split('/').collect();
    if trimmed.is_empty() {
        return Err(format!("`{path}` is the home page"));
    }
    if parts.iter().any(|p| p.is_empty() || *p == "." || *p == "..") {
        return Err(format!("`{path}` has an empty, `.` or `..` folder name"));
    }
    let last = parts[parts.len() - 1];
    let is_file = !decoded.ends_with('/') && (last.ends_with(".html") || last.ends_with(".htm"));
    Ok(if is_file {
        trimmed.to_string()
    } else {
        page_file(&format!("{trimmed}/"))
    })
}

/// The output folder (url) for a content folder: each segment slugified, trailing `/`.
pub fn dir_url(content_dir: &str) -> String {
    content_dir
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| format!("{}/", slugify(s)))
        .collect()
}

/// The file a url is served from: `a/b/` -> `a/b/index.html`.
pub fn page_file(url: &str) -> String {
    format!("{url}index.html")
}

/// The prefix that leads from the folder of `url` back to the site root: `a/b/` -> `../../`.
pub fn root_prefix(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// A relative link from the page at `from_url` to the output file `to_path`.
pub fn relative(from_url: &str, to_path: &str) -> String {
    let from: Vec<&str> = from_url.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to_path.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let common = common.min(to.len().saturating_sub(1));
    let mut link = "../".repeat(from.len() - common);
    link.push_str(&to[common..].join("/"));
    link
}

/// Resolves `target` against the content folder `base_dir`; `None` when it climbs out.
pub fn resolve(base_dir: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        base_dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// What a link written by an editor points at, read the way a browser reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkKind {
    /// A place in the site: a path, an `#anchor`, or nothing.
    Local,
    /// Another site or application, with a scheme (`https:`, `mailto:`, `tel:`).
    External,
    /// Never published; the message says why and how to fix it.
    Refused(String),
}

/// Schemes that run code or embed a whole document in the reader's browser.
const REFUSED_SCHEMES: [&str; 3] = ["javascript", "vbscript", "data"];

/// Tells what `href` points at. Browsers ignore leading and trailing spaces and controls and
/// every tab or newline inside a URL, and read `\` as `/`, so this does too: `java\tscript:`
/// is still a script. Protocol-relative links (`//host/x`) are refused: opened from disk,
/// they would mean `file://host/x`.
pub fn link_kind(href: &str) -> LinkKind {
    let trimmed = href.trim_matches(|c: char| c <= ' ');
    let url: String = trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    if url.starts_with(['/', '\\']) && url[1..].starts_with(['/', '\\']) {
        let rest = url.trim_start_matches(['/', '\\']);
        return LinkKind::Refused(format!(
            "`{href}` has no scheme: opened from disk it would point at `file://{rest}`; write `https://{rest}`"
        ));
    }
    match scheme(&url) {
        None => LinkKind::Local,
        Some(scheme) if REFUSED_SCHEMES.contains(&scheme.as_str()) => LinkKind::Refused(format!(
            "`{scheme}:` links are refused: they would run code or open an embedded document in the reader's browser"
        )),
        Some(_) => LinkKind::External,
    }
}

/// The scheme of `url` in lower case: a letter, then letters, digits, `+`, `-` or `.`, then `:`.
fn scheme(url: &str) -> Option<String> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// Decodes `%XX` escapes in a URL path; `None` when the result is not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(text).decode_utf8().ok()?;
    Some(decoded.into_owned())
}

/// Decodes a query-string name or value: `+` as a space, then `%XX` escapes (so `%2B` stays
/// a plus).
pub fn decode_form(text: &str) -> Option<String> {
    percent_decode(&text.replace('+', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alias_path_becomes_the_file_a_server_answers_it_from() {
        assert_eq!(alias_file("old/path/").unwrap(), "old/path/index.html");
        assert_eq!(alias_file("/old/path").unwrap(), "old/path/index.html");
        assert_eq!(alias_file("/posts/2019/x.html").unwrap(), "posts/2019/x.html");
        assert_eq!(alias_file("/caf%C3%A9/").unwrap(), "café/index.html");
        for bad in [
            "/",
            "../x/",
            "a//b/",
            "https://example.org/x/",
            "//host/x",
            "a/?p=1",
            "a\\b",
        ] {
            assert!(alias_file(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slugs_and_dirs() {
        assert_eq!(slugify("My Case (2019)"), "my-case-2019");
        assert_eq!(slugify("board_papers -- 2024!"), "board_papers-2024");
        assert_eq!(dir_url("Case Studies/x"), "case-studies/x/");
        assert_eq!(dir_url(""), "");
    }

    #[test]
    fn non_ascii_titles_are_transliterated_not_dropped() {
        assert_eq!(slugify("Zürich"), "zurich");
        assert_eq!(slugify("Café"), "cafe");
        assert_eq!(slugify("Dŵr a'r Môr"), "dwr-a-r-mor");
        assert_eq!(slugify("Cymraeg ŵ ô"), "cymraeg-w-o");
        assert_eq!(slugify("Café Crème — Ørsted"), "cafe-creme-orsted");
        assert_eq!(slugify("Łódź"), "lodz");
        assert_eq!(slugify("Αθήνα"), "athena");
        assert!(!slugify("北京").is_empty());
        assert_eq!(slugify("——"), "");
    }

    #[test]
    fn relative_links() {
        assert_eq!(relative("a/b/", "c/d/index.html"), "../../c/d/index.html");
        assert_eq!(relative("a/b/", "a/b/img.png"), "img.png");
        assert_eq!(relative("a/b/", "a/c/index.html"), "../c/index.html");
        assert_eq!(relative("", "a/index.html"), "a/index.html");
        assert_eq!(relative("a/", "index.html"), "../index.html");
        assert_eq!(root_prefix("a/b/"), "../../");
    }

    #[test]
    fn percent_escapes_decode() {
        assert_eq!(percent_decode("My%20caf%C3%A9+x.pdf").as_deref(), Some("My café+x.pdf"));
        assert_eq!(decode_form("board+report%21").as_deref(), Some("board report!"));
        assert_eq!(percent_decode("%FF"), None);
        assert_eq!(decode_form("a+b%2Bc").as_deref(), Some("a b+c"));
        assert_eq!(percent_decode("100%").as_deref(), Some("100%"));
        assert_eq!(percent_decode("%+1%zz").as_deref(), Some("%+1%zz"));
    }

    #[test]
    fn resolve_stays_inside() {
        assert_eq!(resolve("a/b", "../c/x.md").as_deref(), Some("a/c/x.md"));
        assert_eq!(resolve("a", "../../etc/passwd"), None);
        assert_eq!(resolve("a/b", "/static/x.png").as_deref(), Some("static/x.png"));
    }

    #[test]
    fn links_are_told_apart_as_a_browser_would() {
        assert_eq!(link_kind("../toolkits/x.md#a"), LinkKind::Local);
        assert_eq!(link_kind("#top"), LinkKind::Local);
        assert_eq!(link_kind("2019:report.pdf"), LinkKind::Local);
        assert_eq!(link_kind("https://example.org/x"), LinkKind::External);
        assert_eq!(link_kind("MailTo:x@example.org"), LinkKind::External);
        for refused in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "vbscript:x",
            "data:text/html,<script>alert(1)</script>",
            "//example.org/x",
            "\\\\example.org/x",
            "/\\example.org/x",
        ] {
            assert!(matches!(link_kind(refused), LinkKind::Refused(_)), "{refused:?}");
        }
    }
}
