//! Location choice tables: the district utilities of MODEL §4, tabulated once a year.
//!
//! A district's utility for a person depends on the person only through (group, income class),
//! so each year the engine builds, per (group, income class), the weights `exp(U)` of all
//! districts as prefix sums. Sampling a district is then a binary search, O(log K), and the
//! city-change penalty is applied by splitting the table into the own city's contiguous range
//! and the rest, without per-city tables.
//!
//! `U = −b_rent·pressure(class)·(rent − 1) + b_own·share_own (natives: b_native·share_native)
//!      + b_quality·(1 + b_quality_income·class)·quality − b_poverty·poverty + b_vacancy·ln(supply + 1)`
//!
//! where `supply` is the dwellings expected on offer: free places plus those vacated by last
//! year's departures (see [`super::world::Snapshot::supply`]). With only free places, districts
//! that happen to be full one year and empty the next make everyone pile into the same place;
//! the turnover keeps the term close to a district's size, as in a real housing market.

use std::ops::Range;

use rayon::prelude::*;

use super::mobility::{AGE_BRACKETS, consider_logit};
use super::world::{Districts, Snapshot, World};
use crate::rng::{fast_exp, logistic};
use crate::scenario::Scenario;

/// Income classes: 0 = no earnings, then by yearly earnings.
pub const INCOME_CLASSES: usize = 6;
/// Upper earnings bounds (€/year) of classes 1..=4; class 5 is above the last.
pub const INCOME_BOUNDS: [f32; 4] = [15_000.0, 30_000.0, 45_000.0, 60_000.0];
/// How strongly rent weighs on each income class.
pub const RENT_PRESSURE: [f64; INCOME_CLASSES] = [1.5, 1.2, 1.0, 0.7, 0.5, 0.35];

#[inline]
pub fn income_class(income: f32) -> usize {
    if income <= 0.0 {
        return 0;
    }
    1 + INCOME_BOUNDS.iter().filter(|&&b| income >= b).count()
}

/// Per (group, income class) district weights, and per group the arrivals' weights.
#[derive(Debug, Clone)]
pub struct ChoiceTables {
    n_districts: usize,
    /// Weights `exp(U)`, `[(g * INCOME_CLASSES + c) * K + k]`.
    weight: Vec<f64>,
    /// Prefix sums of `weight` per row.
    cum: Vec<f64>,
    /// Arrivals' weights per group, `[g * K + k]`, and their prefix sums.
    arrival_weight: Vec<f64>,
    arrival_cum: Vec<f64>,
    /// Probability of considering a move by (group, location slot, income class, age bracket,
    /// recent arrival): every term of that decision is one of these, so the year tabulates it.
    consider: Vec<f64>,
}

/// One row of weights with its prefix sums.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub weight: &'a [f64],
    pub cum: &'a [f64],
}

impl<'a> Row<'a> {
    /// Sum of weights over all districts.
    #[inline]
    pub fn total(&self) -> f64 {
        self.cum.last().copied().unwrap_or(0.0)
    }

    /// Sum of weights over a range of districts.
    #[inline]
    pub fn sum(&self, r: &Range<usize>) -> f64 {
        if r.is_empty() {
            return 0.0;
        }
        let before = if r.start == 0 { 0.0 } else { self.cum[r.start - 1] };
        self.cum[r.end - 1] - before
    }

    /// The district within `r` where the cumulative weight passes `u` (`0 ≤ u < sum(r)`).
    #[inline]
    pub fn pick_in(&self, r: Range<usize>, u: f64) -> usize {
        debug_assert!(!r.is_empty(), "picking from an empty range");
        if r.is_empty() {
            return r.start.min(self.weight.len().saturating_sub(1));
        }
        let before = if r.start == 0 { 0.0 } else { self.cum[r.start - 1] };
        let target = before + u;
        let slice = &self.cum[r.clone()];
        let i = slice.partition_point(|&c| c <= target);
        // Guard against rounding at the upper end and zero-weight districts.
        let mut k = (r.start + i).min(r.end - 1);
        while k > r.start && self.weight[k] == 0.0 {
            k -= 1;
        }
        k
    }

    /// Sum of weights outside a range of districts (exactly 0 when nothing is outside).
    #[inline]
    pub fn outside(&self, r: &Range<usize>) -> f64 {
        self.sum(&(0..r.start)) + self.sum(&(r.end..self.weight.len()))
    }

    /// A district outside `r` (`0 ≤ u < outside(r)`).
    #[inline]
    pub fn pick_outside(&self, r: Range<usize>, u: f64) -> usize {
        let before = self.sum(&(0..r.start));
        let n = self.weight.len();
        if r.end >= n || (u < before && r.start > 0) {
            self.pick_in(0..r.start, u.min(before))
        } else {
            self.pick_in(r.end..n, u - before)
        }
    }
}

