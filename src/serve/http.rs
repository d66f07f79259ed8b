//! HTTP: the site's files from memory, the event stream, nothing else.
//!
//! A request path is percent-decoded and must not contain `..`, `.`,
//! backslashes or NUL; it is then looked up among the site's outputs (a map
//! built by the pipeline), never joined onto a folder, so no request can
//! reach a file that is not part of the site.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::{Body as HttpBody, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast;

use super::reload::{self, ErrorView, Message};
use crate::fs::Boundary;
use crate::output::Body;

/// What the server serves, updated by the rebuild thread.
#[derive(Debug, Default)]
pub struct Served {
    pub files: HashMap<String, Body>,
    pub errors: Vec<ErrorView>,
    /// Goes up with every change the browser should see.
    pub version: u64,
    /// What static files may be read from; `None` reads none.
    pub boundary: Option<Boundary>,
}

/// State shared by the rebuild thread and the request handlers.
pub struct Shared {
    pub served: RwLock<Served>,
    pub events: broadcast::Sender<Message>,
    /// `Host` headers accepted, or `None` for any. A server on a loopback
    /// address answers only to its own name, so that a web page elsewhere
    /// cannot read the preview by pointing a domain at 127.0.0.1.
    pub hosts: Option<Vec<String>>,
}

impl Shared {
    pub fn new(served: Served, hosts: Option<Vec<String>>) -> Shared {
        Shared {
            served: RwLock::new(served),
            events: broadcast::channel(64).0,
            hosts,
        }
    }

    fn host_allowed(&self, headers: &HeaderMap) -> bool {
        let Some(allowed) = &self.hosts else {
            return true;
        };
        headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|h| allowed.iter().any(|a| a.eq_ignore_ascii_case(h)))
    }
}

/// The `Host` values a server on loopback `addr` answers to.
pub fn loopback_hosts(addr: std::net::SocketAddr) -> Vec<String> {
    let port = addr.port();
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .flat_map(|h| [format!("{h}:{port}"), h.to_string()])
        .collect()
}

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(reload::EVENTS_PATH, get(events))
        .fallback(file)
        .with_state(shared)
}

/// Why a request path was refused.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused;

/// The output file a request path names: `/a/b/` → `a/b/index.html`.
pub fn request_key(path: &str) -> Result<String, Refused> {
    let decoded = percent_decode(path).ok_or(Refused)?;
    if decoded.contains(['\\', '\0']) || !decoded.starts_with('/') {
        return Err(Refused);
    }
    let rel = &decoded[1..];
    if rel.split('/').any(|part| part == ".." || part == ".") {
        return Err(Refused);
    }
    if rel.starts_with('/') || rel.contains("//") {
        // `//etc/passwd`: an absolute path in disguise; `a//b` names no
        // output either.
        return Err(Refused);
    }
    Ok(if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    })
}

/// `%2e%2e` → `..`; `None` for a malformed escape or invalid UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The content type of an output file.
pub fn content_type(key: &str) -> String {
    if key.ends_with("atom.xml") {
        return "application/atom+xml; charset=utf-8".into();
    }
    if key.ends_with(".ics") {
        return "text/calendar; charset=utf-8".into();
    }
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let text =
        mime.type_() == "text" || matches!(mime.subtype().as_str(), "javascript" | "json" | "xml");
    if text {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// Long: the checks of a request (host, method, path), what it finds (a
/// file, a folder to redirect to, the not-found page), then the response.
async fn file(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if !shared.host_allowed(&headers) {
        return (StatusCode::MISDIRECTED_REQUEST, "unknown host\n").into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        let mut response = StatusCode::METHOD_NOT_ALLOWED.into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let Ok(key) = request_key(uri.path()) else {
        return (StatusCode::BAD_REQUEST, "bad path\n").into_response();
    };
    enum Found {
        File(Body),
        Redirect,
        Missing(Option<Body>),
    }
    let (found, version, errors, boundary) = {
        let served = shared.served.read().unwrap_or_else(|e| e.into_inner());
        let found = match served.files.get(&key) {
            Some(body) => Found::File(body.clone()),
            None if served.files.contains_key(&format!("{key}/index.html")) => Found::Redirect,
            None => Found::Missing(served.files.get("404.html").cloned()),
        };
        (
            found,
            served.version,
            served.errors.clone(),
            served.boundary.clone(),
        )
    };
    let (status, key, body) = match found {
        Found::File(body) => (StatusCode::OK, key, body),
        Found::Redirect => {
            let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
            let location = format!("{}/", uri.path());
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            return response;
        }
        Found::Missing(Some(page)) => (StatusCode::NOT_FOUND, "404.html".to_string(), page),
        Found::Missing(None) => (
            StatusCode::NOT_FOUND,
            "404.html".to_string(),
            Body::Bytes(Arc::from(
                &b"<!doctype html><title>Not found</title><body><p>Not found.</p></body>"[..],
            )),
        ),
    };
    let bytes: Vec<u8> = match body {
        Body::Bytes(b) => b.to_vec(),
        Body::Copy(path) => {
            // The file may have become a symlink since the site was read:
            // follow it only if it stays inside the site, by the same rule
            // as a build.
            let read = tokio::task::spawn_blocking(move || match boundary {
                Some(b) => b.read(&path).ok(),
                None => None,
            })
            .await;
            match read {
                Ok(Some(b)) => b,
                _ => return StatusCode::NOT_FOUND.into_response(),
            }
        }
    };
    let bytes = if key.ends_with(".html") {
        reload::inject(&bytes, version, &errors)
    } else {
        bytes
    };
    let length = bytes.len();
    let mut response = if method == Method::HEAD {
        Response::new(HttpBody::empty())
    } else {
        Response::new(HttpBody::from(bytes))
    };
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type(&key)) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The event stream: `hello` with the current version, then every message.
async fn events(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if !shared.host_allowed(&headers) {
        return (StatusCode::MISDIRECTED_REQUEST, "unknown host\n").into_response();
    }
    let receiver = shared.events.subscribe();
    let version = shared.served.read().map(|s| s.version).unwrap_or_default();
    let hello = Message::hello(version).to_sse();
    let stream = futures_util::stream::unfold(
        (Some(hello), receiver),
        |(first, mut receiver)| async move {
            if let Some(hello) = first {
                return Some((
                    Ok::<Bytes, Infallible>(Bytes::from(hello)),
                    (None, receiver),
                ));
            }
            loop {
                match receiver.recv().await {
                    Ok(message) => {
                        return Some((Ok(Bytes::from(message.to_sse())), (None, receiver)));
                    }
                    // A slow tab missed messages; the next one still arrives.
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        },
    );
    let mut response = Response::new(HttpBody::from_stream(stream));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_map_to_output_files() {
        assert_eq!(request_key("/").unwrap(), "index.html");
        assert_eq!(
            request_key("/agencies/jica/").unwrap(),
            "agencies/jica/index.html"
        );
        assert_eq!(request_key("/style.css").unwrap(), "style.css");
        assert_eq!(request_key("/a%20b/").unwrap(), "a b/index.html");
    }

    #[test]
    fn traversal_is_refused_however_it_is_written() {
        for path in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/./index.html",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "//etc/passwd",
            "/%00",
            "/%zz",
            "/%ff",
        ] {
            assert_eq!(request_key(path), Err(Refused), "{path}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("search.js"), "text/javascript; charset=utf-8");
        assert_eq!(
            content_type("search/index.json"),
            "application/json; charset=utf-8"
        );
        assert_eq!(
            content_type("agencies/jica/atom.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("meetings/calendar.ics"),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(content_type("logo.png"), "image/png");
    }
}
