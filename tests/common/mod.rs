//! A test site in a temporary folder, built with the real `attache` binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const CONFIG: &str = "title = \"Test Desk\"\nbase_url = \"https://example.org/\"\n";

/// A site on disk. Dropping it removes the folder.
pub struct TestSite {
    dir: tempfile::TempDir,
}

/// What a run of the binary gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn success(&self) -> bool {
        self.code == 0
    }

    /// Panics with the output unless the run exited 0.
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "attache failed:\n{}\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

pub fn attache() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_attache"));
    c.env("NO_COLOR", "1").env_remove("SOURCE_DATE_EPOCH");
    c
}

impl TestSite {
    /// An empty site with the default attache.toml.
    pub fn new() -> TestSite {
        let site = TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        site.write("attache.toml", CONFIG);
        site
    }

    /// An empty site in memory (`/dev/shm`) where the system has it: for
    /// tests that write many files, which is slow on some disks.
    pub fn in_memory() -> TestSite {
        let shm = Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            tempfile::tempdir_in(shm)
        } else {
            tempfile::tempdir()
        };
        let site = TestSite {
            dir: dir.expect("temp dir"),
        };
        site.write("attache.toml", CONFIG);
        site
    }

    /// A small cross-linked site: one brief, one meeting, two agencies,
    /// three sectors in a tree.
    pub fn small() -> TestSite {
        let site = TestSite::new();
        site.write(
            "content/briefs/tokyo-visit.md",
            r#"+++
title = "Tokyo visit"
date = 2025-07-17
summary = "Minerals pitch in Tokyo."
agencies = ["jica", "jetro"]
sectors = ["copper"]
meetings = ["jica-talks"]
+++

Met [JICA](@/agencies/jica.md) about [copper](@/sectors/copper.md#deposits).
"#,
        );
        site.write(
            "content/meetings/jica-talks.md",
            "+++\ntitle = \"JICA talks\"\ndate = 2025-07-15T10:00:00+09:00\nlocation = \"Tokyo\"\npeople = [\"HARA Shohei\"]\nagencies = [\"jica\"]\n+++\nNotes.\n",
        );
        site.write(
            "content/agencies/jica.md",
            "+++\ntitle = \"Japan International Cooperation Agency\"\nshort = \"JICA\"\ncountry = \"Japan\"\nwebsite = \"https://www.jica.go.jp/\"\n+++\nDevelopment agency.\n",
        );
        site.write(
            "content/agencies/jetro.md",
            "+++\ntitle = \"Japan External Trade Organization\"\nshort = \"JETRO\"\n+++\n",
        );
        site.write(
            "content/sectors/minerals.md",
            "+++\ntitle = \"Minerals\"\n+++\n",
        );
        site.write(
            "content/sectors/critical-minerals.md",
            "+++\ntitle = \"Critical minerals\"\nparent = \"minerals\"\n+++\n",
        );
        site.write(
            "content/sectors/copper.md",
            "+++\ntitle = \"Copper\"\nparent = \"critical-minerals\"\n+++\n\n## Deposits\n\nIn the north.\n",
        );
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Options for an engine on this site, on a fixed day (1 July 2025),
    /// so that what is upcoming does not depend on when tests run.
    pub fn options(&self) -> attache::SiteOptions {
        attache::SiteOptions {
            today: jiff::civil::Date::new(2025, 7, 1).ok(),
            ..attache::SiteOptions::new(self.root())
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).expect("remove");
    }

    /// Runs `attache <args> --root <site>`.
    pub fn run(&self, args: &[&str]) -> Run {
        attache()
            .args(args)
            .arg("--root")
            .arg(self.root())
            .output()
            .expect("run attache")
            .into()
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// The text of an output file under public/.
    pub fn read(&self, rel: &str) -> String {
        let path = self.path("public").join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path("public").join(rel).exists()
    }

    /// Every file under `dir` (relative path → bytes), to compare trees;
    /// attache's manifest, which records when files were written, is left
    /// out.
    pub fn snapshot(&self, dir: &str) -> Vec<(String, Vec<u8>)> {
        let mut files = self.snapshot_all(dir);
        files.retain(|(rel, _)| rel != ".attache-manifest.json");
        files
    }

    /// Every file under `dir`, the manifest included; not the writers'
    /// lock, which names the process that last took it.
    pub fn snapshot_all(&self, dir: &str) -> Vec<(String, Vec<u8>)> {
        let base = self.path(dir);
        let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(&base)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.file_name() != ".attache-lock")
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(&base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    }
}

/// The part of an HTML page inside `<main>`.
/// The files of documents of `kind` in the search index, as `read` takes
/// them (`search/docs/<kind>/<n>.json`), by number: a kind by date numbers
/// them by its documents' days, not from 0.
pub fn search_packs(site: &TestSite, kind: &str) -> Vec<String> {
    let dir = site.path(&format!("public/search/docs/{kind}"));
    let mut numbers: Vec<u64> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name();
            name.to_str()?.strip_suffix(".json")?.parse().ok()
        })
        .collect();
    numbers.sort_unstable();
    numbers
        .iter()
        .map(|n| format!("search/docs/{kind}/{n}.json"))
        .collect()
}

pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").unwrap_or(0);
    let end = html.find("</main>").unwrap_or(html.len());
    &html[start..end]
}

/// The HTML between the element with `id="<id>"` and the next `</section>`.
pub fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let marker = format!("id=\"{id}\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no #{id} in:\n{html}"));
    let end = html[start..]
        .find("</section>")
        .map_or(html.len(), |e| start + e);
    &html[start..end]
}

/// Every file under `dir` (relative path → bytes), without attache's own
/// bookkeeping (its `.attache*` files and folders): to compare output
/// folders written by different runs. A file that a running `watch` or
/// `serve` removes between the listing and the reading is left out: the
/// folder is then not the one expected, and a test that waits for it
/// looks again.
pub fn visible(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with(".attache"))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            let bytes = match std::fs::read(e.path()) {
                Ok(bytes) => bytes,
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => return None,
                Err(err) => panic!("cannot read {}: {err}", e.path().display()),
            };
            Some((rel.to_string_lossy().into_owned(), bytes))
        })
        .collect();
    files.sort();
    files
}

/// Copies the folder `from` into `to`, which may not exist yet.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Builds the site, then runs `break_it`, builds again, and checks
/// that the build failed and public/ is byte for byte what it was.
pub fn failed_build_keeps_public(site: &TestSite, break_it: impl FnOnce(&TestSite)) -> Run {
    site.build().ok();
    let before = site.snapshot_all("public");
    assert!(!before.is_empty());
    break_it(site);
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("the output folder was not changed"),
        "{}",
        run.stderr
    );
    assert_eq!(before, site.snapshot_all("public"), "public/ changed");
    run
}

/// The outputs of an engine as path → bytes (static files read from
/// their source path).
pub fn snapshot(
    files: &std::collections::BTreeMap<String, attache::write::Body>,
) -> std::collections::BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .map(|(path, body)| {
            let bytes = match body {
                attache::write::Body::Bytes(b) => b.to_vec(),
                attache::write::Body::Copy(from) => std::fs::read(from).unwrap(),
            };
            (path.clone(), bytes)
        })
        .collect()
}

/// Every problem an engine has, as printed.
pub fn problems(engine: &attache::Engine) -> Vec<String> {
    engine
        .diagnostics()
        .iter()
        .map(|d| d.render(false))
        .collect()
}
