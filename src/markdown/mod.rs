//! Markdown to HTML, with heading ids, a table of contents, and internal
//! `@/kind/slug.md#anchor` links rewritten to page URLs.
//!
//! Rendering is a pure function of the text and a link resolver, so a
//! page's HTML only has to be made again when the page or the URL of a
//! page it links to changes.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

pub use shortcodes::Shortcode;

pub mod shortcodes;
pub mod typography;

/// An internal link found in the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct InlineLink {
    /// The link as written: `@/agencies/jica.md#tokyo`.
    pub written: String,
    /// The kind folder, `agencies`; empty when the link is malformed.
    pub kind: String,
    /// The file stem or slug, `jica`.
    pub name: String,
    pub anchor: Option<String>,
    /// Byte range of the link target in the body.
    pub span: Range<usize>,
    /// The URL it was rendered with, if the resolver knew the page.
    pub url: Option<String>,
}

/// A heading in the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<Heading>,
}

/// What a page keeps of its rendered Markdown at all times: what linking,
/// lists and the table of contents need. The HTML and text are a
/// [`Body`], made again when needed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Outline {
    pub toc: Vec<Heading>,
    /// Every heading id, for checking `#anchor`s of links to this page.
    pub anchors: Vec<String>,
    pub links: Vec<InlineLink>,
    pub word_count: usize,
    /// Plain text of the first paragraph, shortened.
    pub summary: String,
    /// The shortcode calls, by the number of their marker in the HTML.
    pub shortcodes: Vec<Shortcode>,
    /// Mistakes in shortcode calls (reported by the link stage).
    pub shortcode_problems: Vec<shortcodes::Problem>,
}

/// A page's Markdown as HTML and as plain text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    /// With a marker where each shortcode goes (see `crate::render::shortcodes`).
    pub html: String,
    /// The whole body as plain text, a line per block, for search.
    pub text: String,
    /// The body of each shortcode call that has one, as HTML, by call.
    pub shortcode_html: Vec<Option<String>>,
}

/// A rendered Markdown body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<Heading>,
    /// Every heading id, for checking `#anchor`s of links to this page.
    pub anchors: Vec<String>,
    pub links: Vec<InlineLink>,
    pub word_count: usize,
    /// Plain text of the first paragraph, shortened.
    pub summary: String,
    /// The whole body as plain text, a line per block, for search.
    pub text: String,
    pub shortcodes: Vec<Shortcode>,
    pub shortcode_problems: Vec<shortcodes::Problem>,
    pub shortcode_html: Vec<Option<String>>,
}

impl Rendered {
    /// The outline and the body, apart.
    pub fn split(self) -> (Outline, Body) {
        (
            Outline {
                toc: self.toc,
                anchors: self.anchors,
                links: self.links,
                word_count: self.word_count,
                summary: self.summary,
                shortcodes: self.shortcodes,
                shortcode_problems: self.shortcode_problems,
            },
            Body {
                html: self.html,
                text: self.text,
                shortcode_html: self.shortcode_html,
            },
        )
    }
}

/// What rendering Markdown needs to know of the site.
pub struct Context<'a> {
    /// The URL of an internal link's page, or `None` if there is no such
    /// page.
    pub resolve: &'a (dyn Fn(&str, &str) -> Option<String> + Sync),
    pub raw_html: RawHtml,
    /// The kind a card shortcode shows a page of: `agency` → `agencies`
    /// (a kind's singular name).
    pub card_kind: &'a (dyn Fn(&str) -> Option<String> + Sync),
}

/// Splits `@/kind/name.md#anchor` into its parts; `None` if it is not an
/// internal link at all.
pub fn parse_internal(dest: &str) -> Option<(String, String, Option<String>)> {
    let rest = dest.strip_prefix("@/")?;
    let (path, anchor) = match rest.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (rest, None),
    };
    let path = path.strip_suffix(".md").unwrap_or(path);
    match path.split_once('/') {
        Some((kind, name)) if !kind.is_empty() && !name.is_empty() && !name.contains('/') => {
            Some((kind.to_string(), name.to_string(), anchor))
        }
        _ => Some((String::new(), path.to_string(), anchor)),
    }
}

const SUMMARY_CHARS: usize = 280;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// What to do with HTML written in Markdown: a setting of the
/// configuration, which lives below this module.
pub use crate::config::RawHtml;

/// Renders `body`, with its shortcode calls as markers (their bodies
/// rendered too).
pub fn render(body: &str, cx: &Context<'_>) -> Rendered {
    render_from(body, cx, 0, 0)
}

