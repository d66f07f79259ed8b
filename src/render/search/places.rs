//! Where each document of a kind is in the index: its **place**, a
//! number that its references in the word files and its file of
//! documents follow from.
//!
//! A kind listed by title numbers its documents in that order (a new
//! agency moves the places of the agencies after it: the small named
//! layer). A kind by date gives each document a place from its own day:
//! `day × slots + n`, the day counted from a fixed origin, `slots` the
//! most documents of the kind on one day (rounded up to a power of two),
//! `n` its rank among that day's documents. So a new, deleted or
//! back-dated brief moves no document of another day: the word files and
//! files of documents of the rest of the index keep their bytes, and a
//! reader still holding the previous `index.json` finds what it says
//! where it says.
//!
//! What else the layout decides follows from the documents alone, so an
//! index brought up to date is the index made from nothing: how many
//! places a file of documents covers (about [`DOCS_PER_PACK`] documents
//! at the kind's density, its documents per day that has any), and where
//! its recent layer begins (the start of the last period of days holding
//! about `recent_block` documents). Each changes only when the kind's
//! density crosses a power of two, or the newest day crosses into a new
//! period; then the kind's files are made again.

use serde::{Deserialize, Serialize};

use super::DOCS_PER_PACK;

/// How one kind's documents are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    /// A kind by date: how many places a day has, as a power of two.
    pub day_bits: Option<u32>,
    /// How many places a file of documents covers, as a power of two.
    pub pack_bits: u32,
    /// A kind by date: the first place of its recent layer.
    pub recent_from: Option<u64>,
}

impl Layout {
    /// The places of `count` documents listed by title: their ranks.
    pub fn by_title(count: usize) -> (Layout, Vec<u64>) {
        let layout = Layout {
            day_bits: None,
            pack_bits: DOCS_PER_PACK.trailing_zeros(),
            recent_from: None,
        };
        (layout, (0..count as u64).collect())
    }

    /// The places of documents whose days are `days` (0 for a document
    /// without a date), in that order, with a recent layer of about
    /// `recent_block` documents. A day's documents take its places in
    /// the order given.
    pub fn by_date(days: &[u64], recent_block: usize) -> (Layout, Vec<u64>) {
        // A day's documents are not always next to each other in the
        // kind's order (a month sorts with its days): each day counts its
        // own.
        let mut seen: rustc_hash::FxHashMap<u64, usize> = Default::default();
        let ranks: Vec<usize> = days
            .iter()
            .map(|day| {
                let n = seen.entry(*day).or_default();
                *n += 1;
                *n - 1
            })
            .collect();
        let most = seen.values().copied().max().unwrap_or(1);
        let day_bits = (most as u64).next_power_of_two().trailing_zeros();
        let places: Vec<u64> = days
            .iter()
            .zip(&ranks)
            .map(|(day, rank)| (day << day_bits) | *rank as u64)
            .collect();
        // The kind's density: documents per day that has any (a desk
        // that paused for a year packs its documents as before).
        let dated = days.iter().filter(|d| **d > 0).count() as u64;
        let busy_days = seen.keys().filter(|d| **d > 0).count() as u64;
        let newest = days.iter().copied().max().unwrap_or(0);
        let (pack_bits, recent_from) = match dated {
            0 => (DOCS_PER_PACK.trailing_zeros(), Some(0)),
            _ => {
                // Places per file: about DOCS_PER_PACK documents' worth;
                // days per period: about `recent_block` documents' worth.
                let pack_bits =
                    nearest_power(DOCS_PER_PACK as u64 * (busy_days << day_bits), dated);
                let period = 1 << nearest_power(recent_block.max(1) as u64 * busy_days, dated);
                (pack_bits, Some((newest / period * period) << day_bits))
            }
        };
        let layout = Layout {
            day_bits: Some(day_bits),
            pack_bits,
            recent_from,
        };
        (layout, places)
    }

    /// The file of documents holding `place`.
    pub fn pack(&self, place: u64) -> u64 {
        place >> self.pack_bits
    }
}

/// The power of two nearest to `n / d` (in a geometric sense: from
/// 2^(b - ½) to 2^(b + ½)), as its exponent `b`. A density of exactly a
/// power of two, as of a desk writing one brief a day, is then in the
/// middle of its band: one brief more or less does not change the layout.
fn nearest_power(n: u64, d: u64) -> u32 {
    let (n2, d2) = (u128::from(n).pow(2), u128::from(d.max(1)).pow(2));
    // The smallest b with n² ≤ 2^(2b + 1) d² (a shift past the top of
    // d² is more than any n², which is below 2^128); at most 63, so that
    // a place can be shifted by it.
    (0..63)
        .find(|b| {
            let shift = 2 * b + 1;
            d2.leading_zeros() < shift || d2 << shift >= n2
        })
        .unwrap_or(63)
}

