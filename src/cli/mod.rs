//! Command-line flags and the glue from each subcommand to the library.

mod build;
mod check;
mod import;
mod init;
mod new;
mod search;
mod serve;
mod theme;

use casebook::{Diagnostics, Failure};
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Casebook builds leadership resource libraries: markdown with YAML frontmatter in, a themed
/// static site with enabler tagging and search out.
#[derive(Debug, Parser)]
#[command(name = "casebook", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into public/ (replaced atomically; a failed build leaves it untouched)
    Build(build::Args),
    /// Validate everything a build would, without writing anything
    Check(check::Args),
    /// Serve the site with live reload, rebuilding what changed on every save
    Serve(serve::Args),
    /// Write a new resource file with every field its type requires
    New(new::Args),
    /// Create a new site (built-in theme, a short example library, optionally a CI workflow)
    Init(init::Args),
    /// Override the built-in theme one template at a time
    Theme(theme::Args),
    /// Search the prebuilt index of a built site
    Search(search::Args),
    /// Write a new site from a Hugo or Jekyll tree (which is only read), with a report
    Import(import::Args),
}

/// Runs the command and maps its outcome to the exit status: 0 ok, 1 content errors,
/// 2 usage or I/O errors.
pub fn run(cli: Cli) -> ExitCode {
    let outcome = match cli.command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::Serve(args) => serve::run(args),
        Command::New(args) => new::run(args),
        Command::Init(args) => init::run(&args),
        Command::Theme(args) => theme::run(args),
        Command::Search(args) => search::run(&args),
        Command::Import(args) => import::run(&args),
    };
    match outcome {
        Ok(code) => code,
        Err(Failure::Content(diagnostics)) => {
            print_diagnostics(&diagnostics);
            eprintln!("{}", diagnostics.summary());
            ExitCode::from(1)
        }
        Err(Failure::Usage(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// The site root: `--root`, else the current folder.
fn site_root(root: Option<PathBuf>) -> PathBuf {
    root.unwrap_or_else(|| PathBuf::from("."))
}

/// Writes `files` under `root`, refusing to overwrite any file that exists.
fn write_new_files(root: &std::path::Path, files: &[casebook::scaffold::NewFile]) -> Result<(), Failure> {
    if let Some(existing) = files.iter().map(|f| root.join(&f.path)).find(|p| p.exists()) {
        return Err(Failure::Usage(anyhow::anyhow!(
            "{} already exists; nothing was written",
            existing.display()
        )));
    }
    for file in files {
        let path = root.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| anyhow::anyhow!("creating {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, &file.contents).map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
    }
    Ok(())
}

/// Writes `text` to standard output. A reader that stops early (`casebook search … | head`)
/// is not an error: what it did not read is dropped, as other command-line tools do, where
/// `println!` would panic.
fn print_out(text: &str) -> Result<(), Failure> {
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::Usage(anyhow::anyhow!("writing to standard output: {e}")))
        }
        _ => Ok(()),
    }
}

/// Prints diagnostics on stderr in the compact `file:line:column: severity: message` form.
fn print_diagnostics(diagnostics: &Diagnostics) {
    for d in diagnostics.sorted() {
        eprintln!("{d}");
    }
}

/// Whether progress may be drawn: stderr is a terminal.
fn interactive() -> bool {
    std::io::stderr().is_terminal()
}

/// Whether stdout is a terminal (for highlighting).
fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}
