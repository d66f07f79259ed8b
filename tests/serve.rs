//! `attache serve` and `attache watch`, driven over real HTTP and real file
//! edits. Every server listens on 127.0.0.1 on a free port and is stopped
//! when its test ends, pass or fail.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::TestSite;

/// A running `attache serve` (or `watch`); killed on drop.
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    addr: String,
}

impl Server {
    fn start(site: &TestSite) -> Server {
        Server::spawn(site, &["serve", "--port", "0"])
    }

    fn spawn(site: &TestSite, args: &[&str]) -> Server {
        Server::spawn_with_log(site, args, Stdio::null())
    }

    /// [`Server::spawn`], with what it prints on stderr sent to `log`.
    fn spawn_with_log(site: &TestSite, args: &[&str], log: impl Into<Stdio>) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_attache"))
            .args(args)
            .arg("--root")
            .arg(site.root())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("start attache");
        let stdout = child.stdout.take().expect("stdout");
        let mut first = String::new();
        BufReader::new(stdout)
            .read_line(&mut first)
            .expect("first line");
        let addr = first
            .trim()
            .strip_prefix("Serving http://")
            .map(|a| a.trim_end_matches('/').to_string())
            .unwrap_or_default();
        Server { child, addr }
    }

    fn get(&self, path: &str) -> Response {
        request(&self.addr, "GET", path)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// A plain HTTP/1.1 request, the path sent exactly as given.
fn request(addr: &str, method: &str, path: &str) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Response {
        status,
        headers: head.to_string(),
        body: body.to_string(),
    }
}

/// Waits until `check` is true; panics with `what` after 10 s.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("timed out waiting for: {what}");
}

#[test]
fn the_first_line_is_the_url_and_pages_are_served() {
    let site = TestSite::small();
    let server = Server::start(&site);
    assert!(server.addr.starts_with("127.0.0.1:"), "{}", server.addr);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("Tokyo visit"));
    // Links use the server's own address.
    assert!(
        home.body
            .contains(&format!("href=\"http://{}/atom.xml\"", server.addr))
    );
    let page = server.get("/agencies/jica/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Briefings mentioning JICA"));
    let redirect = server.get("/agencies/jica");
    assert_eq!(redirect.status, 301);
    assert_eq!(
        redirect.header("location").as_deref(),
        Some("/agencies/jica/")
    );
    let css = server.get("/style.css");
    assert_eq!(
        css.header("content-type").as_deref(),
        Some("text/css; charset=utf-8")
    );
    assert!(
        !css.body.contains("attache-live"),
        "only HTML gets the reload script"
    );
    let feed = server.get("/atom.xml");
    assert_eq!(
        feed.header("content-type").as_deref(),
        Some("application/atom+xml; charset=utf-8")
    );
    let ics = server.get("/meetings/calendar.ics");
    assert_eq!(
        ics.header("content-type").as_deref(),
        Some("text/calendar; charset=utf-8")
    );
}

#[test]
fn unknown_paths_get_the_sites_404_page_and_head_works() {
    let site = TestSite::small();
    let server = Server::start(&site);
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page not found"),
        "the theme's 404.html"
    );
    let head = request(&server.addr, "HEAD", "/agencies/jica/");
    assert_eq!(head.status, 200);
    let length: usize = head.header("content-length").unwrap().parse().unwrap();
    assert!(length > 1000);
    assert!(head.body.is_empty());
    assert_eq!(request(&server.addr, "POST", "/").status, 405);
}

#[test]
fn path_traversal_is_refused() {
    let site = TestSite::small();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "SECRET").unwrap();
    std::fs::create_dir_all(site.path("static")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), site.path("static/outside")).unwrap();
    let server = Server::start(&site);
    for path in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/..%5c..%5cetc%5cpasswd",
        "//etc/passwd",
        "/agencies/%00",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 400, "{path}: {}", r.status);
        assert!(!r.body.contains("root:"), "{path}");
    }
    let escaped = server.get("/outside/secret.txt");
    assert_eq!(
        escaped.status, 404,
        "a symlink out of the site is not served"
    );
    assert!(!escaped.body.contains("SECRET"));
    assert_eq!(
        server.get("/attache.toml").status,
        404,
        "only outputs are served"
    );
    assert_eq!(server.get("/content/briefs/tokyo-visit.md").status, 404);
}

