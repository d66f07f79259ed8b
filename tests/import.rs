//! `attache import zola|hugo`: an old site written over as an attache
//! site that builds with no error, its pages at the URLs they had.
//!
//! The fixtures are small sites written here in the layouts Zola and Hugo
//! document (nested sections, page bundles, `path`, dated file names,
//! taxonomies, YAML front matter, `{{< >}}` shortcodes). Set
//! ATTACHE_ZOLA_SITE or ATTACHE_HUGO_SITE to a real site's folder (Zola's
//! own test_site, say) to hold the import to it as well.

mod common;

use std::path::Path;

use common::{Run, attache};

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn import(from: &str, src: &Path, dest: &Path) -> Run {
    attache()
        .args(["import", from])
        .arg(src)
        .arg(dest)
        .output()
        .expect("run attache")
        .into()
}

fn build(site: &Path) -> Run {
    attache()
        .args(["build", "--root"])
        .arg(site)
        .output()
        .expect("run attache")
        .into()
}

/// The pages of the built site, as URL paths (`posts/x/`), sorted.
fn pages(site: &Path) -> Vec<String> {
    let public = site.join("public");
    let mut out: Vec<String> = walk(&public)
        .into_iter()
        .filter_map(|rel| rel.strip_suffix("index.html").map(str::to_string))
        .collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

fn zola_site(root: &Path) {
    write(
        root,
        "config.toml",
        "title = \"Old blog\"\nbase_url = \"https://blog.example/\"\ndefault_language = \"en\"\ncompile_sass = true\ntaxonomies = [{ name = \"tags\", feed = true }, { name = \"podcast_authors\" }]\nignored_content = [\"*/ignored.md\"]\n\n[languages.fr]\ntitle = \"Vieux blog\"\n\n[extra]\nmotto = \"hi\"\n",
    );
    write(
        root,
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nWelcome.\n",
    );
    write(
        root,
        "content/posts/_index.md",
        "+++\ntitle = \"Posts\"\nsort_by = \"date\"\npaginate_by = 5\ntemplate = \"list.html\"\n+++\nAll the posts.\n",
    );
    write(
        root,
        "content/posts/first.md",
        "+++\ntitle = \"First\"\ndescription = \"The first post.\"\ndate = 2024-01-02\nweight = 3\naliases = [\"old/first.html\"]\n\n[taxonomies]\ntags = [\"Rust Lang\", \"web\"]\npodcast_authors = [\"Some Person\"]\n\n[extra]\nmood = \"glad\"\n+++\nSee [the second](@/posts/2024-02-03_second.md#end), [nested](@/posts/tutorials/rust.md) and [about](@/about.md).\n\n{{ note(kind=\"info\", text=\"x\") }}\n",
    );
    write(
        root,
        "content/posts/first.fr.md",
        "+++\ntitle = \"Premier\"\ndate = 2024-01-02\n+++\nBonjour.\n",
    );
    write(
        root,
        "content/posts/2024-02-03_second.md",
        "+++\ntitle = \"Second\"\nslug = \"Second & Last\"\n+++\n## End\n\nDone.\n",
    );
    write(
        root,
        "content/posts/ignored.md",
        "+++\ntitle = \"No\"\n+++\n",
    );
    write(
        root,
        "content/posts/hidden.md",
        "+++\ntitle = \"Hidden\"\nrender = false\n+++\n",
    );
    write(
        root,
        "content/posts/fixed.md",
        "+++\ntitle = \"Fixed\"\npath = \"a-fixed-url\"\n+++\n",
    );
    write(
        root,
        "content/posts/tutorials/_index.md",
        "+++\ntitle = \"Tutorials\"\n+++\n",
    );
    write(
        root,
        "content/posts/tutorials/rust.md",
        "+++\ntitle = \"Rust\"\n+++\nText.\n",
    );
    write(
        root,
        "content/posts/tutorials/first.md",
        "+++\ntitle = \"Also first\"\n+++\n",
    );
    write(
        root,
        "content/posts/with-assets/index.md",
        "+++\ntitle = \"With assets\"\n+++\n![map](map.png) and [script](code.js)\n",
    );
    write(root, "content/posts/with-assets/map.png", "PNG");
    write(root, "content/posts/with-assets/code.js", "// js\n");
    write(root, "content/about.md", "\u{feff}+++\n+++\nAbout us.\n");
    write(
        root,
        "content/secret_section/_index.md",
        "+++\ndraft = true\n+++\n",
    );
    write(
        root,
        "content/secret_section/page.md",
        "+++\ntitle = \"Secret\"\n+++\n",
    );
    write(
        root,
        "content/secret_section/open.md",
        "+++\ntitle = \"Secret too\"\n+++\n",
    );
    write(root, "content/notes.txt", "loose\n");
    write(root, "static/site.css", "body{}\n");
    write(
        root,
        "templates/shortcodes/note.html",
        "<aside>{{ kind }}: {{ text }}</aside>\n",
    );
    write(root, "themes/t/templates/shortcodes/pirate.html", "Arrr\n");
    write(root, "themes/t/static/theme.js", "// theme\n");
}

#[test]
fn a_zola_site_moves_over_with_its_urls() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, dest) = (tmp.path().join("zola"), tmp.path().join("desk"));
    zola_site(&src);
    write(
        &src,
        "config.toml",
        &format!(
            "theme = \"t\"\n{}",
            std::fs::read_to_string(src.join("config.toml")).unwrap()
        ),
    );
    let run = import("zola", &src, &dest);
    assert!(run.success(), "{}\n{}", run.stdout, run.stderr);
    // What could not be carried over is said, with the files.
    for said in [
        "`weight` has no equivalent in attache: left out: posts/first.md",
        "a page with `render = false` is not published: left out: posts/hidden.md",
        "a page with no title is titled after its file: about.md",
        "a section under a section has no list page",
        "config.toml's `compile_sass` has no equivalent",
        "a file of content/ outside a page bundle is not published: left out: notes.txt",
        "a section's `template` has no equivalent in attache: posts/_index.md",
        "theme `t`: its templates are not carried over",
    ] {
        assert!(run.stdout.contains(said), "{said}\n{}", run.stdout);
    }
    let built = build(&dest);
    assert!(built.success(), "{}\n{}", built.stdout, built.stderr);
    let urls = pages(&dest);
    for url in [
        "posts/first/",
        "posts/second-last/",
        "posts/tutorials/rust/",
        "posts/tutorials/first/",
        "posts/with-assets/",
        "a-fixed-url/",
        "about/",
        "tags/rust-lang/",
        "podcast-authors/some-person/",
        "old/first.html",
        "fr/posts/first/",
    ] {
        let found = urls.iter().any(|u| u == url) || dest.join("public").join(url).is_file();
        assert!(found, "{url} not in {urls:?}");
    }
    // Left out: ignored, not rendered, and the draft section's pages.
    for url in ["posts/ignored/", "posts/hidden/", "secret_section/page/"] {
        assert!(!urls.iter().any(|u| u == url), "{url} in {urls:?}");
    }
    // A bundle's files beside its page; static files, the theme's too.
    assert_eq!(
        std::fs::read_to_string(dest.join("public/posts/with-assets/code.js")).unwrap(),
        "// js\n"
    );
    assert!(dest.join("public/theme.js").is_file());
    assert!(dest.join("public/site.css").is_file());
    // Links lead to the new pages; front matter is renamed.
    let first = std::fs::read_to_string(dest.join("public/posts/first/index.html")).unwrap();
    assert!(
        first.contains("href=\"/posts/second-last/#end\""),
        "{first}"
    );
    assert!(first.contains("href=\"/posts/tutorials/rust/\""), "{first}");
    assert!(first.contains("href=\"/about/\""), "{first}");
    assert!(first.contains("<aside>info: x</aside>"), "{first}");
    assert!(first.contains("The first post."), "{first}");
    let config = std::fs::read_to_string(dest.join("attache.toml")).unwrap();
    assert!(config.contains("[kinds.podcast-authors]"), "{config}");
    assert!(config.contains("[languages.fr]"), "{config}");
    let second = std::fs::read_to_string(dest.join("content/posts/second-last.md")).unwrap();
    assert!(second.contains("date = 2024-02-03"), "{second}");
    // The tag page has its feed, as Zola's `feed = true` gave it.
    assert!(dest.join("public/tags/rust-lang/atom.xml").is_file());
    // The drafts come back with --drafts.
    let drafts: Run = attache()
        .args(["build", "--drafts", "--root"])
        .arg(&dest)
        .output()
        .unwrap()
        .into();
    assert!(drafts.success(), "{}", drafts.stderr);
    assert!(pages(&dest).iter().any(|u| u == "secret_section/page/"));
}

