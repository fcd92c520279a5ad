//! Arrivals (MODEL §3.2): newcomers from abroad and from the rest of the country.
//!
//! Each group's yearly arrivals from abroad follow its schedule (constant, series, waves) and come
//! as families: an adult with a Poisson number of minors. In-migrants from the rest of the
//! country come the same way, with the characteristics of the group's settled stock. A family's
//! head applies for a first district: arrivals from abroad by the arrivals' table (strong network
//! term, cheap rent), in-migrants by the movers' table. Under a residence requirement with
//! `assign_arrivals`, arrivals of bound groups are first assigned a city (or district) by the
//! policy's key and choose only within it. Arrivals from abroad of bound groups are bound for
//! the years 1..=`years` after arrival, and comply with probability `compliance` (a draw from
//! the policy stream, so that the rest of their draws do not depend on the policy).
//!
//! This module creates the records and the applications; the housing market places them.

use crate::agent::{Agent, flag};
use crate::ids::{DistrictId, GroupId, Location};
use crate::population::{Origin, Population};
use crate::rng::{Draws, Purpose, StreamKey, logistic};
use crate::scenario::{Group, ResidenceRequirement};

use super::choice::income_class;
use super::housing::{NO_DISTRICT, Request};
use super::step::YearCtx;

/// Newcomers of one year, before placement.
#[derive(Debug, Default)]
pub struct Newcomers {
    pub agents: Vec<Agent>,
    /// One application per family head (`idx` = population length + position in `agents`).
    pub requests: Vec<Request>,
    /// Whether each request comes from abroad (else from elsewhere).
    pub from_abroad: Vec<bool>,
    /// Per group: the cumulative assignment weights over districts of arrivals assigned by a
    /// residence-requirement key (`assign_arrivals`), if any.
    pub assignments: Vec<Option<Vec<f64>>>,
}

/// Draws this year's newcomers. `base` is the population length (indices of newcomers start
/// there).
pub fn draw(ctx: &YearCtx, pop: &mut Population, base: usize) -> Newcomers {
    use rayon::prelude::*;
    let s = ctx.scenario;
    let assignments: Vec<Option<Vec<f64>>> = (0..s.groups.len()).map(|g| assignment_for(ctx, g)).collect();
    // How many persons each (group, origin) block brings; identities and indices are then known
    // per block, so the blocks are drawn in parallel with the results of a sequential draw.
    let count_key = StreamKey::new(ctx.seed, ctx.year, Purpose::Arrivals);
    let mut blocks = Vec::new();
    let mut index = base;
    for (g, group) in s.groups.iter().enumerate() {
        for origin in [Origin::Abroad, Origin::Elsewhere] {
            let expected = match origin {
                Origin::Abroad => group.arrivals.persons(ctx.year),
                _ => group.in_from_elsewhere,
            };
            let persons = count_key.stream(((g as u64) << 2) | origin as u64).round_stochastic(expected.max(0.0));
            let first_id = pop.reserve_ids(origin, persons as u32);
            // Large flows are cut into blocks of a fixed size, so they are drawn in parallel
            // the same way whatever the number of threads.
            let mut done = 0;
            while done < persons {
                let n = (persons - done).min(BLOCK_PERSONS);
                blocks.push(Block { g, origin, persons: n, first_id: first_id + done as u32, first_index: index });
                index += n as usize;
                done += n;
            }
        }
    }
    let drawn: Vec<Newcomers> = blocks
        .par_iter()
        .map(|b| {
            let assignment = if b.origin == Origin::Abroad { assignments[b.g].as_deref() } else { None };
            draw_block(ctx, b, assignment)
        })
        .collect();
    let mut out = Newcomers { assignments, ..Newcomers::default() };
    for d in drawn {
        out.agents.extend(d.agents);
        out.requests.extend(d.requests);
        out.from_abroad.extend(d.from_abroad);
    }
    out
}

/// Most persons drawn in one block.
const BLOCK_PERSONS: u64 = 1 << 15;

/// Newcomers of one group from one origin (all of them, or a block of [`BLOCK_PERSONS`]).
struct Block {
    g: usize,
    origin: Origin,
    persons: u64,
    first_id: u32,
    first_index: usize,
}

