//! Typed rows of the per-year result tables, built from a [`YearOutput`].
//!
//! One struct per table; each field is a column (`Option` = empty cell when undefined). Every
//! row starts with `replication, seed, year` so any number can be traced to the run that made
//! it. Rates and indices are computed by the `metrics` modules; this module only arranges them.

use serde::Serialize;

use crate::engine::YearOutput;
use crate::ids::CityId;
use crate::metrics::money::{CityBudget, Ledgers, city_budgets};
use crate::metrics::residential;
use crate::metrics::tally::{COHORT_YEARS, Cell, Tally};
use crate::metrics::{fluctuation, labour};
use crate::scenario::Scenario;

fn share(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// `city_year.csv`: one row per city and year.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CityRow {
    pub replication: u32,
    pub seed: u64,
    pub year: i32,
    pub city: String,
    pub population: u64,
    pub foreign: u64,
    pub foreign_share: Option<f64>,
    pub migration_background: u64,
    pub migration_background_share: Option<f64>,
    pub births: u64,
    pub deaths: u64,
    pub naturalisations: u64,
    pub arrivals_abroad: u64,
    pub in_elsewhere: u64,
    pub in_other_city: u64,
    pub out_other_city: u64,
    pub out_elsewhere: u64,
    pub out_abroad: u64,
    pub moves_within: u64,
    pub fluctuation: Option<f64>,
    pub fluctuation_german: Option<f64>,
    pub fluctuation_foreign: Option<f64>,
    pub in_rate: Option<f64>,
    pub gross_rate: Option<f64>,
    pub intra_rate: Option<f64>,
    pub employment_rate: Option<f64>,
    pub unemployment_rate: Option<f64>,
    pub transfer_quota: Option<f64>,
    pub mean_language: Option<f64>,
    pub segregation_foreign: Option<f64>,
    pub segregation_foreign_vs_total: Option<f64>,
    pub isolation_foreign: Option<f64>,
    pub exposure_foreign_to_native: Option<f64>,
    pub theil_h: Option<f64>,
    pub dissimilarity_multigroup: Option<f64>,
    pub cost_transfers: u64,
    pub cost_counselling: u64,
    pub cost_courses: u64,
    pub cost_admin: u64,
    pub cost_neighbourhood: u64,
    pub investment: u64,
    pub returns: u64,
    pub investment_to_date: u64,
    pub returned_to_date: u64,
    pub sisyphus: Option<f64>,
    pub local_payback: Option<f64>,
    pub social_payback: Option<f64>,
    pub city_costs: f64,
    pub city_returns: f64,
    pub balance_before: f64,
    pub equalisation_per_arrival: f64,
    pub equalisation_cost_refund: f64,
    pub sharing_received: f64,
    pub sharing_paid: f64,
    pub sharing_from_outside: f64,
    pub balance_after: f64,
}

/// `district_year.csv`: one row per district and year.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DistrictRow {
    pub replication: u32,
    pub seed: u64,
    pub year: i32,
    pub district: String,
    pub city: String,
    pub capacity: u64,
    pub quality: f64,
    pub managed: bool,
    pub population: u64,
    pub foreign: u64,
    pub foreign_share: Option<f64>,
    pub migration_background_share: Option<f64>,
    pub births: u64,
    pub deaths: u64,
    pub arrivals_abroad: u64,
    pub in_elsewhere: u64,
    pub in_other_city: u64,
    pub in_same_city: u64,
    pub out_same_city: u64,
    pub out_other_city: u64,
    pub out_elsewhere: u64,
    pub out_abroad: u64,
    pub fluctuation: Option<f64>,
    pub intra_share: Option<f64>,
    pub employment_rate: Option<f64>,
    pub unemployment_rate: Option<f64>,
    pub transfer_quota: Option<f64>,
    pub mean_language: Option<f64>,
    pub cost_transfers: u64,
    pub cost_counselling: u64,
    pub cost_courses: u64,
    pub cost_admin: u64,
    pub cost_neighbourhood: u64,
    pub investment: u64,
    pub returns: u64,
    pub investment_to_date: u64,
    pub returned_to_date: u64,
    pub sisyphus: Option<f64>,
    pub local_payback: Option<f64>,
    pub social_payback: Option<f64>,
}

