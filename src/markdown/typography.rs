//! Typographic punctuation for text outside Markdown (titles, summaries),
//! as pulldown-cmark's smart punctuation gives the body: curly quotes and
//! apostrophes, dashes and ellipses. "Vietnam's" in a heading then reads
//! as "Vietnam’s" does in the text below it.

/// `text` with straight quotes curled, `--` and `---` as en and em
/// dashes, and `...` as an ellipsis.
pub fn smart(text: &str) -> String {
    if !text.contains(['\'', '"', '-', '.']) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let before = i.checked_sub(1).map(|j| chars[j]);
        // An opening quote follows the start, a space or an opening
        // bracket or dash; any other is closing (or an apostrophe).
        let opens = before.is_none_or(|b| b.is_whitespace() || "([{\u{2014}\u{2013}-".contains(b));
        match c {
            '\'' => out.push(if opens { '\u{2018}' } else { '\u{2019}' }),
            '"' => out.push(if opens { '\u{201c}' } else { '\u{201d}' }),
            '-' if chars.get(i + 1) == Some(&'-') => {
                if chars.get(i + 2) == Some(&'-') {
                    out.push('\u{2014}');
                    i += 2;
                } else {
                    out.push('\u{2013}');
                    i += 1;
                }
            }
            '.' if chars.get(i + 1) == Some(&'.') && chars.get(i + 2) == Some(&'.') => {
                out.push('\u{2026}');
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::smart;

    #[test]
    fn quotes_apostrophes_dashes_and_ellipses() {
        assert_eq!(smart("Vietnam's \"green\" deal"), "Vietnam’s “green” deal");
        assert_eq!(smart("'Quoted' -- and --- so..."), "‘Quoted’ – and — so…");
        assert_eq!(smart("(\"a\") rock 'n' roll"), "(“a”) rock ‘n’ roll");
        assert_eq!(smart("'90s"), "‘90s");
        assert_eq!(smart("plain text"), "plain text");
        assert_eq!(smart("ends with '"), "ends with ‘");
    }
}
