//! The desk's data for other tools, under `data/` in the output and from
//! `attache export`: `data/<kind>.json` (every page of a kind: its front
//! matter, URL, references and what mentions it), `data/graph.json`
//! (pages and typed edges) and `data/<kind>.csv` (one row a page, for
//! spreadsheets). The formats are documented in docs/data.md, with JSON
//! Schemas in docs/schemas/; [`VERSION`] changes when a field changes
//! meaning or goes.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::reader::Reader;
use crate::config::Kind;
use crate::content::pages::PageId;

mod splice;
pub use splice::{KeptFiles, Layout};
use splice::{Previous, Splice, part_key};

/// The folder of the data files in the output.
pub const DATA_DIR: &str = "data/";
/// The version of the data formats.
pub const VERSION: u32 = 1;

/// The data files of the kind named `kind` (path, contents): its JSON
/// and its CSV; none for a kind the site lacks.
pub fn kind_files(r: &Reader, kind: &str) -> Vec<(String, Arc<[u8]>)> {
    kind_files_in(r, kind, None)
}

/// The data files of `kind` in `only` that format, or in both.
fn kind_files_in(r: &Reader, kind: &str, only: Option<Format>) -> Vec<(String, Arc<[u8]>)> {
    let Some(k) = r.kind(kind) else {
        return Vec::new();
    };
    let wants = |format: Format| only.is_none_or(|only| only == format);
    let (csv_path, json_path) = (
        format!("{DATA_DIR}{kind}.csv"),
        format!("{DATA_DIR}{kind}.json"),
    );
    if k.schema == crate::config::Schema::Item {
        let csv = wants(Format::Csv).then(|| (csv_path, bytes(super::items_data::items_csv(r, k))));
        let json =
            wants(Format::Json).then(|| (json_path, bytes(super::items_data::items_json(r, k))));
        return csv.into_iter().chain(json).collect();
    }
    // Each page's parts are copied from the last render while the page
    // and the pages it names stay the same: at 10,000 briefs these files
    // were the longest renders of a new brief.
    let pages = record_keys(r, k);
    let files = r.kept_files();
    let take = |format, path: &str| wants(format).then(|| files.take(path)).flatten();
    let (csv_before, json_before) = (take(Format::Csv, &csv_path), take(Format::Json, &json_path));
    // The records of the pages whose part either file makes, made once
    // for both.
    let kept = |before: &Option<Previous>, page| before.as_ref().is_some_and(|b| b.has(0, page));
    let records: Vec<Option<Record<'_>>> = (pages.par_iter())
        .map(|&page| {
            let both = kept(&csv_before, page) && kept(&json_before, page);
            (!both).then(|| record(r, page.0))
        })
        .collect();
    let made = |n: usize, part: &dyn Fn(&Record<'_>) -> Vec<u8>| match &records[n] {
        Some(record) => part(record),
        None => part(&record(r, pages[n].0)),
    };
    let (csv, json) = rayon::join(
        || {
            if !wants(Format::Csv) {
                return None;
            }
            let mut file = Splice::new(csv_before.as_ref());
            file.text(&csv_header(r));
            file.section(&pages, "", "", |n| made(n, &|record| csv_line(r, record)));
            let bytes = file.finish(files, &csv_path);
            Some((csv_path, bytes))
        },
        || {
            if !wants(Format::Json) {
                return None;
            }
            let mut file = Splice::new(json_before.as_ref());
            file.text(&format!("{{\n  \"kind\": {},\n", splice::string(&k.name)));
            splice::list_field(&mut file, "pages", &pages, |n| {
                made(n, &|record| splice::item(record))
            });
            file.text(&format!(
                ",\n  \"title\": {},\n  \"version\": {VERSION}\n}}",
                splice::string(&k.title)
            ));
            let bytes = file.finish(files, &json_path);
            Some((json_path, bytes))
        },
    );
    csv.into_iter().chain(json).collect()
}

fn bytes(text: String) -> Arc<[u8]> {
    Arc::from(text.into_bytes())
}

