//! Shortcodes, as Zola writes them: `{{ name(args) }}` and
//! `{% name(args) %}body{% end %}` in Markdown, rendered by
//! `templates/shortcodes/<name>.html`.

mod common;
use common::{TestSite, main_of};

fn brief(site: &TestSite, body: &str) {
    site.write(
        "content/briefs/b.md",
        &format!("+++\ntitle = \"B\"\ndate = 2025-07-17\nsummary = \"S.\"\n+++\n\n{body}"),
    );
}

#[test]
fn the_default_theme_has_the_shortcodes_a_briefing_needs() {
    let site = TestSite::small();
    site.write("static/images/port.jpg", "JPEG");
    brief(
        &site,
        r#"Opening {{ figure(src="images/port.jpg", caption="Karachi's port", credit="Photo: Ministry") }} text.

{{ agency(name="jica") }}

{{ meeting(name="jica-talks") }}

{% note(kind="caution") %}
Figures are the *ministry's* own, see [JICA](@/agencies/jica.md).
{% end %}

{% facts(title="Key figures") %}
Investment sought: $1 billion
Jobs: 5,000
{% end %}

{% quote(speaker="Jam Kamal", role="Commerce Minister") %}
We want partners, not buyers.
{% end %}
"#,
    );
    site.build().ok();
    let html = site.read("briefs/b/index.html");
    let main = main_of(&html);
    for expected in [
        r#"<img src="/images/port.jpg" alt="Karachi&#39;s port" loading="lazy">"#,
        r#"<figcaption>Karachi&#39;s port <span class="credit">Photo: Ministry</span></figcaption>"#,
        r#"<aside class="card card-agencies">"#,
        r#"<a href="/agencies/jica/">Japan International Cooperation Agency</a> <abbr>JICA</abbr>"#,
        r#"<a href="/meetings/jica-talks/">JICA talks</a>"#,
        r#"<aside class="note note-caution" role="note">"#,
        "<p>Figures are the <em>ministry’s</em> own, see <a href=\"/agencies/jica/\">JICA</a>.</p>",
        r#"<th scope="row">Investment sought</th><td>$1 billion</td>"#,
        "<caption>Key figures</caption>",
        "<blockquote><p>We want partners, not buyers.</p>",
        "— <cite>Jam Kamal</cite>, Commerce Minister",
    ] {
        assert!(main.contains(expected), "{expected}\nin\n{main}");
    }
    // A call on a line of its own is not put in a paragraph.
    assert!(!main.contains("<p><aside"), "{main}");
    // No marker is left anywhere.
    let files = ["briefs/b/index.html".to_string(), "atom.xml".to_string()];
    for file in files.iter().chain(&common::search_packs(&site, "briefs")) {
        let text = site.read(file);
        assert!(!text.contains(['\u{e000}', '\u{e001}']), "{file}");
    }
    // The feed shows what the page shows.
    assert!(site.read("atom.xml").contains("Key figures"));
}

