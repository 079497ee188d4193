//! A build streams its files into the staging folder and carries unchanged files over from
//! the previous output by hard link (issue #15, items 1-3 and 6): a file whose bytes did not
//! change keeps its inode, a changed one gets a new file, the previous tree is never written
//! into, a failure halfway leaves it as it was, and progress shows real counts. The staging
//! folder is the generation before, reused (issue #15, item 1): a rebuild with nothing
//! changed makes, writes and removes nothing, and whatever staging held before (another
//! site's tree, a killed build's half, a hand edit) the result is a fresh build's tree.

use crate::common;
use crate::common::TinySite as Work;

use casebook::{BuildOptions, Progress, Stage};
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

const MARKER: &str = ".casebook-output";
const PAGE: &str = "toolkits/x/index.html";

impl Work {
    /// Changes the body of one resource: its page changes, listings do not.
    fn edit_resource(&self, word: &str) {
        let file = self.site().join("content/toolkits/x.md");
        let text = fs::read_to_string(&file).unwrap();
        fs::write(&file, format!("{text}\n\nAlso {word}.\n")).unwrap();
    }

    /// Names in the site folder that are casebook's work folders, but the marked staging
    /// folder it keeps between builds.
    fn leftovers(&self) -> Vec<String> {
        common::stray_work_folders(&self.site())
    }

    fn staging(&self) -> PathBuf {
        self.site().join(".public.casebook-staging")
    }

    /// The site built afresh into a new folder: the tree every build must equal.
    fn fresh(&self, name: &str) -> PathBuf {
        let fresh = self.dir.path().join(name);
        casebook::build(&self.site(), &fresh, &BuildOptions::default(), &|_| {})
            .unwrap_or_else(|_| panic!("the fresh build failed"));
        fresh
    }
}

/// Every file and folder under `dir` (itself as ""), each with its inode and modification
/// time: a folder whose entries were added or removed has a new modification time.
fn entries(dir: &Path) -> BTreeMap<String, (u64, i64, i64)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| {
            let entry = entry.unwrap();
            let meta = entry.path().symlink_metadata().unwrap();
            let rel = entry.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            (rel, (meta.ino(), meta.mtime(), meta.mtime_nsec()))
        })
        .collect()
}

/// The relative paths of every file and folder under `dir`.
fn shape(dir: &Path) -> Vec<String> {
    entries(dir).into_keys().collect()
}

/// Every file of `dir` but the marker (written fresh by every build): path -> inode.
fn inodes(dir: &Path) -> BTreeMap<String, u64> {
    common::tree(dir)
        .into_keys()
        .filter(|path| path != MARKER)
        .map(|path| {
            let ino = fs::symlink_metadata(dir.join(&path)).unwrap().ino();
            (path, ino)
        })
        .collect()
}

#[test]
fn a_second_build_with_nothing_changed_carries_every_file_over() {
    let work = Work::new();
    let first = work.build();
    assert_eq!((first.written, first.carried), (first.files, 0));
    let (bytes, inos) = (common::tree(&work.public()), inodes(&work.public()));
    let again = work.build();
    assert_eq!((again.written, again.carried), (0, again.files));
    assert_eq!(again.files, inos.len());
    assert_eq!(bytes, common::tree(&work.public()), "the bytes changed");
    assert_eq!(inos, inodes(&work.public()), "a file was rewritten");
    assert_eq!(work.leftovers(), Vec::<String>::new());
}

#[test]
fn an_unchanged_rebuild_makes_writes_and_removes_nothing() {
    // From the third build on, staging is the generation before: the exchange only swaps
    // the two names, and the trees under them stay exactly as they were (same inodes, no
    // entry added or removed in any folder).
    let work = Work::new();
    for _ in 0..3 {
        work.build();
    }
    let (output, staging) = (entries(&work.public()), entries(&work.staging()));
    let again = work.build();
    assert_eq!((again.written, again.carried), (0, again.files));
    assert_eq!(output, entries(&work.staging()), "the previous output changed");
    assert_eq!(staging, entries(&work.public()), "the staging folder was changed");
    assert_eq!(common::tree(&work.fresh("fresh")), common::tree(&work.public()));
}

