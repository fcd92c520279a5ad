//! Invariants checked in every simulated year of small runs (with and without policies):
//! stocks and flows balance in every district, city and the rest of the country; moves never
//! overfill a district; minors live with their guardian; money is conserved; indices stay in
//! [0, 1].

use arrival_city::agent::NO_GUARDIAN;
use arrival_city::engine::{Simulation, YearOutput};
use arrival_city::metrics::money::Ledgers;
use arrival_city::metrics::tally::Cell;
use arrival_city::output::rows::year_rows;
use arrival_city::scenario::{self, Override, Scenario};

use crate::fixture;

fn load(extra: &[(&str, toml::Value)]) -> Scenario {
    let overrides: Vec<Override> =
        extra.iter().map(|(k, v)| Override { path: scenario::KeyPath::parse(k).unwrap(), value: v.clone() }).collect();
    scenario::load(&fixture("small.toml"), &overrides).unwrap().scenario
}

fn table(text: &str) -> toml::Value {
    toml::Value::Table(toml::from_str(text).unwrap())
}

fn balance(start: &Cell, end: &Cell) -> i64 {
    let inflow = end.births + end.arrivals_abroad + end.in_elsewhere + end.in_other_city + end.in_same_city;
    let outflow = end.deaths + end.out_same_city + end.out_other_city + end.out_elsewhere + end.out_abroad;
    start.population as i64 + inflow as i64 - outflow as i64 - end.population as i64
}

