//! What a link to a page shows where it is pasted (Teams, Slack, e-mail)
//! and what search engines read of its structure: `meta` in templates,
//! with the title, description, URL, type and picture for Open Graph and
//! Twitter cards, and the page as schema.org JSON-LD (`NewsArticle` for
//! entries, `Event` for events, `GovernmentOrganization` or
//! `Organization` for agencies, `Person`, `Country`, `WebSite` for the
//! home page, `CollectionPage` for lists).

use serde_json::{Value as Json, json};
use tera::Value;

use super::reader::Reader;
use super::targets::Target;
use super::values::{html, map, opt_str};
use crate::config::{Role, Schema};
use crate::content::page::Status;
use crate::content::pages::PageId;

/// A list page as JSON-LD.
fn collection(r: &Reader, title: &str, description: &str, url: &str) -> Json {
    let config = r.config();
    json!({
        "@type": "CollectionPage",
        "name": title,
        "description": description,
        "url": url,
        "isPartOf": { "@type": "WebSite", "name": config.title, "url": r.base_url().permalink("") },
    })
}

/// `meta` for a templated target.
///
/// Long: one arm per kind of target, each with the fields of its preview.
pub fn meta(r: &Reader, target: &Target, path: &str) -> Value {
    let config = r.config();
    let base = r.base_url();
    let url = base.permalink(path);
    let site = json!({ "@type": "Organization", "name": config.title, "url": base.permalink("") });
    let (title, description, kind, image, data) = match target {
        Target::Page(id) => {
            let page = r.page(*id);
            let image = page.fields().image.as_deref().or(config.image.as_deref());
            let kind = match r.kind(page.kind()).and_then(|k| k.role) {
                Some(Role::Entries) => "article",
                _ => "website",
            };
            // A page with no text of its own (a stub) is still described.
            let description = match page.summary() {
                "" => r.word(
                    "preview_on",
                    &[("title", page.title()), ("site", &config.title)],
                ),
                summary => summary.to_string(),
            };
            (
                page.title().to_string(),
                description,
                kind,
                image,
                page_data(r, *id, &url, &site),
            )
        }
        Target::List { kind, .. } => {
            let intro = r.intro(Some(kind));
            let k = r.kind(kind);
            let title = intro
                .and_then(|i| i.title.clone())
                .or_else(|| k.map(|k| k.title.clone()))
                .unwrap_or_default();
            let description = intro.and_then(|i| i.summary.clone()).unwrap_or_else(|| {
                r.word("preview_on", &[("title", &title), ("site", &config.title)])
            });
            let data = collection(r, &title, &description, &url);
            (title, description, "website", config.image.as_deref(), data)
        }
        Target::Mentions { page, kind, .. } => {
            let page = r.page(*page);
            let title = r.kind(kind).map_or_else(String::new, |k| {
                k.mentions_label(page.kind(), page.title(), page.name())
            });
            let description = r.word("preview_on", &[("title", &title), ("site", &config.title)]);
            let data = collection(r, &title, &description, &url);
            (title, description, "website", config.image.as_deref(), data)
        }
        _ => {
            let mut data = json!({
                "@type": "WebSite",
                "name": config.title,
                "description": config.description,
                "url": base.permalink(""),
                "inLanguage": r.lang().unwrap_or(&config.language),
            });
            if config.search.enabled {
                data["potentialAction"] = json!({
                    "@type": "SearchAction",
                    "target": {
                        "@type": "EntryPoint",
                        "urlTemplate": format!("{}?q={{search_term_string}}", base.permalink(crate::render::search::PAGE_PATH)),
                    },
                    "query-input": "required name=search_term_string",
                });
            }
            let description = if config.description.is_empty() {
                config.title.clone()
            } else {
                config.description.clone()
            };
            (
                config.title.clone(),
                description,
                "website",
                config.image.as_deref(),
                data,
            )
        }
    };
    let image = image.map(|i| absolute(r, i));
    let mut data = data;
    if let (Some(image), Json::Object(object)) = (&image, &mut data)
        && !object.contains_key("image")
        && matches!(target, Target::Page(_))
    {
        object.insert("image".into(), json!([image]));
    }
    map([
        ("title", Value::from(title)),
        ("description", Value::from(description)),
        ("url", Value::from(url)),
        ("type", Value::from(kind)),
        ("image", opt_str(image.as_deref())),
        (
            "twitter_card",
            Value::from(if image.is_some() {
                "summary_large_image"
            } else {
                "summary"
            }),
        ),
        ("json_ld", html(&json_ld(data))),
    ])
}

/// A picture named by a page: a URL as it is, a path under the site made
/// absolute.
fn absolute(r: &Reader, image: &str) -> String {
    if image.starts_with("https://") || image.starts_with("http://") {
        image.to_string()
    } else {
        r.base_url().permalink(image.trim_start_matches('/'))
    }
}

