//! The report of one run: what was simulated, population and shares, fluctuation and
//! segregation per group, the district table, the Sisyphus index and the flow matrix, city
//! balances, employment by years since arrival against the IAB figures, a calibration table
//! (when `validation.csv` exists) and a schematic tile map of the districts.
//!
//! The "main city" of group charts is the city with the most districts. Values are means over
//! replications with 95 % intervals (bands) when there are two or more.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::Error;
use crate::report::charts::{self, BarGroup, Bars, Heat, Style, Tiles};
use crate::report::html::{self, Cell, Figure, LegendItem};
use crate::report::read::{self, Stat, Table, YearSeries, series_by_key};
use crate::report::{Line, Report, YearChart, csv_text, num, show};

/// IAB: employment rate of refugees by years since arrival (TARGETS.md row 21; 7 years: 62–63 %).
pub const IAB_EMPLOYMENT: &[(i64, f64, f64, f64)] = &[
    (1, 0.07, 0.07, 0.07),
    (5, 0.49, 0.49, 0.49),
    (6, 0.54, 0.54, 0.54),
    (7, 0.625, 0.62, 0.63),
    (8, 0.68, 0.68, 0.68),
];

/// The tables of a run directory.
pub struct RunData {
    pub city: Table,
    pub district: Table,
    pub group: Table,
    pub cohort: Option<Table>,
    pub flows: Option<Table>,
    pub scenario: toml::Table,
    pub manifest: serde_json::Value,
}

impl RunData {
    pub fn load(dir: &Path) -> Result<RunData, Error> {
        Ok(RunData {
            city: Table::read(dir, "city_year.csv")?,
            district: Table::read(dir, "district_year.csv")?,
            group: Table::read(dir, "group_year.csv")?,
            cohort: Table::read_optional(dir, "cohort_year.csv")?,
            flows: Table::read_optional(dir, "flows.csv")?,
            scenario: read::scenario_toml(dir)?,
            manifest: read::json(dir, "manifest.json")?,
        })
    }

    /// Cities in order.
    pub fn cities(&self) -> Vec<String> {
        self.city.distinct("city")
    }

    /// The city with the most districts (the first of equals).
    pub fn main_city(&self) -> String {
        let c = self.district.col("city");
        let d = self.district.col("district");
        let mut counts: Vec<(String, Vec<String>)> = Vec::new();
        for row in &self.district.rows {
            let (city, district) = (self.district.text(row, c), self.district.text(row, d));
            match counts.iter_mut().find(|(k, _)| k == city) {
                Some((_, ds)) => {
                    if !ds.iter().any(|x| x == district) {
                        ds.push(district.to_string())
                    }
                }
                None => counts.push((city.to_string(), vec![district.to_string()])),
            }
        }
        let mut best: Option<(String, usize)> = None;
        for (city, ds) in counts {
            if best.as_ref().is_none_or(|(_, n)| ds.len() > *n) {
                best = Some((city, ds.len()));
            }
        }
        best.map(|b| b.0).or_else(|| self.cities().first().cloned()).unwrap_or_default()
    }

    /// Names of the groups with `native = true` in the scenario.
    pub fn natives(&self) -> Vec<String> {
        read::entries(&self.scenario, "group", |t| read::flag(t, "native"))
    }

    /// Names of the groups with `refugee = true` in the scenario.
    pub fn refugees(&self) -> Vec<String> {
        read::entries(&self.scenario, "group", |t| read::flag(t, "refugee"))
    }

    /// A city metric per city over years.
    pub fn city_series(&self, metric: &str) -> Vec<(String, YearSeries)> {
        let values = self.city.by_key_year("city", metric, |_, _| true);
        series_by_key(&values, &self.cities())
    }

    /// A group metric per group over years, in one city.
    pub fn group_series(&self, city: &str, metric: &str, groups: &[String]) -> Vec<(String, YearSeries)> {
        let c = self.group.col("city");
        let values = self.group.by_key_year("group", metric, |t, r| t.text(r, c) == city);
        series_by_key(&values, groups)
    }

