//! Answering one request from the preview: no socket, so it is tested without one (the
//! socket side is `http.rs`, who may ask is `guard.rs`).

use super::preview::Preview;
use super::published::Refusal;
use super::search::{self, SearchParams};
use crate::urls;
use std::borrow::Cow;

/// Where the live-reload script is served; injected into every HTML page.
pub const LIVE_JS: &str = "/__casebook/live.js";
const LIVE_CSS: &str = "/__casebook/live.css";
const STATUS: &str = "/__casebook/status";
const SCRIPT_TAG: &str = "<script src=\"/__casebook/live.js\" defer></script>";

/// An HTTP answer.
#[derive(Debug, PartialEq, Eq)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: Cow<'static, str>,
    /// The body.
    pub body: Vec<u8>,
    /// `Location`, for redirects.
    pub location: Option<String>,
}

impl Reply {
    /// A reply with `status`, `content_type` and `body`.
    pub fn new(status: u16, content_type: impl Into<Cow<'static, str>>, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            content_type: content_type.into(),
            body: body.into(),
            location: None,
        }
    }

    /// A plain-text reply.
    pub fn text(status: u16, text: &str) -> Reply {
        Reply::new(status, "text/plain; charset=utf-8", text)
    }
}

/// Answers `method` `url` (path and query, as in the request line) from `preview`.
pub fn respond(preview: &Preview, method: &str, url: &str) -> Reply {
    if method != "GET" && method != "HEAD" {
        return Reply::text(405, "only GET and HEAD are supported\n");
    }
    let (raw_path, query) = url.split_once('?').unwrap_or((url, ""));
    let Some(path) = urls::percent_decode(raw_path) else {
        return Reply::text(400, "malformed path\n");
    };
    if path.split(['/', '\\']).any(|segment| segment == "..") {
        return Reply::text(400, "paths with `..` are refused\n");
    }
    if path.contains('\\') {
        // Browsers read `/\x` as `//x`: a backslash could only ever lead elsewhere.
        return Reply::text(400, "paths with `\\` are refused\n");
    }
    match path.as_str() {
        LIVE_JS => Reply::new(200, "text/javascript; charset=utf-8", include_str!("live.js")),
        LIVE_CSS => Reply::new(200, "text/css; charset=utf-8", include_str!("live.css")),
        STATUS => Reply::new(200, "application/json", preview.status_json()),
        "/api/search" => search::answer(preview.search_output(), &SearchParams::parse(query)),
        _ => page(preview, &collapse_slashes(&path), raw_path),
    }
}

/// A file of the last good build at `path` (decoded; `raw_path` as requested); `404.html`
/// (status 404) when there is none.
fn page(preview: &Preview, path: &str, raw_path: &str) -> Reply {
    let Some(output) = preview.output() else {
        return with_live_reload(Reply::new(503, "text/html; charset=utf-8", NO_BUILD_YET));
    };
    let rel = path.trim_start_matches('/');
    let rel = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if let Some(file) = preview.read(&rel) {
        return with_live_reload(file_reply(200, &rel, file));
    }
    if output.contains(&format!("{rel}/index.html")) {
        // Pages link to each other relatively, so a folder needs its trailing slash.
        let mut reply = Reply::text(301, "moved\n");
        // Still percent-encoded as requested (so nothing needs encoding again), and with no
        // `\` (refused above), it starts with one `/` then a path character.
        reply.location = Some(format!("{}/", collapse_slashes(raw_path)));
        return reply;
    }
    match preview.read("404.html") {
        Some(file) => with_live_reload(file_reply(404, "404.html", file)),
        None => Reply::text(404, "not found\n"),
    }
}

/// `path` with each run of slashes made one: as a `Location`, `/x` can only name a path on
/// this host, where `//x` would name the host `x`.
fn collapse_slashes(path: &str) -> String {
    let mut collapsed = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && collapsed.ends_with('/')) {
            collapsed.push(c);
        }
    }
    collapsed
}

