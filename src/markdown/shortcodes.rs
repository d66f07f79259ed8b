//! Shortcodes in Markdown, written as Zola writes them:
//!
//! ```text
//! {{ figure(src="port.jpg", caption="Karachi port") }}
//! {% note(kind="caution") %}
//! Figures are the ministry's own.
//! {% end %}
//! ```
//!
//! The first is an inline call, the second a call with a body. Arguments
//! are typed as in Tera: strings in `"`, `'` or `` ` ``, integers,
//! floats, `true` and `false`, and lists in `[...]`. A shortcode in a code
//! span or block is text. Each call is replaced by a marker that Markdown
//! leaves alone; the templates `shortcodes/<name>.html` render the calls
//! when the page is (see `crate::render::shortcodes`).

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// Starts a marker in the text Markdown renders: a private-use
/// character, which writers do not type (any in the source is replaced).
pub const MARK_START: char = '\u{e000}';
pub const MARK_END: char = '\u{e001}';

/// An argument's value, typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Arg {
    Str(String),
    Int(i64),
    /// As written (`2.5`), so that it compares and hashes exactly.
    Float(String),
    Bool(bool),
    List(Vec<Arg>),
}

impl Arg {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Arg::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Text of the value for search: strings, and the strings in lists.
    fn text(&self, out: &mut String) {
        match self {
            Arg::Str(s) => {
                out.push_str(s);
                out.push(' ');
            }
            Arg::List(items) => items.iter().for_each(|i| i.text(out)),
            _ => {}
        }
    }
}

/// One call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shortcode {
    pub name: String,
    /// In the order written, each with the span of its value.
    pub args: Vec<(String, Arg, Range<usize>)>,
    /// The Markdown between `{% name(...) %}` and `{% end %}`, and where
    /// it starts in the body.
    pub body: Option<(String, usize)>,
    /// The whole call, in the body.
    pub span: Range<usize>,
}

impl Shortcode {
    pub fn arg(&self, name: &str) -> Option<&Arg> {
        self.args
            .iter()
            .find(|(k, _, _)| k == name)
            .map(|(_, v, _)| v)
    }

    /// Words a search for the page should find: the text arguments (a
    /// caption, a speaker), not those that name a file, a page or a style.
    pub fn search_text(&self) -> String {
        const NOT_TEXT: &[&str] = &["src", "name", "kind", "url", "href", "id", "class"];
        let mut out = String::new();
        for (key, value, _) in &self.args {
            if !NOT_TEXT.contains(&key.as_str())
                && value.as_str().is_none_or(|v| !v.starts_with("@/"))
            {
                value.text(&mut out);
            }
        }
        out
    }
}

/// A mistake in a call: where, what, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub span: Range<usize>,
    pub message: String,
    pub hint: Option<String>,
}

/// The body with every call replaced by a marker, the calls, and where
/// each replaced stretch was.
#[derive(Debug, Default)]
pub struct Extracted {
    pub text: String,
    pub codes: Vec<Shortcode>,
    pub problems: Vec<Problem>,
    /// `(start in text, start in body, length in text, length in body)`
    /// of each marker, in order.
    replaced: Vec<(usize, usize, usize, usize)>,
}

impl Extracted {
    /// Where a position in the text is in the body.
    pub fn to_body(&self, at: usize) -> usize {
        // The last marker that starts at or before `at`.
        let n = self.replaced.partition_point(|r| r.0 <= at);
        let Some(&(text_start, body_start, text_len, body_len)) =
            n.checked_sub(1).map(|i| &self.replaced[i])
        else {
            return at;
        };
        if at < text_start + text_len {
            return body_start;
        }
        at - (text_start + text_len) + body_start + body_len
    }

    /// A span of the text as a span of the body.
    pub fn span_to_body(&self, span: Range<usize>) -> Range<usize> {
        self.to_body(span.start)..self.to_body(span.end)
    }
}

/// The marker that stands for call `n`.
pub fn marker(n: usize) -> String {
    format!("{MARK_START}{n}{MARK_END}")
}

