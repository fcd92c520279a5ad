//! `arrival validate` and `arrival calibrate`: a scenario against published figures.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use arrival_city::calibration::assess::{assess, simulate, to_csv, to_table};
use arrival_city::calibration::fit::{Calibration, calibrated_scenario, fit};
use arrival_city::calibration::targets;
use arrival_city::error::{Error, InputError};
use arrival_city::scenario;

/// Output format of `arrival validate`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Csv,
}

/// Compare a scenario with published figures (targets), without fitting anything.
///
/// Runs the scenario's replications and prints, for every target: the observed value, the
/// simulated mean with its 95 % interval, the tolerance and whether the mean is within it. The
/// CSV form has the columns target, use, observed, simulated_mean, ci_low, ci_high, error,
/// tolerance, within_tolerance, source.
///
/// Examples:
///   arrival validate scenarios/offenbach.toml scenarios/targets/offenbach.toml --years 3
///   arrival validate scenarios/offenbach.toml scenarios/targets/offenbach.toml --format csv > validation.csv
///   arrival validate scenarios/offenbach.toml scenarios/targets/offenbach.toml --years 20 --into results/offenbach
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub sim: super::SimulationArgs,
    /// The scenario (TOML).
    pub scenario: PathBuf,
    /// One or more targets files (TOML).
    #[arg(required = true)]
    pub targets: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also write the table as `validation.csv` into this result directory of the same
    /// scenario (from `arrival run`) and rewrite its report, which then shows the table.
    #[arg(long, value_name = "RESULTS_DIR")]
    pub into: Option<PathBuf>,
}

/// Fit scenario parameters to targets.
///
/// The calibration file names the base scenario, the targets file, the parameters with their
/// bounds and the output file. Screening by Latin hypercube, then Nelder–Mead on the
/// replication-averaged objective Σ weight·((simulated − observed)/tolerance)², with the same
/// seeds at every point. Writes the fitted values as a scenario that extends the base, prints
/// the validation table at the fitted values, and writes it beside the output as
/// `<output>.validation.csv`.
///
/// Example:
///   arrival calibrate scenarios/calibration/offenbach.toml
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CalibrateArgs {
    /// The calibration file (TOML).
    pub calibration: PathBuf,
    /// Worker threads; 0 uses every core.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Replace an existing output file.
    #[arg(long)]
    pub force: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn validate(args: ValidateArgs) -> Result<ExitCode, Error> {
    let overrides = args.sim.overrides(&[])?;
    let loaded = scenario::load(&args.scenario, &overrides)?;
    let mut all = Vec::new();
    for t in &args.targets {
        all.extend(targets::read(t, &loaded.scenario)?);
    }
    let pool = args.sim.pool()?;
    let runs = pool.install(|| simulate(&loaded.scenario, loaded.scenario.meta.replications));
    let rows = assess(&all, &runs);
    match args.format {
        Format::Table => print!("{}", to_table(&rows)),
        Format::Csv => print!("{}", String::from_utf8_lossy(&to_csv(&rows))),
    }
    if let Some(dir) = &args.into {
        if !dir.join("manifest.json").exists() {
            return Err(InputError::plain(format!("{} is not a result directory (no manifest.json)", dir.display()))
                .with_hint("give the directory `arrival run` wrote")
                .into());
        }
        arrival_city::output::dir::write_file(&dir.join("validation.csv"), &to_csv(&rows))?;
        let written = arrival_city::report::write_report(dir)?;
        eprintln!("wrote {} and {}", dir.join("validation.csv").display(), written.path.display());
    }
    Ok(ExitCode::SUCCESS)
}

pub fn calibrate(args: CalibrateArgs) -> Result<ExitCode, Error> {
    let c = Calibration::read(&args.calibration)?;
    if c.output.exists() && !args.force {
        return Err(InputError::plain(format!("{} already exists", c.output.display()))
            .with_hint("add --force to replace it")
            .into());
    }
    let total = (c.screening + c.iterations + c.parameters.len() + 1) as u64;
    let bar = super::progress_bar(total, "calibrate".into(), "evaluations", args.quiet);
    let pool = super::thread_pool(args.threads)?;
    let result = pool.install(|| {
        fit(&c, &|n, best| {
            bar.set_position(n as u64);
            bar.set_message(format!("calibrate (best objective {best:.3})"));
        })
    })?;
    bar.finish_and_clear();
    let header = format!(
        "# Calibrated by `arrival calibrate {}`: {} evaluations, objective {:.4}.\n# Only the fitted values are here; everything else comes from the extended scenario.\n",
        args.calibration.display(),
        result.evaluations,
        result.objective
    );
    let text = calibrated_scenario(&c, &result, &header);
    arrival_city::output::dir::write_file(&c.output, text.as_bytes())?;
    let table = pool.install(|| c.table(&result.values))?;
    let csv_path = PathBuf::from(format!("{}.validation.csv", c.output.display()));
    arrival_city::output::dir::write_file(&csv_path, &to_csv(&table))?;
    for ((path, _, _), v) in c.parameters.iter().zip(&result.values) {
        println!("{path} = {v:.6}");
    }
    print!("{}", to_table(&table));
    if !args.quiet {
        eprintln!("wrote {} and {}", c.output.display(), csv_path.display());
    }
    Ok(ExitCode::SUCCESS)
}
