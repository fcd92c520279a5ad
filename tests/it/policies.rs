//! Policy levers: each lever against the baseline with the same seed (common random numbers), on
//! the small fixture, checking the direction (and where it is sharp, the size) of the effect on
//! the metric the lever targets. Every comparison runs several seeds; with common random numbers
//! the differences are clean, so the margins below are far from the noise.
//!
//! The calibration of the residence requirement on the Offenbach scenario (docs/policies.md) is
//! a program, not a test: `cargo run --release --example residence_calibration`.

use std::collections::HashMap;

use arrival_city::agent::{Agent, flag};
use arrival_city::engine::{Simulation, YearOutput};
use arrival_city::ids::Location;
use arrival_city::metrics::money::Ledgers;
use arrival_city::output::rows::{YearRows, year_rows};
use arrival_city::scenario::{self, KeyPath, Override, Scenario};

use crate::fixture;

/// Seeds every comparison is repeated with.
const SEEDS: [u64; 3] = [101, 202, 303];
/// Years simulated in each comparison.
const YEARS: u32 = 8;

fn overrides(extra: &[(&str, toml::Value)]) -> Vec<Override> {
    extra.iter().map(|(k, v)| Override { path: KeyPath::parse(k).unwrap(), value: v.clone() }).collect()
}

/// The small fixture with `extra` keys set.
fn load(extra: &[(&str, toml::Value)]) -> Scenario {
    scenario::load(&fixture("small.toml"), &overrides(extra)).unwrap().scenario
}

fn table(text: &str) -> toml::Value {
    toml::Value::Table(toml::from_str(text).unwrap())
}

/// Runs replication 0 of `s` with `seed`, handing every year and its rows to `each`.
fn run(s: &Scenario, seed: u64, years: u32, each: &mut dyn FnMut(&YearOutput, &YearRows)) {
    let sim = Simulation::new(s);
    let mut ledgers = Ledgers::new(s.districts.len());
    sim.run(seed, 0, years, &mut |y: &YearOutput| {
        ledgers.add(y.tally);
        let rows = year_rows(s, y, &ledgers);
        each(y, &rows);
    });
}

/// The rows of every year.
fn rows_of(s: &Scenario, seed: u64, years: u32) -> Vec<YearRows> {
    let mut out = Vec::new();
    run(s, seed, years, &mut |_, rows| {
        out.push(YearRows {
            cities: rows.cities.clone(),
            districts: rows.districts.clone(),
            groups: rows.groups.clone(),
            region: rows.region.clone(),
            cohorts: rows.cohorts.clone(),
        })
    });
    out
}

/// Where a person lives, at the level of cities: the city's index, or a marker for the rest of
/// the country.
fn city_of(y: &YearOutput, a: &Agent) -> usize {
    match a.location.as_district() {
        Some(d) => y.world.city_of(d).index(),
        None => usize::MAX,
    }
}

/// Arrived from abroad during the run (the top bits of an identity say how a person entered).
fn from_abroad(a: &Agent) -> bool {
    arrival_city::population::origin(a.id) == arrival_city::population::Origin::Abroad
}

// ---------------------------------------------------------------------------------------------
// Residence requirement

/// Persons of `group` aged 18–64, and those of them who changed residence, in the years
/// 1..=`to` after arrival (cohort rows, whole run).
fn cohort_moves(rows: &[YearRows], group: &str, to: u32) -> (u64, u64) {
    let mut persons = 0;
    let mut moved = 0;
    for year in rows {
        for c in year.cohorts.iter().filter(|c| c.group == group && (1..=to).contains(&c.years_since_arrival)) {
            persons += c.persons;
            moved += c.moved;
        }
    }
    (persons, moved)
}

/// Adult refugees who arrived from abroad and changed city (or left the region for the rest of
/// the country) in a year at whose end they were still bound; and how many such person-years
/// were observed.
fn bound_city_changes(s: &Scenario, seed: u64) -> (u64, u64) {
    let mut city_at: HashMap<u32, usize> = HashMap::new();
    let (mut changes, mut bound_years) = (0, 0);
    run(s, seed, YEARS, &mut |y, _| {
        for a in y.population.agents.iter().filter(|a| !a.location.is_gone()) {
            let city = city_of(y, a);
            // bound at the end of the year: was bound when deciding (an exemption comes first)
            if from_abroad(a) && !a.is_minor() && a.is_bound(y.year) {
                if let Some(&before) = city_at.get(&a.id) {
                    bound_years += 1;
                    changes += u64::from(before != city);
                }
            }
            city_at.insert(a.id, city);
        }
    });
    (changes, bound_years)
}

