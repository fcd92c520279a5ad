//! Labour and welfare.
//!
//! - **employment_rate** = employed aged 18–64 / persons aged 18–64;
//! - **unemployment_rate** = (labour force − employed) / labour force, 18–64 (the civilian
//!   labour-force definition);
//! - **transfer_quota** = persons aged 0–64 on transfers / persons aged 0–64 (SGB-II quota: an
//!   adult without work in the labour force, an adult outside it living on transfers
//!   (`economy.needy_non_participants`), and the minors in their care);
//! - **mean_language** = mean language (0..1) of the foreign-born.

use super::tally::{Cell, CohortCell};

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

pub fn employment_rate(c: &Cell) -> Option<f64> {
    ratio(c.employed, c.aged_18_64)
}

pub fn unemployment_rate(c: &Cell) -> Option<f64> {
    ratio(c.labour_force - c.employed, c.labour_force)
}

pub fn transfer_quota(c: &Cell) -> Option<f64> {
    ratio(c.on_transfers, c.aged_0_64)
}

pub fn mean_language(c: &Cell) -> Option<f64> {
    ratio(c.language_sum, c.foreign_born).map(|x| x / 65535.0)
}

/// Employment rate of a cohort (persons 18–64 with these years since arrival).
pub fn cohort_employment(c: &CohortCell) -> Option<f64> {
    ratio(c.employed, c.aged_18_64)
}

pub fn cohort_language(c: &CohortCell) -> Option<f64> {
    ratio(c.language_sum, c.aged_18_64).map(|x| x / 65535.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_labour_rates() {
        let c = Cell {
            aged_18_64: 200,
            labour_force: 160,
            employed: 140,
            aged_0_64: 300,
            on_transfers: 51,
            foreign_born: 2,
            language_sum: 65535,
            ..Cell::default()
        };
        assert_eq!(employment_rate(&c), Some(0.7));
        assert_eq!(unemployment_rate(&c), Some(0.125));
        assert_eq!(transfer_quota(&c), Some(0.17));
        assert_eq!(mean_language(&c), Some(0.5));
        assert_eq!(employment_rate(&Cell::default()), None);
    }
}
