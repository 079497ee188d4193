//! The page written at each old URL of a resource (its `aliases:`): a meta refresh, a
//! canonical link and a visible link to the resource's page, all relative, so the redirect
//! works from a web server, under a sub-path and from disk alike. Redirect pages are listed
//! nowhere else: not in the sitemap, the feed or the search indexes.

use crate::i18n::LanguageStrings;
use crate::urls;
use pulldown_cmark_escape::escape_html;

/// The page a redirect leads to.
pub struct Target<'a> {
    /// Its url (`case-studies/x/`).
    pub url: &'a str,
    /// Its title.
    pub title: &'a str,
}

/// The redirect page written to `alias_file` (`old/path/index.html`) for `to`, in `language`
/// with the words of `strings` (`redirect_title`, `redirect_moved`).
pub fn page(alias_file: &str, to: &Target<'_>, language: &str, strings: &LanguageStrings) -> String {
    let from_url = alias_file
        .rsplit_once('/')
        .map_or(String::new(), |(dir, _)| format!("{dir}/"));
    let href = escaped(&urls::relative(&from_url, &urls::page_file(to.url)));
    let (title, language) = (escaped(to.title), escaped(language));
    let heading = escaped(&strings.fill("redirect_title", &[("title", to.title)]));
    // The link goes where `{link}` stands in the escaped sentence.
    let link = format!("<a href=\"{href}\">{title}</a>");
    let moved = crate::i18n::fill(&escaped(strings.text("redirect_moved")), &[("link", &link)]);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{language}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{heading}</title>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\" href=\"{href}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={href}\">\n</head>\n<body>\n\
         <main><p>{moved}</p></main>\n</body>\n</html>\n"
    )
}

fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::Target;
    use crate::i18n::{LanguageFile, Translations};

    fn english() -> Translations {
        let text = "redirect_title: \"Moved: {title}\"\nredirect_moved: This page has moved to {link}.\n";
        let file = LanguageFile {
            label: "en.yaml".into(),
            code: "en".into(),
            text: text.into(),
        };
        Translations::load(&[file]).unwrap()
    }

    #[test]
    fn a_redirect_links_relatively_from_where_it_stands() {
        let t = english();
        let en = t.for_language("en");
        let to = |url, title| Target { url, title };
        let html = super::page("posts/2019/old/index.html", &to("case-studies/x/", "A & B"), "en", en);
        let href = "../../../case-studies/x/index.html";
        assert!(
            html.contains(&format!("<meta http-equiv=\"refresh\" content=\"0; url={href}\">")),
            "{html}"
        );
        assert!(html.contains(&format!("<link rel=\"canonical\" href=\"{href}\">")));
        assert!(html.contains(&format!(
            "<p>This page has moved to <a href=\"{href}\">A &amp; B</a>.</p>"
        )));
        assert!(html.contains("<title>Moved: A &amp; B</title>"), "{html}");
        let file = super::page("old.html", &to("x/", "X"), "en", en);
        assert!(file.contains("href=\"x/index.html\""), "{file}");
    }
}
