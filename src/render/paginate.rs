//! Paginated listings: how many pages a listing has, where each page goes, and the
//! [`Paginator`] its template sees. Page 1 is the listing's own url; page `n` is
//! `<listing>/page/<n>/`. The output plan (`plan.rs`) and the renderer both ask here, so the
//! pages `check` reserves are the pages `build` writes.

use crate::urls;
use serde::Serialize;

/// The folder, inside a listing, that holds its pages 2 and on.
pub const PAGE_DIR: &str = "page";

/// How many page numbers either side of the current one the page navigation links to (the
/// first and last pages are always linked): a listing of 600 pages links 7 of them per page,
/// not 600.
const WINDOW: usize = 2;

/// The number of pages a listing of `items` takes at `per_page` (0: one page, however long).
/// An empty listing still has its one page.
pub fn page_count(items: usize, per_page: usize) -> usize {
    if per_page == 0 {
        1
    } else {
        items.div_ceil(per_page).max(1)
    }
}

/// The url of page `number` (1-based) of the listing at `listing_url` (`case-studies/`).
pub fn page_url(listing_url: &str, number: usize) -> String {
    if number <= 1 {
        listing_url.to_string()
    } else {
        format!("{listing_url}{PAGE_DIR}/{number}/")
    }
}

/// The items of page `number` (1-based) of `items` at `per_page`.
pub fn page_items<T>(items: &[T], per_page: usize, number: usize) -> &[T] {
    if per_page == 0 {
        return items;
    }
    let start = (number - 1).saturating_mul(per_page).min(items.len());
    &items[start..(start + per_page).min(items.len())]
}

/// The page (1-based) that shows item `index` (0-based) of a listing at `per_page`.
pub fn page_of(index: usize, per_page: usize) -> usize {
    index.checked_div(per_page).map_or(1, |before| before + 1)
}

/// Where a listing page stands among its listing's pages, as its template sees it. Every
/// `href` is root-relative, like every other href templates get.
#[derive(Debug, Clone, Serialize)]
pub struct Paginator {
    /// This page's number, from 1.
    pub current: usize,
    /// How many pages the listing has (1 when it is not split).
    pub pages: usize,
    /// How many items the whole listing has.
    pub items: usize,
    /// The number (from 1) of this page's first item; 0 for an empty listing.
    pub first: usize,
    /// The number of this page's last item; 0 for an empty listing.
    pub last: usize,
    /// Root-relative href of the previous page; `None` on the first.
    pub prev: Option<String>,
    /// Root-relative href of the next page; `None` on the last.
    pub next: Option<String>,
    /// The pages to link to, in order: the first, the last, and those near this one.
    pub links: Vec<PageLink>,
}

/// One numbered link of the page navigation.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// The page's number, from 1.
    pub number: usize,
    /// Root-relative href of the page.
    pub href: String,
    /// Whether this is the page being shown.
    pub current: bool,
    /// Whether pages are skipped between the previous link and this one (draw an ellipsis).
    pub gap_before: bool,
}

impl Paginator {
    /// Page `current` of the listing at `listing_url` of `items` items at `per_page`.
    pub fn new(listing_url: &str, current: usize, items: usize, per_page: usize) -> Paginator {
        let pages = page_count(items, per_page);
        let href = |n: usize| urls::page_file(&page_url(listing_url, n));
        let before = if per_page == 0 { 0 } else { (current - 1) * per_page };
        let shown = items
            .saturating_sub(before)
            .min(if per_page == 0 { items } else { per_page });
        let (first, last) = if shown == 0 {
            (0, 0)
        } else {
            (before + 1, before + shown)
        };
        let near = current.saturating_sub(WINDOW).max(1)..=(current + WINDOW).min(pages);
        let mut numbers: Vec<usize> = std::iter::once(1).chain(near).chain([pages]).collect();
        numbers.dedup();
        let mut previous = 0;
        let links = numbers
            .into_iter()
            .map(|number| {
                let link = PageLink {
                    number,
                    href: href(number),
                    current: number == current,
                    gap_before: number > previous + 1,
                };
                previous = number;
                link
            })
            .collect();
        Paginator {
            current,
            pages,
            items,
            first,
            last,
            prev: (current > 1).then(|| href(current - 1)),
            next: (current < pages).then(|| href(current + 1)),
            links,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_splits_into_full_pages_and_a_rest() {
        assert_eq!(page_count(0, 50), 1);
        assert_eq!(page_count(50, 50), 1);
        assert_eq!(page_count(51, 50), 2);
        assert_eq!(page_count(10_000, 0), 1);
        assert_eq!(page_items(&[1, 2, 3, 4, 5], 2, 3), &[5]);
        assert_eq!(page_items(&[1, 2, 3], 0, 1), &[1, 2, 3]);
        assert_eq!(page_of(49, 50), 1);
        assert_eq!(page_of(50, 50), 2);
    }

    #[test]
    fn page_one_is_the_listing_itself_and_the_others_go_under_page() {
        assert_eq!(page_url("toolkits/", 1), "toolkits/");
        assert_eq!(page_url("toolkits/", 3), "toolkits/page/3/");
    }

    #[test]
    fn the_paginator_counts_items_and_links_a_window_of_pages() {
        let p = Paginator::new("a/", 5, 95, 10);
        assert_eq!((p.pages, p.first, p.last), (10, 41, 50));
        assert_eq!(p.prev.as_deref(), Some("a/page/4/index.html"));
        assert_eq!(p.next.as_deref(), Some("a/page/6/index.html"));
        let numbers: Vec<(usize, bool)> = p.links.iter().map(|l| (l.number, l.gap_before)).collect();
        assert_eq!(
            numbers,
            [
                (1, false),
                (3, true),
                (4, false),
                (5, false),
                (6, false),
                (7, false),
                (10, true)
            ]
        );
        let last = Paginator::new("a/", 10, 95, 10);
        assert_eq!((last.first, last.last, last.next), (91, 95, None));
        let first = Paginator::new("a/", 1, 95, 10);
        assert_eq!((first.prev, first.links[0].href.as_str()), (None, "a/index.html"));
        let empty = Paginator::new("a/", 1, 0, 10);
        assert_eq!((empty.pages, empty.first, empty.last, empty.links.len()), (1, 0, 0, 1));
    }
}
