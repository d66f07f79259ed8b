//! Load: find the content files, read them, split and check their front matter.
//!
//! Each file is loaded on its own ([`load_file`]), so that the whole site
//! can be read in parallel and the dev server can reload one file.

pub mod date;
pub mod fields;
pub mod frontmatter;
pub mod items;
pub mod page;
pub mod pages;
mod placement;
mod toml_errors;
mod values;

use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::fs::Boundary;
use crate::urls::slugify;
use fields::{Checker, FieldSet};
pub use page::{Fields, Intro, IntroKey, Page, PageKey, RefSite, Spanned, Translation};
pub use placement::misplaced;
pub use values::{reserved, unreserved};

/// The folder of the content, under the site root.
pub const CONTENT_DIR: &str = "content";
/// The name of list-intro files.
pub const INTRO_FILE: &str = "_index.md";

/// What a path under `content/` is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ContentPath {
    /// A page of `kind`.
    Page { kind: String },
    /// The intro of a kind's list, or of the home page (`kind: None`),
    /// in the default language or (`_index.<lang>.md`) another.
    Intro {
        kind: Option<String>,
        lang: Option<String>,
    },
    /// A page of `kind` in language `lang`: `<name>.<lang>.md`, for a
    /// language declared under `[languages]`.
    Translation { kind: String, lang: String },
}

/// Classifies `rel` (relative to the site root). `None` for anything that
/// is not a content file attache reads: not Markdown, hidden, an editor's
/// temporary file, or not under `content/`.
pub fn classify(rel: &Path, config: &Config) -> Option<ContentPath> {
    let mut parts = rel.components();
    if parts.next() != Some(Component::Normal(CONTENT_DIR.as_ref())) {
        return None;
    }
    let rest: Vec<&str> = parts
        .map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let name = *rest.last()?;
    if name.starts_with('.') || !name.ends_with(".md") || rest.iter().any(|p| p.starts_with('.')) {
        return None;
    }
    // An intro (at the root or in a kind's folder): `_index.md`, or
    // `_index.<lang>.md` in a declared language. In a language the site
    // does not declare it is not read (nor a page named `_index.fr`):
    // `misplaced` says so.
    let intro = |kind: Option<&str>| {
        let lang = match name {
            INTRO_FILE => None,
            _ => Some(translation_lang(name, config)?.to_string()),
        };
        let kind = kind.map(str::to_string);
        Some(ContentPath::Intro { kind, lang })
    };
    let is_intro = name == INTRO_FILE || name.starts_with("_index.");
    match rest.as_slice() {
        [_] if is_intro => intro(None),
        [_] => None,
        [kind, _] if is_intro && config.kind(kind).is_some() => intro(Some(kind)),
        // Asks and offers are written in front matter: `misplaced` says so.
        [kind, ..]
            if config
                .kind(kind)
                .is_some_and(|k| k.schema == crate::config::Schema::Item) =>
        {
            None
        }
        [kind, ..] if config.kind(kind).is_some() => Some(match translation_lang(name, config) {
            Some(lang) => ContentPath::Translation {
                kind: kind.to_string(),
                lang: lang.to_string(),
            },
            None => ContentPath::Page {
                kind: kind.to_string(),
            },
        }),
        _ => None,
    }
}

/// The name a page file gives its page (`@/kind/<name>.md` links, and
/// its slug unless it sets one): the file's name without `.md`, or for a
/// page bundle as Zola and Hugo write one (`content/blog/trip/index.md`,
/// with its pictures beside it) the folder's, `trip`.
pub fn page_stem(rel: &Path) -> &str {
    let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    match stem {
        "index" => bundle_name(rel).unwrap_or(stem),
        _ => stem,
    }
}

/// The folder of a page bundle's `index.md` (or `index.<lang>.md`): one
/// below its kind's folder or deeper; `None` for a file in the kind's
/// own folder.
fn bundle_name(rel: &Path) -> Option<&str> {
    let folder = rel.parent()?;
    // content/<kind>/<folder>/index.md: at least three parts above it.
    (folder.components().count() >= 3)
        .then(|| folder.file_name()?.to_str())
        .flatten()
}

/// The folder of a page bundle, relative to the root, when `rel` is its
/// page's file (`content/blog/trip/index.md` → `content/blog/trip`).
pub fn bundle_folder(rel: &Path) -> Option<&Path> {
    // The name first: this runs for every page on every update.
    if rel.file_name().and_then(|n| n.to_str()) != Some("index.md") {
        return None;
    }
    bundle_name(rel)?;
    rel.parent()
}