#[test]
fn edits_show_up_with_their_backlinks() {
    let site = TestSite::small();
    let server = Server::start(&site);
    site.write(
        "content/briefs/tokyo-visit.md",
        "+++\ntitle = \"Tokyo visit, revised\"\ndate = 2025-07-17\nagencies = [\"jetro\"]\n+++\nNew body text.\n",
    );
    eventually("the brief changes", || {
        server
            .get("/briefs/tokyo-visit/")
            .body
            .contains("New body text.")
    });
    eventually("JETRO lists the new title", || {
        server
            .get("/agencies/jetro/")
            .body
            .contains("Tokyo visit, revised")
    });
    eventually("JICA no longer lists the brief", || {
        !server
            .get("/agencies/jica/")
            .body
            .contains("/briefs/tokyo-visit/")
    });
    assert!(
        server.get("/briefs/").body.contains("Tokyo visit, revised"),
        "the list"
    );
}

#[test]
fn added_renamed_and_deleted_pages_follow() {
    let site = TestSite::small();
    let server = Server::start(&site);
    site.write(
        "content/briefs/new-one.md",
        "+++\ntitle = \"A new one\"\ndate = 2025-08-01\nagencies = [\"jica\"]\n+++\nFresh.\n",
    );
    eventually("the new brief is served", || {
        server.get("/briefs/new-one/").status == 200
    });
    eventually("JICA links to it", || {
        server
            .get("/agencies/jica/")
            .body
            .contains("/briefs/new-one/")
    });
    assert!(server.get("/").body.contains("A new one"), "the home page");

    std::fs::rename(
        site.path("content/briefs/new-one.md"),
        site.path("content/briefs/renamed.md"),
    )
    .unwrap();
    eventually("the old URL is gone", || {
        server.get("/briefs/new-one/").status == 404
    });
    eventually("the new URL is served", || {
        server.get("/briefs/renamed/").status == 200
    });
    eventually("backlinks follow the rename", || {
        let jica = server.get("/agencies/jica/").body;
        jica.contains("/briefs/renamed/") && !jica.contains("/briefs/new-one/")
    });

    site.remove("content/briefs/renamed.md");
    eventually("the deleted page answers 404", || {
        server.get("/briefs/renamed/").status == 404
    });
    eventually("its backlinks disappear", || {
        !server
            .get("/agencies/jica/")
            .body
            .contains("/briefs/renamed/")
    });
}

#[test]
fn an_error_shows_the_overlay_over_the_last_good_page_then_recovers() {
    let site = TestSite::small();
    let server = Server::start(&site);
    assert!(
        server
            .get("/briefs/tokyo-visit/")
            .body
            .contains("\"errors\":[]")
    );
    site.write(
        "content/briefs/tokyo-visit.md",
        "+++\ntitle = \"Broken\ndate = 2025-07-17\n+++\nBroken body.\n",
    );
    eventually("the overlay lists the error", || {
        let page = server.get("/briefs/tokyo-visit/").body;
        page.contains("content/briefs/tokyo-visit.md:2:16") && page.contains("invalid TOML")
    });
    let page = server.get("/briefs/tokyo-visit/").body;
    assert!(
        page.contains("<h1>Tokyo visit</h1>"),
        "the last good version is still served"
    );
    assert!(!page.contains("Broken body."));
    // Source lines are never wrapped, so the ^^^ marker stays under the
    // mistake on a narrow screen too; long lines scroll.
    assert!(
        page.contains("white-space:pre;overflow-x:auto") && !page.contains("pre-wrap"),
        "{page}"
    );
    // A template error too: the site keeps being served.
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.title | nope }}{% endblock main %}",
    );
    eventually("the template error is listed", || {
        server
            .get("/agencies/jica/")
            .body
            .contains("templates/page.html")
    });
    site.remove("templates/page.html");
    site.write(
        "content/briefs/tokyo-visit.md",
        "+++\ntitle = \"Tokyo visit, fixed\"\ndate = 2025-07-17\nagencies = [\"jica\"]\n+++\nFixed body.\n",
    );
    eventually("the page recovers", || {
        let page = server.get("/briefs/tokyo-visit/").body;
        page.contains("Fixed body.") && page.contains("\"errors\":[]")
    });
}

