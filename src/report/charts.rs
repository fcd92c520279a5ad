//! Charts as inline SVG, drawn with `plotters`' SVG backend (text becomes SVG `<text>`, so no
//! font files are needed or fetched).
//!
//! Four kinds: lines over a numeric axis with 95 % bands ([`xy`]), horizontal bars with
//! interval whiskers ([`bars`]), a heat map ([`heat`]) and district tiles ([`tiles`]). Legends
//! are written by the page (HTML), not into the SVG, so they never cover data.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;

use crate::error::Error;

/// Default chart size in pixels.
pub const SIZE: (u32, u32) = (600, 340);

const FONT: &str = "sans-serif";
const GRID: RGBColor = RGBColor(228, 228, 228);
const AXIS: RGBColor = RGBColor(90, 90, 90);

/// Colour-blind friendly qualitative palette (Okabe–Ito, then Tableau).
const PALETTE: [RGBColor; 10] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(120, 120, 120),
    RGBColor(140, 86, 75),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// The i-th series colour.
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// A colour as `#rrggbb`.
pub fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

fn fail<E: std::fmt::Debug>(e: E) -> Error {
    Error::internal(format!("cannot draw a chart: {e:?}"))
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A line with its band.
    Solid,
    /// A thin, lighter line (reference values such as a noise floor).
    Thin,
    /// Points only, with vertical whiskers for the band (reference data).
    Points,
}

/// One series: points (x, y) and optionally a band (x, low, high).
#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub colour: RGBColor,
    pub style: Style,
    pub points: Vec<(f64, f64)>,
    pub band: Vec<(f64, f64, f64)>,
}

/// A line chart over a numeric x axis.
#[derive(Debug, Clone)]
pub struct Xy {
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Series>,
    /// x values are whole numbers (years): ticks on whole numbers.
    pub x_integer: bool,
    /// The y axis includes zero.
    pub y_zero: bool,
    /// y values are shares: ticks as percentages.
    pub y_percent: bool,
}

/// Compact number for axis ticks: 1.2 M, 35 k, 0.25.
pub fn compact(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("{:.1} bn", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.1} M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0} k", v / 1e3)
    } else if a >= 100.0 || v == v.round() {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.1}")
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').to_string()
    }
}

fn percent(v: f64) -> String {
    let p = v * 100.0;
    if (p - p.round()).abs() < 1e-6 { format!("{p:.0} %") } else { format!("{p:.1} %") }
}

/// Padded range of some values; `zero` includes zero.
fn range(values: impl Iterator<Item = f64>, zero: bool) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    if hi - lo < 1e-12 {
        let d = if hi.abs() > 0.0 { hi.abs() * 0.1 } else { 1.0 };
        return (lo - d, hi + d);
    }
    let pad = (hi - lo) * 0.06;
    let lo = if zero && lo >= 0.0 { lo } else { lo - pad };
    let hi = if zero && hi <= 0.0 { hi } else { hi + pad };
    (lo, hi)
}

/// At most ~`max` nice tick positions in [lo, hi]; whole numbers only if `integer`.
fn ticks(lo: f64, hi: f64, max: usize, integer: bool) -> Vec<f64> {
    let raw = (hi - lo) / max.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let mut step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    if integer {
        step = step.max(1.0).round();
    }
    let mut out = Vec::new();
    let mut t = (lo / step).ceil() * step;
    while t <= hi + step * 1e-9 {
        out.push(if t.abs() < step * 1e-9 { 0.0 } else { t });
        t += step;
    }
    out
}

/// A linear f64 axis whose ticks are exactly the given key points (years, categories).
#[derive(Debug, Clone)]
struct Fixed {
    lo: f64,
    hi: f64,
    keys: Vec<f64>,
}

impl Fixed {
    fn new(lo: f64, hi: f64, keys: Vec<f64>) -> Fixed {
        Fixed { lo, hi, keys }
    }
}