fn hugo_site(root: &Path) {
    write(
        root,
        "hugo.yaml",
        "baseURL: https://hugo.example/\ntitle: Hugo desk\nlanguageCode: en-us\ntaxonomies:\n  tag: tags\n  series: series\nparams:\n  description: A Hugo site\npermalinks:\n  post: /:year/:slug/\n",
    );
    write(root, "content/_index.md", "---\ntitle: Home\n---\nHello.\n");
    write(
        root,
        "content/post/_index.md",
        "+++\ntitle = \"Posts\"\naliases = [\"blog\"]\n+++\n",
    );
    write(
        root,
        "content/post/rich.md",
        "---\ntitle: \"Rich content\"\ndate: 2019-03-10\nlastmod: '2020-01-01'\ndescription: Shortcodes\nauthor: Hugo Authors\ntags: [shortcodes, privacy]\nseries: [Guide]\nweight: 2\nmath: true\naliases: [old-rich]\n---\n\n{{< youtube ZJthWmvUzzc >}}\n\n{{< figure src=\"port.jpg\" title=\"The port\" >}}\n\nSee [the other]({{< ref \"post/plain.md\" >}}) and [about]({{< relref \"about\" >}}).\n\n{{< highlight go >}}\nfmt.Println(1)\n{{< /highlight >}}\n\n{{< css.inline >}}\n<style>{{ .X }}</style>\n{{< /css.inline >}}\n\n{{</* youtube id */>}}\n",
    );
    write(
        root,
        "content/post/plain.md",
        "+++\ntitle = \"Plain\"\ndate = \"2019-03-11\"\nslug = \"Plain Text\"\n+++\nPlain.\n",
    );
    write(
        root,
        "content/post/later.md",
        "+++\ntitle = \"Later\"\npublishDate = 2999-01-01\n+++\nNot yet.\n",
    );
    write(
        root,
        "content/post/bundle/index.md",
        "+++\ntitle = \"Bundle\"\nurl = \"/elsewhere/bundle/\"\n+++\n![x](pic.png)\n",
    );
    write(root, "content/post/bundle/pic.png", "PNG");
    write(
        root,
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\nUs.\n",
    );
    write(
        root,
        "content/homepage/index.md",
        "---\nheadless: true\n---\n",
    );
    write(root, "content/homepage/work.md", "---\ntitle: Work\n---\n");
    // The figure's picture, where Hugo serves it beside the page.
    write(root, "static/post/rich/port.jpg", "JPEG");
    write(root, "layouts/shortcodes/mine.html", "{{ .Get 0 }}\n");
    write(
        root,
        "content/post/mine.md",
        "+++\ntitle = \"Mine\"\n+++\n{{< mine \"a b\" >}}\n",
    );
}

