//! What a content file becomes once loaded: a page of a kind, or a list intro.

use std::fmt;

use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use super::date::PageDate;
use crate::diagnostic::SourceFile;
use crate::markdown::{BodyHtml, Converted, Outline};

/// A value with the byte range it was written at in its file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Spanned<T> {
    span: Range<usize>,
    value: T,
}

impl<T> Spanned<T> {
    pub fn new(span: Range<usize>, value: T) -> Self {
        Spanned { span, value }
    }

    pub fn get_ref(&self) -> &T {
        &self.value
    }

    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    pub fn into_inner(self) -> T {
        self.value
    }
}

/// Identifies a page: its kind and slug. Cheap to clone.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PageKey {
    pub kind: Arc<str>,
    pub slug: Arc<str>,
}

impl PageKey {
    pub fn new(kind: &str, slug: &str) -> Self {
        PageKey {
            kind: kind.into(),
            slug: slug.into(),
        }
    }
}

impl fmt::Display for PageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind, self.slug)
    }
}

/// A reference written in a file: `agencies = ["jica"]` or a `parent`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RefSite {
    pub kind: String,
    pub slug: String,
    /// Byte range of the slug (with its quotes) in the file.
    pub span: Range<usize>,
}

/// A meeting's `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Confirmed,
    Tentative,
    Postponed,
    Cancelled,
}

impl Status {
    pub const NAMES: &'static [&'static str] =
        &["confirmed", "tentative", "postponed", "cancelled"];

    pub fn parse(text: &str) -> Option<Status> {
        Some(match text {
            "confirmed" => Status::Confirmed,
            "tentative" => Status::Tentative,
            "postponed" => Status::Postponed,
            "cancelled" => Status::Cancelled,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Tentative => "tentative",
            Status::Postponed => "postponed",
            Status::Cancelled => "cancelled",
        }
    }

    /// The status of a meeting on `date`: as written, else tentative for
    /// a month (its day is not fixed), else confirmed.
    pub fn of(status: Option<Status>, date: Option<&PageDate>) -> Status {
        status.unwrap_or(if date.is_some_and(PageDate::is_month) {
            Status::Tentative
        } else {
            Status::Confirmed
        })
    }
}

/// `source = { name = "...", url = "...", date = ... }` of a brief, or
/// one of its `sources`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub name: Option<String>,
    pub url: Option<String>,
    /// When the source was published.
    pub date: Option<PageDate>,
}

/// The checked front matter. Spans are byte ranges into the whole file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Fields {
    pub title: String,
    pub date: Option<Spanned<PageDate>>,
    pub updated: Option<Spanned<PageDate>>,
    pub summary: Option<String>,
    pub draft: bool,
    pub slug: Option<Spanned<String>>,
    /// Where the page is published instead of `<kind>/<slug>/`, as Zola's
    /// `path` and Hugo's `url`: `a/b/` (kept without its leading `/`).
    pub path: Option<Spanned<String>>,
    pub aliases: Vec<Spanned<String>>,
    /// `[extra]`, free-form.
    #[serde(with = "toml_text")]
    pub extra: toml::Table,
    /// Front-matter references in the order written, `agencies` before `sectors` if so written.
    pub refs: Vec<RefSite>,
    /// `parent` of a page in a tree kind (sectors).
    pub parent: Option<RefSite>,
    // brief
    pub location: Option<String>,
    pub countries: Vec<String>,
    /// `source` first (if given), then `sources`.
    pub sources: Vec<Source>,
    /// Who wrote the page.
    pub authors: Vec<String>,
    /// The picture link previews show: a path under the site or a URL.
    pub image: Option<String>,
    // meeting
    pub end: Option<Spanned<PageDate>>,
    /// Whether the meeting will happen as written: `None` is confirmed
    /// (or, with a month for a date, tentative).
    pub status: Option<Status>,
    pub people: Vec<String>,
    // agency
    pub short: Option<String>,
    pub country: Option<String>,
    pub website: Option<String>,
    /// A government body (as opposed to a business association).
    pub government: bool,
    // brief and meeting
    /// `[[asks]]` then `[[offers]]`, each in the order written.
    pub items: Vec<super::items::Item>,
    pub updates: Vec<super::items::ItemUpdate>,
    /// On the page of an ask or offer (made by the link stage): the item.
    pub raised: Option<Box<super::items::Raised>>,
}

/// A page of some kind, as loaded from `content/<kind>/<slug>.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    pub key: PageKey,
    /// Kept by its text's print: the text is in the content folder.
    #[serde(with = "crate::diagnostic::by_print")]
    pub file: SourceFile,
    /// The file name without `.md`, which `@/kind/<stem>.md` links name.
    pub stem: String,
    pub fields: Fields,
    /// Where the Markdown body starts in `file.text`.
    pub body_offset: usize,
    /// Created for an unknown slug of a kind with `stubs = true`.
    pub stub: bool,
    /// What the body's Markdown says (headings, links, summary); empty
    /// until the Markdown stage has run.
    pub rendered: Outline,
    /// The body as HTML and text, made when first needed (see
    /// [`crate::site::Site::body`]) and kept.
    #[serde(skip)]
    pub body: OnceLock<Arc<BodyHtml>>,
}

/// A page in another language (`content/agencies/jica.ja.md`): its own
/// text (title, summary, body and the other words it sets) over the
/// identity, dates and references of the page it translates, found by
/// file name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Translation {
    pub kind: String,
    /// The language's code: `ja`.
    pub lang: String,
    /// The file name of the page it translates, without `.md`: `jica`.
    pub stem: String,
    /// Kept by its text's print, as a page's file is.
    #[serde(with = "crate::diagnostic::by_print")]
    pub file: SourceFile,
    pub fields: Fields,
    /// Where the Markdown body starts in `file.text`.
    pub body_offset: usize,
    /// The links of its body to pages of the site (`@/kind/name`), as
    /// written: found once when the file is read, resolved when used.
    pub links: Vec<crate::markdown::InlineLink>,
    /// The body's first paragraph, as text: its summary when it sets none.
    pub first_paragraph: String,
}

