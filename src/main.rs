//! The `arrival` command: parses arguments, runs a command, maps failures to exit codes
//! (0 success, 1 bad input, 2 internal error). All the work is in the library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::quiet_panics();
    match std::panic::catch_unwind(cli::main) {
        Ok(code) => code,
        Err(_) => ExitCode::from(2),
    }
}
