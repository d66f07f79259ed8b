//! Front matter that is not valid TOML, said once and where the mistake
//! is. The TOML parser recovers and goes on, so one slip (a list left
//! open) gives a dozen errors, none of them on its line; a writer wants
//! the first one, or better, the one that names the slip.

use std::ops::Range;

/// What is wrong with front matter `front` that the parser could not
/// read, as (message, span in `front`, label, hint): the list left open
/// when there is one, else the parser's first error. `first` is that
/// error's message and span.
pub fn explain(front: &str, first: (&str, Option<Range<usize>>)) -> Explained {
    if let Some(open) = unclosed_list(front) {
        return Explained {
            message: "this list is not closed".into(),
            span: Some(open.clone()),
            label: Some("`[` opened here has no `]`".into()),
            hint: "end the list with `]` on the same line or a later one: `sectors = [\"energy\", \"minerals\"]`".into(),
        };
    }
    let (message, span) = first;
    let written = span.clone().and_then(|s| front.get(line_around(front, s)));
    let hint = match written.and_then(unquoted_month) {
        Some(month) => format!(
            "a month alone is written as text: `date = \"{month}\"` (a meeting whose day is not set yet)"
        ),
        None => {
            "front matter is TOML: `key = \"text\"`, `key = 2025-06-10`, `key = [\"a\", \"b\"]`"
                .into()
        }
    };
    Explained {
        message: format!("invalid TOML: {}", message.trim()),
        span,
        label: None,
        hint,
    }
}

/// A TOML error said for a writer.
pub struct Explained {
    pub message: String,
    pub span: Option<Range<usize>>,
    pub label: Option<String>,
    pub hint: String,
}

/// The `[` of a list value that a later `key =` line (or the end of the
/// front matter) finds still open: `sectors = ["sez", "minerals"` with
/// the next field on the line below. Brackets in strings and comments
/// do not count.
fn unclosed_list(front: &str) -> Option<Range<usize>> {
    let mut open: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in front.split_inclusive('\n') {
        let starts_key = is_key_line(line);
        // A new key (or table) while a value's list is open: that list
        // was never closed.
        if starts_key && let Some(&first) = open.first() {
            return Some(first..first + 1);
        }
        if !starts_key && open.is_empty() {
            offset += line.len();
            continue;
        }
        let mut quote: Option<char> = None;
        let mut escaped = false;
        for (i, c) in line.char_indices() {
            match quote {
                Some(q) => {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' && q == '"' {
                        escaped = true;
                    } else if c == q {
                        quote = None;
                    }
                }
                None => match c {
                    '"' | '\'' => quote = Some(c),
                    '#' => break,
                    '[' if starts_key && open.is_empty() && !before_equals(line, i) => {
                        open.push(offset + i)
                    }
                    '[' if !open.is_empty() => open.push(offset + i),
                    ']' => {
                        open.pop();
                    }
                    _ => {}
                },
            }
        }
        offset += line.len();
    }
    open.first().map(|&first| first..first + 1)
}

/// Whether `line` begins a key (`name =`, `"name" =`) or a table (`[x]`).
fn is_key_line(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with('[') {
        // A table header starts at the line's start; a list's items are
        // indented or follow a comma.
        return line.starts_with('[');
    }
    let Some((key, _)) = t.split_once('=') else {
        return false;
    };
    let key = key.trim();
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | '\'' | ' '))
}

/// Whether position `i` of `line` comes before its `=` (a table name, not
/// a value).
fn before_equals(line: &str, i: usize) -> bool {
    line.find('=').is_none_or(|eq| i < eq)
}

/// The whole line holding `span`.
fn line_around(text: &str, span: Range<usize>) -> Range<usize> {
    let start = text
        .get(..span.start.min(text.len()))
        .map_or(0, |t| t.rfind('\n').map_or(0, |n| n + 1));
    let end = text
        .get(span.start.min(text.len())..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |n| span.start.min(text.len()) + n);
    start..end
}

/// `2027-02` when `line` is `key = 2027-02` (a year and month, unquoted).
fn unquoted_month(line: &str) -> Option<&str> {
    let (_, value) = line.split_once('=')?;
    let value = value.split('#').next()?.trim();
    let (year, month) = value.split_once('-')?;
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    (digits(year, 4) && digits(month, 2)).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_left_open_is_found_at_its_bracket() {
        let front = "title = \"A\"\nsectors = [\"sez\", \"minerals\"\nagencies = [\"jica\"]\n";
        let open = unclosed_list(front).unwrap();
        assert_eq!(&front[open.clone()], "[");
        assert_eq!(open.start, front.find("[\"sez").unwrap());
        // Closed lists, over lines or with brackets in strings and
        // comments, are not.
        for fine in [
            "sectors = [\n  \"sez\",\n  \"minerals\",\n]\nagencies = []\n",
            "title = \"[draft\"\nsectors = [\"a\"] # [old\n",
            "[extra]\nnote = \"x\"\n",
            "tags = [[\"a\"], [\"b\"]]\n",
        ] {
            assert_eq!(unclosed_list(fine), None, "{fine}");
        }
        // Open at the end of the front matter.
        assert!(unclosed_list("sectors = [\"sez\"\n").is_some());
    }

    #[test]
    fn an_unquoted_month_is_told_to_be_quoted() {
        assert_eq!(unquoted_month("date = 2027-02"), Some("2027-02"));
        assert_eq!(unquoted_month("date = 2027-02-10"), None);
        let front = "title = \"A\"\ndate = 2027-02\n";
        let at = front.find("2027").unwrap();
        let e = explain(front, ("invalid date", Some(at + 7..at + 8)));
        assert!(e.hint.contains("`date = \"2027-02\"`"), "{}", e.hint);
    }
}
