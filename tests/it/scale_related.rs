//! Related resources at scale: the ranking by signature groups (`library::related_all`) gives
//! exactly the lists of the straightforward ranking of every pair, kept here as the reference.

use casebook::content::date::Date;
use casebook::content::Resource;
use casebook::library::{related_after, related_all, related_rebased, RelatedKeys, RELATED_LIMIT};
use indexmap::IndexMap;
use proptest::prelude::*;
use std::cmp::Ordering;

/// The taxonomies a generated resource carries terms of.
const TAXONOMIES: [&str; 3] = ["enablers", "settings", "audiences"];

/// A resource at `url`, dated `day` of January 2024 (or undated), with `terms` per taxonomy
/// of [`TAXONOMIES`].
fn resource(url: String, day: Option<u32>, terms: &[Vec<String>]) -> Resource {
    Resource {
        file: format!("content/{url}.md"),
        content_path: format!("{url}.md"),
        content_dir: String::new(),
        section: String::new(),
        kind: "case-study".into(),
        title: url.clone(),
        url,
        summary: None,
        date: day.and_then(|d| Date::parse(&format!("2024-01-{d:02}"))),
        updated: None,
        terms: TAXONOMIES
            .iter()
            .map(|&k| String::from(k))
            .zip(terms.iter().cloned())
            .collect::<IndexMap<_, _>>(),
        organisation: None,
        authors: Vec::new(),
        link: None,
        source: None,
        attachments: Vec::new(),
        aliases: Vec::new(),
        doi: None,
        image: None,
        featured: false,
        draft: false,
        extra: serde_json::Value::Null,
        body: String::new(),
        body_line: 1,
    }
}

/// How many terms of `key` `a` and `b` share, each listing on one side meeting each listing
/// on the other (a slug listed twice counts twice).
fn shared(a: &Resource, b: &Resource, key: &str) -> u32 {
    let (Some(mine), Some(theirs)) = (a.terms.get(key), b.terms.get(key)) else {
        return 0;
    };
    mine.iter()
        .map(|s| theirs.iter().filter(|t| *t == s).count() as u32)
        .sum()
}

/// The ranking as the README states it, pair by pair: every other resource sharing a term,
/// by shared primary terms, then shared secondary terms (summed), then newest (undated last),
/// then smaller url; the first [`RELATED_LIMIT`].
fn reference(resources: &[Resource], keys: &RelatedKeys, i: usize) -> Vec<usize> {
    let me = &resources[i];
    let mut scored: Vec<(u32, u32, usize)> = (0..resources.len())
        .filter(|&j| j != i)
        .map(|j| {
            let primary = keys.primary.as_deref().map_or(0, |k| shared(me, &resources[j], k));
            let secondary = keys.secondary.iter().map(|k| shared(me, &resources[j], k)).sum();
            (primary, secondary, j)
        })
        .filter(|&(primary, secondary, _)| primary + secondary > 0)
        .collect();
    let newer = |a: &Resource, b: &Resource| -> Ordering {
        b.date
            .map(|d| d.day)
            .cmp(&a.date.map(|d| d.day))
            .then_with(|| a.url.cmp(&b.url))
    };
    scored.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then_with(|| newer(&resources[a.2], &resources[b.2]))
    });
    scored.into_iter().take(RELATED_LIMIT).map(|(_, _, j)| j).collect()
}

/// A resource's terms per taxonomy: small vocabularies, slugs listed twice, empty lists.
fn terms() -> impl Strategy<Value = Vec<Vec<String>>> {
    let slugs = |vocabulary: usize| proptest::collection::vec((0..vocabulary).prop_map(|n| format!("t{n}")), 0..4);
    (slugs(3), slugs(2), slugs(4)).prop_map(|(a, b, c)| vec![a, b, c])
}

/// A resource's date (few days, so ties; sometimes undated) and, most often, the index of
/// shared terms to take from a small pool (so groups larger than a list), else its own.
fn resource_parts() -> impl Strategy<Value = (Option<u32>, Option<usize>, Vec<Vec<String>>)> {
    (
        proptest::option::weighted(0.8, 1..5u32),
        proptest::option::weighted(0.7, 0..4usize),
        terms(),
    )
}

/// Which taxonomies weigh: any primary (or none), any secondaries (one no resource has).
fn related_keys() -> impl Strategy<Value = RelatedKeys> {
    let secondary = proptest::sample::subsequence(vec!["settings", "audiences", "missing"], 0..=3);
    (proptest::option::weighted(0.9, Just("enablers")), secondary).prop_map(|(primary, secondary)| RelatedKeys {
        primary: primary.map(String::from),
        secondary: secondary.into_iter().map(String::from).collect(),
    })
}