fn draw_block(ctx: &YearCtx, b: &Block, assignment: Option<&[f64]>) -> Newcomers {
    let group = &ctx.scenario.groups[b.g];
    let (g, origin, persons) = (b.g, b.origin, b.persons);
    let person_key = StreamKey::new(ctx.seed, ctx.year, Purpose::Newcomer);
    let housing_key = StreamKey::new(ctx.seed, ctx.year, Purpose::Housing);
    let mut out = Newcomers::default();
    let mut made = 0u64;
    while made < persons {
        let head_id = b.first_id + made as u32;
        let mut r = person_key.stream(head_id as u64);
        let children = (r.poisson(group.children_mean) as u64).min(persons - made - 1).min(20);
        let head_index = b.first_index + made as usize;
        let mut head = newcomer(ctx, group, g, origin, head_id, true, &mut r);
        head.dependants = children as u8;
        let mut h = housing_key.stream(head_id as u64);
        let to = match origin {
            Origin::Abroad => first_choice_abroad(ctx, g, assignment, &mut r),
            _ => first_choice_elsewhere(ctx, g, &head, &mut r),
        };
        let family = 1 + children as u16;
        out.agents.push(head);
        for c in 0..children {
            let id = head_id + 1 + c as u32;
            let mut rc = person_key.stream(id as u64);
            let mut child = newcomer(ctx, group, g, origin, id, false, &mut rc);
            child.guardian = head_index as u32;
            child.arrival_year = head.arrival_year;
            out.agents.push(child);
        }
        let (to, draw) = match to {
            Some(to) => (to.0, None),
            // Nowhere in the region has room: the family settles elsewhere right away.
            None => (u16::MAX, Some(0)),
        };
        let priority = h.next_u64();
        let draw = draw.unwrap_or_else(|| (h.next_u64() >> 32) as u32);
        out.requests.push(Request {
            idx: head_index as u32,
            to,
            from: NO_DISTRICT,
            family,
            group: g as u8,
            priority,
            draw,
        });
        out.from_abroad.push(origin == Origin::Abroad);
        made += 1 + children;
    }
    out
}

/// The record of one newcomer (location is set when placed).
fn newcomer(ctx: &YearCtx, group: &Group, g: usize, origin: Origin, id: u32, adult: bool, r: &mut Draws) -> Agent {
    let s = ctx.scenario;
    let year = ctx.year;
    let from_abroad = origin == Origin::Abroad;
    let age = if adult {
        r.normal_clamped(group.age_mean, group.age_sd, 18.0, 75.0).round() as u8
    } else {
        (r.uniform() * 18.0) as u8
    };
    let mut a = Agent::new(id, GroupId::from_index(g), age, Location::ELSEWHERE, year as i16);
    a.set_skill(r.normal_clamped(group.skill_mean, group.skill_sd, 0.0, 1.0) as f32);
    a.assign_need(s.economy.needy_non_participants);
    if group.native {
        a.set(flag::CITIZEN, true);
        a.set(flag::BORN_HERE, true);
        a.arrival_year = (year - age as i32) as i16;
        a.set_language(1.0);
    } else if from_abroad {
        a.set_language(r.normal_clamped(group.language_mean, group.language_sd, 0.0, 1.0) as f32);
    } else {
        let init = &group.initial;
        let born_here = r.chance(init.born_here_share);
        a.set(flag::BORN_HERE, born_here);
        a.set(flag::CITIZEN, r.chance(init.citizen_share));
        let years_here = if born_here {
            age as i32
        } else {
            let exp = -init.years_since_arrival_mean.max(0.5) * (1.0 - r.uniform()).ln();
            (exp.round() as i32).min(age as i32)
        };
        a.arrival_year = (year - years_here) as i16;
        let language = if born_here { 1.0 } else { r.normal_clamped(init.language_mean, 0.15, 0.0, 1.0) };
        a.set_language(language as f32);
    }
    if adult && a.is_working_age() && r.chance(group.participation) {
        a.set(flag::LABOUR_FORCE, true);
        let employed = if from_abroad && !group.native {
            let b = &s.behaviour;
            let can_work = !(group.refugee && group.work_delay > 0);
            can_work
                && r.chance(logistic(
                    b.job_base
                        + b.job_language * a.language() as f64
                        + b.job_skill * a.skill() as f64
                        + group.shift.job,
                ))
        } else {
            r.chance(group.initial.employment_rate)
        };
        if employed {
            a.set(flag::EMPLOYED, true);
            a.income = ctx.wages.of(&a);
        }
    }
    if from_abroad && !group.native {
        if adult
            && ctx.world.course_group[g]
            && let Some(c) = &s.policies.language_courses
            && r.chance(c.coverage)
        {
            a.set(flag::IN_COURSE, true);
        }
        if let Some(rr) = &s.policies.residence_requirement
            && ctx.world.bound_group[g]
            && (rr.start_year == 0 || year as i64 >= rr.start_year)
            && rr.years > 0
        {
            // Bound in the years 1..=years after arrival (the arrival year itself has no move
            // decision), so that `years = 1` binds one decision.
            // (`years` is at most 50, and the arrival year is this year)
            a.bind_for(rr.years.clamp(0, u8::MAX as i64) as u8);
            // Compliance from the policy stream: the person's other draws (and the family's
            // first district) stay the same as without the policy (common random numbers).
            let mut p = StreamKey::new(ctx.seed, year, Purpose::Policy).stream(id as u64);
            a.set(flag::COMPLIANT, p.chance(rr.compliance));
            a.set(flag::BOUND_DISTRICT, rr.level == "district");
        }
    }
    a
}

