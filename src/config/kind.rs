//! Kinds of page: built-in ones (briefs, meetings, agencies, sectors) and
//! those a site declares under `[kinds.<name>]`.

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

/// Which fields a kind's front matter has beyond the common ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Schema {
    Brief,
    Meeting,
    Agency,
    Sector,
    /// People and countries: pages named by the references to them
    /// ("Jam Kamal", "Japan"), most of them stubs. Only the common fields.
    Name,
    /// Asks and offers: pages made from the `[[asks]]` and `[[offers]]`
    /// of briefs and meetings, never written as files.
    Item,
    /// Any kind a site declares: only the common fields.
    Generic,
}

/// What a kind's pages are to the site, beyond pages: the decisions that
/// depend on it (feeds, calendars, the home page) look for the role, never
/// for a kind's name, so a site may call its kinds what it likes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Dated articles: the site feed, the feed of each page of a kind with
    /// `feed = true`, the home page's latest (briefs by default).
    Entries,
    /// Dated events: the calendars, "Add to calendar", the home page's
    /// upcoming (meetings by default).
    Events,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Newest first.
    Date,
    /// Alphabetical.
    Title,
}

/// How a list by date is paged (`pagination`; see `crate::urls::ListPage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pagination {
    /// The newest entries at the list's URL, full pages counted from the
    /// oldest (`archive/1/`): a full page keeps its entries.
    #[default]
    Archive,
    /// Pages counted from the newest (`page/2/`), as in Zola and Hugo:
    /// every page changes with each new entry.
    NewestFirst,
}

/// What each kind takes from the top of `attache.toml` unless its own
/// table says otherwise.
#[derive(Debug, Clone, Copy)]
pub(super) struct Paging {
    pub paginate_by: usize,
    pub pagination: Pagination,
}

/// A kind of page: its folder under `content/`, its labels and rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Kind {
    /// Folder name and URL segment: `briefs`.
    pub name: String,
    /// Plural label: "Briefings".
    pub title: String,
    /// Singular label: "Briefing".
    pub singular: String,
    pub schema: Schema,
    /// At most one kind holds each role.
    pub role: Option<Role>,
    pub sort_by: SortBy,
    pub date_required: bool,
    pub paginate_by: usize,
    pub pagination: Pagination,
    /// Unknown slugs of this kind create stub pages instead of errors.
    pub stubs: bool,
    /// Each stub made gets a warning (off for people and countries, which
    /// are mostly named, not written about).
    pub stub_warnings: bool,
    /// How much a shared reference to a page of this kind makes two pages
    /// related, unless `[related.weights]` says.
    pub related_weight: f64,
    /// Pages of this kind may name a `parent` of the same kind.
    pub tree: bool,
    /// Heading of the backlinks from this kind: "Briefings mentioning {name}".
    pub mentions: String,
    /// Overrides of `mentions` by the kind of the page linked to.
    pub mentions_by: IndexMap<String, String>,
    /// Each page has an Atom feed of the briefings that mention it.
    pub feed: bool,
    /// Each page has a calendar of the meetings that mention it.
    pub calendar: bool,
}

impl Kind {
    /// Whether its list, and the lists of its pages that mention a page,
    /// are paged as archives: a list by date, unless `pagination` says
    /// otherwise (a list by title gains nothing, a new page falls
    /// anywhere in it).
    pub fn archive(&self) -> bool {
        self.pagination == Pagination::Archive && self.sort_by == SortBy::Date && !self.tree
    }

