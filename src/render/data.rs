//! Template data prepared once per build. Each page's summary (what lists,
//! references and backlinks show of it) is turned into a Tera value once
//! and shared by every page that shows it; Tera values are
//! reference-counted, so putting one in another page's context is a
//! pointer copy. The values of one render are built in [`super::context`].

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use tera::Value;

use super::summary::{site_value, summary, summary_with};
use super::values::{list, map_with};
use crate::content::pages::PageId;
use crate::render::search::kept::EntryCell;
use crate::site::Site;
use crate::store::shards::shard_of;

/// Values shared by every render of a build.
#[derive(Debug, Clone)]
pub struct SiteData {
    /// `site` in every template.
    pub site: Value,
    /// The configuration and `site` in each other language, by code.
    localized: HashMap<String, (crate::config::Config, Value)>,
    /// Each page's summary, indexed by page id, made when first read:
    /// a build from the kept state reads few of them.
    summaries: Vec<OnceLock<Value>>,
    /// Each kind's summaries in list order, made when first read.
    kind_lists: HashMap<String, OnceLock<Value>>,
    /// Each kind's pages translated into each other language, in list
    /// order, by language and kind, made when first read.
    language_lists: HashMap<(String, String), OnceLock<Vec<PageId>>>,
    /// Goes up each time a page is loaded again or its Markdown rendered
    /// again, by page id: what [`Memo`] entries are checked against.
    versions: Vec<u64>,
    /// Work done for one page that other renders can reuse while the
    /// pages it used stay the same (the search index's words of a page).
    pub memo: Memo,
}

/// Search entries by page, with the key of the pages they were made from,
/// and the pages (by index) of those made since the memo was made or
/// restored.
#[derive(Debug, Default)]
struct MemoEntries {
    by_page: rustc_hash::FxHashMap<PageId, (u64, Arc<EntryCell>)>,
    touched: BTreeSet<usize>,
}

/// Values computed from a few pages, kept while those pages stay the
/// same. Render code reads the pages through the reader first (which
/// records the reads), then asks the memo for what it derives from them.
/// It also keeps the last search index, which the next one starts from.
#[derive(Debug, Clone, Default)]
pub struct Memo {
    entries: Arc<Mutex<MemoEntries>>,
    index: Arc<Mutex<Option<crate::render::search::Built>>>,
    /// Set when a kept entry's shard could not be read (see
    /// [`crate::render::search::kept::KeptShard`]).
    lost: Arc<std::sync::atomic::AtomicBool>,
    /// The data files as their last render made them.
    pub files: Arc<crate::render::export::KeptFiles>,
}

/// What a shard of search entries holds, and its bytes.
pub type EntryShard = (crate::render::search::kept::Heads, Vec<u8>);

/// One shard of a memo's search entries as a build kept it.
pub type KeptEntries = Vec<(PageId, u64, Arc<EntryCell>)>;

impl Memo {
    fn entries(&self) -> std::sync::MutexGuard<'_, MemoEntries> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many shards the search entries span, and those with entries
    /// made since the memo was made or restored.
    /// (`size` pages a shard, see [`crate::store::shards`]).
    pub fn entry_shards(&self, size: usize) -> (usize, BTreeSet<usize>) {
        let entries = self.entries();
        let count = entries
            .by_page
            .keys()
            .map(|id| shard_of(id.index(), size) + 1)
            .max()
            .unwrap_or(0);
        let touched = entries
            .touched
            .iter()
            .map(|&index| shard_of(index, size))
            .collect();
        (count, touched)
    }

    /// What each shard of `wanted` holds of the search entries, and its
    /// bytes (`None`: it holds none): the entries grouped in one pass,
    /// each shard encoded on its own thread.
    pub fn entry_shards_of(
        &self,
        wanted: &BTreeSet<usize>,
        size: usize,
    ) -> Vec<(usize, Option<EntryShard>)> {
        use rayon::prelude::*;
        let mut held: std::collections::BTreeMap<usize, Vec<(PageId, u64, Arc<EntryCell>)>> =
            wanted.iter().map(|&n| (n, Vec::new())).collect();
        for (&id, (key, cell)) in &self.entries().by_page {
            if let Some(shard) = held.get_mut(&shard_of(id.index(), size)) {
                shard.push((id, *key, cell.clone()));
            }
        }
        let held: Vec<_> = held.into_iter().collect();
        held.into_par_iter()
            .map(|(n, mut entries)| {
                entries.sort_unstable_by_key(|e| e.0);
                let cells: Vec<(PageId, u64, &EntryCell)> = entries
                    .iter()
                    .map(|(id, key, cell)| (*id, *key, &**cell))
                    .collect();
                (
                    n,
                    (!cells.is_empty()).then(|| crate::render::search::kept::encode(&cells)),
                )
            })
            .collect()
    }

