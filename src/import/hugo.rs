//! Reading a Hugo site: its configuration (TOML or YAML), sections as
//! kinds, taxonomies as kinds of stubs, pages at their Hugo URLs with
//! their front matter renamed, `{{< >}}` shortcodes rewritten.

use std::path::Path;

use toml::{Table, Value};

use super::layout::{ContentFile, Layout};
use super::plan::{IntroPlan, KindPlan, Plan, copy_keys, label};
use super::shortcodes::{self, Found};
use super::source::{self, Split};
use super::{copy_folder, languages_of, slug};

const CONFIG_FILES: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "config.toml",
    "config.yaml",
    "config.yml",
];

/// Hugo's front matter that has no meaning in attache: dropped, with a note.
const DROPPED: &[&str] = &[
    "weight",
    "layout",
    "type",
    "menu",
    "menus",
    "toc",
    "build",
    "_build",
    "cascade",
    "outputs",
    "markup",
    "linkTitle",
    "isCJKLanguage",
    "resources",
    "translationKey",
    "sitemap",
    "headless",
    "expiryDate",
    "expirydate",
];

/// The Hugo site at `src` as a plan of an attache site.
pub(super) fn read(src: &Path, today: jiff::civil::Date) -> Result<Plan, String> {
    let config = config(src)?;
    let mut plan = Plan::default();
    let default = config
        .get("defaultContentLanguage")
        .and_then(Value::as_str)
        .unwrap_or("en")
        .to_lowercase();
    site_config(&config, &default, &mut plan);
    let languages = languages_of(&config, &default, &mut plan);
    let taxonomies = taxonomies(&config, &mut plan);
    let content_dir = config
        .get("contentDir")
        .and_then(Value::as_str)
        .unwrap_or("content");
    let layout = Layout::read(&src.join(content_dir), &languages, |_| false);
    let mut found = Found::default();
    let reader = Reader {
        taxonomies: &taxonomies,
        today,
    };
    for file in &layout.files {
        if file.is_intro() {
            intro(file, &mut plan);
        } else if file.is_page() {
            reader.page(file, &mut found, &mut plan);
        }
    }
    for file in layout
        .files
        .iter()
        .filter(|f| !f.is_intro() && !f.is_page())
    {
        layout.asset(file, &mut plan);
    }
    copy_folder(&src.join("static"), Path::new("static"), &mut plan);
    embedded_shortcodes(src, &found, &mut plan);
    plan.finish();
    Ok(plan)
}

fn config(src: &Path) -> Result<Table, String> {
    let Some(name) = CONFIG_FILES.iter().find(|n| src.join(n).is_file()) else {
        return Err(format!("no {} in it", CONFIG_FILES.join(" or ")));
    };
    let text = source::read(&src.join(name))?;
    let table: Table = match name.ends_with(".toml") {
        true => text
            .parse()
            .map_err(|e: toml::de::Error| format!("{name}: {}", e.message()))?,
        false => source::yaml_table(&text).map_err(|e| format!("{name}: {e}"))?,
    };
    if table.contains_key("base_url") && !table.contains_key("baseURL") {
        return Err(format!(
            "its {name} is Zola's (`base_url`): use `attache import zola`"
        ));
    }
    Ok(table)
}

fn site_config(config: &Table, default: &str, plan: &mut Plan) {
    let params = config.get("params").and_then(Value::as_table);
    if let Some(title) = config.get("title") {
        plan.config.insert("title".into(), title.clone());
    }
    if let Some(base) = config.get("baseURL").or_else(|| config.get("baseurl")) {
        plan.config.insert("base_url".into(), base.clone());
    }
    if let Some(d) = params.and_then(|p| p.get("description")) {
        plan.config.insert("description".into(), d.clone());
    }
    let language = match config.get("languages") {
        Some(_) => Some(default.to_string()),
        None => config
            .get("languageCode")
            .and_then(Value::as_str)
            .map(str::to_lowercase),
    };
    if let Some(language) = language {
        plan.config
            .insert("language".into(), Value::String(language));
    }
    for key in [
        "permalinks",
        "menu",
        "menus",
        "theme",
        "outputs",
        "markup",
        "module",
    ] {
        if config.contains_key(key) {
            plan.note(
                format!("the configuration's `{key}` has no equivalent in attache: the theme is attache's default (docs/themes.md), URLs are the pages' own"),
                None,
            );
        }
    }
}

