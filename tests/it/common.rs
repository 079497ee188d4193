//! Helpers shared by the integration tests: copying fixture sites, reading output trees, and
//! a build that fails halfway through writing.

use casebook::{BuildOptions, BuildReport, Failure, Output, Site};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::{fs, io};

/// Copies the tree at `from` into `to` (which may exist).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary copy of the fixture site at `fixture` (relative to the repository root), so a
/// test can change it and build into it.
pub fn copy_fixture(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture), dir.path());
    dir
}

/// Every file under `dir`: relative path (with `/`) -> bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Builds the site at `root` into `out` as `casebook build` does, except that storing the
/// output file `failing` fails, as a full disk would, after the files before it were stored
/// (the seam [`casebook::build::build_with`]). Returns the error, in full.
pub fn build_failing_at(root: &Path, out: &Path, failing: &str) -> String {
    let fail = |path: &str| {
        if path == failing {
            Err(io::Error::other("injected failure"))
        } else {
            Ok(())
        }
    };
    match casebook::build::build_with(root, out, &BuildOptions::default(), &|_| {}, &fail) {
        Err(Failure::Usage(error)) => format!("{error:#}"),
        Err(Failure::Content(problems)) => panic!("content errors: {:?}", problems.sorted()),
        Ok(_) => panic!("the build should fail at {failing}"),
    }
}

/// How many cases a property test runs: `default`, or `PROPTEST_CASES` when set, so a soak
/// run asks for more (`ProptestConfig::with_cases` alone ignores the variable).
pub fn proptest_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// The paths a build of `root` writes and the paths its output plan (from
/// `Sources::validate`, what `check` uses) lists; a search index folder counts as one path.
pub fn written_and_planned(root: &Path) -> (BTreeSet<String>, BTreeSet<String>) {
    use casebook::render::theme::Theme;
    use casebook::{Site, Sources};
    let (site, problems) = Site::load(root, &BuildOptions::default()).unwrap_or_else(|_| panic!("loading"));
    assert!(!problems.has_errors(), "{:?}", problems.sorted());
    let theme = Theme::load(root, &site.config).unwrap_or_else(|p| panic!("{:?}", p.sorted()));
    let output = site.render_with(&theme).unwrap_or_else(|p| panic!("{:?}", p.sorted()));
    let folder_of = |p: &str| {
        casebook::search::INDEX_FOLDERS
            .into_iter()
            .find(|folder| p.strip_prefix(folder).is_some_and(|rest| rest.starts_with('/')))
    };
    let written = output
        .paths()
        .map(|p| folder_of(p).unwrap_or(p))
        .map(String::from)
        .collect();
    let (sources, mut problems) = Sources::read(root, &BuildOptions::default()).unwrap_or_else(|_| panic!("reading"));
    let plan = sources.validate(Ok(&theme), &mut problems).plan;
    let planned = plan.into_iter().map(|c| c.path).collect();
    (written, planned)
}

/// Casebook's work folders (`.<name>.casebook-*`) in `dir`, except the staging folder it
/// keeps between builds by design, which must be marked (or empty: an empty output folder
/// exchanged out), and the manifest file of the last build: what a build should never leave
/// behind.
pub fn stray_work_folders(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".casebook-"))
        .filter(|name| {
            let kept = dir.join(name);
            let marked = kept.join(".casebook-output").is_file();
            let empty = fs::read_dir(&kept).is_ok_and(|mut e| e.next().is_none());
            let manifest = name.ends_with(".casebook-manifest") && kept.is_file();
            !(manifest || name.ends_with(".casebook-staging") && (marked || empty))
        })
        .collect()
}

/// Rewrites the file `rel` of the site at `root` with `change` (given its text, or "" for a
/// new file, whose folders are made).
pub fn edit_file(root: &Path, rel: &str, change: impl FnOnce(String) -> String) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).unwrap_or_default();
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, change(text)).unwrap();
}

/// A change to the content files `paths` (relative to `content/`), as `serve` reports it.
pub fn content_change(paths: &[&str]) -> casebook::incremental::ChangeKind {
    casebook::incremental::ChangeKind::Content(paths.iter().copied().map(String::from).collect())
}

/// The text of the page at `path` in a rebuild's output (which must have no errors).
pub fn rebuilt_page(rebuild: &casebook::incremental::Rebuild, path: &str) -> String {
    output_page(rebuild.output.as_ref().expect("the rebuild has no errors"), path)
}

