use super::*;

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
