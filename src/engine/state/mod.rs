//! What `attache build` keeps between runs, in `<site>/.attache/`: the
//! site as loaded and linked, the search entries, and for every output
//! the files it wrote (with their hashes), what it read and the
//! fingerprints of what was read. The next build starts from it, reads
//! again only the input files whose size or time changed, and renders
//! only the outputs whose reads changed (see [`super::Engine::resume`]).
//!
//! The state is `build-state`, a small header (what the build was about
//! and found), and the body it names, `body-<id>`: `body-<id>.0` the core
//! (the site's graph and problems, the records and fingerprints, and the
//! names of the shards), `.1` the last search index; the header has the
//! hash of each, and a section is read back only whole. The records'
//! reads and the index's postings are kept packed ([`crate::store::packed`]):
//! read back as bytes, decoded only where used. The pages and the
//! search entries are kept in shards of page ids named after their bytes
//! ([`crate::store::shards`]): a build writes only the shards whose pages
//! changed, and reads a shard of search entries only when it uses one
//! of them (a shard gone by then makes the build start over from
//! nothing, see [`super::Engine::lost_kept_state`]). The
//! body is written while the output folder is (it does not depend on it),
//! then the header by a rename, then the bodies and shards it does not
//! name are removed: a build killed at any moment leaves the old header
//! with its body and shards, or the new header with its own. A state that
//! is missing, of another version or format, for another output folder
//! or other options, or unreadable, is ignored: the build starts from
//! nothing.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use rayon::prelude::*;

mod inputs;
mod resume;

pub use inputs::{Input, SETTLE_WINDOW, changed_inputs, scan_inputs, settle};

use super::Record;
use super::deps::Fingerprints;
use crate::content::Page;
use crate::content::pages::{KeptPages, Pages};
use crate::render::Target;
use crate::render::data::{KeptData, KeptEntries, Memo};
use crate::render::search::KeptIndex;
use crate::render::search::kept::{Heads, KeptShard};
use crate::site::SiteState;
use crate::store::shards;

/// The cache folder in the site.
pub const CACHE_DIR: &str = ".attache";
const STATE_FILE: &str = "build-state";
const BODY_PREFIX: &str = "body-";
const FORMAT: u32 = 31;

/// What the last build was about and found: read first and alone, so
/// that a build with nothing to do decides so without reading the rest.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Header {
    format: u32,
    version: String,
    /// The site, options and output folder the state is about.
    identity: u64,
    /// Every input file as it was when the build began: path, size, time.
    pub inputs: Vec<Input>,
    /// The build day.
    pub today: String,
    pub pages: usize,
    /// The build found no problem at all (not even a warning), so a build
    /// of the same inputs has nothing to say or do.
    pub quiet: bool,
    /// The output folder's manifest as the build left it (see
    /// [`manifest_print`]).
    pub manifest: u128,
    /// The file of the body, in the cache folder.
    pub body: String,
    /// The xxh3-128 of each section of the body: a section is read back
    /// only whole (its records' deps are not decoded until scanned).
    pub sections: Vec<u128>,
    /// The shards the body names, and of those the pages' (here rather
    /// than in the core, so that they are read while the core is).
    pub shards: Vec<u128>,
    pub page_shards: Vec<u128>,
}

/// A body written for a header to name (see [`Header::name`]).
pub struct SavedBody {
    pub name: String,
    sections: Vec<u128>,
    shards: Vec<u128>,
    page_shards: Vec<u128>,
}

/// The rest: the site, and what the engine knows of its outputs.
pub(super) struct RestoredBody {
    pub site: SiteState<'static>,
    pub pages: Pages,
    pub data: KeptData,
    pub memo: Memo,
    pub prints: Fingerprints,
    pub statics: Vec<(String, u64)>,
    pub records: Vec<(Target, Record)>,
    pub shards: Shards,
    /// Set when a part of the state read later (a shard of search
    /// entries, a page's text) is not there as it was kept.
    pub lost: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

/// The shards a body names: for each shard of page ids, the hash of the
/// file holding its pages, and of the one holding their search entries
/// with what it holds (`None`: it has none).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Shards {
    /// Named by the header (see [`Header::page_shards`]), not the core.
    #[serde(skip)]
    pages: Vec<u128>,
    entries: Vec<Option<(u128, Heads)>>,
}

impl Shards {
    fn all(&self) -> impl Iterator<Item = u128> + '_ {
        self.pages
            .iter()
            .copied()
            .chain(self.entries.iter().flatten().map(|(hash, _)| *hash))
    }
}

