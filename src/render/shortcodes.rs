//! Shortcodes, rendered: each call marked in a body's HTML (see
//! [`crate::markdown::shortcodes`]) becomes the output of the template
//! `shortcodes/<name>.html` (the site's, else the theme's), wherever the
//! body is shown: the page, feeds, list intros.
//!
//! A call's template gets its arguments as variables, and:
//!
//! | variable | what |
//! | --- | --- |
//! | `body` | the call's body as HTML (`{% note() %}…{% end %}`), or none |
//! | `raw` | the body as written, `lines` its lines, `rows` each line cut at its first `: ` |
//! | `target` | for a card (`{{ agency(name="jica") }}`) or an `@/` argument, that page's summary |
//! | `page` | the summary of the page the call is on (none in an intro) |
//! | `nth` | the call's number on the page, for unique ids |
//!
//! Everything a call's template reads goes through the render's reader,
//! so a change to the template, or to a page it shows, renders the pages
//! that use it again.

use std::collections::HashMap;

use tera::{Context, Tera, Value};

use super::reader::Reader;
use super::templates::TemplateSources;
use super::values::{html, list};
use crate::content::pages::PageId;
use crate::diagnostic::{Code, Diagnostic, SourceFile};
use crate::markdown::shortcodes::{Arg, replace_markers};
use crate::markdown::{BodyHtml, Shortcode, parse_internal};

/// The templates shortcodes render with.
pub struct Shortcodes<'a> {
    pub tera: &'a Tera,
    pub sources: &'a TemplateSources,
    /// Each template's closure (what it extends or includes), as hashes.
    pub closures: &'a HashMap<String, Vec<u64>>,
}

/// The calls of one body and where they are written.
pub struct Calls<'a> {
    pub codes: &'a [Shortcode],
    pub bodies: &'a [Option<String>],
    pub file: &'a SourceFile,
    pub body_offset: usize,
    /// The page the body is of (none for an intro).
    pub page: Option<PageId>,
}

/// The templates' folder for shortcodes.
pub const DIR: &str = "shortcodes/";

impl Shortcodes<'_> {
    /// The HTML of page `id`'s body, its calls rendered.
    pub fn page_html(&self, r: &Reader, id: PageId) -> Result<String, Vec<Diagnostic>> {
        let body: std::sync::Arc<BodyHtml> = r.body(id);
        let outline = r.outline(id);
        let (file, body_offset) = r.page(id).source();
        self.expand(
            r,
            &body.html,
            &Calls {
                codes: &outline.shortcodes,
                bodies: &body.shortcode_html,
                file,
                body_offset,
                page: Some(id),
            },
        )
    }

    /// The HTML of translation `t` of page `id`, its calls rendered, with
    /// what its Markdown says (headings, summary).
    pub fn translation_html(
        &self,
        r: &Reader,
        id: PageId,
        t: &crate::content::Translation,
    ) -> Result<(String, crate::markdown::Outline), Vec<Diagnostic>> {
        let (outline, body) = r.translation_body(t).split();
        let html = self.expand(
            r,
            &body.html,
            &Calls {
                codes: &outline.shortcodes,
                bodies: &body.shortcode_html,
                file: &t.file,
                body_offset: t.body_offset,
                page: Some(id),
            },
        )?;
        Ok((html, outline))
    }

    /// `html` with every marker of `calls` replaced by the call's output.
    /// Every problem is returned, not only the first.
    pub fn expand(
        &self,
        r: &Reader,
        html: &str,
        calls: &Calls<'_>,
    ) -> Result<String, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let out = replace_markers(html, |n, _, _| {
            let code = calls.codes.get(n)?;
            match self.call(r, n, code, calls) {
                Ok(text) => Some((text, (0, 0))),
                Err(mut found) => {
                    problems.append(&mut found);
                    Some((String::new(), (0, 0)))
                }
            }
        });
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(problems)
        }
    }

    /// Long: a call is checked (template, arguments, body, nesting) and
    /// rendered with its errors at the call, in one place.
    fn call(
        &self,
        r: &Reader,
        n: usize,
        code: &Shortcode,
        calls: &Calls<'_>,
    ) -> Result<String, Vec<Diagnostic>> {
        // A shortcode's template is HTML, or Markdown (`<name>.md`, as in
        // Zola) made HTML after it is rendered.
        let html_template = format!("{DIR}{}.html", code.name);
        let md_template = format!("{DIR}{}.md", code.name);
        let markdown =
            !self.sources.contains(&html_template) && self.sources.contains(&md_template);
        let template = if markdown { md_template } else { html_template };
        let at = || {
            calls
                .file
                .at(calls.body_offset + code.span.start..calls.body_offset + code.span.end)
        };
        r.template(&template);
        if !self.sources.contains(&template) {
            let known: Vec<&str> = self
                .sources
                .files
                .keys()
                .filter_map(|name| {
                    let name = name.strip_prefix(DIR)?;
                    name.strip_suffix(".html")
                        .or_else(|| name.strip_suffix(".md"))
                })
                .collect();
            let hint = crate::diagnostic::did_you_mean(&code.name, known.iter().copied())
                .unwrap_or_else(|| {
                    format!(
                        "write templates/{template}, or use one of: {}",
                        known.join(", ")
                    )
                });
            return Err(vec![
                Diagnostic::error(format!("unknown shortcode `{}`", code.name))
                    .code(Code::Shortcode)
                    .at(at())
                    .label("no template for it")
                    .hint(hint),
            ]);
        }
        for &hash in self.closures.get(&template).into_iter().flatten() {
            r.template_by_hash(hash);
        }
        let mut context = Context::new();
        context.insert_value("site", r.site_value());
        for (key, value, _) in &code.args {
            context.insert_value(key.clone(), arg_value(value));
        }
        let body = match calls.bodies.get(n).and_then(Option::as_ref) {
            // A call in the body: rendered first.
            Some(inner) => html(&self.expand(r, inner, calls)?),
            None => Value::none(),
        };
        context.insert_value("body", body);
        if let Some((raw, _)) = &code.body {
            let lines: Vec<&str> = raw
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            let rows = lines
                .iter()
                .map(|line| match line.split_once(": ") {
                    Some((label, value)) => {
                        list(vec![Value::from(label.trim()), Value::from(value.trim())])
                    }
                    None => list(vec![Value::from(*line)]),
                })
                .collect();
            context.insert_value("raw", Value::from(raw.as_str()));
            context.insert_value("lines", list(lines.into_iter().map(Value::from).collect()));
            context.insert_value("rows", list(rows));
        } else {
            context.insert_value("raw", Value::none());
        }
        context.insert_value(
            "page",
            calls.page.map_or_else(Value::none, |id| r.summary(id)),
        );
        context.insert_value(
            "target",
            target(r, code).map_or_else(Value::none, |id| r.summary(id)),
        );
        context.insert_value("nth", Value::from(n + 1));
        let called = || {
            let place = at();
            format!(
                "the shortcode called at {}:{}:{}",
                crate::diagnostic::display_path(&calls.file.path),
                place.line,
                place.column
            )
        };
        let budget = r.config().build.render_budget();
        let _memory = crate::alloc::Watch::start(
            budget,
            super::memory_stop_message(
                &called(),
                self.sources.path_of(&template).as_deref(),
                budget,
            ),
        );
        let out = self.tera.render(&template, &context).map_err(|e| {
            let problems = self
                .sources
                .explain_tera_error(&e, Some((&template, &called())));
            problems
                .into_iter()
                .map(|d| at_call(d, at()))
                .collect::<Vec<_>>()
        })?;
        match markdown {
            true => markdown_output(r, &out, at()),
            false => Ok(out),
        }
    }
}

