//! Accounting (MODEL §3.6 and §5): the year's costs, investment and returns of a person, and
//! the end-of-year stocks, booked into a [`Tally`].
//!
//! Costs are booked where the person lives at the end of the year: transfers (adults of
//! working age in the labour force without work, adults outside it marked needy — see
//! `economy.needy_non_participants` — and the minors in their care), counselling
//! (decaying with years since arrival), language courses. Registration costs are booked by the
//! move itself, where the registration happens. Costs spent in a district of the region on a
//! foreign-born person within `integration_years` of arrival are that district's investment in
//! the person and enter the person's ledger. The fiscal return of a person in work is realised
//! where the person lives (a district or elsewhere); for a person with a ledger it is split over
//! the investing districts in proportion to the ledger, which fills the flow matrix.

use crate::agent::{Agent, flag};
use crate::ids::DistrictId;
use crate::ledger::LedgerTable;
use crate::metrics::tally::Tally;
use crate::population::may_receive_investment;

use super::step::YearCtx;

/// Whole-euro amounts of one year.
#[derive(Debug, Clone)]
pub struct Prices {
    pub transfer_adult: u64,
    pub transfer_child: u64,
    /// Counselling by years since arrival, for the integration window.
    pub counselling: Vec<u64>,
    pub course: u64,
    /// Years a course lasts (it runs in the years 1..=course_years after arrival).
    pub course_years: u32,
    pub admin: u64,
    pub return_rate: f64,
    pub integration_years: u32,
    /// Yearly probability of death by age (Gompertz `a·exp(b·age)`, 1 from age 110).
    pub mortality: [f64; 256],
}

impl Prices {
    pub fn new(s: &crate::scenario::Scenario) -> Self {
        let e = &s.economy;
        let years = e.integration_years.max(0) as u32;
        Prices {
            transfer_adult: e.transfer_adult.round() as u64,
            transfer_child: e.transfer_child.round() as u64,
            counselling: (0..years.max(1))
                .map(|y| (e.counselling * e.counselling_decay.powi(y as i32)).round() as u64)
                .collect(),
            course: s.policies.language_courses.as_ref().map_or(0, |c| c.cost.round() as u64),
            course_years: s.policies.language_courses.as_ref().map_or(0, |c| c.duration.max(0) as u32),
            admin: e.admin_per_registration.round() as u64,
            return_rate: e.return_rate,
            integration_years: years,
            mortality: std::array::from_fn(|age| {
                let d = &s.demography;
                if age >= 110 {
                    1.0
                } else {
                    (d.mortality_a * crate::rng::fast_exp(d.mortality_b * age as f64)).min(1.0)
                }
            }),
        }
    }
}

/// Whether a person's costs in this year count as investment (the rule that decides who gets
/// a ledger on entering, applied to this year).
#[inline]
pub fn invests(a: &Agent, ctx: &YearCtx) -> bool {
    may_receive_investment(a, ctx.world.native[a.group.index()], ctx.year, ctx.prices.integration_years as i64)
}

/// Enters `euros` invested by district `d` in the ledger of `a`.
#[inline]
fn enter(a: &Agent, d: DistrictId, euros: u32, ledgers: &LedgerTable, tally: &mut Tally) {
    match ledgers.of(a) {
        Some(slot) => {
            let mut l = slot.load();
            if l.add(d, euros) {
                tally.ledger_merges += 1;
            }
            slot.store(&l);
        }
        // (every person who can receive investment gets a ledger on entering)
        None => debug_assert!(euros == 0, "investment in person {} without a ledger", a.id),
    }
}

/// Books a registration (arrival, move-in or move-out) in district `d` for person `a`.
#[inline]
pub fn book_registration(a: &Agent, d: DistrictId, ctx: &YearCtx, ledgers: &LedgerTable, tally: &mut Tally) {
    let euros = ctx.prices.admin;
    let cell = tally.cell(d.index(), a.group);
    cell.cost_admin += euros;
    if invests(a, ctx) {
        cell.investment += euros;
        enter(a, d, euros as u32, ledgers, tally);
    }
}

/// Books the stocks, costs, investment and returns of a person alive at the end of the year.
/// `minor_on_transfers`: the guardian of this minor is on transfers; `moved`: the person changed
/// residence this year.
#[inline(always)]
pub fn book_year(
    a: &Agent,
    ctx: &YearCtx,
    minor_on_transfers: bool,
    moved: bool,
    ledgers: &LedgerTable,
    tally: &mut Tally,
) {
    let n_districts = ctx.world.n_districts;
    let slot = a.location.slot(n_districts);
    let years_here = a.years_since_arrival(ctx.year);
    let p = &ctx.prices;
    let working_age = a.is_working_age();
    let adult_on_transfers = a.on_transfers();
    let on_transfers = adult_on_transfers || (a.is_minor() && minor_on_transfers);
    let employed = a.has(flag::EMPLOYED);
    let foreign_born = a.foreign_born();
    let invests = invests(a, ctx);

    let transfers = if adult_on_transfers {
        p.transfer_adult
    } else if a.is_minor() && minor_on_transfers {
        p.transfer_child
    } else {
        0
    };
    let counselling = if invests { p.counselling.get(years_here as usize).copied().unwrap_or(0) } else { 0 };
    let course = if a.has(flag::IN_COURSE) && (1..=p.course_years).contains(&years_here) { p.course } else { 0 };
    // Rounded half up (the values are never negative; `as i64` converts in one instruction).
    let returns = if employed { (a.income as f64 * p.return_rate + 0.5) as i64 as u64 } else { 0 };

    {
        let c = tally.cell(slot, a.group);
        c.add_person(a, on_transfers);
        c.cost_transfers += transfers;
        c.cost_counselling += counselling;
        c.cost_courses += course;
        c.returns += returns;
    }
    if let Some(d) = a.location.as_district() {
        let spent = transfers + counselling + course;
        if invests && spent > 0 {
            let cell = tally.cell(slot, a.group);
            cell.investment += spent;
            cell.investment_transfers += transfers;
            enter(a, d, spent.min(u32::MAX as u64) as u32, ledgers, tally);
        }
    }
    if returns > 0
        && let Some(stored) = ledgers.of(a)
    {
        let ledger = stored.load();
        if !ledger.is_empty() {
            tally.cell(slot, a.group).ledgered_returns += returns;
            ledger.split(returns, |investor, euros| tally.flow(investor.index(), slot, euros));
        }
    }
    if foreign_born && !ctx.world.native[a.group.index()] {
        let cohort = tally.cohort(a.group, years_here);
        if working_age {
            cohort.aged_18_64 += 1;
            cohort.labour_force += u64::from(a.has(flag::LABOUR_FORCE));
            cohort.employed += u64::from(employed);
            cohort.on_transfers += u64::from(adult_on_transfers);
            cohort.language_sum += a.language as u64;
            cohort.moved += u64::from(moved);
        }
    }
}
