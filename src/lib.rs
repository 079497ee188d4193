//! Casebook turns a folder of markdown resources with YAML frontmatter into a themed static
//! site with enabler tagging and a prebuilt search index.
//!
//! The modules below are listed in pipeline order, and dependencies point one way, down it:
//! a module imports only modules listed before it (the shared foundation first), never one
//! after. `tests/it/house_deps.rs` holds the code to that order. [`Site::load`] reads and
//! validates a site and renders its markdown (collecting [`Diagnostic`]s rather than stopping
//! at the first); [`Site::render`] turns it into an in-memory [`Output`]; [`build`] does both
//! and swaps the output into place atomically; [`check`] validates without rendering.

// Foundation, used by every stage: diagnostics and their codes, YAML with locations,
// control characters, urls and slugs, colours.
pub mod colour;
pub mod controls;
pub mod diagnostics;
pub mod urls;
pub mod yaml;

// The pipeline, stage by stage.
pub mod config;
pub mod content;
pub mod library;
pub mod markdown;
pub mod output;
pub mod plan;
pub mod render;
pub mod search;

// Orchestration: a site from its files to its output; `build`; what `new` and `init` write.
pub mod build;
pub mod scaffold;
pub mod site;

// On top: rebuilding after a change, and the preview server.
pub mod incremental;
pub mod serve;

pub use build::{build, BuildReport, Stage};
pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use output::Output;
pub use site::{check, load_config, BuildOptions, Failure, Site, Sources};
