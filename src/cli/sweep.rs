//! `arrival sweep` and `arrival merge`: parameter sweeps, sensitivity analysis, shards.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use arrival_city::error::{Error, InputError};
use arrival_city::experiment::runner::{SweepOptions, SweepReport, merge, run_sweep};
use arrival_city::experiment::sweep::{Sweep, SweepOverrides};
use arrival_city::scenario::Override;

/// Run a parameter sweep: a design over scenario parameters, replications, outcomes.
///
/// The sweep file names a base scenario, parameters by key path (`behaviour.b_own`,
/// `group.Afghan.arrivals.base`, `policy.residence_requirement.years`) with values, ranges or
/// distributions, a design (factorial, zip, random, lhs, sobol, morris, or an external CSV
/// table), replications and outcome metrics. Writes OUT/runs.csv (one row per run, appended as
/// runs finish, sorted when the sweep is complete), points.csv (mean, sd and 95 % CI per design
/// point), sensitivity.csv (Morris μ*, σ; Sobol S1, ST with bootstrap intervals) and a manifest.
///
/// A failing run is recorded with its error and the sweep continues (exit code 1 at the end, 2
/// if the model itself failed). A killed sweep continues with --resume; --shard I/N runs one of
/// N deterministic parts, and `arrival merge` joins the parts.
///
/// Examples:
///   arrival sweep scenarios/sweeps/residence-factorial.toml
///   arrival sweep scenarios/sweeps/morris-behaviour.toml --dry-run
///   arrival sweep scenarios/sweeps/morris-behaviour.toml --years 5 --replications 1 --out /tmp/quick
///   arrival sweep S.toml --shard 0/3 --out part0   (and 1/3, 2/3; then arrival merge part0 part1 part2 --out all)
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct SweepArgs {
    /// The sweep file (TOML).
    pub sweep: PathBuf,
    #[command(flatten)]
    pub sim: super::SimulationArgs,
    /// Result directory [default: results/sweep-NAME].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Continue a killed sweep in --out without re-running finished runs.
    #[arg(long)]
    pub resume: bool,
    /// Run only part I of N (0-based), e.g. --shard 0/4.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Check the sweep, print the number of runs and an estimate of time and output size; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Replace an existing result directory.
    #[arg(long)]
    pub force: bool,
    /// No progress bar or summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Join the result directories of a sharded sweep into one.
///
/// Example:
///   arrival merge part0 part1 part2 --out results/sweep-all
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct MergeArgs {
    /// The shards' result directories.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// The merged result directory.
    #[arg(long)]
    pub out: PathBuf,
    /// Replace an existing result directory.
    #[arg(long)]
    pub force: bool,
}

fn parse_shard(text: &str) -> Result<(u32, u32), Error> {
    let bad = || InputError::plain(format!("--shard {text}: expected I/N with 0 ≤ I < N, e.g. 0/4"));
    let (i, n) = text.split_once('/').ok_or_else(bad)?;
    let (i, n): (u32, u32) = (i.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
    if n == 0 || i >= n {
        return Err(bad().into());
    }
    Ok((i, n))
}

fn exit_code(report: &SweepReport) -> ExitCode {
    if report.internal_failures > 0 {
        ExitCode::from(2)
    } else if report.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

pub fn sweep(args: SweepArgs) -> Result<ExitCode, Error> {
    let overrides = SweepOverrides { years: args.sim.years, replications: args.sim.replications, seed: args.sim.seed };
    let s = Sweep::read(&args.sweep, &overrides)?;
    let shard = args.shard.as_deref().map(parse_shard).transpose()?;
    let out = args.out.clone().unwrap_or_else(|| PathBuf::from("results").join(format!("sweep-{}", s.name)));
    let pool = args.sim.pool()?;
    if args.dry_run {
        return pool.install(|| dry_run(&s, shard));
    }
    let in_shard = (0..s.runs() as u64).filter(|id| shard.is_none_or(|(i, n)| id % n as u64 == i as u64)).count();
    let bar = super::progress_bar(in_shard as u64, format!("sweep {}", s.name), "runs", args.quiet);
    let opts = SweepOptions { out, force: args.force, resume: args.resume, shard, command: std::env::args().collect() };
    let report = pool.install(|| {
        run_sweep(&s, &opts, &|done, failed| {
            bar.set_position(done);
            if failed > 0 {
                bar.set_message(format!("sweep {} ({failed} failed)", s.name));
            }
        })
    })?;
    bar.finish_and_clear();
    if !args.quiet {
        eprintln!(
            "{}: {} runs ({} now, {} failed) in {:.1} s{} → {}",
            s.name,
            report.runs_total,
            report.runs_done_now,
            report.failed,
            report.wall_seconds,
            if report.complete { "" } else { " (shard: merge the shards for the summaries)" },
            report.dir.display()
        );
    }
    println!("{}", report.dir.display());
    Ok(exit_code(&report))
}

fn dry_run(s: &Sweep, shard: Option<(u32, u32)>) -> Result<ExitCode, Error> {
    // Every point's scenario must resolve.
    let mut bad = Vec::new();
    for p in 0..s.points.len() {
        if let Err(e) = s.base.resolve(&s.overrides(p)) {
            bad.push((p, e));
        }
    }
    // Time one year of the base scenario (one replication) to estimate the whole.
    let base = s.base.resolve(&[Override {
        path: arrival_city::scenario::KeyPath::root().key("scenario").key("years"),
        value: toml::Value::Integer(1),
    }])?;
    let started = Instant::now();
    let sim = arrival_city::engine::Simulation::new(&base.scenario);
    sim.run(s.seed, 0, 1, &mut |_| {});
    let per_year = started.elapsed().as_secs_f64();
    let runs = (0..s.runs() as u64).filter(|id| shard.is_none_or(|(i, n)| id % n as u64 == i as u64)).count();
    let seconds = per_year * s.years as f64 * runs as f64;
    let bytes = runs * (40 + 20 * (s.parameters.len() + s.outcomes.len()));
    println!("sweep: {}", s.name);
    println!("design: {} with {} parameters → {} points", s.design_name, s.parameters.len(), s.points.len());
    println!(
        "runs: {} ({} replications each){}",
        runs,
        s.replications,
        shard.map(|(i, n)| format!(", shard {i}/{n}")).unwrap_or_default()
    );
    println!("years per run: {}", s.years);
    println!(
        "estimated time: {:.0} s on this machine ({:.3} s per simulated year of the base scenario)",
        seconds, per_year
    );
    println!("estimated size of runs.csv: {:.1} KiB", bytes as f64 / 1024.0);
    for (p, e) in &bad {
        println!("point {p} will fail: {e}");
    }
    Ok(if bad.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

pub fn merge_dirs(args: MergeArgs) -> Result<ExitCode, Error> {
    let report = merge(&args.dirs, &args.out, args.force, std::env::args().collect())?;
    eprintln!("merged {} runs ({} failed) → {}", report.runs_total, report.failed, report.dir.display());
    println!("{}", report.dir.display());
    Ok(exit_code(&report))
}
