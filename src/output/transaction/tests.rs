use super::*;
use crate::output::journal::flat_path;
use std::sync::Arc;

fn bytes(s: &str) -> Body {
    Body::Bytes(Arc::from(s.as_bytes()))
}

/// Stages `files` (path, text) in `tx`.
fn put(tx: &mut Transaction, files: &[(&str, &str)]) {
    let files: Vec<(String, Body)> = files
        .iter()
        .map(|(p, t)| (p.to_string(), bytes(t)))
        .collect();
    tx.put_all(files.iter().map(|(p, b)| (p, b)).collect::<Vec<_>>())
        .unwrap();
}

fn build(dir: &Path, files: &[(&str, &str)]) -> WriteStats {
    let old = Manifest::read(dir).unwrap_or_default();
    let mut tx = Transaction::begin(dir, old, Mode::Replace, false);
    put(&mut tx, files);
    tx.commit().unwrap().0
}

fn tree(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                crate::diagnostic::display_path(e.path().strip_prefix(dir).unwrap()),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .filter(|(p, _)| p != MANIFEST_FILE)
        .collect();
    out.sort();
    out
}

#[test]
fn writes_only_changes_and_removes_only_its_own_files() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path();
    let stats = build(out, &[("index.html", "home"), ("a/b/index.html", "b")]);
    assert_eq!((stats.written, stats.unchanged, stats.removed), (2, 0, 0));
    std::fs::write(out.join("mine.txt"), "someone's").unwrap();
    let stats = build(out, &[("index.html", "home 2"), ("c/index.html", "c")]);
    assert_eq!((stats.written, stats.unchanged, stats.removed), (2, 0, 1));
    assert_eq!(
        tree(out),
        [
            ("c/index.html".into(), "c".into()),
            ("index.html".into(), "home 2".into()),
            ("mine.txt".into(), "someone's".into()),
        ]
    );
    assert!(!out.join("a").exists(), "emptied folders go");
    assert!(!out.join(STAGING_DIR).exists());
    assert!(!out.join(JOURNAL_FILE).exists());
    let stats = build(out, &[("index.html", "home 2"), ("c/index.html", "c")]);
    assert_eq!((stats.written, stats.unchanged, stats.removed), (0, 2, 0));
}

#[test]
fn a_file_changed_by_hand_is_written_again() {
    let d = tempfile::tempdir().unwrap();
    build(d.path(), &[("index.html", "home")]);
    std::fs::write(d.path().join("index.html"), "vandalised!").unwrap();
    let stats = build(d.path(), &[("index.html", "home")]);
    assert_eq!(stats.written, 1);
    assert_eq!(tree(d.path()), [("index.html".into(), "home".into())]);
}

#[test]
fn files_in_the_way_that_attache_did_not_write_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path();
    build(out, &[("index.html", "home")]);
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    std::fs::create_dir_all(out.join("x")).unwrap();
    std::fs::write(out.join("x/keep.txt"), "mine").unwrap();
    let old = Manifest::read(out).unwrap();
    let mut tx = Transaction::begin(out, old, Mode::Replace, false);
    put(
        &mut tx,
        &[
            ("notes.txt", "generated"),
            ("x", "a file where a folder is"),
        ],
    );
    let problems = tx.commit().unwrap_err();
    assert_eq!(problems.problems.len(), 2, "{problems:?}");
    assert!(!problems.unfinished);
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(out.join("x/keep.txt").exists());
    assert!(!out.join(STAGING_DIR).exists());
}

#[test]
fn a_file_and_a_folder_may_swap_places() {
    let d = tempfile::tempdir().unwrap();
    build(d.path(), &[("x", "file")]);
    build(d.path(), &[("x/index.html", "page")]);
    assert_eq!(tree(d.path()), [("x/index.html".into(), "page".into())]);
    build(d.path(), &[("x", "file again")]);
    assert_eq!(tree(d.path()), [("x".into(), "file again".into())]);
}

#[test]
fn recovery_finishes_a_journal_and_clears_abandoned_staging() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path();
    build(out, &[("a.html", "old a"), ("b.html", "old b")]);
    // Stage a new site and write its journal, but do not apply it.
    let old = Manifest::read(out).unwrap();
    let mut tx = Transaction::begin(out, old, Mode::Replace, false);
    put(&mut tx, &[("a.html", "new a"), ("c/index.html", "new c")]);
    let (install, flat) = tx.moves(&Folder::open(out).unwrap(), &mut Seen::new());
    // a.html was staged flat (the output's own folder is there), c/ whole.
    assert_eq!(
        (&install[..], &flat[..]),
        (&["c".to_string()][..], &["a.html".to_string()][..])
    );
    let journal = Journal {
        install,
        flat,
        remove: tx.removals(),
        manifest: serde_json::value::to_raw_value(&Manifest {
            format: manifest::FORMAT,
            files: tx.new.clone(),
        })
        .unwrap(),
    };
    manifest::write_atomically(
        &out.join(JOURNAL_FILE),
        &serde_json::to_vec(&journal).unwrap(),
    )
    .unwrap();
    // Half of the apply happened: b.html is already gone, and the new
    // a.html in place.
    std::fs::remove_file(out.join("b.html")).unwrap();
    std::fs::rename(out.join(flat_path("a.html")), out.join("a.html")).unwrap();
    assert!(recover(out).unwrap().is_some());
    assert_eq!(
        tree(out),
        [
            ("a.html".into(), "new a".into()),
            ("c/index.html".into(), "new c".into())
        ]
    );
    assert_eq!(Manifest::read(out).unwrap().files.len(), 2);

    std::fs::create_dir_all(out.join(STAGING_DIR).join("new")).unwrap();
    std::fs::write(out.join(STAGING_DIR).join("new/a.html"), "never").unwrap();
    assert!(recover(out).unwrap().is_some());
    assert!(!out.join(STAGING_DIR).exists());
    assert_eq!(recover(out).unwrap(), None);
}

