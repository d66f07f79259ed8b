//! Finds the templates (site `templates/` over the theme's), compiles them
//! with Tera, and turns Tera's errors into located diagnostics.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{ErrorKind, Tera};

use crate::diagnostic::{Code, Diagnostic, Location, SourceFile, display_path};
use crate::fs::Boundary;
use crate::theme::{self, ThemeSource};

/// The site's own templates folder.
pub const TEMPLATES_DIR: &str = "templates";
pub use crate::theme::THEMES_DIR;

/// Every template by name (`page.html`, `briefs/page.html`), with the file
/// it came from.
#[derive(Debug, Clone, Default)]
pub struct TemplateSources {
    pub files: BTreeMap<String, SourceFile>,
}

impl TemplateSources {
    /// Reads the theme's templates, then the site's over them.
    pub fn load(boundary: &Boundary, theme_name: &str) -> (TemplateSources, Vec<Diagnostic>) {
        let mut sources = TemplateSources::default();
        let mut problems = Vec::new();
        match theme::locate(boundary, theme_name) {
            Ok(ThemeSource::Folder(dir)) => {
                sources.read_dir(boundary, &dir.join(TEMPLATES_DIR), &mut problems)
            }
            Ok(ThemeSource::Embedded) => {
                for file in theme::templates() {
                    let name = file.path.trim_start_matches("templates/").to_string();
                    let text = String::from_utf8_lossy(file.bytes).into_owned();
                    let path = PathBuf::from(format!("{}/{}", theme::EMBEDDED_LABEL, file.path));
                    sources.files.insert(name, SourceFile::new(path, text));
                }
            }
            Err(d) => problems.push(d),
        }
        sources.read_dir(
            boundary,
            &boundary.root().join(TEMPLATES_DIR),
            &mut problems,
        );
        (sources, problems)
    }