/// The site at `root` built in memory; it must load without errors.
pub fn built_in_memory(root: &Path) -> Output {
    let (site, problems) = Site::load(root, &BuildOptions::default()).unwrap_or_else(|_| panic!("the site loads"));
    assert!(!problems.has_errors(), "{problems:?}");
    site.render().unwrap_or_else(|p| panic!("{p:?}"))
}

/// The text of the file at `path` in `output` (which must be UTF-8).
pub fn output_page(output: &Output, path: &str) -> String {
    let bytes = output
        .generated(path)
        .unwrap_or_else(|| panic!("no {path} in the output"));
    let bytes = bytes.unwrap_or_else(|e| panic!("{path} cannot be read back: {e}"));
    String::from_utf8(bytes.to_vec()).unwrap_or_else(|_| panic!("{path} is not UTF-8"))
}

/// The text of `html` from `start` to the next `end` after it (to the end without one).
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no `{start}` in\n{html}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// The rebuild's output equals a full build's of `root`, path by path and byte for byte, and
/// it reports the same diagnostics.
pub fn assert_same_as_full_build(rebuild: &casebook::incremental::Rebuild, root: &Path) {
    let output = rebuild.output.as_ref().expect("the rebuild has no errors");
    let (site, problems) = casebook::Site::load(root, &BuildOptions::default()).unwrap();
    assert!(!problems.has_errors(), "{problems:?}");
    assert_eq!(
        rebuild.diagnostics.sorted(),
        problems.sorted(),
        "a full build's diagnostics"
    );
    let full = site.render().unwrap();
    let paths: Vec<&str> = output.paths().collect();
    assert_eq!(paths, full.paths().collect::<Vec<_>>());
    for path in paths {
        assert!(output.get(path) == full.get(path), "{path} differs from a full build");
    }
}

/// A copy of the tiny fixture site (`tests/sites/valid/tiny`) in a temporary folder: the site
/// at `site/`, its output at `site/public/`. Test modules add their own methods to it.
pub struct TinySite {
    pub dir: tempfile::TempDir,
}

impl TinySite {
    pub fn new() -> TinySite {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/valid/tiny"),
            &dir.path().join("site"),
        );
        TinySite { dir }
    }

    /// `rel` inside the temporary folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn site(&self) -> PathBuf {
        self.path("site")
    }

    pub fn public(&self) -> PathBuf {
        self.path("site/public")
    }

    /// Builds the site into `site/public/` in this process; panics if the build fails.
    pub fn build(&self) -> BuildReport {
        casebook::build(&self.site(), &self.public(), &BuildOptions::default(), &|_| {})
            .unwrap_or_else(|_| panic!("the build failed"))
    }
}

/// A site built into `out/` inside a temporary folder, so that the staging folder and manifest
/// a build leaves beside its output go when the folder does (beside a temporary folder of its
/// own they would stay in the system's temporary directory).
pub struct BuiltSite {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl BuiltSite {
    /// The built site's folder.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// `casebook build --quiet --root ROOT --output TEMP/out` with the real binary, into a fresh
/// temporary folder; panics if the build fails.
pub fn build_with_binary(root: &Path) -> BuiltSite {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success(), "build of {} failed", root.display());
    BuiltSite { _dir: dir, path }
}

/// Runs `casebook search --json --index SITE ARGS...` and parses its output; panics if it fails.
pub fn search_json(site: &Path, args: &[&str]) -> serde_json::Value {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["search", "--json", "--index"])
        .arg(site)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "search {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The name and JSON data of a chunk file of the browser search index,
/// `CasebookChunk("name","<packed>",1);`, unpacked as the page does (deflate-raw in base64).
pub fn chunk_data(file: &[u8]) -> (String, String) {
    use base64::Engine as _;
    let text = std::str::from_utf8(file).expect("a chunk is text");
    let call = text
        .strip_prefix("CasebookChunk(\"")
        .and_then(|rest| rest.strip_suffix("\",1);\n"))
        .unwrap_or_else(|| panic!("not a packed chunk: {text:.80}"));
    let (name, packed) = call.split_once("\",\"").expect("a name and data");
    let deflated = base64::engine::general_purpose::STANDARD
        .decode(packed)
        .expect("base64");
    let mut json = String::new();
    io::Read::read_to_string(&mut flate2::read::DeflateDecoder::new(&deflated[..]), &mut json).expect("deflate-raw");
    (name.to_string(), json)
}
