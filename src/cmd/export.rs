//! `attache export`.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, ValueEnum};

use super::SiteArgs;
use super::report::Reporter;
use attache::Failure;
use attache::{ExportFormat as Format, export};

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// `json`: a kind's pages, or the graph of every page; `csv`: a kind's
    /// pages, a row each.
    #[arg(long, value_enum, default_value_t = FormatArg::Json)]
    format: FormatArg,
    /// The kind to export (briefs, meetings, ...). Without it: the graph
    /// (JSON) or the briefings (CSV).
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,
    /// Override base_url from attache.toml, as `attache build --base-url`
    /// does: the URLs in the export are those of that build.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Json,
    Csv,
}

pub fn run(args: ExportArgs, reporter: &Reporter) -> ExitCode {
    let options = attache::SiteOptions {
        base_url: args.base_url.clone(),
        ..args.site.options()
    };
    let (site, warnings) = match attache::Site::load(&options) {
        Ok(loaded) => loaded,
        Err(errors) => return reporter.failure(&Failure::Errors(errors), "nothing was exported"),
    };
    reporter.diagnostics(&warnings);
    if warnings.has_errors() {
        return reporter.failure(&Failure::Errors(warnings), "nothing was exported");
    }
    let format = match args.format {
        FormatArg::Json => Format::Json,
        FormatArg::Csv => Format::Csv,
    };
    match export(Arc::new(site), format, args.kind.as_deref()) {
        Ok(text) => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
            ExitCode::SUCCESS
        }
        Err(d) => reporter.failure(&Failure::Usage(d), "nothing was exported"),
    }
}
