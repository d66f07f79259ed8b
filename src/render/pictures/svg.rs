//! Drawing the pictures as inline SVG: plain shapes with classes that the
//! theme's stylesheet colours (so they follow light and dark mode and
//! print), a title and description for screen readers, and the same
//! figures as a table or list beside each picture. The same data always
//! gives the same bytes.

use std::fmt::Write;

use super::words::Words;
use super::{Month, Tally};
use crate::render::sitemap::xml_escape;

/// A number with at most one decimal, as SVG coordinates are written.
pub(super) fn n(x: f64) -> String {
    let rounded = (x * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// The opening of a chart `width` × `height` of class `chart {class}`,
/// with its title and description for screen readers (ids from `id`).
pub(super) fn open(
    class: &str,
    id: &str,
    (width, height): (f64, f64),
    title: &str,
    desc: &str,
) -> String {
    format!(
        r#"<svg class="chart {class}" viewBox="0 0 {W} {H}" width="100%" role="img" aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="xMidYMid meet"><title id="{id}-title">{t}</title><desc id="{id}-desc">{d}</desc>"#,
        W = n(width),
        H = n(height),
        t = xml_escape(title),
        d = xml_escape(desc),
    )
}

/// A stacked bar chart of `tallies`, one bar a month from `first`, with a
/// line at the month `now` (when it is in the window). `id` makes the
/// title and description ids unique on the page; `title` says what is
/// counted ("Meetings with JICA by month").
pub fn month_bars(
    id: &str,
    title: &str,
    first: Month,
    tallies: &[Tally],
    now: Month,
    words: &Words,
) -> String {
    const WIDTH: f64 = 640.0;
    const HEIGHT: f64 = 150.0;
    const TOP: f64 = 12.0;
    const BOTTOM: f64 = 28.0;
    let max = tallies.iter().map(Tally::total).max().unwrap_or(0).max(1);
    let slot = WIDTH / tallies.len().max(1) as f64;
    let bar = (slot * 0.7).max(1.0);
    let scale = (HEIGHT - TOP - BOTTOM) / f64::from(max);
    let total: u32 = tallies.iter().map(Tally::total).sum();
    let last = first.plus(tallies.len().saturating_sub(1) as i32);
    let desc = words.in_all(total, first, last, max);
    let mut svg = open("chart-months", id, (WIDTH, HEIGHT), title, &desc);
    let base = HEIGHT - BOTTOM;
    let _ = write!(
        svg,
        r#"<line class="chart-axis" x1="0" y1="{b}" x2="{W}" y2="{b}"/>"#,
        b = n(base),
        W = n(WIDTH)
    );
    let (mut labelled_year, mut phone_year) = (None, None);
    for (i, tally) in tallies.iter().enumerate() {
        let x = slot * i as f64 + (slot - bar) / 2.0;
        let mut y = base;
        for (count, class) in tally.parts() {
            if count == 0 {
                continue;
            }
            let h = f64::from(count) * scale;
            y -= h;
            let _ = write!(
                svg,
                r#"<rect class="chart-bar chart-{class}" x="{x}" y="{y}" width="{w}" height="{h}"/>"#,
                x = n(x),
                y = n(y),
                w = n(bar),
                h = n(h),
            );
        }
        let month = first.plus(i as i32);
        // Every third month labelled, and every sixth for a phone (where
        // the words are drawn larger): each year named at its first
        // label of the set, the first label starting at the left edge
        // rather than hanging over it.
        for (every, set, labelled) in [
            (3, "", &mut labelled_year),
            (6, " chart-label-phone", &mut phone_year),
        ] {
            if i % every != 0 {
                continue;
            }
            let with_year = *labelled != Some(month.year());
            *labelled = Some(month.year());
            let (start, x) = match i {
                0 => (" chart-label-start", slot * i as f64),
                _ => ("", slot * i as f64 + slot / 2.0),
            };
            let _ = write!(
                svg,
                r#"<text class="chart-label{start}{set}" x="{x}" y="{y}">{l}</text>"#,
                x = n(x),
                y = n(HEIGHT - 10.0),
                l = xml_escape(&words.label(month, with_year)),
            );
        }
        if month == now {
            let _ = write!(
                svg,
                r#"<line class="chart-now" x1="{x}" y1="{t}" x2="{x}" y2="{b}"/>"#,
                x = n(slot * i as f64 + slot / 2.0),
                t = n(TOP - 6.0),
                b = n(base),
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The figures of [`month_bars`] as a table, with a column for each part
/// (`columns`: the label of each of [`Tally::parts`], or one column).
pub fn month_table(
    caption: &str,
    first: Month,
    tallies: &[Tally],
    columns: &[&str],
    words: &Words,
) -> String {
    let mut table = format!(
        "<table class=\"chart-table\"><caption>{}</caption><thead><tr><th scope=\"col\">{}</th>",
        xml_escape(caption),
        xml_escape(&words.month)
    );
    for c in columns {
        let _ = write!(table, "<th scope=\"col\">{}</th>", xml_escape(c));
    }
    table.push_str("</tr></thead><tbody>");
    for (i, tally) in tallies.iter().enumerate() {
        if tally.total() == 0 {
            continue;
        }
        let _ = write!(
            table,
            "<tr><th scope=\"row\">{}</th>",
            xml_escape(&words.long(first.plus(i as i32)))
        );
        if columns.len() == 1 {
            let _ = write!(table, "<td>{}</td>", tally.total());
        } else {
            for (count, _) in tally.parts() {
                let _ = write!(table, "<td>{count}</td>");
            }
        }
        table.push_str("</tr>");
    }
    table.push_str("</tbody></table>");
    table
}

/// A small bar per month, for beside a name: `label` says it in words.
pub fn sparkline(counts: &[u32], label: &str) -> String {
    const BAR: f64 = 4.0;
    const HEIGHT: f64 = 18.0;
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    let width = BAR * counts.len() as f64;
    let mut svg = format!(
        r#"<svg class="sparkline" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{l}">"#,
        w = n(width),
        h = n(HEIGHT),
        l = xml_escape(label),
    );
    let _ = write!(
        svg,
        r#"<line class="chart-axis" x1="0" y1="{h}" x2="{w}" y2="{h}"/>"#,
        h = n(HEIGHT - 0.5),
        w = n(width)
    );
    for (i, &count) in counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let h = (f64::from(count) / f64::from(max) * (HEIGHT - 2.0)).max(1.0);
        let _ = write!(
            svg,
            r#"<rect class="chart-bar" x="{x}" y="{y}" width="{w}" height="{h}"/>"#,
            x = n(BAR * i as f64 + 0.5),
            y = n(HEIGHT - 1.0 - h),
            w = n(BAR - 1.0),
            h = n(h),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One page on a relationship map.
pub struct Node<'a> {
    pub label: &'a str,
    pub title: &'a str,
    pub url: &'a str,
    /// How many pages link it with the centre.
    pub weight: u32,
    /// Its kind, as a class: `map-agencies`.
    pub kind: &'a str,
}

/// The centre page and the pages most often mentioned with it, on an
/// ellipse around it, strongest first from the top, clockwise; lines and
/// dots thicker for stronger links. Every dot links to its page.
///
/// Long: the picture's layout and its SVG, drawn in one pass over its nodes
/// and edges.
pub fn relationship_map(
    id: &str,
    title: &str,
    centre: &str,
    desc: &str,
    nodes: &[Node<'_>],
) -> String {
    const WIDTH: f64 = 640.0;
    const HEIGHT: f64 = 420.0;
    let (cx, cy) = (WIDTH / 2.0, HEIGHT / 2.0);
    let (rx, ry) = (WIDTH / 2.0 - 130.0, HEIGHT / 2.0 - 40.0);
    let max = nodes.iter().map(|n| n.weight).max().unwrap_or(1).max(1);
    let mut svg = String::new();
    let _ = write!(
        svg,
        // A group, not an image: it holds links, which an image may not.
        r#"<svg class="chart map" viewBox="0 0 {W} {H}" width="100%" role="group" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{t}</title><desc id="{id}-desc">{d}</desc>"#,
        W = n(WIDTH),
        H = n(HEIGHT),
        t = xml_escape(title),
        d = xml_escape(desc),
    );
    let places: Vec<(f64, f64)> = (0..nodes.len())
        .map(|i| {
            let angle = -std::f64::consts::FRAC_PI_2
                + std::f64::consts::TAU * i as f64 / nodes.len() as f64;
            (cx + rx * angle.cos(), cy + ry * angle.sin())
        })
        .collect();
    for (node, &(x, y)) in nodes.iter().zip(&places) {
        let strength = f64::from(node.weight) / f64::from(max);
        let _ = write!(
            svg,
            r#"<line class="map-edge" x1="{cx}" y1="{cy}" x2="{x}" y2="{y}" stroke-width="{w}"/>"#,
            cx = n(cx),
            cy = n(cy),
            x = n(x),
            y = n(y),
            w = n(0.75 + 4.0 * strength),
        );
    }
    let _ = write!(
        svg,
        r#"<circle class="map-centre" cx="{cx}" cy="{cy}" r="9"/><text class="map-label map-centre-label" x="{cx}" y="{y}" text-anchor="middle">{l}</text>"#,
        cx = n(cx),
        cy = n(cy),
        y = n(cy + 24.0),
        l = xml_escape(centre),
    );
    for (node, &(x, y)) in nodes.iter().zip(&places) {
        let strength = f64::from(node.weight) / f64::from(max);
        let anchor = if x > cx + 8.0 {
            "start"
        } else if x < cx - 8.0 {
            "end"
        } else {
            "middle"
        };
        let dx = match anchor {
            "start" => 10.0,
            "end" => -10.0,
            _ => 0.0,
        };
        let dy = if anchor == "middle" {
            if y < cy { -10.0 } else { 18.0 }
        } else {
            4.0
        };
        let short = short_label(node.label);
        let _ = write!(
            svg,
            r#"<a href="{u}"><title>{t}: {w}</title><circle class="map-node map-{k}" cx="{x}" cy="{y}" r="{r}"/><text class="map-label{full}" x="{lx}" y="{ly}" text-anchor="{anchor}">{l}</text>{short}</a>"#,
            u = xml_escape(node.url),
            t = xml_escape(node.title),
            w = node.weight,
            k = xml_escape(node.kind),
            x = n(x),
            y = n(y),
            r = n(3.0 + 5.0 * strength),
            lx = n(x + dx),
            ly = n(y + dy),
            l = xml_escape(node.label),
            full = if short.is_some() { " map-label-full" } else { "" },
            short = short.map_or_else(String::new, |s| format!(
                r#"<text class="map-label map-label-short" x="{}" y="{}" text-anchor="{anchor}">{}</text>"#,
                n(x + dx),
                n(y + dy),
                xml_escape(&s)
            )),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A label cut to fit beside a dot of the map when its words are drawn
/// large (on a phone): about ten Latin letters or five wide ones, the
/// rest an ellipsis. `None` when it fits as it is.
fn short_label(label: &str) -> Option<String> {
    const ROOM: usize = 10;
    let width = |c: char| if c >= '\u{1100}' { 2 } else { 1 };
    if label.chars().map(width).sum::<usize>() <= ROOM {
        return None;
    }
    let mut used = 0;
    let mut out: String = label
        .chars()
        .take_while(|&c| {
            used += width(c);
            used < ROOM
        })
        .collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_short_and_stable() {
        assert_eq!(n(3.0), "3");
        assert_eq!(n(2.25), "2.3");
        assert_eq!(n(-0.04), "-0");
    }

    #[test]
    fn bars_scale_to_the_busiest_month_and_mark_now() {
        let first = Month::new(2025, 1);
        let tallies = [Tally::entries(2), Tally::default(), Tally::entries(4)];
        let words = Words::english();
        let svg = month_bars(
            "m",
            "Briefings by month",
            first,
            &tallies,
            Month::new(2025, 3),
            &words,
        );
        assert_eq!(svg.matches("<rect").count(), 2, "{svg}");
        assert!(svg.contains("<title id=\"m-title\">Briefings by month</title>"));
        assert!(svg.contains("6 in all from January 2025 to March 2025; at most 4 in a month."));
        assert!(svg.contains("class=\"chart-now\""));
        assert!(svg.contains(">Jan 2025</text>"));
        // The same data gives the same bytes.
        assert_eq!(
            svg,
            month_bars(
                "m",
                "Briefings by month",
                first,
                &tallies,
                Month::new(2025, 3),
                &words,
            )
        );
        let table = month_table(
            "Briefings by month",
            first,
            &tallies,
            &["Briefings"],
            &words,
        );
        assert!(table.contains("<tr><th scope=\"row\">March 2025</th><td>4</td></tr>"));
        assert!(
            !table.contains("February"),
            "empty months are left out: {table}"
        );
    }

    #[test]
    fn each_year_is_named_at_its_first_label_and_the_first_stays_inside() {
        // 24 months from November: labels every 3 months never fall on a
        // January, yet each year is named once.
        let tallies = vec![Tally::entries(1); 24];
        let svg = month_bars(
            "m",
            "t",
            Month::new(2024, 11),
            &tallies,
            Month::new(2026, 10),
            &Words::english(),
        );
        for label in [
            ">Nov 2024</text>",
            ">Feb 2025</text>",
            ">Feb 2026</text>",
            ">May</text>",
        ] {
            assert!(svg.contains(label), "{label} in {svg}");
        }
        // Once in each set of labels: every third month, and every sixth.
        assert_eq!(svg.matches("\">Feb 2025</text>").count(), 1, "{svg}");
        assert_eq!(
            svg.matches("chart-label-phone\" x=\"173.3\" y=\"140\">May 2025</text>")
                .count(),
            1,
            "{svg}"
        );
        assert_eq!(svg.matches("2025</text>").count(), 2, "{svg}");
        assert!(
            svg.contains("<text class=\"chart-label chart-label-start\" x=\"0\""),
            "{svg}"
        );
    }

    #[test]
    fn a_long_map_label_has_a_short_one_for_phones() {
        assert_eq!(short_label("Copper"), None);
        assert_eq!(
            short_label("Special Economic Zones").as_deref(),
            Some("Special E…")
        );
        assert_eq!(
            short_label("特別経済区域の開発").as_deref(),
            Some("特別経済…")
        );
    }

    #[test]
    fn a_map_links_every_node_and_escapes_names() {
        let nodes = [
            Node {
                label: "A&B",
                title: "A and B",
                url: "/agencies/ab/",
                weight: 3,
                kind: "agencies",
            },
            Node {
                label: "Copper",
                title: "Copper",
                url: "/sectors/copper/",
                weight: 1,
                kind: "sectors",
            },
        ];
        let svg = relationship_map("map", "Mentioned with JICA", "JICA", "Two pages.", &nodes);
        assert_eq!(svg.matches("<a href=").count(), 2);
        assert!(svg.contains(">A&amp;B</text>"));
        assert!(svg.contains("class=\"map-node map-sectors\""));
        // The strongest is at the top, above the centre.
        assert!(
            svg.contains(r#"<circle class="map-node map-agencies" cx="320" cy="40" r="8"/>"#),
            "{svg}"
        );
    }
}
