//! Frontmatter dates: a date, an RFC 3339 date-time, or Hugo's `2023-10-18 09:39:00 -0500`.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::Serialize;

/// A resource date, kept with its time when one was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// The calendar day.
    pub day: NaiveDate,
    /// The moment, when the frontmatter gave a time.
    pub moment: Option<DateTime<FixedOffset>>,
}

impl Date {
    /// Parses the accepted forms; `None` when `text` is none of them or not a real date.
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Some(Date { day, moment: None });
        }
        let moment = DateTime::parse_from_rfc3339(text)
            .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S %z"))
            .ok()
            .or_else(|| naive_as_utc(text))?;
        Some(Date {
            day: moment.date_naive(),
            moment: Some(moment),
        })
    }

    /// RFC 3339 form for feeds and sitemaps (midnight UTC for a bare date).
    pub fn rfc3339(&self) -> String {
        match self.moment {
            Some(m) => m.to_rfc3339(),
            None => format!("{}T00:00:00Z", self.day.format("%Y-%m-%d")),
        }
    }

    /// The template view: ISO day, a readable day, RFC 3339.
    pub fn view(&self) -> DateView {
        DateView {
            iso: self.day.format("%Y-%m-%d").to_string(),
            display: self.day.format("%-d %B %Y").to_string(),
            year: self.day.format("%Y").to_string(),
            rfc3339: self.rfc3339(),
        }
    }
}

fn naive_as_utc(text: &str) -> Option<DateTime<FixedOffset>> {
    [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
    .map(|naive| naive.and_utc().fixed_offset())
}

/// How templates see a date.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// `2019-06-01`
    pub iso: String,
    /// `1 June 2019`
    pub display: String,
    /// `2019`
    pub year: String,
    /// `2019-06-01T00:00:00Z`
    pub rfc3339: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_dates_and_date_times() {
        assert_eq!(Date::parse("2019-06-01").unwrap().view().display, "1 June 2019");
        assert_eq!(
            Date::parse("2023-10-18T09:39:00+01:00").unwrap().day.to_string(),
            "2023-10-18"
        );
        assert_eq!(
            Date::parse("2023-10-18 09:39:00 -0500").unwrap().rfc3339(),
            "2023-10-18T09:39:00-05:00"
        );
        assert!(Date::parse("2023-10-18 09:39").is_some());
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(Date::parse("2023-02-31").is_none());
        assert!(Date::parse("last tuesday").is_none());
    }
}
