//! Experiments: parameter sweeps and sensitivity analysis.
//!
//! Code map: `sweep` (the sweep file: base scenario, parameters by key path, design, outcomes)
//! · `design` (design points: factorial, zip, random, Latin hypercube, Saltelli, Morris) ·
//! `runner` (runs in parallel, resume, shards, merge, summaries) · `journal` (`runs.csv`) ·
//! `sensitivity` (Morris μ*, σ; Sobol S1, ST). Scenario comparison is in [`crate::compare`].

pub mod design;
pub mod journal;
pub mod runner;
pub mod sensitivity;
pub mod sweep;
