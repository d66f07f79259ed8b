//! `attache init`, `attache new` and `attache theme copy`: create files,
//! never overwrite them.

mod page;
mod theme;

pub use page::{NewPage, new_page};
pub use theme::{copy_templates, theme_templates};

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::diagnostic::Diagnostic;

/// Creates `rel` in the site at `root` with `text`; fails if it exists,
/// and refuses a folder on the way that leads out of the site (a
/// symlink): attache never writes outside the site.
pub(crate) fn create(root: &Path, rel: &Path, text: impl AsRef<[u8]>) -> Result<(), Diagnostic> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        let cannot = |e: std::io::Error, folder: &Path| {
            Diagnostic::error(format!("cannot create {}: {e}", folder.display()))
        };
        // The site folder itself is the one the user named.
        std::fs::create_dir_all(root).map_err(|e| cannot(e, root))?;
        let inside = |folder: &Path| match (folder.canonicalize(), root.canonicalize()) {
            (Ok(folder), Ok(root)) => folder.starts_with(root),
            _ => false,
        };
        let refused = || {
            Diagnostic::error(format!(
                "refusing to create {}: its folder leads outside the site (a symlink)",
                crate::diagnostic::display_path(rel)
            ))
            .hint("attache never writes outside the site folder; make the folder a folder of the site")
        };
        // Checked before any folder is made (at the nearest one that
        // exists), and after.
        let existing = parent.ancestors().find(|a| a.exists()).unwrap_or(root);
        if !inside(existing) {
            return Err(refused());
        }
        std::fs::create_dir_all(parent).map_err(|e| cannot(e, parent))?;
        if !inside(parent) {
            return Err(refused());
        }
    }
    let path = path.as_path();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                Diagnostic::error(format!("{} already exists", path.display()))
                    .hint("attache never overwrites a file; choose another name or remove it first")
            }
            _ => Diagnostic::error(format!("cannot create {}: {e}", path.display())),
        })?;
    file.write_all(text.as_ref())
        .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", path.display())))
}

/// Fails unless `dir` is new or empty: `command` creates a site only there.
pub(crate) fn ensure_empty(dir: &Path, command: &str) -> Result<(), Diagnostic> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| Diagnostic::error(format!("cannot read {}: {e}", dir.display())))?
            .next()
            .is_none();
        if !empty {
            return Err(
                Diagnostic::error(format!("{} is not empty", dir.display())).hint(format!(
                    "{command} only creates a site in a new or empty folder"
                )),
            );
        }
    }
    Ok(())
}

const INIT_FILES: &[(&str, &str)] = &[
    (
        CONFIG_FILE,
        r#"# The site's configuration. Every key is described in docs/content.md.
title = "Trade Desk"
base_url = "https://example.org/"
description = "Briefings on trade and investment."
language = "en"

# The kinds of page are briefs, meetings, agencies, sectors, people and
# countries. Declare more, or change their labels, like this:
# [kinds.visits]
# title = "Site visits"
# singular = "Site visit"
"#,
    ),
    (
        "content/_index.md",
        "+++\n# The home page is titled as the site (`title` in attache.toml); a\n# title here would stay when the site is renamed.\n+++\n\nBriefings on trade and investment, cross-linked to the meetings, agencies and sectors they mention.\n",
    ),
    (
        "content/briefs/first-brief.md",
        r#"+++
title = "A first brief"
date = 2025-01-15
summary = "What a brief looks like."
agencies = ["example-agency"]
sectors = ["example-sector"]
+++

Write the brief in Markdown. Link to other pages inline, like
[the agency](@/agencies/example-agency.md), and list them in the front
matter above so that their pages link back here.
"#,
    ),
    (
        "content/agencies/example-agency.md",
        "+++\ntitle = \"Example Agency\"\nshort = \"EXA\"\ncountry = \"Nowhere\"\n+++\n\nWhat the agency does.\n",
    ),
    (
        "content/sectors/example-sector.md",
        "+++\ntitle = \"Example sector\"\n+++\n\nWhat the sector covers.\n",
    ),
    (
        "content/meetings/example-meeting.md",
        r#"+++
title = "Example meeting"
date = 2025-01-14T10:00:00+00:00
location = "Somewhere"
people = ["A. Person"]
agencies = ["example-agency"]
briefs = ["first-brief"]
+++

Notes of the meeting.
"#,
    ),
    (
        "templates/README.md",
        "Put templates here to override the default theme's, e.g. `templates/briefs/page.html`.\nSee docs/templates.md in the attache repository.\n",
    ),
    ("static/.gitkeep", ""),
    (".gitignore", "/public\n/.attache\n"),
];

/// Creates a new site in `dir`, which must be missing or empty.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    ensure_empty(dir, "attache init")?;
    let mut created = Vec::new();
    for (rel, text) in INIT_FILES {
        create(dir, Path::new(rel), text)?;
        created.push(dir.join(rel));
    }
    Ok(created)
}
