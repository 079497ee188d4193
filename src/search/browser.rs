//! The browser index, exported from the built tantivy segment itself — its terms, postings,
//! positions, field norms and token totals — so that `static/js/search-engine.js` computes the
//! very scores `casebook search` does. It is split so a page loads only what a query needs,
//! each file a classic `<script>` (they load from `file://`, where `fetch` does not):
//!
//! - `search/index.js`, the manifest, loaded first: the BM25 norm tables and each document's
//!   field-norm ids and facets, and how many shards of each kind there are;
//! - `search/chunks/t<n>.js`: the postings of the stems hashed to shard `n`;
//!   `p<n>.js`: their positions (loaded for quoted phrases only); `dates.js`: each document's
//!   date (loaded to list a facet's resources newest first);
//!   `w<n>.js`: the words as written whose first two letters hash to `n`, with their stem and
//!   document frequency (stemming, completion of the word being typed, typo tolerance);
//! - `search/docs/<b>.js`: what a hit shows (url, title, summary, date) of a bucket of
//!   adjacent documents; `search/text/<b>.js`: their bodies split at headings, for passages —
//!   loaded for shown hits only. Buckets are filled in document order up to a number of
//!   bytes ([`DOC_BUCKET_BYTES`], [`TEXT_BUCKET_BYTES`]), so the output holds a file per
//!   several documents rather than two per document (a 10,000-resource build wrote 20,000 of
//!   them, and creating files is the slowest step of writing on ext4), while a shown hit
//!   still loads few bytes besides its own. The manifest lists each bucket's document count.
//!
//! Every file but the manifest calls the global `CasebookChunk(name, packed, 1)`, its data's JSON deflated
//! and in base64 ([`pack`]): the page inflates it with the browser's own
//! `DecompressionStream`. Texts shrink to about a third, postings to a half, so a file holds
//! more documents (or stems) for the bytes a query loads, and a build writes fewer files.
//! Numbers that come by the thousand are written compactly: postings and positions as
//! [`varints`], facets as base-36 lists.

use super::excerpt::PASSAGE_HITS;
use super::query::SearchIndex;
use super::schema::TEXT_FIELDS;
use super::{Entry, Input, SECTION_KIND};
use anyhow::Result;
use base64::Engine as _;
use flate2::write::DeflateEncoder;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value as Json};
use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;
use tantivy::postings::Postings;
use tantivy::schema::{IndexRecordOption, TantivyDocument, Value};
use tantivy::{DocSet, SegmentReader, TERMINATED};

// The sizes below are of the JSON before it is packed, and were chosen with
// `tests/browser/bench-engine.mjs` at 10,000 resources (BENCHMARKS.md, "Round 4" and "Search
// files, issue #15"): packing lets a file hold about three times the data for the bytes a
// query loads, and the build writes a file per bucket or shard.

/// Postings are spread over shards of about this many bytes (~10 KB packed), so a query
/// loads little more than the postings of its own words.
const SHARD_BYTES: usize = 24_000;
/// Words as written, likewise: every word typed loads the shard of its first two letters.
const WORD_SHARD_BYTES: usize = 4_000;
/// Positions are loaded for quoted phrases only (and pack least well: ~0.85): larger shards,
/// fewer files.
const POSITION_SHARD_BYTES: usize = 66_000;
/// A bucket of `search/docs/` holds adjacent documents up to about this many bytes (~25 at
/// ~320 bytes each, ~2.7 KB packed): the page shows up to 50 hits, each loading its bucket.
const DOC_BUCKET_BYTES: usize = 8_000;
/// A bucket of `search/text/` likewise (~3 texts of a generated page, ~5.6 KB packed): only
/// the first ten hits' passages load them, a bucket each, so this is most of what a further
/// query loads. At 24,000 a further query at 10,000 resources loaded 174 KB (median; the
/// budget is 150 KB), now 123 KB; Digital.gov's judged queries 207 → 158 KB. The price is
/// files: twice as many texts' files, and a few more loaded per keystroke (p95 +2 ms from
/// disk on Digital.gov) as a new hit's bucket is less often one a query loaded before.
const TEXT_BUCKET_BYTES: usize = 12_000;
/// How hard chunks are deflated. Measured on 10,000 resources (release, output on tmpfs):
/// level 6 packs the texts into 12.9 MB for ~1.6 s more CPU than level 2 (13.8 MB, +7 %);
/// level 1 saves no more time and packs them 32 % bigger (17.1 MB). With zlib-rs, all of a
/// 10,000-resource index's chunks (58 MB of JSON): level 2 17.3 MB in 0.85 s, level 4 16.8 MB
/// in 1.5 s, level 6 16.7 MB in 2.2 s, level 1 23.4 MB (+35 %) in 0.4 s.
const DEFLATE_LEVEL: u32 = 2;