/// `group_year.csv`: one row per city, group and year.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GroupRow {
    pub replication: u32,
    pub seed: u64,
    pub year: i32,
    pub city: String,
    pub group: String,
    pub population: u64,
    pub foreign: u64,
    pub births: u64,
    pub deaths: u64,
    pub naturalisations: u64,
    pub arrivals_abroad: u64,
    pub in_elsewhere: u64,
    pub in_other_city: u64,
    pub out_other_city: u64,
    pub out_elsewhere: u64,
    pub out_abroad: u64,
    pub moves_within: u64,
    pub fluctuation: Option<f64>,
    pub employment_rate: Option<f64>,
    pub unemployment_rate: Option<f64>,
    pub transfer_quota: Option<f64>,
    pub mean_language: Option<f64>,
    /// Index of segregation of the group's foreign citizens against everyone else.
    pub segregation_index: Option<f64>,
    pub segregation_index_vs_total: Option<f64>,
    pub isolation: Option<f64>,
    pub exposure_to_native: Option<f64>,
    pub noise_floor: Option<f64>,
    pub investment: u64,
    pub returns: u64,
}

/// `region_year.csv`: the whole region and the rest of the country.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RegionRow {
    pub replication: u32,
    pub seed: u64,
    pub year: i32,
    pub population: u64,
    pub population_elsewhere: u64,
    pub births: u64,
    pub deaths: u64,
    pub deaths_elsewhere: u64,
    pub arrivals_abroad: u64,
    /// Arrivals from abroad the region had no room for: they settle elsewhere.
    pub arrivals_diverted: u64,
    pub in_from_elsewhere: u64,
    pub moved_on: u64,
    pub returned_from_elsewhere: u64,
    pub out_abroad: u64,
    pub out_abroad_elsewhere: u64,
    pub investment: u64,
    pub returns: u64,
    pub returns_elsewhere: u64,
    pub ledger_merges: u64,
    pub persons_simulated: u64,
}

/// `cohort_year.csv`: foreign-born aged 18–64 by group and years since arrival (all places).
#[derive(Debug, Clone, Default, Serialize)]
pub struct CohortRow {
    pub replication: u32,
    pub seed: u64,
    pub year: i32,
    pub group: String,
    pub years_since_arrival: u32,
    pub persons: u64,
    pub labour_force: u64,
    pub employed: u64,
    pub employment_rate: Option<f64>,
    pub on_transfers: u64,
    pub mean_language: Option<f64>,
    /// Persons who changed residence this year (moves abroad excluded).
    pub moved: u64,
    pub move_rate: Option<f64>,
}

/// `flows.csv`: returns on each district's investment by where they were realised (whole run).
#[derive(Debug, Clone, Default, Serialize)]
pub struct FlowRow {
    pub replication: u32,
    pub seed: u64,
    pub investor: String,
    pub realised_in: String,
    pub amount: u64,
}

/// All rows of one year.
#[derive(Debug, Default)]
pub struct YearRows {
    pub cities: Vec<CityRow>,
    pub districts: Vec<DistrictRow>,
    pub groups: Vec<GroupRow>,
    pub region: Vec<RegionRow>,
    pub cohorts: Vec<CohortRow>,
}

/// Draws used for the random-placement noise floor of IS.
pub const NOISE_FLOOR_DRAWS: u32 = 100;

fn sum_cells(t: &Tally, districts: std::ops::Range<usize>, group: Option<usize>) -> Cell {
    let mut c = Cell::default();
    for d in districts {
        match group {
            Some(g) => c.add(t.get(d, g)),
            None => c.add(&t.slot_total(d)),
        }
    }
    c
}

/// Neighbourhood-management budget spent in each district this year (€).
pub fn neighbourhood_costs(s: &Scenario, y: &YearOutput) -> Vec<u64> {
    let budget = s.policies.neighbourhood_management.as_ref().map_or(0, |m| m.budget.round() as u64);
    y.snapshot.managed_now.iter().map(|&m| if m { budget } else { 0 }).collect()
}