#[test]
fn a_hugo_site_moves_over_with_its_urls() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, dest) = (tmp.path().join("hugo"), tmp.path().join("desk"));
    hugo_site(&src);
    let run = import("hugo", &src, &dest);
    assert!(run.success(), "{}\n{}", run.stdout, run.stderr);
    for said in [
        "shortcode `mine` is a Go template (layouts/shortcodes/mine.html)",
        "a headless bundle is not published: left out: homepage/index.md",
        "inline shortcode `css.inline` (a Go template) is left out: post/rich.md",
        "publishDate is later than today: imported as a draft (attache has no publishing dates yet): post/later.md",
        "the configuration's `permalinks` has no equivalent",
        "`weight` has no equivalent in attache: left out: post/rich.md",
    ] {
        assert!(run.stdout.contains(said), "{said}\n{}", run.stdout);
    }
    // The site's own Go shortcode is the writer's to write in Tera: with
    // it, the site builds.
    write(
        &dest,
        "templates/shortcodes/mine.html",
        "<b>{{ arg0 }}</b>\n",
    );
    let built = build(&dest);
    assert!(built.success(), "{}\n{}", built.stdout, built.stderr);
    let urls = pages(&dest);
    for url in [
        "post/rich/",
        "post/plain-text/",
        "elsewhere/bundle/",
        "about/",
        "tags/shortcodes/",
        "series/guide/",
        "post/old-rich/",
    ] {
        assert!(urls.iter().any(|u| u == url), "{url} not in {urls:?}");
    }
    assert!(
        !urls
            .iter()
            .any(|u| u == "post/later/" || u.starts_with("homepage")),
        "{urls:?}"
    );
    assert!(dest.join("public/elsewhere/bundle/pic.png").is_file());
    let rich = std::fs::read_to_string(dest.join("public/post/rich/index.html")).unwrap();
    assert!(
        rich.contains("youtube-nocookie.com/embed/ZJthWmvUzzc"),
        "{rich}"
    );
    assert!(rich.contains("src=\"/post/rich/port.jpg\""), "{rich}");
    assert!(rich.contains("href=\"/post/plain-text/\""), "{rich}");
    assert!(rich.contains("href=\"/about/\""), "{rich}");
    assert!(rich.contains("language-go"), "{rich}");
    assert!(rich.contains("{{&lt; youtube id &gt;}}"), "{rich}");
    assert!(!rich.contains(".X"), "{rich}");
    let mine = std::fs::read_to_string(dest.join("public/post/mine/index.html")).unwrap();
    assert!(mine.contains("<b>a b</b>"), "{mine}");
    let front = std::fs::read_to_string(dest.join("content/post/rich.md")).unwrap();
    for line in [
        "summary = \"Shortcodes\"",
        "authors = [\"Hugo Authors\"]",
        "updated = 2020-01-01",
        "date = 2019-03-10",
        "[extra]",
        "math = true",
    ] {
        assert!(front.contains(line), "{line}\n{front}");
    }
}

