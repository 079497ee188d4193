//! Welsh initial mutations, for the Welsh analyser (`language: cy`). A Welsh word changes its
//! first sound after certain words — `cymuned` (community) is `gymuned` in `y gymuned`,
//! `nghymuned` in `fy nghymuned`, `chymuned` in `a chymuned`, and `iechyd` (health) is
//! `hiechyd` in `ei hiechyd` — so a reader who types one form should find the others.
//!
//! The index keeps every word as written; a query word stands for its *forms* instead
//! ([`forms`]): the radicals it may be a mutation of (itself included), and every mutation of
//! those radicals. The search then keeps the forms the library uses and scores each page by
//! the best of them, as it does a word's completions. Folding mutations into the index instead
//! would have to merge whole classes of initials for good — soft `f` comes from both `b` and
//! `m`, so `b`, `f` and `m` would become one letter (`mam` = `bam` = `fam`, and `pam` with them
//! through `b`), and soft `g` disappears, so every word starting with a vowel, `l` or `r` would
//! join a `g` word (`wlad` = `gwlad`, but also `wyn` = `gwyn`, `air` = `gair`). At query time a
//! word reaches only its own radicals and their mutations, one step each way: `pam` (why)
//! finds `bam`, `mham`, `pham`, never `mam`.
//!
//! The rules work on folded, lower-case words (`ŵ` is already `w`) and see a digraph (`ch`,
//! `dd`, `ll`, `ng`, `ngh`, `rh`, …) as one letter: `dd` is `d` mutated, not `d` + `d`.
//! README.md ("Welsh") has the table, and `js/search-engine.js` the same rules.

/// Each radical initial with its soft, nasal and aspirate mutations (an empty mutation: the
/// initial is dropped, as soft `g` is). A radical not listed (`ch`, `ff`, `ph`, `th`, `n`, `s`,
/// …) does not mutate, but for a vowel's `h` (see [`VOWELS`]).
const MUTATIONS: [(&str, &[&str]); 9] = [
    ("p", &["b", "mh", "ph"]),
    ("t", &["d", "nh", "th"]),
    ("c", &["g", "ngh", "ch"]),
    ("b", &["f", "m"]),
    ("d", &["dd", "n"]),
    ("g", &["", "ng"]),
    ("m", &["f"]),
    ("ll", &["l"]),
    ("rh", &["r"]),
];

/// The letters written with two or three characters, longest first (`ngh` before `ng`).
const DIGRAPHS: [&str; 11] = ["ngh", "ch", "dd", "ff", "ll", "mh", "ng", "nh", "ph", "rh", "th"];

/// The Welsh vowels (`w` and `y` included). A word starting with one takes an `h` where a
/// consonant would take the aspirate mutation (`ei hiechyd`, her health; `eu hamser`).
const VOWELS: [&str; 7] = ["a", "e", "i", "o", "u", "w", "y"];

/// Whether a dropped `g` can leave `initial` in front: a vowel, `l` or `r` (`gwlad` → `wlad`,
/// `glan` → `lan`, `gradd` → `radd`).
fn after_g(initial: &str) -> bool {
    VOWELS.contains(&initial) || initial == "l" || initial == "r"
}

/// Words shorter than this (in characters) are neither given forms nor taken as one: the one-
/// and two-letter words are mostly particles (`a`, `i`, `o`, `y`, `yn`, `na`, `ni`), which the
/// rules would tie to each other and to short mutated words (`o` ↔ `go`, `dda` ↔ `na`).
pub const MIN_LENGTH: usize = 3;

/// The forms a query word stands for: the word itself first, then each radical it may be a
/// mutation of, each followed by that radical's mutations, without repeats or forms shorter
/// than [`MIN_LENGTH`].
/// `gymuned` → `gymuned`, `ymuned`, `ngymuned` (as a radical), `cymuned`, `nghymuned`,
/// `chymuned` (as soft `cymuned`).
pub fn forms(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    if word.chars().count() < MIN_LENGTH {
        return out;
    }
    let mut radicals = vec![word.to_string()];
    radicals.extend(radicals_of(word));
    for radical in radicals {
        for form in std::iter::once(radical.clone()).chain(mutations_of(&radical)) {
            if form.chars().count() >= MIN_LENGTH && !out.contains(&form) {
                out.push(form);
            }
        }
    }
    out
}

