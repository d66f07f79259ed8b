//! Resolves a written reference (`agencies = ["jica"]`, `[x](@/agencies/jica.md)`)
//! to a page, or explains why it cannot be resolved.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use crate::config::Config;
use crate::content::pages::{PageId, Pages};
use crate::diagnostic::{Code, Diagnostic, Location, SourceFile, did_you_mean, display_path};
use crate::urls::slugify;

/// Pages that exist on disk but are not in the site.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Unpublished {
    /// Drafts left out of this build, by `(kind, slug)` and `(kind, stem)`
    /// (and an ask or offer a draft raises by `(kind, id)`): the files,
    /// the first in path order named in messages, as in a full build.
    drafts: HashMap<(String, String), BTreeSet<PathBuf>>,
    /// Files that failed to load (already reported), by `(kind, slug or stem)`.
    pub failed: HashSet<(String, String)>,
}

impl Unpublished {
    /// Records that the page file `stem` of `kind` failed to load: links to
    /// it (by stem or by the slug it would have) stay quiet.
    pub fn mark_failed(&mut self, kind: &str, stem: &str) {
        self.failed.insert((kind.to_string(), stem.to_string()));
        self.failed.insert((kind.to_string(), slugify(stem)));
    }

    /// Forgets a failure recorded by [`Unpublished::mark_failed`].
    pub fn clear_failed(&mut self, kind: &str, stem: &str) -> bool {
        let a = self.failed.remove(&(kind.to_string(), stem.to_string()));
        let b = self.failed.remove(&(kind.to_string(), slugify(stem)));
        a || b
    }

    fn draft(&self, kind: &str, name: &str) -> Option<&PathBuf> {
        self.drafts
            .get(&(kind.to_string(), name.to_string()))?
            .first()
    }

    /// Records that the draft in `path` would be `name` of `kind`.
    pub fn add_draft(&mut self, kind: &str, name: &str, path: &std::path::Path) {
        (self.drafts.entry((kind.to_string(), name.to_string())))
            .or_default()
            .insert(path.to_path_buf());
    }

    /// Forgets what the file at `path` was a draft of.
    pub fn forget_draft(&mut self, path: &std::path::Path) {
        self.drafts.retain(|_, paths| {
            paths.remove(path);
            !paths.is_empty()
        });
    }

    /// The files of the drafts left out.
    pub fn draft_files(&self) -> impl Iterator<Item = &PathBuf> {
        self.drafts.values().flatten()
    }

    fn failed(&self, kind: &str, name: &str) -> bool {
        self.failed.contains(&(kind.to_string(), name.to_string()))
    }
}

/// The name by which a link names a kind's list page: `@/posts/_index.md`
/// (the file of its intro).
const LIST_NAME: &str = "_index";

/// Where a reference is written. The location (line and column) is only
/// worked out when a problem is reported: most references resolve.
#[derive(Debug, Clone)]
pub struct At<'a> {
    pub file: &'a SourceFile,
    pub span: std::ops::Range<usize>,
}

impl At<'_> {
    pub fn location(&self) -> Location {
        self.file.at(self.span.clone())
    }
}

/// What a reference turned out to be.
#[derive(Debug)]
pub enum Outcome<'a> {
    Found(PageId),
    /// Unknown, in a kind with stubs: a stub page with this slug is needed.
    NeedsStub(String),
    /// The target failed to load; that error was already reported.
    Silent,
    Missing(Diagnostic),
    /// No page has this name. Explaining it (with the nearest name) reads
    /// every name of the kind, so it is only done for the problems shown:
    /// see [`Unknown::explain`].
    Unknown(Unknown<'a>),
}

/// A name no page has, not explained yet.
#[derive(Debug)]
pub struct Unknown<'a> {
    kind: String,
    name: String,
    at: At<'a>,
    prefix: &'static str,
}

pub struct Resolver<'a> {
    pub pages: &'a Pages,
    pub config: &'a Config,
    pub unpublished: &'a Unpublished,
}

