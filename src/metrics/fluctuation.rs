//! Turnover: Offenbach's Fluktuationsquote and the federal migration rates.
//!
//! With P = ½(population at the start + population at the end of the year):
//! - **fluctuation** = persons moving out of the city (to another city of the region, the rest of
//!   the country or abroad) / P — Offenbach's integration-monitoring definition;
//! - **in_rate** = persons moving into the city (from abroad, the rest of the country or another
//!   city) / P — Destatis' Z/P;
//! - **gross_rate** = (in + out) / P — Destatis' (Z+F)/P;
//! - **intra_rate** = moves between districts of the same city / P (not migration in federal
//!   statistics, so reported apart);
//! - for a district, **district_fluctuation** = moves out of the district (to other districts
//!   and out of the city) / P of the district, and **intra_share** = the part of those going to
//!   other districts of the same city.
//!
//! Moves are counted, not persons: a minor moving with a guardian is a move, as in the
//! population registers. Rates are `None` where the mean population is 0.

use super::tally::Cell;

/// Turnover rates of a city (or a group in a city).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CityTurnover {
    pub fluctuation: Option<f64>,
    pub in_rate: Option<f64>,
    pub gross_rate: Option<f64>,
    pub intra_rate: Option<f64>,
}

fn rate(moves: u64, mean_population: f64) -> Option<f64> {
    (mean_population > 0.0).then(|| moves as f64 / mean_population)
}

/// Mean of the start and end population.
pub fn mean_population(start: u64, end: u64) -> f64 {
    (start + end) as f64 / 2.0
}

/// Rates of a city from its summed cells at the start and end of the year.
pub fn city(start: &Cell, end: &Cell) -> CityTurnover {
    let p = mean_population(start.population, end.population);
    let out = end.out_of_city();
    let into = end.into_city();
    CityTurnover {
        fluctuation: rate(out, p),
        in_rate: rate(into, p),
        gross_rate: rate(out + into, p),
        intra_rate: rate(end.out_same_city, p),
    }
}

/// Fluctuation of the foreign citizens of a city: their out-moves / their mean number.
pub fn foreign(start: &Cell, end: &Cell) -> Option<f64> {
    rate(end.foreign_out_of_city, mean_population(start.foreign, end.foreign))
}

/// Fluctuation of the German citizens of a city.
pub fn german(start: &Cell, end: &Cell) -> Option<f64> {
    let out = end.out_of_city() - end.foreign_out_of_city;
    rate(out, mean_population(start.population - start.foreign, end.population - end.foreign))
}

/// District fluctuation and the intra-city share of its out-moves.
pub fn district(start: &Cell, end: &Cell) -> (Option<f64>, Option<f64>) {
    let out = end.out_same_city + end.out_of_city();
    let p = mean_population(start.population, end.population);
    let intra_share = (out > 0).then(|| end.out_same_city as f64 / out as f64);
    (rate(out, p), intra_share)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_rates() {
        let start = Cell { population: 1000, foreign: 400, ..Cell::default() };
        let end = Cell {
            population: 1040,
            foreign: 420,
            out_other_city: 30,
            out_elsewhere: 50,
            out_abroad: 20,
            out_same_city: 70,
            arrivals_abroad: 60,
            in_elsewhere: 50,
            in_other_city: 30,
            foreign_out_of_city: 61,
            ..Cell::default()
        };
        let r = city(&start, &end);
        // P = 1020; out = 100; in = 140
        assert_eq!(r.fluctuation, Some(100.0 / 1020.0));
        assert_eq!(r.in_rate, Some(140.0 / 1020.0));
        assert_eq!(r.gross_rate, Some(240.0 / 1020.0));
        assert_eq!(r.intra_rate, Some(70.0 / 1020.0));
        // foreign: 61 / 410; Germans: 39 / 610
        assert_eq!(foreign(&start, &end), Some(61.0 / 410.0));
        assert_eq!(german(&start, &end), Some(39.0 / 610.0));
        // district: (70 + 100) / 1020, intra share 70/170
        assert_eq!(district(&start, &end), (Some(170.0 / 1020.0), Some(70.0 / 170.0)));
    }

    #[test]
    fn empty_places_have_no_rate() {
        let zero = Cell::default();
        assert_eq!(city(&zero, &zero), CityTurnover::default());
        assert_eq!(district(&zero, &zero), (None, None));
    }
}
