//! `attache.toml`: the site's configuration, and the kinds of page it has.

use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile, did_you_mean};
use crate::urls::BaseUrl;

mod kind;
mod languages;
mod tables;

use kind::{
    BUILTIN_KINDS, RESERVED_KINDS, RawKind, builtin_kind, generic_kind, is_valid_kind_name,
};
pub use kind::{Kind, Role, Schema, SortBy};
pub use languages::{Language, is_valid_code, language_name};
pub use tables::{Amounts, Build, Data, Feeds, Home, Markdown, Mentions, RawHtml, Related, Search};

/// The file name of the configuration at the site root.
pub const CONFIG_FILE: &str = "attache.toml";

/// The loaded, checked configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub base_url: BaseUrl,
    pub description: String,
    /// The default language: its pages have URLs without a language.
    pub language: String,
    /// The languages the site is translated into, by code.
    pub languages: Vec<Language>,
    pub theme: String,
    /// The picture link previews show for pages without an `image` of
    /// their own: a path under the site (`images/card.png`) or a URL.
    pub image: Option<String>,
    pub kinds: Vec<Kind>,
    pub related: Related,
    pub home: Home,
    pub mentions: Mentions,
    pub feeds: Feeds,
    /// `[amounts]`: rates to sum amounts of asks and offers in one currency.
    pub amounts: Amounts,
    pub search: Search,
    pub data: Data,
    pub build: Build,
    pub markdown: Markdown,
    /// `[extra]`, free-form, passed to templates as `site.extra`.
    pub extra: toml::Table,
    /// Folders outside the site that symlinks in it may lead to (a shared
    /// theme), relative to the root or absolute. Nothing else outside the
    /// site is ever read.
    pub trusted_folders: Vec<std::path::PathBuf>,
    /// A hash of the configuration's text: what an output that reads the
    /// configuration depends on.
    pub source_print: u64,
}

impl Config {
    /// The kind whose pages a card shortcode shows: the kind whose
    /// singular is its name (`{{ agency(name="jica") }}`, `meeting`).
    pub fn card_kind(&self, shortcode: &str) -> Option<String> {
        self.kinds
            .iter()
            .find(|k| k.singular.to_lowercase() == shortcode)
            .map(|k| k.name.clone())
    }
}

impl Config {
    pub fn kind(&self, name: &str) -> Option<&Kind> {
        self.kinds.iter().find(|k| k.name == name)
    }

    /// The kind that holds `role`, if one does.
    pub fn kind_with(&self, role: Role) -> Option<&Kind> {
        self.kinds.iter().find(|k| k.role == Some(role))
    }

    /// The kind of dated articles (briefs by default).
    pub fn entries(&self) -> Option<&Kind> {
        self.kind_with(Role::Entries)
    }

    /// The kind of dated events (meetings by default).
    pub fn events(&self) -> Option<&Kind> {
        self.kind_with(Role::Events)
    }

    /// The first kind of `schema`: the agencies that `by` and `to` name,
    /// the sectors of an ask, the kind of asks and offers.
    pub fn kind_of_schema(&self, schema: Schema) -> Option<&Kind> {
        self.kinds.iter().find(|k| k.schema == schema)
    }

    /// The kind of asks and offers (`asks`), whose pages the link stage
    /// makes from briefs' and meetings' tables.
    pub fn items_kind(&self) -> Option<&Kind> {
        self.kind_of_schema(Schema::Item)
    }

    pub fn kind_names(&self) -> impl Iterator<Item = &str> {
        self.kinds.iter().map(|k| k.name.as_str())
    }

    /// Position of a kind in the configured order (for sorting groups).
    pub fn kind_index(&self, name: &str) -> usize {
        self.kinds
            .iter()
            .position(|k| k.name == name)
            .unwrap_or(usize::MAX)
    }

