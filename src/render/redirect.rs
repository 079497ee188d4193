//! The page written at each old URL of a resource (its `aliases:`): a meta refresh, a
//! canonical link and a visible link to the resource's page, all relative, so the redirect
//! works from a web server, under a sub-path and from disk alike. Redirect pages are listed
//! nowhere else: not in the sitemap, the feed or the search indexes.

use crate::urls;
use pulldown_cmark_escape::escape_html;

/// The redirect page written to `alias_file` (`old/path/index.html`) for the resource at
/// `target_url` (`case-studies/x/`) titled `title`, in `language`.
pub fn page(alias_file: &str, target_url: &str, title: &str, language: &str) -> String {
    let from_url = alias_file
        .rsplit_once('/')
        .map_or(String::new(), |(dir, _)| format!("{dir}/"));
    let href = escaped(&urls::relative(&from_url, &urls::page_file(target_url)));
    let (title, language) = (escaped(title), escaped(language));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{language}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Moved: {title}</title>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\" href=\"{href}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={href}\">\n</head>\n<body>\n\
         <main><p>This page has moved to <a href=\"{href}\">{title}</a>.</p></main>\n</body>\n</html>\n"
    )
}

fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_redirect_links_relatively_from_where_it_stands() {
        let html = super::page("posts/2019/old/index.html", "case-studies/x/", "A & B", "en");
        let href = "../../../case-studies/x/index.html";
        assert!(
            html.contains(&format!("<meta http-equiv=\"refresh\" content=\"0; url={href}\">")),
            "{html}"
        );
        assert!(html.contains(&format!("<link rel=\"canonical\" href=\"{href}\">")));
        assert!(html.contains(&format!("<a href=\"{href}\">A &amp; B</a>")));
        let file = super::page("old.html", "x/", "X", "en");
        assert!(file.contains("href=\"x/index.html\""), "{file}");
    }
}