/// Runs `s` and checks every invariant in every year; returns the number of years checked.
fn check_all(s: &Scenario, seed: u64) -> usize {
    let sim = Simulation::new(s);
    let nd = s.districts.len();
    let ng = s.groups.len();
    let mut ledgers = Ledgers::new(nd);
    let mut invested = 0u64;
    let mut departed = 0u64;
    let mut years = 0;
    sim.run(seed, 0, s.meta.years, &mut |y: &YearOutput| {
        years += 1;
        let t = y.tally;
        ledgers.add(t);
        // stock(t+1) = stock(t) + births + arrivals + in-moves − deaths − out-moves − departures
        for slot in 0..=nd {
            assert_eq!(balance(&y.start.slot_total(slot), &t.slot_total(slot)), 0, "slot {slot} in {}", y.year);
            for g in 0..ng {
                assert_eq!(balance(y.start.get(slot, g), t.get(slot, g)), 0, "slot {slot} group {g} in {}", y.year);
            }
        }
        for c in 0..s.cities.len() {
            let range = y.world.city_range(arrival_city::ids::CityId::from_index(c));
            let (mut start, mut end) = (Cell::default(), Cell::default());
            for d in range {
                start.add(&y.start.slot_total(d));
                end.add(&t.slot_total(d));
            }
            // within a city, moves between its districts cancel out
            let city_balance = start.population as i64 + (end.births + end.into_city()) as i64
                - (end.deaths + end.out_of_city()) as i64
                - end.population as i64;
            assert_eq!(city_balance, 0, "city {c} in {}", y.year);
        }
        // moves never fill a district beyond capacity; arrivals never beyond the overcrowding cap
        for d in 0..nd {
            let end = t.slot_total(d);
            let moved_in = end.in_same_city + end.in_other_city + end.in_elsewhere;
            let cap = y.capacity[d];
            if moved_in > 0 && end.arrivals_abroad == 0 {
                assert!(end.population <= cap, "district {d} over capacity after moves in {}", y.year);
            }
            let limit = (cap as f64 * s.housing.arrival_overcrowding).floor() as u64;
            if moved_in + end.arrivals_abroad > 0 {
                assert!(end.population <= limit.max(y.start.slot_total(d).population + end.births));
            }
        }
        // every minor lives where its guardian lives, and guardians know how many they care for
        let agents = &y.population.agents;
        let mut in_care = vec![0u32; agents.len()];
        for a in agents.iter().filter(|a| !a.location.is_gone() && a.guardian != NO_GUARDIAN) {
            in_care[a.guardian as usize] += 1;
        }
        for (i, a) in agents.iter().enumerate().filter(|(_, a)| !a.location.is_gone()) {
            assert_eq!(a.dependants as u32, in_care[i], "dependants of {} in {}", a.id, y.year);
        }
        let mut ledger_total = 0u64;
        let mut ledger_owners = std::collections::BTreeSet::new();
        for a in agents.iter().filter(|a| !a.location.is_gone()) {
            ledger_total += y.population.ledgers.get(a).total();
            if a.ledger != arrival_city::agent::NO_LEDGER {
                assert!(ledger_owners.insert(a.ledger), "ledger {} held twice in {}", a.ledger, y.year);
            }
            if a.is_minor() && a.guardian != NO_GUARDIAN {
                let g = &agents[a.guardian as usize];
                assert!(!g.location.is_gone(), "a minor's guardian is gone in {}", y.year);
                assert_eq!(a.location, g.location, "minor {} apart from its guardian in {}", a.id, y.year);
                assert!(!g.is_minor(), "a guardian is an adult");
            }
            if !a.is_minor() {
                assert_eq!(a.guardian, NO_GUARDIAN, "adults have no guardian");
            }
        }
        // money: the flow matrix holds exactly the returns of ledgered persons, and every euro
        // invested is in a living person's ledger or was carried away by a departure
        let flows: u64 = t.flows.iter().sum();
        let ledgered: u64 = (0..=nd).map(|slot| t.slot_total(slot).ledgered_returns).sum();
        assert_eq!(flows, ledgered, "flows vs ledgered returns in {}", y.year);
        invested += (0..=nd).map(|slot| t.slot_total(slot).investment).sum::<u64>();
        departed += (0..=nd).map(|slot| t.slot_total(slot).investment_departed).sum::<u64>();
        assert_eq!(ledger_total + departed, invested, "ledgers + departed = investment in {}", y.year);
        // every index in [0, 1]
        let rows = year_rows(s, y, &ledgers);
        let unit = |x: Option<f64>, what: &str| {
            if let Some(x) = x {
                assert!((0.0..=1.0).contains(&x), "{what} = {x} in {}", y.year);
            }
        };
        for r in &rows.cities {
            for (x, w) in [
                (r.segregation_foreign, "IS"),
                (r.theil_h, "H"),
                (r.dissimilarity_multigroup, "D"),
                (r.sisyphus, "S"),
                (r.isolation_foreign, "isolation"),
                (r.exposure_foreign_to_native, "exposure"),
                (r.transfer_quota, "quota"),
                (r.employment_rate, "employment"),
            ] {
                unit(x, w);
            }
        }
        for r in &rows.groups {
            for x in
                [r.segregation_index, r.segregation_index_vs_total, r.isolation, r.exposure_to_native, r.noise_floor]
            {
                unit(x, "group index");
            }
        }
        for r in &rows.districts {
            unit(r.sisyphus, "district S");
        }
    });
    years
}

#[test]
fn invariants_hold_every_year_in_the_small_region() {
    let s = load(&[("scenario.years", toml::Value::Integer(12))]);
    assert_eq!(check_all(&s, 1), 12);
    assert_eq!(check_all(&s, 2), 12);
}

#[test]
fn invariants_hold_under_every_policy_and_without_demography() {
    let residence = table(
        "years = 3
level = \"district\"
compliance = 0.9
assign_arrivals = true
key = \"cap\"",
    );
    let retention = table(
        "districts = [\"Hillside\"]
new_housing = 50.0",
    );
    let mix = table(
        "cap = 0.1
acceptance = 0.2",
    );
    let eq = table(
        "per_arrival = 1000.0
cost_share = 0.5
return_sharing = 0.5",
    );
    let s = load(&[
        ("scenario.years", toml::Value::Integer(8)),
        ("policy.residence_requirement", residence),
        ("policy.retention", retention),
        ("policy.social_mix", mix),
        ("policy.fiscal_equalisation", eq),
    ]);
    assert_eq!(check_all(&s, 3), 8);
    let no_demography = load(&[("demography.enabled", toml::Value::Boolean(false))]);
    check_all(&no_demography, 4);
}