    /// The non-native groups of a city, largest (final-year population) first, at most `max`.
    pub fn main_groups(&self, city: &str, max: usize) -> Vec<String> {
        let natives = self.natives();
        let last = self.group.last_year();
        let (c, y, g, p) =
            (self.group.col("city"), self.group.col("year"), self.group.col("group"), self.group.col("population"));
        let mut size: Vec<(String, f64)> = Vec::new();
        for row in &self.group.rows {
            if self.group.text(row, c) != city || self.group.num(row, y).map(|v| v as i64) != last {
                continue;
            }
            let name = self.group.text(row, g);
            if natives.iter().any(|n| n == name) {
                continue;
            }
            let pop = self.group.num(row, p).unwrap_or(0.0);
            match size.iter_mut().find(|(k, _)| k == name) {
                Some((_, s)) => *s += pop,
                None => size.push((name.to_string(), pop)),
            }
        }
        let mut sorted = size.clone();
        sorted.sort_by(|a, b| b.1.total_cmp(&a.1));
        let keep: Vec<String> = sorted.into_iter().take(max).map(|s| s.0).collect();
        size.into_iter().map(|s| s.0).filter(|n| keep.contains(n)).collect()
    }

    /// District metric in the final year: (district, city, stat) in reading order.
    pub fn district_final(&self, metric: &str) -> Vec<(String, String, Option<Stat>)> {
        let last = self.district.last_year();
        let (d, c, y, m) = (
            self.district.col("district"),
            self.district.col("city"),
            self.district.col("year"),
            self.district.col(metric),
        );
        let mut out: Vec<(String, String, Vec<f64>)> = Vec::new();
        for row in &self.district.rows {
            let name = self.district.text(row, d);
            let idx = match out.iter().position(|(k, _, _)| k == name) {
                Some(i) => i,
                None => {
                    out.push((name.to_string(), self.district.text(row, c).to_string(), Vec::new()));
                    out.len() - 1
                }
            };
            if self.district.num(row, y).map(|v| v as i64) != last {
                continue;
            }
            if let Some(v) = self.district.num(row, m) {
                out[idx].2.push(v);
            }
        }
        out.into_iter().map(|(d, c, v)| (d, c, Stat::of(&v))).collect()
    }
}

/// Builds the report of a run directory.
pub fn build(dir: &Path) -> Result<Report, Error> {
    let data = RunData::load(dir)?;
    let mut r = Report::default();
    let name = data.manifest["scenario"]
        .as_str()
        .map(str::to_string)
        .or_else(|| {
            data.scenario.get("scenario").and_then(|s| s.get("name")).and_then(|n| n.as_str()).map(str::to_string)
        })
        .unwrap_or_else(|| dir.display().to_string());
    r.title = format!("arrival-city report: {name}");
    r.subtitle = description(&data.scenario);
    r.footer = format!(
        "Written by arrival {} from {}. Every chart's numbers are in report_data/.",
        data.manifest["version"].as_str().unwrap_or("?"),
        dir.display()
    );
    summary_section(&mut r, &data, &name);
    population_section(&mut r, &data)?;
    groups_section(&mut r, &data)?;
    districts_section(&mut r, &data)?;
    money_section(&mut r, &data)?;
    employment_section(&mut r, &data)?;
    validation_section(&mut r, dir)?;
    tiles_section(&mut r, &data, dir)?;
    Ok(r)
}

fn description(scenario: &toml::Table) -> String {
    scenario.get("scenario").and_then(|s| s.get("description")).and_then(|d| d.as_str()).unwrap_or("").to_string()
}