    /// The backlinks heading on `target`'s page for links from this kind.
    /// `{title}` is the target's title, `{name}` its short name or title.
    pub fn mentions_label(&self, target_kind: &str, title: &str, name: &str) -> String {
        let pattern = self.mentions_by.get(target_kind).unwrap_or(&self.mentions);
        pattern.replace("{title}", title).replace("{name}", name)
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawKind {
    pub(super) role: Option<Spanned<Role>>,
    title: Option<String>,
    singular: Option<String>,
    sort_by: Option<SortBy>,
    date_required: Option<bool>,
    pub(super) paginate_by: Option<Spanned<usize>>,
    pagination: Option<Pagination>,
    stubs: Option<bool>,
    stub_warnings: Option<bool>,
    tree: Option<bool>,
    mentions: Option<String>,
    #[serde(default)]
    mentions_by: IndexMap<String, String>,
    feed: Option<bool>,
    calendar: Option<bool>,
}

/// Names that are not allowed as kinds because the site uses those URLs.
pub(super) const RESERVED_KINDS: &[&str] = &[
    // URLs the site uses.
    "search",
    "static",
    "page",
    // Front-matter fields: a kind of that name would take the field over.
    "title",
    "date",
    "updated",
    "summary",
    "draft",
    "slug",
    "path",
    "aliases",
    "extra",
    "parent",
    "end",
    "source",
    "sources",
    "authors",
    "location",
    "short",
    "country",
    "website",
    "status",
    "image",
    "government",
    "offers",
    "updates",
];

impl Role {
    /// The built-in kind that has this role by default.
    pub fn builtin_kind(self) -> &'static str {
        match self {
            Role::Entries => "briefs",
            Role::Events => "meetings",
        }
    }
}

impl Kind {
    /// Gives the kind `role`. A kind a site declares takes the fields and
    /// order of the built-in kind of that role (a brief's `location`,
    /// `countries`, `source`; a meeting's `end`, `location`, `people`);
    /// its own settings in attache.toml still win.
    pub(super) fn take_role(&mut self, role: Role) {
        self.role = Some(role);
        if self.schema == Schema::Generic {
            self.schema = match role {
                Role::Entries => Schema::Brief,
                Role::Events => Schema::Meeting,
            };
            self.sort_by = SortBy::Date;
            self.date_required = true;
        }
    }
}

impl RawKind {
    pub(super) fn apply(self, kind: &mut Kind) {
        if let Some(v) = self.title {
            kind.title = v;
        }
        if let Some(v) = self.singular {
            kind.singular = v;
        }
        if let Some(v) = self.sort_by {
            kind.sort_by = v;
        }
        if let Some(v) = self.date_required {
            kind.date_required = v;
        }
        if let Some(v) = self.paginate_by {
            kind.paginate_by = (*v.get_ref()).max(1);
        }
        if let Some(v) = self.pagination {
            kind.pagination = v;
        }
        if let Some(v) = self.stubs {
            kind.stubs = v;
        }
        if let Some(v) = self.stub_warnings {
            kind.stub_warnings = v;
        }
        if let Some(v) = self.tree {
            kind.tree = v;
        }
        if let Some(v) = self.mentions {
            kind.mentions = v;
        }
        kind.mentions_by.extend(self.mentions_by);
        if let Some(v) = self.feed {
            kind.feed = v;
        }
        if let Some(v) = self.calendar {
            kind.calendar = v;
        }
    }
}

/// How many asks and offers the list shows on one page, unless the
/// kind's `paginate_by` says otherwise.
const ITEMS_PER_PAGE: usize = 1000;

pub(super) const BUILTIN_KINDS: &[(&str, Schema)] = &[
    ("briefs", Schema::Brief),
    ("meetings", Schema::Meeting),
    ("agencies", Schema::Agency),
    ("sectors", Schema::Sector),
    ("people", Schema::Name),
    ("countries", Schema::Name),
    ("asks", Schema::Item),
];

pub(super) fn builtin_kind(name: &str, schema: Schema, paging: Paging) -> Kind {
    let (title, singular, mentions) = match (schema, name) {
        (Schema::Brief, _) => ("Briefings", "Briefing", "Briefings mentioning {name}"),
        (Schema::Meeting, _) => ("Meetings", "Meeting", "Meetings on {name}"),
        (Schema::Agency, _) => ("Agencies", "Agency", "Agencies linked to {name}"),
        (Schema::Sector, _) => ("Sectors", "Sector", "Sectors linked to {name}"),
        (Schema::Item, _) => (
            "Asks and offers",
            "Ask or offer",
            "Asks and offers on {name}",
        ),
        (_, "people") => ("People", "Person", "People linked to {name}"),
        _ => ("Countries", "Country", "Countries linked to {name}"),
    };
    let mut mentions_by = IndexMap::new();
    match schema {
        Schema::Meeting => {
            mentions_by.insert("agencies".into(), "Meetings {name} attended".into());
            mentions_by.insert("people".into(), "Meetings with {name}".into());
        }
        Schema::Agency => {
            mentions_by.insert("countries".into(), "Agencies in {name}".into());
        }
        _ => {}
    }
    Kind {
        name: name.into(),
        title: title.into(),
        singular: singular.into(),
        schema,
        role: match schema {
            Schema::Brief => Some(Role::Entries),
            Schema::Meeting => Some(Role::Events),
            _ => None,
        },
        sort_by: if matches!(schema, Schema::Brief | Schema::Meeting | Schema::Item) {
            SortBy::Date
        } else {
            SortBy::Title
        },
        date_required: matches!(schema, Schema::Brief | Schema::Meeting),
        // The list of asks and offers is filtered in the browser: on one page.
        paginate_by: if schema == Schema::Item {
            ITEMS_PER_PAGE
        } else {
            paging.paginate_by
        },
        pagination: paging.pagination,
        stubs: schema == Schema::Name,
        stub_warnings: schema != Schema::Name,
        // Every brief on a trade corridor names the same two countries.
        // An ask or offer is what a page says, not what it is about.
        related_weight: match (schema, name) {
            (Schema::Item, _) => 0.0,
            (_, "countries") => 0.25,
            _ => 1.0,
        },
        tree: schema == Schema::Sector,
        mentions: mentions.into(),
        mentions_by,
        feed: matches!(schema, Schema::Agency | Schema::Sector | Schema::Name),
        calendar: matches!(schema, Schema::Agency | Schema::Name),
    }
}

pub(super) fn generic_kind(name: &str, paging: Paging) -> Kind {
    let title = capitalize(&name.replace('-', " "));
    Kind {
        name: name.into(),
        singular: title.clone(),
        mentions: format!("{title} linked to {{name}}"),
        title,
        schema: Schema::Generic,
        role: None,
        sort_by: SortBy::Title,
        date_required: false,
        paginate_by: paging.paginate_by,
        pagination: paging.pagination,
        stubs: false,
        stub_warnings: true,
        related_weight: 1.0,
        tree: false,
        mentions_by: IndexMap::new(),
        feed: false,
        calendar: false,
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub(super) fn is_valid_kind_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}