/// Residence changes of adult refugees who arrived from abroad during the run, in the years
/// 1..=3 after arrival: (changes, person-years observed).
fn refugee_moves(s: &Scenario, seed: u64) -> (u64, u64) {
    let mut place_at: HashMap<u32, Location> = HashMap::new();
    let (mut changes, mut observed) = (0, 0);
    run(s, seed, YEARS, &mut |y, _| {
        for a in y.population.agents.iter().filter(|a| !a.location.is_gone()) {
            let ysa = y.year - a.arrival_year as i32;
            if from_abroad(a) && s.groups[a.group.index()].refugee && !a.is_minor() && (1..=3).contains(&ysa) {
                if let Some(&before) = place_at.get(&a.id) {
                    observed += 1;
                    changes += u64::from(before != a.location);
                }
            }
            place_at.insert(a.id, a.location);
        }
    });
    (changes, observed)
}

/// The fixture with mobile refugees (so that moves, and their fall, are large enough to see).
fn mobile_refugees(extra: &[(&str, toml::Value)]) -> Scenario {
    let mut all = vec![("group.Syrian.shift.mobility", toml::Value::Float(1.5))];
    all.extend_from_slice(extra);
    load(&all)
}

#[test]
fn a_residence_requirement_lowers_the_moves_of_bound_refugees_while_bound() {
    let base = mobile_refugees(&[]);
    let rule = mobile_refugees(&[("policy.residence_requirement", table("years = 3\ncompliance = 0.85"))]);
    for seed in SEEDS {
        // the persons the rule binds: residence changes 1-3 years after arrival
        let (moves_base, observed_base) = refugee_moves(&base, seed);
        let (moves_rule, observed_rule) = refugee_moves(&rule, seed);
        let (before, after) = (moves_base as f64 / observed_base as f64, moves_rule as f64 / observed_rule as f64);
        // the cohort rows (everyone of the group by years since arrival, also the unbound stock)
        let (persons_base, moved_base) = cohort_moves(&rows_of(&base, seed, YEARS), "Syrian", 3);
        let (persons_rule, moved_rule) = cohort_moves(&rows_of(&rule, seed, YEARS), "Syrian", 3);
        let (cohort_before, cohort_after) =
            (moved_base as f64 / persons_base as f64, moved_rule as f64 / persons_rule as f64);
        eprintln!(
            "residence, seed {seed}: yearly move rate of bound refugees {before:.4} -> {after:.4}; cohort rows {cohort_before:.4} -> {cohort_after:.4}"
        );
        assert!(observed_base > 1000, "enough refugees to compare: {observed_base}");
        // those in work are exempt, moves within the city stay allowed and 15 % do not comply:
        // the rate falls by about a third
        assert!(after < 0.8 * before, "seed {seed}: {before} -> {after}");
        assert!(cohort_after < 0.9 * cohort_before, "seed {seed}: {cohort_before} -> {cohort_after}");
        // the other groups are not bound: their moves barely change
        let (p, m) = cohort_moves(&rows_of(&base, seed, YEARS), "Romanian", 3);
        let (q, n) = cohort_moves(&rows_of(&rule, seed, YEARS), "Romanian", 3);
        let (other_before, other_after) = (m as f64 / p as f64, n as f64 / q as f64);
        assert!(
            (other_after - other_before).abs() < 0.1 * other_before,
            "Romanians are not bound: {other_before} -> {other_after}"
        );
    }
}

