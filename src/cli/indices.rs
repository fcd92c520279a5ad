//! `arrival indices`: segregation indices of an observed district × group table.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use arrival_city::error::Error;

/// Output format of `arrival indices`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    Csv,
}

/// Segregation indices of an observed district × group count table (CSV).
///
/// The table has one row per district and one column per group (the first column names the
/// district). Indices are computed with the same code the simulator uses, so real municipal
/// data can be compared with simulated output.
///
/// Example:
///   arrival indices offenbach-2016.csv --native German --format csv
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct IndicesArgs {
    /// The count table (CSV).
    pub table: PathBuf,
    /// The column holding natives (the reference for exposure; excluded from "all foreign").
    #[arg(long)]
    pub native: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
}

pub fn indices(_args: IndicesArgs) -> Result<ExitCode, Error> {
    Err(Error::internal("not wired yet"))
}
