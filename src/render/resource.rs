//! What a resource page shows beyond its card: downloads with their format and size, a table
//! of contents, the reading time, a citation to copy, its picture, and the schema.org JSON-LD
//! that describes it to search engines and link previews.

use super::views::{AttachmentView, Card};
use crate::config::Config;
use crate::content::site_map::{output_of_file, SiteMap};
use crate::content::Resource;
use crate::i18n::LanguageStrings;
use crate::markdown::highlight::escape;
use crate::markdown::Heading;
use crate::urls::{self, LinkKind};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// A page with fewer headings (of levels 2 and 3) than this has no table of contents.
pub const TOC_MIN_HEADINGS: usize = 3;

/// Reading speed for the reading time, in words a minute (a common figure for adults
/// reading on screen).
const WORDS_PER_MINUTE: usize = 200;

/// One entry of a page's table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    /// 2 or 3.
    pub level: u8,
    /// The heading's id (link `#id`).
    pub id: String,
    /// The heading's text.
    pub text: String,
}

/// A resource's citation, APA style.
#[derive(Debug, Clone, Serialize)]
pub struct Citation {
    /// The citation as plain text (what the copy button copies).
    pub text: String,
    /// The same with the title in italics, escaped, for the page.
    pub html: String,
}

/// A resource's picture as its page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    /// Href relative to the resource page, or the address as written.
    pub src: String,
    /// Absolute URL (for link previews).
    pub url: String,
    /// Text alternative (empty: decorative).
    pub alt: String,
    /// Caption, if any.
    pub caption: Option<String>,
}

/// The table of contents of a body with `headings`: its level 2 and 3 headings, when it has
/// at least [`TOC_MIN_HEADINGS`] of them; else empty.
pub fn toc(headings: &[Heading]) -> Vec<TocEntry> {
    let entries: Vec<TocEntry> = headings
        .iter()
        .filter(|h| (2..=3).contains(&h.level))
        .map(|h| TocEntry {
            level: h.level,
            id: h.id.clone(),
            text: h.title.split_whitespace().collect::<Vec<_>>().join(" "),
        })
        .collect();
    if entries.len() < TOC_MIN_HEADINGS {
        Vec::new()
    } else {
        entries
    }
}

/// Minutes to read `text`, rounded up; at least 1.
pub fn reading_minutes(text: &str) -> usize {
    words(text).div_ceil(WORDS_PER_MINUTE).max(1)
}

/// How many words `text` has (`split_whitespace().count()`, without making a slice of each
/// word). Text in ASCII alone (the common case, checked a word of bytes at a time) is counted
/// as word starts: each byte after a space that is not one, compared in pairs over the bytes
/// with no branch, which the compiler vectorises; any other text a character at a time.
fn words(text: &str) -> usize {
    let bytes = text.as_bytes();
    if !text.is_ascii() {
        return words_of_chars(text);
    }
    let space = |b: u8| b == b' ' || b.wrapping_sub(b'\t') < 5;
    let first = bytes.first().map_or(0, |&b| usize::from(!space(b)));
    let starts: usize = bytes
        .iter()
        .zip(bytes.get(1..).unwrap_or_default())
        .map(|(&before, &b)| usize::from(space(before) & !space(b)))
        .sum();
    first + starts
}

/// [`words`] a character at a time: any text.
fn words_of_chars(text: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for c in text.chars() {
        let space = c.is_whitespace();
        count += usize::from(!space && !in_word);
        in_word = !space;
    }
    count
}

/// Download links relative to the resource page, with the file's format (its extension) and
/// size when the build knows it (in the words of `strings`).
pub fn attachments(
    resource: &Resource,
    site: &SiteMap,
    bytes: &HashMap<String, u64>,
    strings: &LanguageStrings,
) -> Vec<AttachmentView> {
    resource
        .attachments
        .iter()
        .map(|a| {
            let output = output_of_file(site, &resource.content_dir, &a.file);
            let href = output
                .as_deref()
                .map_or_else(|| a.file.clone(), |out| urls::relative(&resource.url, out));
            let bytes = output.and_then(|out| bytes.get(&out).copied());
            AttachmentView {
                title: a.title.clone(),
                href,
                format: file_format(&a.file),
                size: bytes.map(|b| human_size(b, strings)),
                bytes,
            }
        })
        .collect()
}

/// A file's format as readers know it: its extension in capitals (`PDF`, `DOCX`).
pub fn file_format(file: &str) -> Option<String> {
    let name = file.rsplit('/').next()?;
    let (_, ext) = name.rsplit_once('.')?;
    (!ext.is_empty() && ext.len() <= 8).then(|| ext.to_ascii_uppercase())
}

