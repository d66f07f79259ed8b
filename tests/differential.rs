//! The proof that incremental rebuilds are exact: random sequences of edits
//! to a generated site, applied to a long-lived engine (as `serve` keeps
//! one), written to an output folder (as `watch` does), and built with
//! `attache build` from the state the last build kept; after every step
//! each is compared with a fresh engine on the same files: every problem
//! the same, and every output byte the same (but the last good files the
//! dev server keeps for pages whose file has errors).
//!
//! `cargo test` runs a few seeds; more with
//! `DIFF_SEEDS=200 DIFF_STEPS=40 cargo test --release --test differential`
//! (see `bench/differential.sh`). `DIFF_SHOW_ERRORS=1` prints the errors
//! of each build that fails, to see what keeps builds from the kept state
//! (which only a build without errors goes through).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use attache::Engine;
use attache::SiteOptions;
use attache::write::{self, Body};
use common::{TestSite, problems};

/// xorshift64*: small, deterministic, and enough to pick edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            Some(&items[self.below(items.len())])
        }
    }
}

const WORDS: &[&str] = &[
    "copper", "lithium", "port", "rail", "yen", "loan", "grant", "textile", "mining", "energy",
];

/// The site being edited, and what it has.
struct World {
    site: TestSite,
    rng: Rng,
    next: usize,
    /// File stems of each kind's pages.
    briefs: Vec<String>,
    meetings: Vec<String>,
    agencies: Vec<String>,
    sectors: Vec<String>,
    /// The id of the ask or offer each published brief raises, by stem
    /// (renamed and deleted briefs are not followed: an update of theirs
    /// is an unknown id, as it is for a writer).
    raised: BTreeMap<String, String>,
    /// The stem of the brief being written, and whether it is a draft.
    writing: (String, bool),
    /// A repair is being written: no update, no unknown party, no id
    /// raised twice.
    repairing: bool,
    /// Files a replaced content folder left out, put back by the next
    /// step (as a writer restoring from a copy does, half at a time).
    left_out: Vec<(String, Vec<u8>)>,
    /// The day the site is built on: it moves on now and then, as it
    /// does between a writer's builds (the pictures depend on it).
    today: jiff::civil::Date,
}

