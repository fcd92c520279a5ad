//! The segregation family of indices, computed from a count table of one city's districts.
//!
//! # The count table
//!
//! A [`CountTable`] holds, for every district `d` and every group `g`, the number of persons
//! `x_gd` (a non-negative integer). The groups must partition the population: the total of a
//! district is the sum over *all* columns, so a table must not contain a "total" column.
//!
//! Notation used below:
//!
//! - `t_d = Σ_g x_gd`, the population of district `d`;
//! - `T = Σ_d t_d`, the population of the city;
//! - `X_g = Σ_d x_gd`, the size of group `g`, and `P_g = X_g / T` its share.
//!
//! # The indices
//!
//! Every index returns `Option<f64>`: `None` means *undefined* (never NaN). Each formula below
//! says when it is undefined.
//!
//! 1. **Index of segregation** of group `g` against everyone else (Duncan & Duncan 1955; the
//!    German municipal *Segregationsindex*):
//!    `IS_g = ½ Σ_d | x_gd / X_g − (t_d − x_gd) / (T − X_g) |`.
//!    The share of the group that would have to move for it to be spread like everyone else.
//!    Undefined when `X_g = 0` (the group is absent) or `T − X_g = 0` (everyone belongs to it).
//! 2. **Index of segregation against the total population**:
//!    `IS_g_total = ½ Σ_d | x_gd / X_g − t_d / T |`.
//!    It equals `(1 − P_g) · IS_g`, and is undefined in the same cases as `IS_g` (so the
//!    identity holds whenever either side is defined).
//! 3. **Dissimilarity** between two groups `a` and `b`:
//!    `D_ab = ½ Σ_d | x_ad / X_a − x_bd / X_b |`. Undefined when `X_a = 0` or `X_b = 0`.
//! 4. **Isolation** of group `g`: `xPx_g = Σ_d (x_gd / X_g) (x_gd / t_d)`, the share of its own
//!    group in the district of an average member. Districts with `t_d = 0` contribute 0.
//!    Undefined when `X_g = 0`. (With no segregation it equals `P_g`, not 0.)
//! 5. **Exposure** of group `g` to a reference group `r` (used with `r` = the natives):
//!    `xPy_gr = Σ_d (x_gd / X_g) (x_rd / t_d)`. Districts with `t_d = 0` contribute 0.
//!    Undefined when `X_g = 0`. Isolation plus the exposures to every other group is 1.
//! 6. **Multigroup Theil entropy index** over all groups of the table: with `π_g = X_g / T`,
//!    the city's entropy `E = −Σ_g π_g ln π_g` (terms with `π_g = 0` are 0) and `E_d` the same
//!    within district `d` (with `π_gd = x_gd / t_d`),
//!    `H = Σ_d t_d (E − E_d) / (T · E)`. Districts with `t_d = 0` contribute 0.
//!    Undefined when `E = 0` (the city has fewer than two groups present, or `T = 0`).
//! 7. **Multigroup dissimilarity** (Sakoda 1981; Reardon & Firebaugh 2002):
//!    `D = Σ_d Σ_g t_d | π_gd − π_g | / (2 T I)`, with Simpson's interaction
//!    `I = Σ_g π_g (1 − π_g)`. Districts with `t_d = 0` contribute 0. Undefined when `I = 0`.
//!    With two groups it equals `D_ab`.
//! 8. **Noise floor** of `IS_g`: the expected `IS_g` if the group's `X_g` members were placed
//!    at random in proportion to the districts' populations while everyone else stays where
//!    observed. Each draw takes new counts `y_d ~ Multinomial(X_g, t_d / T)` (drawn as
//!    sequential binomials), keeps `o_d = t_d − x_gd`, and computes
//!    `½ Σ_d | y_d / X_g − o_d / (T − X_g) |`; the floor is the mean over the draws.
//!    Undefined when `IS_g` is, or with zero draws. Because the others are held as observed,
//!    the floor contains, besides pure sampling noise, a systematic part of at most
//!    `P_g · IS_g` (the expected `y_d / X_g` is `t_d / T`, which differs from
//!    `o_d / (T − X_g)` by `P_g (x_gd / X_g − o_d / (T − X_g))`); for small groups it is
//!    negligible. An observed `IS_g` near its floor is indistinguishable from random
//!    placement.
//!
//!    The floor is computed by simulation from its own fixed stream
//!    (`StreamKey::new(seed, 0, Purpose::Initial)`, counter = draw index). Streams are pure
//!    functions of their key and nothing is shared, so the noise floor never perturbs the
//!    simulation's streams, and the same seed always gives the same floor.
//!
//! All indices except the noise floor are invariant under multiplying every count by the same
//! constant. In a city of one district every two-group index is 0 (every group is spread
//! exactly like everyone else), `H` and `D` are 0, and isolation equals `P_g`.
//!
//! [`segregation_report`] computes all of these for every group of a table, for all foreign
//! groups together, and for the table as a whole.

