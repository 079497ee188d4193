//! The `casebook` command: parse flags, run, print diagnostics, exit with 0, 1 or 2.

use clap::Parser;
use std::process::ExitCode;

mod cli;

/// mimalloc rather than the system allocator: with glibc's, allocation cost grew with the
/// heap, which made large builds superlinear (BENCHMARKS.md, "Scale, round 2").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cli::run(cli::Cli::parse())
}