/// `[taxonomies] tag = "tags"`: a kind of stubs per plural name (Hugo's
/// tags and categories when the site names none).
fn taxonomies(config: &Table, plan: &mut Plan) -> Vec<String> {
    let names: Vec<String> = match config.get("taxonomies").and_then(Value::as_table) {
        Some(t) => t
            .values()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        None => vec!["tags".into(), "categories".into()],
    };
    for name in &names {
        // Hugo gives each term a feed.
        plan.kind(&slug(name), || KindPlan::taxonomy(name, true));
    }
    names
}

/// A path segment as Hugo makes it: lowercase, spaces as `-`.
fn urlize(text: &str) -> String {
    let url = text.to_lowercase().replace(' ', "-");
    match crate::urls::is_valid_slug(&url) {
        true => url,
        false => slug(text),
    }
}

/// A section's `_index.md`: the home page's or a kind's text.
fn intro(file: &ContentFile, plan: &mut Plan) {
    let Some(Split { front, body }) = file.split(plan) else {
        return;
    };
    let mut new = Table::new();
    copy_keys(
        &front,
        &mut new,
        &[
            ("title", "title"),
            ("description", "summary"),
            ("summary", "summary"),
        ],
    );
    let kind = match file.dirs.as_slice() {
        [] => None,
        [section] => {
            let kind = slug(section);
            let title = front
                .get("title")
                .and_then(Value::as_str)
                .map_or_else(|| label(&kind), str::to_string);
            plan.kind(&kind, || KindPlan::section(title));
            Some(kind)
        }
        _ => {
            plan.note("a section under a section has no list page in attache (one level of kinds): its pages are kept at their URLs", Some(&file.rel));
            return;
        }
    };
    for key in ["aliases", "cascade", "layout", "type"] {
        if front.contains_key(key) {
            plan.note(
                format!("a section's `{key}` has no equivalent in attache"),
                Some(&file.rel),
            );
        }
    }
    let body = shortcodes::convert(&body, "", &mut Found::default());
    plan.intros.push(IntroPlan {
        kind,
        lang: file.lang.clone(),
        front: new,
        body,
    });
}

struct Reader<'a> {
    taxonomies: &'a [String],
    today: jiff::civil::Date,
}

