//! The one text analyser shared by every text field of the tantivy index, by query parsing,
//! and (through the exported terms) by the browser index.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};
use tantivy::Index;

/// The name the analyser is registered under in every index.
pub const ANALYZER: &str = "casebook_en";

/// Tokenise on non-alphanumerics, drop tokens over 40 bytes, lower-case, fold accents
/// (café = cafe), then Snowball English stemming (collaborate ≈ collaborating). The stemmer
/// comes with tantivy, pinned to `=0.27.0` in Cargo.toml because stems may change on upgrade.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The same pipeline without the stemmer: the surface forms a reader may type.
pub fn surface_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers the analyser with `index` (needed after every open: tokenizers are not stored).
pub fn register(index: &Index) {
    index.tokenizers().register(ANALYZER, analyzer());
}

/// The analysed tokens (stems) of `text`, in order.
pub fn stems(text: &str) -> Vec<String> {
    tokens(&mut analyzer(), text)
}

/// The surface tokens of `text` (folded, lower-cased, not stemmed), in order.
pub fn surface_tokens(text: &str) -> Vec<String> {
    tokens(&mut surface_analyzer(), text)
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

    #[test]
    fn folds_accents_and_stems() {
        assert_eq!(stems("Café"), stems("cafe"));
        assert_eq!(stems("collaborating"), stems("collaborate"));
        assert_eq!(surface_tokens("Café CARE"), vec!["cafe", "care"]);
    }
}
