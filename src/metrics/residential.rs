//! Segregation of a simulated city, from the year's counts.
//!
//! Follows the German municipal practice: indices are computed on *foreign citizens by
//! nationality*. The count table of a city has one column per non-native group holding that
//! group's foreign citizens, one column for natives (Germans without migration background) and
//! one for naturalised Germans with a migration background; these partition the population.
//! Then, with the formulas of [`super::segregation`]:
//! - per group: IS of the group's foreign citizens against everyone else, IS against the total
//!   population, isolation, exposure to natives, and the random-placement noise floor of IS;
//! - all foreign citizens together against everyone else (same indices);
//! - Theil's H and multigroup dissimilarity over the table's columns.

use std::ops::Range;

use super::segregation::{
    CountTable, exposure, isolation, multigroup_dissimilarity, noise_floor, segregation_index,
    segregation_index_vs_total, theil_h,
};
use super::tally::Tally;
use crate::scenario::Scenario;

/// Indices of one group (or all foreign citizens) in a city.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct GroupSegregation {
    pub segregation_index: Option<f64>,
    pub segregation_index_vs_total: Option<f64>,
    pub isolation: Option<f64>,
    pub exposure_to_native: Option<f64>,
    pub noise_floor: Option<f64>,
}

/// All segregation indices of a city in a year.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CitySegregation {
    /// Indexed by group; natives get the default (undefined) entry.
    pub groups: Vec<GroupSegregation>,
    pub all_foreign: GroupSegregation,
    pub theil_h: Option<f64>,
    pub dissimilarity: Option<f64>,
}

fn indices(table: &CountTable, column: usize, native: usize, draws: u32, seed: u64) -> GroupSegregation {
    GroupSegregation {
        segregation_index: segregation_index(table, column),
        segregation_index_vs_total: segregation_index_vs_total(table, column),
        isolation: isolation(table, column),
        exposure_to_native: exposure(table, column, native),
        noise_floor: noise_floor(table, column, draws, seed),
    }
}

/// The city's indices; `districts` is the city's range of districts.
pub fn city(s: &Scenario, t: &Tally, districts: Range<usize>, draws: u32, seed: u64) -> CitySegregation {
    let ng = s.groups.len();
    let foreign_groups: Vec<usize> = (0..ng).filter(|&g| !s.groups[g].native).collect();
    let mut names: Vec<String> = foreign_groups.iter().map(|&g| s.groups[g].name.clone()).collect();
    names.push("natives".into());
    names.push("naturalised".into());
    let native_col = foreign_groups.len();
    let mut counts = Vec::new();
    let mut all = Vec::new();
    for d in districts.clone() {
        let mut natives = 0;
        let mut naturalised = 0;
        let mut foreign_total = 0;
        for &g in &foreign_groups {
            let c = t.get(d, g);
            counts.push(c.foreign);
            naturalised += c.population - c.foreign;
            foreign_total += c.foreign;
        }
        for g in (0..ng).filter(|&g| s.groups[g].native) {
            natives += t.get(d, g).population;
        }
        counts.push(natives);
        counts.push(naturalised);
        all.extend([foreign_total, natives, naturalised]);
    }
    let district_names: Vec<String> = districts.map(|d| s.districts[d].name.clone()).collect();
    let table = CountTable::new(district_names.clone(), names, counts);
    let all_table =
        CountTable::new(district_names, vec!["foreign".into(), "natives".into(), "naturalised".into()], all);
    let mut groups = vec![GroupSegregation::default(); ng];
    for (column, &g) in foreign_groups.iter().enumerate() {
        groups[g] = indices(&table, column, native_col, draws, seed.wrapping_add(g as u64));
    }
    CitySegregation {
        groups,
        all_foreign: indices(&all_table, 0, 1, draws, seed),
        theil_h: theil_h(&table),
        dissimilarity: multigroup_dissimilarity(&table),
    }
}
