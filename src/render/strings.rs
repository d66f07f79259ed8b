//! The theme's own words in each language: `templates/strings/<lang>.toml`
//! of the theme (English and Japanese ship with the default one), which a
//! site replaces file by file in its own `templates/strings/`, as it
//! replaces any template. Templates say `{{ trans(key="upcoming") }}`;
//! the `date` filter takes its default formats from the same table.
//!
//! A key is looked up in the table of the render's language, then in the
//! default language's, then in English: a table that lacks a key (a site's
//! new language, say) shows the English word rather than failing.
//!
//! ```toml
//! # templates/strings/ja.toml
//! upcoming = "今後の予定"
//! date_day = "%Y年%-m月%-d日"
//! ```

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;

use super::templates::TemplateSources;

/// Where string tables are among the templates: `strings/ja.toml`.
pub const STRINGS_PREFIX: &str = "strings/";
const SUFFIX: &str = ".toml";

/// The language every lookup falls back to last.
const FALLBACK: &str = "en";

/// Whether template `name` is a string table rather than a template.
pub fn is_table(name: &str) -> bool {
    name.starts_with(STRINGS_PREFIX) && name.ends_with(SUFFIX)
}

/// The template name of the table of `lang`.
pub fn table_name(lang: &str) -> String {
    format!("{STRINGS_PREFIX}{lang}{SUFFIX}")
}

/// Every string table, by language.
#[derive(Debug, Default)]
pub struct Strings {
    tables: BTreeMap<String, BTreeMap<String, String>>,
}

impl Strings {
    /// Parses the tables among `sources`; a table that is not a TOML
    /// table of strings is an error at the offending place.
    pub fn load(sources: &TemplateSources) -> (Strings, Vec<Diagnostic>) {
        let mut strings = Strings::default();
        let mut problems = Vec::new();
        for (name, file) in sources.files.iter().filter(|(n, _)| is_table(n)) {
            let lang = &name[STRINGS_PREFIX.len()..name.len() - SUFFIX.len()];
            match toml::from_str::<BTreeMap<String, String>>(&file.text) {
                Ok(table) => {
                    strings.tables.insert(lang.to_string(), table);
                }
                Err(e) => {
                    let d = Diagnostic::error(format!("invalid string table: {}", e.message()))
                        .hint("a string table is `key = \"words\"` lines, one per string");
                    problems.push(match e.span() {
                        Some(span) => d.at(file.at(span)),
                        None => d.in_file(file.path.clone()),
                    });
                }
            }
        }
        (strings, problems)
    }

    /// `key` in `lang`, else in `default` (the site's default language),
    /// else in English.
    pub fn get(&self, lang: &str, default: &str, key: &str) -> Option<&str> {
        [lang, default, FALLBACK]
            .into_iter()
            .find_map(|l| self.tables.get(l)?.get(key))
            .map(String::as_str)
    }

    /// What to say of a `key` that [`Strings::get`] did not find for
    /// `lang`: which tables have it, or the nearest key.
    pub fn missing(&self, key: &str, lang: &str) -> String {
        let having: Vec<&str> = self
            .tables
            .iter()
            .filter(|(_, t)| t.contains_key(key))
            .map(|(l, _)| l.as_str())
            .collect();
        if !having.is_empty() {
            let tables: Vec<String> = having.iter().map(|l| table_name(l)).collect();
            let verb = if tables.len() == 1 { "has" } else { "have" };
            return format!(
                "no string `{key}` for `{lang}`: only {} {verb} it; add it to templates/strings/{lang}.toml, or to the default language's or the English table",
                tables.join(", ")
            );
        }
        let mut keys: Vec<&str> = self
            .tables
            .values()
            .flat_map(|t| t.keys().map(String::as_str))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let hint = crate::diagnostic::did_you_mean(key, keys).unwrap_or_default();
        format!("no string `{key}` in the theme's string tables {hint}")
    }
}

/// The tables a render in `lang` may read, in lookup order: what it
/// records, so that a table added or edited later renders it again.
pub fn tables_read(lang: &str, default: &str) -> [String; 3] {
    [lang, default, FALLBACK].map(table_name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::templates::sources;

    #[test]
    fn a_key_falls_back_to_the_default_language_then_english() {
        let (strings, problems) = Strings::load(&sources(&[
            (
                "strings/en.toml",
                "upcoming = \"Upcoming\"\nsearch = \"Search\"\nnext = \"Next\"",
            ),
            (
                "strings/ja.toml",
                "upcoming = \"今後の予定\"\nonly_ja = \"日本語だけ\"",
            ),
            ("strings/fr.toml", "search = \"Recherche\""),
            ("page.html", "not a table"),
        ]));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(strings.get("ja", "en", "upcoming"), Some("今後の予定"));
        assert_eq!(strings.get("ja", "fr", "search"), Some("Recherche"));
        assert_eq!(strings.get("ja", "en", "next"), Some("Next"));
        assert_eq!(strings.get("ja", "en", "nope"), None);
        // A key only another language has: say which, not "did you mean".
        assert_eq!(strings.get("fr", "en", "only_ja"), None);
        let said = strings.missing("only_ja", "fr");
        assert!(said.contains("only strings/ja.toml has it"), "{said}");
        let said = strings.missing("upcomming", "ja");
        assert!(said.contains("`upcoming`"), "{said}");
    }

    #[test]
    fn a_bad_table_is_an_error_at_its_place() {
        let (_, problems) = Strings::load(&sources(&[("strings/ja.toml", "a = \"x\"\nb = 3\n")]));
        assert_eq!(problems.len(), 1);
        let d = &problems[0];
        assert!(d.message.contains("invalid string table"), "{d:?}");
        assert_eq!(
            d.position().as_deref(),
            Some("templates/strings/ja.toml:2:5")
        );
    }
}
