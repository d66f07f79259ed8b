//! The small timeline of an ask or offer: a dot for its raising and for
//! each update, placed by date and coloured by the status it gave, and a
//! mark at its due date. Its history table says the same in words.

use std::fmt::Write;

use super::svg::n;
use crate::content::date::PageDate;
use crate::render::sitemap::xml_escape;

/// One dot: when, and the status then (`None`: a note only).
pub struct Dot {
    pub date: PageDate,
    pub status: Option<&'static str>,
    /// The dot's label for screen readers and hover: "17 July 2025: proposed".
    pub label: String,
}

/// The words of the picture.
pub struct TimelineWords {
    pub title: String,
    pub desc: String,
    /// "due".
    pub due: String,
    /// Short labels of the first and last dates (and of the due date).
    pub first: String,
    pub last: String,
}

// Narrow, so that its words stay readable on a phone (at 390 px, about
// the size it is drawn at).
const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 64.0;
const MARGIN: f64 = 16.0;
const AXIS: f64 = 26.0;

/// The SVG of `dots` (in date order), with the due date when there is
/// one; `id` makes its title's id unique on the page.
pub fn item_timeline(
    id: &str,
    dots: &[Dot],
    due: Option<PageDate>,
    words: &TimelineWords,
) -> String {
    let (Some(first), Some(last_dot)) = (dots.first(), dots.last()) else {
        return String::new();
    };
    let start = first.date.day();
    let mut end = last_dot.date.day();
    if let Some(due) = due {
        end = end.max(due.last_day());
    }
    let span = (end - start).get_days().max(1) as f64;
    let x = |day: jiff::civil::Date| {
        MARGIN + (WIDTH - 2.0 * MARGIN) * ((day - start).get_days() as f64 / span)
    };
    let mut svg = super::svg::open("chart-item", id, (WIDTH, HEIGHT), &words.title, &words.desc);
    let _ = write!(
        svg,
        r#"<line class="chart-axis" x1="{a}" y1="{y}" x2="{b}" y2="{y}"/>"#,
        a = n(MARGIN),
        b = n(WIDTH - MARGIN),
        y = n(AXIS),
    );
    if let Some(due) = due {
        let at = n(x(due.last_day()));
        let _ = write!(
            svg,
            r#"<line class="chart-due" x1="{at}" y1="8" x2="{at}" y2="{y}"/><text class="chart-label" x="{at}" y="6" text-anchor="end">{w}</text>"#,
            y = n(AXIS + 10.0),
            w = xml_escape(&words.due),
        );
    }
    for dot in dots {
        let class = dot.status.unwrap_or("note");
        let _ = write!(
            svg,
            r#"<circle class="chart-dot status-{class}" cx="{cx}" cy="{y}" r="6"><title>{l}</title></circle>"#,
            cx = n(x(dot.date.day())),
            y = n(AXIS),
            l = xml_escape(&dot.label),
        );
    }
    let _ = write!(
        svg,
        r#"<text class="chart-label" x="{a}" y="{y}">{f}</text><text class="chart-label" x="{b}" y="{y}" text-anchor="end">{l}</text></svg>"#,
        a = n(MARGIN / 2.0),
        b = n(WIDTH - MARGIN / 2.0),
        y = n(HEIGHT - 8.0),
        f = xml_escape(&words.first),
        l = xml_escape(&words.last),
    );
    svg
}
