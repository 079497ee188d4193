//! Skipping pages whose context did not change since the last render (`serve`'s rebuilds).
//!
//! A page's bytes are a function of its template, its path and its context (the theme is
//! fixed while a memo (`incremental::pages`) lives: the cache starts a new memo when templates or the config
//! change). So a page whose template and context hash to the same
//! [`fingerprint`] as last time is the same page: its bytes from the last render are handed
//! on instead of rendering it again. At 10,000 resources a one-file edit changes a handful
//! of contexts (the resource's page; where its card changed, the listings, terms, home,
//! feed and related lists that show it), so a rebuild renders those and reuses the rest.
//!
//! A rebuild after an edit of resources (their bodies or frontmatter, the files, folders,
//! config and theme unchanged) narrows that further with a [`Reach`]: the set of pages is
//! the same, and [`Changes`] says which can differ — the edited resources' pages, the pages
//! showing their cards, the listings whose order changed, the overview pages; no other page
//! gets a context at all.
//!
//! The fingerprint is taken from the very values Tera is given: the page's own context,
//! once made into a value tree (made anyway for Tera, so a page is serialised once, not a
//! second time as JSON), is written out in a prefix-free binary form (every string with its
//! length, nothing escaped) into a buffer kept per render thread, after the template name and
//! the hash of what every page of the render shares (`site`, `lang`, `t`: hashed once per
//! render, [`shared_print`]), and the buffer hashed in one call with XXH3-128 (a hash fed
//! many small writes one by one costs several times more). It is compared only with the same
//! path's previous fingerprint: a false match needs a 128-bit collision between two versions
//! of one page.

use serde_json::Value;
use std::cell::RefCell;

/// Consulted for every page before it is rendered.
pub trait Memo: Sync {
    /// Which pages can have changed since the last render: only those get a context (and a
    /// fingerprint); the memo hands on every other page's last bytes itself.
    fn reach(&self) -> Reach<'_> {
        Reach::Every
    }

    /// Whether the page at `path` is unchanged since the last render, `fingerprint` being
    /// the hash of its template and context. If it is, the memo has handed the page's last
    /// bytes on and it is not rendered.
    fn unchanged(&self, path: &str, fingerprint: u128) -> bool;
}

/// The pages an edit can reach, so that a rebuild builds contexts for those alone.
#[derive(Debug, Clone, Copy)]
pub enum Reach<'a> {
    /// Any page (a new library, theme or config).
    Every,
    /// Only what [`Changes`] names: the same files, config and theme as the last render, so
    /// the same set of pages, of which these alone can differ.
    Some(&'a Changes),
}

/// What changed in the site since the last render, by what a page is made of. Indexes are
/// into the site's pages (the same resources as the last render's, in the same order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Resources whose own page can differ (body, fields, related list).
    pub pages: Vec<usize>,
    /// Resources whose card can differ: every page showing it (listings, home, feeds,
    /// related lists) too.
    pub cards: Vec<usize>,
    /// Terms (taxonomy, term: indexes into the library) whose listing changed grouping or
    /// members: each of their pages and their feed.
    pub terms: Vec<(usize, usize)>,
    /// Pages of section listings whose items alone changed order (folder, page number from
    /// 1): resources moved within the listing, every other page as it was.
    pub section_pages: Vec<(String, usize)>,
    /// Likewise for term listings (taxonomy, term, page number); their term's feed too.
    pub term_pages: Vec<(usize, usize, usize)>,
    /// Whether the pages made from the whole library can differ: home, the feed, the
    /// taxonomy pages, coverage.
    pub overview: bool,
    /// Whether the sitemap can differ (a resource's last-change date did).
    pub sitemap: bool,
}

impl Reach<'_> {
    /// Whether the sitemap can have changed: the render then needs its entries.
    pub fn sitemap_changed(&self) -> bool {
        match self {
            Reach::Every => true,
            Reach::Some(c) => c.sitemap,
        }
    }
}

