//! What an import will write: the attache site worked out from the old
//! one, whichever generator made it. The readers of Zola and Hugo sites
//! fill a [`Plan`]; [`Plan::finish`] gives each page its file and `path`
//! and rewrites the links between pages; [`Plan::write`] creates it all.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use toml::{Table, Value};

use crate::diagnostic::Diagnostic;
use crate::urls::page_path;

/// A kind of the new site, from a section or a taxonomy.
#[derive(Default)]
pub(super) struct KindPlan {
    pub title: String,
    pub singular: String,
    pub sort_by: Option<&'static str>,
    pub paginate_by: Option<i64>,
    /// A taxonomy: each term named gets a page.
    pub stubs: bool,
    /// Each page has a feed of what names it.
    pub feed: bool,
}

impl KindPlan {
    /// The kind of a section titled `title`.
    pub fn section(title: String) -> KindPlan {
        KindPlan {
            singular: singular(&title),
            title,
            ..KindPlan::default()
        }
    }

    /// The kind of a taxonomy (`tags`): stub pages, sorted by name.
    pub fn taxonomy(name: &str, feed: bool) -> KindPlan {
        KindPlan {
            sort_by: Some("title"),
            stubs: true,
            feed,
            ..KindPlan::section(label(name))
        }
    }
}

/// A page of the old site and where it goes.
pub(super) struct PagePlan {
    /// Its file, relative to the old `content/`, as links name it.
    pub src: String,
    pub kind: String,
    /// The name of its new file, without the language and `.md`.
    pub stem: String,
    pub lang: Option<String>,
    /// Its URL path on the old site: `posts/tutorials/rust/`.
    pub url: String,
    pub front: Table,
    pub body: String,
}

/// A section's or the home page's text (`_index.md`).
pub(super) struct IntroPlan {
    /// `None` for the home page.
    pub kind: Option<String>,
    pub lang: Option<String>,
    pub front: Table,
    pub body: String,
}

/// The new site.
#[derive(Default)]
pub(super) struct Plan {
    /// attache.toml's top-level keys (title, base_url, …), in order.
    pub config: Table,
    /// `[languages.<code>]` tables.
    pub languages: IndexMap<String, Table>,
    pub kinds: IndexMap<String, KindPlan>,
    pub pages: Vec<PagePlan>,
    pub intros: Vec<IntroPlan>,
    /// The URL path of each page bundle's page, by the bundle's folder:
    /// its files are published there.
    pub bundle_urls: HashMap<String, String>,
    /// Files copied as they are: new path → old file. A later copy to
    /// the same place wins (a site's file over its theme's).
    pub copies: IndexMap<PathBuf, PathBuf>,
    /// Files written from text: (new path, text).
    pub texts: Vec<(PathBuf, String)>,
    /// What could not be carried over: the message, and the old files it
    /// is about.
    pub notes: BTreeMap<String, Vec<String>>,
}

impl Plan {
    /// Notes `message` about the old file `file` (or the whole site).
    pub fn note(&mut self, message: impl Into<String>, file: Option<&str>) {
        let files = self.notes.entry(message.into()).or_default();
        if let Some(file) = file
            && !files.iter().any(|f| f == file)
        {
            files.push(file.to_string());
        }
    }

    /// A kind for `name`, made with `make` the first time.
    pub fn kind(&mut self, name: &str, make: impl FnOnce() -> KindPlan) {
        if !self.kinds.contains_key(name) {
            self.kinds.insert(name.to_string(), make());
        }
    }

