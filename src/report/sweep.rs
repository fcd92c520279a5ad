//! The report of a sweep (`arrival sweep`): response curves of every outcome over every
//! parameter, and Morris or Sobol sensitivity bar charts when `sensitivity.csv` exists.
//!
//! Response curves come from `points.csv` (mean and 95 % interval per design point). For a
//! factorial design with exactly two parameters, where the other parameter has at most six
//! levels, each curve is drawn once per level of the other parameter; otherwise the points with
//! the same value of the parameter are averaged over the other parameters (mean of the point
//! means; the band is the mean of the points' interval bounds). Designs that are not factorial
//! (Morris, Sobol) scatter their points, so they are drawn as points with interval whiskers.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::Error;
use crate::report::charts::{self, BarGroup, Bars, Series, Style, Xy};
use crate::report::html::{self, Figure, LegendItem};
use crate::report::read::{self, Table};
use crate::report::{Report, csv_text, num};

/// (x, mean, ci_low, ci_high) of one curve.
type Curve = Vec<(f64, f64, Option<f64>, Option<f64>)>;

/// (mean, ci_low, ci_high) of one design point.
type PointValue = (f64, Option<f64>, Option<f64>);

/// Builds the report of a sweep directory.
pub fn build(dir: &Path) -> Result<Report, Error> {
    let points = Table::read(dir, "points.csv")?;
    let sweep = read::json(dir, "sweep.json")?;
    let manifest = read::json(dir, "manifest.json")?;
    let name = sweep["name"].as_str().unwrap_or("sweep").to_string();
    let design = sweep["design"].as_str().unwrap_or("").to_string();
    let fixed = ["point_id", "outcome", "n", "mean", "sd", "ci_low", "ci_high"];
    let parameters: Vec<String> = match sweep["parameters"].as_array() {
        Some(a) => a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        None => points.headers.iter().filter(|h| !fixed.contains(&h.as_str())).cloned().collect(),
    };
    let outcomes = points.distinct("outcome");
    let mut r = Report {
        title: format!("arrival-city sweep: {name}"),
        subtitle: format!("{design} design over {}", parameters.join(", ")),
        footer: format!("Written by arrival from {}. Every chart's numbers are in report_data/.", dir.display()),
        ..Report::default()
    };
    r.section("summary", "Sweep");
    let pairs = [
        ("sweep", name.clone()),
        ("design", design.clone()),
        ("parameters", parameters.join(", ")),
        ("outcomes", outcomes.join(", ")),
        ("design points", points.distinct("point_id").len().to_string()),
        ("replications per point", sweep["replications"].to_string()),
        ("years", sweep["years"].to_string()),
        ("seed", sweep["seed"].to_string()),
        ("command", crate::report::command_line(&manifest)),
    ];
    r.html(html::facts(&pairs));

    r.section("responses", "Response curves");
    let factorial = design == "factorial";
    r.html(html::para(if factorial {
        "Each chart shows an outcome over one parameter: mean over replications with the 95 % band. With two parameters, one line per level of the other parameter; otherwise averaged over the other parameters."
    } else {
        "Each chart shows an outcome against one parameter at every design point (mean over replications, whiskers 95 % intervals); the other parameters vary at the same time, so the spread shows their influence too."
    }));
    let cols: BTreeMap<&str, Option<usize>> = fixed.iter().map(|c| (*c, points.col(c))).collect();
    for outcome in &outcomes {
        let rows: Vec<&Vec<String>> =
            points.rows.iter().filter(|r| points.text(r, cols["outcome"]) == outcome).collect();
        for (pi, p) in parameters.iter().enumerate() {
            let pc = points.col(p);
            let other = if parameters.len() == 2 { Some(&parameters[1 - pi]) } else { None };
            let other_levels: Vec<String> = match other {
                Some(o) => {
                    let oc = points.col(o);
                    let mut levels: Vec<String> = Vec::new();
                    for row in &rows {
                        let v = points.text(row, oc).to_string();
                        if !levels.contains(&v) {
                            levels.push(v);
                        }
                    }
                    levels
                }
                None => Vec::new(),
            };
            let split = factorial && other.is_some() && other_levels.len() <= 6;
            let mut curves: Vec<(String, Curve)> = Vec::new();
            if split {
                let o = other.expect("two parameters");
                let oc = points.col(o);
                for level in &other_levels {
                    let sel: Vec<&Vec<String>> = rows.iter().copied().filter(|r| points.text(r, oc) == level).collect();
                    curves.push((format!("{o} = {level}"), average(&points, &sel, pc, &cols)));
                }
            } else if factorial {
                let label = if parameters.len() > 1 { "mean over the other parameters" } else { "mean" };
                curves.push((label.to_string(), average(&points, &rows, pc, &cols)));
            } else {
                let mut c: Curve = rows
                    .iter()
                    .filter_map(|r| {
                        Some((
                            points.num(r, pc)?,
                            points.num(r, cols["mean"])?,
                            points.num(r, cols["ci_low"]),
                            points.num(r, cols["ci_high"]),
                        ))
                    })
                    .collect();
                c.sort_by(|a, b| a.0.total_cmp(&b.0));
                curves.push(("design points".to_string(), c));
            }
            let style = if factorial { Style::Solid } else { Style::Points };
            let series: Vec<Series> = curves
                .iter()
                .enumerate()
                .map(|(i, (label, c))| Series {
                    label: label.clone(),
                    colour: charts::colour(i),
                    style,
                    points: c.iter().map(|p| (p.0, p.1)).collect(),
                    band: c.iter().filter_map(|p| Some((p.0, p.2?, p.3?))).collect(),
                })
                .collect();
            let legend = series
                .iter()
                .map(|s| LegendItem { label: s.label.clone(), colour: charts::hex(s.colour), style })
                .collect();
            let title = format!("{outcome} over {p}");
            let xy = Xy {
                x_label: p.clone(),
                y_label: outcome.clone(),
                series,
                x_integer: false,
                y_zero: false,
                y_percent: false,
            };
            let svg = charts::xy(&xy, &title, charts::SIZE)?;
            let mut csv_rows = Vec::new();
            for (label, c) in &curves {
                for (x, m, lo, hi) in c {
                    csv_rows.push(vec![label.clone(), num(Some(*x)), num(Some(*m)), num(*lo), num(*hi)]);
                }
            }
            let id = format!("response-{}-{}", slug(outcome), slug(p));
            r.figure(
                Figure {
                    id,
                    title,
                    caption: format!(
                        "How {outcome} changes with {p}: mean over replications with 95 % {}.",
                        if factorial { "band" } else { "whiskers" }
                    ),
                    svg,
                    legend,
                    wide: false,
                },
                csv_text(&["series", p, "mean", "ci_low", "ci_high"], &csv_rows),
            );
        }
    }
    if let Some(sens) = Table::read_optional(dir, "sensitivity.csv")? {
        sensitivity(&mut r, &sens)?;
    }
    Ok(r)
}