/// The hash of `template`, the render's shared values (their [`shared_print`]) and the page's
/// own `context`.
pub fn fingerprint(template: &str, shared: u128, context: &Value) -> u128 {
    thread_local! {
        static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        write_str(buffer, template);
        buffer.extend_from_slice(&shared.to_le_bytes());
        write_value(buffer, context);
        xxhash_rust::xxh3::xxh3_128(buffer)
    })
}

/// The hash of the values every page of a render shares, taken once per render.
pub fn shared_print(shared: &tera::Context) -> u128 {
    let mut buffer = Vec::new();
    for (key, value) in shared.clone().into_json().as_object().into_iter().flatten() {
        write_str(&mut buffer, key);
        write_value(&mut buffer, value);
    }
    xxhash_rust::xxh3::xxh3_128(&buffer)
}

/// Writes `value` into `buffer` so that two different values never write the same bytes:
/// a tag per kind, a length before every string, array and object.
fn write_value(buffer: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => buffer.push(0),
        Value::Bool(b) => buffer.extend_from_slice(&[1, u8::from(*b)]),
        Value::Number(n) => {
            // Every JSON number is one of these three, told apart by its tag.
            if let Some(u) = n.as_u64() {
                buffer.push(2);
                buffer.extend_from_slice(&u.to_le_bytes());
            } else if let Some(i) = n.as_i64() {
                buffer.push(3);
                buffer.extend_from_slice(&i.to_le_bytes());
            } else {
                buffer.push(4);
                buffer.extend_from_slice(&n.as_f64().unwrap_or(f64::NAN).to_bits().to_le_bytes());
            }
        }
        Value::String(s) => {
            buffer.push(5);
            write_str(buffer, s);
        }
        Value::Array(items) => {
            buffer.push(6);
            buffer.extend_from_slice(&(items.len() as u64).to_le_bytes());
            for item in items {
                write_value(buffer, item);
            }
        }
        Value::Object(map) => {
            buffer.push(7);
            buffer.extend_from_slice(&(map.len() as u64).to_le_bytes());
            for (key, item) in map {
                write_str(buffer, key);
                write_value(buffer, item);
            }
        }
    }
}

fn write_str(buffer: &mut Vec<u8>, s: &str) {
    buffer.extend_from_slice(&(s.len() as u64).to_le_bytes());
    buffer.extend_from_slice(s.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_changes_with_the_template_the_shared_values_and_the_context() {
        let a = serde_json::json!({"title": "A"});
        let one = fingerprint("page.html", 1, &a);
        assert_eq!(one, fingerprint("page.html", 1, &serde_json::json!({"title": "A"})));
        assert_ne!(one, fingerprint("page.html", 1, &serde_json::json!({"title": "B"})));
        assert_ne!(one, fingerprint("other.html", 1, &a));
        assert_ne!(one, fingerprint("page.html", 2, &a));
    }

    #[test]
    fn values_that_would_run_together_have_different_fingerprints() {
        let print = |v: serde_json::Value| fingerprint("page.html", 0, &v);
        assert_ne!(
            print(serde_json::json!(["ab", "c"])),
            print(serde_json::json!(["a", "bc"]))
        );
        assert_ne!(
            print(serde_json::json!({"a": "b"})),
            print(serde_json::json!({"ab": ""}))
        );
        assert_ne!(print(serde_json::json!([[], []])), print(serde_json::json!([[[]]])));
        assert_ne!(print(serde_json::json!(1)), print(serde_json::json!(-1)));
        assert_ne!(print(serde_json::json!(1)), print(serde_json::json!(1.0)));
        assert_ne!(print(serde_json::json!("1")), print(serde_json::json!(1)));
        assert_ne!(print(serde_json::json!(null)), print(serde_json::json!(false)));
    }

    #[test]
    fn the_shared_print_changes_with_any_shared_value() {
        let mut shared = tera::Context::new();
        shared.insert("lang", "en");
        shared.insert("t", &serde_json::json!({"nav_home": "Home"}));
        let one = shared_print(&shared);
        let mut other = shared.clone();
        other.insert("t", &serde_json::json!({"nav_home": "Hafan"}));
        assert_ne!(one, shared_print(&other));
        assert_eq!(one, shared_print(&shared.clone()));
    }
}