/// How a name was written, which decides how it is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// In front matter (`agencies = ["jica"]`): a slug.
    Reference,
    /// In a link (`@/agencies/jica.md`, `url(path="@/agencies/jica.md")`):
    /// a file name first (the link names a file), then a slug.
    Link,
}

/// What a name stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found<'p> {
    Page(PageId),
    /// No page has the name and its kind makes stub pages: the stub with
    /// this slug (made by the link stage, if it is not there yet).
    Stub(String),
    /// A draft left out of this build, in this file.
    Draft(&'p std::path::Path),
    /// The file that would have it failed to load (already reported).
    Failed,
    /// There is no kind of that name.
    NoKind,
    Nothing,
}

impl<'p> Resolver<'p> {
    /// Looks up `name` of `kind`: the one place where names are resolved,
    /// for front matter, Markdown links, list intros and template
    /// functions alike. A link tries the file name, then the slug; a
    /// reference, the slug. In a kind with stubs, a name written as a name
    /// ("Jam Kamal") finds the page with its slug (`jam-kamal`).
    pub fn find(&self, kind: &str, name: &str, written: Written) -> Found<'p> {
        let Some(k) = self.config.kind(kind) else {
            return Found::NoKind;
        };
        let exact = match written {
            Written::Reference => self.pages.by_slug(kind, name),
            Written::Link => self
                .pages
                .by_stem(kind, name)
                .or_else(|| self.pages.by_slug(kind, name)),
        };
        if let Some(id) = exact {
            return Found::Page(id);
        }
        let slug = if k.stubs {
            slugify(name)
        } else {
            String::new()
        };
        if !slug.is_empty()
            && let Some(id) = self.pages.by_slug(kind, &slug)
        {
            return Found::Page(id);
        }
        if self.unpublished.failed(kind, name) {
            return Found::Failed;
        }
        if let Some(path) = self.unpublished.draft(kind, name) {
            return Found::Draft(path);
        }
        if !slug.is_empty() {
            return Found::Stub(slug);
        }
        Found::Nothing
    }

    /// The URL `@/kind/name` points to, if any: a page's, or the stub's
    /// that the link stage will make.
    pub fn url(&self, kind: &str, name: &str) -> Option<String> {
        // `@/posts/_index.md`, as Zola writes a section's link: the kind's
        // list page.
        if name == LIST_NAME && self.config.kind(kind).is_some() {
            return Some(
                self.config
                    .base_url
                    .link(&crate::urls::kind_list_path(kind)),
            );
        }
        let path = match self.find(kind, name, Written::Link) {
            Found::Page(id) => self.pages.page(id).url_path(),
            // A stub made by this link has no front matter: its path is
            // its kind's and slug's.
            Found::Stub(slug) => crate::urls::page_path(kind, &slug),
            _ => return None,
        };
        Some(self.config.base_url.link(&path))
    }

    /// A front-matter reference: by slug.
    pub fn reference<'a>(&self, kind: &str, slug: &str, at: At<'a>) -> Outcome<'a> {
        match self.find(kind, slug, Written::Reference) {
            Found::Page(id) => Outcome::Found(id),
            _ => self.not_found(kind, slug, at, ""),
        }
    }

    /// An inline link `@/kind/name.md`: by file stem, then slug.
    pub fn link<'a>(&self, written: &str, kind: &str, name: &str, at: At<'a>) -> Outcome<'a> {
        if kind.is_empty() {
            return Outcome::Missing(
                Diagnostic::error(format!("malformed internal link `{written}`"))
                    .at(at.location())
                    .label("expected @/<kind>/<slug>.md")
                    .hint("link to a page as @/<kind>/<slug>.md, for example @/agencies/jica.md"),
            );
        }
        if self.config.kind(kind).is_none() {
            let hint = did_you_mean(kind, self.config.kind_names()).unwrap_or_else(|| {
                format!(
                    "the kinds are: {}",
                    self.config.kind_names().collect::<Vec<_>>().join(", ")
                )
            });
            return Outcome::Missing(
                Diagnostic::error(format!("broken link `{written}`: `{kind}` is not a kind"))
                    .at(at.location())
                    .label("unknown kind")
                    .hint(hint),
            );
        }
        if name == LIST_NAME {
            // The kind's list page (see `url`): no page to link back from.
            return Outcome::Silent;
        }
        match self.find(kind, name, Written::Link) {
            Found::Page(id) => Outcome::Found(id),
            _ => self.not_found(kind, name, at, "broken link: "),
        }
    }

    fn not_found<'a>(
        &self,
        kind: &str,
        name: &str,
        at: At<'a>,
        prefix: &'static str,
    ) -> Outcome<'a> {
        let Some(k) = self.config.kind(kind) else {
            // References are only read for known kinds; links checked above.
            return Outcome::Missing(
                Diagnostic::error(format!("`{kind}` is not a kind")).at(at.location()),
            );
        };
        if self.unpublished.failed(kind, name) {
            return Outcome::Silent;
        }
        let singular = k.singular.to_lowercase();
        if let Some(path) = self.unpublished.draft(kind, name) {
            return Outcome::Missing(
                Diagnostic::error(format!("{prefix}{singular} `{name}` is a draft"))
                    .at(at.location())
                    .label("not published in this build")
                    .hint(format!(
                        "build with --drafts, or publish {} by removing `draft = true`",
                        display_path(path)
                    )),
            );
        }
        if k.stubs {
            let slug = slugify(name);
            if !slug.is_empty() {
                return Outcome::NeedsStub(slug);
            }
            return Outcome::Missing(
                Diagnostic::error(format!(
                    "{prefix}no page can be made for {singular} `{name}`"
                ))
                .at(at.location())
                .label("this name has no letters or digits for a URL")
                .hint(format!(
                    "write the {singular}'s name or slug, such as `jam-kamal`"
                )),
            );
        }
        Outcome::Unknown(Unknown {
            kind: kind.to_string(),
            name: name.to_string(),
            at,
            prefix,
        })
    }

    /// The error for an unknown name, with the nearest existing name or
    /// where the name is used instead.
    pub fn explain(&self, unknown: &Unknown<'_>) -> Diagnostic {
        let Unknown {
            kind,
            name,
            at,
            prefix,
        } = unknown;
        let (kind, name) = (kind.as_str(), name.as_str());
        let singular = self
            .config
            .kind(kind)
            .map_or_else(|| kind.to_string(), |k| k.singular.to_lowercase());
        // An ask or offer is named by its id, and made by the page that
        // raises it.
        let items = self
            .config
            .kind(kind)
            .is_some_and(|k| k.schema == crate::config::Schema::Item);
        // The file is there, but its page chose another slug.
        let mut hint = self.pages.by_stem(kind, name).map(|id| {
            let page = self.pages.page(id);
            format!(
                "{} has slug = \"{}\": refer to the page by its slug",
                crate::diagnostic::display_path(&page.file.path),
                page.slug()
            )
        });
        if hint.is_none() {
            hint = did_you_mean(name, self.pages.slugs_of(kind));
        }
        if hint.is_none() {
            // Right slug, wrong kind?
            let elsewhere = self.config.kinds.iter().find(|other| {
                other.name != kind && self.pages.by_slug(&other.name, name).is_some()
            });
            hint = Some(match elsewhere {
                Some(other) => format!(
                    "`{name}` is a {}: list it under `{}` instead",
                    other.singular.to_lowercase(),
                    other.name
                ),
                None if items => format!(
                    "raise it first: an [[asks]] or [[offers]] table with id = \"{name}\" in a brief or meeting"
                ),
                None => format!(
                    "create content/{kind}/{name}.md, or set `stubs = true` under [kinds.{kind}] in attache.toml"
                ),
            });
        }
        Diagnostic::error(format!("{prefix}unknown {singular} `{name}`"))
            .code(if prefix.is_empty() {
                Code::UnknownReference
            } else {
                Code::BrokenLink
            })
            .at(at.location())
            .label(match items {
                true => format!("no {singular} with this id"),
                false => format!("no {singular} with this slug"),
            })
            .maybe_hint(hint)
    }
}

#[cfg(test)]
mod tests;
