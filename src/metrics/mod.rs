//! Metrics: counts gathered during the year ([`tally`]) and the indices computed from them,
//! one module per family, each with its formulas in the module documentation.

pub mod fluctuation;
pub mod labour;
pub mod money;
pub mod observed;
pub mod residential;
pub mod segregation;
pub mod tally;