use serde::{Serialize, Serializer};

use crate::rng::{Draws, Purpose, StreamKey};

/// Number of random placements averaged for the noise floor unless the caller says otherwise.
pub const DEFAULT_NOISE_FLOOR_DRAWS: u32 = 200;

/// Seed of the noise floor's own stream unless the caller says otherwise.
pub const DEFAULT_NOISE_FLOOR_SEED: u64 = 20_160_101;

/// Counts of persons by district (rows) and group (columns) in one city.
///
/// Invariant: `counts.len() == districts.len() * groups.len()`; [`CountTable::new`] checks it.
/// The count of group `g` in district `d` is `counts[d * groups.len() + g]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountTable {
    pub districts: Vec<String>,
    pub groups: Vec<String>,
    /// Row-major: one row per district, one column per group.
    pub counts: Vec<u64>,
}

impl CountTable {
    /// A table from row-major counts.
    ///
    /// # Panics
    /// If `counts` does not have one entry per (district, group).
    pub fn new(districts: Vec<String>, groups: Vec<String>, counts: Vec<u64>) -> Self {
        assert_eq!(counts.len(), districts.len() * groups.len(), "a count table needs one count per (district, group)");
        CountTable { districts, groups, counts }
    }

    /// A table from one row of counts per district.
    ///
    /// # Panics
    /// If the number of rows differs from the number of districts, or a row's length from the
    /// number of groups.
    pub fn from_rows(districts: Vec<String>, groups: Vec<String>, rows: &[Vec<u64>]) -> Self {
        assert_eq!(rows.len(), districts.len(), "a count table needs one row per district");
        assert!(
            rows.iter().all(|row| row.len() == groups.len()),
            "every row of a count table needs one count per group"
        );
        let counts = rows.iter().flatten().copied().collect();
        CountTable::new(districts, groups, counts)
    }

    pub fn district_count(&self) -> usize {
        self.districts.len()
    }

    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    /// The number of persons of `group` in `district`.
    pub fn count(&self, district: usize, group: usize) -> u64 {
        assert!(group < self.group_count(), "group index out of range");
        self.counts[district * self.group_count() + group]
    }

    /// The counts of one district, one per group.
    pub fn district_row(&self, district: usize) -> &[u64] {
        let width = self.group_count();
        &self.counts[district * width..(district + 1) * width]
    }

    /// `t_d` for every district: the sum over all groups.
    pub fn district_totals(&self) -> Vec<u64> {
        (0..self.district_count()).map(|d| self.district_row(d).iter().sum()).collect()
    }

    /// `x_gd` for every district.
    pub fn group_column(&self, group: usize) -> Vec<u64> {
        (0..self.district_count()).map(|d| self.count(d, group)).collect()
    }

    /// `X_g`: the size of one group in the whole city.
    pub fn group_total(&self, group: usize) -> u64 {
        self.group_column(group).iter().sum()
    }

    /// `T`: the population of the city.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The column of the group with this exact name.
    pub fn group_index(&self, name: &str) -> Option<usize> {
        self.groups.iter().position(|group| group == name)
    }
}

// ---------------------------------------------------------------------------------------------
// Building blocks on columns (one value per district).

/// `½ Σ_d | a_d / A − b_d / B |`; undefined when either column sums to 0.
fn dissimilarity_of_columns(first: &[u64], second: &[u64]) -> Option<f64> {
    let first_total: u64 = first.iter().sum();
    let second_total: u64 = second.iter().sum();
    if first_total == 0 || second_total == 0 {
        return None;
    }
    let sum_of_gaps: f64 = first
        .iter()
        .zip(second)
        .map(|(&a, &b)| (a as f64 / first_total as f64 - b as f64 / second_total as f64).abs())
        .sum();
    Some(sum_of_gaps / 2.0)
}

/// `Σ_d (g_d / G)(r_d / t_d)`; districts with `t_d = 0` contribute 0; undefined when `G = 0`.
fn exposure_of_columns(group: &[u64], reference: &[u64], district_totals: &[u64]) -> Option<f64> {
    let group_total: u64 = group.iter().sum();
    if group_total == 0 {
        return None;
    }
    let exposure = (0..group.len())
        .filter(|&d| district_totals[d] > 0)
        .map(|d| {
            let share_of_group_here = group[d] as f64 / group_total as f64;
            let share_of_reference_in_district = reference[d] as f64 / district_totals[d] as f64;
            share_of_group_here * share_of_reference_in_district
        })
        .sum();
    Some(exposure)
}

/// Everyone in each district who is not in `group`: `t_d − x_gd`.
fn everyone_else(group: &[u64], district_totals: &[u64]) -> Vec<u64> {
    district_totals.iter().zip(group).map(|(&total, &members)| total - members).collect()
}

