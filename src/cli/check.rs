//! `arrival check`: validate scenario files and summarise them.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use arrival_city::error::Error;
use arrival_city::scenario;

/// Validate scenario files and print a short summary of each.
///
/// Every file is read with everything it extends, merged, given its defaults and checked; the
/// first problem in a file is reported with file, line, key and rule. Exit code 1 if any file
/// fails.
///
/// Example:
///   arrival check scenarios/*.toml
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CheckArgs {
    /// Scenario files (TOML).
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
}

pub fn check(args: CheckArgs) -> Result<ExitCode, Error> {
    let mut failed = 0;
    for path in &args.scenarios {
        match scenario::load(path, &[]) {
            Ok(loaded) => {
                let s = &loaded.scenario;
                let policies = s.policies.active();
                println!(
                    "ok   {}: \"{}\", {} cities, {} districts, {} groups, {} persons, {}–{}, policies: {}",
                    path.display(),
                    s.meta.name,
                    s.cities.len(),
                    s.districts.len(),
                    s.groups.len(),
                    s.initial_population(),
                    s.meta.start_year,
                    s.meta.start_year + s.meta.years as i32 - 1,
                    if policies.is_empty() { "none".to_string() } else { policies.join(", ") }
                );
            }
            Err(e) => {
                failed += 1;
                eprintln!("error: {e}");
            }
        }
    }
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