fn summary_section(r: &mut Report, data: &RunData, name: &str) {
    r.section("summary", "Scenario");
    let m = &data.manifest;
    let meta = data.scenario.get("scenario");
    let get = |k: &str| -> String {
        m.get(k)
            .filter(|v| !v.is_null())
            .map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))
            .or_else(|| {
                meta.and_then(|t| t.get(k)).map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))
            })
            .unwrap_or_else(|| "–".into())
    };
    let districts = data.district.distinct("district").len();
    let groups = read::entries(&data.scenario, "group", |_| true);
    let refugees = data.refugees();
    let groups_text = groups
        .iter()
        .map(|g| if refugees.contains(g) { format!("{g} (refugee)") } else { g.clone() })
        .collect::<Vec<_>>()
        .join(", ");
    let wall = m["wall_seconds"].as_f64().map(|s| format!("{s:.2} s")).unwrap_or_else(|| "–".into());
    let years = match (get("start_year").parse::<i64>(), get("years").parse::<i64>()) {
        (Ok(s), Ok(y)) => format!("{y} ({s}–{})", s + y - 1),
        _ => get("years"),
    };
    let pairs = [
        ("scenario", name.to_string()),
        ("description", description(&data.scenario)),
        ("years", years),
        ("replications", get("replications")),
        ("seed", get("seed")),
        ("cities", data.cities().join(", ")),
        ("districts", districts.to_string()),
        ("groups", groups_text),
        ("version", get("version")),
        ("command", crate::report::command_line(m)),
        ("wall time", wall),
        ("scenario SHA-256", get("scenario_sha256")),
    ];
    r.html(html::facts(&pairs));
}

fn population_section(r: &mut Report, data: &RunData) -> Result<(), Error> {
    r.section("population", "Population and shares");
    let lines = data.city_series("population").into_iter().map(|(c, s)| Line::new(c, s)).collect();
    let mut chart = YearChart::new(
        "population",
        "Population per city",
        "Each line is a city's population at the end of the year (mean over replications; the band is the 95 % interval).",
        "residents (persons)",
        lines,
    );
    chart.y_zero = true;
    r.year_chart(chart)?;
    let mut lines = Vec::new();
    for (i, ((city, foreign), (_, mb))) in
        data.city_series("foreign_share").into_iter().zip(data.city_series("migration_background_share")).enumerate()
    {
        let colour = Some(charts::colour(i));
        lines.push(Line { colour, ..Line::new(format!("{city}: foreign citizens"), foreign) });
        lines.push(Line { colour, style: Style::Thin, ..Line::new(format!("{city}: migration background"), mb) });
    }
    let mut chart = YearChart::new(
        "shares",
        "Foreign and migration-background shares",
        "Solid lines: share of residents without German citizenship; dashed: share with a migration background (any non-native origin group), per city.",
        "share of residents (%)",
        lines,
    );
    chart.y_percent = true;
    chart.y_zero = true;
    r.year_chart(chart)
}

fn groups_section(r: &mut Report, data: &RunData) -> Result<(), Error> {
    let city = data.main_city();
    r.section("groups", &format!("Turnover and segregation by origin group ({city})"));
    let groups = data.main_groups(&city, 6);
    let mut lines: Vec<Line> =
        data.group_series(&city, "fluctuation", &groups).into_iter().map(|(g, s)| Line::new(g, s)).collect();
    if let Some((_, all)) = data.city_series("fluctuation").into_iter().find(|(c, _)| *c == city) {
        lines.push(Line { colour: Some(charts::colour(6)), ..Line::new("all residents", all) });
    }
    let caption = format!(
        "Fluctuation = moves across the borders of {city}'s districts per resident and year, by origin group (mean over replications, 95 % band); the grey line is the whole city."
    );
    let title = format!("Fluctuation per group, {city}");
    let mut chart = YearChart::new("fluctuation", &title, &caption, "moves per resident and year (%)", lines);
    chart.y_percent = true;
    chart.y_zero = true;
    r.year_chart(chart)?;

    let seg = data.group_series(&city, "segregation_index", &groups);
    let floor = data.group_series(&city, "noise_floor", &groups);
    let mut lines = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        let colour = Some(charts::colour(i));
        if let Some((_, s)) = seg.iter().find(|(k, _)| k == g) {
            lines.push(Line { colour, ..Line::new(g.clone(), s.clone()) });
        }
        if let Some((_, s)) = floor.iter().find(|(k, _)| k == g) {
            let s: YearSeries = s.iter().map(|(y, st)| (*y, Stat { low: None, high: None, ..*st })).collect();
            lines.push(Line {
                colour,
                style: Style::Thin,
                in_legend: false,
                ..Line::new(format!("{g} noise floor"), s)
            });
        }
    }
    let caption = format!(
        "Segregation index (IS: the share of a group that would have to move for an even spread over {city}'s districts) per group; the dashed line in the same colour is the value random placement alone would give (noise floor), so only the distance above it is segregation."
    );
    let title = format!("Segregation index per group, {city}");
    let mut chart = YearChart::new("segregation", &title, &caption, "segregation index IS (%)", lines);
    chart.extra_legend.push(LegendItem { label: "noise floor".into(), colour: "#555555".into(), style: Style::Thin });
    chart.y_percent = true;
    chart.y_zero = true;
    r.year_chart(chart)
}

