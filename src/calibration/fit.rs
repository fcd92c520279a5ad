//! `arrival calibrate`: fit scenario parameters to targets.
//!
//! ```toml
//! [calibration]
//! scenario = "../offenbach-base.toml"  # relative to this file
//! targets = "../targets/offenbach.toml"
//! output = "../offenbach.toml"          # the fitted values, as a scenario that extends the base
//! replications = 2                      # per evaluation, with fixed seeds (common random numbers)
//! years = 3
//! screening = 24                        # Latin-hypercube points tried first
//! iterations = 60                       # Nelder–Mead evaluations after the screening
//!
//! [[parameter]]
//! path = "behaviour.move_base"
//! low = -2.5
//! high = -0.5
//! start = -1.7                          # optional: where the search starts (e.g. a previous fit)
//! ```
//!
//! The objective is Σ weight·((simulated − observed)/tolerance)² over the calibration targets,
//! the simulated value being the mean over replications run with the same seeds at every
//! point, so the objective is a deterministic, smooth-ish function of the parameters (noise is
//! the same at every point and does not mislead the search). The search is derivative-free:
//! a Latin hypercube over the bounds, then Nelder–Mead (Nelder & Mead 1965; standard
//! coefficients 1, 2, ½, ½) from the best screened point, in the unit cube of the bounds with
//! values clamped to them.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::assess::{Assessment, assess, objective, simulate};
use super::targets::{self, Target};
use crate::error::{Error, InputError};
use crate::experiment::design::{Design, Factor, Spec, generate};
use crate::scenario::{self, KeyPath, Override, path::Seg};

/// `[calibration]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WireCalibrationMeta {
    pub scenario: Option<String>,
    pub targets: Option<String>,
    pub output: Option<String>,
    pub replications: Option<i64>,
    pub years: Option<i64>,
    pub seed: Option<u64>,
    pub screening: Option<i64>,
    pub iterations: Option<i64>,
}

/// `[[parameter]]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WireFitParameter {
    pub path: Option<String>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// Where the search starts (default: the middle of the bounds), e.g. a previous fit.
    pub start: Option<f64>,
}

/// A calibration file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WireCalibration {
    pub calibration: Option<WireCalibrationMeta>,
    pub parameter: Option<Vec<WireFitParameter>>,
}

/// A checked calibration problem.
#[derive(Debug)]
pub struct Calibration {
    pub base: scenario::Base,
    /// The base scenario file (for `extends` in the output).
    pub scenario_path: PathBuf,
    pub targets: Vec<Target>,
    pub output: PathBuf,
    pub parameters: Vec<(KeyPath, f64, f64)>,
    /// Starting point of the search, in the unit cube of the bounds.
    pub start: Vec<f64>,
    pub replications: u32,
    pub years: u32,
    pub seed: u64,
    pub screening: usize,
    pub iterations: usize,
}

impl Calibration {
    /// Reads and checks a calibration file.
    pub fn read(path: &Path) -> Result<Calibration, InputError> {
        let (wire, file): (WireCalibration, _) = scenario::source::read_typed(path)?;
        let meta = wire.calibration.unwrap_or_default();
        let mp = KeyPath::root().key("calibration");
        let dir = path.parent().unwrap_or(Path::new(""));
        let need = |v: Option<String>, key: &str| {
            v.ok_or_else(|| file.locate(&mp, format!("[calibration] needs `{key}`"), None))
        };
        let scenario_path = dir.join(need(meta.scenario.clone(), "scenario")?);
        let targets_path = dir.join(need(meta.targets.clone(), "targets")?);
        let output = dir.join(need(meta.output.clone(), "output")?);
        let base = scenario::read(&scenario_path)?;
        let count = |key: &str, v: Option<i64>, default: i64, max: i64| -> Result<i64, InputError> {
            let v = v.unwrap_or(default);
            if !(1..=max).contains(&v) {
                return Err(file.locate(&mp.key(key), format!("must be a whole number in [1, {max}], got {v}"), None));
            }
            Ok(v)
        };
        let replications = count("replications", meta.replications, 2, 1000)? as u32;
        let years = count("years", meta.years, 3, 500)? as u32;
        let screening = count("screening", meta.screening, 24, 100_000)? as usize;
        let iterations = count("iterations", meta.iterations, 60, 100_000)? as usize;
        let resolved = base.resolve(&[])?;
        let seed = meta.seed.unwrap_or(resolved.scenario.meta.seed);
        let sized = base.resolve(&meta_overrides(years, replications, seed))?;
        let targets = targets::read(&targets_path, &sized.scenario)?;
        let valid = scenario::settable_paths(&resolved.resolved_toml);
        let mut parameters = Vec::new();
        let mut start = Vec::new();
        for (i, p) in wire.parameter.unwrap_or_default().iter().enumerate() {
            let at = KeyPath::root().key("parameter").index(i);
            let text = p.path.clone().ok_or_else(|| file.locate(&at, "a parameter needs a `path`", None))?;
            let key = KeyPath::parse(&text).map_err(|e| file.locate(&at.key("path"), e, None))?;
            if !valid.contains(&key.to_string()) && !scenario::policy_paths().contains(&key.to_string()) {
                let best = scenario::suggest::closest(&text, valid.iter().map(String::as_str))
                    .map(|b| format!("the closest valid path is `{b}`"));
                return Err(file.locate(&at.key("path"), format!("no scenario key `{key}`"), best));
            }
            let (Some(low), Some(high)) = (p.low, p.high) else {
                return Err(file.locate(&at, "a parameter needs `low` and `high` bounds", None));
            };
            if !(low.is_finite() && high.is_finite() && low < high) {
                return Err(file.locate(&at.key("low"), format!("need finite low < high, got {low} and {high}"), None));
            }
            let s = p.start.unwrap_or((low + high) / 2.0);
            if !(low..=high).contains(&s) {
                return Err(file.locate(&at.key("start"), format!("must lie within [{low}, {high}], got {s}"), None));
            }
            start.push((s - low) / (high - low));
            parameters.push((key, low, high));
        }
        if parameters.is_empty() {
            return Err(file.locate(&KeyPath::root(), "the calibration has no [[parameter]]", None));
        }
        if !targets.iter().any(|t| t.calibrate) {
            return Err(InputError::file(&targets_path, "no target has use = \"calibration\": nothing to fit"));
        }
        Ok(Calibration {
            base,
            scenario_path,
            targets,
            output,
            parameters,
            start,
            replications,
            years,
            seed,
            screening,
            iterations,
        })
    }

