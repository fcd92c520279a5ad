//! Money: who invests in whom, where the returns are realised, and city budgets.
//!
//! With `F[d][e]` the returns realised in place `e` (a district, or elsewhere) on the investment
//! of district `d` (cumulated from the first simulated year), and `I_d` the investment of `d`:
//! - **Sisyphus index** `S_d = 1 − F[d][d] / Σ_e F[d][e]`: the share of the returns on d's
//!   investment realised outside d (undefined before any return);
//! - **local payback** `F[d][d] / I_d`, **social payback** `Σ_e F[d][e] / I_d`; their gap is
//!   what the district's investment yields for others;
//! - for a city, the same with `d` and `e` ranging over the city's districts (returns realised
//!   anywhere in the city count as local).
//!
//! City budgets (per year, €): the city pays its shares of the costs (`economy.city_share_*`) and
//! the neighbourhood-management budgets, and receives `city_share_returns` of the returns
//! realised in it. Fiscal equalisation then adds the state's lump sums per arrival
//! (`per_arrival`), refunds `cost_share` of the city's spending on investment, and moves
//! `return_sharing` of each return realised on another city's investment (the city share of it)
//! from the city where it was realised to the investing city; returns realised elsewhere pay
//! the investing city from outside the region. Transfers between the region's cities sum to zero.
//!
//! Every budget item is in whole euros (rounded half away from zero): the city's shares of
//! costs and returns, each lump sum and refund, and each return-sharing payment, which is
//! computed once per (investing city, city where realised) from the exact integer returns and
//! booked as received by the one and paid by the other. Sums of whole euros are exact in `f64`,
//! so the items add up exactly: `balance_after − balance_before` is exactly the equalisation
//! received, and the payments between the region's cities sum exactly to zero.

use super::tally::Tally;
use crate::engine::world::World;
use crate::ids::CityId;
use crate::scenario::Scenario;

/// Sisyphus index and paybacks of one place.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Payback {
    pub invested: u64,
    /// Returns on the investment realised anywhere.
    pub returned: u64,
    /// Returns on the investment realised locally.
    pub returned_locally: u64,
    pub sisyphus: Option<f64>,
    pub local_payback: Option<f64>,
    pub social_payback: Option<f64>,
}

impl Payback {
    fn new(invested: u64, returned: u64, returned_locally: u64) -> Self {
        let share = |a: u64, b: u64| (b > 0).then(|| a as f64 / b as f64);
        Payback {
            invested,
            returned,
            returned_locally,
            sisyphus: share(returned_locally, returned).map(|s| 1.0 - s),
            local_payback: share(returned_locally, invested),
            social_payback: share(returned, invested),
        }
    }
}

/// Investment and the flow matrix cumulated over the years so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Ledgers {
    pub n_districts: usize,
    /// `flows[d * (n_districts + 1) + e]`.
    pub flows: Vec<u64>,
    pub investment: Vec<u64>,
}

impl Ledgers {
    pub fn new(n_districts: usize) -> Self {
        Ledgers { n_districts, flows: vec![0; n_districts * (n_districts + 1)], investment: vec![0; n_districts] }
    }

    /// Adds a year.
    pub fn add(&mut self, t: &Tally) {
        for (a, b) in self.flows.iter_mut().zip(&t.flows) {
            *a += b;
        }
        for d in 0..self.n_districts {
            self.investment[d] += (0..t.n_groups).map(|g| t.get(d, g).investment).sum::<u64>();
        }
    }

    #[inline]
    pub fn flow(&self, investor: usize, realised: usize) -> u64 {
        self.flows[investor * (self.n_districts + 1) + realised]
    }

    pub fn district(&self, d: usize) -> Payback {
        let returned = (0..=self.n_districts).map(|e| self.flow(d, e)).sum();
        Payback::new(self.investment[d], returned, self.flow(d, d))
    }

    pub fn city(&self, world: &World, c: CityId) -> Payback {
        let range = world.city_range(c);
        let mut returned = 0;
        let mut local = 0;
        for d in range.clone() {
            for e in 0..=self.n_districts {
                let f = self.flow(d, e);
                returned += f;
                if range.contains(&e) {
                    local += f;
                }
            }
        }
        Payback::new(range.map(|d| self.investment[d]).sum(), returned, local)
    }
}

