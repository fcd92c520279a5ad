//! `manifest.json`: what produced a result directory, so any number in it can be traced and
//! reproduced (tool version, command line, scenario hash, seeds, threads, timing).

use serde::Serialize;

/// The manifest of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub tool: &'static str,
    pub version: &'static str,
    pub command: Vec<String>,
    pub scenario: String,
    pub scenario_files: Vec<String>,
    pub scenario_sha256: String,
    pub start_year: i32,
    pub years: u32,
    pub seed: u64,
    pub replications: u32,
    /// Replication r uses seed + r; rerun one alone with `--seed` set to its seed.
    pub replication_seeds: Vec<u64>,
    pub threads: usize,
    pub wall_seconds: f64,
    /// Person-years simulated over all replications (persons alive at the start of each year).
    pub agent_years: u64,
    pub agent_years_per_second: f64,
    pub peak_records: usize,
    pub files: Vec<FileEntry>,
}

/// One output file and what it holds.
#[derive(Debug, Clone, Serialize)]
pub struct FileEntry {
    pub name: String,
    pub description: String,
}

impl Manifest {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a manifest serialises") + "\n"
    }
}
