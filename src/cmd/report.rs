//! What the command line prints: diagnostics, a progress bar, summaries.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anstream::{eprintln, println};
use anstyle::{AnsiColor, Style};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use attache::{BuildReport, Failure, Generated, Progress};
use attache::{Diagnostics, display_path};

/// Below this many outputs a build is quick enough to need no progress bar.
const PROGRESS_THRESHOLD: usize = 500;

pub struct Reporter;

const GREEN: Style = AnsiColor::Green.on_default().bold();
const RED: Style = AnsiColor::Red.on_default().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default().bold();

impl Reporter {
    pub fn new() -> Self {
        Reporter
    }

    pub fn diagnostics(&self, diagnostics: &Diagnostics) {
        for d in diagnostics.iter() {
            // Styled always; anstream strips the styles when stderr is not
            // a terminal or colors are off.
            eprintln!("{}\n", d.render(true));
        }
    }

    pub fn failure(&self, failure: &Failure, consequence: &str) -> ExitCode {
        match failure {
            Failure::Usage(d) => {
                eprintln!("{}", d.render(true));
                ExitCode::from(2)
            }
            Failure::Unfinished(diagnostics) => self.failure(
                &Failure::Errors(diagnostics.clone()),
                "the output folder holds part of the new site until the next build finishes it",
            ),
            Failure::Errors(diagnostics) => {
                self.diagnostics(diagnostics);
                let errors = diagnostics.error_count();
                let warnings = diagnostics.warning_count();
                let mut line = format!("{errors} error{}", plural(errors));
                if warnings > 0 {
                    line.push_str(&format!(", {warnings} warning{}", plural(warnings)));
                }
                if !consequence.is_empty() {
                    line.push_str(&format!("; {consequence}"));
                }
                eprintln!("{RED}failed{RED:#}: {line}");
                ExitCode::from(1)
            }
        }
    }

    pub fn built(&self, r: &BuildReport) {
        if let Some(note) = &r.recovered {
            eprintln!("{YELLOW}note{YELLOW:#}: {note}");
        }
        let warnings = r.diagnostics.warning_count();
        let warned = if warnings > 0 {
            format!(", {warnings} warning{}", plural(warnings))
        } else {
            String::new()
        };
        let how = if r.resumed {
            " (from the last build's state)"
        } else {
            ""
        };
        eprintln!(
            "{GREEN}built{GREEN:#} {} pages, {} files into {} in {:.2?}{how}: {} written, {} unchanged, {} removed{warned}",
            r.pages,
            r.files,
            r.output.display(),
            r.elapsed,
            r.stats.written,
            r.stats.unchanged,
            r.stats.removed,
        );
    }

    pub fn checked(&self, g: &Generated) {
        let warnings = g.diagnostics.warning_count();
        eprintln!(
            "{GREEN}ok{GREEN:#}: {} pages, {} files, no errors, {warnings} warning{}; nothing written",
            g.pages,
            g.files,
            plural(warnings)
        );
    }

    pub fn created_site(&self, dir: &Path, files: usize) {
        println!(
            "{GREEN}created{GREEN:#} a new site in {} ({files} files)\n\nNext:\n  cd {}\n  attache serve      preview it at http://127.0.0.1:1111/ as you write\n  attache build      the site in public/, to publish",
            dir.display(),
            dir.display()
        );
    }

    /// What `import` made, and what it could not carry over.
    pub fn imported(&self, dir: &Path, files: usize, notes: &[String]) {
        println!(
            "{GREEN}created{GREEN:#} an attache site in {} ({files} files)",
            dir.display()
        );
        if !notes.is_empty() {
            println!("\nNot carried over (docs/migrating.md says what to do):");
            for note in notes {
                println!("  - {note}");
            }
        }
        println!("\nNext:\n  cd {}\n  attache serve", dir.display());
    }

    pub fn created_page(&self, path: &Path) {
        println!("{GREEN}created{GREEN:#} {}", display_path(path));
    }

    /// What `serve` (`serving`) or `watch` prints as it goes.
    pub fn live(&self, serving: bool) -> LiveReport {
        LiveReport { serving }
    }

    pub fn progress(&self) -> Bar {
        Bar(ProgressBar::hidden())
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A progress bar on stderr for long builds, when stderr is a terminal.
pub struct Bar(ProgressBar);

impl Progress for Bar {
    fn start(&self, total: usize) {
        if total < PROGRESS_THRESHOLD || !std::io::stderr().is_terminal() {
            return;
        }
        self.0.set_length(total as u64);
        self.0.set_draw_target(ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} rendering {pos}/{len} {wide_bar} {eta}")
        {
            self.0.set_style(style);
        }
    }

    fn tick(&self) {
        self.0.inc(1);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }

    fn waiting(&self, message: &str) {
        eprintln!("{message}");
    }
}

/// What `serve` and `watch` print as they go.
pub struct LiveReport {
    /// `serve`: a browser shows the site; `watch` writes the folder.
    serving: bool,
}

impl attache::Report for LiveReport {
    fn started(&self, line: &str) {
        // The first line on stdout, for people and for scripts.
        println!("{line}");
        let _ = std::io::Write::flush(&mut std::io::stdout());
        eprintln!("Watching for changes; press Ctrl-C to stop.");
    }

    fn warning(&self, text: &str) {
        eprintln!("{YELLOW}warning{YELLOW:#}: {text}");
    }

    fn note(&self, text: &str) {
        eprintln!("{}", text);
    }

    fn diagnostics(&self, appeared: &Diagnostics, standing: &Diagnostics) {
        for d in appeared.iter() {
            eprintln!("{}\n", d.render(true));
        }
        let errors = standing.error_count();
        let earlier = standing.iter().count() - appeared.iter().count();
        let earlier = if earlier > 0 {
            format!(
                " ({earlier} problem{} shown before still stand{})",
                plural(earlier),
                if earlier == 1 { "s" } else { "" }
            )
        } else {
            String::new()
        };
        if errors > 0 {
            let kept = match self.serving {
                true => "the browser shows the last good pages",
                false => "the output folder keeps the last good pages",
            };
            eprintln!(
                "{RED}{errors} error{}{RED:#}: {kept} until they are fixed{earlier}",
                plural(errors)
            );
        } else {
            eprintln!("{GREEN}no errors{GREEN:#}{earlier}");
        }
    }

    fn rebuilt(&self, update: &attache::Update) {
        let what = if update.rebuilt {
            "rebuilt everything"
        } else {
            "updated"
        };
        eprintln!(
            "{what}: {} file{} changed, {} removed in {:.1?}",
            update.changed.len(),
            plural(update.changed.len()),
            update.removed.len(),
            update.elapsed
        );
    }
}
