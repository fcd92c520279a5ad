//! The engine: runs replications of a scenario year by year.
//!
//! Code map: `step` (the year, its passes and scratch) · `world` (structure, district snapshot)
//! · `choice` (location-choice tables) · one module per mechanism: `demography`, `arrivals`,
//! `integration`, `mobility`, `housing`, `accounting`.
//!
//! The engine does no I/O: each simulated year is handed to the caller's observer as a
//! [`YearOutput`].

pub mod accounting;
pub mod arrivals;
pub mod choice;
pub mod demography;
pub mod housing;
pub mod integration;
pub mod mobility;
pub mod step;
pub mod world;

use crate::metrics::tally::Tally;
use crate::population::Population;
use crate::rng::replication_seed;
use crate::scenario::Scenario;

use accounting::Prices;
use choice::ChoiceTables;
use integration::{JobOdds, Wages};
use mobility::MoveFactors;
use step::{State, YearCtx};
use world::{Districts, Snapshot, World};

/// One simulated year as handed to observers.
pub struct YearOutput<'a> {
    pub replication: u32,
    /// The replication's seed.
    pub seed: u64,
    pub year: i32,
    /// Counts at the start of the year (last year's end, or the initial stock).
    pub start: &'a Tally,
    /// Counts of this year: flows and money during it, stocks at its end.
    pub tally: &'a Tally,
    /// District capacity this year.
    pub capacity: &'a [u64],
    /// The district state the year's decisions read.
    pub snapshot: &'a Snapshot,
    /// Persons in the simulation (region and elsewhere) at the end of the year.
    pub alive: usize,
    pub world: &'a World,
    /// The population at the end of the year (for checks of person-level invariants).
    pub population: &'a Population,
}

/// A scenario ready to run.
pub struct Simulation<'a> {
    pub scenario: &'a Scenario,
    pub world: World,
    prices: Prices,
    wages: Wages,
    job_odds: JobOdds,
    moves: MoveFactors,
}

/// What a replication did, for the manifest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunStats {
    /// Person-years simulated (persons alive at the start of each year, summed).
    pub agent_years: u64,
    /// Largest number of records held.
    pub peak_records: usize,
}

impl<'a> Simulation<'a> {
    pub fn new(scenario: &'a Scenario) -> Self {
        Simulation {
            scenario,
            world: World::new(scenario),
            prices: Prices::new(scenario),
            wages: Wages::new(scenario),
            job_odds: JobOdds::new(scenario),
            moves: MoveFactors::new(scenario),
        }
    }

    /// Runs replication `replication` of the scenario with root seed `root_seed` for `years`
    /// years, handing every year to `observer`.
    pub fn run(&self, root_seed: u64, replication: u32, years: u32, observer: &mut dyn FnMut(&YearOutput)) -> RunStats {
        let s = self.scenario;
        let seed = replication_seed(root_seed, replication);
        let population = Population::initial(s, seed);
        let mut state = State::new(population, Districts::new(s));
        let mut last = step::initial_tally(&state.population, &self.world);
        let mut stats = RunStats::default();
        for t in 0..years {
            let year = s.meta.start_year + t as i32;
            step::grow_housing(&mut state.districts, s, &self.world, year, t == 0);
            let snap = Snapshot::from_tally(&last, &self.world, &state.districts, s, year, t == 0);
            let tables = ChoiceTables::build(s, &self.world, &state.districts, &snap);
            let capacity = state.districts.capacity.clone();
            let job_local = integration::local_job_factors(s, &snap);
            let ctx = YearCtx {
                scenario: s,
                world: &self.world,
                snap: &snap,
                tables: &tables,
                prices: &self.prices,
                wages: &self.wages,
                job_odds: &self.job_odds,
                job_local: &job_local,
                moves: &self.moves,
                capacity: &capacity,
                year,
                seed,
            };
            stats.agent_years += state.population.alive() as u64;
            let tally = step::step(&mut state, &ctx);
            stats.peak_records = stats.peak_records.max(state.population.agents.len());
            observer(&YearOutput {
                replication,
                seed,
                year,
                start: &last,
                tally: &tally,
                capacity: &capacity,
                snapshot: &snap,
                alive: state.population.alive(),
                world: &self.world,
                population: &state.population,
            });
            state.recycle(std::mem::replace(&mut last, tally));
        }
        stats
    }
}
