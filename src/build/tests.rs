use super::*;

/// A page whose file changed after the build listed its inputs is
/// taken as the last build kept it, without its text; when the build
/// then needs that text, the file no longer has it: the build starts
/// over from nothing rather than render from a text it never had.
#[test]
fn a_page_changed_after_the_inputs_were_listed_makes_the_build_start_over() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    crate::scaffold::init(&root).unwrap();
    let options = BuildOptions {
        site: SiteOptions::new(&root),
        output: None,
        force: false,
        clean: false,
        no_wait: true,
        settle_window: Duration::ZERO,
    };
    build(&options, &crate::engine::Quiet).unwrap();
    let edit = |path: &str, from: &str, to: &str| {
        let path = root.join(path);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from));
        std::fs::write(&path, text.replace(from, to)).unwrap();
    };
    // Renders as a build would, with `between` done once the inputs
    // are listed; whether it started from the kept state, and the
    // brief's Markdown as the engine has it.
    let render_with = |between: &dyn Fn()| {
        let (out, _lock, inputs) =
            open(&options, &root.join("public"), &crate::engine::Quiet).unwrap();
        between();
        let mut kept = state::load(&root, identity(&options.site, &out.path));
        assert!(kept.is_some());
        let (engine, staging, resumed) = render(
            &options,
            kept.as_mut(),
            inputs.as_ref(),
            &out,
            &crate::engine::Quiet,
        )
        .unwrap();
        staging.abort();
        let pages = &engine.site().pages;
        let brief = pages
            .iter()
            .find(|(_, p)| p.stem == "first-brief")
            .unwrap()
            .1;
        (resumed, brief.markdown().to_string())
    };
    // The agency's new title is seen: the brief naming it is rendered
    // again, and needs its text, which changes once the inputs are
    // listed.
    edit(
        "content/agencies/example-agency.md",
        "Example Agency",
        "Sample Agency",
    );
    let (resumed, brief) = render_with(&|| {
        edit(
            "content/briefs/first-brief.md",
            "Write the brief",
            "Written after",
        );
    });
    assert!(!resumed);
    assert!(brief.contains("Written after"));

    // Without the change, the same build starts from the state.
    build(&options, &crate::engine::Quiet).unwrap();
    edit(
        "content/agencies/example-agency.md",
        "Sample Agency",
        "Example Agency",
    );
    let (resumed, brief) = render_with(&|| {});
    assert!(resumed);
    assert!(brief.contains("Written after"));
}
