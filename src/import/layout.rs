//! The content folder of a Zola or Hugo site: which files are pages,
//! section texts (`_index.md`), page bundles (`x/index.md`) and the
//! bundles' files. Both generators lay content out alike.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use toml::{Table, Value};

use super::plan::{KindPlan, PagePlan, Plan, label};
use super::slug;
use super::source::{self, Split};

/// What a file of `content/` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// `_index.md`: a section's (or the home page's) own text.
    Intro,
    /// A page: `x.md`, or a bundle's `x/index.md`.
    Page,
    /// A file inside a page bundle.
    Asset,
    /// Anything else.
    Other,
}

/// A file of the old `content/`.
pub(super) struct ContentFile {
    /// Relative to `content/`, with `/`: how `@/` links name it.
    pub rel: String,
    pub path: PathBuf,
    /// The folders of its section: for a bundle's page, those above the
    /// bundle's folder.
    pub dirs: Vec<String>,
    /// The file's name without the language and `.md`; a bundle's page
    /// is named after its folder.
    pub name: String,
    pub lang: Option<String>,
    /// The bundle folder it is the page of or a file in.
    pub bundle: Option<String>,
    role: Role,
}

/// Every file of the old `content/`, classified.
pub(super) struct Layout {
    pub files: Vec<ContentFile>,
    /// Section folders whose `_index.md` says `draft = true`.
    draft_sections: HashSet<String>,
}

impl Layout {
    /// Reads the files under `content` (dotfiles and those `ignored`
    /// matches left out); `languages` are the codes a file name may carry.
    pub fn read(content: &Path, languages: &[String], ignored: impl Fn(&str) -> bool) -> Layout {
        let mut rels = Vec::new();
        let walk = walkdir::WalkDir::new(content)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walk.flatten().filter(|e| e.file_type().is_file()) {
            let Ok(rel) = entry.path().strip_prefix(content) else {
                continue;
            };
            let rel: Vec<String> = rel
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            if !ignored(&rel.join("/")) {
                rels.push((rel, entry.path().to_path_buf()));
            }
        }
        let bundles: HashSet<String> = rels
            .iter()
            .filter(|(rel, _)| split_name(&rel[rel.len() - 1], languages).0 == "index")
            .map(|(rel, _)| rel[..rel.len() - 1].join("/"))
            .filter(|dir| !dir.is_empty())
            .collect();
        let files: Vec<ContentFile> = rels
            .into_iter()
            .map(|(rel, path)| classify(rel, path, languages, &bundles))
            .collect();
        let draft_sections = files
            .iter()
            .filter(|f| f.role == Role::Intro && f.lang.is_none())
            .filter(|f| {
                let text = source::read(&f.path).unwrap_or_default();
                source::split(&text)
                    .is_ok_and(|s| s.front.get("draft") == Some(&Value::Boolean(true)))
            })
            .map(|f| f.dirs.join("/"))
            .collect();
        Layout {
            files,
            draft_sections,
        }
    }

    /// Whether a section above `file` is a draft: its pages are too.
    pub fn in_draft_section(&self, file: &ContentFile) -> bool {
        (1..=file.dirs.len()).any(|n| self.draft_sections.contains(&file.dirs[..n].join("/")))
    }

    /// A file that is not a page: a bundle's file is published beside the
    /// bundle's page (as `static/<its URL>/…`); anything else is noted.
    pub fn asset(&self, file: &ContentFile, plan: &mut Plan) {
        let bundle_url = file
            .bundle
            .as_ref()
            .and_then(|b| plan.bundle_urls.get(b).cloned());
        match (file.role, bundle_url) {
            (Role::Asset, Some(url)) if !file.rel.ends_with(".md") => {
                let Some(bundle) = &file.bundle else {
                    return;
                };
                let inner = &file.rel[bundle.len() + 1..];
                plan.copies.insert(
                    Path::new("static").join(&url).join(inner),
                    file.path.clone(),
                );
            }
            (Role::Asset, _) => plan.note(
                "a file in a page bundle that is not published is left out",
                Some(&file.rel),
            ),
            _ => plan.note(
                "a file of content/ outside a page bundle is not published: left out",
                Some(&file.rel),
            ),
        }
    }
}

