//! `attache check`.

use std::process::ExitCode;

use clap::Args;

use super::SiteArgs;
use super::report::Reporter;

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
}

pub fn run(args: CheckArgs, reporter: &Reporter) -> ExitCode {
    match attache::build::check(&args.site.options()) {
        Ok(generated) => {
            reporter.diagnostics(&generated.diagnostics);
            reporter.checked(&generated);
            ExitCode::SUCCESS
        }
        Err(failure) => reporter.failure(&failure, "nothing was written"),
    }
}