/// The day of a date, counted from 1 on the first day of year 1 (the
/// earliest a page's date can be), so that 0 is left for no date.
pub fn day_number(date: jiff::civil::Date) -> u64 {
    // Days from 0000-03-01 in the proleptic Gregorian calendar (Howard
    // Hinnant's `days_from_civil`), shifted by the days from 0001-01-01.
    fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
        let year = if month <= 2 { year - 1 } else { year };
        let era = year.div_euclid(400);
        let of_era = year - era * 400;
        let of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
        let of_cycle = of_era * 365 + of_era / 4 - of_era / 100 + of_year;
        era * 146_097 + of_cycle
    }
    let origin = days_from_civil(1, 1, 1);
    let days = days_from_civil(
        i64::from(date.year()),
        i64::from(date.month()),
        i64::from(date.day()),
    );
    // A page's date is in the years 1 to 9999 (`PageDate::from_toml`);
    // an earlier one would share the first day, not wrap around.
    (days - origin + 1).max(1) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn days_count_from_the_earliest_date() {
        assert_eq!(day_number(date(1, 1, 1)), 1);
        assert_eq!(day_number(date(1, 1, 2)), 2);
        assert_eq!(
            day_number(date(2025, 3, 1)) - day_number(date(2025, 2, 28)),
            1
        );
        assert_eq!(
            day_number(date(2024, 3, 1)) - day_number(date(2024, 2, 28)),
            2
        );
        assert_eq!(
            day_number(date(2026, 1, 1)) - day_number(date(2025, 1, 1)),
            365
        );
        assert!(day_number(date(9999, 12, 31)) > day_number(date(2026, 12, 7)));
    }

    #[test]
    fn a_day_keeps_its_places_whatever_other_days_hold() {
        let (layout, places) = Layout::by_date(&[0, 10, 10, 11, 13, 13, 13], 4);
        assert_eq!(layout.day_bits, Some(2));
        assert_eq!(places, [0, 40, 41, 44, 52, 53, 54]);
        // Day 11 gone, a second undated document: the other days' places
        // stay.
        let (after, places) = Layout::by_date(&[0, 0, 10, 10, 13, 13, 13], 4);
        assert_eq!(after.day_bits, Some(2));
        assert_eq!(places, [0, 1, 40, 41, 52, 53, 54]);
        // A fifth document on one day doubles the places of every day.
        let (layout, _) = Layout::by_date(&[5, 5, 5, 5, 5], 4);
        assert_eq!(layout.day_bits, Some(3));
    }

    #[test]
    fn a_file_of_documents_holds_about_eight() {
        // One document a day: 8 days to a file.
        let days: Vec<u64> = (1000..2000).collect();
        let (layout, places) = Layout::by_date(&days, 128);
        assert_eq!(layout.pack_bits, 3);
        assert_eq!(layout.pack(places[0]), layout.pack(places[7]));
        // Four a day: two days to a file.
        let days: Vec<u64> = (1000..2000).flat_map(|d| [d; 4]).collect();
        let (layout, _) = Layout::by_date(&days, 128);
        assert_eq!((layout.day_bits, layout.pack_bits), (Some(2), 3));
        // Years without a brief do not make the files bigger.
        let days: Vec<u64> = (1000..2000).chain([9000]).collect();
        assert_eq!(Layout::by_date(&days, 128).0.pack_bits, 3);
        // Exactly two a day, one deleted: the same files.
        let days: Vec<u64> = (1000..1040).flat_map(|d| [d; 2]).collect();
        assert_eq!(
            Layout::by_date(&days, 128).0,
            Layout::by_date(&days[1..], 128).0
        );
    }

    #[test]
    fn powers_are_the_nearest() {
        assert_eq!(nearest_power(8, 1), 3);
        assert_eq!(nearest_power(11, 1), 3);
        assert_eq!(nearest_power(12, 1), 4);
        assert_eq!(nearest_power(5, 1), 2);
        assert_eq!(nearest_power(6, 1), 3);
        assert_eq!(nearest_power(1, 3), 0);
        assert_eq!(nearest_power(0, 3), 0);
        assert_eq!(nearest_power(u64::MAX, 1), 63);
        assert_eq!(Layout::by_title(5).1, [0, 1, 2, 3, 4]);
    }

    #[test]
    fn the_recent_layer_begins_at_a_period_of_days() {
        // One a day, 16 to a block: periods of 16 days.
        let days: Vec<u64> = (100..200).collect();
        let (layout, _) = Layout::by_date(&days, 16);
        assert_eq!(layout.recent_from, Some(192));
        // An old document gone: the same period.
        let (after, _) = Layout::by_date(&days[1..], 16);
        assert_eq!(after.recent_from, Some(192));
        // Only undated documents: all recent.
        assert_eq!(Layout::by_date(&[0, 0], 16).0.recent_from, Some(0));
    }
}