fn districts_section(r: &mut Report, data: &RunData) -> Result<(), Error> {
    let year = data.district.last_year().map(|y| y.to_string()).unwrap_or_default();
    r.section("districts", &format!("Districts in {year}"));
    let metrics = [
        ("population", false),
        ("foreign_share", true),
        ("fluctuation", true),
        ("transfer_quota", true),
        ("sisyphus", false),
    ];
    let columns: Vec<Vec<(String, String, Option<Stat>)>> =
        metrics.iter().map(|(m, _)| data.district_final(m)).collect();
    let mut rows = Vec::new();
    let mut csv_rows = Vec::new();
    for (i, (district, city, _)) in columns[0].iter().enumerate() {
        let mut row = vec![Cell::text(district.clone()), Cell::text(city.clone())];
        let mut csv_row = vec![district.clone(), city.clone()];
        for (k, (_, percent)) in metrics.iter().enumerate() {
            let v = columns[k].get(i).and_then(|c| c.2).map(|s| s.mean);
            row.push(Cell::num(show(v, *percent)));
            csv_row.push(num(v));
        }
        rows.push(row);
        csv_rows.push(csv_row);
    }
    r.html(html::para(&format!(
        "Final year ({year}), means over replications, districts in the scenario's order. Fluctuation counts moves across the district's border per resident; the transfer quota is the share of residents on transfers; the Sisyphus index is the share of the district's integration investment whose returns were realised elsewhere (cumulated over the run)."
    )));
    r.html(html::table(
        "districts",
        &["district", "city", "population", "foreign share", "fluctuation", "transfer quota", "Sisyphus index"],
        &rows,
    ));
    r.data.push((
        "districts".into(),
        csv_text(
            &["district", "city", "population", "foreign_share", "fluctuation", "transfer_quota", "sisyphus"],
            &csv_rows,
        ),
    ));
    Ok(())
}

fn money_section(r: &mut Report, data: &RunData) -> Result<(), Error> {
    r.section("money", "Who pays and who gains");
    // Sisyphus per district
    let sis = data.district_final("sisyphus");
    let bars = Bars {
        x_label: "Sisyphus index (share of returns realised elsewhere, %)".into(),
        categories: sis.iter().map(|(d, _, _)| d.clone()).collect(),
        groups: vec![BarGroup {
            label: "Sisyphus index".into(),
            colour: charts::colour(0),
            values: sis.iter().map(|(_, _, s)| s.map(|s| (s.mean, s.low.zip(s.high)))).collect(),
        }],
        x_percent: true,
    };
    let title = "Sisyphus index per district";
    let svg = charts::bars(&bars, title, 600)?;
    let rows: Vec<Vec<String>> = sis
        .iter()
        .map(|(d, c, s)| {
            vec![d.clone(), c.clone(), num(s.map(|s| s.mean)), num(s.and_then(|s| s.low)), num(s.and_then(|s| s.high))]
        })
        .collect();
    r.figure(
        Figure {
            id: "sisyphus".into(),
            title: title.into(),
            caption: "A longer bar means more of the district's integration investment pays off somewhere else (other districts, cities, the rest of the country or abroad), cumulated to the final year; whiskers are 95 % intervals.".into(),
            svg,
            legend: Vec::new(),
            wide: false,
        },
        csv_text(&["district", "city", "mean", "ci_low", "ci_high"], &rows),
    );
    balance_chart(r, data)?;
    flow_matrix(r, data)
}

