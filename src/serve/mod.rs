//! `attache serve`: the site over HTTP from memory, rebuilt as files change,
//! with live reload and an error overlay.
//!
//! Three parts run side by side: the watcher gathers file events into
//! batches ([`crate::watcher`]); one rebuild thread owns the [`Engine`] site,
//! applies each batch and publishes the changed files; the HTTP server
//! ([`http`]) serves the published files and streams reload events.

pub mod http;
pub mod listen;
pub mod reload;

use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::Arc;

use crate::build::Failure;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::engine::{Engine, Update};
use crate::live::{self, Report};
use crate::site::SiteOptions;
use crate::watcher::Batches;
use http::{Served, Shared};
use reload::Message;

/// Options of `attache serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub site: SiteOptions,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub open: bool,
    pub poll: bool,
}

/// The address to put in links for a bound socket.
fn site_url(addr: SocketAddr) -> String {
    let host = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_string(),
        ip if ip.is_unspecified() => "[::1]".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    format!("http://{host}:{}/", addr.port())
}

/// Builds the site, serves it, and rebuilds it as files change, until the
/// process is stopped.
///
/// Long: the server's parts (watcher, engine, listener, shutdown) are started
/// and stopped together here, in the order they depend on each other.
pub fn serve(options: ServeOptions, report: impl Report) -> Result<(), Failure> {
    let listener = TcpListener::bind((options.bind, options.port)).map_err(|e| {
        Failure::Usage(
            Diagnostic::error(format!(
                "cannot listen on {}:{}: {e}",
                options.bind, options.port
            ))
            .hint("choose another port with --port, or --port 0 for any free one"),
        )
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| Failure::Usage(Diagnostic::error(format!("cannot listen: {e}"))))?;
    let url = site_url(addr);
    let mut site = options.site.clone();
    site.base_url = Some(url.clone());
    let root = site
        .root
        .canonicalize()
        .unwrap_or_else(|_| site.root.clone());
    let mut batches = Batches::new(&root, options.poll)
        .map_err(|e| Failure::Usage(Diagnostic::error(e).hint("try --poll")))?;
    let mut live = Engine::new(site).map_err(Failure::Errors)?;
    live.defer_search();

    report.started(&format!("Serving {url}"));
    if !options.bind.is_loopback() {
        report.warning(&format!(
            "serving on {}: other machines that can reach this one can read the site",
            options.bind
        ));
    }
    let diagnostics = live.diagnostics();
    report.diagnostics(&diagnostics, &diagnostics);

    let hosts = options
        .bind
        .is_loopback()
        .then(|| http::loopback_hosts(addr));
    let served = Served {
        files: live
            .outputs()
            .files
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        errors: reload::views(&diagnostics),
        version: 0,
        boundary: Some(live.site().boundary.clone()),
    };
    let shared = Arc::new(Shared::new(served, hosts));
    if options.open
        && let Err(why) = open_browser(&url)
    {
        report.warning(&format!(
            "could not open a browser ({why}): open {url} yourself"
        ));
    }
    crate::alloc::keep_serving_on_stop();
    watch_for_stopped_render(shared.clone());
    let for_rebuilds = shared.clone();
    std::thread::Builder::new()
        .name("attache-rebuild".into())
        .spawn(move || {
            let mut sink = Publisher(&for_rebuilds);
            live::run(&mut live, &mut batches, &mut sink, &report)
        })
        .map_err(|e| {
            Failure::Usage(Diagnostic::error(format!(
                "cannot start the rebuild thread: {e}"
            )))
        })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::Usage(Diagnostic::error(format!("cannot start the server: {e}"))))?;
    runtime
        .block_on(async move {
            listener.set_nonblocking(true)?;
            let listener = tokio::net::TcpListener::from_std(listener)?;
            listen::serve(listener, http::router(shared)).await;
            Ok::<(), std::io::Error>(())
        })
        .map_err(|e| Failure::Usage(Diagnostic::error(format!("the server stopped: {e}"))))
}