proptest! {
    // Each case ranks at most 60 resources, pair by pair: well under a millisecond.
    #![proptest_config(ProptestConfig::with_cases(crate::common::proptest_cases(512)))]

    #[test]
    fn related_by_signature_equals_the_pairwise_ranking(
        pool in proptest::collection::vec(terms(), 4),
        parts in proptest::collection::vec(resource_parts(), 0..60),
        // Urls in an order unrelated to the resources' order, so url tie-breaks are tested.
        salts in proptest::collection::vec(any::<u16>(), 60),
        keys in related_keys(),
    ) {
        let resources: Vec<Resource> = parts
            .iter()
            .enumerate()
            .map(|(n, (day, common, own))| {
                let terms = common.map_or(own, |c| &pool[c]);
                resource(format!("{:04x}-{n}", salts[n]), *day, terms)
            })
            .collect();
        let lists = related_all(&resources, &keys);
        prop_assert_eq!(lists.len(), resources.len());
        for (i, list) in lists.iter().enumerate() {
            prop_assert_eq!(list, &reference(&resources, &keys, i), "resource {}", i);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::common::proptest_cases(512)))]

    #[test]
    fn related_lists_kept_through_an_edit_equal_a_fresh_ranking(
        pool in proptest::collection::vec(terms(), 4),
        parts in proptest::collection::vec(resource_parts(), 1..60),
        salts in proptest::collection::vec(any::<u16>(), 60),
        keys in related_keys(),
        // Which resources are edited (indexes taken modulo the library), and their new
        // date and terms: often the pool's, so they join or leave full groups.
        edits in proptest::collection::vec((any::<usize>(), resource_parts()), 1..4),
    ) {
        let make = |n: usize, (day, common, own): &(Option<u32>, Option<usize>, Vec<Vec<String>>)| {
            resource(format!("{:04x}-{n}", salts[n]), *day, common.map_or(own, |c| &pool[c]))
        };
        let before: Vec<Resource> = parts.iter().enumerate().map(|(n, p)| make(n, p)).collect();
        let mut after = before.clone();
        let mut edited: Vec<usize> = Vec::new();
        for (at, new) in &edits {
            let n = at % after.len();
            after[n] = make(n, new);
            if !edited.contains(&n) {
                edited.push(n);
            }
        }
        let old = related_all(&before, &keys);
        prop_assert_eq!(related_after(&old, &after, &edited, &keys), related_all(&after, &keys));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::common::proptest_cases(512)))]

    #[test]
    fn related_lists_carried_over_files_added_and_removed_equal_a_fresh_ranking(
        pool in proptest::collection::vec(terms(), 4),
        parts in proptest::collection::vec(resource_parts(), 1..60),
        salts in proptest::collection::vec(any::<u16>(), 80),
        keys in related_keys(),
        // Resources removed (indexes modulo the library; a removed one may come back
        // renamed) and added (with fresh urls).
        removed in proptest::collection::vec(any::<usize>(), 0..4),
        added in proptest::collection::vec(resource_parts(), 0..4),
        renamed in any::<bool>(),
    ) {
        let make = |n: usize, (day, common, own): &(Option<u32>, Option<usize>, Vec<Vec<String>>)| {
            resource(format!("{:04x}-{n}", salts[n]), *day, common.map_or(own, |c| &pool[c]))
        };
        let before: Vec<Resource> = parts.iter().enumerate().map(|(n, p)| make(n, p)).collect();
        let gone: Vec<usize> = removed.iter().map(|at| at % before.len()).collect();
        let mut after: Vec<Resource> = (before.iter().enumerate())
            .filter(|(n, _)| !gone.contains(n))
            .map(|(_, r)| r.clone())
            .collect();
        for (k, part) in added.iter().enumerate() {
            // Among the others, not at the end: every index after it moves.
            let at = (k * 7) % (after.len() + 1);
            after.insert(at, make(60 + k, part));
        }
        if renamed {
            if let Some(&n) = gone.first() {
                let mut moved = before[n].clone();
                moved.content_path = format!("renamed-{}", moved.content_path);
                after.push(moved);
            }
        }
        let old = related_all(&before, &keys);
        prop_assert_eq!(related_rebased((&before, &old), &after, &keys), related_all(&after, &keys));
    }
}

#[test]
fn a_large_group_of_one_signature_lists_its_newest_members_but_never_itself() {
    // Twenty resources with one signature: each lists the five newest others.
    let terms = vec![vec!["t0".to_string()], Vec::new(), Vec::new()];
    let resources: Vec<Resource> = (0..20u32)
        .map(|n| resource(format!("r{n:02}"), Some(n % 28 + 1), &terms))
        .collect();
    let keys = RelatedKeys {
        primary: Some("enablers".into()),
        secondary: Vec::new(),
    };
    let lists = related_all(&resources, &keys);
    assert_eq!(lists[19], [18, 17, 16, 15, 14], "the newest lists the next five");
    assert_eq!(lists[15], [19, 18, 17, 16, 14], "one of the newest skips itself");
    assert_eq!(lists[0], [19, 18, 17, 16, 15], "the oldest lists the five newest");
}
