//! CLDR plural categories for whole numbers: which form of a counted string a number takes.
//! English has two (`one`, `other`); Welsh has all six — `zero`, `one`, `two`, `few` (3),
//! `many` (6), `other` — because the noun after a numeral mutates after 2, 3 and 6 ("dau
//! fwlch", "tri chanlyniad", "chwe chanlyniad"). Rules are written here for the languages the
//! theme ships; any other language counts as English does. Browsers have the same CLDR data
//! (`Intl.PluralRules`), which `js/search.js` uses for its own counted strings.
//!
//! Source: the CLDR plural rules chart (`cy`: zero n = 0, one n = 1, two n = 2, few n = 3,
//! many n = 6; `en`: one i = 1 and v = 0). Only counts are pluralised, so `v` (visible
//! fraction digits) is always 0.

/// A CLDR plural category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    /// Welsh 0.
    Zero,
    /// 1.
    One,
    /// Welsh 2.
    Two,
    /// Welsh 3.
    Few,
    /// Welsh 6.
    Many,
    /// Every other number; the form every counted string must have.
    Other,
}

impl Category {
    /// Every category, by its CLDR name.
    pub const ALL: [Category; 6] = [
        Category::Zero,
        Category::One,
        Category::Two,
        Category::Few,
        Category::Many,
        Category::Other,
    ];

    /// The CLDR name (`zero`, `one`, ... `other`), the key of a form in a language file.
    pub fn name(self) -> &'static str {
        match self {
            Category::Zero => "zero",
            Category::One => "one",
            Category::Two => "two",
            Category::Few => "few",
            Category::Many => "many",
            Category::Other => "other",
        }
    }

    /// The category named `name`, if it is one.
    pub fn named(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// The category of the whole number `n` in `language` (a BCP 47 tag; its primary subtag
/// picks the rule: `cy-GB` counts as `cy`).
pub fn category(language: &str, n: u64) -> Category {
    match super::primary_subtag(language).as_str() {
        "cy" => match n {
            0 => Category::Zero,
            1 => Category::One,
            2 => Category::Two,
            3 => Category::Few,
            6 => Category::Many,
            _ => Category::Other,
        },
        _ if n == 1 => Category::One,
        _ => Category::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_has_one_and_other() {
        let of = |n| category("en-GB", n);
        assert_eq!(
            [of(0), of(1), of(2), of(3), of(21)],
            [
                Category::Other,
                Category::One,
                Category::Other,
                Category::Other,
                Category::Other
            ]
        );
    }

    #[test]
    fn welsh_has_six_categories_as_cldr_says() {
        let cy: Vec<&str> = (0..=11).map(|n| category("cy", n).name()).collect();
        assert_eq!(
            cy,
            ["zero", "one", "two", "few", "other", "other", "many", "other", "other", "other", "other", "other"]
        );
        // Only the numbers themselves: 13, 16, 100 are `other` (CLDR's rules use n, not n % 10).
        assert_eq!(category("CY-gb", 16), Category::Other);
        assert_eq!(category("cy", 103), Category::Other);
    }

    #[test]
    fn a_language_without_rules_counts_as_english() {
        assert_eq!(category("fr", 1), Category::One);
        assert_eq!(category("fr", 0), Category::Other);
        assert_eq!(Category::named("few"), Some(Category::Few));
        assert_eq!(Category::named("several"), None);
    }
}
