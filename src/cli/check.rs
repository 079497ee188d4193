//! `casebook check`: everything a build validates, nothing written.

use super::site_root;
use casebook::{BuildOptions, Diagnostics, Failure, Site};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site folder (the one with casebook.yaml)
    #[arg(long)]
    root: Option<PathBuf>,
    /// Also check resources marked `draft: true`
    #[arg(long)]
    drafts: bool,
    /// How to print problems
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
    Github,
}

pub fn run(args: Args) -> Result<ExitCode, Failure> {
    let root = site_root(args.root);
    let options = BuildOptions {
        drafts: args.drafts,
        base_url: None,
    };
    let diagnostics = match Site::load(&root, &options) {
        Ok((site, mut problems)) => {
            if let Err(render_problems) = site.render() {
                problems.extend(render_problems);
            }
            problems
        }
        Err(Failure::Content(problems)) => problems,
        Err(usage) => return Err(usage),
    };
    print(&diagnostics, args.format);
    Ok(if diagnostics.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print(diagnostics: &Diagnostics, format: Format) {
    match format {
        Format::Human => {
            for d in diagnostics.sorted() {
                eprintln!("{d}");
            }
            eprintln!(
                "{} error(s), {} warning(s)",
                diagnostics.error_count(),
                diagnostics.warning_count()
            );
        }
        Format::Json => {
            let json = serde_json::json!({ "diagnostics": diagnostics.sorted() });
            println!("{json}");
        }
        Format::Github => {
            for d in diagnostics.sorted() {
                let level = if d.is_error() { "error" } else { "warning" };
                println!(
                    "::{level} file={},line={},col={}::{}",
                    d.file,
                    d.line.max(1),
                    d.column.max(1),
                    d.message
                );
            }
        }
    }
}
