use super::*;

#[test]
fn a_block_left_open_is_reported_at_its_tag() {
    let s = sources(&[
        (
            "a.html",
            "{% extends \"base.html\" %}\n{% block main %}\n<p>\n{% for p in pages %}{% endfor %}\n{% if x %}\nhello\n{% endblock main %}\n",
        ),
        ("base.html", "{% block main %}{% endblock main %}"),
    ]);
    let mut tera = Tera::new();
    let problems = s.compile(&mut tera);
    assert_eq!(problems.len(), 1, "{problems:?}");
    let d = &problems[0];
    assert_eq!(d.message, "template error: `{% if %}` is not closed");
    let at = d.location.as_ref().unwrap();
    assert_eq!((at.line, at.column), (5, 1));
    assert!(
        d.hint.as_deref().unwrap().contains("`{% endif %}`"),
        "{d:?}"
    );
    assert!(
        d.hint.as_deref().unwrap().contains("before line 7"),
        "{d:?}"
    );
}

#[test]
fn syntax_errors_of_all_templates_are_located() {
    let s = sources(&[
        ("a.html", "ok\n{{ x | }}"),
        ("b.html", "{% if %}"),
        ("c.html", "fine"),
    ]);
    let mut tera = Tera::new();
    let problems = s.compile(&mut tera);
    assert_eq!(problems.len(), 2, "{problems:?}");
    let a = problems[0].location.as_ref().unwrap();
    assert_eq!(display_path(&a.file.path), "templates/a.html");
    assert_eq!(a.line, 2);
}

#[test]
fn unknown_filters_are_located_from_teras_report() {
    let s = sources(&[("a.html", "line one\n{{ name | nope }}\n")]);
    let mut tera = Tera::new();
    let problems = s.compile(&mut tera);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].message.contains("Unknown filter `nope`"));
    let loc = problems[0].location.as_ref().unwrap();
    assert_eq!((loc.line, loc.column), (2, 11));
}

#[test]
fn missing_parents_are_named() {
    let s = sources(&[("a.html", "{% extends \"base.html\" %}")]);
    let mut tera = Tera::new();
    let problems = s.compile(&mut tera);
    assert!(problems[0].message.contains("`base.html`"), "{problems:?}");
}

#[test]
fn a_closure_follows_extends_and_include_and_takes_every_component() {
    let s = sources(&[
        ("base.html", "{% block main %}{% endblock main %}"),
        (
            "page.html",
            "{% extends \"base.html\" %}{% block main %}{% include \"refs.html\" %}{% endblock main %}",
        ),
        ("briefs/page.html", "{%- extends 'page.html' -%}"),
        ("list.html", "{% extends \"base.html\" %}"),
        ("refs.html", "refs"),
        ("parts.html", "{% component x() %}x{% endcomponent x %}"),
    ]);
    assert_eq!(
        s.closure("briefs/page.html"),
        [
            "base.html",
            "briefs/page.html",
            "page.html",
            "parts.html",
            "refs.html"
        ]
    );
    assert_eq!(
        s.closure("list.html"),
        ["base.html", "list.html", "parts.html"]
    );
}

#[test]
fn dependencies_follow_extends_and_include() {
    let s = sources(&[(
        "page.html",
        "{% extends \"base.html\" %}{% block b %}{% include \"partials/refs.html\" %}{% endblock b %}",
    )]);
    assert_eq!(
        s.dependencies("page.html"),
        ["base.html", "partials/refs.html"]
    );
}
