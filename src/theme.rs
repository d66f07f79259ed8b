//! The default theme, built into the binary so that a site made by
//! `attache init` works without copying it. A site's own
//! `themes/default/` folder, when present, is used instead.

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
    "templates/page.html",
    "templates/search.html",
    "templates/agencies/page.html",
    "templates/briefs/page.html",
    "templates/meetings/page.html",
    "templates/sectors/page.html",
    "templates/partials/links.html",
    "templates/partials/meta.html",
    "templates/partials/paginator.html",
    "templates/partials/summary.html",
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
