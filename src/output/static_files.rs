//! Static files: the theme's `static/`, then the site's over it.

use std::path::Path;
use std::sync::Arc;

use super::{Body, Outputs};
use crate::diagnostic::{Diagnostic, display_path};
use crate::fs::Boundary;
use crate::theme::{self, ThemeSource};

/// The site's static folder.
pub const STATIC_DIR: &str = "static";

/// Adds the static files of the theme and the site to `outputs`.
/// A theme that cannot be found is reported by the templates, not here.
pub fn collect(boundary: &Boundary, theme_name: &str, outputs: &mut Outputs) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    match theme::locate(boundary, theme_name) {
        Ok(ThemeSource::Folder(dir)) => {
            add_dir(boundary, &dir.join(STATIC_DIR), outputs, &mut problems)
        }
        Ok(ThemeSource::Embedded) => {
            for file in theme::static_files() {
                let rel = file.path.trim_start_matches("static/").to_string();
                outputs.insert(rel, Body::Bytes(Arc::from(file.bytes)));
            }
        }
        Err(_) => {}
    }
    add_dir(
        boundary,
        &boundary.root().join(STATIC_DIR),
        outputs,
        &mut problems,
    );
    problems
}

fn add_dir(boundary: &Boundary, dir: &Path, outputs: &mut Outputs, problems: &mut Vec<Diagnostic>) {
    let walk = boundary.walk(dir, crate::fs::Hidden::Keep);
    problems.extend(walk.diagnostics);
    for path in walk.entries {
        if let Ok(rel) = path.strip_prefix(dir) {
            let from_root = path.strip_prefix(boundary.root()).unwrap_or(&path);
            problems.extend(reserved_name_warning(rel, from_root));
            outputs.insert(display_path(rel), Body::Copy(path.clone()));
        }
    }
}

/// The warning for a published file whose path (`published`, as in the
/// output) holds a name Windows reserves (`aux.txt`, `con/`): published
/// still, since the file is the writer's and hosts other than Windows
/// serve it, but the site cannot be built or checked out on Windows.
/// (A page's URL with such a name is an error: attache makes that name.)
pub fn reserved_name_warning(published: &Path, file: &Path) -> Option<Diagnostic> {
    let name = published
        .iter()
        .filter_map(|part| part.to_str())
        .find(|part| crate::urls::reserved_on_windows(part))?;
    Some(
        Diagnostic::warning(format!(
            "`{name}` is a name Windows reserves: {} cannot be built, checked out or served there",
            display_path(file)
        ))
        .in_file(file.to_path_buf())
        .hint(
            "rename it if the site may ever be built or hosted on Windows: CON, PRN, AUX, NUL, COM0–COM9 and LPT0–LPT9 are reserved with any extension, and so is a name ending in a dot",
        ),
    )
}

/// The warning for a static file that a generated page replaces.
pub fn replaced_warning(root: &Path, path: &str, from: &Path) -> Diagnostic {
    Diagnostic::warning(format!(
        "static file {path} is replaced by a generated page"
    ))
    .in_file(from.strip_prefix(root).unwrap_or(from).to_path_buf())
    .hint("rename or remove the static file")
}
