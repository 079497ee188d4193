//! Writes a synthetic Casebook library for benchmarks:
//! `cargo run --release --example gen_library -- OUT_DIR N`.
//!
//! Deterministic (a fixed-seed xorshift generator): N resources spread over the seven built-in
//! types, Zipf-distributed English words (title 4–10 words, summary 20–45, body ~750 in
//! paragraphs under headings), 1–3 of six enablers, an audience, a setting and a region each.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

const WORDS: &str = "the of and to in a is that for it as with was on be by care this are at from have an \
they which or one had not but what all were when we there can been has more if will their would who so \
people than its into only other new some could time these two may then do first any my now such like our \
over man me even most made after also did many before must through back years where much your way well \
down should because each just those how too little state good very make world still own see men work long \
get here between both life being under never day same another know while last might us great old year off \
come since against go came right used take three leadership system pharmacy practice primary network \
integrated partner patient medicine review trust shared purpose community population health outcome data \
evidence team clinical director neighbourhood hospital discharge carer citizen voice learning culture \
collaborate collaborating collaboration board governance budget funding pathway frailty prescribing \
deprescribing antimicrobial stewardship polypharmacy inequality prevention workforce training mentoring \
coaching reflective peer coalition council authority housing voluntary sector charity volunteer survey \
interview analysis dashboard audit quality improvement safety incident learning pilot evaluation scale \
spread sustain adopt adapt café naïve résumé coördinate";

const TYPES: &[(&str, &str)] = &[
    ("case-studies", "case-study"),
    ("research", "research"),
    ("toolkits", "toolkit"),
    ("reports", "report"),
    ("publications", "publication"),
    ("blog", "blog"),
    ("guides", "guide"),
];
const ENABLERS: &[&str] = &[
    "shared-purpose",
    "relationships-and-trust",
    "shared-data",
    "distributed-leadership",
    "citizen-voice",
    "learning-culture",
];
const AUDIENCES: &[&str] = &[
    "pharmacists",
    "gp-practices",
    "pcn-clinical-directors",
    "system-leaders",
];
const SETTINGS: &[&str] = &["community-pharmacy", "general-practice", "hospital", "care-homes"];
const REGIONS: &[&str] = &["london", "south-east", "midlands", "north-west"];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// A Zipf-like pick: low ranks far more often than high ones.
    fn zipf<'a>(&mut self, words: &[&'a str]) -> &'a str {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        let rank = ((words.len() as f64).powf(u) - 1.0) as usize;
        words[rank.min(words.len() - 1)]
    }
    fn sentence(&mut self, words: &[&str], n: usize) -> String {
        (0..n).map(|_| self.zipf(words)).collect::<Vec<_>>().join(" ")
    }
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (out, n) = match args.as_slice() {
        [_, out, n] => (
            Path::new(out).to_path_buf(),
            n.parse::<usize>().expect("N must be a number"),
        ),
        _ => {
            eprintln!("usage: gen_library OUT_DIR N");
            std::process::exit(2);
        }
    };
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let _ = fs::remove_dir_all(out.join("content"));
    fs::create_dir_all(&out)?;
    fs::write(out.join("casebook.yaml"), config())?;
    for i in 0..n {
        let (section, _) = TYPES[i % TYPES.len()];
        let dir = out.join("content").join(section);
        fs::create_dir_all(&dir)?;
        fs::write(dir.join(format!("resource-{i:05}.md")), resource(&mut rng, &words, i))?;
    }
    eprintln!("wrote {n} resources to {}", out.display());
    Ok(())
}

fn config() -> String {
    let terms = |list: &[&str]| {
        list.iter()
            .map(|t| format!("      - {{ slug: {t}, name: \"{}\" }}\n", t.replace('-', " ")))
            .collect::<String>()
    };
    format!(
        "title: \"Synthetic library\"\nbase_url: \"https://bench.example.org/\"\nlanguage: en-GB\ntaxonomies:\n  enablers:\n    name: Enablers\n    terms:\n{}  audiences:\n    name: Audiences\n    terms:\n{}  settings:\n    name: Care settings\n    terms:\n{}  regions:\n    name: Regions\n    terms:\n{}",
        terms(ENABLERS), terms(AUDIENCES), terms(SETTINGS), terms(REGIONS)
    )
}

fn resource(rng: &mut Rng, words: &[&str], i: usize) -> String {
    let title_len = 4 + rng.below(7);
    let summary_len = 20 + rng.below(26);
    let enablers: Vec<&str> = (0..1 + rng.below(3))
        .map(|_| ENABLERS[rng.below(ENABLERS.len())])
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut text = String::new();
    let _ = writeln!(text, "---");
    let _ = writeln!(text, "title: \"{} {i}\"", rng.sentence(words, title_len));
    let _ = writeln!(text, "summary: \"{}\"", rng.sentence(words, summary_len));
    let _ = writeln!(
        text,
        "date: {}-{:02}-{:02}",
        2015 + rng.below(10),
        1 + rng.below(12),
        1 + rng.below(28)
    );
    let _ = writeln!(text, "enablers: [{}]", enablers.join(", "));
    let _ = writeln!(text, "audiences: [{}]", AUDIENCES[rng.below(AUDIENCES.len())]);
    let _ = writeln!(text, "settings: [{}]", SETTINGS[rng.below(SETTINGS.len())]);
    let _ = writeln!(text, "regions: [{}]", REGIONS[rng.below(REGIONS.len())]);
    let _ = writeln!(text, "organisation: \"{} network\"", rng.sentence(words, 2));
    let _ = writeln!(text, "---");
    for section in 0..5 {
        let _ = writeln!(text, "\n## {}\n", rng.sentence(words, 3 + section % 3));
        for _ in 0..3 {
            let _ = writeln!(text, "{}.\n", rng.sentence(words, 50));
        }
    }
    text
}
