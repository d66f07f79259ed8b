//! `attache new`: a page with front matter for its kind, the references
//! given on the command line checked against the site as it is.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::create;
use crate::config::{Config, Schema};
use crate::content::CONTENT_DIR;
use crate::content::date::PageDate;
use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::link::resolve::{Found, Resolver, Written};
use crate::site::{Site, SiteOptions};
use crate::urls::{is_valid_slug, slugify};

/// What `attache new` was asked for.
#[derive(Debug, Clone, Default)]
pub struct NewPage {
    pub kind: String,
    pub title: String,
    /// The file name and URL; by default from the title.
    pub slug: Option<String>,
    /// As front matter writes it: `2025-07-17`, `"2025-12"`, or with a time.
    pub date: Option<String>,
    pub summary: Option<String>,
    /// References by kind, in the order given: `("agencies", ["jica"])`.
    pub refs: Vec<(String, Vec<String>)>,
}

/// The references each kind's template lists (commented out) when none
/// are given.
fn usual_refs(schema: Schema) -> &'static [&'static str] {
    match schema {
        Schema::Brief => &["agencies", "sectors", "meetings", "countries"],
        Schema::Meeting => &["people", "agencies", "sectors", "briefs"],
        Schema::Name => &["agencies", "countries"],
        _ => &[],
    }
}

/// Creates `content/<kind>/<slug>.md`. Every problem with the request
/// (an unknown kind, a bad slug or date, references to pages the site
/// does not have) is returned at once, and then nothing is written.
pub fn new_page(root: &Path, request: &NewPage, today: Date) -> Result<PathBuf, Diagnostics> {
    let one = |d: Diagnostic| Diagnostics::from(vec![d]);
    let config = Config::load(root)?;
    let Some(kind) = config.kind(&request.kind) else {
        let hint = did_you_mean(&request.kind, config.kind_names()).unwrap_or_else(|| {
            format!(
                "the kinds are: {}",
                config.kind_names().collect::<Vec<_>>().join(", ")
            )
        });
        return Err(one(Diagnostic::error(format!(
            "`{}` is not a kind",
            request.kind
        ))
        .hint(hint)));
    };
    if kind.schema == Schema::Item {
        return Err(one(
            Diagnostic::error(format!("`{}` pages are not written as files", kind.name))
                .hint("an ask or offer is an [[asks]] or [[offers]] table in a brief's or meeting's front matter (docs/content.md)"),
        ));
    }
    let mut problems = Vec::new();
    let slug = match &request.slug {
        Some(slug) if !is_valid_slug(slug) => {
            problems.push(
                Diagnostic::error(format!("`{slug}` cannot be a slug")).hint(format!(
                    "use lowercase letters, digits and `-`, such as `{}`",
                    slugify(slug)
                )),
            );
            String::new()
        }
        Some(slug) => slug.clone(),
        // "Kamal's visit" is `kamals-visit`, not `kamal-s-visit`.
        None => slugify(&request.title.replace(['\'', '’'], "")),
    };
    if slug.is_empty() && request.slug.is_none() {
        problems.push(
            Diagnostic::error("the title gives an empty slug")
                .hint("use a title with letters or digits, or give one with --slug"),
        );
    }
    let date = match &request.date {
        Some(text) => match PageDate::parse(text) {
            Ok(date) => Some(date),
            Err(why) => {
                problems.push(Diagnostic::error(format!("bad --date: {why}")));
                None
            }
        },
        None => None,
    };
    problems.extend(check_refs(root, &config, &request.refs));
    if !problems.is_empty() {
        return Err(problems.into());
    }

    let rel = PathBuf::from(CONTENT_DIR)
        .join(&kind.name)
        .join(format!("{slug}.md"));
    let text = front_matter(request, kind, date, today);
    create(root, &rel, &text).map_err(one)?;
    Ok(rel)
}

/// The commented `end` a new meeting suggests: an hour after its start,
/// which uncommented is right as it stands. A meeting known to its month
/// only has no end to suggest (its day and time are not set).
fn end_line(date: Option<PageDate>, today: Date) -> String {
    match date {
        Some(PageDate::Month(_)) => String::new(),
        Some(PageDate::Instant { local, offset }) => {
            let end = local
                .checked_add(jiff::SignedDuration::from_hours(1))
                .unwrap_or(local);
            let end = PageDate::Instant { local: end, offset };
            format!("# end = {end}\n")
        }
        Some(PageDate::Day(day)) => format!("# end = {}\n", day.strftime("%Y-%m-%d")),
        None => format!("# end = {}T11:00:00+00:00\n", today.strftime("%Y-%m-%d")),
    }
}

