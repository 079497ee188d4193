//! `casebook serve`: the site built in memory, served over HTTP, rebuilt on every change.
//!
//! [`Server::start`] binds the address, builds the site once with a [`SiteCache`] and answers
//! requests from a few threads ([`respond`] does the answering, from the shared [`Preview`]).
//! [`Server::watch`] then turns each debounced batch of file events ([`watch`]) into
//! [`ChangeKind`](crate::incremental::ChangeKind)s ([`change::classify`]), updates the cache
//! and replaces the preview. Nothing is written to disk.

pub mod change;
pub mod preview;
pub mod respond;
pub mod search;
pub mod watch;

use crate::incremental::{Rebuild, SiteCache};
use crate::BuildOptions;
use preview::Preview;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How many threads answer requests (pages, assets and the status polls of open tabs).
const WORKERS: usize = 4;

/// What `casebook serve` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site root.
    pub root: PathBuf,
    /// The address to listen on.
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
}

/// A running preview server.
pub struct Server {
    addr: SocketAddr,
    options: Options,
    cache: SiteCache,
    preview: Arc<RwLock<Preview>>,
    watcher: watch::Watcher,
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
        let (cache, first) = SiteCache::new(&options.root, &options.build);
        let mut preview = Preview::default();
        preview.apply(clone_outcome(&first));
        let preview = Arc::new(RwLock::new(preview));
        let http =
            tiny_http::Server::from_listener(listener, None).map_err(|e| StartError::Other(anyhow::anyhow!(e)))?;
        spawn_workers(&Arc::new(http), &preview);
        let server = Server {
            addr,
            options,
            cache,
            preview,
            watcher,
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

    /// Rebuilds after every batch of changes, for as long as the watcher runs.
    pub fn watch(mut self, mut report: impl FnMut(Report<'_>)) {
        while let Some(paths) = self.watcher.next_batch() {
            let changes = change::classify(&self.options.root, &paths);
            if changes.is_empty() {
                continue;
            }
            let start = Instant::now();
            let rebuild = self.cache.update_pages(&changes);
            let elapsed = start.elapsed();
            report(Report {
                elapsed,
                changed: paths.len(),
                rebuild: &rebuild,
            });
            let published = rebuild.output.is_some();
            self.preview.write().expect("preview lock").apply(rebuild);
            // The pages are showing; now the search indexes, the slowest part.
            if let Some(search) = self.cache.search_files().filter(|_| published) {
                let search = search.map_err(|problems| problems.sorted());
                self.preview.write().expect("preview lock").apply_search(search);
            }
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
    }
}

fn spawn_workers(http: &Arc<tiny_http::Server>, preview: &Arc<RwLock<Preview>>) {
    for _ in 0..WORKERS {
        let http = Arc::clone(http);
        let preview = Arc::clone(preview);
        std::thread::spawn(move || {
            for request in http.incoming_requests() {
                let snapshot = preview.read().expect("preview lock").clone();
                let reply = respond::respond(&snapshot, request.method().as_str(), request.url());
                // A client that went away is no concern of ours.
                let _ = request.respond(to_response(reply));
            }
        });
    }
}

fn to_response(reply: respond::Reply) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let mut response = tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
    let headers = [
        ("Content-Type", Some(reply.content_type.to_string())),
        ("Cache-Control", Some("no-store".to_string())),
        ("Location", reply.location),
    ];
    for (name, value) in headers {
        if let Some(header) = value.and_then(|v| tiny_http::Header::from_bytes(name, v).ok()) {
            response.add_header(header);
        }
    }
    response
}
