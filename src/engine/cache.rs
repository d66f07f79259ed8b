//! What `attache build` keeps between runs, in `<site>/.attache/`: for
//! every output, the files it wrote (with their hashes) and what it read;
//! and the fingerprints of what was read. The next build loads the site,
//! computes the fingerprints again, and renders only the outputs whose
//! reads changed (see [`super::Engine::resume`]).
//!
//! Pages are named by their key (kind and slug), not by the ids of one
//! run. A state that is missing, of another version or format, for
//! another output folder or other options, or unreadable, is ignored: the
//! build starts from nothing. It is written by a rename, so a build killed
//! while writing it leaves the old state, which the next build checks
//! against the output folder's manifest like any other.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::render::Target;
use crate::render::reader::Dep;
use crate::site::pages::PageId;

/// The cache folder in the site.
pub const CACHE_DIR: &str = ".attache";
const STATE_FILE: &str = "build-state";
const FORMAT: u32 = 1;

/// A page by its place in [`State::keys`].
type KeyIndex = u32;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StoredTarget {
    Home,
    Page(KeyIndex),
    List { kind: String, number: u32 },
    NotFound,
    Sitemap,
    Robots,
    SiteFeed,
    PageFeed(KeyIndex),
    Calendar,
    PageCalendar(KeyIndex),
    Event(KeyIndex),
    Alias { page: KeyIndex, index: u32 },
    SearchPage,
    SearchIndex,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StoredDep {
    Config,
    Today,
    Template(u64),
    Page(KeyIndex),
    Body(KeyIndex),
    Refs(KeyIndex),
    Backlinks(KeyIndex),
    Related(KeyIndex),
    Tree(u16),
    Order(u16),
    Slice(u16, u32, u32),
    Kind(u16),
    Intro(u16),
    Name(u64),
}

/// One output: what it wrote and what it read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredRecord {
    pub target: StoredTarget,
    pub files: Vec<(String, u128)>,
    pub reads: Vec<StoredDep>,
    pub source: Option<PathBuf>,
}

/// Everything kept between builds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    format: u32,
    version: String,
    /// The site, options and output folder the state is about.
    identity: u64,
    /// Page keys `(kind, slug)`, by [`KeyIndex`].
    pub keys: Vec<(String, String)>,
    pub records: Vec<StoredRecord>,
    pub prints: Vec<(StoredDep, u64)>,
    pub names: Vec<(u64, String, String)>,
    pub statics: Vec<(String, u64)>,
    /// Every input file as it was when the build began: path, size, time.
    pub inputs: Vec<Input>,
    /// The build day.
    pub today: String,
    pub pages: usize,
    /// The build found no problem at all (not even a warning), so a build
    /// of the same inputs has nothing to say or do.
    pub quiet: bool,
}

/// An input file: its path (relative to the root), size and modification
/// time (nanoseconds).
pub type Input = (String, u64, u128);

/// Lists every file a build of the site at `root` reads, with its size
/// and time: `attache.toml`, the content, the templates and static files
/// of the site and its theme. `None` when the configuration cannot be read.
pub fn scan_inputs(root: &Path) -> Option<Vec<Input>> {
    let config = crate::config::Config::load(root).ok()?;
    let boundary = crate::fs::Boundary::new(root, &config.trusted_folders);
    let mut dirs: Vec<(PathBuf, crate::fs::Hidden)> = vec![
        (
            root.join(crate::content::CONTENT_DIR),
            crate::fs::Hidden::Skip,
        ),
        (
            root.join(crate::render::templates::TEMPLATES_DIR),
            crate::fs::Hidden::Skip,
        ),
        (
            root.join(crate::output::static_files::STATIC_DIR),
            crate::fs::Hidden::Keep,
        ),
    ];
    if let Ok(crate::theme::ThemeSource::Folder(theme)) =
        crate::theme::locate(&boundary, &config.theme)
    {
        dirs.push((
            theme.join(crate::render::templates::TEMPLATES_DIR),
            crate::fs::Hidden::Skip,
        ));
        dirs.push((
            theme.join(crate::output::static_files::STATIC_DIR),
            crate::fs::Hidden::Keep,
        ));
    }
    let mut files = vec![root.join(crate::config::CONFIG_FILE)];
    for (dir, hidden) in dirs {
        let walk = boundary.walk(&dir, hidden);
        files.extend(walk.entries);
        // A warning of the walk (a symlink refused) is a problem: such a
        // site is never skipped, see `quiet`.
        if !walk.diagnostics.is_empty() {
            return None;
        }
    }
    let mut inputs: Vec<Input> = files
        .iter()
        .filter_map(|path| {
            let meta = std::fs::metadata(path).ok()?;
            let rel = path.strip_prefix(root).unwrap_or(path);
            Some((
                crate::diagnostic::display_path(rel),
                meta.len(),
                crate::output::manifest::mtime_of(&meta),
            ))
        })
        .collect();
    inputs.sort();
    Some(inputs)
}

impl State {
    pub fn new(identity: u64) -> State {
        State {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            identity,
            ..State::default()
        }
    }
}

/// Stores page ids as key indexes, and back.
pub struct Keys<'a> {
    pub to_index: &'a dyn Fn(PageId) -> Option<KeyIndex>,
    pub to_id: &'a dyn Fn(KeyIndex) -> Option<PageId>,
}