/// `−Σ p ln p` over the shares `count / total`; terms with a zero count are 0.
fn entropy_of_counts(counts: &[u64], total: u64) -> f64 {
    counts
        .iter()
        .filter(|&&count| count > 0)
        .map(|&count| {
            let share = count as f64 / total as f64;
            -share * share.ln()
        })
        .sum()
}

// ---------------------------------------------------------------------------------------------
// The indices.

/// Index of segregation `IS_g` of `group` against everyone else (formula 1 of the module doc).
pub fn segregation_index(table: &CountTable, group: usize) -> Option<f64> {
    let members = table.group_column(group);
    let others = everyone_else(&members, &table.district_totals());
    dissimilarity_of_columns(&members, &others)
}

/// Index of segregation of `group` against the total population, `IS_g_total = (1 − P_g) IS_g`
/// (formula 2 of the module doc).
pub fn segregation_index_vs_total(table: &CountTable, group: usize) -> Option<f64> {
    let group_total = table.group_total(group);
    if group_total == table.total() {
        return None;
    }
    dissimilarity_of_columns(&table.group_column(group), &table.district_totals())
}

/// Dissimilarity `D_ab` between two groups (formula 3 of the module doc).
pub fn dissimilarity(table: &CountTable, first_group: usize, second_group: usize) -> Option<f64> {
    dissimilarity_of_columns(&table.group_column(first_group), &table.group_column(second_group))
}

/// Isolation `xPx` of `group` (formula 4 of the module doc).
pub fn isolation(table: &CountTable, group: usize) -> Option<f64> {
    exposure(table, group, group)
}

/// Exposure `xPy` of `group` to `reference_group` (formula 5 of the module doc).
pub fn exposure(table: &CountTable, group: usize, reference_group: usize) -> Option<f64> {
    exposure_of_columns(&table.group_column(group), &table.group_column(reference_group), &table.district_totals())
}

/// Multigroup Theil entropy index `H` over all groups of the table (formula 6).
pub fn theil_h(table: &CountTable) -> Option<f64> {
    let city_total = table.total();
    let group_totals: Vec<u64> = (0..table.group_count()).map(|g| table.group_total(g)).collect();
    let city_entropy = entropy_of_counts(&group_totals, city_total);
    if city_entropy <= 0.0 {
        return None;
    }
    let weighted_entropy_deficit: f64 = (0..table.district_count())
        .map(|d| {
            let row = table.district_row(d);
            let district_total: u64 = row.iter().sum();
            if district_total == 0 {
                return 0.0;
            }
            district_total as f64 * (city_entropy - entropy_of_counts(row, district_total))
        })
        .sum();
    Some(weighted_entropy_deficit / (city_total as f64 * city_entropy))
}

/// Multigroup dissimilarity `D` over all groups of the table (formula 7).
pub fn multigroup_dissimilarity(table: &CountTable) -> Option<f64> {
    let city_total = table.total();
    if city_total == 0 {
        return None;
    }
    let city_shares: Vec<f64> =
        (0..table.group_count()).map(|g| table.group_total(g) as f64 / city_total as f64).collect();
    let simpson_interaction: f64 = city_shares.iter().map(|share| share * (1.0 - share)).sum();
    if simpson_interaction <= 0.0 {
        return None;
    }
    let weighted_gaps: f64 = (0..table.district_count())
        .map(|d| {
            let row = table.district_row(d);
            let district_total: u64 = row.iter().sum();
            if district_total == 0 {
                return 0.0;
            }
            let gaps: f64 = row
                .iter()
                .zip(&city_shares)
                .map(|(&count, city_share)| (count as f64 / district_total as f64 - city_share).abs())
                .sum();
            district_total as f64 * gaps
        })
        .sum();
    Some(weighted_gaps / (2.0 * city_total as f64 * simpson_interaction))
}

/// Draws `trials` items over the categories with probabilities proportional to `weights`, as
/// sequential binomials: category `k` gets `Binomial(trials left, w_k / weight left)`.
fn multinomial_by_weights(trials: u64, weights: &[u64], draws: &mut Draws) -> Vec<u64> {
    let mut trials_left = trials;
    let mut weight_left: u64 = weights.iter().sum();
    weights
        .iter()
        .map(|&weight| {
            let probability = if weight_left == 0 { 0.0 } else { weight as f64 / weight_left as f64 };
            let drawn = draws.binomial(trials_left, probability);
            trials_left -= drawn;
            weight_left -= weight;
            drawn
        })
        .collect()
}

/// The random-placement noise floor of `IS_g` (formula 8 of the module doc): the mean over
/// `draws` random placements of the group, each from its own fixed stream keyed by `seed`.
pub fn noise_floor(table: &CountTable, group: usize, draws: u32, seed: u64) -> Option<f64> {
    let members = table.group_column(group);
    let district_totals = table.district_totals();
    let others = everyone_else(&members, &district_totals);
    let group_total: u64 = members.iter().sum();
    let others_total: u64 = others.iter().sum();
    if draws == 0 || group_total == 0 || others_total == 0 {
        return None;
    }
    let key = StreamKey::new(seed, 0, Purpose::Initial);
    let sum: f64 = (0..draws)
        .map(|draw| {
            let mut stream = key.stream(u64::from(draw));
            let placed = multinomial_by_weights(group_total, &district_totals, &mut stream);
            dissimilarity_of_columns(&placed, &others).unwrap_or(0.0)
        })
        .sum();
    Some(sum / f64::from(draws))
}

