//! Measures the live rebuild: the time from writing a file to the new page
//! being served by `attache serve`, against a full build of the same site.
//!
//!     cargo run --release --example bench_live -- ATTACHE_BINARY SITE [RUNS]
//!
//! SITE is a generated corpus (examples/gen_corpus.rs). Each scenario
//! writes a file with a new marker, then requests the page until the
//! marker is in it; the median of RUNS runs is reported. Files are put
//! back as they were at the end.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(addr: &str, path: &str) -> String {
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return String::new();
    };
    let _ = write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    );
    let mut body = String::new();
    let _ = stream.read_to_string(&mut body);
    body
}

/// Writes `text` to `file` and returns how long until `page` contains `marker`.
fn time_until_served(addr: &str, file: &Path, text: &str, page: &str, marker: &str) -> Duration {
    let start = Instant::now();
    std::fs::write(file, text).expect("write the file");
    loop {
        if get(addr, page).contains(marker) {
            return start.elapsed();
        }
        if start.elapsed() > Duration::from_secs(60) {
            panic!("{page} never showed {marker}");
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(binary), Some(site)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: bench_live ATTACHE_BINARY SITE [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(7);
    let site = PathBuf::from(site);

    // The full build, for comparison: `check` does all the work but writing.
    let mut full = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let status = Command::new(binary)
            .args(["check", "--root"])
            .arg(&site)
            .stderr(Stdio::null())
            .status();
        assert!(status.is_ok_and(|s| s.success()), "attache check failed");
        full.push(start.elapsed());
    }
    let full = median(full);

    let mut child = Command::new(binary)
        .args(["serve", "--port", "0", "--root"])
        .arg(&site)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start attache serve");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("the URL");
    let server = Server(child);
    let addr = first
        .trim()
        .trim_start_matches("Serving http://")
        .trim_end_matches('/')
        .to_string();
    // Let the search index and the watcher settle.
    std::thread::sleep(Duration::from_secs(2));

    let brief = site.join("content/briefs/brief-5000.md");
    let agency = site.join("content/agencies/agency-7.md");
    let template = site.join("templates/briefs/page.html");
    let originals: Vec<(PathBuf, Option<String>)> = [&brief, &agency, &template]
        .iter()
        .map(|p| (p.to_path_buf(), std::fs::read_to_string(p).ok()))
        .collect();
    let brief_text = originals[0].1.clone().expect("the corpus has brief-5000");
    let agency_text = originals[1].1.clone().expect("the corpus has agency-7");
    std::fs::create_dir_all(template.parent().expect("a folder")).expect("templates/briefs");
    let template_text = |marker: &str| {
        format!(
            "{{% extends \"page.html\" %}}{{% block details %}}<p>{marker}</p>{{{{ super() }}}}{{% endblock details %}}"
        )
    };
    std::fs::write(&template, template_text("start")).expect("write the template");
    std::thread::sleep(Duration::from_secs(4));

    let mut brief_times = Vec::new();
    let mut agency_times = Vec::new();
    let mut template_times = Vec::new();
    let mut new_times = Vec::new();
    let mut new_briefs = Vec::new();
    for run in 0..runs {
        // The day's brief: a new file, newer than every other.
        let marker = format!("bench-new-{run}");
        let file = site.join(format!("content/briefs/bench-new-{run}.md"));
        let text = brief_text
            .lines()
            .map(|line| match line {
                l if l.starts_with("title = ") => format!("title = \"{marker}\""),
                l if l.starts_with("date = ") => format!("date = 2030-01-{:02}", run % 28 + 1),
                l => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        new_times.push(time_until_served(
            &addr,
            &file,
            &text,
            &format!("/briefs/bench-new-{run}/"),
            &marker,
        ));
        new_briefs.push(file);
        std::thread::sleep(Duration::from_millis(1500));

        let marker = format!("bench-brief-{run}");
        brief_times.push(time_until_served(
            &addr,
            &brief,
            &format!("{brief_text}\n{marker}\n"),
            "/briefs/brief-5000/",
            &marker,
        ));
        std::thread::sleep(Duration::from_millis(1500));

        let marker = format!("bench-agency-{run}");
        let renamed = agency_text.replacen("title = \"", &format!("title = \"{marker} "), 1);
        agency_times.push(time_until_served(
            &addr,
            &agency,
            &renamed,
            "/agencies/agency-7/",
            &marker,
        ));
        std::thread::sleep(Duration::from_millis(1500));

        let marker = format!("bench-template-{run}");
        template_times.push(time_until_served(
            &addr,
            &template,
            &template_text(&marker),
            "/briefs/brief-5000/",
            &marker,
        ));
        std::thread::sleep(Duration::from_millis(3000));
    }
    drop(server);
    for file in new_briefs {
        let _ = std::fs::remove_file(file);
    }
    for (path, text) in originals {
        match text {
            Some(text) => std::fs::write(&path, text).expect("restore"),
            None => {
                let _ = std::fs::remove_file(&path);
            }
        }
    }

    let brief = median(brief_times.clone());
    println!("full build (attache check), median of 3: {}", ms(full));
    println!(
        "edit one brief → page served, median of {runs}: {} (all: {:?})",
        ms(brief),
        brief_times.iter().map(|d| ms(*d)).collect::<Vec<_>>()
    );
    println!(
        "a new brief → its page served, median of {runs}: {} (all: {:?})",
        ms(median(new_times.clone())),
        new_times.iter().map(|d| ms(*d)).collect::<Vec<_>>()
    );
    println!(
        "edit one agency's title → page served, median of {runs}: {} (all: {:?})",
        ms(median(agency_times.clone())),
        agency_times.iter().map(|d| ms(*d)).collect::<Vec<_>>()
    );
    println!(
        "edit the briefs template → a brief served, median of {runs}: {} (all: {:?})",
        ms(median(template_times.clone())),
        template_times.iter().map(|d| ms(*d)).collect::<Vec<_>>()
    );
    println!(
        "full build / brief edit: {:.0}×",
        full.as_secs_f64() / brief.as_secs_f64()
    );
}