    /// Gives each page a file name of its own in its kind, a `path`
    /// where its old URL is not the one attache gives it, and rewrites
    /// the `@/` links of every body to the new files.
    pub fn finish(&mut self) {
        let mut taken: HashSet<(String, String)> = HashSet::new();
        let mut stems: HashMap<String, String> = HashMap::new();
        // Originals first, so that a translation takes its page's name.
        self.pages.sort_by_key(|p| p.lang.is_some());
        for page in &mut self.pages {
            let base = src_without_lang(&page.src, page.lang.as_deref());
            if let Some(stem) = stems.get(&base) {
                page.stem = stem.clone();
            } else {
                let mut stem = page.stem.clone();
                let mut n = 2;
                while !taken.insert((page.kind.clone(), stem.clone())) {
                    stem = format!("{}-{n}", page.stem);
                    n += 1;
                }
                page.stem = stem.clone();
                stems.insert(base, stem);
            }
            if page.lang.is_none() && page.url != page_path(&page.kind, &page.stem) {
                page.front
                    .insert("path".into(), Value::String(format!("/{}", page.url)));
            }
        }
        let links = self.link_targets();
        let mut unknown = Vec::new();
        for page in &mut self.pages {
            page.body = rewrite_links(&page.body, &links, |target| {
                unknown.push((
                    format!("the link to @/{target} leads to no page imported"),
                    page.src.clone(),
                ));
            });
        }
        for intro in &mut self.intros {
            intro.body = rewrite_links(&intro.body, &links, |_| {});
        }
        for (message, file) in unknown {
            self.note(message, Some(&file));
        }
    }

    /// The new `@/` link of each way the old site's links name a page:
    /// its file (`posts/a.md`), a bundle's folder (`posts/b/index.md`,
    /// `posts/b.md`), and (as Hugo's `ref` does) its name alone when no
    /// other page has it.
    fn link_targets(&self) -> HashMap<String, String> {
        let mut links = HashMap::new();
        let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
        for p in self.pages.iter().filter(|p| p.lang.is_none()) {
            let new = format!("@/{}/{}.md", p.kind, p.stem);
            let mut names = vec![p.src.clone()];
            if let Some(folder) = p.src.strip_suffix("/index.md") {
                names.push(format!("{folder}.md"));
            }
            for name in &names {
                let base = name.rsplit('/').next().unwrap_or(name).to_string();
                by_name.entry(base).or_default().push(new.clone());
                links.insert(name.clone(), new.clone());
            }
        }
        for (base, news) in by_name {
            if let [one] = news.as_slice() {
                links.entry(base).or_insert_with(|| one.clone());
            }
        }
        links
    }

    /// The new site's attache.toml.
    fn config_text(&self) -> String {
        let mut table = self.config.clone();
        if !self.languages.is_empty() {
            let languages: Table = self
                .languages
                .iter()
                .map(|(code, t)| (code.clone(), Value::Table(t.clone())))
                .collect();
            table.insert("languages".into(), Value::Table(languages));
        }
        let mut kinds = Table::new();
        for (name, kind) in &self.kinds {
            let mut t = Table::new();
            t.insert("title".into(), Value::String(kind.title.clone()));
            t.insert("singular".into(), Value::String(kind.singular.clone()));
            if let Some(sort_by) = kind.sort_by {
                t.insert("sort_by".into(), Value::String(sort_by.into()));
            }
            if let Some(n) = kind.paginate_by {
                t.insert("paginate_by".into(), Value::Integer(n));
            }
            if kind.stubs {
                t.insert("stubs".into(), Value::Boolean(true));
                t.insert("stub_warnings".into(), Value::Boolean(false));
            }
            if kind.feed {
                t.insert("feed".into(), Value::Boolean(true));
            }
            kinds.insert(name.clone(), Value::Table(t));
        }
        table.insert("kinds".into(), Value::Table(kinds));
        format!(
            "# Imported by `attache import`: every key is described in docs/content.md.\n{}",
            toml::to_string(&table).unwrap_or_default()
        )
    }

    /// Creates every file of the new site in `dest`; returns their paths.
    pub fn write(&self, dest: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
        let mut made = Vec::new();
        let mut create = |rel: PathBuf, bytes: &[u8]| -> Result<(), Diagnostic> {
            crate::scaffold::create(dest, &rel, bytes)?;
            made.push(dest.join(rel));
            Ok(())
        };
        create(
            crate::config::CONFIG_FILE.into(),
            self.config_text().as_bytes(),
        )?;
        for page in &self.pages {
            let name = match &page.lang {
                Some(lang) => format!("{}.{lang}.md", page.stem),
                None => format!("{}.md", page.stem),
            };
            let rel = Path::new("content").join(&page.kind).join(name);
            create(rel, page_text(&page.front, &page.body).as_bytes())?;
        }
        for intro in &self.intros {
            let name = match &intro.lang {
                Some(lang) => format!("_index.{lang}.md"),
                None => "_index.md".into(),
            };
            let folder = match &intro.kind {
                Some(kind) => Path::new("content").join(kind),
                None => PathBuf::from("content"),
            };
            create(
                folder.join(name),
                page_text(&intro.front, &intro.body).as_bytes(),
            )?;
        }
        for (rel, text) in &self.texts {
            create(rel.clone(), text.as_bytes())?;
        }
        for (rel, from) in &self.copies {
            let bytes = std::fs::read(from)
                .map_err(|e| Diagnostic::error(format!("cannot read {}: {e}", from.display())))?;
            create(rel.clone(), &bytes)?;
        }
        Ok(made)
    }