fn balance_chart(r: &mut Report, data: &RunData) -> Result<(), Error> {
    let cities = data.cities();
    let (c, rep) = (data.city.col("city"), data.city.col("replication"));
    let mut groups = Vec::new();
    let mut csv_rows = Vec::new();
    for (k, (metric, label)) in
        [("balance_before", "before equalisation"), ("balance_after", "after equalisation")].iter().enumerate()
    {
        let m = data.city.col(metric);
        let mut sums: BTreeMap<(String, String), f64> = BTreeMap::new();
        for row in &data.city.rows {
            if let Some(v) = data.city.num(row, m) {
                *sums.entry((data.city.text(row, c).to_string(), data.city.text(row, rep).to_string())).or_default() +=
                    v;
            }
        }
        let mut values = Vec::new();
        for city in &cities {
            let v: Vec<f64> = sums.iter().filter(|((k, _), _)| k == city).map(|(_, v)| *v).collect();
            let s = Stat::of(&v);
            csv_rows.push(vec![
                city.clone(),
                metric.to_string(),
                num(s.map(|s| s.mean)),
                num(s.and_then(|s| s.low)),
                num(s.and_then(|s| s.high)),
            ]);
            values.push(s.map(|s| (s.mean, s.low.zip(s.high))));
        }
        groups.push(BarGroup { label: label.to_string(), colour: charts::colour(k), values });
    }
    let bars =
        Bars { x_label: "balance summed over the run (€)".into(), categories: cities, groups, x_percent: false };
    let title = "City balances before and after equalisation";
    let svg = charts::bars(&bars, title, 600)?;
    let legend = bars
        .groups
        .iter()
        .map(|g| LegendItem { label: g.label.clone(), colour: charts::hex(g.colour), style: Style::Solid })
        .collect();
    r.figure(
        Figure {
            id: "balances".into(),
            title: title.into(),
            caption: "Each city's budget balance of integration (returns minus costs) summed over all years, before and after fiscal equalisation; bars left of zero are net costs, whiskers 95 % intervals.".into(),
            svg,
            legend,
            wide: false,
        },
        csv_text(&["city", "metric", "mean", "ci_low", "ci_high"], &csv_rows),
    );
    Ok(())
}

fn flow_matrix(r: &mut Report, data: &RunData) -> Result<(), Error> {
    let Some(flows) = &data.flows else { return Ok(()) };
    let (inv, real, amount, rep) =
        (flows.col("investor"), flows.col("realised_in"), flows.col("amount"), flows.col("replication"));
    let n_rep = flows.distinct("replication").len().max(1) as f64;
    let investors = data.district.distinct("district");
    let mut places = investors.clone();
    for p in flows.distinct("realised_in") {
        if !places.contains(&p) {
            places.push(p);
        }
    }
    let _ = rep;
    let mut sums: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for row in &flows.rows {
        let (Some(i), Some(j)) = (
            investors.iter().position(|d| d == flows.text(row, inv)),
            places.iter().position(|p| p == flows.text(row, real)),
        ) else {
            continue;
        };
        *sums.entry((i, j)).or_default() += flows.num(row, amount).unwrap_or(0.0) / n_rep;
    }
    let mut values = vec![vec![None; places.len()]; investors.len()];
    let mut csv_rows = Vec::new();
    for (i, investor) in investors.iter().enumerate() {
        let total: f64 = (0..places.len()).map(|j| sums.get(&(i, j)).copied().unwrap_or(0.0)).sum();
        for (j, place) in places.iter().enumerate() {
            let v = sums.get(&(i, j)).copied().unwrap_or(0.0);
            let share = if total > 0.0 { Some(v / total) } else { None };
            values[i][j] = share;
            csv_rows.push(vec![investor.clone(), place.clone(), num(Some(v)), num(share)]);
        }
    }
    let heat = Heat {
        x_label: "where the returns were realised".into(),
        y_label: "investing district".into(),
        columns: places,
        rows: investors,
        values,
        percent: true,
    };
    let title = "Where each district's investment pays off";
    let svg = charts::heat(&heat, title, 1240)?;
    r.figure(
        Figure {
            id: "flows".into(),
            title: title.into(),
            caption: "Row = the district that paid for integration, column = where the returns (taxes and saved transfers) were realised, as % of the row's returns over the run (mean over replications); darker = larger; the diagonal is what stayed.".into(),
            svg,
            legend: Vec::new(),
            wide: true,
        },
        csv_text(&["investor", "realised_in", "mean_amount", "share_of_investor"], &csv_rows),
    );
    Ok(())
}

