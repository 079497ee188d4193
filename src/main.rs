//! The `casebook` command: parse flags, run, print diagnostics, exit with 0, 1 or 2.

use clap::Parser;
use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    cli::run(cli::Cli::parse())
}
