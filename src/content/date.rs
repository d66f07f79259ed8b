//! Page dates: a calendar day, a month (a date not yet fixed), or an
//! instant with its UTC offset.
//!
//! A datetime without an offset is refused: a meeting at "10:00" means
//! nothing to a calendar without knowing whose 10:00 it is.

use std::cmp::Ordering;
use std::fmt;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::Offset;
use jiff::{Timestamp, ToSpan};

/// A date as written in front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageDate {
    /// `2025-06-10`: the whole day.
    Day(Date),
    /// `"2025-12"`: some time in that month, not yet fixed; the date is
    /// the month's first day.
    Month(Date),
    /// `2025-06-10T10:00:00+09:00`: a moment, with the offset it was written in.
    Instant { local: DateTime, offset: Offset },
}

impl PageDate {
    /// From a TOML datetime value (`date = 2025-06-10`).
    pub fn from_toml(dt: &toml::value::Datetime) -> Result<PageDate, String> {
        use toml::value::Offset as TomlOffset;
        let Some(d) = dt.date else {
            return Err(format!(
                "`{dt}` is a time without a date; write a date such as 2025-06-10"
            ));
        };
        let date = Date::new(d.year as i16, d.month as i8, d.day as i8)
            .map_err(|e| format!("`{dt}` is not a valid date: {e}"))?;
        let out_of_range =
            || format!("`{dt}` is out of the supported range of dates (years 1 to 9999)");
        if !(1..=9999).contains(&date.year()) {
            return Err(out_of_range());
        }
        let Some(t) = dt.time else {
            // Days are used as midnight UTC and as the next day's start.
            let ok = date
                .tomorrow()
                .and_then(|next| next.to_zoned_datetime(jiff::tz::TimeZone::UTC))
                .is_ok();
            return if ok {
                Ok(PageDate::Day(date))
            } else {
                Err(format!("`{dt}` is out of the supported range of dates"))
            };
        };
        let time = Time::new(
            t.hour as i8,
            t.minute as i8,
            t.second.unwrap_or(0) as i8,
            t.nanosecond.unwrap_or(0) as i32,
        )
        .map_err(|e| format!("`{dt}` is not a valid time: {e}"))?;
        let offset = match dt.offset {
            None => {
                return Err(format!(
                    "`{dt}` has no UTC offset; add one (`{dt}+09:00`, or `Z` for UTC), or give only the date"
                ));
            }
            Some(TomlOffset::Z) => Offset::UTC,
            Some(TomlOffset::Custom { minutes }) => {
                Offset::from_seconds(i32::from(minutes) * 60).map_err(|e| e.to_string())?
            }
        };
        let local = DateTime::from_parts(date, time);
        // Instants must convert to a timestamp and back in their offset,
        // and stay within years 1 to 9999 in UTC too (calendars write UTC).
        let utc = offset
            .to_timestamp(local)
            .and_then(|ts| {
                ts.to_zoned_datetime(jiff::tz::TimeZone::fixed(offset))
                    .checked_add(1.day())?;
                Ok(ts.to_zoned_datetime(jiff::tz::TimeZone::UTC))
            })
            .map_err(|_| out_of_range())?;
        if !(1..=9999).contains(&utc.year()) {
            return Err(out_of_range());
        }
        Ok(PageDate::Instant { local, offset })
    }

    /// From a quoted string (`date = "2025-06-10"`), read like TOML; or a
    /// month, `"2025-12"`.
    pub fn parse(text: &str) -> Result<PageDate, String> {
        let text = text.trim();
        if let Some(month) = parse_month(text) {
            return month;
        }
        let dt: toml::value::Datetime = text.parse().map_err(|_| {
            format!(
                "`{text}` is not a date; write 2025-06-10, 2025-06-10T10:00:00+09:00, or \"2025-12\" for a month"
            )
        })?;
        PageDate::from_toml(&dt)
    }

