//! `casebook init DIR`: a new site with the default theme and a short example library.

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
}

pub fn run(args: &Args) -> Result<ExitCode, Failure> {
    if args.dir.join(casebook::config::CONFIG_FILE).exists() {
        return Err(Failure::Usage(anyhow::anyhow!(
            "{} is already a casebook site",
            args.dir.display()
        )));
    }
    write_new_files(&args.dir, &scaffold::new_site(&args.title))?;
    println!(
        "Created a new library in {}. Next: casebook build --root {}",
        args.dir.display(),
        args.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