impl Ranged for Fixed {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        if self.hi == self.lo {
            return (limit.0 + limit.1) / 2;
        }
        let t = (v - self.lo) / (self.hi - self.lo);
        limit.0 + ((limit.1 - limit.0) as f64 * t + 1e-3).floor() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.max_num_points() == 0 { Vec::new() } else { self.keys.clone() }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// Replaces plotters' SVG header by one for inline use (no namespace URL, a class and a label).
fn inline(svg: String, class: &str, label: &str) -> String {
    let svg = svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
    svg.replacen(
        "<svg ",
        &format!("<svg class=\"{class}\" role=\"img\" aria-label=\"{}\" ", crate::report::html::esc(label)),
        1,
    )
}

/// Draws a line chart; returns the SVG.
pub fn xy(c: &Xy, title: &str, size: (u32, u32)) -> Result<String, Error> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(fail)?;
        let xs = c.series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
        let (mut x0, mut x1) = range(xs, false);
        if c.x_integer {
            let xs: Vec<f64> = c.series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).collect();
            let lo = xs.iter().cloned().fold(f64::INFINITY, f64::min);
            let hi = xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            if lo.is_finite() {
                x0 = lo - 0.3;
                x1 = hi + 0.3;
            }
        }
        let ys =
            c.series.iter().flat_map(|s| s.points.iter().map(|p| p.1).chain(s.band.iter().flat_map(|b| [b.1, b.2])));
        let (y0, y1) = range(ys, c.y_zero);
        let xticks = ticks(x0, x1, 10, c.x_integer);
        let y_percent = c.y_percent;
        let x_integer = c.x_integer;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(42)
            .y_label_area_size(66)
            .build_cartesian_2d(Fixed::new(x0, x1, xticks), y0..y1)
            .map_err(fail)?;
        chart
            .configure_mesh()
            .x_desc(c.x_label.as_str())
            .y_desc(c.y_label.as_str())
            .x_label_formatter(&|v| if x_integer { format!("{v:.0}") } else { compact(*v) })
            .y_label_formatter(&|v| if y_percent { percent(*v) } else { compact(*v) })
            .y_labels(7)
            .axis_style(AXIS)
            .bold_line_style(GRID)
            .light_line_style(WHITE)
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 14))
            .draw()
            .map_err(fail)?;
        for s in &c.series {
            if s.band.len() > 1 && s.style != Style::Points {
                let mut poly: Vec<(f64, f64)> = s.band.iter().map(|b| (b.0, b.2)).collect();
                poly.extend(s.band.iter().rev().map(|b| (b.0, b.1)));
                chart.draw_series(std::iter::once(Polygon::new(poly, s.colour.mix(0.18).filled()))).map_err(fail)?;
            }
        }
        for s in &c.series {
            match s.style {
                Style::Solid => {
                    chart.draw_series(LineSeries::new(s.points.clone(), s.colour.stroke_width(2))).map_err(fail)?;
                    if s.points.len() == 1 {
                        chart
                            .draw_series(s.points.iter().map(|p| Circle::new(*p, 3, s.colour.filled())))
                            .map_err(fail)?;
                    }
                }
                Style::Thin => {
                    chart
                        .draw_series(DashedLineSeries::new(s.points.clone(), 5, 4, s.colour.mix(0.8).stroke_width(1)))
                        .map_err(fail)?;
                }
                Style::Points => {
                    for b in &s.band {
                        chart
                            .draw_series(std::iter::once(PathElement::new(
                                vec![(b.0, b.1), (b.0, b.2)],
                                s.colour.stroke_width(2),
                            )))
                            .map_err(fail)?;
                    }
                    chart
                        .draw_series(s.points.iter().map(|p| {
                            EmptyElement::at(*p)
                                + Rectangle::new([(-5, -5), (5, 5)], ShapeStyle::from(&WHITE).filled())
                                + Rectangle::new([(-5, -5), (5, 5)], s.colour.stroke_width(2))
                        }))
                        .map_err(fail)?;
                }
            }
        }
        root.present().map_err(fail)?;
    }
    Ok(inline(svg, "plot", title))
}

/// A bar's value and optional 95 % interval.
pub type BarValue = Option<(f64, Option<(f64, f64)>)>;

/// A district's name and value.
pub type Tile = (String, Option<f64>);

/// A group of horizontal bars: one value (and optional interval) per category.
#[derive(Debug, Clone)]
pub struct BarGroup {
    pub label: String,
    pub colour: RGBColor,
    pub values: Vec<BarValue>,
}