/// `bytes` as GOV.UK writes file sizes: `812 bytes`, `24 KB`, `1.4 MB` (powers of 1000);
/// bytes are counted in the words of `strings` (`resource_size_bytes`).
pub fn human_size(bytes: u64, strings: &LanguageStrings) -> String {
    #[allow(clippy::cast_precision_loss)] // a file size shown to one decimal
    let b = bytes as f64;
    if bytes < 1000 {
        strings.count("resource_size_bytes", bytes)
    } else if bytes < 1_000_000 {
        format!("{} KB", (b / 1000.0).round().max(1.0))
    } else if bytes < 1_000_000_000 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{:.1} GB", b / 1e9)
    }
}

/// The resource's image, when it has one: `src` for its page, `url` absolute.
pub fn image(resource: &Resource, site: &SiteMap, base_url: &str) -> Option<ImageView> {
    let image = resource.image.as_ref()?;
    let (src, url) = match urls::link_kind(&image.file) {
        LinkKind::External => (image.file.clone(), image.file.clone()),
        _ => {
            let out = output_of_file(site, &resource.content_dir, &image.file)?;
            (urls::relative(&resource.url, &out), format!("{base_url}{out}"))
        }
    };
    Some(ImageView {
        src,
        url,
        alt: image.alt.clone(),
        caption: image.caption.clone(),
    })
}

/// Where a citation sends readers: the DOI, else the source, else the external link, else
/// the page itself.
fn citation_url(resource: &Resource, canonical: &str) -> String {
    if let Some(doi) = &resource.doi {
        return format!("https://doi.org/{doi}");
    }
    resource
        .source
        .as_ref()
        .and_then(|s| s.url.clone())
        .or_else(|| resource.link.clone())
        .unwrap_or_else(|| canonical.to_string())
}

/// The APA-style citation of `resource`: authors (else the organisation), year (else `n.d.`
/// in the words of `strings`), title in italics, publisher, DOI or address.
/// `Author & Other (2023). *Title*. Publisher. URL`
pub fn citation(resource: &Resource, canonical: &str, strings: &LanguageStrings) -> Citation {
    let author = match resource.authors.as_slice() {
        [] => resource.organisation.clone(),
        [one] => Some(one.clone()),
        [first, second] => Some(format!("{first} & {second}")),
        [rest @ .., last] => Some(format!("{}, & {last}", rest.join(", "))),
    };
    let year = resource
        .date
        .map(|d| d.view().year)
        .or_else(|| resource.source.as_ref().and_then(|s| s.year).map(|y| y.to_string()))
        .unwrap_or_else(|| strings.text("cite_no_date").to_string());
    // The publisher is left out when it is the author already (APA).
    let publisher = resource
        .source
        .as_ref()
        .and_then(|s| s.publisher.clone())
        .or_else(|| resource.organisation.clone().filter(|_| !resource.authors.is_empty()))
        .filter(|p| Some(p) != author.as_ref());
    let url = citation_url(resource, canonical);
    let title = sentence(&resource.title);
    let (mut text, mut html) = match &author {
        Some(author) => {
            let author = sentence(author);
            (
                format!("{author} ({year}). {title}"),
                format!("{} ({year}). <i>{}</i>", escape(&author), escape(&title)),
            )
        }
        None => (
            format!("{title}. ({year})."),
            format!("<i>{}</i>. ({year}).", escape(&title)),
        ),
    };
    if author.is_some() {
        text.push('.');
        html.push('.');
    }
    if let Some(publisher) = publisher {
        let publisher = sentence(&publisher);
        text.push_str(&format!(" {publisher}."));
        html.push_str(&format!(" {}.", escape(&publisher)));
    }
    text.push_str(&format!(" {url}"));
    html.push_str(&format!(" {}", escape(&url)));
    Citation { text, html }
}

/// `text` without a final full stop, so the citation adds exactly one.
fn sentence(text: &str) -> String {
    text.trim().trim_end_matches('.').to_string()
}

/// What the JSON-LD of a resource page is made from.
pub struct Described<'a> {
    /// The resource.
    pub resource: &'a Resource,
    /// Its card (summary, terms by taxonomy).
    pub card: &'a Card,
    /// The page's absolute URL.
    pub canonical: &'a str,
    /// The image's absolute URL: the resource's, else the site logo's.
    pub image: Option<&'a str>,
    /// The key of the taxonomy whose terms are the keywords (the headline taxonomy).
    pub keywords_from: Option<&'a str>,
}

