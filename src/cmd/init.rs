//! `attache init`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use attache::Failure;

use super::report::Reporter;

#[derive(Args)]
pub struct InitArgs {
    /// The folder to create the site in.
    dir: PathBuf,
}

pub fn run(args: InitArgs, reporter: &Reporter) -> ExitCode {
    match attache::init(&args.dir) {
        Ok(created) => {
            reporter.created_site(&args.dir, created.len());
            ExitCode::SUCCESS
        }
        Err(d) => reporter.failure(&Failure::Usage(d), ""),
    }
}
