//! The desk's data for other tools, under `data/` in the output and from
//! `attache export`: `data/<kind>.json` (every page of a kind: its front
//! matter, URL, references and what mentions it), `data/graph.json`
//! (pages and typed edges) and `data/<kind>.csv` (one row a page, for
//! spreadsheets). The formats are documented in docs/data.md, with JSON
//! Schemas in docs/schemas/; [`VERSION`] changes when a field changes
//! meaning or goes.

use std::collections::BTreeMap;

use serde::Serialize;

use super::reader::Reader;
use crate::config::Kind;
use crate::content::pages::PageId;

/// The folder of the data files in the output.
pub const DATA_DIR: &str = "data/";
/// The version of the data formats.
pub const VERSION: u32 = 1;

/// The data files of the kind named `kind` (path, contents): its JSON
/// and its CSV; none for a kind the site lacks.
pub fn kind_files(r: &Reader, kind: &str) -> Vec<(String, String)> {
    let Some(k) = r.kind(kind) else {
        return Vec::new();
    };
    if k.schema == crate::config::Schema::Item {
        return vec![
            (
                format!("{DATA_DIR}{kind}.csv"),
                super::items_data::items_csv(r, k),
            ),
            (
                format!("{DATA_DIR}{kind}.json"),
                super::items_data::items_json(r, k),
            ),
        ];
    }
    // Each page's record is made once, for both files, written side by
    // side: at 10,000 briefs these are the longest renders of a new one.
    let records = records(r, k);
    let (csv, json) = rayon::join(|| csv_of(r, &records), || json_of(k, &records));
    vec![
        (format!("{DATA_DIR}{kind}.csv"), csv),
        (format!("{DATA_DIR}{kind}.json"), json),
    ]
}

/// `kind/slug`: how data files name a page.
fn page_id(r: &Reader, id: PageId) -> String {
    r.key(id).to_string()
}

/// Slugs of pages by kind name; kinds with none left out.
type ByKind<'a> = BTreeMap<&'a str, Vec<&'a str>>;

fn by_kind<'a>(r: &'a Reader, ids: &[PageId]) -> ByKind<'a> {
    let mut out = ByKind::new();
    for &id in ids {
        let key = r.key(id);
        out.entry(&*key.kind).or_default().push(&*key.slug);
    }
    out
}

#[derive(Serialize)]
struct SourceRecord<'a> {
    name: Option<&'a str>,
    url: Option<&'a str>,
    date: Option<String>,
}

/// One page as `data/<kind>.json` lists it (docs/schemas/kind.schema.json).
/// Fields in alphabetical order, as before any reader relied on them.
#[derive(Serialize)]
struct Record<'a> {
    authors: &'a [String],
    country: Option<&'a str>,
    date: Option<String>,
    end: Option<String>,
    extra: serde_json::Value,
    government: bool,
    id: String,
    kind: &'a str,
    location: Option<&'a str>,
    mentioned_by: ByKind<'a>,
    parent: Option<&'a str>,
    references: ByKind<'a>,
    short: Option<&'a str>,
    slug: &'a str,
    sources: Vec<SourceRecord<'a>>,
    status: Option<&'static str>,
    stub: bool,
    summary: &'a str,
    title: &'a str,
    updated: Option<String>,
    url: String,
    website: Option<&'a str>,
}

fn record<'a>(r: &'a Reader, id: PageId) -> Record<'a> {
    let page = r.page(id);
    let f = page.fields();
    let date = f.date.as_ref().map(|d| *d.get_ref());
    Record {
        authors: &f.authors,
        country: f.country.as_deref(),
        date: date.map(|d| d.to_string()),
        end: f.end.as_ref().map(|d| d.get_ref().to_string()),
        extra: table_json(&f.extra),
        government: f.government,
        id: page_id(r, id),
        kind: page.kind(),
        location: f.location.as_deref(),
        mentioned_by: by_kind(r, r.backlinks(id)),
        parent: r.parent(id).map(|p| &*r.key(p).slug),
        references: by_kind(r, r.refs(id)),
        short: f.short.as_deref(),
        slug: page.slug(),
        sources: f
            .sources
            .iter()
            .map(|s| SourceRecord {
                name: s.name.as_deref(),
                url: s.url.as_deref(),
                date: s.date.map(|d| d.to_string()),
            })
            .collect(),
        status: super::summary::shown_status(r.kind(page.kind()), f),
        stub: page.is_stub(),
        summary: page.summary(),
        title: page.title(),
        updated: f.updated.as_ref().map(|d| d.get_ref().to_string()),
        url: r.base_url().permalink(&page.url_path()),
        website: f.website.as_deref(),
    }
}

