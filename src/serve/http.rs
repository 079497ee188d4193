//! The socket side of `casebook serve`: hyper (HTTP/1.1) on a one-thread tokio runtime. It
//! only turns requests into [`respond`] calls and [`Reply`]s into responses.
//!
//! Every connection is a task, not a thread, so a slow client costs a little memory, never
//! the server's attention. The limits that keep hostile or broken clients in check:
//! - a request head must arrive within [`HEADER_READ_TIMEOUT`] (also the longest a
//!   keep-alive connection may sit idle), and may be at most [`MAX_HEAD`] bytes (hyper
//!   answers 431 and closes, without buffering more);
//! - a connection is asked to close after [`CONNECTION_LIFETIME`] (it finishes the response
//!   under way; a browser simply opens another) and is dropped [`SHUTDOWN_GRACE`] later
//!   whatever it is doing: the write timeout of a client that stops reading;
//! - at most [`MAX_CONNECTIONS`] at once; more wait in the listen backlog;
//! - answering (reading copied files, searching) runs on at most [`RESPONDERS`] threads.
//!
//! The request body is never read: only GET and HEAD are answered, so a client announcing a
//! body (`Expect: 100-continue`) gets its answer without a `100 Continue`.

use super::guard::Guard;
use super::preview::Preview;
use super::respond::{self, Reply};
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE, HOST, LOCATION};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a client may take to send a request head, or leave a connection idle.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest request head (request line and headers) read; larger gets 431.
pub const MAX_HEAD: usize = 32 * 1024;
/// The most a connection buffers (hyper's default is ~400 KB).
const MAX_BUFFER: usize = 64 * 1024;
/// How long a connection is served before it is asked to close.
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(30);
/// How long a connection asked to close may take to finish its response.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// The most connections served at once.
pub const MAX_CONNECTIONS: usize = 512;
/// The most requests answered at once (pages are ready in memory; searching takes a moment).
const RESPONDERS: usize = 4;
/// How long to wait after a failed `accept` (out of file descriptors, say) before the next.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// What every connection shares.
struct Shared {
    guard: Guard,
    preview: Arc<RwLock<Preview>>,
}

/// Serves `preview` on `listener` from a thread of its own, for as long as the process runs.
pub fn spawn(listener: std::net::TcpListener, guard: Guard, preview: Arc<RwLock<Preview>>) -> anyhow::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .max_blocking_threads(RESPONDERS)
        .build()?;
    let listener = {
        let _in_runtime = runtime.enter();
        TcpListener::from_std(listener)?
    };
    let shared = Arc::new(Shared { guard, preview });
    std::thread::Builder::new()
        .name("casebook-http".into())
        .spawn(move || runtime.block_on(accept(listener, shared)))?;
    Ok(())
}

async fn accept(listener: TcpListener, shared: Arc<Shared>) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return; // the semaphore is never closed
        };
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(connection(stream, Arc::clone(&shared), slot));
            }
            Err(_) => tokio::time::sleep(ACCEPT_BACKOFF).await,
        }
    }
}

/// Serves one connection within the limits above; `_slot` is released when it ends.
async fn connection(stream: TcpStream, shared: Arc<Shared>, _slot: OwnedSemaphorePermit) {
    let service = service_fn(move |request| answer(Arc::clone(&shared), request));
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .max_header_size(MAX_HEAD)
        .max_buf_size(MAX_BUFFER)
        .serve_connection(TokioIo::new(stream), service);
    let mut connection = std::pin::pin!(connection);
    // Errors (a client gone, a head too slow or too large) end only this connection.
    if tokio::time::timeout(CONNECTION_LIFETIME, connection.as_mut())
        .await
        .is_err()
    {
        connection.as_mut().graceful_shutdown();
        let _ = tokio::time::timeout(SHUTDOWN_GRACE, connection).await;
    }
}

async fn answer(shared: Arc<Shared>, request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let target = request.uri().path_and_query().map_or("/", |p| p.as_str()).to_string();
    // An absolute target (`GET http://host/ HTTP/1.1`) names the host instead of the header.
    let host = match request.uri().authority() {
        Some(authority) => Some(authority.as_str()),
        None => request.headers().get(HOST).map(|h| h.to_str().unwrap_or_default()),
    };
    if let Err(refused) = shared.guard.admit(&target, host) {
        return Ok(to_response(refused));
    }
    let method = request.method().as_str().to_string();
    let preview = Arc::clone(&shared.preview);
    let reply = tokio::task::spawn_blocking(move || {
        let snapshot = preview.read().unwrap_or_else(PoisonError::into_inner).clone();
        respond::respond(&snapshot, &method, &target)
    })
    .await
    .unwrap_or_else(|_| Reply::text(500, "answering this request failed\n"));
    Ok(to_response(reply))
}

fn to_response(reply: Reply) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    let content_type = HeaderValue::try_from(reply.content_type.as_ref());
    headers.insert(
        CONTENT_TYPE,
        content_type.unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(location) = reply.location.and_then(|l| HeaderValue::try_from(l).ok()) {
        headers.insert(LOCATION, location);
    }
    response
}
