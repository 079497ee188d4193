//! The fields of the search index and their options.

use super::analyzer::ANALYZER;
use tantivy::schema::{FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED, STRING};

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
    /// Enabler slugs, stored (for hit lists).
    pub enablers: Field,
    /// Facets: `/type/<key>` and `/<taxonomy>/<slug>`.
    pub facets: Field,
}

impl Fields {
    /// The handles of `schema` (built by [`build`]).
    pub fn of(schema: &Schema) -> tantivy::Result<Fields> {
        let text = TEXT_FIELDS
            .iter()
            .map(|(name, _)| schema.get_field(name))
            .collect::<Result<_, _>>()?;
        Ok(Fields {
            text,
            url: schema.get_field("url")?,
            kind: schema.get_field("type")?,
            enablers: schema.get_field("enablers")?,
            facets: schema.get_field("facets")?,
        })
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

/// The schema. Title and summary are stored for hit lists and snippets; the body is indexed
/// with frequencies only (positions were half the index and phrases are not searched).
pub fn build() -> Schema {
    let mut b = Schema::builder();
    for (name, _) in TEXT_FIELDS {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqs);
        let mut options = TextOptions::default().set_indexing_options(indexing);
        if name == "title" || name == "summary" {
            options = options.set_stored();
        }
        b.add_text_field(name, options);
    }
    b.add_text_field("url", STRING | STORED);
    b.add_text_field("type", STRING | STORED);
    b.add_text_field("enablers", STORED);
    b.add_facet_field("facets", FacetOptions::default());
    b.build()
}
