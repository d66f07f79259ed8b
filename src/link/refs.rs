//! Resolving one page's references: front-matter lists, inline links
//! (with their anchors) and its parent.

use super::resolve::{At, Outcome, Resolver};
use crate::content::Page;
use crate::content::pages::{PageId, Pages};
use crate::diagnostic::{Code, Diagnostic, MAX_PER_FILE, SourceFile, display_path};
use crate::markdown::InlineLink;

/// The problems of one file: the first [`MAX_PER_FILE`] are explained in
/// full, the rest only counted, since explaining an unknown name looks at
/// every name of its kind (ten thousand broken references in one file
/// would otherwise take minutes).
struct Problems<'r> {
    resolver: &'r Resolver<'r>,
    shown: Vec<Diagnostic>,
    hidden: usize,
}

impl<'r> Problems<'r> {
    fn new(resolver: &'r Resolver<'r>) -> Self {
        Problems {
            resolver,
            shown: Vec::new(),
            hidden: 0,
        }
    }

    fn push(&mut self, d: Diagnostic) {
        if self.shown.len() < MAX_PER_FILE {
            self.shown.push(d);
        } else {
            self.hidden += 1;
        }
    }

    /// Records a reference that did not resolve; `Found` and the quiet
    /// outcomes are the caller's.
    fn note(&mut self, outcome: &Outcome<'_>) {
        match outcome {
            Outcome::Missing(d) => self.push(d.clone()),
            Outcome::Unknown(u) if self.shown.len() < MAX_PER_FILE => {
                self.shown.push(self.resolver.explain(u))
            }
            Outcome::Unknown(_) => self.hidden += 1,
            Outcome::Found(_) | Outcome::NeedsStub(_) | Outcome::Silent => {}
        }
    }

    fn finish(mut self, file: &SourceFile) -> Vec<Diagnostic> {
        if self.hidden > 0 {
            let mut d = Diagnostic::error(format!(
                "{} more broken references in {} are not shown",
                self.hidden,
                display_path(&file.path)
            ))
            .in_file(file.path.clone())
            .hint("fix the ones shown and run again; the count goes down as you go");
            d.count = self.hidden;
            self.shown.push(d);
        }
        self.shown
    }
}

/// Resolves a page's front-matter references and inline links, checking
/// link anchors against the target's headings.
pub fn resolve_refs(
    resolver: &Resolver<'_>,
    id: PageId,
    page: &Page,
) -> (Vec<PageId>, Vec<Diagnostic>) {
    let mut refs = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut problems = Problems::new(resolver);
    let mut add = |target: PageId, refs: &mut Vec<PageId>| {
        if target != id && seen.insert(target) {
            refs.push(target);
        }
    };
    for site in &page.fields.refs {
        let at = At {
            file: &page.file,
            span: site.span.clone(),
        };
        let outcome = resolver.reference(&site.kind, &site.slug, at);
        match outcome {
            Outcome::Found(target) => add(target, &mut refs),
            other => problems.note(&other),
        }
    }
    for link in &page.rendered.links {
        match resolve_inline(&mut problems, &page.file, page.body_offset, link).0 {
            Outcome::Found(target) => add(target, &mut refs),
            other => problems.note(&other),
        }
    }
    shortcode_problems(
        &mut problems,
        &page.file,
        page.body_offset,
        &page.rendered.shortcode_problems,
    );
    (refs, problems.finish(&page.file))
}

/// Resolves an inline link of a body that starts at `body_offset` in
/// `file`; a link to a missing heading of a found page is reported into
/// `problems`. Returns the outcome and where the link is written.
fn resolve_inline<'a>(
    problems: &mut Problems<'_>,
    file: &'a SourceFile,
    body_offset: usize,
    link: &InlineLink,
) -> (Outcome<'a>, At<'a>) {
    let resolver = problems.resolver;
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
        .code(Code::BrokenAnchor)
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
        Outcome::Unknown(u) => {
            problems.push(resolver.explain(&u));
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
        .code(Code::ParentCycle)
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
    let mut all = Vec::new();
    for intro in intros {
        let mut problems = Problems::new(resolver);
        for link in &intro.rendered.links {
            let (outcome, at) = resolve_inline(&mut problems, &intro.file, intro.body_offset, link);
            match outcome {
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
                other => problems.note(&other),
            }
        }
        shortcode_problems(
            &mut problems,
            &intro.file,
            intro.body_offset,
            &intro.rendered.shortcode_problems,
        );
        all.extend(problems.finish(&intro.file));
    }
    all
}

/// Mistakes in the shortcode calls of a body that starts at
/// `body_offset` in `file`.
fn shortcode_problems(
    problems: &mut Problems<'_>,
    file: &SourceFile,
    body_offset: usize,
    found: &[crate::markdown::shortcodes::Problem],
) {
    for p in found {
        let span = body_offset + p.span.start..body_offset + p.span.end;
        problems.push(
            Diagnostic::error(format!("shortcode: {}", p.message))
                .code(Code::Shortcode)
                .at(file.at(span))
                .maybe_hint(p.hint.clone()),
        );
    }
}
