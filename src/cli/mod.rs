//! Command-line interface: argument definitions and dispatch. Each subcommand lives in its own
//! module and turns validated arguments into library calls; only this layer prints.

mod calibrate;
mod check;
mod compare;
mod defaults;
mod indices;
mod report;
mod run;
mod sweep;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use arrival_city::error::{Error, InputError};
use arrival_city::scenario::{KeyPath, Override};

const ABOUT: &str = "Simulate arrival cities: where immigrants settle, how fast they integrate, who moves \
on, and who pays for integration and who gains from it.";

const LONG_ABOUT: &str = "Simulate arrival cities: where immigrants settle, how fast they integrate, who moves \
on, and who pays for integration and who gains from it.

A scenario (TOML) describes the cities and districts of a region, the origin groups with their \
arrivals, behaviour and costs, and the policy levers switched on. `arrival run` simulates it year \
by year and writes tidy CSV tables, the resolved scenario and a manifest to results/NAME/.

Start with:
  arrival run scenarios/offenbach.toml          simulate the default Offenbach scenario
  arrival check scenarios/*.toml                validate scenario files
  arrival compare BASE.toml OTHER.toml --replications 10
                                                compare policies with common random numbers
  arrival sweep scenarios/sweeps/morris-behaviour.toml
                                                sensitivity analysis over behavioural coefficients
  arrival report results/offenbach              write results/offenbach/report.html (charts, tables)
  arrival defaults                              list every parameter with its default

Exit codes: 0 success, 1 bad input (scenario, table or arguments), 2 internal error.";

#[derive(Debug, Parser)]
#[command(name = "arrival", version, about = ABOUT, long_about = LONG_ABOUT, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Run(run::RunArgs),
    Check(check::CheckArgs),
    Compare(compare::CompareArgs),
    Defaults(defaults::DefaultsArgs),
    Indices(indices::IndicesArgs),
    Sweep(sweep::SweepArgs),
    Merge(sweep::MergeArgs),
    Validate(calibrate::ValidateArgs),
    Calibrate(calibrate::CalibrateArgs),
    Report(report::ReportArgs),
}

/// The settings of every command that simulates: how long, which seed, how many replications,
/// how many threads.
#[derive(Debug, clap::Args)]
pub struct SimulationArgs {
    /// Years to simulate (overrides the scenario).
    #[arg(long)]
    pub years: Option<u32>,
    /// Root random seed (overrides the scenario); replication r uses seed + r.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Number of replications (overrides the scenario).
    #[arg(long)]
    pub replications: Option<u32>,
    /// Worker threads; 0 uses every core. Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
}

impl SimulationArgs {
    /// The overrides these settings (and `--set`) make to a scenario.
    pub fn overrides(&self, sets: &[String]) -> Result<Vec<Override>, Error> {
        scenario_overrides(self.years, self.seed, self.replications, sets)
    }

    /// The thread pool these settings ask for.
    pub fn pool(&self) -> Result<rayon::ThreadPool, Error> {
        thread_pool(self.threads)
    }
}

/// Parses the command line and runs the command.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => 0,
                _ => 1,
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Check(args) => check::check(args),
        Command::Compare(args) => compare::run(args),
        Command::Defaults(args) => defaults::defaults(args),
        Command::Indices(args) => indices::indices(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Merge(args) => sweep::merge_dirs(args),
        Command::Report(args) => report::report(args),
        Command::Validate(args) => calibrate::validate(args),
        Command::Calibrate(args) => calibrate::calibrate(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            report(&e);
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// Prints an error to stderr.
pub fn report(e: &Error) {
    eprintln!("error: {e}");
}

/// Panics become one line on stderr and exit code 2, without a backtrace.
pub fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".into());
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!(
            "internal error: {message}{place}\nThis is a bug in arrival; please report it with the command and scenario."
        );
    }));
}

/// Whether progress bars should be drawn.
pub fn show_progress(quiet: bool) -> bool {
    !quiet && std::io::stderr().is_terminal()
}

/// A progress bar on stderr with ETA, counting `unit`s; hidden with `--quiet` or when stderr is
/// not a terminal.
pub fn progress_bar(total: u64, message: String, unit: &str, quiet: bool) -> indicatif::ProgressBar {
    if !show_progress(quiet) {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    let template = format!("{{spinner}} {{msg}} [{{bar:30}}] {{pos}}/{{len}} {unit}, ETA {{eta}}");
    bar.set_style(indicatif::ProgressStyle::with_template(&template).expect("valid template").progress_chars("=> "));
    bar.set_message(message);
    bar
}

/// Parses `--set KEY=VALUE` arguments. The value is read as a TOML value (`2.5`, `true`,
/// `"district"`, `["A", "B"]`); anything that is not valid TOML is taken as a string.
pub fn parse_overrides(sets: &[String]) -> Result<Vec<Override>, Error> {
    sets.iter()
        .map(|s| {
            let (key, value) = s.split_once('=').ok_or_else(|| {
                InputError::plain(format!("--set {s}: expected KEY=VALUE"))
                    .with_hint("for example --set behaviour.b_own=2.5")
            })?;
            let path = KeyPath::parse(key.trim()).map_err(|e| InputError::plain(format!("--set {s}: {e}")))?;
            let value = parse_value(value.trim());
            Ok(Override { path, value })
        })
        .collect()
}

fn parse_value(text: &str) -> toml::Value {
    let doc = format!("v = {text}");
    match toml::from_str::<toml::Table>(&doc) {
        Ok(mut t) => t.remove("v").unwrap_or_else(|| toml::Value::String(text.into())),
        Err(_) => toml::Value::String(text.into()),
    }
}

/// Scenario paths shared by commands.
pub fn scenario_overrides(
    years: Option<u32>,
    seed: Option<u64>,
    replications: Option<u32>,
    sets: &[String],
) -> Result<Vec<Override>, Error> {
    let mut out = parse_overrides(sets)?;
    let meta = KeyPath::root().key("scenario");
    if let Some(y) = years {
        out.push(Override { path: meta.key("years"), value: toml::Value::Integer(y as i64) });
    }
    if let Some(s) = seed {
        let value = i64::try_from(s)
            .map(toml::Value::Integer)
            .map_err(|_| InputError::plain(format!("--seed {s}: seeds must be below 2^63")))?;
        out.push(Override { path: meta.key("seed"), value });
    }
    if let Some(r) = replications {
        out.push(Override { path: meta.key("replications"), value: toml::Value::Integer(r as i64) });
    }
    Ok(out)
}

/// Builds the thread pool for `--threads` (0 = all cores).
pub fn thread_pool(threads: usize) -> Result<rayon::ThreadPool, Error> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::internal(format!("cannot start {threads} threads: {e}")))
}

/// Default output directory of a scenario.
pub fn default_out(name: &str) -> PathBuf {
    PathBuf::from("results").join(name)
}
