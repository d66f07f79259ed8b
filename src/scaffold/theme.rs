//! `attache theme`: the default theme's templates, and copies of them in
//! the site's `templates/` for a writer to edit (a site's template of the
//! same name replaces the theme's, docs/templates.md).

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, did_you_mean};

/// The default theme's templates, by name (`briefs/page.html`,
/// `strings/ja.toml`), in order.
pub fn theme_templates() -> Vec<&'static str> {
    let mut names: Vec<&str> = crate::theme::templates()
        .map(|f| f.path.trim_start_matches("templates/"))
        .collect();
    names.sort_unstable();
    names
}

/// Copies the default theme's templates `names` (all of them when empty)
/// into the site at `root`, as `templates/<name>`; returns the files
/// made. A template the site has already is never overwritten: all of
/// the names are checked before anything is written.
pub fn copy_templates(root: &Path, names: &[String]) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let all = theme_templates();
    let wanted: Vec<&str> = match names.is_empty() {
        true => all.clone(),
        false => names.iter().map(String::as_str).collect(),
    };
    let mut problems = Vec::new();
    for name in &wanted {
        if !all.contains(name) {
            let hint = did_you_mean(name, all.iter().copied())
                .unwrap_or_else(|| "`attache theme list` lists them".to_string());
            problems.push(
                Diagnostic::error(format!("the default theme has no template `{name}`")).hint(hint),
            );
        } else if root.join("templates").join(name).exists() {
            problems.push(
                Diagnostic::error(format!("templates/{name} exists already"))
                    .hint("attache never overwrites a template: remove it first to copy the theme's again"),
            );
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut made = Vec::new();
    for name in wanted {
        let Some(file) =
            crate::theme::templates().find(|f| f.path.trim_start_matches("templates/") == name)
        else {
            continue;
        };
        let rel = Path::new("templates").join(name);
        super::create(root, &rel, file.bytes).map_err(|d| vec![d])?;
        made.push(rel);
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_copied_once_and_never_over_the_sites() {
        let dir = tempfile::tempdir().unwrap();
        let made = copy_templates(dir.path(), &["briefs/page.html".into()]).unwrap();
        assert_eq!(made, [PathBuf::from("templates/briefs/page.html")]);
        let copied = std::fs::read(dir.path().join("templates/briefs/page.html")).unwrap();
        let theme = crate::theme::templates()
            .find(|f| f.path == "templates/briefs/page.html")
            .unwrap();
        assert_eq!(copied, theme.bytes);
        // Again: refused, and nothing else written.
        let e = copy_templates(dir.path(), &["briefs/page.html".into(), "page.html".into()])
            .unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].message, "templates/briefs/page.html exists already");
        assert!(!dir.path().join("templates/page.html").exists());
        // A name it does not have, with the nearest one.
        let e = copy_templates(dir.path(), &["brief/page.html".into()]).unwrap_err();
        assert!(
            e[0].hint.as_deref().unwrap().contains("briefs/page.html"),
            "{e:?}"
        );
        assert!(theme_templates().contains(&"strings/ja.toml"));
    }
}
