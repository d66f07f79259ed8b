//! Sorting changed paths by what they mean for the site.

use std::path::{Component, Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::content::CONTENT_DIR;
use crate::diagnostic::display_path;
use crate::output::static_files::STATIC_DIR;
use crate::render::templates::{TEMPLATES_DIR, THEMES_DIR};

/// The changed paths of one batch, by kind.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// `attache.toml` changed: rebuild everything.
    pub config: bool,
    /// Files under `content/`, relative to the root.
    pub content: Vec<PathBuf>,
    /// Template names (`page.html`, `briefs/page.html`) that changed, in
    /// the site's `templates/` or the theme's.
    pub templates: Vec<String>,
    /// Something under `static/` or the theme's `static/` changed.
    pub statics: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        !self.config
            && self.content.is_empty()
            && self.templates.is_empty()
            && self.statics.is_empty()
    }
}

/// Editors' temporary and backup files, which never affect the site.
pub fn is_scratch_file(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
}

/// Sorts `paths` (absolute, or relative to `root`) into [`Changes`].
/// Paths outside the site's inputs (the output folder, `.git`) are dropped.
pub fn classify(root: &Path, theme: &str, paths: impl IntoIterator<Item = PathBuf>) -> Changes {
    let mut changes = Changes::default();
    let theme_templates = Path::new(THEMES_DIR).join(theme).join(TEMPLATES_DIR);
    let theme_static = Path::new(THEMES_DIR).join(theme).join(STATIC_DIR);
    for path in paths {
        // `/site/./content/a.md` and `/site/content/a.md` are one file.
        let path: PathBuf = path.components().collect();
        let rel = match path.strip_prefix(root) {
            Ok(rel) => rel.to_path_buf(),
            Err(_) if path.is_relative() => path,
            Err(_) => continue,
        };
        let Some(name) = rel.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if rel.components().any(|c| matches!(c, Component::ParentDir)) {
            continue;
        }
        if rel == Path::new(CONFIG_FILE) {
            changes.config = true;
        } else if rel.starts_with(CONTENT_DIR) {
            if !is_scratch_file(name) && !changes.content.contains(&rel) {
                changes.content.push(rel);
            }
        } else if let Some(template) = under(&rel, &[Path::new(TEMPLATES_DIR), &theme_templates]) {
            if !is_scratch_file(name) && !changes.templates.contains(&template) {
                changes.templates.push(template);
            }
        } else if let Some(file) = under(&rel, &[Path::new(STATIC_DIR), &theme_static])
            && !is_scratch_file(name)
            && !changes.statics.contains(&file)
        {
            changes.statics.push(file);
        }
    }
    changes
}

/// The part of `rel` under the first of `dirs` it is in, `/`-separated.
fn under(rel: &Path, dirs: &[&Path]) -> Option<String> {
    dirs.iter()
        .find_map(|dir| rel.strip_prefix(dir).ok())
        .map(display_path)
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify_all(paths: &[&str]) -> Changes {
        let root = Path::new("/site");
        classify(root, "default", paths.iter().map(|p| root.join(p)))
    }

    #[test]
    fn paths_are_sorted_by_meaning() {
        let c = classify_all(&[
            "content/briefs/a.md",
            "content/briefs/a.md",
            "templates/briefs/page.html",
            "themes/default/templates/base.html",
            "themes/other/templates/base.html",
            "static/style.css",
            "themes/default/static/search.js",
            "public/index.html",
            ".git/index",
            "target/debug/x",
        ]);
        assert!(!c.config);
        assert_eq!(c.content, [PathBuf::from("content/briefs/a.md")]);
        assert_eq!(c.templates, ["briefs/page.html", "base.html"]);
        assert_eq!(c.statics, ["style.css", "search.js"]);
        assert!(classify_all(&["attache.toml"]).config);
    }

    #[test]
    fn dot_components_do_not_hide_a_path() {
        let c = classify(
            Path::new("/site"),
            "default",
            [PathBuf::from("/site/./content/briefs/a.md")],
        );
        assert_eq!(c.content, [PathBuf::from("content/briefs/a.md")]);
    }

    #[test]
    fn editor_scratch_files_are_ignored() {
        let c = classify_all(&[
            "content/briefs/.a.md.swp",
            "content/briefs/4913",
            "content/briefs/a.md~",
            "templates/#page.html#",
            "static/.style.css.swx",
        ]);
        assert!(c.is_empty(), "{c:?}");
    }
}
