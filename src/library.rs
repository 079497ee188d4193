//! The library as readers navigate it: sections (one per folder), taxonomy terms with their
//! resources, newest-first orderings, related resources and the coverage matrix. Built once
//! from the validated content; pure data.

use crate::config::{Config, CONFIG_FILE};
use crate::content::{Content, Resource};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::urls;
use rayon::prelude::*;
use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, HashMap};

/// How many related resources a resource page lists.
pub const RELATED_LIMIT: usize = 5;

/// The headline taxonomy's folder name for the coverage page, so no term may take it.
pub const COVERAGE_SLUG: &str = "coverage";

/// Number of colour steps of the coverage scale above zero (`cov-1`..`cov-4`).
pub const COVERAGE_LEVELS: usize = 4;

/// A folder of content with its own listing page.
#[derive(Debug, Clone)]
pub struct Section {
    /// Content folder (`case-studies`; `` for the home page).
    pub dir: String,
    /// Output url (`case-studies/`).
    pub url: String,
    /// Display title.
    pub title: String,
    /// One-sentence description.
    pub description: String,
    /// Index into `Content::sections` of its `_index.md`, if any.
    pub intro: Option<usize>,
    /// Resources directly in it, newest first.
    pub resources: Vec<usize>,
    /// Child folders, sorted.
    pub subsections: Vec<String>,
}

/// One term of a taxonomy with the resources that carry it.
#[derive(Debug, Clone)]
pub struct TermIndex {
    /// Slug from the config.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Description from the config.
    pub description: String,
    /// Resources tagged with it, newest first.
    pub resources: Vec<usize>,
}

/// A taxonomy with its terms in config order.
#[derive(Debug, Clone)]
pub struct TaxonomyIndex {
    /// Key (`themes`), also its url folder.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Terms in config order.
    pub terms: Vec<TermIndex>,
}

/// Sections and taxonomies over a set of resources (referred to by index).
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// Sections by content folder.
    pub sections: BTreeMap<String, Section>,
    /// Taxonomies in config order.
    pub taxonomies: Vec<TaxonomyIndex>,
    /// All resources, newest first.
    pub newest_first: Vec<usize>,
    /// Related resources of each resource (same order as `Content::resources`), best first.
    pub related: Vec<Vec<usize>>,
    /// Headline taxonomy × type counts; `None` when the site has no taxonomy.
    pub coverage: Option<Coverage>,
    /// Top-level section folders in navigation order: the types' order in the config, then
    /// other folders alphabetically.
    pub top_order: Vec<String>,
}

/// The headline taxonomy's terms (rows) against resource types (columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// Key of the headline taxonomy, the one the rows come from.
    pub taxonomy: String,
    /// Term slugs, in config order.
    pub rows: Vec<String>,
    /// Type keys that have at least one resource, in config order.
    pub columns: Vec<String>,
    /// `cells[row][column]`: resources carrying that term with that type.
    pub cells: Vec<Vec<usize>>,
    /// The largest cell, the top of the colour scale.
    pub max: usize,
}

impl Coverage {
    /// Counts `resources` by headline term and type.
    pub fn new<R: AsRef<Resource>>(resources: &[R], config: &Config) -> Option<Coverage> {
        let taxonomy = config.headline_taxonomy()?;
        let rows: Vec<String> = config.taxonomies[taxonomy]
            .terms
            .iter()
            .map(|t| t.slug.clone())
            .collect();
        let columns: Vec<String> = config
            .types
            .keys()
            .filter(|kind| resources.iter().any(|r| &r.as_ref().kind == *kind))
            .cloned()
            .collect();
        // One pass over the resources: each term a resource carries counts in its cell.
        let row_of: HashMap<&str, usize> = rows.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
        let column_of: HashMap<&str, usize> = columns.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
        let mut cells = vec![vec![0; columns.len()]; rows.len()];
        for r in resources.iter().map(AsRef::as_ref) {
            let Some(&column) = column_of.get(r.kind.as_str()) else {
                continue;
            };
            for slug in unique(&r.terms[taxonomy]) {
                if let Some(&row) = row_of.get(slug) {
                    cells[row][column] += 1;
                }
            }
        }
        let max = cells.iter().flatten().copied().max().unwrap_or(0);
        Some(Coverage {
            taxonomy: taxonomy.to_string(),
            rows,
            columns,
            cells,
            max,
        })
    }

    /// The colour step of `count`: 0 for an empty cell, else 1..=[`COVERAGE_LEVELS`]
    /// in proportion to the largest cell, so the fullest cell is always the darkest.
    pub fn level(&self, count: usize) -> usize {
        if count == 0 || self.max == 0 {
            return 0;
        }
        (count * COVERAGE_LEVELS).div_ceil(self.max).clamp(1, COVERAGE_LEVELS)
    }
}