/// The manifest (`search/index.js`).
#[derive(Serialize)]
struct Manifest {
    /// Number of documents (BM25's N).
    n: u32,
    /// Whether words are stemmed (English sites).
    stem: bool,
    /// Whether query words also match their Welsh initial mutations (Welsh sites only: left
    /// out otherwise).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    mutations: bool,
    /// Number of posting shards.
    shards: u32,
    /// Number of position shards.
    pshards: u32,
    /// Number of word shards.
    wshards: u32,
    /// The lengths, in characters, of the library's words: a chunk `v<length>` each.
    vocab: Vec<usize>,
    /// Hits past this rank show their summary, not a passage.
    passages: usize,
    /// The number of documents in each bucket of `search/docs/`, as [`varints`].
    docs: String,
    /// The number of documents in each bucket of `search/text/`, as [`varints`].
    texts: String,
    fields: Vec<FieldView>,
    facets: Vec<FacetView>,
    /// Per facet, each document's value indexes in base 36, joined by `.`, documents by `,`.
    f: Vec<String>,
}

/// One text field: boost, BM25 norm cache per fieldnorm id, fieldnorm id per doc.
#[derive(Serialize)]
struct FieldView {
    name: &'static str,
    boost: f32,
    /// `k1 * (1 - b + b * dl / avgdl)` for each of the 256 fieldnorm ids, in f32 as tantivy.
    norms: Vec<f32>,
    /// Fieldnorm id of each document, two hex digits each (empty when no document has words
    /// in the field: every id is 0).
    ids: String,
}

/// A facet (type or taxonomy) with its values' slugs and names.
#[derive(Serialize)]
struct FacetView {
    key: String,
    name: String,
    values: Vec<(String, String)>,
}

/// Files by path: what the export makes.
pub type Files = Vec<(String, Vec<u8>)>;