/// `first.fr.md` → (`first`, `fr`) when `fr` is one of `languages`.
fn split_name(name: &str, languages: &[String]) -> (String, Option<String>) {
    let Some(stem) = name.strip_suffix(".md") else {
        return (name.to_string(), None);
    };
    if let Some((base, lang)) = stem.rsplit_once('.')
        && languages.iter().any(|l| l == lang)
    {
        return (base.to_string(), Some(lang.to_string()));
    }
    (stem.to_string(), None)
}

fn classify(
    rel: Vec<String>,
    path: PathBuf,
    languages: &[String],
    bundles: &HashSet<String>,
) -> ContentFile {
    let file_name = &rel[rel.len() - 1];
    let (name, lang) = split_name(file_name, languages);
    let folders = &rel[..rel.len() - 1];
    // The bundle the file is in, if any: the nearest folder with an index.md.
    let bundle = (1..=folders.len())
        .rev()
        .map(|n| folders[..n].join("/"))
        .find(|dir| bundles.contains(dir));
    let is_md = file_name.ends_with(".md");
    let (role, dirs, name) = match (is_md, name.as_str(), &bundle) {
        (true, "index", Some(b)) if *b == folders.join("/") => {
            let dirs = folders[..folders.len() - 1].to_vec();
            (Role::Page, dirs, folders[folders.len() - 1].clone())
        }
        (_, _, Some(_)) => (Role::Asset, folders.to_vec(), name),
        (true, "_index", None) => (Role::Intro, folders.to_vec(), name),
        (true, _, None) => (Role::Page, folders.to_vec(), name),
        (false, _, None) => (Role::Other, folders.to_vec(), name),
    };
    ContentFile {
        rel: rel.join("/"),
        path,
        dirs,
        name,
        lang,
        bundle,
        role,
    }
}

impl ContentFile {
    pub fn is_intro(&self) -> bool {
        self.role == Role::Intro
    }

    pub fn is_page(&self) -> bool {
        self.role == Role::Page
    }

    /// The file's front matter and body; a file that cannot be read is
    /// noted and left out.
    pub fn split(&self, plan: &mut Plan) -> Option<Split> {
        match source::read(&self.path).and_then(|text| source::split(&text)) {
            Ok(split) => Some(split),
            Err(why) => {
                plan.note(format!("left out, unread: {why}"), Some(&self.rel));
                None
            }
        }
    }

    /// The page's `title` from the old front matter into the new, or,
    /// without one, a title made from `name` (noted).
    pub fn take_title(&self, front: &mut Table, new: &mut Table, name: &str, plan: &mut Plan) {
        let title = front.remove("title").unwrap_or_else(|| {
            plan.note(
                "a page with no title is titled after its file",
                Some(&self.rel),
            );
            Value::String(label(name))
        });
        new.insert("title".into(), title);
    }

    /// The page's URL path on the old site, its folders made URL-safe by
    /// `fold`: `posts/tutorials/rust/`.
    pub fn url(&self, page_slug: &str, fold: impl Fn(&str) -> String) -> String {
        let mut url: String = self.dirs.iter().map(|d| format!("{}/", fold(d))).collect();
        url.push_str(page_slug);
        url.push('/');
        url
    }

    /// Adds the page to the plan: its kind is its top-level section's
    /// (`pages` for those at the root), its file name the folders under
    /// that and its slug.
    pub fn add_page(
        &self,
        page_slug: String,
        url: String,
        front: Table,
        body: String,
        plan: &mut Plan,
    ) {
        let kind = self
            .dirs
            .first()
            .map_or_else(|| "pages".to_string(), |d| slug(d));
        plan.kind(&kind, || KindPlan::section(label(&kind)));
        let mut stem: Vec<String> = self.dirs.iter().skip(1).map(|d| slug(d)).collect();
        stem.push(page_slug);
        if let Some(bundle) = &self.bundle
            && self.lang.is_none()
        {
            plan.bundle_urls.insert(bundle.clone(), url.clone());
        }
        plan.pages.push(PagePlan {
            src: self.rel.clone(),
            kind,
            stem: stem.join("-"),
            lang: self.lang.clone(),
            url,
            front,
            body,
        });
    }
}