/// Builds every row of a year. `ledgers` must already include this year.
pub fn year_rows(s: &Scenario, y: &YearOutput, ledgers: &Ledgers) -> YearRows {
    let world = y.world;
    let (nd, ng) = (world.n_districts, world.n_groups);
    let t = y.tally;
    let nm = neighbourhood_costs(s, y);
    let budgets: Vec<CityBudget> = city_budgets(s, world, t, &nm);
    let mut rows = YearRows::default();
    let native: Vec<usize> = (0..ng).filter(|&g| world.native[g]).collect();

    for c in 0..world.n_cities {
        let id = CityId::from_index(c);
        let range = world.city_range(id);
        let name = &s.cities[c].name;
        let start = sum_cells(y.start, range.clone(), None);
        let end = sum_cells(t, range.clone(), None);
        let turnover = fluctuation::city(&start, &end);
        let natives: u64 = native.iter().map(|&g| sum_cells(t, range.clone(), Some(g)).population).sum();
        let pay = ledgers.city(world, id);
        let b = &budgets[c];
        let seg = residential::city(s, t, range.clone(), NOISE_FLOOR_DRAWS, y.seed ^ (y.year as u64) << 32);
        rows.cities.push(CityRow {
            replication: y.replication,
            seed: y.seed,
            year: y.year,
            city: name.clone(),
            population: end.population,
            foreign: end.foreign,
            foreign_share: share(end.foreign, end.population),
            migration_background: end.population - natives,
            migration_background_share: share(end.population - natives, end.population),
            births: end.births,
            deaths: end.deaths,
            naturalisations: end.naturalisations,
            arrivals_abroad: end.arrivals_abroad,
            in_elsewhere: end.in_elsewhere,
            in_other_city: end.in_other_city,
            out_other_city: end.out_other_city,
            out_elsewhere: end.out_elsewhere,
            out_abroad: end.out_abroad,
            moves_within: end.out_same_city,
            fluctuation: turnover.fluctuation,
            fluctuation_german: fluctuation::german(&start, &end),
            fluctuation_foreign: fluctuation::foreign(&start, &end),
            in_rate: turnover.in_rate,
            gross_rate: turnover.gross_rate,
            intra_rate: turnover.intra_rate,
            employment_rate: labour::employment_rate(&end),
            unemployment_rate: labour::unemployment_rate(&end),
            transfer_quota: labour::transfer_quota(&end),
            mean_language: labour::mean_language(&end),
            segregation_foreign: seg.all_foreign.segregation_index,
            segregation_foreign_vs_total: seg.all_foreign.segregation_index_vs_total,
            isolation_foreign: seg.all_foreign.isolation,
            exposure_foreign_to_native: seg.all_foreign.exposure_to_native,
            theil_h: seg.theil_h,
            dissimilarity_multigroup: seg.dissimilarity,
            cost_transfers: end.cost_transfers,
            cost_counselling: end.cost_counselling,
            cost_courses: end.cost_courses,
            cost_admin: end.cost_admin,
            cost_neighbourhood: b.neighbourhood_management,
            investment: end.investment,
            returns: end.returns,
            investment_to_date: pay.invested,
            returned_to_date: pay.returned,
            sisyphus: pay.sisyphus,
            local_payback: pay.local_payback,
            social_payback: pay.social_payback,
            city_costs: b.city_costs,
            city_returns: b.city_returns,
            balance_before: b.balance_before,
            equalisation_per_arrival: b.per_arrival,
            equalisation_cost_refund: b.cost_refund,
            sharing_received: b.sharing_received,
            sharing_paid: b.sharing_paid,
            sharing_from_outside: b.sharing_from_outside,
            balance_after: b.balance_after,
        });
        for g in 0..ng {
            let gs = sum_cells(y.start, range.clone(), Some(g));
            let ge = sum_cells(t, range.clone(), Some(g));
            let group_seg = &seg.groups[g];
            rows.groups.push(GroupRow {
                replication: y.replication,
                seed: y.seed,
                year: y.year,
                city: name.clone(),
                group: s.groups[g].name.clone(),
                population: ge.population,
                foreign: ge.foreign,
                births: ge.births,
                deaths: ge.deaths,
                naturalisations: ge.naturalisations,
                arrivals_abroad: ge.arrivals_abroad,
                in_elsewhere: ge.in_elsewhere,
                in_other_city: ge.in_other_city,
                out_other_city: ge.out_other_city,
                out_elsewhere: ge.out_elsewhere,
                out_abroad: ge.out_abroad,
                moves_within: ge.out_same_city,
                fluctuation: fluctuation::city(&gs, &ge).fluctuation,
                employment_rate: labour::employment_rate(&ge),
                unemployment_rate: labour::unemployment_rate(&ge),
                transfer_quota: labour::transfer_quota(&ge),
                mean_language: labour::mean_language(&ge),
                segregation_index: group_seg.segregation_index,
                segregation_index_vs_total: group_seg.segregation_index_vs_total,
                isolation: group_seg.isolation,
                exposure_to_native: group_seg.exposure_to_native,
                noise_floor: group_seg.noise_floor,
                investment: ge.investment,
                returns: ge.returns,
            });
        }
    }

    for d in 0..nd {
        let start = y.start.slot_total(d);
        let end = t.slot_total(d);
        let natives: u64 = native.iter().map(|&g| t.get(d, g).population).sum();
        let (fl, intra) = fluctuation::district(&start, &end);
        let pay = ledgers.district(d);
        rows.districts.push(DistrictRow {
            replication: y.replication,
            seed: y.seed,
            year: y.year,
            district: s.districts[d].name.clone(),
            city: s.cities[world.district_city[d].index()].name.clone(),
            capacity: y.capacity[d],
            quality: y.snapshot.quality[d],
            managed: y.snapshot.managed_now[d],
            population: end.population,
            foreign: end.foreign,
            foreign_share: share(end.foreign, end.population),
            migration_background_share: share(end.population - natives, end.population),
            births: end.births,
            deaths: end.deaths,
            arrivals_abroad: end.arrivals_abroad,
            in_elsewhere: end.in_elsewhere,
            in_other_city: end.in_other_city,
            in_same_city: end.in_same_city,
            out_same_city: end.out_same_city,
            out_other_city: end.out_other_city,
            out_elsewhere: end.out_elsewhere,
            out_abroad: end.out_abroad,
            fluctuation: fl,
            intra_share: intra,
            employment_rate: labour::employment_rate(&end),
            unemployment_rate: labour::unemployment_rate(&end),
            transfer_quota: labour::transfer_quota(&end),
            mean_language: labour::mean_language(&end),
            cost_transfers: end.cost_transfers,
            cost_counselling: end.cost_counselling,
            cost_courses: end.cost_courses,
            cost_admin: end.cost_admin,
            cost_neighbourhood: nm[d],
            investment: end.investment,
            returns: end.returns,
            investment_to_date: pay.invested,
            returned_to_date: pay.returned,
            sisyphus: pay.sisyphus,
            local_payback: pay.local_payback,
            social_payback: pay.social_payback,
        });
    }

    let region = sum_cells(t, 0..nd, None);
    let elsewhere = t.slot_total(nd);
    rows.region.push(RegionRow {
        replication: y.replication,
        seed: y.seed,
        year: y.year,
        population: region.population,
        population_elsewhere: elsewhere.population,
        births: region.births,
        deaths: region.deaths,
        deaths_elsewhere: elsewhere.deaths,
        arrivals_abroad: region.arrivals_abroad,
        arrivals_diverted: elsewhere.arrivals_abroad,
        in_from_elsewhere: region.in_elsewhere,
        moved_on: region.out_elsewhere,
        returned_from_elsewhere: elsewhere.out_other_city,
        out_abroad: region.out_abroad,
        out_abroad_elsewhere: elsewhere.out_abroad,
        investment: region.investment,
        returns: region.returns,
        returns_elsewhere: elsewhere.returns,
        ledger_merges: t.ledger_merges,
        persons_simulated: y.alive as u64,
    });

    for g in 0..ng {
        if world.native[g] {
            continue;
        }
        for ysa in 0..COHORT_YEARS {
            let c = &t.cohorts[g * COHORT_YEARS + ysa];
            if c.aged_18_64 == 0 {
                continue;
            }
            rows.cohorts.push(CohortRow {
                replication: y.replication,
                seed: y.seed,
                year: y.year,
                group: s.groups[g].name.clone(),
                years_since_arrival: ysa as u32,
                persons: c.aged_18_64,
                labour_force: c.labour_force,
                employed: c.employed,
                employment_rate: labour::cohort_employment(c),
                on_transfers: c.on_transfers,
                mean_language: labour::cohort_language(c),
                moved: c.moved,
                move_rate: share(c.moved, c.aged_18_64),
            });
        }
    }
    rows
}

/// The whole-run flow matrix of a replication (non-zero cells).
pub fn flow_rows(s: &Scenario, replication: u32, seed: u64, ledgers: &Ledgers) -> Vec<FlowRow> {
    let nd = ledgers.n_districts;
    let mut out = Vec::new();
    for d in 0..nd {
        for e in 0..=nd {
            let amount = ledgers.flow(d, e);
            if amount == 0 {
                continue;
            }
            out.push(FlowRow {
                replication,
                seed,
                investor: s.districts[d].name.clone(),
                realised_in: if e == nd { "elsewhere".into() } else { s.districts[e].name.clone() },
                amount,
            });
        }
    }
    out
}
