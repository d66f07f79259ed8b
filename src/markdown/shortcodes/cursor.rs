//! Reads the syntax of a shortcode call: names, arguments and their
//! values, as Tera writes them.

use std::ops::Range;

use super::{Arg, Problem};

/// Reads shortcode syntax.
pub(super) struct Cursor<'a> {
    pub(super) text: &'a str,
    pub(super) at: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    pub(super) fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    pub(super) fn spaces(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    pub(super) fn ident(&mut self) -> Option<String> {
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

    pub(super) fn problem(&self, message: String, hint: &str) -> Problem {
        let len = self.peek().map_or(0, char::len_utf8);
        Problem {
            span: self.at..self.at + len,
            message,
            hint: Some(hint.to_string()),
        }
    }

    /// `key=value, ...` up to and past `)`.
    pub(super) fn args(&mut self) -> Result<Vec<(String, Arg, Range<usize>)>, Problem> {
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

    /// Long: one arm per kind of argument value (strings, numbers, lists,
    /// booleans).
    pub(super) fn value(&mut self) -> Result<Arg, Problem> {
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
