//! Outputs in each other's way: two that would write one file, or a file
//! where another needs a folder. Found before anything is written, with
//! the error at what should change (an alias, a slug, a static file).

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use rayon::prelude::*;

use super::targets::Target;
use crate::diagnostic::{Code, Diagnostic};
use crate::output::Body;
use crate::site::Site;

/// Every way the outputs can be in each other's way, found before anything
/// is written: two targets that would write the same file (an alias that
/// takes another output's place is an error at the alias), and a file
/// where another output needs a folder (an alias `/style.css` over the
/// static `style.css`, a slug `index.html` under the list page
/// `briefs/index.html`, a static file `briefs` where the `briefs/` folder
/// goes). `statics` are the static files (a generated page replacing one
/// is only a warning, given elsewhere).
pub fn check_collisions<'s>(
    site: &Site,
    targets: &[Target],
    statics: impl IntoIterator<Item = (&'s str, &'s Body)>,
) -> Collisions {
    // Every target's file, worked out once (in parallel: there are tens
    // of thousands, and this runs on every update).
    let files: Vec<Option<String>> = targets
        .par_iter()
        .map(|target| target.output_file(site))
        .collect();
    let (mut problems, lost) = check_same_file(site, targets, &files);
    let mut origins: HashMap<&str, Origin<'_>> =
        HashMap::with_capacity_and_hasher(files.len(), Default::default());
    for (path, body) in statics {
        origins.insert(path, Origin::Static(body));
    }
    let index = format!("{}index.json", crate::render::search::INDEX_DIR);
    let data: Vec<(String, &Target)> = targets
        .iter()
        .filter(|t| matches!(t, Target::KindData { .. }))
        .map(|t| (t.url_path(site), t))
        .collect();
    for (target, file) in targets.iter().zip(&files) {
        let file = match target {
            Target::SearchIndex => Some(index.as_str()),
            _ => file.as_deref(),
        };
        if let Some(file) = file {
            origins.insert(file, Origin::Target(target));
        }
    }
    for (file, target) in &data {
        origins.insert(file, Origin::Target(target));
    }
    // For each file that is also a folder, what needs the folder: the
    // output that is least to blame for it (the kind's own list page, say,
    // rather than a page that happens to sort first), so that the error
    // points at what should change; of two alike, the first by name.
    let mut needs: BTreeMap<&str, &str> = BTreeMap::new();
    for &path in origins.keys() {
        let mut end = 0;
        while let Some(i) = path[end..].find('/') {
            let folder = &path[..end + i];
            end += i + 1;
            if origins.contains_key(folder) {
                let blame = |p: &str| origins[p].blame(site);
                needs
                    .entry(folder)
                    .and_modify(|under| {
                        if (blame(path), path) < (blame(under), *under) {
                            *under = path;
                        }
                    })
                    .or_insert(path);
            }
        }
    }
    for (folder, under) in needs {
        problems.push(clash(
            site,
            folder,
            &origins[folder],
            under,
            &origins[under],
        ));
    }
    Collisions { problems, lost }
}

/// What [`check_collisions`] found.
pub struct Collisions {
    pub problems: Vec<Diagnostic>,
    /// The targets that would write a file an earlier one writes (a
    /// page's own outputs come before aliases, then the order of
    /// [`all`]). They render nothing while the clash stands, so that
    /// which file stands at a clashed path never depends on which of them
    /// rendered last: a live site keeps the one a fresh build keeps.
    pub lost: HashSet<Target>,
}

/// What an output comes from.
enum Origin<'a> {
    Target(&'a Target),
    Static(&'a Body),
}

impl Origin<'_> {
    /// How strongly a clash is this origin's fault: an alias or a chosen
    /// slug is a decision in one file; a static file is a file; lists and
    /// the home page are the site's own.
    fn blame(&self, site: &Site) -> u8 {
        match self {
            Origin::Target(Target::Alias { .. }) => 4,
            Origin::Target(t) => match t.page() {
                Some(id) if site.page(id).fields.slug.is_some() => 3,
                Some(id) if site.page(id).fields.path.is_some() => 3,
                Some(_) => 2,
                None => 0,
            },
            Origin::Static(_) => 1,
        }
    }

    fn describe(&self, site: &Site, path: &str) -> String {
        match self {
            Origin::Target(t) => t.describe(site),
            Origin::Static(_) => format!("the static file {path}"),
        }
    }
}

