//! Arguments and dispatch. Exit status: 0 success, 1 content or template
//! errors, 2 usage errors.

mod report;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use attache::build::{self, BuildOptions, Failure};
use attache::site::SiteOptions;
use report::Reporter;

const AFTER_HELP: &str = "\
Examples:
  attache serve --open               preview at http://127.0.0.1:1111/, live
  attache build                      build the site in this folder into public/
  attache build --base-url https://example.org/briefings/
  attache check --root my-site       validate everything, write nothing
  attache new briefs \"Tokyo talks\"   start a new brief
  attache init my-site               create a new site

A site is a folder with attache.toml, content/<kind>/*.md, optional
templates/ and static/. See README.md and docs/ for the details.";

#[derive(Parser)]
#[command(
    name = "attache",
    version,
    about = "Build a cross-linked static site of trade briefings, meetings, agencies and sectors.",
    after_help = AFTER_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to use colors in messages.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    ///
    /// The output folder is only changed when the whole site builds
    /// without errors, and then all at once: a build that fails or is
    /// stopped leaves the previous site. attache records the files it
    /// writes in .attache-manifest.json in the output folder and only ever
    /// replaces or removes those; it refuses a folder that holds other
    /// files and no manifest (a folder with only dotfiles, such as a deploy
    /// repository's .git, counts as empty).
    Build {
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
    },
    /// Serve the site on this machine, rebuilding it as you edit.
    ///
    /// The site is built in memory and served over HTTP; browsers reload by
    /// themselves after each change (stylesheets are swapped in place). While
    /// a file has errors the browser shows its last good version with the
    /// errors over it, until they are fixed. The first line printed is the
    /// site's URL.
    Serve {
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
    },
    /// Build the site into the output folder and keep it up to date as you edit.
    ///
    /// Like `serve` without the server: each change rebuilds only what it
    /// affects and rewrites only the files that changed, each replaced at
    /// once (never half-written). Nothing is written while the site has
    /// errors.
    Watch {
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
    },
    /// Load, link and render everything, report every problem, write nothing.
    Check {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Create a new site in DIR (which must be new or empty).
    Init {
        /// The folder to create the site in.
        dir: PathBuf,
    },
    /// Create a page of KIND with front matter for TITLE.
    ///
    /// The file is content/<KIND>/<slug of TITLE>.md; an existing file is
    /// never overwritten.
    New {
        /// The kind: briefs, meetings, agencies, sectors, or one declared in attache.toml.
        kind: String,
        /// The page's title.
        title: String,
        /// The site folder.
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Args)]
struct SiteArgs {
    /// The site folder (with attache.toml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    drafts: bool,
}

impl SiteArgs {
    fn options(&self) -> SiteOptions {
        SiteOptions {
            drafts: self.drafts,
            ..SiteOptions::new(&self.root)
        }
    }
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.color {
        Color::Auto => {}
        Color::Always => anstream::ColorChoice::Always.write_global(),
        Color::Never => anstream::ColorChoice::Never.write_global(),
    }
    let reporter = Reporter::new();
    match cli.command {
        Command::Build {
            site,
            output,
            base_url,
            force,
        } => {
            let mut options = site.options();
            options.base_url = base_url;
            let progress = reporter.progress();
            let result = build::build(
                &BuildOptions {
                    site: options,
                    output,
                    force,
                },
                &progress,
            );
            match result {
                Ok(report) => {
                    reporter.diagnostics(&report.diagnostics);
                    reporter.built(&report);
                    ExitCode::SUCCESS
                }
                Err(failure) => reporter.failure(&failure, "the output folder was not changed"),
            }
        }
        Command::Serve {
            site,
            bind,
            port,
            open,
            poll,
        } => {
            let options = attache::serve::ServeOptions {
                site: site.options(),
                bind,
                port,
                open,
                poll,
            };
            match attache::serve::serve(options, reporter.live()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(failure) => reporter.failure(&failure, ""),
            }
        }
        Command::Watch {
            site,
            output,
            poll,
            force,
        } => {
            let options = attache::watch::WatchOptions {
                site: site.options(),
                output,
                poll,
                force,
            };
            match attache::watch::watch(options, reporter.live()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(failure) => reporter.failure(&failure, ""),
            }
        }
        Command::Check { site } => match build::check(&site.options()) {
            Ok(generated) => {
                reporter.diagnostics(&generated.diagnostics);
                reporter.checked(&generated);
                ExitCode::SUCCESS
            }
            Err(failure) => reporter.failure(&failure, "nothing was written"),
        },
        Command::Init { dir } => match attache::scaffold::init(&dir) {
            Ok(created) => {
                reporter.created_site(&dir, created.len());
                ExitCode::SUCCESS
            }
            Err(d) => reporter.failure(&Failure::Usage(d), ""),
        },
        Command::New { kind, title, root } => {
            let today = jiff::Timestamp::now()
                .to_zoned_datetime(jiff::tz::TimeZone::system())
                .date();
            match attache::scaffold::new_page(&root, &kind, &title, today) {
                Ok(path) => {
                    reporter.created_page(&path);
                    ExitCode::SUCCESS
                }
                Err(d) => reporter.failure(&Failure::Usage(d), ""),
            }
        }
    }
}