/// Averages point means and interval bounds by the value of column `pc`.
fn average(points: &Table, rows: &[&Vec<String>], pc: Option<usize>, cols: &BTreeMap<&str, Option<usize>>) -> Curve {
    let mut by_x: Vec<(f64, Vec<PointValue>)> = Vec::new();
    for row in rows {
        let (Some(x), Some(m)) = (points.num(row, pc), points.num(row, cols["mean"])) else { continue };
        let v = (m, points.num(row, cols["ci_low"]), points.num(row, cols["ci_high"]));
        match by_x.iter_mut().find(|(k, _)| *k == x) {
            Some((_, vs)) => vs.push(v),
            None => by_x.push((x, vec![v])),
        }
    }
    by_x.sort_by(|a, b| a.0.total_cmp(&b.0));
    by_x.into_iter()
        .map(|(x, vs)| {
            let n = vs.len() as f64;
            let mean = vs.iter().map(|v| v.0).sum::<f64>() / n;
            let lo: Option<Vec<f64>> = vs.iter().map(|v| v.1).collect();
            let hi: Option<Vec<f64>> = vs.iter().map(|v| v.2).collect();
            (x, mean, lo.map(|l| l.iter().sum::<f64>() / n), hi.map(|h| h.iter().sum::<f64>() / n))
        })
        .collect()
}

