//! `attache watch`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use attache::WatchOptions;

use super::SiteArgs;
use super::report::Reporter;

#[derive(Args)]
pub struct WatchArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Where to write the site [default: <root>/public].
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Scan for changes instead of waiting for file-system events.
    #[arg(long)]
    poll: bool,
    /// Write into an output folder that attache did not make (see
    /// `attache build --help`).
    #[arg(long)]
    force: bool,
}

pub fn run(args: WatchArgs, reporter: &Reporter) -> ExitCode {
    let options = WatchOptions {
        site: args.site.options(),
        output: args.output,
        poll: args.poll,
        force: args.force,
    };
    match attache::watch(options, reporter.live(false)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => reporter.failure(&failure, ""),
    }
}
