//! `arrival compare`: run scenarios with common random numbers and compare them to a baseline.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use arrival_city::compare::{ComparisonRow, compare};
use arrival_city::error::Error;
use arrival_city::scenario;

/// Run a baseline and other scenarios with the same seeds and compare them.
///
/// Every scenario is run with the baseline's start year, years, seed and replications (or those
/// given here), so the runs share their random numbers and differences are real effects, not
/// noise. Writes OUT/<scenario>/ (full results of each), OUT/comparison.csv and
/// OUT/comparison.json (and OUT/report.html unless --no-report): for every key metric the baseline and scenario means, their
/// difference, the 95 % interval of the paired difference, and whether it excludes zero. Prints
/// a table of the main metrics on stdout (* = interval excludes zero).
///
/// Examples:
///   arrival compare scenarios/offenbach.toml scenarios/residence-3y.toml --replications 10
///   arrival compare scenarios/offenbach.toml scenarios/soziale-stadt.toml scenarios/social-mix.toml --years 10
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CompareArgs {
    /// The baseline scenario, then the scenarios to compare with it.
    #[arg(required = true, num_args = 2..)]
    pub scenarios: Vec<PathBuf>,
    #[command(flatten)]
    pub sim: super::SimulationArgs,
    /// Result directory [default: results/compare-BASE-vs-OTHER…].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace an existing result directory.
    #[arg(long)]
    pub force: bool,
    /// No progress bar or summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Override a key in every scenario, e.g. --set economy.return_rate=0.3 (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Do not write report.html.
    #[arg(long)]
    pub no_report: bool,
}

/// The metrics shown in the terminal table: (scope, metric, label).
const SHOWN: &[(&str, &str, &str)] = &[
    ("whole_run", "fluctuation", "fluctuation (mean/yr)"),
    ("whole_run", "fluctuation_foreign", "fluctuation, foreign (mean/yr)"),
    ("final_year", "population", "population (final)"),
    ("final_year", "foreign_share", "foreign share (final)"),
    ("final_year", "segregation_foreign", "IS all foreign (final)"),
    ("final_year", "employment_rate", "employment rate (final)"),
    ("final_year", "transfer_quota", "transfer quota (final)"),
    ("whole_run", "sisyphus", "Sisyphus index (run)"),
    ("whole_run", "balance_after", "city balance € (run)"),
];

fn fmt(x: Option<f64>) -> String {
    match x {
        None => "–".into(),
        Some(v) if v.abs() >= 1000.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.4}"),
    }
}

/// The readable table of the main metrics.
pub fn table(rows: &[ComparisonRow]) -> String {
    let mut out = String::new();
    let mut scenarios: Vec<&str> = Vec::new();
    for r in rows {
        if !scenarios.contains(&r.scenario.as_str()) {
            scenarios.push(&r.scenario);
        }
    }
    for scenario in scenarios {
        let mine: Vec<&ComparisonRow> = rows.iter().filter(|r| r.scenario == scenario && r.group.is_empty()).collect();
        let Some(first) = mine.first() else { continue };
        out.push_str(&format!("\n{} vs {} (n = {} replications)\n", scenario, first.baseline, first.n));
        out.push_str(&format!(
            "{:<20} {:<32} {:>14} {:>14} {:>14}  {:<30}\n",
            "city", "metric", "baseline", "scenario", "difference", "95 % CI of difference"
        ));
        let mut cities: Vec<&str> = Vec::new();
        for r in &mine {
            if !cities.contains(&r.city.as_str()) {
                cities.push(&r.city);
            }
        }
        for city in cities {
            for (scope, metric, label) in SHOWN {
                let Some(r) = mine.iter().find(|r| r.city == city && r.scope == *scope && r.metric == *metric) else {
                    continue;
                };
                let ci = match (r.ci_low, r.ci_high) {
                    (Some(lo), Some(hi)) => format!("[{}, {}]", fmt(Some(lo)), fmt(Some(hi))),
                    _ => "–".into(),
                };
                let mark = if r.excludes_zero == Some(true) { " *" } else { "" };
                out.push_str(&format!(
                    "{:<20} {:<32} {:>14} {:>14} {:>14}  {}{}\n",
                    city.chars().take(20).collect::<String>(),
                    label,
                    fmt(r.baseline_mean),
                    fmt(r.scenario_mean),
                    fmt(r.difference),
                    ci,
                    mark
                ));
            }
        }
    }
    out
}

pub fn run(args: CompareArgs) -> Result<ExitCode, Error> {
    let first_overrides = args.sim.overrides(&args.set)?;
    let base = scenario::load(&args.scenarios[0], &first_overrides)?;
    // Everything not given on the command line comes from the baseline.
    let meta = &base.scenario.meta;
    let shared = super::scenario_overrides(Some(meta.years), Some(meta.seed), Some(meta.replications), &args.set)?;
    let mut loaded = vec![base.clone()];
    for path in &args.scenarios[1..] {
        loaded.push(scenario::load(path, &shared)?);
    }
    let names: Vec<&str> = loaded.iter().map(|l| l.scenario.meta.name.as_str()).collect();
    let out = args.out.clone().unwrap_or_else(|| {
        let joined = format!("compare-{}-vs-{}", names[0], names[1..].join("-"));
        PathBuf::from("results").join(joined.chars().take(120).collect::<String>())
    });
    let total = loaded.len() as u64 * meta.replications as u64 * meta.years as u64;
    let bar = super::progress_bar(total, "compare".to_string(), "replication-years", args.quiet);
    let pool = args.sim.pool()?;
    let report = pool.install(|| compare(&loaded, &out, args.force, std::env::args().collect(), &|| bar.inc(1)))?;
    bar.finish_and_clear();
    if !args.no_report {
        // each scenario's own report first, so the comparison can link to them
        for run in &report.runs {
            super::report::after_run(&run.dir)?;
        }
        super::report::after_run(&report.dir)?;
    }
    print!("{}", table(&report.rows));
    if !args.quiet {
        eprintln!(
            "\nwrote {} (comparison.csv, comparison.json, report.html and one folder per scenario)",
            report.dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