/// Which taxonomies rank related resources (`related.weigh` of casebook.yaml): the first,
/// then the rest together.
#[derive(Debug, Clone, Default)]
pub struct RelatedKeys {
    /// Shared terms here count most (by default the headline taxonomy).
    pub primary: Option<String>,
    /// Shared terms here, summed, break ties on the primary count.
    pub secondary: Vec<String>,
}

impl RelatedKeys {
    /// The keys `config` defines.
    pub fn of(config: &Config) -> RelatedKeys {
        let mut weigh = config.related_weigh().into_iter().map(String::from);
        RelatedKeys {
            primary: weigh.next(),
            secondary: weigh.collect(),
        }
    }
}

/// Whether related ranking sees `a` and `b` alike: the same terms of the weighed taxonomies,
/// the same day and url — all [`related_all`] reads of a resource.
pub fn ranks_alike(a: &Resource, b: &Resource, keys: &RelatedKeys) -> bool {
    let same_terms = keys
        .primary
        .iter()
        .chain(&keys.secondary)
        .all(|k| a.terms.get(k) == b.terms.get(k));
    a.date.map(|d| d.day) == b.date.map(|d| d.day) && a.url == b.url && same_terms
}

/// The resources most related to `resources[i]`, best first: ranked by shared headline
/// terms, then shared secondary terms, then newest; ties go to the smaller url so the
/// order never depends on file-system order. Never `i` itself, never a resource sharing
/// nothing, at most [`RELATED_LIMIT`]. (Ranks the whole library: for one-off use.)
pub fn related(resources: &[Resource], i: usize, keys: &RelatedKeys) -> Vec<usize> {
    related_all(resources, keys).swap_remove(i)
}

/// The related resources of every resource (see [`related`]), ranked per *signature*.
///
/// How much `j` is related to `i` depends only on their signatures — the ranking terms each
/// carries, per weighed taxonomy — and ties go to the newer. So resources with the same
/// signature are grouped; a group is ranked once, in parallel, against the groups sharing a
/// term with it (an inverted index from term to groups), and only each group's
/// `RELATED_LIMIT + 1` newest members can make a list (the `+ 1` so a resource can skip
/// itself). Every member of a group gets the group's list without itself.
///
/// Cost: O(N log N) to group, then O(Σ over groups g of Σ over g's terms t of |groups
/// carrying t|) ≤ O(S × T × S_t) to rank, with S distinct signatures, T terms per signature
/// and S_t ≤ S the groups sharing a term — bounded by the vocabulary's combinations, not by
/// the library (scoring every pair of resources sharing a term was quadratic in N).
pub fn related_all<R: AsRef<Resource>>(resources: &[R], keys: &RelatedKeys) -> Vec<Vec<usize>> {
    let groups = Groups::new(resources, keys);
    let best: Vec<Vec<usize>> = (0..groups.signatures.len())
        .into_par_iter()
        .map_init(
            || vec![Shared::default(); groups.signatures.len()],
            |scratch, g| groups.best(g, scratch),
        )
        .collect();
    (0..resources.len())
        .map(|i| without(&best[groups.group_of[i]], i))
        .collect()
}

