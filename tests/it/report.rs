//! `arrival report` and the reports written by `run` and `compare`: the page renders in a real
//! headless browser (Debian's `chromium`) without console errors and without fetching anything,
//! every chart is there, and the charts' data files equal the result tables.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use crate::{arrival, fixture, stderr, stdout, temp_dir};

/// The charts of a run report of the small fixture.
const RUN_CHARTS: &[&str] =
    &["population", "shares", "fluctuation", "segregation", "sisyphus", "balances", "flows", "employment", "map"];

fn run_small(name: &str, extra: &[&str]) -> std::path::PathBuf {
    let dir = temp_dir(name);
    let out = dir.join("out");
    let scenario = fixture("small.toml");
    let mut args = vec![
        "run",
        scenario.to_str().unwrap(),
        "--years",
        "3",
        "--replications",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let o = arrival(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    out
}

/// Rows of a CSV file as maps from header to cell.
fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| headers.iter().zip(rec.unwrap().iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect())
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Asserts that an HTML page references nothing on the network and runs no script.
fn assert_offline(html: &str) {
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "no scripts");
    assert!(!lower.contains("@import"), "no CSS imports");
    assert!(!lower.contains("@font-face"), "no web fonts");
    for attr in ["src=", "href="] {
        for (i, _) in lower.match_indices(attr) {
            let value: String =
                lower[i + attr.len()..].chars().skip(1).take_while(|c| *c != '"' && *c != '\'').collect();
            assert!(
                !value.starts_with("http:") && !value.starts_with("https:") && !value.starts_with("//"),
                "network reference {attr}{value}"
            );
        }
    }
    for (i, _) in lower.match_indices("url(") {
        let rest = lower[i + 4..].trim_start_matches(['"', '\'']);
        assert!(
            rest.starts_with("data:") || rest.starts_with('#'),
            "url( to a non-data URI: {}",
            &rest[..rest.len().min(40)]
        );
    }
}

fn chromium() -> Option<&'static str> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"].into_iter().find(|p| Path::new(p).exists())
}

/// Runs headless chromium on a page with fresh profile; returns (stdout, stderr).
fn browse(page: &Path, extra: &[&str], profile: &Path) -> (String, String) {
    let url = format!("file://{}", page.display());
    let profile_arg = format!("--user-data-dir={}", profile.display());
    let mut args = vec![
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
        profile_arg.as_str(),
    ];
    args.extend_from_slice(extra);
    args.push(&url);
    let o = Command::new(chromium().expect("chromium is installed")).args(&args).output().expect("chromium runs");
    assert!(o.status.success(), "chromium failed: {}", stderr(&o));
    (stdout(&o), stderr(&o))
}

fn console_errors(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| (l.contains("CONSOLE") && l.to_lowercase().contains("error")) || l.contains("Uncaught"))
        .collect()
}

#[test]
fn run_report_renders_offline_in_a_browser_with_every_chart() {
    let out = run_small("report-run", &[]);
    let page = out.join("report.html");
    let html = fs::read_to_string(&page).expect("run writes report.html");
    assert_offline(&html);
    for chart in RUN_CHARTS {
        assert!(html.contains(&format!("id=\"chart-{chart}\"")), "chart {chart}");
        assert!(out.join(format!("report_data/{chart}.csv")).is_file(), "data of {chart}");
        assert!(html.contains(&format!("href=\"report_data/{chart}.csv\"")), "link to the data of {chart}");
    }
    assert!(html.contains("id=\"districts\""), "district table");
    assert!(!html.contains("id=\"calibration\""), "no calibration without validation.csv");
    let Some(_) = chromium() else {
        panic!("chromium is required for this test: apt-get install -y chromium");
    };
    let work = temp_dir("report-browser");
    let shot = work.join("shot.png");
    let shot_arg = format!("--screenshot={}", shot.display());
    let (_, log) = browse(&page, &[&shot_arg, "--window-size=1280,4000"], &work.join("profile-shot"));
    assert!(console_errors(&log).is_empty(), "{log}");
    let png = fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    assert!(png.len() > 50_000, "a screenshot with content ({} bytes)", png.len());
    let (dom, log) = browse(&page, &["--dump-dom"], &work.join("profile-dom"));
    assert!(console_errors(&log).is_empty(), "{log}");
    assert_eq!(dom.matches("<svg class=\"plot").count(), RUN_CHARTS.len(), "one SVG per chart");
    assert_eq!(dom.matches("<figure class=\"chart").count(), RUN_CHARTS.len());
    for chart in RUN_CHARTS {
        assert!(dom.contains(&format!("id=\"chart-{chart}\"")), "rendered chart {chart}");
    }
    assert!(dom.contains("<table class=\"districts\""));
}

