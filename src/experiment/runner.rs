//! Running a sweep: every (design point, replication) is one run, executed in parallel, each
//! recorded in `runs.csv` the moment it finishes. A failing run (a value that breaks a scenario
//! rule, or a panic inside the model) is recorded with its message and the sweep goes on.
//!
//! Run `i` is point `i / R`, replication `i % R`, with seed `seed + replication`: every point
//! sees the same random numbers (common random numbers across the design). `--shard I/N` runs
//! the runs with `run_id % N == I`; `--resume` skips the runs already in `runs.csv`.
//!
//! When all runs of the sweep are in one directory (a whole run, the last shard resumed, or a
//! merge), [`finalize`] writes `runs.csv` sorted, `points.csv`, `sensitivity.csv` (Morris and
//! Sobol designs) and `manifest.json`. Those files depend only on the runs, so they are the same
//! whichever way the runs were produced.

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::design::{Design, unit_points};
use super::journal::{self, Journal, RunRecord};
use super::sensitivity::{morris, sobol};
use super::sweep::Sweep;
use crate::engine::Simulation;
use crate::error::{Error, InputError};
use crate::metrics::money::Ledgers;
use crate::output::rows::year_rows;
use crate::output::summary::{SummaryBuilder, describe, find};
use crate::rng::replication_seed;

/// What a sweep directory is for: enough to check a resume, merge shards and compute the
/// summaries without the sweep file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SweepInfo {
    pub name: String,
    pub hash: String,
    pub design: String,
    pub samples: Option<usize>,
    pub levels: Option<u32>,
    pub seed: u64,
    pub replications: u32,
    pub years: u32,
    pub bootstrap: u32,
    pub parameters: Vec<String>,
    pub outcomes: Vec<String>,
    pub points: Vec<Vec<f64>>,
    pub runs: u64,
    /// `Some((i, n))` for a shard.
    pub shard: Option<(u32, u32)>,
}

impl SweepInfo {
    pub fn of(s: &Sweep, shard: Option<(u32, u32)>) -> Self {
        let (samples, levels) = match s.design {
            Some(Design::Random { samples })
            | Some(Design::LatinHypercube { samples })
            | Some(Design::Sobol { samples }) => (Some(samples), None),
            Some(Design::Morris { trajectories, levels }) => (Some(trajectories), Some(levels)),
            _ => (None, None),
        };
        SweepInfo {
            name: s.name.clone(),
            hash: s.hash.clone(),
            design: s.design_name.clone(),
            samples,
            levels,
            seed: s.seed,
            replications: s.replications,
            years: s.years,
            bootstrap: s.bootstrap,
            parameters: s.parameters.iter().map(|p| p.name.clone()).collect(),
            outcomes: s.outcomes.iter().map(|o| o.name.clone()).collect(),
            points: s.points.clone(),
            runs: s.runs() as u64,
            shard,
        }
    }

    fn in_shard(&self, run_id: u64) -> bool {
        self.shard.is_none_or(|(i, n)| run_id % n as u64 == i as u64)
    }

    fn header(&self) -> Vec<String> {
        journal::header(&self.parameters, &self.outcomes)
    }
}

/// How to run a sweep.
#[derive(Debug, Clone, Default)]
pub struct SweepOptions {
    pub out: PathBuf,
    pub force: bool,
    pub resume: bool,
    pub shard: Option<(u32, u32)>,
    pub command: Vec<String>,
}

/// The outcome of a sweep (or merge).
#[derive(Debug, Clone)]
pub struct SweepReport {
    pub dir: PathBuf,
    pub runs_total: u64,
    pub runs_done_now: u64,
    pub failed: u64,
    /// Whether every run of the sweep is in the directory (summaries were written).
    pub complete: bool,
    pub wall_seconds: f64,
    /// Failures that were the model's fault (panics), as opposed to bad values.
    pub internal_failures: u64,
}

