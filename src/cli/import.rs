//! `casebook import hugo|jekyll SRC DEST`: a new site from an existing Hugo or Jekyll tree
//! (read only), with `import-report.md` in DEST saying what came over and what needs a person.

use casebook::import::{self, Flavour, Options};
use casebook::Failure;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The generator that wrote the tree
    #[arg(value_enum)]
    flavour: FlavourArg,
    /// The tree to import (never written to)
    src: PathBuf,
    /// Where to write the new site (new or empty, unless --force)
    dest: PathBuf,
    /// Write into a DEST that already has files (files at the paths import writes are replaced)
    #[arg(long)]
    force: bool,
    /// How to print the report: a summary (`human`) or the whole report as JSON
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FlavourArg {
    Hugo,
    Jekyll,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

pub fn run(args: &Args) -> Result<ExitCode, Failure> {
    let flavour = match args.flavour {
        FlavourArg::Hugo => Flavour::Hugo,
        FlavourArg::Jekyll => Flavour::Jekyll,
    };
    let report =
        import::import(flavour, &args.src, &args.dest, Options { force: args.force }).map_err(Failure::Usage)?;
    match args.format {
        Format::Json => super::print_out(&format!("{}\n", report.to_json()))?,
        Format::Human => {
            let counts: Vec<String> = report.counts.iter().map(|(what, n)| format!("{n} {what}")).collect();
            println!("Imported into {}: {}.", args.dest.display(), counts.join(", "));
            println!(
                "{} repairs made; {} places need a person: see {}",
                report.repairs.values().sum::<usize>(),
                report.attention.len(),
                args.dest.join(import::REPORT_FILE).display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
