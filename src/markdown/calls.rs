//! Shortcode calls inside Markdown: the mistakes a call can carry, the
//! bodies of calls rendered as Markdown in turn, and where each call's
//! marker ends up in the HTML, the text and the summary.

use super::{
    Context, Converted, InlineLink, MAX_NESTING, Shortcode, parse_internal, render_from, shortcodes,
};

/// A card (`{{ agency(name="jica") }}`) must say which page it shows: a
/// card without a `name` text, or with a misspelt one, would otherwise
/// render nothing and reference nothing, without a word.
fn card_without_name(code: &Shortcode, cx: &Context<'_>) -> Option<shortcodes::Problem> {
    let kind = (cx.card_kind)(&code.name)?;
    let example = format!("{}(name=\"…\")", code.name);
    match code.args.iter().find(|(k, _, _)| k == "name") {
        Some((_, value, span)) => value.as_str().is_none().then(|| shortcodes::Problem {
            span: span.clone(),
            message: format!("`name` of the card `{}` must be text", code.name),
            hint: Some(format!(
                "write the slug of a page of {kind} in quotes: {example}"
            )),
        }),
        None => {
            let misspelt = code.args.iter().find_map(|(k, _, _)| {
                crate::diagnostic::did_you_mean(k, ["name"]).map(|hint| format!("`{k}`: {hint}"))
            });
            let hint =
                misspelt.unwrap_or_else(|| format!("name the page of {kind} it shows: {example}"));
            Some(shortcodes::Problem {
                span: code.span.clone(),
                message: format!("the card `{}` needs `name`", code.name),
                hint: Some(hint),
            })
        }
    }
}

/// Takes the shortcode calls of `extracted`: their mistakes, the links
/// they make (a card's page, an `@/` argument), and their bodies, rendered.
/// Returns each call's text for search.
///
/// Long: one pass over the calls, taking each call's mistakes, links and body
/// together.
pub(super) fn calls(
    extracted: &shortcodes::Extracted,
    cx: &Context<'_>,
    first: usize,
    depth: usize,
    out: &mut Converted,
) -> Vec<String> {
    out.shortcode_problems = extracted.problems.clone();
    let mut texts = Vec::with_capacity(extracted.codes.len());
    let mut next = first + extracted.codes.len();
    let mut nested: Vec<(Shortcode, Option<String>)> = Vec::new();
    for code in &extracted.codes {
        if let Some(problem) = card_without_name(code, cx) {
            out.shortcode_problems.push(problem);
        }
        let mut text = code.search_text();
        for (key, value, span) in &code.args {
            let Some(value) = value.as_str() else {
                continue;
            };
            let card = (key == "name")
                .then(|| (cx.card_kind)(&code.name))
                .flatten();
            let (kind, name) = match (card, parse_internal(value)) {
                (Some(kind), _) => (kind, value.to_string()),
                (None, Some((kind, name, _))) => (kind, name),
                (None, None) => continue,
            };
            let url = (!kind.is_empty())
                .then(|| (cx.resolve)(&kind, &name))
                .flatten();
            out.links.push(InlineLink {
                written: if value.starts_with("@/") {
                    value.to_string()
                } else {
                    format!("@/{kind}/{name}")
                },
                kind,
                name,
                anchor: None,
                span: span.clone(),
                url,
            });
        }
        if depth >= MAX_NESTING && code.body.is_some() {
            out.shortcode_problems.push(shortcodes::Problem {
                span: code.span.start..code.span.start + 2,
                message: format!("shortcodes nested more than {MAX_NESTING} deep"),
                hint: Some("end some of them sooner".into()),
            });
        }
        let html = code
            .body
            .as_ref()
            .filter(|_| depth < MAX_NESTING)
            .map(|(markdown, offset)| {
                let inner = render_from(markdown, cx, next, depth + 1);
                next += inner.shortcodes.len();
                let shift = |r: std::ops::Range<usize>| r.start + offset..r.end + offset;
                out.links.extend(inner.links.into_iter().map(|mut l| {
                    l.span = shift(l.span);
                    l
                }));
                out.shortcode_problems
                    .extend(inner.shortcode_problems.into_iter().map(|mut p| {
                        p.span = shift(p.span);
                        p
                    }));
                for (mut code, html) in inner.shortcodes.into_iter().zip(inner.shortcode_html) {
                    code.span = shift(code.span);
                    nested.push((code, html));
                }
                text.push_str(&inner.text);
                inner.html
            });
        texts.push(text);
        out.shortcodes.push(code.clone());
        out.shortcode_html.push(html);
    }
    // Calls in bodies are numbered after those of this text.
    for (code, html) in nested {
        out.shortcodes.push(code);
        out.shortcode_html.push(html);
    }
    texts
}

/// Where the markers of calls `first..first + count` ended up: a call on
/// a line of its own stands alone (not in a paragraph); in the text, a
/// call gives its words for search; in the summary, nothing. One pass
/// over each, however many calls there are.
pub(super) fn place_markers(out: &mut Converted, first: usize, count: usize, texts: &[String]) {
    let call = |n: usize| (first..first + count).contains(&n).then(|| n - first);
    // Calls on lines of their own, one after the other, are one paragraph
    // to Markdown: `<p>` + markers + `</p>`. The calls are the paragraph:
    // the first drops the `<p>`, the last the `</p>`.
    let mut in_calls = false;
    out.html = shortcodes::replace_markers(&out.html, |n, before, after| {
        call(n)?;
        let starts = before.ends_with("<p>") && only_markers_then_close(after).is_some();
        let ends = match (starts || in_calls, after.trim_start().starts_with("</p>")) {
            (true, true) => Some(after.len() - after.trim_start().len() + 4),
            _ => None,
        };
        in_calls = (starts || in_calls) && ends.is_none();
        let drop = (if starts { 3 } else { 0 }, ends.unwrap_or(0));
        Some((shortcodes::marker(n), drop))
    });
    out.text = shortcodes::replace_markers(&out.text, |n, _, _| {
        call(n).map(|i| (texts.get(i).cloned().unwrap_or_default(), (0, 0)))
    });
    out.summary = shortcodes::replace_markers(&out.summary, |n, _, _| {
        call(n).map(|_| (String::new(), (0, 0)))
    });
}

/// Whether `text` is only markers and white space up to a `</p>`: the
/// rest of a paragraph of calls. The length up to the `</p>`.
fn only_markers_then_close(text: &str) -> Option<usize> {
    let mut rest = text.trim_start();
    while let Some(after) = rest.strip_prefix(shortcodes::MARK_START) {
        let end = after.find(shortcodes::MARK_END)?;
        rest = after[end + shortcodes::MARK_END.len_utf8()..].trim_start();
    }
    rest.starts_with("</p>").then(|| text.len() - rest.len())
}
