//! Hugo's shortcodes (`{{< name arg key="v" >}}`, `{{% … %}}`, with a
//! closing `{{< /name >}}`) in attache's form (`{{ name(key="v") }}`,
//! `{% name() %}…{% end %}`). `ref` and `relref` become `@/` links; Hugo's
//! embedded shortcodes get a Tera template of the same name.

use std::collections::BTreeSet;

/// What converting one body found, for the plan.
#[derive(Default)]
pub(super) struct Found {
    /// Names of the shortcodes called (after conversion).
    pub called: BTreeSet<String>,
    /// Notes about the body.
    pub notes: Vec<String>,
}

/// One call: `{{< name a "b" key="c" >}}`.
struct Call {
    name: String,
    closing: bool,
    /// Arguments in order: (key, value); positional ones have no key.
    args: Vec<(Option<String>, String)>,
}

/// `body` with Hugo's shortcodes in attache's form. `page_url` is the
/// page's URL path, under which a bundle's pictures are published.
///
/// Long: one arm per kind of call (escaped, closing, highlight, inline,
/// ref, any other), over the calls found in one pass.
pub(super) fn convert(body: &str, page_url: &str, found: &mut Found) -> String {
    let calls = scan(body);
    let closing_of = closings(&calls);
    let fences = fence_lines(body);
    let mut out = String::with_capacity(body.len());
    let mut pos = 0;
    for (i, c) in calls.iter().enumerate() {
        // Inside what a call before took (a highlight's code).
        if c.start < pos {
            continue;
        }
        out.push_str(&body[pos..c.start]);
        pos = c.end;
        // `{{</* x */>}}` shows a shortcode as text.
        if let Some(inner) = c
            .inner
            .strip_prefix("/*")
            .and_then(|t| t.strip_suffix("*/"))
        {
            // In a code block the text stays as it is; elsewhere `<` and
            // `>` are written as entities, which attache does not take for
            // a Hugo call and Markdown shows as the characters.
            let in_code = fences.partition_point(|&f| f < c.start) % 2 == 1;
            let (open, close) = match (c.markdown, in_code) {
                (true, _) => ("{{%", "%}}"),
                (false, true) => ("{{<", ">}}"),
                (false, false) => ("{{&lt;", "&gt;}}"),
            };
            out.push_str(&format!("{open}{inner}{close}"));
            continue;
        }
        let call = parse(c.inner);
        if call.closing {
            out.push_str("{% end %}");
            continue;
        }
        let closing = closing_of[i].map(|j| &calls[j]);
        match (call.name.as_str(), closing) {
            ("highlight", Some(close)) => {
                let lang = call.args.first().map(|(_, v)| v.as_str()).unwrap_or("");
                let code = body[c.end..close.start].trim_matches('\n');
                out.push_str(&format!("```{lang}\n{code}\n```"));
                pos = close.end;
            }
            // An inline shortcode's body is a Go template: nothing of it
            // can be carried over.
            (name, closing) if name.ends_with(".inline") => {
                if let Some(close) = closing {
                    pos = close.end;
                }
                found.notes.push(format!(
                    "inline shortcode `{name}` (a Go template) is left out"
                ));
            }
            ("ref" | "relref", _) => {
                let target = named(&call, "path", 0).unwrap_or_default();
                out.push_str(&ref_link(&target));
            }
            _ => out.push_str(&attache_call(&call, closing.is_some(), page_url, found)),
        }
    }
    out.push_str(&body[pos..]);
    out
}

/// One `{{< … >}}` or `{{% … %}}` of a body.
struct Delimited<'a> {
    start: usize,
    end: usize,
    /// What is between the delimiters, trimmed.
    inner: &'a str,
    /// The `%` form.
    markdown: bool,
}

/// Every delimited call of `body`, in order, in one pass: the next `>}}`
/// and `%}}` are each looked for once and kept until passed, so that
/// openings without an end do not make it quadratic.
fn scan(body: &str) -> Vec<Delimited<'_>> {
    const CLOSE: [&str; 2] = [">}}", "%}}"];
    let mut out = Vec::new();
    // For each form: not looked for yet, or where the next end is (none).
    let mut next: [Option<Option<usize>>; 2] = [None, None];
    let mut from = 0;
    while let Some(at) = body[from..].find("{{") {
        let start = from + at;
        from = start + 2;
        let form = match body.as_bytes().get(start + 2) {
            Some(b'<') => 0,
            Some(b'%') => 1,
            _ => continue,
        };
        let end = match next[form] {
            Some(Some(end)) if end >= start + 3 => Some(end),
            Some(None) => None,
            _ => {
                let end = body[start + 3..].find(CLOSE[form]).map(|i| start + 3 + i);
                next[form] = Some(end);
                end
            }
        };
        let Some(end) = end else {
            continue;
        };
        out.push(Delimited {
            start,
            end: end + 3,
            inner: body[start + 3..end].trim(),
            markdown: form == 1,
        });
        from = end + 3;
    }
    out
}

