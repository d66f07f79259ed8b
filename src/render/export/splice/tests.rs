//! The data files spliced: what the printer makes of the whole, kept
//! parts and made ones, bytes read back.

use super::*;

#[derive(Serialize)]
struct Item<'a> {
    a: &'a str,
    list: Vec<u32>,
    empty: Vec<u32>,
    inner: BTreeMap<&'a str, Vec<&'a str>>,
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

#[derive(Serialize)]
struct File<'a> {
    kind: &'a str,
    pages: &'a [Item<'a>],
    version: u32,
}

/// `pages` as a file of the shape of `data/<kind>.json`, spliced
/// from `previous`; the bytes, and how many parts were made.
fn spliced(
    pages: &[Item<'_>],
    keys: &[u64],
    previous: Option<&Previous>,
    files: &KeptFiles,
) -> (Arc<[u8]>, usize) {
    let ids: Vec<(PageId, u64)> = (keys.iter().enumerate())
        .map(|(n, k)| (PageId(n as u32), *k))
        .collect();
    let mut file = Splice::new(previous);
    file.text("{\n  \"kind\": \"briefs\",\n");
    list_field(&mut file, "pages", &ids, |n| item(&pages[n]));
    file.text(",\n  \"version\": 3\n}");
    let made = file.made;
    (file.finish(files, "data/briefs.json"), made)
}

#[test]
fn a_file_spliced_from_parts_is_what_the_printer_makes_of_the_whole() {
    for n in [0, 1, 2] {
        let pages = &items()[..n];
        let whole = serde_json::to_string_pretty(&File {
            kind: "briefs",
            pages,
            version: 3,
        })
        .unwrap();
        let files = KeptFiles::default();
        let keys = vec![7; n];
        let (made, count) = spliced(pages, &keys, None, &files);
        assert_eq!(std::str::from_utf8(&made).unwrap(), whole);
        assert_eq!(count, n);
        // Again from the kept parts: none made, the same bytes.
        let previous = files.take("data/briefs.json").unwrap();
        let (again, count) = spliced(pages, &keys, Some(&previous), &files);
        assert_eq!(again, made);
        assert_eq!(count, 0);
    }
}

#[test]
fn a_part_whose_key_changed_is_made_again() {
    let files = KeptFiles::default();
    let pages = items();
    spliced(&pages[..1], &[1], None, &files);
    let previous = files.take("data/briefs.json").unwrap();
    // The same page under another key, shown as the second item.
    let (text, count) = spliced(&pages, &[2, 1], Some(&previous), &files);
    assert_eq!(count, 2, "page 0's key changed, page 1 is new");
    let whole = serde_json::to_string_pretty(&File {
        kind: "briefs",
        pages: &pages,
        version: 3,
    })
    .unwrap();
    assert_eq!(std::str::from_utf8(&text).unwrap(), whole);
}

#[test]
fn bytes_written_away_are_read_back_only_from_the_folder_and_as_made() {
    let dir = tempfile::tempdir().unwrap();
    let files = KeptFiles::default();
    files.written_away(Some(dir.path().to_path_buf()));
    let pages = items();
    let (made, _) = spliced(&pages, &[1, 2], None, &files);
    let layouts = files.layouts();
    // Not in the folder: nothing to copy from.
    files.restore(layouts.clone());
    assert!(files.take("data/briefs.json").is_none());
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/briefs.json"), &made).unwrap();
    files.restore(layouts.clone());
    assert!(files.take("data/briefs.json").is_some());
    // Changed by someone else: not used.
    std::fs::write(dir.path().join("data/briefs.json"), b"{}").unwrap();
    files.restore(layouts);
    assert!(files.take("data/briefs.json").is_none());
}

#[test]
fn a_csv_made_row_by_row_is_what_one_writer_makes_of_all() {
    let rows = [
        vec!["slug", "a \"quoted\" cell", "line\nend"],
        vec!["b", "", ";x;"],
    ];
    let mut whole = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in &rows {
        whole.write_record(row).unwrap();
    }
    let whole = whole.into_inner().unwrap();
    let joined: Vec<u8> = rows
        .iter()
        .flat_map(|row| super::super::csv_row(row))
        .collect();
    assert_eq!(joined, whole);
}
