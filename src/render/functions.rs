//! Functions and filters for templates: `get_page`, `get_pages`, `url`,
//! `trans`, and the `date` filter.

use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use super::reader::Reader;
use super::scope;
use super::strings::{self, Strings};
use crate::content::date::PageDate;
use crate::diagnostic::did_you_mean;
use crate::markdown::parse_internal;

/// The error for a page `name` of `kind` that is not there.
fn no_page(r: &Reader, kind: &str, name: &str) -> Error {
    if r.kind(kind).is_none() {
        let names: Vec<&str> = r.config().kind_names().collect();
        let hint = did_you_mean(kind, names).unwrap_or_default();
        return Error::message(format!("`{kind}` is not a kind {hint}"));
    }
    let hint = did_you_mean(name, r.slugs(kind)).unwrap_or_default();
    Error::message(format!("there is no page `{name}` of kind `{kind}` {hint}"))
}

/// Registers the functions and filters on `tera`. They read the site
/// through the reader of the render that calls them, which records it;
/// `trans` and `date` find words and formats in `strings`.
pub fn register(tera: &mut Tera, strings: std::sync::Arc<Strings>) {
    tera.register_function(
        "get_page",
        |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            scope::check()?;
            let kind = kwargs.must_get::<&str>("kind")?;
            let slug = kwargs.must_get::<&str>("slug")?;
            scope::with_reader(|r| match r.find(kind, slug) {
                Some(id) => Ok(r.summary(id)),
                None => Err(no_page(r, kind, slug)),
            })
        },
    );
    tera.register_function(
        "get_pages",
        |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            scope::check()?;
            let kind = kwargs.must_get::<&str>("kind")?;
            scope::with_reader(|r| {
                r.kind_summaries(kind).ok_or_else(|| {
                    let names: Vec<&str> = r.config().kind_names().collect();
                    let hint = did_you_mean(kind, names).unwrap_or_default();
                    Error::message(format!("`{kind}` is not a kind {hint}"))
                })
            })
        },
    );
    tera.register_function(
        "file_exists",
        |kwargs: Kwargs, _: &State| -> TeraResult<bool> {
            scope::check()?;
            let path = kwargs.must_get::<&str>("path")?;
            scope::with_reader(|r| Ok(r.has_file(path)))
        },
    );
    tera.register_function("url", |kwargs: Kwargs, _: &State| -> TeraResult<String> {
        scope::check()?;
        let path = kwargs.must_get::<&str>("path")?;
        let absolute = kwargs.get::<bool>("absolute")?.unwrap_or(false);
        scope::with_reader(|r| url(r, path, absolute))
    });
    let words = strings.clone();
    tera.register_function(
        "trans",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            scope::check()?;
            let key = kwargs.must_get::<&str>("key")?;
            let lang = kwargs.get::<&str>("lang")?;
            scope::with_reader(|r| {
                let (current, default) = r.string_languages();
                words
                    .get(lang.unwrap_or(current), default, key)
                    .map(str::to_string)
                    .ok_or_else(|| Error::message(words.missing(key, lang.unwrap_or(current))))
            })
        },
    );
    tera.register_filter(
        "date",
        move |value: &str, kwargs: Kwargs, state: &State| -> TeraResult<String> {
            date_filter(value, kwargs, state, &strings)
        },
    );
    tera.register_function("range", scope::range);
}

fn url(r: &Reader, path: &str, absolute: bool) -> TeraResult<String> {
    if path.starts_with("http://") || path.starts_with("https://") || path.starts_with("mailto:") {
        return Ok(path.to_string());
    }
    let base = r.base_url();
    if let Some((kind, name, anchor)) = parse_internal(path) {
        let id = r
            .find(&kind, &name)
            .ok_or_else(|| no_page(r, &kind, &name))?;
        let page = r.page(id);
        let rel = page.url_path();
        let mut out = if absolute {
            base.permalink(&rel)
        } else {
            base.link(&rel)
        };
        if let Some(anchor) = anchor {
            out.push('#');
            out.push_str(&anchor);
        }
        return Ok(out);
    }
    Ok(if absolute {
        base.permalink(path)
    } else {
        base.link(path)
    })
}

/// `{{ page.date | date(format="%-d %B %Y") }}`: formats a page date in
/// the offset it was written in, or in UTC with `utc=true`. Without a
/// format, the render's language says how (`date_month`, `date_day` and
/// `date_time` in its string table).
fn date_filter(value: &str, kwargs: Kwargs, _: &State, strings: &Strings) -> TeraResult<String> {
    scope::check()?;
    let date = PageDate::parse(value).map_err(Error::message)?;
    let utc = kwargs.get::<bool>("utc")?.unwrap_or(false);
    let (key, english) = match date {
        PageDate::Month(_) => ("date_month", "%B %Y"),
        PageDate::Day(_) => ("date_day", "%-d %B %Y"),
        PageDate::Instant { .. } => ("date_time", "%-d %B %Y, %H:%M"),
    };
    let given = kwargs.get::<&str>("format")?;
    // The language's format and month names; outside a render of the
    // site (a unit test), English.
    let (language, months) = scope::with_reader(|r| {
        let (lang, default) = r.string_languages();
        let format = strings.get(lang, default, key).map(str::to_string);
        let months = [false, true].map(|short| strings.months(lang, default, short));
        Ok((format, Some(months)))
    })
    .unwrap_or((None, None));
    let format = given.or(language.as_deref()).unwrap_or(english);
    let named = |month: i8| match &months {
        Some([long, short]) => {
            strings::with_month_names(format, long, short, (month - 1).max(0) as usize)
        }
        None => std::borrow::Cow::Borrowed(format),
    };
    let result = match date {
        // A month formats as its first day; `%B %Y` shows it as a month.
        PageDate::Day(d) | PageDate::Month(d) => {
            jiff::fmt::strtime::format(named(d.month()).as_ref(), d)
        }
        PageDate::Instant { local, offset } => {
            let tz = if utc {
                jiff::tz::TimeZone::UTC
            } else {
                jiff::tz::TimeZone::fixed(offset)
            };
            match offset.to_timestamp(local) {
                Ok(ts) => {
                    let zoned = ts.to_zoned_datetime(tz);
                    jiff::fmt::strtime::format(named(zoned.month()).as_ref(), &zoned)
                }
                Err(e) => return Err(Error::message(e.to_string())),
            }
        }
    };
    result.map_err(|e| Error::message(format!("date: bad format `{format}`: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tera::Context;

    fn render(template: &str) -> TeraResult<String> {
        let mut tera = Tera::new();
        register(&mut tera, Default::default());
        tera.add_raw_template("t.html", template)?;
        tera.render("t.html", &Context::new())
    }

    #[test]
    fn dates_format_in_their_own_offset_or_utc() {
        assert_eq!(
            render(r#"{{ "2025-06-10" | date }}"#).unwrap(),
            "10 June 2025"
        );
        assert_eq!(
            render(r#"{{ "2025-06-10T10:00:00+09:00" | date(format="%H:%M %:z") }}"#).unwrap(),
            "10:00 +09:00"
        );
        assert_eq!(
            render(r#"{{ "2025-06-10T10:00:00+09:00" | date(format="%H:%M", utc=true) }}"#)
                .unwrap(),
            "01:00"
        );
    }

    #[test]
    fn bad_dates_and_formats_are_errors_not_panics() {
        assert!(render(r#"{{ "soon" | date }}"#).is_err());
        assert!(render(r#"{{ "2025-06-10" | date(format="%Q") }}"#).is_err());
    }
}
