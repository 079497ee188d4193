//! The output folder can be trusted: `build` never deletes what casebook did not make, refuses
//! an output that overlaps the site, and swaps the new tree in so that the output is always
//! complete, whatever instant the build is killed at (issue #9, findings 1, 3, 4 and 8).

use crate::common;
use crate::common::TinySite as Work;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const MARKER: &str = ".casebook-output";

impl Work {
    /// `casebook build --root site [--output OUTPUT]`.
    fn run(&self, output: Option<&Path>) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_casebook"));
        command.args(["build", "--quiet", "--root"]).arg(self.site());
        if let Some(output) = output {
            command.arg("--output").arg(output);
        }
        command.output().unwrap()
    }

    /// Builds into the default `public/` and returns its tree.
    fn built(&self) -> BTreeMap<String, Vec<u8>> {
        succeeded(&self.run(None));
        common::tree(&self.public())
    }

    /// Every file under the work folder: the site, its output, anything beside them.
    fn everything(&self) -> BTreeMap<String, Vec<u8>> {
        common::tree(self.dir.path())
    }

    /// [`Work::everything`] but the staging folder casebook keeps (and may update) beside
    /// `public/`.
    fn everything_but_staging(&self) -> BTreeMap<String, Vec<u8>> {
        let mut all = self.everything();
        all.retain(|path, _| !path.starts_with("site/.public.casebook-staging/"));
        all
    }
}

fn succeeded(out: &Output) {
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The build exited 2 with a message containing `words`.
fn refused(out: &Output, words: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(words), "expected `{words}` in: {stderr}");
}

/// Casebook's work folders in `dir` but the marked staging folder it keeps between builds.
fn leftovers(dir: &Path) -> Vec<String> {
    common::stray_work_folders(dir)
}

// Finding 1: nothing of the user's is ever deleted.

#[test]
fn a_folder_of_the_users_files_is_refused_and_kept() {
    let work = Work::new();
    let report = work.path("Documents/report");
    fs::create_dir_all(report.join("drafts")).unwrap();
    fs::write(report.join("notes.txt"), "my notes").unwrap();
    fs::write(report.join("drafts/plan.md"), "my plan").unwrap();
    let before = work.everything();
    refused(&work.run(Some(&report)), "refusing to write the site into");
    assert_eq!(before, work.everything(), "something changed");
}

#[test]
fn the_site_root_as_output_is_refused_and_leaves_no_staging_copy() {
    let work = Work::new();
    let before = work.everything();
    refused(&work.run(Some(&work.site())), "is the site folder or contains it");
    let dot = work.site().join(".");
    refused(&work.run(Some(&dot)), "is the site folder or contains it");
    assert_eq!(before, work.everything(), "something changed");
    assert_eq!(leftovers(work.dir.path()), Vec::<String>::new());
}

#[test]
fn a_folder_holding_the_site_is_refused() {
    let work = Work::new();
    let before = work.everything();
    refused(&work.run(Some(work.dir.path())), "is the site folder or contains it");
    assert_eq!(before, work.everything(), "something changed");
}

#[test]
fn an_output_overlapping_an_input_of_the_site_is_refused() {
    let work = Work::new();
    fs::create_dir_all(work.site().join("static/css")).unwrap();
    fs::create_dir_all(work.site().join("templates")).unwrap();
    fs::create_dir_all(work.site().join("themes/mine")).unwrap();
    let before = work.everything();
    for output in [
        "content",
        "content/toolkits",
        "content/new-folder",
        "static",
        "static/css/site",
        "templates",
        "themes/mine/public",
        "casebook.yaml",
    ] {
        refused(
            &work.run(Some(&work.site().join(output))),
            "refusing to write the site into",
        );
        assert_eq!(before, work.everything(), "--output {output} changed something");
    }
}

#[test]
fn an_output_inside_static_does_not_grow_on_every_build() {
    // Once refused, it can never be copied into itself: the build fails the first time.
    let work = Work::new();
    fs::create_dir_all(work.site().join("static")).unwrap();
    let inside = work.site().join("static/public");
    refused(&work.run(Some(&inside)), "overlaps the site's input");
    assert!(!inside.exists());
}

#[cfg(unix)]
#[test]
fn an_input_reached_through_a_symlink_is_still_refused() {
    let work = Work::new();
    std::os::unix::fs::symlink(work.site().join("content"), work.path("shortcut")).unwrap();
    let before = work.everything();
    refused(&work.run(Some(&work.path("shortcut/out"))), "overlaps the site's input");
    assert_eq!(before, work.everything(), "something changed");
}

