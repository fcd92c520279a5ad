//! Comparing scenarios: every scenario is run with the same seeds, years and replications
//! (common random numbers), and each key metric of each scenario is set against the baseline's
//! replication by replication.
//!
//! For a metric with values b_r (baseline) and s_r (scenario) in replication r, the paired
//! difference d_r = s_r − b_r has mean d̄ and sd s_d; its 95 % interval is
//! d̄ ± t(0.975, R − 1)·s_d/√R. Because both runs share their random numbers, s_d is much smaller
//! than the spread of either run, so real policy effects stand out from noise. A difference
//! "excludes zero" when its interval does.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, InputError};
use crate::output::dir::ResultDir;
use crate::output::summary::{Observation, describe};
use crate::run::{RunOptions, RunReport, run_to_dir};
use crate::scenario::Loaded;

/// One row of `comparison.csv`.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ComparisonRow {
    pub scenario: String,
    pub baseline: String,
    pub scope: String,
    pub city: String,
    pub group: String,
    pub metric: String,
    /// Replications where the metric is defined in both runs.
    pub n: usize,
    pub baseline_mean: Option<f64>,
    pub scenario_mean: Option<f64>,
    pub difference: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub excludes_zero: Option<bool>,
}

/// Paired comparison of two runs' observations (same replications, same order).
pub fn paired(
    baseline: &str,
    scenario: &str,
    base: &[Vec<Observation>],
    other: &[Vec<Observation>],
) -> Vec<ComparisonRow> {
    let Some(first) = base.first() else { return Vec::new() };
    let mut out = Vec::new();
    for (i, key) in first.iter().enumerate() {
        // Find the same key in the other run (same position when the scenarios share cities and
        // groups; searched otherwise).
        let position = other.first().and_then(|o| {
            if o.get(i).is_some_and(|x| same_key(x, key)) { Some(i) } else { o.iter().position(|x| same_key(x, key)) }
        });
        let Some(j) = position else { continue };
        let mut b = Vec::new();
        let mut s = Vec::new();
        let mut d = Vec::new();
        for (rb, ro) in base.iter().zip(other) {
            if let (Some(x), Some(y)) = (rb.get(i).and_then(|o| o.value), ro.get(j).and_then(|o| o.value)) {
                b.push(x);
                s.push(y);
                d.push(y - x);
            }
        }
        let (difference, _, ci_low, ci_high) = describe(&d);
        out.push(ComparisonRow {
            scenario: scenario.to_string(),
            baseline: baseline.to_string(),
            scope: key.scope.to_string(),
            city: key.city.clone(),
            group: key.group.clone(),
            metric: key.metric.to_string(),
            n: d.len(),
            baseline_mean: describe(&b).0,
            scenario_mean: describe(&s).0,
            difference,
            ci_low,
            ci_high,
            excludes_zero: match (ci_low, ci_high) {
                (Some(lo), Some(hi)) => Some(lo > 0.0 || hi < 0.0),
                _ => None,
            },
        });
    }
    out
}

fn same_key(a: &Observation, b: &Observation) -> bool {
    a.scope == b.scope && a.metric == b.metric && a.city == b.city && a.group == b.group
}

/// What `compare` produced.
#[derive(Debug)]
pub struct CompareReport {
    pub dir: PathBuf,
    pub runs: Vec<RunReport>,
    pub rows: Vec<ComparisonRow>,
}

/// Folder names for the scenarios' results: their names, made unique.
fn run_names(scenarios: &[Loaded]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (i, l) in scenarios.iter().enumerate() {
        let mut name = l.scenario.meta.name.clone();
        if names.contains(&name) {
            name = format!("{name}-{i}");
        }
        names.push(name);
    }
    names
}

