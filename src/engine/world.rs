//! The region as the engine sees it: fixed structure (which districts form which city, which
//! policies apply where) and the district state frozen at the start of each year.
//!
//! All decisions of a year read the [`Snapshot`], never the state being written, so the order in
//! which agents are processed cannot change the result (double buffering).

use crate::ids::{CityId, DistrictId};
use crate::metrics::tally::Tally;
use crate::scenario::Scenario;

/// Structure that does not change during a run, with policies resolved to indices.
#[derive(Debug, Clone)]
pub struct World {
    pub n_districts: usize,
    pub n_groups: usize,
    pub n_cities: usize,
    /// City of each district.
    pub district_city: Vec<CityId>,
    /// Districts of each city: `city_range[c]..city_range[c + 1]`.
    pub city_start: Vec<usize>,
    /// Native group flags.
    pub native: Vec<bool>,
    /// Groups bound by a residence requirement.
    pub bound_group: Vec<bool>,
    /// Groups eligible for language courses.
    pub course_group: Vec<bool>,
    /// Districts under neighbourhood management (whatever the year).
    pub managed: Vec<bool>,
    /// Districts whose social housing is allocated with a cap.
    pub social_mix: Vec<bool>,
    /// Districts where the retention programme builds.
    pub retention: Vec<bool>,
    /// Cities whose successful residents get the retention bonus.
    pub retention_city: Vec<bool>,
}

impl World {
    pub fn new(s: &Scenario) -> Self {
        let n_districts = s.districts.len();
        let n_groups = s.groups.len();
        let n_cities = s.cities.len();
        let district_city: Vec<CityId> = s.districts.iter().map(|d| d.city).collect();
        let mut city_start = vec![0; n_cities + 1];
        for c in 0..n_cities {
            city_start[c + 1] = city_start[c] + district_city.iter().filter(|x| x.index() == c).count();
        }
        let by_name = |names: &[String]| -> Vec<bool> {
            let mut mask = vec![false; n_districts];
            for n in names {
                if let Some(d) = s.district_id(n) {
                    mask[d.index()] = true;
                }
            }
            mask
        };
        let groups_by_name = |names: &[String], default: &dyn Fn(usize) -> bool| -> Vec<bool> {
            if names.is_empty() {
                (0..n_groups).map(default).collect()
            } else {
                (0..n_groups).map(|g| names.contains(&s.groups[g].name)).collect()
            }
        };
        let p = &s.policies;
        let bound_group = match &p.residence_requirement {
            Some(r) => groups_by_name(&r.groups, &|g| s.groups[g].refugee),
            None => vec![false; n_groups],
        };
        let course_group = match &p.language_courses {
            Some(c) => groups_by_name(&c.groups, &|g| !s.groups[g].native),
            None => vec![false; n_groups],
        };
        let managed = p.neighbourhood_management.as_ref().map_or(vec![false; n_districts], |m| by_name(&m.districts));
        let social_mix = match &p.social_mix {
            Some(m) if m.districts.is_empty() => vec![true; n_districts],
            Some(m) => by_name(&m.districts),
            None => vec![false; n_districts],
        };
        let retention = p.retention.as_ref().map_or(vec![false; n_districts], |r| by_name(&r.districts));
        let mut retention_city = vec![false; n_cities];
        for (d, on) in retention.iter().enumerate() {
            if *on {
                retention_city[district_city[d].index()] = true;
            }
        }
        World {
            n_districts,
            n_groups,
            n_cities,
            district_city,
            city_start,
            native: s.groups.iter().map(|g| g.native).collect(),
            bound_group,
            course_group,
            managed,
            social_mix,
            retention,
            retention_city,
        }
    }

    /// The districts of city `c` as an index range.
    #[inline]
    pub fn city_range(&self, c: CityId) -> std::ops::Range<usize> {
        self.city_start[c.index()]..self.city_start[c.index() + 1]
    }

    #[inline]
    pub fn city_of(&self, d: DistrictId) -> CityId {
        self.district_city[d.index()]
    }
}

/// District state that changes over the run but not within a year (capacity and quality grow
/// with the retention programme).
#[derive(Debug, Clone)]
pub struct Districts {
    pub capacity: Vec<u64>,
    pub base_quality: Vec<f64>,
    pub rent: Vec<f64>,
    pub social_housing: Vec<f64>,
}

impl Districts {
    pub fn new(s: &Scenario) -> Self {
        Districts {
            capacity: s.districts.iter().map(|d| d.housing as u64).collect(),
            base_quality: s.districts.iter().map(|d| d.quality).collect(),
            rent: s.districts.iter().map(|d| d.rent).collect(),
            social_housing: s.districts.iter().map(|d| d.social_housing).collect(),
        }
    }
}

