//! The report of a comparison (`arrival compare`): the scenarios side by side over time (one
//! line per scenario), the paired differences to the baseline over time, and the comparison
//! table with the differences whose 95 % interval excludes zero highlighted.
//!
//! The difference charts pair replication r of a scenario with replication r of the baseline
//! (common random numbers) in each year, from the scenarios' `city_year.csv`, and show the mean
//! paired difference with its 95 % interval.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, InputError};
use crate::report::html::{self, Cell};
use crate::report::read::{Stat, Table, YearSeries};
use crate::report::run::RunData;
use crate::report::{Line, Report, YearChart, show};

/// Metrics of the comparison table: (scope, metric, label, percent).
const TABLE: &[(&str, &str, &str, bool)] = &[
    ("final_year", "population", "population (final)", false),
    ("final_year", "foreign_share", "foreign share (final)", true),
    ("whole_run", "fluctuation", "fluctuation (mean/yr)", true),
    ("whole_run", "fluctuation_foreign", "fluctuation, foreign (mean/yr)", true),
    ("final_year", "segregation_foreign", "IS all foreign (final)", true),
    ("final_year", "employment_rate", "employment rate (final)", true),
    ("final_year", "transfer_quota", "transfer quota (final)", true),
    ("whole_run", "sisyphus", "Sisyphus index (run)", true),
    ("whole_run", "balance_after", "city balance € (run)", false),
];

/// Metrics over time: (metric, title, axis label, percent).
const OVER_TIME: &[(&str, &str, &str, bool)] = &[
    ("population", "Population", "residents (persons)", false),
    ("fluctuation", "Fluctuation", "moves per resident and year (%)", true),
    ("segregation_foreign", "Segregation of foreign citizens (IS)", "segregation index IS (%)", true),
    ("transfer_quota", "Transfer quota", "residents on transfers (%)", true),
];

/// Values of a city metric by (replication, year).
fn by_replication(t: &Table, city: &str, metric: &str) -> BTreeMap<(String, i64), f64> {
    let (c, rep, y, m) = (t.col("city"), t.col("replication"), t.col("year"), t.col(metric));
    let mut out = BTreeMap::new();
    for row in &t.rows {
        if t.text(row, c) != city {
            continue;
        }
        if let (Some(year), Some(v)) = (t.num(row, y), t.num(row, m)) {
            out.insert((t.text(row, rep).to_string(), year as i64), v);
        }
    }
    out
}

/// Mean paired difference (scenario − baseline) per year with its 95 % interval.
pub fn paired_difference(scenario: &Table, baseline: &Table, city: &str, metric: &str) -> YearSeries {
    let s = by_replication(scenario, city, metric);
    let b = by_replication(baseline, city, metric);
    let mut by_year: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for (key, v) in &s {
        if let Some(base) = b.get(key) {
            by_year.entry(key.1).or_default().push(v - base);
        }
    }
    by_year.into_iter().filter_map(|(y, d)| Stat::of(&d).map(|s| (y, s))).collect()
}

