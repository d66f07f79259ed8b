//! `attache import`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use attache::{Failure, Generator};

use super::report::Reporter;

#[derive(Args)]
pub struct ImportArgs {
    /// The generator that made the site.
    from: From,
    /// The old site's folder (with its config.toml or hugo.toml). It is
    /// only read.
    source: PathBuf,
    /// The folder to create the attache site in (new or empty).
    dir: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum From {
    Zola,
    Hugo,
}

pub fn run(args: ImportArgs, reporter: &Reporter) -> ExitCode {
    let from = match args.from {
        From::Zola => Generator::Zola,
        From::Hugo => Generator::Hugo,
    };
    match attache::import_site(from, &args.source, &args.dir) {
        Ok(imported) => {
            reporter.imported(&args.dir, imported.files.len(), &imported.notes);
            ExitCode::SUCCESS
        }
        Err(d) => reporter.failure(&Failure::Usage(d), "nothing was written"),
    }
}
