use super::*;

fn resolver(kind: &str, name: &str) -> Option<String> {
    (kind == "agencies" && name == "jica").then(|| "/sub/agencies/jica/".to_string())
}

fn card_kind(name: &str) -> Option<String> {
    (name == "agency").then(|| "agencies".to_string())
}

fn render(body: &str, _: &dyn Fn(&str, &str) -> Option<String>, raw_html: RawHtml) -> Converted {
    super::render(
        body,
        &Context {
            resolve: &resolver,
            raw_html,
            base_path: "/",
            card_kind: &card_kind,
        },
    )
}

#[test]
fn internal_links_are_rewritten_with_anchors() {
    let body = "See [JICA](@/agencies/jica.md) and [its office](@/agencies/jica.md#tokyo).";
    let r = render(body, &resolver, RawHtml::Keep);
    assert!(
        r.html.contains(r#"<a href="/sub/agencies/jica/">JICA</a>"#),
        "{}",
        r.html
    );
    assert!(
        r.html.contains(r#"href="/sub/agencies/jica/#tokyo""#),
        "{}",
        r.html
    );
    assert_eq!(r.links.len(), 2);
    assert_eq!(&body[r.links[0].span.clone()], "@/agencies/jica.md");
    assert_eq!(r.links[1].anchor.as_deref(), Some("tokyo"));
    assert!(r.links.iter().all(|l| l.url.is_some()));
}

#[test]
fn broken_links_are_recorded_not_rendered() {
    let body = "x\n\n[Nope](@/agencies/jicaa.md) [bad](@/jica.md)";
    let r = render(body, &resolver, RawHtml::Keep);
    assert_eq!(r.links.len(), 2);
    assert!(r.links[0].url.is_none());
    assert_eq!(r.links[0].name, "jicaa");
    assert_eq!(r.links[1].kind, "");
    assert!(!r.html.contains("@/"));
}

#[test]
fn other_links_are_left_alone() {
    let r = render(
        "[x](https://example.org/) [y](../a/)",
        &resolver,
        RawHtml::Keep,
    );
    assert!(r.html.contains(r#"href="https://example.org/""#));
    assert!(r.html.contains(r#"href="../a/""#));
    assert!(r.links.is_empty());
}

#[test]
fn headings_get_unique_ids_and_a_nested_toc() {
    let body = "# Title\n\n## Minerals\n\n### Copper & gold\n\n## Minerals\n\n## Own {#mine}\n";
    let r = render(body, &resolver, RawHtml::Keep);
    assert_eq!(
        r.anchors,
        ["title", "minerals", "copper-gold", "minerals-1", "mine"]
    );
    assert!(
        r.html.contains(r#"<h2 id="minerals-1">Minerals</h2>"#),
        "{}",
        r.html
    );
    assert_eq!(r.toc.len(), 1);
    assert_eq!(r.toc[0].children.len(), 3);
    assert_eq!(r.toc[0].children[0].children[0].title, "Copper & gold");
}

#[test]
fn summary_and_word_count() {
    let r = render(
        "## Head\n\nFirst *para* here.\nSecond line.\n\nLater.",
        &resolver,
        RawHtml::Keep,
    );
    assert_eq!(r.summary, "First para here. Second line.");
    assert_eq!(r.text, "Head\nFirst para here. Second line.\nLater.\n");
    assert_eq!(r.word_count, 7);
    let long = "word ".repeat(100);
    let r = render(&long, &resolver, RawHtml::Keep);
    assert!(r.summary.ends_with('…'));
    assert!(r.summary.chars().count() <= SUMMARY_CHARS + 1);
}

#[test]
fn raw_html_is_kept_escaped_or_stripped_as_configured() {
    let body = "<script>alert(1)</script>\n\nText with <b>bold</b>.";
    let keep = render(body, &resolver, RawHtml::Keep).html;
    assert!(keep.contains("<script>alert(1)</script>"), "{keep}");
    let escape = render(body, &resolver, RawHtml::Escape).html;
    assert!(escape.contains("&lt;script&gt;"), "{escape}");
    assert!(escape.contains("&lt;b&gt;bold&lt;/b&gt;"), "{escape}");
    assert!(!escape.contains("<b>"), "{escape}");
    let strip = render(body, &resolver, RawHtml::Strip).html;
    assert!(
        !strip.contains("script") && !strip.contains("<b>"),
        "{strip}"
    );
    assert!(strip.contains("Text with bold."), "{strip}");
}

#[test]
fn control_characters_never_reach_the_html() {
    let r = render(
        "a\u{0}b\u{1}c \u{1b}[31m <b>\u{c}</b> `\u{7}`",
        &resolver,
        RawHtml::Keep,
    );
    assert!(!r.html.chars().any(is_forbidden_control), "{:?}", r.html);
    assert!(!r.text.chars().any(is_forbidden_control), "{:?}", r.text);
    assert!(r.html.contains("a\u{fffd}b\u{fffd}c"), "{:?}", r.html);
}

#[test]
fn raw_html_and_text_are_kept_and_escaped_as_markdown_does() {
    let r = render("a < b & \"c\"", &resolver, RawHtml::Keep);
    assert!(r.html.contains("a &lt; b &amp;"), "{}", r.html);
}

#[test]
fn lines_of_japanese_join_without_a_space() {
    let r = render(
        "政府声明によれば、\n提案は探査から加工まで。\nThe end\nof it.\n",
        &resolver,
        RawHtml::Keep,
    );
    assert!(
        r.html
            .contains("政府声明によれば、提案は探査から加工まで。\nThe end\nof it."),
        "{}",
        r.html
    );
    assert!(
        r.summary.starts_with("政府声明によれば、提案は"),
        "{}",
        r.summary
    );
    assert!(r.text.contains("によれば、提案"), "{}", r.text);
}

#[test]
fn parse_internal_forms() {
    assert_eq!(
        parse_internal("@/sectors/minerals.md#copper"),
        Some(("sectors".into(), "minerals".into(), Some("copper".into())))
    );
    assert_eq!(
        parse_internal("@/sectors/minerals"),
        Some(("sectors".into(), "minerals".into(), None))
    );
    assert_eq!(parse_internal("https://x"), None);
    assert_eq!(parse_internal("@/minerals.md").unwrap().0, "");
}

#[test]
fn heading_ids_keep_letters_of_other_scripts() {
    use super::heading_id;
    assert_eq!(heading_id("提案の内容"), "提案の内容");
    assert_eq!(heading_id("## JICA の提案 (2025)"), "jica-の提案-2025");
    assert_eq!(heading_id("Пакистан и Япония"), "пакистан-и-япония");
    // Latin letters as before: without their accents.
    assert_eq!(heading_id("Café au lait, Straße"), "cafe-au-lait-strasse");
    assert_eq!(heading_id("Kamal's visit"), "kamal-s-visit");
    assert_eq!(heading_id("!!!"), "section");
    // Kana with a voiced mark written apart stays whole.
    assert_eq!(heading_id("か\u{3099}"), "か\u{3099}");
}

#[test]
fn calls_on_lines_of_their_own_are_not_in_a_paragraph() {
    let marker = |n: usize| shortcodes::marker(n);
    for (body, paragraphs) in [
        ("{{ a() }}\n", 0),
        ("{{ a() }}\n{{ b() }}\n", 0),
        ("{{ a() }}\n{{ b() }}\n{{ c() }}\n", 0),
        ("Words {{ a() }}\n{{ b() }}\n", 1),
        ("{{ a() }}\n{{ b() }} words\n", 1),
        ("Text.\n\n{{ a() }}\n{{ b() }}\n\nMore.\n", 2),
    ] {
        let r = render(body, &resolver, RawHtml::Keep);
        assert_eq!(
            r.html.matches("<p>").count(),
            paragraphs,
            "{body:?}: {:?}",
            r.html
        );
        assert_eq!(
            r.html.matches("</p>").count(),
            paragraphs,
            "{body:?}: {:?}",
            r.html
        );
        assert!(r.html.contains(&marker(0)), "{:?}", r.html);
    }
}