#[test]
fn a_complying_bound_refugee_never_changes_city_and_a_district_binding_is_stricter() {
    for seed in SEEDS {
        let city = load(&[("policy.residence_requirement", table("years = 3\ncompliance = 1.0"))]);
        let (changes, bound_years) = bound_city_changes(&city, seed);
        assert!(bound_years > 300, "bound person-years observed: {bound_years}");
        assert_eq!(changes, 0, "seed {seed}: bound persons changed city");
        // without the rule, the same persons in the same years do change city
        let base = load(&[]);
        let (mut free_changes, mut years) = (0u64, 0u64);
        let mut city_at: HashMap<u32, usize> = HashMap::new();
        run(&base, seed, YEARS, &mut |y, _| {
            let refugee = base.group_id("Syrian").unwrap();
            for a in y.population.agents.iter().filter(|a| !a.location.is_gone()) {
                let c = city_of(y, a);
                let ysa = y.year - a.arrival_year as i32;
                if from_abroad(a) && a.group == refugee && !a.is_minor() && (1..=3).contains(&ysa) {
                    if let Some(&before) = city_at.get(&a.id) {
                        years += 1;
                        free_changes += u64::from(before != c);
                    }
                }
                city_at.insert(a.id, c);
            }
        });
        eprintln!("residence, seed {seed}: unbound city changes {free_changes} in {years} person-years");
        assert!(free_changes > 20, "seed {seed}: {free_changes} of {years}");

        // bound to a district: no move at all while bound (abroad aside)
        let district =
            load(&[("policy.residence_requirement", table("years = 2\nlevel = \"district\"\ncompliance = 1.0"))]);
        let mut place_at: HashMap<u32, Location> = HashMap::new();
        let mut bound = 0;
        run(&district, seed, YEARS, &mut |y, _| {
            for a in y.population.agents.iter().filter(|a| !a.location.is_gone()) {
                if from_abroad(a) && !a.is_minor() && a.is_bound(y.year) {
                    assert!(a.has(flag::BOUND_DISTRICT));
                    if let Some(&before) = place_at.get(&a.id) {
                        bound += 1;
                        assert_eq!(before, a.location, "seed {seed}: a person bound to a district moved");
                    }
                }
                place_at.insert(a.id, a.location);
            }
        });
        assert!(bound > 200, "district-bound person-years: {bound}");
    }
}

#[test]
fn a_one_year_residence_requirement_binds_the_first_year_after_arrival() {
    // years = N binds the decisions of the years 1..=N after arrival (there is no decision in
    // the arrival year), so even one year has an effect
    let rule = load(&[("policy.residence_requirement", table("years = 1\ncompliance = 1.0"))]);
    let mut bound_at_one = 0;
    run(&rule, SEEDS[0], 4, &mut |y, _| {
        for a in y.population.agents.iter().filter(|a| !a.location.is_gone() && from_abroad(a)) {
            let ysa = y.year - a.arrival_year as i32;
            if let Some(last) = a.bound_until() {
                assert_eq!(last, a.arrival_year as i32 + 1);
                bound_at_one += u64::from(ysa == 1 && a.is_bound(y.year));
            }
            assert!(!(ysa >= 2 && a.is_bound(y.year)), "bound beyond the binding");
        }
    });
    assert!(bound_at_one > 50, "persons still bound one year after arrival: {bound_at_one}");
}

// ---------------------------------------------------------------------------------------------
// Fiscal equalisation

#[test]
fn return_sharing_pays_the_investing_city_and_transfers_between_cities_sum_to_zero() {
    let base = load(&[]);
    let sharing = load(&[("policy.fiscal_equalisation", table("return_sharing = 0.5"))]);
    let arrivalton = base.city_id("Arrivalton").unwrap().index();
    for seed in SEEDS {
        let without = rows_of(&base, seed, YEARS);
        let with = rows_of(&sharing, seed, YEARS);
        let (mut after_without, mut after_with, mut outside) = (0.0, 0.0, 0.0);
        for (a, b) in without.iter().zip(&with) {
            let received: f64 = b.cities.iter().map(|r| r.sharing_received).sum();
            let paid: f64 = b.cities.iter().map(|r| r.sharing_paid).sum();
            assert_eq!(received, paid, "transfers between the region's cities sum to zero");
            for (r0, r) in a.cities.iter().zip(&b.cities) {
                // pure accounting: people behave as without the lever
                assert_eq!(r0.population, r.population);
                assert_eq!(r0.returns, r.returns);
                assert_eq!(r0.balance_before, r.balance_before);
                assert_eq!(r0.balance_after, r0.balance_before, "no equalisation without the lever");
                assert_eq!(
                    r.balance_after - r.balance_before,
                    r.sharing_received - r.sharing_paid + r.sharing_from_outside
                );
                assert_eq!(r.balance_before.fract(), 0.0, "whole euros");
                assert_eq!(r.sharing_received.fract(), 0.0, "whole euros");
                assert_eq!(r.equalisation_per_arrival, 0.0);
                assert_eq!(r.equalisation_cost_refund, 0.0);
            }
            after_without += a.cities[arrivalton].balance_after;
            after_with += b.cities[arrivalton].balance_after;
            outside += b.cities[arrivalton].sharing_from_outside;
        }
        eprintln!(
            "return sharing, seed {seed}: Arrivalton's balance over the run {after_without:.0} -> {after_with:.0}"
        );
        // the arrival city invests in those who later work in Suburbia or elsewhere: it gains
        assert!(after_with > after_without, "seed {seed}: {after_without} -> {after_with}");
        assert!(outside > 0.0, "returns realised in the rest of the country are paid from outside");
    }
}