/// Replaces the markers in `text`, in one pass: `with(n, before, after)`
/// gives what marker `n` becomes, and how many bytes to drop just before
/// and just after it; `None` leaves it as it is.
pub fn replace_markers(
    text: &str,
    mut with: impl FnMut(usize, &str, &str) -> Option<(String, (usize, usize))>,
) -> String {
    if !text.contains(MARK_START) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while let Some(found) = text[i..].find(MARK_START) {
        let start = i + found;
        let digits = start + MARK_START.len_utf8();
        let Some(len) = text[digits..].find(MARK_END) else {
            break;
        };
        let end = digits + len + MARK_END.len_utf8();
        i = end;
        let Ok(n) = text[digits..digits + len].parse::<usize>() else {
            continue;
        };
        let Some((replacement, (drop_before, drop_after))) =
            with(n, &text[copied..start], &text[end..])
        else {
            continue;
        };
        out.push_str(&text[copied..start - drop_before.min(start - copied)]);
        out.push_str(&replacement);
        copied = (end + drop_after).min(text.len());
        i = copied;
    }
    out.push_str(&text[copied..]);
    out
}

/// Finds the calls in `body` (outside code) and replaces them by markers
/// numbered from `first`.
pub fn extract(body: &str, first: usize) -> Extracted {
    let mut out = Extracted::default();
    let has_marks = body.contains([MARK_START, MARK_END]);
    if !has_marks && !body.contains("{{") && !body.contains("{%") {
        out.text = body.to_string();
        return out;
    }
    let code = code_ranges(body);
    let ends = block_ends(body, &code);
    let mut copied = 0;
    let mut text = String::with_capacity(body.len());
    let mut i = 0;
    while let Some(found) = body[i..].find(['{', MARK_START, MARK_END]) {
        let at = i + found;
        let c = body[at..].chars().next().unwrap_or('{');
        if c != '{' {
            // A marker character written by hand would pass for a call.
            text.push_str(&body[copied..at]);
            text.push('\u{fffd}');
            i = at + c.len_utf8();
            copied = i;
            continue;
        }
        let next = body.as_bytes().get(at + 1).copied();
        if !matches!(next, Some(b'{' | b'%')) || in_code(&code, at) {
            i = at + 1;
            continue;
        }
        // Zola's escape: `{{/* youtube(id="abc") */}}` is the text
        // `{{ youtube(id="abc") }}`, not a call.
        if let Some((literal, len)) = escaped(&body[at..]) {
            text.push_str(&body[copied..at]);
            out.replaced.push((text.len(), at, literal.len(), len));
            text.push_str(&literal);
            i = at + len;
            copied = i;
            continue;
        }
        match parse_call(body, at, &ends) {
            Parsed::NotACall => {
                i = at + 2;
            }
            Parsed::Problem(problem) => {
                i = problem.span.end.max(at + 2);
                out.problems.push(problem);
            }
            Parsed::Call(call) => {
                text.push_str(&body[copied..at]);
                let mark = marker(first + out.codes.len());
                out.replaced
                    .push((text.len(), at, mark.len(), call.span.len()));
                text.push_str(&mark);
                i = call.span.end;
                copied = i;
                out.codes.push(call);
            }
        }
    }
    text.push_str(&body[copied..]);
    out.text = text;
    out
}

/// A call written escaped at the start of `text` (`{{/* … */}}` or
/// `{%/* … */%}`, as Zola writes one to show it): the call as text, and
/// the length of what was written.
fn escaped(text: &str) -> Option<(String, usize)> {
    let (open, close, end) = match text.get(..4)? {
        "{{/*" => ("{{", "*/}}", "}}"),
        "{%/*" => ("{%", "*/%}", "%}"),
        _ => return None,
    };
    let inner_end = text[4..].find(close)? + 4;
    let literal = format!("{open}{}{end}", &text[4..inner_end]);
    Some((literal, inner_end + close.len()))
}

/// The byte ranges of code spans and code blocks.
fn code_ranges(body: &str) -> Vec<Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut ranges = Vec::new();
    let mut block: Option<usize> = None;
    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Code(_) => ranges.push(range),
            Event::Start(Tag::CodeBlock(_)) => block = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = block.take() {
                    ranges.push(start..range.end);
                }
            }
            _ => {}
        }
    }
    ranges
}

/// Whether `at` is in one of `code` (in document order).
fn in_code(code: &[Range<usize>], at: usize) -> bool {
    let n = code.partition_point(|r| r.end <= at);
    code.get(n).is_some_and(|r| r.contains(&at))
}

enum Parsed {
    /// `{{` or `{%` that is not a call: left as text.
    NotACall,
    Problem(Problem),
    Call(Shortcode),
}