/// For each opening call, the closing call of its name nearest after it.
fn closings(calls: &[Delimited<'_>]) -> Vec<Option<usize>> {
    let mut closing_of = vec![None; calls.len()];
    let mut next: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, c) in calls.iter().enumerate().rev() {
        if c.inner.starts_with("/*") {
            continue;
        }
        match c.inner.strip_prefix('/') {
            Some(name) => {
                next.insert(name.trim(), i);
            }
            None => {
                let name = c.inner.split_whitespace().next().unwrap_or_default();
                closing_of[i] = next.get(name).copied();
            }
        }
    }
    closing_of
}

/// Where the lines that open or close a fenced code block start.
fn fence_lines(body: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            out.push(at);
        }
        at += line.len();
    }
    out
}

fn parse(text: &str) -> Call {
    let (closing, text) = match text.strip_prefix('/') {
        Some(t) => (true, t.trim()),
        None => (false, text),
    };
    let mut tokens = tokens(text).into_iter();
    let name = tokens.next().map(|(_, v)| v).unwrap_or_default();
    Call {
        name,
        closing,
        args: tokens.collect(),
    }
}

/// Splits arguments: `a "b c" key="d" key2=e` → positional and named.
fn tokens(text: &str) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else {
            return out;
        };
        let mut key = None;
        let mut word = String::new();
        if first != '"' && first != '`' {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '=') {
                word.push(c);
            }
            if chars.next_if_eq(&'=').is_none() {
                out.push((None, word));
                continue;
            }
            key = Some(std::mem::take(&mut word));
        }
        match chars.peek().copied() {
            Some(q @ ('"' | '`')) => {
                chars.next();
                while let Some(c) = chars.next_if(|c| *c != q) {
                    word.push(c);
                }
                chars.next();
            }
            _ => {
                while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                    word.push(c);
                }
            }
        }
        out.push((key, word));
    }
}

/// The argument `key`, or the positional one at `index`.
fn named(call: &Call, key: &str, index: usize) -> Option<String> {
    call.args
        .iter()
        .find(|(k, _)| k.as_deref() == Some(key))
        .or_else(|| call.args.iter().filter(|(k, _)| k.is_none()).nth(index))
        .map(|(_, v)| v.clone())
}

/// `{{< ref "post/x.md" >}}` → `@/post/x.md`, resolved to the new file
/// with the other links when the plan is finished.
fn ref_link(target: &str) -> String {
    let (path, anchor) = match target.split_once('#') {
        Some((path, anchor)) => (path, format!("#{anchor}")),
        None => (target, String::new()),
    };
    let path = path.trim_start_matches('/').trim_end_matches('/');
    match path.ends_with(".md") {
        true => format!("@/{path}{anchor}"),
        false => format!("@/{path}.md{anchor}"),
    }
}

/// A call in attache's form. Hugo's embedded shortcodes take their
/// arguments by the names attache's templates for them use.
fn attache_call(call: &Call, paired: bool, page_url: &str, found: &mut Found) -> String {
    let args: Vec<(String, String)> = match call.name.as_str() {
        "youtube" | "vimeo" | "vimeo_simple" | "instagram" | "instagram_simple" => {
            vec![("id".into(), named(call, "id", 0).unwrap_or_default())]
        }
        "tweet" | "twitter" | "twitter_simple" | "x" => vec![
            ("user".into(), named(call, "user", 0).unwrap_or_default()),
            ("id".into(), named(call, "id", 1).unwrap_or_default()),
        ],
        "gist" => {
            let mut a = vec![
                ("user".into(), named(call, "user", 0).unwrap_or_default()),
                ("id".into(), named(call, "id", 1).unwrap_or_default()),
            ];
            if let Some(file) = named(call, "file", 2) {
                a.push(("file".into(), file));
            }
            a
        }
        "figure" => figure_args(call, page_url),
        _ => {
            let mut positional = 0;
            call.args
                .iter()
                .map(|(k, v)| {
                    let key = k.clone().unwrap_or_else(|| {
                        positional += 1;
                        format!("arg{}", positional - 1)
                    });
                    (key, v.clone())
                })
                .collect()
        }
    };
    let name = match call.name.as_str() {
        "vimeo_simple" => "vimeo",
        "twitter" | "twitter_simple" | "x" => "tweet",
        "instagram_simple" => "instagram",
        other => other,
    };
    found.called.insert(name.to_string());
    let args: Vec<String> = args
        .iter()
        .filter(|(k, _)| is_identifier(k))
        .map(|(k, v)| format!("{k}={}", quote(v)))
        .collect();
    match paired {
        true => format!("{{% {name}({}) %}}", args.join(", ")),
        false => format!("{{{{ {name}({}) }}}}", args.join(", ")),
    }
}