    /// Reads and checks `<root>/attache.toml`.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let path = root.join(CONFIG_FILE);
        if std::fs::symlink_metadata(&path).is_ok()
            && !crate::fs::Boundary::new(root, &[]).contains(&path)
        {
            return Err(vec![
                Diagnostic::error(format!(
                    "{CONFIG_FILE} is a symlink to a file outside the site folder"
                ))
                .in_file(CONFIG_FILE)
                .hint("attache reads nothing outside the site; copy the file into the site folder"),
            ]
            .into());
        }
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                // A site of another generator: say so, and where to start.
                let other = [
                    ("config.toml", "Zola"),
                    ("hugo.toml", "Hugo"),
                    ("hugo.yaml", "Hugo"),
                    ("config.yaml", "Hugo"),
                ]
                .into_iter()
                .find(|(file, _)| root.join(file).is_file());
                let hint = match other {
                    Some((file, tool)) => format!(
                        "this folder has {file}, as a {tool} site does: attache's configuration is {CONFIG_FILE}; docs/migrating.md says how to move a {tool} site over"
                    ),
                    None => format!(
                        "run attache in a site folder (one with {CONFIG_FILE}), pass --root DIR, or create one with `attache init DIR`"
                    ),
                };
                let d = Diagnostic::error(format!("cannot read {CONFIG_FILE}: {e}"))
                    .in_file(CONFIG_FILE)
                    .hint(hint);
                return Err(vec![d].into());
            }
        };
        Config::parse(SourceFile::new(CONFIG_FILE, text))
    }

    /// Parses configuration text; `file` is used for error locations.
    pub fn parse(file: SourceFile) -> Result<Config, Diagnostics> {
        let source_print = xxhash_rust::xxh3::xxh3_64(file.text().as_bytes());
        let raw: RawConfig = match toml::from_str(file.text()) {
            Ok(raw) => raw,
            Err(e) => {
                // Name the table an unknown key landed in: a key written
                // below a [table] belongs to it, which is easy to miss.
                let table = e
                    .span()
                    .filter(|_| e.message().starts_with("unknown field"))
                    .and_then(|span| table_at(file.text(), span.start));
                let said = crate::diagnostic::in_words(e.message().trim());
                let message = match &table {
                    Some(table) => format!("invalid {CONFIG_FILE}: in [{table}]: {said}"),
                    None => format!("invalid {CONFIG_FILE}: {said}"),
                };
                let mut d = Diagnostic::error(message);
                d = match e.span() {
                    Some(span) => d.at(file.at(span)),
                    None => d.in_file(CONFIG_FILE),
                };
                let hint = unknown_field_hint(e.message()).or_else(|| {
                    table.map(|table| {
                        format!(
                            "this key is in [{table}], the table above it; a setting of the whole site goes above the first [table]"
                        )
                    })
                });
                return Err(vec![d.maybe_hint(hint)].into());
            }
        };
        let mut config = raw.check(&file)?;
        config.source_print = source_print;
        Ok(config)
    }
}

/// The name of the `[table]` whose keys include the one at `offset`: the
/// last table header above it, if any.
fn table_at(text: &str, offset: usize) -> Option<String> {
    text.get(..offset)?.lines().rev().find_map(|line| {
        let line = line.trim();
        let name = line.strip_prefix('[')?.split(']').next()?;
        (!name.is_empty()).then(|| name.trim_matches(['[', ' ']).to_string())
    })
}

/// serde's "unknown field `x`, expected one of `a`, `b`" names the
/// candidates; turn that into a suggestion.
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    did_you_mean(field, candidates.iter().copied())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default = "default_language")]
    language: String,
    /// The same as `language`, by the name Zola gives it.
    #[serde(default)]
    default_language: Option<String>,
    #[serde(default)]
    languages: IndexMap<Spanned<String>, languages::RawLanguage>,
    #[serde(default = "default_theme")]
    theme: Spanned<String>,
    #[serde(default)]
    image: Option<String>,
    #[serde(default)]
    paginate_by: Option<Spanned<usize>>,
    #[serde(default)]
    pagination: kind::Pagination,
    #[serde(default)]
    kinds: IndexMap<Spanned<String>, RawKind>,
    #[serde(default)]
    related: Related,
    #[serde(default)]
    home: Home,
    #[serde(default)]
    mentions: Mentions,
    #[serde(default)]
    feeds: Feeds,
    #[serde(default)]
    amounts: Amounts,
    #[serde(default)]
    search: Search,
    #[serde(default)]
    data: Data,
    #[serde(default)]
    build: Build,
    #[serde(default)]
    markdown: Markdown,
    #[serde(default)]
    extra: toml::Table,
    #[serde(default)]
    trusted_folders: Vec<std::path::PathBuf>,
}

fn default_language() -> String {
    "en".into()
}
fn default_theme() -> Spanned<String> {
    Spanned::new(0..0, "default".into())
}
/// The default page count per list page.
pub const DEFAULT_PAGINATE_BY: usize = 10;

