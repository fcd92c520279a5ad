//! Synthetic regions from a compact description: `[synthetic]` expands into cities and
//! districts, so a national-scale scenario (hundreds of districts, tens of millions of persons)
//! is a short file rather than a giant one.
//!
//! District sizes follow Zipf's law (size ∝ rank^−zipf, scaled to `population`); the districts
//! of a city are consecutive ranks. Each district draws a quality in [0.3, 0.75] from a
//! deterministic stream (`layout_seed`); rent rises with quality, social housing falls with it,
//! and the native share is `native_share` ± 0.15 following quality. The migrant population is
//! split among the non-native groups by `group_shares` (relative weights; default equal), each
//! varied by district. Housing is `housing_slack` above the population. Groups, behaviour and
//! policies are written as in any scenario.

use std::collections::BTreeMap;

use super::params::{Invalid, Rule, param_table};
use super::path::KeyPath;
use super::wire::{WireCity, WireDistrict, WireGroup};
use crate::rng::{Purpose, StreamKey};

param_table! {
    /// `[synthetic]`: a generated region (cities and districts).
    Synthetic / WireSynthetic {
        /// Number of cities.
        cities: i64 = 10, Rule::IntRange(1, 8000);
        /// Districts per city.
        districts_per_city: i64 = 1, Rule::IntRange(1, 1000);
        /// Persons in the whole region.
        population: f64 = 1_000_000.0, Rule::Count;
        /// Zipf exponent of district sizes (0: all equal).
        zipf: f64 = 1.0, Rule::Range(0.0, 3.0);
        /// Housing above the initial population, as a share.
        housing_slack: f64 = 0.03, Rule::Range(0.0, 1.0);
        /// Mean share of natives (varies ±0.15 with district quality).
        native_share: f64 = 0.7, Rule::Share;
        /// Relative weights of the non-native groups in the migrant population (default: equal).
        group_shares: BTreeMap<String, f64> = BTreeMap::new(), Rule::NonNegative;
        /// Seed of the districts' qualities and mixes (not of the simulation).
        layout_seed: i64 = 1, Rule::IntRange(0, i64::MAX);
    }
}

/// The cities and districts of a synthetic region.
pub fn expand(s: &Synthetic, groups: &[WireGroup]) -> Result<(Vec<WireCity>, Vec<WireDistrict>), Invalid> {
    let path = KeyPath::root().key("synthetic");
    let names: Vec<&str> = groups.iter().filter_map(|g| g.name.as_deref()).collect();
    let native: Vec<&str> =
        groups.iter().filter(|g| g.native.unwrap_or(false)).filter_map(|g| g.name.as_deref()).collect();
    let migrants: Vec<&str> =
        groups.iter().filter(|g| !g.native.unwrap_or(false)).filter_map(|g| g.name.as_deref()).collect();
    for name in s.group_shares.keys() {
        if !migrants.contains(&name.as_str()) {
            let what = if names.contains(&name.as_str()) { "is native" } else { "is not a group" };
            return Err(Invalid::new(path.key("group_shares").key(name), format!("\"{name}\" {what}"))
                .with_hint("give weights for the non-native groups"));
        }
    }
    let weights: Vec<f64> = migrants
        .iter()
        .map(|g| if s.group_shares.is_empty() { 1.0 } else { s.group_shares.get(*g).copied().unwrap_or(0.0) })
        .collect();
    if migrants.is_empty() && s.native_share < 1.0 {
        return Err(Invalid::new(path.key("native_share"), "below 1 but the scenario has no non-native group"));
    }
    if native.is_empty() && s.native_share > 0.0 {
        return Err(Invalid::new(path.key("native_share"), "above 0 but the scenario has no native group"));
    }
    let (nc, dpc) = (s.cities as usize, s.districts_per_city as usize);
    let k = nc * dpc;
    let harmonic: f64 = (1..=k).map(|r| (r as f64).powf(-s.zipf)).sum();
    let total = s.population.round() as u64;
    let mut sizes: Vec<u64> =
        (1..=k).map(|r| (total as f64 * (r as f64).powf(-s.zipf) / harmonic).floor() as u64).collect();
    let assigned: u64 = sizes.iter().sum();
    sizes[0] += total - assigned;

    let key = StreamKey::new(s.layout_seed as u64, 0, Purpose::Initial);
    let cities: Vec<WireCity> = (0..nc).map(|c| WireCity { name: Some(format!("City {:04}", c + 1)) }).collect();
    let mut districts = Vec::with_capacity(k);
    for (d, &size) in sizes.iter().enumerate() {
        let mut r = key.stream(d as u64);
        let quality = 0.3 + 0.45 * r.uniform();
        let rent = 0.75 + 0.6 * (quality - 0.3) / 0.45 + 0.15 * r.uniform();
        let social = 0.2 * (0.75 - quality) / 0.45 * r.uniform();
        let native_share =
            if native.is_empty() { 0.0 } else { (s.native_share + 0.3 * (quality - 0.525) / 0.45).clamp(0.0, 1.0) };
        let varied: Vec<f64> = weights.iter().map(|w| w * (0.4 + 1.2 * r.uniform())).collect();
        let wsum: f64 = varied.iter().sum();
        let mut population = BTreeMap::new();
        let natives =
            if migrants.is_empty() || wsum == 0.0 { size } else { (size as f64 * native_share).round() as u64 };
        if let Some(n) = native.first() {
            population.insert(n.to_string(), natives as f64);
        }
        let migrant_total = size - natives;
        let mut given = 0u64;
        for (g, w) in migrants.iter().zip(&varied) {
            let n = if wsum > 0.0 { (migrant_total as f64 * w / wsum).floor() as u64 } else { 0 };
            given += n;
            population.insert(g.to_string(), n as f64);
        }
        if let Some(first) = migrants.iter().zip(&varied).find(|(_, w)| **w > 0.0).map(|(g, _)| g.to_string()) {
            *population.get_mut(&first).expect("inserted above") += (migrant_total - given) as f64;
        }
        population.retain(|_, n| *n > 0.0);
        let city = d / dpc;
        districts.push(WireDistrict {
            name: Some(format!("District {:04}-{}", city + 1, d % dpc + 1)),
            city: Some(format!("City {:04}", city + 1)),
            housing: Some((size as f64 * (1.0 + s.housing_slack)).ceil()),
            rent: Some((rent * 1000.0).round() / 1000.0),
            quality: Some((quality * 1000.0).round() / 1000.0),
            social_housing: Some((social * 1000.0).round() / 1000.0),
            population: Some(population),
        });
    }
    Ok((cities, districts))
}