/// A word's first letter, a digraph counted as one (`nghymuned` → `ngh`), and the rest.
fn initial(word: &str) -> (&str, &str) {
    let digraph = DIGRAPHS.iter().find(|d| word.starts_with(**d));
    let len = digraph.map_or_else(|| word.chars().next().map_or(0, char::len_utf8), |d| d.len());
    word.split_at(len)
}

/// The words `radical` becomes under each mutation (`cymuned` → `gymuned`, `nghymuned`,
/// `chymuned`; `iechyd` → `hiechyd`).
fn mutations_of(radical: &str) -> Vec<String> {
    let (first, rest) = initial(radical);
    if VOWELS.contains(&first) {
        return vec![format!("h{radical}")];
    }
    let Some((_, mutated)) = MUTATIONS.iter().find(|(r, _)| *r == first) else {
        return Vec::new();
    };
    mutated
        .iter()
        .filter(|m| !m.is_empty() || after_g(initial(rest).0))
        .map(|m| format!("{m}{rest}"))
        .collect()
}

/// The radicals `word` may be a mutation of (`gymuned` → `cymuned`; `wlad` → `gwlad`;
/// `fam` → `bam`, `mam`; `hamser` → `amser`).
fn radicals_of(word: &str) -> Vec<String> {
    let (first, rest) = initial(word);
    let mut out: Vec<String> = MUTATIONS
        .iter()
        .filter(|(_, mutated)| mutated.contains(&first))
        .map(|(radical, _)| format!("{radical}{rest}"))
        .collect();
    if after_g(first) {
        out.push(format!("g{word}"));
    }
    if first == "h" && VOWELS.contains(&initial(rest).0) {
        out.push(rest.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_soft_mutation_reaches_its_radical_and_the_radical_its_mutations() {
        assert!(forms("gymuned").contains(&"cymuned".to_string()));
        assert!(forms("cymuned").contains(&"gymuned".to_string()));
        assert_eq!(forms("cymuned"), ["cymuned", "gymuned", "nghymuned", "chymuned"]);
        assert!(forms("nghymuned").contains(&"cymuned".to_string()));
        assert!(forms("chymuned").contains(&"gymuned".to_string()));
    }

    #[test]
    fn digraphs_are_one_letter() {
        assert_eq!(forms("ddinas"), ["ddinas", "dinas", "ninas"]);
        assert_eq!(forms("llais"), ["llais", "lais"]);
        assert_eq!(forms("lais"), ["lais", "llais", "glais", "nglais"]);
        assert_eq!(forms("rhan"), ["rhan", "ran"]);
        assert_eq!(forms("theatr"), ["theatr", "teatr", "deatr", "nheatr"]);
        assert_eq!(forms("ffordd"), ["ffordd"]);
    }

    #[test]
    fn a_dropped_g_comes_back_before_vowels_l_and_r() {
        assert!(forms("wlad").contains(&"gwlad".to_string()));
        assert!(forms("gwlad").contains(&"wlad".to_string()));
        assert!(forms("gradd").contains(&"radd".to_string()));
        assert!(!forms("gnoc").contains(&"noc".to_string()));
    }

    #[test]
    fn a_vowel_takes_an_h() {
        assert_eq!(forms("iechyd"), ["iechyd", "hiechyd", "giechyd", "ngiechyd"]);
        assert!(forms("hamser").contains(&"amser".to_string()));
        assert!(!forms("hamser").contains(&"gamser".to_string()), "one step each way");
    }

    #[test]
    fn the_labials_stay_one_step_apart() {
        assert_eq!(forms("fam"), ["fam", "bam", "mam"]);
        assert!(!forms("pam").contains(&"mam".to_string()));
    }

    #[test]
    fn short_words_stand_for_themselves() {
        assert_eq!(forms("yn"), ["yn"]);
        assert_eq!(forms("i"), ["i"]);
        assert_eq!(forms("dda"), ["dda"], "da and na are too short to be forms");
    }
}
