//! Answering queries from a built tantivy index: the query plan (words, boosts, facet
//! filters, typo tolerance) that `static/js/search-engine.js` mirrors word for word, so that the
//! browser and `casebook search` rank alike.

use super::analyzer;
use super::schema::{Fields, TEXT_FIELDS};
use anyhow::{bail, Context as _, Result};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::{Directory, ManagedDirectory, RamDirectory};
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query as TantivyQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption, TantivyDocument, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, Searcher, Term};

/// Fewer exact hits than this and unmatched words are tried again with typo tolerance.
pub const FUZZY_BELOW: usize = 3;
/// At most this many index terms stand in for one misspelt word.
pub const MAX_EXPANSIONS: usize = 5;
/// The most hits one query returns: a bound on what is collected and sorted (`casebook
/// search --limit` refuses more; `/api/search` gives at most this many).
pub const MAX_LIMIT: usize = 1000;
/// Longest snippet: tantivy's `max_num_chars`, and the bytes kept of a summary without a match.
const SNIPPET_CHARS: usize = 200;

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// The words as typed; words inside double quotes must all occur.
    pub text: String,
    /// Facet filters: (facet, value), e.g. (`type`, `case-study`), (`enablers`, `shared-purpose`).
    /// AND across facets, OR within one.
    pub filters: Vec<(String, String)>,
    /// How many hits to return (at most [`MAX_LIMIT`]).
    pub limit: usize,
}

/// The answer, in the shape `casebook search --json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// The query as typed.
    pub query: String,
    /// How many resources match (not only those returned).
    pub total: usize,
    /// The best hits, best first.
    pub hits: Vec<Hit>,
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
    /// Slugs of the headline taxonomy (`enablers` in the sample library).
    pub enablers: Vec<String>,
    /// BM25 score.
    pub score: f32,
    /// Summary text with matching words in `<mark>` (HTML-escaped otherwise).
    pub snippet: String,
}

/// One query word: its stem(s) and whether it must occur.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// The stems that stand for the word: its own, or the typo-tolerant expansions.
    pub stems: Vec<String>,
    /// Inside double quotes: must occur.
    pub required: bool,
}

/// Splits query text into words: analysed with the shared analyser, quoted words required,
/// repeated stems kept once (required if any occurrence is).
pub fn parse(text: &str) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    for (i, part) in text.split('"').enumerate() {
        let required = i % 2 == 1;
        for stem in analyzer::stems(part) {
            match words.iter_mut().find(|w| w.stems[0] == stem) {
                Some(w) => w.required |= required,
                None => words.push(Word {
                    stems: vec![stem],
                    required,
                }),
            }
        }
    }
    words
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

/// A term of the vocabulary.
#[derive(Debug)]
struct Known {
    chars: Vec<char>,
    letters: u64,
    text: String,
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
    /// The vocabulary of `terms`.
    pub fn new<'a>(terms: impl IntoIterator<Item = &'a str>) -> Vocabulary {
        let mut vocabulary = Vocabulary::default();
        for term in terms {
            let chars: Vec<char> = term.chars().collect();
            let length = chars.len();
            if vocabulary.by_length.len() <= length {
                vocabulary.by_length.resize_with(length + 1, Vec::new);
            }
            vocabulary.by_length[length].push(Known {
                letters: letters(&chars),
                chars,
                text: term.to_string(),
            });
        }
        vocabulary
    }

    /// The closest terms to `stem` (distance, then term order), at most [`MAX_EXPANSIONS`].
    pub fn expansions(&self, stem: &str) -> Vec<String> {
        let max = max_distance(stem);
        if max == 0 {
            return Vec::new();
        }
        let chars: Vec<char> = stem.chars().collect();
        let stem_letters = letters(&chars);
        let lengths = chars.len().saturating_sub(max)..=chars.len() + max;
        let mut near: Vec<(usize, &str)> = lengths
            .filter_map(|length| self.by_length.get(length))
            .flatten()
            .filter(|term| term.chars != chars && !too_far_by_letters(stem_letters, term.letters, max))
            .filter_map(|term| distance_within(&chars, &term.chars, max).map(|d| (d, term.text.as_str())))
            .collect();
        near.sort();
        near.dedup();
        near.into_iter()
            .take(MAX_EXPANSIONS)
            .map(|(_, t)| t.to_string())
            .collect()
    }
}

