//! The fields of the search index and their options.

use super::analyzer::{Analysis, PLAIN};
use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};

/// The searchable text fields, in scoring order, with their boosts: a word in the title
/// counts three times one in the body, in the summary one and a half.
pub const TEXT_FIELDS: [(&str, f32); 5] = [
    ("title", 3.0),
    ("summary", 1.5),
    ("body", 1.0),
    ("organisation", 1.0),
    ("authors", 1.0),
];

/// Handles to every field of the index.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Searchable text fields, same order as [`TEXT_FIELDS`].
    pub text: Vec<Field>,
    /// The resource's url (`case-studies/x/`), stored.
    pub url: Field,
    /// Type key, stored.
    pub kind: Field,
    /// The headline taxonomy's slugs, stored (for hit lists) in a field named after the
    /// taxonomy, so the index itself says which taxonomy heads the site.
    pub headline: Option<(Field, String)>,
    /// Facets: `/type/<key>` and `/<taxonomy>/<slug>`.
    pub facets: Field,
    /// Every word of the text fields as written (folded, not stemmed): the vocabulary that
    /// prefix search and typo tolerance look words up in, with document frequencies.
    pub words: Field,
    /// The date as `yyyymmdd` (0 without one), a fast field: browsing newest first.
    pub date: Field,
    /// The body split at its headings, stored as JSON `[[id, heading, text], …]`: excerpts.
    pub sections: Field,
    /// Whether the text fields are stemmed (the site's language).
    pub analysis: Analysis,
}

impl Fields {
    /// The handles of `schema` (built by [`build`]).
    pub fn of(schema: &Schema) -> tantivy::Result<Fields> {
        let text: Vec<Field> = TEXT_FIELDS
            .iter()
            .map(|(name, _)| schema.get_field(name))
            .collect::<Result<_, _>>()?;
        let analysis = Analysis::named(&tokenizer_of(schema, text[0]));
        Ok(Fields {
            text,
            url: schema.get_field("url")?,
            kind: schema.get_field("type")?,
            headline: headline_field(schema),
            facets: schema.get_field("facets")?,
            words: schema.get_field("words")?,
            date: schema.get_field("date")?,
            sections: schema.get_field("sections")?,
            analysis,
        })
    }

    /// The key of the headline taxonomy the index was built for, if any.
    pub fn headline_key(&self) -> Option<&str> {
        self.headline.as_ref().map(|(_, key)| key.as_str())
    }

    /// The title field (stored, for hits).
    pub fn title(&self) -> Field {
        self.text[0]
    }

    /// The summary field (stored, for snippets).
    pub fn summary(&self) -> Field {
        self.text[1]
    }
}

/// The analyser a text field was indexed with.
fn tokenizer_of(schema: &Schema, field: Field) -> String {
    match schema.get_field_entry(field).field_type() {
        tantivy::schema::FieldType::Str(options) => options
            .get_indexing_options()
            .map(|i| i.tokenizer().to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// The fields every index has, whatever the site; any other field holds the headline terms.
const FIXED_FIELDS: [&str; 6] = ["url", "type", "facets", "words", "date", "sections"];

/// The field holding the headline taxonomy's slugs: the one not among the fixed fields.
fn headline_field(schema: &Schema) -> Option<(Field, String)> {
    schema
        .fields()
        .find(|(_, entry)| {
            let name = entry.name();
            !FIXED_FIELDS.contains(&name) && !TEXT_FIELDS.iter().any(|(text, _)| *text == name)
        })
        .map(|(field, entry)| (field, entry.name().to_string()))
}

/// The schema, its text fields analysed by `analyzer` (see [`super::analyzer::for_language`]).
/// Title and summary are stored for hit lists; the text fields keep positions, for phrases.
/// The headline taxonomy's slugs are stored in a field named after it, unless the site has no
/// taxonomy or the key is a fixed field's name (`url`, `body`, `facets`…).
pub fn build(headline: Option<&str>, analyzer: &str) -> Schema {
    let mut b = Schema::builder();
    for (name, _) in TEXT_FIELDS {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let mut options = TextOptions::default().set_indexing_options(indexing);
        if name == "title" || name == "summary" {
            options = options.set_stored();
        }
        b.add_text_field(name, options);
    }
    b.add_text_field("url", STRING | STORED);
    b.add_text_field("type", STRING | STORED);
    let taken = |key: &str| FIXED_FIELDS.contains(&key) || TEXT_FIELDS.iter().any(|(name, _)| *name == key);
    if let Some(key) = headline.filter(|key| !taken(key)) {
        b.add_text_field(key, STORED);
    }
    b.add_facet_field("facets", FacetOptions::default());
    let words = TextFieldIndexing::default()
        .set_tokenizer(PLAIN)
        .set_index_option(IndexRecordOption::Basic);
    b.add_text_field("words", TextOptions::default().set_indexing_options(words));
    b.add_i64_field("date", FAST);
    b.add_text_field("sections", STORED);
    b.build()
}
