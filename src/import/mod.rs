//! `attache import zola|hugo`: a Zola or Hugo site written over as an
//! attache site, its pages at the same URLs, with a note of everything
//! that could not be carried over.
//!
//! Each generator's reader ([`zola`], [`hugo`]) fills a [`plan::Plan`]
//! from the old site's files; the plan then names the new files, sets a
//! `path` where a page's old URL is not the one attache would give it,
//! rewrites the links between pages, and writes the site. The old site is
//! only read.

mod hugo;
mod layout;
mod plan;
mod shortcodes;
mod source;
mod zola;

use std::path::{Path, PathBuf};

use toml::{Table, Value};

use crate::diagnostic::Diagnostic;
use plan::Plan;

/// The generator that made the site to import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generator {
    Zola,
    Hugo,
}

/// What an import made.
pub struct Imported {
    /// Every file created.
    pub files: Vec<PathBuf>,
    /// What could not be carried over, a line each.
    pub notes: Vec<String>,
}

/// Writes the `from` site at `src` as an attache site in `dest` (a new
/// or empty folder). Nothing is written unless the whole old site was
/// read.
pub fn import_site(from: Generator, src: &Path, dest: &Path) -> Result<Imported, Diagnostic> {
    crate::scaffold::ensure_empty(dest, "attache import")?;
    let name = match from {
        Generator::Zola => "Zola",
        Generator::Hugo => "Hugo",
    };
    let plan = match from {
        Generator::Zola => zola::read(src),
        Generator::Hugo => hugo::read(src, crate::site::today()),
    }
    .map_err(|why| {
        Diagnostic::error(format!("cannot import {}: {why}", src.display())).hint(format!(
            "give the folder of a {name} site (the one with its configuration and content/)"
        ))
    })?;
    let files = plan.write(dest)?;
    Ok(Imported {
        files,
        notes: plan.note_lines(),
    })
}

/// A name made URL-safe as attache and Zola make them.
fn slug(text: &str) -> String {
    crate::urls::slugify(text)
}

/// `2016-10-08_a-post` → (`2016-10-08`, `a-post`): Zola's date in a file
/// name.
fn date_prefix(name: &str) -> (Option<String>, String) {
    let bytes = name.as_bytes();
    let is_date = bytes.len() > 11
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && matches!(bytes[10], b'_' | b'-');
    match is_date {
        true => (Some(name[..10].to_string()), name[11..].to_string()),
        false => (None, name.to_string()),
    }
}

/// Aliases as paths from the site's root; those written without a
/// leading `/` are under `base` (a page's folder, for Hugo).
fn absolute_aliases(aliases: Value, base: &str) -> Value {
    let list = match aliases {
        Value::Array(list) => list,
        one => vec![one],
    };
    Value::Array(
        list.into_iter()
            .filter_map(|a| {
                let a = a.as_str()?.trim();
                Some(Value::String(match a.strip_prefix('/') {
                    Some(_) => a.to_string(),
                    None => format!("/{base}{a}"),
                }))
            })
            .collect(),
    )
}

/// The languages other than the default one, as `[languages.<code>]`
/// tables of the new site; returns their codes.
fn languages_of(config: &Table, default: &str, plan: &mut Plan) -> Vec<String> {
    let mut codes = Vec::new();
    let Some(languages) = config.get("languages").and_then(Value::as_table) else {
        return codes;
    };
    for (code, table) in languages {
        let code = code.to_lowercase();
        if code == default {
            continue;
        }
        let mut new = Table::new();
        let params = table.get("params").and_then(Value::as_table);
        for (from, to) in [
            ("languageName", "name"),
            ("title", "title"),
            ("description", "description"),
        ] {
            let value = table.get(from).or_else(|| params.and_then(|p| p.get(from)));
            if let Some(value) = value {
                new.insert(to.into(), value.clone());
            }
        }
        plan.languages.insert(code.clone(), new);
        codes.push(code);
    }
    codes
}

/// Every file under `from` copied to `to` in the new site (dotfiles left
/// out).
fn copy_folder(from: &Path, to: &Path, plan: &mut Plan) {
    let entries = walkdir::WalkDir::new(from)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .flatten();
    for entry in entries.filter(|e| e.file_type().is_file()) {
        if let Ok(rel) = entry.path().strip_prefix(from) {
            plan.copies.insert(to.join(rel), entry.path().to_path_buf());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_before_the_name_is_the_pages_date() {
        assert_eq!(
            date_prefix("2016-10-08_a-post-with-dates"),
            (Some("2016-10-08".into()), "a-post-with-dates".into())
        );
        assert_eq!(date_prefix("2016-10-08"), (None, "2016-10-08".into()));
        assert_eq!(date_prefix("python"), (None, "python".into()));
    }

    #[test]
    fn aliases_start_at_the_root_or_the_pages_folder() {
        let a = absolute_aliases(Value::Array(vec!["top.html".into(), "/x/".into()]), "");
        assert_eq!(a, Value::Array(vec!["/top.html".into(), "/x/".into()]));
        let b = absolute_aliases(Value::String("old".into()), "post/");
        assert_eq!(b, Value::Array(vec!["/post/old".into()]));
    }
}