impl World {
    fn new(seed: u64) -> World {
        let site = TestSite::in_memory();
        let mut world = World {
            site,
            rng: Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1),
            next: 0,
            briefs: Vec::new(),
            meetings: Vec::new(),
            agencies: vec!["jica".into(), "jetro".into(), "boi".into()],
            sectors: vec!["minerals".into(), "copper".into(), "energy".into()],
            raised: BTreeMap::new(),
            writing: (String::new(), false),
            repairing: false,
            left_out: Vec::new(),
            today: jiff::civil::date(2025, 6, 15),
        };
        world.write_config(10);
        for a in world.agencies.clone() {
            world.write_agency(&a, &a.to_uppercase());
        }
        world.site.write(
            "content/sectors/minerals.md",
            "+++\ntitle = \"Minerals\"\n+++\n\n## Overview\n\nRocks.\n",
        );
        world.site.write(
            "content/sectors/copper.md",
            "+++\ntitle = \"Copper\"\nparent = \"minerals\"\n+++\n\n## Overview\n\nRed metal.\n",
        );
        world.site.write(
            "content/sectors/energy.md",
            "+++\ntitle = \"Energy\"\n+++\n",
        );
        for _ in 0..3 {
            world.new_meeting();
        }
        for _ in 0..8 {
            world.new_brief();
        }
        world.site.write(
            "content/briefs/_index.md",
            "+++\ntitle = \"All briefings\"\n+++\nSee [JICA](@/agencies/jica.md).\n",
        );
        world
    }

    fn options(&self) -> SiteOptions {
        SiteOptions {
            today: Some(self.today),
            ..SiteOptions::new(self.site.root())
        }
    }

    fn write_config(&self, paginate_by: usize) {
        self.site.write(
            "attache.toml",
            &format!(
                "{}paginate_by = {paginate_by}\n[kinds.people]\nstubs = true\n[related]\nlimit = 3\nwindow = 4\ninclude_newer = {}\n[search]\nrecent_block = {}\n[build]\nstate_shard = 4\n[mentions]\nshown = 2\nper_page = {paginate_by}\n[feeds]\njson = {}\n[languages.ja]\ntitle = \"デスク\"\n",
                common::CONFIG,
                // Newer pages relate too in one of the configurations.
                paginate_by == 3,
                // Small, so that briefs join the search index's base.
                paginate_by + 1,
                // JSON Feeds in all but one of the configurations.
                paginate_by != 2,
            ),
        );
    }

    fn write_agency(&self, stem: &str, title: &str) {
        self.site.write(
            &format!("content/agencies/{stem}.md"),
            &format!("+++\ntitle = \"{title} agency\"\nshort = \"{title}\"\n+++\nAbout {title}.\n"),
        );
    }

    fn word(&mut self) -> &'static str {
        WORDS[self.rng.below(WORDS.len())]
    }

    fn some<'a>(&mut self, items: &'a [String], max: usize) -> Vec<&'a String> {
        let mut out: Vec<&String> = Vec::new();
        for _ in 0..self.rng.below(max + 1) {
            if let Some(x) = self.rng.pick(items)
                && !out.contains(&x)
            {
                out.push(x);
            }
        }
        out
    }

    fn list(items: &[&String]) -> String {
        items
            .iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn brief_text(&mut self, title: &str) -> String {
        let agencies = self.agencies.clone();
        let sectors = self.sectors.clone();
        let meetings = self.meetings.clone();
        let a = Self::list(&self.some(&agencies, 3));
        let s = Self::list(&self.some(&sectors, 2));
        let m = Self::list(&self.some(&meetings, 1));
        let day = 1 + self.rng.below(28);
        let month = 1 + self.rng.below(12);
        let (w1, w2) = (self.word(), self.word());
        let mut body = format!("A note on {w1} and {w2}.\n\nMore on {w2}.\n");
        if let Some(agency) = self.rng.pick(&agencies).cloned() {
            body.push_str(&format!("\nMet [{agency}](@/agencies/{agency}.md).\n"));
        }
        if self.rng.chance(30) {
            body.push_str("\nAbout [minerals](@/sectors/minerals.md#overview).\n");
        }
        // A link to another brief, which may have moved (its `path`).
        if self.rng.chance(30)
            && let Some(other) = self.rng.pick(&self.briefs).cloned()
        {
            body.push_str(&format!("\nAfter [{other}](@/briefs/{other}.md).\n"));
        }
        // Shortcodes: a card shows another page (and is a reference to
        // it); a note has a body with a link.
        if let Some(agency) = self.rng.pick(&agencies).cloned()
            && self.rng.chance(30)
        {
            body.push_str(&format!("\n{{{{ agency(name=\"{agency}\") }}}}\n"));
        }
        if self.rng.chance(20) {
            body.push_str("\n{% note(kind=\"caution\") %}\nSee [minerals](@/sectors/minerals.md).\n{% end %}\n");
        }
        // A figure of a file that comes and goes (an error while it is
        // gone): a static file, or a bundle's.
        if self.rng.chance(8) {
            let src = ["/hello.txt", "/briefs/trip/map.png"][self.rng.below(2)];
            body.push_str(&format!("\n{{{{ figure(src=\"{src}\") }}}}\n"));
        }
        let mut extra = if self.rng.chance(50) {
            format!("summary = \"On {w1}.\"\n")
        } else {
            String::new()
        };
        // Drafts switched on and off, aliases, a slug of its own (two
        // briefs may clash on it), countries.
        if self.rng.chance(8) {
            extra.push_str("draft = true\n");
            self.writing.1 = true;
        }
        if self.rng.chance(10) {
            // Old URLs that clash often: two briefs claiming the same one,
            // or one that is another brief's URL now (errors, while which
            // file stands at the path must still be a fresh build's).
            let alias = match (self.rng.below(3), self.rng.pick(&self.briefs).cloned()) {
                (0, Some(other)) => format!("/briefs/{other}/"),
                (1, _) => format!("/old/{w1}-{day}/"),
                _ => format!("/old/{w1}/"),
            };
            extra.push_str(&format!("aliases = [\"{alias}\"]\n"));
        }
        if self.rng.chance(8) {
            extra.push_str(&format!("slug = \"about-{w2}\"\n"));
        }
        // Published elsewhere (Zola's `path`): two briefs may claim one
        // path, or a list's.
        if self.rng.chance(8) {
            let path = match self.rng.below(4) {
                0 => format!("/desk/{w1}/"),
                1 => format!("/{w2}/"),
                2 => "/briefs/".to_string(),
                _ => format!("/desk/{w1}/{day}/"),
            };
            extra.push_str(&format!("path = \"{path}\"\n"));
        }
        if self.rng.chance(30) {
            let countries = ["\"Japan\"", "\"Pakistan\"", "\"Japan\", \"Pakistan\""];
            let c = countries[self.rng.below(countries.len())];
            extra.push_str(&format!("countries = [{c}]\n"));
        }
        let items = self.items_text();
        format!(
            "+++\ntitle = \"{title}\"\ndate = 2025-{month:02}-{day:02}\n{extra}agencies = [{a}]\nsectors = [{s}]\nmeetings = [{m}]\n{items}+++\n{body}"
        )
    }

    /// Asks and offers a brief raises, and updates it gives: most raise
    /// an id of their own and update one raised before (closing,
    /// reopening, moving its due date); now and then an id is raised
    /// twice (an error at the second), an update names an id no page
    /// raises (an error) or one a draft raises, a party is unknown.
    fn items_text(&mut self) -> String {
        const STATUSES: &[&str] = &["proposed", "in-progress", "agreed", "done", "declined"];
        let mut out = String::new();
        let agencies = self.agencies.clone();
        let sectors = self.sectors.clone();
        let (stem, draft) = self.writing.clone();
        let others: Vec<String> = (self.raised.iter())
            .filter(|(s, _)| **s != stem)
            .map(|(_, id)| id.clone())
            .collect();
        // A brief rewritten mostly keeps what it raised: updates of it
        // elsewhere stay known, as a writer's do.
        let raising = match self.raised.remove(&stem) {
            Some(_) => self.rng.chance(90),
            None => self.rng.chance(30),
        };
        if raising {
            let field = ["asks", "offers"][self.rng.below(2)];
            let id = match (
                self.rng.chance(1) && !self.repairing,
                self.rng.pick(&others).cloned(),
            ) {
                (true, Some(taken)) => taken,
                _ => format!("i-{stem}"),
            };
            if !draft {
                self.raised.insert(stem.clone(), id.clone());
            }
            let by = match self.rng.below(100) {
                0 if !self.repairing => "nobody".to_string(),
                1..=15 => "people/Jam Kamal".to_string(),
                _ => self.rng.pick(&agencies).cloned().unwrap_or_default(),
            };
            let to = Self::list(&self.some(&agencies, 2));
            let to = if to.is_empty() {
                "\"jica\"".to_string()
            } else {
                to
            };
            let s = Self::list(&self.some(&sectors, 2));
            let w = self.word();
            out.push_str(&format!(
                "\n[[{field}]]\nid = \"{id}\"\nby = \"{by}\"\nto = [{to}]\nwhat = \"More {w}\"\nsectors = [{s}]\n"
            ));
            if self.rng.chance(50) {
                out.push_str(&format!("due = \"2025-{:02}\"\n", 1 + self.rng.below(12)));
            }
            if self.rng.chance(30) {
                let currency = ["USD", "JPY"][self.rng.below(2)];
                out.push_str(&format!(
                    "amount = {{ value = {}, currency = \"{currency}\" }}\n",
                    1 + self.rng.below(9)
                ));
            }
            if self.rng.chance(20) {
                out.push_str(&format!(
                    "status = \"{}\"\n",
                    STATUSES[self.rng.below(STATUSES.len())]
                ));
            }
            if self.rng.chance(20) {
                out.push_str(&format!("note = \"Raised over {}.\"\n", self.word()));
            }
        }
        if self.rng.chance(25)
            && !self.repairing
            && let Some(known) = self.rng.pick(&others).cloned()
        {
            let id = if self.rng.chance(1) {
                "i0".to_string()
            } else {
                known
            };
            let status = STATUSES[self.rng.below(STATUSES.len())];
            let w = self.word();
            out.push_str(&format!(
                "\n[[updates]]\nid = \"{id}\"\nstatus = \"{status}\"\nnote = \"On {w}.\"\n"
            ));
            if self.rng.chance(30) {
                out.push_str(&format!(
                    "due = \"2025-{:02}-20\"\n",
                    1 + self.rng.below(12)
                ));
            }
        }
        out
    }

    fn new_brief(&mut self) -> Vec<String> {
        self.next += 1;
        let stem = format!("b{}", self.next);
        let word = self.word();
        let title = format!("Brief {} on {word}", self.next);
        self.writing = (stem.clone(), false);
        let text = self.brief_text(&title);
        let path = format!("content/briefs/{stem}.md");
        self.site.write(&path, &text);
        self.briefs.push(stem);
        vec![path]
    }

    fn new_meeting(&mut self) -> Vec<String> {
        self.next += 1;
        let stem = format!("m{}", self.next);
        let path = format!("content/meetings/{stem}.md");
        let text = self.meeting_text(&stem);
        self.site.write(&path, &text);
        self.meetings.push(stem);
        vec![path]
    }

    fn meeting_text(&mut self, stem: &str) -> String {
        let agencies = self.agencies.clone();
        let a = Self::list(&self.some(&agencies, 2));
        let people = ["Jam Kamal", "HARA Shohei", "Ishaq Dar"];
        let p: Vec<String> = (0..self.rng.below(3))
            .map(|_| format!("\"{}\"", people[self.rng.below(people.len())]))
            .collect();
        let month = 1 + self.rng.below(12);
        // Now and then a meeting known only by its month.
        let date = match self.rng.chance(20) {
            true => format!("\"2025-{month:02}\""),
            false => format!("2025-{month:02}-10T10:00:00+09:00"),
        };
        format!(
            "+++\ntitle = \"Meeting {stem}\"\ndate = {date}\nlocation = \"Tokyo\"\nagencies = [{a}]\npeople = [{}]\n+++\nNotes of {stem}.\n",
            p.join(", ")
        )
    }

    /// One random edit; returns the paths it touched (relative).
    fn edit(&mut self) -> (String, Vec<String>) {
        if !self.left_out.is_empty() {
            let mut paths = Vec::new();
            for (rel, bytes) in std::mem::take(&mut self.left_out) {
                self.site.write_bytes(&rel, &bytes);
                paths.push(rel);
            }
            return ("the rest of the content folder restored".into(), paths);
        }
        let choice = self.rng.below(110);
        let briefs = self.briefs.clone();
        match choice {
            0..=11 => ("new brief".into(), self.new_brief()),
            12..=25 => {
                let Some(stem) = self.rng.pick(&briefs).cloned() else {
                    return self.edit();
                };
                let path = format!("content/briefs/{stem}.md");
                let text = std::fs::read_to_string(self.site.path(&path)).unwrap_or_default();
                let (front, _) = text.rsplit_once("+++\n").unwrap_or((&text, ""));
                let w = self.word();
                self.site.write(
                    &path,
                    &format!("{front}+++\nRewritten about {w}.\n\n## Details\n\nMore.\n"),
                );
                ("body edit".into(), vec![path])
            }
            26..=37 => {
                let Some(stem) = self.rng.pick(&briefs).cloned() else {
                    return self.edit();
                };
                let title = format!("Retitled {} {}", stem, self.word());
                self.writing = (stem.clone(), false);
                let text = self.brief_text(&title);
                let path = format!("content/briefs/{stem}.md");
                self.site.write(&path, &text);
                ("front matter and references".into(), vec![path])
            }
            38..=43 => {
                // Rename a brief's file; links by file name to it break.
                let Some(i) = (!briefs.is_empty()).then(|| self.rng.below(briefs.len())) else {
                    return self.edit();
                };
                let old = format!("content/briefs/{}.md", briefs[i]);
                self.next += 1;
                let stem = format!("{}-r{}", briefs[i], self.next);
                let new = format!("content/briefs/{stem}.md");
                let _ = std::fs::rename(self.site.path(&old), self.site.path(&new));
                // What it raised goes with it (the id stays).
                if let Some(id) = self.raised.remove(&briefs[i]) {
                    self.raised.insert(stem.clone(), id);
                }
                self.briefs[i] = stem;
                ("rename".into(), vec![old, new])
            }
            44..=49 => {
                let sector = ["copper", "energy"][self.rng.below(2)];
                let parent = ["minerals", "energy", "copper", ""][self.rng.below(4)];
                let parent_line = if parent.is_empty() || parent == sector {
                    String::new()
                } else {
                    format!("parent = \"{parent}\"\n")
                };
                let path = format!("content/sectors/{sector}.md");
                self.site.write(
                    &path,
                    &format!(
                        "+++\ntitle = \"{sector} sector\"\n{parent_line}+++\n\n## Overview\n\nx\n"
                    ),
                );
                ("re-parent a sector".into(), vec![path])
            }
            50..=55 => {
                let Some(i) = (!briefs.is_empty()).then(|| self.rng.below(briefs.len())) else {
                    return self.edit();
                };
                let path = format!("content/briefs/{}.md", briefs[i]);
                self.site.remove(&path);
                self.briefs.remove(i);
                self.raised.remove(&briefs[i]);
                ("delete a brief".into(), vec![path])
            }
            56..=60 => {
                let calls = [
                    "",
                    "{% set j = get_page(kind=\"agencies\", slug=\"jica\") %}<p>{{ j.title }}</p>",
                    "<p>{{ url(path=\"@/agencies/jetro.md\") }}</p>",
                    "{% for a in get_pages(kind=\"agencies\") %}<i>{{ a.title }}</i>{% endfor %}",
                    "{% include \"partials/extra.html\" %}",
                ];
                let call = calls[self.rng.below(calls.len())];
                let path = "templates/briefs/page.html".to_string();
                if self.rng.chance(25) {
                    let _ = std::fs::remove_file(self.site.path(&path));
                } else {
                    self.site.write(
                        &path,
                        &format!("{{% extends \"page.html\" %}}{{% block main %}}<h1>{{{{ page.title }}}}</h1>{call}{{{{ page.content | safe }}}}{{% endblock main %}}"),
                    );
                }
                ("template".into(), vec![path])
            }
            61 => {
                let w = self.word();
                let path = "templates/partials/extra.html".to_string();
                self.site.write(&path, &format!("<aside>{w}</aside>"));
                ("partial template".into(), vec![path])
            }
            62 => {
                // The site's string table over the theme's, or gone.
                let lang = ["en", "ja"][self.rng.below(2)];
                let path = format!("templates/strings/{lang}.toml");
                if self.rng.chance(30) {
                    let _ = std::fs::remove_file(self.site.path(&path));
                } else {
                    let w = self.word();
                    self.site.write(
                        &path,
                        &format!(
                            "mentioned_here = \"{w}\"\ndate_day = \"%d %B %Y\"\nmonths = \"{}\"\nfeed_on = \"{{name}}: {w}\"\nchart_month = \"{w}\"\n",
                            [w; 12].join(",")
                        ),
                    );
                }
                ("string table".into(), vec![path])
            }
            63 => {
                // The site's own note shortcode, over the theme's, or gone.
                let path = "templates/shortcodes/note.html".to_string();
                if self.rng.chance(30) {
                    let _ = std::fs::remove_file(self.site.path(&path));
                } else {
                    let w = self.word();
                    self.site.write(
                        &path,
                        &format!("<aside class=\"{w}\">{{{{ body }}}}</aside>"),
                    );
                }
                ("shortcode template".into(), vec![path])
            }
            64..=67 => {
                let per_page = [2, 3, 10][self.rng.below(3)];
                self.write_config(per_page);
                ("attache.toml".into(), vec!["attache.toml".into()])
            }
            68..=71 => {
                // hello.txt is also the picture some briefs' figures show
                // (and the trip bundle's map.png, another).
                let path = "static/hello.txt".to_string();
                if self.rng.chance(30) {
                    let _ = std::fs::remove_file(self.site.path(&path));
                } else {
                    let w = self.word();
                    self.site.write(&path, &format!("hello {w}"));
                }
                ("static file".into(), vec![path])
            }
            72..=76 => {
                // An error: a broken front matter (fixed by a later edit).
                let Some(stem) = self.rng.pick(&briefs).cloned() else {
                    return self.edit();
                };
                let path = format!("content/briefs/{stem}.md");
                self.site.write(&path, "+++\ntitle = \"Broken\n+++\n");
                ("break a brief".into(), vec![path])
            }
            77..=80 => {
                let Some(stem) = self.rng.pick(&self.meetings.clone()).cloned() else {
                    return self.edit();
                };
                let path = format!("content/meetings/{stem}.md");
                if self.rng.below(2) == 0 {
                    // Only its status: the links and the lists stay as
                    // they were, what the agencies' pictures count not.
                    let text = std::fs::read_to_string(self.site.path(&path)).unwrap_or_default();
                    let statuses = ["", "status = \"tentative\"\n", "status = \"cancelled\"\n"];
                    let status = statuses[self.rng.below(statuses.len())];
                    let kept: String = text
                        .lines()
                        .filter(|l| !l.starts_with("status = "))
                        .map(|l| format!("{l}\n"))
                        .collect();
                    let text = kept.replacen("location = ", &format!("{status}location = "), 1);
                    self.site.write(&path, &text);
                    return ("meeting status".into(), vec![path]);
                }
                let text = self.meeting_text(&stem);
                self.site.write(&path, &text);
                ("meeting".into(), vec![path])
            }
            81..=83 => ("new meeting".into(), self.new_meeting()),
            84..=86 => {
                let Some(agency) = self.rng.pick(&self.agencies.clone()).cloned() else {
                    return self.edit();
                };
                let title = format!("{} {}", agency.to_uppercase(), self.word());
                self.write_agency(&agency, &title);
                (
                    "agency title".into(),
                    vec![format!("content/agencies/{agency}.md")],
                )
            }
            87..=89 => {
                let w = self.word();
                if self.rng.chance(30) {
                    // An intro in Japanese, the home page's or the list's:
                    // written or removed.
                    let path = ["content/_index.ja.md", "content/briefs/_index.ja.md"]
                        [self.rng.below(2)]
                    .to_string();
                    match self.rng.chance(30) {
                        true => {
                            let _ = std::fs::remove_file(self.site.path(&path));
                        }
                        false => self.site.write(
                            &path,
                            &format!("+++\ntitle = \"序 {w}\"\n+++\n[銅](@/sectors/copper.md)について。\n"),
                        ),
                    }
                    return ("intro in Japanese".into(), vec![path]);
                }
                let path = "content/_index.md".to_string();
                let anchor = ["", "#overview"][self.rng.below(2)];
                self.site.write(
                    &path,
                    &format!(
                        "+++\ntitle = \"Home {w}\"\n+++\nAbout [copper](@/sectors/copper.md{anchor}).\n"
                    ),
                );
                if self.rng.chance(50) {
                    let kind_intro = "content/briefs/_index.md".to_string();
                    self.site.write(
                        &kind_intro,
                        &format!("+++\ntitle = \"All briefings\"\n+++\nSee [JICA](@/agencies/jica.md) and [minerals](@/sectors/minerals.md{anchor}).\n"),
                    );
                    return ("home and kind intros".into(), vec![path, kind_intro]);
                }
                ("home intro".into(), vec![path])
            }
            90..=91 => {
                // A static file where the site needs a folder (an error),
                // gone again at the next repair.
                self.site.write("static/briefs", "in the way");
                (
                    "static file in the way".into(),
                    vec!["static/briefs".into()],
                )
            }
            92..=93 => {
                // The content folder replaced by a copy (as some tools save).
                let content = self.site.path("content");
                let copy = self.site.path("content.new");
                common::copy_dir(&content, &copy);
                std::fs::remove_dir_all(&content).unwrap();
                std::fs::rename(&copy, &content).unwrap();
                ("content folder replaced".into(), vec!["content".into()])
            }
            97..=98 => {
                // The content folder replaced by a copy of half of it
                // (agencies and meetings left out); the next step puts
                // the rest back.
                let content = self.site.path("content");
                let copy = self.site.path("content.new");
                common::copy_dir(&content, &copy);
                for entry in walkdir::WalkDir::new(&copy).sort_by_file_name() {
                    let entry = entry.unwrap();
                    let rel = entry
                        .path()
                        .strip_prefix(&copy)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    let kind = rel.split('/').next().unwrap_or_default();
                    if entry.file_type().is_file()
                        && (kind == "agencies" || kind == "meetings")
                        && self.rng.chance(50)
                    {
                        let bytes = std::fs::read(entry.path()).unwrap();
                        std::fs::remove_file(entry.path()).unwrap();
                        self.left_out.push((format!("content/{rel}"), bytes));
                    }
                }
                std::fs::remove_dir_all(&content).unwrap();
                std::fs::rename(&copy, &content).unwrap();
                (
                    "content folder replaced by half of it".into(),
                    vec!["content".into()],
                )
            }
            101..=102 => {
                // The day moves on (by days or months), with an edit.
                let days = [1, 3, 40, 200][self.rng.below(4)];
                self.today = self
                    .today
                    .checked_add(jiff::Span::new().days(days))
                    .unwrap();
                let (name, paths) = self.edit();
                (format!("the day moves on {days} days + {name}"), paths)
            }
            100 => {
                // A heading renamed: anchors to it from briefs, intros and
                // translations break, or come back.
                let sector = ["minerals", "copper"][self.rng.below(2)];
                let heading = ["Overview", "Summary"][self.rng.below(2)];
                let path = format!("content/sectors/{sector}.md");
                let text = std::fs::read_to_string(self.site.path(&path)).unwrap_or_default();
                let text = text
                    .replace("## Overview", &format!("## {heading}"))
                    .replace("## Summary", &format!("## {heading}"));
                self.site.write(&path, &text);
                ("heading renamed".into(), vec![path])
            }
            99 => {
                // An edit that keeps the file's size and modification
                // time, as `cp -p`, `tar -x`, `rsync -t` or `git checkout`
                // of another version can: a letter of the title changes
                // case, the old time is put back; half the time the file
                // is put in place by a rename (a new inode).
                let Some(stem) = self.rng.pick(&briefs).cloned() else {
                    return self.edit();
                };
                let path = format!("content/briefs/{stem}.md");
                let full = self.site.path(&path);
                let (Ok(text), Ok(meta)) =
                    (std::fs::read_to_string(&full), std::fs::metadata(&full))
                else {
                    return self.edit();
                };
                let flipped = match text.find("title = \"") {
                    Some(at) => {
                        let mut bytes = text.clone().into_bytes();
                        let i = at + "title = \"".len();
                        bytes[i] = match bytes[i] {
                            b if b.is_ascii_uppercase() => b.to_ascii_lowercase(),
                            b if b.is_ascii_lowercase() => b.to_ascii_uppercase(),
                            b => b,
                        };
                        bytes
                    }
                    None => return self.edit(),
                };
                let mtime = meta.modified().unwrap();
                if self.rng.chance(50) {
                    let copy = self.site.path("restored.tmp");
                    std::fs::write(&copy, &flipped).unwrap();
                    let file = std::fs::File::options().write(true).open(&copy).unwrap();
                    file.set_modified(mtime).unwrap();
                    std::fs::rename(&copy, &full).unwrap();
                } else {
                    std::fs::write(&full, &flipped).unwrap();
                    let file = std::fs::File::options().write(true).open(&full).unwrap();
                    file.set_modified(mtime).unwrap();
                }
                (
                    "same size and time (cp -p, tar -x, rsync -t)".into(),
                    vec![path],
                )
            }
            94..=96 => {
                // A translation of a brief or an agency: written, rewritten
                // or removed.
                let (kind, stems) = match self.rng.chance(50) {
                    true => ("briefs", briefs.clone()),
                    false => ("agencies", self.agencies.clone()),
                };
                let Some(stem) = self.rng.pick(&stems).cloned() else {
                    return self.edit();
                };
                let path = format!("content/{kind}/{stem}.ja.md");
                if self.rng.chance(30) {
                    let _ = std::fs::remove_file(self.site.path(&path));
                } else {
                    let w = self.word();
                    // A brief's translation gives words for what it
                    // raises, and for an update (which it may not have).
                    let mut items = String::new();
                    if kind == "briefs" && self.rng.chance(60) {
                        items.push_str(&format!(
                            "\n[[asks]]\nid = \"i-{stem}\"\nwhat = \"{w}の要請\"\nnote = \"注 {w}\"\n"
                        ));
                    }
                    if kind == "briefs"
                        && self.rng.chance(40)
                        && let Some(id) = self
                            .rng
                            .pick(&self.raised.values().cloned().collect::<Vec<_>>())
                            .cloned()
                    {
                        items.push_str(&format!(
                            "\n[[updates]]\nid = \"{id}\"\nnote = \"更新 {w}\"\n"
                        ));
                    }
                    self.site.write(
                        &path,
                        &format!(
                            "+++\ntitle = \"{stem}の翻訳 {w}\"\n{items}+++\n訳文 {w}、[銅](@/sectors/copper.md)、[概要](@/sectors/minerals.md#overview)。\n"
                        ),
                    );
                }
                ("translation".into(), vec![path])
            }
            106..=108 => self.bundle_edit(),
            _ => ("repair".into(), self.repair()),
        }
    }

    /// A page bundle (`content/briefs/trip/index.md` and its files): its
    /// page rewritten (moved by `path` or `slug`, a draft now and then)
    /// or removed, or one of its files (or its translation) written or
    /// removed.
    fn bundle_edit(&mut self) -> (String, Vec<String>) {
        let page = "content/briefs/trip/index.md".to_string();
        let mut paths = Vec::new();
        if self.rng.chance(40) || !self.site.path(&page).exists() {
            self.writing = ("trip".into(), false);
            let text = self.brief_text("Trip");
            self.site.write(&page, &text);
            paths.push(page);
        } else if self.rng.chance(15) {
            let _ = std::fs::remove_file(self.site.path(&page));
            paths.push(page);
        }
        let file = [
            "content/briefs/trip/map.png",
            "content/briefs/trip/img/a.js",
            "content/briefs/trip/index.html",
            // Its translation: the bundle's files are beside it too.
            "content/briefs/trip/index.ja.md",
        ][self.rng.below(4)];
        if self.rng.chance(70) {
            let w = self.word();
            let text = match file.ends_with(".md") {
                true => format!("+++\ntitle = \"旅 {w}\"\n+++\n![地図](map.png)\n"),
                false => format!("bytes of {w}\n"),
            };
            self.site.write(file, &text);
        } else {
            let _ = std::fs::remove_file(self.site.path(file));
        }
        paths.push(file.to_string());
        ("bundle".into(), paths)
    }

    /// Rewrites every brief so that each refers only to pages that exist.
    fn repair(&mut self) -> Vec<String> {
        let mut paths = vec!["static/briefs".to_string()];
        let _ = std::fs::remove_file(self.site.path("static/briefs"));
        self.repairing = true;
        for stem in self.briefs.clone() {
            let path = format!("content/briefs/{stem}.md");
            let title = format!("Brief {stem}");
            self.writing = (stem.clone(), false);
            let text = self.brief_text(&title);
            self.site.write(&path, &text);
            paths.push(path);
        }
        self.repairing = false;
        paths
    }
}