impl ChoiceTables {
    pub fn build(s: &Scenario, world: &World, districts: &Districts, snap: &Snapshot) -> Self {
        let (k_n, g_n) = (world.n_districts, world.n_groups);
        let b = &s.behaviour;
        let mut weight = vec![0.0; g_n * INCOME_CLASSES * k_n];
        let mut arrival_weight = vec![0.0; g_n * k_n];
        // One group per task (each element is computed the same way whatever the split).
        let rows = weight.par_chunks_mut(INCOME_CLASSES * k_n.max(1)).zip(arrival_weight.par_chunks_mut(k_n.max(1)));
        rows.enumerate().for_each(|(g, (weight, arrival_weight))| {
            let group = &s.groups[g];
            let native = group.native;
            for k in 0..k_n {
                let rent = districts.rent[k] - 1.0;
                let own = if native {
                    b.b_native * snap.native_share[k]
                } else {
                    (b.b_own + group.shift.own) * snap.share(k, g)
                };
                let common = -b.b_poverty * snap.poverty[k];
                let vacancy = b.b_vacancy * ((snap.supply[k] as f64) + 1.0).ln();
                for c in 0..INCOME_CLASSES {
                    let quality = b.b_quality * (1.0 + b.b_quality_income * c as f64) * snap.quality[k];
                    let u = -b.b_rent * RENT_PRESSURE[c] * rent + own + quality + common + vacancy;
                    weight[c * k_n + k] = fast_exp(u);
                }
                let arrival_own = if native {
                    b.b_native * snap.native_share[k]
                } else {
                    (b.b_own_arrival + group.shift.own) * snap.share(k, g)
                };
                let arrival_vacancy = b.b_vacancy * ((snap.arrival_supply[k] as f64) + 1.0).ln();
                let u = -b.b_rent_arrival * RENT_PRESSURE[0] * rent
                    + arrival_own
                    + b.b_quality * snap.quality[k]
                    + common
                    + arrival_vacancy;
                arrival_weight[k] = if snap.arrival_supply[k] == 0 { 0.0 } else { fast_exp(u) };
            }
        });
        let prefix = |w: &[f64]| -> Vec<f64> {
            let mut out = Vec::with_capacity(w.len());
            for row in w.chunks(k_n) {
                let mut acc = 0.0;
                for &x in row {
                    acc += x;
                    out.push(acc);
                }
            }
            out
        };
        let cum = prefix(&weight);
        let arrival_cum = prefix(&arrival_weight);
        // Every term of the decision to consider a move is one of (group, location slot, income
        // class, age bracket, recent arrival): tabulate its probability once a year.
        let representative_age = [20u8, 40, 70];
        let consider: Vec<f64> = (0..g_n * (k_n + 1))
            .into_par_iter()
            .flat_map_iter(|gs| {
                let (g, slot) = (gs / (k_n + 1), gs % (k_n + 1));
                (0..INCOME_CLASSES).flat_map(move |class| {
                    representative_age.into_iter().flat_map(move |age| {
                        [false, true].map(|recent| logistic(consider_logit(s, snap, g, slot, class, age, recent)))
                    })
                })
            })
            .collect();
        ChoiceTables { n_districts: k_n, weight, cum, arrival_weight, arrival_cum, consider }
    }

    /// The probability of considering a move of a person of `group` in location `slot`
    /// (`n_districts` = elsewhere), by income class, age bracket and recent arrival.
    #[inline]
    pub fn consider(&self, group: usize, slot: usize, class: usize, age_bracket: usize, recent: bool) -> f64 {
        let i = (((group * (self.n_districts + 1) + slot) * INCOME_CLASSES + class) * AGE_BRACKETS + age_bracket) * 2
            + usize::from(recent);
        self.consider[i]
    }

    /// The row of a (group, income class).
    #[inline]
    pub fn row(&self, group: usize, class: usize) -> Row<'_> {
        let start = (group * INCOME_CLASSES + class) * self.n_districts;
        let r = start..start + self.n_districts;
        Row { weight: &self.weight[r.clone()], cum: &self.cum[r] }
    }

    /// The arrivals' row of a group.
    #[inline]
    pub fn arrival_row(&self, group: usize) -> Row<'_> {
        let start = group * self.n_districts;
        let r = start..start + self.n_districts;
        Row { weight: &self.arrival_weight[r.clone()], cum: &self.arrival_cum[r] }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(weights: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let mut cum = Vec::new();
        let mut acc = 0.0;
        for w in weights {
            acc += w;
            cum.push(acc);
        }
        (weights.to_vec(), cum)
    }

    #[test]
    fn income_classes() {
        assert_eq!(income_class(0.0), 0);
        assert_eq!(income_class(10_000.0), 1);
        assert_eq!(income_class(15_000.0), 2);
        assert_eq!(income_class(59_999.0), 4);
        assert_eq!(income_class(100_000.0), 5);
    }

    #[test]
    fn picks_follow_cumulative_weights() {
        let (w, c) = row(&[1.0, 2.0, 0.0, 3.0]);
        let r = Row { weight: &w, cum: &c };
        assert_eq!(r.total(), 6.0);
        assert_eq!(r.pick_in(0..4, 0.5), 0);
        assert_eq!(r.pick_in(0..4, 1.0), 1);
        assert_eq!(r.pick_in(0..4, 2.99), 1);
        assert_eq!(r.pick_in(0..4, 3.0), 3);
        assert_eq!(r.pick_in(0..4, 5.999), 3);
        // within a sub-range, u is relative to the range
        assert_eq!(r.sum(&(1..4)), 5.0);
        assert_eq!(r.pick_in(1..4, 0.0), 1);
        assert_eq!(r.pick_in(1..4, 2.5), 3);
        // outside 1..3: districts 0 (weight 1) and 3 (weight 3)
        assert_eq!(r.pick_outside(1..3, 0.5), 0);
        assert_eq!(r.pick_outside(1..3, 1.5), 3);
        assert_eq!(r.pick_outside(0..2, 0.1), 3);
    }

    #[test]
    fn sampling_frequencies_match_weights() {
        let (w, c) = row(&[1.0, 2.0, 3.0, 4.0]);
        let r = Row { weight: &w, cum: &c };
        let mut counts = [0usize; 4];
        let n = 100_000;
        for i in 0..n {
            let u = (i as f64 + 0.5) / n as f64 * r.total();
            counts[r.pick_in(0..4, u)] += 1;
        }
        for (k, &count) in counts.iter().enumerate() {
            let expected = (k + 1) as f64 / 10.0;
            assert!((count as f64 / n as f64 - expected).abs() < 1e-3);
        }
    }
}