/// A city's budget in one year (€).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CityBudget {
    /// All public costs booked in the city.
    pub costs: u64,
    pub investment: u64,
    /// All fiscal returns realised in the city.
    pub returns: u64,
    pub neighbourhood_management: u64,
    /// The city's own share of costs and returns, and the balance before equalisation.
    pub city_costs: f64,
    pub city_returns: f64,
    pub balance_before: f64,
    /// Equalisation received from the state: lump sums per arrival, refunds of investment.
    pub per_arrival: f64,
    pub cost_refund: f64,
    /// Return sharing received from and paid to the region's other cities, and received from
    /// outside the region (returns realised elsewhere).
    pub sharing_received: f64,
    pub sharing_paid: f64,
    pub sharing_from_outside: f64,
    pub balance_after: f64,
}

/// A euro amount rounded to whole euros.
#[inline]
fn euros(x: f64) -> f64 {
    x.round()
}

/// City budgets of one year. `nm_cost[d]` is the neighbourhood-management budget spent in `d`.
pub fn city_budgets(s: &Scenario, world: &World, t: &Tally, nm_cost: &[u64]) -> Vec<CityBudget> {
    let e = &s.economy;
    let nd = world.n_districts;
    let nc = world.n_cities;
    let eq = s.policies.fiscal_equalisation.as_ref();
    let mut out = vec![CityBudget::default(); nc];
    for (c, b) in out.iter_mut().enumerate() {
        let range = world.city_range(CityId::from_index(c));
        let mut arrivals = 0;
        let mut investment_transfers = 0;
        let mut transfers = 0;
        let mut services = 0;
        for d in range.clone() {
            let cell = t.slot_total(d);
            b.costs += cell.costs();
            b.investment += cell.investment;
            investment_transfers += cell.investment_transfers;
            b.returns += cell.returns;
            arrivals += cell.arrivals_abroad;
            b.neighbourhood_management += nm_cost[d];
            transfers += cell.cost_transfers;
            services += cell.cost_counselling + cell.cost_courses + cell.cost_admin;
        }
        b.city_costs = euros(
            transfers as f64 * e.city_share_transfers
                + (services + b.neighbourhood_management) as f64 * e.city_share_services,
        );
        b.city_returns = euros(b.returns as f64 * e.city_share_returns);
        b.balance_before = b.city_returns - b.city_costs;
        if let Some(eq) = eq {
            b.per_arrival = euros(eq.per_arrival * arrivals as f64);
            let city_investment = investment_transfers as f64 * e.city_share_transfers
                + (b.investment - investment_transfers) as f64 * e.city_share_services;
            b.cost_refund = euros(eq.cost_share * city_investment);
        }
    }
    if let Some(eq) = eq.filter(|eq| eq.return_sharing > 0.0) {
        let share = eq.return_sharing * e.city_share_returns;
        // Returns on each city's investment by the city where they were realised (the last
        // column: the rest of the country), exact integers.
        let mut by_city = vec![0u64; nc * (nc + 1)];
        for d in 0..nd {
            let investor = world.district_city[d].index();
            for r in 0..=nd {
                let realised = if r == nd { nc } else { world.district_city[r].index() };
                by_city[investor * (nc + 1) + realised] += t.flow_at(d, r);
            }
        }
        for investor in 0..nc {
            for realised in 0..=nc {
                let f = by_city[investor * (nc + 1) + realised];
                if f == 0 || realised == investor {
                    continue;
                }
                let payment = euros(f as f64 * share);
                if realised == nc {
                    out[investor].sharing_from_outside += payment;
                } else {
                    out[investor].sharing_received += payment;
                    out[realised].sharing_paid += payment;
                }
            }
        }
    }
    for b in &mut out {
        b.balance_after = b.balance_before + b.per_arrival + b.cost_refund + b.sharing_received - b.sharing_paid
            + b.sharing_from_outside;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_sisyphus_and_paybacks() {
        // two districts; district 0 invested 1000 and got 100 back locally, 300 in district 1 and
        // 100 elsewhere
        let mut l = Ledgers::new(2);
        l.investment = vec![1000, 0];
        l.flows = vec![100, 300, 100, 0, 0, 0];
        let p = l.district(0);
        assert_eq!(p.returned, 500);
        assert_eq!(p.sisyphus, Some(0.8));
        assert_eq!(p.local_payback, Some(0.1));
        assert_eq!(p.social_payback, Some(0.5));
        assert_eq!(l.district(1).sisyphus, None);
    }
}