/// How deep shortcode bodies may nest: a note in a note is fine; a
/// thousand deep is a mistake (or an attack on the stack).
const MAX_NESTING: usize = 16;

/// [`render`], numbering shortcode calls from `first` (a call's body is
/// rendered with the numbers after its own).
fn render_from(body: &str, cx: &Context<'_>, first: usize, depth: usize) -> Rendered {
    let extracted = shortcodes::extract(body, first);
    let mut out = Rendered::default();
    let shortcode_text = calls(&extracted, cx, first, depth, &mut out);
    let body_text = extracted.text.as_str();
    let resolve = cx.resolve;
    let raw_html = cx.raw_html;
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut ids = UniqueIds::default();
    let mut flat_toc: Vec<(u8, String, String)> = Vec::new();
    let mut heading: Option<(usize, String)> = None;
    // 0: before the first paragraph, 1: inside it, 2: after it.
    let mut summary_state = 0u8;

    for (event, range) in Parser::new_ext(body_text, options()).into_offset_iter() {
        let event = match without_control_characters(event) {
            Event::Html(html) | Event::InlineHtml(html) if raw_html != RawHtml::Keep => {
                match raw_html {
                    RawHtml::Escape => Event::Text(html),
                    _ => continue,
                }
            }
            event => event,
        };
        if let Event::End(end) = &event
            && ends_block(end)
        {
            out.text.push('\n');
        }
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if dest_url.starts_with("@/") => {
                let dest_url = internal_link(body_text, &dest_url, range, resolve, &mut out.links);
                if let Some(link) = out.links.last_mut() {
                    link.span = extracted.span_to_body(link.span.clone());
                }
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest_url.into(),
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Heading { .. }) => {
                heading = Some((events.len(), String::new()));
                events.push(event);
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, text)) = heading.take()
                    && let Event::Start(Tag::Heading { id, .. }) = &mut events[start]
                {
                    let base = match id {
                        Some(written) => written.to_string(),
                        None => heading_id(&text),
                    };
                    let unique = ids.claim(&base);
                    *id = Some(CowStr::from(unique.clone()));
                    flat_toc.push((level as u8, unique, text.trim().to_string()));
                }
                events.push(event);
            }
            Event::Start(Tag::Paragraph) if summary_state == 0 && heading.is_none() => {
                summary_state = 1;
                events.push(event);
            }
            Event::End(TagEnd::Paragraph) if summary_state == 1 => {
                summary_state = 2;
                events.push(event);
            }
            Event::Text(ref text) | Event::Code(ref text) => {
                // A line break between two characters of a script written
                // without spaces (Japanese, Chinese) is no space at all.
                if let [.., Event::Text(before), Event::SoftBreak] = events.as_slice()
                    && before.chars().next_back().is_some_and(joins_unspaced)
                    && text.chars().next().is_some_and(joins_unspaced)
                {
                    events.pop();
                    if summary_state == 1 && out.summary.ends_with(' ') {
                        out.summary.pop();
                    }
                    if out.text.ends_with(' ') {
                        out.text.pop();
                    }
                }
                out.word_count += text.split_whitespace().count();
                if let Some((_, heading_text)) = &mut heading {
                    heading_text.push_str(text);
                }
                if summary_state == 1 {
                    out.summary.push_str(text);
                }
                out.text.push_str(text);
                events.push(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                if summary_state == 1 {
                    out.summary.push(' ');
                }
                out.text.push(' ');
                events.push(event);
            }
            other => events.push(other),
        }
    }

    out.html.reserve(body.len() + body.len() / 4);
    html::push_html(&mut out.html, events.into_iter());
    if !extracted.codes.is_empty() {
        place_markers(&mut out, first, extracted.codes.len(), &shortcode_text);
    }
    out.anchors = flat_toc.iter().map(|(_, id, _)| id.clone()).collect();
    out.toc = nest(flat_toc);
    out.summary = shorten(out.summary.trim(), SUMMARY_CHARS);
    out
}

/// Whether `c` is of a script written without spaces, or its punctuation
/// (`、。「」`, full-width forms): lines of such text join with nothing
/// between them.
fn joins_unspaced(c: char) -> bool {
    crate::tokenize::is_unspaced(c)
        || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
}