/// The schema.org description of a resource (`Article`, `ScholarlyArticle`, `Report`... by
/// its type's `schema_type`), as JSON safe to write inside a `<script>` element: `<`, `>`,
/// `&` and the line separators are escaped, so no title can end the element.
pub fn json_ld(d: &Described<'_>, config: &Config) -> String {
    let r = d.resource;
    let mut doc = Map::new();
    doc.insert("@context".into(), json!("https://schema.org"));
    doc.insert("@type".into(), json!(config.schema_type(&r.kind)));
    doc.insert("headline".into(), json!(r.title));
    doc.insert("name".into(), json!(r.title));
    if !d.card.summary.is_empty() {
        doc.insert("description".into(), json!(d.card.summary));
    }
    doc.insert("url".into(), json!(d.canonical));
    doc.insert("mainEntityOfPage".into(), json!(d.canonical));
    if let Some(date) = r.date {
        doc.insert("datePublished".into(), json!(date.view().iso));
    }
    if let Some(date) = r.updated.or(r.date) {
        doc.insert("dateModified".into(), json!(date.view().iso));
    }
    let authors: Vec<Value> = if r.authors.is_empty() {
        r.organisation
            .iter()
            .map(|o| json!({"@type": "Organization", "name": o}))
            .collect()
    } else {
        r.authors
            .iter()
            .map(|a| json!({"@type": "Person", "name": a}))
            .collect()
    };
    if !authors.is_empty() {
        doc.insert("author".into(), Value::Array(authors));
    }
    let publisher = r
        .source
        .as_ref()
        .and_then(|s| s.publisher.clone())
        .unwrap_or_else(|| config.title.clone());
    doc.insert("publisher".into(), json!({"@type": "Organization", "name": publisher}));
    let keywords: Vec<&str> = d
        .card
        .terms
        .iter()
        .filter(|g| Some(g.key.as_str()) == d.keywords_from)
        .flat_map(|g| g.terms.iter().map(|t| t.name.as_str()))
        .collect();
    if !keywords.is_empty() {
        doc.insert("keywords".into(), json!(keywords));
    }
    if let Some(image) = d.image {
        doc.insert("image".into(), json!(image));
    }
    if let Some(doi) = &r.doi {
        doc.insert(
            "identifier".into(),
            json!({"@type": "PropertyValue", "propertyID": "DOI", "value": doi}),
        );
        doc.insert("sameAs".into(), json!(format!("https://doi.org/{doi}")));
    }
    doc.insert(
        "isPartOf".into(),
        json!({"@type": "WebSite", "name": config.title, "url": config.base_url}),
    );
    // A map of JSON values always serialises.
    crate::search::browser::script_safe_json(&Value::Object(doc)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(level: u8, id: &str) -> Heading {
        Heading {
            level,
            id: id.into(),
            title: id.to_uppercase(),
            range: 0..0,
        }
    }

    #[test]
    fn a_toc_needs_three_headings_of_level_two_or_three() {
        let two = [heading(2, "a"), heading(4, "x"), heading(3, "b")];
        assert!(toc(&two).is_empty());
        let three = [heading(2, "a"), heading(3, "b"), heading(1, "t"), heading(2, "c")];
        let ids: Vec<String> = toc(&three).into_iter().map(|e| e.id).collect();
        assert_eq!(ids, ["a", "b", "c"]);
    }

    #[test]
    fn reading_time_rounds_up_from_one_minute() {
        assert_eq!(reading_minutes(""), 1);
        assert_eq!(reading_minutes(&"word ".repeat(200)), 1);
        assert_eq!(reading_minutes(&"word ".repeat(201)), 2);
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            " ",
            "one",
            " two  words ",
            "tab\tand\u{0b}vt\nline",
            "no\u{a0}break\u{2003}em",
            "ŵy dŵr ",
            "\u{85}next\u{3000}ideographic\u{202f}narrow\u{1680}ogham",
            "a\u{200b}zero-width-is-no-space",
        ] {
            assert_eq!(words(text), text.split_whitespace().count(), "{text:?}");
        }
    }

    #[test]
    fn sizes_read_as_govuk_writes_them() {
        let files = [crate::i18n::LanguageFile {
            label: "en.yaml".into(),
            code: "en".into(),
            text: "resource_size_bytes: {one: \"{n} byte\", other: \"{n} bytes\"}\n".into(),
        }];
        let translations = crate::i18n::Translations::load(&files).unwrap();
        let en = translations.for_language("en");
        assert_eq!(human_size(1, en), "1 byte");
        assert_eq!(human_size(812, en), "812 bytes");
        assert_eq!(human_size(24_400, en), "24 KB");
        assert_eq!(human_size(1_430_000, en), "1.4 MB");
        assert_eq!(file_format("x/template.docx").as_deref(), Some("DOCX"));
        assert_eq!(file_format("README"), None);
    }
}
