//! `casebook check`: everything a build validates, nothing written.

use super::site_root;
use casebook::config::CONFIG_FILE;
use casebook::diagnostics::{github, human, json};
use casebook::diagnostics::{Code, Location};
use casebook::{BuildOptions, Diagnostic, Diagnostics, Failure};
use std::io::Write as _;
use std::path::{Path, PathBuf};
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
    /// Colour the human report: auto (a terminal, unless NO_COLOR is set or CLICOLOR_FORCE
    /// asks for it), always or never
    #[arg(long, value_enum, default_value_t = Colour::Auto)]
    color: Colour,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Colour {
    Auto,
    Always,
    Never,
}

impl Colour {
    fn choice(self) -> anstream::ColorChoice {
        match self {
            Colour::Auto => anstream::ColorChoice::Auto,
            Colour::Always => anstream::ColorChoice::AlwaysAnsi,
            Colour::Never => anstream::ColorChoice::Never,
        }
    }
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
    Github,
}

/// For information, not a failure: how many resources each other language lacks, and which.
/// A config that does not load is already reported: then there is nothing to add.
fn print_untranslated(root: &Path, options: &BuildOptions) {
    let Ok(report) = casebook::untranslated(root, options) else {
        return;
    };
    for (code, missing) in report {
        if missing.is_empty() {
            continue;
        }
        let count = missing.len();
        let noun = if count == 1 { "resource has" } else { "resources have" };
        eprintln!("info: {count} {noun} no `{code}` translation: {}", missing.join(", "));
    }
}

pub fn run(args: Args) -> Result<ExitCode, Failure> {
    let root = site_root(args.root);
    let options = BuildOptions {
        drafts: args.drafts,
        base_url: None,
    };
    let diagnostics = match casebook::check(&root, &options) {
        Ok(problems) => problems,
        // An invalid casebook.yaml is a content problem: report it in the chosen format.
        Err(Failure::Content(problems)) => problems,
        // A tool reading json or github output needs the reason there too (still exit 2).
        Err(Failure::Usage(e)) if !matches!(args.format, Format::Human) => {
            let mut problems = Diagnostics::default();
            problems.push(Diagnostic::error(
                CONFIG_FILE,
                Location::new(1, 1),
                Code::NotASite,
                format!("{e:#}"),
            ));
            print(&problems, &root, args.format, args.color);
            return Ok(ExitCode::from(2));
        }
        Err(usage) => return Err(usage),
    };
    print(&diagnostics, &root, args.format, args.color);
    if matches!(args.format, Format::Human) {
        print_untranslated(&root, &options);
    }
    Ok(if diagnostics.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print(diagnostics: &Diagnostics, root: &Path, format: Format, colour: Colour) {
    let sorted = diagnostics.sorted();
    match format {
        Format::Human => {
            // anstream keeps the report's styles or strips them, as `--color` and the
            // environment (NO_COLOR, CLICOLOR_FORCE, a terminal) decide.
            let mut stderr = anstream::AutoStream::new(std::io::stderr(), colour.choice());
            let _ = write!(stderr, "{}", human::render(&sorted, root));
        }
        // The diagnostics decide the exit status; a reader that stopped early is no error.
        Format::Json => drop(super::print_out(&format!("{}\n", json::render(&sorted)))),
        Format::Github => drop(super::print_out(&github::render(&sorted))),
    }
}
