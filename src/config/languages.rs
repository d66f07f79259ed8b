//! `default_language` and `[languages.<code>]` in `attache.toml`: the
//! languages a site is translated into, beside its default one.
//!
//! ```toml
//! default_language = "en"
//!
//! [languages.ja]
//! name = "日本語"               # in the language switcher; the code if not given
//! title = "パキスタン・日本 貿易デスク" # the site's title in this language
//! description = "…"
//!
//! [languages.ja.kinds.briefs]   # a kind's names in this language
//! title = "ブリーフィング"
//! singular = "ブリーフィング"
//! ```

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, SourceFile};
use toml::Spanned;

/// A language the site is translated into (never the default one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// `ja`: the suffix of translation files (`jica.ja.md`) and the first
    /// part of their URLs (`/ja/agencies/jica/`).
    pub code: String,
    /// What the language switcher shows: `日本語`.
    pub name: String,
    /// The site's title and description in this language.
    pub title: String,
    pub description: String,
    /// Kinds' titles and singular names in this language, by kind.
    pub kinds: Vec<KindWords>,
}

/// A kind's names in a language (`[languages.ja.kinds.briefs]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindWords {
    #[serde(skip)]
    pub kind: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub singular: Option<String>,
    /// The backlinks heading, as `mentions` of a kind: `{title}` and
    /// `{name}` stand for the page mentioned. It is used for every kind
    /// that mentions (the kind's `mentions_by` patterns are English).
    #[serde(default)]
    pub mentions: Option<String>,
}

impl Language {
    /// `config` as templates see it in this language: the site's title and
    /// description, and the kinds' names, in this language's words.
    ///
    /// A built-in kind that `[languages.<code>.kinds]` does not name takes
    /// its names from attache's own words for the language, where it has
    /// them ([`builtin_words`]): a site gets a whole edition from
    /// `[languages.ja]` alone.
    pub fn localize(&self, config: &super::Config) -> super::Config {
        let mut config = config.clone();
        config.title = self.title.clone();
        config.description = self.description.clone();
        let builtin = config.kinds.iter().filter_map(|kind| {
            let (title, singular, mentions) = builtin_words(&self.code, &kind.name)?;
            Some(KindWords {
                kind: kind.name.clone(),
                title: Some(title.into()),
                singular: Some(singular.into()),
                mentions: Some(mentions.into()),
            })
        });
        let builtin: Vec<KindWords> = builtin.collect();
        for words in builtin.iter().chain(&self.kinds) {
            if let Some(kind) = config.kinds.iter_mut().find(|k| k.name == words.kind) {
                if let Some(title) = &words.title {
                    kind.title = title.clone();
                }
                if let Some(singular) = &words.singular {
                    kind.singular = singular.clone();
                }
                if let Some(mentions) = &words.mentions {
                    kind.mentions = mentions.clone();
                    kind.mentions_by.clear();
                }
            }
        }
        config
    }
}

/// attache's own names for built-in kind `kind` in language `code`
/// (title, singular, and the heading of what mentions a page), for the
/// languages the default theme's string tables cover besides English.
pub fn builtin_words(code: &str, kind: &str) -> Option<(&'static str, &'static str, &'static str)> {
    match (code, kind) {
        ("ja", "briefs") => Some((
            "ブリーフィング",
            "ブリーフィング",
            "{name}に言及したブリーフィング",
        )),
        ("ja", "meetings") => Some(("会合", "会合", "{name}に関する会合")),
        ("ja", "agencies") => Some(("機関", "機関", "{name}に関連する機関")),
        ("ja", "sectors") => Some(("分野", "分野", "{name}に関連する分野")),
        ("ja", "people") => Some(("人物", "人物", "{name}に関連する人物")),
        ("ja", "countries") => Some(("国", "国", "{name}に関連する国")),
        ("ja", "asks") => Some(("要請と提案", "要請・提案", "{name}に関する要請と提案")),
        _ => None,
    }
}

/// `[languages.<code>]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLanguage {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    kinds: indexmap::IndexMap<Spanned<String>, KindWords>,
}

/// What a language is called in itself, for the language switcher: a few
/// are known, the others are shown by their code.
pub fn language_name(code: &str) -> String {
    match code {
        "en" => "English",
        "ja" => "日本語",
        "ur" => "اردو",
        "zh" => "中文",
        "ko" => "한국어",
        "fr" => "Français",
        "de" => "Deutsch",
        "es" => "Español",
        "ar" => "العربية",
        other => other,
    }
    .to_string()
}

/// Whether `code` can name a language: lowercase letters (two or three),
/// then parts of letters or digits after a `-` (`pt-br`, `zh-hant`).
pub fn is_valid_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or_default();
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Checks the declared languages against the default one; returns them
/// sorted by code, and what is wrong with them.
pub fn check(
    raw: indexmap::IndexMap<Spanned<String>, RawLanguage>,
    kinds: &[super::Kind],
    default: &str,
    site_title: &str,
    site_description: &str,
    file: &SourceFile,
) -> (Vec<Language>, Vec<Diagnostic>) {
    let mut languages = Vec::new();
    let mut errors = Vec::new();
    for (code, lang) in raw {
        let span = code.span();
        let code = code.into_inner();
        if !is_valid_code(&code) {
            errors.push(
                Diagnostic::error(format!("`{code}` is not a language code"))
                    .at(file.at(span))
                    .hint("use a lowercase code such as \"ja\", \"ur\" or \"pt-br\""),
            );
            continue;
        }
        if code == default {
            errors.push(
                Diagnostic::error(format!("`{code}` is the default language"))
                    .at(file.at(span))
                    .hint("[languages] declares the other languages; the default one takes `title` and `description` from the top of attache.toml"),
            );
            continue;
        }
        let mut words = Vec::new();
        for (kind, mut w) in lang.kinds {
            let span = kind.span();
            let kind = kind.into_inner();
            if !kinds.iter().any(|k| k.name == kind) {
                let names = kinds.iter().map(|k| k.name.as_str());
                let hint = crate::diagnostic::did_you_mean(&kind, names);
                errors.push(
                    Diagnostic::error(format!("`{kind}` is not a kind of this site"))
                        .at(file.at(span))
                        .maybe_hint(hint),
                );
                continue;
            }
            w.kind = kind;
            words.push(w);
        }
        languages.push(Language {
            kinds: words,
            name: lang.name.unwrap_or_else(|| language_name(&code)),
            title: lang.title.unwrap_or_else(|| site_title.to_string()),
            description: lang
                .description
                .unwrap_or_else(|| site_description.to_string()),
            code,
        });
    }
    languages.sort_by(|a, b| a.code.cmp(&b.code));
    (languages, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes() {
        for good in ["ja", "ur", "en", "fil", "pt-br", "zh-hant"] {
            assert!(is_valid_code(good), "{good}");
        }
        for bad in ["", "j", "JA", "japanese", "ja_", "ja-", "../x", "ja/x"] {
            assert!(!is_valid_code(bad), "{bad}");
        }
    }
}