/// A card (`{{ agency(name="jica") }}`) must say which page it shows: a
/// card without a `name` text, or with a misspelt one, would otherwise
/// render nothing and reference nothing, without a word.
fn card_without_name(code: &Shortcode, cx: &Context<'_>) -> Option<shortcodes::Problem> {
    let kind = (cx.card_kind)(&code.name)?;
    let example = format!("{}(name=\"…\")", code.name);
    match code.args.iter().find(|(k, _, _)| k == "name") {
        Some((_, value, span)) => value.as_str().is_none().then(|| shortcodes::Problem {
            span: span.clone(),
            message: format!("`name` of the card `{}` must be text", code.name),
            hint: Some(format!(
                "write the slug of a page of {kind} in quotes: {example}"
            )),
        }),
        None => {
            let misspelt = code.args.iter().find_map(|(k, _, _)| {
                crate::diagnostic::did_you_mean(k, ["name"]).map(|hint| format!("`{k}`: {hint}"))
            });
            let hint =
                misspelt.unwrap_or_else(|| format!("name the page of {kind} it shows: {example}"));
            Some(shortcodes::Problem {
                span: code.span.clone(),
                message: format!("the card `{}` needs `name`", code.name),
                hint: Some(hint),
            })
        }
    }
}

/// Takes the shortcode calls of `extracted`: their mistakes, the links
/// they make (a card's page, an `@/` argument), and their bodies, rendered.
/// Returns each call's text for search.
fn calls(
    extracted: &shortcodes::Extracted,
    cx: &Context<'_>,
    first: usize,
    depth: usize,
    out: &mut Rendered,
) -> Vec<String> {
    out.shortcode_problems = extracted.problems.clone();
    let mut texts = Vec::with_capacity(extracted.codes.len());
    let mut next = first + extracted.codes.len();
    let mut nested: Vec<(Shortcode, Option<String>)> = Vec::new();
    for code in &extracted.codes {
        if let Some(problem) = card_without_name(code, cx) {
            out.shortcode_problems.push(problem);
        }
        let mut text = code.search_text();
        for (key, value, span) in &code.args {
            let Some(value) = value.as_str() else {
                continue;
            };
            let card = (key == "name")
                .then(|| (cx.card_kind)(&code.name))
                .flatten();
            let (kind, name) = match (card, parse_internal(value)) {
                (Some(kind), _) => (kind, value.to_string()),
                (None, Some((kind, name, _))) => (kind, name),
                (None, None) => continue,
            };
            let url = (!kind.is_empty())
                .then(|| (cx.resolve)(&kind, &name))
                .flatten();
            out.links.push(InlineLink {
                written: if value.starts_with("@/") {
                    value.to_string()
                } else {
                    format!("@/{kind}/{name}")
                },
                kind,
                name,
                anchor: None,
                span: span.clone(),
                url,
            });
        }
        if depth >= MAX_NESTING && code.body.is_some() {
            out.shortcode_problems.push(shortcodes::Problem {
                span: code.span.start..code.span.start + 2,
                message: format!("shortcodes nested more than {MAX_NESTING} deep"),
                hint: Some("end some of them sooner".into()),
            });
        }
        let html = code
            .body
            .as_ref()
            .filter(|_| depth < MAX_NESTING)
            .map(|(markdown, offset)| {
                let inner = render_from(markdown, cx, next, depth + 1);
                next += inner.shortcodes.len();
                let shift = |r: std::ops::Range<usize>| r.start + offset..r.end + offset;
                out.links.extend(inner.links.into_iter().map(|mut l| {
                    l.span = shift(l.span);
                    l
                }));
                out.shortcode_problems
                    .extend(inner.shortcode_problems.into_iter().map(|mut p| {
                        p.span = shift(p.span);
                        p
                    }));
                for (mut code, html) in inner.shortcodes.into_iter().zip(inner.shortcode_html) {
                    code.span = shift(code.span);
                    nested.push((code, html));
                }
                text.push_str(&inner.text);
                inner.html
            });
        texts.push(text);
        out.shortcodes.push(code.clone());
        out.shortcode_html.push(html);
    }
    // Calls in bodies are numbered after those of this text.
    for (code, html) in nested {
        out.shortcodes.push(code);
        out.shortcode_html.push(html);
    }
    texts
}

