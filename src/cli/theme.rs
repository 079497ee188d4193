//! `casebook theme eject TEMPLATE`: copies one template of the built-in theme into the site's
//! `templates/` to edit; the others keep coming from the theme (and keep up with upgrades).

use super::{site_root, write_new_files};
use casebook::{scaffold, BuildOptions, Failure};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Copy one template of the built-in theme into templates/ to adapt it
    Eject {
        /// The template, e.g. resource.html, base.html, index.html
        template: String,
        /// The site folder (the one with casebook.yaml)
        #[arg(long)]
        root: Option<PathBuf>,
    },
}

pub fn run(args: Args) -> Result<ExitCode, Failure> {
    let Command::Eject { template, root } = args.command;
    let root = site_root(root);
    casebook::load_config(&root, &BuildOptions::default())?;
    let file = scaffold::eject_template(&template).map_err(|e| Failure::Usage(anyhow::anyhow!(e)))?;
    write_new_files(&root, std::slice::from_ref(&file))?;
    println!("{}", root.join(&file.path).display());
    Ok(ExitCode::SUCCESS)
}