#[test]
fn a_template_that_loops_too_long_is_stopped_and_the_fix_picked_up() {
    let site = TestSite::small();
    site.write(
        "attache.toml",
        &format!("{}[build]\nrender_timeout = 0.5\n", common::CONFIG),
    );
    let server = Server::start(&site);
    site.write(
        "templates/agencies/page.html",
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}",
    );
    eventually("the runaway template is reported", || {
        server
            .get("/agencies/jica/")
            .body
            .contains("was stopped after 0.5 s")
    });
    // The server kept answering, and picks up the fixed template.
    site.write(
        "templates/agencies/page.html",
        "{% extends \"page.html\" %}{% block main %}<p>fixed {{ page.title }}</p>{% endblock main %}",
    );
    eventually("the fixed template is used", || {
        let page = server.get("/agencies/jica/").body;
        page.contains("<p>fixed Japan International Cooperation Agency</p>")
            && page.contains("\"errors\":[]")
    });
}

#[test]
fn a_config_error_keeps_the_site_up_until_fixed() {
    let site = TestSite::small();
    let server = Server::start(&site);
    site.write(
        "attache.toml",
        "title = \"Test Desk\"\nbase_url = \"not a url\"\n",
    );
    eventually("the config error is listed", || {
        server.get("/").body.contains("attache.toml:2:12")
    });
    assert_eq!(server.get("/agencies/jica/").status, 200);
    site.write(
        "attache.toml",
        &common::CONFIG.replace("Test Desk", "Renamed Desk"),
    );
    eventually("the new title is used", || {
        server.get("/").body.contains("Renamed Desk")
    });
}

/// Reads server-sent events until one named `event` arrives.
fn wait_for_event(stream: &mut BufReader<TcpStream>, event: &str) {
    wait_for_any_event(stream, &[event]);
}

fn wait_for_any_event(stream: &mut BufReader<TcpStream>, events: &[&str]) {
    let start = Instant::now();
    let mut line = String::new();
    while start.elapsed() < Duration::from_secs(10) {
        line.clear();
        match stream.read_line(&mut line) {
            Ok(0) => panic!("the event stream closed"),
            Ok(_) if events.iter().any(|e| line.trim() == format!("event: {e}")) => return,
            Ok(_) => {}
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(e) => panic!("{e}"),
        }
    }
    panic!("no {events:?} event");
}

fn open_events(addr: &str) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /__attache/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    wait_for_event(&mut reader, "hello");
    reader
}

#[test]
fn the_event_stream_says_reload_after_a_rebuild_and_css_for_stylesheets() {
    let site = TestSite::small();
    site.write("static/extra.css", "body { margin: 0 }");
    let server = Server::start(&site);
    let mut events = open_events(&server.addr);
    site.write(
        "content/agencies/jetro.md",
        "+++\ntitle = \"JETRO renamed\"\nshort = \"JETRO\"\n+++\n",
    );
    wait_for_event(&mut events, "reload");
    site.write("static/extra.css", "body { margin: 1px }");
    wait_for_event(&mut events, "css");
    site.write("content/agencies/jetro.md", "+++\ntitle = 3\n+++\n");
    // JETRO leaves the lists while its file is broken, as in a fresh
    // build, so the pages reload (with the errors over them).
    wait_for_any_event(&mut events, &["errors", "reload"]);
}

#[test]
fn many_open_tabs_do_not_stall_each_other() {
    let site = TestSite::small();
    let server = Server::start(&site);
    let mut tabs: Vec<BufReader<TcpStream>> = (0..24).map(|_| open_events(&server.addr)).collect();
    let start = Instant::now();
    for _ in 0..10 {
        assert_eq!(server.get("/agencies/jica/").status, 200);
    }
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "pages stay quick with 24 tabs listening"
    );
    site.write(
        "content/agencies/jetro.md",
        "+++\ntitle = \"JETRO again\"\n+++\n",
    );
    for tab in &mut tabs {
        wait_for_event(tab, "reload");
    }
}

