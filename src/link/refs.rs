//! Resolving one page's references: front-matter lists, inline links
//! (with their anchors) and its parent.

use super::resolve::{At, Outcome, Resolver};
use crate::content::Page;
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::markdown::InlineLink;
use crate::site::pages::{PageId, Pages};

/// Resolves a page's front-matter references and inline links, checking
/// link anchors against the target's headings.
pub fn resolve_refs(
    resolver: &Resolver<'_>,
    id: PageId,
    page: &Page,
) -> (Vec<PageId>, Vec<Diagnostic>) {
    let mut refs = Vec::new();
    let mut problems = Vec::new();
    let add = |target: PageId, refs: &mut Vec<PageId>| {
        if target != id && !refs.contains(&target) {
            refs.push(target);
        }
    };
    for site in &page.fields.refs {
        let at = At {
            file: &page.file,
            span: site.span.clone(),
        };
        match resolver.reference(&site.kind, &site.slug, at) {
            Outcome::Found(target) => add(target, &mut refs),
            Outcome::Missing(d) => problems.push(d),
            Outcome::NeedsStub(_) | Outcome::Silent => {}
        }
    }
    for link in &page.rendered.links {
        match resolve_inline(resolver, &page.file, page.body_offset, link, &mut problems).0 {
            Outcome::Found(target) => add(target, &mut refs),
            Outcome::Missing(d) => problems.push(d),
            Outcome::NeedsStub(_) | Outcome::Silent => {}
        }
    }
    (refs, problems)
}

/// Resolves an inline link of a body that starts at `body_offset` in
/// `file`; a link to a missing heading of a found page is reported into
/// `problems`. Returns the outcome and where the link is written.
fn resolve_inline<'a>(
    resolver: &Resolver<'_>,
    file: &'a SourceFile,
    body_offset: usize,
    link: &InlineLink,
    problems: &mut Vec<Diagnostic>,
) -> (Outcome, At<'a>) {
    let at = At {
        file,
        span: body_offset + link.span.start..body_offset + link.span.end,
    };
    let outcome = resolver.link(&link.written, &link.kind, &link.name, at.clone());
    if let Outcome::Found(target) = outcome
        && let Some(anchor) = &link.anchor
        && let Some(d) = check_anchor(resolver.pages.page(target), anchor, at.location())
    {
        problems.push(d);
    }
    (outcome, at)
}

pub fn check_anchor(
    target: &Page,
    anchor: &str,
    at: crate::diagnostic::Location,
) -> Option<Diagnostic> {
    let anchors = &target.rendered.anchors;
    if anchors.iter().any(|a| a == anchor) {
        return None;
    }
    let hint = match crate::diagnostic::did_you_mean(anchor, anchors.iter().map(String::as_str)) {
        Some(h) => h,
        None if anchors.is_empty() => format!("{} has no headings to link to", target.key),
        None => format!(
            "the headings of {} are: {}",
            target.key,
            anchors
                .iter()
                .map(|a| format!("#{a}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Some(
        Diagnostic::error(format!(
            "broken anchor: {} has no heading `#{anchor}`",
            target.key
        ))
        .at(at)
        .label("no such heading")
        .hint(hint),
    )
}

/// Resolves `parent` (a page of the same kind).
pub fn resolve_parent(
    resolver: &Resolver<'_>,
    page: &Page,
    problems: &mut Vec<Diagnostic>,
) -> Option<PageId> {
    let site = page.fields.parent.as_ref()?;
    let at = At {
        file: &page.file,
        span: site.span.clone(),
    };
    if site.slug == page.slug() {
        problems.push(
            Diagnostic::error(format!("`{}` cannot be its own parent", site.slug))
                .at(at.location())
                .hint("remove `parent`, or name a broader sector"),
        );
        return None;
    }
    match resolver.reference(&site.kind, &site.slug, at) {
        Outcome::Found(id) => Some(id),
        Outcome::Missing(d) => {
            problems.push(d);
            None
        }
        Outcome::NeedsStub(_) | Outcome::Silent => None,
    }
}

pub fn cycle_error(pages: &Pages, cycle: &[PageId]) -> Diagnostic {
    let first = pages.page(cycle[0]);
    let mut chain: Vec<&str> = cycle.iter().map(|&id| pages.page(id).slug()).collect();
    chain.push(first.slug());
    let span = first
        .fields
        .parent
        .as_ref()
        .map(|p| p.span.clone())
        .unwrap_or(0..0);
    Diagnostic::error(format!("{} parents form a cycle: {}", first.kind(), chain.join(" → ")))
        .at(first.file.at(span))
        .label("this parent leads back here")
        .hint("a sector cannot be inside its own subsector; remove or change one of these `parent` fields")
}

/// Checks the internal links of list intros (`_index.md`). Intros do not
/// create stub pages: a link to an unknown name is an error there.
pub fn check_intro_links<'a>(
    resolver: &Resolver<'_>,
    intros: impl IntoIterator<Item = &'a crate::content::Intro>,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for intro in intros {
        for link in &intro.rendered.links {
            let (outcome, at) = resolve_inline(
                resolver,
                &intro.file,
                intro.body_offset,
                link,
                &mut problems,
            );
            match outcome {
                Outcome::Found(_) | Outcome::Silent => {}
                Outcome::Missing(d) => problems.push(d),
                Outcome::NeedsStub(_) => problems.push(
                    Diagnostic::error(format!(
                        "broken link `{}`: there is no such page",
                        link.written
                    ))
                    .at(at.location())
                    .label("no page with this name")
                    .hint(
                        "links in _index.md do not create stub pages; link to a page that exists",
                    ),
                ),
            }
        }
    }
    problems
}
