//! `casebook serve` end to end: the binary on a free port of 127.0.0.1, fetched over HTTP,
//! rebuilding on a save and keeping the last good page while a file is broken.

use crate::common;
use crate::serving::Serve;

use std::fs;
use std::process::Command;

const FIXTURE: &str = "tests/sites/valid/basic";
#[test]
fn serve_reloads_on_save_and_keeps_the_last_good_page_while_a_file_is_broken() {
    let site = common::copy_fixture(FIXTURE);
    let serve = Serve::start(site.path());

    let home = serve.get("/");
    assert_eq!(home.status, 200);
    let home = home.body;
    assert!(
        home.contains(r#"<script src="/__casebook/live.js" defer></script>"#),
        "{home}"
    );
    assert_eq!(serve.get("/__casebook/live.js").status, 200);
    assert_eq!(serve.get("/no/such/page/").status, 404);
    let version = serve.status()["version"].as_u64().unwrap();

    let beta = site.path().join("content/toolkits/beta.md");
    let good = fs::read_to_string(&beta).unwrap();
    fs::write(&beta, good.replace("Beta toolkit", "Renamed toolkit")).unwrap();
    serve.wait_for("the edit", |s| s["version"].as_u64() != Some(version));
    assert!(serve.get("/toolkits/beta/").body.contains("Renamed toolkit"));
    serve.wait_for_page("/", "Renamed toolkit");
    // The search index follows the pages, and the API answers from it.
    serve.wait_for("the search index", |s| s["search_version"].as_u64() > Some(0));
    let shown = (0..)
        .map(|doc| serve.get(&format!("/search/docs/{doc}.js")))
        .take_while(|reply| reply.status == 200)
        .any(|reply| common::chunk_data(reply.body.as_bytes()).1.contains("Renamed toolkit"));
    assert!(shown, "the browser index shows the new title");
    let hits = serve.get("/api/search?q=renamed");
    assert_eq!(hits.status, 200);
    let hits = hits.body;
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
    let page = serve.get("/toolkits/beta/");
    assert_eq!(page.status, 200);
    let page = page.body;
    assert!(page.contains("Renamed toolkit"), "the last good page is still served");

    fs::write(&beta, &good).unwrap();
    serve.wait_for("the fix", |s| s["errors"].as_array().unwrap().is_empty());
    assert!(serve.get("/toolkits/beta/").body.contains("Beta toolkit"));
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
