//! `attache theme`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use attache::{Diagnostics, Failure};

use super::report::Reporter;

#[derive(Args)]
pub struct ThemeArgs {
    #[command(subcommand)]
    action: ThemeAction,
}

#[derive(Subcommand)]
enum ThemeAction {
    /// List the default theme's templates (and string tables).
    List,
    /// Copy templates of the default theme into the site's templates/, to
    /// edit them: `attache theme copy briefs/page.html`. Without names,
    /// every template. A template the site has already is never
    /// overwritten.
    Copy {
        /// Templates by name, as `list` prints them.
        names: Vec<String>,
        /// The site folder (with attache.toml).
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
    },
}

pub fn run(args: ThemeArgs, reporter: &Reporter) -> ExitCode {
    match args.action {
        ThemeAction::List => {
            for name in attache::theme_templates() {
                println!("{name}");
            }
            ExitCode::SUCCESS
        }
        ThemeAction::Copy { names, root } => match attache::copy_templates(&root, &names) {
            Ok(made) => {
                for path in &made {
                    println!("created {}", root.join(path).display());
                }
                ExitCode::SUCCESS
            }
            Err(problems) => {
                let problems: Diagnostics = problems.into();
                reporter.failure(&Failure::Errors(problems), "nothing was copied")
            }
        },
    }
}