/// Shows a render the allocator stopped (see [`crate::alloc`]) over the
/// last good pages: the rebuilds stopped with it, the server goes on.
fn watch_for_stopped_render(shared: Arc<Shared>) {
    let watcher = move || loop {
        std::thread::sleep(std::time::Duration::from_millis(200));
        let Some(text) = crate::alloc::stopped() else {
            continue;
        };
        let mut lines = text.lines();
        let first = lines.next().unwrap_or_default();
        let mut d = Diagnostic::error(first.trim_start_matches("error: ").to_string()).hint(
            "a template that builds ever larger strings or lists in a loop is stopped; \
             the rebuilds stopped with it: fix the template, then restart attache serve",
        );
        if let Some(path) = lines.find_map(|l| l.trim_start().strip_prefix("--> ")) {
            d = d.in_file(std::path::PathBuf::from(path));
        }
        let errors = reload::views(&Diagnostics::from(vec![d]));
        let message = {
            let mut served = shared.served.write().unwrap_or_else(|e| e.into_inner());
            served.errors = errors;
            served.version += 1;
            Message::errors(&served.errors)
        };
        let _ = shared.events.send(message);
        return;
    };
    // Without the thread the process still stops a runaway render; only
    // the overlay would not say so.
    let _ = std::thread::Builder::new()
        .name("attache-memory".into())
        .spawn(watcher);
}

/// Serves each update: what the rebuild loop hands to the server.
struct Publisher<'a>(&'a Shared);

impl live::Handler for Publisher<'_> {
    fn update(&mut self, engine: &Engine, update: &Update, diagnostics: &Diagnostics) {
        publish(self.0, engine, update, diagnostics);
    }
}

/// Copies changed files to what the server serves and tells the browsers.
pub fn publish(shared: &Shared, live: &Engine, update: &Update, diagnostics: &Diagnostics) {
    let errors = reload::views(diagnostics);
    let message = {
        let mut served = shared.served.write().unwrap_or_else(|e| e.into_inner());
        for path in &update.changed {
            if let Some(body) = live.outputs().files.get(path) {
                served.files.insert(path.clone(), body.clone());
            }
        }
        for path in &update.removed {
            served.files.remove(path);
        }
        served.boundary = Some(live.site().boundary.clone());
        let errors_changed = served.errors != errors;
        served.errors = errors;
        if update.is_empty() && !errors_changed {
            return;
        }
        served.version += 1;
        // The search index changes after the pages; readers need not reload for it.
        let only_search = update
            .changed
            .iter()
            .chain(&update.removed)
            .all(|p| p.starts_with("search/"));
        if update.only_css() {
            Message::css(served.version)
        } else if !update.is_empty() && !only_search {
            Message::reload(served.version)
        } else if errors_changed {
            Message::errors(&served.errors)
        } else {
            return;
        }
    };
    // No receivers (no open tab) is fine.
    let _ = shared.events.send(message);
}

/// Opens `url` in the default browser, if the platform has a way to.
/// Says why not when the opener is missing or fails at once (no browser,
/// no display); one still running after a moment is taken to work.
fn open_browser(url: &str) -> Result<(), String> {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let mut child = std::process::Command::new(command)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("`{command}`: {e}"))?;
    let _ = std::io::stdout().flush();
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(2) {
        match child.try_wait() {
            // `explorer` exits with 1 even when it opened the page.
            Ok(Some(status)) if status.success() || cfg!(windows) => return Ok(()),
            Ok(Some(status)) => return Err(format!("`{command}` exited with {status}")),
            Ok(None) => std::thread::sleep(std::time::Duration::from_millis(20)),
            Err(e) => return Err(format!("`{command}`: {e}")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_for_bound_addresses() {
        assert_eq!(
            site_url("127.0.0.1:1111".parse().unwrap()),
            "http://127.0.0.1:1111/"
        );
        assert_eq!(
            site_url("0.0.0.0:80".parse().unwrap()),
            "http://127.0.0.1:80/"
        );
        assert_eq!(
            site_url("[::1]:8080".parse().unwrap()),
            "http://[::1]:8080/"
        );
    }
}
