//! `arrival indices`: segregation indices of an observed district × group table.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use arrival_city::error::Error;
use arrival_city::metrics::observed;
use arrival_city::metrics::segregation::{DEFAULT_NOISE_FLOOR_DRAWS, DEFAULT_NOISE_FLOOR_SEED, segregation_report};

/// Output format of `arrival indices`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    Csv,
}

/// Segregation indices of an observed district × group count table (CSV).
///
/// The table has one row per district and one column per group (the first column names the
/// district; no total column). Indices are computed with the same code the simulator uses, so
/// real municipal data can be compared with simulated output: for every group but the native
/// one the index of segregation (IS) against everyone else and against the total population,
/// isolation, exposure to natives and the random-placement noise floor of IS; the same for all
/// non-native columns together ("all_foreign"); Theil's H and multigroup dissimilarity.
/// Undefined indices (a group with no members) are null in JSON and empty in CSV.
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

pub fn indices(args: IndicesArgs) -> Result<ExitCode, Error> {
    let table = observed::read_table(&args.table)?;
    let native = match &args.native {
        Some(name) => Some(observed::native_column(&table, &args.table, name)?),
        None => None,
    };
    let report = segregation_report(&table, native, DEFAULT_NOISE_FLOOR_DRAWS, DEFAULT_NOISE_FLOOR_SEED);
    match args.format {
        Format::Json => println!("{}", observed::indices_json_text(&report).trim_end()),
        Format::Csv => print!("{}", observed::indices_csv(&report)),
    }
    Ok(ExitCode::SUCCESS)
}
