//! `attache new`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use attache::build::Failure;

use super::report::Reporter;

#[derive(Args)]
pub struct NewArgs {
    /// The kind: briefs, meetings, agencies, sectors, or one declared in attache.toml.
    kind: String,
    /// The page's title.
    title: String,
    /// The site folder.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
}

pub fn run(args: NewArgs, reporter: &Reporter) -> ExitCode {
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::system())
        .date();
    match attache::scaffold::new_page(&args.root, &args.kind, &args.title, today) {
        Ok(path) => {
            reporter.created_page(&path);
            ExitCode::SUCCESS
        }
        Err(d) => reporter.failure(&Failure::Usage(d), ""),
    }
}