/// Pooled employment rate of the refugee groups by years since arrival in the final year:
/// (years since arrival, stat over replications of employed / persons).
pub fn refugee_employment(data: &RunData) -> Vec<(i64, Stat)> {
    let Some(cohort) = &data.cohort else { return Vec::new() };
    let refugees = data.refugees();
    let last = cohort.last_year();
    let (g, y, ysa, rep, persons, employed) = (
        cohort.col("group"),
        cohort.col("year"),
        cohort.col("years_since_arrival"),
        cohort.col("replication"),
        cohort.col("persons"),
        cohort.col("employed"),
    );
    let mut sums: BTreeMap<(i64, String), (f64, f64)> = BTreeMap::new();
    for row in &cohort.rows {
        if cohort.num(row, y).map(|v| v as i64) != last || !refugees.iter().any(|r| r == cohort.text(row, g)) {
            continue;
        }
        let Some(k) = cohort.num(row, ysa) else { continue };
        let e = sums.entry((k as i64, cohort.text(row, rep).to_string())).or_default();
        e.0 += cohort.num(row, employed).unwrap_or(0.0);
        e.1 += cohort.num(row, persons).unwrap_or(0.0);
    }
    let mut by_years: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for ((k, _), (e, p)) in sums {
        if p > 0.0 {
            by_years.entry(k).or_default().push(e / p);
        }
    }
    by_years.into_iter().filter(|(k, _)| *k <= 15).filter_map(|(k, v)| Stat::of(&v).map(|s| (k, s))).collect()
}

fn employment_section(r: &mut Report, data: &RunData) -> Result<(), Error> {
    let refugees = data.refugees();
    r.section("employment", "Employment of refugees by years since arrival");
    let sim = refugee_employment(data);
    if refugees.is_empty() || sim.is_empty() {
        r.html(html::para(
            "The scenario has no refugee groups (refugee = true), so there is nothing to compare with the IAB figures.",
        ));
        return Ok(());
    }
    let year = data.cohort.as_ref().and_then(|c| c.last_year()).map(|y| y.to_string()).unwrap_or_default();
    let iab: YearSeries = IAB_EMPLOYMENT
        .iter()
        .map(|(k, m, lo, hi)| (*k, Stat { mean: *m, low: Some(*lo), high: Some(*hi), n: 1 }))
        .collect();
    let lines = vec![
        Line::new(format!("simulated: {} ({year})", refugees.join(", ")), sim),
        Line { style: Style::Points, colour: Some(charts::colour(1)), ..Line::new("IAB survey", iab) },
    ];
    let caption = "Share employed among refugees aged 18–64 (groups with refugee = true, pooled) by years since arrival in the final year, mean with 95 % band; squares are the IAB figures (IAB Kurzberichte 4/2020, 2023, 10/2024; 7 years: 62–63 %).";
    let mut chart = YearChart::new(
        "employment",
        "Employment by years since arrival",
        caption,
        "employed (% of persons 18–64)",
        lines,
    );
    chart.x_label = "years since arrival";
    chart.x_column = "years_since_arrival";
    chart.y_percent = true;
    chart.y_zero = true;
    r.year_chart(chart)
}