/// A TOML string, quoted and escaped.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn front_matter(
    request: &NewPage,
    kind: &crate::config::Kind,
    date: Option<PageDate>,
    today: Date,
) -> String {
    let day = today.strftime("%Y-%m-%d");
    let mut text = format!("+++\ntitle = {}\n", quoted(&request.title));
    let date_line = |date: PageDate| match date {
        PageDate::Month(_) => format!("date = \"{date}\"\n"),
        other => format!("date = {other}\n"),
    };
    match (kind.schema, date) {
        (_, Some(date)) => text.push_str(&date_line(date)),
        (Schema::Meeting, None) => text.push_str(&format!("date = {day}T10:00:00+00:00\n")),
        (_, None) if kind.date_required => text.push_str(&format!("date = {day}\n")),
        _ => {}
    }
    match &request.summary {
        Some(summary) => text.push_str(&format!("summary = {}\n", quoted(summary))),
        None if matches!(kind.schema, Schema::Brief | Schema::Meeting) => {
            text.push_str("# summary = \"One or two sentences for lists and feeds.\"\n")
        }
        None => {}
    }
    match kind.schema {
        Schema::Brief => text.push_str("# location = \"Tokyo\"\n# authors = []\n"),
        Schema::Meeting => {
            text.push_str(&end_line(date, today));
            text.push_str("# location = \"\"\n# status = \"tentative\"\n");
        }
        Schema::Agency => {
            text.push_str("# short = \"\"\n# website = \"https://\"\n");
            if !request.refs.iter().any(|(k, _)| k == "countries") {
                text.push_str("# country = \"\"\n");
            }
        }
        Schema::Sector => text.push_str("# parent = \"\"\n"),
        Schema::Name | Schema::Generic | Schema::Item => {}
    }
    for (refs_kind, names) in &request.refs {
        // An agency has one country.
        if kind.schema == Schema::Agency && refs_kind == "countries" && names.len() == 1 {
            text.push_str(&format!("country = {}\n", quoted(&names[0])));
            continue;
        }
        let list: Vec<String> = names.iter().map(|n| quoted(n)).collect();
        text.push_str(&format!("{refs_kind} = [{}]\n", list.join(", ")));
    }
    for usual in usual_refs(kind.schema) {
        if !request.refs.iter().any(|(k, _)| k == usual) {
            text.push_str(&format!("# {usual} = []\n"));
        }
    }
    text.push_str("+++\n\n");
    text
}

/// Checks each reference against the site: a page of that kind must
/// exist (or be one a kind with stubs makes from the name).
fn check_refs(root: &Path, config: &Config, refs: &[(String, Vec<String>)]) -> Vec<Diagnostic> {
    if refs.is_empty() {
        return Vec::new();
    }
    let mut problems = Vec::new();
    for (kind, _) in refs {
        if config.kind(kind).is_none() {
            let hint = did_you_mean(kind, config.kind_names()).unwrap_or_else(|| {
                format!(
                    "the kinds are: {}",
                    config.kind_names().collect::<Vec<_>>().join(", ")
                )
            });
            problems.push(Diagnostic::error(format!("`{kind}` is not a kind")).hint(hint));
        }
    }
    if !problems.is_empty() {
        return problems;
    }
    // The site as it is now: its problems are for `attache check`.
    let site = match Site::load(&SiteOptions::new(root)) {
        Ok((site, _)) => site,
        Err(errors) => return errors.into_iter().collect(),
    };
    let resolver = Resolver {
        pages: &site.pages,
        config: &site.config,
        unpublished: &site.unpublished,
    };
    for (kind, names) in refs {
        let Some(k) = config.kind(kind) else { continue };
        let singular = k.singular.to_lowercase();
        for name in names {
            match resolver.find(kind, name, Written::Reference) {
                Found::Page(_) | Found::Stub(_) => {}
                Found::Draft(path) => problems.push(
                    Diagnostic::error(format!("--{kind}: {singular} `{name}` is a draft"))
                        .hint(format!("publish {} first, or leave it out", path.display())),
                ),
                Found::Failed => problems.push(
                    Diagnostic::error(format!(
                        "--{kind}: the file of {singular} `{name}` has errors"
                    ))
                    .hint("run `attache check` to see them"),
                ),
                Found::NoKind | Found::Nothing => {
                    let hint = did_you_mean(name, site.pages.slugs_of(kind)).unwrap_or_else(|| {
                        format!("create content/{kind}/{name}.md first, or leave it out")
                    });
                    problems.push(
                        Diagnostic::error(format!("--{kind}: no {singular} `{name}`")).hint(hint),
                    );
                }
            }
        }
    }
    problems
}
