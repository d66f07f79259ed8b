//! `attache check`.

use std::process::ExitCode;

use clap::Args;

use super::SiteArgs;
use super::report::Reporter;

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Also list, for each language of `[languages]`, the pages that
    /// have no translation into it (`content/<kind>/<name>.<lang>.md`).
    #[arg(long)]
    translations: bool,
}

pub fn run(args: CheckArgs, reporter: &Reporter) -> ExitCode {
    match attache::check(&args.site.options()) {
        Ok(generated) => {
            reporter.diagnostics(&generated.diagnostics);
            reporter.checked(&generated);
            if args.translations {
                print_coverage(&args.site.options());
            }
            ExitCode::SUCCESS
        }
        Err(failure) => reporter.failure(&failure, "nothing was written"),
    }
}

/// What `--translations` prints: per language, how many pages are
/// translated, then each page that is not, one to a line (for scripts).
fn print_coverage(options: &attache::SiteOptions) {
    let Ok((site, _)) = attache::Site::load(options) else {
        return;
    };
    let coverage = site.translation_coverage();
    if coverage.is_empty() {
        println!(
            "no languages besides `{}`: declare one under [languages] in attache.toml",
            site.config.language
        );
    }
    for c in coverage {
        let total = c.translated + c.missing.len();
        println!("{}: {} of {total} pages translated", c.lang, c.translated);
        for key in c.missing {
            println!("  missing {key}");
        }
    }
    // The theme's own words: those a language's string table lacks are
    // shown in English on its pages.
    for (lang, lacking) in attache::lacking_words(&site) {
        match lacking.len() {
            0 => println!("{lang}: the theme has all its words"),
            n => {
                println!(
                    "{lang}: the theme lacks {n} word{} (shown in English); add them to templates/strings/{lang}.toml",
                    if n == 1 { "" } else { "s" }
                );
                for key in lacking {
                    println!("  missing word {key}");
                }
            }
        }
    }
}
