//! `attache build`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use attache::BuildOptions;

use super::SiteArgs;
use super::report::Reporter;

#[derive(Args)]
pub struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Where to write the site [default: <root>/public].
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Override base_url from attache.toml, e.g. for a preview deploy.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Write into an output folder that attache did not make: files it
    /// writes replace files of the same name; other files are kept.
    #[arg(long)]
    force: bool,
    /// Build from scratch, ignoring what the last build kept in .attache/.
    #[arg(long)]
    clean: bool,
    /// Fail at once if another build or watch is writing the same output
    /// folder (or the site's .attache/), instead of waiting for it.
    #[arg(long)]
    no_wait: bool,
}

pub fn run(args: BuildArgs, reporter: &Reporter) -> ExitCode {
    let mut site = args.site.options();
    site.base_url = args.base_url;
    let progress = reporter.progress();
    let options = BuildOptions {
        site,
        output: args.output,
        force: args.force,
        clean: args.clean,
        no_wait: args.no_wait,
        settle_window: attache::SETTLE_WINDOW,
    };
    match attache::build(&options, &progress) {
        Ok(report) => {
            reporter.diagnostics(&report.diagnostics);
            reporter.built(&report);
            report.held.leave_to_exit();
            ExitCode::SUCCESS
        }
        Err(failure) => reporter.failure(&failure, "the output folder was not changed"),
    }
}