/// Builds the browser index of `input` from its opened tantivy index: (output path, bytes).
pub fn export(input: &Input<'_>, index: &SearchIndex) -> Result<Files> {
    let searcher = index.index().reader()?.searcher();
    let fields = index.fields();
    let Some(segment) = searcher.segment_readers().first() else {
        anyhow::bail!("the search index has no segment");
    };
    let entries = input.entries();
    let pages = entry_of_doc(&searcher, segment, index, &entries)?;
    let facets = facet_views(input, &entries);
    let dates = segment.fast_fields().i64("date")?;
    let mut field_views = Vec::new();
    let mut postings = BTreeMap::new();
    for (i, (name, boost)) in TEXT_FIELDS.iter().enumerate() {
        let fieldnorms = segment.get_fieldnorms_reader(fields.text[i])?;
        let empty = segment.inverted_index(fields.text[i])?.total_num_tokens() == 0;
        field_views.push(FieldView {
            name,
            boost: *boost,
            norms: index.norms()[i].clone(),
            ids: if empty {
                String::new()
            } else {
                (0..segment.max_doc())
                    .map(|d| format!("{:02x}", fieldnorms.fieldnorm_id(d)))
                    .collect()
            },
        });
        read_postings(segment, fields.text[i], i, &mut postings)?;
    }
    let vocabulary = index.words()?;
    let (vocab, vocabulary_chunks) = vocabulary_chunks(&vocabulary)?;
    let words = word_entries(index, vocabulary);
    let shards = shard_count(postings.values().map(|p| p.size), SHARD_BYTES);
    let pshards = shard_count(postings.values().map(|p| p.positions_size), POSITION_SHARD_BYTES);
    let wshards = shard_count(words.iter().map(|(w, _)| w.len() + 16), WORD_SHARD_BYTES);
    let dates: Vec<i64> = (0..segment.max_doc()).map(|d| dates.first(d).unwrap_or(0)).collect();
    let packed_postings = posting_files(&postings, shards, pshards)?;
    drop(postings);
    std::thread::scope(|scope| {
        let packer = Packer::start(scope);
        let (docs, texts) = hit_files(&searcher, index, &pages, &entries, &dates, &packer)?;
        let manifest = Manifest {
            n: segment.max_doc(),
            stem: fields.analysis.stemmed,
            mutations: fields.analysis.mutations,
            shards,
            pshards,
            wshards,
            vocab,
            passages: PASSAGE_HITS,
            docs: varints(docs.counts),
            texts: varints(texts.counts),
            f: (0..facets.len())
                .map(|i| {
                    let per_doc = pages.iter().map(|&p| {
                        let values = facet_values(&entries[p], &facets[i]);
                        values.iter().map(|&v| base36(v)).collect::<Vec<_>>().join(".")
                    });
                    per_doc.collect::<Vec<_>>().join(",")
                })
                .collect(),
            fields: field_views,
            facets,
        };
        let mut files = vec![(
            super::BROWSER_INDEX.to_string(),
            format!("var CasebookIndex = {};\n", script_safe_json(&manifest)?).into_bytes(),
        )];
        let mut chunks = word_chunks(words, wshards)?;
        chunks.extend(vocabulary_chunks);
        chunks.push(Chunk::of("search/chunks/dates.js", "dates", &dates)?);
        chunks.extend(docs.chunks);
        files.extend(packed_postings);
        files.extend(pack_all(chunks)?);
        files.extend(packer.finish()?);
        Ok(files)
    })
}

/// Packs the texts' chunks on a thread of its own as they are made, in order, while the
/// index's thread goes on with the rest: the texts are most of the bytes to deflate, and they
/// are never all held unpacked at once (the channel holds a few).
struct Packer<'scope> {
    send: std::sync::mpsc::SyncSender<Chunk>,
    packed: std::thread::ScopedJoinHandle<'scope, Result<Files>>,
}

impl<'scope> Packer<'scope> {
    fn start<'env>(scope: &'scope std::thread::Scope<'scope, 'env>) -> Packer<'scope> {
        let (send, receive) = std::sync::mpsc::sync_channel::<Chunk>(8);
        let packed = scope.spawn(move || receive.into_iter().map(Chunk::packed).collect());
        Packer { send, packed }
    }

    fn pack(&self, chunk: Chunk) {
        // A send fails only once the thread has stopped on an error, which `finish` returns.
        let _ = self.send.send(chunk);
    }

    fn finish(self) -> Result<Files> {
        drop(self.send);
        self.packed
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}

