//! Files under `content/` that attache does not read as pages, and what
//! to say of each: a Markdown file outside a kind's folder, a picture of
//! a page bundle.

use std::path::Path;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, did_you_mean, display_path};

/// A warning for Markdown files attache will not read, with a suggestion.
pub fn misplaced(root: &Path, rel: &Path, config: &Config) -> Option<Diagnostic> {
    let name = rel.file_name()?.to_str()?;
    if name.starts_with('.') {
        return None;
    }
    if !name.ends_with(".md") {
        // A page bundle's file is published beside its page, but for
        // one in the page's own place.
        if let Some(folder) = super::bundle_of(root, rel) {
            return (rel.parent() == Some(folder.as_path()) && name == "index.html").then(|| {
                Diagnostic::warning(format!(
                    "{} is not published: the page is there",
                    display_path(rel)
                ))
                .in_file(rel)
                .hint("rename it: a page bundle's index.html would be the page's own")
            });
        }
        return bundle_file(rel, config);
    }
    let parts: Vec<_> = rel.components().skip(1).collect();
    let in_kind = |part: &std::path::Component<'_>| {
        part.as_os_str()
            .to_str()
            .is_some_and(|kind| config.kind(kind).is_some())
    };
    let intro_folder = parts.len() == 1 || (parts.len() == 2 && in_kind(&parts[0]));
    if intro_folder && let Some(lang) = name.strip_prefix("_index.") {
        return Some(undeclared_intro(rel, lang.trim_end_matches(".md")));
    }
    if let Some(kind) = parts
        .first()
        .and_then(|p| config.kind(p.as_os_str().to_str()?))
        && kind.schema == crate::config::Schema::Item
        && parts.len() > 1
    {
        return Some(
            Diagnostic::warning(format!(
                "{} is ignored: {} are written in front matter",
                display_path(rel),
                kind.title.to_lowercase()
            ))
            .in_file(rel)
            .hint("write an [[asks]] or [[offers]] table in the brief or meeting that raises it (docs/content.md); content/asks/_index.md may introduce the list"),
        );
    }
    if parts.len() == 1 {
        return Some(
            Diagnostic::warning(format!(
                "{} is not in a kind folder and is ignored",
                display_path(rel)
            ))
            .in_file(rel)
            .hint("move it into content/<kind>/, e.g. content/briefs/"),
        );
    }
    let folder = parts[0].as_os_str().to_str()?;
    let kinds = config.kind_names().collect::<Vec<_>>().join(", ");
    let hint = match did_you_mean(folder, config.kind_names()) {
        Some(suggestion) => format!(
            "{suggestion} (the kinds are: {kinds}; more can be declared under [kinds] in attache.toml)"
        ),
        // A folder of its own (a section of a site moved over): make it
        // a kind.
        None => format!(
            "to publish content/{folder}/ as a kind of its own, add `[kinds.{folder}]` with `title = \"{}\"` to attache.toml (the kinds are: {kinds})",
            title_case(folder)
        ),
    };
    Some(
        Diagnostic::warning(format!(
            "{} is ignored: `{folder}` is not a kind",
            display_path(rel)
        ))
        .in_file(rel)
        .hint(hint),
    )
}

/// The warning for a file that is not Markdown in a folder of a kind,
/// and not in a page bundle (whose files are published beside its page):
/// it would be lost without a word.
fn bundle_file(rel: &Path, config: &Config) -> Option<Diagnostic> {
    let parts: Vec<&str> = rel
        .iter()
        .skip(1)
        .map(|p| p.to_str())
        .collect::<Option<_>>()?;
    let [kind, _, ..] = parts.as_slice() else {
        return None;
    };
    config.kind(kind)?;
    let rest = parts[1..].join("/");
    Some(
        Diagnostic::warning(format!("{} is not published", display_path(rel)))
            .in_file(rel)
            .hint(format!(
                "a file in content/ is published only in a page bundle (a folder with an index.md); else move it to static/{kind}/{rest}, and it is published at /{kind}/{rest} (docs/content.md)"
            )),
    )
}

/// The warning for an intro in a language the site does not declare
/// (`_index.fr.md`, `lang` being `fr`): not a page, nor misplaced. A name
/// whose middle is no language code at all (`_index..md`, `_index.old.md`)
/// is told what an intro's name is instead.
fn undeclared_intro(path: &Path, lang: &str) -> Diagnostic {
    if !crate::config::is_valid_code(lang) {
        return Diagnostic::warning(format!(
            "{} is not read: an intro is named _index.md, or _index.<language>.md",
            display_path(path)
        ))
        .in_file(path)
        .hint("rename it _index.md, or _index.ja.md for one in Japanese once [languages.ja] is in attache.toml (docs/languages.md)");
    }
    Diagnostic::warning(format!(
        "{} is not read: `{lang}` is not a language of the site",
        display_path(path)
    ))
    .in_file(path)
    .hint(format!(
        "an intro in another language is read once the language is declared: add [languages.{lang}] to attache.toml (docs/languages.md)"
    ))
}

/// `posts` as a title: `Posts`.
fn title_case(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |first| {
        first
            .to_uppercase()
            .chain(chars)
            .collect::<String>()
            .replace(['-', '_'], " ")
    })
}
