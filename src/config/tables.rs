//! The small tables of `attache.toml`: `[related]`, `[home]`,
//! `[mentions]`, `[feeds]`, `[search]`, `[markdown]`, `[build]` and
//! `[amounts]`, each with its defaults.

use indexmap::IndexMap;
use serde::Deserialize;

use super::Kind;

/// How related pages are chosen (like Hugo's related content).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Related {
    /// At most this many related pages.
    pub limit: usize,
    /// Weight of a shared reference of each kind; kinds not named weigh 1.
    pub weights: IndexMap<String, f64>,
    /// A reference shared with more pages of a kind than this counts only
    /// this many of them, those nearest in list order (closest in time):
    /// without a bound, a sector named by half of 100,000 briefs would
    /// make the work grow with the square of the site.
    #[serde(deserialize_with = "window_of_related")]
    pub window: usize,
    /// Whether a page of a kind listed by date may list pages newer than
    /// itself (Hugo's `includeNewer`). Off, as in Hugo: the day's brief
    /// then changes no older page's list, so adding it rewrites a few
    /// files, not every brief it shares a sector with.
    pub include_newer: bool,
}

/// `[related] window`: at least 2 pages.
fn window_of_related<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    let window = usize::deserialize(d)?;
    if window >= 2 {
        Ok(window)
    } else {
        Err(serde::de::Error::custom(format!(
            "window must be 2 pages or more (such as 1000), not {window}"
        )))
    }
}

impl Default for Related {
    fn default() -> Self {
        Related {
            limit: 5,
            weights: IndexMap::new(),
            window: 1_000,
            include_newer: false,
        }
    }
}

impl Related {
    /// The weight of a shared reference to a page of `kind`: from
    /// `[related.weights]`, else the kind's own.
    pub fn weight_of(&self, kind: &Kind) -> f64 {
        self.weights
            .get(&kind.name)
            .copied()
            .unwrap_or(kind.related_weight)
    }
}

/// What the home page shows.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Home {
    pub briefs: usize,
    pub meetings: usize,
}

impl Default for Home {
    fn default() -> Self {
        Home {
            briefs: 10,
            meetings: 5,
        }
    }
}

/// Long lists of what mentions a page (an agency's briefings): the page
/// shows the newest few of each kind and links to the whole list, a page
/// of it at a time, so that no page grows with the site.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Mentions {
    /// How many pages of each kind a page lists before "All N …".
    #[serde(deserialize_with = "at_least_one")]
    pub shown: usize,
    /// How many each page of the whole list shows.
    #[serde(deserialize_with = "at_least_one")]
    pub per_page: usize,
}

impl Default for Mentions {
    fn default() -> Self {
        Mentions {
            shown: 10,
            per_page: 100,
        }
    }
}

/// A count that must be 1 or more.
fn at_least_one<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    match usize::deserialize(d)? {
        0 => Err(serde::de::Error::custom("must be at least 1")),
        n => Ok(n),
    }
}

/// Atom feeds: `/atom.xml` of the briefings, and one per page of kinds
/// with `feed = true`; with `json`, a JSON Feed beside each.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Feeds {
    /// Write `/atom.xml` of the briefings.
    pub enabled: bool,
    /// At most this many entries per feed, newest first.
    pub limit: usize,
    /// The feed author; the site title when unset.
    pub author: Option<String>,
    /// A JSON Feed (`feed.json`, `asks.json`) beside each Atom feed. Off
    /// by default, as in Zola and Hugo: each page a brief names would
    /// otherwise have one more file to write, and to upload, per brief.
    pub json: bool,
}

impl Default for Feeds {
    fn default() -> Self {
        Feeds {
            enabled: true,
            limit: 20,
            author: None,
            json: false,
        }
    }
}

/// The offline search page and its index.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Search {
    pub enabled: bool,
    /// The newest documents of a kind by date, from the last multiple of
    /// this many on, have word files of their own: a new brief rewrites
    /// those few files, and every this many briefs the rest of the index
    /// takes them in (see `render::search::built`). Tests set it small to
    /// cross it.
    #[serde(deserialize_with = "at_least_one")]
    pub recent_block: usize,
}

impl Default for Search {
    fn default() -> Self {
        Search {
            enabled: true,
            recent_block: 128,
        }
    }
}

/// The desk's data for other tools under `data/` (docs/data.md).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Data {
    pub enabled: bool,
}

impl Default for Data {
    fn default() -> Self {
        Data { enabled: true }
    }
}

/// How Markdown is rendered.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Markdown {
    /// HTML written in Markdown: `keep` (the default), `escape` or `strip`.
    pub raw_html: RawHtml,
}

/// What to do with HTML written in Markdown (`[markdown] raw_html`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Pass it through, as CommonMark says (the default: writers embed
    /// tables and iframes on purpose).
    #[default]
    Keep,
    /// Show it as text: `<b>` appears as `<b>` on the page.
    Escape,
    /// Leave it out.
    Strip,
}

/// The default time limit of one render.
pub const DEFAULT_RENDER_LIMIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The default memory budget of one render, in megabytes.
pub const DEFAULT_RENDER_MEMORY_MB: u64 = 256;

