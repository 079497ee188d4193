//! A running `casebook serve` for the tests: the binary on a free port of 127.0.0.1, spoken to
//! over raw TCP so a test can send exactly the request it means (`serve.rs`, `trust_serve.rs`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const WAIT: Duration = Duration::from_secs(10);

/// The server process, killed however the test ends.
pub struct Serve {
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
    pub fn start(root: &Path) -> Serve {
        let child = Command::new(env!("CARGO_BIN_EXE_casebook"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let mut serve = Serve { child, port: 0 };
        let mut lines = BufReader::new(serve.child.stderr.take().unwrap()).lines();
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

    pub fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        stream.set_write_timeout(Some(WAIT)).unwrap();
        stream
    }

    /// Sends `request` as it is and reads the response to the end: status, head, body.
    pub fn exchange(&self, request: &[u8]) -> Response {
        let mut stream = self.connect();
        stream.write_all(request).unwrap();
        read_response(&mut stream)
    }

    /// `GET path` over HTTP/1.0 with `Host: 127.0.0.1`.
    pub fn get(&self, path: &str) -> Response {
        self.exchange(format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
    }

    pub fn version(&self) -> u64 {
        self.status()["version"].as_u64().unwrap()
    }

    /// Whether a rebuild finished since `version`: a new good build, or errors shown (a
    /// symlink out of the site is itself a `bad-symlink` error).
    pub fn rebuilt_since(&self, version: u64) -> bool {
        let status = self.status();
        status["version"].as_u64() != Some(version) || status["errors"].as_array().is_some_and(|e| !e.is_empty())
    }

    /// Polls the status until `done` holds (at most [`WAIT`]).
    pub fn wait_for(&self, what: &str, done: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
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

    /// Waits until the page at `path` holds `text`: the pages an edit changes besides its own
    /// (listings, feeds, related lists) are published after it, as a second part.
    pub fn wait_for_page(&self, path: &str, text: &str) {
        let start = Instant::now();
        while !self.get(path).body.contains(text) {
            assert!(start.elapsed() < WAIT, "waited {WAIT:?} for {path} to show {text:?}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn status(&self) -> serde_json::Value {
        serde_json::from_str(&self.get("/__casebook/status").body).unwrap()
    }
}

pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: String,
}

pub fn read_response(stream: &mut TcpStream) -> Response {
    let mut bytes = Vec::new();
    stream
        .read_to_end(&mut bytes)
        .expect("the response, before the read timeout");
    let text = String::from_utf8_lossy(&bytes);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Response {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

/// The value of header `name` in a response head.
pub fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.trim())
}
