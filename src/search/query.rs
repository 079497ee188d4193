//! Answering queries from a built tantivy index: the query plan (words, prefix completion,
//! phrases, coordination, the title signal, facet filters, typo tolerance, the first hits ranked
//! again by proximity) and BM25 scoring over the segment's
//! own postings, which `static/js/search-engine.js` mirrors operation for operation (f32
//! arithmetic in the same order), so that the browser and `casebook search` rank alike.

use super::analyzer::Analysis;
use super::excerpt::{self, Sub};
use super::index::Section;
use super::schema::{Fields, TEXT_FIELDS};
use super::welsh;
use anyhow::{bail, Context as _, Result};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tantivy::collector::DocSetCollector;
use tantivy::directory::{Directory, ManagedDirectory, RamDirectory};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings;
use tantivy::query::{BooleanQuery, Occur, Query as TantivyQuery, TermQuery};
use tantivy::schema::{Facet, Field, IndexRecordOption, TantivyDocument, Value};
use tantivy::{DocSet, Index, Searcher, SegmentReader, Term, TERMINATED};

/// At most this many words of the library stand in for one misspelt word.
pub const MAX_EXPANSIONS: usize = 5;
/// The word being typed (the last, with no space after it) is completed with at most this
/// many longer words of the library that start with it, the most frequent first.
pub const PREFIX_EXPANSIONS: usize = 4;
/// The word being typed is completed only from this many characters on.
pub const MIN_PREFIX: usize = 3;
/// The most hits one query returns: a bound on what is collected and sorted (`casebook
/// search --limit` refuses more; `/api/search` gives at most this many).
pub const MAX_LIMIT: usize = 1000;
/// BM25 parameters, as tantivy's.
pub const K1: f32 = 1.2;
/// BM25's length normalisation, as tantivy's.
pub const B: f32 = 0.75;

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// The words as typed: words in double quotes must occur, side by side; the last word,
    /// unless a space follows it, also matches longer words it begins.
    pub text: String,
    /// Facet filters: (facet, value), e.g. (`type`, `case-study`), (`enablers`, `shared-purpose`).
    /// AND across facets, OR within one.
    pub filters: Vec<(String, String)>,
    /// How many hits to return (at most [`MAX_LIMIT`]).
    pub limit: usize,
    /// Search the words as typed only: no typo tolerance.
    pub exact: bool,
}

/// The answer, in the shape `casebook search --json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// The query as typed.
    pub query: String,
    /// How many resources match (not only those returned).
    pub total: usize,
    /// When no word matched well enough and misspellings were searched for instead.
    pub corrected: Option<Corrected>,
    /// The best hits, best first.
    pub hits: Vec<Hit>,
}

/// A typo fallback: what was typed and what was searched instead.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Corrected {
    /// The query as typed.
    pub from: String,
    /// The words searched for.
    pub to: String,
}

/// One matching resource.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Site-absolute url path (`/case-studies/x/`).
    pub url: String,
    /// Title.
    pub title: String,
    /// Type key.
    #[serde(rename = "type")]
    pub kind: String,
    /// The resource's date (`yyyy-mm-dd`), if it has one.
    pub date: Option<String>,
    /// Slugs of the headline taxonomy (`enablers` in the sample library).
    pub enablers: Vec<String>,
    /// Score: BM25 times the square of the share of the query's weight matched, times the
    /// title signal ([`title_bonus`]), and for the first [`excerpt::PASSAGE_HITS`] hits times
    /// the proximity signal ([`proximity_bonus`]).
    pub score: f32,
    /// A passage of the body around the matched words (HTML, matches in `<mark>`), or the
    /// summary when only the title or summary matched.
    pub excerpt: String,
    /// The headings under which words matched, with their own passages.
    pub sub: Vec<Sub>,
}

/// One query word: its stem(s) and how it must match.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// The word as typed, folded (what a correction replaces).
    pub surface: String,
    /// The stems that stand for the word: its own, completions, or typo-tolerant expansions.
    /// A document scores the best of them, each scaled by its entry in `scales`.
    pub stems: Vec<String>,
    /// One per stem: 1, or for a completion the share of it that was typed (`sit` of
    /// `sitemap`: 3/7), so that a word typed in full outranks the longer words it begins.
    pub scales: Vec<f32>,
    /// Inside double quotes: must occur.
    pub required: bool,
    /// The last word, still being typed: completed with longer words.
    pub prefix: bool,
}

impl Word {
    /// Whether it is the word being typed and long enough to be completed ([`MIN_PREFIX`]).
    pub fn completed(&self) -> bool {
        self.prefix && self.surface.chars().count() >= MIN_PREFIX
    }
}

/// A parsed query: its words and its quoted phrases (stems in order).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    /// Distinct words, in order of first appearance.
    pub words: Vec<Word>,
    /// Quoted runs of two or more words, which must occur side by side in one field.
    pub phrases: Vec<Vec<String>>,
    /// How many words were typed, stop words and repeats included, less a question's frame
    /// ([`MIN_FRAME`]): the length of the title that the query *is* ([`title_bonus`]).
    pub length: usize,
    /// Every word typed, folded, in order: stop words, repeats and quoted words included. What
    /// a title that *is* the query equals ([`title_is_query`]).
    pub typed: Vec<String>,
}

