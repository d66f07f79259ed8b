//! Every input is handled in time linear in its size. Each test times the
//! same kind of input at N and 4N items (in one run, so the machine's speed
//! cancels out) and fails when the time grows like N² would: 16 times. A
//! linear cost grows 4 times; the bound of 9 leaves room for noise.

mod common;

use std::time::{Duration, Instant};

use attache::{SiteOptions, check};
use common::TestSite;

const GROWTH_LIMIT: f64 = 9.0;

/// Checks the site (loading, linking, rendering every output, and
/// rendering every diagnostic as the command line would). The fastest of
/// three runs.
fn time_check(site: &TestSite) -> Duration {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            match check(&SiteOptions::new(site.root())) {
                Ok(generated) => {
                    for d in generated.diagnostics.iter() {
                        d.render(false);
                    }
                }
                Err(
                    attache::Failure::Errors(diagnostics)
                    | attache::Failure::Unfinished(diagnostics),
                ) => {
                    for d in diagnostics.iter() {
                        d.render(false);
                    }
                }
                Err(attache::Failure::Usage(d)) => panic!("{d}"),
            }
            started.elapsed()
        })
        .min()
        .unwrap()
}

/// A site whose brief `a` has `body(n)` as its body and `front(n)` as
/// extra front matter; agency `x` is referenced so that the brief is in
/// its feed.
fn site_with(
    n: usize,
    front: &dyn Fn(usize) -> String,
    body: &dyn Fn(usize) -> String,
) -> TestSite {
    let site = TestSite::in_memory();
    site.write("content/agencies/x.md", "+++\ntitle = \"X\"\n+++\n");
    // The picture figures show.
    site.write("static/a.png", "PNG");
    site.write(
        "content/briefs/a.md",
        &format!(
            "+++\ntitle = \"A\"\ndate = 2025-01-01\nagencies = [\"x\"]\n{}+++\n{}",
            front(n),
            body(n)
        ),
    );
    site
}

fn assert_linear(
    what: &str,
    n: usize,
    front: &dyn Fn(usize) -> String,
    body: &dyn Fn(usize) -> String,
) {
    let small = time_check(&site_with(n, front, body));
    let large = time_check(&site_with(4 * n, front, body));
    let growth = large.as_secs_f64() / small.as_secs_f64().max(1e-4);
    eprintln!(
        "{what}: {n} items {small:?}, {} items {large:?}: ×{growth:.1}",
        4 * n
    );
    assert!(
        growth < GROWTH_LIMIT,
        "{what}: ×{growth:.1} from {n} to {} items ({small:?} → {large:?})",
        4 * n
    );
}

fn nothing(_: usize) -> String {
    String::new()
}

#[test]
fn repeated_headings() {
    assert_linear("## H × N", 2_000, &nothing, &|n| {
        "## H\n\ntext\n\n".repeat(n)
    });
}

#[test]
fn repeated_explicit_heading_ids() {
    assert_linear("## H {#x} × N", 2_000, &nothing, &|n| {
        "## H {#x}\n\ntext\n\n".repeat(n)
    });
}

#[test]
fn many_internal_links_in_a_page_that_is_in_feeds() {
    assert_linear("@/ links, a line each", 2_000, &nothing, &|n| {
        "[x](@/agencies/x.md)\n".repeat(n)
    });
    assert_linear("@/ links on one line", 2_000, &nothing, &|n| {
        "[x](@/agencies/x.md) ".repeat(n)
    });
    assert_linear("root-relative links on one line", 2_000, &nothing, &|n| {
        "[x](/x/) ![i](/i.png) ".repeat(n)
    });
}

#[test]
fn many_unknown_slugs_in_front_matter() {
    assert_linear(
        "unknown slugs",
        2_000,
        &|n| {
            let slugs: Vec<String> = (0..n).map(|i| format!("\"unknown-{i}\"")).collect();
            format!("sectors = [{}]\n", slugs.join(", "))
        },
        &nothing,
    );
}

#[test]
fn many_unknown_inline_links_on_one_line() {
    assert_linear("unknown inline links", 2_000, &nothing, &|n| {
        (0..n)
            .map(|i| format!("[x](@/agencies/nope-{i}.md) "))
            .collect::<String>()
    });
}

#[test]
fn ten_thousand_mistakes_report_quickly_and_are_counted() {
    let site = site_with(
        10_000,
        &|n| {
            let slugs: Vec<String> = (0..n).map(|i| format!("\"unknown-{i}\"")).collect();
            format!("sectors = [{}]\n", slugs.join(", "))
        },
        &nothing,
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    // 20 shown, the rest counted, and the count in the summary line.
    assert_eq!(run.stderr.matches("error: unknown sector").count(), 20);
    assert!(
        run.stderr
            .contains("9980 more errors in content/briefs/a.md are not shown"),
        "{}",
        &run.stderr[run.stderr.len().saturating_sub(2000)..]
    );
    assert!(
        run.stderr.contains("failed: 10000 errors"),
        "{}",
        &run.stderr[run.stderr.len().saturating_sub(500)..]
    );
}

#[test]
fn many_shortcodes_and_many_broken_ones() {
    assert_linear("figure shortcodes on one line", 1_000, &nothing, &|n| {
        "{{ figure(src=\"a.png\", caption=\"c\") }} ".repeat(n)
    });
    assert_linear("note shortcodes with bodies", 1_000, &nothing, &|n| {
        "{% note() %}\nText.\n{% end %}\n\n".repeat(n)
    });
    assert_linear("unknown shortcodes", 1_000, &nothing, &|n| {
        "{{ nope(a=1) }} ".repeat(n)
    });
    assert_linear("shortcodes with bad arguments", 1_000, &nothing, &|n| {
        "{{ figure(src=) }} ".repeat(n)
    });
    assert_linear("unclosed shortcode bodies", 1_000, &nothing, &|n| {
        "{% note() %} ".repeat(n)
    });
}