    fn overrides(&self, x: &[f64]) -> Vec<Override> {
        let mut o: Vec<Override> = self
            .parameters
            .iter()
            .zip(x)
            .map(|((path, _, _), &v)| Override { path: path.clone(), value: toml::Value::Float(v) })
            .collect();
        o.extend(meta_overrides(self.years, self.replications, self.seed));
        o
    }

    /// The objective at parameter values `x` (in the parameters' own units).
    pub fn evaluate(&self, x: &[f64]) -> Result<f64, Error> {
        let loaded = self.base.resolve(&self.overrides(x))?;
        Ok(objective(&self.targets, &simulate(&loaded.scenario, self.replications)))
    }

    /// The validation table at `x`.
    pub fn table(&self, x: &[f64]) -> Result<Vec<Assessment>, Error> {
        let loaded = self.base.resolve(&self.overrides(x))?;
        Ok(assess(&self.targets, &simulate(&loaded.scenario, self.replications)))
    }
}

fn meta_overrides(years: u32, replications: u32, seed: u64) -> Vec<Override> {
    let m = KeyPath::root().key("scenario");
    vec![
        Override { path: m.key("years"), value: toml::Value::Integer(years as i64) },
        Override { path: m.key("replications"), value: toml::Value::Integer(replications as i64) },
        Override { path: m.key("seed"), value: toml::Value::Integer(seed as i64) },
    ]
}

/// The result of a fit.
#[derive(Debug, Clone)]
pub struct Fit {
    /// Fitted values, in the parameters' units.
    pub values: Vec<f64>,
    pub objective: f64,
    pub evaluations: usize,
}

