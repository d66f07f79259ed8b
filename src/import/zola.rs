//! Reading a Zola site: `config.toml`, sections (`_index.md`) as kinds,
//! taxonomies as kinds of stubs, pages at their Zola URLs, bundles'
//! files beside their pages, and the site's and theme's shortcodes.

use std::path::Path;

use toml::{Table, Value};

use super::layout::{ContentFile, Layout};
use super::plan::{IntroPlan, KindPlan, Plan, copy_keys, label};
use super::source::{self, Split};
use super::{copy_folder, languages_of, slug};

/// The Zola site at `src` as a plan of an attache site.
pub(super) fn read(src: &Path) -> Result<Plan, String> {
    let config_path = src.join("config.toml");
    let config: Table = source::read(&config_path)?
        .parse()
        .map_err(|e: toml::de::Error| format!("config.toml: {}", e.message()))?;
    if config.contains_key("baseURL") || config.contains_key("baseurl") {
        return Err("its config.toml is Hugo's (`baseURL`): use `attache import hugo`".into());
    }
    let mut plan = Plan::default();
    site_config(&config, &mut plan);
    let default = config
        .get("default_language")
        .and_then(Value::as_str)
        .unwrap_or("en")
        .to_lowercase();
    let languages = languages_of(&config, &default, &mut plan);
    let taxonomies = taxonomies(&config, &mut plan);
    let ignored = ignored_content(&config, &mut plan);
    let layout = Layout::read(&src.join("content"), &languages, |rel| {
        ignored.as_ref().is_some_and(|set| set.is_match(rel))
    });
    for file in &layout.files {
        if file.is_intro() {
            intro(file, &mut plan);
        } else if file.is_page() {
            page(file, &layout, &taxonomies, &mut plan);
        }
    }
    // After the pages: a bundle's files go where its page is published.
    for file in layout
        .files
        .iter()
        .filter(|f| !f.is_intro() && !f.is_page())
    {
        layout.asset(file, &mut plan);
    }
    if let Some(theme) = config.get("theme").and_then(Value::as_str) {
        copy_folder(
            &src.join("themes").join(theme).join("static"),
            Path::new("static"),
            &mut plan,
        );
    }
    copy_folder(&src.join("static"), Path::new("static"), &mut plan);
    shortcodes(src, &config, &mut plan);
    plan.finish();
    Ok(plan)
}

fn site_config(config: &Table, plan: &mut Plan) {
    for (from, to) in [
        ("title", "title"),
        ("base_url", "base_url"),
        ("description", "description"),
        ("default_language", "language"),
    ] {
        if let Some(value) = config.get(from) {
            plan.config.insert(to.into(), value.clone());
        }
    }
    for key in [
        "compile_sass",
        "build_search_index",
        "markdown",
        "link_checker",
        "slugify",
    ] {
        if config.contains_key(key) {
            plan.note(
                format!("config.toml's `{key}` has no equivalent in attache"),
                None,
            );
        }
    }
    if let Some(extra) = config.get("extra") {
        plan.config.insert("extra".into(), extra.clone());
    }
}

/// `taxonomies = [{ name = "categories" }]`: a kind of stubs each.
fn taxonomies(config: &Table, plan: &mut Plan) -> Vec<String> {
    let mut names = Vec::new();
    for t in config
        .get("taxonomies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(name) = t.get("name").and_then(Value::as_str) else {
            continue;
        };
        let feed = t.get("feed").and_then(Value::as_bool).unwrap_or(false);
        plan.kind(&slug(name), || KindPlan::taxonomy(name, feed));
        names.push(name.to_string());
    }
    names
}

fn ignored_content(config: &Table, plan: &mut Plan) -> Option<globset::GlobSet> {
    let globs = config.get("ignored_content")?.as_array()?;
    let mut set = globset::GlobSetBuilder::new();
    for glob in globs.iter().filter_map(Value::as_str) {
        match globset::Glob::new(glob) {
            Ok(g) => {
                set.add(g);
            }
            Err(e) => plan.note(
                format!("ignored_content `{glob}` is not a pattern: {e}"),
                None,
            ),
        }
    }
    set.build().ok()
}

/// A section's `_index.md`: the home page's text, a kind's (for a
/// top-level section), or a note (for sections under those).
fn intro(file: &ContentFile, plan: &mut Plan) {
    let Some(Split { front, body }) = file.split(plan) else {
        return;
    };
    let mut new = Table::new();
    copy_keys(
        &front,
        &mut new,
        &[("title", "title"), ("description", "summary")],
    );
    if let Some(extra) = front.get("extra") {
        new.insert("extra".into(), extra.clone());
    }
    let kind = match file.dirs.as_slice() {
        [] => None,
        [section] => {
            let kind = slug(section);
            let title = front
                .get("title")
                .and_then(Value::as_str)
                .map_or_else(|| label(&kind), str::to_string);
            plan.kind(&kind, || KindPlan::section(title));
            section_settings(&front, &kind, &file.rel, plan);
            if kind != *section {
                plan.note(
                    format!("the section's list page moves from /{section}/ to /{kind}/ (a kind's name is lowercase letters, digits and `-`); its pages keep their URLs"),
                    Some(&file.rel),
                );
            }
            Some(kind)
        }
        _ => {
            plan.note(
                "a section under a section has no list page in attache (one level of kinds): its pages are kept at their URLs",
                Some(&file.rel),
            );
            return;
        }
    };
    plan.intros.push(IntroPlan {
        kind,
        lang: file.lang.clone(),
        front: new,
        body,
    });
}