const NO_BUILD_YET: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>casebook serve</title></head><body><main><h1>The site has errors</h1>\
<p>Fix them and this page reloads by itself.</p></main></body></html>";

fn file_reply(status: u16, rel: &str, file: Result<Vec<u8>, Refusal>) -> Reply {
    match file {
        Ok(body) => Reply::new(status, content_type(rel), body),
        Err(refusal) => Reply::text(refusal.status(), &format!("/{rel}: {refusal}\n")),
    }
}

/// Adds the live-reload script before `</body>` of an HTML reply.
fn with_live_reload(mut reply: Reply) -> Reply {
    if !reply.content_type.starts_with("text/html") {
        return reply;
    }
    let html = String::from_utf8_lossy(&reply.body);
    let injected = match html.rfind("</body>") {
        Some(at) => format!("{}{SCRIPT_TAG}\n{}", &html[..at], &html[at..]),
        None => format!("{html}{SCRIPT_TAG}\n"),
    };
    reply.body = injected.into_bytes();
    reply
}

/// The `Content-Type` for an output path, by extension (`mime_guess`'s table); text types
/// say `charset=utf-8` because everything Casebook writes is UTF-8.
pub fn content_type(path: &str) -> Cow<'static, str> {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    let mime = current_rfc_type(&extension)
        .or_else(|| mime_guess::from_ext(&extension).first_raw())
        .unwrap_or("application/octet-stream");
    if mime.starts_with("text/") || mime == "application/xml" {
        Cow::Owned(format!("{mime}; charset=utf-8"))
    } else {
        Cow::Borrowed(mime)
    }
}

/// Where `mime_guess` still gives an older or vaguer type than the current RFC, or (`md`) a
/// type browsers download instead of showing.
fn current_rfc_type(extension: &str) -> Option<&'static str> {
    match extension {
        "xml" => Some("application/xml"), // RFC 7303 prefers it to text/xml
        "mjs" => Some("text/javascript"), // RFC 9239
        "woff" => Some("font/woff"),      // RFC 8081
        "md" => Some("text/plain"),       // shown in the browser, not downloaded
        _ => None,
    }
}