/// The related lists of `resources` after the resources `edited` changed their ranking
/// fields (terms, date), `old` being every list before: the lists [`related_all`] gives,
/// ranking afresh only where the edit leaves a gap it cannot fill.
///
/// Why a list can be kept: a list is the best [`RELATED_LIMIT`] of the resources sharing a
/// term with its own, and the others' order among themselves did not change (their terms,
/// dates and urls did not). So for a resource that is not edited, its new list is the best
/// of its old list less the edited resources, plus the edited resources it now shares a
/// term with — unless the old list was full and lost one: then whatever ranked just after
/// it is unknown, and only entries ahead of the worst kept one are certain. When those are
/// fewer than the limit (and for the edited resources themselves), the resource's group
/// is ranked again as [`related_all`] ranks it.
pub fn related_after<R: AsRef<Resource>>(
    old: &[Vec<usize>],
    resources: &[R],
    edited: &[usize],
    keys: &RelatedKeys,
) -> Vec<Vec<usize>> {
    let groups = Groups::new(resources, keys);
    let key = |i: usize, j: usize| groups.rank(groups.shared(groups.group_of[i], groups.group_of[j]), j);
    let mut lists = old.to_vec();
    let mut again: Vec<usize> = edited.to_vec();
    for (i, before) in old.iter().enumerate().filter(|(i, _)| !edited.contains(i)) {
        let kept: Vec<(u64, usize)> = before
            .iter()
            .filter(|j| !edited.contains(j))
            .map(|&j| (key(i, j), j))
            .collect();
        let entering = edited
            .iter()
            .filter(|&&e| groups.share_a_term(groups.group_of[i], groups.group_of[e]));
        let mut merged: Vec<(u64, usize)> = entering.map(|&e| (key(i, e), e)).collect();
        let left = kept.len() < before.len();
        if merged.is_empty() && !left {
            continue;
        }
        let worst_kept = kept.iter().map(|&(k, _)| k).max();
        merged.extend(kept);
        merged.sort_unstable();
        if left && before.len() == RELATED_LIMIT {
            let certain = worst_kept.map_or(0, |worst| merged.iter().filter(|&&(k, _)| k <= worst).count());
            if certain < RELATED_LIMIT {
                again.push(i);
                continue;
            }
        }
        let mut list = Vec::with_capacity(merged.len().min(RELATED_LIMIT));
        list.extend(merged.iter().map(|&(_, j)| j).take(RELATED_LIMIT));
        lists[i] = list;
    }
    let mut to_rank: Vec<usize> = again.iter().map(|&i| groups.group_of[i]).collect();
    to_rank.sort_unstable();
    to_rank.dedup();
    let best: HashMap<usize, Vec<usize>> = to_rank
        .into_par_iter()
        .map_init(
            || vec![Shared::default(); groups.signatures.len()],
            |scratch, g| (g, groups.best(g, scratch)),
        )
        .collect();
    for i in again {
        lists[i] = without(&best[&groups.group_of[i]], i);
    }
    lists
}

/// The related lists of `resources` from those of another set of resources, `old` with its
/// lists `old_related` (`serve`, after files were added, removed or renamed): the lists
/// [`related_all`] gives, ranked afresh only where the change leaves a gap.
///
/// Resources are matched by content path. Those in both sets that [`ranks_alike`] keep their
/// order among themselves, so the change is two edits [`related_after`] knows: first the old
/// resources that are gone (or rank otherwise) lose every ranking term — no list can hold a
/// resource sharing nothing, so the lists are then those of the kept resources alone, and
/// carry over to their new indexes — then the new ones (or those ranking otherwise) gain
/// theirs, starting from an empty list that no other list holds.
pub fn related_rebased<O: AsRef<Resource>, R: AsRef<Resource>>(
    (old, old_related): (&[O], &[Vec<usize>]),
    resources: &[R],
    keys: &RelatedKeys,
) -> Vec<Vec<usize>> {
    let index: HashMap<&str, usize> = resources
        .iter()
        .enumerate()
        .map(|(i, r)| (r.as_ref().content_path.as_str(), i))
        .collect();
    // Old index -> new index, for the resources ranking as before.
    let kept: Vec<Option<usize>> = old
        .iter()
        .map(|o| {
            let o = o.as_ref();
            let i = *index.get(o.content_path.as_str())?;
            ranks_alike(o, resources[i].as_ref(), keys).then_some(i)
        })
        .collect();
    let gone: Vec<usize> = (0..old.len()).filter(|&o| kept[o].is_none()).collect();
    let blanks: Vec<Resource> = gone.iter().map(|&o| without_terms(old[o].as_ref())).collect();
    let mut blanked: Vec<&Resource> = old.iter().map(AsRef::as_ref).collect();
    for (&o, blank) in gone.iter().zip(&blanks) {
        blanked[o] = blank;
    }
    let old_lists = match gone.is_empty() {
        true => old_related.to_vec(),
        false => related_after(old_related, &blanked, &gone, keys),
    };
    let mut lists = vec![Vec::new(); resources.len()];
    for (o, list) in old_lists.into_iter().enumerate() {
        if let Some(i) = kept[o] {
            lists[i] = list.into_iter().filter_map(|j| kept[j]).collect();
        }
    }
    let mut came = vec![false; resources.len()];
    for i in kept.iter().flatten() {
        came[*i] = true;
    }
    let added: Vec<usize> = (0..resources.len()).filter(|&i| !came[i]).collect();
    match added.is_empty() {
        true => lists,
        false => related_after(&lists, resources, &added, keys),
    }
}

/// `r` carrying no term: ranked, it shares nothing with any resource; listed, it is in no
/// term's listing.
pub fn without_terms(r: &Resource) -> Resource {
    Resource {
        terms: Default::default(),
        ..r.clone()
    }
}

/// A resource's list from its group's best: itself left out, at most [`RELATED_LIMIT`].
fn without(best: &[usize], i: usize) -> Vec<usize> {
    // Sized exactly: a list holds no memory beyond its entries.
    let mut list = Vec::with_capacity(best.len().min(RELATED_LIMIT));
    list.extend(best.iter().copied().filter(|&j| j != i).take(RELATED_LIMIT));
    list
}