/// The body's first section: all but the last search index.
/// Written from an engine in place (borrowed), read back (owned): one
/// type for both, so that they cannot drift apart.
#[derive(Serialize, Deserialize)]
pub(super) struct Core<'a> {
    pub site: SiteState<'a>,
    pub data: KeptData,
    pub prints: Cow<'a, Fingerprints>,
    pub statics: Vec<(Cow<'a, str>, u64)>,
    pub records: Vec<(Cow<'a, Target>, Cow<'a, Record>)>,
    pub pages: KeptPages<'a>,
    pub shards: Shards,
}

/// What [`save_body`] writes: the core (its shards named by
/// [`save_body`]), the pages and the memo (its search entries and its
/// last index), with the shards the last build kept (`kept`) to name
/// again where nothing in them changed.
pub(super) struct KeptBody<'a> {
    pub core: Core<'a>,
    pub pages: &'a Pages,
    pub memo: &'a Memo,
    pub kept: &'a Shards,
    /// Pages per shard (`[build] state_shard`; the same for the kept
    /// shards, since a change of configuration starts from nothing).
    pub shard_pages: usize,
}

/// The body's sections, in the order of their files' numbers.
const SECTIONS: usize = 2;
/// How each section is compressed, if it is (a zstd level): the core is
/// written at every build and read at the start of the next, so at a
/// level that costs a few milliseconds at each end for half its size;
/// the index, whose packed postings zstd makes a fifth smaller at most,
/// is not.
const SECTION_PACKING: [Option<i32>; SECTIONS] = [Some(-1), None];

/// A kept state: its header, read, and its body, read on demand.
pub struct State {
    pub header: Header,
    /// The cache folder.
    dir: PathBuf,
}

impl State {
    /// The body, unless it cannot be read. The core and the index are
    /// read at once, then the pages' shards; a shard of search entries is
    /// read only when one of its entries is used (see
    /// [`crate::render::search::kept`]).
    pub(super) fn take_body(&mut self) -> Option<RestoredBody> {
        let name = &self.header.body;
        if !name.starts_with(BODY_PREFIX) || name.contains(['/', '\\']) {
            return None;
        }
        let read = |n: usize| {
            let file = read_own(&self.dir.join(section_name(name, n))).ok()?;
            let bytes = match SECTION_PACKING[n] {
                Some(_) => shards::decompress(&file)?,
                None => file,
            };
            let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
            (self.header.sections.get(n) == Some(&hash)).then_some(bytes)
        };
        // The pages' shards are named by the header too, so that they are
        // decoded beside the core and the index, not after.
        let ((core, index), pages) = rayon::join(
            || {
                rayon::join(
                    || postcard::from_bytes::<Core<'static>>(&read(0)?).ok(),
                    || postcard::from_bytes::<Option<KeptIndex<'static>>>(&read(1)?).ok(),
                )
            },
            || shards::read_slots::<Page>(&self.dir, &self.header.page_shards),
        );
        let (mut core, index, pages) = (core?, index?, pages?);
        core.shards.pages = self.header.page_shards.clone();
        // The search entries' shards are read when first used.
        let lost = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let entries: Vec<KeptEntries> = (core.shards.entries.iter().flatten())
            .map(|(hash, heads)| {
                let shard = KeptShard::new(self.dir.clone(), *hash, lost.clone());
                crate::render::search::kept::restore(heads, std::sync::Arc::new(shard))
            })
            .collect();
        let pages = Pages::restore(core.pages, pages)?;
        Some(RestoredBody {
            site: core.site,
            pages,
            data: core.data,
            memo: Memo::restore(entries, index, lost.clone()),
            prints: core.prints.into_owned(),
            statics: (core.statics.into_iter())
                .map(|(path, print)| (path.into_owned(), print))
                .collect(),
            records: (core.records.into_iter())
                .map(|(target, record)| (target.into_owned(), record.into_owned()))
                .collect(),
            shards: core.shards,
            lost,
        })
    }
}

/// The file of section `n` of the body `body`.
fn section_name(body: &str, n: usize) -> String {
    format!("{body}.{n}")
}

impl Header {
    pub fn new(identity: u64) -> Header {
        Header {
            format: FORMAT,
            version: program_version(),
            identity,
            ..Header::default()
        }
    }

    /// Names `body` as the state's body.
    pub fn name(&mut self, body: SavedBody) {
        self.body = body.name;
        self.sections = body.sections;
        self.shards = body.shards;
        self.page_shards = body.page_shards;
    }
}