fn bytes(body: &Body) -> Vec<u8> {
    match body {
        Body::Bytes(b) => b.to_vec(),
        Body::Copy(from) => std::fs::read(from).unwrap_or_default(),
    }
}

/// Every output file of a folder (attache's own dotfiles left out).
fn folder(dir: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with(".attache"))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Gives every input file written since the last call a time of its own,
/// long past. A build does not trust the time of a file changed within a
/// second of it (it reads the file again); without this, every file of a
/// test this quick would be read again and the kept site never used.
fn backdate(root: &std::path::Path) {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::{Duration, UNIX_EPOCH};
    static TICK: AtomicU64 = AtomicU64::new(0);
    let past = UNIX_EPOCH + Duration::from_secs(946_684_800); // 2000-01-01
    let time = past + Duration::from_secs(TICK.fetch_add(1, Ordering::Relaxed) + 1);
    for dir in ["content", "templates", "static", "attache.toml"] {
        for entry in walkdir::WalkDir::new(root.join(dir))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            let recent = entry
                .metadata()
                .ok()
                .and_then(|m| m.modified().ok())
                .is_some_and(|t| t > past + Duration::from_secs(365 * 86_400));
            if recent && let Ok(file) = std::fs::File::options().write(true).open(entry.path()) {
                file.set_modified(time).unwrap();
            }
        }
    }
}