#[test]
fn chart_data_equal_the_result_tables() {
    let out = run_small("report-data", &[]);
    // population: the plotted series is city_year.csv's mean over replications
    let city = rows(&out.join("city_year.csv"));
    let plotted = rows(&out.join("report_data/population.csv"));
    assert!(!plotted.is_empty());
    for p in &plotted {
        let values: Vec<f64> = city
            .iter()
            .filter(|r| r["city"] == p["series"] && r["year"] == p["year"])
            .map(|r| r["population"].parse().unwrap())
            .collect();
        assert_eq!(values.len(), 2, "two replications");
        let mean = values.iter().sum::<f64>() / 2.0;
        assert!(close(p["mean"].parse().unwrap(), mean), "{p:?} vs {mean}");
        assert_eq!(p["n"], "2");
    }
    // segregation: the final-year IS of Syrians in Arrivalton is group_year.csv's mean
    let group = rows(&out.join("group_year.csv"));
    let last = group.iter().map(|r| r["year"].parse::<i64>().unwrap()).max().unwrap().to_string();
    let values: Vec<f64> = group
        .iter()
        .filter(|r| r["city"] == "Arrivalton" && r["group"] == "Syrian" && r["year"] == last)
        .map(|r| r["segregation_index"].parse().unwrap())
        .collect();
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let seg = rows(&out.join("report_data/segregation.csv"));
    let plotted = seg.iter().find(|r| r["series"] == "Syrian" && r["year"] == last).expect("Syrian final year");
    assert!(close(plotted["mean"].parse().unwrap(), mean), "{plotted:?} vs {mean}");
    assert!(seg.iter().any(|r| r["series"] == "Syrian noise floor"), "noise floor drawn");
    // the native group is not among the group lines
    assert!(!seg.iter().any(|r| r["series"] == "German"));
    // employment: refugees only (Syrian), pooled, final year; IAB points included
    let emp = rows(&out.join("report_data/employment.csv"));
    assert!(emp.iter().any(|r| r["series"] == "IAB survey" && r["years_since_arrival"] == "5" && r["mean"] == "0.49"));
    assert!(emp.iter().any(|r| r["series"].starts_with("simulated: Syrian")));
}