/// Terms shared with one other resource: headline, then secondary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Shared {
    primary: u32,
    secondary: u32,
}

/// A resource's ranking terms: (term id, how often it lists the term), sorted by term id.
type Signature = Vec<(u32, u32)>;

/// The library's resources grouped by [`Signature`], with what ranking the groups needs.
struct Groups {
    /// Each resource's group.
    group_of: Vec<usize>,
    /// Each group's signature.
    signatures: Vec<Signature>,
    /// Each group's newest members (newest first, then by url), at most `RELATED_LIMIT + 1`.
    newest: Vec<Vec<usize>>,
    /// Term id -> the groups carrying it, with how often each lists it.
    postings: Vec<Vec<(usize, u32)>>,
    /// Term id -> whether it belongs to the primary (headline) taxonomy.
    primary: Vec<bool>,
    /// Each resource's place when sorted newest first, then by url: the tie-breaks of the
    /// ranking as one integer, so ranking compares integers rather than dates and strings.
    recency: Vec<u32>,
}

impl Groups {
    fn new<R: AsRef<Resource>>(resources: &[R], keys: &RelatedKeys) -> Groups {
        let weighed: Vec<(bool, &str)> = keys
            .primary
            .iter()
            .map(|k| (true, k.as_str()))
            .chain(keys.secondary.iter().map(|k| (false, k.as_str())))
            .collect();
        // A term is a slug of one weighed taxonomy (a taxonomy weighed twice counts twice).
        let mut term_ids: HashMap<(usize, &str), u32> = HashMap::new();
        let mut primary = Vec::new();
        let mut group_ids: HashMap<Signature, usize> = HashMap::new();
        let mut signatures = Vec::new();
        let mut group_of = Vec::with_capacity(resources.len());
        for r in resources.iter().map(AsRef::as_ref) {
            let mut terms: Vec<u32> = Vec::new();
            for (n, &(is_primary, key)) in weighed.iter().enumerate() {
                for slug in r.terms.get(key).into_iter().flatten() {
                    let next = term_ids.len() as u32;
                    terms.push(*term_ids.entry((n, slug.as_str())).or_insert_with(|| {
                        primary.push(is_primary);
                        next
                    }));
                }
            }
            terms.sort_unstable();
            let mut signature: Signature = Vec::new();
            for term in terms {
                match signature.last_mut() {
                    Some((last, count)) if *last == term => *count += 1,
                    _ => signature.push((term, 1)),
                }
            }
            let next = group_ids.len();
            group_of.push(*group_ids.entry(signature.clone()).or_insert_with(|| {
                signatures.push(signature);
                next
            }));
        }
        let mut postings = vec![Vec::new(); primary.len()];
        for (g, signature) in signatures.iter().enumerate() {
            for &(term, count) in signature {
                postings[term as usize].push((g, count));
            }
        }
        let mut by_recency: Vec<usize> = (0..resources.len()).collect();
        by_recency.sort_by_key(|&j| {
            let r = resources[j].as_ref();
            (Reverse(r.date.map(|d| d.day)), r.url.as_str())
        });
        let mut recency = vec![0; resources.len()];
        let mut newest = vec![Vec::new(); signatures.len()];
        for (place, j) in by_recency.into_iter().enumerate() {
            recency[j] = place as u32;
            let members: &mut Vec<usize> = &mut newest[group_of[j]];
            if members.len() <= RELATED_LIMIT {
                members.push(j);
            }
        }
        Groups {
            group_of,
            signatures,
            newest,
            postings,
            primary,
            recency,
        }
    }

    /// The terms groups `a` and `b` share, counted as [`Groups::best`] counts them.
    fn shared(&self, a: usize, b: usize) -> Shared {
        let mut shared = Shared::default();
        let (mut x, mut y) = (
            self.signatures[a].iter().peekable(),
            self.signatures[b].iter().peekable(),
        );
        while let (Some(&&(s, m)), Some(&&(t, n))) = (x.peek(), y.peek()) {
            match s.cmp(&t) {
                Ordering::Less => {
                    x.next();
                }
                Ordering::Greater => {
                    y.next();
                }
                Ordering::Equal => {
                    if self.primary[s as usize] {
                        shared.primary += m * n;
                    } else {
                        shared.secondary += m * n;
                    }
                    x.next();
                    y.next();
                }
            }
        }
        shared
    }

    /// Whether groups `a` and `b` share a ranking term (each is then a candidate of the other).
    fn share_a_term(&self, a: usize, b: usize) -> bool {
        self.shared(a, b) != Shared::default()
    }