#[test]
fn new_folders_move_as_a_whole() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("a")).unwrap();
    let written: Vec<String> = ["a/b/1.html", "a/b/2.html", "a/c.html", "z/y/x.html"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let folder = Folder::open(d.path()).unwrap();
    assert_eq!(
        whole_folders(written.iter().collect(), &folder, &mut Seen::new()),
        ["a/b", "a/c.html", "z"]
    );
}

/// A file whose folder the last build wrote into is staged flat, by a
/// hash of its path: no folder of staging is made for it. One whose
/// folder is new is staged at its path, its folder moved in whole.
#[test]
fn files_in_folders_written_before_are_staged_flat() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path();
    build(out, &[("a/b/index.html", "b"), ("a/c/index.html", "c")]);
    let old = Manifest::read(out).unwrap();
    let mut tx = Transaction::begin(out, old, Mode::Update, false);
    put(
        &mut tx,
        &[
            ("a/b/index.html", "b 2"),
            ("a/n/index.html", "n"),
            ("top.html", "top"),
        ],
    );
    let staged = out.join(STAGING_DIR);
    assert_eq!(
        std::fs::read_to_string(out.join(flat_path("a/b/index.html"))).unwrap(),
        "b 2"
    );
    assert_eq!(
        std::fs::read_to_string(out.join(flat_path("top.html"))).unwrap(),
        "top"
    );
    assert!(!staged.join("new/a/b").exists());
    assert!(staged.join("new/a/n/index.html").exists());
    let (install, flat) = tx.moves(&Folder::open(out).unwrap(), &mut Seen::new());
    assert_eq!(install, ["a/n"]);
    assert_eq!(flat, ["a/b/index.html", "top.html"]);
    tx.commit().unwrap();
    assert_eq!(
        tree(out),
        [
            ("a/b/index.html".into(), "b 2".into()),
            ("a/c/index.html".into(), "c".into()),
            ("a/n/index.html".into(), "n".into()),
            ("top.html".into(), "top".into()),
        ]
    );
    assert!(!staged.exists());
}

/// A file staged flat whose folder went since the last build (removed by
/// hand, or with the folder's last file) is moved in all the same: the
/// move makes its folder.
#[test]
fn a_file_staged_flat_makes_its_folder_when_it_went() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path();
    build(out, &[("a/b/one.html", "1"), ("a/b/two.html", "2")]);
    std::fs::remove_dir_all(out.join("a")).unwrap();
    let old = Manifest::read(out).unwrap();
    let mut tx = Transaction::begin(out, old, Mode::Update, false);
    tx.remove("a/b/one.html");
    put(&mut tx, &[("a/b/two.html", "2 again")]);
    assert!(out.join(flat_path("a/b/two.html")).exists());
    tx.commit().unwrap();
    assert_eq!(tree(out), [("a/b/two.html".into(), "2 again".into())]);
}

#[test]
fn kept_files_must_be_the_manifests_and_join_the_staged_ones() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path();
    build(
        out,
        &[("a.html", "a"), ("b/index.html", "b"), ("c.html", "c")],
    );
    let old = Manifest::read(out).unwrap();
    let hash = |rel: &str| old.files[rel].hash;
    let (a, c) = ("a.html".to_string(), "c.html".to_string());
    let missing = "zz.html".to_string();

    let mut tx = Transaction::begin(out, old.clone(), Mode::Replace, false);
    put(&mut tx, &[("b/index.html", "new b")]);
    // Out of order, one twice, one with another hash, one never written.
    let problems = tx.keep_all([
        (&c, hash("c.html")),
        (&a, hash("a.html")),
        (&a, hash("a.html")),
        (&missing, 1),
        (&c, hash("c.html") ^ 1),
    ]);
    let said: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
    assert_eq!(said.len(), 2, "{said:?}");
    assert!(said.iter().any(|m| m.contains("zz.html is not the file")));
    assert!(said.iter().any(|m| m.contains("c.html is not the file")));
    assert_eq!(tx.new["a.html"], old.files["a.html"]);
    assert_eq!(tx.new["c.html"], old.files["c.html"]);
    assert_ne!(tx.new["b/index.html"].hash, old.files["b/index.html"].hash);
    assert_eq!(tx.new.len(), 3);
    tx.commit().unwrap();
    assert_eq!(
        tree(out),
        [
            ("a.html".into(), "a".into()),
            ("b/index.html".into(), "new b".into()),
            ("c.html".into(), "c".into())
        ]
    );

    // A file removed and then kept stays.
    let old = Manifest::read(out).unwrap();
    let mut tx = Transaction::begin(out, old.clone(), Mode::Update, false);
    tx.remove("a.html");
    assert!(tx.keep_all([(&a, old.files["a.html"].hash)]).is_empty());
    assert!(tx.removed.is_empty());
    assert_eq!(tx.new, old.files);
}