/// Runs one (point, replication) and returns its outcomes.
fn execute(s: &Sweep, point: usize, replication: u32) -> Result<Vec<Option<f64>>, Error> {
    let loaded = s.base.resolve(&s.overrides(point))?;
    let sc = &loaded.scenario;
    let sim = Simulation::new(sc);
    let mut ledgers = Ledgers::new(sc.districts.len());
    let mut summary = SummaryBuilder::default();
    sim.run(s.seed, replication, s.years, &mut |y| {
        ledgers.add(y.tally);
        summary.add_year(year_rows(sc, y, &ledgers));
    });
    let obs = summary.finish();
    Ok(s.outcomes.iter().map(|o| find(&obs, &o.scope, &o.city, &o.group, &o.metric)).collect())
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Runs the sweep (or this shard of it) into `opts.out`. `progress(done, failed)` is called
/// after every run.
pub fn run_sweep(s: &Sweep, opts: &SweepOptions, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<SweepReport, Error> {
    let started = Instant::now();
    let info = SweepInfo::of(s, opts.shard);
    let dir = &opts.out;
    let runs_path = dir.join("runs.csv");
    let info_path = dir.join("sweep.json");
    let mut done: Vec<RunRecord> = Vec::new();
    if dir.exists() {
        if opts.resume {
            let text = fs::read_to_string(&info_path).map_err(|_| {
                InputError::plain(format!("{} is not a sweep directory (no sweep.json)", dir.display()))
            })?;
            let previous: SweepInfo =
                serde_json::from_str(&text).map_err(|e| Error::internal(format!("{}: {e}", info_path.display())))?;
            if previous != info {
                return Err(InputError::plain(format!(
                    "{} holds a different sweep (the sweep file, its scenario, the overrides or the shard changed)",
                    dir.display()
                ))
                .with_hint("resume with the same sweep file and options, or start over with --force")
                .into());
            }
            if runs_path.exists() {
                let (_, mut records) = journal::read(&runs_path)?;
                journal::split_values(&mut records, info.parameters.len());
                done = records;
            }
        } else if opts.force {
            fs::remove_dir_all(dir).map_err(|e| Error::internal(format!("cannot remove {}: {e}", dir.display())))?;
        } else {
            return Err(InputError::plain(format!("{} already exists", dir.display()))
                .with_hint("add --resume to continue it, --force to start over, or choose another --out")
                .into());
        }
    } else if opts.resume {
        return Err(InputError::plain(format!("{} does not exist: nothing to resume", dir.display())).into());
    }
    fs::create_dir_all(dir).map_err(|e| Error::internal(format!("cannot create {}: {e}", dir.display())))?;
    crate::output::dir::write_file(
        &info_path,
        (serde_json::to_string_pretty(&info).expect("serialises") + "\n").as_bytes(),
    )?;
    let sweep_copy = dir.join("sweep.toml");
    if !sweep_copy.exists() {
        let text = fs::read(&s.file).map_err(|e| Error::internal(format!("cannot read {}: {e}", s.file.display())))?;
        crate::output::dir::write_file(&sweep_copy, &text)?;
    }

    let finished: std::collections::HashSet<u64> = done.iter().map(|r| r.run_id).collect();
    let todo: Vec<u64> = (0..info.runs).filter(|&id| info.in_shard(id) && !finished.contains(&id)).collect();
    let journal = Mutex::new(Journal::open(&runs_path, &info.header())?);
    let counters = Mutex::new((done.len() as u64, done.iter().filter(|r| !r.ok()).count() as u64, 0u64));
    let r_count = s.replications as u64;
    let new_records: Vec<RunRecord> = todo
        .par_iter()
        .map(|&run_id| -> Result<RunRecord, Error> {
            let point = (run_id / r_count) as usize;
            let replication = (run_id % r_count) as u32;
            let outcome = catch_unwind(AssertUnwindSafe(|| execute(s, point, replication)));
            let (status, outcomes, internal) = match outcome {
                Ok(Ok(values)) => ("ok".to_string(), values, false),
                Ok(Err(e)) => (
                    format!("failed: {}", e.to_string().replace('\n', " ")),
                    vec![None; s.outcomes.len()],
                    matches!(e, Error::Internal(_)),
                ),
                Err(panic) => {
                    (format!("failed: internal error: {}", panic_message(panic)), vec![None; s.outcomes.len()], true)
                }
            };
            let record = RunRecord {
                run_id,
                point_id: point as u64,
                replication,
                seed: replication_seed(s.seed, replication),
                status,
                parameters: s.points[point].clone(),
                outcomes,
            };
            journal.lock().expect("journal lock").append(&record)?;
            let (d, f) = {
                let mut c = counters.lock().expect("counter lock");
                c.0 += 1;
                if !record.ok() {
                    c.1 += 1;
                }
                if internal {
                    c.2 += 1;
                }
                (c.0, c.1)
            };
            progress(d, f);
            Ok(record)
        })
        .collect::<Result<_, Error>>()?;
    drop(journal);
    let runs_done_now = new_records.len() as u64;
    let internal_failures = counters.lock().expect("counter lock").2;
    let mut all = done;
    all.extend(new_records);
    let in_shard = (0..info.runs).filter(|&id| info.in_shard(id)).count() as u64;
    let failed = all.iter().filter(|r| !r.ok()).count() as u64;
    let complete = info.shard.is_none() && all.len() as u64 == info.runs;
    journal::write_sorted(&runs_path, &info.header(), &mut all)?;
    if complete {
        finalize(dir, &info, &all, opts.command.clone(), started.elapsed().as_secs_f64())?;
    }
    debug_assert!(all.len() as u64 <= in_shard);
    Ok(SweepReport {
        dir: dir.clone(),
        runs_total: in_shard,
        runs_done_now,
        failed,
        complete,
        wall_seconds: started.elapsed().as_secs_f64(),
        internal_failures,
    })
}

/// Mean of each outcome over the replications of each point (`None` when no replication of the
/// point succeeded).
fn point_means(info: &SweepInfo, records: &[RunRecord]) -> Vec<Vec<Option<f64>>> {
    let mut values: Vec<Vec<Vec<f64>>> = vec![vec![Vec::new(); info.outcomes.len()]; info.points.len()];
    for r in records.iter().filter(|r| r.ok()) {
        for (o, v) in r.outcomes.iter().enumerate() {
            if let Some(v) = v {
                values[r.point_id as usize][o].push(*v);
            }
        }
    }
    values.iter().map(|per| per.iter().map(|v| describe(v).0).collect()).collect()
}

/// Writes `points.csv`, `sensitivity.csv` (Morris, Sobol) and `manifest.json` from all runs.
pub fn finalize(
    dir: &Path,
    info: &SweepInfo,
    records: &[RunRecord],
    command: Vec<String>,
    wall_seconds: f64,
) -> Result<(), Error> {
    let csv_err = |e: csv::Error| Error::internal(e.to_string());
    // points.csv: one row per (point, outcome).
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    let mut head: Vec<String> = vec!["point_id".into()];
    head.extend(info.parameters.iter().cloned());
    head.extend(["outcome", "n", "mean", "sd", "ci_low", "ci_high"].map(String::from));
    w.write_record(&head).map_err(csv_err)?;
    let mut by_point: Vec<Vec<&RunRecord>> = vec![Vec::new(); info.points.len()];
    for r in records {
        by_point[r.point_id as usize].push(r);
    }
    for (p, runs) in by_point.iter().enumerate() {
        for (o, name) in info.outcomes.iter().enumerate() {
            let values: Vec<f64> = runs.iter().filter(|r| r.ok()).filter_map(|r| r.outcomes[o]).collect();
            let (mean, sd, lo, hi) = describe(&values);
            let mut row = vec![p.to_string()];
            row.extend(info.points[p].iter().map(|&x| journal::number(x)));
            row.push(name.clone());
            row.push(values.len().to_string());
            for x in [mean, sd, lo, hi] {
                row.push(x.map(journal::number).unwrap_or_default());
            }
            w.write_record(&row).map_err(csv_err)?;
        }
    }
    crate::output::dir::write_file(
        &dir.join("points.csv"),
        &w.into_inner().map_err(|e| Error::internal(e.to_string()))?,
    )?;

    // sensitivity.csv
    let means = point_means(info, records);
    let mut files = vec!["runs.csv", "points.csv", "sweep.json", "sweep.toml", "manifest.json"];
    let k = info.parameters.len();
    let sensitivity = match info.design.as_str() {
        "morris" => {
            let design = Design::Morris { trajectories: info.samples.unwrap_or(0), levels: info.levels.unwrap_or(4) };
            let unit = unit_points(k, &design, info.seed).map_err(Error::internal)?;
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["outcome", "factor", "method", "mu", "mu_star", "sigma", "n"]).map_err(csv_err)?;
            for (o, name) in info.outcomes.iter().enumerate() {
                let outputs: Vec<Option<f64>> = means.iter().map(|m| m[o]).collect();
                for m in morris(&info.parameters, &unit, &outputs, info.samples.unwrap_or(0)) {
                    w.write_record([
                        name.clone(),
                        m.factor.clone(),
                        "morris".into(),
                        journal::number(m.mu),
                        journal::number(m.mu_star),
                        journal::number(m.sigma),
                        m.n.to_string(),
                    ])
                    .map_err(csv_err)?;
                }
            }
            Some(w.into_inner().map_err(|e| Error::internal(e.to_string()))?)
        }
        "sobol" => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["outcome", "factor", "method", "s1", "s1_low", "s1_high", "st", "st_low", "st_high"])
                .map_err(csv_err)?;
            for (o, name) in info.outcomes.iter().enumerate() {
                let outputs: Vec<Option<f64>> = means.iter().map(|m| m[o]).collect();
                match sobol(&info.parameters, info.samples.unwrap_or(0), &outputs, info.bootstrap, info.seed) {
                    Ok(indices) => {
                        for x in indices {
                            w.write_record([
                                name.clone(),
                                x.factor.clone(),
                                "sobol".into(),
                                journal::number(x.s1),
                                journal::number(x.s1_low),
                                journal::number(x.s1_high),
                                journal::number(x.st),
                                journal::number(x.st_low),
                                journal::number(x.st_high),
                            ])
                            .map_err(csv_err)?;
                        }
                    }
                    Err(e) => {
                        w.write_record([
                            name.clone(),
                            String::new(),
                            format!("sobol: {e}"),
                            String::new(),
                            String::new(),
                            String::new(),
                            String::new(),
                            String::new(),
                            String::new(),
                        ])
                        .map_err(csv_err)?;
                    }
                }
            }
            Some(w.into_inner().map_err(|e| Error::internal(e.to_string()))?)
        }
        _ => None,
    };
    if let Some(bytes) = sensitivity {
        crate::output::dir::write_file(&dir.join("sensitivity.csv"), &bytes)?;
        files.push("sensitivity.csv");
    }
    let failed = records.iter().filter(|r| !r.ok()).count();
    let manifest = serde_json::json!({
        "tool": "arrival-city",
        "version": env!("CARGO_PKG_VERSION"),
        "command": command,
        "sweep": info.name,
        "sweep_sha256": info.hash,
        "design": info.design,
        "points": info.points.len(),
        "replications": info.replications,
        "runs": records.len(),
        "failed": failed,
        "seed": info.seed,
        "years": info.years,
        "threads": rayon::current_num_threads(),
        "wall_seconds": wall_seconds,
        "files": files,
    });
    crate::output::dir::write_file(
        &dir.join("manifest.json"),
        (serde_json::to_string_pretty(&manifest).expect("serialises") + "\n").as_bytes(),
    )
}

