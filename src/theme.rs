//! The default theme, built into the binary so that a site made by
//! `attache init` works without copying it. A site's own
//! `themes/default/` folder, when present, is used instead.

use std::path::PathBuf;

use crate::config::CONFIG_FILE;
use crate::diagnostic::Diagnostic;
use crate::fs::Boundary;

/// Where themes live under the site root.
pub const THEMES_DIR: &str = "themes";

/// Where a theme's files come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThemeSource {
    /// `themes/<name>/` of the site.
    Folder(PathBuf),
    /// The default theme built into attache.
    Embedded,
}

/// Finds the theme `name` of a site: its folder under `themes/` (which
/// must be inside the boundary, however it is reached), else the built-in
/// default theme.
pub fn locate(boundary: &Boundary, name: &str) -> Result<ThemeSource, Diagnostic> {
    let dir = boundary.root().join(THEMES_DIR).join(name);
    if std::fs::symlink_metadata(&dir).is_ok() {
        if !boundary.contains(&dir) {
            let target = dir
                .canonicalize()
                .map(|t| format!(" ({})", t.display()))
                .unwrap_or_default();
            return Err(Diagnostic::error(format!(
                "theme `{name}` is outside the site: {THEMES_DIR}/{name} is a symlink to a folder outside it{target}"
            ))
            .in_file(CONFIG_FILE)
            .hint("attache only reads inside the site; copy the theme into themes/, or name its folder in `trusted_folders` in attache.toml"));
        }
        return Ok(ThemeSource::Folder(dir));
    }
    if name == DEFAULT_THEME {
        return Ok(ThemeSource::Embedded);
    }
    Err(Diagnostic::error(format!("theme `{name}` not found"))
        .in_file(CONFIG_FILE)
        .hint(format!(
            "put the theme in {THEMES_DIR}/{name}/templates/, or use theme = \"default\""
        )))
}

/// A file of the built-in theme, by its path inside the theme folder.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedFile {
    pub path: &'static str,
    pub bytes: &'static [u8],
}

/// The name of the built-in theme.
pub const DEFAULT_THEME: &str = "default";

/// How diagnostics name files of the built-in theme.
pub const EMBEDDED_LABEL: &str = "<built-in theme>";

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(EmbeddedFile {
            path: $path,
            bytes: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $path)),
        }),*]
    };
}

/// Every file of `themes/default/`. A test checks that this list and the
/// folder agree.
pub const FILES: &[EmbeddedFile] = embed![
    "templates/404.html",
    "templates/base.html",
    "templates/index.html",
    "templates/list.html",
    "templates/mentions.html",
    "templates/page.html",
    "templates/search.html",
    "templates/agencies/page.html",
    "templates/asks/list.html",
    "templates/asks/page.html",
    "templates/briefs/page.html",
    "templates/meetings/page.html",
    "templates/sectors/page.html",
    "templates/partials/items.html",
    "templates/partials/links.html",
    "templates/partials/meta.html",
    "templates/partials/paginator.html",
    "templates/partials/pictures.html",
    "templates/partials/summary.html",
    "templates/shortcodes/agency.html",
    "templates/shortcodes/briefing.html",
    "templates/shortcodes/facts.html",
    "templates/shortcodes/figure.html",
    "templates/shortcodes/meeting.html",
    "templates/shortcodes/note.html",
    "templates/shortcodes/quote.html",
    "templates/strings/en.toml",
    "templates/strings/ja.toml",
    "static/favicon.svg",
    "static/items.js",
    "static/search.js",
    "static/style.css",
];

pub fn templates() -> impl Iterator<Item = &'static EmbeddedFile> {
    FILES.iter().filter(|f| f.path.starts_with("templates/"))
}

pub fn static_files() -> impl Iterator<Item = &'static EmbeddedFile> {
    FILES.iter().filter(|f| f.path.starts_with("static/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::display_path;
    use std::path::Path;

    #[test]
    fn the_embedded_list_matches_the_theme_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| display_path(e.path().strip_prefix(&dir).unwrap()))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = FILES.iter().map(|f| f.path.to_string()).collect();
        embedded.sort();
        assert_eq!(
            embedded, on_disk,
            "update theme::FILES to match themes/default/"
        );
    }
}