/// A horizontal bar chart: categories top to bottom, one bar per group in each.
#[derive(Debug, Clone)]
pub struct Bars {
    pub x_label: String,
    pub categories: Vec<String>,
    pub groups: Vec<BarGroup>,
    pub x_percent: bool,
}

/// Height a bar chart needs for its categories.
pub fn bars_height(b: &Bars) -> u32 {
    (80 + b.categories.len() as u32 * (10 + 12 * b.groups.len().max(1) as u32)).clamp(180, 1400)
}

/// Draws a horizontal bar chart; returns the SVG.
pub fn bars(b: &Bars, title: &str, width: u32) -> Result<String, Error> {
    let size = (width, bars_height(b));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(fail)?;
        let values = b.groups.iter().flat_map(|g| {
            g.values.iter().flatten().flat_map(|(v, ci)| {
                let mut out = vec![*v];
                if let Some((lo, hi)) = ci {
                    out.extend([*lo, *hi]);
                }
                out
            })
        });
        let (x0, x1) = range(values, true);
        let n = b.categories.len().max(1);
        let longest = b.categories.iter().map(|c| c.chars().count()).max().unwrap_or(4);
        let label_width = (longest as u32 * 7 + 16).clamp(60, 220);
        let cats = b.categories.clone();
        let x_percent = b.x_percent;
        let keys: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(42)
            .y_label_area_size(label_width)
            .build_cartesian_2d(x0..x1, Fixed::new(-0.5, n as f64 - 0.5, keys))
            .map_err(fail)?;
        chart
            .configure_mesh()
            .x_desc(b.x_label.as_str())
            .x_label_formatter(&|v| if x_percent { percent(*v) } else { compact(*v) })
            .y_label_formatter(&|v| {
                let i = v.round() as i64;
                if (v - v.round()).abs() > 1e-6 || i < 0 || i as usize >= n {
                    return String::new();
                }
                cats[n - 1 - i as usize].clone()
            })
            .x_labels(7)
            .disable_y_mesh()
            .axis_style(AXIS)
            .bold_line_style(GRID)
            .light_line_style(WHITE)
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 14))
            .draw()
            .map_err(fail)?;
        let g = b.groups.len().max(1) as f64;
        let h = 0.8 / g;
        for (k, group) in b.groups.iter().enumerate() {
            for (i, v) in group.values.iter().enumerate() {
                let Some((v, ci)) = v else { continue };
                let centre = (n - 1 - i) as f64;
                let top = centre + 0.4 - k as f64 * h;
                let bottom = top - h * 0.9;
                chart
                    .draw_series(std::iter::once(Rectangle::new([(0.0, bottom), (*v, top)], group.colour.filled())))
                    .map_err(fail)?;
                if let Some((lo, hi)) = ci {
                    let mid = (top + bottom) / 2.0;
                    let cap = h * 0.3;
                    let style = BLACK.stroke_width(1);
                    chart
                        .draw_series([
                            PathElement::new(vec![(*lo, mid), (*hi, mid)], style),
                            PathElement::new(vec![(*lo, mid - cap), (*lo, mid + cap)], style),
                            PathElement::new(vec![(*hi, mid - cap), (*hi, mid + cap)], style),
                        ])
                        .map_err(fail)?;
                }
            }
        }
        if x0 < 0.0 {
            chart
                .draw_series(std::iter::once(PathElement::new(vec![(0.0, -0.5), (0.0, n as f64 - 0.5)], AXIS)))
                .map_err(fail)?;
        }
        root.present().map_err(fail)?;
    }
    Ok(inline(svg, "plot", title))
}

