//! The browser index (`search/index.js`), exported from the built tantivy segment itself —
//! its terms, postings, field norms and token totals — so that `static/js/search-engine.js` computes
//! the very BM25 scores tantivy does.

use super::analyzer;
use super::query::SearchIndex;
use super::schema::{Fields, TEXT_FIELDS};
use super::Input;
use crate::markdown::pages::Page;
use anyhow::Result;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings;
use tantivy::schema::{IndexRecordOption, TantivyDocument, Value};
use tantivy::{DocSet, SegmentReader, TERMINATED};

/// Above this many resources the body is left out of the browser index to keep it small
/// (titles, summaries, organisations and authors are still searched).
pub const BODY_LIMIT: usize = 2_000;

/// BM25 parameters, as tantivy's.
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// The whole browser index.
#[derive(Serialize)]
struct BrowserIndex {
    /// Number of documents (BM25's N).
    n: u32,
    fields: Vec<FieldIndex>,
    docs: Vec<DocView>,
    /// Surface form -> stem, or 1 when the word is its own stem.
    vocab: BTreeMap<String, serde_json::Value>,
    facets: Vec<FacetView>,
}

/// One text field: boost, BM25 norm cache per fieldnorm id, fieldnorm id per doc, postings.
#[derive(Serialize)]
struct FieldIndex {
    name: &'static str,
    boost: f32,
    /// `k1 * (1 - b + b * dl / avgdl)` for each of the 256 fieldnorm ids, in f32 as tantivy.
    norms: Vec<f32>,
    /// Fieldnorm id of each document.
    ids: Vec<u8>,
    /// Stem -> [doc delta, term frequency, doc delta, term frequency, ...].
    terms: BTreeMap<String, Vec<u32>>,
}

/// What a hit shows, and its facets.
#[derive(Serialize)]
struct DocView {
    /// Url relative to the site root (`case-studies/x/`).
    u: String,
    t: String,
    /// Type key.
    k: String,
    /// Summary.
    s: String,
    /// Facet values: per facet in `facets` order, the indexes of its values.
    f: Vec<Vec<usize>>,
}

/// A facet (type or taxonomy) with its values' slugs and names.
#[derive(Serialize)]
struct FacetView {
    key: String,
    name: String,
    values: Vec<(String, String)>,
}

/// Builds `index.js` for `input` from its opened tantivy index.
pub fn export(input: &Input<'_>, index: &SearchIndex) -> Result<String> {
    let searcher = index.index().reader()?.searcher();
    let fields = Fields::of(&index.index().schema())?;
    let segment = searcher
        .segment_readers()
        .first()
        .ok_or_else(|| anyhow::anyhow!("the search index has no segment"))?;
    let with_body = input.pages.len() <= BODY_LIMIT;
    let doc_map = resource_of_doc(&searcher, segment, &fields, input)?;
    let mut field_indexes = Vec::new();
    for (i, (name, boost)) in TEXT_FIELDS.iter().enumerate() {
        if *name == "body" && !with_body {
            continue;
        }
        field_indexes.push(field_index(segment, &fields, i, name, *boost)?);
    }
    let facets = facet_views(input);
    let docs = doc_map.iter().map(|&i| doc_view(&input.pages[i], &facets)).collect();
    let browser = BrowserIndex {
        n: segment.max_doc(),
        vocab: vocabulary(input, with_body),
        fields: field_indexes,
        docs,
        facets,
    };
    Ok(format!("var CasebookIndex = {};\n", script_safe_json(&browser)?))
}

/// Serialises to JSON that cannot end or confuse the `<script>` element that loads it.
pub fn script_safe_json<T: Serialize>(value: &T) -> Result<String> {
    let json = serde_json::to_string(value)?;
    Ok(json
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029"))
}

/// For each document id of the segment, the index of its page in `input`.
fn resource_of_doc(
    searcher: &tantivy::Searcher,
    segment: &SegmentReader,
    fields: &Fields,
    input: &Input<'_>,
) -> Result<Vec<usize>> {
    let by_url: HashMap<&str, usize> = input
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.resource.url.as_str(), i))
        .collect();
    (0..segment.max_doc())
        .map(|doc| {
            let stored: TantivyDocument = searcher.doc(tantivy::DocAddress::new(0, doc))?;
            let url = stored.get_first(fields.url).and_then(|v| v.as_str()).unwrap_or("");
            by_url
                .get(url)
                .copied()
                .ok_or_else(|| anyhow::anyhow!("search index document {doc} has unknown url `{url}`"))
        })
        .collect()
}