#[test]
fn import_writes_only_into_a_new_or_empty_folder_and_reads_only_a_site() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, dest) = (tmp.path().join("zola"), tmp.path().join("desk"));
    zola_site(&src);
    write(&dest, "keep.txt", "mine\n");
    let run = import("zola", &src, &dest);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
    assert_eq!(walk(&dest), ["keep.txt"]);
    // A Zola site is not taken for a Hugo one (both may have a
    // config.toml), nor a folder with no site for either.
    let other = tmp.path().join("other");
    let run = import("hugo", &src, &other);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("use `attache import zola`"),
        "{}",
        run.stderr
    );
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let run = import("hugo", &empty, &other);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no hugo.toml or"), "{}", run.stderr);
    assert!(run.stderr.contains("a Hugo site"), "{}", run.stderr);
    let run = import("zola", &empty, &other);
    assert!(run.stderr.contains("config.toml"), "{}", run.stderr);
    assert!(!other.exists());
}

/// A real site, when the environment names one: it imports, builds with
/// no error, and each of its pages (`expected` lists URL paths, a line
/// each, in the file the variable `<NAME>_URLS` names) is where it was.
fn real_site(from: &str, var: &str) {
    let Ok(src) = std::env::var(var) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("desk");
    let run = import(from, Path::new(&src), &dest);
    assert!(run.success(), "{}\n{}", run.stdout, run.stderr);
    println!("{}", run.stdout);
    let built = build(&dest);
    assert!(built.success(), "{}\n{}", built.stdout, built.stderr);
    if let Ok(list) = std::env::var(format!("{var}_URLS")) {
        let urls = pages(&dest);
        for url in std::fs::read_to_string(list)
            .unwrap()
            .lines()
            .filter(|l| !l.is_empty())
        {
            assert!(urls.iter().any(|u| u == url), "{url} not in {urls:?}");
        }
    }
}

#[test]
fn a_real_zola_site_when_one_is_named() {
    real_site("zola", "ATTACHE_ZOLA_SITE");
}

#[test]
fn a_real_hugo_site_when_one_is_named() {
    real_site("hugo", "ATTACHE_HUGO_SITE");
}
