//! Markdown to HTML, with heading ids, a table of contents, and internal
//! `@/kind/slug.md#anchor` links rewritten to page URLs.
//!
//! Rendering is a pure function of the text and a link resolver, so a
//! page's HTML only has to be made again when the page or the URL of a
//! page it links to changes.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

pub use shortcodes::Shortcode;

mod calls;
pub mod shortcodes;
mod text;
pub mod typography;

use calls::{calls, place_markers};
use text::{UniqueIds, nest, without_control_characters};
pub use text::{heading_id, is_forbidden_control, replace_controls, shorten};

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
/// [`BodyHtml`], made again when needed.
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
pub struct BodyHtml {
    /// With a marker where each shortcode goes (see `crate::render::shortcodes`).
    pub html: String,
    /// The whole body as plain text, a line per block, for search.
    pub text: String,
    /// The body of each shortcode call that has one, as HTML, by call.
    pub shortcode_html: Vec<Option<String>>,
}

/// A rendered Markdown body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Converted {
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

impl Converted {
    /// The outline and the body, apart.
    pub fn split(self) -> (Outline, BodyHtml) {
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
            BodyHtml {
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
    /// The path of the site's base URL (`/`, or `/desk/` for a site
    /// published under a sub-path): a link written root-relative
    /// (`/sectors/sez/`) is to the site's page, so it is put under it.
    pub base_path: &'a str,
    /// The kind a card shortcode shows a page of: `agency` → `agencies`
    /// (a kind's singular name).
    pub card_kind: &'a (dyn Fn(&str) -> Option<String> + Sync),
}

/// `event` with a root-relative link or picture put under the site's
/// base path (see [`under_base`]); any other event as it is.
fn rebased<'a>(mut event: Event<'a>, base_path: &str) -> Event<'a> {
    if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &mut event
        && let Some(rebased) = under_base(dest_url, base_path)
    {
        *dest_url = rebased.into();
    }
    event
}

/// A root-relative link (`/sectors/sez/`) put under the site's base path
/// (`/desk/sectors/sez/`); `None` for any other link, or when the site is
/// at the root of its host.
fn under_base(dest: &str, base_path: &str) -> Option<String> {
    let rest = dest.strip_prefix('/').filter(|r| !r.starts_with('/'))?;
    (base_path != "/" && !dest.starts_with(base_path)).then(|| format!("{base_path}{rest}"))
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
pub fn render(body: &str, cx: &Context<'_>) -> Converted {
    render_from(body, cx, 0, 0)
}

/// How deep shortcode bodies may nest: a note in a note is fine; a
/// thousand deep is a mistake (or an attack on the stack).
const MAX_NESTING: usize = 16;

/// [`render`], numbering shortcode calls from `first` (a call's body is
/// rendered with the numbers after its own).
///
/// One walk over the parser's events, with the state it carries (heading,
/// summary, text): split, the state would have to travel between the parts.
fn render_from(body: &str, cx: &Context<'_>, first: usize, depth: usize) -> Converted {
    let extracted = shortcodes::extract(body, first);
    let mut out = Converted::default();
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
        let event = rebased(event, cx.base_path);
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

#[cfg(test)]
mod tests;
