//! The validation table: each target's observed value against the simulated mean over
//! replications, with a 95 % interval, the error and whether it is within tolerance.

use rayon::prelude::*;
use serde::Serialize;

use super::targets::{Target, value};
use crate::engine::Simulation;
use crate::metrics::money::Ledgers;
use crate::output::rows::{YearRows, year_rows};
use crate::output::summary::describe;
use crate::scenario::Scenario;

/// The rows of every year of every replication.
pub type Runs = Vec<Vec<YearRows>>;

/// Runs `replications` replications of `s` (seed `s.meta.seed`) in memory.
pub fn simulate(s: &Scenario, replications: u32) -> Runs {
    let sim = Simulation::new(s);
    (0..replications)
        .into_par_iter()
        .map(|r| {
            let mut ledgers = Ledgers::new(s.districts.len());
            let mut years = Vec::new();
            sim.run(s.meta.seed, r, s.meta.years, &mut |y| {
                ledgers.add(y.tally);
                years.push(year_rows(s, y, &ledgers));
            });
            years
        })
        .collect()
}

/// One row of the validation table (`validation.csv`).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Assessment {
    pub target: String,
    #[serde(rename = "use")]
    pub use_: String,
    pub observed: f64,
    pub simulated_mean: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub error: Option<f64>,
    pub tolerance: f64,
    pub within_tolerance: bool,
    pub source: String,
}

/// Compares every target with the runs.
pub fn assess(targets: &[Target], runs: &Runs) -> Vec<Assessment> {
    targets
        .iter()
        .map(|t| {
            let values: Vec<f64> = runs.iter().filter_map(|years| value(t, years)).collect();
            let (mean, _, lo, hi) = describe(&values);
            let error = mean.map(|m| m - t.observed);
            Assessment {
                target: t.name.clone(),
                use_: if t.calibrate { "calibration".into() } else { "validation".into() },
                observed: t.observed,
                simulated_mean: mean,
                ci_low: lo,
                ci_high: hi,
                error,
                tolerance: t.tolerance,
                within_tolerance: error.is_some_and(|e| e.abs() <= t.tolerance),
                source: t.source.clone(),
            }
        })
        .collect()
}

/// The calibration objective: Σ weight · ((simulated mean − observed) / tolerance)² over the
/// calibration targets; a target the runs cannot produce costs 10⁶.
pub fn objective(targets: &[Target], runs: &Runs) -> f64 {
    targets
        .iter()
        .filter(|t| t.calibrate && t.weight > 0.0)
        .map(|t| {
            let values: Vec<f64> = runs.iter().filter_map(|years| value(t, years)).collect();
            match describe(&values).0 {
                Some(m) => t.weight * ((m - t.observed) / t.tolerance).powi(2),
                None => 1e6,
            }
        })
        .sum()
}

/// `validation.csv` bytes.
pub fn to_csv(rows: &[Assessment]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r).expect("rows serialise");
    }
    if rows.is_empty() {
        w.serialize(Assessment::default()).expect("rows serialise");
    }
    w.into_inner().expect("in memory")
}

fn fmt(x: Option<f64>) -> String {
    match x {
        None => "–".into(),
        Some(v) if v.abs() >= 1000.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.4}"),
    }
}

/// A readable table.
pub fn to_table(rows: &[Assessment]) -> String {
    let mut out = format!(
        "{:<44} {:<11} {:>12} {:>12} {:>26} {:>10}  {}\n",
        "target", "use", "observed", "simulated", "95 % CI", "tolerance", "within"
    );
    for r in rows {
        out.push_str(&format!(
            "{:<44} {:<11} {:>12} {:>12} {:>26} {:>10}  {}\n",
            r.target.chars().take(44).collect::<String>(),
            r.use_,
            fmt(Some(r.observed)),
            fmt(r.simulated_mean),
            format!("[{}, {}]", fmt(r.ci_low), fmt(r.ci_high)),
            fmt(Some(r.tolerance)),
            if r.within_tolerance { "yes" } else { "no" }
        ));
    }
    let within = rows.iter().filter(|r| r.within_tolerance).count();
    out.push_str(&format!("{within} of {} targets within tolerance\n", rows.len()));
    out
}
