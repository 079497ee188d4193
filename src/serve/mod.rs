//! `casebook serve`: the site built in memory, served over HTTP, rebuilt on every change.
//!
//! [`Server::start`] binds the address, builds the site once with a [`SiteCache`] and answers
//! requests ([`http`] the socket, [`guard`] who may ask, [`respond`] the answer, from the
//! shared [`Preview`] of the last good build as [`published`]).
//! [`Server::watch`] then turns each debounced batch of file events ([`watch`]) into
//! [`ChangeKind`](crate::incremental::ChangeKind)s ([`change::classify`]), updates the cache
//! and replaces the preview. Nothing is written into the site or an output folder: the
//! generated files are kept in an unnamed temporary file ([`Store`]) rather than in memory.

pub mod change;
pub mod guard;
pub mod http;
pub mod preview;
pub mod published;
pub mod respond;
pub mod search;
pub mod watch;

use crate::incremental::{self, Rebuild, SiteCache};
use crate::output::Store;
use crate::site::{BuildOptions, Site};
use preview::Preview;
use published::Published;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, RwLock, Weak};
use std::time::{Duration, Instant};

/// What `casebook serve` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site root.
    pub root: PathBuf,
    /// The address to listen on (requests must name it, or loopback: see [`guard::Guard`]).
    pub bind: IpAddr,
    /// The port (0: any free port).
    pub port: u16,
    /// How to build.
    pub build: BuildOptions,
}

/// Why the server could not start.
#[derive(Debug)]
pub enum StartError {
    /// Another program listens on the address.
    AddressInUse(SocketAddr),
    /// Anything else.
    Other(anyhow::Error),
}

/// One rebuild, for the log.
pub struct Report<'a> {
    /// Wall time of the rebuild.
    pub elapsed: Duration,
    /// How many paths the batch touched.
    pub changed: usize,
    /// What the rebuild gave.
    pub rebuild: &'a Rebuild,
    /// Whether this is the rest of the pages of the rebuild reported just before (see
    /// [`SiteCache::update_first`]).
    pub rest: bool,
}

/// A running preview server.
pub struct Server {
    addr: SocketAddr,
    options: Options,
    cache: SiteCache,
    preview: Arc<RwLock<Preview>>,
    watcher: watch::Watcher,
    /// Where every build's generated files are kept (`None`: no temporary file could be
    /// made, so in memory).
    store: Option<Arc<Store>>,
}

impl Server {
    /// Binds, starts watching, builds the site once and starts answering requests. The
    /// first build's result is returned for the caller to report (errors do not stop it).
    pub fn start(mut options: Options) -> Result<(Server, Rebuild), StartError> {
        // Absolute, so the watcher's paths and the site's agree however the root was given.
        options.root = options.root.canonicalize().unwrap_or(options.root);
        let listener = bind(SocketAddr::new(options.bind, options.port))?;
        let addr = listener.local_addr().map_err(|e| StartError::Other(e.into()))?;
        let watcher = watch::Watcher::new(&options.root).map_err(StartError::Other)?;
        let store = Store::new().ok();
        let (cache, first) = SiteCache::new_in(&options.root, &options.build, store.clone());
        let mut preview = Preview::default();
        preview.apply(Preview::outcome(clone_outcome(&first), &options.root));
        let preview = Arc::new(RwLock::new(preview));
        http::spawn(listener, guard::Guard::new(options.bind), Arc::clone(&preview)).map_err(StartError::Other)?;
        let server = Server {
            addr,
            options,
            cache,
            preview,
            watcher,
            store,
        };
        Ok((server, first))
    }

    /// The address the server listens on (with the actual port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The site's title, once its config has been read.
    pub fn title(&self) -> Option<&str> {
        self.cache.config().map(|c| c.title.as_str())
    }

    /// Gives the disk space of the files no build holds any more back (see [`Store`]).
    fn reclaim(&self) {
        if let Some(store) = &self.store {
            store.reclaim();
        }
    }

