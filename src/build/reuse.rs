//! Reusing the last build's work: a page whose template and context did not change is not
//! rendered, and search indexes whose input did not change are not built again; their files
//! are kept from the staging folder or the previous output.
//!
//! **What the last build leaves.** Its [`Manifest`] (the file `.<name>.casebook-manifest`
//! beside the output, [`OutputDir::save_manifest`], never published): the [`Key`] of what
//! turns inputs into bytes (this binary; for pages, the theme's templates too), then per page its fingerprint ([`fingerprint`](crate::render::memo::fingerprint):
//! XXH3-128 of template name and serialised context) and the
//! [`content_hash`](crate::output::content_hash) of the bytes it
//! rendered; and the fingerprint of the search indexes' input with the hash of each file they
//! made.
//!
//! **Why a kept file is the file a render would make.** A page's bytes are a function of its
//! path, template and context, given the binary and the templates (Tera sees nothing else: no
//! clock, no environment, no file). So when the key and a page's fingerprint equal the
//! manifest's, its bytes are the ones whose hash the manifest holds; the same goes for the
//! search indexes, a function of their input (every field the indexing reads, below) and the binary. The manifest says nothing
//! about any tree: the file kept is one found at that path in staging or in the previous
//! output whose bytes, read now, have that hash ([`StagingWriter::keep`]) — a hand edit, a
//! killed build's half-written staging, a file of another site all fail that test, and the
//! page is rendered as usual. A manifest that is missing, torn, of another version or from
//! another binary is ignored: every page is rendered. So a kept tree is byte-identical to a
//! fresh build's, and every promise of `output.rs` (nothing written into an existing inode,
//! one atomic swap) holds as it did, since keeping is carrying over with the bytes' hash
//! known in advance instead of their render.

use crate::output::{OutputDir, StagingWriter};
use crate::render::memo::Memo;
use crate::render::theme::Theme;
use crate::search;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Mutex;
use xxhash_rust::xxh3::Xxh3;

/// Bumped when the manifest's meaning changes: an older one is then ignored.
const VERSION: u32 = 1;

/// What a build leaves for the next one (see the module docs).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    version: u32,
    /// [`Key::binary`] of the build that wrote it, hex.
    binary: String,
    /// [`Key::theme`], hex.
    theme: String,
    /// Page path -> (fingerprint, content hash), hex.
    pages: HashMap<String, (String, String)>,
    /// The search indexes' input fingerprint and each file's (path, content hash), hex.
    search: Option<(String, Vec<(String, String)>)>,
}

/// What must stay equal between two builds for equal fingerprints to mean equal bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// This binary (its length and modification time: a rebuilt casebook may render or index
    /// differently).
    pub binary: u128,
    /// The theme's templates (pages only: the search indexes do not use them).
    pub theme: u128,
}

/// The key of this build with `theme`. `None` when the binary cannot be found: nothing is
/// reused then.
pub fn key(theme: &Theme) -> Option<Key> {
    let exe = std::env::current_exe().ok()?.metadata().ok()?;
    let modified = exe.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    let mut hasher = Xxh3::new();
    hasher.update(&exe.len().to_le_bytes());
    hasher.update(&modified.as_nanos().to_le_bytes());
    Some(Key {
        binary: hasher.digest128(),
        theme: theme.fingerprint(),
    })
}

fn hex(n: u128) -> String {
    format!("{n:032x}")
}

fn unhex(s: &str) -> Option<u128> {
    u128::from_str_radix(s, 16).ok()
}

/// The last build's manifest, usable under `key`: what its pages and search indexes were.
#[derive(Debug, Default)]
pub struct Last {
    /// Page path -> (fingerprint, content hash).
    pages: HashMap<String, (u128, u128)>,
    /// Input fingerprint and each file's (path, content hash).
    search: Option<(u128, Vec<(String, u128)>)>,
}

impl Last {
    /// What the manifest `out` holds from the last build is usable under `key`: nothing when
    /// it was written by another binary (or version), no page when with other templates.
    pub fn read(out: &OutputDir, key: Option<Key>) -> Last {
        let parsed = out
            .last_manifest()
            .and_then(|bytes| serde_json::from_slice::<Manifest>(&bytes).ok());
        match (parsed, key) {
            (Some(manifest), Some(key))
                if manifest.version == VERSION && unhex(&manifest.binary) == Some(key.binary) =>
            {
                let same_theme = unhex(&manifest.theme) == Some(key.theme);
                Last::from(manifest, same_theme)
            }
            _ => Last::default(),
        }
    }

    fn from(manifest: Manifest, same_theme: bool) -> Last {
        let pages = manifest
            .pages
            .into_iter()
            .filter(|_| same_theme)
            .filter_map(|(path, (print, hash))| Some((path, (unhex(&print)?, unhex(&hash)?))))
            .collect();
        let search = manifest.search.and_then(|(input, files)| {
            let files = files
                .into_iter()
                .map(|(path, hash)| Some((path, unhex(&hash)?)))
                .collect::<Option<Vec<_>>>()?;
            Some((unhex(&input)?, files))
        });
        Last { pages, search }
    }
}

/// The [`Memo`] of a build: records every page's fingerprint, and keeps a page whose
/// fingerprint the last manifest has unchanged (when its file is still to be found).
pub struct Pages<'a> {
    last: &'a Last,
    writer: &'a StagingWriter<'a>,
    seen: Mutex<Vec<(String, u128)>>,
}

