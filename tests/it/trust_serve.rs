//! `casebook serve` against hostile clients and swapped files (issue #9, finding 6): the binary
//! on a free port of 127.0.0.1, spoken to over raw TCP so each test can misbehave exactly.
//!
//! Timed assertions here only say "answers, not hangs": the bound ([`WAIT`], 10 s) is far
//! above the milliseconds a debug build takes, and the figures are printed for the record
//! (`cargo test --test it -- trust_serve:: --nocapture`).

use crate::common;
use crate::serving::{header, Serve, WAIT};

use std::fs;
use std::io::{ErrorKind, Read, Write};
use std::time::{Duration, Instant};

const FIXTURE: &str = "tests/sites/valid/basic";
/// The longest any answer may take: a debug build answers in milliseconds.
#[cfg(unix)]
#[test]
fn a_copied_file_swapped_for_a_symlink_outside_the_site_is_never_served() {
    let site = common::copy_fixture(FIXTURE);
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("passwd");
    fs::write(&secret, "SECRET root:x:0:0").unwrap();
    let notes = site.path().join("static/notes.txt");
    fs::write(&notes, "site notes").unwrap();
    let serve = Serve::start(site.path());
    assert_eq!(serve.get("/notes.txt").body, "site notes");
    let version = serve.version();

    fs::remove_file(&notes).unwrap();
    std::os::unix::fs::symlink(&secret, &notes).unwrap();
    // Before the watcher's rebuild (the build as published), during it and after it.
    let start = Instant::now();
    let mut statuses = Vec::new();
    while start.elapsed() < Duration::from_secs(1) || !serve.rebuilt_since(version) {
        assert!(start.elapsed() < WAIT, "no rebuild after the swap");
        let response = serve.get("/notes.txt");
        assert!(!response.body.contains("SECRET"), "served the file outside the site");
        statuses.push(response.status);
    }
    let response = serve.get("/notes.txt");
    assert!(
        !response.body.contains("SECRET") && response.status != 200,
        "{statuses:?}"
    );
}

#[test]
fn slow_clients_do_not_stall_the_preview() {
    let site = common::copy_fixture(FIXTURE);
    fs::write(site.path().join("static/big.bin"), vec![b'x'; 4 << 20]).unwrap();
    let serve = Serve::start(site.path());
    let before = latencies(&serve);

    let mut slow = Vec::new();
    for _ in 0..15 {
        // Slowloris: a request head that never ends.
        let mut stream = serve.connect();
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            .unwrap();
        slow.push(stream);
        // A body announced, awaited with `Expect: 100-continue`, never sent.
        let mut stream = serve.connect();
        let expect = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n";
        stream.write_all(expect.as_bytes()).unwrap();
        slow.push(stream);
        // A 4 MB answer never read.
        let mut stream = serve.connect();
        stream
            .write_all(b"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .unwrap();
        slow.push(stream);
    }
    let during = latencies(&serve);
    let big = Instant::now();
    assert_eq!(serve.get("/big.bin").body.len(), 4 << 20);
    eprintln!(
        "GET / latency, 20 requests: without slow clients median {:?} max {:?}; \
         with {} slow clients median {:?} max {:?}; GET /big.bin (4 MB) {:?}",
        before[10],
        before[19],
        slow.len(),
        during[10],
        during[19],
        big.elapsed()
    );
}

/// Twenty sequential `GET /` timings, sorted; each must answer (within [`WAIT`]).
fn latencies(serve: &Serve) -> Vec<Duration> {
    let mut times: Vec<Duration> = (0..20)
        .map(|_| {
            let start = Instant::now();
            assert_eq!(serve.get("/").status, 200);
            start.elapsed()
        })
        .collect();
    times.sort();
    times
}

#[test]
fn a_client_that_never_finishes_its_request_head_is_disconnected() {
    let site = common::copy_fixture(FIXTURE);
    let serve = Serve::start(site.path());
    let mut stream = serve.connect();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n").unwrap();
    let start = Instant::now();
    let mut rest = Vec::new();
    // EOF (or a reset) before the read timeout: the server hung up on us.
    match stream.read_to_end(&mut rest) {
        Ok(_) => {}
        Err(e) => assert_eq!(e.kind(), ErrorKind::ConnectionReset, "{e}"),
    }
    eprintln!("a stalled request head was dropped after {:?}", start.elapsed());
}

#[test]
fn a_long_request_line_is_refused_with_414() {
    let site = common::copy_fixture(FIXTURE);
    let serve = Serve::start(site.path());
    let path = format!("/{}", "a".repeat(10_000));
    assert_eq!(serve.get(&path).status, 414);
}

#[test]
fn an_oversized_request_head_is_refused_without_being_read() {
    let site = common::copy_fixture(FIXTURE);
    let serve = Serve::start(site.path());
    let headers = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {}\r\n\r\n",
        "b".repeat(40_000)
    );
    assert_eq!(serve.exchange(headers.as_bytes()).status, 431);

    // A 50 MB request line: the server answers and hangs up long before it has all of it.
    let mut stream = serve.connect();
    let chunk = vec![b'a'; 1 << 20];
    stream.write_all(b"GET /").unwrap();
    let mut sent = 0;
    while sent < 50 << 20 {
        if stream.write_all(&chunk).is_err() {
            break;
        }
        sent += chunk.len();
    }
    assert!(sent < 50 << 20, "the server read a 50 MB request line");
    eprintln!("the server hung up after {} KB of a 50 MB request line", sent >> 10);
    assert_eq!(serve.get("/").status, 200, "and keeps answering");
}