    /// Rebuilds after every batch of changes, for as long as the watcher runs.
    pub fn watch(mut self, mut report: impl FnMut(Report<'_>)) {
        let search = SearchIndexer::start(Arc::clone(&self.preview), self.options.root.clone(), self.store.clone());
        while let Some(paths) = self.watcher.next_batch() {
            let changes = change::classify(&self.options.root, &paths);
            if changes.is_empty() {
                continue;
            }
            // The edited pages first, so the page being edited shows at once; then the
            // listings, feeds and related lists the edit reaches, if any.
            let start = Instant::now();
            let first = self.cache.update_first(&changes);
            let mut published = self.publish(first, start, (paths.len(), false), &mut report);
            let start = Instant::now();
            if let Some(rest) = self.cache.rest() {
                published = self.publish(rest, start, (paths.len(), true), &mut report);
            }
            // The pages are showing; now the search indexes, the slowest part, on their own
            // thread: the next save is rebuilt meanwhile.
            if let Some(site) = self.cache.last_good().filter(|_| published) {
                search.index(&site);
            }
        }
    }

    /// Reports `rebuild` (begun at `start`, after `changed` paths; `rest` as in [`Report`])
    /// and shows it: its output, or its errors over the last good output. Whether it had an
    /// output.
    fn publish(
        &self,
        rebuild: Rebuild,
        start: Instant,
        (changed, rest): (usize, bool),
        report: &mut impl FnMut(Report<'_>),
    ) -> bool {
        report(Report {
            elapsed: start.elapsed(),
            changed,
            rebuild: &rebuild,
            rest,
        });
        let published = rebuild.output.is_some();
        let outcome = Preview::outcome(rebuild, &self.options.root);
        self.preview.write().expect("preview lock").apply(outcome);
        self.reclaim();
        published
    }
}

/// Builds the search indexes of the latest good build on a thread of its own and publishes
/// them. A build whose indexes have not started when a newer one arrives is skipped: only the
/// latest build's indexes matter, and they arrive in build order. A request waiting its turn
/// holds the site weakly: while the thread indexes one build, the next edit changes the
/// cache's site in place rather than copying it (the request then finds it gone, and the
/// edit's own request, which always follows, is the latest).
#[derive(Clone)]
struct SearchIndexer {
    latest: Arc<(Mutex<Option<Weak<Site>>>, Condvar)>,
}

impl SearchIndexer {
    fn start(preview: Arc<RwLock<Preview>>, root: PathBuf, store: Option<Arc<Store>>) -> SearchIndexer {
        let indexer = SearchIndexer {
            latest: Arc::new((Mutex::new(None), Condvar::new())),
        };
        let worker = indexer.clone();
        std::thread::Builder::new()
            .name("casebook-search".into())
            .spawn(move || {
                lower_priority();
                loop {
                    // A copy of its own (cheap: pages share their rendered bodies), so the
                    // cache's site is its alone again at once and the next body edit changes
                    // it in place.
                    let site = Site::clone(&worker.next());
                    let search = incremental::search_files(&site, store.as_ref())
                        .map(|files| Published::new(files, &root))
                        .map_err(|problems| problems.sorted());
                    preview.write().expect("preview lock").apply_search(search);
                    if let Some(store) = &store {
                        store.reclaim();
                    }
                }
            })
            .expect("spawning the search indexer");
        indexer
    }

    /// Asks for the indexes of `site` (replacing a request not started yet).
    fn index(&self, site: &Arc<Site>) {
        let (slot, ready) = &*self.latest;
        *slot.lock().expect("search slot") = Some(Arc::downgrade(site));
        ready.notify_one();
    }

    /// The site of the latest request still alive, once there is one.
    fn next(&self) -> Arc<Site> {
        let (slot, ready) = &*self.latest;
        let mut slot = slot.lock().expect("search slot");
        loop {
            if let Some(site) = slot.take().and_then(|site| site.upgrade()) {
                return site;
            }
            slot = ready.wait(slot).expect("search slot");
        }
    }
}

/// How much lower than serve's other threads the search indexer runs (a nice increment).
const SEARCH_NICENESS: i32 = 10;

/// Lowers the calling thread's priority by [`SEARCH_NICENESS`], so that on a busy machine a
/// rebuild goes first: an edit's pages are what the author is waiting for, its search
/// indexes can come a moment later. On Linux a nice value belongs to a thread, and threads
/// it starts (tantivy's indexing threads) inherit it; elsewhere it would be the whole
/// process's, so it is left alone. Best effort: refused, the indexes build as before.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        let me = Some(rustix::thread::gettid());
        if let Ok(now) = rustix::process::getpriority_process(me) {
            let _ = rustix::process::setpriority_process(me, (now + SEARCH_NICENESS).min(19));
        }
    }
}

fn bind(addr: SocketAddr) -> Result<TcpListener, StartError> {
    TcpListener::bind(addr).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => StartError::AddressInUse(addr),
        _ => StartError::Other(anyhow::Error::new(e).context(format!("listening on {addr}"))),
    })
}

/// The first build is both reported and applied; the output is moved into the preview.
fn clone_outcome(rebuild: &Rebuild) -> Rebuild {
    Rebuild {
        output: rebuild.output.clone(),
        diagnostics: rebuild.diagnostics.clone(),
        files_read: Vec::new(),
        markdown_rendered: 0,
        pages_rendered: 0,
        contexts_built: 0,
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_os = "linux")]
    #[test]
    fn the_search_thread_runs_at_a_lower_priority_than_the_rest_of_serve() {
        fn own() -> i32 {
            rustix::process::getpriority_process(Some(rustix::thread::gettid())).unwrap()
        }
        let before = own();
        let lowered = std::thread::spawn(|| {
            super::lower_priority();
            own()
        })
        .join()
        .unwrap();
        assert_eq!(lowered, (before + super::SEARCH_NICENESS).min(19));
        assert_eq!(own(), before, "only the thread that asked");
    }
}