/// A hash of everything a manifest says: which files the output folder
/// holds, with their hashes, sizes and times.
pub fn manifest_print(manifest: &crate::output::manifest::Manifest) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for (path, entry) in &manifest.files {
        h.update(path.as_bytes());
        h.update(&[0]);
        h.update(&entry.hash.to_le_bytes());
        h.update(&entry.size.to_le_bytes());
        h.update(&entry.mtime.to_le_bytes());
    }
    h.digest128()
}

/// The version of attache that keeps or reads a state: its release, and
/// the size and time of its program file, so that a build of attache
/// itself that renders differently under the same release number (a
/// development build) does not take a state it did not make.
fn program_version() -> String {
    let program = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| (m.len(), crate::output::manifest::mtime_of(&m)))
        .unwrap_or_default();
    format!("{} {}:{}", env!("CARGO_PKG_VERSION"), program.0, program.1)
}

/// Reads a file of the state: only a regular file of bounded size (a
/// FIFO or a link to a device in `.attache/` is never read).
pub(super) fn read_own(path: &Path) -> std::io::Result<Vec<u8>> {
    crate::fs::read_regular(path, crate::fs::OWN_FILE_LIMIT)
}

/// Makes the site's cache folder a folder of its own, and locks it for
/// this build (one writer at a time). A symlink in its place, which would
/// lead the state's writes and removals out of the site, is removed as a
/// link (its target is never touched) and a folder made instead.
pub fn take_dir(
    root: &Path,
    wait: crate::lock::Wait<'_>,
) -> Result<crate::lock::Lock, crate::diagnostic::Diagnostic> {
    let dir = root.join(CACHE_DIR);
    let made = match std::fs::symlink_metadata(&dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(m) if m.file_type().is_symlink() => std::fs::remove_file(&dir)
            .or_else(|_| std::fs::remove_dir(&dir))
            .and_then(|()| std::fs::create_dir(&dir)),
        Ok(_) => Err(std::io::Error::other("it is not a folder")),
        Err(_) => std::fs::create_dir_all(&dir),
    };
    made.map_err(|e| {
        crate::diagnostic::Diagnostic::error(format!("cannot use {}: {e}", dir.display()))
            .hint(format!("{CACHE_DIR}/ is where a build keeps its state for the next one; remove what is there"))
    })?;
    crate::lock::acquire(&dir, "build", wait)
}

/// Whether `name` is a file of a body (`body-<id>-<process>.<n>`), as
/// [`save_body`] names them: only these are ever removed.
fn is_body_file(name: &str) -> bool {
    let hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    let Some(rest) = name.strip_prefix(BODY_PREFIX) else {
        return false;
    };
    let Some((id, n)) = rest.rsplit_once('.') else {
        return false;
    };
    let Some((time, process)) = id.split_once('-') else {
        return false;
    };
    hex(time) && hex(process) && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
}

fn state_path(root: &Path) -> PathBuf {
    root.join(CACHE_DIR).join(STATE_FILE)
}

/// The state the last build of `root` kept, if it is about `identity` and
/// its header can be read.
pub fn load(root: &Path, identity: u64) -> Option<State> {
    let bytes = read_own(&state_path(root)).ok()?;
    let header: Header = postcard::from_bytes(&bytes).ok()?;
    (header.format == FORMAT && header.version == program_version() && header.identity == identity)
        .then(|| State {
            header,
            dir: root.join(CACHE_DIR),
        })
}

/// Writes a body for the next header to name: the shards whose pages
/// changed since the last build (the others are named again) and then
/// the core, which names them, on one thread; the index on another.
/// Returns its name and the shards it names.
pub(super) fn save_body(root: &Path, mut body: KeptBody<'_>) -> std::io::Result<SavedBody> {
    let dir = root.join(CACHE_DIR);
    std::fs::create_dir_all(&dir)?;
    let id = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let name = format!("{BODY_PREFIX}{id:x}-{:x}", std::process::id());
    let path = |n: usize| dir.join(section_name(&name, n));
    // The core names the shards, so it follows them; the index (the
    // larger section) needs neither and is written beside both.
    let core = &mut body.core;
    let (pages, memo, kept, shard_pages) = (body.pages, body.memo, body.kept, body.shard_pages);
    let (core_hash, index) = rayon::join(
        || {
            core.shards = write_shards(&dir, pages, memo, kept, shard_pages)?;
            write_section(0, &path(0), &*core)
        },
        || memo.write_index(|index| write_section(1, &path(1), &index)),
    );
    match (core_hash, index) {
        (Ok(core), Ok(index)) => Ok(SavedBody {
            name,
            sections: vec![core, index],
            shards: body.core.shards.all().collect(),
            page_shards: body.core.shards.pages.clone(),
        }),
        (Err(e), _) | (_, Err(e)) => {
            discard_body(root, &name);
            Err(e)
        }
    }
}

