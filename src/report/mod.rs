//! `arrival report`: one self-contained HTML report of a result directory.
//!
//! [`write_report`] reads only the files in the directory, recognises what made it — a run
//! (`city_year.csv`), a comparison (`comparison.csv`) or a sweep (`points.csv`) — and writes
//! `report.html` (inline CSS and SVG charts drawn with `plotters`, no scripts, nothing fetched,
//! so it opens offline) and, beside it, `report_data/<chart>.csv` with the numbers of every
//! chart. Means and 95 % intervals over replications are those of `summary.csv`
//! ([`describe`](crate::output::summary::describe)).
//!
//! The parts: [`read`] (tables), [`charts`] (plotters), [`html`] (the page), and one module per
//! kind of report: [`run`], [`compare`], [`sweep`].

pub mod charts;
pub mod compare;
pub mod html;
pub mod read;
pub mod run;
pub mod sweep;

use std::path::{Path, PathBuf};

use crate::error::{Error, InputError};
use charts::{Series, Style};
use html::{Block, Figure, LegendItem, Section};
use read::YearSeries;

/// What made a result directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `arrival run`.
    Run,
    /// `arrival compare`.
    Comparison,
    /// `arrival sweep`.
    Sweep,
}

/// Recognises a result directory by its files.
pub fn detect(dir: &Path) -> Result<Kind, InputError> {
    if !dir.is_dir() {
        return Err(InputError::file(dir, "not a directory")
            .with_hint("give a directory written by arrival run, compare or sweep"));
    }
    if dir.join("comparison.csv").is_file() {
        Ok(Kind::Comparison)
    } else if dir.join("points.csv").is_file() {
        Ok(Kind::Sweep)
    } else if dir.join("city_year.csv").is_file() {
        Ok(Kind::Run)
    } else if dir.join("runs.csv").is_file() {
        Err(InputError::file(dir, "the sweep has no points.csv yet: it is not finished")
            .with_hint("finish it with arrival sweep … --resume, then report"))
    } else {
        Err(InputError::file(
            dir,
            "not a result directory: expected city_year.csv (arrival run), comparison.csv (arrival compare) or points.csv (arrival sweep)",
        )
        .with_hint("give the directory printed by arrival run, compare or sweep"))
    }
}

/// What [`write_report`] wrote.
#[derive(Debug, Clone)]
pub struct Written {
    /// `DIR/report.html`.
    pub path: PathBuf,
    pub kind: Kind,
    /// Number of charts.
    pub charts: usize,
}