    /// The moment it denotes; a day counts from midnight UTC, a month from
    /// its first day.
    pub fn timestamp(&self) -> Timestamp {
        match self {
            PageDate::Day(d) | PageDate::Month(d) => d
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .map(|z| z.timestamp())
                .unwrap_or(Timestamp::UNIX_EPOCH),
            PageDate::Instant { local, offset } => {
                offset.to_timestamp(*local).unwrap_or(Timestamp::UNIX_EPOCH)
            }
        }
    }

    /// The calendar day as written (in its own offset); a month's first.
    pub fn day(&self) -> Date {
        match self {
            PageDate::Day(d) | PageDate::Month(d) => *d,
            PageDate::Instant { local, .. } => local.date(),
        }
    }

    /// The last day it covers: a month's last day, else its day.
    pub fn last_day(&self) -> Date {
        match self {
            PageDate::Month(d) => d.last_of_month(),
            other => other.day(),
        }
    }

    /// Whether it has no time of day (a day or a month).
    pub fn is_day(&self) -> bool {
        matches!(self, PageDate::Day(_) | PageDate::Month(_))
    }

    pub fn is_month(&self) -> bool {
        matches!(self, PageDate::Month(_))
    }

    /// `time` (with a time of day), `day` or `month`: how exactly it is
    /// known.
    pub fn precision(&self) -> &'static str {
        match self {
            PageDate::Day(_) => "day",
            PageDate::Month(_) => "month",
            PageDate::Instant { .. } => "time",
        }
    }

    /// The time of day as written, `10:00`, if there is one.
    pub fn time_text(&self) -> Option<String> {
        match self {
            PageDate::Day(_) | PageDate::Month(_) => None,
            PageDate::Instant { local, .. } => Some(local.strftime("%H:%M").to_string()),
        }
    }

    /// The offset as written, `+09:00` (`Z` is shown as `+00:00`).
    pub fn offset_text(&self) -> Option<String> {
        match self {
            PageDate::Day(_) | PageDate::Month(_) => None,
            PageDate::Instant { offset, .. } => Some(format_offset(*offset)),
        }
    }

    /// RFC 3339 as written; a day is taken at midnight UTC
    /// (`2025-06-10T00:00:00Z`). For Atom feeds.
    pub fn to_rfc3339(self) -> String {
        match self {
            PageDate::Day(d) | PageDate::Month(d) => {
                format!("{}T00:00:00Z", d.strftime("%Y-%m-%d"))
            }
            instant => instant.to_string(),
        }
    }

    /// The day after the last it covers (for the exclusive end of an
    /// all-day event): the next day, or the first of the next month.
    pub fn next_day(&self) -> Date {
        let last = self.last_day();
        last.checked_add(1.day()).unwrap_or(last)
    }
}

/// A month, `2025-12`; `None` if `text` is not written as one.
fn parse_month(text: &str) -> Option<Result<PageDate, String>> {
    let (year, month) = text.split_once('-')?;
    if year.len() != 4
        || month.len() != 2
        || !(year.bytes().chain(month.bytes())).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let (year, month): (i16, i8) = (year.parse().ok()?, month.parse().ok()?);
    Some(match Date::new(year, month, 1) {
        Ok(d) if (1..=9998).contains(&year) => Ok(PageDate::Month(d)),
        Ok(_) => Err(format!(
            "`{text}` is out of the supported range of dates (years 1 to 9999)"
        )),
        Err(_) => Err(format!(
            "`{text}` is not a month; write the year and month, \"2025-12\""
        )),
    })
}

fn format_offset(offset: Offset) -> String {
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

impl fmt::Display for PageDate {
    /// `2025-06-10` or `2025-06-10T10:00:00+09:00` (seconds kept only when set).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageDate::Day(d) => write!(f, "{}", d.strftime("%Y-%m-%d")),
            PageDate::Month(d) => write!(f, "{}", d.strftime("%Y-%m")),
            PageDate::Instant { local, offset } => {
                write!(f, "{}", local.strftime("%Y-%m-%dT%H:%M:%S"))?;
                if local.subsec_nanosecond() != 0 {
                    write!(f, ".{:09}", local.subsec_nanosecond())?;
                }
                f.write_str(&format_offset(*offset))
            }
        }
    }
}

