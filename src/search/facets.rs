//! The facet values a built index holds, read from the index alone (so any built copy can be
//! checked), and the check that a query's filters name only those: a misspelt `--enabler`
//! is an error suggesting the closest value, never a silent "0 results".

use super::SearchIndex;
use crate::diagnostics::suggestion;
use anyhow::{anyhow, Result};
use std::collections::{BTreeMap, BTreeSet};
use tantivy::schema::Facet;
use tantivy::ReloadPolicy;

/// Every facet of an index with the values its resources carry: `type` → type keys, each
/// taxonomy → the slugs of its terms that some resource has.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacetValues(BTreeMap<String, BTreeSet<String>>);

impl FacetValues {
    /// Reads the `/type/<key>` and `/<taxonomy>/<slug>` facets of `index` from its term
    /// dictionary (no document is read).
    pub fn of(index: &SearchIndex) -> Result<FacetValues> {
        let index = index.index();
        let field = index.schema().get_field("facets")?;
        // A manual reader: this one look needs no watcher thread.
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let mut values: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for segment in reader.searcher().segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut terms = inverted.terms().stream()?;
            while terms.advance() {
                let facet = Facet::from_encoded(terms.key().to_vec())?;
                // Facet fields also index each value's ancestors (`/type`): keep the leaves.
                if let [key, value] = facet.to_path().as_slice() {
                    values.entry(key.to_string()).or_default().insert(value.to_string());
                }
            }
        }
        Ok(FacetValues(values))
    }

    /// Checks each (facet, value) filter against the index: an unknown facet or value is an
    /// error naming it, with the closest known one suggested. `headline` is the taxonomy
    /// `--enabler` stands for, so its values are called enablers as the flag is.
    pub fn check(&self, filters: &[(String, String)], headline: Option<&str>) -> Result<()> {
        for (key, value) in filters {
            let Some(known) = self.0.get(key) else {
                let keys: Vec<&str> = self.0.keys().map(String::as_str).collect();
                return Err(anyhow!("unknown facet `{key}`; {}", suggestion(key, &keys)));
            };
            if !known.contains(value) {
                let label = match key.as_str() {
                    "type" => "type".to_string(),
                    k if Some(k) == headline => "enabler".to_string(),
                    k => format!("`{k}` value"),
                };
                let values: Vec<&str> = known.iter().map(String::as_str).collect();
                return Err(anyhow!("unknown {label} `{value}`; {}", suggestion(value, &values)));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> FacetValues {
        let mut map = BTreeMap::new();
        map.insert(
            "type".to_string(),
            BTreeSet::from(["toolkit".to_string(), "report".to_string()]),
        );
        map.insert("enablers".to_string(), BTreeSet::from(["shared-data".to_string()]));
        FacetValues(map)
    }

    fn error(filters: &[(&str, &str)]) -> String {
        let filters: Vec<(String, String)> = filters.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        values().check(&filters, Some("enablers")).unwrap_err().to_string()
    }

    #[test]
    fn known_values_pass() {
        let filters = vec![
            ("type".into(), "report".into()),
            ("enablers".into(), "shared-data".into()),
        ];
        assert!(values().check(&filters, Some("enablers")).is_ok());
    }

    #[test]
    fn a_misspelt_value_suggests_the_closest() {
        assert_eq!(
            error(&[("enablers", "shared-dta")]),
            "unknown enabler `shared-dta`; did you mean `shared-data`?"
        );
        assert_eq!(
            error(&[("type", "tolkit")]),
            "unknown type `tolkit`; did you mean `toolkit`?"
        );
    }

    #[test]
    fn a_far_value_lists_the_known_ones() {
        assert_eq!(
            error(&[("type", "zebra")]),
            "unknown type `zebra`; expected one of: `report`, `toolkit`"
        );
    }

    #[test]
    fn an_unknown_facet_suggests_the_closest_key() {
        assert_eq!(
            error(&[("enabler", "x")]),
            "unknown facet `enabler`; did you mean `enablers`?"
        );
    }
}
