//! `attache new`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use attache::NewPage;

use super::report::Reporter;

#[derive(Args)]
#[command(after_help = "Examples:
  attache new briefs \"Pakistan courts Japanese investment\" --agencies jica,jetro --sectors minerals
  attache new agencies \"Japan International Cooperation Agency\" --slug jica --countries Japan
  attache new meetings \"Business Dialogue\" --date 2025-12 --people \"Jam Kamal\"

References are checked against the site as it is: a name it does not have
is an error (people and countries may be new: they get a page of their own).")]
pub struct NewArgs {
    /// The kind: briefs, meetings, agencies, sectors, people, countries, or one declared in attache.toml.
    kind: String,
    /// The page's title.
    title: String,
    /// The file name and URL [default: from the title], e.g. `--slug jica`.
    #[arg(long)]
    slug: Option<String>,
    /// The date as front matter takes it: 2025-07-17, 2025-07-17T10:00:00+09:00, or a month, 2025-12.
    #[arg(long)]
    date: Option<String>,
    /// One or two sentences for lists and feeds.
    #[arg(long)]
    summary: Option<String>,
    /// Agencies it references, by slug: --agencies jica,jetro
    #[arg(long, value_delimiter = ',', value_name = "SLUGS")]
    agencies: Vec<String>,
    /// Sectors it references, by slug.
    #[arg(long, value_delimiter = ',', value_name = "SLUGS")]
    sectors: Vec<String>,
    /// Meetings it references, by slug.
    #[arg(long, value_delimiter = ',', value_name = "SLUGS")]
    meetings: Vec<String>,
    /// Briefs it references, by slug.
    #[arg(long, value_delimiter = ',', value_name = "SLUGS")]
    briefs: Vec<String>,
    /// People it names: --people "Jam Kamal,HARA Shohei"
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    people: Vec<String>,
    /// Countries it names: --countries Japan,Pakistan
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    countries: Vec<String>,
    /// References to another kind: --ref visits=tokyo-2025,osaka-2025
    #[arg(long = "ref", value_name = "KIND=NAMES")]
    refs: Vec<String>,
    /// The site folder.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
}

pub fn run(args: NewArgs, reporter: &Reporter) -> ExitCode {
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::system())
        .date();
    let mut refs: Vec<(String, Vec<String>)> = [
        ("agencies", args.agencies),
        ("sectors", args.sectors),
        ("meetings", args.meetings),
        ("briefs", args.briefs),
        ("people", args.people),
        ("countries", args.countries),
    ]
    .into_iter()
    .map(|(kind, names)| (kind.to_string(), names))
    .collect();
    for spec in args.refs {
        let (kind, names) = spec.split_once('=').unwrap_or((&spec, ""));
        refs.push((
            kind.trim().to_string(),
            names.split(',').map(str::to_string).collect(),
        ));
    }
    for (_, names) in &mut refs {
        names.retain(|n| !n.trim().is_empty());
        for name in names.iter_mut() {
            *name = name.trim().to_string();
        }
    }
    refs.retain(|(_, names)| !names.is_empty());
    let request = NewPage {
        kind: args.kind,
        title: args.title,
        slug: args.slug,
        date: args.date,
        summary: args.summary,
        refs,
    };
    match attache::new_page(&args.root, &request, today) {
        Ok(path) => {
            reporter.created_page(&path);
            ExitCode::SUCCESS
        }
        Err(problems) => {
            reporter.diagnostics(&problems);
            ExitCode::from(2)
        }
    }
}