#[test]
fn per_arrival_lump_sums_add_exactly_per_arrival_times_arrivals() {
    let s = load(&[("policy.fiscal_equalisation", table("per_arrival = 1234.0"))]);
    let mut paid = 0.0;
    for year in rows_of(&s, SEEDS[0], 5) {
        for r in &year.cities {
            assert_eq!(r.equalisation_per_arrival, 1234.0 * r.arrivals_abroad as f64);
            assert_eq!(r.balance_after - r.balance_before, r.equalisation_per_arrival);
            assert_eq!(r.sharing_received + r.sharing_paid + r.sharing_from_outside, 0.0);
            paid += r.equalisation_per_arrival;
        }
    }
    assert!(paid > 0.0);
}

// ---------------------------------------------------------------------------------------------
// Neighbourhood management

#[test]
fn neighbourhood_management_raises_language_and_work_in_its_districts_and_costs_its_budget() {
    // the fixture manages Centre; the lever adds Station
    let base = load(&[]);
    let managed =
        load(&[("policy.neighbourhood_management", table("districts = [\"Centre\", \"Station\"]\nbudget = 400000.0"))]);
    for seed in SEEDS {
        let without = rows_of(&base, seed, YEARS);
        let with = rows_of(&managed, seed, YEARS);
        let (mut lang0, mut lang1, mut emp0, mut emp1) = (0.0, 0.0, 0.0, 0.0);
        for (a, b) in without.iter().zip(&with) {
            let s0 = a.districts.iter().find(|d| d.district == "Station").unwrap();
            let s1 = b.districts.iter().find(|d| d.district == "Station").unwrap();
            assert!(!s0.managed && s1.managed);
            assert_eq!(s0.cost_neighbourhood, 0);
            assert_eq!(s1.cost_neighbourhood, 400_000);
            let town0 = a.cities.iter().find(|c| c.city == "Arrivalton").unwrap();
            let town1 = b.cities.iter().find(|c| c.city == "Arrivalton").unwrap();
            assert_eq!(town0.cost_neighbourhood, 300_000, "the fixture's Centre at the default budget");
            assert_eq!(town1.cost_neighbourhood, 800_000, "two districts at the lever's budget");
            lang0 += s0.mean_language.unwrap();
            lang1 += s1.mean_language.unwrap();
            emp0 += s0.employment_rate.unwrap();
            emp1 += s1.employment_rate.unwrap();
        }
        let n = without.len() as f64;
        let (lang0, lang1, emp0, emp1) = (lang0 / n, lang1 / n, emp0 / n, emp1 / n);
        eprintln!(
            "management, seed {seed}: Station language {lang0:.4} -> {lang1:.4}, employment {emp0:.4} -> {emp1:.4}"
        );
        assert!(lang1 > lang0 + 0.01, "seed {seed}: language {lang0} -> {lang1}");
        assert!(emp1 > emp0 + 0.005, "seed {seed}: employment {emp0} -> {emp1}");
    }
}

// ---------------------------------------------------------------------------------------------
// Social mix

