//! Writing the tantivy index of a site, deterministically: the same site always gives the
//! same bytes (one indexing thread, one merged segment named by a hash of its content).

use super::aliases::Aliases;
use super::analyzer;
use super::query::SearchIndex;
use super::schema::{self, Fields};
use super::{Entry, Input};
use crate::markdown::Rendered;
use anyhow::{Context as _, Result};
use std::path::{Path, PathBuf};
use tantivy::directory::{Directory, RamDirectory};
use tantivy::index::{SegmentComponent, SegmentId};
use tantivy::indexer::NoMergePolicy;
use tantivy::schema::{Facet, TantivyDocument, Value};
use tantivy::{Index, IndexWriter};

/// Indexing memory budget: large, so that all documents land in one segment in their given
/// order (tantivy only takes memory as it needs it). One thread only, as more threads make
/// segment contents vary.
const WRITER_HEAP: usize = 1_000_000_000;

/// The parts a finished segment may have (a merged segment has no temp store or deletes).
const COMPONENTS: [SegmentComponent; 6] = [
    SegmentComponent::Postings,
    SegmentComponent::Positions,
    SegmentComponent::FastFields,
    SegmentComponent::FieldNorms,
    SegmentComponent::Terms,
    SegmentComponent::Store,
];

/// The files of a built index: relative file name and bytes, sorted by name.
pub type IndexFiles = Vec<(String, Vec<u8>)>;

/// An index built in memory.
pub struct Built {
    index: Index,
    ram: RamDirectory,
}

impl Built {
    /// The index opened for reading, over the same memory (not a copy of its files: at
    /// 100,000 resources they are hundreds of megabytes).
    pub fn open(&self) -> Result<SearchIndex> {
        SearchIndex::from_directory(self.ram.clone())
    }

    /// Its files (meta.json and one segment), named by their content.
    pub fn files(&self) -> Result<IndexFiles> {
        collect_files(&self.index, &self.ram)
    }
}

/// Builds the index of `input` in memory.
pub fn build(input: &Input<'_>) -> Result<Built> {
    let ram = RamDirectory::create();
    let analyzer = analyzer::for_language(&input.config.language);
    let index = Index::create(
        ram.clone(),
        schema::build(input.config.headline_taxonomy(), analyzer),
        Default::default(),
    )
    .context("creating the search index")?;
    analyzer::register(&index);
    let fields = Fields::of(&index.schema())?;
    let mut writer: IndexWriter = index.writer_with_num_threads(1, WRITER_HEAP)?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    let entries = input.entries();
    let aliases = Aliases::new(&input.config.glossary);
    for entry in &entries {
        writer.add_document(document(entry, &fields, &aliases))?;
    }
    writer.commit()?;
    let ids = segments_in_document_order(&index, &fields, &entries)?;
    if ids.len() > 1 {
        writer.merge(&ids).wait()?;
    }
    writer.garbage_collect_files().wait()?;
    writer.wait_merging_threads()?;
    Ok(Built { index, ram })
}

/// The segment ids ordered by the position of their first document in `input`, so that a
/// merge (needed only if indexing overflowed its memory budget) keeps the documents' order
/// whatever the random segment ids are.
fn segments_in_document_order(index: &Index, fields: &Fields, entries: &[Entry<'_>]) -> Result<Vec<SegmentId>> {
    let searcher = index.reader()?.searcher();
    let mut keyed = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let first: TantivyDocument = searcher.doc(tantivy::DocAddress::new(ord as u32, 0))?;
        let url = first.get_first(fields.url).and_then(|v| v.as_str()).unwrap_or_default();
        let position = entries.iter().position(|e| e.url == url);
        keyed.push((position, segment.segment_id()));
    }
    keyed.sort_by_key(|(position, _)| *position);
    Ok(keyed.into_iter().map(|(_, id)| id).collect())
}

/// One searchable page as a tantivy document, with the glossary's aliases it calls for
/// added to its body ([`super::aliases`]).
fn document(entry: &Entry<'_>, fields: &Fields, aliases: &Aliases) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    let texts = [
        entry.title,
        entry.summary,
        entry.body.text.as_str(),
        entry.organisation,
        entry.authors.as_str(),
    ];
    for (field, text) in fields.text.iter().zip(texts) {
        doc.add_text(*field, text);
        doc.add_text(fields.words, text);
    }
    let added = aliases.added(&texts[..3]);
    if !added.is_empty() {
        doc.add_text(fields.text[2], &added);
        doc.add_text(fields.words, &added);
    }
    doc.add_i64(fields.date, entry.date.map_or(0, date_number));
    let sections = serde_json::to_string(&sections(entry.body)).unwrap_or_default();
    doc.add_text(fields.sections, sections);
    doc.add_text(fields.url, entry.url);
    doc.add_text(fields.kind, entry.kind);
    doc.add_facet(fields.facets, Facet::from_path(["type", entry.kind]));
    for (taxonomy, slugs) in entry.terms.into_iter().flatten() {
        for slug in slugs {
            doc.add_facet(fields.facets, Facet::from_path([taxonomy.as_str(), slug.as_str()]));
            if let Some((field, _)) = fields.headline.as_ref().filter(|(_, key)| key == taxonomy) {
                doc.add_text(*field, slug);
            }
        }
    }
    doc
}