    /// The sort key of a candidate: more shared headline terms first, then more shared
    /// secondary terms, then newest, then smaller url.
    fn rank(&self, shared: Shared, j: usize) -> u64 {
        let primary = u64::from(u16::MAX - shared.primary.min(u32::from(u16::MAX)) as u16);
        let secondary = u64::from(u16::MAX - shared.secondary.min(u32::from(u16::MAX)) as u16);
        primary << 48 | secondary << 32 | u64::from(self.recency[j])
    }

    /// The best `RELATED_LIMIT + 1` resources for a member of group `g`, best first (its
    /// own members included: each member drops itself). Scores the groups sharing a term
    /// with `g` in `scratch` (all zero on entry and on return).
    fn best(&self, g: usize, scratch: &mut [Shared]) -> Vec<usize> {
        let mut touched = Vec::new();
        for &(term, count) in &self.signatures[g] {
            let primary = self.primary[term as usize];
            for &(h, times) in &self.postings[term as usize] {
                if scratch[h] == Shared::default() {
                    touched.push(h);
                }
                // Each listing of a term on one side meets each listing on the other.
                if primary {
                    scratch[h].primary += count * times;
                } else {
                    scratch[h].secondary += count * times;
                }
            }
        }
        // A group ranks by its newest member. The best `RELATED_LIMIT + 1` resources all
        // come from the best `RELATED_LIMIT + 1` groups: any other group's newest member
        // already has that many groups' newest members ahead of it.
        let mut groups: Vec<(u64, usize)> = touched
            .iter()
            .map(|&h| (self.rank(scratch[h], self.newest[h][0]), h))
            .collect();
        for &h in &touched {
            scratch[h] = Shared::default();
        }
        keep_smallest(&mut groups, RELATED_LIMIT + 1);
        let mut members: Vec<(u64, usize)> = groups
            .iter()
            .flat_map(|&(key, h)| {
                // Same score as the group's newest member; each member's own recency.
                let score = key & !u64::from(u32::MAX);
                self.newest[h]
                    .iter()
                    .map(move |&j| (score | u64::from(self.recency[j]), j))
            })
            .collect();
        keep_smallest(&mut members, RELATED_LIMIT + 1);
        members.iter().map(|&(_, j)| j).collect()
    }
}

/// Keeps the `n` smallest of `items`, sorted.
fn keep_smallest(items: &mut Vec<(u64, usize)>, n: usize) {
    if items.len() > n {
        items.select_nth_unstable(n);
        items.truncate(n);
    }
    items.sort_unstable();
}

/// Newest first; undated last; then by title and url so ties are stable.
pub fn newest_first(a: &Resource, b: &Resource) -> Ordering {
    b.date
        .map(|d| d.day)
        .cmp(&a.date.map(|d| d.day))
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.url.cmp(&b.url))
}

impl Library {
    /// Groups `content` into sections and taxonomy terms.
    pub fn new(content: &Content, config: &Config) -> Library {
        let mut library = Library::without_related(content, config);
        library.rank_related(&content.resources, config);
        library
    }

    /// Ranks the related resources of every resource: what the build adds to the library
    /// `check` uses ([`Library::without_related`]), as only pages show them.
    pub fn rank_related<R: AsRef<Resource>>(&mut self, resources: &[R], config: &Config) {
        self.related = related_all(resources, &RelatedKeys::of(config));
    }

    /// Sections, terms and coverage without related resources, which `check` does not need.
    pub fn without_related(content: &Content, config: &Config) -> Library {
        let mut library = Library::default();
        library.build_sections(content, config);
        library.top_order = top_order(&library.sections, config);
        library.order(&content.resources, config);
        library
    }

