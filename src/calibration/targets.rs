//! Targets: published figures a scenario should reproduce, and how to read the same figure off
//! a simulation.
//!
//! ```toml
//! [[target]]
//! name = "fluctuation, non-Germans"
//! table = "city_year"              # city_year | group_year | district_year | cohort_year | region_year
//! metric = "fluctuation_foreign"   # a column of that table
//! city = "Offenbach am Main"
//! years = [2016, 2017]             # first and last year; the simulated value is the mean over them
//! observed = 0.18
//! tolerance = 0.015                # |simulated − observed| ≤ tolerance counts as reproduced
//! weight = 1.0                     # weight in the calibration objective
//! source = "Schulze-Böing (2018)"
//! use = "calibration"              # or "validation" (reported, never fitted)
//! ```
//!
//! Filters: `city` (city, group and district tables), `group` or `groups` (group_year,
//! cohort_year; several groups are pooled), `district` (district_year), `years_since_arrival`
//! (cohort_year, a [first, last] range). For cohort rates (`employment_rate`, `move_rate`) the
//! value pooled over groups, years since arrival and years is the ratio of the summed counts;
//! every other metric is the mean of the matching rows.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::InputError;
use crate::output::rows::YearRows;
use crate::scenario::{self, KeyPath, Scenario, suggest};

/// `[[target]]` as written.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WireTarget {
    pub name: Option<String>,
    pub table: Option<String>,
    pub metric: Option<String>,
    pub city: Option<String>,
    pub group: Option<String>,
    pub groups: Option<Vec<String>>,
    pub district: Option<String>,
    pub years: Option<Vec<i64>>,
    pub years_since_arrival: Option<Vec<i64>>,
    pub observed: Option<f64>,
    pub tolerance: Option<f64>,
    pub weight: Option<f64>,
    pub source: Option<String>,
    #[serde(rename = "use")]
    pub use_: Option<String>,
}

/// A targets file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WireTargets {
    pub target: Option<Vec<WireTarget>>,
}

/// A checked target.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub name: String,
    pub table: String,
    pub metric: String,
    pub city: Option<String>,
    pub groups: Vec<String>,
    pub district: Option<String>,
    pub years: (i32, i32),
    pub years_since_arrival: Option<(u32, u32)>,
    pub observed: f64,
    pub tolerance: f64,
    pub weight: f64,
    pub source: String,
    /// Fitted by `arrival calibrate` (else only reported).
    pub calibrate: bool,
}

const TABLES: &[&str] = &["city_year", "group_year", "district_year", "cohort_year", "region_year"];

/// Reads and checks a targets file against a scenario (its cities, groups, districts and years).
pub fn read(path: &Path, s: &Scenario) -> Result<Vec<Target>, InputError> {
    let (wire, file): (WireTargets, _) = scenario::source::read_typed(path)?;
    let root = KeyPath::root().key("target");
    let entries = wire.target.unwrap_or_default();
    if entries.is_empty() {
        return Err(file.locate(&KeyPath::root(), "the file has no [[target]]", None));
    }
    let first_year = s.meta.start_year;
    let last_year = s.meta.start_year + s.meta.years as i32 - 1;
    let mut out = Vec::new();
    for (i, w) in entries.iter().enumerate() {
        let at = root.index(i);
        let err = |key: &str, rule: String, hint: Option<String>| file.locate(&at.key(key), rule, hint);
        let table = w.table.clone().unwrap_or_else(|| "city_year".into());
        if !TABLES.contains(&table.as_str()) {
            let hint = suggest::closest(&table, TABLES.iter().copied()).map(|b| format!("did you mean \"{b}\"?"));
            return Err(err("table", format!("unknown table \"{table}\"; use one of {}", TABLES.join(", ")), hint));
        }
        let metric =
            w.metric.clone().ok_or_else(|| err("metric", "a target needs a `metric` (a column)".into(), None))?;
        let known = columns(&table);
        if !known.contains(&metric) {
            let hint =
                suggest::closest(&metric, known.iter().map(String::as_str)).map(|b| format!("did you mean \"{b}\"?"));
            return Err(err("metric", format!("{table}.csv has no column \"{metric}\""), hint));
        }
        let cities: Vec<&str> = s.cities.iter().map(|c| c.name.as_str()).collect();
        if let Some(c) = &w.city
            && !cities.contains(&c.as_str())
        {
            let hint = suggest::closest(c, cities.iter().copied()).map(|b| format!("did you mean \"{b}\"?"));
            return Err(err("city", format!("no city named \"{c}\""), hint));
        }
        let mut groups: Vec<String> = w.groups.clone().unwrap_or_default();
        groups.extend(w.group.clone());
        let known_groups: Vec<&str> = s.groups.iter().map(|g| g.name.as_str()).collect();
        for g in &groups {
            if !known_groups.contains(&g.as_str()) {
                let hint = suggest::closest(g, known_groups.iter().copied()).map(|b| format!("did you mean \"{b}\"?"));
                return Err(err("group", format!("no group named \"{g}\""), hint));
            }
        }
        if let Some(d) = &w.district
            && s.district_id(d).is_none()
        {
            let names: Vec<&str> = s.districts.iter().map(|d| d.name.as_str()).collect();
            let hint = suggest::closest(d, names.iter().copied()).map(|b| format!("did you mean \"{b}\"?"));
            return Err(err("district", format!("no district named \"{d}\""), hint));
        }
        let years = match w.years.as_deref() {
            None => (first_year, first_year),
            Some([y]) => (*y as i32, *y as i32),
            Some([a, b]) if a <= b => (*a as i32, *b as i32),
            Some(_) => return Err(err("years", "years must be [year] or [first, last]".into(), None)),
        };
        if years.0 < first_year || years.1 > last_year {
            return Err(err(
                "years",
                format!("years {}–{} lie outside the simulated years {first_year}–{last_year}", years.0, years.1),
                Some("run more years (--years) or change the target".into()),
            ));
        }
        let years_since_arrival = match w.years_since_arrival.as_deref() {
            None => None,
            Some([y]) if *y >= 0 => Some((*y as u32, *y as u32)),
            Some([a, b]) if 0 <= *a && a <= b => Some((*a as u32, *b as u32)),
            Some(_) => return Err(err("years_since_arrival", "must be [n] or [first, last], ≥ 0".into(), None)),
        };
        let observed = w
            .observed
            .filter(|x| x.is_finite())
            .ok_or_else(|| err("observed", "a target needs a finite `observed` value".into(), None))?;
        let tolerance = w.tolerance.unwrap_or(0.0);
        if !tolerance.is_finite() || tolerance <= 0.0 {
            return Err(err("tolerance", format!("must be a number > 0, got {tolerance}"), None));
        }
        let weight = w.weight.unwrap_or(1.0);
        if !weight.is_finite() || weight < 0.0 {
            return Err(err("weight", format!("must be a number ≥ 0, got {weight}"), None));
        }
        let calibrate = match w.use_.as_deref().unwrap_or("calibration") {
            "calibration" => true,
            "validation" => false,
            other => {
                return Err(err("use", format!("must be \"calibration\" or \"validation\", got \"{other}\""), None));
            }
        };
        out.push(Target {
            name: w.name.clone().unwrap_or_else(|| metric.clone()),
            table,
            metric,
            city: w.city.clone(),
            groups,
            district: w.district.clone(),
            years,
            years_since_arrival,
            observed,
            tolerance,
            weight,
            source: w.source.clone().unwrap_or_default(),
            calibrate,
        });
    }
    Ok(out)
}

