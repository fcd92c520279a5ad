//! Calibration and validation against published figures.
//!
//! Code map: `targets` (the targets file and reading a figure off simulated rows) · `assess`
//! (running replications in memory and comparing with the targets: the validation table) ·
//! `fit` (`arrival calibrate`: Latin-hypercube screening, then Nelder–Mead on the
//! replication-averaged, common-random-number objective).

pub mod assess;
pub mod fit;
pub mod targets;