/// A built tantivy index opened for searching.
pub struct SearchIndex {
    index: Index,
    searcher: Searcher,
    fields: Fields,
    /// Every term of the text fields, read on the first query that needs typo tolerance and
    /// kept: reading it costs as much as a search, and one query may hold many unknown words.
    vocabulary: OnceLock<Vocabulary>,
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

    /// Opens the index held in `ram`.
    /// `meta.json` has no checksum, so the document count it gives each segment is checked
    /// against the segment's own (one field-length byte per document): a wrong count makes
    /// tantivy's scoring panic.
    pub fn from_directory(ram: RamDirectory) -> Result<SearchIndex> {
        let index = Index::open(ram)?;
        analyzer::register(&index);
        let fields = Fields::of(&index.schema())?;
        let searcher = index.reader()?.searcher();
        for segment in searcher.segment_readers() {
            let documents = segment.get_fieldnorms_reader(fields.title())?.num_docs();
            if documents != segment.max_doc() {
                bail!(
                    "meta.json gives a segment {} documents, but it holds {documents}",
                    segment.max_doc()
                );
            }
        }
        Ok(SearchIndex {
            index,
            searcher,
            fields,
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

    /// Runs `query`: exact words first; if that finds fewer than [`FUZZY_BELOW`] resources,
    /// words absent from the index are replaced by their closest index terms and it runs again.
    pub fn search(&self, query: &Query) -> Result<Results> {
        let mut words = parse(&query.text);
        let mut results = self.run(query, &words)?;
        if results.total < FUZZY_BELOW && self.expand(&mut words)? {
            results = self.run(query, &words)?;
        }
        Ok(results)
    }

    /// Replaces each word no field contains by its nearest index terms; whether any changed.
    fn expand(&self, words: &mut [Word]) -> Result<bool> {
        let mut changed = false;
        for word in words.iter_mut() {
            if self.doc_freq(&word.stems[0])? > 0 {
                continue;
            }
            let near = self.vocabulary()?.expansions(&word.stems[0]);
            if !near.is_empty() {
                word.stems = near;
                changed = true;
            }
        }
        Ok(changed)
    }

    fn doc_freq(&self, stem: &str) -> Result<u64> {
        let mut n = 0;
        for field in &self.fields.text {
            n += self.searcher.doc_freq(&Term::from_field_text(*field, stem))?;
        }
        Ok(n)
    }

    /// Every term of every text field, without repeats; read once per index.
    fn vocabulary(&self) -> Result<&Vocabulary> {
        if let Some(vocabulary) = self.vocabulary.get() {
            return Ok(vocabulary);
        }
        let terms = self.read_vocabulary()?;
        Ok(self
            .vocabulary
            .get_or_init(|| Vocabulary::new(terms.iter().map(String::as_str))))
    }

    fn read_vocabulary(&self) -> Result<Vec<String>> {
        let mut terms = std::collections::BTreeSet::new();
        for segment in self.searcher.segment_readers() {
            for field in &self.fields.text {
                let inverted = segment.inverted_index(*field)?;
                let mut stream = inverted.terms().stream()?;
                while stream.advance() {
                    terms.insert(String::from_utf8_lossy(stream.key()).into_owned());
                }
            }
        }
        Ok(terms.into_iter().collect())
    }

    fn run(&self, query: &Query, words: &[Word]) -> Result<Results> {
        let mut results = Results {
            query: query.text.clone(),
            total: 0,
            hits: Vec::new(),
        };
        let Some(tantivy_query) = self.build(words, &query.filters) else {
            return Ok(results);
        };
        let limit = query.limit.min(MAX_LIMIT);
        let (top, total) = self.searcher.search(
            &tantivy_query,
            &(TopDocs::with_limit(limit.max(1)).order_by_score(), Count),
        )?;
        results.total = total;
        let mut snippets = SnippetGenerator::create(&self.searcher, &*tantivy_query, self.fields.summary())?;
        snippets.set_max_num_chars(SNIPPET_CHARS);
        for (score, address) in top.into_iter().take(limit) {
            let doc: TantivyDocument = self.searcher.doc(address)?;
            results.hits.push(self.hit(&doc, score, &snippets));
        }
        Ok(results)
    }

    /// (words) AND (filters), where each word is an OR over the text fields with their boosts.
    fn build(&self, words: &[Word], filters: &[(String, String)]) -> Option<Box<dyn TantivyQuery>> {
        if words.is_empty() {
            return None;
        }
        let clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = words
            .iter()
            .map(|w| {
                let occur = if w.required { Occur::Must } else { Occur::Should };
                (occur, self.word_query(&w.stems))
            })
            .collect();
        let words_query: Box<dyn TantivyQuery> = Box::new(BooleanQuery::new(clauses));
        let filter = self.filter_query(filters);
        Some(match filter {
            None => words_query,
            Some(f) => Box::new(BooleanQuery::new(vec![(Occur::Must, words_query), (Occur::Must, f)])),
        })
    }

    fn word_query(&self, stems: &[String]) -> Box<dyn TantivyQuery> {
        let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
        for stem in stems {
            for (field, (_, boost)) in self.fields.text.iter().zip(TEXT_FIELDS) {
                let term = TermQuery::new(Term::from_field_text(*field, stem), IndexRecordOption::WithFreqs);
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(term), boost))));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Facet filters as a clause that scores 0, so filtering never changes a ranking.
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
        Some(Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(musts)), 0.0)))
    }

    fn hit(&self, doc: &TantivyDocument, score: f32, snippets: &SnippetGenerator) -> Hit {
        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_string();
        let summary = text(self.fields.summary());
        let mut snippet = snippets.snippet(&summary);
        snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
        let snippet = if snippet.is_empty() {
            body_text(&crate::markdown::truncate_words(&summary, SNIPPET_CHARS))
        } else {
            snippet.to_html()
        };
        Hit {
            url: format!("/{}", text(self.fields.url)),
            title: text(self.fields.title()),
            kind: text(self.fields.kind),
            enablers: self
                .fields
                .headline
                .iter()
                .flat_map(|(field, _)| doc.get_all(*field))
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            score,
            snippet,
        }
    }
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

