//! Output paths and the relative links between them.
//!
//! Every page lives at `<dir>/index.html`; a page's *url* is its folder with a trailing slash
//! (`case-studies/x/`, the home page is ``). Links are always relative and name `index.html`
//! explicitly, so the site works from any web server, any sub-path and from `file://`.

/// Lower-case ASCII letters, digits and single hyphens: `"My Case (2019)"` -> `my-case-2019`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
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

/// Decodes `%XX` escapes in a URL path; `None` when the result is not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    decode(text, false)
}

/// Decodes a query-string name or value: `%XX` escapes, and `+` as a space.
pub fn decode_form(text: &str) -> Option<String> {
    decode(text, true)
}

fn decode(text: &str, plus_is_space: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
                continue;
            }
            (b'+', _) if plus_is_space => out.push(b' '),
            (byte, _) => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_dirs() {
        assert_eq!(slugify("My Case (2019)"), "my-case-2019");
        assert_eq!(dir_url("Case Studies/x"), "case-studies/x/");
        assert_eq!(dir_url(""), "");
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
    }

    #[test]
    fn resolve_stays_inside() {
        assert_eq!(resolve("a/b", "../c/x.md").as_deref(), Some("a/c/x.md"));
        assert_eq!(resolve("a", "../../etc/passwd"), None);
        assert_eq!(resolve("a/b", "/static/x.png").as_deref(), Some("static/x.png"));
    }
}