/// Where the markers of calls `first..first + count` ended up: a call on
/// a line of its own stands alone (not in a paragraph); in the text, a
/// call gives its words for search; in the summary, nothing. One pass
/// over each, however many calls there are.
fn place_markers(out: &mut Rendered, first: usize, count: usize, texts: &[String]) {
    let call = |n: usize| (first..first + count).contains(&n).then(|| n - first);
    out.html = shortcodes::replace_markers(&out.html, |n, before, after| {
        // `<p>` + marker + `</p>`: the call is the paragraph.
        let alone = before.ends_with("<p>") && after.starts_with("</p>");
        call(n).map(|_| (shortcodes::marker(n), if alone { (3, 4) } else { (0, 0) }))
    });
    out.text = shortcodes::replace_markers(&out.text, |n, _, _| {
        call(n).map(|i| (texts.get(i).cloned().unwrap_or_default(), (0, 0)))
    });
    out.summary = shortcodes::replace_markers(&out.summary, |n, _, _| {
        call(n).map(|_| (String::new(), (0, 0)))
    });
}

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
fn without_control_characters(event: Event<'_>) -> Event<'_> {
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

/// Block ends after which plain text starts a new line.
fn ends_block(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::CodeBlock
            | TagEnd::BlockQuote(_)
            | TagEnd::TableCell
            | TagEnd::TableRow
            | TagEnd::FootnoteDefinition
    )
}

fn internal_link(
    body: &str,
    dest: &str,
    range: Range<usize>,
    resolve: &dyn Fn(&str, &str) -> Option<String>,
    links: &mut Vec<InlineLink>,
) -> String {
    // Point at the target inside `[text](target)`; a reference-style link
    // defines its target elsewhere, so fall back to the whole link.
    let span = body[range.clone()]
        .find(dest)
        .map(|i| range.start + i..range.start + i + dest.len())
        .unwrap_or(range);
    let (kind, name, anchor) = parse_internal(dest).unwrap_or_default();
    let url = if kind.is_empty() {
        None
    } else {
        resolve(&kind, &name)
    };
    let href = match (&url, &anchor) {
        (Some(url), Some(anchor)) => format!("{url}#{anchor}"),
        (Some(url), None) => url.clone(),
        // Broken: reported by the link stage; the build will not be written.
        (None, _) => "#".to_string(),
    };
    links.push(InlineLink {
        written: dest.to_string(),
        kind,
        name,
        anchor,
        span,
        url: url.clone(),
    });
    href
}

/// The id of a heading: its text, slugified; `section` if that is empty.
pub fn heading_id(text: &str) -> String {
    let id = slug::slugify(text);
    if id.is_empty() { "section".into() } else { id }
}

/// Heading ids handed out so far. A repeated base gets `-1`, `-2`, ...;
/// the next number to try is kept per base, so a thousand headings with
/// the same text cost a thousand steps, not half a million.
#[derive(Default)]
struct UniqueIds {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl UniqueIds {
    fn claim(&mut self, base: &str) -> String {
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
fn nest(flat: Vec<(u8, String, String)>) -> Vec<Heading> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn resolver(kind: &str, name: &str) -> Option<String> {
        (kind == "agencies" && name == "jica").then(|| "/sub/agencies/jica/".to_string())
    }

    fn card_kind(name: &str) -> Option<String> {
        (name == "agency").then(|| "agencies".to_string())
    }

    fn render(body: &str, _: &dyn Fn(&str, &str) -> Option<String>, raw_html: RawHtml) -> Rendered {
        super::render(
            body,
            &Context {
                resolve: &resolver,
                raw_html,
                card_kind: &card_kind,
            },
        )
    }

    #[test]
    fn internal_links_are_rewritten_with_anchors() {
        let body = "See [JICA](@/agencies/jica.md) and [its office](@/agencies/jica.md#tokyo).";
        let r = render(body, &resolver, RawHtml::Keep);
        assert!(
            r.html.contains(r#"<a href="/sub/agencies/jica/">JICA</a>"#),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(r#"href="/sub/agencies/jica/#tokyo""#),
            "{}",
            r.html
        );
        assert_eq!(r.links.len(), 2);
        assert_eq!(&body[r.links[0].span.clone()], "@/agencies/jica.md");
        assert_eq!(r.links[1].anchor.as_deref(), Some("tokyo"));
        assert!(r.links.iter().all(|l| l.url.is_some()));
    }

    #[test]
    fn broken_links_are_recorded_not_rendered() {
        let body = "x\n\n[Nope](@/agencies/jicaa.md) [bad](@/jica.md)";
        let r = render(body, &resolver, RawHtml::Keep);
        assert_eq!(r.links.len(), 2);
        assert!(r.links[0].url.is_none());
        assert_eq!(r.links[0].name, "jicaa");
        assert_eq!(r.links[1].kind, "");
        assert!(!r.html.contains("@/"));
    }

    #[test]
    fn other_links_are_left_alone() {
        let r = render(
            "[x](https://example.org/) [y](../a/)",
            &resolver,
            RawHtml::Keep,
        );
        assert!(r.html.contains(r#"href="https://example.org/""#));
        assert!(r.html.contains(r#"href="../a/""#));
        assert!(r.links.is_empty());
    }

    #[test]
    fn headings_get_unique_ids_and_a_nested_toc() {
        let body = "# Title\n\n## Minerals\n\n### Copper & gold\n\n## Minerals\n\n## Own {#mine}\n";
        let r = render(body, &resolver, RawHtml::Keep);
        assert_eq!(
            r.anchors,
            ["title", "minerals", "copper-gold", "minerals-1", "mine"]
        );
        assert!(
            r.html.contains(r#"<h2 id="minerals-1">Minerals</h2>"#),
            "{}",
            r.html
        );
        assert_eq!(r.toc.len(), 1);
        assert_eq!(r.toc[0].children.len(), 3);
        assert_eq!(r.toc[0].children[0].children[0].title, "Copper & gold");
    }

    #[test]
    fn summary_and_word_count() {
        let r = render(
            "## Head\n\nFirst *para* here.\nSecond line.\n\nLater.",
            &resolver,
            RawHtml::Keep,
        );
        assert_eq!(r.summary, "First para here. Second line.");
        assert_eq!(r.text, "Head\nFirst para here. Second line.\nLater.\n");
        assert_eq!(r.word_count, 7);
        let long = "word ".repeat(100);
        let r = render(&long, &resolver, RawHtml::Keep);
        assert!(r.summary.ends_with('…'));
        assert!(r.summary.chars().count() <= SUMMARY_CHARS + 1);
    }

    #[test]
    fn raw_html_is_kept_escaped_or_stripped_as_configured() {
        let body = "<script>alert(1)</script>\n\nText with <b>bold</b>.";
        let keep = render(body, &resolver, RawHtml::Keep).html;
        assert!(keep.contains("<script>alert(1)</script>"), "{keep}");
        let escape = render(body, &resolver, RawHtml::Escape).html;
        assert!(escape.contains("&lt;script&gt;"), "{escape}");
        assert!(escape.contains("&lt;b&gt;bold&lt;/b&gt;"), "{escape}");
        assert!(!escape.contains("<b>"), "{escape}");
        let strip = render(body, &resolver, RawHtml::Strip).html;
        assert!(
            !strip.contains("script") && !strip.contains("<b>"),
            "{strip}"
        );
        assert!(strip.contains("Text with bold."), "{strip}");
    }

    #[test]
    fn control_characters_never_reach_the_html() {
        let r = render(
            "a\u{0}b\u{1}c \u{1b}[31m <b>\u{c}</b> `\u{7}`",
            &resolver,
            RawHtml::Keep,
        );
        assert!(!r.html.chars().any(is_forbidden_control), "{:?}", r.html);
        assert!(!r.text.chars().any(is_forbidden_control), "{:?}", r.text);
        assert!(r.html.contains("a\u{fffd}b\u{fffd}c"), "{:?}", r.html);
    }

    #[test]
    fn raw_html_and_text_are_kept_and_escaped_as_markdown_does() {
        let r = render("a < b & \"c\"", &resolver, RawHtml::Keep);
        assert!(r.html.contains("a &lt; b &amp;"), "{}", r.html);
    }

    #[test]
    fn lines_of_japanese_join_without_a_space() {
        let r = render(
            "政府声明によれば、\n提案は探査から加工まで。\nThe end\nof it.\n",
            &resolver,
            RawHtml::Keep,
        );
        assert!(
            r.html
                .contains("政府声明によれば、提案は探査から加工まで。\nThe end\nof it."),
            "{}",
            r.html
        );
        assert!(
            r.summary.starts_with("政府声明によれば、提案は"),
            "{}",
            r.summary
        );
        assert!(r.text.contains("によれば、提案"), "{}", r.text);
    }

    #[test]
    fn parse_internal_forms() {
        assert_eq!(
            parse_internal("@/sectors/minerals.md#copper"),
            Some(("sectors".into(), "minerals".into(), Some("copper".into())))
        );
        assert_eq!(
            parse_internal("@/sectors/minerals"),
            Some(("sectors".into(), "minerals".into(), None))
        );
        assert_eq!(parse_internal("https://x"), None);
        assert_eq!(parse_internal("@/minerals.md").unwrap().0, "");
    }
}