/// Sequential colour scale from light yellow over orange to dark red; `t` in [0, 1].
pub fn scale(t: f64) -> RGBColor {
    const STOPS: [(f64, f64, f64); 4] =
        [(255.0, 247.0, 214.0), (253.0, 174.0, 97.0), (215.0, 48.0, 39.0), (103.0, 0.0, 31.0)];
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 } * (STOPS.len() - 1) as f64;
    let i = (t.floor() as usize).min(STOPS.len() - 2);
    let f = t - i as f64;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let mix = |x: f64, y: f64| (x + (y - x) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn text_on(c: RGBColor) -> RGBColor {
    let lum = 0.299 * c.0 as f64 + 0.587 * c.1 as f64 + 0.114 * c.2 as f64;
    if lum < 140.0 { WHITE } else { BLACK }
}

/// A heat map: rows × columns of values in [0, max].
#[derive(Debug, Clone)]
pub struct Heat {
    pub x_label: String,
    pub y_label: String,
    pub columns: Vec<String>,
    pub rows: Vec<String>,
    pub values: Vec<Vec<Option<f64>>>,
    /// Cell text: values as percentages.
    pub percent: bool,
}

/// Draws a heat map (rows top to bottom); returns the SVG.
pub fn heat(h: &Heat, title: &str, width: u32) -> Result<String, Error> {
    let (nr, nc) = (h.rows.len().max(1), h.columns.len().max(1));
    let longest_row = h.rows.iter().map(|c| c.chars().count()).max().unwrap_or(4);
    let longest_col = h.columns.iter().map(|c| c.chars().count()).max().unwrap_or(4);
    let left = (longest_row as u32 * 7 + 40).clamp(80, 240);
    let bottom = (longest_col as u32 * 7 + 50).clamp(60, 220);
    let cell_h = 22u32;
    let size = (width, nr as u32 * cell_h + bottom + 30);
    let max = h.values.iter().flatten().flatten().cloned().fold(0.0f64, f64::max).max(1e-12);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(fail)?;
        let (rows, cols) = (h.rows.clone(), h.columns.clone());
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(bottom)
            .y_label_area_size(left)
            .build_cartesian_2d(
                Fixed::new(-0.5, nc as f64 - 0.5, (0..nc).map(|i| i as f64).collect()),
                Fixed::new(-0.5, nr as f64 - 0.5, (0..nr).map(|i| i as f64).collect()),
            )
            .map_err(fail)?;
        let name = |names: &[String], v: f64, flip: bool| {
            let i = v.round() as i64;
            if (v - v.round()).abs() > 1e-6 || i < 0 || i as usize >= names.len() {
                return String::new();
            }
            let i = if flip { names.len() - 1 - i as usize } else { i as usize };
            names[i].clone()
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(h.x_label.as_str())
            .y_desc(h.y_label.as_str())
            .x_label_formatter(&|_| String::new())
            .y_label_formatter(&|v| name(&rows, *v, true))
            .label_style((FONT, 12))
            .axis_desc_style((FONT, 14))
            .axis_style(AXIS)
            .draw()
            .map_err(fail)?;
        // column names, written downwards (plotters' mesh does not rotate tick labels)
        let down = TextStyle::from((FONT, 12).into_font().transform(FontTransform::Rotate90)).color(&BLACK);
        for (c, label) in cols.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(c as f64, -0.5));
            root.draw(&Text::new(label.clone(), (px + 4, py + 8), down.clone())).map_err(fail)?;
        }
        let plot_w = width.saturating_sub(left + 24) as f64 / nc as f64;
        let show_text = plot_w >= 30.0;
        for (r, row) in h.values.iter().enumerate() {
            let y = (nr - 1 - r) as f64;
            for (c, v) in row.iter().enumerate() {
                let x = c as f64;
                let fill = match v {
                    Some(v) => scale(v / max),
                    None => RGBColor(240, 240, 240),
                };
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                        fill.filled(),
                    )))
                    .map_err(fail)?;
                chart
                    .draw_series(std::iter::once(Rectangle::new([(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)], WHITE)))
                    .map_err(fail)?;
                if let (Some(v), true) = (v, show_text) {
                    if *v > 0.0 {
                        let label = if h.percent { format!("{:.0}", v * 100.0) } else { compact(*v) };
                        let ink = text_on(fill);
                        let style = TextStyle::from((FONT, 11).into_font()).color(&ink).pos(
                            plotters::style::text_anchor::Pos::new(
                                plotters::style::text_anchor::HPos::Center,
                                plotters::style::text_anchor::VPos::Center,
                            ),
                        );
                        chart.draw_series(std::iter::once(Text::new(label, (x, y), style))).map_err(fail)?;
                    }
                }
            }
        }
        root.present().map_err(fail)?;
    }
    Ok(inline(svg, "plot heat", title))
}