/// Writes `dir/report.html` and `dir/report_data/*.csv`. Errors: a directory that is not a result
/// directory or has malformed tables is an input error; failing to write is internal.
pub fn write_report(dir: &Path) -> Result<Written, Error> {
    let kind = detect(dir)?;
    let report = match kind {
        Kind::Run => run::build(dir)?,
        Kind::Comparison => compare::build(dir)?,
        Kind::Sweep => sweep::build(dir)?,
    };
    let data_dir = dir.join("report_data");
    let io = |what: &Path, e: std::io::Error| Error::internal(format!("cannot write {}: {e}", what.display()));
    if data_dir.is_dir() {
        std::fs::remove_dir_all(&data_dir).map_err(|e| io(&data_dir, e))?;
    }
    std::fs::create_dir_all(&data_dir).map_err(|e| io(&data_dir, e))?;
    for (name, text) in &report.data {
        let path = data_dir.join(format!("{name}.csv"));
        std::fs::write(&path, text).map_err(|e| io(&path, e))?;
    }
    let html = html::page(&report.title, &report.subtitle, &report.sections, &report.footer);
    let path = dir.join("report.html");
    let tmp = dir.join(".report.html.tmp");
    std::fs::write(&tmp, html).map_err(|e| io(&tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| io(&path, e))?;
    Ok(Written { path, kind, charts: report.charts })
}

/// A report being built: sections and the data files of its charts.
#[derive(Debug, Default)]
pub struct Report {
    pub title: String,
    pub subtitle: String,
    pub footer: String,
    pub sections: Vec<Section>,
    /// (chart id, CSV text).
    pub data: Vec<(String, String)>,
    pub charts: usize,
}

impl Report {
    /// Starts a section.
    pub fn section(&mut self, id: &str, title: &str) {
        self.sections.push(Section { id: id.into(), title: title.into(), blocks: Vec::new() });
    }

    /// Adds HTML to the current section.
    pub fn html(&mut self, html: String) {
        if let Some(s) = self.sections.last_mut() {
            s.blocks.push(Block::Html(html));
        }
    }

    /// Adds a chart and its data to the current section.
    pub fn figure(&mut self, figure: Figure, csv: String) {
        self.data.push((figure.id.clone(), csv));
        self.charts += 1;
        if let Some(s) = self.sections.last_mut() {
            s.blocks.push(Block::Figure(figure));
        }
    }

    /// Adds a line chart of series over years (with bands) and its data.
    pub fn year_chart(&mut self, spec: YearChart<'_>) -> Result<(), Error> {
        let mut series = Vec::new();
        let mut legend = Vec::new();
        for (i, line) in spec.lines.iter().enumerate() {
            let colour = line.colour.unwrap_or_else(|| charts::colour(i));
            series.push(to_series(&line.label, colour, line.style, &line.data));
            if line.in_legend {
                legend.push(LegendItem { label: line.label.clone(), colour: charts::hex(colour), style: line.style });
            }
        }
        legend.extend(spec.extra_legend.iter().cloned());
        let xy = charts::Xy {
            x_label: spec.x_label.into(),
            y_label: spec.y_label.into(),
            series,
            x_integer: spec.x_integer,
            y_zero: spec.y_zero,
            y_percent: spec.y_percent,
        };
        let svg = charts::xy(&xy, spec.title, charts::SIZE)?;
        let mut rows = Vec::new();
        for line in &spec.lines {
            for (x, s) in &line.data {
                rows.push(vec![
                    line.label.clone(),
                    x.to_string(),
                    num(Some(s.mean)),
                    num(s.low),
                    num(s.high),
                    s.n.to_string(),
                ]);
            }
        }
        let csv = csv_text(&["series", spec.x_column, "mean", "ci_low", "ci_high", "n"], &rows);
        let figure = Figure {
            id: spec.id.into(),
            title: spec.title.into(),
            caption: spec.caption.into(),
            svg,
            legend,
            wide: false,
        };
        self.figure(figure, csv);
        Ok(())
    }
}

/// One line of a [`YearChart`].
#[derive(Debug, Clone)]
pub struct Line {
    pub label: String,
    pub data: YearSeries,
    pub style: Style,
    pub colour: Option<plotters::style::RGBColor>,
    pub in_legend: bool,
}

impl Line {
    pub fn new(label: impl Into<String>, data: YearSeries) -> Line {
        Line { label: label.into(), data, style: Style::Solid, colour: None, in_legend: true }
    }
}

/// A chart of series over years (or another whole-number axis).
#[derive(Debug, Clone)]
pub struct YearChart<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub caption: &'a str,
    pub x_label: &'a str,
    pub x_column: &'a str,
    pub y_label: &'a str,
    pub lines: Vec<Line>,
    pub extra_legend: Vec<LegendItem>,
    pub x_integer: bool,
    pub y_zero: bool,
    pub y_percent: bool,
}

impl<'a> YearChart<'a> {
    pub fn new(id: &'a str, title: &'a str, caption: &'a str, y_label: &'a str, lines: Vec<Line>) -> Self {
        YearChart {
            id,
            title,
            caption,
            x_label: "year",
            x_column: "year",
            y_label,
            lines,
            extra_legend: Vec::new(),
            x_integer: true,
            y_zero: false,
            y_percent: false,
        }
    }
}

fn to_series(label: &str, colour: plotters::style::RGBColor, style: Style, data: &YearSeries) -> Series {
    Series {
        label: label.into(),
        colour,
        style,
        points: data.iter().map(|(x, s)| (*x as f64, s.mean)).collect(),
        band: data
            .iter()
            .filter_map(|(x, s)| match (s.low, s.high) {
                (Some(l), Some(h)) => Some((*x as f64, l, h)),
                _ => None,
            })
            .collect(),
    }
}

/// A number for a data file: full precision, empty if undefined.
pub fn num(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => format!("{v}"),
        _ => String::new(),
    }
}

/// CSV text of a header and rows.
pub fn csv_text(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(headers);
    for r in rows {
        let _ = w.write_record(r);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A number for a table: readable precision.
pub fn show(v: Option<f64>, percent: bool) -> String {
    match v {
        None => "–".into(),
        Some(v) if percent => format!("{:.1} %", v * 100.0),
        Some(v) if v.abs() >= 100.0 => group_thousands(v.round() as i64),
        Some(v) => format!("{v:.3}"),
    }
}

fn group_thousands(v: i64) -> String {
    let s = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    if v < 0 { format!("−{out}") } else { out }
}

/// The manifest's command line as one string.
pub fn command_line(manifest: &serde_json::Value) -> String {
    manifest["command"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