/// Reads a call starting at `at` (at `{{` or `{%`); `ends` gives where
/// each `{% name(...) %}` is ended.
///
/// Long: the grammar of one call, step by step, each step with its own error.
fn parse_call(
    body: &str,
    at: usize,
    ends: &std::collections::HashMap<usize, (usize, usize)>,
) -> Parsed {
    let block = body.as_bytes()[at + 1] == b'%';
    let mut p = Cursor {
        text: body,
        at: at + 2,
    };
    // Hugo's `{{< name >}}` and `{{% name %}}`.
    if !block && matches!(p.peek(), Some('<' | '%')) {
        // Up to its `>}}` (or `%}}`), else to the end of the line: both
        // are char boundaries, so the slices below always are.
        let (inner_end, end) = match body[at..].find(">}}").or_else(|| body[at..].find("%}}")) {
            Some(e) => (at + e, at + e + 3),
            None => {
                let end = line_end(body, at);
                (end, end)
            }
        };
        let inner = body.get(at + 3..inner_end).unwrap_or_default().trim();
        let name = inner.split_whitespace().next().unwrap_or("name");
        return Parsed::Problem(Problem {
            span: at..end,
            message: "Hugo shortcode syntax".into(),
            hint: Some(format!(
                "attache writes shortcodes as Zola does: {{{{ {name}(key=\"value\") }}}}, or {{% {name}(...) %}}...{{% end %}} with a body"
            )),
        });
    }
    p.spaces();
    let Some(name) = p.ident() else {
        return Parsed::NotACall;
    };
    p.spaces();
    // A stray `{% end %}` (the closing tag of a body shortcode, where no
    // body is open) is written as such, not with parentheses.
    if block && name == "end" && (p.peek() == Some('(') || p.rest().starts_with("%}")) {
        let end = p.at + if p.rest().starts_with("%}") { 2 } else { 0 };
        return Parsed::Problem(Problem {
            span: at..end.max(p.at),
            message: "`{% end %}` without a shortcode to end".into(),
            hint: Some("a shortcode with a body starts with {% name(...) %}".into()),
        });
    }
    if p.peek() != Some('(') {
        return Parsed::NotACall;
    }
    p.at += 1;
    let args = match p.args() {
        Ok(args) => args,
        Err(problem) => return Parsed::Problem(problem),
    };
    p.spaces();
    let close = if block { "%}" } else { "}}" };
    if !p.rest().starts_with(close) {
        return Parsed::Problem(Problem {
            span: p.at..p.at + p.rest().chars().next().map_or(0, char::len_utf8),
            message: format!("expected `{close}` to close the shortcode `{name}`"),
            hint: Some(format!(
                "write {}{}(...) {close}",
                if block { "{%" } else { "{{" },
                name
            )),
        });
    }
    p.at += 2;
    let mut span = at..p.at;
    let body_part = if block {
        match ends.get(&at).copied() {
            Some((body_end, end_end)) => {
                span.end = end_end;
                Some((body[p.at..body_end].to_string(), p.at))
            }
            None => {
                return Parsed::Problem(Problem {
                    span: at..p.at,
                    message: format!("the shortcode `{name}` has no `{{% end %}}`"),
                    hint: Some(format!(
                        "end its body with {{% end %}}, or write {{{{ {name}(...) }}}} for a shortcode without one"
                    )),
                });
            }
        }
    } else {
        None
    };
    Parsed::Call(Shortcode {
        name,
        args,
        body: body_part,
        span,
    })
}

/// The end of a line: where a problem with no end of its own stops.
fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |e| at + e)
}

/// Where each `{% name(...) %}` outside code is ended, by where it
/// starts: (where its body ends, where its `{% end %}` ends). Matched in
/// one pass, as brackets are, so a file of unended calls stays linear.
fn block_ends(
    body: &str,
    code: &[Range<usize>],
) -> std::collections::HashMap<usize, (usize, usize)> {
    let mut ends = std::collections::HashMap::new();
    let mut open: Vec<usize> = Vec::new();
    let mut i = 0;
    while let Some(found) = body[i..].find("{%") {
        let at = i + found;
        i = at + 2;
        if in_code(code, at) {
            continue;
        }
        let mut p = Cursor {
            text: body,
            at: at + 2,
        };
        p.spaces();
        let ident = p.ident();
        p.spaces();
        match ident.as_deref() {
            Some("end") if p.rest().starts_with("%}") => {
                if let Some(opener) = open.pop() {
                    ends.insert(opener, (at, p.at + 2));
                }
            }
            Some(_) if p.peek() == Some('(') => open.push(at),
            _ => {}
        }
    }
    ends
}

mod cursor;
use cursor::Cursor;

#[cfg(test)]
mod tests;