    /// Writes the last search index (as `Option<KeptIndex>`) with `write`.
    pub fn write_index<T>(
        &self,
        write: impl FnOnce(Option<crate::render::search::KeptIndex<'_>>) -> T,
    ) -> T {
        let index = self.index.lock().unwrap_or_else(PoisonError::into_inner);
        write(index.as_ref().map(crate::render::search::Built::kept))
    }

    /// The memo a build kept: its entries by shard, and its last index;
    /// `lost` is set if an entry's shard turns out unreadable.
    pub fn restore(
        shards: Vec<KeptEntries>,
        index: Option<crate::render::search::KeptIndex<'_>>,
        lost: Arc<std::sync::atomic::AtomicBool>,
    ) -> Memo {
        let by_page: rustc_hash::FxHashMap<PageId, (u64, Arc<EntryCell>)> = shards
            .into_iter()
            .flatten()
            .map(|(page, key, entry)| (page, (key, entry)))
            .collect();
        let index = index.and_then(|kept| {
            crate::render::search::Built::restore(kept, |id| {
                by_page.get(&id).map(|(_, e)| e.clone())
            })
        });
        Memo {
            entries: Arc::new(Mutex::new(MemoEntries {
                by_page,
                touched: BTreeSet::new(),
            })),
            index: Arc::new(Mutex::new(index)),
            lost,
            files: Arc::default(),
        }
    }

    /// Whether a kept entry was used whose shard could not be read: what
    /// was rendered from the kept state is not to be trusted.
    pub fn lost(&self) -> bool {
        self.lost.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// What [`SiteData`] keeps between builds beside its [`Memo`]: the page
/// versions the memo is checked against. The rest is made again from the
/// site.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct KeptData {
    versions: Vec<u64>,
    /// Where each data file's parts are (see [`crate::render::export`]).
    files: std::collections::BTreeMap<String, crate::render::export::Layout>,
}

impl Memo {
    /// The search entry of page `id`, computed by `make` unless the pages
    /// it used (`used`, with their versions) are what they were. Guarded
    /// by tests/differential.rs: taking a kept entry whatever its key,
    /// it fails at seed 1, step 0.
    pub fn search_entry(
        &self,
        id: PageId,
        key: u64,
        make: impl FnOnce() -> crate::render::search::Entry,
    ) -> Arc<EntryCell> {
        if let Some((k, entry)) = self.entries().by_page.get(&id)
            && *k == key
        {
            return entry.clone();
        }
        let entry = Arc::new(EntryCell::new(make()));
        let mut entries = self.entries();
        entries.by_page.insert(id, (key, entry.clone()));
        entries.touched.insert(id.index());
        entry
    }

    pub fn take_index(&self) -> Option<crate::render::search::Built> {
        self.index
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    /// Drops the last index: the next is made from nothing, every file
    /// of it rendered.
    pub fn forget_index(&self) {
        self.take_index();
    }

    pub fn keep_index(&self, built: crate::render::search::Built) {
        *self.index.lock().unwrap_or_else(PoisonError::into_inner) = Some(built);
    }
}

/// A cell for each kind's list of summaries.
/// A cell for the pages of each kind in each other language.
fn language_lists(site: &Site) -> HashMap<(String, String), OnceLock<Vec<PageId>>> {
    let config = &site.config;
    config
        .languages
        .iter()
        .flat_map(|l| {
            config
                .kinds
                .iter()
                .map(|k| (l.code.clone(), k.name.clone()))
        })
        .map(|key| (key, OnceLock::new()))
        .collect()
}

fn kind_lists(site: &Site) -> HashMap<String, OnceLock<Value>> {
    site.config
        .kinds
        .iter()
        .map(|k| (k.name.clone(), OnceLock::new()))
        .collect()
}

impl Default for SiteData {
    /// Empty data, until [`SiteData::build`] makes the real one.
    fn default() -> Self {
        SiteData {
            site: Value::none(),
            localized: HashMap::new(),
            summaries: Vec::new(),
            kind_lists: HashMap::new(),
            language_lists: HashMap::new(),
            versions: Vec::new(),
            memo: Memo::default(),
        }
    }
}

impl SiteData {
    pub fn build(site: &Site) -> SiteData {
        let capacity = site.pages.capacity();
        SiteData {
            site: site_value(&site.config, None),
            localized: site
                .config
                .languages
                .iter()
                .map(|l| {
                    let config = l.localize(&site.config);
                    let value = site_value(&config, Some(&l.code));
                    (l.code.clone(), (config, value))
                })
                .collect(),
            versions: vec![1; capacity],
            summaries: vec![OnceLock::new(); capacity],
            kind_lists: kind_lists(site),
            language_lists: language_lists(site),
            memo: Memo::default(),
        }
    }

    /// [`SiteData::build`], with the versions and memo a build kept.
    pub fn restore(site: &Site, kept: KeptData, memo: Memo) -> SiteData {
        let mut data = SiteData::build(site);
        if kept.versions.len() >= data.versions.len() {
            data.versions = kept.versions;
            memo.files.restore(kept.files);
            data.memo = memo;
        }
        data
    }

    /// What to keep for the next build, beside the memo.
    pub fn kept(&self) -> KeptData {
        KeptData {
            versions: self.versions.clone(),
            files: self.memo.files.layouts(),
        }
    }

    /// The configuration and `site` value in language `lang`, as templates
    /// see them.
    pub fn localized(&self, lang: &str) -> Option<&(crate::config::Config, Value)> {
        self.localized.get(lang)
    }

    /// The pages of `kind` translated into `lang`, in list order (see
    /// [`Site::in_language`]).
    pub fn in_language<'a>(&'a self, site: &'a Site, kind: &str, lang: &str) -> Cow<'a, [PageId]> {
        match self
            .language_lists
            .get(&(lang.to_string(), kind.to_string()))
        {
            Some(cell) => {
                Cow::Borrowed(cell.get_or_init(|| site.in_language(kind, Some(lang)).into_owned()))
            }
            None => site.in_language(kind, Some(lang)),
        }
    }

    /// A number that changes each time page `id` changes.
    pub fn version(&self, id: PageId) -> u64 {
        self.versions.get(id.index()).copied().unwrap_or(0)
    }

    /// Brings the data up to date after pages `changed` were added or
    /// edited and `removed` left: their summaries, and the lists, are
    /// made again when next read.
    pub fn refresh(&mut self, site: &Site, changed: &HashSet<PageId>, removed: &[PageId]) {
        if self.summaries.len() < site.pages.capacity() {
            self.summaries
                .resize(site.pages.capacity(), OnceLock::new());
            self.versions.resize(site.pages.capacity(), 0);
        }
        for id in changed.iter().chain(removed) {
            self.versions[id.index()] += 1;
            self.summaries[id.index()] = OnceLock::new();
        }
        self.kind_lists = kind_lists(site);
        self.language_lists = language_lists(site);
    }

    /// What lists, references and backlinks show of page `id` of `site`
    /// (the site this data is about).
    pub fn summary(&self, site: &Site, id: PageId) -> Value {
        match self.summaries.get(id.index()) {
            Some(cell) if site.pages.get(id).is_some() => {
                cell.get_or_init(|| summary(site, id)).clone()
            }
            _ => Value::none(),
        }
    }

    /// Page `id`'s summary and then the entries `more`, as one map: the
    /// summary made already is copied, one not made yet is not kept (a
    /// list shows most pages once, and only with its counts).
    pub fn summary_with(&self, site: &Site, id: PageId, more: Vec<(&'static str, Value)>) -> Value {
        match self.summaries.get(id.index()) {
            Some(cell) if site.pages.get(id).is_some() => match cell.get() {
                Some(made) => map_with(made, &more),
                None => summary_with(site, id, more),
            },
            _ => Value::none(),
        }
    }

    /// The summaries of every page of `kind`, in list order.
    pub fn kind_list(&self, site: &Site, kind: &str) -> Option<Value> {
        let cell = self.kind_lists.get(kind)?;
        Some(
            cell.get_or_init(|| {
                let pages = site.graph.ordered(kind);
                list(pages.iter().map(|&id| self.summary(site, id)).collect())
            })
            .clone(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::SiteOptions;

    /// A list's entry is the summary and then its own entries, whether
    /// the summary was made before (copied) or not (made with them, and
    /// not kept): the two ways give the same value, key for key in order.
    #[test]
    fn a_summary_with_more_is_the_same_made_either_way() {
        // The example site, only read.
        let (site, _) = Site::load(&SiteOptions::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let data = SiteData::build(&site);
        let more = || {
            vec![
                ("counts", list(vec![Value::from(3)])),
                ("sparkline", Value::none()),
            ]
        };
        for (id, _) in site.pages.iter() {
            let fresh = data.summary_with(&site, id, more());
            assert!(data.summaries[id.index()].get().is_none(), "not kept");
            let made = data.summary(&site, id);
            let copied = data.summary_with(&site, id, more());
            let expected = map_with(&made, &more());
            for value in [&fresh, &copied] {
                let keys: Vec<_> = value.as_map().unwrap().keys().collect();
                assert_eq!(keys, expected.as_map().unwrap().keys().collect::<Vec<_>>());
                assert_eq!(value, &expected);
            }
            assert_eq!(fresh.get_from_path("counts.0").unwrap().as_i64(), Some(3));
        }
    }
}
