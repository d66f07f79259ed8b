//! A page as render code sees it, without its body.

use crate::content::pages::PageId;
use crate::content::{Fields, Page};

/// A page as render code sees it: its identity and front matter. Its body
/// is read through [`super::Reader::body`], which records that it was.
#[derive(Clone, Copy)]
pub struct PageView<'a>(pub(super) &'a Page);

impl<'a> PageView<'a> {
    pub fn kind(&self) -> &'a str {
        self.0.kind()
    }
    pub fn slug(&self) -> &'a str {
        self.0.slug()
    }
    pub fn fields(&self) -> &'a Fields {
        &self.0.fields
    }
    /// Where the page is published: `<kind>/<slug>/` or its `path`.
    pub fn url_path(&self) -> String {
        self.0.url_path()
    }

    pub fn title(&self) -> &'a str {
        &self.0.fields.title
    }
    /// The short name if there is one, else the title.
    pub fn name(&self) -> &'a str {
        self.0.name()
    }
    /// `summary`, or the first paragraph of the body.
    pub fn summary(&self) -> &'a str {
        self.0.summary()
    }
    pub fn is_stub(&self) -> bool {
        self.0.stub
    }
    /// The page's file, and where its body starts in it: to locate a
    /// problem of the body.
    pub fn source(&self) -> (&'a crate::diagnostic::SourceFile, usize) {
        (&self.0.file, self.0.body_offset)
    }
    /// The page as the history of an ask or offer it names reads it.
    pub fn naming(&self, id: PageId) -> crate::link::items::Naming<'a> {
        crate::link::items::Naming::of(id, self.0)
    }
    /// Whether the page, an event, has not ended before `today`.
    pub fn is_upcoming(&self, today: jiff::civil::Date) -> bool {
        self.0.is_upcoming(today)
    }
}
