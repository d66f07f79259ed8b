//! The one store of a site's problems, keyed by the stage that found them
//! and what they are about. A stage replaces its own entries when it runs
//! again (a file reloaded, a page rendered again), so the store always
//! holds exactly the problems of the site as it stands.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Diagnostics};

/// The stage of the pipeline that found a problem.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Stage {
    /// `attache.toml`.
    Config,
    /// Reading a content file, or finding it (misplaced, duplicate slug).
    Load,
    /// Resolving references; stubs; the sector tree.
    Link,
    /// Links in list intros.
    Intros,
    /// Translations checked against the pages they translate.
    Translations,
    /// Compiling the templates.
    Templates,
    /// Reading static files.
    Statics,
    /// Outputs in each other's way.
    Outputs,
    /// Rendering one output.
    Render,
}

/// Problems by stage and source (a file, an output, or `""` for a stage
/// that runs as a whole).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Problems {
    by_source: BTreeMap<(Stage, String), Vec<Diagnostic>>,
}

impl Problems {
    /// Replaces the problems `stage` found in `source`.
    pub fn set(&mut self, stage: Stage, source: impl Into<String>, problems: Vec<Diagnostic>) {
        let key = (stage, source.into());
        if problems.is_empty() {
            self.by_source.remove(&key);
        } else {
            self.by_source.insert(key, problems);
        }
    }

    /// Adds to the problems `stage` found in `source`.
    pub fn add(&mut self, stage: Stage, source: impl Into<String>, problem: Diagnostic) {
        self.by_source
            .entry((stage, source.into()))
            .or_default()
            .push(problem);
    }

    /// Forgets the problems `stage` found in `source`.
    pub fn clear(&mut self, stage: Stage, source: &str) {
        self.by_source.remove(&(stage, source.to_string()));
    }

    /// Forgets everything `stage` found.
    pub fn clear_stage(&mut self, stage: Stage) {
        self.by_source.retain(|(s, _), _| *s != stage);
    }

    /// The problems `stage` found in `source`.
    pub fn get(&self, stage: Stage, source: &str) -> &[Diagnostic] {
        self.by_source
            .get(&(stage, source.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// Every problem, sorted, each shown once (a template error that many
    /// renders hit is one problem), at most [`crate::diagnostic::MAX_PER_FILE`]
    /// per file.
    pub fn all(&self) -> Diagnostics {
        let mut render = Vec::new();
        let mut all = Diagnostics::new();
        for ((stage, _), problems) in &self.by_source {
            if *stage == Stage::Render {
                render.extend(problems.iter().cloned());
            } else {
                all.extend(problems.iter().cloned());
            }
        }
        all.extend(merge_problems(render));
        all.sort();
        all
    }

    /// Whether there is an error about `source` from `stage`.
    pub fn has_errors(&self, stage: Stage, source: &str) -> bool {
        self.get(stage, source).iter().any(Diagnostic::is_error)
    }

    /// The files (as shown, `/`-separated) that errors are located in.
    pub fn files_with_errors(&self) -> std::collections::HashSet<String> {
        self.by_source
            .values()
            .flatten()
            .filter(|d| d.is_error())
            .filter_map(|d| d.file().map(crate::diagnostic::display_path))
            .collect()
    }

    /// The sources `stage` found problems in.
    pub fn sources(&self, stage: Stage) -> impl Iterator<Item = &str> {
        self.by_source
            .keys()
            .filter(move |(s, _)| *s == stage)
            .map(|(_, source)| source.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.by_source.is_empty()
    }
}

/// The problems of many renders, with an error that many of them share
/// (one template bug) reported once, saying how many pages hit it.
/// The count is of what the renders were about (their labels): one
/// shortcode call that breaks the page and its feeds is one call.
fn merge_problems(problems: impl IntoIterator<Item = Diagnostic>) -> Vec<Diagnostic> {
    type Labels = std::collections::BTreeSet<Option<String>>;
    let mut merged: BTreeMap<(String, String), (Diagnostic, Labels)> = BTreeMap::new();
    for d in problems {
        let key = (d.position().unwrap_or_default(), d.message.clone());
        // The one named is the first by its label, not by the order the
        // renders came in (page ids, which a live site assigns otherwise
        // than a fresh build).
        match merged.entry(key) {
            std::collections::btree_map::Entry::Vacant(slot) => {
                let labels = Labels::from([d.label.clone()]);
                slot.insert((d, labels));
            }
            std::collections::btree_map::Entry::Occupied(mut slot) => {
                let (first, labels) = slot.get_mut();
                labels.insert(d.label.clone());
                if d.label < first.label {
                    *first = d;
                }
            }
        }
    }
    merged
        .into_values()
        .map(|(d, labels)| {
            if labels.len() > 1 {
                let label = d.label.clone().unwrap_or_default();
                d.label(format!("{label} and {} more", labels.len() - 1))
            } else {
                d
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stage_replaces_its_own_problems() {
        let mut p = Problems::default();
        p.set(Stage::Load, "a.md", vec![Diagnostic::error("one")]);
        p.set(Stage::Link, "", vec![Diagnostic::error("two")]);
        assert_eq!(p.all().error_count(), 2);
        p.set(Stage::Load, "a.md", vec![]);
        assert_eq!(p.all().error_count(), 1);
        p.clear_stage(Stage::Link);
        assert!(p.is_empty());
    }

    #[test]
    fn render_errors_many_pages_share_are_shown_once() {
        let mut p = Problems::default();
        for page in ["a", "b", "c"] {
            p.set(
                Stage::Render,
                page,
                vec![Diagnostic::error("template error").label(format!("while rendering {page}"))],
            );
        }
        let all = p.all();
        assert_eq!(all.iter().count(), 1);
        assert_eq!(
            all.iter().next().unwrap().label.as_deref(),
            Some("while rendering a and 2 more")
        );
    }

    #[test]
    fn one_place_rendered_by_many_outputs_is_not_counted_again() {
        let mut p = Problems::default();
        // One shortcode call, rendered for the page, its feed, its JSON
        // feed: one place.
        for output in ["a", "a/atom.xml", "a/feed.json"] {
            p.set(
                Stage::Render,
                output,
                vec![
                    Diagnostic::error("figure needs src")
                        .label("while rendering the call at a.md:3:1"),
                ],
            );
        }
        p.set(
            Stage::Render,
            "b",
            vec![
                Diagnostic::error("figure needs src").label("while rendering the call at b.md:9:1"),
            ],
        );
        let all = p.all();
        assert_eq!(
            all.iter().next().unwrap().label.as_deref(),
            Some("while rendering the call at a.md:3:1 and 1 more")
        );
    }
}
