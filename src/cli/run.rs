//! `arrival run`: simulate a scenario and write its results.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use arrival_city::error::Error;
use arrival_city::run::{RunOptions, run_to_dir};
use arrival_city::scenario;

/// Simulate a scenario and write its results.
///
/// Writes results/NAME/ (or --out): city_year.csv, district_year.csv, group_year.csv,
/// region_year.csv, cohort_year.csv, flows.csv, scenario.resolved.toml, manifest.json and
/// report.html (charts and tables; see arrival report; --no-report skips it). The
/// directory appears only when complete; an existing one is kept unless --force is given.
/// Prints the result directory on stdout.
///
/// Examples:
///   arrival run scenarios/offenbach.toml
///   arrival run scenarios/offenbach.toml --years 10 --replications 20 --out results/ob-20
///   arrival run scenarios/offenbach.toml --set behaviour.b_own=2.0 --out results/low-network
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct RunArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    #[command(flatten)]
    pub sim: super::SimulationArgs,
    /// Result directory [default: results/NAME].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace an existing result directory.
    #[arg(long)]
    pub force: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Override a scenario key, e.g. --set behaviour.b_own=2.5 (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Do not write report.html.
    #[arg(long)]
    pub no_report: bool,
}

pub fn run(args: RunArgs) -> Result<ExitCode, Error> {
    let overrides = args.sim.overrides(&args.set)?;
    let loaded = scenario::load(&args.scenario, &overrides)?;
    let s = &loaded.scenario;
    let out = args.out.clone().unwrap_or_else(|| super::default_out(&s.meta.name));
    let opts = RunOptions { out, force: args.force, command: std::env::args().collect() };
    let total = s.meta.replications as u64 * s.meta.years as u64;
    let bar = super::progress_bar(total, s.meta.name.clone(), "replication-years", args.quiet);
    let pool = args.sim.pool()?;
    let report = pool.install(|| run_to_dir(&loaded, &opts, &|| bar.inc(1)))?;
    bar.finish_and_clear();
    if !args.no_report {
        super::report::after_run(&report.dir)?;
    }
    let m = &report.manifest;
    if !args.quiet {
        eprintln!(
            "{}: {} years × {} replication{} in {:.2} s ({:.1} M person-years/s) → {}",
            m.scenario,
            m.years,
            m.replications,
            if m.replications == 1 { "" } else { "s" },
            m.wall_seconds,
            m.agent_years_per_second / 1e6,
            report.dir.display()
        );
    }
    println!("{}", report.dir.display());
    Ok(ExitCode::SUCCESS)
}
