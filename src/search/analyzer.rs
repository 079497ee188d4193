//! The one text analyser shared by every text field of the tantivy index, by query parsing,
//! and (through the exported terms) by the browser index. It follows the site's `language:`:
//! English sites (`en`, `en-GB`…) get Snowball English stemming, Welsh sites (`cy`) accent
//! folding and, at query time, initial mutations (see [`super::welsh`]), others accent
//! folding only.

use std::cell::RefCell;
use std::collections::HashMap;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy::Index;

/// The stemming analyser's name (English sites).
pub const ANALYZER: &str = "casebook_en";
/// The analyser without a stemmer (sites in any other language).
pub const PLAIN: &str = "casebook_plain";
/// The Welsh analyser: [`PLAIN`]'s pipeline under a name of its own, so an index says its
/// query words also match their initial mutations.
pub const WELSH: &str = "casebook_cy";

/// Which analyser a site's `language:` tag asks for: English stemming for `en*`, Welsh for
/// `cy*`.
pub fn for_language(language: &str) -> &'static str {
    let primary = language.split(['-', '_']).next().unwrap_or("");
    if primary.eq_ignore_ascii_case("en") {
        ANALYZER
    } else if primary.eq_ignore_ascii_case("cy") {
        WELSH
    } else {
        PLAIN
    }
}

/// Tokenise on non-alphanumerics, drop tokens over 40 bytes, lower-case, fold accents
/// (café = cafe), then Snowball English stemming (collaborate ≈ collaborating). The stemmer
/// comes with tantivy, pinned to `=0.27.0` in Cargo.toml because stems may change on upgrade;
/// each analyser remembers the stems it has made ([`MemoStemmer`]).
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(MemoStemmer)
        .build()
}

/// At most this many words' stems are remembered by one analyser (tens of MB at most; a
/// library's vocabulary is far smaller): past it, new words are stemmed every time.
const REMEMBERED_STEMS: usize = 1 << 18;

/// tantivy's English [`Stemmer`], remembering each word's stem: a word is stemmed once per
/// analyser, not at each of its occurrences. Snowball stemming was a tenth of a fresh build's
/// CPU time, while a library uses a few thousand distinct words millions of times. A stem
/// depends on its word alone, so the tokens are exactly the [`Stemmer`]'s.
#[derive(Clone, Copy)]
pub struct MemoStemmer;

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoStemFilter<T> {
        MemoStemFilter {
            inner: tokenizer,
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
            stems: HashMap::new(),
        }
    }
}

/// The tokenizer [`MemoStemmer`] makes: `inner`'s tokens, stemmed, and the stems made so far.
#[derive(Clone)]
pub struct MemoStemFilter<T> {
    inner: T,
    /// tantivy's stemmer over one whole word.
    stemmer: TextAnalyzer,
    stems: HashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for MemoStemFilter<T> {
    type TokenStream<'a> = MemoStemStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStemStream {
            tail: self.inner.token_stream(text),
            stemmer: &mut self.stemmer,
            stems: &mut self.stems,
        }
    }
}

/// The token stream of a [`MemoStemFilter`].
pub struct MemoStemStream<'a, T> {
    tail: T,
    stemmer: &'a mut TextAnalyzer,
    stems: &'a mut HashMap<String, String>,
}

impl<T: TokenStream> TokenStream for MemoStemStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.stems.get(&token.text) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let mut stemmed = self.stemmer.token_stream(&token.text);
        // The raw tokenizer gives the whole word as one token (words are never empty).
        let stem = if stemmed.advance() {
            std::mem::take(&mut stemmed.token_mut().text)
        } else {
            token.text.clone()
        };
        drop(stemmed);
        if self.stems.len() < REMEMBERED_STEMS {
            self.stems.insert(std::mem::take(&mut token.text), stem.clone());
        }
        token.text = stem;
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The same pipeline without the stemmer: the surface forms a reader may type (and the
/// analyser of non-English sites). Welsh words are kept whole: no English stemmer, and their
/// digraphs (`ch`, `dd`, `ll`, …) are letters like any other; the tokenizer splits at an
/// apostrophe, so `i'r`, `a'r`, `mae'n` give `i` `r`, `a` `r`, `mae` `n`, and `gymuned`
/// stays whole whether written `y gymuned` or `i'r gymuned`.
pub fn surface_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers the analysers with `index` (needed after every open: tokenizers are not stored).
pub fn register(index: &Index) {
    index.tokenizers().register(ANALYZER, analyzer());
    index.tokenizers().register(PLAIN, surface_analyzer());
    index.tokenizers().register(WELSH, surface_analyzer());
}

/// The analysis of one index: whether its words are stemmed, and whether a query word also
/// matches its Welsh initial mutations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Analysis {
    /// English stemming ([`ANALYZER`]) or none ([`PLAIN`], [`WELSH`]).
    pub stemmed: bool,
    /// Welsh ([`WELSH`]): each query word stands for its mutated forms ([`super::welsh::forms`]).
    pub mutations: bool,
}