/// Splits query text into words with `analysis`: quoted words required (and runs of them
/// phrases), repeated stems kept once (required if any occurrence is), the last word a prefix
/// when nothing follows it and it is not inside quotes.
pub fn parse(analysis: Analysis, text: &str) -> Plan {
    let mut plan = Plan::default();
    let parts: Vec<&str> = text.split('"').collect();
    let typing = text.chars().last().is_some_and(char::is_alphanumeric) && parts.len() % 2 == 1;
    for (i, part) in parts.iter().enumerate() {
        let required = i % 2 == 1;
        let surfaces = super::analyzer::surface_tokens(part);
        plan.typed.extend(surfaces.iter().cloned());
        let stems: Vec<String> = surfaces.iter().map(|w| analysis.stem(w)).collect();
        plan.length += surfaces.len();
        for (n, (surface, stem)) in surfaces.iter().zip(&stems).enumerate() {
            let prefix = typing && i == parts.len() - 1 && n == surfaces.len() - 1;
            match plan.words.iter_mut().find(|w| w.stems[0] == *stem) {
                Some(w) => {
                    w.required |= required;
                    if prefix {
                        w.prefix = true;
                        w.surface = surface.clone();
                    }
                }
                None => plan.words.push(Word {
                    surface: surface.clone(),
                    stems: vec![stem.clone()],
                    scales: vec![1.0],
                    required,
                    prefix,
                }),
            }
        }
        if required && stems.len() >= 2 {
            plan.phrases.push(stems);
        }
    }
    let frame = frame_length(analysis, text);
    if drop_function_words(analysis, &mut plan) && frame >= MIN_FRAME {
        plan.length -= frame;
    }
    plan
}

/// How many stop words open the query, before its first other word and outside quotes: a
/// question's frame (`what is`, `how do I`) when there are [`MIN_FRAME`] or more. The frame is
/// not counted in the query's length for the title signal, so a title that *is* the rest of
/// the question ("how do I run a usability test" → "Getting Started with Usability Testing",
/// "what is X" → "X") is read as covering as much of it as of a query without the frame.
fn frame_length(analysis: Analysis, text: &str) -> usize {
    let first = text.split('"').next().unwrap_or_default();
    super::analyzer::surface_tokens(first)
        .iter()
        .take_while(|w| analysis.is_stop_word(w))
        .count()
}

/// A question's frame has at least this many stop words (an interrogative and its verb:
/// `what is`, `how do I`). One alone opens titles and phrases as often ("The new FedRAMP.gov",
/// "when working with content files…"), whose length should stay as typed.
pub const MIN_FRAME: usize = 2;

/// Leaves out the words a question is phrased with (`how do I`, `what is`, `should my`: the
/// language's stop words), unless quoted, being typed (from [`MIN_PREFIX`] characters), or all
/// the query has. They say nothing of what is wanted, yet counted as much as any word: in
/// the coordination (a page about the subject lacked `how`, `do`, `I`) and in BM25, where a
/// word common in bodies is rare in titles (`to` in "Introduction to templating"). Whether
/// they were left out.
fn drop_function_words(analysis: Analysis, plan: &mut Plan) -> bool {
    let function = |w: &Word| analysis.is_stop_word(&w.surface) && !w.required && !w.completed();
    let dropped = plan.words.iter().any(|w| !function(w));
    if dropped {
        plan.words.retain(|w| !function(w));
    }
    dropped
}

/// `ln(1 + (N - n + 0.5) / (n + 0.5))` in f32 as tantivy's BM25 (the log taken in f64 and
/// rounded, as JavaScript's `Math.fround(Math.log(x))`).
pub fn idf(n: u32, total: u32) -> f32 {
    let x = ((total - n.min(total)) as f32 + 0.5) / (n as f32 + 0.5);
    f64::from(1.0f32 + x).ln() as f32
}

/// The largest edit distance tolerated for a misspelt stem: none under 4 characters, 1 up to
/// 7, 2 beyond.
pub fn max_distance(stem: &str) -> usize {
    match stem.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Levenshtein distance over characters, stopping early once it exceeds `max`.
pub fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    distance_within(&a, &b, max)
}

/// [`edit_distance`] over words already split into characters.
fn distance_within(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            row[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(row[j] + 1);
        }
        if row.iter().min().copied().unwrap_or(0) > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut row);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

/// The terms of an index, ready to be compared with a misspelt word many times over: split
/// into characters, with their [`letters`], grouped by length in characters. A word is then
/// compared only with terms whose length is within its tolerance, and through the full edit
/// distance only when the letters do not already rule the term out.
#[derive(Debug, Default)]
pub struct Vocabulary {
    by_length: Vec<Vec<Known>>,
}

/// A word of the vocabulary.
#[derive(Debug)]
struct Known {
    chars: Vec<char>,
    letters: u64,
    text: String,
    /// How many documents use it.
    df: u32,
}

/// The letters of a word as a set of 64 buckets. Each letter of one word that the other lacks
/// needs an edit of its own, so the buckets one word has and the other lacks are a lower bound
/// of their edit distance (two letters sharing a bucket only lower it further).
fn letters(chars: &[char]) -> u64 {
    chars.iter().fold(0, |set, &c| set | 1 << (u32::from(c) % 64))
}

/// Whether the letters alone show the words are more than `max` edits apart.
fn too_far_by_letters(a: u64, b: u64, max: usize) -> bool {
    let only_a = (a & !b).count_ones() as usize;
    let only_b = (b & !a).count_ones() as usize;
    only_a.max(only_b) > max
}

impl Vocabulary {
    /// The vocabulary of `terms`: (word, number of documents using it).
    pub fn new<'a>(terms: impl IntoIterator<Item = (&'a str, u32)>) -> Vocabulary {
        let mut vocabulary = Vocabulary::default();
        for (term, df) in terms {
            let chars: Vec<char> = term.chars().collect();
            let length = chars.len();
            if vocabulary.by_length.len() <= length {
                vocabulary.by_length.resize_with(length + 1, Vec::new);
            }
            vocabulary.by_length[length].push(Known {
                letters: letters(&chars),
                chars,
                text: term.to_string(),
                df,
            });
        }
        vocabulary
    }

    /// The closest words to `stem` (by distance, then the most used, then word order), at
    /// most [`MAX_EXPANSIONS`].
    pub fn expansions(&self, stem: &str) -> Vec<String> {
        let max = max_distance(stem);
        if max == 0 {
            return Vec::new();
        }
        let chars: Vec<char> = stem.chars().collect();
        let stem_letters = letters(&chars);
        let lengths = chars.len().saturating_sub(max)..=chars.len() + max;
        let mut near: Vec<(usize, std::cmp::Reverse<u32>, &str)> = lengths
            .filter_map(|length| self.by_length.get(length))
            .flatten()
            .filter(|term| term.chars != chars && !too_far_by_letters(stem_letters, term.letters, max))
            .filter_map(|term| {
                distance_within(&chars, &term.chars, max).map(|d| (d, std::cmp::Reverse(term.df), term.text.as_str()))
            })
            .collect();
        near.sort();
        near.into_iter()
            .take(MAX_EXPANSIONS)
            .map(|(_, _, t)| t.to_string())
            .collect()
    }
}