impl<'a> Pages<'a> {
    /// Pages rendered into `writer`, against the last build's manifest.
    pub fn new(last: &'a Last, writer: &'a StagingWriter<'a>) -> Pages<'a> {
        Pages {
            last,
            writer,
            seen: Mutex::new(Vec::new()),
        }
    }

    /// Every page with its fingerprint.
    pub fn seen(self) -> Vec<(String, u128)> {
        self.seen
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Memo for Pages<'_> {
    fn unchanged(&self, path: &str, fingerprint: u128) -> bool {
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((path.to_string(), fingerprint));
        match self.last.pages.get(path) {
            Some(&(print, hash)) if print == fingerprint => self.writer.keep(path, hash),
            _ => false,
        }
    }
}

/// The fingerprint of everything the search indexes of a site are made from, each of
/// `inputs` (the site's, then each other language's) in turn: the config as serialised
/// (`lang_prefix` beside it, which serde skips), each taxonomy with its terms' slugs and
/// names (the facets), and every [`search::Entry`] field by field. That is all the indexing
/// code reads, and it is this binary's code: a build by another binary reuses nothing
/// ([`Key::binary`]), so a field the indexes come to read later is covered then. Hashing the
/// fields directly, not their `Debug` form (pages with their HTML), costs a few hashes of the
/// text rather than a formatting pass over the whole site. (The config's `Debug` form would
/// not do: it holds the spans of its values in a `HashMap`, listed in a different order by
/// each run.)
pub fn search_fingerprint<'a>(inputs: impl IntoIterator<Item = search::Input<'a>>) -> u128 {
    let mut hasher = Xxh3::new();
    for input in inputs {
        let _ = serde_json::to_writer(Hashing(&mut hasher), input.config);
        text(&mut hasher, &input.config.lang_prefix);
        for taxonomy in &input.library.taxonomies {
            text(&mut hasher, &taxonomy.key);
            text(&mut hasher, &taxonomy.name);
            hasher.update(&taxonomy.terms.len().to_le_bytes());
            for term in &taxonomy.terms {
                text(&mut hasher, &term.slug);
                text(&mut hasher, &term.name);
            }
        }
        let entries = input.entries();
        hasher.update(&entries.len().to_le_bytes());
        for entry in &entries {
            hash_entry(&mut hasher, entry);
        }
    }
    hasher.digest128()
}

/// Feeds one searchable page to `hasher`: every field ([`search::Entry`] destructured, so a
/// new one cannot be left out), of its body the text and headings the index cuts.
fn hash_entry(hasher: &mut Xxh3, entry: &search::Entry<'_>) {
    let search::Entry {
        url,
        title,
        kind,
        summary,
        body,
        organisation,
        authors,
        date,
        terms,
    } = entry;
    for field in [
        *url,
        *title,
        *kind,
        *summary,
        body.text.as_str(),
        *organisation,
        authors.as_str(),
    ] {
        text(hasher, field);
    }
    hasher.update(&body.headings.len().to_le_bytes());
    for heading in &body.headings {
        text(hasher, &heading.id);
        text(hasher, &heading.title);
        hasher.update(&heading.range.start.to_le_bytes());
        hasher.update(&heading.range.end.to_le_bytes());
    }
    let day = date.map(|d| d.to_string()).unwrap_or_default();
    text(hasher, &day);
    let terms = terms.map(|t| t.iter().collect::<Vec<_>>()).unwrap_or_default();
    hasher.update(&terms.len().to_le_bytes());
    for (taxonomy, slugs) in terms {
        text(hasher, taxonomy);
        hasher.update(&slugs.len().to_le_bytes());
        for slug in slugs {
            text(hasher, slug);
        }
    }
}

/// Feeds `s` to `hasher` with its length first, so that where one text ends counts.
fn text(hasher: &mut Xxh3, s: &str) {
    hasher.update(&s.len().to_le_bytes());
    hasher.update(s.as_bytes());
}

/// An `io::Write` feeding a hasher, so that a serialised form is hashed without being kept.
struct Hashing<'h>(&'h mut Xxh3);

impl std::io::Write for Hashing<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The search indexes' files as the last build made them, if their input is unchanged.
pub fn search_files(last: &Last, input: u128) -> Option<&[(String, u128)]> {
    let (print, files) = last.search.as_ref()?;
    (*print == input).then_some(files.as_slice())
}

/// The manifest of this build: `pages` with their fingerprints, and the search files (input
/// fingerprint, paths), each with the hash of the file stored (`hashes`, from the writer).
pub fn manifest(
    key: Key,
    pages: Vec<(String, u128)>,
    search: Option<(u128, Vec<String>)>,
    hashes: &HashMap<String, u128>,
) -> Manifest {
    let pages = pages
        .into_iter()
        .filter_map(|(path, print)| {
            let hash = *hashes.get(&path)?;
            Some((path, (hex(print), hex(hash))))
        })
        .collect();
    let search = search.and_then(|(input, paths)| {
        let files = paths
            .into_iter()
            .map(|path| {
                let hash = hex(*hashes.get(&path)?);
                Some((path, hash))
            })
            .collect::<Option<Vec<_>>>()?;
        Some((hex(input), files))
    });
    Manifest {
        version: VERSION,
        binary: hex(key.binary),
        theme: hex(key.theme),
        pages,
        search,
    }
}

/// Leaves `manifest` in the staging folder of `out` for the next build.
pub fn save(out: &OutputDir, manifest: &Manifest) -> anyhow::Result<()> {
    out.save_manifest(&serde_json::to_vec(manifest)?)
}