/// A day as the number `yyyymmdd`, which sorts as the day does.
fn date_number(day: chrono::NaiveDate) -> i64 {
    use chrono::Datelike;
    i64::from(day.year()) * 10_000 + i64::from(day.month()) * 100 + i64::from(day.day())
}

/// One part of a body: the heading's id (empty before the first heading), the heading, and
/// the text under it up to the next heading.
pub type Section = (String, String, String);

/// The plain text of `body` split at its headings: what excerpts and sub-results are cut from.
pub fn sections(body: &Rendered) -> Vec<Section> {
    let text = &body.text;
    let mut out = Vec::with_capacity(body.headings.len() + 1);
    let mut id = String::new();
    let mut title = String::new();
    let mut from = 0;
    for heading in &body.headings {
        out.push((id, title, squeeze(text.get(from..heading.range.start).unwrap_or(""))));
        id = heading.id.clone();
        title = heading.title.clone();
        from = heading.range.end;
    }
    out.push((id, title, squeeze(text.get(from..).unwrap_or(""))));
    out
}

/// Whitespace runs as one space, none at the ends: the words of `split_whitespace` joined by
/// spaces, with an ASCII byte judged as it is, without decoding a `char`. It runs over every
/// body's whole text on the index's thread, where the `char` iterator and the joined `Vec`
/// were nearly half of its work before tantivy's at 10,000 resources.
fn squeeze(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word_start = None;
    let mut at = 0;
    while let Some(&byte) = text.as_bytes().get(at) {
        let (space, width) = if byte.is_ascii() {
            // `char::is_whitespace` on ASCII: space, tab, line feed, VT, form feed, return.
            (matches!(byte, b' ' | b'\t'..=b'\r'), 1)
        } else {
            // `at` is on a char boundary: it moves by whole chars.
            let c = text[at..].chars().next().unwrap_or(' ');
            (c.is_whitespace(), c.len_utf8())
        };
        match (space, word_start) {
            (true, Some(start)) => {
                push_word(&mut out, &text[start..at]);
                word_start = None;
            }
            (false, None) => word_start = Some(at),
            _ => {}
        }
        at += width;
    }
    if let Some(start) = word_start {
        push_word(&mut out, &text[start..]);
    }
    out
}

fn push_word(out: &mut String, word: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(word);
}

/// Reads the one segment's files out of `ram`, renames them after a hash of their content
/// (segment ids are random UUIDs) and rewrites meta.json to match. Lock and `.managed.json`
/// files are left out: they are bookkeeping of the writer, not part of the index.
fn collect_files(index: &Index, ram: &RamDirectory) -> Result<IndexFiles> {
    let metas = index.searchable_segment_metas()?;
    let mut meta_json = String::from_utf8(ram.atomic_read(Path::new("meta.json"))?)?;
    let mut files = Vec::new();
    for meta in &metas {
        let mut parts: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        for component in COMPONENTS {
            let path = meta.relative_path(component);
            if ram.exists(&path)? {
                let bytes = ram.atomic_read(&path)?;
                parts.push((path, bytes));
            }
        }
        let hash = content_hash(parts.iter().map(|(_, b)| b.as_slice()));
        let new_id =
            SegmentId::from_uuid_string(&format!("{hash:032x}")).map_err(|e| anyhow::anyhow!("segment id: {e:?}"))?;
        let old_id = meta.id();
        meta_json = meta_json.replace(&hyphenated(&old_id.uuid_string()), &hyphenated(&new_id.uuid_string()));
        for (path, bytes) in parts {
            let name = path
                .to_string_lossy()
                .replace(&old_id.uuid_string(), &new_id.uuid_string());
            files.push((name, bytes));
        }
    }
    files.push(("meta.json".to_string(), meta_json.into_bytes()));
    files.sort();
    Ok(files)
}

/// A UUID in its `8-4-4-4-12` form, as serde writes it into meta.json.
fn hyphenated(simple: &str) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        &simple[0..8],
        &simple[8..12],
        &simple[12..16],
        &simple[16..20],
        &simple[20..32]
    )
}

/// 128-bit FNV-1a over the parts, each followed by its length so boundaries count.
fn content_hash<'a>(parts: impl Iterator<Item = &'a [u8]>) -> u128 {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    let mut hash = OFFSET;
    for part in parts {
        for byte in part.iter().copied().chain((part.len() as u64).to_le_bytes()) {
            hash ^= u128::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::squeeze;
    use proptest::prelude::*;

    fn joined_words(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn squeeze_joins_words_split_at_any_unicode_whitespace() {
        let texts = [
            "",
            "   ",
            "one",
            "  one  two\tthree\n\nfour\r\n",
            "vt\x0bff\x0cend",
            "nbsp\u{a0}ideographic\u{3000}nel\u{85}line\u{2028}x",
            "café  naïve\u{202f}größe",
            "\x1cnot\x1fspace",
        ];
        for text in texts {
            assert_eq!(squeeze(text), joined_words(text), "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn squeeze_is_split_whitespace_joined(text in "[a-z \\t\\n\\r\u{b}\u{c}\u{85}\u{a0}\u{2000}-\u{200b}\u{3000}é€]{0,40}") {
            prop_assert_eq!(squeeze(&text), joined_words(&text));
        }
    }
}
