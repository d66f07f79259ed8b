//! When a page appears or goes, an update resolves again only the
//! references into its kind (and those of the pages it touches): these
//! are the cases where a reference outside that rule must be resolved
//! again too, each compared with a fresh build of the same files.

mod common;

use attache::Engine;
use common::{TestSite, problems, snapshot};

/// An unknown agency's hint says when the name is a page of another
/// kind: a sector of that slug appearing changes the hint of a brief that
/// names no sector (its problem is resolved again, whatever its kinds).
#[test]
fn an_unknown_reference_hint_follows_a_page_of_another_kind() {
    let site = TestSite::small();
    let brief = "content/briefs/zinc-talks.md";
    site.write(
        brief,
        "+++\ntitle = \"Zinc talks\"\ndate = 2025-06-01\nagencies = [\"zinc\"]\n+++\nBody.\n",
    );
    let mut engine = Engine::new(site.options()).unwrap();
    assert!(
        problems(&engine)
            .iter()
            .any(|p| p.contains("create content/agencies/zinc.md")),
        "{:?}",
        problems(&engine)
    );
    let sector = "content/sectors/zinc.md";
    site.write(sector, "+++\ntitle = \"Zinc\"\n+++\nA metal.\n");
    engine.apply(vec![site.path(sector)]);
    let now = problems(&engine);
    assert!(
        now.iter().any(|p| p.contains("`zinc` is a sector")),
        "{now:?}"
    );
    assert_eq!(now, problems(&Engine::new(site.options()).unwrap()));
}

/// An update of an ask no page raises is an error; once a brief that
/// already existed raises it, the update finds it, as a fresh build does,
/// though no page appeared or went.
#[test]
fn an_update_finds_an_ask_raised_later_in_another_file() {
    let site = TestSite::small();
    let meeting = "content/meetings/follow-up.md";
    site.write(
        meeting,
        "+++\ntitle = \"Follow-up\"\ndate = 2025-08-20T10:00:00+09:00\nagencies = [\"jetro\"]\n\n[[updates]]\nid = \"seminars\"\nstatus = \"in-progress\"\n+++\nNotes.\n",
    );
    let mut engine = Engine::new(site.options()).unwrap();
    assert!(
        problems(&engine).iter().any(|p| p.contains("seminars")),
        "{:?}",
        problems(&engine)
    );
    let brief = "content/briefs/tokyo-visit.md";
    let text = std::fs::read_to_string(site.path(brief)).unwrap();
    // The table goes at the end of the front matter.
    let end = text.rfind("+++").unwrap();
    let raised = format!(
        "{}\n[[asks]]\nid = \"seminars\"\nby = \"jica\"\nto = \"jetro\"\nwhat = \"Seminars\"\n{}",
        &text[..end],
        &text[end..]
    );
    site.write(brief, &raised);
    engine.apply(vec![site.path(brief)]);
    let fresh = Engine::new(site.options()).unwrap();
    assert_eq!(problems(&engine), problems(&fresh));
    assert!(problems(&engine).iter().all(|p| !p.contains("seminars")));
    let files = |e: &Engine| snapshot(&e.outputs().files);
    let (now, expected) = (files(&engine), files(&fresh));
    let differ: Vec<&String> = expected
        .iter()
        .filter(|(path, bytes)| now.get(*path) != Some(bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(differ.is_empty(), "differ from a fresh build: {differ:?}");
    assert_eq!(now.len(), expected.len());
}

/// An update of an unknown ask says which ask it may mean; once that ask
/// is gone (the brief that raised it raises none now), the hint names
/// another, as a fresh build's does: no page came or went, no other ask
/// changed, and the page with the update did not change.
#[test]
fn an_unknown_asks_hint_forgets_an_ask_gone() {
    let site = TestSite::small();
    let raising = |stem: &str, id: Option<&str>| {
        let table = id.map_or(String::new(), |id| {
            format!("\n[[asks]]\nid = \"{id}\"\nby = \"jica\"\nto = \"jetro\"\nwhat = \"Talks\"\n")
        });
        site.write(
            &format!("content/briefs/{stem}.md"),
            &format!(
                "+++\ntitle = \"Talks {stem}\"\ndate = 2025-06-01\nagencies = [\"jica\"]\n{table}+++\nBody.\n"
            ),
        );
    };
    raising("seminar-talks", Some("seminars"));
    raising("close-talks", Some("seminar-b6"));
    let meeting = "content/meetings/follow-up.md";
    site.write(
        meeting,
        "+++\ntitle = \"Follow-up\"\ndate = 2025-08-20T10:00:00+09:00\nagencies = [\"jetro\"]\n\n[[updates]]\nid = \"seminar-b5\"\nstatus = \"in-progress\"\n+++\nNotes.\n",
    );
    let mut engine = Engine::new(site.options()).unwrap();
    let hint = |e: &Engine| {
        problems(e)
            .into_iter()
            .find(|p| p.contains("seminar-b5"))
            .unwrap_or_default()
    };
    assert!(
        hint(&engine).contains("did you mean `seminar-b6`?"),
        "{}",
        hint(&engine)
    );
    raising("close-talks", None);
    engine.apply(vec![site.path("content/briefs/close-talks.md")]);
    let fresh = Engine::new(site.options()).unwrap();
    assert!(
        hint(&fresh).contains("did you mean `seminars`?"),
        "{}",
        hint(&fresh)
    );
    assert_eq!(problems(&engine), problems(&fresh));
}
