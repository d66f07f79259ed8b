//! Splits a content file into its TOML front matter and Markdown body.
//!
//! The front matter sits between two lines that are exactly `+++`
//! (trailing whitespace and CRLF line ends allowed). Blank lines and a
//! byte-order mark may come before the opening line.

use std::ops::Range;

/// A file split in two; offsets are byte offsets into the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The opening `+++`, for errors about the front matter as a whole.
    pub open: Range<usize>,
    pub front: &'a str,
    pub front_offset: usize,
    pub body: &'a str,
    pub body_offset: usize,
}

/// Why a file could not be split, with the byte range to point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file has nothing but whitespace.
    Empty,
    /// The first line is not `+++`.
    Missing { span: Range<usize>, yaml: bool },
    /// The opening `+++` has no closing partner.
    Unclosed { span: Range<usize> },
}

impl SplitError {
    /// The message, a label for the span and a hint to fix it.
    pub fn explain(&self) -> (&'static str, &'static str, &'static str) {
        match self {
            SplitError::Empty => (
                "empty file",
                "nothing here",
                "a page starts with front matter: a line `+++`, `title = \"...\"`, and another `+++`",
            ),
            SplitError::Missing { yaml: true, .. } => (
                "front matter must be TOML between `+++` lines",
                "YAML front matter (`---`) is not supported",
                "replace the `---` lines with `+++` and write the fields as TOML (`title = \"...\"`)",
            ),
            SplitError::Missing { yaml: false, .. } => (
                "missing front matter",
                "expected a line `+++` here",
                "start the file with a line `+++`, then `title = \"...\"`, then another `+++`",
            ),
            SplitError::Unclosed { .. } => (
                "unclosed front matter",
                "front matter opened here is never closed",
                "add a line `+++` after the last front-matter field",
            ),
        }
    }

    pub fn span(&self) -> Range<usize> {
        match self {
            SplitError::Empty => 0..0,
            SplitError::Missing { span, .. } | SplitError::Unclosed { span } => span.clone(),
        }
    }
}

/// Lines of `text` with their byte range, without the line end.
fn lines(text: &str) -> impl Iterator<Item = (Range<usize>, &str)> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = text[start..end].trim_end_matches('\r');
        let range = start..end;
        start = end + 1;
        Some((range, line))
    })
}

fn is_delimiter(line: &str) -> bool {
    line.trim_end() == "+++"
}

pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    if text[bom..].trim().is_empty() {
        return Err(SplitError::Empty);
    }
    let mut lines =
        lines(text).skip_while(|(_, line)| line.trim_start_matches('\u{feff}').trim().is_empty());
    // The file is not blank, so there is a first non-blank line.
    let Some((open, first)) = lines.next() else {
        return Err(SplitError::Empty);
    };
    // Point at the visible text of the line, past any byte-order mark.
    let visible = first.trim_start_matches('\u{feff}').trim_end();
    let visible_start = open.start + (first.len() - first.trim_start_matches('\u{feff}').len());
    let visible_span = visible_start..visible_start + visible.len();
    if !is_delimiter(visible) {
        return Err(SplitError::Missing {
            span: visible_span,
            yaml: visible == "---",
        });
    }
    let front_offset = (open.end + 1).min(text.len());
    for (range, line) in lines {
        if is_delimiter(line) {
            let body_offset = (range.end + 1).min(text.len());
            return Ok(Split {
                open: visible_span,
                front: &text[front_offset..range.start],
                front_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
    }
    Err(SplitError::Unclosed { span: visible_span })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let text = "+++\ntitle = \"A\"\n+++\nBody\n";
        let s = split(text).unwrap();
        assert_eq!(s.front, "title = \"A\"\n");
        assert_eq!(s.front_offset, 4);
        assert_eq!(s.body, "Body\n");
        assert_eq!(&text[s.body_offset..], "Body\n");
    }

    #[test]
    fn accepts_crlf_bom_leading_blank_lines_and_trailing_spaces() {
        let text = "\u{feff}\r\n+++  \r\ntitle = \"A\"\r\n+++\r\nBody";
        let s = split(text).unwrap();
        assert_eq!(s.front, "title = \"A\"\r\n");
        assert_eq!(s.body, "Body");
        assert_eq!(&text[s.front_offset..s.front_offset + 5], "title");
    }

    #[test]
    fn front_matter_may_be_empty_and_body_may_be_missing() {
        let s = split("+++\n+++").unwrap();
        assert_eq!(s.front, "");
        assert_eq!(s.body, "");
    }

    #[test]
    fn a_delimiter_inside_the_body_is_body_text() {
        let s = split("+++\na = 1\n+++\ntext\n+++\nmore").unwrap();
        assert_eq!(s.body, "text\n+++\nmore");
    }

    #[test]
    fn empty_and_blank_files() {
        assert_eq!(split(""), Err(SplitError::Empty));
        assert_eq!(split(" \n\n\t\n"), Err(SplitError::Empty));
        assert_eq!(split("\u{feff}"), Err(SplitError::Empty));
    }

    #[test]
    fn missing_front_matter_points_at_the_first_line() {
        let err = split("\n# Title\n").unwrap_err();
        assert_eq!(
            err,
            SplitError::Missing {
                span: 1..8,
                yaml: false
            }
        );
    }

    #[test]
    fn yaml_is_recognised() {
        let err = split("---\ntitle: a\n---\n").unwrap_err();
        assert!(matches!(err, SplitError::Missing { yaml: true, .. }));
    }

    #[test]
    fn unclosed_points_at_the_opening_line() {
        let text = "\n+++\ntitle = \"A\"\nBody\n";
        let err = split(text).unwrap_err();
        assert_eq!(err, SplitError::Unclosed { span: 1..4 });
        let text = "+++ \r\ntitle = 1";
        assert_eq!(
            split(text).unwrap_err(),
            SplitError::Unclosed { span: 0..3 }
        );
    }
}