// ---------------------------------------------------------------------------------------------
// The report.

/// The indices of one group (or of all foreign groups together) against the rest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupIndices {
    pub segregation_index: Option<f64>,
    pub segregation_index_vs_total: Option<f64>,
    pub isolation: Option<f64>,
    /// `None` when the table has no native column.
    pub exposure_to_native: Option<f64>,
    pub noise_floor: Option<f64>,
}

/// A group's name with its indices.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedGroupIndices {
    pub group: String,
    pub indices: GroupIndices,
}

/// The indices over all groups of the table at once.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MultigroupIndices {
    pub theil_h: Option<f64>,
    pub dissimilarity: Option<f64>,
}

/// Every index for one table. Serialises (with `serde_json`) as
/// `{"groups": {NAME: GroupIndices, ..}, "all_foreign": GroupIndices, "multigroup": ..}`,
/// with the groups in column order and undefined indices as `null`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegregationReport {
    /// Every non-native group, in column order.
    #[serde(serialize_with = "serialize_groups_in_order")]
    pub groups: Vec<NamedGroupIndices>,
    /// All non-native columns summed into one group, against the native column.
    pub all_foreign: GroupIndices,
    pub multigroup: MultigroupIndices,
}

fn serialize_groups_in_order<S: Serializer>(groups: &[NamedGroupIndices], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_map(groups.iter().map(|named| (&named.group, &named.indices)))
}

/// The indices of one column of `table`, with `native` as the reference for exposure.
fn group_indices(
    table: &CountTable,
    group: usize,
    native: Option<usize>,
    noise_floor_draws: u32,
    noise_floor_seed: u64,
) -> GroupIndices {
    GroupIndices {
        segregation_index: segregation_index(table, group),
        segregation_index_vs_total: segregation_index_vs_total(table, group),
        isolation: isolation(table, group),
        exposure_to_native: native.and_then(|native| exposure(table, group, native)),
        noise_floor: noise_floor(table, group, noise_floor_draws, noise_floor_seed),
    }
}

/// A two-column table: all non-native columns summed ("all_foreign"), then the native column
/// (absent when there is none, so that "all foreign" is everyone).
fn all_foreign_versus_native(table: &CountTable, native: Option<usize>) -> CountTable {
    let mut groups = vec!["all_foreign".to_string()];
    groups.extend(native.map(|n| table.groups[n].clone()));
    let mut counts = Vec::with_capacity(table.district_count() * groups.len());
    for d in 0..table.district_count() {
        let row = table.district_row(d);
        let foreign: u64 = (0..row.len()).filter(|&g| Some(g) != native).map(|g| row[g]).sum();
        counts.push(foreign);
        counts.extend(native.map(|n| row[n]));
    }
    CountTable::new(table.districts.clone(), groups, counts)
}