/// The columns of a result table.
pub fn columns(table: &str) -> Vec<String> {
    use crate::output::rows::{CityRow, CohortRow, DistrictRow, GroupRow, RegionRow};
    fn names<T: Serialize + Default>() -> Vec<String> {
        match serde_json::to_value(T::default()) {
            Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }
    match table {
        "city_year" => names::<CityRow>(),
        "group_year" => names::<GroupRow>(),
        "district_year" => names::<DistrictRow>(),
        "cohort_year" => names::<CohortRow>(),
        "region_year" => names::<RegionRow>(),
        _ => Vec::new(),
    }
}

fn field(row: &serde_json::Value, key: &str) -> Option<f64> {
    row.get(key).and_then(|v| v.as_f64())
}

fn text<'a>(row: &'a serde_json::Value, key: &str) -> &'a str {
    row.get(key).and_then(|v| v.as_str()).unwrap_or("")
}

/// The simulated value of a target in one replication (`None` when no row matches or the
/// metric is undefined in all of them).
pub fn value(t: &Target, years: &[YearRows]) -> Option<f64> {
    let mut sum = 0.0;
    let mut n = 0usize;
    let (mut num, mut den) = (0u64, 0u64);
    let pooled_rate = t.table == "cohort_year" && (t.metric == "employment_rate" || t.metric == "move_rate");
    for y in years {
        let rows: Vec<serde_json::Value> = match t.table.as_str() {
            "city_year" => y.cities.iter().map(to_json).collect(),
            "group_year" => y.groups.iter().map(to_json).collect(),
            "district_year" => y.districts.iter().map(to_json).collect(),
            "cohort_year" => y.cohorts.iter().map(to_json).collect(),
            _ => y.region.iter().map(to_json).collect(),
        };
        for r in &rows {
            let year = field(r, "year").unwrap_or(0.0) as i32;
            if year < t.years.0 || year > t.years.1 {
                continue;
            }
            if let Some(c) = &t.city
                && r.get("city").is_some()
                && text(r, "city") != c
            {
                continue;
            }
            if !t.groups.is_empty() && !t.groups.iter().any(|g| g == text(r, "group")) {
                continue;
            }
            if let Some(d) = &t.district
                && text(r, "district") != d
            {
                continue;
            }
            if let Some((lo, hi)) = t.years_since_arrival {
                let ysa = field(r, "years_since_arrival").unwrap_or(-1.0);
                if ysa < lo as f64 || ysa > hi as f64 {
                    continue;
                }
            }
            if pooled_rate {
                let (a, b) = if t.metric == "employment_rate" { ("employed", "persons") } else { ("moved", "persons") };
                num += field(r, a).unwrap_or(0.0) as u64;
                den += field(r, b).unwrap_or(0.0) as u64;
            } else if let Some(v) = field(r, &t.metric) {
                sum += v;
                n += 1;
            }
        }
    }
    if pooled_rate { (den > 0).then(|| num as f64 / den as f64) } else { (n > 0).then(|| sum / n as f64) }
}

fn to_json<T: Serialize>(row: &T) -> serde_json::Value {
    serde_json::to_value(row).expect("rows serialise")
}