    fn read_dir(&mut self, boundary: &Boundary, dir: &Path, problems: &mut Vec<Diagnostic>) {
        let root = boundary.root();
        let walk = boundary.walk(dir, crate::fs::Hidden::Skip);
        problems.extend(walk.diagnostics);
        for path in walk.entries {
            let Ok(name) = path.strip_prefix(dir) else {
                continue;
            };
            let name = display_path(name);
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            match boundary.read(&path).map(String::from_utf8) {
                Ok(Ok(text)) => {
                    self.files.insert(name, SourceFile::new(rel, text));
                }
                Ok(Err(_)) => problems.push(
                    Diagnostic::error("template is not valid UTF-8")
                        .in_file(rel)
                        .hint("save the template as UTF-8"),
                ),
                Err(e) => problems
                    .push(Diagnostic::error(format!("cannot read template: {e}")).in_file(rel)),
            }
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    /// Names of the templates `name` extends or includes: every string in
    /// an `extends` or `include` tag. (Tera keeps its parse to itself; a
    /// string that is not a template name only adds a name that never
    /// changes.)
    pub fn dependencies(&self, name: &str) -> Vec<String> {
        let Some(file) = self.files.get(name) else {
            return Vec::new();
        };
        let mut deps = Vec::new();
        let mut rest: &str = file.text();
        while let Some(open) = rest.find("{%") {
            let after = &rest[open + 2..];
            let Some(close) = after.find("%}") else { break };
            let tag = &after[..close];
            rest = &after[close + 2..];
            let words = tag.trim_start_matches('-').trim_start();
            if !(words.starts_with("extends") || words.starts_with("include")) {
                continue;
            }
            let mut inside = words;
            while let Some(start) = inside.find(['"', '\'', '`']) {
                let quote = inside[start..].chars().next().unwrap_or('"');
                let tail = &inside[start + 1..];
                let Some(end) = tail.find(quote) else { break };
                deps.push(tail[..end].to_string());
                inside = &tail[end + 1..];
            }
        }
        deps.sort();
        deps.dedup();
        deps
    }

    /// Whether a template defines components, which any template may call.
    fn defines_components(&self, name: &str) -> bool {
        self.files.get(name).is_some_and(|f| {
            f.text().contains("{% component") || f.text().contains("{%- component")
        })
    }

    /// The templates a render with `name` may read: `name`, every template
    /// it extends or includes (and theirs, in turn), and every template
    /// that defines components, since any template may call a component
    /// defined in another.
    pub fn closure(&self, name: &str) -> Vec<String> {
        let mut found: Vec<String> = vec![name.to_string()];
        let mut next = 0;
        while next < found.len() {
            for dep in self.dependencies(&found[next]) {
                if !found.contains(&dep) {
                    found.push(dep);
                }
            }
            next += 1;
        }
        for other in self.files.keys() {
            if !found.contains(other) && self.defines_components(other) {
                found.push(other.clone());
            }
        }
        found.sort();
        found
    }

    /// Compiles every template into `tera` (which must already have the
    /// site's functions and filters), reporting every error found.
    pub fn compile(&self, tera: &mut Tera) -> Vec<Diagnostic> {
        // Syntax errors first, one template at a time, so that all of them
        // are reported and not just the first.
        let mut problems = Vec::new();
        let templates = || {
            self.files
                .iter()
                .filter(|(name, _)| !super::strings::is_table(name))
        };
        for (name, file) in templates() {
            let mut alone = Tera::new();
            if let Err(e) = alone.add_raw_template(name, file.text())
                && let ErrorKind::SyntaxError(report) = e.kind()
            {
                problems.push(self.report(name, report.message(), report.span().range.clone()));
            }
        }
        if !problems.is_empty() {
            return problems;
        }
        let all = templates().map(|(name, file)| (name.as_str(), file.text()));
        match tera.add_raw_templates(all) {
            Ok(()) => Vec::new(),
            Err(e) => self.explain_tera_error(&e, None),
        }
    }

    /// A diagnostic at a byte range of template `name`.
    fn report(&self, name: &str, message: &str, span: std::ops::Range<usize>) -> Diagnostic {
        let d = Diagnostic::error(format!("template error: {message}")).code(Code::Template);
        let Some(file) = self.files.get(name) else {
            return d.hint(format!("in template `{name}`"));
        };
        // Tera notices a tag left open where the next line starts; the
        // mistake is the tag.
        for (open, close) in [("{%", "%}"), ("{{", "}}")] {
            if message.contains(&format!("expected {close}"))
                && let Some(tag) = unclosed_tag(file.text(), span.start, open, close)
            {
                return d
                    .at(file.at(tag))
                    .label(format!("this tag has no `{close}`"))
                    .hint(format!("end the tag with `{close}`"));
            }
        }
        // A tag that ends a block found while another is open (Tera says
        // "Unknown tag"): the mistake is the block left open.
        if message.contains("Unknown tag")
            && let Some((open, kind)) = open_block(file.text(), span.start)
        {
            let end = format!("{{% end{kind} %}}");
            return Diagnostic::error(format!("template error: `{{% {kind} %}}` is not closed"))
                .code(Code::Template)
                .at(file.at(open))
                .label(format!("this `{{% {kind} %}}` has no `{end}`"))
                .hint(format!(
                    "add `{end}` where its block ends, before line {}",
                    file.line_column(span.start).0
                ));
        }
        d.at(file.at(span))
    }

    /// Turns a Tera error into diagnostics. `rendering` names the template
    /// and what was being rendered with it, for errors Tera gives no place.
    ///
    /// Long: one arm per kind of Tera error, each with where it points and
    /// its hint.
    pub fn explain_tera_error(
        &self,
        e: &tera::Error,
        rendering: Option<(&str, &str)>,
    ) -> Vec<Diagnostic> {
        let label = rendering.map(|(_, r)| format!("while rendering {r}"));
        let with_label = |d: Diagnostic| match &label {
            Some(l) => d.label(l.clone()),
            None => d,
        };
        match e.kind() {
            ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
                let mut message = r.message().to_string();
                let mut source = std::error::Error::source(e);
                while let Some(s) = source {
                    message.push_str(&format!(": {s}"));
                    source = s.source();
                }
                let message = crate::diagnostic::in_words(&message);
                // Tera lists the fields there are; which ones differs by
                // language (`lang`), so the list goes into the hint, and the
                // same mistake in every language is one error.
                let (message, fields_hint) = split_field_list(&message);
                let d = self.report(r.filename(), &message, r.span().range.clone());
                let d = match fields_hint {
                    Some(hint) if d.hint.is_none() => d.hint(hint),
                    _ => d,
                };
                let d = match d.hint.is_none() && message.contains("got `undefined`") {
                    true => d.hint("that value is not defined: check its name, or give a default (`| default(value=[])`)"),
                    false => d,
                };
                vec![with_label(d)]
            }
            ErrorKind::Msg(text) if text.contains("\n --> ") || text.starts_with("error: ") => {
                parse_reports(text)
                    .into_iter()
                    .map(|(message, name, line, column, width)| {
                        let d = Diagnostic::error(format!("template error: {message}"));
                        let d = match self.files.get(&name) {
                            Some(file) => d.at(location_at(file, line, column, width)),
                            None => d.hint(format!("in template `{name}`")),
                        };
                        with_label(d)
                    })
                    .collect()
            }
            ErrorKind::MissingParent { current, parent } => vec![self.in_template(
                current,
                format!("template `{current}` extends `{parent}`, which does not exist"),
                Some(format!("the templates are: {}", self.names())),
            )],
            ErrorKind::CircularExtend {
                tpl,
                inheritance_chain,
            } => vec![
                self.in_template(
                    // Blame the template that closes the circle, not the one
                    // that happened to be compiled first.
                    inheritance_chain
                        .iter()
                        .find(|name| inheritance_chain.iter().filter(|n| n == name).count() > 1)
                        .unwrap_or(tpl),
                    format!(
                        "templates extend each other in a circle: {}",
                        inheritance_chain.join(" → ")
                    ),
                    None,
                ),
            ],
            ErrorKind::CircularInclude { tpl, include_chain } => vec![self.in_template(
                tpl,
                format!(
                    "templates include each other in a circle: {}",
                    include_chain.join(" → ")
                ),
                None,
            )],
            _ => {
                let mut message = e.to_string();
                let mut source = std::error::Error::source(e);
                while let Some(s) = source {
                    message.push_str(&format!(": {s}"));
                    source = s.source();
                }
                let d = Diagnostic::error(format!("template error: {message}"));
                vec![match rendering {
                    Some((template, what)) => {
                        let d = d.hint(format!("while rendering {what}"));
                        match self.files.get(template) {
                            Some(file) => d.in_file(file.path.clone()),
                            None => d,
                        }
                    }
                    None => with_label(d),
                }]
            }
        }
    }

    /// The error for a render of `what` with `template` that ran past `limit`.
    pub fn timed_out(&self, template: &str, what: &str, limit: std::time::Duration) -> Diagnostic {
        self.in_template(
            template,
            format!(
                "rendering {what} with `{template}` was stopped after {:.1} s",
                limit.as_secs_f64()
            ),
            Some(
                "a template that loops for too long (over large lists, or ranges inside ranges) is stopped; \
                 fix the loop, or raise `render_timeout` under [build] in attache.toml"
                    .into(),
            ),
        )
        .label(format!("while rendering {what}"))
        .code(Code::RenderTimeout)
    }

    /// The error for a render of `what` with `template` that held more
    /// than `budget` bytes.
    pub fn out_of_memory(&self, template: &str, what: &str, budget: usize) -> Diagnostic {
        self.in_template(
            template,
            format!(
                "rendering {what} with `{template}` used more than {} MB of memory and was stopped",
                budget >> 20
            ),
            Some(super::MEMORY_HINT.into()),
        )
        .label(format!("while rendering {what}"))
        .code(Code::RenderTimeout)
    }

    /// The file of template `name`, if it is one of the site's or theme's.
    pub fn path_of(&self, name: &str) -> Option<std::path::PathBuf> {
        self.files.get(name).map(|f| f.path.clone())
    }

    fn in_template(&self, name: &str, message: String, hint: Option<String>) -> Diagnostic {
        let d = Diagnostic::error(message)
            .maybe_hint(hint)
            .code(Code::Template);
        match self.files.get(name) {
            Some(file) => d.in_file(file.path.clone()),
            None => d,
        }
    }

    fn names(&self) -> String {
        self.files.keys().cloned().collect::<Vec<_>>().join(", ")
    }
}

/// "Field `x` is not defined. Available fields: a, b" → the message
/// without the list, and a hint: the nearest field, or the list.
fn split_field_list(message: &str) -> (String, Option<String>) {
    let Some((before, fields)) = message.split_once(". Available fields: ") else {
        return (message.to_string(), None);
    };
    let fields: Vec<&str> = fields.split(", ").map(str::trim).collect();
    let wanted = before.split('`').nth(1).unwrap_or_default();
    let hint = match crate::diagnostic::did_you_mean(wanted, fields.iter().copied()) {
        Some(guess) => guess,
        None => format!("the fields are: {}", fields.join(", ")),
    };
    (before.to_string(), Some(hint))
}

/// Parses Tera's joined text reports (`error: msg\n --> name:line:col` ...)
/// into (message, template, line, column, width).
fn parse_reports(text: &str) -> Vec<(String, String, usize, usize, usize)> {
    let mut out = Vec::new();
    for chunk in text.split("\n\nerror: ") {
        let chunk = chunk.strip_prefix("error: ").unwrap_or(chunk);
        let mut lines = chunk.lines();
        let message = lines.next().unwrap_or_default().to_string();
        let Some(locus) = chunk
            .lines()
            .find_map(|l| l.trim_start().strip_prefix("--> "))
        else {
            out.push((message, String::new(), 1, 1, 1));
            continue;
        };
        let mut parts = locus.rsplitn(3, ':');
        let column = parts
            .next()
            .and_then(|c| c.trim().parse().ok())
            .unwrap_or(1);
        let line = parts
            .next()
            .and_then(|l| l.trim().parse().ok())
            .unwrap_or(1);
        let name = parts.next().unwrap_or_default().to_string();
        let width = chunk
            .lines()
            .last()
            .map_or(1, |l| l.chars().filter(|&c| c == '^').count().max(1));
        out.push((message, name, line, column, width));
    }
    out
}

/// The location at 1-based `line` and `column` (characters) of `file`.
fn location_at(file: &SourceFile, line: usize, column: usize, width: usize) -> Location {
    let text = file.text();
    let line_start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let start = text[line_start.min(text.len())..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| line_start + i);
    let end = text[start..]
        .char_indices()
        .nth(width)
        .map_or(text.len(), |(i, _)| start + i);
    file.at(start..end)
}

/// The tag opened by `open` before `at`, on an earlier line, that is not
/// closed by `close` before `at`: its opening line, from `open` to the
/// line's end.
fn unclosed_tag(text: &str, at: usize, open: &str, close: &str) -> Option<std::ops::Range<usize>> {
    let before = text.get(..at)?;
    let start = before.rfind(open)?;
    if before[start..].contains(close) || !before[start..].contains('\n') {
        return None;
    }
    let end = start + before[start..].find('\n').unwrap_or(before.len() - start);
    Some(start..before[..end].trim_end().len().max(start + open.len()))
}

/// The innermost block tag (`if`, `for`, `macro`, `filter`) opened before
/// `at` and not closed by then, with its kind: what a tag at `at` that
/// Tera did not expect there leaves open.
fn open_block(text: &str, at: usize) -> Option<(std::ops::Range<usize>, &'static str)> {
    const KINDS: [&str; 5] = ["if", "for", "macro", "filter", "block"];
    let before = text.get(..at)?;
    let mut open: Vec<(std::ops::Range<usize>, &'static str)> = Vec::new();
    let mut rest = 0;
    while let Some(start) = before[rest..].find("{%").map(|i| rest + i) {
        let Some(end) = before[start..].find("%}").map(|i| start + i + 2) else {
            break;
        };
        let inner =
            before[start + 2..end - 2].trim_matches(|c: char| c == '-' || c.is_whitespace());
        let word = inner.split_whitespace().next().unwrap_or_default();
        if let Some(kind) = KINDS.iter().find(|k| **k == word) {
            open.push((start..end, kind));
        } else if let Some(kind) = word.strip_prefix("end")
            && let Some(at) = open.iter().rposition(|(_, k)| *k == kind)
        {
            open.truncate(at);
        }
        rest = end;
    }
    open.into_iter().rev().find(|(_, kind)| *kind != "block")
}

/// Templates from `(name, text)` pairs, as a site's `templates/` would
/// give them: for unit tests.
#[cfg(test)]
pub(crate) fn sources(files: &[(&str, &str)]) -> TemplateSources {
    let mut s = TemplateSources::default();
    for (name, text) in files {
        s.files.insert(
            name.to_string(),
            SourceFile::new(format!("templates/{name}"), *text),
        );
    }
    s
}

#[cfg(test)]
mod tests;