/// The page bundle `rel` (a file under `content/`, relative to `root`) is
/// in: the nearest folder below a kind's folder with an `index.md`.
pub fn bundle_of(root: &Path, rel: &Path) -> Option<PathBuf> {
    rel.ancestors()
        .skip(1)
        .take_while(|folder| folder.components().count() >= 3)
        .find(|folder| root.join(folder).join("index.md").is_file())
        .map(Path::to_path_buf)
}

/// The language of a translation's file name (`jica.ja.md`: `ja`), if
/// it ends with the code of a declared language.
fn translation_lang<'a>(name: &'a str, config: &Config) -> Option<&'a str> {
    let stem = name.strip_suffix(".md")?;
    let (original, lang) = stem.rsplit_once('.')?;
    (!original.is_empty() && config.languages.iter().any(|l| l.code == lang)).then_some(lang)
}

/// One loaded content file. Short-lived, so the size difference of the
/// variants does not matter.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Loaded {
    Page(Page),
    Intro(Intro),
    Translation(Translation),
}

/// Reads and checks one content file. `rel` is relative to the root.
pub fn load_file(
    boundary: &Boundary,
    rel: &Path,
    what: &ContentPath,
    config: &Config,
) -> Result<Loaded, Vec<Diagnostic>> {
    parse_file(read_source(boundary, rel)?, what, config)
}

/// Checks the text of a content file (`file.path` is its path relative to
/// the root) as a page or an intro.
///
/// Long: the steps of reading one file (split, check the fields, the body,
/// the page or intro), each with its own errors, in the order a writer meets
/// them.
pub fn parse_file(
    file: SourceFile,
    what: &ContentPath,
    config: &Config,
) -> Result<Loaded, Vec<Diagnostic>> {
    let rel = file.path.clone();
    let rel = rel.as_path();
    let split = match frontmatter::split(file.text()) {
        Ok(split) => split,
        Err(e) => {
            let (message, label, hint) = e.explain();
            return Err(vec![
                Diagnostic::error(message)
                    .at(file.at(e.span()))
                    .label(label)
                    .hint(hint),
            ]);
        }
    };
    let kind_of = |kind: &str| {
        config
            .kind(kind)
            .ok_or_else(|| vec![Diagnostic::error(format!("`{kind}` is not a kind")).in_file(rel)])
    };
    let set = match what {
        ContentPath::Page { kind } => FieldSet::Page(kind_of(kind)?),
        ContentPath::Translation { kind, .. } => FieldSet::Translation(kind_of(kind)?),
        ContentPath::Intro { .. } => FieldSet::Intro,
    };
    let checker = Checker {
        file: &file,
        config,
        set,
        offset: split.front_offset,
        open: split.open.clone(),
    };
    let fields = checker.check(split.front)?;
    let body_offset = split.body_offset;
    Ok(match what {
        ContentPath::Page { kind } => {
            let stem = page_stem(rel).to_string();
            let slug = match &fields.slug {
                Some(s) => s.get_ref().clone(),
                None => slugify(&stem),
            };
            if slug.is_empty() {
                return Err(vec![
                    Diagnostic::error(format!(
                        "the file name `{}` gives an empty slug",
                        rel.file_name()
                            .map(|n| n.to_string_lossy())
                            .unwrap_or_default()
                    ))
                    .at(file.at(split.open.clone()))
                    .label("this page would have no URL")
                    .hint("rename the file with letters or digits, or set `slug = \"...\"`"),
                ]);
            }
            if fields.slug.is_none() && crate::urls::reserved_on_windows(&slug) {
                return Err(vec![
                    values::reserved(&slug)
                        .at(file.at(split.open.clone()))
                        .label(format!("the file name gives the slug `{slug}`"))
                        .hint(format!(
                            "set slug = \"{}\" here, or rename the file",
                            values::unreserved(&slug)
                        )),
                ]);
            }
            Loaded::Page(Page {
                key: PageKey::new(kind, &slug),
                file,
                stem,
                fields,
                body_offset,
                stub: false,
                rendered: Default::default(),
                body: Default::default(),
            })
        }
        ContentPath::Translation { kind, lang } => {
            let name = rel.file_name().and_then(|s| s.to_str()).unwrap_or_default();
            let stem = match name.strip_suffix(&format!(".{lang}.md")) {
                // A bundle's translation (`x/index.ja.md`) is the folder's.
                Some("index") => bundle_name(rel).unwrap_or("index"),
                Some(stem) => stem,
                None => "",
            }
            .to_string();
            // Its links, as written; which page each leads to is looked
            // up when the site needs it.
            let none = |_: &str, _: &str| None;
            let card_kind = |name: &str| config.card_kind(name);
            let cx = crate::markdown::Context {
                resolve: &none,
                raw_html: config.markdown.raw_html,
                base_path: config.base_url.path(),
                card_kind: &card_kind,
            };
            let rendered = crate::markdown::render(&file.text()[body_offset..], &cx);
            Loaded::Translation(Translation {
                first_paragraph: rendered.summary,
                kind: kind.clone(),
                lang: lang.clone(),
                stem,
                file,
                fields,
                body_offset,
                links: rendered.links,
            })
        }
        ContentPath::Intro { kind, lang } => Loaded::Intro(Intro {
            kind: kind.clone(),
            lang: lang.clone(),
            title: (!fields.title.is_empty()).then_some(fields.title),
            summary: fields.summary,
            extra: fields.extra,
            file,
            body_offset,
            rendered: Default::default(),
        }),
    })
}