/// Content for a site that differs from the fixture's in many paths: `count` toolkits named
/// for `word`, and static files where the other variant has folders and back.
fn make_variant(site: &Path, word: &str, count: usize) {
    let generated = site.join("content/toolkits/generated");
    let _ = fs::remove_dir_all(&generated);
    let _ = fs::remove_dir_all(site.join("static"));
    fs::create_dir_all(&generated).unwrap();
    for i in 0..count {
        let text = format!(
            "---\ntitle: \"{word} {i}\"\nsummary: \"About {word}.\"\nenablers: [shared-purpose]\n---\nOn {word}.\n"
        );
        fs::write(generated.join(format!("{word}-{i}.md")), text).unwrap();
    }
    let (file, folder) = if word == "alpha" {
        ("notes", "deep")
    } else {
        ("deep", "notes")
    };
    let static_dir = site.join("static");
    fs::create_dir_all(static_dir.join(folder).join("er/est")).unwrap();
    fs::write(static_dir.join(file), word).unwrap();
    fs::write(static_dir.join(folder).join("er/est/x.txt"), word).unwrap();
}

#[test]
fn a_build_after_switching_the_sites_content_equals_a_fresh_build() {
    // Staging then holds the other site's tree: every path of it the new site does not have
    // must go (files, folders, a file where a folder goes and back), nothing may be missing.
    let work = Work::new();
    for (round, word) in ["alpha", "beta", "alpha", "beta"].into_iter().enumerate() {
        make_variant(&work.site(), word, 12);
        for build in 0..2 {
            work.build();
            let fresh = work.fresh(&format!("fresh-{round}-{build}"));
            assert_eq!(shape(&fresh), shape(&work.public()), "{word}, build {build}");
            assert_eq!(
                common::tree(&fresh),
                common::tree(&work.public()),
                "{word}, build {build}"
            );
        }
    }
    assert_eq!(work.leftovers(), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn a_symlink_put_into_the_output_is_never_written_through() {
    // The output becomes the next staging folder: a symlink put there by hand must be
    // removed, not followed, when a later build writes where it points.
    let work = Work::new();
    work.build();
    work.build();
    let outside = work.dir.path().join("outside");
    fs::create_dir(&outside).unwrap();
    let folder = work.public().join("toolkits/x");
    fs::remove_dir_all(&folder).unwrap();
    std::os::unix::fs::symlink(&outside, &folder).unwrap();
    work.edit_resource("zebra");
    work.build();
    work.edit_resource("yak");
    work.build();
    assert_eq!(
        fs::read_dir(&outside).unwrap().count(),
        0,
        "written through the symlink"
    );
    assert_eq!(common::tree(&work.fresh("fresh")), common::tree(&work.public()));
}

#[test]
fn a_changed_resource_is_rewritten_and_every_unchanged_file_carried() {
    let work = Work::new();
    work.build();
    let (old_bytes, old_inos) = (common::tree(&work.public()), inodes(&work.public()));
    work.edit_resource("zebra");
    let report = work.build();
    let (new_bytes, new_inos) = (common::tree(&work.public()), inodes(&work.public()));
    assert!(new_bytes[PAGE] != old_bytes[PAGE]);
    // Same bytes <=> same file: nothing unchanged was rewritten, nothing changed was kept.
    for (path, ino) in &new_inos {
        let unchanged = old_bytes.get(path) == new_bytes.get(path);
        assert_eq!(old_inos.get(path) == Some(ino), unchanged, "{path}");
    }
    let changed = new_inos
        .keys()
        .filter(|p| old_bytes.get(*p) != new_bytes.get(*p))
        .count();
    assert_eq!((report.written, report.carried), (changed, new_inos.len() - changed));
    assert!(report.carried > report.written, "{report:?}");
}

#[test]
fn a_file_edited_by_hand_in_the_output_is_replaced_with_the_right_bytes() {
    // After three builds, the output and the staging folder share that file's inode: the
    // edit is in both, and both copies are wrong.
    let work = Work::new();
    for _ in 0..3 {
        work.build();
    }
    let built = common::tree(&work.public());
    // Edited in place (same inode), keeping its length: only its bytes tell.
    let page = work.public().join(PAGE);
    let mut edited = built[PAGE].clone();
    edited[0] = if edited[0] == b'x' { b'y' } else { b'x' };
    fs::write(&page, &edited).unwrap();
    let report = work.build();
    assert_eq!(built, common::tree(&work.public()));
    assert_eq!(report.written, 1, "{report:?}");
}

#[test]
fn the_previous_trees_files_are_never_written_into() {
    // Carried files share their inode with the previous tree; keeping a second name for each
    // of its files outside the output shows that no build writes into any of them.
    let work = Work::new();
    work.build();
    let before = common::tree(&work.public());
    let kept = work.dir.path().join("kept");
    for path in before.keys() {
        let link = kept.join(path);
        fs::create_dir_all(link.parent().unwrap()).unwrap();
        fs::hard_link(work.public().join(path), link).unwrap();
    }
    // Enough builds that the staging folder reused is the tree those links share.
    for word in ["zebra", "yak", "gnu"] {
        work.edit_resource(word);
        work.build();
    }
    work.edit_resource("emu");
    assert!(common::build_failing_at(&work.site(), &work.public(), PAGE).contains("injected failure"));
    work.build();
    assert_ne!(before[PAGE], common::tree(&work.public())[PAGE]);
    assert_eq!(before, common::tree(&kept), "a file of the previous tree changed");
}

#[test]
fn a_build_failing_halfway_leaves_the_previous_output_as_it_was() {
    let work = Work::new();
    work.build();
    let (bytes, inos) = (common::tree(&work.public()), inodes(&work.public()));
    work.edit_resource("zebra");
    for failing in [PAGE, "index.html", "toolkits/bundle/diagram.svg", "search/index.js"] {
        let error = common::build_failing_at(&work.site(), &work.public(), failing);
        assert!(error.contains("injected failure"), "{error}");
        assert_eq!(bytes, common::tree(&work.public()), "failing at {failing}");
        assert_eq!(inos, inodes(&work.public()), "failing at {failing}");
        assert_eq!(work.leftovers(), Vec::<String>::new());
    }
    // Without the failure the change goes through (the test can tell the difference), from
    // the half-updated staging folder to a fresh build's tree.
    work.build();
    assert_ne!(bytes, common::tree(&work.public()));
    assert_eq!(common::tree(&work.fresh("fresh")), common::tree(&work.public()));
}

#[test]
fn a_fresh_build_and_a_carried_build_are_byte_identical() {
    let work = Work::new();
    work.build();
    work.edit_resource("zebra");
    work.build();
    let fresh = work.dir.path().join("fresh");
    casebook::build(&work.site(), &fresh, &BuildOptions::default(), &|_| {}).unwrap_or_else(|_| panic!("fresh"));
    assert_eq!(common::tree(&fresh), common::tree(&work.public()));
}

#[test]
fn the_progress_total_counts_every_file_stored_before_the_search_index() {
    let work = Work::new();
    let events = Mutex::new(Vec::new());
    let report = casebook::build(&work.site(), &work.public(), &BuildOptions::default(), &|e| {
        events.lock().unwrap().push(e);
    })
    .unwrap_or_else(|_| panic!("the build failed"));
    let events = events.into_inner().unwrap();
    let stage = |wanted: fn(&Stage) -> bool| {
        events
            .iter()
            .position(|e| matches!(e, Progress::Stage(s) if wanted(s)))
            .unwrap()
    };
    let (writing, indexing) = (
        stage(|s| matches!(s, Stage::Writing { .. })),
        stage(|s| *s == Stage::Indexing),
    );
    let Progress::Stage(Stage::Writing { files }) = events[writing] else {
        unreachable!()
    };
    let files_between = |from: usize, to: usize| {
        events[from..to]
            .iter()
            .filter(|e| matches!(e, Progress::File(_)))
            .count()
    };
    assert_eq!(files, files_between(writing, indexing));
    assert_eq!(report.files, files_between(0, events.len()));
}

#[test]
fn progress_is_a_few_plain_lines_when_not_a_terminal_and_nothing_with_quiet() {
    let work = Work::new();
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
            .arg("build")
            .args(extra)
            .arg("--root")
            .arg(work.site())
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stderr).unwrap()
    };
    let first = run(&[]);
    let lines: Vec<&str> = first.lines().collect();
    assert_eq!(lines[0], "reading content...");
    assert!(
        lines[1].starts_with("rendering and writing ") && lines[1].ends_with(" files..."),
        "{first}"
    );
    assert_eq!(
        lines[2..4],
        ["building the search index...", "swapping the new output in..."]
    );
    let files = common::tree(&work.public()).len() - 1; // the marker is not counted
    let summary = format!("({files} files: {files} written, 0 carried over unchanged)");
    assert!(lines[4].starts_with("Built ") && lines[4].contains(&summary), "{first}");
    assert_eq!(lines.len(), 5, "{first}");
    let again = run(&[]);
    let summary = format!("({files} files: 0 written, {files} carried over unchanged)");
    assert!(again.contains(&summary), "{again}");
    assert_eq!(run(&["--quiet"]), "");
}