/// Computes every index of the module for `table`: each non-native group against everyone
/// else, all non-native groups together, and the multigroup indices over all columns.
/// `native` is the column of the natives (the reference for exposure), if any.
///
/// # Panics
/// If `native` is not a column of the table.
pub fn segregation_report(
    table: &CountTable,
    native: Option<usize>,
    noise_floor_draws: u32,
    noise_floor_seed: u64,
) -> SegregationReport {
    if let Some(native) = native {
        assert!(native < table.group_count(), "native column out of range");
    }
    let groups = (0..table.group_count())
        .filter(|&g| Some(g) != native)
        .map(|g| NamedGroupIndices {
            group: table.groups[g].clone(),
            indices: group_indices(table, g, native, noise_floor_draws, noise_floor_seed),
        })
        .collect();
    let foreign_table = all_foreign_versus_native(table, native);
    let native_in_foreign_table = native.map(|_| 1);
    let all_foreign = group_indices(&foreign_table, 0, native_in_foreign_table, noise_floor_draws, noise_floor_seed);
    let multigroup = MultigroupIndices { theil_h: theil_h(table), dissimilarity: multigroup_dissimilarity(table) };
    SegregationReport { groups, all_foreign, multigroup }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOLERANCE: f64 = 1e-12;

    fn names(prefix: &str, count: usize) -> Vec<String> {
        (0..count).map(|i| format!("{prefix}{i}")).collect()
    }

    fn table(rows: &[Vec<u64>]) -> CountTable {
        let group_count = rows.first().map_or(0, Vec::len);
        CountTable::from_rows(names("district", rows.len()), names("group", group_count), rows)
    }

    fn assert_close(actual: Option<f64>, expected: f64) {
        let actual = actual.expect("index should be defined");
        assert!((actual - expected).abs() < TOLERANCE, "expected {expected}, got {actual}");
    }

    /// Three districts, group 0 = foreign (A), group 1 = native (B):
    ///
    /// | district | A  | B  | t  |
    /// |----------|----|----|----|
    /// | 1        | 20 | 20 | 40 |
    /// | 2        | 10 | 30 | 40 |
    /// | 3        | 10 | 70 | 80 |
    ///
    /// X_A = 40, X_B = 120, T = 160, P_A = 0.25.
    fn three_districts_two_groups() -> CountTable {
        table(&[vec![20, 20], vec![10, 30], vec![10, 70]])
    }

    #[test]
    fn segregation_index_by_hand() {
        // IS_A = ½ (|20/40 − 20/120| + |10/40 − 30/120| + |10/40 − 70/120|)
        //      = ½ (|1/2 − 1/6| + |1/4 − 1/4| + |1/4 − 7/12|) = ½ (1/3 + 0 + 1/3) = 1/3.
        assert_close(segregation_index(&three_districts_two_groups(), 0), 1.0 / 3.0);
    }

    #[test]
    fn segregation_index_vs_total_by_hand_and_identity() {
        let table = three_districts_two_groups();
        // IS_A_total = ½ (|20/40 − 40/160| + |10/40 − 40/160| + |10/40 − 80/160|)
        //            = ½ (1/4 + 0 + 1/4) = 1/4 = (1 − 1/4) · 1/3.
        assert_close(segregation_index_vs_total(&table, 0), 0.25);
        let share = 40.0 / 160.0;
        let identity = (1.0 - share) * segregation_index(&table, 0).unwrap();
        assert_close(segregation_index_vs_total(&table, 0), identity);
    }

    #[test]
    fn dissimilarity_by_hand() {
        // With two groups, "everyone else" is B, so D_AB = IS_A = 1/3, and D is symmetric.
        let table = three_districts_two_groups();
        assert_close(dissimilarity(&table, 0, 1), 1.0 / 3.0);
        assert_close(dissimilarity(&table, 1, 0), 1.0 / 3.0);
        assert_close(dissimilarity(&table, 0, 0), 0.0);
    }

    #[test]
    fn isolation_and_exposure_by_hand() {
        let table = three_districts_two_groups();
        // xPx_A = (20/40)(20/40) + (10/40)(10/40) + (10/40)(10/80)
        //       = 0.25 + 0.0625 + 0.03125 = 0.34375.
        assert_close(isolation(&table, 0), 0.34375);
        // xPy_AB = (20/40)(20/40) + (10/40)(30/40) + (10/40)(70/80)
        //        = 0.25 + 0.1875 + 0.21875 = 0.65625 = 1 − xPx_A.
        assert_close(exposure(&table, 0, 1), 0.65625);
    }

    #[test]
    fn theil_h_by_hand_two_groups() {
        // π = (1/4, 3/4): E = ¼ ln 4 + ¾ ln 4/3.
        // E_1 = ln 2 (½, ½); E_2 = E (¼, ¾); E_3 = ⅛ ln 8 + ⅞ ln 8/7 (⅛, ⅞).
        // H = [40 (E − ln 2) + 40 · 0 + 80 (E − E_3)] / (160 E) ≈ 0.1068393.
        let city = 0.25 * 4f64.ln() + 0.75 * (4.0f64 / 3.0).ln();
        let third = 0.125 * 8f64.ln() + 0.875 * (8.0f64 / 7.0).ln();
        let expected = (40.0 * (city - 2f64.ln()) + 80.0 * (city - third)) / (160.0 * city);
        assert_close(theil_h(&three_districts_two_groups()), expected);
        assert!((expected - 0.106_839_281).abs() < 1e-8);
    }

    #[test]
    fn multigroup_dissimilarity_by_hand_two_groups_equals_d() {
        // I = 2 · ¼ · ¾ = 3/8. Σ_d t_d Σ_g |π_gd − π_g| = 40 (¼ + ¼) + 40 · 0 + 80 (⅛ + ⅛) = 40.
        // D = 40 / (2 · 160 · 3/8) = 40 / 120 = 1/3 = D_AB.
        assert_close(multigroup_dissimilarity(&three_districts_two_groups()), 1.0 / 3.0);
    }

    /// Two districts, three groups:
    ///
    /// | district | A  | B  | C  | t  |
    /// |----------|----|----|----|----|
    /// | 1        | 10 | 0  | 10 | 20 |
    /// | 2        | 0  | 20 | 20 | 40 |
    ///
    /// T = 60, π = (1/6, 1/3, 1/2).
    fn two_districts_three_groups() -> CountTable {
        table(&[vec![10, 0, 10], vec![0, 20, 20]])
    }

    #[test]
    fn multigroup_dissimilarity_by_hand_three_groups() {
        // I = 1/6 · 5/6 + 1/3 · 2/3 + 1/2 · 1/2 = (5 + 8 + 9)/36 = 11/18.
        // District 1: π_d = (½, 0, ½): |½ − 1/6| + |0 − 1/3| + 0 = 2/3, times 20 = 40/3.
        // District 2: π_d = (0, ½, ½): 1/6 + 1/6 + 0 = 1/3, times 40 = 40/3.
        // D = (80/3) / (2 · 60 · 11/18) = (80/3) / (220/3) = 4/11.
        assert_close(multigroup_dissimilarity(&two_districts_three_groups()), 4.0 / 11.0);
    }

    #[test]
    fn theil_h_by_hand_three_groups() {
        // E = (1/6) ln 6 + (1/3) ln 3 + (1/2) ln 2 ≈ 1.0114043; E_1 = E_2 = ln 2.
        // H = [20 (E − ln 2) + 40 (E − ln 2)] / (60 E) = 1 − ln 2 / E ≈ 0.3146685.
        let city = 6f64.ln() / 6.0 + 3f64.ln() / 3.0 + 2f64.ln() / 2.0;
        assert_close(theil_h(&two_districts_three_groups()), 1.0 - 2f64.ln() / city);
        assert!((1.0 - 2f64.ln() / city - 0.314_668_521).abs() < 1e-8);
    }

    #[test]
    fn isolation_plus_exposures_to_all_groups_is_one() {
        let table = two_districts_three_groups();
        for g in 0..3 {
            let total: f64 = (0..3).map(|r| exposure(&table, g, r).unwrap()).sum();
            assert_close(Some(total), 1.0);
        }
    }

    #[test]
    fn even_distribution_gives_zero() {
        // Every district has the same mix 1 : 2 : 3.
        let table = table(&[vec![10, 20, 30], vec![30, 60, 90], vec![5, 10, 15]]);
        for g in 0..3 {
            assert_close(segregation_index(&table, g), 0.0);
            assert_close(segregation_index_vs_total(&table, g), 0.0);
            for other in 0..3 {
                assert_close(dissimilarity(&table, g, other), 0.0);
            }
        }
        assert_close(theil_h(&table), 0.0);
        assert_close(multigroup_dissimilarity(&table), 0.0);
        // With no segregation, isolation is the group's share of the city.
        assert_close(isolation(&table, 0), 1.0 / 6.0);
    }

    #[test]
    fn complete_separation_gives_one() {
        let table = table(&[vec![50, 0, 0], vec![0, 30, 0], vec![0, 0, 20], vec![0, 40, 0]]);
        for g in 0..3 {
            assert_close(segregation_index(&table, g), 1.0);
            assert_close(isolation(&table, g), 1.0);
            for other in (0..3).filter(|&other| other != g) {
                assert_close(dissimilarity(&table, g, other), 1.0);
                assert_close(exposure(&table, g, other), 0.0);
            }
        }
        assert_close(theil_h(&table), 1.0);
        assert_close(multigroup_dissimilarity(&table), 1.0);
    }

    #[test]
    fn indices_are_invariant_under_scaling_all_counts() {
        let original = two_districts_three_groups();
        let mut scaled = original.clone();
        scaled.counts.iter_mut().for_each(|count| *count *= 37);
        let pairs: [(Option<f64>, Option<f64>); 4] = [
            (theil_h(&original), theil_h(&scaled)),
            (multigroup_dissimilarity(&original), multigroup_dissimilarity(&scaled)),
            (dissimilarity(&original, 0, 2), dissimilarity(&scaled, 0, 2)),
            (exposure(&original, 1, 2), exposure(&scaled, 1, 2)),
        ];
        for (before, after) in pairs {
            assert_close(after, before.unwrap());
        }
        for g in 0..3 {
            assert_close(segregation_index(&scaled, g), segregation_index(&original, g).unwrap());
            assert_close(isolation(&scaled, g), isolation(&original, g).unwrap());
            assert_close(segregation_index_vs_total(&scaled, g), segregation_index_vs_total(&original, g).unwrap());
        }
    }

    #[test]
    fn absent_group_is_undefined() {
        let table = table(&[vec![10, 0, 5], vec![20, 0, 5]]);
        assert_eq!(segregation_index(&table, 1), None);
        assert_eq!(segregation_index_vs_total(&table, 1), None);
        assert_eq!(isolation(&table, 1), None);
        assert_eq!(exposure(&table, 1, 0), None);
        assert_eq!(dissimilarity(&table, 0, 1), None);
        assert_eq!(dissimilarity(&table, 1, 0), None);
        assert_eq!(noise_floor(&table, 1, 10, 1), None);
        // Exposure *to* an absent group is defined: 0.
        assert_close(exposure(&table, 0, 1), 0.0);
        // The multigroup indices ignore the absent group.
        assert!(theil_h(&table).is_some());
    }

    #[test]
    fn group_that_is_everyone_and_empty_city_are_undefined() {
        let everyone = table(&[vec![10, 0], vec![20, 0]]);
        assert_eq!(segregation_index(&everyone, 0), None);
        assert_eq!(segregation_index_vs_total(&everyone, 0), None);
        assert_eq!(noise_floor(&everyone, 0, 10, 1), None);
        assert_eq!(theil_h(&everyone), None);
        assert_eq!(multigroup_dissimilarity(&everyone), None);
        assert_close(isolation(&everyone, 0), 1.0);

        let empty = table(&[vec![0, 0], vec![0, 0]]);
        for g in 0..2 {
            assert_eq!(segregation_index(&empty, g), None);
            assert_eq!(isolation(&empty, g), None);
        }
        assert_eq!(theil_h(&empty), None);
        assert_eq!(multigroup_dissimilarity(&empty), None);
    }

    #[test]
    fn one_district_city_is_not_segregated() {
        // Every group is spread exactly like everyone else: IS = D = H = 0, isolation = P_g.
        let table = table(&[vec![25, 75]]);
        assert_close(segregation_index(&table, 0), 0.0);
        assert_close(segregation_index_vs_total(&table, 0), 0.0);
        assert_close(dissimilarity(&table, 0, 1), 0.0);
        assert_close(theil_h(&table), 0.0);
        assert_close(multigroup_dissimilarity(&table), 0.0);
        assert_close(isolation(&table, 0), 0.25);
        // Random placement in one district reproduces the observed table exactly.
        assert_close(noise_floor(&table, 0, 5, 1), 0.0);
    }

    #[test]
    fn empty_districts_contribute_nothing() {
        let with_empty = table(&[vec![20, 20], vec![0, 0], vec![10, 30], vec![10, 70]]);
        let without = three_districts_two_groups();
        assert_close(segregation_index(&with_empty, 0), segregation_index(&without, 0).unwrap());
        assert_close(isolation(&with_empty, 0), isolation(&without, 0).unwrap());
        assert_close(theil_h(&with_empty), theil_h(&without).unwrap());
        assert_close(multigroup_dissimilarity(&with_empty), multigroup_dissimilarity(&without).unwrap());
    }

    /// 21 districts of about 6,400 persons; a group of 2,500 spread evenly (119 per district,
    /// one more in the first).
    fn evenly_spread_group(group_size_per_district: u64) -> CountTable {
        let rows: Vec<Vec<u64>> = (0..21)
            .map(|d| {
                let members = group_size_per_district + u64::from(d == 0);
                vec![members, 6_400 - members + d * 10]
            })
            .collect();
        table(&rows)
    }

    #[test]
    fn noise_floor_matches_the_targets_order_of_magnitude() {
        // TARGETS: random placement alone gives IS ≈ 0.04–0.06 for 2,000–3,000 in 21 districts.
        // Each y_d ~ Bin(2500, ≈1/21) has sd ≈ 10.6, so E|y_d/X − 1/21| ≈ 0.8 · 10.6 / 2500 and
        // the floor ≈ ½ · 21 · 0.0034 ≈ 0.036.
        let table = evenly_spread_group(119);
        assert_eq!(table.group_total(0), 2_500);
        let floor = noise_floor(&table, 0, 200, DEFAULT_NOISE_FLOOR_SEED).unwrap();
        assert!((0.02..0.08).contains(&floor), "floor {floor}");
        // The observed, even spread is far below its floor.
        assert!(segregation_index(&table, 0).unwrap() < floor / 2.0);
    }

    #[test]
    fn noise_floor_is_deterministic_and_shrinks_with_group_size() {
        let small = evenly_spread_group(119);
        let first = noise_floor(&small, 0, 50, 7);
        assert_eq!(first, noise_floor(&small, 0, 50, 7));
        assert_ne!(first, noise_floor(&small, 0, 50, 8));
        assert_eq!(noise_floor(&small, 0, 0, 7), None);
        // Ten times the group: the sampling noise falls by about √10.
        let large = evenly_spread_group(1_190);
        let large_floor = noise_floor(&large, 0, 50, 7).unwrap();
        assert!(large_floor < first.unwrap() / 2.0, "{large_floor} vs {first:?}");
    }

    #[test]
    fn multinomial_places_every_trial_and_respects_zero_weights() {
        let mut stream = StreamKey::new(3, 0, Purpose::Initial).stream(0);
        for _ in 0..100 {
            let drawn = multinomial_by_weights(1_000, &[5, 0, 3, 2, 0], &mut stream);
            assert_eq!(drawn.iter().sum::<u64>(), 1_000);
            assert_eq!((drawn[1], drawn[4]), (0, 0));
        }
    }

    /// A random table from the crate's own streams: 1–8 districts, 1–5 groups, counts with
    /// many zeros and very different scales.
    fn random_table(case: u64) -> CountTable {
        let mut stream = StreamKey::new(99, 0, Purpose::Initial).stream(case);
        let district_count = 1 + (stream.next_u64() % 8) as usize;
        let group_count = 1 + (stream.next_u64() % 5) as usize;
        let scale = [1.0, 10.0, 1_000.0][(stream.next_u64() % 3) as usize];
        let rows: Vec<Vec<u64>> = (0..district_count)
            .map(|_| {
                (0..group_count)
                    .map(|_| if stream.chance(0.3) { 0 } else { (stream.uniform() * scale).round() as u64 })
                    .collect()
            })
            .collect();
        table(&rows)
    }

    fn assert_in_unit_interval(value: Option<f64>, what: &str, case: u64) {
        if let Some(value) = value {
            assert!(!value.is_nan(), "{what} is NaN in case {case}");
            assert!((-TOLERANCE..=1.0 + TOLERANCE).contains(&value), "{what} = {value} in case {case}");
        }
    }

    #[test]
    fn every_defined_index_of_random_tables_lies_in_the_unit_interval() {
        let mut defined = 0;
        for case in 0..500 {
            let table = random_table(case);
            let groups = table.group_count();
            for g in 0..groups {
                let values = [
                    ("IS", segregation_index(&table, g)),
                    ("IS vs total", segregation_index_vs_total(&table, g)),
                    ("isolation", isolation(&table, g)),
                    ("noise floor", noise_floor(&table, g, 3, case)),
                ];
                for (what, value) in values {
                    assert_in_unit_interval(value, what, case);
                    defined += usize::from(value.is_some());
                }
                if let (Some(is), Some(vs_total)) =
                    (segregation_index(&table, g), segregation_index_vs_total(&table, g))
                {
                    let share = table.group_total(g) as f64 / table.total() as f64;
                    assert!((vs_total - (1.0 - share) * is).abs() < 1e-9, "identity, case {case}");
                }
                for other in 0..groups {
                    assert_in_unit_interval(dissimilarity(&table, g, other), "D", case);
                    assert_in_unit_interval(exposure(&table, g, other), "exposure", case);
                }
            }
            assert_in_unit_interval(theil_h(&table), "H", case);
            assert_in_unit_interval(multigroup_dissimilarity(&table), "multigroup D", case);
            let report = segregation_report(&table, Some(0), 2, case);
            let json = serde_json::to_string(&report).unwrap();
            assert!(!json.contains("NaN"), "case {case}: {json}");
        }
        // The generator must produce mostly defined indices, or the test proves little.
        assert!(defined > 1_000, "only {defined} defined indices");
    }

    #[test]
    fn report_covers_every_non_native_group_and_all_foreign() {
        // Columns: natives, Turkey, Poland.
        let table = CountTable::from_rows(
            names("district", 3),
            vec!["native".into(), "Turkey".into(), "Poland".into()],
            &[vec![100, 30, 0], vec![200, 10, 20], vec![100, 0, 0]],
        );
        let report = segregation_report(&table, Some(0), 20, 1);
        let group_names: Vec<&str> = report.groups.iter().map(|named| named.group.as_str()).collect();
        assert_eq!(group_names, ["Turkey", "Poland"]);
        let turkey = &report.groups[0].indices;
        assert_eq!(turkey.segregation_index, segregation_index(&table, 1));
        assert_eq!(turkey.exposure_to_native, exposure(&table, 1, 0));
        assert_eq!(turkey.noise_floor, noise_floor(&table, 1, 20, 1));
        // All foreign: 30, 30, 0 against natives 100, 200, 100 (X_F = 60, X_N = 400).
        // IS = ½ (|30/60 − 100/400| + |30/60 − 200/400| + |0 − 100/400|) = ½ (¼ + 0 + ¼) = ¼.
        assert_close(report.all_foreign.segregation_index, 0.25);
        // Exposure to natives = ½ · 100/130 + ½ · 200/230.
        assert_close(report.all_foreign.exposure_to_native, 0.5 * 100.0 / 130.0 + 0.5 * 200.0 / 230.0);
        assert_eq!(report.multigroup.theil_h, theil_h(&table));

        let json = serde_json::to_string(&report).unwrap();
        assert!(json.starts_with(r#"{"groups":{"Turkey":{"segregation_index":"#), "{json}");
        assert!(json.find("\"Turkey\"").unwrap() < json.find("\"Poland\"").unwrap());
    }

    #[test]
    fn report_without_native_column_has_null_exposure() {
        let report = segregation_report(&three_districts_two_groups(), None, 5, 1);
        assert_eq!(report.groups.len(), 2);
        assert!(report.groups.iter().all(|named| named.indices.exposure_to_native.is_none()));
        // "All foreign" is then everyone: segregation is undefined.
        assert_eq!(report.all_foreign.segregation_index, None);
        let value = serde_json::to_value(&report).unwrap();
        assert_eq!(value["groups"]["group0"]["exposure_to_native"], serde_json::Value::Null);
        assert_eq!(value["all_foreign"]["segregation_index"], serde_json::Value::Null);
    }
}
