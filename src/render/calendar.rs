//! iCalendar (RFC 5545): `meetings/calendar.ics` with every meeting, a
//! calendar per page of kinds with `calendar = true` (agencies), and one
//! `event.ics` per meeting for "Add to calendar".

use super::reader::Reader;
use crate::config::Config;
use crate::content::date::PageDate;
use crate::content::page::Status;
use crate::content::pages::PageId;

pub const CALENDAR_FILE: &str = "calendar.ics";
pub const EVENT_FILE: &str = "event.ics";

/// The name of the kind whose pages are calendar events (role `events`).
pub fn event_kind(config: &Config) -> Option<&str> {
    config.events().map(|k| k.name.as_str())
}

/// `meetings/calendar.ics`: the calendar in the events kind's folder.
pub fn calendar_path(config: &Config) -> String {
    format!("{}/{CALENDAR_FILE}", event_kind(config).unwrap_or("events"))
}

/// The events kind's plural label, lowercased ("meetings").
fn events_label(config: &Config) -> String {
    config
        .events()
        .map_or_else(|| "events".to_string(), |k| k.title.to_lowercase())
}

/// `agencies/jica/calendar.ics`.
pub fn page_calendar_path(page_path: &str) -> String {
    format!("{page_path}{CALENDAR_FILE}")
}

/// `meetings/<slug>/event.ics`.
pub fn event_path(page_path: &str) -> String {
    format!("{page_path}{EVENT_FILE}")
}

/// Whether pages of `kind` have a calendar of their own.
pub fn has_calendar(config: &Config, kind: &str) -> bool {
    config.events().is_some() && config.kind(kind).is_some_and(|k| k.calendar)
}

/// Every meeting.
pub fn site_calendar(r: &Reader) -> String {
    let config = r.config();
    let name = format!("{}: {}", config.title, events_label(config));
    let events = event_kind(config).map_or_else(Default::default, |k| r.every_page(k));
    let items = super::items::every_item(r);
    calendar(r, &name, &events, &items)
}

/// The meetings that mention a page.
pub fn page_calendar(r: &Reader, id: PageId) -> String {
    let config = r.config();
    let kind = event_kind(config);
    let meetings: Vec<PageId> = r
        .mentions(id)
        .into_iter()
        .filter(|&m| Some(r.page(m).kind()) == kind)
        .collect();
    let with = r.word(
        "calendar_with",
        &[
            ("kind", &events_label(config)),
            ("name", r.name_in_language(id)),
        ],
    );
    let name = format!("{}: {with}", config.title);
    let items = super::items::naming(r, id);
    calendar(r, &name, &meetings, &items)
}

/// One meeting, for "Add to calendar".
pub fn single_event(r: &Reader, id: PageId) -> String {
    calendar(r, r.title_in_language(id), &[id], &[])
}

fn calendar(r: &Reader, name: &str, events: &[PageId], items: &[PageId]) -> String {
    let mut out = Ics::default();
    out.line("BEGIN:VCALENDAR");
    out.line("VERSION:2.0");
    out.line(&format!(
        "PRODID:-//attache//attache {}//EN",
        env!("CARGO_PKG_VERSION")
    ));
    out.line("CALSCALE:GREGORIAN");
    out.line("METHOD:PUBLISH");
    out.property("X-WR-CALNAME", name);
    // Oldest first reads naturally in a calendar file; the list is newest first.
    for &id in events.iter().rev() {
        event(r, id, &mut out);
    }
    // Asks and offers with a due date, as to-dos (RFC 5545 VTODO).
    for state in super::items::states(r, items) {
        if let Some(due) = state.due {
            todo(r, &state, due, &mut out);
        }
    }
    out.line("END:VCALENDAR");
    out.text
}

/// How long a meeting written with a time but no end lasts in calendars.
const DEFAULT_LENGTH: jiff::SignedDuration = jiff::SignedDuration::from_hours(1);

