//! arrival-city: an agent-based simulator of arrival cities.
//!
//! Immigrants arrive in a region's districts, learn the language, find work, move between
//! districts, move on to the rest of the country or leave; the simulator measures turnover,
//! residential segregation and who pays for integration and who gains from it (the Sisyphus
//! index), under policy scenarios.
//!
//! The stages, in the order data flows: [`scenario`] (TOML → checked scenario) →
//! [`population`] (initial agents) → [`engine`] (the year step, one module per mechanism) →
//! [`metrics`] (indices from counts) → [`output`] (result files). The library prints nothing;
//! the `arrival` binary owns the terminal.

pub mod agent;
pub mod calibration;
pub mod compare;
pub mod engine;
pub mod error;
pub mod experiment;
pub mod geo;
pub mod ids;
pub mod ledger;
pub mod metrics;
pub mod output;
pub mod population;
pub mod report;
pub mod rng;
pub mod run;
pub mod scenario;