#[cfg(unix)]
#[test]
fn a_symlink_as_output_is_refused_and_its_target_kept() {
    let work = Work::new();
    let real = work.path("real");
    fs::create_dir(&real).unwrap();
    fs::write(real.join("keep.txt"), "mine").unwrap();
    std::os::unix::fs::symlink(&real, work.path("link")).unwrap();
    let before = work.everything();
    refused(&work.run(Some(&work.path("link"))), "it is a symlink");
    refused(&work.run(Some(&work.path("link/"))), "it is a symlink");
    assert_eq!(before, work.everything(), "something changed");
    assert!(fs::symlink_metadata(work.path("link"))
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn an_empty_folder_is_written_into_and_marked() {
    let work = Work::new();
    let out = work.path("empty");
    fs::create_dir(&out).unwrap();
    succeeded(&work.run(Some(&out)));
    assert!(out.join("index.html").is_file());
    let marker = fs::read_to_string(out.join(MARKER)).unwrap();
    assert!(marker.contains("casebook build"), "{marker}");
    assert_eq!(leftovers(work.dir.path()), Vec::<String>::new());
}

#[test]
fn a_folder_casebook_made_is_replaced_whole_and_builds_stay_byte_identical() {
    let work = Work::new();
    let first = work.built();
    assert!(first.contains_key(MARKER), "no marker in {:?}", first.keys());
    fs::write(work.public().join("stray.txt"), "put here by hand").unwrap();
    assert_eq!(first, work.built(), "the second build differs (or kept a stray file)");
    assert_eq!(leftovers(&work.site()), Vec::<String>::new());
}

#[test]
fn a_folder_in_the_way_of_the_staging_name_is_refused_and_kept() {
    let work = Work::new();
    for role in ["staging", "previous"] {
        let in_the_way = work.site().join(format!(".public.casebook-{role}"));
        fs::create_dir(&in_the_way).unwrap();
        fs::write(in_the_way.join("mine.txt"), "mine").unwrap();
        let before = work.everything();
        refused(&work.run(None), "is in the way");
        assert_eq!(before, work.everything(), "something changed");
        fs::remove_dir_all(&in_the_way).unwrap();
    }
}

#[test]
fn a_static_file_named_like_the_marker_is_refused() {
    let work = Work::new();
    let first = work.built();
    fs::create_dir_all(work.site().join("static")).unwrap();
    fs::write(work.site().join("static").join(MARKER), "not casebook's").unwrap();
    refused(&work.run(None), "reserves that name");
    assert_eq!(first, common::tree(&work.public()), "the previous output changed");
    assert_eq!(leftovers(&work.site()), Vec::<String>::new());
}

// Finding 4: a refused output is refused before anything moves, and later builds still work.

#[test]
fn a_file_as_output_is_refused_and_later_builds_still_work() {
    let work = Work::new();
    let file = work.path("report.pdf");
    fs::write(&file, "a user's file").unwrap();
    let before = work.everything();
    refused(&work.run(Some(&file)), "not a folder");
    refused(&work.run(Some(&file)), "not a folder");
    assert_eq!(before, work.everything(), "something changed");
    assert_eq!(leftovers(work.dir.path()), Vec::<String>::new());
    work.built();
}

#[test]
fn a_read_only_folder_in_the_old_output_does_not_fail_the_next_build() {
    let work = Work::new();
    let first = work.built();
    let folder = work.public().join("toolkits");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).unwrap();
    }
    #[cfg(not(unix))]
    {
        let mut permissions = fs::metadata(&folder).unwrap().permissions();
        permissions.set_readonly(true);
        fs::set_permissions(&folder, permissions).unwrap();
    }
    let out = work.run(None);
    succeeded(&out);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
    assert_eq!(first, common::tree(&work.public()));
    assert_eq!(leftovers(&work.site()), Vec::<String>::new());
    work.built();
}

// Finding 3: the swap is crash-safe; each crash state is recovered.

#[test]
fn a_missing_output_with_a_marked_previous_tree_is_put_back_before_anything_else() {
    // A crash between the two renames of the fallback swap: no public/, the old tree aside.
    let work = Work::new();
    let first = work.built();
    let previous = work.site().join(".public.casebook-previous");
    fs::rename(work.public(), &previous).unwrap();
    // Even a build that then fails must not lose the only copy.
    let failed = common::build_failing_at(&work.site(), &work.public(), "index.html");
    assert!(failed.contains("injected failure"), "{failed}");
    assert_eq!(
        first,
        common::tree(&work.public()),
        "the previous tree was not put back"
    );
    assert_eq!(leftovers(&work.site()), Vec::<String>::new());
    assert_eq!(first, work.built());
}

#[test]
fn a_leftover_staging_folder_is_reused_and_a_previous_tree_cleared() {
    // A crash while writing (staging half updated, with a file the new tree does not have)
    // and after the fallback swap (the old tree aside).
    let work = Work::new();
    let first = work.built();
    for role in ["staging", "previous"] {
        let leftover = work.site().join(format!(".public.casebook-{role}"));
        common::copy_tree(&work.public(), &leftover);
        fs::write(leftover.join("half-written.html"), "<p").unwrap();
    }
    assert_eq!(first, work.built());
    assert_eq!(leftovers(&work.site()), Vec::<String>::new());
}

