//! `arrival defaults`: every parameter with its default, rule and meaning.

use std::process::ExitCode;

use clap::Args;

use arrival_city::error::Error;
use arrival_city::scenario::params::ParamDoc;
use arrival_city::scenario::{
    Behaviour, Demography, Economy, FiscalEqualisation, Housing, Initial, LanguageCourses, MapSpec,
    NeighbourhoodManagement, ResidenceRequirement, Retention, Shift, SocialMix,
};

/// List every scenario parameter with its default, rule and meaning (Markdown).
///
/// Example:
///   arrival defaults > docs/parameters.md
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct DefaultsArgs {}

fn table(out: &mut String, title: &str, rows: Vec<ParamDoc>) {
    out.push_str(&format!("\n### `{title}`\n\n| key | default | rule | meaning |\n|---|---|---|---|\n"));
    for r in rows {
        out.push_str(&format!("| `{}` | `{}` | {} | {} |\n", r.key, r.default, r.rule, r.meaning));
    }
}

/// The whole parameter reference as Markdown.
pub fn reference() -> String {
    let mut out = String::from("## Scenario parameters\n");
    table(&mut out, "[demography]", Demography::describe());
    table(&mut out, "[behaviour]", Behaviour::describe());
    table(&mut out, "[economy]", Economy::describe());
    table(&mut out, "[housing]", Housing::describe());
    table(&mut out, "[[group]] initial", Initial::describe());
    table(&mut out, "[[group]] shift", Shift::describe());
    table(&mut out, "[policy.residence_requirement]", ResidenceRequirement::describe());
    table(&mut out, "[policy.fiscal_equalisation]", FiscalEqualisation::describe());
    table(&mut out, "[policy.neighbourhood_management]", NeighbourhoodManagement::describe());
    table(&mut out, "[policy.social_mix]", SocialMix::describe());
    table(&mut out, "[policy.retention]", Retention::describe());
    table(&mut out, "[policy.language_courses]", LanguageCourses::describe());
    table(&mut out, "[map]", MapSpec::describe());
    table(&mut out, "[synthetic]", arrival_city::scenario::synthetic::Synthetic::describe());
    out
}

pub fn defaults(_: DefaultsArgs) -> Result<ExitCode, Error> {
    print!("{}", reference());
    Ok(ExitCode::SUCCESS)
}