    /// The library of the same files, folders and config after the frontmatter of the
    /// resources `edited` changed (`serve`; each with its index and its fields before): the
    /// library [`Library::new`] would make of `resources`, made from this one by the edit
    /// alone. The others keep their order among themselves (nothing they are sorted by
    /// changed), so the newest-first order and each section and term listing drop the
    /// edited resources and take each again at its place; coverage is counted again only
    /// when a type or headline term changed; related lists change only where an edited
    /// resource can enter or leave them ([`related_after`]).
    pub fn reordered<R: AsRef<Resource>>(
        &self,
        resources: &[R],
        edited: &[(usize, &Resource)],
        config: &Config,
    ) -> Library {
        let is_edited = |i: usize| edited.iter().any(|&(e, _)| e == i);
        let resource = |i: usize| resources[i].as_ref();
        let mut newest: Vec<usize> = self.newest_first.iter().copied().filter(|&i| !is_edited(i)).collect();
        for &(e, _) in edited {
            let at = newest.partition_point(|&j| newest_first(resource(j), resource(e)) == Ordering::Less);
            newest.insert(at, e);
        }
        let mut place = vec![0; resources.len()];
        for (n, &i) in newest.iter().enumerate() {
            place[i] = n;
        }
        // A listing (newest first) without the edited resources, then each that belongs in it
        // at its place.
        let relist = |list: &mut Vec<usize>, belongs: &dyn Fn(usize) -> bool| {
            list.retain(|&i| !is_edited(i));
            for &(e, _) in edited.iter().filter(|&&(e, _)| belongs(e)) {
                let at = list.partition_point(|&j| place[j] < place[e]);
                list.insert(at, e);
            }
        };
        let mut sections = self.sections.clone();
        for section in sections.values_mut() {
            // An edited resource new to the library (`serve`, a file added) is in none yet.
            let joins = || edited.iter().any(|&(e, _)| resource(e).section == section.dir);
            if section.resources.iter().any(|&i| is_edited(i)) || joins() {
                relist(&mut section.resources, &|e| resource(e).section == section.dir);
            }
        }
        let mut taxonomies = self.taxonomies.clone();
        for (t, taxonomy) in taxonomies.iter_mut().enumerate() {
            let key = taxonomy.key.clone();
            for term in &mut taxonomy.terms {
                let carries = |e: usize| unique(terms_of(resource(e), t, &key)).any(|slug| slug == term.slug);
                if term.resources.iter().any(|&i| is_edited(i)) || edited.iter().any(|&(e, _)| carries(e)) {
                    relist(&mut term.resources, &carries);
                }
            }
        }
        let headline = config.headline_taxonomy();
        let recount = edited.iter().any(|&(e, before)| {
            let after = resource(e);
            before.kind != after.kind || headline.is_some_and(|h| before.terms.get(h) != after.terms.get(h))
        });
        let keys = RelatedKeys::of(config);
        let reranked: Vec<usize> = edited
            .iter()
            .filter(|&&(e, before)| !ranks_alike(before, resource(e), &keys))
            .map(|&(e, _)| e)
            .collect();
        Library {
            sections,
            taxonomies,
            newest_first: newest,
            related: if reranked.is_empty() {
                self.related.clone()
            } else {
                related_after(&self.related, resources, &reranked, &keys)
            },
            coverage: if recount {
                Coverage::new(resources, config)
            } else {
                self.coverage.clone()
            },
            top_order: self.top_order.clone(),
        }
    }

    /// Everything made from the resources' fields but related lists: the newest-first order,
    /// each section's resources (its sections made already), the taxonomies and coverage.
    fn order<R: AsRef<Resource>>(&mut self, resources: &[R], config: &Config) {
        let mut newest: Vec<usize> = (0..resources.len()).collect();
        newest.sort_by(|&a, &b| newest_first(resources[a].as_ref(), resources[b].as_ref()));
        self.newest_first = newest;
        for section in self.sections.values_mut() {
            section.resources.clear();
        }
        for &i in &self.newest_first {
            let dir = &resources[i].as_ref().section;
            self.sections
                .get_mut(dir)
                .expect("every resource's folder is a section")
                .resources
                .push(i);
        }
        self.taxonomies.clear();
        self.build_taxonomies(resources, config);
        self.coverage = Coverage::new(resources, config);
    }

    /// Problems of defined terms, at their slug in `casebook.yaml`: a warning for a term
    /// no published resource carries (drafts do not count, readers will not see them), an
    /// error for a headline term whose page would collide with the coverage page.
    pub fn term_problems<R: AsRef<Resource>>(&self, resources: &[R], config: &Config) -> Diagnostics {
        let mut problems = Diagnostics::default();
        let headline = self.coverage.as_ref().map(|c| c.taxonomy.as_str());
        for taxonomy in &self.taxonomies {
            for (n, term) in taxonomy.terms.iter().enumerate() {
                if Some(taxonomy.key.as_str()) == headline && term.slug == COVERAGE_SLUG {
                    problems.push(
                        Diagnostic::error(
                            CONFIG_FILE,
                            config.term_location(&taxonomy.key, n),
                            Code::InvalidConfig,
                            format!(
                                "`{COVERAGE_SLUG}` is reserved in `{}` for the coverage page",
                                taxonomy.key
                            ),
                        )
                        .with_help("choose another slug for this term"),
                    );
                }
                if term.resources.iter().any(|&i| !resources[i].as_ref().draft) {
                    continue;
                }
                problems.push(
                    Diagnostic::warning(
                        CONFIG_FILE,
                        config.term_location(&taxonomy.key, n),
                        Code::UnusedTerm,
                        format!("term `{}` of `{}` is used by no resource", term.slug, taxonomy.key),
                    )
                    .with_help("tag a resource with it, or remove it: its page would be empty"),
                );
            }
        }
        problems
    }

