//! `casebook search`: flags -> [`casebook::search::Query`] -> the prebuilt index -> print.

use super::site_root;
use casebook::controls::visible;
use casebook::search::facets::FacetValues;
use casebook::search::query::MAX_LIMIT;
use casebook::search::{locate, Query, Results, SearchIndex};
use casebook::Failure;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to look for: words in double quotes must occur side by side; the last word also
    /// finds longer words it begins, unless a space follows it
    query: String,
    /// The site folder; its index is ROOT/public/search/tantivy
    #[arg(long, conflicts_with = "index")]
    root: Option<PathBuf>,
    /// A built site (or its search/tantivy folder) to search instead
    #[arg(long)]
    index: Option<PathBuf>,
    /// Only resources of this type (repeat for any of several)
    #[arg(long = "type", value_name = "T")]
    types: Vec<String>,
    /// Only resources with this term of the headline taxonomy, `enablers` unless casebook.yaml
    /// names another (repeat for any of several)
    #[arg(long = "enabler", value_name = "E")]
    enablers: Vec<String>,
    /// Only resources with this term of another taxonomy, as TAXONOMY=SLUG (repeatable)
    #[arg(long = "facet", value_name = "TAXONOMY=SLUG")]
    facets: Vec<String>,
    /// How many hits to show (at most 1000)
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(..=MAX_LIMIT as u64))]
    limit: u64,
    /// Print one JSON object instead of text
    #[arg(long)]
    json: bool,
    /// Search the words as typed: no correction of misspellings
    #[arg(long)]
    exact: bool,
    /// Search the index of another language of the site (`cy`: ROOT/public/cy/search/tantivy)
    #[arg(long, value_name = "CODE")]
    lang: Option<String>,
}

/// The folder of language `code` in the built site `dir`, which must have one.
fn language_folder(dir: &std::path::Path, code: &str) -> Result<PathBuf, Failure> {
    let folder = dir.join(code);
    if !casebook::config::is_primary_tag(code) || !folder.join("search").is_dir() {
        return Err(Failure::Usage(anyhow::anyhow!(
            "{} has no search index for language `{code}` (expected {}): is `{code}` under `languages:` in casebook.yaml, and the site built?",
            dir.display(),
            folder.join("search").display()
        )));
    }
    Ok(folder)
}

/// A language's index knows its urls from its own folder (`/case-studies/x/`); shown from the
/// site's root they are `/cy/case-studies/x/`.
fn under_language(results: &mut Results, code: &str) {
    for hit in &mut results.hits {
        hit.url = format!("/{code}{}", hit.url);
        for sub in &mut hit.sub {
            sub.url = format!("/{code}{}", sub.url);
        }
    }
}

pub fn run(args: &Args) -> Result<ExitCode, Failure> {
    let dir = match &args.index {
        Some(dir) => dir.clone(),
        None => site_root(args.root.clone()).join("public"),
    };
    let dir = match &args.lang {
        Some(code) => language_folder(&dir, code)?,
        None => dir,
    };
    let index = SearchIndex::open(&locate(&dir)?)?;
    let query = query(args, index.headline())?;
    // A misspelt filter value is an error with a suggestion, not an empty answer.
    FacetValues::of(&index)?.check(&query.filters, index.headline())?;
    let mut results = index.search(&query)?;
    if let Some(code) = &args.lang {
        under_language(&mut results, code);
    }
    let text = if args.json {
        serde_json::to_string(&results).map_err(anyhow::Error::from)? + "\n"
    } else {
        text(&results)
    };
    super::print_out(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// The query the flags ask for; `--enabler` filters on `headline`, the index's headline taxonomy.
fn query(args: &Args, headline: Option<&str>) -> Result<Query, Failure> {
    let mut filters: Vec<(String, String)> = args.types.iter().map(|t| ("type".into(), t.clone())).collect();
    if !args.enablers.is_empty() {
        let key = headline.ok_or_else(|| {
            anyhow::anyhow!("--enabler: this site has no headline taxonomy; use --facet TAXONOMY=SLUG")
        })?;
        filters.extend(args.enablers.iter().map(|e| (key.to_string(), e.clone())));
    }
    for f in &args.facets {
        let (key, value) = f
            .split_once('=')
            .ok_or_else(|| anyhow::anyhow!("--facet `{f}`: expected TAXONOMY=SLUG"))?;
        filters.push((key.into(), value.into()));
    }
    Ok(Query {
        text: args.query.clone(),
        filters,
        // Bounded by the parser above.
        limit: args.limit as usize,
        exact: args.exact,
    })
}

/// The hits as text. Everything from the index goes through [`visible`]: an index built by an
/// older casebook, or by hand, may hold control characters a terminal would obey.
fn text(results: &Results) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if let Some(corrected) = &results.corrected {
        let _ = writeln!(
            out,
            "Showing results for \"{}\" (search instead for \"{}\" with --exact)",
            visible(&corrected.to),
            visible(&corrected.from)
        );
    }
    let _ = writeln!(out, "{} result(s) for \"{}\"", results.total, visible(&results.query));
    for (n, hit) in results.hits.iter().enumerate() {
        let (title, kind, url) = (visible(&hit.title), visible(&hit.kind), visible(&hit.url));
        let _ = writeln!(out, "\n{}. {title} [{kind}]  {url}", n + 1);
        let _ = writeln!(out, "   {}", terminal_snippet(&visible(&hit.excerpt)));
        for sub in &hit.sub {
            let _ = writeln!(out, "   › {}  {}", visible(&sub.title), visible(&sub.url));
        }
    }
    out
}

/// The snippet for a terminal: `<mark>` as bold, entities decoded.
fn terminal_snippet(html: &str) -> String {
    let (on, off) = if super::stdout_is_terminal() {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("*", "*")
    };
    html.replace("<mark>", on)
        .replace("</mark>", off)
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
