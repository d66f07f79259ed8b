//! Functions and filters for templates: `get_page`, `get_pages`, `url`,
//! and the `date` filter.

use std::collections::HashMap;
use std::sync::Arc;

use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use super::data::SiteData;
use super::scope;
use crate::content::date::PageDate;
use crate::diagnostic::did_you_mean;
use crate::markdown::parse_internal;
use crate::site::Site;
use crate::urls::BaseUrl;

/// What the functions look pages up in; rebuilt with each build.
#[derive(Debug, Default)]
pub struct Lookup {
    /// `(kind, slug)` → page summary.
    pages: HashMap<(String, String), Value>,
    /// `(kind, file stem)` → slug, for `url(path="@/kind/stem.md")`.
    stems: HashMap<(String, String), String>,
    kinds: HashMap<String, Value>,
    kind_names: Vec<String>,
    base: Option<BaseUrl>,
}

impl Lookup {
    pub fn new(site: &Site, data: &SiteData) -> Lookup {
        let mut lookup = Lookup {
            kinds: data.kind_lists.clone(),
            kind_names: site.config.kind_names().map(String::from).collect(),
            base: Some(site.base_url().clone()),
            ..Lookup::default()
        };
        for (id, page) in site.pages.iter() {
            let kind = page.kind().to_string();
            lookup
                .pages
                .insert((kind.clone(), page.slug().to_string()), data.summary(id));
            lookup
                .stems
                .insert((kind, page.stem.clone()), page.slug().to_string());
        }
        lookup
    }

    fn page(&self, kind: &str, name: &str) -> TeraResult<&Value> {
        if !self.kinds.contains_key(kind) {
            let hint =
                did_you_mean(kind, self.kind_names.iter().map(String::as_str)).unwrap_or_default();
            return Err(Error::message(format!("`{kind}` is not a kind {hint}")));
        }
        let slug = self
            .stems
            .get(&(kind.to_string(), name.to_string()))
            .map_or(name, String::as_str);
        self.pages
            .get(&(kind.to_string(), slug.to_string()))
            .ok_or_else(|| {
                let slugs = self
                    .pages
                    .keys()
                    .filter(|(k, _)| k == kind)
                    .map(|(_, s)| s.as_str());
                let hint = did_you_mean(name, slugs).unwrap_or_default();
                Error::message(format!("there is no page `{name}` of kind `{kind}` {hint}"))
            })
    }
}

/// Registers the functions and filters on `tera`, looking pages up in `lookup`.
pub fn register(tera: &mut Tera, lookup: Arc<Lookup>) {
    let l = lookup.clone();
    tera.register_function(
        "get_page",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            scope::check()?;
            let kind = kwargs.must_get::<&str>("kind")?;
            let slug = kwargs.must_get::<&str>("slug")?;
            l.page(kind, slug).cloned()
        },
    );
    let l = lookup.clone();
    tera.register_function(
        "get_pages",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            scope::check()?;
            let kind = kwargs.must_get::<&str>("kind")?;
            l.kinds.get(kind).cloned().ok_or_else(|| {
                let hint =
                    did_you_mean(kind, l.kind_names.iter().map(String::as_str)).unwrap_or_default();
                Error::message(format!("`{kind}` is not a kind {hint}"))
            })
        },
    );
    let l = lookup;
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            scope::check()?;
            let path = kwargs.must_get::<&str>("path")?;
            let absolute = kwargs.get::<bool>("absolute")?.unwrap_or(false);
            url(&l, path, absolute)
        },
    );
    tera.register_filter("date", date_filter);
    tera.register_function("range", scope::range);
}

fn url(lookup: &Lookup, path: &str, absolute: bool) -> TeraResult<String> {
    let Some(base) = &lookup.base else {
        return Ok(path.to_string());
    };
    if path.starts_with("http://") || path.starts_with("https://") || path.starts_with("mailto:") {
        return Ok(path.to_string());
    }
    if let Some((kind, name, anchor)) = parse_internal(path) {
        let page = lookup.page(&kind, &name)?;
        let key = if absolute { "permalink" } else { "url" };
        let mut out = page
            .get_from_path(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
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
/// the offset it was written in, or in UTC with `utc=true`.
fn date_filter(value: &str, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    scope::check()?;
    let date = PageDate::parse(value).map_err(Error::message)?;
    let utc = kwargs.get::<bool>("utc")?.unwrap_or(false);
    let default = if date.is_day() {
        "%-d %B %Y"
    } else {
        "%-d %B %Y, %H:%M"
    };
    let format = kwargs.get::<&str>("format")?.unwrap_or(default);
    let result = match date {
        PageDate::Day(d) => jiff::fmt::strtime::format(format, d),
        PageDate::Instant { local, offset } => {
            let tz = if utc {
                jiff::tz::TimeZone::UTC
            } else {
                jiff::tz::TimeZone::fixed(offset)
            };
            match offset.to_timestamp(local) {
                Ok(ts) => jiff::fmt::strtime::format(format, &ts.to_zoned_datetime(tz)),
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
        register(&mut tera, Arc::new(Lookup::default()));
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