    /// The notes as lines: "message: file, file (and 3 more)".
    pub fn note_lines(&self) -> Vec<String> {
        self.notes
            .iter()
            .map(|(message, files)| match files.len() {
                0 => message.clone(),
                1..=3 => format!("{message}: {}", files.join(", ")),
                n => format!("{message}: {} and {} more", files[..3].join(", "), n - 3),
            })
            .collect()
    }
}

/// Copies the keys of `from` named in `names` (old name, new name) that
/// have a value worth keeping.
pub(super) fn copy_keys(from: &Table, to: &mut Table, names: &[(&str, &str)]) {
    for (old, new) in names {
        match from.get(*old) {
            Some(Value::String(s)) if s.trim().is_empty() => {}
            Some(v) => {
                to.insert((*new).into(), v.clone());
            }
            None => {}
        }
    }
}

/// `posts/first.fr.md` → `posts/first.md`: the page a translation is of.
fn src_without_lang(src: &str, lang: Option<&str>) -> String {
    match lang {
        Some(lang) => src.replace(&format!(".{lang}.md"), ".md"),
        None => src.to_string(),
    }
}

/// A page's file: TOML front matter between `+++` lines, then the body.
fn page_text(front: &Table, body: &str) -> String {
    let front = toml::to_string(front).unwrap_or_default();
    let body = body.trim_start_matches(['\n', '\r']);
    format!("+++\n{front}+++\n\n{body}")
}

/// `body` with each `@/old/path.md` link that `links` knows replaced by
/// the new one; `unknown` is told of the others.
pub(super) fn rewrite_links(
    body: &str,
    links: &HashMap<String, String>,
    mut unknown: impl FnMut(&str),
) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find("@/") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let end = after
            .find(|c: char| c == ')' || c == '#' || c == '"' || c == '\'' || c.is_whitespace())
            .unwrap_or(after.len());
        let target = &after[..end];
        match links.get(target) {
            Some(new) => out.push_str(new),
            None => {
                if target.ends_with(".md") {
                    unknown(target);
                }
                out.push_str(&rest[at..at + 2 + end]);
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// "podcast-authors" → "Podcast authors": a label from a name.
pub(super) fn label(name: &str) -> String {
    crate::content::page::Page::stub_title(name, name)
}

/// "Categories" → "Category", "Posts" → "Post": a kind's singular from
/// its plural title, in English (the writer changes it in attache.toml).
pub(super) fn singular(title: &str) -> String {
    if title.to_lowercase().ends_with("series") {
        title.to_string()
    } else if let Some(stem) = title.strip_suffix("ies") {
        format!("{stem}y")
    } else if title.ends_with("ss") || title.ends_with("us") {
        title.to_string()
    } else {
        title.strip_suffix('s').unwrap_or(title).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_rewritten_to_the_new_files() {
        let links = HashMap::from([("posts/a/b.md".to_string(), "@/posts/a-b.md".to_string())]);
        let mut missed = Vec::new();
        let out = rewrite_links(
            "[x](@/posts/a/b.md#top) and [y](@/gone.md) and me@/x",
            &links,
            |t| missed.push(t.to_string()),
        );
        assert_eq!(out, "[x](@/posts/a-b.md#top) and [y](@/gone.md) and me@/x");
        assert_eq!(missed, ["gone.md"]);
    }

    #[test]
    fn singular_labels_are_plain_english() {
        assert_eq!(singular("Categories"), "Category");
        assert_eq!(singular("Posts"), "Post");
        assert_eq!(singular("Series"), "Series");
        assert_eq!(singular("Status"), "Status");
        assert_eq!(singular("Paginated"), "Paginated");
    }
}