#[test]
fn cards_count_as_references_and_follow_the_page_they_show() {
    let site = TestSite::small();
    brief(&site, "{{ agency(name=\"jetro\") }}\n");
    site.build().ok();
    let jetro = site.read("agencies/jetro/index.html");
    assert!(
        jetro.contains(r#"href="/briefs/b/""#),
        "a backlink from the card"
    );
    site.write(
        "content/agencies/jetro.md",
        "+++\ntitle = \"JETRO, renamed\"\nshort = \"JETRO\"\n+++\n",
    );
    site.build().ok();
    assert!(site.read("briefs/b/index.html").contains("JETRO, renamed"));

    // The briefing card names another brief by its slug.
    brief(&site, "{{ briefing(name=\"tokyo-visit\") }}\n");
    site.build().ok();
    let b = main_of(&site.read("briefs/b/index.html")).to_string();
    assert!(b.contains(r#"<aside class="card card-briefs">"#), "{b}");
    assert!(b.contains(r#"href="/briefs/tokyo-visit/""#), "{b}");

    // An unknown name is an error at the name.
    brief(&site, "Text.\n\n{{ agency(name=\"jetr\") }}\n");
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("unknown agency `jetr`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/briefs/b.md:9:16"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `jetro`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_sites_shortcode_gets_typed_arguments_and_wins_over_the_themes() {
    let site = TestSite::small();
    site.write(
        "templates/shortcodes/video.html",
        "<video data-id=\"{{ id }}\" data-width=\"{{ width * 2 }}\" data-ratio=\"{{ ratio }}\"{% if autoplay %} autoplay{% endif %}>{% for t in tags %}[{{ t }}]{% endfor %}</video>",
    );
    site.write(
        "templates/shortcodes/figure.html",
        "<img class=\"mine\" src=\"{{ src }}\">",
    );
    brief(
        &site,
        "{{ video(id='abc', width=320, ratio=1.5, autoplay=true, tags=[\"a\", `b`]) }}\n\n{{ figure(src=\"x.png\") }}\n",
    );
    site.build().ok();
    let main = site.read("briefs/b/index.html");
    assert!(
        main.contains(
            r#"<video data-id="abc" data-width="640" data-ratio="1.5" autoplay>[a][b]</video>"#
        ),
        "{main}"
    );
    assert!(main.contains(r#"<img class="mine" src="x.png">"#), "{main}");
}

#[test]
fn code_keeps_shortcodes_as_text_and_arguments_keep_their_quotes() {
    let site = TestSite::small();
    site.write("static/p.jpg", "JPEG");
    brief(
        &site,
        "`{{ figure(src=\"a\") }}` and\n\n```\n{% note() %}x{% end %}\n```\n\n{{ figure(src=\"p.jpg\", caption=\"Vietnam's \\\"green\\\" deal\") }}\n",
    );
    site.build().ok();
    let main = site.read("briefs/b/index.html");
    assert!(
        main.contains("<code>{{ figure(src=\"a\") }}</code>"),
        "{main}"
    );
    assert!(main.contains("{% note() %}x{% end %}"), "{main}");
    // As written, not curled by typography.
    assert!(
        main.contains("Vietnam&#39;s &quot;green&quot; deal"),
        "{main}"
    );
    assert!(!main.contains("Vietnam’s"), "{main}");
}

#[test]
fn mistakes_are_errors_at_their_place() {
    let site = TestSite::small();
    brief(
        &site,
        "{{ nope(a=1) }}\n\n{{< figure src=\"x\" >}}\n\n{{ figure(src=\"a\" caption=\"b\") }}\n\n{% note() %}\nNo end.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    for (message, place) in [
        ("unknown shortcode `nope`", "content/briefs/b.md:7:1"),
        (
            "shortcode: Hugo shortcode syntax",
            "content/briefs/b.md:9:1",
        ),
        ("{{ figure(key=\"value\") }}", "content/briefs/b.md:9:1"),
        (
            "shortcode: expected `,` or `)` after an argument",
            "content/briefs/b.md:11:19",
        ),
        (
            "shortcode: the shortcode `note` has no `{% end %}`",
            "content/briefs/b.md:13:1",
        ),
    ] {
        assert!(run.stderr.contains(message), "{message}\n{}", run.stderr);
        assert!(run.stderr.contains(place), "{place}\n{}", run.stderr);
    }
    // A template that fails says which call it was rendering.
    site.write("templates/shortcodes/bad.html", "{{ missing_variable }}");
    brief(&site, "Text.\n\n{{ bad() }}\n");
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("templates/shortcodes/bad.html"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("the shortcode called at content/briefs/b.md:9:1"),
        "{}",
        run.stderr
    );
}

#[test]
fn shortcodes_nest_and_work_in_list_intros() {
    let site = TestSite::small();
    brief(
        &site,
        "{% note(title=\"Inside\") %}\nBefore.\n\n{% quote(speaker=\"A\") %}\nNested words.\n{% end %}\n\nAfter.\n{% end %}\n",
    );
    site.write(
        "content/agencies/_index.md",
        "+++\ntitle = \"Agencies\"\n+++\n{% note() %}\nWho we follow.\n{% end %}\n",
    );
    site.build().ok();
    let main = site.read("briefs/b/index.html");
    let note = &main[main.find("<aside class=\"note").unwrap()..];
    let quote = note
        .find("<blockquote><p>Nested words.</p>")
        .expect("the quote inside the note");
    assert!(quote < note.find("After.").unwrap(), "{note}");
    assert!(
        site.read("agencies/index.html")
            .contains("<p>Who we follow.</p>")
    );
}

#[test]
fn a_changed_shortcode_template_renders_its_pages_again() {
    let site = TestSite::small();
    site.write("templates/shortcodes/tag.html", "<b>one</b>");
    brief(&site, "{{ tag() }}\n");
    let mut engine = attache::Engine::new(attache::SiteOptions::new(site.root())).unwrap();
    let page = |engine: &attache::Engine| match engine.outputs().files.get("briefs/b/index.html") {
        Some(attache::write::Body::Bytes(b)) => String::from_utf8_lossy(b).into_owned(),
        _ => panic!("no page"),
    };
    assert!(page(&engine).contains("<b>one</b>"));
    site.write("templates/shortcodes/tag.html", "<b>two</b>");
    let update = engine.apply(vec![site.path("templates/shortcodes/tag.html")]);
    assert!(page(&engine).contains("<b>two</b>"));
    assert!(
        update.changed.contains(&"briefs/b/index.html".to_string()),
        "{update:?}"
    );
    assert!(
        !update
            .changed
            .contains(&"agencies/jetro/index.html".to_string()),
        "{update:?}"
    );
}

#[test]
fn ten_thousand_shortcodes_in_one_file_build() {
    let site = TestSite::in_memory();
    site.write("templates/shortcodes/n.html", "<i>{{ v }}</i>");
    let body: String = (0..10_000)
        .map(|i| format!("{{{{ n(v={i}) }}}} "))
        .collect();
    brief(&site, &body);
    site.build().ok();
    let html = site.read("briefs/b/index.html");
    assert!(html.contains("<i>0</i> <i>1</i>"));
    assert!(html.contains("<i>9999</i>"));
    // Time linear in the number of calls: tests/linear.rs.
}

#[test]
fn a_card_without_its_name_is_an_error_at_the_call() {
    let site = TestSite::small();
    brief(
        &site,
        "{{ agency(nam=\"jica\") }}\n\n{{ agency() }}\n\n{{ agency(name=3) }}\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    for (message, place) in [
        ("the card `agency` needs `name`", "content/briefs/b.md:7:1"),
        ("`nam`: did you mean `name`?", "content/briefs/b.md:7:1"),
        ("the card `agency` needs `name`", "content/briefs/b.md:9:1"),
        (
            "`name` of the card `agency` must be text",
            "content/briefs/b.md:11:16",
        ),
    ] {
        assert!(run.stderr.contains(message), "{message}\n{}", run.stderr);
        assert!(run.stderr.contains(place), "{place}\n{}", run.stderr);
    }
}

#[test]
fn a_shortcode_that_refuses_its_arguments_is_said_at_the_call() {
    let site = TestSite::new();
    brief(
        &site,
        "Intro.\n\n{% note(kind=\"warning\") %}Careful.{% end %}\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("a note's kind is \"context\" or \"caution\", not \"warning\""),
        "{}",
        run.stderr
    );
    // At the writer's call, with the template's place as a hint.
    assert!(
        run.stderr.contains("--> content/briefs/b.md:9:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "the shortcode's template says so, at <built-in theme>/templates/shortcodes/note.html:"
        ),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("--> <built-in theme>"),
        "{}",
        run.stderr
    );
    // The same for a picture without its file's path.
    brief(&site, "Intro.\n\n{{ figure(alt=\"x\") }}\n");
    let run = site.run(&["check"]);
    assert!(run.stderr.contains("figure needs src"), "{}", run.stderr);
    assert!(
        run.stderr.contains("--> content/briefs/b.md:9:1"),
        "{}",
        run.stderr
    );
    // The kinds it has are still titled, in the page's words.
    brief(&site, "Intro.\n\n{% note() %}Background.{% end %}\n");
    site.build().ok();
    assert!(
        site.read("briefs/b/index.html")
            .contains("<p class=\"note-title\">Context</p>")
    );
}

#[test]
fn a_shortcode_written_in_markdown_gives_markdown_made_html() {
    let site = TestSite::small();
    // As Zola's Markdown shortcodes: the template's output is Markdown.
    site.write(
        "templates/shortcodes/pirate.md",
        "**Arrr {{ name }}**, ask [JICA](@/agencies/jica.md).\n",
    );
    brief(&site, "Before.\n\n{{ pirate(name=\"Bob\") }}\n\nAfter.\n");
    site.build().ok();
    let html = site.read("briefs/b/index.html");
    let main = main_of(&html);
    assert!(main.contains("<strong>Arrr Bob</strong>"), "{main}");
    assert!(main.contains("href=\"/agencies/jica/\""), "{main}");
    // A typo is told with the Markdown shortcode among the names.
    brief(&site, "{{ pirat(name=\"Bob\") }}\n");
    let run = site.build();
    assert!(!run.success());
    assert!(
        run.stderr.contains("did you mean `pirate`?"),
        "{}",
        run.stderr
    );
    // Its output may not call shortcodes: said at the call.
    site.write(
        "templates/shortcodes/pirate.md",
        "{% raw %}{{ note(kind=\"x\") }}{% endraw %}\n",
    );
    brief(&site, "Text.\n\n{{ pirate(name=\"Bob\") }}\n");
    let run = site.build();
    assert!(!run.success());
    assert!(
        run.stderr
            .contains("a Markdown shortcode's output calls a shortcode"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/briefs/b.md:9:1"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_figure_of_a_picture_the_site_lacks_is_an_error_at_the_call() {
    let site = TestSite::small();
    brief(
        &site,
        "Text.\n\n{{ figure(src=\"images/port.jpg\", caption=\"Port\") }}\n",
    );
    let run = site.build();
    assert!(!run.success());
    assert!(
        run.stderr
            .contains("figure: the site has no picture at images/port.jpg"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/briefs/b.md:9:1"),
        "{}",
        run.stderr
    );
    // Put in static/, or beside a page bundle's page, it is found.
    site.write("static/images/port.jpg", "JPEG");
    site.build().ok();
    site.remove("static/images/port.jpg");
    site.write(
        "content/briefs/trip/index.md",
        "+++\ntitle = \"Trip\"\ndate = 2025-07-01\n+++\n{{ figure(src=\"/briefs/trip/port.jpg\") }}\n",
    );
    site.write("content/briefs/trip/port.jpg", "JPEG");
    brief(
        &site,
        "Text.\n\n{{ figure(src=\"https://example.org/p.jpg\") }}\n",
    );
    site.build().ok();
}
