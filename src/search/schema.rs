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
    /// The headline taxonomy's slugs, stored (for hit lists) in a field named after the
    /// taxonomy, so the index itself says which taxonomy heads the site.
    pub headline: Option<(Field, String)>,
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
            headline: headline_field(schema),
            facets: schema.get_field("facets")?,
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

/// The fields every index has, whatever the site; any other field holds the headline terms.
const FIXED_FIELDS: [&str; 3] = ["url", "type", "facets"];

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

/// The schema. Title and summary are stored for hit lists and snippets; the body is indexed
/// with frequencies only (positions were half the index and phrases are not searched). The
/// headline taxonomy's slugs are stored in a field named after it, unless the site has no
/// taxonomy or the key is a fixed field's name (`url`, `body`, `facets`).
pub fn build(headline: Option<&str>) -> Schema {
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
    let taken = |key: &str| FIXED_FIELDS.contains(&key) || TEXT_FIELDS.iter().any(|(name, _)| *name == key);
    if let Some(key) = headline.filter(|key| !taken(key)) {
        b.add_text_field(key, STORED);
    }
    b.add_facet_field("facets", FacetOptions::default());
    b.build()
}
