//! Running a scenario into a result directory: replications in parallel, rows streamed to part
//! files, then joined, with the resolved scenario and a manifest beside them.
//!
//! Not responsible for the terminal: progress is reported through the caller's callback.

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

use crate::engine::{RunStats, Simulation};
use crate::error::Error;
use crate::metrics::money::Ledgers;
use crate::output::dir::ResultDir;
use crate::output::manifest::{FileEntry, Manifest};
use crate::output::rows::{flow_rows, year_rows};
use crate::output::summary::{self, Observation, SummaryBuilder};
use crate::output::tables::{PartWriters, TABLES, join_parts};
use crate::rng::replication_seed;
use crate::scenario::Loaded;

/// How to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The result directory to create.
    pub out: PathBuf,
    /// Replace an existing result directory.
    pub force: bool,
    /// The command line, for the manifest.
    pub command: Vec<String>,
}

/// What a finished run reports.
#[derive(Debug, Clone)]
pub struct RunReport {
    pub dir: PathBuf,
    pub manifest: Manifest,
    /// Each replication's key metrics (see `output::summary`), in replication order.
    pub observations: Vec<Vec<Observation>>,
}

/// Runs every replication of `loaded` and writes the result directory. `progress` is called
/// after each simulated year of each replication.
pub fn run_to_dir(loaded: &Loaded, opts: &RunOptions, progress: &(dyn Fn() + Sync)) -> Result<RunReport, Error> {
    let s = &loaded.scenario;
    let dir = ResultDir::create(&opts.out, opts.force)?;
    let started = Instant::now();
    let result = (|| {
        dir.write("scenario.resolved.toml", loaded.resolved_toml.as_bytes())?;
        if !s.shapes.is_empty() {
            dir.write("districts.geojson", crate::geo::to_geojson(&s.shapes).as_bytes())?;
        }
        let sim = Simulation::new(s);
        let done: Vec<(RunStats, Vec<Observation>)> = (0..s.meta.replications)
            .into_par_iter()
            .map(|r| run_replication(&sim, loaded, dir.path(), r, progress))
            .collect::<Result<_, Error>>()?;
        join_parts(dir.path(), s.meta.replications)?;
        let (stats, observations): (Vec<RunStats>, Vec<Vec<Observation>>) = done.into_iter().unzip();
        let summary_rows = summary::summarise(&observations);
        dir.write("summary.csv", &summary::to_csv(&summary_rows))?;
        dir.write("summary.json", summary::to_json(&s.meta.name, s.meta.replications, &summary_rows).as_bytes())?;
        let wall_seconds = started.elapsed().as_secs_f64();
        let agent_years: u64 = stats.iter().map(|x| x.agent_years).sum();
        let mut files: Vec<FileEntry> = TABLES
            .iter()
            .map(|(name, what)| FileEntry { name: format!("{name}.csv"), description: what.to_string() })
            .collect();
        files.push(FileEntry {
            name: "summary.csv".into(),
            description: "key metrics of the final year and the whole run: mean, sd and 95 % CI over replications"
                .into(),
        });
        files.push(FileEntry { name: "summary.json".into(), description: "the same as summary.csv, as JSON".into() });
        if !s.shapes.is_empty() {
            files.push(FileEntry {
                name: "districts.geojson".into(),
                description: "the districts' outlines (property `district`), for maps".into(),
            });
        }
        files.push(FileEntry {
            name: "scenario.resolved.toml".into(),
            description: "the scenario as run: every default written out, inheritance applied".into(),
        });
        let manifest = Manifest {
            tool: "arrival-city",
            version: env!("CARGO_PKG_VERSION"),
            command: opts.command.clone(),
            scenario: s.meta.name.clone(),
            scenario_files: loaded.files.iter().map(|p| p.display().to_string()).collect(),
            scenario_sha256: loaded.hash.clone(),
            start_year: s.meta.start_year,
            years: s.meta.years,
            seed: s.meta.seed,
            replications: s.meta.replications,
            replication_seeds: (0..s.meta.replications).map(|r| replication_seed(s.meta.seed, r)).collect(),
            threads: rayon::current_num_threads(),
            wall_seconds,
            agent_years,
            agent_years_per_second: agent_years as f64 / wall_seconds.max(1e-9),
            peak_records: stats.iter().map(|x| x.peak_records).max().unwrap_or(0),
            files,
        };
        dir.write("manifest.json", manifest.to_json().as_bytes())?;
        Ok((manifest, observations))
    })();
    match result {
        Ok((manifest, observations)) => Ok(RunReport { dir: dir.commit()?, manifest, observations }),
        Err(e) => {
            dir.abandon();
            Err(e)
        }
    }
}

fn run_replication(
    sim: &Simulation,
    loaded: &Loaded,
    dir: &std::path::Path,
    replication: u32,
    progress: &(dyn Fn() + Sync),
) -> Result<(RunStats, Vec<Observation>), Error> {
    let s = &loaded.scenario;
    let mut writers = PartWriters::open(dir, replication)?;
    let mut summary = SummaryBuilder::default();
    let mut ledgers = Ledgers::new(s.districts.len());
    let mut failure: Option<Error> = None;
    let stats = sim.run(s.meta.seed, replication, s.meta.years, &mut |year| {
        ledgers.add(year.tally);
        if failure.is_none() {
            let rows = year_rows(s, year, &ledgers);
            if let Err(e) = writers.write_year(&rows) {
                failure = Some(e);
            }
            summary.add_year(rows);
        }
        progress();
    });
    if let Some(e) = failure {
        return Err(e);
    }
    let seed = replication_seed(s.meta.seed, replication);
    writers.write_flows(&flow_rows(s, replication, seed, &ledgers))?;
    writers.finish()?;
    Ok((stats, summary.finish()))
}
