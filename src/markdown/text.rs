//! Text helpers of Markdown rendering: control characters made safe,
//! heading ids (unique within a page) nested into a table of contents,
//! and text shortened at a word.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event};

use super::Heading;

/// Whether `c` is a control character that HTML and XML must not carry
/// (NUL, form feed, escape, ...); tab and line ends are text.
pub fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// `text` with each control character replaced by U+FFFD; `None` when it
/// has none (the common case, which allocates nothing).
pub fn replace_controls(text: &str) -> Option<String> {
    text.chars().any(is_forbidden_control).then(|| {
        text.chars()
            .map(|c| {
                if is_forbidden_control(c) {
                    '\u{fffd}'
                } else {
                    c
                }
            })
            .collect()
    })
}

/// Replaces control characters in text with U+FFFD, so that no page,
/// feed or search file carries one (they make a feed invalid XML).
pub(super) fn without_control_characters(event: Event<'_>) -> Event<'_> {
    fn clean(text: CowStr<'_>) -> CowStr<'_> {
        replace_controls(&text).map_or(text, CowStr::from)
    }
    match event {
        Event::Text(t) => Event::Text(clean(t)),
        Event::Code(t) => Event::Code(clean(t)),
        Event::Html(t) => Event::Html(clean(t)),
        Event::InlineHtml(t) => Event::InlineHtml(clean(t)),
        other => other,
    }
}

/// The id of a heading: its text, slugified; `section` if that is empty.
/// Letters of the Latin script are written without their accents (`Café`
/// is `cafe`, as before); letters of other scripts are kept, lowercased,
/// as GitHub and Hugo keep them (`## 提案の内容` is `提案の内容`, not
/// Mandarin pinyin of Japanese words).
pub fn heading_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        let kept = if c.is_ascii_alphanumeric() {
            Some(c.to_ascii_lowercase().to_string())
        } else if c.is_alphanumeric() && (c as u32) < 0x0370 {
            // Latin letters with marks, and the like: their ASCII form.
            Some(slug::slugify(c.to_string())).filter(|s| !s.is_empty())
        } else if c.is_alphanumeric() || is_mark(c) {
            Some(c.to_lowercase().collect())
        } else {
            None
        };
        match kept {
            Some(part) => {
                if gap && !id.is_empty() {
                    id.push('-');
                }
                gap = false;
                id.push_str(&part);
            }
            None => gap = true,
        }
    }
    if id.is_empty() { "section".into() } else { id }
}

/// Combining marks and the like, which belong to the letter before them
/// in scripts such as Devanagari and Thai (and the voiced marks of kana).
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0900..=0x0DFF | 0x0E00..=0x0EFF | 0x3099..=0x309A)
}

/// Heading ids handed out so far. A repeated base gets `-1`, `-2`, ...;
/// the next number to try is kept per base, so a thousand headings with
/// the same text cost a thousand steps, not half a million.
#[derive(Default)]
pub(super) struct UniqueIds {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl UniqueIds {
    pub(super) fn claim(&mut self, base: &str) -> String {
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        let n = self.next.entry(base.to_string()).or_insert(1);
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }
}

/// Nests a flat list of headings by level.
pub(super) fn nest(flat: Vec<(u8, String, String)>) -> Vec<Heading> {
    fn attach(into: &mut Vec<Heading>, heading: Heading) {
        match into.last_mut() {
            Some(last) if last.level < heading.level => attach(&mut last.children, heading),
            _ => into.push(heading),
        }
    }
    let mut toc = Vec::new();
    for (level, id, title) in flat {
        attach(
            &mut toc,
            Heading {
                level,
                id,
                title,
                children: Vec::new(),
            },
        );
    }
    toc
}

/// Cuts `text` to at most `max` characters at a word boundary, adding `…`.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > max / 2 => &cut[..i],
        _ => &cut[..],
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}