/// A built tantivy index opened for searching.
pub struct SearchIndex {
    index: Index,
    searcher: Searcher,
    fields: Fields,
    /// BM25's `k1 * (1 - b + b * dl / avgdl)` per text field, for each of the 256 field-norm ids.
    norms: Vec<Vec<f32>>,
    /// Every word of the library with its document frequency, read on the first query that
    /// needs typo tolerance and kept: one query may hold many unknown words.
    vocabulary: OnceLock<Vocabulary>,
}

/// Per document, a score.
type Scores = HashMap<u32, f32>;

/// The documents a plan matches, best first, with their scores.
pub struct Matched {
    /// (document, score), sorted.
    pub docs: Vec<(u32, f32)>,
}

impl SearchIndex {
    /// Opens the index in `dir` (the `search/tantivy` folder). The files are read into memory,
    /// so a read-only copy works and nothing is written next to it (tantivy would create a
    /// lock file), and every segment file's checksum is verified before tantivy reads any of
    /// it: see [`verify`].
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        let ram = RamDirectory::create();
        let mut names = Vec::new();
        for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            let name = path.file_name().map(PathBuf::from).unwrap_or_default();
            if path.is_file() && !name.to_string_lossy().starts_with('.') {
                let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
                ram.atomic_write(&name, &bytes)?;
                names.push(name);
            }
        }
        let opened = verify(&ram, &names).and_then(|()| SearchIndex::from_directory(ram));
        opened.with_context(|| {
            format!(
                "the search index in {} cannot be read: run `casebook build` again",
                dir.display()
            )
        })
    }

    /// Opens the index held in `ram`: one segment, as `casebook build` writes it.
    /// `meta.json` has no checksum, so the document count it gives each segment is checked
    /// against the segment's own (one field-length byte per document).
    pub fn from_directory(ram: RamDirectory) -> Result<SearchIndex> {
        let index = Index::open(ram)?;
        super::analyzer::register(&index);
        let fields = Fields::of(&index.schema())?;
        let searcher = index.reader()?.searcher();
        if searcher.segment_readers().len() > 1 {
            bail!("the index has several segments; casebook writes one");
        }
        let mut norms = Vec::new();
        for segment in searcher.segment_readers() {
            let documents = segment.get_fieldnorms_reader(fields.title())?.num_docs();
            if documents != segment.max_doc() {
                bail!(
                    "meta.json gives a segment {} documents, but it holds {documents}",
                    segment.max_doc()
                );
            }
            for field in &fields.text {
                norms.push(norm_table(segment, *field)?);
            }
        }
        Ok(SearchIndex {
            index,
            searcher,
            fields,
            norms,
            vocabulary: OnceLock::new(),
        })
    }

    /// The key of the headline taxonomy (`--enabler` filters on it), if the site has one.
    pub fn headline(&self) -> Option<&str> {
        self.fields.headline_key()
    }

    /// The tantivy index (for exporting the browser index).
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The fields of the index.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The BM25 norm table of each text field (see [`norm_table`]).
    pub fn norms(&self) -> &[Vec<f32>] {
        &self.norms
    }

    /// The segment (an index without documents has none).
    fn segment(&self) -> Option<&SegmentReader> {
        self.searcher.segment_readers().first()
    }

    /// Runs `query`: the words as typed (the last one completed); unless the query is
    /// `exact`, each word matching nothing is first replaced by the closest words of the
    /// library, reported as `corrected` — also when the other words match plenty: a misspelt
    /// word among good ones ("interveiw checklist") would otherwise count for nothing.
    pub fn search(&self, query: &Query) -> Result<Results> {
        let mut plan = parse(self.fields.analysis, &query.text);
        if self.fields.analysis.mutations {
            self.add_mutations(&mut plan)?;
        }
        self.complete(&mut plan)?;
        let corrected = match query.exact {
            true => None,
            false => self.correct(&mut plan)?.map(|to| Corrected {
                from: query.text.clone(),
                to,
            }),
        };
        let mut matched = self.matching(&plan, &query.filters)?;
        // The first hits' stored fields are read once, and their text analysed by one
        // analyser, for both their proximity and their passages.
        let mut stored = self.read_first(&matched.docs)?;
        let stems = self.fields.analysis.text_stemmer();
        self.rank_first_hits(&plan, &mut matched.docs, &stored, &stems);
        let limit = query.limit.min(MAX_LIMIT);
        let wanted: HashSet<&str> = plan
            .words
            .iter()
            .flat_map(|w| w.stems.iter().map(String::as_str))
            .collect();
        let hits = matched
            .docs
            .iter()
            .take(limit)
            .enumerate()
            .map(|(rank, &(doc, score))| {
                let read = match stored.remove(&doc) {
                    Some(read) => read,
                    None => self.read(doc, false)?,
                };
                self.hit(doc, score, &read, rank < excerpt::PASSAGE_HITS, &wanted, &stems)
            })
            .collect::<Result<_>>()?;
        Ok(Results {
            query: query.text.clone(),
            total: matched.docs.len(),
            corrected,
            hits,
        })
    }

    /// Adds to each word the Welsh forms of it ([`welsh::forms`]: its radicals and their
    /// mutations) that the library uses, so a page scores the best of them.
    fn add_mutations(&self, plan: &mut Plan) -> Result<()> {
        let Some(segment) = self.segment() else { return Ok(()) };
        let words = segment.inverted_index(self.fields.words)?;
        for word in &mut plan.words {
            for form in welsh::forms(&word.stems[0]).into_iter().skip(1) {
                let used = words.doc_freq(&Term::from_field_text(self.fields.words, &form))? > 0;
                if used && !word.stems.contains(&form) {
                    word.stems.push(form);
                    word.scales.push(1.0);
                }
            }
        }
        Ok(())
    }

    /// Adds to the word being typed the stems of the most used longer words it begins.
    fn complete(&self, plan: &mut Plan) -> Result<()> {
        let Some(word) = plan.words.iter_mut().find(|w| w.completed()) else {
            return Ok(());
        };
        let Some(segment) = self.segment() else { return Ok(()) };
        let inverted = segment.inverted_index(self.fields.words)?;
        let mut stream = inverted.terms().range().ge(word.surface.as_bytes()).into_stream()?;
        let mut longer: Vec<(std::cmp::Reverse<u32>, String)> = Vec::new();
        while stream.advance() {
            let Ok(text) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if !text.starts_with(word.surface.as_str()) {
                break;
            }
            if text != word.surface {
                longer.push((std::cmp::Reverse(stream.value().doc_freq), text.to_string()));
            }
        }
        longer.sort();
        let typed = word.surface.chars().count() as f32;
        for (_, text) in longer.into_iter().take(PREFIX_EXPANSIONS) {
            let stem = self.fields.analysis.stem(&text);
            let scale = typed / text.chars().count() as f32;
            match word.stems.iter().position(|s| *s == stem) {
                Some(i) => word.scales[i] = word.scales[i].max(scale),
                None => {
                    word.stems.push(stem);
                    word.scales.push(scale);
                }
            }
        }
        Ok(())
    }

    /// Replaces each word that matches nothing by the closest words of the library; the words
    /// searched for instead, if any word changed. The vocabulary is read only for a word long
    /// enough to have a correction ([`max_distance`]), as the page loads it.
    fn correct(&self, plan: &mut Plan) -> Result<Option<String>> {
        let mut changed = false;
        let mut searched = Vec::new();
        for word in &mut plan.words {
            if max_distance(&word.surface) > 0 && self.word_matches_nothing(word)? {
                let near = self.vocabulary()?.expansions(&word.surface);
                if let Some(first) = near.first() {
                    searched.push(first.clone());
                    word.stems = dedup(near.iter().map(|w| self.fields.analysis.stem(w)));
                    word.scales = vec![1.0; word.stems.len()];
                    changed = true;
                    continue;
                }
            }
            searched.push(word.surface.clone());
        }
        Ok(changed.then(|| searched.join(" ")))
    }

    fn word_matches_nothing(&self, word: &Word) -> Result<bool> {
        let Some(segment) = self.segment() else { return Ok(true) };
        for stem in &word.stems {
            for field in &self.fields.text {
                if segment
                    .inverted_index(*field)?
                    .doc_freq(&Term::from_field_text(*field, stem))?
                    > 0
                {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    /// Every word of the library with its document frequency; read once per index.
    fn vocabulary(&self) -> Result<&Vocabulary> {
        if let Some(vocabulary) = self.vocabulary.get() {
            return Ok(vocabulary);
        }
        let words = self.words()?;
        Ok(self
            .vocabulary
            .get_or_init(|| Vocabulary::new(words.iter().map(|(w, df)| (w.as_str(), *df)))))
    }

    /// Every word of the text fields as written, with the number of documents using it.
    pub fn words(&self) -> Result<Vec<(String, u32)>> {
        let mut words = Vec::new();
        if let Some(segment) = self.segment() {
            let inverted = segment.inverted_index(self.fields.words)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                words.push((
                    String::from_utf8_lossy(stream.key()).into_owned(),
                    stream.value().doc_freq,
                ));
            }
        }
        Ok(words)
    }

    /// The documents matching `plan` and `filters`, best first (ties in document order); with
    /// no words but a filter, every resource passing it, newest first.
    pub fn matching(&self, plan: &Plan, filters: &[(String, String)]) -> Result<Matched> {
        let Some(segment) = self.segment() else {
            return Ok(Matched { docs: Vec::new() });
        };
        let allowed = self.filtered(filters)?;
        if plan.words.is_empty() {
            return self.browse(segment, allowed);
        }
        let total = segment.max_doc();
        let per_word: Vec<(Scores, Scores)> = plan
            .words
            .iter()
            .map(|w| self.word_scores(segment, w))
            .collect::<Result<_>>()?;
        let weights: Vec<f32> = per_word.iter().map(|(s, _)| idf(s.len() as u32, total)).collect();
        let all_weight = weights.iter().fold(0.0f32, |sum, w| sum + w);
        let required = plan.words.iter().filter(|w| w.required).count();
        // Per document: summed score, matched weight, required words matched, title covered.
        let mut sums: HashMap<u32, (f32, f32, usize, f32)> = HashMap::new();
        for ((word, (scores, covered)), weight) in plan.words.iter().zip(&per_word).zip(&weights) {
            for (&doc, &score) in scores {
                let entry = sums.entry(doc).or_insert((0.0, 0.0, 0, 0.0));
                entry.0 += score;
                entry.1 += weight;
                entry.2 += usize::from(word.required);
                entry.3 += covered.get(&doc).copied().unwrap_or(0.0);
            }
        }
        let phrases = self.phrase_positions(segment, &plan.phrases)?;
        let titles = segment.get_fieldnorms_reader(self.fields.title())?;
        let mut docs: Vec<(u32, f32)> = sums
            .into_iter()
            .filter(|(doc, (_, _, req, _))| {
                *req == required
                    && allowed.as_ref().is_none_or(|a| a.contains(doc))
                    && phrases.iter().all(|p| phrase_in(p, *doc))
            })
            .map(|(doc, (score, matched, _, covered))| {
                let share = matched / all_weight;
                let title = title_bonus(covered, titles.fieldnorm_id(doc), plan.length);
                (doc, score * share * share * title)
            })
            .collect();
        docs.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(Matched { docs })
    }

    /// Every document passing `allowed` (all without filters: none), newest first.
    fn browse(&self, segment: &SegmentReader, allowed: Option<HashSet<u32>>) -> Result<Matched> {
        let Some(allowed) = allowed else {
            return Ok(Matched { docs: Vec::new() });
        };
        let dates = segment.fast_fields().i64("date")?;
        let mut docs: Vec<(i64, u32)> = allowed
            .into_iter()
            .map(|doc| (dates.first(doc).unwrap_or(0), doc))
            .collect();
        docs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        Ok(Matched {
            docs: docs.into_iter().map(|(_, doc)| (doc, 0.0)).collect(),
        })
    }

    /// The documents passing the facet filters, or `None` without filters.
    fn filtered(&self, filters: &[(String, String)]) -> Result<Option<HashSet<u32>>> {
        let Some(query) = self.filter_query(filters) else {
            return Ok(None);
        };
        let found = self.searcher.search(&*query, &DocSetCollector)?;
        Ok(Some(found.into_iter().map(|address| address.doc_id).collect()))
    }

    /// A word's score in each document, the best of its stems, each scaled; and how much of
    /// each document's title it covers: its stems' term frequency in the title, the best of
    /// them, each scaled likewise (a completion covers a title word by the share typed).
    fn word_scores(&self, segment: &SegmentReader, word: &Word) -> Result<(Scores, Scores)> {
        let mut best = Scores::new();
        let mut covered = Scores::new();
        for (stem, scale) in word.stems.iter().zip(&word.scales) {
            let (scores, in_title) = self.stem_scores(segment, stem)?;
            keep_best(&mut best, scores, *scale);
            keep_best(&mut covered, in_title, *scale);
        }
        Ok((best, covered))
    }

    /// One stem's BM25 score in each document, the sum over the text fields, each boosted;
    /// and its term frequency in each title holding it.
    fn stem_scores(&self, segment: &SegmentReader, stem: &str) -> Result<(Scores, Scores)> {
        let mut scores = Scores::new();
        let mut in_title = Scores::new();
        let total = segment.max_doc();
        for (i, (field, (_, boost))) in self.fields.text.iter().zip(TEXT_FIELDS).enumerate() {
            let inverted = segment.inverted_index(*field)?;
            let Some(info) = inverted.get_term_info(&Term::from_field_text(*field, stem))? else {
                continue;
            };
            let weight = idf(info.doc_freq, total) * (1.0 + K1);
            let norms = segment.get_fieldnorms_reader(*field)?;
            let mut postings = inverted.read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
            while postings.doc() != TERMINATED {
                let doc = postings.doc();
                let tf = postings.term_freq() as f32;
                let tf_factor = tf / (tf + self.norms[i][usize::from(norms.fieldnorm_id(doc))]);
                *scores.entry(doc).or_insert(0.0) += weight * tf_factor * boost;
                if i == 0 {
                    in_title.insert(doc, tf);
                }
                postings.advance();
            }
        }
        Ok((scores, in_title))
    }

    /// For each phrase, per text field, the positions of each of its stems by document.
    fn phrase_positions(&self, segment: &SegmentReader, phrases: &[Vec<String>]) -> Result<Vec<PhrasePositions>> {
        let mut out = Vec::new();
        for phrase in phrases {
            let mut fields = Vec::new();
            for field in &self.fields.text {
                let inverted = segment.inverted_index(*field)?;
                let mut per_stem = Vec::new();
                for stem in phrase {
                    let mut by_doc: HashMap<u32, Vec<u32>> = HashMap::new();
                    if let Some(info) = inverted.get_term_info(&Term::from_field_text(*field, stem))? {
                        let mut postings =
                            inverted.read_postings_from_terminfo(&info, IndexRecordOption::WithFreqsAndPositions)?;
                        while postings.doc() != TERMINATED {
                            let mut positions = Vec::new();
                            postings.positions(&mut positions);
                            by_doc.insert(postings.doc(), positions);
                            postings.advance();
                        }
                    }
                    per_stem.push(by_doc);
                }
                fields.push(per_stem);
            }
            out.push(fields);
        }
        Ok(out)
    }

    /// Facet filters as one query (AND across facets, OR within one).
    fn filter_query(&self, filters: &[(String, String)]) -> Option<Box<dyn TantivyQuery>> {
        if filters.is_empty() {
            return None;
        }
        let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (facet, value) in filters {
            groups.entry(facet.as_str()).or_default().push(value.as_str());
        }
        let musts = groups
            .into_iter()
            .map(|(facet, values)| {
                let any: Vec<(Occur, Box<dyn TantivyQuery>)> = values
                    .into_iter()
                    .map(|v| {
                        let term = Term::from_facet(self.fields.facets, &Facet::from_path([facet, v]));
                        let q: Box<dyn TantivyQuery> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                        (Occur::Should, q)
                    })
                    .collect();
                let q: Box<dyn TantivyQuery> = Box::new(BooleanQuery::new(any));
                (Occur::Must, q)
            })
            .collect();
        Some(Box::new(BooleanQuery::new(musts)))
    }

    /// Reorders the first [`excerpt::PASSAGE_HITS`] hits — those whose text is read anyway,
    /// for their passages — by [`proximity_bonus`] and, for a title that is the query, by
    /// [`EXACT_TITLE`]: each score is multiplied by them, which can only raise it, so they stay
    /// ahead of the rest.
    fn rank_first_hits(
        &self,
        plan: &Plan,
        docs: &mut [(u32, f32)],
        stored: &HashMap<u32, Stored>,
        stems: &dyn Fn(&str) -> Vec<String>,
    ) {
        if plan.words.is_empty() {
            return; // browsing: newest first
        }
        let top = docs.len().min(excerpt::PASSAGE_HITS);
        for (doc, score) in &mut docs[..top] {
            let hit = &stored[doc];
            let title = hit.text(self.fields.title());
            if plan.words.len() >= 2 {
                let summary = hit.text(self.fields.summary());
                let runs: Vec<(&str, &str)> = [("", title.as_str()), ("", summary.as_str())]
                    .into_iter()
                    .chain(
                        hit.sections
                            .iter()
                            .map(|(_, heading, text)| (heading.as_str(), text.as_str())),
                    )
                    .collect();
                *score *= proximity_bonus(near_words(plan, &runs, stems), plan.words.len());
            }
            if title_is_query(&super::analyzer::surface_tokens(&title), plan) {
                *score *= EXACT_TITLE;
            }
        }
        docs[..top].sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    }

    /// The stored fields of the first [`excerpt::PASSAGE_HITS`] hits, with their sections:
    /// what their proximity and their passages read.
    fn read_first(&self, docs: &[(u32, f32)]) -> Result<HashMap<u32, Stored>> {
        docs.iter()
            .take(excerpt::PASSAGE_HITS)
            .map(|&(doc, _)| Ok((doc, self.read(doc, true)?)))
            .collect()
    }

    /// A document's stored fields, with its body split at its headings if `sections`.
    fn read(&self, doc: u32, sections: bool) -> Result<Stored> {
        let document: TantivyDocument = self.searcher.doc(tantivy::DocAddress::new(0, doc))?;
        let sections = match sections {
            true => serde_json::from_str(&stored_text(&document, self.fields.sections)).unwrap_or_default(),
            false => Vec::new(),
        };
        Ok(Stored { document, sections })
    }

    fn hit(
        &self,
        doc: u32,
        score: f32,
        read: &Stored,
        with_passages: bool,
        wanted: &HashSet<&str>,
        stems: &dyn Fn(&str) -> Vec<String>,
    ) -> Result<Hit> {
        let text = |field| read.text(field);
        let url = format!("/{}", text(self.fields.url));
        let summary = text(self.fields.summary());
        let sections: &[Section] = if with_passages { &read.sections } else { &[] };
        let (excerpt, sub) = excerpt::passages(&url, &summary, sections, wanted, stems);
        let date = match self.segment() {
            Some(segment) => segment.fast_fields().i64("date")?.first(doc).filter(|d| *d > 0),
            None => None,
        };
        Ok(Hit {
            url,
            title: text(self.fields.title()),
            kind: text(self.fields.kind),
            date: date.map(|d| format!("{:04}-{:02}-{:02}", d / 10_000, d / 100 % 100, d % 100)),
            enablers: self
                .fields
                .headline
                .iter()
                .flat_map(|(field, _)| read.document.get_all(*field))
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            score,
            excerpt,
            sub,
        })
    }
}

/// Raises each document's value in `best` to its value in `values` times `scale`, where
/// that is higher (a word counts by the best of its stems).
fn keep_best(best: &mut Scores, values: Scores, scale: f32) {
    for (doc, value) in values {
        let value = value * scale;
        let entry = best.entry(doc).or_insert(value);
        if value > *entry {
            *entry = value;
        }
    }
}

/// The title signal of a known-item query: `1 + TITLE_WEIGHT * c²`, where `c` is how much of
/// the title the query covers — the title's words that are query words (`covered`, each a
/// completion's share typed), over the title's length in words (from its field-norm id,
/// counted up to [`TITLE_WORDS`]) or the query's (`length`, stop words included) if longer.
/// So the page whose title *is* the query ("Guide to the Paperwork Reduction Act") outranks
/// those whose titles merely contain it ("Introducing a Guide to the…"), and a one-word title
/// that a long question happens to hold ("Systems") gains little. Squared, so that only a
/// title close to the query gains much.
pub fn title_bonus(covered: f32, norm_id: u8, length: usize) -> f32 {
    let words = usize::from(norm_id.min(TITLE_WORDS)).max(length);
    if words == 0 {
        return 1.0;
    }
    let c = (covered / words as f32).min(1.0);
    1.0 + TITLE_WEIGHT * c * c
}

/// The most distinct query words found within [`NEAR`] consecutive words of one run of a
/// page's text: its title, its summary, or a section of its body (the heading and the text
/// under it, read as one run). A word of the page counts for the first query word one of
/// whose stems is its stem. The body's own positions would do as well, but the browser loads
/// positions only for phrases; a hit's sections it loads anyway, for its passages.
pub fn near_words(plan: &Plan, runs: &[(&str, &str)], stems: &dyn Fn(&str) -> Vec<String>) -> usize {
    let word_of = |stem: &String| plan.words.iter().position(|w| w.stems.contains(stem));
    let mut best = 0;
    for (heading, text) in runs {
        let found: Vec<Option<usize>> = stems(heading).iter().chain(&stems(text)).map(word_of).collect();
        let mut counts = vec![0usize; plan.words.len()];
        let mut distinct = 0;
        for (end, word) in found.iter().enumerate() {
            if let Some(w) = *word {
                distinct += usize::from(counts[w] == 0);
                counts[w] += 1;
            }
            if let Some(Some(w)) = end.checked_sub(NEAR).map(|gone| found[gone]) {
                counts[w] -= 1;
                distinct -= usize::from(counts[w] == 0);
            }
            best = best.max(distinct);
        }
    }
    best
}

/// The proximity signal of a page: `1 + PROXIMITY_WEIGHT x²`, where `x` is the share of the
/// query's words beyond the first that [`near_words`] found close together, `(near - 1) /
/// (words - 1)`. It tells the page that answers a question ("what is an authority to operate")
/// from those that use its words apart ("Contact Center Operation" … "authority"), and the
/// page a body phrase comes from. Squared, so that two words of a long question found side
/// by side count for little.
pub fn proximity_bonus(near: usize, words: usize) -> f32 {
    if words < 2 || near < 2 {
        return 1.0;
    }
    let x = (near - 1) as f32 / (words - 1) as f32;
    1.0 + PROXIMITY_WEIGHT * x * x
}

/// How much more than its score a page holding every query word within [`NEAR`] words
/// scores, less one ([`proximity_bonus`]). 2 and 3 tied on the judged tuning sets of
/// `benches/search_eval/`, 1 did worse.
pub const PROXIMITY_WEIGHT: f32 = 2.0;
/// Query words count as close within a run of this many words of a page (5 and 6 tied on the
/// tuning sets, 7 and 8 did worse on Digital.gov).
pub const NEAR: usize = 6;

/// Whether a title's words (folded, as written) are the words typed, in order — the last
/// typed word may be the start of the title's last while it is being completed (typed, and
/// [`MIN_PREFIX`] characters or more) after another word: a word alone would make every title
/// it begins the query ("site" → "Sitemaps"), against the rule that a word typed in full
/// outranks the longer words it begins. The title signal ([`title_bonus`]) compares stems, so
/// "Page bundles" covers the titles "Page bundles" and "Page bundle" alike; a reader who typed
/// a title exactly means the page it names.
pub fn title_is_query(title: &[String], plan: &Plan) -> bool {
    let typed = &plan.typed;
    let completing = typed.len() >= 2 && plan.words.iter().any(Word::completed);
    !typed.is_empty()
        && title.len() == typed.len()
        && title.iter().zip(typed).enumerate().all(|(i, (title_word, word))| {
            title_word == word || (completing && i + 1 == typed.len() && title_word.starts_with(word.as_str()))
        })
}

/// What the score of a page whose title is the query ([`title_is_query`]) is multiplied by.
/// On the nine judged sets of `benches/search_eval/` (349 queries) it gained three top hits
/// and lost none: Hugo's "Page bundles" over the glossary entry "Page bundle", "image
/// processi" (being typed) over "images.Process" and Digital.gov's "foundations of agile part i"
/// over "… Part II". In scratch runs 1.2 gained less and 2 or 3 no more.
pub const EXACT_TITLE: f32 = 1.5;

/// How much more than its BM25 score a page whose title is the query scores, less one
/// ([`title_bonus`]). Tuned on the judged tuning sets of `benches/search_eval/` (1 and 2
/// left a title behind pages announcing it; more gained nothing).
pub const TITLE_WEIGHT: f32 = 3.0;
/// Titles are counted up to this many words: their field norm is exact that far.
pub const TITLE_WORDS: u8 = 40;

/// A phrase's positions: per text field, per stem of the phrase, document → positions.
type PhrasePositions = Vec<Vec<HashMap<u32, Vec<u32>>>>;

/// Whether the phrase's stems sit side by side, in order, in one field of `doc`.
fn phrase_in(phrase: &PhrasePositions, doc: u32) -> bool {
    phrase.iter().any(|per_stem| {
        let Some(first) = per_stem.first().and_then(|p| p.get(&doc)) else {
            return false;
        };
        first.iter().any(|&start| {
            per_stem.iter().enumerate().skip(1).all(|(offset, positions)| {
                positions
                    .get(&doc)
                    .is_some_and(|p| p.binary_search(&(start + offset as u32)).is_ok())
            })
        })
    })
}

/// BM25's `k1 * (1 - b + b * dl / avgdl)` for each of the 256 field-norm ids of `field`, in
/// f32 as tantivy (`avgdl` over every document, empty ones included).
pub fn norm_table(segment: &SegmentReader, field: tantivy::schema::Field) -> Result<Vec<f32>> {
    let inverted = segment.inverted_index(field)?;
    let average = inverted.total_num_tokens() as f32 / segment.max_doc().max(1) as f32;
    Ok((0..=255u8)
        .map(|id| K1 * (1.0 - B + B * FieldNormReader::id_to_fieldnorm(id) as f32 / average))
        .collect())
}

/// The items in first-seen order, without repeats.
fn dedup(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// Checks that every segment file in `ram` is whole: tantivy ends each with a footer holding
/// the CRC-32 of the rest. A flipped byte or a truncated copy is an error here, before tantivy
/// trusts any length or offset in the file; it would otherwise panic, or abort on an
/// allocation sized by a damaged length. `meta.json` has no footer; its damage shows as a
/// parse error, or as segments that do not match (see [`SearchIndex::from_directory`]).
fn verify(ram: &RamDirectory, names: &[PathBuf]) -> Result<()> {
    let checked = ManagedDirectory::wrap(Box::new(ram.clone()))?;
    for name in names.iter().filter(|n| n.as_os_str() != "meta.json") {
        match checked.validate_checksum(name) {
            Ok(true) => {}
            Ok(false) => bail!("{} is damaged: its checksum does not match", name.display()),
            Err(e) => bail!("{} is damaged: {e}", name.display()),
        }
    }
    Ok(())
}

/// Where the index of a built site is: `dir` itself if it holds `meta.json`, else
/// `dir/search/tantivy` or `dir/public/search/tantivy`.
pub fn locate(dir: &Path) -> Result<PathBuf> {
    for candidate in [
        dir.to_path_buf(),
        dir.join("search/tantivy"),
        dir.join("public/search/tantivy"),
    ] {
        if candidate.join("meta.json").is_file() {
            return Ok(candidate);
        }
    }
    bail!(
        "no search index in {}: run `casebook build` first (or pass --index DIR)",
        dir.display()
    )
}

/// A hit's stored document, read once for its proximity and its passages, with its body
/// split at its headings (empty for a hit that gets no passages).
struct Stored {
    document: TantivyDocument,
    sections: Vec<Section>,
}

impl Stored {
    /// The text of `field` ("" when it has none).
    fn text(&self, field: Field) -> String {
        stored_text(&self.document, field)
    }
}

/// The text of a stored document's `field` ("" when it has none).
fn stored_text(stored: &TantivyDocument, field: Field) -> String {
    stored
        .get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_words_are_required_and_repeats_merge() {
        let english = Analysis::named(crate::search::analyzer::ANALYZER);
        let plan = parse(english, r#"care "homes" care"#);
        assert_eq!(plan.words.len(), 2);
        assert!(!plan.words[0].required);
        assert!(plan.words[1].required);
        assert!(plan.phrases.is_empty());
    }

    #[test]
    fn quoted_runs_are_phrases_and_the_last_word_typed_is_a_prefix() {
        let english = Analysis::named(crate::search::analyzer::ANALYZER);
        let plan = parse(english, r#""plain language" deprescrib"#);
        assert_eq!(plan.phrases, [vec!["plain".to_string(), "languag".to_string()]]);
        assert!(plan.words[2].prefix && plan.words[2].surface == "deprescrib");
        assert!(!parse(english, "deprescrib ").words[0].prefix);
        assert!(!parse(english, r#""plain language""#).words[1].prefix);
    }

    #[test]
    fn a_questions_frame_does_not_count_in_the_length_of_the_title_it_asks_for() {
        let english = Analysis::named(crate::search::analyzer::ANALYZER);
        let length = |text| parse(english, text).length;
        // `how do I`, `what is`: the title asked for is the rest, its own stop words included.
        assert_eq!(length("how do I run a usability test"), length("run a usability test"));
        assert_eq!(length("what is human-centered design"), 3);
        // One opening stop word is a title's or a phrase's own; quoted words are wanted; a
        // query of stop words only keeps them all.
        assert_eq!(length("the new website"), 3);
        assert_eq!(length(r#""how do" I renew"#), 4);
        assert_eq!(length("how do I"), 3);
        // Only English sites know which words are function words.
        assert_eq!(
            parse(Analysis::named(crate::search::analyzer::PLAIN), "what is x").length,
            3
        );
    }

    #[test]
    fn the_title_signal_is_highest_when_the_title_is_the_query() {
        // "Guide to the Paperwork Reduction Act" for that query: 4 of its 6 words are query
        // words (`to`, `the` are left out), the query is 6 words long.
        let exact = title_bonus(4.0, 6, 6);
        let longer = title_bonus(4.0, 8, 6); // "Introducing a Guide to the …"
        let one_word = title_bonus(1.0, 1, 6); // "Systems", for a six-word question
        assert!(exact > longer && longer > one_word && one_word > 1.0);
        assert_eq!(title_bonus(2.0, 2, 2), 1.0 + TITLE_WEIGHT);
        assert_eq!(
            title_bonus(3.0, 2, 2),
            1.0 + TITLE_WEIGHT,
            "a repeated word covers no more than the title"
        );
        assert_eq!(title_bonus(0.0, 0, 0), 1.0, "no title, no words");
        assert_eq!(
            title_bonus(1.0, 200, 1),
            title_bonus(1.0, TITLE_WORDS, 1),
            "long titles counted to 40"
        );
    }

    #[test]
    fn query_words_count_as_close_only_within_one_run_of_a_page() {
        let english = Analysis::named(crate::search::analyzer::ANALYZER);
        let plan = parse(english, "what is an authority to operate ");
        let stems = |text: &str| english.stems(text);
        let near = |runs: &[(&str, &str)]| near_words(&plan, runs, &stems);
        assert_eq!(near(&[("", "An authority to operate lets a service run.")]), 2);
        // Six words apart is not close; nor are words in two sections, or split across the
        // end of a heading and another section's text.
        assert_eq!(near(&[("", "The authority, a body of many people, operates it.")]), 1);
        assert_eq!(near(&[("Authority", "none"), ("", "Operating it")]), 1);
        assert_eq!(
            near(&[("Authority", "to operate")]),
            2,
            "a heading and its text are one run"
        );
        assert_eq!(proximity_bonus(2, 2), 1.0 + PROXIMITY_WEIGHT);
        assert_eq!(proximity_bonus(1, 2), 1.0, "one word found is no proximity");
        assert_eq!(proximity_bonus(1, 1), 1.0, "a one-word query has none");
        assert!(
            proximity_bonus(2, 5) < 1.2,
            "two words of a long question side by side count for little"
        );
    }

    #[test]
    fn a_title_is_the_query_when_its_words_are_the_words_typed() {
        let words = |text: &str| super::super::analyzer::surface_tokens(text);
        let english = Analysis::named(crate::search::analyzer::ANALYZER);
        let is = |title: &str, query: &str| title_is_query(&words(title), &parse(english, query));
        assert!(is("Page bundles", "page bundles "));
        assert!(!is("Page bundle", "page bundles "), "compared as written, not stemmed");
        assert!(!is("Page bundles", "bundles page "), "in order");
        assert!(
            is("Image processing", "image processi"),
            "the word being typed begins the last"
        );
        assert!(!is("Image processing", "image processi "), "not once typed");
        assert!(is("Foundations of Agile, Part I", "foundations of agile part i"));
        assert!(
            !is("Foundations of Agile, Part II", "foundations of agile part i"),
            "a word too short to complete"
        );
        assert!(
            is("How to test", "\"how to\" test"),
            "quoted words and stop words count"
        );
        assert!(!is("Page bundles", ""));
        assert!(!is("Sitemaps", "site"), "a word alone is not the start of a title");
    }

    #[test]
    fn edit_distance_stops_at_the_limit() {
        assert_eq!(edit_distance("colabor", "collabor", 1), Some(1));
        assert_eq!(edit_distance("kitten", "sitting", 2), None);
        assert_eq!(max_distance("car"), 0);
        assert_eq!(max_distance("partnership"), 2);
    }

    #[test]
    fn expansions_are_the_nearest_terms_then_the_first_in_order() {
        let words = ["dashboard", "dashboards", "dash", "board", "dashbord", "clashboard"];
        let vocabulary = Vocabulary::new(words.iter().map(|w| (*w, 1)));
        assert_eq!(vocabulary.expansions("dashbord"), ["dashboard", "dashboards"]);
        assert_eq!(vocabulary.expansions("dashbaord"), ["dashbord", "dashboard"]);
        let used = Vocabulary::new([("dashboards", 9), ("dashboard", 1)]);
        assert_eq!(used.expansions("dashbord"), ["dashboard", "dashboards"]);
        assert_eq!(used.expansions("dashbords"), ["dashboards", "dashboard"]);
        assert!(vocabulary.expansions("car").is_empty());
    }
}