/// Share of a district's residents assumed to leave it in a year, before any year is simulated.
pub const INITIAL_TURNOVER: f64 = 0.1;

/// The district state at the start of a year, read by every decision of that year.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub n_groups: usize,
    pub population: Vec<u64>,
    /// `population_by_group[d * n_groups + g]`.
    pub population_by_group: Vec<u64>,
    /// Share of each group in each district, `[d * n_groups + g]`.
    pub group_share: Vec<f64>,
    /// Employment rate of each group's labour force in each district, `[d * n_groups + g]`.
    pub group_employment: Vec<f64>,
    pub native_share: Vec<f64>,
    pub foreign_share: Vec<f64>,
    /// Share of residents on transfers.
    pub poverty: Vec<f64>,
    pub unemployment: Vec<f64>,
    /// Effective quality: base + neighbourhood management − poverty penalty, in [0, 1].
    pub quality: Vec<f64>,
    /// Free places for movers: capacity − population, at least 0.
    pub vacancies: Vec<u64>,
    /// Free places for arrivals (with the overcrowding allowance).
    pub arrival_vacancies: Vec<u64>,
    /// Dwellings expected on offer this year: free places plus those vacated by last year's
    /// departures (moves out and deaths) — the housing turnover a newcomer actually competes for.
    pub supply: Vec<u64>,
    /// The same with the arrivals' overcrowding allowance.
    pub arrival_supply: Vec<u64>,
    /// Neighbourhood management active this year.
    pub managed_now: Vec<bool>,
}

impl Snapshot {
    /// Builds the snapshot from last year's end-of-year counts.
    pub fn from_tally(
        t: &Tally,
        world: &World,
        districts: &Districts,
        scenario: &Scenario,
        year: i32,
        first_year: bool,
    ) -> Self {
        let (nd, ng) = (world.n_districts, world.n_groups);
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let mut s = Snapshot {
            n_groups: ng,
            population: vec![0; nd],
            population_by_group: vec![0; nd * ng],
            group_share: vec![0.0; nd * ng],
            group_employment: vec![0.0; nd * ng],
            native_share: vec![0.0; nd],
            foreign_share: vec![0.0; nd],
            poverty: vec![0.0; nd],
            unemployment: vec![0.0; nd],
            quality: vec![0.0; nd],
            vacancies: vec![0; nd],
            arrival_vacancies: vec![0; nd],
            supply: vec![0; nd],
            arrival_supply: vec![0; nd],
            managed_now: vec![false; nd],
        };
        let nm = scenario.policies.neighbourhood_management.as_ref();
        let b = &scenario.behaviour;
        for d in 0..nd {
            let total = t.slot_total(d);
            s.population[d] = total.population;
            let mut natives = 0;
            for g in 0..ng {
                let c = t.get(d, g);
                s.population_by_group[d * ng + g] = c.population;
                s.group_share[d * ng + g] = ratio(c.population, total.population);
                s.group_employment[d * ng + g] = ratio(c.employed, c.labour_force);
                if world.native[g] {
                    natives += c.population;
                }
            }
            s.native_share[d] = ratio(natives, total.population);
            s.foreign_share[d] = ratio(total.foreign, total.population);
            s.poverty[d] = ratio(total.on_transfers, total.aged_0_64);
            s.unemployment[d] = ratio(total.labour_force - total.employed, total.labour_force);
            let managed = world.managed[d]
                && nm.is_some_and(|m| (m.start_year == 0 || year as i64 >= m.start_year) && year as i64 <= m.end_year);
            s.managed_now[d] = managed;
            let boost = if managed { nm.map_or(0.0, |m| m.quality_boost) } else { 0.0 };
            s.quality[d] = (districts.base_quality[d] + boost - b.quality_poverty * s.poverty[d]).clamp(0.0, 1.0);
            let cap = districts.capacity[d];
            s.vacancies[d] = cap.saturating_sub(total.population);
            let arrival_cap = (cap as f64 * scenario.housing.arrival_overcrowding).floor() as u64;
            s.arrival_vacancies[d] = arrival_cap.saturating_sub(total.population);
            let departures = total.out_same_city + total.out_of_city() + total.deaths;
            // Before the first year there are no flows yet: assume the typical yearly turnover.
            let turnover =
                if first_year { (total.population as f64 * INITIAL_TURNOVER).round() as u64 } else { departures };
            s.supply[d] = s.vacancies[d] + turnover;
            s.arrival_supply[d] = s.arrival_vacancies[d] + turnover;
        }
        s
    }

    #[inline]
    pub fn share(&self, d: usize, g: usize) -> f64 {
        self.group_share[d * self.n_groups + g]
    }
}