/// The HTML of a Markdown shortcode's output. Its `@/` links resolve as a
/// body's do (and are read, so that the page follows where they lead);
/// it may not call shortcodes itself.
fn markdown_output(
    r: &Reader,
    text: &str,
    call: crate::diagnostic::Location,
) -> Result<String, Vec<Diagnostic>> {
    let converted = r.markdown(text);
    for link in &converted.links {
        if let Some(id) = r.find(&link.kind, &link.name) {
            r.page(id);
        }
    }
    if !converted.shortcodes.is_empty() {
        return Err(vec![
            Diagnostic::error("a Markdown shortcode's output calls a shortcode")
                .code(Code::Shortcode)
                .at(call)
                .label("this call")
                .hint("a shortcode written in Markdown (.md) gives Markdown, not calls: write the calls in the page, or make the shortcode an .html template"),
        ]);
    }
    Ok(converted.html)
}

/// A problem a shortcode's template raised itself (`throw(message=…)`: a
/// call without an argument it needs, say) is the writer's call's: said
/// at the call, with the template's place as a hint. Any other problem
/// stays where it is (a mistake in the template).
fn at_call(d: Diagnostic, call: crate::diagnostic::Location) -> Diagnostic {
    let thrown = d.location.as_ref().is_some_and(|l| {
        l.file
            .text()
            .get(l.span.clone())
            .is_some_and(|t| t.starts_with("throw"))
    });
    let Some(place) = d.location.as_ref().filter(|_| thrown) else {
        return d;
    };
    let message = d
        .message
        .strip_prefix("template error: ")
        .unwrap_or(&d.message);
    Diagnostic::error(message.to_string())
        .code(Code::Shortcode)
        .at(call)
        .label("this call")
        .hint(format!(
            "the shortcode's template says so, at {}:{}",
            crate::diagnostic::display_path(&place.file.path),
            place.line
        ))
}

/// The page a card call or an `@/` argument shows, if it resolves.
fn target(r: &Reader, code: &Shortcode) -> Option<PageId> {
    let config = r.config();
    let (kind, name) = match (
        config.card_kind(&code.name),
        code.arg("name").and_then(Arg::as_str),
    ) {
        (Some(kind), Some(name)) => (kind, name.to_string()),
        _ => code.args.iter().find_map(|(_, v, _)| {
            let (kind, name, _) = parse_internal(v.as_str()?)?;
            Some((kind, name))
        })?,
    };
    r.find(&kind, &name)
}

/// An argument as a template value.
fn arg_value(arg: &Arg) -> Value {
    match arg {
        Arg::Str(s) => Value::from(s.as_str()),
        Arg::Int(i) => Value::from(*i),
        Arg::Float(f) => f
            .parse::<f64>()
            .map_or_else(|_| Value::from(f.as_str()), Value::from),
        Arg::Bool(b) => Value::from(*b),
        Arg::List(items) => list(items.iter().map(arg_value).collect()),
    }
}
