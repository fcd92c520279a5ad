//! Integer counts gathered while the year is simulated: stocks at the end of the year and flows
//! during it, per (location, group); employment by years since arrival; money in whole euros;
//! the investment-to-return flow matrix.
//!
//! Everything is an integer, so tallies from parallel chunks add up to the same totals in any
//! order: the sums do not depend on the thread count. Indices and rates are derived from these
//! counts afterwards, in the other `metrics` modules.

use crate::agent::{Agent, flag};
use crate::ids::GroupId;

/// Years-since-arrival buckets for cohort curves (the last bucket holds all longer stays).
pub const COHORT_YEARS: usize = 31;

/// Counts for one (location, group) cell.
///
/// The fields every person's booking touches (the stocks, the yearly costs and the returns)
/// come first and, the cell being aligned to a cache line, share its first two lines; the flows,
/// booked only for those who move, come last.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[repr(C, align(64))]
pub struct Cell {
    // Stocks at the end of the year.
    pub population: u64,
    /// Without German citizenship.
    pub foreign: u64,
    pub foreign_born: u64,
    pub minors: u64,
    pub aged_0_64: u64,
    pub aged_18_64: u64,
    pub labour_force: u64,
    pub employed: u64,
    /// Persons aged 0–64 on transfers (adults without work and the minors in their care).
    pub on_transfers: u64,
    /// Sum of language (fixed point, 0..65535) over the foreign-born.
    pub language_sum: u64,
    /// Sum of yearly earnings (€).
    pub income_sum: u64,
    // Money (€), booked where the person lives at the end of the year (administration of a move
    // at the district where the registration happens).
    pub cost_transfers: u64,
    pub cost_counselling: u64,
    pub cost_courses: u64,
    /// Fiscal returns of everyone employed living here.
    pub returns: u64,
    pub cost_admin: u64,
    /// Costs spent on foreign-born persons within their integration window.
    pub investment: u64,
    /// Ledger totals of persons who died or left for abroad this year (investment whose returns
    /// can no longer be realised).
    pub investment_departed: u64,
    /// The part of `investment` that is transfers.
    pub investment_transfers: u64,
    /// The part of `returns` from persons with a non-empty ledger (the flow matrix's total).
    pub ledgered_returns: u64,
    // Flows during the year (persons; each minor moving with its guardian counts).
    pub arrivals_abroad: u64,
    pub in_elsewhere: u64,
    pub in_other_city: u64,
    pub in_same_city: u64,
    pub out_same_city: u64,
    pub out_other_city: u64,
    pub out_elsewhere: u64,
    pub out_abroad: u64,
    pub deaths: u64,
    pub births: u64,
    pub naturalisations: u64,
    /// Foreign citizens moving out of the city (to another city, elsewhere or abroad).
    pub foreign_out_of_city: u64,
    /// Foreign citizens moving into the city (from abroad, elsewhere or another city).
    pub foreign_into_city: u64,
    /// Foreign citizens moving to another district of the same city.
    pub foreign_out_same_city: u64,
}

impl Cell {
    /// Counts `a` in the end-of-year stocks; `on_transfers`: the person lives on transfers (as
    /// an adult, or as a minor in the care of an adult who does).
    #[inline]
    pub fn add_person(&mut self, a: &Agent, on_transfers: bool) {
        let working_age = a.is_working_age();
        let foreign_born = a.foreign_born();
        self.population += 1;
        self.foreign += u64::from(!a.has(flag::CITIZEN));
        self.foreign_born += u64::from(foreign_born);
        self.minors += u64::from(a.is_minor());
        self.aged_0_64 += u64::from(a.age < 65);
        self.aged_18_64 += u64::from(working_age);
        self.labour_force += u64::from(working_age && a.has(flag::LABOUR_FORCE));
        self.employed += u64::from(working_age && a.has(flag::EMPLOYED));
        self.on_transfers += u64::from(on_transfers && a.age < 65);
        if foreign_born {
            self.language_sum += a.language as u64;
        }
        // (never negative; `as i64` converts in one instruction)
        self.income_sum += a.income as i64 as u64;
    }

    pub fn add(&mut self, o: &Cell) {
        // Destructured without `..`: a new field that is not added here does not compile.
        let Cell {
            population,
            foreign,
            foreign_born,
            minors,
            aged_0_64,
            aged_18_64,
            labour_force,
            employed,
            on_transfers,
            language_sum,
            income_sum,
            arrivals_abroad,
            in_elsewhere,
            in_other_city,
            in_same_city,
            out_same_city,
            out_other_city,
            out_elsewhere,
            out_abroad,
            deaths,
            births,
            naturalisations,
            foreign_out_of_city,
            foreign_into_city,
            foreign_out_same_city,
            cost_transfers,
            cost_counselling,
            cost_courses,
            cost_admin,
            investment,
            investment_departed,
            investment_transfers,
            returns,
            ledgered_returns,
        } = *o;
        self.population += population;
        self.foreign += foreign;
        self.foreign_born += foreign_born;
        self.minors += minors;
        self.aged_0_64 += aged_0_64;
        self.aged_18_64 += aged_18_64;
        self.labour_force += labour_force;
        self.employed += employed;
        self.on_transfers += on_transfers;
        self.language_sum += language_sum;
        self.income_sum += income_sum;
        self.arrivals_abroad += arrivals_abroad;
        self.in_elsewhere += in_elsewhere;
        self.in_other_city += in_other_city;
        self.in_same_city += in_same_city;
        self.out_same_city += out_same_city;
        self.out_other_city += out_other_city;
        self.out_elsewhere += out_elsewhere;
        self.out_abroad += out_abroad;
        self.deaths += deaths;
        self.births += births;
        self.naturalisations += naturalisations;
        self.foreign_out_of_city += foreign_out_of_city;
        self.foreign_into_city += foreign_into_city;
        self.foreign_out_same_city += foreign_out_same_city;
        self.cost_transfers += cost_transfers;
        self.cost_counselling += cost_counselling;
        self.cost_courses += cost_courses;
        self.cost_admin += cost_admin;
        self.investment += investment;
        self.investment_departed += investment_departed;
        self.investment_transfers += investment_transfers;
        self.returns += returns;
        self.ledgered_returns += ledgered_returns;
    }

