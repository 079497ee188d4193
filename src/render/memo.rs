//! Skipping pages whose context did not change since the last render (`serve`'s rebuilds).
//!
//! A page's bytes are a function of its template, its path and its context (the theme is
//! fixed while a memo (`incremental::pages`) lives: the cache starts a new memo when templates or the config
//! change). So a page whose template and serialised context hash to the same
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
//! The fingerprint is taken from the typed context, before Tera's own `Context` is built
//! (which copies every value into a tree): the context is serialised as JSON into a buffer
//! kept per render thread, and the buffer hashed in one call with XXH3-128 (a hash fed
//! serde's many small writes one by one costs several times more). It is compared only with
//! the same path's previous fingerprint: a false match needs a 128-bit collision between
//! two versions of one page.

use serde::Serialize;
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

/// The hash of `template` and `context` serialised as JSON (`None` if it does not serialise:
/// the page is then rendered, and Tera reports the problem).
pub fn fingerprint(template: &str, context: &impl Serialize) -> Option<u128> {
    thread_local! {
        static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        buffer.extend_from_slice(template.as_bytes());
        buffer.push(0);
        serde_json::to_writer(&mut *buffer, context).ok()?;
        Some(xxhash_rust::xxh3::xxh3_128(buffer))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_changes_with_the_template_and_the_context() {
        let one = fingerprint("page.html", &serde_json::json!({"title": "A"}));
        assert_eq!(one, fingerprint("page.html", &serde_json::json!({"title": "A"})));
        assert_ne!(one, fingerprint("page.html", &serde_json::json!({"title": "B"})));
        assert_ne!(one, fingerprint("other.html", &serde_json::json!({"title": "A"})));
    }
}
