//! `casebook init DIR [--ci github]`: a new site using the built-in theme, a short example
//! library, and optionally a CI workflow.

use super::write_new_files;
use casebook::{scaffold, Failure};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to create the site (created if missing; must not already be a site)
    dir: PathBuf,
    /// The site title
    #[arg(long, default_value = "Leadership Resource Library")]
    title: String,
    /// Also write a CI workflow: `github` (GitHub Actions: check pull requests, publish main
    /// with GitHub Pages)
    #[arg(long, value_enum)]
    ci: Option<Ci>,
}

/// The CI services `init --ci` writes a workflow for.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Ci {
    /// GitHub Actions and GitHub Pages
    Github,
}

pub fn run(args: &Args) -> Result<ExitCode, Failure> {
    if args.dir.join(casebook::config::CONFIG_FILE).exists() {
        return Err(Failure::Usage(anyhow::anyhow!(
            "{} is already a casebook site",
            args.dir.display()
        )));
    }
    let github = matches!(args.ci, Some(Ci::Github));
    write_new_files(&args.dir, &scaffold::new_site(&args.title, github))?;
    println!(
        "Created a new library in {}. Next: casebook serve --root {}",
        args.dir.display(),
        args.dir.display()
    );
    if github {
        println!(
            "Wrote {}: set CASEBOOK_GIT in it to the Casebook repository you install from, and turn on Pages (Settings -> Pages -> Source: GitHub Actions).",
            scaffold::GITHUB_WORKFLOW
        );
    }
    Ok(ExitCode::SUCCESS)
}
