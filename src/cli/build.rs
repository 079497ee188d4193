//! `casebook build`: flags -> options -> [`casebook::build`], then a closing summary.

use super::{interactive, print_diagnostics, site_root};
use casebook::{BuildOptions, Failure, Stage};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;
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
    let spinner = (!args.quiet && interactive()).then(new_spinner);
    let progress = |stage: Stage| match &spinner {
        Some(bar) => bar.set_message(stage.describe()),
        None if !args.quiet => eprintln!("{}...", stage.describe()),
        None => {}
    };
    let result = casebook::build(&root, &out_dir, &options, &progress);
    if let Some(bar) = &spinner {
        bar.finish_and_clear();
    }
    let report = result?;
    print_diagnostics(&report.diagnostics);
    if !args.quiet {
        eprintln!(
            "Built {} resources into {} pages ({} files) in {} in {:.2}s: {}",
            report.resources,
            report.pages,
            report.files,
            out_dir.display(),
            report.elapsed.as_secs_f64(),
            report.diagnostics.summary()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn new_spinner() -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}
