//! Loading the tables of a result directory for the report.
//!
//! Every table is read as text columns by header name; numbers are parsed where they are used,
//! and empty cells (undefined values) stay `None`. The helpers group rows by keys and summarise
//! the values of the replications as mean and 95 % interval with
//! [`describe`](crate::output::summary::describe), so the report uses exactly the statistics of
//! `summary.csv`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, InputError};
use crate::output::summary::describe;

/// A CSV table as text.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Reads `dir/name`; a missing or malformed file is an input error.
    pub fn read(dir: &Path, name: &str) -> Result<Table, Error> {
        let path = dir.join(name);
        let mut reader = csv::Reader::from_path(&path)
            .map_err(|e| InputError::file(&path, format!("cannot read the table: {e}")))?;
        let headers = reader
            .headers()
            .map_err(|e| InputError::file(&path, format!("cannot read the header: {e}")))?
            .iter()
            .map(str::to_string)
            .collect();
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| InputError::file(&path, format!("malformed row: {e}")))?;
            rows.push(record.iter().map(str::to_string).collect());
        }
        Ok(Table { headers, rows })
    }

    /// Reads `dir/name` if it exists.
    pub fn read_optional(dir: &Path, name: &str) -> Result<Option<Table>, Error> {
        if dir.join(name).is_file() { Table::read(dir, name).map(Some) } else { Ok(None) }
    }

    /// The index of a column.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// The text of a cell ("" for a missing column).
    pub fn text<'a>(&'a self, row: &'a [String], col: Option<usize>) -> &'a str {
        col.and_then(|c| row.get(c)).map(String::as_str).unwrap_or("")
    }

    /// A cell as a number (`None` if empty or not a number).
    pub fn num(&self, row: &[String], col: Option<usize>) -> Option<f64> {
        col.and_then(|c| row.get(c)).and_then(|s| s.parse::<f64>().ok()).filter(|v| v.is_finite())
    }

    /// The distinct values of a column in order of first appearance.
    pub fn distinct(&self, name: &str) -> Vec<String> {
        let c = self.col(name);
        let mut out: Vec<String> = Vec::new();
        for row in &self.rows {
            let v = self.text(row, c);
            if !out.iter().any(|o| o == v) {
                out.push(v.to_string());
            }
        }
        out
    }

    /// Values of `metric` by (key, year) over replications, for rows where `filter` holds;
    /// `key` is the text of column `key_col`.
    pub fn by_key_year(
        &self,
        key_col: &str,
        metric: &str,
        filter: impl Fn(&Table, &[String]) -> bool,
    ) -> BTreeMap<(String, i64), Vec<f64>> {
        let (k, y, m) = (self.col(key_col), self.col("year"), self.col(metric));
        let mut out: BTreeMap<(String, i64), Vec<f64>> = BTreeMap::new();
        for row in &self.rows {
            if !filter(self, row) {
                continue;
            }
            let (Some(year), Some(v)) = (self.num(row, y), self.num(row, m)) else { continue };
            out.entry((self.text(row, k).to_string(), year as i64)).or_default().push(v);
        }
        out
    }

    /// The last year in the table.
    pub fn last_year(&self) -> Option<i64> {
        let y = self.col("year");
        self.rows.iter().filter_map(|r| self.num(r, y)).map(|v| v as i64).max()
    }
}

/// Mean and 95 % interval of replicated values (interval only with two or more).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stat {
    pub mean: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub n: usize,
}

impl Stat {
    pub fn of(values: &[f64]) -> Option<Stat> {
        let (mean, _, low, high) = describe(values);
        mean.map(|mean| Stat { mean, low, high, n: values.len() })
    }
}

/// A series over years: (year, statistic).
pub type YearSeries = Vec<(i64, Stat)>;

/// Turns values by (key, year) into one series per key, keys in the order given.
pub fn series_by_key(values: &BTreeMap<(String, i64), Vec<f64>>, keys: &[String]) -> Vec<(String, YearSeries)> {
    keys.iter()
        .map(|key| {
            let s: YearSeries = values
                .iter()
                .filter(|((k, _), _)| k == key)
                .filter_map(|((_, year), v)| Stat::of(v).map(|s| (*year, s)))
                .collect();
            (key.clone(), s)
        })
        .filter(|(_, s)| !s.is_empty())
        .collect()
}

/// The resolved scenario as a TOML table (empty if absent).
pub fn scenario_toml(dir: &Path) -> Result<toml::Table, Error> {
    let path = dir.join("scenario.resolved.toml");
    if !path.is_file() {
        return Ok(toml::Table::new());
    }
    let text = std::fs::read_to_string(&path).map_err(|e| InputError::file(&path, format!("cannot read: {e}")))?;
    toml::from_str(&text).map_err(|e| InputError::file(&path, format!("not a valid scenario: {e}")).into())
}

/// A JSON file as a value (`Null` if absent).
pub fn json(dir: &Path, name: &str) -> Result<serde_json::Value, Error> {
    let path = dir.join(name);
    if !path.is_file() {
        return Ok(serde_json::Value::Null);
    }
    let text = std::fs::read_to_string(&path).map_err(|e| InputError::file(&path, format!("cannot read: {e}")))?;
    serde_json::from_str(&text).map_err(|e| InputError::file(&path, format!("not valid JSON: {e}")).into())
}

/// Names of the `[[kind]]` entries of a scenario where `pred` holds.
pub fn entries(scenario: &toml::Table, kind: &str, pred: impl Fn(&toml::Table) -> bool) -> Vec<String> {
    scenario
        .get(kind)
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|e| e.as_table())
                .filter(|t| pred(t))
                .filter_map(|t| t.get("name").and_then(|n| n.as_str()).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a boolean key of a scenario entry is true.
pub fn flag(t: &toml::Table, key: &str) -> bool {
    t.get(key).and_then(|v| v.as_bool()).unwrap_or(false)
}