/// Writes the shards of `body` that changed since the last build kept
/// `kept`, and names every shard: `shard_pages` pages a shard.
fn write_shards(
    dir: &Path,
    pages: &Pages,
    memo: &Memo,
    kept: &Shards,
    shard_pages: usize,
) -> std::io::Result<Shards> {
    let size = shard_pages.max(1);
    let shard_count = pages.capacity().div_ceil(size);
    let touched: std::collections::BTreeSet<usize> = pages
        .touched()
        .iter()
        .map(|id| shards::shard_of(id.index(), size))
        .collect();
    let page_shards = (0..shard_count)
        .into_par_iter()
        .map(|n| match kept.pages.get(n) {
            // Guarded by tests/differential.rs (4 pages a shard): named
            // again even when touched, it fails at seed 2, step 5.
            Some(&hash) if !touched.contains(&n) => Ok(hash),
            _ => {
                let start = n * size;
                let slots = pages.slots(start..start + size);
                let bytes = postcard::to_stdvec(slots).map_err(std::io::Error::other)?;
                shards::write(dir, &bytes)
            }
        })
        .collect::<std::io::Result<Vec<u128>>>()?;
    // Search entries are kept in smaller shards (see
    // `entry_shard_pages`); those touched, and those the last build did
    // not keep, are made again. Guarded likewise: named again even when
    // touched, it fails at seed 6, step 7.
    let size = entry_shard_pages(size);
    let (count, touched) = memo.entry_shards(size);
    let fresh: std::collections::BTreeSet<usize> = (0..count)
        .filter(|&n| touched.contains(&n) || n >= kept.entries.len())
        .collect();
    let mut written = (memo.entry_shards_of(&fresh, size).into_par_iter())
        .map(|(n, shard)| {
            let shard = shard
                .map(|(heads, bytes)| shards::write(dir, &bytes).map(|hash| (hash, heads)))
                .transpose()?;
            Ok((n, shard))
        })
        .collect::<std::io::Result<std::collections::BTreeMap<usize, Option<(u128, Heads)>>>>()?;
    let entry_shards = (0..count)
        .map(|n| match written.remove(&n) {
            Some(shard) => shard,
            None => kept.entries[n].clone(),
        })
        .collect();
    Ok(Shards {
        pages: page_shards,
        entries: entry_shards,
    })
}

/// How many pages' search entries a shard keeps, with `shard_pages` pages
/// to a shard of pages: a sixteenth as many (16 of the default 256).
/// Compressed, a shard is read and written whole when one of its entries
/// changes, and a new title for an agency changes the entries of every
/// page naming it, scattered over the site: in shards of 256 that is
/// nearly all of them, in shards of 16 a sixth (measured in
/// BENCHMARKS.md). The pages' shards are read whole at every build.
fn entry_shard_pages(shard_pages: usize) -> usize {
    (shard_pages / 16).max(1)
}

/// Writes section `n` (compressed as [`SECTION_PACKING`] says) at `path`;
/// returns the xxh3-128 of its bytes.
fn write_section(n: usize, path: &Path, value: &impl Serialize) -> std::io::Result<u128> {
    crate::store::section::write(path, value, SECTION_PACKING[n])
}

/// Removes a body no header names (a build that failed after writing it).
pub fn discard_body(root: &Path, name: &str) {
    if name.starts_with(BODY_PREFIX) && !name.contains(['/', '\\']) {
        for n in 0..SECTIONS {
            let _ = std::fs::remove_file(root.join(CACHE_DIR).join(section_name(name, n)));
        }
    }
}

/// Keeps `header` (which names its body and shards) for the next build,
/// replacing the old one at once, then removes the bodies and shards it
/// does not name.
pub fn save_header(root: &Path, header: &Header) -> std::io::Result<()> {
    let bytes = postcard::to_stdvec(header).map_err(std::io::Error::other)?;
    crate::output::manifest::write_atomically(&state_path(root), &bytes)?;
    let dir = root.join(CACHE_DIR);
    for entry in std::fs::read_dir(&dir)?.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = name
            .strip_prefix(header.body.as_str())
            .is_some_and(|rest| rest.starts_with('.'));
        if is_body_file(&name) && !ours {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    shards::remove_others(&dir, &header.shards.iter().copied().collect());
    Ok(())
}

/// Forgets the state (`build --clean`, or a build that failed).
pub fn clear(root: &Path) {
    let _ = std::fs::remove_file(state_path(root));
}
