//! `attache init` and `attache new`: create files, never overwrite them.

mod page;

pub use page::{NewPage, new_page};

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::diagnostic::Diagnostic;

/// Creates `path` with `text`; fails if it exists.
pub(crate) fn create(path: &Path, text: &str) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", parent.display())))?;
    }
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
    file.write_all(text.as_bytes())
        .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", path.display())))
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
        "+++\ntitle = \"Trade Desk\"\n+++\n\nBriefings on trade and investment, cross-linked to the meetings, agencies and sectors they mention.\n",
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
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| Diagnostic::error(format!("cannot read {}: {e}", dir.display())))?
            .next()
            .is_none();
        if !empty {
            return Err(Diagnostic::error(format!("{} is not empty", dir.display()))
                .hint("attache init only creates a site in a new or empty folder"));
        }
    }
    let mut created = Vec::new();
    for (rel, text) in INIT_FILES {
        let path = dir.join(rel);
        create(&path, text)?;
        created.push(path);
    }
    Ok(created)
}
