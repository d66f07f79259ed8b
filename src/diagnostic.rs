//! Diagnostics: every problem attache finds, with where it is and what to do.
//!
//! A [`Diagnostic`] carries its source text, so it can be shown with a
//! snippet long after the file was read (the dev server shows the same
//! diagnostics in the browser). Nothing here decides *whether* something is
//! an error; the pipeline stages do, and collect all of them in one run.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::{Deserialize, Serialize};

mod list;
mod source;
pub use list::{Diagnostics, MAX_PER_FILE};
pub use source::{SourceFile, TextSource, by_print};

/// How bad a diagnostic is. Errors stop the output from being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    Error,
    Warning,
}

/// A parser's message (TOML's, Tera's) with the Rust types it names in a
/// writer's words: "expected usize" is "expected a whole number",
/// "expected `&[Value]`" is "expected a list".
pub fn in_words(message: &str) -> String {
    const WORDS: [(&str, &str); 16] = [
        ("&[Value]", "a list"),
        ("Vec<Value>", "a list"),
        ("&Map<String, Value>", "a map"),
        ("Map<String, Value>", "a map"),
        ("&str", "a text"),
        ("String", "a text"),
        ("bool", "true or false"),
        ("usize", "a whole number"),
        ("u64", "a whole number"),
        ("u32", "a whole number"),
        ("u16", "a whole number"),
        ("u8", "a whole number"),
        ("i64", "a whole number"),
        ("i32", "a whole number"),
        ("f64", "a number"),
        ("f32", "a number"),
    ];
    WORDS.iter().fold(message.to_string(), |m, (rust, plain)| {
        m.replace(&format!("`{rust}`"), plain)
            .replace(&format!("expected {rust}"), &format!("expected {plain}"))
    })
}

/// A place in a file: the span plus its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    pub file: SourceFile,
    pub span: Range<usize>,
    pub line: usize,
    pub column: usize,
}

impl Location {
    pub fn new(file: &SourceFile, span: Range<usize>) -> Self {
        let text = file.text();
        // Clamp to the text and to character boundaries so that a slightly
        // off span from a dependency can never make us panic.
        let mut start = span.start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = span.end.clamp(start, text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let (line, column) = file.line_column(start);
        Location {
            file: file.clone(),
            span: start..end,
            line,
            column,
        }
    }
}

/// What kind of problem a diagnostic is, for code that must tell problems
/// apart: code looks at this, never at a message's text.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum Code {
    #[default]
    Other,
    /// Front matter or a configuration that is not valid TOML.
    Toml,
    /// A front-matter field with a value of the wrong type or form.
    BadField,
    /// A `date` that is not a usable date.
    BadDate,
    /// A field that must be there is not.
    MissingField,
    UnknownField,
    /// A front-matter reference to a page that does not exist.
    UnknownReference,
    BrokenLink,
    BrokenAnchor,
    DuplicateSlug,
    ParentCycle,
    /// A template that does not compile or render.
    Template,
    RenderTimeout,
    /// Outputs in each other's way.
    OutputClash,
    /// A shortcode call that is not written right, or not known.
    Shortcode,
}

/// One problem found in a run.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// Boxed: diagnostics travel in `Result`s and should stay small.
    pub location: Option<Box<Location>>,
    /// Shown next to the underlined span.
    pub label: Option<String>,
    /// What to do about it ("did you mean `jica`?").
    pub hint: Option<String>,
    /// A file the diagnostic is about when there is no precise location.
    pub path: Option<PathBuf>,
    /// How many problems it stands for: 1, or more for the note that
    /// counts the problems of a file that were not shown.
    pub count: usize,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code: Code::Other,
            message: message.into(),
            location: None,
            label: None,
            hint: None,
            path: None,
            count: 1,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(Box::new(location));
        self
    }

    /// Points at a file without a span (an I/O problem, say).
    pub fn in_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    pub fn code(mut self, code: Code) -> Self {
        self.code = code;
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn maybe_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The file this diagnostic is about, if any.
    pub fn file(&self) -> Option<&Path> {
        self.location
            .as_ref()
            .map(|l| l.file.path.as_path())
            .or(self.path.as_deref())
    }

    /// `path:line:column`, `path`, or nothing.
    pub fn position(&self) -> Option<String> {
        match (&self.location, &self.path) {
            (Some(l), _) => Some(format!(
                "{}:{}:{}",
                display_path(&l.file.path),
                l.line,
                l.column
            )),
            (None, Some(p)) => Some(display_path(p)),
            (None, None) => None,
        }
    }

    /// Renders the diagnostic the way a compiler would, with the snippet.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path_text;
        let mut group = Group::with_title(level.primary_title(&self.message));
        if let Some(location) = &self.location {
            path_text = display_path(&location.file.path);
            // Only the lines of the span are handed over, so a thousand
            // problems in one long file are not a thousand reads of it.
            let file = &location.file;
            let text = file.text();
            let last_line = file.line_column(location.span.end).0;
            let window = file.lines(location.line, last_line);
            // A byte-order mark is invisible and takes no column: show the
            // text without it.
            let start = if window.start == 0 && text.starts_with('\u{feff}') {
                3
            } else {
                window.start
            };
            let end = window.end.max(start);
            let source = &text[start..end];
            let span = location.span.start.saturating_sub(start).min(source.len())
                ..location.span.end.saturating_sub(start).min(source.len());
            let mut annotation = AnnotationKind::Primary.span(span);
            if let Some(label) = &self.label {
                annotation = annotation.label(label.as_str());
            }
            group = group.element(
                Snippet::source(source)
                    .line_start(location.line)
                    .path(path_text.as_str())
                    .fold(true)
                    .annotation(annotation),
            );
        } else if let Some(path) = &self.path {
            path_text = format!("in {}", display_path(path));
            group = group.element(Level::NOTE.message(path_text.as_str()));
        }
        if let Some(hint) = &self.hint {
            group = group.element(Level::HELP.message(hint.as_str()));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&[group])
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// `/`-separated display of a relative path, on every platform.
pub fn display_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The closest of `candidates` to `wanted`, when it is close enough to be
/// worth suggesting.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(wanted, c), c))
        .filter(|(score, _)| *score >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// `did you mean `x`?` for the closest candidate, if any.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(wanted, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests;
