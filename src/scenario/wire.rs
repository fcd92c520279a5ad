//! The scenario file as written by people: the *wire* format.
//!
//! Every field is optional so that the same type reads a complete scenario, a policy scenario that
//! `extends` another and holds only what differs, and the fully resolved scenario written next to
//! the results. Unknown keys are rejected (`deny_unknown_fields`) so that a typo never silently
//! falls back to a default.
//!
//! This module knows nothing about defaults or validity: `resolve` turns a merged wire scenario
//! into the checked domain type [`crate::scenario::Scenario`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use super::tables::{
    WireBehaviour, WireDemography, WireEconomy, WireEqualisation, WireHousing, WireInitial, WireLanguageCourses,
    WireMap, WireNeighbourhood, WireResidence, WireRetention, WireShift, WireSocialMix,
};

/// A whole scenario file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WireScenario {
    /// Path of a scenario this one builds on, relative to this file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<WireMeta>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demography: Option<WireDemography>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub behaviour: Option<WireBehaviour>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub economy: Option<WireEconomy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub housing: Option<WireHousing>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<WirePolicies>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub map: Option<WireMap>,
    /// A generated region: cities and districts from a compact description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub synthetic: Option<super::synthetic::WireSynthetic>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<Vec<WireCity>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub district: Option<Vec<WireDistrict>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<Vec<WireGroup>>,
}

/// `[scenario]`: what is simulated, for how long, with which seed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WireMeta {
    pub name: Option<String>,
    pub description: Option<String>,
    pub start_year: Option<i64>,
    pub years: Option<i64>,
    pub seed: Option<u64>,
    pub replications: Option<i64>,
}

/// `[[city]]`: a municipality with its own budget.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WireCity {
    pub name: Option<String>,
}

/// `[[district]]`: a part of a city with housing.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WireDistrict {
    pub name: Option<String>,
    pub city: Option<String>,
    pub housing: Option<f64>,
    pub rent: Option<f64>,
    pub quality: Option<f64>,
    pub social_housing: Option<f64>,
    pub population: Option<BTreeMap<String, f64>>,
}

/// `[[group]]`: an origin group with its arrivals and initial characteristics.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WireGroup {
    pub name: Option<String>,
    pub native: Option<bool>,
    pub refugee: Option<bool>,
    pub arrivals: Option<WireArrivals>,
    pub in_from_elsewhere: Option<f64>,
    pub age_mean: Option<f64>,
    pub age_sd: Option<f64>,
    pub children_mean: Option<f64>,
    pub language_mean: Option<f64>,
    pub language_sd: Option<f64>,
    pub skill_mean: Option<f64>,
    pub skill_sd: Option<f64>,
    pub participation: Option<f64>,
    pub birth_rate: Option<f64>,
    pub naturalisation_rate: Option<f64>,
    pub work_delay: Option<i64>,
    pub initial: Option<WireInitial>,
    pub shift: Option<WireShift>,
}

/// `arrivals` of a group: yearly persons arriving from abroad (heads and children together).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WireArrivals {
    pub base: Option<f64>,
    pub series: Option<BTreeMap<String, f64>>,
    pub waves: Option<Vec<WireWave>>,
}

/// One arrival wave: `size` persons in `year`, then `size·decay^k` k years later.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WireWave {
    pub year: Option<i64>,
    pub size: Option<f64>,
    pub decay: Option<f64>,
}

/// `[policy.*]`: each lever is off unless its table is present.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WirePolicies {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub residence_requirement: Option<WireResidence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fiscal_equalisation: Option<WireEqualisation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub neighbourhood_management: Option<WireNeighbourhood>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub social_mix: Option<WireSocialMix>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention: Option<WireRetention>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language_courses: Option<WireLanguageCourses>,
}