/// Kept as the text it displays as, which reads back to the same date.
impl serde::Serialize for PageDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for PageDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        PageDate::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl PartialOrd for PageDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PageDate {
    /// By moment; a month sorts before its first day, a day before the
    /// instants within it.
    fn cmp(&self, other: &Self) -> Ordering {
        let rank = |d: &PageDate| match d {
            PageDate::Month(_) => 0,
            PageDate::Day(_) => 1,
            PageDate::Instant { .. } => 2,
        };
        self.timestamp()
            .cmp(&other.timestamp())
            .then_with(|| rank(self).cmp(&rank(other)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_instants_round_trip() {
        let d = PageDate::parse("2025-06-10").unwrap();
        assert_eq!(d.to_string(), "2025-06-10");
        assert!(d.is_day());
        let i = PageDate::parse("2025-06-10T10:00:00+09:00").unwrap();
        assert_eq!(i.to_string(), "2025-06-10T10:00:00+09:00");
        assert_eq!(i.to_rfc3339(), "2025-06-10T10:00:00+09:00");
        assert_eq!(i.time_text().as_deref(), Some("10:00"));
        assert_eq!(i.offset_text().as_deref(), Some("+09:00"));
    }

    #[test]
    fn utc_and_negative_offsets() {
        let z = PageDate::parse("2025-06-10T10:00:00Z").unwrap();
        assert_eq!(z.to_string(), "2025-06-10T10:00:00+00:00");
        let n = PageDate::parse("2025-06-10T10:30:00-05:30").unwrap();
        assert_eq!(n.timestamp().to_string(), "2025-06-10T16:00:00Z");
    }

    #[test]
    fn invalid_dates_are_explained() {
        assert!(
            PageDate::parse("2025-13-45")
                .unwrap_err()
                .contains("not a date")
        );
        assert!(
            PageDate::parse("2025-02-30")
                .unwrap_err()
                .contains("`2025-02-30`")
        );
        assert!(
            PageDate::parse("2025-06-10T10:00:00")
                .unwrap_err()
                .contains("no UTC offset")
        );
        assert!(
            PageDate::parse("10:00:00")
                .unwrap_err()
                .contains("without a date")
        );
        assert!(PageDate::parse("next tuesday").is_err());
        assert!(
            PageDate::parse("9999-12-31T12:00:00Z")
                .unwrap_err()
                .contains("range")
        );
        assert!(PageDate::parse("9999-12-31").unwrap_err().contains("range"));
        // Before year 1 in UTC: a calendar could not write it.
        assert!(
            PageDate::parse("0000-01-01T00:00:00+23:59")
                .unwrap_err()
                .contains("range")
        );
        assert!(PageDate::parse("0001-01-01T00:00:00+01:00").is_err());
        assert!(PageDate::parse("0000-06-01").is_err());
    }

    #[test]
    fn months_are_dates_not_yet_fixed() {
        let m = PageDate::parse("2025-12").unwrap();
        assert!(m.is_month() && m.is_day());
        assert_eq!(m.to_string(), "2025-12");
        assert_eq!(m.day().to_string(), "2025-12-01");
        assert_eq!(m.last_day().to_string(), "2025-12-31");
        assert_eq!(m.next_day().to_string(), "2026-01-01");
        assert_eq!(m.precision(), "month");
        assert!(m < PageDate::parse("2025-12-01").unwrap());
        assert!(
            PageDate::parse("2025-13")
                .unwrap_err()
                .contains("not a month")
        );
        assert!(PageDate::parse("9999-12").unwrap_err().contains("range"));
        assert!(PageDate::parse("2025-1").is_err());
    }

    #[test]
    fn ordering_is_by_moment() {
        let a = PageDate::parse("2025-06-10T10:00:00+09:00").unwrap();
        let b = PageDate::parse("2025-06-10T03:00:00+00:00").unwrap();
        let day = PageDate::parse("2025-06-10").unwrap();
        assert!(a < b);
        assert!(day < a);
    }
}