/// A TOML value as JSON; dates and times become their text.
fn toml_json(value: &toml::Value) -> serde_json::Value {
    use serde_json::Value as Json;
    match value {
        toml::Value::String(s) => Json::from(s.as_str()),
        toml::Value::Integer(i) => Json::from(*i),
        toml::Value::Float(f) => Json::from(*f),
        toml::Value::Boolean(b) => Json::from(*b),
        toml::Value::Datetime(d) => Json::from(d.to_string()),
        toml::Value::Array(a) => Json::Array(a.iter().map(toml_json).collect()),
        toml::Value::Table(t) => table_json(t),
    }
}

/// A TOML table as a JSON object.
fn table_json(table: &toml::Table) -> serde_json::Value {
    serde_json::Value::Object(
        table
            .iter()
            .map(|(k, v)| (k.clone(), toml_json(v)))
            .collect(),
    )
}

#[derive(Serialize)]
struct KindFile<'a> {
    kind: &'a str,
    pages: &'a [Record<'a>],
    title: &'a str,
    version: u32,
}

/// `data/<kind>.json`: every page of `kind`, in list order.
pub fn kind_json(r: &Reader, kind: &Kind) -> String {
    if kind.schema == crate::config::Schema::Item {
        return super::items_data::items_json(r, kind);
    }
    json_of(kind, &records(r, kind))
}

/// The records of every page of `kind`, in list order.
fn records<'a>(r: &'a Reader, kind: &Kind) -> Vec<Record<'a>> {
    use rayon::prelude::*;
    r.every_page(&kind.name)
        .par_iter()
        .map(|&id| record(r, id))
        .collect()
}

fn json_of<'a>(kind: &'a Kind, pages: &'a [Record<'a>]) -> String {
    let file = KindFile {
        kind: &kind.name,
        pages,
        title: &kind.title,
        version: VERSION,
    };
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

#[derive(Serialize)]
struct Node<'a> {
    id: String,
    kind: &'a str,
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct Edge<'a> {
    source: String,
    target: String,
    #[serde(rename = "type")]
    kind: &'a str,
}

#[derive(Serialize)]
struct Graph<'a> {
    edges: Vec<Edge<'a>>,
    nodes: Vec<Node<'a>>,
    version: u32,
}

/// `data/graph.json`: every page as a node, and an edge for each
/// reference (typed by the kind referenced) and each parent.
pub fn graph_json(r: &Reader) -> String {
    use rayon::prelude::*;
    let ids: Vec<PageId> = r
        .config()
        .kinds
        .iter()
        .flat_map(|kind| r.every_page(&kind.name).into_owned())
        .collect();
    // Each page's node and edges, made side by side, in order.
    let pages: Vec<(Node<'_>, Vec<Edge<'_>>)> = ids
        .par_iter()
        .map(|&id| {
            let page = r.page(id);
            let source = page_id(r, id);
            let mut edges: Vec<Edge<'_>> = r
                .refs(id)
                .iter()
                .map(|&target| Edge {
                    source: source.clone(),
                    target: page_id(r, target),
                    kind: &r.key(target).kind,
                })
                .collect();
            if let Some(parent) = r.parent(id) {
                edges.push(Edge {
                    source: source.clone(),
                    target: page_id(r, parent),
                    kind: "parent",
                });
            }
            let node = Node {
                id: source,
                kind: page.kind(),
                title: page.title(),
                url: r.base_url().permalink(&page.url_path()),
            };
            (node, edges)
        })
        .collect();
    let mut graph = Graph {
        edges: Vec::with_capacity(pages.iter().map(|(_, e)| e.len()).sum()),
        nodes: Vec::with_capacity(pages.len()),
        version: VERSION,
    };
    for (node, edges) in pages {
        graph.nodes.push(node);
        graph.edges.extend(edges);
    }
    serde_json::to_string_pretty(&graph).unwrap_or_default()
}

