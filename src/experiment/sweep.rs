//! Sweep files: a base scenario, parameters by key path, a design, replications and outcomes.
//!
//! ```toml
//! [sweep]
//! scenario = "../offenbach.toml"        # relative to the sweep file
//! design = "factorial"                  # factorial | zip | random | lhs | sobol | morris | table
//! replications = 3
//! seed = 1
//!
//! [[parameter]]
//! path = "policy.residence_requirement.years"
//! values = [0, 1, 2, 3]
//!
//! [[outcome]]
//! metric = "fluctuation"
//! city = "Offenbach am Main"
//! scope = "whole_run"
//! ```
//!
//! Reading checks everything before any run: unknown keys, unknown parameter paths (with the
//! closest valid path), parameter specs the design cannot use, unknown outcome metrics, cities
//! and groups, and the design itself. Each design point's scenario is checked again when it is
//! run; a point whose values break a rule becomes a failed run, recorded with its message.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::design::{Design, Factor, Spec, generate};
use crate::error::InputError;
use crate::output::summary::{Level, metric_names};
use crate::scenario::{self, KeyPath, Override, suggest};

/// `[sweep]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WireSweepMeta {
    pub name: Option<String>,
    pub description: Option<String>,
    pub scenario: Option<String>,
    pub design: Option<String>,
    pub samples: Option<i64>,
    pub levels: Option<i64>,
    pub table: Option<String>,
    pub replications: Option<i64>,
    pub seed: Option<u64>,
    pub years: Option<i64>,
    pub bootstrap: Option<i64>,
}

/// `[[parameter]]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WireParameter {
    pub path: Option<String>,
    pub values: Option<Vec<f64>>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub steps: Option<i64>,
    pub distribution: Option<String>,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub integer: Option<bool>,
}

/// `[[outcome]]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WireOutcome {
    pub name: Option<String>,
    pub metric: Option<String>,
    pub city: Option<String>,
    pub group: Option<String>,
    pub district: Option<String>,
    pub scope: Option<String>,
}

/// A sweep file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WireSweep {
    pub sweep: Option<WireSweepMeta>,
    pub parameter: Option<Vec<WireParameter>>,
    pub outcome: Option<Vec<WireOutcome>>,
}

/// A parameter of the sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub path: KeyPath,
    /// The path as written (the column name in runs.csv).
    pub name: String,
    pub integer: bool,
}

/// An outcome recorded for every run.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Column name in runs.csv.
    pub name: String,
    pub metric: String,
    pub city: String,
    pub group: String,
    pub scope: String,
}

/// A checked sweep with its design points.
#[derive(Debug)]
pub struct Sweep {
    pub name: String,
    pub file: PathBuf,
    pub base: scenario::Base,
    pub design_name: String,
    pub design: Option<Design>,
    pub parameters: Vec<Parameter>,
    pub outcomes: Vec<Outcome>,
    /// Parameter values of each design point.
    pub points: Vec<Vec<f64>>,
    pub replications: u32,
    pub seed: u64,
    /// Years to simulate (the scenario's unless the sweep sets them).
    pub years: u32,
    pub bootstrap: u32,
    /// SHA-256 of the sweep file and the scenario files: a resumed sweep must match it.
    pub hash: String,
}

/// Overrides given on the command line.
#[derive(Debug, Clone, Default)]
pub struct SweepOverrides {
    pub years: Option<u32>,
    pub replications: Option<u32>,
    pub seed: Option<u64>,
}

const DESIGNS: &[&str] = &["factorial", "zip", "random", "lhs", "sobol", "morris", "table"];
const SCOPES: &[&str] = &["final_year", "whole_run"];