fn validation_section(r: &mut Report, dir: &Path) -> Result<(), Error> {
    let Some(t) = Table::read_optional(dir, "validation.csv")? else { return Ok(()) };
    r.section("calibration", "Calibration against targets");
    let cols = ["target", "observed", "simulated_mean", "ci_low", "ci_high", "tolerance", "within_tolerance"];
    let idx: Vec<Option<usize>> = cols.iter().map(|c| t.col(c)).collect();
    let rows: Vec<Vec<Cell>> = t
        .rows
        .iter()
        .map(|row| {
            let ok = t.text(row, idx[6]);
            let miss = ok == "false";
            let mut cells = vec![Cell::text(t.text(row, idx[0]))];
            for i in idx.iter().take(6).skip(1) {
                let text = t.text(row, *i);
                let shown = text.parse::<f64>().map(|v| show(Some(v), false)).unwrap_or_else(|_| text.to_string());
                cells.push(Cell::num(shown));
            }
            cells.push(
                Cell::text(if miss {
                    "no"
                } else if ok == "true" {
                    "yes"
                } else {
                    ok
                })
                .highlighted(miss),
            );
            cells
        })
        .collect();
    r.html(html::para("Observed target values against the simulation (mean and 95 % interval); rows outside the tolerance are highlighted."));
    r.html(html::table(
        "validation",
        &["target", "observed", "simulated", "95 % low", "95 % high", "tolerance", "within tolerance"],
        &rows,
    ));
    Ok(())
}

fn tiles_section(r: &mut Report, data: &RunData, dir: &Path) -> Result<(), Error> {
    let shares = data.district_final("foreign_share");
    let rows: Vec<Vec<String>> =
        shares.iter().map(|(d, c, s)| vec![d.clone(), c.clone(), num(s.map(|s| s.mean))]).collect();
    if let Ok(text) = std::fs::read_to_string(dir.join("districts.geojson"))
        && let Ok(shapes) = crate::geo::parse(&text, "district")
    {
        r.section("map", "District map");
        let values: Vec<(String, Option<f64>)> =
            shares.iter().map(|(d, _, s)| (d.clone(), s.map(|s| s.mean))).collect();
        let title = "Foreign share by district";
        let svg = charts::choropleth(&shapes, &values, "foreign share, final year", true, title, 1240)?;
        r.figure(
            Figure {
                id: "map".into(),
                title: title.into(),
                caption: "A map of the districts (outlines from the scenario's GeoJSON); darker districts have a larger share of residents without German citizenship in the final year; grey ones have no value.".into(),
                svg,
                legend: Vec::new(),
                wide: true,
            },
            csv_text(&["district", "city", "foreign_share"], &rows),
        );
        return Ok(());
    }
    r.section("map", "District map (schematic)");
    let mut cities: Vec<(String, Vec<charts::Tile>)> = Vec::new();
    for (d, c, s) in &shares {
        let v = s.map(|s| s.mean);
        match cities.iter_mut().find(|(k, _)| k == c) {
            Some((_, ds)) => ds.push((d.clone(), v)),
            None => cities.push((c.clone(), vec![(d.clone(), v)])),
        }
    }
    let tiles = Tiles { cities, metric: "foreign share, final year".into(), percent: true };
    let title = "Foreign share by district";
    let svg = charts::tiles(&tiles, title, 1240)?;
    r.figure(
        Figure {
            id: "map".into(),
            title: title.into(),
            caption: "Each tile is a district, grouped by city in the scenario's order (not a geographic map); darker tiles have a larger share of residents without German citizenship in the final year.".into(),
            svg,
            legend: Vec::new(),
            wide: true,
        },
        csv_text(&["district", "city", "foreign_share"], &rows),
    );
    Ok(())
}