/// Fits the parameters. `progress(evaluations, best objective)` is called after every
/// evaluation.
pub fn fit(c: &Calibration, progress: &dyn Fn(usize, f64)) -> Result<Fit, Error> {
    let k = c.parameters.len();
    let to_units = |u: &[f64]| -> Vec<f64> {
        u.iter().zip(&c.parameters).map(|(&u, (_, lo, hi))| lo + u.clamp(0.0, 1.0) * (hi - lo)).collect()
    };
    let evaluations = std::cell::Cell::new(0usize);
    let best = std::cell::RefCell::new((f64::INFINITY, vec![0.5; k]));
    let eval = |u: &[f64]| -> Result<f64, Error> {
        let f = c.evaluate(&to_units(u))?;
        evaluations.set(evaluations.get() + 1);
        let mut b = best.borrow_mut();
        if f < b.0 {
            *b = (f, u.to_vec());
        }
        progress(evaluations.get(), b.0);
        Ok(f)
    };
    // Screening: a Latin hypercube in the unit cube.
    let factors: Vec<Factor> = (0..k)
        .map(|i| Factor {
            name: format!("x{i}"),
            spec: Spec::Uniform { low: 0.0, high: 1.0, steps: None },
            integer: false,
        })
        .collect();
    let screen =
        generate(&factors, &Design::LatinHypercube { samples: c.screening }, c.seed).map_err(Error::internal)?;
    let mut start = c.start.clone();
    let mut start_f = eval(&start)?;
    for u in &screen {
        let f = eval(u)?;
        if f < start_f {
            start_f = f;
            start = u.clone();
        }
    }
    // Nelder–Mead from the best screened point.
    let step = 0.15;
    let mut simplex: Vec<(Vec<f64>, f64)> = vec![(start.clone(), start_f)];
    for i in 0..k {
        let mut p = start.clone();
        p[i] = if p[i] + step <= 1.0 { p[i] + step } else { p[i] - step };
        let f = eval(&p)?;
        simplex.push((p, f));
    }
    let clamp = |v: Vec<f64>| -> Vec<f64> { v.into_iter().map(|x| x.clamp(0.0, 1.0)).collect() };
    let budget = evaluations.get() + c.iterations;
    while evaluations.get() < budget {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let n = simplex.len();
        let centroid: Vec<f64> =
            (0..k).map(|j| simplex[..n - 1].iter().map(|p| p.0[j]).sum::<f64>() / (n - 1) as f64).collect();
        let worst = simplex[n - 1].clone();
        let along = |t: f64| clamp(centroid.iter().zip(&worst.0).map(|(c, w)| c + t * (c - w)).collect());
        let reflected = along(1.0);
        let fr = eval(&reflected)?;
        if fr < simplex[0].1 {
            let expanded = along(2.0);
            let fe = eval(&expanded)?;
            simplex[n - 1] = if fe < fr { (expanded, fe) } else { (reflected, fr) };
        } else if fr < simplex[n - 2].1 {
            simplex[n - 1] = (reflected, fr);
        } else {
            let contracted = if fr < worst.1 { along(0.5) } else { along(-0.5) };
            let fc = eval(&contracted)?;
            if fc < worst.1.min(fr) {
                simplex[n - 1] = (contracted, fc);
            } else {
                // Shrink towards the best point.
                let best_point = simplex[0].0.clone();
                for i in 1..n {
                    let p: Vec<f64> = best_point.iter().zip(&simplex[i].0).map(|(b, x)| b + 0.5 * (x - b)).collect();
                    let f = eval(&p)?;
                    simplex[i] = (p, f);
                }
            }
        }
        let spread = simplex.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max)
            - simplex.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        if spread < 1e-9 {
            break;
        }
    }
    let (objective, u) = best.into_inner();
    Ok(Fit { values: to_units(&u), objective, evaluations: evaluations.get() })
}

/// The fitted values as a scenario file that extends the base and holds only them.
pub fn calibrated_scenario(c: &Calibration, fit: &Fit, header: &str) -> String {
    let mut table = toml::Table::new();
    let out_dir = c.output.parent().unwrap_or(Path::new(""));
    let base = relative(&c.scenario_path, out_dir);
    table.insert("extends".into(), toml::Value::String(base));
    let name = c.output.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "calibrated".into());
    let mut meta = toml::Table::new();
    meta.insert("name".into(), toml::Value::String(name));
    table.insert("scenario".into(), toml::Value::Table(meta));
    for ((path, _, _), v) in c.parameters.iter().zip(&fit.values) {
        insert(&mut table, &path.0, toml::Value::Float((v * 1e6).round() / 1e6));
    }
    format!("{header}\n{}", toml::to_string(&table).expect("a table serialises"))
}

fn insert(table: &mut toml::Table, segs: &[Seg], value: toml::Value) {
    match segs {
        [Seg::Key(k)] => {
            table.insert(k.clone(), value);
        }
        [Seg::Key(k), Seg::Named(name), rest @ ..] => {
            let array = table.entry(k.clone()).or_insert_with(|| toml::Value::Array(Vec::new()));
            let entries = array.as_array_mut().expect("named entries are an array");
            let pos = entries.iter().position(|e| e.get("name").and_then(|n| n.as_str()) == Some(name.as_str()));
            let pos = pos.unwrap_or_else(|| {
                let mut t = toml::Table::new();
                t.insert("name".into(), toml::Value::String(name.clone()));
                entries.push(toml::Value::Table(t));
                entries.len() - 1
            });
            if let Some(t) = entries[pos].as_table_mut() {
                insert(t, rest, value);
            }
        }
        [Seg::Key(k), rest @ ..] => {
            let sub = table.entry(k.clone()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if let Some(t) = sub.as_table_mut() {
                insert(t, rest, value);
            }
        }
        _ => {}
    }
}

/// `path` relative to `dir` when both are under the same directory tree (falls back to `path`).
fn relative(path: &Path, dir: &Path) -> String {
    let (p, d) = (
        std::path::absolute(path).unwrap_or(path.to_path_buf()),
        std::path::absolute(dir).unwrap_or(dir.to_path_buf()),
    );
    let pc: Vec<_> = p.components().collect();
    let dc: Vec<_> = d.components().collect();
    let common = pc.iter().zip(&dc).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return p.display().to_string();
    }
    let mut out = PathBuf::new();
    for _ in common..dc.len() {
        out.push("..");
    }
    for c in &pc[common..] {
        out.push(c.as_os_str());
    }
    out.display().to_string()
}
