//! `casebook serve` end to end: the binary on a free port of 127.0.0.1, fetched over HTTP,
//! rebuilding on a save and keeping the last good page while a file is broken.

use crate::common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const FIXTURE: &str = "tests/sites/valid/basic";
const WAIT: Duration = Duration::from_secs(10);

/// The server process, killed however the test ends.
struct Serve {
    child: Child,
    port: u16,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    /// Starts `casebook serve --port 0` and reads the port from its `Serving ... at` line.
    fn start(root: &Path) -> Serve {
        let child = Command::new(env!("CARGO_BIN_EXE_casebook"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let mut serve = Serve { child, port: 0 };
        let stderr = serve.child.stderr.take().unwrap();
        let mut lines = BufReader::new(stderr).lines();
        let line = lines
            .by_ref()
            .map(Result::unwrap)
            .find(|l| l.starts_with("Serving "))
            .expect("a Serving line");
        let address = line.split("http://127.0.0.1:").nth(1).unwrap();
        serve.port = address.split('/').next().unwrap().parse().unwrap();
        // Keep draining stderr so the server never blocks writing its log.
        std::thread::spawn(move || lines.for_each(drop));
        serve
    }

    /// A raw HTTP/1.0 GET: status and body.
    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, body.to_string())
    }

    fn status(&self) -> serde_json::Value {
        serde_json::from_str(&self.get("/__casebook/status").1).unwrap()
    }

    /// Polls the status until `done` holds (at most [`WAIT`]).
    fn wait_for(&self, what: &str, done: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        let start = Instant::now();
        loop {
            let status = self.status();
            if done(&status) {
                return status;
            }
            assert!(start.elapsed() < WAIT, "waited {WAIT:?} for {what}; status: {status}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn serve_reloads_on_save_and_keeps_the_last_good_page_while_a_file_is_broken() {
    let site = common::copy_fixture(FIXTURE);
    let serve = Serve::start(site.path());

    let (status, home) = serve.get("/");
    assert_eq!(status, 200);
    assert!(
        home.contains(r#"<script src="/__casebook/live.js" defer></script>"#),
        "{home}"
    );
    assert_eq!(serve.get("/__casebook/live.js").0, 200);
    assert_eq!(serve.get("/no/such/page/").0, 404);
    let version = serve.status()["version"].as_u64().unwrap();

    let beta = site.path().join("content/toolkits/beta.md");
    let good = fs::read_to_string(&beta).unwrap();
    fs::write(&beta, good.replace("Beta toolkit", "Renamed toolkit")).unwrap();
    serve.wait_for("the edit", |s| s["version"].as_u64() != Some(version));
    assert!(serve.get("/toolkits/beta/").1.contains("Renamed toolkit"));
    assert!(serve.get("/").1.contains("Renamed toolkit"));
    // The search index follows the pages, and the API answers from it.
    serve.wait_for("the search index", |s| s["search_version"].as_u64() > Some(0));
    assert!(serve.get("/search/index.js").1.contains("Renamed toolkit"));
    let (status, hits) = serve.get("/api/search?q=renamed");
    assert_eq!(status, 200);
    assert!(hits.contains(r#""url":"/toolkits/beta/""#), "{hits}");

    fs::write(
        &beta,
        good.replace("relationships-and-trust", "relationships-and-trusst"),
    )
    .unwrap();
    let broken = serve.wait_for("the error", |s| !s["errors"].as_array().unwrap().is_empty());
    let error = &broken["errors"][0];
    assert_eq!(error["file"], "content/toolkits/beta.md");
    assert_eq!(error["line"], 4);
    assert!(
        error["help"].as_str().unwrap().contains("relationships-and-trust"),
        "{error}"
    );
    let (status, page) = serve.get("/toolkits/beta/");
    assert_eq!(status, 200);
    assert!(page.contains("Renamed toolkit"), "the last good page is still served");

    fs::write(&beta, &good).unwrap();
    serve.wait_for("the fix", |s| s["errors"].as_array().unwrap().is_empty());
    assert!(serve.get("/toolkits/beta/").1.contains("Beta toolkit"));
}

#[test]
fn a_port_in_use_exits_2_with_a_hint() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = common::copy_fixture(FIXTURE);
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["serve", "--port", &port, "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("port is in use") && stderr.contains("--port"),
        "{stderr}"
    );
}