/// District tiles grouped by city, coloured by a value.
#[derive(Debug, Clone)]
pub struct Tiles {
    /// (city, [(district, value)]) in reading order.
    pub cities: Vec<(String, Vec<Tile>)>,
    /// The metric, for the legend.
    pub metric: String,
    pub percent: bool,
}

/// Draws the tile layout with a colour legend; returns the SVG.
pub fn tiles(t: &Tiles, title: &str, width: u32) -> Result<String, Error> {
    let (tw, th, gap) = (170i32, 54i32, 6i32);
    let per_row = ((width as i32 - 24 + gap) / (tw + gap)).max(1) as usize;
    let mut height = 70i32;
    for (_, ds) in &t.cities {
        let rows = ds.len().div_ceil(per_row).max(1) as i32;
        height += 28 + rows * (th + gap) + 10;
    }
    let values: Vec<f64> = t.cities.iter().flat_map(|(_, d)| d.iter().filter_map(|x| x.1)).collect();
    let lo = values.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = values.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() && hi > lo { (lo, hi) } else { (0.0, lo.max(0.0) + 1.0) };
    let fmt = |v: f64| if t.percent { percent(v) } else { compact(v) };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(fail)?;
        let mut y = 12;
        let title_style = TextStyle::from((FONT, 15).into_font().style(FontStyle::Bold)).color(&BLACK);
        for (city, ds) in &t.cities {
            root.draw(&Text::new(city.clone(), (12, y), title_style.clone())).map_err(fail)?;
            y += 24;
            for (i, (name, v)) in ds.iter().enumerate() {
                let (col, row) = ((i % per_row) as i32, (i / per_row) as i32);
                let x0 = 12 + col * (tw + gap);
                let y0 = y + row * (th + gap);
                let fill = v.map(|v| scale((v - lo) / (hi - lo))).unwrap_or(RGBColor(235, 235, 235));
                root.draw(&Rectangle::new([(x0, y0), (x0 + tw, y0 + th)], fill.filled())).map_err(fail)?;
                let ink = text_on(fill);
                let label: String = if name.chars().count() > 22 {
                    name.chars().take(21).chain(['…']).collect()
                } else {
                    name.clone()
                };
                let style = TextStyle::from((FONT, 13).into_font()).color(&ink);
                root.draw(&Text::new(label, (x0 + 7, y0 + 8), style)).map_err(fail)?;
                let value = v.map(fmt).unwrap_or_else(|| "–".into());
                let style = TextStyle::from((FONT, 15).into_font().style(FontStyle::Bold)).color(&ink);
                root.draw(&Text::new(value, (x0 + 7, y0 + 29), style)).map_err(fail)?;
            }
            let rows = ds.len().div_ceil(per_row).max(1) as i32;
            y += rows * (th + gap) + 10;
        }
        gradient_legend(&root, y + 8, (&fmt(lo), &fmt(hi)), &t.metric)?;
        root.present().map_err(fail)?;
    }
    Ok(inline(svg, "plot tiles", title))
}

/// A colour legend at height `y`: the gradient of [`scale`] from the lowest to the highest value.
fn gradient_legend(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    y: i32,
    (lo, hi): (&str, &str),
    metric: &str,
) -> Result<(), Error> {
    let (lx, lw, lh, steps) = (12, 300, 14, 60);
    for s in 0..steps {
        let x0 = lx + s * lw / steps;
        let x1 = lx + (s + 1) * lw / steps;
        root.draw(&Rectangle::new([(x0, y), (x1, y + lh)], scale(s as f64 / (steps - 1) as f64).filled()))
            .map_err(fail)?;
    }
    let small = TextStyle::from((FONT, 12).into_font()).color(&BLACK);
    root.draw(&Text::new(lo.to_string(), (lx, y + lh + 4), small.clone())).map_err(fail)?;
    root.draw(&Text::new(hi.to_string(), (lx + lw - 40, y + lh + 4), small.clone())).map_err(fail)?;
    root.draw(&Text::new(metric.to_string(), (lx + lw + 14, y), small)).map_err(fail)?;
    Ok(())
}

