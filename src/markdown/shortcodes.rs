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

/// Reads shortcode syntax.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn spaces(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn ident(&mut self) -> Option<String> {
        let rest = self.rest();
        let len = rest
            .char_indices()
            .find(|&(i, c)| !(c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())))
            .map_or(rest.len(), |(i, _)| i);
        (len > 0).then(|| {
            self.at += len;
            rest[..len].to_string()
        })
    }

    fn problem(&self, message: String, hint: &str) -> Problem {
        let len = self.peek().map_or(0, char::len_utf8);
        Problem {
            span: self.at..self.at + len,
            message,
            hint: Some(hint.to_string()),
        }
    }

    /// `key=value, ...` up to and past `)`.
    fn args(&mut self) -> Result<Vec<(String, Arg, Range<usize>)>, Problem> {
        let mut args: Vec<(String, Arg, Range<usize>)> = Vec::new();
        loop {
            self.spaces();
            if self.peek() == Some(')') {
                self.at += 1;
                return Ok(args);
            }
            let key_at = self.at;
            let Some(key) = self.ident() else {
                return Err(self.problem(
                    "expected an argument name or `)`".into(),
                    "arguments are written key=value, separated by commas",
                ));
            };
            if args.iter().any(|(k, _, _)| *k == key) {
                return Err(Problem {
                    span: key_at..self.at,
                    message: format!("the argument `{key}` is given twice"),
                    hint: None,
                });
            }
            self.spaces();
            if self.peek() != Some('=') {
                return Err(self.problem(
                    format!("expected `=` after `{key}`"),
                    "arguments are written key=value",
                ));
            }
            self.at += 1;
            self.spaces();
            let value_at = self.at;
            let value = self.value()?;
            args.push((key, value, value_at..self.at));
            self.spaces();
            match self.peek() {
                Some(',') => self.at += 1,
                Some(')') => {}
                _ => {
                    return Err(self.problem(
                        "expected `,` or `)` after an argument".into(),
                        "separate arguments with commas",
                    ));
                }
            }
        }
    }

    fn value(&mut self) -> Result<Arg, Problem> {
        let value_hint = "a value is a \"string\", a number, true, false, or a [list]";
        match self.peek() {
            Some(quote @ ('"' | '\'' | '`')) => {
                let start = self.at;
                self.at += 1;
                let mut out = String::new();
                let mut chars = self.rest().char_indices();
                while let Some((i, c)) = chars.next() {
                    match c {
                        '\\' if quote != '`' => match chars.next() {
                            Some((_, 'n')) => out.push('\n'),
                            Some((_, 't')) => out.push('\t'),
                            Some((_, other)) => out.push(other),
                            None => break,
                        },
                        c if c == quote => {
                            self.at += i + 1;
                            return Ok(Arg::Str(out));
                        }
                        '\n' if quote != '`' => break,
                        c => out.push(c),
                    }
                }
                Err(Problem {
                    span: start..start + 1,
                    message: "this string has no closing quote".into(),
                    hint: Some(format!("end it with {quote} on the same line")),
                })
            }
            Some('[') => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.spaces();
                    if self.peek() == Some(']') {
                        self.at += 1;
                        return Ok(Arg::List(items));
                    }
                    items.push(self.value()?);
                    self.spaces();
                    match self.peek() {
                        Some(',') => self.at += 1,
                        Some(']') => {}
                        _ => {
                            return Err(self.problem(
                                "expected `,` or `]` in a list".into(),
                                "separate the items of a list with commas",
                            ));
                        }
                    }
                }
            }
            Some(c) if c == '-' || c.is_ascii_digit() => {
                let rest = self.rest();
                let len = rest
                    .char_indices()
                    .skip(1)
                    .find(|&(_, c)| !(c.is_ascii_digit() || c == '.' || c == '_'))
                    .map_or(rest.len(), |(i, _)| i);
                let number = rest[..len].replace('_', "");
                let span = self.at..self.at + len;
                self.at += len;
                if let Ok(n) = number.parse::<i64>() {
                    Ok(Arg::Int(n))
                } else if number.parse::<f64>().is_ok_and(f64::is_finite) {
                    Ok(Arg::Float(number))
                } else {
                    Err(Problem {
                        span,
                        message: format!("`{}` is not a number", &rest[..len]),
                        hint: Some(value_hint.into()),
                    })
                }
            }
            _ => {
                let at = self.at;
                match self.ident().as_deref() {
                    Some("true") => Ok(Arg::Bool(true)),
                    Some("false") => Ok(Arg::Bool(false)),
                    Some(word) => Err(Problem {
                        span: at..self.at,
                        message: format!("`{word}` is not a value"),
                        hint: Some(format!("{value_hint}; text goes in quotes: \"{word}\"")),
                    }),
                    None => Err(self.problem("expected a value".into(), value_hint)),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing: an unclosed Hugo call whose line ends in a
    /// character of several bytes cut a slice inside it.
    #[test]
    fn an_unclosed_hugo_call_before_a_wide_character_is_a_problem_not_a_panic() {
        for body in [
            "{{< é12",
            "{{< T é",
            "{{< Té\n",
            "{{%}}",
            "{{< ",
            "{{<\u{fffd}",
        ] {
            let found = extract(body, 0);
            assert_eq!(found.problems.len(), 1, "{body:?}");
            assert_eq!(found.problems[0].message, "Hugo shortcode syntax");
        }
    }

    #[test]
    fn inline_and_block_calls_with_typed_arguments() {
        let body = "Intro {{ figure(src=\"a.jpg\", width=640, ratio=1.5, wide=true, tags=['x', \"y\"]) }} end.\n\n{% note(kind=\"caution\") %}\nInner *text*.\n{% end %}\n";
        let found = extract(body, 0);
        assert!(found.problems.is_empty(), "{:?}", found.problems);
        assert_eq!(found.codes.len(), 2);
        let figure = &found.codes[0];
        assert_eq!(figure.name, "figure");
        assert_eq!(figure.arg("src"), Some(&Arg::Str("a.jpg".into())));
        assert_eq!(figure.arg("width"), Some(&Arg::Int(640)));
        assert_eq!(figure.arg("ratio"), Some(&Arg::Float("1.5".into())));
        assert_eq!(figure.arg("wide"), Some(&Arg::Bool(true)));
        assert_eq!(
            figure.arg("tags"),
            Some(&Arg::List(vec![Arg::Str("x".into()), Arg::Str("y".into())]))
        );
        let note = &found.codes[1];
        assert_eq!(note.body.as_ref().unwrap().0, "\nInner *text*.\n");
        assert_eq!(
            &body[note.span.clone()],
            "{% note(kind=\"caution\") %}\nInner *text*.\n{% end %}"
        );
        assert_eq!(
            found.text,
            format!("Intro {} end.\n\n{}\n", marker(0), marker(1))
        );
        // Positions after a marker map back to the body.
        let after = found.text.find(" end.").unwrap();
        assert_eq!(
            &body[found.to_body(after)..found.to_body(after) + 5],
            " end."
        );
    }

    #[test]
    fn code_and_other_braces_are_left_alone() {
        let body = "`{{ figure(src=\"a\") }}` and\n\n```\n{% note() %}x{% end %}\n```\n\n{{ not a call }} {% raw %}";
        let found = extract(body, 0);
        assert!(found.codes.is_empty() && found.problems.is_empty());
        assert_eq!(found.text, body);
    }

    #[test]
    fn mistakes_are_located() {
        let cases = [
            ("{{ f(a=1 b=2) }}", "expected `,` or `)`", "b"),
            ("{{ f(a=\"x) }}", "no closing quote", "\""),
            ("{{ f(a=nope) }}", "`nope` is not a value", "nope"),
            ("{{ f(a=1) %}", "expected `}}`", "%"),
            ("{% f(a=1) %} body", "has no `{% end %}`", "{% f(a=1) %}"),
            (
                "{{< figure src=\"x\" >}}",
                "Hugo shortcode syntax",
                "{{< figure src=\"x\" >}}",
            ),
            ("{{ f(a=1, a=2) }}", "given twice", "a"),
            (
                "text {% end %} more",
                "without a shortcode to end",
                "{% end %}",
            ),
            ("{% end() %}", "without a shortcode to end", "{% end"),
        ];
        for (body, message, at) in cases {
            let found = extract(body, 0);
            let problem = found.problems.first().unwrap_or_else(|| panic!("{body}"));
            assert!(
                problem.message.contains(message),
                "{body}: {}",
                problem.message
            );
            assert_eq!(&body[problem.span.clone()], at, "{body}");
        }
    }

    #[test]
    fn nested_bodies_end_at_their_own_end() {
        let body = "{% outer() %}a {% inner() %}b{% end %} c{% end %}";
        let found = extract(body, 0);
        assert_eq!(found.codes.len(), 1);
        assert_eq!(
            found.codes[0].body.as_ref().unwrap().0,
            "a {% inner() %}b{% end %} c"
        );
    }

    #[test]
    fn marker_characters_written_by_hand_are_replaced() {
        let found = extract("a\u{e000}0\u{e001}b", 0);
        assert!(found.codes.is_empty());
        assert_eq!(found.text, "a\u{fffd}0\u{fffd}b");
    }

    #[test]
    fn deep_nesting_is_a_problem_not_a_crash() {
        let body = "{% n() %}".repeat(5_000) + &"{% end %}".repeat(5_000);
        let cx = crate::markdown::Context {
            resolve: &|_, _| None,
            raw_html: crate::markdown::RawHtml::Keep,
            card_kind: &|_| None,
        };
        let rendered = crate::markdown::render(&body, &cx);
        assert!(
            rendered
                .shortcode_problems
                .iter()
                .any(|p| p.message.contains("nested more than")),
            "{:?}",
            rendered.shortcode_problems.first()
        );
    }

    #[test]
    fn ten_thousand_calls_stay_linear() {
        let body = "{{ f(a=1) }} ".repeat(10_000);
        let found = extract(&body, 0);
        assert_eq!(found.codes.len(), 10_000);
        assert_eq!(found.to_body(found.text.len()), body.len());
    }
}
