//! Live reload and the error overlay: the script the dev server adds to
//! every HTML page, and the messages it sends over server-sent events.

use serde::Serialize;

use crate::diagnostic::Diagnostics;

/// Where the event stream is served.
pub const EVENTS_PATH: &str = "/__attache/events";

/// An error as the overlay shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorView {
    /// `content/briefs/a.md:4:13`, or empty.
    pub position: String,
    pub message: String,
    /// The whole report, with the snippet and the hint.
    pub report: String,
}

/// The errors of `diagnostics` (warnings stay in the terminal).
pub fn views(diagnostics: &Diagnostics) -> Vec<ErrorView> {
    diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| ErrorView {
            position: d.position().unwrap_or_default(),
            message: d.message.clone(),
            report: d.render(false),
        })
        .collect()
}

/// A server-sent event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// `hello`, `reload`, `css` or `errors`.
    pub event: &'static str,
    pub data: String,
}

impl Message {
    pub fn hello(version: u64) -> Message {
        Message {
            event: "hello",
            data: version.to_string(),
        }
    }

    pub fn reload(version: u64) -> Message {
        Message {
            event: "reload",
            data: version.to_string(),
        }
    }

    pub fn css(version: u64) -> Message {
        Message {
            event: "css",
            data: version.to_string(),
        }
    }

    pub fn errors(errors: &[ErrorView]) -> Message {
        Message {
            event: "errors",
            data: serde_json::to_string(errors).unwrap_or_else(|_| "[]".into()),
        }
    }

    /// The message as it goes over the wire.
    pub fn to_sse(&self) -> String {
        let mut out = format!("event: {}\n", self.event);
        for line in self.data.lines() {
            out.push_str("data: ");
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
        out
    }
}

/// `html` with the live-reload script before `</body>`: the page's version
/// and the current errors, then the client.
pub fn inject(html: &[u8], version: u64, errors: &[ErrorView]) -> Vec<u8> {
    #[derive(Serialize)]
    struct State<'a> {
        version: u64,
        events: &'a str,
        errors: &'a [ErrorView],
    }
    let state = serde_json::to_string(&State {
        version,
        events: EVENTS_PATH,
        errors,
    })
    .unwrap_or_default()
    // Inside <script>, `</script>` would end the element early and `<!--`
    // would change how the parser reads the rest; JSON allows the escapes.
    .replace('<', "\\u003c")
    .replace('>', "\\u003e")
    .replace('&', "\\u0026");
    let snippet = format!(
        "<script id=\"attache-live\" type=\"application/json\">{state}</script>\n<script id=\"attache-client\">{CLIENT}</script>\n"
    );
    let text = String::from_utf8_lossy(html);
    let at = text.rfind("</body>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + snippet.len());
    out.push_str(&text[..at]);
    out.push_str(&snippet);
    out.push_str(&text[at..]);
    out.into_bytes()
}

/// The browser side: on `reload`, fetch the page and swap its body in
/// place (a full reload for pages with scripts of their own); swap
/// stylesheets on `css`; show or clear the overlay on `errors`. EventSource reconnects by itself when the
/// server restarts.
const CLIENT: &str = r#"(function () {
  "use strict";
  var state = JSON.parse(document.getElementById("attache-live").textContent);
  function overlay(errors) {
    var old = document.getElementById("attache-overlay");
    if (old) old.remove();
    if (!errors.length) return;
    var box = document.createElement("div");
    box.id = "attache-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,24,.92);" +
      "color:#f5f5f5;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem;";
    var head = document.createElement("p");
    head.style.cssText = "margin:0 0 1rem;font:600 16px system-ui,sans-serif;color:#ff8a80;";
    head.textContent = errors.length + (errors.length === 1 ? " error" : " errors") +
      ": this page is the last good version. Fix the file and it updates by itself.";
    var close = document.createElement("button");
    close.textContent = "Hide";
    close.style.cssText = "float:right;font:inherit;";
    close.onclick = function () { box.remove(); };
    box.appendChild(close);
    box.appendChild(head);
    errors.forEach(function (e) {
      var pre = document.createElement("pre");
      // Never wrapped: the ^^^ under a line must stay under the mistake;
      // a long line scrolls instead.
      pre.style.cssText = "white-space:pre;overflow-x:auto;background:#2b2b33;padding:1rem;border-left:4px solid #ff5252;margin:0 0 1rem;";
      pre.textContent = e.report;
      box.appendChild(pre);
    });
    document.body.appendChild(box);
  }
  function swapStyles(version) {
    document.querySelectorAll("link[rel=stylesheet]").forEach(function (link) {
      var url = new URL(link.href, location.href);
      url.searchParams.set("attache", version);
      var fresh = link.cloneNode();
      fresh.href = url.toString();
      fresh.onload = function () { link.remove(); };
      link.after(fresh);
    });
  }
  function isLive(node) {
    return node.id === "attache-live" || node.id === "attache-overlay" || node.id === "attache-client";
  }
  // The page again, in place: the body's content is swapped for the new
  // one, so the reader keeps their place and nothing flashes. A page with
  // scripts of its own (search) is reloaded, as they would not run again.
  function refresh() {
    fetch(location.href, { cache: "no-store" }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.text();
    }).then(function (text) {
      var doc = new DOMParser().parseFromString(text, "text/html");
      var fresh = doc.getElementById("attache-live");
      var scripted = Array.prototype.some.call(doc.body.querySelectorAll("script"), function (s) {
        return s.id !== "attache-live" && s.id !== "attache-client";
      });
      if (!fresh || scripted) { location.reload(); return; }
      var next = JSON.parse(fresh.textContent);
      document.title = doc.title;
      Array.prototype.slice.call(document.body.childNodes).forEach(function (n) { if (!isLive(n)) n.remove(); });
      var anchor = document.getElementById("attache-live");
      Array.prototype.slice.call(doc.body.childNodes).forEach(function (n) {
        if (!isLive(n)) document.body.insertBefore(document.importNode(n, true), anchor);
      });
      state.version = next.version;
      overlay(next.errors);
      document.dispatchEvent(new CustomEvent("attache:updated"));
    }).catch(function () { location.reload(); });
  }
  overlay(state.errors);
  if (!window.EventSource) return;
  var source = new EventSource(state.events);
  source.addEventListener("hello", function (e) { if (Number(e.data) !== state.version) refresh(); });
  source.addEventListener("reload", function () { refresh(); });
  source.addEventListener("css", function (e) { state.version = Number(e.data); swapStyles(e.data); });
  source.addEventListener("errors", function (e) { overlay(JSON.parse(e.data)); });
})();"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_end_of_the_body_and_cannot_close_early() {
        let errors = vec![ErrorView {
            position: "a.md:1:1".into(),
            message: "bad </script> here <!--<script>".into(),
            report: "x".into(),
        }];
        let out =
            String::from_utf8(inject(b"<html><body><p>x</p></body></html>", 7, &errors)).unwrap();
        let script = out.find("<script id=\"attache-live\"").unwrap();
        assert!(script < out.find("</body>").unwrap());
        assert!(out.contains("\"version\":7"));
        assert!(out.contains("bad \\u003c/script\\u003e here"));
        assert_eq!(out.matches("</script>").count(), 2);
    }

    #[test]
    fn messages_are_valid_server_sent_events() {
        assert_eq!(Message::reload(3).to_sse(), "event: reload\ndata: 3\n\n");
        let m = Message::errors(&[]);
        assert_eq!(m.to_sse(), "event: errors\ndata: []\n\n");
    }
}