impl Analysis {
    /// The analysis registered under `name`.
    pub fn named(name: &str) -> Analysis {
        Analysis {
            stemmed: name != PLAIN && name != WELSH,
            mutations: name == WELSH,
        }
    }

    /// The analysed tokens (stems) of `text`, in order.
    pub fn stems(&self, text: &str) -> Vec<String> {
        tokens(&mut self.analyzer(), text)
    }

    /// Whether `word` (folded, as typed) is a function word of the analysis' language: an
    /// English stop word on English sites, nothing otherwise.
    pub fn is_stop_word(&self, word: &str) -> bool {
        self.stemmed && ENGLISH_STOP_WORDS.binary_search(&word).is_ok()
    }

    /// The stem of one surface word (already folded).
    pub fn stem(&self, word: &str) -> String {
        self.stems(word).pop().unwrap_or_default()
    }

    /// [`Analysis::stem`] for many words: one analyser for them all, not one per word.
    pub fn word_stemmer(&self) -> impl FnMut(&str) -> String {
        let mut analyzer = self.analyzer();
        move |word| tokens(&mut analyzer, word).pop().unwrap_or_default()
    }

    /// [`Analysis::stems`] for many texts (a query's hits: their proximity and passages): one
    /// analyser for them all, which remembers the stems it made, not one per text.
    pub fn text_stemmer(&self) -> impl Fn(&str) -> Vec<String> {
        let analyzer = RefCell::new(self.analyzer());
        move |text| tokens(&mut analyzer.borrow_mut(), text)
    }

    fn analyzer(&self) -> TextAnalyzer {
        if self.stemmed {
            analyzer()
        } else {
            surface_analyzer()
        }
    }
}

/// The Snowball project's English stop word list (<https://snowballstem.org/algorithms/english/stop.txt>,
/// © 2001 Dr Martin Porter, 2002 Richard Boulton, BSD licence), the words a question is built
/// from ("how do I …", "what is …", "should my agency …") rather than what it is about. Only
/// its one-token words: the tokenizer splits "don't" into "don" and "t". Sorted, for binary
/// search; `js/search-engine.js` holds the same list (a test keeps them equal).
#[rustfmt::skip]
pub const ENGLISH_STOP_WORDS: [&str; 124] = [
    "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are",
    "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
    "cannot", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from",
    "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him",
    "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "me", "more",
    "most", "my", "myself", "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other",
    "ought", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so",
    "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there",
    "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was",
    "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "with", "would",
    "you", "your", "yours", "yourself", "yourselves",
];

/// The analysed tokens (stems) of `text`, in order, with English stemming.
pub fn stems(text: &str) -> Vec<String> {
    tokens(&mut analyzer(), text)
}

/// The surface tokens of `text` (folded, lower-cased, not stemmed), in order.
pub fn surface_tokens(text: &str) -> Vec<String> {
    tokens(&mut surface_analyzer(), text)
}

/// The byte ranges of the words of each text it is given (the surface tokens'), for marking
/// matches in excerpts: one analyser for all the texts of a query's hits.
pub fn word_spans() -> impl FnMut(&str) -> Vec<std::ops::Range<usize>> {
    let mut analyzer = surface_analyzer();
    move |text| {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.offset_from..token.offset_to);
        }
        out
    }
}

fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens of `text` (with positions and offsets) from `analyzer`.
    fn all_tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().clone());
        }
        out
    }

    #[test]
    fn remembered_stems_are_the_stemmers_own() {
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(Language::English))
            .build();
        let mut memo = analyzer();
        let texts = [
            "Meetings, meeting and MEETINGS: the met meet generously.",
            "Generously meeting café owners; caf\u{e9}s, meetings and running runners ran.",
            "",
            "a a a a the the running",
        ];
        // Twice over: the second pass takes every stem from memory.
        for text in texts.iter().chain(&texts) {
            let expected = all_tokens(&mut plain, text);
            let got = all_tokens(&mut memo, text);
            assert_eq!(
                got.iter()
                    .map(|t| (&t.text, t.position, t.offset_from, t.offset_to))
                    .collect::<Vec<_>>(),
                expected
                    .iter()
                    .map(|t| (&t.text, t.position, t.offset_from, t.offset_to))
                    .collect::<Vec<_>>(),
                "{text}"
            );
        }
    }

    #[test]
    fn a_word_stemmer_stems_as_stem_does() {
        for name in [ANALYZER, PLAIN, WELSH] {
            let analysis = Analysis::named(name);
            let mut stem_of = analysis.word_stemmer();
            for word in ["meetings", "meeting", "cafe", "gymuned", "meetings", "running"] {
                assert_eq!(stem_of(word), analysis.stem(word), "{name} {word}");
            }
        }
    }

    #[test]
    fn a_text_stemmer_stems_as_stems_does() {
        for name in [ANALYZER, PLAIN, WELSH] {
            let analysis = Analysis::named(name);
            let stems_of = analysis.text_stemmer();
            for text in ["Meetings of carers", "", "meetings, Café running", "i'r gymuned"] {
                assert_eq!(stems_of(text), analysis.stems(text), "{name} {text}");
            }
        }
    }

    #[test]
    fn folds_accents_and_stems() {
        assert_eq!(stems("Café"), stems("cafe"));
        assert_eq!(stems("collaborating"), stems("collaborate"));
        assert_eq!(surface_tokens("Café CARE"), vec!["cafe", "care"]);
    }

    #[test]
    fn the_stop_words_are_sorted_and_english_only() {
        assert!(ENGLISH_STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(Analysis::named(ANALYZER).is_stop_word("how"));
        assert!(!Analysis::named(ANALYZER).is_stop_word("usability"));
        assert!(!Analysis::named(PLAIN).is_stop_word("how"));
    }

    #[test]
    fn the_browser_engine_has_the_same_stop_words() {
        let engine = include_str!("../../themes/default/static/js/search-engine.js");
        let start = engine
            .find("var STOP_WORDS = new Set((")
            .expect("the list in search-engine.js");
        let list = &engine[start..engine[start..].find(").split(' ')").map(|end| start + end).unwrap()];
        let words: Vec<&str> = list
            .split('\'')
            .skip(1)
            .step_by(2)
            .flat_map(str::split_whitespace)
            .collect();
        assert_eq!(words, ENGLISH_STOP_WORDS);
    }

    #[test]
    fn only_english_sites_are_stemmed() {
        assert_eq!(for_language("en-GB"), ANALYZER);
        assert_eq!(for_language("EN"), ANALYZER);
        assert_eq!(for_language("fr"), PLAIN);
        assert_eq!(for_language("cy"), WELSH);
        assert_eq!(for_language("cy-GB"), WELSH);
        assert_eq!(Analysis::named(PLAIN).stems("Réunions"), ["reunions"]);
        assert_eq!(Analysis::named(ANALYZER).stems("meetings"), ["meet"]);
    }

    #[test]
    fn welsh_folds_accents_keeps_words_whole_and_splits_at_apostrophes() {
        let welsh = Analysis::named(WELSH);
        assert!(!welsh.stemmed && welsh.mutations);
        let folded = welsh.stems("âêîôûŵŷ äëïöüẅÿ áéíóúẃý àèìòùẁỳ Ŵyr");
        assert_eq!(folded, ["aeiouwy", "aeiouwy", "aeiouwy", "aeiouwy", "wyr"]);
        assert_eq!(welsh.stems("gofalu gofal"), ["gofalu", "gofal"], "no English stemming");
        assert_eq!(
            welsh.stems("i'r gymuned a’r ddinas"),
            ["i", "r", "gymuned", "a", "r", "ddinas"]
        );
        assert!(!Analysis::named(ANALYZER).mutations && !Analysis::named(PLAIN).mutations);
    }
}