/// Checks that the scenarios can be compared: same start year, years, seed and replications.
pub fn check_comparable(scenarios: &[Loaded]) -> Result<(), InputError> {
    let base = &scenarios[0].scenario.meta;
    for l in &scenarios[1..] {
        let m = &l.scenario.meta;
        let file = l.files.first().map(|p| p.display().to_string()).unwrap_or_default();
        let differs = |what: &str, a: String, b: String| {
            InputError::plain(format!("{file}: {what} is {b}, the baseline's is {a}; compared runs must share it"))
                .with_hint("give --years, --seed or --replications on the command line to set them for all")
        };
        if m.start_year != base.start_year {
            return Err(differs("start_year", base.start_year.to_string(), m.start_year.to_string()));
        }
        if m.years != base.years {
            return Err(differs("years", base.years.to_string(), m.years.to_string()));
        }
        if m.seed != base.seed {
            return Err(differs("seed", base.seed.to_string(), m.seed.to_string()));
        }
        if m.replications != base.replications {
            return Err(differs("replications", base.replications.to_string(), m.replications.to_string()));
        }
    }
    Ok(())
}

/// Runs every scenario into `out/<name>/` and writes `comparison.csv` and `comparison.json`.
/// The first scenario is the baseline.
pub fn compare(
    scenarios: &[Loaded],
    out: &Path,
    force: bool,
    command: Vec<String>,
    progress: &(dyn Fn() + Sync),
) -> Result<CompareReport, Error> {
    check_comparable(scenarios)?;
    let dir = ResultDir::create(out, force)?;
    let result = (|| {
        let names = run_names(scenarios);
        let mut runs = Vec::new();
        for (loaded, name) in scenarios.iter().zip(&names) {
            let opts = RunOptions { out: dir.path().join(name), force: false, command: command.clone() };
            runs.push(run_to_dir(loaded, &opts, progress)?);
        }
        let mut rows = Vec::new();
        for (run, name) in runs.iter().zip(&names).skip(1) {
            rows.extend(paired(&names[0], name, &runs[0].observations, &run.observations));
        }
        let mut w = csv::Writer::from_writer(Vec::new());
        for r in &rows {
            w.serialize(r).map_err(|e| Error::internal(e.to_string()))?;
        }
        dir.write("comparison.csv", &w.into_inner().map_err(|e| Error::internal(e.to_string()))?)?;
        let json = serde_json::json!({ "baseline": names[0], "scenarios": &names[1..], "rows": rows });
        dir.write("comparison.json", (serde_json::to_string_pretty(&json).expect("serialises") + "\n").as_bytes())?;
        Ok((runs, rows))
    })();
    match result {
        Ok((mut runs, rows)) => {
            let dir_path = dir.commit()?;
            let names = run_names(scenarios);
            for (run, name) in runs.iter_mut().zip(&names) {
                run.dir = dir_path.join(name);
            }
            Ok(CompareReport { dir: dir_path, runs, rows })
        }
        Err(e) => {
            dir.abandon();
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(metric: &'static str, value: f64) -> Observation {
        Observation { scope: "final_year", city: "A".into(), group: String::new(), metric, value: Some(value) }
    }

    #[test]
    fn paired_differences_by_hand() {
        // baseline 10, 12, 14; scenario 11, 13.5, 15: differences 1, 1.5, 1 → mean 7/6
        let base = vec![vec![obs("x", 10.0)], vec![obs("x", 12.0)], vec![obs("x", 14.0)]];
        let other = vec![vec![obs("x", 11.0)], vec![obs("x", 13.5)], vec![obs("x", 15.0)]];
        let rows = paired("b", "s", &base, &other);
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert_eq!(r.n, 3);
        assert_eq!(r.baseline_mean, Some(12.0));
        assert!((r.difference.unwrap() - 7.0 / 6.0).abs() < 1e-12);
        // sd of (1, 1.5, 1) = sqrt(1/12); half-width = 4.303 · sqrt(1/12) / sqrt(3)
        let half = 4.303 * (1.0f64 / 12.0).sqrt() / 3.0f64.sqrt();
        assert!((r.ci_low.unwrap() - (7.0 / 6.0 - half)).abs() < 1e-12);
        assert_eq!(r.excludes_zero, Some(true));
    }
}