/// Builds the report of a comparison directory.
pub fn build(dir: &Path) -> Result<Report, Error> {
    let table = Table::read(dir, "comparison.csv")?;
    let (sc, bc) = (table.col("scenario"), table.col("baseline"));
    let json = crate::report::read::json(dir, "comparison.json")?;
    let mut names: Vec<String> = Vec::new();
    if let Some(b) = json["baseline"].as_str() {
        names.push(b.to_string());
        names.extend(json["scenarios"].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_string)));
    } else if let Some(row) = table.rows.first() {
        names.push(table.text(row, bc).to_string());
    }
    for row in &table.rows {
        let s = table.text(row, sc).to_string();
        if !names.contains(&s) {
            names.push(s);
        }
    }
    let Some(baseline) = names.first().cloned() else {
        return Err(InputError::file(&dir.join("comparison.csv"), "the comparison names no scenarios").into());
    };
    let mut runs = Vec::new();
    for name in &names {
        let sub = dir.join(name);
        if !sub.join("city_year.csv").is_file() {
            return Err(InputError::file(
                &sub,
                "missing the scenario's results (city_year.csv) in the comparison directory",
            )
            .into());
        }
        runs.push(RunData::load(&sub)?);
    }
    let city = runs[0].main_city();
    let mut r = Report {
        title: format!("arrival-city comparison: {}", names.join(" vs ")),
        subtitle: format!("baseline {baseline}; differences are paired by replication (common random numbers)"),
        footer: format!("Written by arrival from {}. Every chart's numbers are in report_data/.", dir.display()),
        ..Report::default()
    };

    r.section("scenarios", "Scenarios");
    let rows: Vec<Vec<Cell>> = names
        .iter()
        .zip(&runs)
        .enumerate()
        .map(|(i, (n, d))| {
            let m = &d.manifest;
            vec![
                Cell::text(if i == 0 { format!("{n} (baseline)") } else { n.clone() }),
                Cell::text(
                    d.scenario
                        .get("scenario")
                        .and_then(|s| s.get("description"))
                        .and_then(|v| v.as_str())
                        .unwrap_or(""),
                ),
                Cell::num(m["years"].to_string()),
                Cell::num(m["replications"].to_string()),
                Cell::num(m["seed"].to_string()),
            ]
        })
        .collect();
    r.html(html::table("scenarios", &["scenario", "description", "years", "replications", "seed"], &rows));
    let links: Vec<String> = names
        .iter()
        .filter(|n| dir.join(n.as_str()).join("report.html").is_file())
        .map(|n| format!("<a href=\"{0}/report.html\">{0}</a>", html::esc(n)))
        .collect();
    if !links.is_empty() {
        r.html(format!("<p>Every section of a run report, for each scenario on its own: {}.</p>", links.join(", ")));
    }
    r.html(html::para(&format!(
        "Every scenario ran with the baseline's years, seed and replications, so replication r of each scenario shares its random numbers with replication r of the baseline. Charts show {city}, the city with the most districts."
    )));

    r.section("over-time", &format!("Scenarios over time ({city})"));
    for (metric, title, axis, percent) in OVER_TIME {
        let lines: Vec<Line> = names
            .iter()
            .zip(&runs)
            .filter_map(|(n, d)| {
                d.city_series(metric).into_iter().find(|(c, _)| *c == city).map(|(_, s)| Line::new(n.clone(), s))
            })
            .collect();
        let id = format!("scenarios-{metric}");
        let title = format!("{title}, {city}");
        let caption = format!("One line per scenario: {title} by year (mean over replications, 95 % band).");
        let mut chart = YearChart::new(&id, &title, &caption, axis, lines);
        chart.y_percent = *percent;
        chart.y_zero = !*percent || *metric == "fluctuation";
        r.year_chart(chart)?;
    }

    r.section("differences", &format!("Differences to the baseline ({city})"));
    for (metric, title, axis, percent) in OVER_TIME {
        let lines: Vec<Line> = names
            .iter()
            .zip(&runs)
            .skip(1)
            .enumerate()
            .map(|(i, (n, d))| {
                let s = paired_difference(&d.city, &runs[0].city, &city, metric);
                Line {
                    colour: Some(crate::report::charts::colour(i + 1)), ..Line::new(format!("{n} − {baseline}"), s)
                }
            })
            .collect();
        let id = format!("difference-{metric}");
        let title = format!("{title}: scenario − baseline");
        let caption = format!(
            "Above zero the scenario has more than {baseline}; the band is the 95 % interval of the paired difference per year — where it does not include zero the effect is larger than the noise."
        );
        let axis = format!("difference, {}", axis.replace(" (%)", " (percentage points)"));
        let mut chart = YearChart::new(&id, &title, &caption, &axis, lines);
        chart.y_percent = *percent;
        chart.y_zero = true;
        r.year_chart(chart)?;
    }

    r.section("table", "Comparison table");
    let cols: Vec<Option<usize>> = [
        "scenario",
        "scope",
        "city",
        "group",
        "metric",
        "n",
        "baseline_mean",
        "scenario_mean",
        "difference",
        "ci_low",
        "ci_high",
        "excludes_zero",
    ]
    .iter()
    .map(|c| table.col(c))
    .collect();
    let mut rows = Vec::new();
    for name in names.iter().skip(1) {
        for c in runs[0].cities() {
            for (scope, metric, label, percent) in TABLE {
                let Some(row) = table.rows.iter().find(|row| {
                    table.text(row, cols[0]) == name
                        && table.text(row, cols[1]) == *scope
                        && table.text(row, cols[2]) == c
                        && table.text(row, cols[3]).is_empty()
                        && table.text(row, cols[4]) == *metric
                }) else {
                    continue;
                };
                let f = |i: usize| table.num(row, cols[i]);
                let sig = table.text(row, cols[11]) == "true";
                let ci = match (f(9), f(10)) {
                    (Some(lo), Some(hi)) => format!("[{}, {}]", show(Some(lo), *percent), show(Some(hi), *percent)),
                    _ => "–".into(),
                };
                rows.push(vec![
                    Cell::text(name.clone()),
                    Cell::text(c.clone()),
                    Cell::text(*label),
                    Cell::num(show(f(6), *percent)),
                    Cell::num(show(f(7), *percent)),
                    Cell::num(show(f(8), *percent)).highlighted(sig),
                    Cell::num(ci),
                    Cell::text(if sig { "yes" } else { "no" }),
                ]);
            }
        }
    }
    r.html(html::para(&format!(
        "Key metrics per city, scenario against {baseline}: means over replications and the 95 % interval of the paired difference. Highlighted rows: the interval excludes zero. All rows are in comparison.csv."
    )));
    r.html(html::table(
        "comparison",
        &["scenario", "city", "metric", "baseline", "scenario", "difference", "95 % CI of difference", "excludes 0"],
        &rows,
    ));
    Ok(r)
}
