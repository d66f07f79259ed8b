//! Fingerprints made from what a picture reads rather than from the
//! picture (cheaper on every update): the cases where a part of such a
//! print is what makes a page render again, each compared with a fresh
//! build of the same files.

mod common;

use attache::Engine;
use common::{TestSite, snapshot};

/// More agencies than a relationship map shows, all as often mentioned
/// with the hub: which ones it shows goes by a hash of their titles.
/// Renaming one the map leaves out can bring it in, though the hub's page
/// never read it; the hub's map print must see the list's order.
#[test]
fn a_map_takes_in_a_renamed_agency_it_left_out() {
    let site = TestSite::small();
    let others = 25; // one more than a map shows
    let names: Vec<String> = (0..others).map(|i| format!("a{i}")).collect();
    for name in &names {
        site.write(
            &format!("content/agencies/{name}.md"),
            &format!("+++\ntitle = \"Agency {name}\"\n+++\nAn agency.\n"),
        );
    }
    site.write(
        "content/agencies/hub.md",
        "+++\ntitle = \"Hub\"\n+++\nThe hub.\n",
    );
    let listed = names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ");
    site.write(
        "content/briefs/round-table.md",
        &format!(
            "+++\ntitle = \"Round table\"\ndate = 2025-06-02\nagencies = [\"hub\", {listed}]\n+++\nAll of them.\n"
        ),
    );
    let hub = "agencies/hub/index.html";
    let page = |e: &Engine| snapshot(&e.outputs().files).remove(hub).unwrap();
    let mut engine = Engine::new(site.options()).unwrap();
    // An update that changes the graph first: what an update keeps of
    // the maps is then what the renames below are checked against.
    let other = "content/briefs/other.md";
    site.write(
        other,
        "+++\ntitle = \"Other\"\ndate = 2025-06-03\n+++\nElse.\n",
    );
    engine.apply(vec![site.path(other)]);
    // A node of the map (the pager links to agencies too).
    let node = |name: &str| format!("<a href=\"/agencies/{name}/\"><title>");
    let shown = |e: &Engine, name: &str| String::from_utf8(page(e)).unwrap().contains(&node(name));
    let left_out: Vec<&String> = names.iter().filter(|n| !shown(&engine, n)).collect();
    assert_eq!(left_out.len(), 1, "one agency is left out of the map");
    let name = left_out[0];
    let file = format!("content/agencies/{name}.md");
    // Renamed until it comes in (its place among equals is a hash).
    let mut came_in = false;
    for round in 0..40 {
        site.write(
            &file,
            &format!("+++\ntitle = \"Renamed {round}\"\n+++\nAn agency.\n"),
        );
        engine.apply(vec![site.path(&file)]);
        let fresh = Engine::new(site.options()).unwrap();
        assert_eq!(
            String::from_utf8(page(&engine)).unwrap(),
            String::from_utf8(page(&fresh)).unwrap(),
            "round {round}: the hub's page differs from a fresh build's"
        );
        if shown(&fresh, name) {
            came_in = true;
            break;
        }
    }
    // The case this test is for happened.
    assert!(came_in, "{name} never came into the map");
}
