//! The data files put together from each page's part, made once and kept
//! while the page and the pages it names stay the same (see
//! [`crate::render::data::Memo::rows`]): a new brief makes its own rows
//! and those of the pages it names, then joins ten thousand kept ones,
//! where it serialized every record of the kind again before.
//!
//! The files are byte for byte what serde_json's pretty printer makes of
//! the whole (`tests` below compares them): a page's part is printed
//! alone and indented to its place.

use serde::Serialize;

use super::{Edge, Node, Record};

/// A page's parts of the data files.
#[derive(Debug, Default, PartialEq)]
pub struct Rows {
    /// Its record in `data/<kind>.json`, indented as in the `pages` list.
    pub record: String,
    /// Its line of `data/<kind>.csv`, with its line end.
    pub csv: String,
    /// Its node in `data/graph.json`, indented as in the `nodes` list.
    pub node: String,
    /// Its edges in `data/graph.json`, indented, joined by `,\n` (empty:
    /// it has none).
    pub edges: String,
}

/// How deep the items of a top-level list are in a pretty file.
const ITEM_INDENT: &str = "    ";

/// `value` printed pretty, each line indented as an item of a top-level
/// list. A JSON string holds no line end (serde_json escapes it), so
/// every line end is one of the printer's.
pub fn item(value: &impl Serialize) -> String {
    // Serializing a value of these types to a string cannot fail: their
    // keys are strings and they hold no map with other keys.
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str(ITEM_INDENT);
        out.push_str(line);
    }
    out
}

impl Rows {
    /// The rows of a page with record `record` (its CSV cells `cells`),
    /// node `node` and edges `edges`.
    pub(super) fn new(
        record: &Record<'_>,
        cells: &[String],
        node: &Node<'_>,
        edges: &[Edge<'_>],
    ) -> Rows {
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .buffer_capacity(512)
            .from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = csv.write_record(cells);
        let csv = String::from_utf8(csv.into_inner().unwrap_or_default()).unwrap_or_default();
        Rows {
            record: item(record),
            csv,
            node: item(node),
            edges: edges.iter().map(item).collect::<Vec<_>>().join(",\n"),
        }
    }
}

/// A pretty list field `"name": [...]` of a top-level object, from its
/// items as [`item`] printed them; `last` when no field follows.
fn list_field<'a>(out: &mut String, name: &str, items: impl Iterator<Item = &'a str>) {
    out.push_str("  \"");
    out.push_str(name);
    out.push_str("\": [");
    let mut empty = true;
    for part in items.filter(|p| !p.is_empty()) {
        out.push_str(if empty { "\n" } else { ",\n" });
        out.push_str(part);
        empty = false;
    }
    out.push_str(if empty { "]" } else { "\n  ]" });
}

/// A JSON string.
fn string(text: &str) -> String {
    // A string always serializes.
    serde_json::to_string(text).unwrap_or_default()
}

/// `data/<kind>.json` from its pages' rows, in list order.
pub fn kind_json(kind: &str, title: &str, version: u32, rows: &[&Rows]) -> String {
    let mut out =
        String::with_capacity(rows.iter().map(|r| r.record.len() + 2).sum::<usize>() + 200);
    out.push_str("{\n  \"kind\": ");
    out.push_str(&string(kind));
    out.push_str(",\n");
    list_field(&mut out, "pages", rows.iter().map(|r| r.record.as_str()));
    out.push_str(",\n  \"title\": ");
    out.push_str(&string(title));
    out.push_str(&format!(",\n  \"version\": {version}\n}}"));
    out
}

/// `data/graph.json` from its pages' rows, in order.
pub fn graph_json(version: u32, rows: &[&Rows]) -> String {
    let size: usize = rows.iter().map(|r| r.node.len() + r.edges.len() + 4).sum();
    let mut out = String::with_capacity(size + 100);
    out.push_str("{\n");
    list_field(&mut out, "edges", rows.iter().map(|r| r.edges.as_str()));
    out.push_str(",\n");
    list_field(&mut out, "nodes", rows.iter().map(|r| r.node.as_str()));
    out.push_str(&format!(",\n  \"version\": {version}\n}}"));
    out
}

/// `data/<kind>.csv` from its header's cells and its pages' rows.
pub fn kind_csv(header: &[String], rows: &[&Rows]) -> String {
    let mut head = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = head.write_record(header);
    let mut out = String::from_utf8(head.into_inner().unwrap_or_default()).unwrap_or_default();
    out.reserve(rows.iter().map(|r| r.csv.len()).sum());
    for row in rows {
        out.push_str(&row.csv);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Item<'a> {
        a: &'a str,
        list: Vec<u32>,
        empty: Vec<u32>,
        inner: std::collections::BTreeMap<&'a str, Vec<&'a str>>,
    }

    fn items() -> Vec<Item<'static>> {
        vec![
            Item {
                a: "line\nbreak \"quoted\"",
                list: vec![1, 2],
                empty: vec![],
                inner: [("briefs", vec!["x", "y"])].into_iter().collect(),
            },
            Item {
                a: "",
                list: vec![],
                empty: vec![],
                inner: Default::default(),
            },
        ]
    }

    #[test]
    fn a_kind_file_joined_from_rows_is_what_the_printer_makes_of_the_whole() {
        #[derive(Serialize)]
        struct File<'a> {
            kind: &'a str,
            pages: &'a [Item<'a>],
            title: &'a str,
            version: u32,
        }
        for n in [0, 1, 2] {
            let pages = &items()[..n];
            let whole = serde_json::to_string_pretty(&File {
                kind: "briefs",
                pages,
                title: "Brief\u{e9}s \"all\"",
                version: 3,
            })
            .unwrap();
            let rows: Vec<Rows> = pages
                .iter()
                .map(|p| Rows {
                    record: item(p),
                    ..Rows::default()
                })
                .collect();
            let rows: Vec<&Rows> = rows.iter().collect();
            assert_eq!(kind_json("briefs", "Brief\u{e9}s \"all\"", 3, &rows), whole);
        }
    }

    #[test]
    fn the_graph_joined_from_rows_is_what_the_printer_makes_of_the_whole() {
        #[derive(Serialize)]
        struct Graph<'a> {
            edges: Vec<&'a Item<'a>>,
            nodes: Vec<&'a Item<'a>>,
            version: u32,
        }
        let all = items();
        // A page with two edges, one with none, one with one.
        let edges: Vec<Vec<&Item<'_>>> = vec![vec![&all[0], &all[1]], vec![], vec![&all[1]]];
        for n in [0, 1, 2, 3] {
            let whole = serde_json::to_string_pretty(&Graph {
                edges: edges[..n].iter().flatten().copied().collect(),
                nodes: (0..n).map(|i| &all[i % 2]).collect(),
                version: 1,
            })
            .unwrap();
            let rows: Vec<Rows> = (0..n)
                .map(|i| Rows {
                    node: item(&all[i % 2]),
                    edges: edges[i].iter().map(item).collect::<Vec<_>>().join(",\n"),
                    ..Rows::default()
                })
                .collect();
            let rows: Vec<&Rows> = rows.iter().collect();
            assert_eq!(graph_json(1, &rows), whole);
        }
    }
}