/// Packs `chunks` in parallel, in order. Deflating is most of the export's time: done chunk by
/// chunk as they were made, it ran on the index's one thread after the pages were rendered
/// while the other core had nothing left to do. Called from the index's own thread (not a
/// rayon worker), it waits while the render keeps the workers busy, then has both.
fn pack_all(chunks: Vec<Chunk>) -> Result<Files> {
    chunks.into_par_iter().map(Chunk::packed).collect()
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

/// 32-bit FNV-1a of `text`'s UTF-8 bytes: the shard of a stem (`js/search-engine.js` has the
/// same function).
pub fn shard_hash(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

/// The shard key of a word as written: its first two characters, so every word a prefix of
/// two or more characters can complete sits in one shard.
pub fn word_key(word: &str) -> &str {
    let end = word.char_indices().nth(2).map_or(word.len(), |(i, _)| i);
    &word[..end]
}

/// The digits of varints that more digits follow, and of their last digit: 32 each, none
/// of them needing escapes in JSON or a script.
const MORE: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%()";
const LAST: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";

/// Numbers as base-32 varints, lowest digit first, the last digit of each from [`LAST`]:
/// a posting (document delta, frequency) is mostly two characters, not four in a JSON array.
pub fn varints(numbers: impl IntoIterator<Item = u32>) -> String {
    let mut out = String::new();
    push_varints(&mut out, numbers);
    out
}

/// Appends [`varints`]`(numbers)` to `out`.
fn push_varints(out: &mut String, numbers: impl IntoIterator<Item = u32>) {
    for mut n in numbers {
        while n >= 32 {
            out.push(char::from(MORE[(n & 31) as usize]));
            n >>= 5;
        }
        out.push(char::from(LAST[n as usize]));
    }
}

/// `n` in base 36 (facet value indexes).
fn base36(mut n: usize) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(char::from_digit((n % 36) as u32, 36).unwrap_or('0'));
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits.iter().rev().collect()
}

/// How many shards of about `target` bytes the items' sizes fill (at least one).
fn shard_count(sizes: impl Iterator<Item = usize>, target: usize) -> u32 {
    let total: usize = sizes.sum();
    u32::try_from(total.div_ceil(target).max(1)).unwrap_or(u32::MAX)
}

/// One stem's postings over the text fields, as the chunks write them: per field, its index,
/// the [`varints`] of its flat `[doc delta, tf, …]` and those of its postings' positions
/// ([`counted_deltas`]). Held as written, not as numbers: at 100,000 resources a `Vec` of
/// positions per posting made this map the largest thing a build held.
#[derive(Default)]
struct StemPostings {
    fields: Vec<(usize, String, String)>,
    /// Approximate bytes of the postings, for sharding.
    size: usize,
    /// Approximate bytes of the positions, likewise.
    positions_size: usize,
}

fn read_postings(
    segment: &SegmentReader,
    field: tantivy::schema::Field,
    i: usize,
    out: &mut BTreeMap<String, StemPostings>,
) -> Result<()> {
    let inverted = segment.inverted_index(field)?;
    let mut stream = inverted.terms().stream()?;
    let mut at = Vec::new();
    while stream.advance() {
        let mut postings =
            inverted.read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqsAndPositions)?;
        let (mut flat, mut positions, mut numbers, mut last) = (String::new(), String::new(), 0, 0);
        while postings.doc() != TERMINATED {
            push_varints(&mut flat, [postings.doc() - last, postings.term_freq()]);
            numbers += 2;
            at.clear();
            postings.positions(&mut at);
            push_varints(&mut positions, counted_deltas(&at));
            last = postings.doc();
            postings.advance();
        }
        let stem = String::from_utf8_lossy(stream.key()).into_owned();
        let entry = out.entry(stem).or_default();
        entry.size += numbers * 2 + 8;
        entry.positions_size += positions.len() + 8;
        entry.fields.push((i, flat, positions));
    }
    Ok(())
}

/// Positions as their count then the gaps between them: small numbers, short varints.
/// (An iterator: it runs once per posting, millions of times at 100,000 resources.)
fn counted_deltas(positions: &[u32]) -> impl Iterator<Item = u32> + '_ {
    let gaps = positions
        .iter()
        .scan(0, |last, &p| Some(p - std::mem::replace(last, p)));
    std::iter::once(positions.len() as u32).chain(gaps)
}