impl RawConfig {
    fn check(self, file: &SourceFile) -> Result<Config, Diagnostics> {
        let mut errors = Diagnostics::new();
        let base_url = match BaseUrl::parse(self.base_url.get_ref()) {
            Ok(url) => Some(url),
            Err(why) => {
                errors.push(
                    Diagnostic::error(format!("invalid base_url: {why}"))
                        .at(file.at(self.base_url.span()))
                        .hint("write a full URL such as \"https://example.org/\" or \"https://example.org/briefings/\""),
                );
                None
            }
        };
        let paginate_by = match self.paginate_by {
            Some(p) if *p.get_ref() == 0 => {
                errors.push(zero_pagination(file, &p));
                DEFAULT_PAGINATE_BY
            }
            Some(p) => p.into_inner(),
            None => DEFAULT_PAGINATE_BY,
        };
        if self.theme.get_ref().contains(['/', '\\']) || self.theme.get_ref().starts_with('.') {
            errors.push(
                Diagnostic::error("invalid theme name")
                    .at(file.at(self.theme.span()))
                    .hint("name a folder under themes/, such as \"default\""),
            );
        }

        let paging = kind::Paging {
            paginate_by,
            pagination: self.pagination,
        };
        let kinds = check_kinds(self.kinds, paging, file, &mut errors);
        let language = self.default_language.unwrap_or(self.language);
        let (languages, problems) = languages::check(
            self.languages,
            &kinds,
            &language,
            &self.title,
            &self.description,
            file,
        );
        for problem in problems.into_iter().chain(self.amounts.check(file)) {
            errors.push(problem);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Config {
            title: self.title,
            // Checked above: with no errors the URL parsed.
            base_url: base_url.expect("base_url parsed when there are no errors"),
            description: self.description,
            language,
            languages,
            theme: self.theme.into_inner(),
            image: self.image,
            kinds,
            related: self.related,
            home: self.home,
            mentions: self.mentions,
            feeds: self.feeds,
            amounts: self.amounts,
            search: self.search,
            data: self.data,
            build: self.build,
            markdown: self.markdown,
            extra: self.extra,
            trusted_folders: self.trusted_folders,
            source_print: 0,
        })
    }
}

/// The kinds: the built-in ones, changed or joined by those `attache.toml`
/// declares (`raw_kinds`), each role held by one kind.
fn check_kinds(
    raw_kinds: IndexMap<Spanned<String>, RawKind>,
    paging: kind::Paging,
    file: &SourceFile,
    errors: &mut Diagnostics,
) -> Vec<Kind> {
    let mut kinds: Vec<Kind> = BUILTIN_KINDS
        .iter()
        .map(|(name, schema)| builtin_kind(name, *schema, paging))
        .collect();
    let declared_names: Vec<String> = raw_kinds.keys().map(|k| k.get_ref().clone()).collect();
    // Roles given in attache.toml, by role: the kind and where.
    let mut declared_roles: Vec<(kind::Role, String, std::ops::Range<usize>)> = Vec::new();
    for (name, raw) in raw_kinds {
        let span = name.span();
        let name = name.into_inner();
        if !is_valid_kind_name(&name) || RESERVED_KINDS.contains(&name.as_str()) {
            errors.push(
                Diagnostic::error(format!("`{name}` cannot be a kind name"))
                    .at(file.at(span))
                    .hint("use lowercase letters, digits and `-`, and not the name of a URL the site uses (search, static, page, tags) or of a front-matter field (title, date, slug, ...)"),
            );
            continue;
        }
        let position = kinds.iter().position(|k| k.name == name);
        let mut kind = match position {
            Some(i) => kinds[i].clone(),
            None => generic_kind(&name, paging),
        };
        if let Some(p) = &raw.paginate_by
            && *p.get_ref() == 0
        {
            errors.push(zero_pagination(file, p));
        }
        if let Some(role) = &raw.role {
            if let Some((_, first, _)) = declared_roles.iter().find(|(r, _, _)| r == role.get_ref())
            {
                errors.push(
                    Diagnostic::error(format!(
                        "kinds `{first}` and `{name}` both have the role `{}`",
                        role_name(*role.get_ref())
                    ))
                    .at(file.at(role.span()))
                    .hint(
                        "a role (entries, events) belongs to one kind; remove it from one of them",
                    ),
                );
            } else {
                declared_roles.push((*role.get_ref(), name.clone(), role.span()));
            }
            kind.take_role(*role.get_ref());
        }
        raw.apply(&mut kind);
        match position {
            Some(i) => kinds[i] = kind,
            None => kinds.push(kind),
        }
    }

    // A kind declared with a role replaces the built-in kind that had
    // it, unless that one is declared too (then it loses the role).
    for (role, holder, _) in &declared_roles {
        kinds.retain(|k| {
            k.name == *holder || k.role != Some(*role) || declared_names.contains(&k.name)
        });
        for k in kinds.iter_mut() {
            if k.name != *holder && k.role == Some(*role) {
                k.role = None;
            }
        }
    }
    kinds
}

fn role_name(role: kind::Role) -> &'static str {
    match role {
        kind::Role::Entries => "entries",
        kind::Role::Events => "events",
    }
}

fn zero_pagination(file: &SourceFile, p: &Spanned<usize>) -> Diagnostic {
    Diagnostic::error("paginate_by must be at least 1")
        .at(file.at(p.span()))
        .hint("the default is 10 pages per list page")
}

#[cfg(test)]
mod tests;