/// How a build runs.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Build {
    /// Seconds one page may take to render before it is stopped and
    /// reported (a template that loops for too long).
    #[serde(deserialize_with = "seconds_of_render")]
    pub render_timeout: f64,
    /// Megabytes one page's render may hold before it is stopped and
    /// reported (a template that builds ever larger strings or lists).
    #[serde(deserialize_with = "megabytes_of_render")]
    pub render_memory: u64,
    /// Pages per file of the kept state in `.attache/`: an edit rewrites
    /// the files of the pages it changed. Tests lower it so that a small
    /// site spans many files.
    #[serde(deserialize_with = "pages_of_shard")]
    pub state_shard: usize,
}

/// Pages per file of the kept state unless `[build] state_shard` says
/// otherwise: at 10,000 briefs, about fifty files of a megabyte each, and
/// an edit rewrites one or two.
pub const DEFAULT_STATE_SHARD: usize = 256;

/// `state_shard`: at least one page, at most a million.
fn pages_of_shard<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    let pages = usize::deserialize(d)?;
    if (1..=1_000_000).contains(&pages) {
        Ok(pages)
    } else {
        Err(serde::de::Error::custom(format!(
            "state_shard must be pages from 1 to 1000000 (such as 256), not {pages}"
        )))
    }
}

/// `render_memory`: at least a megabyte, at most 64 GB.
fn megabytes_of_render<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let megabytes = u64::deserialize(d)?;
    if (1..=65_536).contains(&megabytes) {
        Ok(megabytes)
    } else {
        Err(serde::de::Error::custom(format!(
            "render_memory must be megabytes from 1 to 65536 (such as 512), not {megabytes}"
        )))
    }
}

/// `render_timeout`: more than nothing, and not so long that a runaway
/// template looks like a hang.
fn seconds_of_render<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let seconds = f64::deserialize(d)?;
    if seconds > 0.0 && seconds <= 3600.0 {
        Ok(seconds)
    } else {
        Err(serde::de::Error::custom(format!(
            "render_timeout must be seconds above 0 and at most 3600 (such as 10), not {seconds}"
        )))
    }
}

impl Default for Build {
    fn default() -> Self {
        Build {
            render_timeout: DEFAULT_RENDER_LIMIT.as_secs_f64(),
            render_memory: DEFAULT_RENDER_MEMORY_MB,
            state_shard: DEFAULT_STATE_SHARD,
        }
    }
}

impl Build {
    /// The memory budget of one render, in bytes.
    pub fn render_budget(&self) -> usize {
        usize::try_from(self.render_memory.saturating_mul(1 << 20)).unwrap_or(usize::MAX)
    }

    pub fn render_limit(&self) -> std::time::Duration {
        std::time::Duration::try_from_secs_f64(self.render_timeout).unwrap_or(DEFAULT_RENDER_LIMIT)
    }
}

/// `[amounts]`: the rates at which the amounts of asks and offers are
/// summed in one currency. Without them, sums stay by currency: attache
/// converts nothing it was not told how to.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Amounts {
    /// The currency sums are also given in (ISO 4217).
    pub currency: Option<toml::Spanned<String>>,
    /// The worth of one unit of each other currency in `currency`.
    pub rates: IndexMap<toml::Spanned<String>, f64>,
}

impl Amounts {
    /// `value` of `currency` in the sums' currency: `None` without a rate.
    pub fn convert(&self, value: f64, currency: &str) -> Option<f64> {
        let to = self.currency.as_ref()?;
        if to.get_ref() == currency {
            return Some(value);
        }
        let rate = self.rates.iter().find(|(c, _)| c.get_ref() == currency)?.1;
        Some(value * rate)
    }

    /// Problems of the table: an unknown currency, a rate that is not a
    /// positive number, rates without a currency to convert to.
    pub(super) fn check(
        &self,
        file: &crate::diagnostic::SourceFile,
    ) -> Vec<crate::diagnostic::Diagnostic> {
        use crate::diagnostic::Diagnostic;
        let mut problems = Vec::new();
        let unknown = |code: &toml::Spanned<String>| {
            Diagnostic::error(format!("unknown currency `{}`", code.get_ref()))
                .at(file.at(code.span()))
                .label("not an ISO 4217 code")
                .hint("write the currency's three capital letters: USD, JPY, PKR, EUR")
        };
        for code in self.currency.iter().chain(self.rates.keys()) {
            if iso_currency::Currency::from_code(code.get_ref()).is_none() {
                problems.push(unknown(code));
            }
        }
        for (code, rate) in &self.rates {
            if !(rate.is_finite() && *rate > 0.0) {
                problems.push(
                    Diagnostic::error(format!(
                        "the rate of `{}` must be more than 0",
                        code.get_ref()
                    ))
                    .at(file.at(code.span()))
                    .hint("a rate is what one unit of the currency is worth in [amounts] currency"),
                );
            }
        }
        if self.currency.is_none() && !self.rates.is_empty() {
            problems.push(
                Diagnostic::error("[amounts] has rates but no `currency` to convert to")
                    .in_file(&file.path)
                    .hint("add currency = \"USD\" (or another ISO 4217 code) under [amounts]"),
            );
        }
        problems
    }
}
