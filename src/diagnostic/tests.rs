use super::*;
use std::sync::Arc;

#[test]
fn line_and_column_are_one_based_and_count_characters() {
    let text = "ab\ncdé\nfg";
    let file = SourceFile::new("x", text);
    assert_eq!(file.line_column(0), (1, 1));
    assert_eq!(file.line_column(3), (2, 1));
    // 'é' is two bytes; the column after it is 4.
    assert_eq!(file.line_column(7), (2, 4));
    assert_eq!(file.line_column(8), (3, 1));
    assert_eq!(SourceFile::new("x", "\u{feff}+++").line_column(3), (1, 1));
    assert_eq!(&text[file.lines(2, 2)], "cdé");
    assert_eq!(&text[file.lines(2, 3)], "cdé\nfg");
    assert_eq!(&text[file.lines(1, 1)], "ab");
}

#[test]
fn out_of_range_spans_are_clamped() {
    let file = SourceFile::new("x.md", "é");
    let loc = file.at(1..99);
    assert_eq!(loc.span, 0..2);
}

#[test]
fn rendering_names_file_line_and_column() {
    let file = SourceFile::new("content/briefs/a.md", "+++\ntitle = 1\n+++\n");
    let d = Diagnostic::error("`title` must be a string")
        .at(file.at(12..13))
        .label("this is an integer")
        .hint("write title = \"...\"");
    let text = d.render(false);
    assert!(text.contains("content/briefs/a.md:2:9"), "{text}");
    assert!(text.contains("title = 1"), "{text}");
    assert!(text.contains("this is an integer"), "{text}");
    assert!(text.contains("help: write title"), "{text}");
}

#[test]
fn suggestions_pick_the_nearest_slug() {
    let slugs = ["jica", "jetro", "jpbcc"];
    assert_eq!(closest("jicaa", slugs), Some("jica"));
    assert_eq!(closest("zzzzzz", slugs), None);
}

/// A source of texts for files kept by their prints: a map, and the
/// paths it was told were lost.
#[derive(Debug, Default)]
struct Texts {
    files: std::sync::Mutex<std::collections::HashMap<PathBuf, String>>,
    lost: std::sync::Mutex<Vec<PathBuf>>,
    reads: std::sync::atomic::AtomicUsize,
}

impl TextSource for Texts {
    fn read(&self, path: &Path) -> Option<String> {
        self.reads
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.files.lock().unwrap().get(path).cloned()
    }

    fn lost(&self, path: &Path) {
        self.lost.lock().unwrap().push(path.to_path_buf());
    }
}

/// A file kept by its print, serialized as the kept state does.
fn kept(file: &SourceFile) -> SourceFile {
    #[derive(Serialize, Deserialize)]
    struct Kept(#[serde(with = "by_print")] SourceFile);
    let bytes = postcard::to_stdvec(&Kept(file.clone())).unwrap();
    // Only the path and the print: not the text.
    assert!(bytes.len() < file.path.as_os_str().len() + 40);
    postcard::from_bytes::<Kept>(&bytes).unwrap().0
}

#[test]
fn a_file_kept_by_its_print_reads_its_text_again_once_when_needed() {
    let file = SourceFile::new("content/briefs/a.md", "+++\ntitle = \"A\"\n+++\nBody.\n");
    let back = kept(&file);
    let texts = Arc::new(Texts::default());
    texts
        .files
        .lock()
        .unwrap()
        .insert(file.path.clone(), file.text().to_string());
    let source: Arc<dyn TextSource> = texts.clone();
    back.reread_from(&source);
    // Compared and hashed by its print, without being read.
    assert_eq!(back, file);
    assert_eq!(back.print(), file.print());
    assert_eq!(texts.reads.load(std::sync::atomic::Ordering::Relaxed), 0);
    // Read once, shared by the clones.
    let clone = back.clone();
    assert_eq!(clone.text(), file.text());
    assert_eq!(back.text(), file.text());
    assert_eq!(back.line_column(20), (4, 1));
    assert_eq!(texts.reads.load(std::sync::atomic::Ordering::Relaxed), 1);
    assert!(texts.lost.lock().unwrap().is_empty());
    // Kept again while unread: the same bytes, without reading it.
    let again = kept(&kept(&file));
    assert_eq!(again.print(), file.print());
}

#[test]
fn a_file_whose_text_changed_since_it_was_kept_reads_as_empty_and_is_lost() {
    let file = SourceFile::new("content/briefs/a.md", "+++\ntitle = \"A\"\n+++\nBody.\n");
    for now in [Some("+++\ntitle = \"B\"\n+++\nBody.\n"), None] {
        let back = kept(&file);
        let texts = Arc::new(Texts::default());
        if let Some(now) = now {
            texts
                .files
                .lock()
                .unwrap()
                .insert(file.path.clone(), now.to_string());
        }
        let source: Arc<dyn TextSource> = texts.clone();
        back.reread_from(&source);
        assert_eq!(back.text(), "");
        assert_eq!(*texts.lost.lock().unwrap(), vec![file.path.clone()]);
    }
    // An empty text (a stub's) is never read.
    let stub = kept(&SourceFile::new("content/briefs/a.md", ""));
    assert_eq!(stub.text(), "");
}