fn section_settings(front: &Table, kind: &str, rel: &str, plan: &mut Plan) {
    match front.get("sort_by").and_then(Value::as_str) {
        Some("date") => plan.kinds[kind].sort_by = Some("date"),
        Some("title" | "title_bytes") => plan.kinds[kind].sort_by = Some("title"),
        Some(other) => plan.note(
            format!("sort_by = \"{other}\": attache sorts a kind by date or title"),
            Some(rel),
        ),
        None => {}
    }
    if let Some(n) = front.get("paginate_by").and_then(Value::as_integer) {
        plan.kinds[kind].paginate_by = Some(n.max(1));
    }
    for key in [
        "template",
        "page_template",
        "transparent",
        "redirect_to",
        "aliases",
        "render",
    ] {
        if front.contains_key(key) {
            plan.note(
                format!("a section's `{key}` has no equivalent in attache"),
                Some(rel),
            );
        }
    }
}

/// A page: its kind is its top-level section (`pages` at the root), its
/// URL Zola's.
fn page(file: &ContentFile, layout: &Layout, taxonomies: &[String], plan: &mut Plan) {
    let Some(Split { mut front, body }) = file.split(plan) else {
        return;
    };
    if front.get("render").and_then(Value::as_bool) == Some(false) {
        plan.note(
            "a page with `render = false` is not published: left out",
            Some(&file.rel),
        );
        return;
    }
    let (date, name) = super::date_prefix(&file.name);
    let page_slug = match front.remove("slug").as_ref().and_then(Value::as_str) {
        Some(s) => slug(s),
        None => slug(&name),
    };
    if !front.contains_key("date")
        && let Some(date) = date
    {
        front.insert("date".into(), Value::String(date));
    }
    if layout.in_draft_section(file) {
        front.insert("draft".into(), Value::Boolean(true));
    }
    let url = match front.remove("path").as_ref().and_then(Value::as_str) {
        Some(path) => format!("{}/", path.trim_matches('/')),
        None => file.url(&page_slug, folder_name),
    };
    let mut new = Table::new();
    map_front(front, file, &page_slug, taxonomies, &mut new, plan);
    file.add_page(page_slug, url, new, body, plan);
}

/// A folder's name in a Zola URL: as it is (`secret_section`), made
/// URL-safe only where it is not.
fn folder_name(name: &str) -> String {
    match crate::urls::is_valid_slug(name) {
        true => name.to_string(),
        false => slug(name),
    }
}

/// Zola's front matter in attache's words.
fn map_front(
    mut front: Table,
    file: &ContentFile,
    page_slug: &str,
    taxonomies: &[String],
    new: &mut Table,
    plan: &mut Plan,
) {
    file.take_title(&mut front, new, page_slug, plan);
    if file.lang.is_some() {
        copy_keys(&front, new, &[("description", "summary")]);
        return;
    }
    for key in ["date", "updated"] {
        if let Some(v) = front.remove(key) {
            new.insert(key.into(), source::as_date(v));
        }
    }
    copy_keys(
        &front,
        new,
        &[
            ("description", "summary"),
            ("draft", "draft"),
            ("authors", "authors"),
        ],
    );
    if let Some(aliases) = front.remove("aliases") {
        new.insert("aliases".into(), super::absolute_aliases(aliases, ""));
    }
    if let Some(Value::Table(terms)) = front.remove("taxonomies") {
        for (name, values) in terms {
            if taxonomies.contains(&name) {
                new.insert(slug(&name), values);
            } else {
                plan.note(
                    format!("taxonomy `{name}` is not in config.toml: left out"),
                    Some(&file.rel),
                );
            }
        }
    }
    for key in ["description", "draft", "authors"] {
        front.remove(key);
    }
    if let Some(extra) = front.remove("extra") {
        new.insert("extra".into(), extra);
    }
    for key in front.keys() {
        plan.note(
            format!("`{key}` has no equivalent in attache: left out"),
            Some(&file.rel),
        );
    }
}

/// The theme's shortcodes, then the site's own (which win), into the
/// new site's `templates/shortcodes/`.
fn shortcodes(src: &Path, config: &Table, plan: &mut Plan) {
    let mut folders = Vec::new();
    if let Some(theme) = config.get("theme").and_then(Value::as_str) {
        folders.push(src.join("themes").join(theme).join("templates/shortcodes"));
        plan.note(
            format!("theme `{theme}`: its templates are not carried over (attache's default theme is used: docs/themes.md); its shortcodes are"),
            None,
        );
    }
    folders.push(src.join("templates/shortcodes"));
    let mut chosen = std::collections::BTreeMap::new();
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".html") || name.ends_with(".md") {
                chosen.insert(name, entry.path());
            }
        }
    }
    for (name, path) in chosen {
        plan.copies
            .insert(Path::new("templates/shortcodes").join(name), path);
    }
}