/// The posting chunks `t<n>.js` and position chunks `p<n>.js`, packed. Each shard's JSON is
/// made and packed in turn, in parallel, so only a few are ever held unpacked.
fn posting_files(postings: &BTreeMap<String, StemPostings>, shards: u32, pshards: u32) -> Result<Files> {
    let shard =
        |prefix: char, part: PostingsPart| move |(n, stems)| (format!("{prefix}{n}"), ShardJson { stems, part });
    let terms = by_shard(postings, shards)
        .into_iter()
        .enumerate()
        .map(shard('t', PostingsPart::Flat));
    let positions = by_shard(postings, pshards)
        .into_iter()
        .enumerate()
        .map(shard('p', PostingsPart::Positions));
    let all: Vec<_> = terms.chain(positions).collect();
    all.into_par_iter()
        .map(|(name, shard)| Chunk::of(&format!("search/chunks/{name}.js"), &name, &shard)?.packed())
        .collect()
}

/// The stems of each of `shards` shards, in stem order.
fn by_shard(postings: &BTreeMap<String, StemPostings>, shards: u32) -> Vec<Vec<(&str, &StemPostings)>> {
    let mut by_shard = vec![Vec::new(); shards as usize];
    for (stem, p) in postings {
        by_shard[(shard_hash(stem) % shards) as usize].push((stem.as_str(), p));
    }
    by_shard
}

/// Which of a stem's varints a chunk holds.
#[derive(Clone, Copy)]
enum PostingsPart {
    Flat,
    Positions,
}

/// One shard's chunk: `{"stem": [field, "varints", field, "varints", …], …}`.
struct ShardJson<'a> {
    stems: Vec<(&'a str, &'a StemPostings)>,
    part: PostingsPart,
}

impl Serialize for ShardJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let per_stem = self.stems.iter().map(|(stem, p)| {
            (
                stem,
                StemJson {
                    fields: &p.fields,
                    part: self.part,
                },
            )
        });
        serializer.collect_map(per_stem)
    }
}

/// One stem's entry in a shard's chunk.
struct StemJson<'a> {
    fields: &'a [(usize, String, String)],
    part: PostingsPart,
}

impl Serialize for StemJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq as _;
        let mut seq = serializer.serialize_seq(Some(self.fields.len() * 2))?;
        for (field, flat, positions) in self.fields {
            seq.serialize_element(field)?;
            seq.serialize_element(match self.part {
                PostingsPart::Flat => flat,
                PostingsPart::Positions => positions,
            })?;
        }
        seq.end()
    }
}

/// Every word as written, with its stem (`1` when the word is its own stem) and document
/// frequency, so the browser stems exactly as tantivy did (JS Snowball ports disagree on a
/// few words) and completes the most used words first.
fn word_entries(index: &SearchIndex, vocabulary: Vec<(String, u32)>) -> Vec<(String, Json)> {
    let mut stem_of = index.fields().analysis.word_stemmer();
    vocabulary
        .into_iter()
        .map(|(word, df)| {
            let stem = stem_of(&word);
            let stem = if stem == word { json!(1) } else { json!(stem) };
            (word, json!([stem, df]))
        })
        .collect()
}

/// The library's words with their document frequencies, by length in characters: chunk
/// `v<length>` each (`[[word, df], …]`), and the lengths there are. A word matching nothing
/// is corrected from the words at most [`super::query::max_distance`] characters longer or
/// shorter, so the page loads those few lengths instead of every word shard (Digital.gov's
/// 165 took 0.6 s from disk: the cost is per file).
fn vocabulary_chunks(vocabulary: &[(String, u32)]) -> Result<(Vec<usize>, Vec<Chunk>)> {
    let mut by_length: BTreeMap<usize, Vec<(&str, u32)>> = BTreeMap::new();
    for (word, df) in vocabulary {
        by_length.entry(word.chars().count()).or_default().push((word, *df));
    }
    let chunks = by_length
        .iter()
        .map(|(length, words)| Chunk::of(&format!("search/chunks/v{length}.js"), &format!("v{length}"), words))
        .collect::<Result<_>>()?;
    Ok((by_length.into_keys().collect(), chunks))
}