/// Where the pages of a kept state read their text again (see
/// [`crate::diagnostic::by_print`]): their files in the site, inside its
/// boundary, as [`read_source`] read them. A file whose text is not the
/// one kept sets `lost`, which the build asks before trusting what it
/// made from the kept state.
#[derive(Debug)]
pub struct Reread {
    pub boundary: Boundary,
    pub lost: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl crate::diagnostic::TextSource for Reread {
    fn read(&self, path: &Path) -> Option<String> {
        let bytes = self.boundary.read(&self.boundary.root().join(path)).ok()?;
        String::from_utf8(bytes).ok()
    }

    fn lost(&self, _path: &Path) {
        self.lost.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Reads a file as UTF-8; otherwise an error at the first bad byte.
fn read_source(boundary: &Boundary, rel: &Path) -> Result<SourceFile, Vec<Diagnostic>> {
    let bytes = boundary
        .read(&boundary.root().join(rel))
        .map_err(|e| vec![Diagnostic::error(format!("cannot read file: {e}")).in_file(rel)])?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(rel, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let file = SourceFile::new(rel, lossy);
            // The valid prefix is copied unchanged, so `at` is the start of
            // the replacement character in the lossy text.
            let location = file.at(at..at + '\u{fffd}'.len_utf8());
            Err(vec![
                Diagnostic::error("file is not valid UTF-8")
                    .at(location)
                    .label("this byte is not UTF-8")
                    .hint("save the file as UTF-8 (most editors have an \"encoding\" option)"),
            ])
        }
    }
}

/// The content files of a site, found by walking `content/`.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<(PathBuf, ContentPath)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Walks `<root>/content`. Symlinks are followed only while they stay
/// inside the site root; folders that are not kinds get a warning.
pub fn discover(boundary: &Boundary, config: &Config) -> Discovered {
    let root = boundary.root();
    let mut found = Discovered::default();
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        found.diagnostics.push(
            Diagnostic::warning("the site has no content/ folder")
                .in_file(CONTENT_DIR)
                .hint("create content/briefs/ and write a brief, or run `attache new briefs \"Title\"`"),
        );
        return found;
    }
    let walker = boundary.walk(&content, crate::fs::Hidden::Skip);
    for entry in walker.entries {
        let rel = entry.strip_prefix(root).unwrap_or(&entry).to_path_buf();
        if rel.to_str().is_none() {
            found.diagnostics.push(crate::fs::non_utf8_name(&rel));
            continue;
        }
        if let Some(what) = classify(&rel, config) {
            found.files.push((rel, what));
        } else if let Some(d) = misplaced(root, &rel, config) {
            found.diagnostics.push(d);
        }
    }
    found.diagnostics.extend(walker.diagnostics);
    found.files.sort();
    found
}

/// Everything under `content/`, loaded in parallel.
#[derive(Debug, Default)]
pub struct Content {
    pub pages: Vec<Page>,
    pub intros: Vec<Intro>,
    pub translations: Vec<Translation>,
    /// Pages that failed to load, by kind and file stem, so that links to
    /// them are not reported a second time as unknown.
    pub failed: Vec<(String, String)>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn load_all(boundary: &Boundary, config: &Config) -> Content {
    let discovered = discover(boundary, config);
    let results: Vec<_> = discovered
        .files
        .par_iter()
        .map(|(rel, what)| (rel, what, load_file(boundary, rel, what, config)))
        .collect();
    let mut content = Content {
        diagnostics: discovered.diagnostics,
        ..Content::default()
    };
    for (rel, what, result) in results {
        match result {
            Ok(Loaded::Page(page)) => content.pages.push(page),
            Ok(Loaded::Intro(intro)) => content.intros.push(intro),
            Ok(Loaded::Translation(t)) => content.translations.push(t),
            Err(diagnostics) => {
                if let ContentPath::Page { kind } = what {
                    content
                        .failed
                        .push((kind.clone(), page_stem(rel).to_string()));
                }
                content.diagnostics.extend(diagnostics);
            }
        }
    }
    content
}

#[cfg(test)]
mod tests;
