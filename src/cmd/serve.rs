//! `attache serve`.

use std::process::ExitCode;

use clap::Args;

use attache::ServeOptions;

use super::SiteArgs;
use super::report::Reporter;

#[derive(Args)]
pub struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// The address to listen on. Anything but a loopback address makes
    /// the site readable from other machines.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    bind: std::net::IpAddr,
    /// The port; 0 picks a free one.
    #[arg(long, short, default_value_t = 1111)]
    port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    /// Scan for changes instead of waiting for file-system events
    /// (for network mounts and containers where events do not arrive).
    #[arg(long)]
    poll: bool,
}

pub fn run(args: ServeArgs, reporter: &Reporter) -> ExitCode {
    let options = ServeOptions {
        site: args.site.options(),
        bind: args.bind,
        port: args.port,
        open: args.open,
        poll: args.poll,
    };
    match attache::serve(options, reporter.live(true)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => reporter.failure(&failure, ""),
    }
}