#[test]
fn social_mix_lowers_the_capped_groups_share_in_the_capped_district() {
    // In Centre Germans (35 %) and Turks (30 %) are above a cap of 20 %, Syrians and Romanians
    // below it. With more social housing there than in the fixture (60 %) and no acceptance,
    // 60 % of the capped applicants are refused.
    let more_social = ("district.Centre.social_housing", toml::Value::Float(0.6));
    let base = load(std::slice::from_ref(&more_social));
    let mix =
        load(&[more_social, ("policy.social_mix", table("districts = [\"Centre\"]\ncap = 0.2\nacceptance = 0.0"))]);
    let centre = base.district_id("Centre").unwrap().index();
    let turkish = base.group_id("Turkish").unwrap().index();
    for seed in SEEDS {
        let mut share = [0.0; 2];
        let mut moved_in = [0u64; 2];
        for (k, s) in [&base, &mix].into_iter().enumerate() {
            run(s, seed, YEARS, &mut |y, _| {
                let c = y.tally.get(centre, turkish);
                moved_in[k] += c.in_same_city + c.in_other_city + c.in_elsewhere + c.arrivals_abroad;
                if y.year == s.meta.start_year + YEARS as i32 - 1 {
                    share[k] = c.population as f64 / y.tally.slot_total(centre).population as f64;
                }
            });
        }
        eprintln!("social mix, seed {seed}: Turks moving into Centre {:?}, share at the end {:?}", moved_in, share);
        assert!((moved_in[1] as f64) < 0.85 * moved_in[0] as f64, "seed {seed}: {moved_in:?}");
        assert!(share[1] < share[0], "seed {seed}: {share:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Retention

#[test]
fn retention_keeps_successful_residents_in_the_city_and_builds_in_its_districts() {
    let base = load(&[]);
    let retention = load(&[(
        "policy.retention",
        table("districts = [\"Hillside\"]\nnew_housing = 50.0\nbonus = 1.5\nincome_threshold = 30000.0"),
    )]);
    let hillside = base.district_id("Hillside").unwrap().index();
    let arrivalton = base.city_id("Arrivalton").unwrap().index();
    for seed in SEEDS {
        // successful residents of Arrivalton at the end of a year (employed, earning at least
        // the threshold), and how many of them live outside it a year later (or are gone)
        let mut left = [0u64; 2];
        let mut successful = [0u64; 2];
        let mut fluctuation = [0.0; 2];
        for (k, s) in [&base, &retention].into_iter().enumerate() {
            let mut watched: Vec<u32> = Vec::new();
            let mut year_index = 0;
            run(s, seed, YEARS, &mut |y, rows| {
                let here: HashMap<u32, usize> = y
                    .population
                    .agents
                    .iter()
                    .filter(|a| !a.location.is_gone())
                    .map(|a| (a.id, city_of(y, a)))
                    .collect();
                left[k] += watched.iter().filter(|id| here.get(id) != Some(&arrivalton)).count() as u64;
                watched = y
                    .population
                    .agents
                    .iter()
                    .filter(|a| {
                        !a.location.is_gone()
                            && city_of(y, a) == arrivalton
                            && a.has(flag::EMPLOYED)
                            && a.income >= 30_000.0
                    })
                    .map(|a| a.id)
                    .collect();
                successful[k] += watched.len() as u64;
                fluctuation[k] += rows.cities[arrivalton].fluctuation.unwrap();
                if k == 1 {
                    // 50 places a year in Hillside, from the first year
                    year_index += 1;
                    assert_eq!(y.capacity[hillside], s.districts[hillside].housing as u64 + 50 * year_index);
                } else {
                    assert_eq!(y.capacity[hillside], s.districts[hillside].housing as u64);
                }
            });
        }
        let rate = |k: usize| left[k] as f64 / successful[k] as f64;
        eprintln!(
            "retention, seed {seed}: successful residents leaving Arrivalton {:.4} -> {:.4}, fluctuation {:.4} -> {:.4}",
            rate(0),
            rate(1),
            fluctuation[0] / YEARS as f64,
            fluctuation[1] / YEARS as f64
        );
        assert!(successful[0] > 1000, "successful residents observed: {successful:?}");
        assert!(rate(1) < 0.8 * rate(0), "seed {seed}: {} -> {}", rate(0), rate(1));
        assert!(fluctuation[1] < fluctuation[0], "seed {seed}: {fluctuation:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Language courses

#[test]
fn language_courses_raise_language_in_the_first_years_and_cost_more() {
    // the fixture's courses reach half of the adult arrivals; the lever nearly all
    let base = load(&[]);
    let courses = load(&[("policy.language_courses", table("coverage = 0.95"))]);
    for seed in SEEDS {
        let mut language = [0.0; 2];
        let mut cost = [0u64; 2];
        for (k, s) in [&base, &courses].into_iter().enumerate() {
            let (mut sum, mut persons) = (0.0, 0u64);
            for year in rows_of(s, seed, YEARS) {
                for c in year.cohorts.iter().filter(|c| (1..=3).contains(&c.years_since_arrival) && c.persons > 0) {
                    sum += c.mean_language.unwrap() * c.persons as f64;
                    persons += c.persons;
                }
                cost[k] += year.cities.iter().map(|c| c.cost_courses).sum::<u64>();
                for c in &year.cities {
                    assert_eq!(c.cost_courses % 3000, 0, "courses cost 3,000 EUR per participant and year");
                }
            }
            language[k] = sum / persons as f64;
        }
        eprintln!(
            "courses, seed {seed}: language 1-3 years after arrival {:.4} -> {:.4}, cost {:?}",
            language[0], language[1], cost
        );
        assert!(language[1] > language[0] + 0.01, "seed {seed}: {language:?}");
        // about 0.95 / 0.5 as many participants, within the noise of who arrives
        let ratio = cost[1] as f64 / cost[0] as f64;
        assert!((1.6..2.2).contains(&ratio), "seed {seed}: course costs {cost:?}");
    }
}