fn slug(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}

fn sensitivity(r: &mut Report, t: &Table) -> Result<(), Error> {
    r.section("sensitivity", "Sensitivity");
    let (oc, fc, mc) = (t.col("outcome"), t.col("factor"), t.col("method"));
    let method = t.rows.first().map(|row| t.text(row, mc).to_string()).unwrap_or_default();
    let sobol = t.col("s1").is_some();
    r.html(html::para(if sobol {
        "Sobol indices per outcome: S1 is the share of the outcome's variance due to the factor alone, ST includes its interactions; whiskers are bootstrap 95 % intervals."
    } else {
        "Morris elementary effects per outcome: μ* (mean absolute effect) ranks the factors by influence; σ (spread of the effects) is large when the effect depends on the other factors (non-linear or interacting)."
    }));
    for outcome in t.distinct("outcome") {
        let rows: Vec<&Vec<String>> = t.rows.iter().filter(|row| t.text(row, oc) == outcome).collect();
        let factors: Vec<String> = rows.iter().map(|row| t.text(row, fc).to_string()).collect();
        let get = |row: &Vec<String>, c: &str| t.num(row, t.col(c));
        let groups = if sobol {
            vec![
                BarGroup {
                    label: "S1 (first order)".into(),
                    colour: charts::colour(0),
                    values: rows
                        .iter()
                        .map(|row| get(row, "s1").map(|v| (v, get(row, "s1_low").zip(get(row, "s1_high")))))
                        .collect(),
                },
                BarGroup {
                    label: "ST (total)".into(),
                    colour: charts::colour(1),
                    values: rows
                        .iter()
                        .map(|row| get(row, "st").map(|v| (v, get(row, "st_low").zip(get(row, "st_high")))))
                        .collect(),
                },
            ]
        } else {
            vec![
                BarGroup {
                    label: "μ* (mean |effect|)".into(),
                    colour: charts::colour(0),
                    values: rows.iter().map(|row| get(row, "mu_star").map(|v| (v, None))).collect(),
                },
                BarGroup {
                    label: "σ (spread of effects)".into(),
                    colour: charts::colour(1),
                    values: rows.iter().map(|row| get(row, "sigma").map(|v| (v, None))).collect(),
                },
            ]
        };
        let legend = groups
            .iter()
            .map(|g| LegendItem { label: g.label.clone(), colour: charts::hex(g.colour), style: Style::Solid })
            .collect();
        let x_label = if sobol { "share of variance" } else { "effect on the outcome (outcome units)" };
        let bars = Bars { x_label: x_label.into(), categories: factors, groups, x_percent: false };
        let title = format!("{} sensitivity of {outcome}", if sobol { "Sobol" } else { "Morris" });
        let svg = charts::bars(&bars, &title, 600)?;
        let headers: Vec<&str> = t.headers.iter().map(String::as_str).collect();
        let csv_rows: Vec<Vec<String>> = rows.iter().map(|r| (*r).clone()).collect();
        r.figure(
            Figure {
                id: format!("sensitivity-{}", slug(&outcome)),
                title,
                caption: if sobol {
                    "Longer bars = the factor explains more of the outcome's variance; a gap between ST and S1 means interactions.".into()
                } else {
                    format!("Factors with a long μ* bar matter most for {outcome}; σ close to μ* means the effect depends on the other factors ({method}).")
                },
                svg,
                legend,
                wide: false,
            },
            csv_text(&headers, &csv_rows),
        );
    }
    Ok(())
}