impl Translation {
    /// The summary: `summary` from the front matter when it has text, else
    /// the body's first paragraph.
    pub fn summary(&self) -> &str {
        self.fields
            .summary
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or(&self.first_paragraph)
    }

    /// The Markdown of the body.
    pub fn markdown(&self) -> &str {
        self.file.text().get(self.body_offset..).unwrap_or_default()
    }
}

impl Page {
    /// The Markdown of the body.
    pub fn markdown(&self) -> &str {
        self.file.text().get(self.body_offset..).unwrap_or_default()
    }

    pub fn kind(&self) -> &str {
        &self.key.kind
    }

    /// Whether the page was read from a file of its own: not a stub, nor
    /// the page of an ask or offer (whose `file` is the page that raised
    /// it).
    pub fn own_file(&self) -> bool {
        !self.stub && self.fields.raised.is_none()
    }

    pub fn slug(&self) -> &str {
        &self.key.slug
    }

    /// The site-relative path of the page: its `path` when it sets one,
    /// else `<kind>/<slug>/`.
    pub fn url_path(&self) -> String {
        match &self.fields.path {
            Some(path) => path.get_ref().clone(),
            None => crate::urls::page_path(self.kind(), self.slug()),
        }
    }

    /// The summary: `summary` from the front matter when it has text, else
    /// the first paragraph of the body.
    pub fn summary(&self) -> &str {
        match self.fields.summary.as_deref() {
            Some(s) if !s.trim().is_empty() => s,
            _ => &self.rendered.summary,
        }
    }

    /// Whether the page, an event, has not ended before `today`: its end,
    /// else its date (a month's last day), is today or later.
    pub fn is_upcoming(&self, today: jiff::civil::Date) -> bool {
        let f = &self.fields;
        f.end
            .as_ref()
            .or(f.date.as_ref())
            .is_some_and(|d| d.get_ref().last_day() >= today)
    }

    /// The short name if there is one (an agency's acronym), else the title.
    pub fn name(&self) -> &str {
        self.fields.short.as_deref().unwrap_or(&self.fields.title)
    }

    /// The title of a stub for `name` as written where it is first
    /// mentioned: a name ("Nguyễn Hồng Diên", "HARA Shohei") as written; a
    /// slug (`ministry-of-commerce`) with spaces and a capital.
    pub fn stub_title(name: &str, slug: &str) -> String {
        let name = name.trim();
        if name != slug {
            return name.to_string();
        }
        let title = slug.replace(['-', '_'], " ");
        let mut chars = title.chars();
        match chars.next() {
            Some(c) => c.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    }

    /// A stub page for an unknown slug, titled `title`, with no body.
    pub fn stub(kind: &str, slug: &str, title: String, mentioned_in: &SourceFile) -> Page {
        Page {
            key: PageKey::new(kind, slug),
            file: SourceFile::new(mentioned_in.path.clone(), ""),
            stem: slug.to_string(),
            fields: Fields {
                title,
                ..Fields::default()
            },
            body_offset: 0,
            stub: true,
            rendered: Outline::default(),
            body: OnceLock::new(),
        }
    }
}

/// `content/_index.md` (the home page) or `content/<kind>/_index.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intro {
    /// `None` for the home page.
    pub kind: Option<String>,
    /// The language of a translated intro (`_index.ja.md`); `None` for
    /// the default language's.
    pub lang: Option<String>,
    pub file: SourceFile,
    pub title: Option<String>,
    pub summary: Option<String>,
    #[serde(with = "toml_text")]
    pub extra: toml::Table,
    pub body_offset: usize,
    /// The body as HTML; empty until the Markdown stage has run.
    pub rendered: Converted,
}

/// Which intro: of a kind's list or the home page's (`None`), in a
/// language or the default one (`None`).
pub type IntroKey = (Option<String>, Option<String>);

impl Intro {
    /// Its place among the site's intros.
    pub fn key(&self) -> IntroKey {
        (self.kind.clone(), self.lang.clone())
    }

    /// The Markdown of the body.
    pub fn markdown(&self) -> &str {
        self.file.text().get(self.body_offset..).unwrap_or_default()
    }
}

/// `[extra]` tables kept as TOML text: a TOML value is read back by
/// looking at what it is, which compact binary formats cannot do.
mod toml_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(table: &toml::Table, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&toml::to_string(table).map_err(serde::ser::Error::custom)?)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<toml::Table, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        // Most pages have no extra fields: a kept state of 10,000 pages
        // would start the TOML parser 10,000 times for nothing.
        if text.is_empty() {
            return Ok(toml::Table::new());
        }
        toml::from_str(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_fields_come_back_as_they_were_kept() {
        let file = SourceFile::new("content/briefs/a.md", "+++\ntitle = \"A\"\n+++\n");
        let mut page = Page::stub("briefs", "a", "A".into(), &file);
        for extra in ["", "budget = 3\n[partner]\nname = \"JICA\"\n"] {
            page.fields.extra = toml::from_str(extra).unwrap();
            let bytes = postcard::to_stdvec(&page).unwrap();
            let back: Page = postcard::from_bytes(&bytes).unwrap();
            assert_eq!(back.fields.extra, page.fields.extra);
        }
        // No extra fields: kept as no text at all, read back without the
        // TOML parser.
        assert_eq!(toml::to_string(&toml::Table::new()).unwrap(), "");
    }
}
