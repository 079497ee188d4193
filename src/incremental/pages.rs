//! [`PageMemo`]: the pages of the last good build with their fingerprints, the
//! [`Memo`] a rebuild renders against (see [`crate::render::memo`] for why a matching
//! fingerprint means the same page).

use crate::output::{Output, OutputFile, Sink};
use crate::render::memo::Memo;
use bytes::Bytes;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Each page of the last good render: its fingerprint and its bytes (shared with the output
/// that was published, so keeping them costs no memory of its own).
#[derive(Default)]
pub struct PageMemo {
    last: HashMap<String, (u128, Bytes)>,
}

/// One render against a [`PageMemo`]: unchanged pages go to `sink` straight from the memo.
pub struct Round<'a> {
    memo: &'a PageMemo,
    sink: &'a dyn Sink,
    /// Every page of this render with its fingerprint.
    seen: Mutex<Vec<(String, u128)>>,
    reused: AtomicUsize,
}

impl PageMemo {
    /// Forgets every page (the theme or the config changed: every page renders again).
    pub fn clear(&mut self) {
        self.last.clear();
    }

    /// Starts a render whose pages go to `sink`.
    pub fn round<'a>(&'a self, sink: &'a dyn Sink) -> Round<'a> {
        Round {
            memo: self,
            sink,
            seen: Mutex::new(Vec::new()),
            reused: AtomicUsize::new(0),
        }
    }

    /// Remembers the pages of a render that succeeded, with their bytes from `output`;
    /// returns how many were rendered rather than reused. Pages the site no longer has are
    /// forgotten.
    pub fn finish(&mut self, seen: Seen, output: &Output) -> usize {
        let rendered = seen.pages.len() - seen.reused;
        self.last = seen
            .pages
            .into_iter()
            .filter_map(|(path, print)| match output.get(&path)? {
                OutputFile::Bytes(bytes) => Some((path, (print, bytes.clone()))),
                OutputFile::Copy(_) => None,
            })
            .collect();
        rendered
    }
}

/// What a [`Round`] saw: every page with its fingerprint, and how many it handed on.
pub struct Seen {
    pages: Vec<(String, u128)>,
    reused: usize,
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
        }
    }
}

impl Memo for Round<'_> {
    fn unchanged(&self, path: &str, fingerprint: u128) -> bool {
        let seen = (path.to_string(), fingerprint);
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(seen);
        match self.memo.last.get(path) {
            Some((print, bytes)) if *print == fingerprint => {
                self.sink.put(path.to_string(), OutputFile::Bytes(bytes.clone()));
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
        let round = memo.round(&first);
        assert!(!round.unchanged("a.html", 1));
        assert!(!round.unchanged("b.html", 2));
        let seen = round.seen();
        let mut output = first.into_inner().unwrap();
        output.insert("a.html", "A");
        output.insert("b.html", "B");
        assert_eq!(memo.finish(seen, &output), 2);

        let second = Mutex::new(Output::default());
        let round = memo.round(&second);
        assert!(round.unchanged("a.html", 1));
        assert!(!round.unchanged("b.html", 3));
        let seen = round.seen();
        let mut output = second.into_inner().unwrap();
        assert_eq!(output.bytes("a.html"), Some(&b"A"[..]), "handed on by the memo");
        output.insert("b.html", "B2");
        assert_eq!(memo.finish(seen, &output), 1);
        assert_eq!(memo.last["b.html"], (3, Bytes::from_static(b"B2")));
    }
}