#[test]
fn a_failed_build_changes_nothing_but_its_marked_staging_folder() {
    let work = Work::new();
    let first = work.built();
    let before = work.everything_but_staging();
    let failed = common::build_failing_at(&work.site(), &work.public(), "toolkits/x/index.html");
    assert!(failed.contains("injected failure"), "{failed}");
    assert_eq!(before, work.everything_but_staging(), "something changed");
    assert!(work.site().join(".public.casebook-staging").join(MARKER).is_file());
    assert_eq!(leftovers(&work.site()), Vec::<String>::new());
    // The half-updated staging folder is the next build's starting point.
    assert_eq!(first, work.built());
}

/// Writes `count` toolkits into the site, each mentioning `word` (so two words make two sites
/// whose outputs differ in every page).
fn generate(site: &Path, count: usize, word: &str) {
    let dir = site.join("content/toolkits/generated");
    fs::create_dir_all(&dir).unwrap();
    let body = "Partners agree the outcome that matters most and review it together. ".repeat(20);
    for i in 0..count {
        let text = format!(
            "---\ntitle: \"Toolkit {i} {word}\"\nsummary: \"Generated toolkit {i}, {word}.\"\nenablers: [shared-purpose]\n---\n## Step {i}\n\n{body}\n"
        );
        fs::write(dir.join(format!("t{i:04}.md")), text).unwrap();
    }
}

/// When a kill lands, relative to the build's progress.
#[derive(Debug, Clone, Copy)]
enum Moment {
    /// Milliseconds after the start: still reading and rendering.
    Rendering(u64),
    /// Milliseconds after the first new page appears in the staging folder: writing,
    /// removing what the new tree does not have, syncing, swapping.
    Writing(u64),
    /// Milliseconds after the new tree shows at the output: the swap made durable.
    Swapped(u64),
}

/// Kills (SIGKILL) builds at many instants: while rendering, while updating the staging folder
/// (the generation before, reused), around the swap and after it. After every kill the output
/// is exactly the old tree or the new one, and the next build succeeds, equals a fresh build
/// and leaves no work folder behind but its marked staging folder.
/// A debug build of this 20-resource site takes a fraction of a second; writing and syncing its
/// fifty-odd files still lasts milliseconds, so kills polled every 0.1 ms land in it (60
/// resources made the test take three times as long and proved nothing more).
#[test]
fn killing_a_build_at_any_instant_leaves_the_old_or_the_new_tree() {
    const RESOURCES: usize = 20;
    let work = Work::new();
    generate(&work.site(), RESOURCES, "word0");
    let mut old = work.built();
    let staging = work.site().join(".public.casebook-staging");
    let probe = work.public().join("toolkits/generated/t0000/index.html");
    let moments = [
        Moment::Rendering(20),
        Moment::Writing(0),
        Moment::Writing(5),
        Moment::Writing(25),
        Moment::Swapped(0),
        Moment::Swapped(2),
    ];
    let mut landed = Vec::new();
    for (i, moment) in moments.into_iter().enumerate() {
        let word = format!("word{}", i + 1);
        generate(&work.site(), RESOURCES, &word);
        let mut child = Command::new(env!("CARGO_BIN_EXE_casebook"))
            .args(["build", "--quiet", "--root"])
            .arg(work.site())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (reached, delay): (Box<dyn Fn() -> bool>, u64) = match moment {
            Moment::Rendering(ms) => (Box::new(|| true), ms),
            Moment::Writing(ms) => (
                Box::new(|| {
                    (0..RESOURCES).any(|n| {
                        let page = staging.join(format!("toolkits/generated/t{n:04}/index.html"));
                        fs::read_to_string(page).is_ok_and(|page| page.contains(word.as_str()))
                    })
                }),
                ms,
            ),
            Moment::Swapped(ms) => (
                Box::new(|| fs::read_to_string(&probe).is_ok_and(|page| page.contains(word.as_str()))),
                ms,
            ),
        };
        // The bound only turns a hang into a failure; it is not a timing assertion.
        let start = Instant::now();
        while !reached() && child.try_wait().unwrap().is_none() && start.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_micros(100));
        }
        std::thread::sleep(Duration::from_millis(delay));
        if child.try_wait().unwrap().is_none() {
            landed.push(moment);
        }
        let _ = child.kill();
        child.wait().unwrap();
        let now = common::tree(&work.public());
        let new = work.built();
        assert_ne!(old, new, "the two sites should build differently");
        assert!(
            now == old || now == new,
            "killed at {moment:?}: the output is neither tree ({} files; old {}, new {})",
            now.len(),
            old.len(),
            new.len()
        );
        assert_eq!(leftovers(&work.site()), Vec::<String>::new());
        let fresh = work.path(&format!("fresh{i}"));
        succeeded(&work.run(Some(&fresh)));
        assert_eq!(
            new,
            common::tree(&fresh),
            "after a kill at {moment:?}: not a fresh build's tree"
        );
        old = new;
    }
    let mid_write = landed.iter().filter(|m| matches!(m, Moment::Writing(_))).count();
    assert!(
        mid_write >= 1,
        "no kill landed while the build was writing (landed: {landed:?})"
    );
}
