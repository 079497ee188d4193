//! sRGB colours and WCAG 2.2 contrast: parsing `#rrggbb`, contrast ratios, and the nearest
//! darker or lighter shade of a colour that reaches a given ratio.

use std::fmt;

/// The contrast WCAG 2.2 AA asks of body text (success criterion 1.4.3).
pub const AA_TEXT: f64 = 4.5;

/// White, the text colour on the header bar and the page background in light mode.
pub const WHITE: Rgb = Rgb { r: 255, g: 255, b: 255 };

/// An 8-bit sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb {
    /// Red, 0–255.
    pub r: u8,
    /// Green, 0–255.
    pub g: u8,
    /// Blue, 0–255.
    pub b: u8,
}

impl Rgb {
    /// Parses `#rrggbb` or `#rgb` (case-insensitive); `None` for anything else.
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |s: &str| u8::from_str_radix(s, 16).ok();
        match hex.len() {
            6 => Some(Rgb {
                r: channel(&hex[0..2])?,
                g: channel(&hex[2..4])?,
                b: channel(&hex[4..6])?,
            }),
            3 => {
                let double = |i: usize| channel(&hex[i..i + 1].repeat(2));
                Some(Rgb {
                    r: double(0)?,
                    g: double(1)?,
                    b: double(2)?,
                })
            }
            _ => None,
        }
    }

    /// Relative luminance as WCAG defines it (0 for black, 1 for white).
    pub fn luminance(self) -> f64 {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b)
    }

    /// The WCAG contrast ratio between `self` and `other`, from 1 to 21.
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (light, dark) = if a > b { (a, b) } else { (b, a) };
        (light + 0.05) / (dark + 0.05)
    }

    /// `self` mixed with `other`; `amount` 0 keeps `self`, 1 gives `other`.
    pub fn mix(self, other: Rgb, amount: f64) -> Rgb {
        let channel = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * amount).round() as u8;
        Rgb {
            r: channel(self.r, other.r),
            g: channel(self.g, other.g),
            b: channel(self.b, other.b),
        }
    }

    /// The least-changed mix of `self` towards `towards` with at least `ratio` contrast
    /// against every colour of `backgrounds`; `towards` itself when no mix is enough.
    pub fn shade_for(self, towards: Rgb, backgrounds: &[Rgb], ratio: f64) -> Rgb {
        (0..=100)
            .map(|step| self.mix(towards, f64::from(step) / 100.0))
            .find(|c| backgrounds.iter().all(|bg| c.contrast(*bg) >= ratio))
            .unwrap_or(towards)
    }
}

impl fmt::Display for Rgb {
    /// Lower-case `#rrggbb`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

/// Black, the end point when darkening.
pub const BLACK: Rgb = Rgb { r: 0, g: 0, b: 0 };

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_long_and_short_hex_and_rejects_the_rest() {
        assert_eq!(Rgb::parse("#005EB8"), Some(Rgb { r: 0, g: 0x5e, b: 0xb8 }));
        assert_eq!(Rgb::parse("#fff"), Some(WHITE));
        for bad in ["005eb8", "#05eb8", "#gggggg", "blue", "#ﬀﬀ"] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn contrast_matches_the_wcag_reference_values() {
        assert!((WHITE.contrast(BLACK) - 21.0).abs() < 1e-9);
        // #767676 is the well-known lightest grey that passes AA on white (4.54:1).
        let grey = Rgb::parse("#767676").unwrap();
        assert!((grey.contrast(WHITE) - 4.54).abs() < 0.01);
        assert!(Rgb::parse("#777777").unwrap().contrast(WHITE) < AA_TEXT);
    }

    #[test]
    fn a_darker_shade_reaches_the_ratio_and_keeps_its_hue() {
        let sky = Rgb::parse("#7fb2e5").unwrap();
        let dark = sky.shade_for(BLACK, &[WHITE], AA_TEXT);
        assert!(dark.contrast(WHITE) >= AA_TEXT);
        assert!(dark.b > dark.r, "still blue: {dark}");
        assert_eq!(sky.mix(BLACK, 0.0), sky);
    }
}