/// Combines shard directories into `out`: exactly the files an unsharded sweep writes.
pub fn merge(dirs: &[PathBuf], out: &Path, force: bool, command: Vec<String>) -> Result<SweepReport, Error> {
    let started = Instant::now();
    let mut info: Option<SweepInfo> = None;
    let mut all: Vec<RunRecord> = Vec::new();
    for d in dirs {
        let path = d.join("sweep.json");
        let text = fs::read_to_string(&path)
            .map_err(|_| InputError::plain(format!("{} is not a sweep directory (no sweep.json)", d.display())))?;
        let mut this: SweepInfo =
            serde_json::from_str(&text).map_err(|e| Error::internal(format!("{}: {e}", path.display())))?;
        this.shard = None;
        match &info {
            Some(first) if *first != this => {
                return Err(InputError::plain(format!(
                    "{} belongs to another sweep than {}",
                    d.display(),
                    dirs[0].display()
                ))
                .into());
            }
            Some(_) => {}
            None => info = Some(this),
        }
        let (_, mut records) = journal::read(&d.join("runs.csv"))?;
        journal::split_values(&mut records, info.as_ref().expect("set above").parameters.len());
        all.extend(records);
    }
    let info = info.ok_or_else(|| InputError::plain("no directories to merge"))?;
    all.sort_by_key(|r| r.run_id);
    all.dedup_by_key(|r| r.run_id);
    let missing = info.runs - all.len() as u64;
    if missing > 0 {
        return Err(InputError::plain(format!("{missing} of {} runs are in none of the directories", info.runs))
            .with_hint("run or resume the missing shards first")
            .into());
    }
    if out.exists() {
        if !force {
            return Err(InputError::plain(format!("{} already exists", out.display()))
                .with_hint("add --force to replace it, or choose another --out")
                .into());
        }
        fs::remove_dir_all(out).map_err(|e| Error::internal(format!("cannot remove {}: {e}", out.display())))?;
    }
    fs::create_dir_all(out).map_err(|e| Error::internal(format!("cannot create {}: {e}", out.display())))?;
    crate::output::dir::write_file(
        &out.join("sweep.json"),
        (serde_json::to_string_pretty(&info).expect("serialises") + "\n").as_bytes(),
    )?;
    if let Ok(text) = fs::read(dirs[0].join("sweep.toml")) {
        crate::output::dir::write_file(&out.join("sweep.toml"), &text)?;
    }
    journal::write_sorted(&out.join("runs.csv"), &info.header(), &mut all)?;
    let wall = started.elapsed().as_secs_f64();
    finalize(out, &info, &all, command, wall)?;
    let failed = all.iter().filter(|r| !r.ok()).count() as u64;
    Ok(SweepReport {
        dir: out.to_path_buf(),
        runs_total: info.runs,
        runs_done_now: 0,
        failed,
        complete: true,
        wall_seconds: wall,
        internal_failures: all.iter().filter(|r| r.status.starts_with("failed: internal error")).count() as u64,
    })
}