/// The columns of `data/<kind>.csv` before one per kind of reference.
pub const CSV_COLUMNS: &[&str] = &[
    "slug", "url", "title", "date", "end", "status", "location", "summary",
];

/// `data/<kind>.csv`: a header, then a row a page in list order: the
/// [`CSV_COLUMNS`], then for each kind K the slugs it references (`K`)
/// and the slugs of the pages of K that mention it (`mentioned_by_K`),
/// `;`-separated. A cell that a spreadsheet would take for a formula
/// (`=`, `+`, `-`, `@` first) starts with `'`.
pub fn kind_csv(r: &Reader, kind: &Kind) -> String {
    if kind.schema == crate::config::Schema::Item {
        return super::items_data::items_csv(r, kind);
    }
    csv_of(r, &records(r, kind))
}

fn csv_of(r: &Reader, records: &[Record<'_>]) -> String {
    let kinds: Vec<&str> = r.config().kinds.iter().map(|k| k.name.as_str()).collect();
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut header: Vec<String> = CSV_COLUMNS.iter().map(|c| c.to_string()).collect();
    header.extend(kinds.iter().map(|k| k.to_string()));
    header.extend(kinds.iter().map(|k| format!("mentioned_by_{k}")));
    // Writing to a Vec cannot fail.
    let _ = csv.write_record(&header);
    for record in records {
        let slugs =
            |group: &ByKind<'_>, k: &str| group.get(k).map(|s| s.join(";")).unwrap_or_default();
        let text = |value: Option<&str>| value.unwrap_or_default().to_string();
        let mut cells: Vec<String> = vec![
            record.slug.to_string(),
            record.url.clone(),
            record.title.to_string(),
            record.date.clone().unwrap_or_default(),
            record.end.clone().unwrap_or_default(),
            text(record.status),
            text(record.location),
            record.summary.to_string(),
        ];
        cells.extend(kinds.iter().map(|k| slugs(&record.references, k)));
        cells.extend(kinds.iter().map(|k| slugs(&record.mentioned_by, k)));
        // Writing to a Vec cannot fail.
        let _ = csv.write_record(cells.iter().map(|c| inert(c).into_owned()));
    }
    String::from_utf8(csv.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// `cell`, with a `'` before it when a spreadsheet would run it as a
/// formula.
pub(super) fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// What `attache export` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

/// The text of a data file, without building the site: `<kind>.json` or
/// `<kind>.csv` for `kind`, else `graph.json` (JSON) or the entries'
/// CSV. An unknown kind is an error that names the kinds there are.
pub fn export(
    site: std::sync::Arc<crate::site::Site>,
    format: Format,
    kind: Option<&str>,
) -> Result<String, crate::diagnostic::Diagnostic> {
    let data = std::sync::Arc::new(super::data::SiteData::build(&site));
    let r = Reader::new(site, data);
    let config = r.config();
    let kind = match kind {
        Some(name) => Some(config.kind(name).ok_or_else(|| {
            let d = crate::diagnostic::Diagnostic::error(format!("there is no kind `{name}`"));
            match crate::diagnostic::did_you_mean(name, config.kind_names()) {
                Some(hint) => d.hint(hint),
                None => d.hint(format!(
                    "the kinds are {}",
                    config.kind_names().collect::<Vec<_>>().join(", ")
                )),
            }
        })?),
        None => None,
    };
    Ok(match (format, kind) {
        (Format::Json, Some(k)) => kind_json(&r, k),
        (Format::Json, None) => graph_json(&r),
        (Format::Csv, Some(k)) => kind_csv(&r, k),
        (Format::Csv, None) => match config.entries() {
            Some(k) => kind_csv(&r, k),
            None => {
                return Err(crate::diagnostic::Diagnostic::error(
                    "the site has no kind of entries to export as CSV",
                )
                .hint("name one with --kind"));
            }
        },
    })
}