    fn build_sections(&mut self, content: &Content, config: &Config) {
        let mut dirs: Vec<String> = content.resources.iter().map(|r| r.section.clone()).collect();
        dirs.extend(content.sections.iter().map(|s| s.dir.clone()));
        dirs.push(String::new());
        for dir in dirs {
            for ancestor in ancestors(&dir) {
                self.sections.entry(ancestor.clone()).or_insert_with(|| Section {
                    url: format!("{}{}", config.lang_prefix, urls::dir_url(&ancestor)),
                    title: default_title(&ancestor, config),
                    dir: ancestor,
                    description: String::new(),
                    intro: None,
                    resources: Vec::new(),
                    subsections: Vec::new(),
                });
            }
        }
        for (i, intro) in content.sections.iter().enumerate() {
            let section = self
                .sections
                .get_mut(&intro.dir)
                .expect("every intro's folder is a section");
            section.intro = Some(i);
            if let Some(title) = &intro.title {
                section.title = title.clone();
            }
            section.description = intro.description.clone();
        }
        let children: Vec<(String, String)> = self
            .sections
            .keys()
            .filter(|d| !d.is_empty())
            .map(|d| (parent(d).to_string(), d.clone()))
            .collect();
        for (parent, child) in children {
            if let Some(p) = self.sections.get_mut(&parent) {
                p.subsections.push(child);
            }
        }
    }

    fn build_taxonomies<R: AsRef<Resource>>(&mut self, resources: &[R], config: &Config) {
        for (t, (key, taxonomy)) in config.taxonomies.iter().enumerate() {
            let mut terms: Vec<TermIndex> = taxonomy
                .terms
                .iter()
                .map(|term| TermIndex {
                    slug: term.slug.clone(),
                    name: term.name.clone(),
                    description: term.description.clone(),
                    resources: Vec::new(),
                })
                .collect();
            // One pass over the resources, newest first, so each term's list is in that order.
            let index: HashMap<&str, usize> = taxonomy
                .terms
                .iter()
                .enumerate()
                .map(|(i, t)| (t.slug.as_str(), i))
                .collect();
            for &i in &self.newest_first {
                for slug in unique(terms_of(resources[i].as_ref(), t, key)) {
                    if let Some(&n) = index.get(slug) {
                        terms[n].resources.push(i);
                    }
                }
            }
            self.taxonomies.push(TaxonomyIndex {
                key: key.clone(),
                name: taxonomy.name.clone(),
                terms,
            });
        }
    }

    /// The top-level sections (children of the home page), sorted.
    pub fn top_sections(&self) -> impl Iterator<Item = &Section> {
        self.top_order.iter().filter_map(|dir| self.sections.get(dir))
    }
}

/// The distinct slugs of a resource's list, in order (a slug listed twice counts once). A
/// list holds a few slugs (at most `MAX_TERMS`): looking back over it costs less than a set.
fn unique(slugs: &[String]) -> impl Iterator<Item = &str> {
    slugs
        .iter()
        .enumerate()
        .filter(|&(n, slug)| !slugs[..n].contains(slug))
        .map(|(_, slug)| slug.as_str())
}

/// The slugs `resource` lists in taxonomy `key`, the `t`-th of the config: a resource's terms
/// are read in the config's order, so by index, without hashing the key (by key for a
/// resource made otherwise).
fn terms_of<'r>(resource: &'r Resource, t: usize, key: &str) -> &'r [String] {
    match resource.terms.get_index(t) {
        Some((k, slugs)) if k == key => slugs,
        _ => resource.terms.get(key).map_or(&[], Vec::as_slice),
    }
}

fn top_order(sections: &BTreeMap<String, Section>, config: &Config) -> Vec<String> {
    let rank = |dir: &str| {
        config
            .types
            .values()
            .position(|t| t.section.as_deref() == Some(dir))
            .unwrap_or(usize::MAX)
    };
    let mut top: Vec<String> = sections
        .keys()
        .filter(|d| !d.is_empty() && !d.contains('/'))
        .cloned()
        .collect();
    top.sort_by_key(|d| (rank(d), d.clone()));
    top
}

fn ancestors(dir: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut path = String::new();
    for part in dir.split('/').filter(|p| !p.is_empty()) {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(part);
        out.push(path.clone());
    }
    out
}

fn parent(dir: &str) -> &str {
    dir.rsplit_once('/').map_or("", |(p, _)| p)
}

