//! `arrival report`: write the HTML report of a result directory.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use arrival_city::error::Error;

/// Write a self-contained HTML report of a result directory.
///
/// Reads only the files in DIR and recognises what made it: a run (city_year.csv), a
/// comparison (comparison.csv) or a sweep (points.csv). Writes DIR/report.html — one file with
/// inline charts and styles, no scripts, nothing fetched, so it opens offline — and the numbers
/// of every chart as DIR/report_data/<chart>.csv. `arrival run` and `arrival compare` write the
/// report themselves unless --no-report is given. Prints the report's path on stdout.
///
/// Examples:
///   arrival report results/offenbach
///   arrival report results/compare-offenbach-vs-soziale-stadt
///   arrival report results/sweeps/morris-behaviour
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ReportArgs {
    /// The result directory (of arrival run, compare or sweep).
    pub dir: PathBuf,
}

pub fn report(args: ReportArgs) -> Result<ExitCode, Error> {
    let written = arrival_city::report::write_report(&args.dir)?;
    println!("{}", written.path.display());
    Ok(ExitCode::SUCCESS)
}

/// Writes the report after `run` or `compare`; failures are internal errors (the directory
/// was just written by us).
pub fn after_run(dir: &std::path::Path) -> Result<PathBuf, Error> {
    arrival_city::report::write_report(dir)
        .map(|w| w.path)
        .map_err(|e| Error::internal(format!("cannot write the report of {}: {e}", dir.display())))
}