/// When a meeting starts and ends, as calendars write it.
enum Span {
    /// All day (or all month): the first day and the day after the last.
    Days(jiff::civil::Date, jiff::civil::Date),
    /// From one moment to another.
    Moments(jiff::Timestamp, jiff::Timestamp),
}

/// The span of a meeting from `start` to `end`: a meeting without an end
/// lasts the day (or month) it is on, or [`DEFAULT_LENGTH`] from its time.
fn span(start: PageDate, end: Option<PageDate>) -> Span {
    match start {
        PageDate::Day(day) | PageDate::Month(day) => {
            Span::Days(day, end.unwrap_or(start).next_day())
        }
        PageDate::Instant { .. } => {
            let from = start.timestamp();
            let to = match end {
                // An end given as a day means "until the end of that day".
                Some(end @ (PageDate::Day(_) | PageDate::Month(_))) => {
                    PageDate::Day(end.next_day()).timestamp()
                }
                Some(end) => end.timestamp(),
                None => from.checked_add(DEFAULT_LENGTH).unwrap_or(from),
            };
            Span::Moments(from, to.max(from))
        }
    }
}

fn event(r: &Reader, id: PageId, out: &mut Ics) {
    let page = r.page(id);
    let f = page.fields();
    let Some(start) = f.date.as_ref().map(|d| *d.get_ref()) else {
        return;
    };
    let end = f.end.as_ref().map(|d| *d.get_ref());
    let base = r.base_url();
    // In another language, the translation's words and page.
    let translation = r.translation(id);
    let words = translation.map_or(f, |t| &t.fields);
    let path = page.url_path();
    let permalink = base.permalink(&match translation {
        Some(t) => format!("{}/{path}", t.lang),
        None => path,
    });

    out.line("BEGIN:VEVENT");
    // Stable across builds: the page's kind and slug, and the site's host.
    out.property(
        "UID",
        &format!("{}-{}@{}", page.kind(), page.slug(), base.host()),
    );
    // When this calendar was made: the build's day, so that a build of the
    // same site on the same day (or with SOURCE_DATE_EPOCH) gives the
    // same file.
    out.line(&format!("DTSTAMP:{}T000000Z", r.today().strftime("%Y%m%d")));
    if let Some(updated) = &f.updated {
        out.line(&format!("LAST-MODIFIED:{}", utc_basic(updated.get_ref())));
    }
    match span(start, end) {
        Span::Days(first, after) => {
            out.line(&format!("DTSTART;VALUE=DATE:{}", first.strftime("%Y%m%d")));
            out.line(&format!("DTEND;VALUE=DATE:{}", after.strftime("%Y%m%d")));
        }
        Span::Moments(from, to) => {
            out.line(&format!("DTSTART:{}", from.strftime("%Y%m%dT%H%M%SZ")));
            out.line(&format!("DTEND:{}", to.strftime("%Y%m%dT%H%M%SZ")));
        }
    }
    // RFC 5545 knows no "postponed": its new date is not fixed yet.
    let status = match Status::of(f.status, Some(&start)) {
        Status::Confirmed => "CONFIRMED",
        Status::Tentative | Status::Postponed => "TENTATIVE",
        Status::Cancelled => "CANCELLED",
    };
    out.line(&format!("STATUS:{status}"));
    let title = match Status::of(f.status, Some(&start)) {
        Status::Confirmed => words.title.clone(),
        other => format!("{} ({})", words.title, other.name()),
    };
    out.property("SUMMARY", &title);
    if let Some(location) = words.location.as_ref().or(f.location.as_ref()) {
        out.property("LOCATION", location);
    }
    let summary = translation.map_or(page.summary(), |t| t.summary());
    let description = if summary.is_empty() {
        permalink.clone()
    } else {
        format!("{summary}\n\n{permalink}")
    };
    out.property("DESCRIPTION", &description);
    out.line(&format!("URL:{permalink}"));
    out.line("END:VEVENT");
}