fn word_chunks(words: Vec<(String, Json)>, shards: u32) -> Result<Vec<Chunk>> {
    let mut by_shard: Vec<BTreeMap<String, Json>> = (0..shards).map(|_| BTreeMap::new()).collect();
    for (word, entry) in words {
        by_shard[(shard_hash(word_key(&word)) % shards) as usize].insert(word, entry);
    }
    by_shard
        .iter()
        .enumerate()
        .map(|(n, words)| Chunk::of(&format!("search/chunks/w{n}.js"), &format!("w{n}"), words))
        .collect()
}

/// The buckets of `search/docs/` (what a hit shows: url, title, summary, date) and of
/// `search/text/` (what it shows again, then its sections, for passages), filled in document
/// order; each text bucket goes to `packer` as it closes. A query's first ten hits are the ones
/// with passages: their text buckets alone give all they show, one file per hit where two
/// were loaded (a file costs ~4.5 ms from disk, BENCHMARKS.md); `docs` serves the hits after.
fn hit_files(
    searcher: &tantivy::Searcher,
    index: &SearchIndex,
    pages: &[usize],
    entries: &[Entry<'_>],
    dates: &[i64],
    packer: &Packer<'_>,
) -> Result<(Buckets, Buckets)> {
    let mut docs = Buckets::new("docs", 'd', DOC_BUCKET_BYTES);
    let mut texts = Buckets::new("text", 'x', TEXT_BUCKET_BYTES);
    for (doc, &page) in pages.iter().enumerate() {
        let entry = &entries[page];
        let shown = json!({"u": entry.url, "t": entry.title, "s": entry.summary, "d": dates[doc]});
        let shown = serde_json::to_string(&shown)?;
        docs.push(&shown);
        let stored: TantivyDocument = searcher.doc(tantivy::DocAddress::new(0, doc as u32))?;
        // The sections as indexed: already the JSON of a `Vec<Section>` (`index::sections`).
        let sections = stored
            .get_first(index.fields().sections)
            .and_then(|v| v.as_str())
            .unwrap_or("[]");
        texts.push(&format!("[{shown},{sections}]"));
        texts.chunks.drain(..).for_each(|chunk| packer.pack(chunk));
    }
    let mut texts = texts.finish();
    texts.chunks.drain(..).for_each(|chunk| packer.pack(chunk));
    Ok((docs.finish(), texts))
}

/// Files `search/<folder>/<b>.js` of adjacent documents' parts, each file about `target`
/// bytes: a part joins the open bucket unless that would pass `target` (so a part larger
/// than `target` has a bucket of its own). Bucket `b` registers chunk `<prefix><b>`, an array
/// of its documents' parts (JSON) in order.
struct Buckets {
    folder: &'static str,
    prefix: char,
    target: usize,
    /// The open bucket's parts, comma-separated.
    open: String,
    /// The number of documents in each bucket, the open one last.
    counts: Vec<u32>,
    chunks: Vec<Chunk>,
}

impl Buckets {
    fn new(folder: &'static str, prefix: char, target: usize) -> Buckets {
        Buckets {
            folder,
            prefix,
            target,
            open: String::new(),
            counts: Vec::new(),
            chunks: Vec::new(),
        }
    }

    /// Adds the next document's part (JSON).
    fn push(&mut self, part: &str) {
        if !self.open.is_empty() && self.open.len() + part.len() >= self.target {
            self.close();
        }
        match self.counts.last_mut() {
            Some(count) if !self.open.is_empty() => {
                self.open.push(',');
                *count += 1;
            }
            _ => self.counts.push(1),
        }
        self.open.push_str(part);
    }

    fn close(&mut self) {
        // The open bucket is the last counted (its chunks may have been taken already).
        let b = self.counts.len() - 1;
        self.chunks.push(Chunk {
            path: format!("search/{}/{b}.js", self.folder),
            name: format!("{}{b}", self.prefix),
            json: format!("[{}]", self.open),
        });
        self.open.clear();
    }

    /// Closes the last bucket.
    fn finish(mut self) -> Buckets {
        if !self.open.is_empty() {
            self.close();
        }
        self
    }
}

/// A chunk file before it is packed: where it goes, the name it registers, its JSON.
#[derive(Debug, PartialEq)]
struct Chunk {
    path: String,
    name: String,
    json: String,
}

impl Chunk {
    /// The chunk of `data`.
    fn of<T: Serialize>(path: &str, name: &str, data: &T) -> Result<Chunk> {
        Ok(Chunk {
            path: path.to_string(),
            name: name.to_string(),
            json: serde_json::to_string(data)?,
        })
    }

    /// The file: `CasebookChunk("name","<json packed>",1);`. Base64 has no character that
    /// could end or confuse the script, so the JSON inside needs no escapes of its own.
    fn packed(self) -> Result<(String, Vec<u8>)> {
        let text = format!("CasebookChunk(\"{}\",\"{}\",1);\n", self.name, pack(&self.json)?);
        Ok((self.path, text.into_bytes()))
    }
}

/// `json` deflated — raw, without a zlib header, as `DecompressionStream('deflate-raw')`
/// reads it — and in standard base64, as `atob` reads it. The same input gives the same
/// bytes (one level, one implementation), so builds stay byte-identical.
pub fn pack(json: &str) -> Result<String> {
    let mut deflater = DeflateEncoder::new(Vec::new(), flate2::Compression::new(DEFLATE_LEVEL));
    deflater.write_all(json.as_bytes())?;
    Ok(base64::engine::general_purpose::STANDARD.encode(deflater.finish()?))
}

/// For each document id of the segment, the index of its entry.
fn entry_of_doc(
    searcher: &tantivy::Searcher,
    segment: &SegmentReader,
    index: &SearchIndex,
    entries: &[Entry<'_>],
) -> Result<Vec<usize>> {
    let by_url: HashMap<&str, usize> = entries.iter().enumerate().map(|(i, e)| (e.url, i)).collect();
    (0..segment.max_doc())
        .map(|doc| {
            let stored: TantivyDocument = searcher.doc(tantivy::DocAddress::new(0, doc))?;
            let url = stored
                .get_first(index.fields().url)
                .and_then(|v| v.as_str())
                .unwrap_or("");
            by_url
                .get(url)
                .copied()
                .ok_or_else(|| anyhow::anyhow!("search index document {doc} has unknown url `{url}`"))
        })
        .collect()
}

/// The facets: the types (with `section` when a section's landing page is searched), then
/// each taxonomy.
fn facet_views(input: &Input<'_>, entries: &[Entry<'_>]) -> Vec<FacetView> {
    let mut types: Vec<(String, String)> = input
        .config
        .types
        .iter()
        .map(|(k, t)| (k.clone(), t.name.clone()))
        .collect();
    if entries.iter().any(|e| e.kind == SECTION_KIND) {
        types.push((SECTION_KIND.into(), "Section".into()));
    }
    let mut facets = vec![FacetView {
        key: "type".into(),
        name: "Type".into(),
        values: types,
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

/// The indexes of `entry`'s values of `facet`.
fn facet_values(entry: &Entry<'_>, facet: &FacetView) -> Vec<usize> {
    let position = |value: &str| facet.values.iter().position(|(slug, _)| slug == value);
    if facet.key == "type" {
        position(entry.kind).into_iter().collect()
    } else {
        let slugs = entry
            .terms
            .and_then(|t| t.get(&facet.key))
            .map(Vec::as_slice)
            .unwrap_or_default();
        slugs.iter().filter_map(|s| position(s)).collect()
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

    #[test]
    fn shards_are_fnv1a_of_the_stem_and_words_share_a_shard_with_their_prefix() {
        assert_eq!(shard_hash(""), 0x811c_9dc5);
        assert_eq!(shard_hash("a"), 0xe40c_292c);
        assert_eq!(word_key("deprescribing"), "de");
        assert_eq!(word_key("é"), "é");
        assert_eq!(word_key("éta"), "ét");
    }

    /// The name and JSON of a packed chunk file (as the page unpacks it).
    fn unpacked(file: &[u8]) -> (String, String) {
        let text = std::str::from_utf8(file).unwrap();
        let call = text
            .strip_prefix("CasebookChunk(\"")
            .unwrap()
            .strip_suffix("\",1);\n")
            .unwrap();
        let (name, packed) = call.split_once("\",\"").unwrap();
        let deflated = base64::engine::general_purpose::STANDARD.decode(packed).unwrap();
        let mut json = String::new();
        std::io::Read::read_to_string(&mut flate2::read::DeflateDecoder::new(&deflated[..]), &mut json).unwrap();
        (name.to_string(), json)
    }

    #[test]
    fn a_packed_chunk_is_base64_of_the_raw_deflated_json_and_the_same_every_time() {
        let json = r#"{"a":"</script> & more, more, more, more, more"}"#;
        let chunk = || Chunk {
            path: "search/chunks/t0.js".into(),
            name: "t0".into(),
            json: json.into(),
        };
        let (path, file) = chunk().packed().unwrap();
        assert_eq!(path, "search/chunks/t0.js");
        assert_eq!(unpacked(&file), ("t0".to_string(), json.to_string()));
        let text = String::from_utf8(file.clone()).unwrap();
        assert!(!text.contains('<') && !text.contains('&'), "{text}");
        assert_eq!(chunk().packed().unwrap().1, file);
        assert_eq!(
            pack_all(vec![chunk(), chunk()]).unwrap(),
            [(path.clone(), file.clone()), (path, file)]
        );
    }

    #[test]
    fn buckets_fill_with_adjacent_parts_up_to_their_target_and_a_large_part_has_its_own() {
        let mut buckets = Buckets::new("docs", 'd', 10);
        for part in ["\"a\"", "\"b\"", "\"long part\"", "1", "2"] {
            buckets.push(part);
        }
        let done = buckets.finish();
        assert_eq!(done.counts, [2, 1, 2]);
        let chunk = |path: &str, name: &str, json: &str| Chunk {
            path: path.into(),
            name: name.into(),
            json: json.into(),
        };
        assert_eq!(
            done.chunks,
            [
                chunk("search/docs/0.js", "d0", "[\"a\",\"b\"]"),
                chunk("search/docs/1.js", "d1", "[\"long part\"]"),
                chunk("search/docs/2.js", "d2", "[1,2]"),
            ]
        );
    }

    #[test]
    fn a_posting_shard_maps_each_stem_to_its_fields_and_their_varints_in_stem_order() {
        let stem = |fields: Vec<(usize, &str, &str)>| StemPostings {
            fields: fields.into_iter().map(|(i, f, p)| (i, f.into(), p.into())).collect(),
            ..StemPostings::default()
        };
        let (lead, care) = (
            stem(vec![(0, "01", "1a"), (2, "11", "2ab")]),
            stem(vec![(1, "31", "1c")]),
        );
        let stems = vec![("care", &care), ("lead", &lead)];
        let flat = ShardJson {
            stems: stems.clone(),
            part: PostingsPart::Flat,
        };
        let positions = ShardJson {
            stems,
            part: PostingsPart::Positions,
        };
        assert_eq!(
            serde_json::to_string(&flat).unwrap(),
            r#"{"care":[1,"31"],"lead":[0,"01",2,"11"]}"#
        );
        assert_eq!(
            serde_json::to_string(&positions).unwrap(),
            r#"{"care":[1,"1c"],"lead":[0,"1a",2,"2ab"]}"#
        );
    }

    #[test]
    fn varints_take_one_character_below_32() {
        assert_eq!(varints([0, 1, 31, 32, 1025]), "01vA1BA1");
        let mut pushed = String::from("x");
        push_varints(&mut pushed, [32, u32::MAX]);
        assert_eq!(pushed, format!("xA1{}", varints([u32::MAX])));
        assert_eq!(base36(0), "0");
        assert_eq!(base36(71), "1z");
        assert_eq!(counted_deltas(&[3, 4, 10]).collect::<Vec<_>>(), [3, 3, 1, 6]);
    }
}