#[test]
fn a_request_for_another_host_is_refused() {
    let site = common::copy_fixture(FIXTURE);
    let serve = Serve::start(site.path());
    let rebound = serve.exchange(b"GET / HTTP/1.1\r\nHost: evil.example:1111\r\nConnection: close\r\n\r\n");
    assert_eq!(rebound.status, 403);
    assert!(rebound.body.contains("DNS rebinding"), "{}", rebound.body);
    let absolute = serve.exchange(b"GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assert_eq!(absolute.status, 403);
    for host in ["localhost:1111", "127.0.0.1", "[::1]:1111"] {
        let request = format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        assert_eq!(serve.exchange(request.as_bytes()).status, 200, "{host}");
    }
}

#[test]
fn a_double_slash_path_never_redirects_to_another_host() {
    let site = common::copy_fixture(FIXTURE);
    let serve = Serve::start(site.path());
    assert_eq!(serve.get("/toolkits").status, 301);
    for path in ["//toolkits", "///toolkits", "/%2Ftoolkits", "//toolkits?x=1"] {
        let response = serve.get(path);
        let location = header(&response.head, "location").unwrap_or_default();
        assert!(
            location.starts_with('/') && !location.starts_with("//") && !location.starts_with("/\\"),
            "{path} -> {} {location}",
            response.status
        );
    }
    for path in ["/\\toolkits", "/%5Ctoolkits", "/%5C%5Cevil.example"] {
        let response = serve.get(path);
        assert!(
            header(&response.head, "location").is_none(),
            "{path} -> {}",
            response.head
        );
    }
}

#[test]
fn path_traversal_variants_are_refused() {
    let site = common::copy_fixture(FIXTURE);
    fs::write(site.path().join("casebook-secret.txt"), "SECRET").unwrap();
    let serve = Serve::start(site.path());
    for path in [
        "/../casebook-secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/casebook-secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/css/..%2f..%2fcasebook-secret.txt",
        "/css/%2e%2e%2f%2e%2e%2fcasebook-secret.txt",
        "/..%5c..%5ccasebook-secret.txt",
        "/%2e%2e%5ccasebook-secret.txt",
        "/.%2e/casebook-secret.txt",
        "/toolkits/../../casebook-secret.txt",
        "/%252e%252e/casebook-secret.txt",
        "/%c0%ae%c0%ae/casebook-secret.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/./../casebook-secret.txt",
    ] {
        let response = serve.get(path);
        assert_ne!(response.status, 200, "{path}");
        assert!(
            !response.body.contains("SECRET") && !response.body.contains("root:"),
            "{path}"
        );
    }
}
