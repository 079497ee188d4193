//! [`PageMemo`]: the pages of the last good build with their fingerprints, the
//! [`Memo`] a rebuild renders against (see [`crate::render::memo`] for why a matching
//! fingerprint means the same page).

use crate::output::{Output, OutputFile, Sink};
use crate::render::memo::{Memo, Reach};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Each page of the last good render: its fingerprint and its file (bytes in memory or in
/// serve's store, shared with the output that was published, so keeping them costs nothing
/// of its own).
#[derive(Default)]
pub struct PageMemo {
    last: HashMap<String, (u128, OutputFile)>,
}

/// One render against a [`PageMemo`]: unchanged pages go to `sink` straight from the memo.
pub struct Round<'a> {
    memo: &'a PageMemo,
    sink: &'a dyn Sink,
    reach: Reach<'a>,
    /// Every page of this render with its fingerprint.
    seen: Mutex<Vec<(String, u128)>>,
    reused: AtomicUsize,
}

impl PageMemo {
    /// Forgets every page (the theme or the config changed: every page renders again).
    pub fn clear(&mut self) {
        self.last.clear();
    }

    /// Forgets the pages at `paths` (the site no longer has them), so that a narrow round
    /// does not hand them on.
    pub fn forget(&mut self, paths: &[String]) {
        for path in paths {
            self.last.remove(path);
        }
    }

    /// Whether the last render had a page at `path`.
    pub fn has(&self, path: &str) -> bool {
        self.last.contains_key(path)
    }

    /// Starts a render whose pages go to `sink`, of the pages within `reach`: when that is
    /// not every page, the memo hands every page of the last render on at once (the render
    /// replaces those it reaches), as the pages it cannot reach are the same set and bytes.
    pub fn round<'a>(&'a self, sink: &'a dyn Sink, reach: Reach<'a>) -> Round<'a> {
        if !matches!(reach, Reach::Every) {
            for (path, (_, file)) in &self.last {
                sink.put(path.clone(), file.clone());
            }
        }
        Round {
            memo: self,
            sink,
            reach,
            seen: Mutex::new(Vec::new()),
            reused: AtomicUsize::new(0),
        }
    }

    /// Remembers the pages of a render that succeeded, with their bytes from `output`.
    /// After a render of every page, pages the site no longer has are forgotten; after a
    /// narrower one, the pages it did not reach are kept as they were.
    pub fn finish(&mut self, seen: Seen, output: &Output) -> Counts {
        let counts = Counts {
            contexts: seen.pages.len(),
            rendered: seen.pages.len() - seen.reused,
        };
        let pages = seen
            .pages
            .into_iter()
            .filter_map(|(path, print)| match output.get(&path)? {
                file @ (OutputFile::Bytes(_) | OutputFile::Stored(_)) => Some((path, (print, file.clone()))),
                OutputFile::Copy(_) => None,
            });
        if seen.every {
            self.last = pages.collect();
        } else {
            self.last.extend(pages);
        }
        counts
    }
}

/// How much of a render was done: contexts built (and fingerprinted), pages rendered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Pages whose context was built: those the render could reach.
    pub contexts: usize,
    /// Pages rendered: those whose context changed.
    pub rendered: usize,
}

/// What a [`Round`] saw: every page it built a context for with its fingerprint, how many it
/// handed on, and whether it could reach every page.
pub struct Seen {
    pages: Vec<(String, u128)>,
    reused: usize,
    every: bool,
}

impl Round<'_> {
    /// Ends the round (once the render is over).
    pub fn seen(self) -> Seen {
        Seen {
            pages: self
                .seen
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
            reused: self.reused.into_inner(),
            every: matches!(self.reach, Reach::Every),
        }
    }
}

impl Memo for Round<'_> {
    fn reach(&self) -> Reach<'_> {
        self.reach
    }

    fn unchanged(&self, path: &str, fingerprint: u128) -> bool {
        let seen = (path.to_string(), fingerprint);
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(seen);
        match self.memo.last.get(path) {
            Some((print, file)) if *print == fingerprint => {
                self.sink.put(path.to_string(), file.clone());
                self.reused.fetch_add(1, Ordering::Relaxed);
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unchanged_page_is_handed_on_and_a_changed_one_is_not() {
        let mut memo = PageMemo::default();
        let first = Mutex::new(Output::default());
        let round = memo.round(&first, Reach::Every);
        assert!(!round.unchanged("a.html", 1));
        assert!(!round.unchanged("b.html", 2));
        let seen = round.seen();
        let mut output = first.into_inner().unwrap();
        output.insert("a.html", "A");
        output.insert("b.html", "B");
        assert_eq!(memo.finish(seen, &output).rendered, 2);

        let second = Mutex::new(Output::default());
        let round = memo.round(&second, Reach::Every);
        assert!(round.unchanged("a.html", 1));
        assert!(!round.unchanged("b.html", 3));
        let seen = round.seen();
        let mut output = second.into_inner().unwrap();
        assert_eq!(output.bytes("a.html"), Some(&b"A"[..]), "handed on by the memo");
        output.insert("b.html", "B2");
        assert_eq!(memo.finish(seen, &output).rendered, 1);
        assert_eq!(memo.last["b.html"], (3, OutputFile::Bytes("B2".into())));
    }

    #[test]
    fn a_narrow_round_hands_on_every_page_and_keeps_those_it_did_not_reach() {
        let mut memo = PageMemo::default();
        memo.last.insert("a.html".into(), (1, OutputFile::Bytes("A".into())));
        memo.last.insert("b.html".into(), (2, OutputFile::Bytes("B".into())));
        let sink = Mutex::new(Output::default());
        let changes = crate::render::memo::Changes {
            pages: vec![1],
            ..Default::default()
        };
        let round = memo.round(&sink, Reach::Some(&changes));
        assert!(!round.unchanged("b.html", 3), "only b is reached, and it changed");
        let seen = round.seen();
        let mut output = sink.into_inner().unwrap();
        assert_eq!(output.bytes("a.html"), Some(&b"A"[..]), "handed on without a context");
        output.insert("b.html", "B3");
        let counts = memo.finish(seen, &output);
        assert_eq!(
            counts,
            Counts {
                contexts: 1,
                rendered: 1
            }
        );
        assert_eq!(memo.last["a.html"], (1, OutputFile::Bytes("A".into())));
        assert_eq!(memo.last["b.html"], (3, OutputFile::Bytes("B3".into())));
    }
}