/// A type's plural name for its section folder, else the folder name in words.
fn default_title(dir: &str, config: &Config) -> String {
    if let Some(kind) = config.type_for_section(dir) {
        return config.types[kind].plural.clone();
    }
    let name = dir.rsplit('/').next().unwrap_or(dir).replace(['-', '_'], " ");
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => config.title.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::date::Date;
    use indexmap::IndexMap;

    /// A resource at `url` with `date` and the given enablers, settings and audiences.
    fn res(url: &str, date: Option<&str>, enablers: &[&str], settings: &[&str], audiences: &[&str]) -> Resource {
        let list = |s: &[&str]| s.iter().copied().map(String::from).collect::<Vec<_>>();
        let mut terms = IndexMap::new();
        terms.insert("enablers".to_string(), list(enablers));
        terms.insert("settings".to_string(), list(settings));
        terms.insert("audiences".to_string(), list(audiences));
        Resource {
            file: format!("content/{url}.md"),
            content_path: format!("{url}.md"),
            content_dir: String::new(),
            section: String::new(),
            url: url.to_string(),
            kind: "case-study".into(),
            title: url.to_string(),
            summary: None,
            date: date.and_then(Date::parse),
            updated: None,
            terms,
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

    fn keys() -> RelatedKeys {
        RelatedKeys {
            primary: Some("enablers".into()),
            secondary: vec!["settings".into(), "audiences".into()],
        }
    }

    /// The urls `related` gives for `resources[0]`.
    fn check(resources: &[Resource], expect: &[&str]) {
        let got: Vec<&str> = related(resources, 0, &keys())
            .into_iter()
            .map(|j| resources[j].url.as_str())
            .collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn shared_enablers_outrank_shared_settings_and_audiences() {
        check(
            &[
                res("me", Some("2024-01-01"), &["a", "b"], &["s"], &["p"]),
                res("one-enabler", Some("2020-01-01"), &["a"], &[], &[]),
                res("setting-and-audience", Some("2024-01-01"), &[], &["s"], &["p"]),
                res("two-enablers", Some("2019-01-01"), &["a", "b"], &[], &[]),
            ],
            &["two-enablers", "one-enabler", "setting-and-audience"],
        );
    }

    #[test]
    fn settings_and_audiences_break_ties_before_recency() {
        check(
            &[
                res("me", None, &["a"], &["s"], &["p"]),
                res("newer", Some("2024-01-01"), &["a"], &[], &[]),
                res("older-but-closer", Some("2001-01-01"), &["a"], &["s"], &[]),
            ],
            &["older-but-closer", "newer"],
        );
    }

    #[test]
    fn equal_scores_go_newest_first_then_by_url_undated_last() {
        check(
            &[
                res("me", None, &["a"], &[], &[]),
                res("undated", None, &["a"], &[], &[]),
                res("b-same-day", Some("2023-05-05"), &["a"], &[], &[]),
                res("a-same-day", Some("2023-05-05"), &["a"], &[], &[]),
                res("newest", Some("2024-01-01"), &["a"], &[], &[]),
            ],
            &["newest", "a-same-day", "b-same-day", "undated"],
        );
    }

    #[test]
    fn never_itself_never_unrelated_at_most_the_limit() {
        let mut resources = vec![
            res("me", None, &["a"], &[], &[]),
            res("nothing-shared", None, &["z"], &["s"], &[]),
        ];
        resources.extend((0..RELATED_LIMIT + 2).map(|n| res(&format!("r{n}"), None, &["a"], &[], &[])));
        let got = related(&resources, 0, &keys());
        assert_eq!(got.len(), RELATED_LIMIT);
        assert!(!got.contains(&0) && !got.contains(&1), "{got:?}");
    }

    #[test]
    fn a_related_list_holds_no_memory_beyond_its_entries() {
        // Every resource shares a term with 200 others: a list that kept the capacity of its
        // candidates would hold 200 slots for 5 entries (quadratic memory in the library).
        let resources: Vec<Resource> = (0..200)
            .map(|n| res(&format!("r{n}"), None, &["a"], &[], &[]))
            .collect();
        for list in related_all(&resources, &keys()) {
            assert_eq!(list.len(), RELATED_LIMIT);
            assert!(list.capacity() <= RELATED_LIMIT, "capacity {}", list.capacity());
        }
    }

    #[test]
    fn coverage_levels_scale_to_the_fullest_cell() {
        let coverage = Coverage {
            taxonomy: "enablers".into(),
            rows: Vec::new(),
            columns: Vec::new(),
            cells: Vec::new(),
            max: 8,
        };
        let levels: Vec<usize> = [0, 1, 2, 3, 4, 8].iter().map(|&n| coverage.level(n)).collect();
        assert_eq!(levels, [0, 1, 1, 2, 2, COVERAGE_LEVELS]);
    }
}