impl Sweep {
    /// Reads and checks a sweep file.
    pub fn read(path: &Path, cli: &SweepOverrides) -> Result<Sweep, InputError> {
        let (wire, file): (WireSweep, _) = scenario::source::read_typed(path)?;
        let root = KeyPath::root();
        let at = |p: KeyPath, rule: String, hint: Option<String>| file.locate(&p, rule, hint);
        let meta = wire.sweep.clone().unwrap_or_default();
        let meta_path = root.key("sweep");
        let scenario_rel = meta
            .scenario
            .clone()
            .ok_or_else(|| at(meta_path.clone(), "the sweep needs `scenario`, the base scenario file".into(), None))?;
        let dir = path.parent().unwrap_or(Path::new(""));
        let base = scenario::read(&dir.join(&scenario_rel)).map_err(|mut e| {
            e.rule = format!("in the base scenario: {}", e.rule);
            e
        })?;
        let resolved = base.resolve(&[])?;
        let valid_paths = scenario::settable_paths(&resolved.resolved_toml);

        let design_name = meta.design.clone().unwrap_or_else(|| "factorial".into());
        if !DESIGNS.contains(&design_name.as_str()) {
            let hint =
                suggest::closest(&design_name, DESIGNS.iter().copied()).map(|b| format!("did you mean \"{b}\"?"));
            return Err(at(
                meta_path.key("design"),
                format!("unknown design \"{design_name}\"; use one of {}", DESIGNS.join(", ")),
                hint,
            ));
        }
        let positive = |key: &str, v: Option<i64>, default: i64, max: i64| -> Result<i64, InputError> {
            let v = v.unwrap_or(default);
            if v < 1 || v > max {
                return Err(at(meta_path.key(key), format!("must be a whole number in [1, {max}], got {v}"), None));
            }
            Ok(v)
        };
        let replications =
            cli.replications
                .map(i64::from)
                .map_or_else(|| positive("replications", meta.replications, 1, 100_000), Ok)? as u32;
        let years = match (cli.years, meta.years) {
            (Some(y), _) => y as i64,
            (None, Some(y)) => positive("years", Some(y), 1, 500)?,
            (None, None) => resolved.scenario.meta.years as i64,
        } as u32;
        let seed = cli.seed.or(meta.seed).unwrap_or(resolved.scenario.meta.seed);
        let bootstrap = positive("bootstrap", meta.bootstrap, 200, 100_000)? as u32;

        let wire_params = wire.parameter.clone().unwrap_or_default();
        if wire_params.is_empty() && design_name != "table" {
            return Err(at(root.key("parameter"), "the sweep has no [[parameter]]".into(), None));
        }
        let mut parameters = Vec::new();
        let mut factors = Vec::new();
        for (i, p) in wire_params.iter().enumerate() {
            let here = root.key("parameter").index(i);
            let text = p.path.clone().ok_or_else(|| at(here.clone(), "a parameter needs a `path`".into(), None))?;
            let key = KeyPath::parse(&text).map_err(|e| at(here.key("path"), e, None))?;
            check_path(&key, &text, &valid_paths).map_err(|(rule, hint)| at(here.key("path"), rule, hint))?;
            let spec = spec_of(p).map_err(|rule| at(here.clone(), rule, None))?;
            // Keys the scenario holds as whole numbers take whole numbers.
            let integer = p.integer.unwrap_or(false) || integer_key(&resolved.resolved_toml, &key);
            parameters.push(Parameter { path: key, name: text.clone(), integer });
            factors.push(Factor { name: text, spec, integer });
        }

        let samples = meta.samples;
        let design = match design_name.as_str() {
            "factorial" => Some(Design::Factorial),
            "zip" => Some(Design::Zip),
            "random" => Some(Design::Random { samples: positive("samples", samples, 100, 10_000_000)? as usize }),
            "lhs" => Some(Design::LatinHypercube { samples: positive("samples", samples, 100, 10_000_000)? as usize }),
            "sobol" => Some(Design::Sobol { samples: positive("samples", samples, 64, 1_000_000)? as usize }),
            "morris" => Some(Design::Morris {
                trajectories: positive("samples", samples, 10, 100_000)? as usize,
                levels: positive("levels", meta.levels, 4, 1000)? as u32,
            }),
            _ => None,
        };
        let points = match &design {
            Some(d) => generate(&factors, d, seed).map_err(|rule| at(meta_path.key("design"), rule, None))?,
            None => {
                let table = meta.table.clone().ok_or_else(|| {
                    at(meta_path.clone(), "design = \"table\" needs `table`, a CSV file of design points".into(), None)
                })?;
                let (names, rows) = read_design_table(&dir.join(&table))?;
                parameters.clear();
                for name in names {
                    let key = KeyPath::parse(&name)
                        .map_err(|e| InputError::file(&dir.join(&table), format!("column \"{name}\": {e}")))?;
                    check_path(&key, &name, &valid_paths).map_err(|(rule, hint)| {
                        let mut e = InputError::file(&dir.join(&table), format!("column \"{name}\": {rule}"));
                        e.line = Some(1);
                        e.hint = hint;
                        e
                    })?;
                    let integer = integer_key(&resolved.resolved_toml, &key);
                    parameters.push(Parameter { path: key, name, integer });
                }
                rows
            }
        };

        let wire_outcomes = wire.outcome.clone().unwrap_or_default();
        if wire_outcomes.is_empty() {
            return Err(at(root.key("outcome"), "the sweep has no [[outcome]]".into(), None));
        }
        let cities: Vec<&str> = resolved.scenario.cities.iter().map(|c| c.name.as_str()).collect();
        let groups: Vec<&str> = resolved.scenario.groups.iter().map(|g| g.name.as_str()).collect();
        let mut outcomes: Vec<Outcome> = Vec::new();
        for (i, o) in wire_outcomes.iter().enumerate() {
            let here = root.key("outcome").index(i);
            let metric =
                o.metric.clone().ok_or_else(|| at(here.clone(), "an outcome needs a `metric`".into(), None))?;
            // District metrics are read in the final year (the Sisyphus index there is cumulated
            // over the run); city and group outcomes default to the whole run.
            let default_scope = if o.district.is_some() { "final_year" } else { "whole_run" };
            let scope = o.scope.clone().unwrap_or_else(|| default_scope.into());
            if !SCOPES.contains(&scope.as_str()) {
                return Err(at(
                    here.key("scope"),
                    format!("scope must be \"final_year\" or \"whole_run\", got \"{scope}\""),
                    None,
                ));
            }
            let city = match &o.city {
                Some(c) => c.clone(),
                None => cities[0].to_string(),
            };
            if !cities.contains(&city.as_str()) {
                let hint = suggest::closest(&city, cities.iter().copied()).map(|b| format!("did you mean \"{b}\"?"));
                return Err(at(here.key("city"), format!("no city named \"{city}\" in the scenario"), hint));
            }
            let mut group = o.group.clone().unwrap_or_default();
            if !group.is_empty() && !groups.contains(&group.as_str()) {
                let hint = suggest::closest(&group, groups.iter().copied()).map(|b| format!("did you mean \"{b}\"?"));
                return Err(at(here.key("group"), format!("no group named \"{group}\" in the scenario"), hint));
            }
            let mut level = if group.is_empty() { Level::City } else { Level::Group };
            if let Some(district) = &o.district {
                let in_city: Vec<&str> = resolved
                    .scenario
                    .districts
                    .iter()
                    .filter(|d| resolved.scenario.cities[d.city.index()].name == city)
                    .map(|d| d.name.as_str())
                    .collect();
                if !group.is_empty() {
                    return Err(at(here.clone(), "an outcome is about a group or a district, not both".into(), None));
                }
                if !in_city.contains(&district.as_str()) {
                    let hint =
                        suggest::closest(district, in_city.iter().copied()).map(|b| format!("did you mean \"{b}\"?"));
                    return Err(at(here.key("district"), format!("no district \"{district}\" in {city}"), hint));
                }
                group = format!("district:{district}");
                level = Level::District;
            }
            let known = metric_names(&scope, level);
            if !known.contains(&metric.as_str()) {
                let hint = suggest::closest(&metric, known.iter().copied())
                    .map(|b| format!("did you mean \"{b}\"?"))
                    .or_else(|| Some(format!("metrics here: {}", known.join(", "))));
                let what = match level {
                    Level::City => "city",
                    Level::Group => "group",
                    Level::District => "district",
                };
                return Err(at(
                    here.key("metric"),
                    format!("no {what} metric \"{metric}\" with scope \"{scope}\""),
                    hint,
                ));
            }
            let name = o.name.clone().unwrap_or_else(|| {
                let mut n = format!("{metric}_{}", slug(&city));
                if !group.is_empty() {
                    n.push('_');
                    n.push_str(&slug(group.trim_start_matches("district:")));
                }
                if scope == "final_year" {
                    n.push_str("_final");
                }
                n
            });
            if outcomes.iter().any(|x| x.name == name) || parameters.iter().any(|p| p.name == name) {
                return Err(at(
                    here.clone(),
                    format!("two columns would be named \"{name}\""),
                    Some("give the outcome a `name`".into()),
                ));
            }
            outcomes.push(Outcome { name, metric, city, group, scope });
        }

        let name = meta.name.clone().unwrap_or_else(|| {
            path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "sweep".into())
        });
        let hash = {
            use sha2::{Digest, Sha256};
            let mut h = Sha256::new();
            h.update(file.text.as_bytes());
            h.update(base.sources.hash().as_bytes());
            h.finalize().iter().map(|b| format!("{b:02x}")).collect()
        };
        Ok(Sweep {
            name,
            file: path.to_path_buf(),
            base,
            design_name,
            design,
            parameters,
            outcomes,
            points,
            replications,
            seed,
            years,
            bootstrap,
            hash,
        })
    }

    /// Number of runs: points × replications.
    pub fn runs(&self) -> usize {
        self.points.len() * self.replications as usize
    }

    /// The overrides of one design point (plus the sweep's years and seed).
    pub fn overrides(&self, point: usize) -> Vec<Override> {
        let mut out: Vec<Override> = self
            .parameters
            .iter()
            .zip(&self.points[point])
            .map(|(p, &v)| Override {
                path: p.path.clone(),
                value: if p.integer { toml::Value::Integer(v as i64) } else { toml::Value::Float(v) },
            })
            .collect();
        let meta = KeyPath::root().key("scenario");
        out.push(Override { path: meta.key("years"), value: toml::Value::Integer(self.years as i64) });
        out.push(Override { path: meta.key("replications"), value: toml::Value::Integer(self.replications as i64) });
        out
    }
}

