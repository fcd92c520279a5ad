//! The report page: one self-contained HTML file with inline CSS and inline SVG, no scripts,
//! no fonts and nothing fetched. Sections hold figures (chart, legend, caption with a link to the
//! chart's data in `report_data/`), tables and text.

use crate::report::charts::Style;

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One legend entry.
#[derive(Debug, Clone)]
pub struct LegendItem {
    pub label: String,
    pub colour: String,
    pub style: Style,
}

/// A chart with its title, legend and caption.
#[derive(Debug, Clone)]
pub struct Figure {
    /// Identifier: the element id (`chart-<id>`) and the data file (`report_data/<id>.csv`).
    pub id: String,
    pub title: String,
    /// One sentence saying how to read the chart.
    pub caption: String,
    pub svg: String,
    pub legend: Vec<LegendItem>,
    /// Spans the full page width.
    pub wide: bool,
}

/// A part of a section.
#[derive(Debug, Clone)]
pub enum Block {
    Figure(Figure),
    /// Ready HTML (a table or a paragraph).
    Html(String),
}

/// A section of the report.
#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub blocks: Vec<Block>,
}

/// A table cell: text and whether it is highlighted.
#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub highlight: bool,
    pub numeric: bool,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell { text: s.into(), highlight: false, numeric: false }
    }

    pub fn num(s: impl Into<String>) -> Cell {
        Cell { text: s.into(), highlight: false, numeric: true }
    }

    pub fn highlighted(mut self, on: bool) -> Cell {
        self.highlight = on;
        self
    }
}

/// An HTML table with a class.
pub fn table(class: &str, headers: &[&str], rows: &[Vec<Cell>]) -> String {
    let mut out = format!("<div class=\"table-wrap\"><table class=\"{class}\">\n<thead><tr>");
    for h in headers {
        out.push_str(&format!("<th>{}</th>", esc(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        let marked = row.iter().any(|c| c.highlight);
        out.push_str(if marked { "<tr class=\"sig\">" } else { "<tr>" });
        for c in row {
            let class = if c.numeric { " class=\"num\"" } else { "" };
            out.push_str(&format!("<td{class}>{}</td>", esc(&c.text)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    out
}

/// Key–value pairs as a definition table.
pub fn facts(pairs: &[(&str, String)]) -> String {
    let mut out = String::from("<table class=\"facts\"><tbody>\n");
    for (k, v) in pairs {
        out.push_str(&format!("<tr><th>{}</th><td>{}</td></tr>\n", esc(k), esc(v)));
    }
    out.push_str("</tbody></table>\n");
    out
}

/// A paragraph of plain text.
pub fn para(text: &str) -> String {
    format!("<p>{}</p>\n", esc(text))
}

const CSS: &str = "
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  margin: 0; color: #1d1d1f; background: #f6f6f4; line-height: 1.45; }
header { background: #23395b; color: #fff; padding: 22px 32px 18px; }
header h1 { margin: 0 0 4px; font-size: 26px; }
header p { margin: 0; opacity: 0.85; }
nav { padding: 8px 32px; background: #e9ecf2; font-size: 14px; }
nav a { margin-right: 14px; color: #23395b; text-decoration: none; }
main { padding: 8px 32px 40px; max-width: 1320px; }
section { margin-top: 26px; }
h2 { font-size: 20px; border-bottom: 2px solid #23395b; padding-bottom: 4px; margin-bottom: 12px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 18px; }
figure { margin: 0; background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 12px 14px; }
figure.wide { grid-column: 1 / -1; }
figure h3 { margin: 0 0 6px; font-size: 16px; }
svg.plot { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 13px; color: #444; margin-top: 6px; }
figcaption a { color: #23395b; }
.legend { font-size: 13px; margin: 2px 0 4px; }
.legend span.item { margin-right: 14px; white-space: nowrap; }
.legend i { display: inline-block; width: 18px; height: 0; border-top: 3px solid; vertical-align: middle; margin-right: 5px; }
.legend i.thin { border-top: 2px dashed; }
.legend i.points { width: 9px; height: 9px; border: 2px solid; border-radius: 0; }
.table-wrap { overflow-x: auto; background: #fff; border: 1px solid #ddd; border-radius: 6px; }
table { border-collapse: collapse; font-size: 13px; width: 100%; }
th, td { padding: 4px 10px; border-bottom: 1px solid #eee; text-align: left; }
thead th { background: #eef0f4; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.sig td { background: #fff4cc; font-weight: 600; }
table.facts { width: auto; background: #fff; border: 1px solid #ddd; }
table.facts th { background: #f3f4f7; width: 170px; }
p.note { font-size: 13px; color: #555; }
footer { font-size: 12px; color: #666; padding: 0 32px 24px; }
@media print { body { background: #fff; } figure { break-inside: avoid; } }
";

/// Renders the whole page.
pub fn page(title: &str, subtitle: &str, sections: &[Section], footer: &str) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n", esc(title)));
    out.push_str(&format!("<header><h1>{}</h1><p>{}</p></header>\n<nav>", esc(title), esc(subtitle)));
    for s in sections {
        out.push_str(&format!("<a href=\"#{}\">{}</a>", esc(&s.id), esc(&s.title)));
    }
    out.push_str("</nav>\n<main>\n");
    for s in sections {
        out.push_str(&format!("<section id=\"{}\">\n<h2>{}</h2>\n", esc(&s.id), esc(&s.title)));
        let mut in_grid = false;
        for b in &s.blocks {
            match b {
                Block::Figure(f) => {
                    if !in_grid {
                        out.push_str("<div class=\"grid\">\n");
                        in_grid = true;
                    }
                    out.push_str(&figure(f));
                }
                Block::Html(h) => {
                    if in_grid {
                        out.push_str("</div>\n");
                        in_grid = false;
                    }
                    out.push_str(h);
                }
            }
        }
        if in_grid {
            out.push_str("</div>\n");
        }
        out.push_str("</section>\n");
    }
    out.push_str(&format!("</main>\n<footer>{}</footer>\n</body>\n</html>\n", esc(footer)));
    out
}

fn figure(f: &Figure) -> String {
    let class = if f.wide { "chart wide" } else { "chart" };
    let mut out = format!("<figure class=\"{class}\" id=\"chart-{}\">\n<h3>{}</h3>\n", esc(&f.id), esc(&f.title));
    if !f.legend.is_empty() {
        out.push_str("<div class=\"legend\">");
        for item in &f.legend {
            let class = match item.style {
                Style::Solid => "",
                Style::Thin => " class=\"thin\"",
                Style::Points => " class=\"points\"",
            };
            out.push_str(&format!(
                "<span class=\"item\"><i{class} style=\"border-color:{}\"></i>{}</span>",
                esc(&item.colour),
                esc(&item.label)
            ));
        }
        out.push_str("</div>\n");
    }
    out.push_str(&f.svg);
    out.push_str(&format!(
        "\n<figcaption>{} <a href=\"report_data/{}.csv\">Data (CSV)</a></figcaption>\n</figure>\n",
        esc(&f.caption),
        esc(&f.id)
    ));
    out
}
