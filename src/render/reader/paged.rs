//! The pages of paginated lists, read so that a page depends on the
//! entries it shows: a kind's list, and the pages of a kind that mention
//! a page (see [`ListPage`]).

use std::borrow::Cow;

use super::{Dep, Reader};
use crate::content::pages::PageId;
use crate::urls::ListPage;

/// What an archive page shows: its entries, newest first, and whether
/// the archive page after it (newer) is full, and so there to link to.
pub struct ArchivePage<'a> {
    pub entries: Cow<'a, [PageId]>,
    pub has_newer: bool,
}

/// Archive page `number` of `all` (newest first), `per_page` to a page:
/// what a render shows and what [`Dep::Archive`] and
/// [`Dep::MentionsArchive`] stand for.
pub fn archive_page(all: &[PageId], number: usize, per_page: usize) -> ArchivePage<'_> {
    let range = ListPage::Archive(number).entries(all.len(), per_page, true);
    ArchivePage {
        entries: Cow::Borrowed(&all[range]),
        has_newer: number < all.len() / per_page.max(1),
    }
}

/// The pages of kind number `kind` among `mentions` (pages in list
/// order, kind by kind), for [`Dep::MentionsArchive`].
pub fn of_kind(site: &crate::site::Site, mentions: &[PageId], kind: u16) -> Vec<PageId> {
    mentions
        .iter()
        .copied()
        .filter(|&m| site.graph.kind_index(m) == u32::from(kind))
        .collect()
}

impl Reader {
    /// The month where the pictures of a kind end: that of its newest
    /// page (in another language, of its newest translated one), or the
    /// build's month if that is earlier. What it reads is the month: a
    /// new brief of this month changes nothing that shows it.
    pub fn pictures_end(&self, kind: &str) -> crate::render::pictures::Month {
        use crate::render::pictures::{Month, pictures_end};
        match self.lang {
            Some(_) => {
                let newest = self.slice(kind, 0, 1).0.first().copied();
                pictures_end(&self.site, newest, Month::of(self.today()))
            }
            None => {
                self.note(Dep::PicturesEnd(self.kind_index(kind)));
                let newest = self.site.graph.ordered(kind).first().copied();
                pictures_end(&self.site, newest, Month::of(self.site.today))
            }
        }
    }

    /// Pages `start..end` of a kind's order (clamped), and how many pages
    /// the kind has.
    pub fn slice(&self, kind: &str, start: usize, end: usize) -> (Cow<'_, [PageId]>, usize) {
        if self.lang.is_some() {
            let all = self.ordered(kind);
            let total = all.len();
            let end = end.min(total);
            let slice = all[start.min(end)..end].to_vec();
            return (Cow::Owned(slice), total);
        }
        let all = self.site.graph.ordered(kind);
        let end = end.min(all.len());
        let start = start.min(end);
        self.note(Dep::Slice(self.kind_index(kind), start as u32, end as u32));
        (Cow::Borrowed(&all[start..end]), all.len())
    }

    /// How many pages a kind has, as the slice of its first `per_page`
    /// and the rest tells it (an archive's own page shows a number of
    /// entries that depends on it): its first page and the count read.
    pub fn first_of_archive(&self, kind: &str, per_page: usize) -> (Cow<'_, [PageId]>, usize) {
        let total = match self.lang {
            Some(_) => self.ordered(kind).len(),
            // Read again, recorded, by the slice below.
            None => self.site.graph.ordered(kind).len(),
        };
        let range = ListPage::First.entries(total, per_page, true);
        self.slice(kind, range.start, range.end)
    }

    /// Archive page `number` of a kind's list: it reads its own entries
    /// and whether the page after it is full, not how many there are.
    pub fn archive_page(&self, kind: &str, number: usize, per_page: usize) -> ArchivePage<'_> {
        if self.lang.is_some() {
            let all = self.ordered(kind);
            let page = archive_page(&all, number, per_page);
            return ArchivePage {
                entries: Cow::Owned(page.entries.into_owned()),
                has_newer: page.has_newer,
            };
        }
        self.note(Dep::Archive(self.kind_index(kind), number as u32));
        archive_page(self.site.graph.ordered(kind), number, per_page)
    }

    /// Archive page `number` of the pages of `kind` that mention page
    /// `id`, as [`Reader::archive_page`].
    pub fn mentions_archive(
        &self,
        id: PageId,
        kind: &str,
        number: usize,
        per_page: usize,
    ) -> ArchivePage<'static> {
        // What mentions a page is the same in every language.
        let index = self.kind_index(kind);
        self.note(Dep::MentionsArchive(id, index, number as u32));
        let all = of_kind(&self.site, &self.site.graph.mentions(id), index);
        let page = archive_page(&all, number, per_page);
        ArchivePage {
            entries: Cow::Owned(page.entries.into_owned()),
            has_newer: page.has_newer,
        }
    }
}