/// Compares the long-lived engine (and the folder written from it) with a
/// fresh one; panics with the first difference.
/// Returns whether the build started from the last build's state.
fn compare(
    world: &World,
    live: &mut Engine,
    out: &std::path::Path,
    written: bool,
    step: &str,
) -> (bool, bool) {
    live.refresh_search();
    let fresh = Engine::new(world.options()).expect("the configuration loads");
    // `attache build`, starting from what the last build kept.
    let built = world.site.path("built");
    // Now and then a file of the built folder is removed by hand (a
    // search index file, which a build may say is unchanged, or another):
    // the next build puts it back.
    if step.len() % 13 == 4 {
        let files = folder(&built);
        let gone = files
            .keys()
            .find(|p| p.starts_with("search/words/") && step.len().is_multiple_of(2))
            .or_else(|| files.keys().nth(step.len() % files.len().max(1)));
        if let Some(gone) = gone {
            std::fs::remove_file(built.join(gone)).unwrap();
        }
    }
    let before = folder(&built);
    // Now and then the times are left as they are: recent files are read
    // again.
    if !step.len().is_multiple_of(5) {
        backdate(world.site.root());
    }
    let result = attache::build(
        &attache::BuildOptions {
            site: world.options(),
            output: Some(built.clone()),
            force: false,
            clean: false,
            no_wait: true,
            // Mostly as a writer who saves seconds before building: the
            // next build trusts every file's times (change times included).
            settle_window: match step.len() % 5 {
                0 => attache::SETTLE_WINDOW,
                _ => std::time::Duration::ZERO,
            },
        },
        &attache::Quiet,
    );
    let expected: BTreeMap<String, Vec<u8>> = fresh
        .outputs()
        .files
        .iter()
        .map(|(p, b)| (p.clone(), bytes(b)))
        .collect();
    let resumed = result.as_ref().is_ok_and(|r| r.resumed);
    let succeeded = result.is_ok();
    match result {
        Ok(_) => {
            assert!(
                !fresh.diagnostics().has_errors(),
                "{step}: a build with errors succeeded"
            );
            let after = folder(&built);
            let keys = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
            assert_eq!(
                keys(&after),
                keys(&expected),
                "{step}: the built folder's files"
            );
            for (path, bytes) in &expected {
                assert!(
                    after[path] == *bytes,
                    "{step}: the build wrote {path} differently"
                );
            }
        }
        Err(_) => {
            if std::env::var_os("DIFF_SHOW_ERRORS").is_some() {
                for d in fresh.diagnostics().iter().filter(|d| d.is_error()) {
                    eprintln!("DIFFERR {}", d.message);
                }
            }
            assert!(
                fresh.diagnostics().has_errors(),
                "{step}: a build without errors failed"
            );
            assert!(
                folder(&built) == before,
                "{step}: a failed build changed the folder"
            );
        }
    }
    // Now and then, a state that was damaged: the next build must not
    // trust it.
    let state = world.site.path(".attache/build-state");
    // (Seldom: a failed build leaves the state as it is, so a damaged one
    // stays until the next build without errors, and the builds between
    // do not go through the kept state, which is what is tested.)
    if step.len().is_multiple_of(29) && state.exists() {
        let bytes = std::fs::read(&state).unwrap();
        std::fs::write(&state, &bytes[..bytes.len() / 2]).unwrap();
    }
    // Or one section of its body, or one of its shards, cut short.
    if step.len() % 31 == 5 {
        let section = format!(".{}", step.len() % 2);
        let mut shards = 0;
        for entry in std::fs::read_dir(world.site.path(".attache"))
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            let shard = name.starts_with("shard-") && {
                shards += 1;
                shards == step.len() % 5 + 1
            };
            if (name.starts_with("body-")
                && name.ends_with(&section)
                && !step.len().is_multiple_of(3))
                || (shard && step.len().is_multiple_of(3))
            {
                let bytes = std::fs::read(entry.path()).unwrap();
                std::fs::write(entry.path(), &bytes[..bytes.len() / 3]).unwrap();
            }
        }
    }
    assert_eq!(problems(live), problems(&fresh), "{step}: problems differ");
    let held: BTreeSet<String> = live.held_files();
    let mine: BTreeMap<&String, Vec<u8>> = live
        .outputs()
        .files
        .iter()
        .filter(|(p, _)| !held.contains(*p))
        .map(|(p, b)| (p, bytes(b)))
        .collect();
    let theirs: BTreeMap<&String, Vec<u8>> = fresh
        .outputs()
        .files
        .iter()
        .filter(|(p, _)| !held.contains(*p))
        .map(|(p, b)| (p, bytes(b)))
        .collect();
    let missing: Vec<_> = theirs.keys().filter(|k| !mine.contains_key(*k)).collect();
    let extra: Vec<_> = mine.keys().filter(|k| !theirs.contains_key(*k)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{step}: missing {missing:?}, extra {extra:?}"
    );
    for (path, expected) in &theirs {
        if mine[path] != *expected {
            let a = String::from_utf8_lossy(&mine[path]);
            let e = String::from_utf8_lossy(expected);
            let at = a.chars().zip(e.chars()).take_while(|(x, y)| x == y).count();
            let from = at.saturating_sub(150);
            panic!(
                "{step}: {path} differs from a fresh build at char {at}:\n--- incremental:\n{}\n--- fresh:\n{}",
                a.chars().skip(from).take(400).collect::<String>(),
                e.chars().skip(from).take(400).collect::<String>()
            );
        }
    }
    if written {
        let on_disk = folder(out);
        let keys = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
        assert_eq!(
            keys(&on_disk),
            keys(&expected),
            "{step}: the written folder's files"
        );
        let differing: Vec<&String> = expected
            .iter()
            .filter(|(path, bytes)| on_disk.get(*path) != Some(*bytes))
            .map(|(path, _)| path)
            .collect();
        if let Some(path) = differing.first() {
            let disk = String::from_utf8_lossy(on_disk.get(*path).map_or(&[][..], |b| b));
            let fresh = String::from_utf8_lossy(&expected[*path]);
            let at = disk
                .chars()
                .zip(fresh.chars())
                .take_while(|(x, y)| x == y)
                .count();
            panic!(
                "{step}: the written folder's bytes differ at {differing:?}, first at char {at}:\n--- written:\n{}\n--- fresh:\n{}",
                disk.chars()
                    .skip(at.saturating_sub(150))
                    .take(400)
                    .collect::<String>(),
                fresh
                    .chars()
                    .skip(at.saturating_sub(150))
                    .take(400)
                    .collect::<String>()
            );
        }
    }
    (succeeded, resumed)
}