/// Escapes `&`, `<` and `>`: the snippet goes into element text, as tantivy's own snippets do.
fn body_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_without_a_match_is_cut_at_a_word_and_a_char_boundary() {
        let summary = format!("{} Zürich partners", "é".repeat(95));
        let cut = crate::markdown::truncate_words(&summary, SNIPPET_CHARS);
        assert_eq!(cut, format!("{} Zürich…", "é".repeat(95)));
        assert_eq!(
            crate::markdown::truncate_words(&"é".repeat(150), SNIPPET_CHARS),
            format!("{}…", "é".repeat(100))
        );
        assert_eq!(crate::markdown::truncate_words("short", SNIPPET_CHARS), "short");
    }

    #[test]
    fn a_plain_summary_snippet_escapes_only_markup_characters() {
        assert_eq!(body_text(r#"<b> & "it's""#), r#"&lt;b&gt; &amp; "it's""#);
    }

    #[test]
    fn quoted_words_are_required_and_repeats_merge() {
        let words = parse(r#"care "homes" care"#);
        assert_eq!(words.len(), 2);
        assert!(!words[0].required);
        assert!(words[1].required);
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
        let vocabulary = Vocabulary::new(["dashboard", "dashboards", "dash", "board", "dashbord", "clashboard"]);
        assert_eq!(vocabulary.expansions("dashbord"), ["dashboard", "dashboards"]);
        assert_eq!(vocabulary.expansions("dashbaord"), ["dashbord", "dashboard"]);
        assert!(vocabulary.expansions("car").is_empty());
    }
}
