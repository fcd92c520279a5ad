//! The integration tests: one binary, driving the real `arrival` executable on fixture
//! scenarios in fresh temporary directories, and the library's engine on small scenarios.

mod calibration;
mod cli;
mod determinism;
mod errors;
mod invariants;
mod metrics;
mod policies;
mod report;
mod scenarios;
mod sweeps;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the `arrival` binary with `args` in `dir`.
pub fn arrival_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_arrival")).args(args).current_dir(dir).output().expect("arrival runs")
}

/// Runs the `arrival` binary from the repository root.
pub fn arrival(args: &[&str]) -> Output {
    arrival_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// A fresh, empty temporary directory for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("arrival-it-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A fixture file's path.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