    /// All costs booked to this cell.
    pub fn costs(&self) -> u64 {
        self.cost_transfers + self.cost_counselling + self.cost_courses + self.cost_admin
    }

    /// Persons moving out of the city (to another city of the region, elsewhere or abroad).
    pub fn out_of_city(&self) -> u64 {
        self.out_other_city + self.out_elsewhere + self.out_abroad
    }

    /// Persons moving into the city (from abroad, elsewhere or another city of the region).
    pub fn into_city(&self) -> u64 {
        self.arrivals_abroad + self.in_elsewhere + self.in_other_city
    }
}

/// Employment and language by group and years since arrival (all locations, foreign-born only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CohortCell {
    pub aged_18_64: u64,
    pub labour_force: u64,
    pub employed: u64,
    pub on_transfers: u64,
    pub language_sum: u64,
    /// Persons 18–64 who changed their place of residence this year (a district, or between the
    /// region and the rest of the country; leaving for abroad is not counted: they are gone).
    pub moved: u64,
}

impl CohortCell {
    pub fn add(&mut self, o: &CohortCell) {
        let CohortCell { aged_18_64, labour_force, employed, on_transfers, language_sum, moved } = *o;
        self.aged_18_64 += aged_18_64;
        self.labour_force += labour_force;
        self.employed += employed;
        self.on_transfers += on_transfers;
        self.language_sum += language_sum;
        self.moved += moved;
    }
}

/// All counts of one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub n_districts: usize,
    pub n_groups: usize,
    /// `(n_districts + 1) × n_groups` cells; location slot `n_districts` is elsewhere.
    pub cells: Vec<Cell>,
    /// `n_groups × COHORT_YEARS`.
    pub cohorts: Vec<CohortCell>,
    /// `flows[investor × (n_districts + 1) + realised_in]` (€).
    pub flows: Vec<u64>,
    /// Times a ledger had to merge entries (see `Ledger`).
    pub ledger_merges: u64,
}

impl Tally {
    pub fn new(n_districts: usize, n_groups: usize) -> Self {
        Tally {
            n_districts,
            n_groups,
            cells: vec![Cell::default(); (n_districts + 1) * n_groups],
            cohorts: vec![CohortCell::default(); n_groups * COHORT_YEARS],
            flows: vec![0; n_districts * (n_districts + 1)],
            ledger_merges: 0,
        }
    }

    pub fn clear(&mut self) {
        self.cells.fill(Cell::default());
        self.cohorts.fill(CohortCell::default());
        self.flows.fill(0);
        self.ledger_merges = 0;
    }

    #[inline]
    pub fn cell(&mut self, slot: usize, g: GroupId) -> &mut Cell {
        &mut self.cells[Self::cell_index(self.n_groups, slot, g.index())]
    }

    /// Where the cell of (location slot, group) lies in `cells`.
    #[inline]
    pub fn cell_index(n_groups: usize, slot: usize, g: usize) -> usize {
        slot * n_groups + g
    }

    #[inline]
    pub fn get(&self, slot: usize, g: usize) -> &Cell {
        &self.cells[Self::cell_index(self.n_groups, slot, g)]
    }

    #[inline]
    pub fn cohort(&mut self, g: GroupId, years: u32) -> &mut CohortCell {
        let y = (years as usize).min(COHORT_YEARS - 1);
        &mut self.cohorts[g.index() * COHORT_YEARS + y]
    }

    #[inline]
    pub fn flow(&mut self, investor: usize, realised_slot: usize, euros: u64) {
        self.flows[investor * (self.n_districts + 1) + realised_slot] += euros;
    }

    pub fn flow_at(&self, investor: usize, realised_slot: usize) -> u64 {
        self.flows[investor * (self.n_districts + 1) + realised_slot]
    }

    /// Adds another tally of the same shape.
    pub fn add(&mut self, o: &Tally) {
        for (a, b) in self.cells.iter_mut().zip(&o.cells) {
            a.add(b);
        }
        for (a, b) in self.cohorts.iter_mut().zip(&o.cohorts) {
            a.add(b);
        }
        for (a, b) in self.flows.iter_mut().zip(&o.flows) {
            *a += b;
        }
        self.ledger_merges += o.ledger_merges;
    }

    /// The sum over groups of one location slot.
    pub fn slot_total(&self, slot: usize) -> Cell {
        let mut c = Cell::default();
        for g in 0..self.n_groups {
            c.add(self.get(slot, g));
        }
        c
    }
}
