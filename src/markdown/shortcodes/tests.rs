use super::*;

/// Found by fuzzing: an unclosed Hugo call whose line ends in a
/// character of several bytes cut a slice inside it.
#[test]
fn an_unclosed_hugo_call_before_a_wide_character_is_a_problem_not_a_panic() {
    for body in [
        "{{< é12",
        "{{< T é",
        "{{< Té\n",
        "{{%}}",
        "{{< ",
        "{{<\u{fffd}",
    ] {
        let found = extract(body, 0);
        assert_eq!(found.problems.len(), 1, "{body:?}");
        assert_eq!(found.problems[0].message, "Hugo shortcode syntax");
    }
}

#[test]
fn inline_and_block_calls_with_typed_arguments() {
    let body = "Intro {{ figure(src=\"a.jpg\", width=640, ratio=1.5, wide=true, tags=['x', \"y\"]) }} end.\n\n{% note(kind=\"caution\") %}\nInner *text*.\n{% end %}\n";
    let found = extract(body, 0);
    assert!(found.problems.is_empty(), "{:?}", found.problems);
    assert_eq!(found.codes.len(), 2);
    let figure = &found.codes[0];
    assert_eq!(figure.name, "figure");
    assert_eq!(figure.arg("src"), Some(&Arg::Str("a.jpg".into())));
    assert_eq!(figure.arg("width"), Some(&Arg::Int(640)));
    assert_eq!(figure.arg("ratio"), Some(&Arg::Float("1.5".into())));
    assert_eq!(figure.arg("wide"), Some(&Arg::Bool(true)));
    assert_eq!(
        figure.arg("tags"),
        Some(&Arg::List(vec![Arg::Str("x".into()), Arg::Str("y".into())]))
    );
    let note = &found.codes[1];
    assert_eq!(note.body.as_ref().unwrap().0, "\nInner *text*.\n");
    assert_eq!(
        &body[note.span.clone()],
        "{% note(kind=\"caution\") %}\nInner *text*.\n{% end %}"
    );
    assert_eq!(
        found.text,
        format!("Intro {} end.\n\n{}\n", marker(0), marker(1))
    );
    // Positions after a marker map back to the body.
    let after = found.text.find(" end.").unwrap();
    assert_eq!(
        &body[found.to_body(after)..found.to_body(after) + 5],
        " end."
    );
}

#[test]
fn code_and_other_braces_are_left_alone() {
    let body = "`{{ figure(src=\"a\") }}` and\n\n```\n{% note() %}x{% end %}\n```\n\n{{ not a call }} {% raw %}";
    let found = extract(body, 0);
    assert!(found.codes.is_empty() && found.problems.is_empty());
    assert_eq!(found.text, body);
}

#[test]
fn mistakes_are_located() {
    let cases = [
        ("{{ f(a=1 b=2) }}", "expected `,` or `)`", "b"),
        ("{{ f(a=\"x) }}", "no closing quote", "\""),
        ("{{ f(a=nope) }}", "`nope` is not a value", "nope"),
        ("{{ f(a=1) %}", "expected `}}`", "%"),
        ("{% f(a=1) %} body", "has no `{% end %}`", "{% f(a=1) %}"),
        (
            "{{< figure src=\"x\" >}}",
            "Hugo shortcode syntax",
            "{{< figure src=\"x\" >}}",
        ),
        ("{{ f(a=1, a=2) }}", "given twice", "a"),
        (
            "text {% end %} more",
            "without a shortcode to end",
            "{% end %}",
        ),
        ("{% end() %}", "without a shortcode to end", "{% end"),
    ];
    for (body, message, at) in cases {
        let found = extract(body, 0);
        let problem = found.problems.first().unwrap_or_else(|| panic!("{body}"));
        assert!(
            problem.message.contains(message),
            "{body}: {}",
            problem.message
        );
        assert_eq!(&body[problem.span.clone()], at, "{body}");
    }
}

#[test]
fn nested_bodies_end_at_their_own_end() {
    let body = "{% outer() %}a {% inner() %}b{% end %} c{% end %}";
    let found = extract(body, 0);
    assert_eq!(found.codes.len(), 1);
    assert_eq!(
        found.codes[0].body.as_ref().unwrap().0,
        "a {% inner() %}b{% end %} c"
    );
}

#[test]
fn marker_characters_written_by_hand_are_replaced() {
    let found = extract("a\u{e000}0\u{e001}b", 0);
    assert!(found.codes.is_empty());
    assert_eq!(found.text, "a\u{fffd}0\u{fffd}b");
}

#[test]
fn deep_nesting_is_a_problem_not_a_crash() {
    let body = "{% n() %}".repeat(5_000) + &"{% end %}".repeat(5_000);
    let cx = crate::markdown::Context {
        resolve: &|_, _| None,
        raw_html: crate::markdown::RawHtml::Keep,
        base_path: "/",
        card_kind: &|_| None,
    };
    let rendered = crate::markdown::render(&body, &cx);
    assert!(
        rendered
            .shortcode_problems
            .iter()
            .any(|p| p.message.contains("nested more than")),
        "{:?}",
        rendered.shortcode_problems.first()
    );
}

#[test]
fn ten_thousand_calls_stay_linear() {
    let body = "{{ f(a=1) }} ".repeat(10_000);
    let found = extract(&body, 0);
    assert_eq!(found.codes.len(), 10_000);
    assert_eq!(found.to_body(found.text.len()), body.len());
}

#[test]
fn an_escaped_call_is_text_as_zola_writes_it() {
    let body =
        "Write {{/* youtube(id=\"abc\") */}} or {%/* note() */%}x{%/* end */%}, and {{ a() }}.";
    let found = extract(body, 0);
    assert!(found.problems.is_empty(), "{:?}", found.problems);
    assert_eq!(found.codes.len(), 1);
    assert_eq!(found.codes[0].name, "a");
    assert!(
        found
            .text
            .starts_with("Write {{ youtube(id=\"abc\") }} or {% note() %}x{% end %}, and "),
        "{}",
        found.text
    );
    // Positions after an escape still map back to the body.
    let after = found.text.find(", and").unwrap();
    assert_eq!(found.to_body(after), body.find(", and").unwrap());
    // An escape left open is text as written.
    assert_eq!(extract("{{/* open", 0).text, "{{/* open");
}