/// A link that opens Google Calendar with the meeting filled in.
/// An ask or offer due by a day, as a to-do: its status as the item
/// stands (`NEEDS-ACTION`, `IN-PROCESS`, `COMPLETED`, `CANCELLED`).
fn todo(r: &Reader, state: &super::items::State, due: PageDate, out: &mut Ics) {
    let page = r.page(state.id);
    let base = r.base_url();
    let permalink = base.permalink(&page.url_path());
    let kind = page
        .fields()
        .raised
        .as_ref()
        .map_or("item", |raised| raised.item.kind.name());
    out.line("BEGIN:VTODO");
    out.property(
        "UID",
        &format!("{}-{}@{}", page.kind(), page.slug(), base.host()),
    );
    out.line(&format!("DTSTAMP:{}T000000Z", r.today().strftime("%Y%m%d")));
    out.line(&format!(
        "DUE;VALUE=DATE:{}",
        due.last_day().strftime("%Y%m%d")
    ));
    out.line(&format!("STATUS:{}", state.status.ical()));
    out.property(
        "SUMMARY",
        &format!("{}: {}", r.word(&format!("item_{kind}"), &[]), page.title()),
    );
    out.property("DESCRIPTION", &permalink);
    out.line(&format!("URL:{permalink}"));
    out.line("END:VTODO");
}

pub fn google_link(r: &Reader, id: PageId) -> Option<String> {
    let page = r.page(id);
    let f = page.fields();
    let start = *f.date.as_ref()?.get_ref();
    let end = f.end.as_ref().map(|d| *d.get_ref());
    let dates = match span(start, end) {
        Span::Days(first, after) => {
            format!("{}/{}", first.strftime("%Y%m%d"), after.strftime("%Y%m%d"))
        }
        Span::Moments(from, to) => format!(
            "{}/{}",
            from.strftime("%Y%m%dT%H%M%SZ"),
            to.strftime("%Y%m%dT%H%M%SZ")
        ),
    };
    let permalink = r.base_url().permalink(&page.url_path());
    // Titled as the `.ics` event is: with its status when not confirmed.
    let title = match Status::of(f.status, Some(&start)) {
        Status::Confirmed => f.title.clone(),
        other => format!("{} ({})", f.title, other.name()),
    };
    let mut url = String::from("https://calendar.google.com/calendar/render?action=TEMPLATE");
    for (key, value) in [
        ("text", title.as_str()),
        ("dates", dates.as_str()),
        ("location", f.location.as_deref().unwrap_or("")),
        ("details", permalink.as_str()),
    ] {
        url.push('&');
        url.push_str(key);
        url.push('=');
        url.push_str(&crate::urls::percent_encode(value));
    }
    Some(url)
}

/// `20250610T010000Z`.
fn utc_basic(date: &PageDate) -> String {
    date.timestamp().strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if crate::markdown::is_forbidden_control(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Writes content lines: CRLF line ends, folded at 75 octets.
#[derive(Default)]
struct Ics {
    text: String,
}

impl Ics {
    fn property(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{}", escape_text(value)));
    }

    fn line(&mut self, line: &str) {
        fold_into(&mut self.text, line);
    }
}

/// Appends `line` folded so that no physical line exceeds 75 octets
/// (continuations start with a space) and never inside a UTF-8 character.
pub fn fold_into(out: &mut String, line: &str) {
    const LIMIT: usize = 75;
    let mut rest = line;
    let mut first = true;
    while !rest.is_empty() {
        let room = if first { LIMIT } else { LIMIT - 1 };
        let mut cut = rest.len().min(room);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        if !first {
            out.push(' ');
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n");
        rest = &rest[cut..];
        first = false;
    }
    if line.is_empty() {
        out.push_str("\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let line = format!("DESCRIPTION:{}", "é".repeat(60));
        fold_into(&mut out, &line);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        let unfolded = out.replace("\r\n ", "").replace("\r\n", "");
        assert_eq!(unfolded, line);
    }
}