#[test]
fn watch_writes_changes_to_the_output_folder_and_nothing_while_broken() {
    let site = TestSite::small();
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    let said = out.path().join("stderr.txt");
    let mut child = Command::new(env!("CARGO_BIN_EXE_attache"))
        .arg("watch")
        .arg("--root")
        .arg(site.root())
        .arg("--output")
        .arg(&output)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&said).unwrap())
        .spawn()
        .unwrap();
    let _guard = KillOnDrop(&mut child);
    let read = |rel: &str| std::fs::read_to_string(output.join(rel)).unwrap_or_default();
    eventually("the first build is written", || {
        read("agencies/jica/index.html").contains("JICA")
    });
    // Nothing printed to stdout needs to be read for watch; the first build is there.
    site.write(
        "content/agencies/jica.md",
        "+++\ntitle = \"JICA renamed\"\nshort = \"JICA\"\n+++\n",
    );
    eventually("the change is written", || {
        read("agencies/jica/index.html").contains("JICA renamed")
    });
    let before = read("briefs/tokyo-visit/index.html");
    site.write(
        "content/briefs/tokyo-visit.md",
        "+++\ntitle = \"Broken\n+++\n",
    );
    site.write(
        "content/agencies/jetro.md",
        "+++\ntitle = \"JETRO while broken\"\n+++\n",
    );
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(read("briefs/tokyo-visit/index.html"), before);
    assert!(
        !read("agencies/jetro/index.html").contains("while broken"),
        "nothing is written while broken"
    );
    // There is no browser in watch: it says what the folder holds.
    eventually("the error is said", || {
        std::fs::read_to_string(&said).is_ok_and(|t| t.contains("1 error"))
    });
    let said = std::fs::read_to_string(&said).unwrap();
    assert!(
        said.contains("the output folder keeps the last good pages"),
        "{said}"
    );
    assert!(!said.contains("browser"), "{said}");
    site.write(
        "content/briefs/tokyo-visit.md",
        "+++\ntitle = \"Tokyo visit\"\ndate = 2025-07-17\n+++\nBack.\n",
    );
    eventually("fixing it writes everything pending", || {
        read("agencies/jetro/index.html").contains("JETRO while broken")
            && read("briefs/tokyo-visit/index.html").contains("Back.")
    });
    // A temporary file exists only while its file is being written (the
    // search index may still be catching up); none is left behind.
    eventually("no temporary files are left behind", || {
        walkdir::WalkDir::new(&output)
            .into_iter()
            .filter_map(Result::ok)
            .all(|e| !e.file_name().to_string_lossy().contains("attache-tmp"))
    });
}

struct KillOnDrop<'a>(&'a mut Child);

impl Drop for KillOnDrop<'_> {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn poll_mode_sees_changes_without_file_system_events() {
    let site = TestSite::small();
    let server = Server::spawn(&site, &["serve", "--port", "0", "--poll"]);
    site.write(
        "content/agencies/jetro.md",
        "+++\ntitle = \"JETRO polled\"\n+++\n",
    );
    eventually("the polled change is served", || {
        server.get("/agencies/jetro/").body.contains("JETRO polled")
    });
}

#[test]
fn drafts_are_served_with_drafts() {
    let site = TestSite::small();
    site.write(
        "content/briefs/wip.md",
        "+++\ntitle = \"WIP\"\ndate = 2025-01-01\ndraft = true\n+++\n",
    );
    let plain = Server::start(&site);
    assert_eq!(plain.get("/briefs/wip/").status, 404);
    let with_drafts = Server::spawn(&site, &["serve", "--port", "0", "--drafts"]);
    assert_eq!(with_drafts.get("/briefs/wip/").status, 200);
}

/// A request with a chosen `Host` header.
fn request_with_host(addr: &str, host: &str, path: &str) -> u16 {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    let _ = stream.read_to_string(&mut raw);
    raw.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn on_loopback_only_the_servers_own_names_are_answered() {
    let site = TestSite::small();
    let server = Server::start(&site);
    let port = server.addr.rsplit(':').next().unwrap().to_string();
    assert_eq!(
        request_with_host(&server.addr, &format!("localhost:{port}"), "/"),
        200
    );
    assert_eq!(
        request_with_host(&server.addr, &format!("127.0.0.1:{port}"), "/"),
        200
    );
    // A page elsewhere pointing its own domain at 127.0.0.1 gets nothing.
    assert_eq!(
        request_with_host(&server.addr, "attacker.example", "/"),
        421
    );
    assert_eq!(
        request_with_host(&server.addr, "attacker.example", "/__attache/events"),
        421
    );
}

#[cfg(unix)]
#[test]
fn a_static_file_swapped_for_a_symlink_out_of_the_site_is_not_served() {
    let site = TestSite::small();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "SECRET").unwrap();
    site.write("static/note.txt", "public note");
    let server = Server::start(&site);
    assert_eq!(server.get("/note.txt").body, "public note");
    std::fs::remove_file(site.path("static/note.txt")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.path("static/note.txt"),
    )
    .unwrap();
    // Whether or not the watcher has caught up, the secret is never served.
    for _ in 0..20 {
        assert!(!server.get("/note.txt").body.contains("SECRET"));
        std::thread::sleep(Duration::from_millis(25));
    }
}