/// Runs `steps` batches of edits from `seed`; returns how many steps ran,
/// how many builds had no errors, and how many of those started from a
/// kept state.
fn run(seed: u64, steps: usize) -> (usize, usize, usize) {
    let mut world = World::new(seed);
    let mut live = Engine::new(world.options()).expect("loads");
    live.defer_search();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("public");
    let takeover = write::Takeover {
        force: false,
        command: "watch",
        wait: attache::Wait::No,
    };
    let mut dir = write::open_output(world.site.root(), &out, takeover).unwrap();
    let mut written = false;
    let mut pending: (BTreeSet<String>, BTreeSet<String>) = Default::default();
    let mut log = Vec::new();
    compare(
        &world,
        &mut live,
        &out,
        false,
        &format!("seed {seed}, start"),
    );
    let (mut succeeded, mut resumed) = (0, 0);
    for step in 0..steps {
        // One edit, or several landing in one batch.
        let batch = if world.rng.chance(30) {
            2 + world.rng.below(3)
        } else {
            1
        };
        let mut paths: Vec<PathBuf> = Vec::new();
        let mut names = Vec::new();
        for _ in 0..batch {
            let (name, touched) = world.edit();
            names.push(name);
            paths.extend(touched.iter().map(|p| world.site.path(p)));
        }
        log.push(names.join(" + "));
        live.set_today(Some(world.today));
        let update = live.apply(paths);
        let search = live.refresh_search();
        // As `watch` does: write what changed once the site has no errors.
        for p in update.changed.iter().chain(&search.changed) {
            pending.1.remove(p);
            pending.0.insert(p.clone());
        }
        for p in update.removed.iter().chain(&search.removed) {
            pending.0.remove(p);
            pending.1.insert(p.clone());
        }
        if !live.diagnostics().has_errors() {
            if written {
                attache::write::write_changes(live.outputs(), &pending.0, &pending.1, &mut dir)
                    .unwrap();
            } else {
                attache::write::write(live.outputs(), &mut dir).unwrap();
                written = true;
            }
            pending = Default::default();
        }
        let name = format!(
            "seed {seed}, step {step} ({}); the steps so far: {:?}",
            log.last().unwrap(),
            log
        );
        let clean = written && !live.diagnostics().has_errors();
        let (ok, from_state) = compare(&world, &mut live, &out, clean, &name);
        succeeded += usize::from(ok);
        resumed += usize::from(from_state);
    }
    (steps, succeeded, resumed)
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn random_edits_give_what_a_fresh_build_gives() {
    let seeds = env_number("DIFF_SEEDS", 4);
    let steps = env_number("DIFF_STEPS", 25);
    let first = env_number("DIFF_FIRST_SEED", 1);
    let (mut total, mut succeeded, mut resumed) = (0, 0, 0);
    for seed in first..first + seeds {
        let (s, ok, r) = run(seed as u64, steps);
        total += s;
        succeeded += ok;
        resumed += r;
    }
    eprintln!(
        "{total} random steps matched a fresh build ({succeeded} builds without errors, {resumed} of them from a kept state)"
    );
    assert!(resumed > 0, "no build started from a kept state");
}
