//! `casebook new TYPE "Title"`: a resource file with every field its type requires.

use super::{site_root, write_new_files};
use casebook::{scaffold, BuildOptions, Failure};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The resource type, e.g. case-study, toolkit, research
    kind: String,
    /// The title; the file name is made from it
    title: String,
    /// The site folder (the one with casebook.yaml)
    #[arg(long)]
    root: Option<PathBuf>,
    /// Write a translation into this language of the site (`cy`): `<slug>.cy.md`
    #[arg(long, value_name = "CODE")]
    lang: Option<String>,
    /// With --lang: the original it translates (`content/case-studies/x.md`), beside which it
    /// is written as `x.cy.md`
    #[arg(long, value_name = "PATH", requires = "lang")]
    of: Option<String>,
}

pub fn run(args: Args) -> Result<ExitCode, Failure> {
    let root = site_root(args.root);
    let config = casebook::load_config(&root, &BuildOptions::default())?;
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let file = match &args.lang {
        Some(lang) => scaffold::new_translation(&config, &args.kind, &args.title, lang, args.of.as_deref()),
        None => scaffold::new_resource(&config, &args.kind, &args.title, &today),
    }
    .map_err(|e| Failure::Usage(anyhow::anyhow!(e)))?;
    write_new_files(&root, std::slice::from_ref(&file))?;
    println!("{}", root.join(&file.path).display());
    Ok(ExitCode::SUCCESS)
}
