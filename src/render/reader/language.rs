//! The reader of a render in another language than the site's default
//! one (`/ja/…`): which language, its URLs, its string tables, and the
//! pages of a kind it has.

use std::borrow::Cow;

use super::{Dep, Reader};
use crate::content::pages::PageId;
use crate::render::strings::{self, Strings};

impl Reader {
    /// This reader, for a render in language `lang` (`None`: the default
    /// one).
    pub fn in_language(mut self, lang: Option<String>) -> Reader {
        self.lang = lang;
        self
    }

    /// This reader, with the string tables of the render's templates.
    pub fn with_strings(mut self, strings: std::sync::Arc<Strings>) -> Reader {
        self.strings = Some(strings);
        self
    }

    /// A word of the theme's string tables in the render's language (see
    /// [`Strings::word`]), each `{name}` of it filled from `fill`.
    pub fn word(&self, key: &str, fill: &[(&str, &str)]) -> String {
        let (lang, default) = self.string_languages();
        let builtin = Strings::default();
        let strings = self.strings.as_deref().unwrap_or(&builtin);
        strings::fill(strings.word(lang, default, key), fill)
    }

    /// The twelve month names of the render's language (`short`:
    /// abbreviated).
    pub fn month_names(&self, short: bool) -> Vec<String> {
        let (lang, default) = self.string_languages();
        let builtin = Strings::default();
        let strings = self.strings.as_deref().unwrap_or(&builtin);
        strings.months(lang, default, short).to_vec()
    }

    /// The render's language when it is not the site's default one.
    pub fn lang(&self) -> Option<&str> {
        self.lang.as_deref()
    }

    /// The render's language and the site's default one, to look words up
    /// in the theme's string tables: records the tables it may read.
    pub fn string_languages(&self) -> (&str, &str) {
        use std::sync::atomic::Ordering;
        let default = self.site.config.language.as_str();
        let lang = self.lang.as_deref().unwrap_or(default);
        // `take_reads` empties the record: it is read again after.
        if !self.strings_read.swap(true, Ordering::Relaxed) {
            self.note(Dep::Config);
            for name in crate::render::strings::tables_read(lang, default) {
                self.template(&name);
            }
        }
        (lang, default)
    }

    /// `path` (site-relative) in the render's language: `ja/briefs/` for
    /// `briefs/` in Japanese.
    pub fn localize(&self, path: &str) -> String {
        match &self.lang {
            Some(lang) => format!("{lang}/{path}"),
            None => path.to_string(),
        }
    }

    /// `path`, an output of page `id` (its feeds, calendar, the pages of
    /// what mentions it), in the render's language when the page has a
    /// translation into it: a translated page has those outputs in its
    /// language too. Else `path` as it is.
    pub fn page_output(&self, id: PageId, path: String) -> String {
        match self.translation(id) {
            Some(_) => self.localize(&path),
            None => path,
        }
    }

    /// Page `id`'s title in the render's language: its translation's, when
    /// it has one into it.
    pub fn title_in_language(&self, id: PageId) -> &str {
        match self.translation(id) {
            Some(t) => &t.fields.title,
            None => self.page(id).title(),
        }
    }

    /// Page `id`'s name in the render's language: the translation's short
    /// name, else the page's (an acronym is the same in every language),
    /// else the translation's title; the page's own name when it has no
    /// translation into it.
    pub fn name_in_language(&self, id: PageId) -> &str {
        let page = self.page(id);
        match self.translation(id) {
            Some(t) => t
                .fields
                .short
                .as_deref()
                .or(page.fields().short.as_deref())
                .unwrap_or(&t.fields.title),
            None => page.name(),
        }
    }

    /// The pages of a kind in the render's language: all of them in the
    /// default one, else those translated (which is read).
    pub(super) fn of_language(&self, kind: &str) -> Cow<'_, [PageId]> {
        match self.lang.as_deref() {
            Some(lang) => {
                self.note(Dep::Translated(self.kind_index(kind)));
                self.data.in_language(&self.site, kind, lang)
            }
            None => Cow::Borrowed(self.site.graph.ordered(kind)),
        }
    }

    /// Page `id` in the render's language: its translation (which is
    /// read), when the render is in another language and it has one.
    pub fn translation(&self, id: PageId) -> Option<&crate::content::Translation> {
        let lang = self.lang.as_deref()?;
        self.translations(id).into_iter().find(|t| t.lang == lang)
    }
}