/// A choropleth map: each district's outline (longitude/latitude, projected with the cosine of
/// the mean latitude) filled by its value, with a colour legend.
pub fn choropleth(
    shapes: &[crate::geo::Shape],
    values: &[(String, Option<f64>)],
    metric: &str,
    percent_values: bool,
    title: &str,
    width: u32,
) -> Result<String, Error> {
    let points = shapes.iter().flat_map(|s| s.polygons.iter().flatten());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for &(x, y) in points {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    let k = ((y0 + y1) / 2.0).to_radians().cos().max(0.1);
    let (w_geo, h_geo) = (((x1 - x0) * k).max(1e-9), (y1 - y0).max(1e-9));
    let map_w = width as f64 - 24.0;
    let map_h = (map_w * h_geo / w_geo).min(900.0);
    let s = (map_w / w_geo).min(map_h / h_geo);
    let project = |(x, y): (f64, f64)| -> (i32, i32) { (12 + ((x - x0) * k * s) as i32, 12 + ((y1 - y) * s) as i32) };
    let known: Vec<f64> = values.iter().filter_map(|v| v.1).collect();
    let lo = known.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = known.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() && hi > lo { (lo, hi) } else { (0.0, lo.max(0.0) + 1.0) };
    let fmt = |v: f64| if percent_values { percent(v) } else { compact(v) };
    let height = (map_h + 70.0) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(fail)?;
        for shape in shapes {
            let value = values.iter().find(|(d, _)| *d == shape.district).and_then(|v| v.1);
            let fill = value.map(|v| scale((v - lo) / (hi - lo))).unwrap_or(RGBColor(235, 235, 235));
            for polygon in &shape.polygons {
                let pts: Vec<(i32, i32)> = polygon.iter().map(|&p| project(p)).collect();
                root.draw(&Polygon::new(pts.clone(), fill.filled())).map_err(fail)?;
                let mut outline = pts.clone();
                outline.push(pts[0]);
                root.draw(&PathElement::new(outline, WHITE.stroke_width(1))).map_err(fail)?;
            }
            // label at the centre of the largest polygon
            if let Some(largest) = shape.polygons.iter().max_by_key(|p| p.len()) {
                let n = largest.len() as f64;
                let (cx, cy) = largest.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0 / n, a.1 + p.1 / n));
                let (px, py) = project((cx, cy));
                let ink = text_on(fill);
                let style =
                    TextStyle::from((FONT, 11).into_font()).color(&ink).pos(plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Center,
                        plotters::style::text_anchor::VPos::Center,
                    ));
                root.draw(&Text::new(shape.district.clone(), (px, py), style)).map_err(fail)?;
            }
        }
        gradient_legend(&root, map_h as i32 + 28, (&fmt(lo), &fmt(hi)), metric)?;
        root.present().map_err(fail)?;
    }
    Ok(inline(svg, "plot map", title))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_whole_years() {
        assert_eq!(ticks(2015.7, 2020.3, 10, true), vec![2016.0, 2017.0, 2018.0, 2019.0, 2020.0]);
        let t = ticks(0.0, 1.0, 5, false);
        assert_eq!(t.first(), Some(&0.0));
        assert!(t.len() <= 6);
    }

    #[test]
    fn scale_runs_from_light_to_dark() {
        assert_eq!(scale(0.0), RGBColor(255, 247, 214));
        assert_eq!(scale(1.0), RGBColor(103, 0, 31));
    }

    #[test]
    fn a_chart_is_inline_svg_without_urls() {
        let c = Xy {
            x_label: "year".into(),
            y_label: "persons".into(),
            series: vec![Series {
                label: "a".into(),
                colour: colour(0),
                style: Style::Solid,
                points: vec![(2016.0, 1.0), (2017.0, 2.0)],
                band: vec![(2016.0, 0.5, 1.5), (2017.0, 1.5, 2.5)],
            }],
            x_integer: true,
            y_zero: true,
            y_percent: false,
        };
        let svg = xy(&c, "t", SIZE).unwrap();
        assert!(svg.starts_with("<svg class=\"plot\""), "{svg}");
        assert!(!svg.contains("http"));
        assert!(svg.contains("2017"));
    }
}
