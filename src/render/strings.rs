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
    /// Each table's month names (`months`, `months_short`), split once:
    /// every date of every page asks for them.
    months: BTreeMap<String, [Option<Vec<String>>; 2]>,
}

/// A table's `months` and `months_short` as lists of twelve names.
fn month_lists(table: &BTreeMap<String, String>) -> [Option<Vec<String>>; 2] {
    ["months", "months_short"].map(|key| {
        let names: Vec<String> = table
            .get(key)?
            .split(',')
            .map(|n| n.trim().to_string())
            .collect();
        (names.len() == 12).then_some(names)
    })
}

impl Strings {
    /// Parses the tables among `sources`; a table that is not a TOML
    /// table of strings is an error at the offending place.
    pub fn load(sources: &TemplateSources) -> (Strings, Vec<Diagnostic>) {
        let mut strings = Strings::default();
        let mut problems = Vec::new();
        for (name, file) in sources.files.iter().filter(|(n, _)| is_table(n)) {
            let lang = &name[STRINGS_PREFIX.len()..name.len() - SUFFIX.len()];
            match toml::from_str::<BTreeMap<String, String>>(file.text()) {
                Ok(table) => {
                    strings.months.insert(lang.to_string(), month_lists(&table));
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
        match hint.is_empty() {
            true => format!("no string `{key}` in the theme's string tables"),
            false => format!("no string `{key}` in the theme's string tables; {hint}"),
        }
    }
}

impl Strings {
    /// `key` as [`Strings::get`] finds it, else in the default theme's
    /// English table (a site's own `en.toml` may lack words attache
    /// writes itself, which cannot fail), else the key itself.
    pub fn word<'a>(&'a self, lang: &str, default: &str, key: &'a str) -> &'a str {
        self.get(lang, default, key)
            .or_else(|| builtin().get(key).map(String::as_str))
            .unwrap_or(key)
    }

    /// The twelve month names of `lang` (`months`, or `months_short`
    /// abbreviated): a table's list of another length is passed over.
    pub fn months(&self, lang: &str, default: &str, short: bool) -> &[String] {
        let n = usize::from(short);
        [lang, default, FALLBACK]
            .into_iter()
            .find_map(|l| self.months.get(l)?[n].as_deref())
            .or_else(|| builtin_months()[n].as_deref())
            .unwrap_or_default()
    }
}

/// The month names of the built-in English table.
fn builtin_months() -> &'static [Option<Vec<String>>; 2] {
    static MONTHS: std::sync::OnceLock<[Option<Vec<String>>; 2]> = std::sync::OnceLock::new();
    MONTHS.get_or_init(|| month_lists(builtin()))
}

/// The default theme's English table, built into attache: the last word
/// on what a key says.
fn builtin() -> &'static BTreeMap<String, String> {
    static TABLE: std::sync::OnceLock<BTreeMap<String, String>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        crate::theme::FILES
            .iter()
            .find(|f| f.path == "templates/strings/en.toml")
            .and_then(|f| std::str::from_utf8(f.bytes).ok())
            .and_then(|text| toml::from_str(text).ok())
            .unwrap_or_default()
    })
}

/// `text` with each `{name}` of `fill` replaced by its value, in one
/// pass (a value that holds braces is left as it is); other braces stay.
pub fn fill(text: &str, fill: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            fill.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `format` (strftime) with its month names (`%B`, and `%b` or `%h`
/// abbreviated) written out from `long` and `short` for month `month0`
/// (0 for January): the formatter knows only English ones. Names are
/// escaped so that it takes them as they are.
pub fn with_month_names<'a>(
    format: &'a str,
    long: &[String],
    short: &[String],
    month0: usize,
) -> std::borrow::Cow<'a, str> {
    if !["%B", "%b", "%h"].iter().any(|code| format.contains(code)) {
        return std::borrow::Cow::Borrowed(format);
    }
    let name = |names: &[String]| names.get(month0).map(|n| n.replace('%', "%%"));
    let mut out = String::with_capacity(format.len() + 16);
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let next = chars.next();
        let written = match next {
            Some('B') => name(long),
            Some('b' | 'h') => name(short),
            _ => None,
        };
        match (written, next) {
            (Some(n), _) => out.push_str(&n),
            (None, Some(other)) => {
                out.push('%');
                out.push(other);
            }
            (None, None) => out.push('%'),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The tables a render in `lang` may read, in lookup order: what it
/// records, so that a table added or edited later renders it again.
pub fn tables_read(lang: &str, default: &str) -> [String; 3] {
    [lang, default, FALLBACK].map(table_name)
}

/// For each language of `site` besides its default one, the words of the
/// theme (the keys of its English table) that the language's table lacks,
/// which its pages show in English: what `attache check --translations`
/// lists. A language with no table lacks every word.
pub fn lacking_words(site: &crate::site::Site) -> Vec<(String, Vec<String>)> {
    let (sources, _) = TemplateSources::load(&site.boundary, &site.config.theme);
    let (strings, _) = Strings::load(&sources);
    let english = strings.tables.get(FALLBACK);
    site.config
        .languages
        .iter()
        .map(|l| {
            let table = strings.tables.get(&l.code);
            let lacking = (english.into_iter().flat_map(|t| t.keys()))
                .filter(|key| table.is_none_or(|t| !t.contains_key(*key)))
                .cloned()
                .collect();
            (l.code.clone(), lacking)
        })
        .collect()
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
    fn words_fill_their_places_and_fall_back_to_the_builtin_table() {
        let (strings, _) = Strings::load(&sources(&[(
            "strings/ja.toml",
            "feed_on = \"{name}の{kind}\"\nmonths = \"1月,2月\"",
        )]));
        let on = strings.word("ja", "en", "feed_on");
        assert_eq!(
            fill(on, &[("kind", "会合"), ("name", "{JICA}")]),
            "{JICA}の会合"
        );
        // No English table among the sources: the built-in one answers.
        assert_eq!(strings.word("en", "en", "feed_on"), "{kind} on {name}");
        assert_eq!(strings.word("en", "en", "no_such_word"), "no_such_word");
        assert_eq!(fill("{a} {b} {a}", &[("a", "1")]), "1 {b} 1");
        // Two names are not twelve: the English ones stand.
        assert_eq!(strings.months("ja", "en", false)[1], "February");
        assert_eq!(strings.months("en", "en", true)[11], "Dec");
    }

    #[test]
    fn month_names_are_written_into_date_formats() {
        let long: Vec<String> = (1..=12).map(|m| format!("{m}月")).collect();
        let short: Vec<String> = (1..=12).map(|m| format!("m{m}")).collect();
        assert_eq!(
            with_month_names("%-d %B %Y (%b, %h) 100%% %", &long, &short, 5),
            "%-d 6月 %Y (m6, m6) 100%% %"
        );
        let odd = vec!["50%".to_string(); 12];
        assert_eq!(with_month_names("%B", &odd, &[], 0), "50%%");
        assert_eq!(with_month_names("%b", &[], &[], 0), "%b");
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