/// Every page of `kind` in list order, with the key of its record (see
/// [`splice::part_key`]), reading what the record is made from.
fn record_keys(r: &Reader, kind: &Kind) -> Vec<(PageId, u64)> {
    r.base_url();
    (r.every_page(&kind.name).par_iter())
        .map(|&id| {
            r.page(id);
            let (refs, backlinks, parent) = (r.refs(id), r.backlinks(id), r.parent(id));
            (id, part_key(r, id, &[refs, backlinks, parent.as_slice()]))
        })
        .collect()
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

/// `data/graph.json`: every page as a node, and an edge for each
/// reference (typed by the kind referenced) and each parent; each page's
/// edges and node copied from the last render while the page and the
/// pages it names stay the same.
pub fn graph_file(r: &Reader) -> Arc<[u8]> {
    r.base_url();
    let ids: Vec<PageId> = (r.config().kinds.iter())
        .flat_map(|kind| r.every_page(&kind.name).into_owned())
        .collect();
    let pages: Vec<(PageId, u64)> = (ids.par_iter())
        .map(|&id| {
            r.page(id);
            let (refs, parent) = (r.refs(id), r.parent(id));
            (id, part_key(r, id, &[refs, parent.as_slice()]))
        })
        .collect();
    let path = format!("{DATA_DIR}graph.json");
    let files = r.kept_files();
    let before = files.take(&path);
    let mut file = Splice::new(before.as_ref());
    file.text("{\n");
    splice::list_field(&mut file, "edges", &pages, |n| {
        let edges: Vec<Vec<u8>> = edges(r, ids[n]).iter().map(splice::item).collect();
        edges.join(&b",\n"[..])
    });
    file.text(",\n");
    splice::list_field(&mut file, "nodes", &pages, |n| {
        let id = ids[n];
        let page = r.page(id);
        splice::item(&Node {
            id: page_id(r, id),
            kind: page.kind(),
            title: page.title(),
            url: r.base_url().permalink(&page.url_path()),
        })
    });
    file.text(&format!(",\n  \"version\": {VERSION}\n}}"));
    file.finish(files, &path)
}

/// Page `id`'s edges: its references, then its parent.
fn edges(r: &Reader, id: PageId) -> Vec<Edge<'_>> {
    let source = page_id(r, id);
    let mut edges: Vec<Edge<'_>> = (r.refs(id).iter())
        .map(|&target| Edge {
            source: source.clone(),
            target: page_id(r, target),
            kind: &r.key(target).kind,
        })
        .collect();
    if let Some(parent) = r.parent(id) {
        edges.push(Edge {
            source,
            target: page_id(r, parent),
            kind: "parent",
        });
    }
    edges
}

/// The columns of `data/<kind>.csv` before one per kind of reference.
pub const CSV_COLUMNS: &[&str] = &[
    "slug", "url", "title", "date", "end", "status", "location", "summary",
];

/// The header of `data/<kind>.csv`: the [`CSV_COLUMNS`], then for each
/// kind K the slugs a page references (`K`) and the slugs of the pages
/// of K that mention it (`mentioned_by_K`), `;`-separated. A row a page,
/// in list order. A cell that a spreadsheet would take for a formula
/// (`=`, `+`, `-`, `@` first) starts with `'`.
fn csv_header(r: &Reader) -> String {
    let kinds = r.config().kinds.iter().map(|k| k.name.as_str());
    let mut header: Vec<String> = CSV_COLUMNS.iter().map(|c| c.to_string()).collect();
    header.extend(kinds.clone().map(str::to_string));
    header.extend(kinds.map(|k| format!("mentioned_by_{k}")));
    String::from_utf8(csv_row(&header)).unwrap_or_default()
}

/// A page's row of `data/<kind>.csv` (see [`csv_header`]).
fn csv_line(r: &Reader, record: &Record<'_>) -> Vec<u8> {
    let kinds = r.config().kinds.iter().map(|k| k.name.as_str());
    let slugs = |group: &ByKind<'_>, k: &str| group.get(k).map(|s| s.join(";")).unwrap_or_default();
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
    cells.extend(kinds.clone().map(|k| slugs(&record.references, k)));
    cells.extend(kinds.map(|k| slugs(&record.mentioned_by, k)));
    let cells: Vec<std::borrow::Cow<'_, str>> = cells.iter().map(|c| inert(c)).collect();
    csv_row(&cells.iter().map(|c| c.as_bytes()).collect::<Vec<_>>())
}

/// One CSV row, with its line end.
fn csv_row(cells: &[impl AsRef<[u8]>]) -> Vec<u8> {
    let mut row = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .buffer_capacity(1024)
        .from_writer(Vec::with_capacity(512));
    // Writing to a Vec cannot fail.
    let _ = row.write_record(cells);
    row.into_inner().unwrap_or_default()
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
    // Only the file asked for is made.
    let file = |kind: &Kind| {
        let files = kind_files_in(&r, &kind.name, Some(format));
        let text = files.into_iter().next().map(|(_, b)| b);
        String::from_utf8_lossy(&text.unwrap_or_default()).into_owned()
    };
    Ok(match (format, kind) {
        (Format::Json, Some(k)) => file(k),
        (Format::Json, None) => String::from_utf8_lossy(&graph_file(&r)).into_owned(),
        (Format::Csv, Some(k)) => file(k),
        (Format::Csv, None) => match config.entries() {
            Some(k) => file(k),
            None => {
                return Err(crate::diagnostic::Diagnostic::error(
                    "the site has no kind of entries to export as CSV",
                )
                .hint("name one with --kind"));
            }
        },
    })
}
