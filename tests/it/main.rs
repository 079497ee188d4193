//! The integration tests, as one binary: each module is one area, run alone with
//! `cargo test --test it -- <module>::` (e.g. `build::`). One binary links casebook, tantivy
//! and syntect once instead of once per file.

mod common;

mod build;
mod check;
mod enablers;
mod house_deps;
mod house_small;
mod house_yaml;
mod i18n_site;
mod i18n_theme;
mod import;
mod import_site;
mod incremental;
mod listings;
mod reader;
mod reader_markdown;
mod reader_pages;
mod render_cards;
mod render_snapshots;
mod scaffold;
mod scale_files;
mod scale_related;
mod scale_serve;
#[cfg(unix)]
mod scale_speed;
#[cfg(unix)]
mod scale_stream;
mod search;
mod search_rank;
mod search_values;
mod search_welsh;
mod serve;
mod serve_incremental;
mod serving;
mod theme_options;
mod trust_blowups;
mod trust_fields;
mod trust_inputs;
mod trust_output;
mod trust_sanitize;
mod trust_serve;