/// The error for `file` being a file while `under` needs it as a folder.
fn clash(
    site: &Site,
    file: &str,
    file_origin: &Origin<'_>,
    under: &str,
    under_origin: &Origin<'_>,
) -> Diagnostic {
    let (culprit, culprit_path, other, other_path) =
        if file_origin.blame(site) >= under_origin.blame(site) {
            (file_origin, file, under_origin, under)
        } else {
            (under_origin, under, file_origin, file)
        };
    let other_what = other.describe(site, other_path);
    let message = format!(
        "{file} cannot be both a file and a folder: {} writes {culprit_path}, and {other_what} writes {other_path}",
        culprit.describe(site, culprit_path)
    );
    let d = Diagnostic::error(message).code(Code::OutputClash);
    match culprit {
        Origin::Target(Target::Alias { page, index }) => {
            let p = site.page(*page);
            let alias = &p.fields.aliases[*index];
            d.at(p.file.at(alias.span()))
                .label(format!("this alias is written to {culprit_path}"))
                .hint("an alias must be an old URL that is not a file or folder of the site now; remove it or change it")
        }
        Origin::Target(t) => match t.page() {
            None => d.hint("rename one of them"),
            Some(id) => {
                let p = site.page(id);
                match &p.fields.slug {
                Some(slug) => d
                    .at(p.file.at(slug.span()))
                    .label(format!("this slug puts the page at {}", p.url_path()))
                    .hint("choose a slug that is not the name of a file of the site (such as `index.html`)"),
                None => d
                    .in_file(p.file.path.clone())
                    .hint("rename the file, or give the page a `slug`"),
            }
            }
        },
        Origin::Static(Body::Copy(from)) => d
            .in_file(from.strip_prefix(&site.root).unwrap_or(from).to_path_buf())
            .hint("rename or move the static file"),
        Origin::Static(Body::Bytes(_)) => d.hint("rename one of them"),
    }
}

/// `file` as Windows and macOS tell files apart: without case.
fn folded(file: &str) -> std::borrow::Cow<'_, str> {
    match file
        .bytes()
        .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
    {
        true => file.to_lowercase().into(),
        false => file.into(),
    }
}

/// Two targets that would write the same file, or files whose names
/// differ only in case (`briefs/Copper/index.html` and
/// `briefs/copper/index.html`, one file on Windows and macOS); and the
/// ones that lose, on every system alike.
fn check_same_file<'f>(
    site: &Site,
    targets: &[Target],
    files: &'f [Option<String>],
) -> (Vec<Diagnostic>, HashSet<Target>) {
    let mut seen: HashMap<std::borrow::Cow<'f, str>, (&Target, &'f str)> =
        HashMap::with_capacity_and_hasher(targets.len(), Default::default());
    let mut problems = Vec::new();
    let mut lost = HashSet::default();
    // Outputs at their own URLs first, then those of pages that chose a
    // `path`, then aliases: a choice written in one file is the one blamed.
    let mut order: Vec<(&Target, &Option<String>)> = targets.iter().zip(files).collect();
    order.sort_by_key(|(t, _)| match t {
        Target::Alias { .. } => 2,
        _ if moved(site, t) => 1,
        _ => 0,
    });
    for (target, file) in order {
        let Some(file) = file else {
            continue;
        };
        let key = folded(file);
        match seen.get(&key) {
            None => {
                seen.insert(key, (target, file));
            }
            Some(&(first, first_file)) => {
                problems.push(collision(site, target, first, file, first_file));
                lost.insert(target.clone());
            }
        }
    }
    (problems, lost)
}

/// Whether `target` is an output of a page published at its own `path`.
fn moved(site: &Site, target: &Target) -> bool {
    target
        .page()
        .is_some_and(|id| site.page(id).fields.path.is_some())
}

/// The error for `target` writing `file` where `first` writes
/// `first_file` (the same, or the same but for case).
fn collision(
    site: &Site,
    target: &Target,
    first: &Target,
    file: &str,
    first_file: &str,
) -> Diagnostic {
    let what = first.describe(site);
    // Said after the message when the files differ only in case.
    let case = match first_file == file {
        true => String::new(),
        false => format!(
            " ({first_file}: the same file on Windows and macOS, where case does not tell files apart)"
        ),
    };
    match target {
        Target::Alias { page, index } => {
            let p = site.page(*page);
            let alias = &p.fields.aliases[*index];
            Diagnostic::error(format!("alias `{}` collides with {what}{case}", alias.get_ref()))
                .at(p.file.at(alias.span()))
                .label(format!("{file} is already written for {what}"))
                .hint("an alias must be an old URL that no page has now; remove it or change it")
        }
        _ if moved(site, target) => {
            let Some(p) = target.page().map(|id| site.page(id)) else {
                unreachable!("moved() is true only of a page's targets")
            };
            let Some(path) = &p.fields.path else {
                unreachable!("moved() is true only of pages with a path")
            };
            Diagnostic::error(format!("{} and {what} would both be written to {file}{case}", target.describe(site)))
                .at(p.file.at(path.span()))
                .label(format!("{file} is already written for {what}"))
                .hint("choose a path no other page or list has, or remove `path`")
        }
        _ => Diagnostic::error(format!("{} and {what} would both be written to {file}{case}", target.describe(site)))
            .hint("rename one of the pages so that their URLs differ (slugs such as `page` can collide with list pages)"),
    }
}