/// Splits a query string into decoded `(name, value)` pairs.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter_map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Some((urls::decode_form(name)?, urls::decode_form(value)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Output;
    use crate::serve::published::Published;
    use std::sync::Arc;

    fn preview() -> Preview {
        let mut output = Output::default();
        output.insert("index.html", "<html><body><h1>Home</h1></body></html>");
        output.insert("toolkits/x/index.html", "<html><body>X</body></html>");
        output.insert("404.html", "<html><body>Lost</body></html>");
        output.insert("css/site.css", "body{}");
        Preview {
            version: 3,
            output: Some(Arc::new(Published::new(output, std::path::Path::new("/")))),
            ..Preview::default()
        }
    }

    fn body(reply: &Reply) -> String {
        String::from_utf8_lossy(&reply.body).into_owned()
    }

    #[test]
    fn folders_serve_their_index_with_the_live_reload_script() {
        for url in ["/", "/?x=1", "/toolkits/x/"] {
            let reply = respond(&preview(), "GET", url);
            assert_eq!(reply.status, 200, "{url}");
            assert_eq!(reply.content_type, "text/html; charset=utf-8");
            assert!(
                body(&reply).contains(&format!("{SCRIPT_TAG}\n</body>")),
                "{url}: {}",
                body(&reply)
            );
        }
    }

    #[test]
    fn a_folder_without_its_slash_is_redirected() {
        let reply = respond(&preview(), "GET", "/toolkits/x");
        assert_eq!((reply.status, reply.location.as_deref()), (301, Some("/toolkits/x/")));
    }

    #[test]
    fn a_double_slash_path_never_redirects_to_another_host() {
        for (url, location) in [
            ("//toolkits/x", "/toolkits/x/"),
            ("///toolkits//x", "/toolkits/x/"),
            ("/%2F/toolkits/x", "/%2F/toolkits/x/"),
            ("/%2Ftoolkits/x", "/%2Ftoolkits/x/"),
        ] {
            let reply = respond(&preview(), "GET", url);
            assert_eq!(
                (reply.status, reply.location.as_deref()),
                (301, Some(location)),
                "{url}"
            );
        }
        for url in ["/\\toolkits/x", "/%5Ctoolkits/x", "/%5C%5Ctoolkits/x"] {
            let reply = respond(&preview(), "GET", url);
            assert_eq!((reply.status, reply.location), (400, None), "{url}");
        }
    }

    #[test]
    fn other_files_keep_their_bytes_and_get_their_type() {
        let reply = respond(&preview(), "HEAD", "/css/site.css");
        assert_eq!(
            (reply.status, reply.content_type.as_ref(), body(&reply).as_str()),
            (200, "text/css; charset=utf-8", "body{}")
        );
    }

    #[test]
    fn every_extension_the_site_uses_keeps_its_content_type() {
        let text = |t: &str| format!("{t}; charset=utf-8");
        let expected = [
            ("index.html", text("text/html")),
            ("a.HTM", text("text/html")),
            ("css/site.css", text("text/css")),
            ("js/search.js", text("text/javascript")),
            ("m.mjs", text("text/javascript")),
            ("search/index.json", "application/json".into()),
            ("sitemap.xml", text("application/xml")),
            ("robots.txt", text("text/plain")),
            ("notes.md", text("text/plain")),
            ("data.csv", text("text/csv")),
            ("logo.svg", "image/svg+xml".into()),
            ("a.png", "image/png".into()),
            ("a.jpg", "image/jpeg".into()),
            ("a.jpeg", "image/jpeg".into()),
            ("a.gif", "image/gif".into()),
            ("a.webp", "image/webp".into()),
            ("favicon.ico", "image/x-icon".into()),
            ("report.pdf", "application/pdf".into()),
            ("f.woff", "font/woff".into()),
            ("f.woff2", "font/woff2".into()),
            (
                "a.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document".into(),
            ),
            (
                "a.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into(),
            ),
            (
                "a.pptx",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation".into(),
            ),
            ("a.zip", "application/zip".into()),
            ("search/meta.json.store", "application/octet-stream".into()),
            ("no-extension", "application/octet-stream".into()),
        ];
        for (path, want) in expected {
            assert_eq!(content_type(path), want, "{path}");
        }
    }

    #[test]
    fn a_missing_page_is_the_404_page_with_status_404() {
        let reply = respond(&preview(), "GET", "/nowhere/");
        assert_eq!(reply.status, 404);
        assert!(body(&reply).contains("Lost"));
    }

    #[test]
    fn parent_segments_and_other_methods_are_refused() {
        assert_eq!(respond(&preview(), "GET", "/../etc/passwd").status, 400);
        assert_eq!(respond(&preview(), "GET", "/css/%2e%2e/x").status, 400);
        assert_eq!(respond(&preview(), "POST", "/").status, 405);
    }

    #[test]
    fn status_reports_the_version_and_errors() {
        let reply = respond(&preview(), "GET", "/__casebook/status");
        assert_eq!(reply.content_type, "application/json");
        assert_eq!(body(&reply), r#"{"version":3,"search_version":0,"errors":[]}"#);
    }

    #[test]
    fn before_any_good_build_a_placeholder_page_reloads_itself() {
        let reply = respond(&Preview::default(), "GET", "/");
        assert_eq!(reply.status, 503);
        assert!(body(&reply).contains(SCRIPT_TAG));
    }

    #[test]
    fn query_strings_are_decoded() {
        assert_eq!(
            query_pairs("q=team+work%21&enabler=a&&type"),
            [
                ("q".into(), "team work!".into()),
                ("enabler".into(), "a".into()),
                ("type".into(), String::new())
            ]
        );
    }
}
