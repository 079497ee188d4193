//! Casebook turns a folder of markdown resources with YAML frontmatter into a themed static
//! site with enabler tagging and a prebuilt search index.
//!
//! Dependencies point one way, down the pipeline: a module uses only its own layer and the
//! ones before it, never a later one (`tests/it/house_deps.rs` holds every file to this):
//!
//! | layer | modules |
//! |---|---|
//! | foundation | [`diagnostics`], [`controls`], [`yaml`], [`urls`], [`colour`], [`i18n`] |
//! | reading | [`config`] → [`content`] (with its [`content::site_map`]) |
//! | rendering | [`markdown`] → [`library`] → [`render`], [`search`] |
//! | writing | [`output`], [`plan`] |
//! | orchestration | [`site`], [`mod@build`], [`scaffold`], [`import`] |
//! | on top | [`incremental`], [`serve`], then the binary's `cli` |
//!
//! [`Sources::read`] reads a site; [`Site::load`] also validates it (the checks [`check`]
//! shares) and renders its markdown, collecting [`Diagnostic`]s rather than stopping at the
//! first; [`Site::render`] turns it into an in-memory [`Output`]; [`build()`] does all of it,
//! streaming each file into a staging folder as it is made, and swaps that into place
//! atomically.

// Foundation, used by every stage: diagnostics and their codes, YAML with locations,
// control characters, urls and slugs, colours, the theme's words in each language.
pub mod colour;
pub mod controls;
pub mod diagnostics;
pub mod i18n;
pub mod urls;
pub mod yaml;

// The pipeline stages (in the order of the table above).
pub mod config;
pub mod content;
pub mod library;
pub mod markdown;
pub mod output;
pub mod plan;
pub mod render;
pub mod search;

// Orchestration: a site from its files to its output; `build`; what `new` and `init` write;
// a site imported from a Hugo or Jekyll tree.
pub mod build;
pub mod import;
pub mod scaffold;
pub mod site;

// On top: rebuilding after a change, and the preview server.
pub mod incremental;
pub mod serve;

pub use build::{build, BuildReport, Progress, Stage};
pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use output::Output;
pub use site::{check, load_config, untranslated, BuildOptions, Failure, Site, Sources};