fn field_index(
    segment: &SegmentReader,
    fields: &Fields,
    i: usize,
    name: &'static str,
    boost: f32,
) -> Result<FieldIndex> {
    let field = fields.text[i];
    let inverted = segment.inverted_index(field)?;
    let max_doc = segment.max_doc();
    let average = inverted.total_num_tokens() as f32 / max_doc as f32;
    let norms = (0..=255u8)
        .map(|id| K1 * (1.0 - B + B * FieldNormReader::id_to_fieldnorm(id) as f32 / average))
        .collect();
    let fieldnorms = segment.get_fieldnorms_reader(field)?;
    let ids = (0..max_doc).map(|d| fieldnorms.fieldnorm_id(d)).collect();
    let mut terms = BTreeMap::new();
    let mut stream = inverted.terms().stream()?;
    while stream.advance() {
        let mut postings = inverted.read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqs)?;
        let mut flat = Vec::new();
        let mut last = 0;
        while postings.doc() != TERMINATED {
            flat.push(postings.doc() - last);
            flat.push(postings.term_freq());
            last = postings.doc();
            postings.advance();
        }
        terms.insert(String::from_utf8_lossy(stream.key()).into_owned(), flat);
    }
    Ok(FieldIndex {
        name,
        boost,
        norms,
        ids,
        terms,
    })
}

/// Every surface word of the browser-indexed fields with its stem, so the browser stems
/// exactly as tantivy did (JS Snowball ports disagree on a few words).
fn vocabulary(input: &Input<'_>, with_body: bool) -> BTreeMap<String, serde_json::Value> {
    let mut surface = BTreeSet::new();
    for page in input.pages {
        let r = &page.resource;
        let mut texts = vec![r.title.as_str(), page.summary.as_str()];
        texts.extend(r.organisation.as_deref());
        texts.extend(r.authors.iter().map(String::as_str));
        if with_body {
            texts.push(&page.body.text);
        }
        for text in texts {
            surface.extend(analyzer::surface_tokens(text));
        }
    }
    surface
        .into_iter()
        .filter_map(|word| {
            let stem = analyzer::stems(&word).pop()?;
            let value = if stem == word { 1.into() } else { stem.into() };
            Some((word, value))
        })
        .collect()
}

fn facet_views(input: &Input<'_>) -> Vec<FacetView> {
    let mut facets = vec![FacetView {
        key: "type".into(),
        name: "Type".into(),
        values: input
            .config
            .types
            .iter()
            .map(|(k, t)| (k.clone(), t.name.clone()))
            .collect(),
    }];
    facets.extend(input.library.taxonomies.iter().map(|t| {
        FacetView {
            key: t.key.clone(),
            name: t.name.clone(),
            values: t
                .terms
                .iter()
                .map(|term| (term.slug.clone(), term.name.clone()))
                .collect(),
        }
    }));
    facets
}

fn doc_view(page: &Page, facets: &[FacetView]) -> DocView {
    let r = &page.resource;
    let position = |facet: &FacetView, value: &str| facet.values.iter().position(|(slug, _)| slug == value);
    let f = facets
        .iter()
        .map(|facet| {
            if facet.key == "type" {
                position(facet, &r.kind).into_iter().collect()
            } else {
                let slugs = r.terms.get(&facet.key).map(Vec::as_slice).unwrap_or_default();
                slugs.iter().filter_map(|s| position(facet, s)).collect()
            }
        })
        .collect();
    DocView {
        u: r.url.clone(),
        t: r.title.clone(),
        k: r.kind.clone(),
        s: page.summary.clone(),
        f,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_cannot_close_the_script() {
        let json = script_safe_json(&"</script><script>alert(1)</script>\u{2028}\u{2029}&'\"").unwrap();
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        assert!(!json.contains('\u{2028}') && !json.contains('\u{2029}'));
        let back: String = serde_json::from_str(&json).unwrap();
        assert_eq!(back, "</script><script>alert(1)</script>\u{2028}\u{2029}&'\"");
    }
}