impl Keys<'_> {
    pub fn store_target(&self, target: &Target) -> Option<StoredTarget> {
        let page = |id| (self.to_index)(id);
        Some(match target {
            Target::Home => StoredTarget::Home,
            Target::Page(id) => StoredTarget::Page(page(*id)?),
            Target::List { kind, number } => StoredTarget::List {
                kind: kind.clone(),
                number: *number as u32,
            },
            Target::NotFound => StoredTarget::NotFound,
            Target::Sitemap => StoredTarget::Sitemap,
            Target::Robots => StoredTarget::Robots,
            Target::SiteFeed => StoredTarget::SiteFeed,
            Target::PageFeed(id) => StoredTarget::PageFeed(page(*id)?),
            Target::Calendar => StoredTarget::Calendar,
            Target::PageCalendar(id) => StoredTarget::PageCalendar(page(*id)?),
            Target::Event(id) => StoredTarget::Event(page(*id)?),
            Target::Alias { page: id, index } => StoredTarget::Alias {
                page: page(*id)?,
                index: *index as u32,
            },
            Target::SearchPage => StoredTarget::SearchPage,
            Target::SearchIndex => StoredTarget::SearchIndex,
        })
    }

    pub fn load_target(&self, target: &StoredTarget) -> Option<Target> {
        let id = |k| (self.to_id)(k);
        Some(match target {
            StoredTarget::Home => Target::Home,
            StoredTarget::Page(k) => Target::Page(id(*k)?),
            StoredTarget::List { kind, number } => Target::List {
                kind: kind.clone(),
                number: *number as usize,
            },
            StoredTarget::NotFound => Target::NotFound,
            StoredTarget::Sitemap => Target::Sitemap,
            StoredTarget::Robots => Target::Robots,
            StoredTarget::SiteFeed => Target::SiteFeed,
            StoredTarget::PageFeed(k) => Target::PageFeed(id(*k)?),
            StoredTarget::Calendar => Target::Calendar,
            StoredTarget::PageCalendar(k) => Target::PageCalendar(id(*k)?),
            StoredTarget::Event(k) => Target::Event(id(*k)?),
            StoredTarget::Alias { page, index } => Target::Alias {
                page: id(*page)?,
                index: *index as usize,
            },
            StoredTarget::SearchPage => Target::SearchPage,
            StoredTarget::SearchIndex => Target::SearchIndex,
        })
    }

    pub fn store_dep(&self, dep: Dep) -> Option<StoredDep> {
        let page = |id| (self.to_index)(id);
        Some(match dep {
            Dep::Config => StoredDep::Config,
            Dep::Today => StoredDep::Today,
            Dep::Template(h) => StoredDep::Template(h),
            Dep::Page(id) => StoredDep::Page(page(id)?),
            Dep::Body(id) => StoredDep::Body(page(id)?),
            Dep::Refs(id) => StoredDep::Refs(page(id)?),
            Dep::Backlinks(id) => StoredDep::Backlinks(page(id)?),
            Dep::Related(id) => StoredDep::Related(page(id)?),
            Dep::Tree(k) => StoredDep::Tree(k),
            Dep::Order(k) => StoredDep::Order(k),
            Dep::Slice(k, a, b) => StoredDep::Slice(k, a, b),
            Dep::Kind(k) => StoredDep::Kind(k),
            Dep::Intro(k) => StoredDep::Intro(k),
            Dep::Name(h) => StoredDep::Name(h),
        })
    }

    /// `None` for a dep on a page the site no longer has.
    pub fn load_dep(&self, dep: StoredDep) -> Option<Dep> {
        let id = |k| (self.to_id)(k);
        Some(match dep {
            StoredDep::Config => Dep::Config,
            StoredDep::Today => Dep::Today,
            StoredDep::Template(h) => Dep::Template(h),
            StoredDep::Page(k) => Dep::Page(id(k)?),
            StoredDep::Body(k) => Dep::Body(id(k)?),
            StoredDep::Refs(k) => Dep::Refs(id(k)?),
            StoredDep::Backlinks(k) => Dep::Backlinks(id(k)?),
            StoredDep::Related(k) => Dep::Related(id(k)?),
            StoredDep::Tree(k) => Dep::Tree(k),
            StoredDep::Order(k) => Dep::Order(k),
            StoredDep::Slice(k, a, b) => Dep::Slice(k, a, b),
            StoredDep::Kind(k) => Dep::Kind(k),
            StoredDep::Intro(k) => Dep::Intro(k),
            StoredDep::Name(h) => Dep::Name(h),
        })
    }
}

fn state_path(root: &Path) -> PathBuf {
    root.join(CACHE_DIR).join(STATE_FILE)
}

/// The state the last build of `root` kept, if it is about `identity` and
/// can be read.
pub fn load(root: &Path, identity: u64) -> Option<State> {
    let bytes = std::fs::read(state_path(root)).ok()?;
    let state: State = postcard::from_bytes(&bytes).ok()?;
    (state.format == FORMAT
        && state.version == env!("CARGO_PKG_VERSION")
        && state.identity == identity)
        .then_some(state)
}

/// Keeps `state` for the next build, replacing the old one at once.
pub fn save(root: &Path, state: &State) -> std::io::Result<()> {
    let dir = root.join(CACHE_DIR);
    std::fs::create_dir_all(&dir)?;
    let bytes = postcard::to_stdvec(state).map_err(std::io::Error::other)?;
    crate::output::manifest::write_atomically(&state_path(root), &bytes)
}

/// Forgets the state (`build --clean`, or a build that failed).
pub fn clear(root: &Path) {
    let _ = std::fs::remove_file(state_path(root));
}
