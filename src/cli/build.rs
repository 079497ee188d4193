//! `casebook build`: flags -> options -> [`casebook::build`] with a progress display, then a
//! closing summary.

use super::{interactive, print_diagnostics, site_root};
use casebook::output::Stored;
use casebook::{BuildOptions, Failure, Progress, Stage};
use indicatif::{ProgressBar, ProgressState, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site folder (the one with casebook.yaml)
    #[arg(long)]
    root: Option<PathBuf>,
    /// Where to write the site [default: ROOT/public]
    #[arg(long)]
    output: Option<PathBuf>,
    /// Include resources marked `draft: true`
    #[arg(long)]
    drafts: bool,
    /// Override base_url from casebook.yaml
    #[arg(long)]
    base_url: Option<String>,
    /// Print nothing but errors and warnings
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: Args) -> Result<ExitCode, Failure> {
    let root = site_root(args.root);
    let out_dir = args.output.unwrap_or_else(|| root.join("public"));
    let options = BuildOptions {
        drafts: args.drafts,
        base_url: args.base_url,
    };
    let display = Display::new(args.quiet);
    let result = casebook::build(&root, &out_dir, &options, &|event| display.show(event));
    display.finish();
    let report = result?;
    print_diagnostics(&report.diagnostics);
    if !args.quiet {
        eprintln!(
            "Built {} resources into {} pages ({} files: {} written, {} carried over unchanged) in {} in {:.2}s: {}",
            report.resources,
            report.pages,
            report.files,
            report.written,
            report.carried,
            out_dir.display(),
            report.elapsed.as_secs_f64(),
            report.diagnostics.summary()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// How progress is shown: a bar with real counts on a terminal, one plain line per step
/// otherwise (CI logs), nothing with `--quiet`.
enum Display {
    Bar {
        bar: ProgressBar,
        carried: Arc<AtomicUsize>,
    },
    Lines,
    Quiet,
}

impl Display {
    fn new(quiet: bool) -> Display {
        if quiet {
            Display::Quiet
        } else if interactive() {
            let bar = ProgressBar::new_spinner();
            bar.set_style(style("{spinner} {msg} ({elapsed})"));
            bar.enable_steady_tick(Duration::from_millis(100));
            Display::Bar {
                bar,
                carried: Arc::default(),
            }
        } else {
            Display::Lines
        }
    }

    /// Called from the render threads.
    fn show(&self, event: Progress) {
        match (self, event) {
            (Display::Bar { bar, carried }, Progress::Stage(stage)) => {
                if let Stage::Writing { files } = stage {
                    let carried = Arc::clone(carried);
                    let carried = move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = write!(w, "{}", carried.load(Ordering::Relaxed));
                    };
                    // The counts first, the step's name last and cut to the width left.
                    let template = "{spinner} [{bar:20}] {pos}/{len} files ({carried} carried over) {wide_msg}";
                    bar.set_style(style(template).with_key("carried", carried).progress_chars("=> "));
                    bar.set_length(files as u64);
                }
                bar.set_message(message(stage));
            }
            (Display::Bar { bar, carried }, Progress::File(stored)) => {
                if stored == Stored::Carried {
                    carried.fetch_add(1, Ordering::Relaxed);
                }
                // The search index's files come after the planned total.
                if bar.length().is_some_and(|len| bar.position() >= len) {
                    bar.inc_length(1);
                }
                bar.inc(1);
            }
            (Display::Lines, Progress::Stage(stage)) => eprintln!("{}...", stage.describe()),
            (Display::Lines | Display::Quiet, _) => {}
        }
    }

    fn finish(&self) {
        if let Display::Bar { bar, .. } = self {
            bar.finish_and_clear();
        }
    }
}

/// A step's name on the bar, whose counts follow it.
fn message(stage: Stage) -> String {
    match stage {
        Stage::Writing { .. } => "rendering and writing".into(),
        other => other.describe(),
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}