/// Hugo's figure (`src`, `title` or `caption`, `alt`, `attr`) as
/// attache's (`src`, `caption`, `alt`, `credit`); a picture beside the
/// page is named from the site's root.
fn figure_args(call: &Call, page_url: &str) -> Vec<(String, String)> {
    let mut args = Vec::new();
    if let Some(src) = named(call, "src", 0) {
        let local = !src.contains("://") && !src.starts_with('/');
        args.push((
            "src".into(),
            if local {
                format!("/{page_url}{src}")
            } else {
                src
            },
        ));
    }
    if let Some(caption) =
        named(call, "caption", usize::MAX).or_else(|| named(call, "title", usize::MAX))
    {
        args.push(("caption".into(), caption));
    }
    if let Some(alt) = named(call, "alt", usize::MAX) {
        args.push(("alt".into(), alt));
    }
    if let Some(credit) = named(call, "attr", usize::MAX) {
        args.push(("credit".into(), credit));
    }
    args
}

fn is_identifier(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A Tera string literal.
fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// Tera templates for Hugo's embedded shortcodes, by attache name.
pub(super) fn embedded_template(name: &str) -> Option<&'static str> {
    Some(match name {
        "youtube" => {
            "<div class=\"embed\"><iframe src=\"https://www.youtube-nocookie.com/embed/{{ id }}\" title=\"YouTube video\" loading=\"lazy\" allowfullscreen></iframe></div>\n"
        }
        "vimeo" => {
            "<div class=\"embed\"><iframe src=\"https://player.vimeo.com/video/{{ id }}?dnt=1\" title=\"Vimeo video\" loading=\"lazy\" allowfullscreen></iframe></div>\n"
        }
        "tweet" => {
            "<blockquote class=\"tweet\"><a href=\"https://x.com/{{ user }}/status/{{ id }}\">A post by @{{ user }}</a></blockquote>\n"
        }
        "instagram" => {
            "<blockquote class=\"instagram\"><a href=\"https://www.instagram.com/p/{{ id }}/\">A post on Instagram</a></blockquote>\n"
        }
        "gist" => {
            "<script src=\"https://gist.github.com/{{ user }}/{{ id }}.js{% if file is defined %}?file={{ file }}{% endif %}\"></script>\n<noscript><a href=\"https://gist.github.com/{{ user }}/{{ id }}\">A gist by {{ user }}</a></noscript>\n"
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> String {
        convert(body, "post/x/", &mut Found::default())
    }

    #[test]
    fn hugo_calls_become_attache_calls() {
        assert_eq!(
            run("{{< youtube ZJthWmvUzzc >}}"),
            "{{ youtube(id=\"ZJthWmvUzzc\") }}"
        );
        assert_eq!(
            run("{{< twitter_simple user=\"des\" id=\"108\" >}}"),
            "{{ tweet(user=\"des\", id=\"108\") }}"
        );
        assert_eq!(
            run("{{< figure src=\"a.png\" title=\"Port\" attr=\"JICA\" >}}"),
            "{{ figure(src=\"/post/x/a.png\", caption=\"Port\", credit=\"JICA\") }}"
        );
        assert_eq!(
            run("{{% note kind=\"info\" %}}\nText\n{{% /note %}}"),
            "{% note(kind=\"info\") %}\nText\n{% end %}"
        );
    }

    #[test]
    fn highlight_becomes_a_fenced_block_and_ref_a_link() {
        assert_eq!(
            run("{{< highlight html >}}\n<p>x</p>\n{{< /highlight >}}\nafter"),
            "```html\n<p>x</p>\n```\nafter"
        );
        assert_eq!(run("[a]({{< ref \"post/b.md\" >}})"), "[a](@/post/b.md)");
        assert_eq!(run("[a]({{< relref \"/about\" >}})"), "[a](@/about.md)");
        assert_eq!(run("{{< ref \"b.md#top\" >}}"), "@/b.md#top");
    }

    #[test]
    fn inline_shortcodes_are_left_out_with_a_note() {
        let mut found = Found::default();
        let out = convert(
            "a\n{{< css.inline >}}\n<style>{{ .X }}</style>\n{{< /css.inline >}}\nb",
            "",
            &mut found,
        );
        assert_eq!(out, "a\n\nb");
        assert_eq!(found.notes.len(), 1);
    }

    #[test]
    fn ten_thousand_calls_or_openings_take_one_pass() {
        // Quadratic, these would take minutes.
        let calls = "{{< youtube a >}} {{< x >}}\n".repeat(10_000);
        assert_eq!(run(&calls).matches("youtube(id=").count(), 10_000);
        let open = "{{< ".repeat(100_000);
        assert_eq!(run(&open), open);
        let pairs = "{{< note >}}a{{< /note >}}\n".repeat(10_000);
        assert_eq!(run(&pairs).matches("{% end %}").count(), 10_000);
    }

    #[test]
    fn escaped_calls_stay_text_and_stray_braces_stay() {
        assert_eq!(run("{{</* youtube x */>}}"), "{{&lt; youtube x &gt;}}");
        assert_eq!(
            run("```\n{{</* youtube x */>}}\n```"),
            "```\n{{< youtube x >}}\n```"
        );
        assert_eq!(run("a {{ b }} {{< c"), "a {{ b }} {{< c");
    }
}