/// Whether the scenario holds `key` as a whole number.
fn integer_key(resolved_toml: &str, key: &KeyPath) -> bool {
    match scenario::value_at(resolved_toml, key) {
        Some(v) => v.is_integer(),
        None => {
            let shown = key.to_string();
            scenario::policy_keys().iter().any(|(p, integer)| *p == shown && *integer)
        }
    }
}

fn slug(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect()
}

fn check_path(key: &KeyPath, text: &str, valid: &[String]) -> Result<(), (String, Option<String>)> {
    let shown = key.to_string();
    // A policy's keys are settable even where the base scenario does not switch it on.
    if valid.contains(&shown) || scenario::policy_paths().contains(&shown) {
        return Ok(());
    }
    let best = suggest::closest(&shown, valid.iter().map(String::as_str)).or_else(|| {
        // Long paths: compare with the paths sharing the first part.
        let head = text.split('.').next().unwrap_or("");
        valid
            .iter()
            .filter(|v| v.starts_with(head))
            .min_by_key(|v| suggest::edit_distance(&shown, v))
            .map(String::as_str)
    });
    Err((format!("no scenario key `{shown}`"), best.map(|b| format!("the closest valid path is `{b}`"))))
}

fn spec_of(p: &WireParameter) -> Result<Spec, String> {
    if let Some(values) = &p.values {
        if values.is_empty() {
            return Err("`values` is empty".into());
        }
        if values.iter().any(|v| !v.is_finite()) {
            return Err("`values` must be finite numbers".into());
        }
        return Ok(Spec::Values(values.clone()));
    }
    let steps = match p.steps {
        Some(s) if s < 2 => return Err(format!("`steps` must be at least 2, got {s}")),
        Some(s) => Some(s as u32),
        None => None,
    };
    match p.distribution.as_deref().unwrap_or("uniform") {
        "uniform" | "loguniform" => {
            let (Some(low), Some(high)) = (p.low, p.high) else {
                return Err("give `values`, or `low` and `high`".into());
            };
            Ok(if p.distribution.as_deref() == Some("loguniform") {
                Spec::LogUniform { low, high, steps }
            } else {
                Spec::Uniform { low, high, steps }
            })
        }
        "normal" => {
            let (Some(mean), Some(sd)) = (p.mean, p.sd) else {
                return Err("distribution = \"normal\" needs `mean` and `sd`".into());
            };
            Ok(Spec::Normal { mean, sd })
        }
        other => Err(format!("distribution must be \"uniform\", \"loguniform\" or \"normal\", got \"{other}\"")),
    }
}

/// Reads an external design table: a header of parameter paths, one row of values per point.
pub fn read_design_table(path: &Path) -> Result<(Vec<String>, Vec<Vec<f64>>), InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| InputError::file(path, format!("cannot read design table: {e}")))?;
    let names: Vec<String> = reader
        .headers()
        .map_err(|e| InputError::file(path, format!("cannot read the header: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    if names.is_empty() {
        return Err(InputError::file(path, "the design table has no columns"));
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| {
            let mut err = InputError::file(path, format!("{e}"));
            err.line = Some(line);
            err
        })?;
        let mut row = Vec::new();
        for (name, field) in names.iter().zip(record.iter()) {
            let v: f64 = field.parse().map_err(|_| {
                let mut err = InputError::file(path, format!("column \"{name}\": \"{field}\" is not a number"));
                err.line = Some(line);
                err
            })?;
            row.push(v);
        }
        if row.len() != names.len() {
            let mut err =
                InputError::file(path, format!("the row has {} values, the header {}", row.len(), names.len()));
            err.line = Some(line);
            return Err(err);
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(InputError::file(path, "the design table has no rows"));
    }
    Ok((names, rows))
}