#[test]
fn half_sent_requests_are_dropped_and_cannot_crowd_out_the_browser() {
    let site = TestSite::small();
    let server = Server::start(&site);
    // Far more half-sent requests than one client may hold.
    let mut idle: Vec<TcpStream> = (0..300)
        .filter_map(|_| TcpStream::connect(&server.addr).ok())
        .collect();
    let sent = Instant::now();
    for stream in &mut idle {
        let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: ");
    }
    std::thread::sleep(Duration::from_millis(500));
    let is_open = |stream: &mut TcpStream| {
        stream.set_nonblocking(true).unwrap();
        let mut byte = [0u8; 1];
        let open =
            matches!(stream.read(&mut byte), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock);
        stream.set_nonblocking(false).unwrap();
        open
    };
    let mut open: Vec<TcpStream> = idle
        .into_iter()
        .filter_map(|mut s| is_open(&mut s).then_some(s))
        .collect();
    assert!(
        !open.is_empty() && open.len() <= 130,
        "{} of 300 half-sent requests held open",
        open.len()
    );
    // Those held are dropped once the header timeout passes.
    let mut first = open.remove(0);
    first
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut rest = Vec::new();
    let _ = first.read_to_end(&mut rest);
    let waited = sent.elapsed();
    assert!(
        waited > Duration::from_secs(5) && waited < Duration::from_secs(20),
        "dropped after {waited:?}"
    );
    // And the browser is answered again.
    eventually("a page is served", || server.get("/").status == 200);
}

