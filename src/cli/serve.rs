//! `casebook serve`: flags -> [`casebook::serve::Options`] -> [`casebook::serve::Server`],
//! then one line per rebuild (and its diagnostics) on stderr.

use super::{print_diagnostics, site_root};
use casebook::incremental::Rebuild;
use casebook::serve::{Options, Report, Server, StartError};
use casebook::{BuildOptions, Failure};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site folder (the one with casebook.yaml)
    #[arg(long)]
    root: Option<PathBuf>,
    /// The address to listen on
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// The port to listen on (0: any free port)
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Include resources marked `draft: true`
    #[arg(long)]
    drafts: bool,
}

pub fn run(args: Args) -> Result<ExitCode, Failure> {
    let root = site_root(args.root);
    casebook::load_config(&root, &BuildOptions::default())
        .map(|_| ())
        .or_else(|e| match e {
            Failure::Usage(e) => Err(Failure::Usage(e)),
            Failure::Content(_) => Ok(()), // shown in the page until fixed
        })?;
    let options = Options {
        root,
        bind: args.bind,
        port: args.port,
        build: BuildOptions {
            drafts: args.drafts,
            base_url: None,
        },
    };
    let (server, first) = Server::start(options).map_err(start_failure)?;
    print_rebuild(&first);
    let title = server.title().unwrap_or("the site").to_string();
    eprintln!("Serving {title} at http://{}/ (Ctrl+C to stop)", server.addr());
    // What the first part of the last rebuild reported: its rest says it again only if it
    // found otherwise (after a file was added or removed, the first part's are the last
    // build's, and the whole site's come with the rest).
    let mut reported = Vec::new();
    server.watch(|report: Report<'_>| {
        if report.rest {
            // The edited pages showed first; these are the listings and feeds they reach.
            eprintln!("  and the pages it reaches in {} ms", report.elapsed.as_millis());
            if report.rebuild.output.is_some() && report.rebuild.diagnostics.sorted() == reported {
                return;
            }
        } else {
            reported = report.rebuild.diagnostics.sorted();
            eprintln!(
                "rebuilt in {} ms ({} files changed)",
                report.elapsed.as_millis(),
                report.changed
            );
        }
        print_rebuild(report.rebuild);
    });
    Ok(ExitCode::SUCCESS)
}

fn print_rebuild(rebuild: &Rebuild) {
    print_diagnostics(&rebuild.diagnostics);
    if rebuild.output.is_none() {
        eprintln!("{}: still serving the last good build", rebuild.diagnostics.summary());
    }
}

fn start_failure(error: StartError) -> Failure {
    match error {
        StartError::AddressInUse(addr) => Failure::Usage(anyhow::anyhow!(
            "cannot listen on {addr}: the port is in use (another `casebook serve`?); pick another with --port, e.g. --port {}",
            addr.port().wrapping_add(1)
        )),
        StartError::Other(e) => Failure::Usage(e),
    }
}