#[test]
fn no_report_flag_and_non_result_directories() {
    let out = run_small("report-none", &["--no-report"]);
    assert!(out.join("city_year.csv").is_file());
    assert!(!out.join("report.html").exists(), "--no-report writes no report");
    // the report command writes it later, and prints its path
    let o = arrival(&["report", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), out.join("report.html").display().to_string());
    assert!(out.join("report.html").is_file());
    // a directory that is not a result directory
    let empty = temp_dir("report-empty");
    let o = arrival(&["report", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a result directory"), "{}", stderr(&o));
    let o = arrival(&["report", empty.join("missing").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn comparison_report_has_scenarios_differences_and_table() {
    let dir = temp_dir("report-compare");
    let out = dir.join("cmp");
    let base = fixture("small.toml");
    let o = arrival(&[
        "compare",
        base.to_str().unwrap(),
        base.to_str().unwrap(),
        "--years",
        "3",
        "--replications",
        "2",
        "--set",
        "behaviour.b_own=2.0",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = fs::read_to_string(out.join("report.html")).expect("compare writes report.html");
    assert_offline(&html);
    for id in [
        "id=\"over-time\"",
        "id=\"differences\"",
        "id=\"table\"",
        "chart-scenarios-population",
        "chart-scenarios-fluctuation",
        "chart-scenarios-segregation_foreign",
        "chart-difference-population",
        "<table class=\"comparison\"",
    ] {
        assert!(html.contains(id), "{id}");
    }
    // each scenario has its own full run report, linked from the comparison
    for name in ["small", "small-1"] {
        assert!(out.join(name).join("report.html").is_file(), "{name}/report.html");
        assert!(html.contains(&format!("href=\"{name}/report.html\"")), "link to {name}");
    }
    // identical scenarios: every paired difference is zero
    let diff = rows(&out.join("report_data/difference-population.csv"));
    assert!(!diff.is_empty());
    assert!(diff.iter().all(|r| r["mean"].parse::<f64>().unwrap() == 0.0), "{diff:?}");
}

#[test]
fn sweep_report_has_response_curves() {
    let dir = temp_dir("report-sweep");
    let out = dir.join("sweep");
    let sweep = fixture("sweeps/small-factorial.toml");
    let o = arrival(&["sweep", sweep.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = arrival(&["report", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert_offline(&html);
    assert!(html.contains("id=\"responses\""));
    // 3 outcomes × 2 parameters
    assert_eq!(html.matches("<figure class=\"chart").count(), 6);
    let curve = rows(&out.join("report_data/response-fluctuation-arrivalton-behaviour-b-own.csv"));
    // one line per level of the other parameter (coverage 0.2 and 0.9), three points each
    assert_eq!(curve.len(), 6, "{curve:?}");
}

/// A scenario with district outlines gets a real map, and the outlines travel with the results.
#[test]
fn district_outlines_give_a_choropleth_map() {
    let dir = crate::temp_dir("report-map");
    let scenario = crate::fixture("small-map.toml");
    let out = crate::arrival_in(&dir, &["run", scenario.to_str().unwrap(), "--years", "2", "--out", "res", "-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", crate::stderr(&out));
    let geo = std::fs::read_to_string(dir.join("res/districts.geojson")).unwrap();
    assert_eq!(arrival_city::geo::parse(&geo, "district").unwrap().len(), 5);
    let html = std::fs::read_to_string(dir.join("res/report.html")).unwrap();
    let map = html.find("class=\"plot map").expect("a map chart");
    let end = map + html[map..].find("</svg>").unwrap();
    assert!(html[map..end].matches("<polygon").count() >= 5, "one polygon per district");
    assert!(!html.contains("District map (schematic)"));
    // the resolved scenario points at the outlines beside it and runs as it is
    let check = crate::arrival_in(&dir, &["check", "res/scenario.resolved.toml"]);
    assert_eq!(check.status.code(), Some(0), "{}", crate::stderr(&check));
}

/// A Morris sweep's report draws μ* and σ per factor, with the numbers of sensitivity.csv.
#[test]
fn a_morris_sweep_report_shows_the_sensitivity_bars() {
    let dir = crate::temp_dir("report-morris");
    let sweep = crate::fixture("sweeps/small-morris.toml");
    let out = crate::arrival_in(&dir, &["sweep", sweep.to_str().unwrap(), "--out", "sw", "-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", crate::stderr(&out));
    let report = crate::arrival_in(&dir, &["report", "sw"]);
    assert_eq!(report.status.code(), Some(0), "{}", crate::stderr(&report));
    let html = std::fs::read_to_string(dir.join("sw/report.html")).unwrap();
    assert!(html.contains("id=\"chart-sensitivity-fluctuation-arrivalton\""), "a sensitivity chart");
    let sensitivity = std::fs::read_to_string(dir.join("sw/sensitivity.csv")).unwrap();
    let plotted = std::fs::read_to_string(dir.join("sw/report_data/sensitivity-fluctuation-arrivalton.csv")).unwrap();
    // every factor's μ* in sensitivity.csv is in the chart's data
    for line in sensitivity.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let (factor, mu_star) = (fields[1], fields[4].parse::<f64>().unwrap());
        let row = plotted.lines().find(|l| l.contains(factor)).unwrap_or_else(|| panic!("{factor} plotted"));
        assert!(
            row.split(',').filter_map(|x| x.parse::<f64>().ok()).any(|x| (x - mu_star).abs() < 1e-9),
            "{factor}: μ* {mu_star} not in {row}"
        );
    }
}