/// The districts a bound arrival of group `g` may be assigned to, as cumulative weights over
/// districts (city-level keys spread a city's weight over its districts by the arrivals' table).
fn assignment_for(ctx: &YearCtx, g: usize) -> Option<Vec<f64>> {
    let rr: &ResidenceRequirement = ctx.scenario.policies.residence_requirement.as_ref()?;
    if !rr.assign_arrivals || !ctx.world.bound_group[g] || !(rr.start_year == 0 || ctx.year as i64 >= rr.start_year) {
        return None;
    }
    let world = ctx.world;
    let snap = ctx.snap;
    let s = ctx.scenario;
    let nd = world.n_districts;
    let share = |d: usize| -> f64 { if rr.cap_on == "own_group" { snap.share(d, g) } else { snap.foreign_share[d] } };
    let place_weight = |name: &str, pop: f64, cap: f64, share: f64| -> f64 {
        match rr.key.as_str() {
            "population" => pop,
            "housing" => cap,
            "equal" => 1.0,
            "custom" => rr.weights.get(name).copied().unwrap_or(0.0),
            _ => {
                if share > rr.cap {
                    0.0
                } else {
                    pop
                }
            }
        }
    };
    let mut weights = vec![0.0; nd];
    let row = ctx.tables.arrival_row(g);
    if rr.level == "district" {
        for (d, w) in weights.iter_mut().enumerate() {
            *w = place_weight(&s.districts[d].name, snap.population[d] as f64, ctx.capacity[d] as f64, share(d));
        }
    } else {
        for c in 0..world.n_cities {
            let range = world.city_range(crate::ids::CityId::from_index(c));
            let pop: f64 = range.clone().map(|d| snap.population[d] as f64).sum();
            let cap: f64 = range.clone().map(|d| ctx.capacity[d] as f64).sum();
            let foreign: f64 = range.clone().map(|d| share(d) * snap.population[d] as f64).sum();
            let city_share = if pop > 0.0 { foreign / pop } else { 0.0 };
            let w = place_weight(&s.cities[c].name, pop, cap, city_share);
            let inner = row.sum(&range);
            for d in range {
                weights[d] = if inner > 0.0 { w * row.weight[d] / inner } else { 0.0 };
            }
        }
    }
    if weights.iter().all(|&w| w == 0.0) {
        // Every place is above the cap: fall back to population.
        for (d, w) in weights.iter_mut().enumerate() {
            *w = snap.population[d] as f64;
        }
    }
    let mut acc = 0.0;
    Some(
        weights
            .iter()
            .map(|w| {
                acc += w;
                acc
            })
            .collect(),
    )
}

fn pick_cumulative(cum: &[f64], u: f64) -> Option<usize> {
    let total = *cum.last()?;
    if total <= 0.0 {
        return None;
    }
    let target = u * total;
    Some(cum.partition_point(|&c| c <= target).min(cum.len() - 1))
}

fn first_choice_abroad(ctx: &YearCtx, g: usize, assignment: Option<&[f64]>, r: &mut Draws) -> Option<DistrictId> {
    if let Some(cum) = assignment {
        return pick_cumulative(cum, r.uniform()).map(DistrictId::from_index);
    }
    let row = ctx.tables.arrival_row(g);
    if row.total() <= 0.0 {
        return None;
    }
    Some(DistrictId::from_index(row.pick_in(0..row.weight.len(), r.uniform() * row.total())))
}

fn first_choice_elsewhere(ctx: &YearCtx, g: usize, head: &Agent, r: &mut Draws) -> Option<DistrictId> {
    let row = ctx.tables.row(g, income_class(head.income));
    if row.total() <= 0.0 {
        return None;
    }
    Some(DistrictId::from_index(row.pick_in(0..row.weight.len(), r.uniform() * row.total())))
}