#[test]
fn a_page_added_while_serving_survives_a_config_edit() {
    let site = TestSite::small();
    let server = Server::start(&site);
    site.write(
        "content/briefs/q0.md",
        "+++\ntitle = \"Q0\"\ndate = 2025-01-01\n+++\nNew.\n",
    );
    eventually("the new page is served", || {
        server.get("/briefs/q0/").status == 200
    });
    std::thread::sleep(Duration::from_millis(1100));
    site.write(
        "attache.toml",
        "title = \"Renamed Desk\"\nbase_url = \"https://example.org/\"\n",
    );
    eventually("the new title is served", || {
        server.get("/").body.contains("Renamed Desk")
    });
    for _ in 0..5 {
        assert_eq!(server.get("/briefs/q0/").status, 200, "the page stays");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(server.get("/briefs/").body.contains("Q0"));
}

#[test]
fn a_replaced_content_folder_is_still_watched() {
    let site = TestSite::small();
    let server = Server::start(&site);
    let content = site.path("content");
    let old = site.path("content.old");
    std::fs::rename(&content, &old).unwrap();
    let status = Command::new("cp")
        .arg("-r")
        .arg(&old)
        .arg(&content)
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::remove_dir_all(&old).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    site.write(
        "content/briefs/after.md",
        "+++\ntitle = \"After the move\"\ndate = 2025-01-01\n+++\nNew.\n",
    );
    eventually("a file written after the move is served", || {
        server.get("/briefs/after/").status == 200
    });
    site.write(
        "content/agencies/jica.md",
        "+++\ntitle = \"JICA edited after the move\"\nshort = \"JICA\"\n+++\n",
    );
    eventually("an edit after the move is served", || {
        server
            .get("/agencies/jica/")
            .body
            .contains("JICA edited after the move")
    });
}

#[test]
fn watch_writes_a_static_file_edited_right_after_the_config_and_follows_a_replaced_folder() {
    let site = TestSite::small();
    site.write("static/hello.txt", "old text");
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    let mut child = Command::new(env!("CARGO_BIN_EXE_attache"))
        .arg("watch")
        .arg("--root")
        .arg(site.root())
        .arg("--output")
        .arg(&output)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _guard = KillOnDrop(&mut child);
    let read = |rel: &str| std::fs::read_to_string(output.join(rel)).unwrap_or_default();
    eventually("the first build is written", || {
        read("hello.txt") == "old text"
    });
    site.write(
        "attache.toml",
        "title = \"Renamed Desk\"\nbase_url = \"https://example.org/\"\n",
    );
    site.write("static/hello.txt", "new text");
    eventually("the static file is written", || {
        read("hello.txt") == "new text"
    });
    eventually("the new title is written", || {
        read("index.html").contains("Renamed Desk")
    });

    // The content folder replaced: later edits are still written, and the
    // folder ends exactly as a build of the same files.
    let content = site.path("content");
    let old = site.path("content.old");
    std::fs::rename(&content, &old).unwrap();
    let status = Command::new("cp")
        .arg("-r")
        .arg(&old)
        .arg(&content)
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::remove_dir_all(&old).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    site.write(
        "content/briefs/after.md",
        "+++\ntitle = \"After the move\"\ndate = 2025-01-01\n+++\nNew.\n",
    );
    eventually("a page written after the move is written", || {
        read("briefs/after/index.html").contains("After the move")
    });
    // Let the search index catch up, then compare with a build.
    std::thread::sleep(Duration::from_millis(1500));
    let built = tempfile::tempdir().unwrap();
    let built_out = built.path().join("public");
    let run: common::Run = common::attache()
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(&built_out)
        .output()
        .unwrap()
        .into();
    assert!(run.success(), "{}", run.stderr);
    let files = |dir: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter(|e| !e.file_name().to_string_lossy().starts_with(".attache"))
            .map(|e| {
                (
                    e.path()
                        .strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let (watched, fresh) = (files(&output), files(&built_out));
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&watched), names(&fresh));
    for ((name, a), (_, b)) in watched.iter().zip(&fresh) {
        assert!(a == b, "{name} differs from a build");
    }
}

#[test]
fn a_warning_is_shown_when_it_appears_not_at_every_change() {
    let site = TestSite::small();
    site.write(
        "attache.toml",
        &format!("{}[kinds.people]\nstub_warnings = true\n", common::CONFIG),
    );
    let log = tempfile::NamedTempFile::new().unwrap();
    let server = Server::spawn_with_log(&site, &["serve", "--port", "0"], log.reopen().unwrap());
    let printed = || std::fs::read_to_string(log.path()).unwrap();
    eventually("the stub warning is shown", || {
        printed().contains("created a stub page")
    });
    for n in 0..3 {
        site.write(
            "content/agencies/jetro.md",
            &format!("+++\ntitle = \"JETRO {n}\"\n+++\n"),
        );
        eventually("the edit is served", || {
            server
                .get("/agencies/jetro/")
                .body
                .contains(&format!("JETRO {n}"))
        });
    }
    // An error appears and is shown; the warning that still stands is not
    // shown again, only counted.
    site.write("content/agencies/jetro.md", "+++\ntitle = 3\n+++\n");
    eventually("the error is shown", || printed().contains("1 error"));
    let text = printed();
    assert_eq!(text.matches("created a stub page").count(), 1, "{text}");
    assert!(text.contains("shown before still stand"), "{text}");
}

#[test]
fn watch_says_how_long_an_update_took() {
    let site = TestSite::small();
    let out = tempfile::tempdir().unwrap();
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_attache"))
        .arg("watch")
        .arg("--root")
        .arg(site.root())
        .arg("--output")
        .arg(out.path().join("public"))
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(log.reopen().unwrap())
        .spawn()
        .unwrap();
    let _guard = KillOnDrop(&mut child);
    let printed = || std::fs::read_to_string(log.path()).unwrap();
    eventually("watch has started", || printed().contains("Watching"));
    site.write(
        "content/agencies/jetro.md",
        "+++\ntitle = \"JETRO renamed\"\n+++\n",
    );
    eventually("the update is reported", || printed().contains("updated:"));
    let text = printed();
    let line = text.lines().find(|l| l.starts_with("updated:")).unwrap();
    assert!(!line.ends_with(" 0.0ns"), "{line}");
    assert!(line.ends_with("ms") || line.ends_with("µs"), "{line}");
}

#[test]
fn open_without_a_browser_says_so_and_serves_anyway() {
    let site = TestSite::small();
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_attache"))
        .args(["serve", "--port", "0", "--open", "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        // No opener on the PATH: as on a server without a desktop.
        .env("PATH", site.path("no-such-folder"))
        .stdout(Stdio::piped())
        .stderr(log.reopen().unwrap())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let _guard = KillOnDrop(&mut child);
    let addr = first
        .trim()
        .strip_prefix("Serving http://")
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    eventually("the warning is printed", || {
        std::fs::read_to_string(log.path())
            .unwrap()
            .contains("could not open a browser")
    });
    let text = std::fs::read_to_string(log.path()).unwrap();
    assert!(
        text.contains(&format!("open http://{addr}/ yourself")),
        "{text}"
    );
    assert_eq!(request(&addr, "GET", "/").status, 200);
}

#[test]
fn a_template_that_grows_past_its_memory_is_stopped_and_the_server_stays_up() {
    let site = TestSite::small();
    site.write(
        "attache.toml",
        &format!("{}[build]\nrender_memory = 16\n", common::CONFIG),
    );
    let server = Server::start(&site);
    // Each time round, `range` is called: a check that stops the render
    // cleanly once it holds more than its budget.
    site.write(
        "templates/agencies/page.html",
        "{% set s = \"aaaaaaaaaaaaaaaa\" %}{% for i in range(end=40) %}{% for j in range(end=1) %}{% endfor %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}",
    );
    eventually("the growing template is reported", || {
        server
            .get("/agencies/jica/")
            .body
            .contains("used more than 16 MB of memory and was stopped")
    });
    site.write(
        "templates/agencies/page.html",
        "{% extends \"page.html\" %}{% block main %}<p>fixed {{ page.title }}</p>{% endblock main %}",
    );
    eventually("the fixed template is used", || {
        let page = server.get("/agencies/jica/").body;
        page.contains("<p>fixed Japan International Cooperation Agency</p>")
            && page.contains("\"errors\":[]")
    });
}

#[test]
fn a_runaway_template_that_calls_nothing_leaves_the_server_up_with_the_error() {
    let site = TestSite::small();
    site.write(
        "attache.toml",
        &format!("{}[build]\nrender_memory = 16\n", common::CONFIG),
    );
    let server = Server::start(&site);
    // Nothing in the loop calls attache: only the allocator sees it grow.
    site.write(
        "templates/agencies/page.html",
        "{% set s = \"aaaaaaaaaaaaaaaa\" %}{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}",
    );
    eventually(
        "the runaway template is reported over the last good page",
        || {
            let page = server.get("/agencies/jica/").body;
            page.contains("used more than 128 MB of memory and was stopped")
                && page.contains("restart attache serve")
                && page.contains("Japan International Cooperation Agency")
        },
    );
    // Still serving.
    assert!(server.get("/").body.contains("Test Desk"));
}

#[test]
fn watch_ends_as_a_fresh_build_after_content_is_replaced_and_half_restored() {
    // The example desk, as issue 21 found it: two meetings' related lists
    // stayed wrong after this.
    let site = TestSite::new();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&repo.join("content"), &site.path("content"));
    std::fs::copy(repo.join("attache.toml"), site.path("attache.toml")).unwrap();
    let backup = site.path("backup");
    common::copy_dir(&site.path("content"), &backup);
    let output = site.path("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_attache"))
        .args(["watch", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(&output)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let guard = KillOnDrop(&mut child);
    eventually("the first build is written", || {
        output.join("index.html").exists()
    });
    std::fs::remove_dir_all(site.path("content")).unwrap();
    common::copy_dir(&backup, &site.path("content"));
    for agency in ["jetro", "jpbcc"] {
        site.remove(&format!("content/agencies/{agency}.md"));
    }
    std::thread::sleep(Duration::from_millis(1500));
    for agency in ["jetro", "jpbcc"] {
        let rel = format!("agencies/{agency}.md");
        std::fs::copy(backup.join(&rel), site.path(&format!("content/{rel}"))).unwrap();
    }
    let fresh = site.path("fresh");
    let expected = || {
        let _ = std::fs::remove_dir_all(&fresh);
        site.run(&["build", "--clean", "--output", fresh.to_str().unwrap()])
            .ok();
        common::visible(&fresh)
    };
    let expected = expected();
    eventually("watch's folder is the fresh build", || {
        common::visible(&output) == expected
    });
    drop(guard);
}
