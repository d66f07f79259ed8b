//! The words the pictures are drawn with, in the render's language (from
//! the theme's string tables): month names, and what the tables beside
//! the pictures and their descriptions say.

use super::Month;
use crate::render::reader::Reader;
use crate::render::strings::fill;

/// Month names and the pictures' fixed words, looked up once a picture.
pub struct Words {
    months: Vec<String>,
    short: Vec<String>,
    /// How a month of a year is written: `{month} {year}`.
    month_year: String,
    /// The heading of a table's first column.
    pub month: String,
    /// A timeline's parts: past, upcoming, tentative.
    pub parts: [String; 3],
    /// What a bar chart's description says of its figures.
    in_all: String,
}

impl Words {
    /// The words of the render's language (which records them as read).
    pub fn of(r: &Reader) -> Words {
        Words::with(
            |key| r.word(key, &[]),
            r.month_names(false),
            r.month_names(true),
        )
    }

    /// The default theme's English words.
    #[cfg(test)]
    pub fn english() -> Words {
        let strings = crate::render::strings::Strings::default();
        Words::with(
            |key| strings.word("en", "en", key).to_string(),
            strings.months("en", "en", false).to_vec(),
            strings.months("en", "en", true).to_vec(),
        )
    }

    fn with(word: impl Fn(&str) -> String, months: Vec<String>, short: Vec<String>) -> Words {
        Words {
            months,
            short,
            month_year: word("month_year"),
            month: word("chart_month"),
            parts: ["chart_past", "chart_upcoming", "chart_tentative"].map(&word),
            in_all: word("chart_in_all"),
        }
    }

    /// "March 2025".
    pub fn long(&self, m: Month) -> String {
        self.of_year(&self.months, m)
    }

    /// A month's label under a bar chart: "Mar", with its year ("Jan
    /// 2025") where `with_year`.
    pub fn label(&self, m: Month, with_year: bool) -> String {
        match with_year {
            true => self.of_year(&self.short, m),
            false => name(&self.short, m).to_string(),
        }
    }

    /// A bar chart's description: how many in all from `first` to
    /// `last`, and at most `max` in a month.
    pub fn in_all(&self, count: u32, first: Month, last: Month, max: u32) -> String {
        let (count, max) = (count.to_string(), max.to_string());
        let (from, to) = (self.long(first), self.long(last));
        fill(
            &self.in_all,
            &[
                ("count", &count),
                ("from", &from),
                ("to", &to),
                ("max", &max),
            ],
        )
    }

    fn of_year(&self, names: &[String], m: Month) -> String {
        let year = m.year().to_string();
        fill(
            &self.month_year,
            &[("month", name(names, m)), ("year", &year)],
        )
    }
}

/// The name of `m` among `names` (January first).
fn name(names: &[String], m: Month) -> &str {
    names.get(m.month0()).map_or("", String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_months_and_labels() {
        let words = Words::english();
        assert_eq!(words.long(Month::new(2025, 11).plus(2)), "January 2026");
        assert_eq!(words.label(Month::new(2025, 3), false), "Mar");
        assert_eq!(words.label(Month::new(2025, 1), true), "Jan 2025");
        assert_eq!(
            words.in_all(3, Month::new(2025, 1), Month::new(2025, 2), 2),
            "3 in all from January 2025 to February 2025; at most 2 in a month."
        );
        assert_eq!(words.parts[2], "Tentative");
    }
}