impl Reader<'_> {
    fn page(&self, file: &ContentFile, found: &mut Found, plan: &mut Plan) {
        let Some(Split { mut front, body }) = file.split(plan) else {
            return;
        };
        if front.get("headless").and_then(Value::as_bool) == Some(true) {
            plan.note(
                "a headless bundle is not published: left out",
                Some(&file.rel),
            );
            return;
        }
        let page_slug = match front.remove("slug").as_ref().and_then(Value::as_str) {
            Some(s) => urlize(s),
            None => urlize(&file.name),
        };
        let url = match front.remove("url").as_ref().and_then(Value::as_str) {
            Some(path) => format!("{}/", path.trim_matches('/')),
            None => file.url(&page_slug, urlize),
        };
        let mut new = Table::new();
        self.map_front(front, file, &url, &mut new, plan);
        let mut page_found = Found::default();
        let body = shortcodes::convert(&body, &url, &mut page_found);
        for note in page_found.notes.drain(..) {
            plan.note(note, Some(&file.rel));
        }
        found.called.append(&mut page_found.called);
        file.add_page(page_slug, url, new, body, plan);
    }

    /// Hugo's front matter in attache's words; keys of the site's own
    /// (Hugo's page params) go under `[extra]`.
    fn map_front(
        &self,
        mut front: Table,
        file: &ContentFile,
        url: &str,
        new: &mut Table,
        plan: &mut Plan,
    ) {
        file.take_title(&mut front, new, &file.name, plan);
        copy_keys(
            &front,
            new,
            &[("description", "summary"), ("summary", "summary")],
        );
        if file.lang.is_some() {
            return;
        }
        self.dates(&mut front, file, new, plan);
        copy_keys(&front, new, &[("draft", "draft")]);
        let authors = front.remove("authors").or_else(|| front.remove("author"));
        if let Some(authors) = authors {
            let list = match authors {
                Value::Array(list) => list,
                one => vec![one],
            };
            new.insert("authors".into(), Value::Array(list));
        }
        if let Some(aliases) = front.remove("aliases") {
            let folder = url
                .trim_end_matches('/')
                .rsplit_once('/')
                .map_or(String::new(), |(dir, _)| format!("{dir}/"));
            new.insert("aliases".into(), super::absolute_aliases(aliases, &folder));
        }
        for name in self.taxonomies {
            if let Some(terms) = front.remove(name.as_str()) {
                new.insert(slug(name), terms);
            }
        }
        for key in ["description", "summary", "draft"] {
            front.remove(key);
        }
        let mut extra = match front.remove("params") {
            Some(Value::Table(t)) => t,
            _ => Table::new(),
        };
        for (key, value) in front {
            if DROPPED.contains(&key.as_str()) {
                plan.note(
                    format!("`{key}` has no equivalent in attache: left out"),
                    Some(&file.rel),
                );
            } else {
                extra.insert(key, value);
            }
        }
        if !extra.is_empty() {
            new.insert("extra".into(), Value::Table(extra));
        }
    }

    /// `date`, `lastmod` and `publishDate`: a page due later than today
    /// is kept as a draft (attache has no publishing dates yet).
    fn dates(&self, front: &mut Table, file: &ContentFile, new: &mut Table, plan: &mut Plan) {
        let publish = front
            .remove("publishDate")
            .or_else(|| front.remove("publishdate"))
            .map(source::as_date);
        let date = front
            .remove("date")
            .map(source::as_date)
            .or_else(|| publish.clone());
        if let Some(date) = date {
            new.insert("date".into(), date);
        }
        let updated = front
            .remove("lastmod")
            .or_else(|| front.remove("lastMod"))
            .map(source::as_date);
        if let Some(updated) = updated {
            new.insert("updated".into(), updated);
        }
        let due_later = publish
            .as_ref()
            .and_then(|p| p.as_datetime())
            .and_then(|d| d.date)
            .and_then(|d| jiff::civil::Date::new(d.year as i16, d.month as i8, d.day as i8).ok())
            .is_some_and(|d| d > self.today);
        if due_later {
            new.insert("draft".into(), Value::Boolean(true));
            plan.note("publishDate is later than today: imported as a draft (attache has no publishing dates yet)", Some(&file.rel));
        }
    }
}

/// A template for each of Hugo's embedded shortcodes the pages call
/// (a site's own, Go templates in layouts/shortcodes/, are noted).
fn embedded_shortcodes(src: &Path, found: &Found, plan: &mut Plan) {
    for name in &found.called {
        if let Some(text) = shortcodes::embedded_template(name) {
            plan.texts.push((
                Path::new("templates/shortcodes").join(format!("{name}.html")),
                text.to_string(),
            ));
        } else if src
            .join("layouts/shortcodes")
            .join(format!("{name}.html"))
            .is_file()
        {
            plan.note(
                format!("shortcode `{name}` is a Go template (layouts/shortcodes/{name}.html): write it in Tera as templates/shortcodes/{name}.html (docs/content.md); positional arguments are arg0, arg1, …"),
                None,
            );
        } else if !matches!(
            name.as_str(),
            "figure" | "note" | "quote" | "facts" | "agency" | "meeting" | "briefing"
        ) {
            plan.note(
                format!("shortcode `{name}` is neither Hugo's nor the site's: write templates/shortcodes/{name}.html"),
                None,
            );
        }
    }
}