/// The JSON-LD of a page, by what its kind is.
///
/// Long: one arm per kind of page, each with its schema.org fields.
fn page_data(r: &Reader, id: PageId, url: &str, site: &Json) -> Json {
    let page = r.page(id);
    let f = page.fields();
    let kind = r.kind(page.kind());
    let date = |d: Option<&crate::content::Spanned<crate::content::date::PageDate>>| {
        d.map(|d| d.get_ref().to_string())
    };
    // In another language, the translation's words (what it does not
    // set, such as dates and references, is the page's).
    let translation = r.translation(id);
    let title = translation.map_or(page.title(), |t| t.fields.title.as_str());
    let description = translation.map_or(page.summary(), |t| t.summary());
    let language = r.lang().unwrap_or(&r.config().language);
    match (kind.and_then(|k| k.role), kind.map(|k| k.schema)) {
        (Some(Role::Entries), _) => {
            let authors: Vec<Json> = f
                .authors
                .iter()
                .map(|a| json!({ "@type": "Person", "name": a }))
                .collect();
            let about: Vec<Json> = r
                .refs(id)
                .iter()
                .map(|&t| json!({ "@type": "Thing", "name": r.page(t).title(), "url": r.base_url().permalink(&r.page(t).url_path()) }))
                .collect();
            let published = date(f.date.as_ref());
            json!({
                "@type": "NewsArticle",
                // Search engines cut headlines at 110 characters.
                "headline": crate::markdown::shorten(title, 109),
                "description": description,
                "datePublished": published,
                "dateModified": date(f.updated.as_ref()).or_else(|| published.clone()),
                "author": if authors.is_empty() { json!([site]) } else { Json::from(authors) },
                "publisher": site,
                "mainEntityOfPage": { "@type": "WebPage", "@id": url },
                "url": url,
                "about": about,
                "inLanguage": language,
            })
        }
        (Some(Role::Events), _) => {
            let status = match Status::of(f.status, f.date.as_ref().map(|d| d.get_ref())) {
                Status::Confirmed | Status::Tentative => "EventScheduled",
                Status::Postponed => "EventPostponed",
                Status::Cancelled => "EventCancelled",
            };
            let mut event = json!({
                "@type": "Event",
                "name": title,
                "description": description,
                "startDate": date(f.date.as_ref()),
                "eventStatus": format!("https://schema.org/{status}"),
                "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
                "url": url,
            });
            if let Some(end) = date(f.end.as_ref()) {
                event["endDate"] = json!(end);
            }
            if let Some(location) = &f.location {
                event["location"] =
                    json!({ "@type": "Place", "name": location, "address": location });
            }
            if !f.people.is_empty() {
                event["attendee"] = f
                    .people
                    .iter()
                    .map(|p| json!({ "@type": "Person", "name": p }))
                    .collect();
            }
            event
        }
        (_, Some(Schema::Agency)) => {
            let mut org = json!({
                "@type": if f.government { "GovernmentOrganization" } else { "Organization" },
                "name": title,
                "description": description,
                "url": url,
            });
            if let Some(short) = &f.short {
                org["alternateName"] = json!(short);
            }
            if let Some(website) = &f.website {
                org["sameAs"] = json!([website]);
            }
            if let Some(country) = &f.country {
                org["areaServed"] = json!({ "@type": "Country", "name": country });
            }
            org
        }
        (_, Some(Schema::Name)) if page.kind() == "people" => {
            json!({ "@type": "Person", "name": title, "description": description, "url": url })
        }
        (_, Some(Schema::Name)) if page.kind() == "countries" => {
            json!({ "@type": "Country", "name": title, "description": description, "url": url })
        }
        _ => {
            json!({ "@type": "WebPage", "name": title, "description": description, "url": url })
        }
    }
}

/// `data` as the text of a `<script type="application/ld+json">`: with
/// its `@context`, and nothing that would end the script early.
fn json_ld(mut data: Json) -> String {
    if let Json::Object(object) = &mut data {
        // `@context` first, as people read it.
        let mut with_context = serde_json::Map::new();
        with_context.insert("@context".into(), json!("https://schema.org"));
        with_context.append(object);
        data = Json::Object(with_context);
    }
    remove_nulls(&mut data);
    // Strings are written by serde_json; only `<` needs care in a script.
    serde_json::to_string(&data)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

/// Drops `null` members (a field the page does not have) and empty lists.
fn remove_nulls(value: &mut Json) {
    match value {
        Json::Object(object) => {
            object.retain(|_, v| !v.is_null() && !matches!(v, Json::Array(a) if a.is_empty()));
            object.values_mut().for_each(remove_nulls);
        }
        Json::Array(items) => items.iter_mut().for_each(remove_nulls),
        _ => {}
    }
}
