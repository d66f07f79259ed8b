//! Entry points for the fuzz targets under `fuzz/` and for the tests that
//! replay what fuzzing found (`tests/fuzz_regressions.rs`). Each takes
//! arbitrary bytes and must neither panic nor hang; every diagnostic it
//! gets is rendered, since rendering a snippet is where spans go wrong.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::config::{CONFIG_FILE, Config};
use crate::content::{self, ContentPath};
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::markdown::{self, RawHtml};
use crate::render::feed::absolute_links;
use crate::site::SiteOptions;

const CONFIG: &str = "title = \"Fuzz\"\nbase_url = \"https://example.org/sub/\"\n\
                      [kinds.people]\nstubs = true\n";

fn render_all(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        let _ = d.render(false);
    }
}

/// The front-matter splitter and checker, for every kind and for an
/// intro; and the same bytes as `attache.toml`.
pub fn front_matter(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Err(problems) = Config::parse(SourceFile::new(CONFIG_FILE, text.as_ref())) {
        render_all(&problems.into_vec());
    }
    let Ok(config) = Config::parse(SourceFile::new(CONFIG_FILE, CONFIG)) else {
        return;
    };
    let mut places: Vec<ContentPath> = config
        .kind_names()
        .map(|k| ContentPath::Page { kind: k.into() })
        .collect();
    places.push(ContentPath::Intro {
        kind: None,
        lang: None,
    });
    for what in places {
        let path = match &what {
            ContentPath::Page { kind } => format!("content/{kind}/fuzz.md"),
            ContentPath::Intro { .. } => "content/_index.md".into(),
            ContentPath::Translation { kind, lang } => format!("content/{kind}/fuzz.{lang}.md"),
        };
        if let Err(problems) =
            content::parse_file(SourceFile::new(path, text.as_ref()), &what, &config)
        {
            render_all(&problems);
        }
    }
}

/// Markdown rendering with internal links, in each raw-HTML mode, then the
/// feed's link rewriting; every link's span is located and shown.
pub fn markdown(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let resolve = |kind: &str, name: &str| {
        (!name.len().is_multiple_of(3)).then(|| format!("/sub/{kind}/{name}/"))
    };
    let card_kind = |name: &str| (name == "agency").then(|| "agencies".to_string());
    for raw_html in [RawHtml::Keep, RawHtml::Escape, RawHtml::Strip] {
        let cx = markdown::Context {
            resolve: &resolve,
            raw_html,
            base_path: "/",
            card_kind: &card_kind,
        };
        let rendered = markdown::render(&text, &cx);
        let _ = absolute_links(&rendered.html, "https://example.org");
        let file = SourceFile::new("content/briefs/fuzz.md", text.as_ref());
        // Links and shortcode mistakes are located in the file.
        let located: Vec<Diagnostic> = rendered
            .links
            .iter()
            .map(|link| link.span.clone())
            .chain(rendered.shortcode_problems.iter().map(|p| p.span.clone()))
            .chain(rendered.shortcodes.iter().map(|c| c.span.clone()))
            .map(|span| Diagnostic::error("here").at(file.at(span)))
            .collect();
        render_all(&located);
    }
}

/// Where [`site`] writes its sites: in memory where the system has it.
fn scratch_dir() -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let base = if std::path::Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    base.join(format!(
        "attache-fuzz-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ))
}

/// The files of a small site made from fuzz input: the input is cut at
/// each `0xff` byte (never in UTF-8 text) into up to six pieces, each one
/// file of a site whose other files are ordinary.
pub const SITE_FILES: [&str; 6] = [
    "content/briefs/a.md",
    "content/briefs/b.md",
    "content/agencies/x.md",
    "content/sectors/s.md",
    "content/meetings/m.md",
    "templates/briefs/page.html",
];

/// The whole pipeline, load to render, on a small site written from the
/// input into a scratch folder (removed after).
pub fn site(data: &[u8]) {
    let dir = scratch_dir();
    let defaults = [
        "+++\ntitle = \"A\"\ndate = 2025-01-01\nagencies = [\"x\"]\nsectors = [\"s\"]\nmeetings = [\"m\"]\n+++\nSee [X](@/agencies/x.md).\n",
        "+++\ntitle = \"B\"\ndate = 2025-01-02\n+++\nB.\n",
        "+++\ntitle = \"X\"\nshort = \"X\"\n+++\n",
        "+++\ntitle = \"S\"\n+++\n",
        "+++\ntitle = \"M\"\ndate = 2025-01-03T10:00:00+09:00\npeople = [\"Jam Kamal\"]\n+++\n",
        "{% extends \"page.html\" %}",
    ];
    let pieces: Vec<&[u8]> = data.split(|&b| b == 0xff).collect();
    let mut ok = std::fs::create_dir_all(&dir).is_ok();
    ok &= std::fs::write(dir.join(CONFIG_FILE), CONFIG).is_ok();
    for (i, rel) in SITE_FILES.iter().enumerate() {
        let path = dir.join(rel);
        let bytes = pieces.get(i).copied().unwrap_or(defaults[i].as_bytes());
        ok &= path
            .parent()
            .is_some_and(|p| std::fs::create_dir_all(p).is_ok());
        ok &= std::fs::write(&path, bytes).is_ok();
    }
    if ok {
        let mut options = SiteOptions::new(&dir);
        options.today = jiff::civil::Date::new(2025, 6, 1).ok();
        match crate::build::check(&options) {
            Ok(generated) => render_all(&generated.diagnostics.into_vec()),
            Err(crate::build::Failure::Errors(d) | crate::build::Failure::Unfinished(d)) => {
                render_all(&d.into_vec())
            }
            Err(crate::build::Failure::Usage(d)) => render_all(&[d]),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
