//! One simulated year, in the order of MODEL §3, as four passes over the population.
//!
//! 1. **Decide** (parallel over fixed chunks): ageing, death, births, naturalisation, integration,
//!    and the mobility decision of every adult. Moves out of the region are final at once;
//!    applications for districts are collected. Each person's result is written to a 16-bit
//!    scratch slot: destination (or stay/died/pending) and whether the person is on transfers.
//!    A person whose outcome is already final (a stay, a move out of the region, a minor whose
//!    guardian came earlier in the chunk and is not waiting for a dwelling) is booked at once;
//!    the others are deferred to pass 4.
//! 2. **Arrive** (parallel over fixed-size blocks): this year's newcomers and their applications.
//! 3. **Clear**: the housing market places movers (sorted into districts in parallel, served in
//!    rounds), then arrivals.
//! 4. **Apply** (parallel over the same chunks): the deferred persons follow their guardian (read
//!    from the scratch, never from another record being written) or move, and are booked; then
//!    each chunk's newborns are created. Newcomers (written in place by parallel blocks), then
//!    newborns, are appended.
//!
//! Decisions read only the start-of-year [`Snapshot`]; counts are integers, gathered in one
//! tally per worker thread. Booking in pass 1 or pass 4 computes the same thing (`settle`), so
//! neither where a person is booked, nor which thread counted it, nor the thread count shows in
//! the result.

use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use crate::agent::{Agent, NO_GUARDIAN, flag};
use crate::ids::Location;
use crate::ledger::LedgerTable;
use crate::metrics::tally::{Cell, Tally};
use crate::population::{Origin, Population, may_receive_investment};
use crate::rng::{Purpose, StreamKey, YearKey};
use crate::scenario::Scenario;

use super::accounting::{Prices, book_registration, book_year};
use super::arrivals;
use super::choice::ChoiceTables;
use super::demography::{age_one_year, newborn};
use super::housing::{Market, MoverBuffers, NO_DISTRICT, Placed, Request};
use super::integration::{JobOdds, Wages, integrate};
use super::mobility::{Choice, MoveFactors, decide};
use super::world::{Districts, Snapshot, World};

/// Everything a decision may read in a year; nothing in it changes during the year.
pub struct YearCtx<'a> {
    pub scenario: &'a Scenario,
    pub world: &'a World,
    pub snap: &'a Snapshot,
    pub tables: &'a ChoiceTables,
    pub prices: &'a Prices,
    pub wages: &'a Wages,
    pub job_odds: &'a JobOdds,
    /// This year's [`super::integration::local_job_factors`].
    pub job_local: &'a [f64],
    pub moves: &'a MoveFactors,
    pub capacity: &'a [u64],
    pub year: i32,
    /// The replication's seed.
    pub seed: u64,
}

// Scratch codes: low 14 bits a destination (district index, ELSEWHERE, GONE = abroad) or one of
// the markers below; the top bit marks a person on transfers.
const DEST_MASK: u16 = 0x3FFF;
const STAY: u16 = 0x3FFD;
const DIED: u16 = 0x3FFC;
/// Applied for a dwelling; the housing market replaces it by the district, or leaves it (stay).
const PENDING: u16 = 0x3FFB;
const ON_TRANSFERS: u16 = 0x8000;

/// Newcomers' requests placed and booked per task.
const NEWCOMER_BLOCK: usize = 1 << 11;

/// Smallest chunk worth a task.
const MIN_CHUNK: usize = 4096;

/// The per-replication state the step works on.
pub struct State {
    pub population: Population,
    pub districts: Districts,
    /// One 16-bit decision per person (see the scratch codes).
    scratch: Vec<u16>,
    /// The year's counts, one tally per worker thread.
    tallies: ThreadTallies,
    /// What pass 1 of each chunk produced, its buffers reused every year (fresh memory is
    /// costly: every page is zeroed by the kernel on first touch).
    decided: Vec<Decided>,
    /// The housing market's working memory, reused every year.
    movers: MoverBuffers,
    /// A tally handed back by the caller once it no longer needs it ([`State::recycle`]).
    spare: Option<Tally>,
}

/// What pass 1 of one chunk produced besides its tally.
#[derive(Default)]
pub struct Decided {
    requests: Vec<Request>,
    /// Indices of persons who had a child.
    births: Vec<u32>,
    /// Guardians losing a dependant (the minor died or came of age), by the chunk the guardian
    /// lies in.
    drops: Vec<Vec<u32>>,
    /// Persons leaving the region (their families leave with them), with the district they
    /// leave (or [`NO_DISTRICT`] when they already live elsewhere).
    leavers: Vec<(u32, u16)>,
    /// Births per district (for free places).
    born: Vec<u64>,
    died: usize,
    /// Persons who left for abroad.
    left: usize,
    /// Persons whose year is booked in pass 4: applicants for a dwelling, and minors whose
    /// guardian's outcome was not known in pass 1 (indices, ascending).
    deferred: Vec<u32>,
}

impl State {
    pub fn new(population: Population, districts: Districts) -> Self {
        State {
            population,
            districts,
            scratch: Vec::new(),
            tallies: ThreadTallies::default(),
            decided: Vec::new(),
            movers: MoverBuffers::default(),
            spare: None,
        }
    }

    /// Hands back a year's tally that is no longer needed, to be reused for a later year (its
    /// memory is already mapped, so the next year need not fault in fresh pages).
    pub fn recycle(&mut self, tally: Tally) {
        self.spare = Some(tally);
    }

    fn chunk_len(&self) -> usize {
        let n = self.population.agents.len();
        let tasks = rayon::current_num_threads().max(1) * 8;
        n.div_ceil(tasks).max(MIN_CHUNK)
    }
}

/// Pass 1 over one chunk.
fn decide_chunk(
    agents: &mut [Agent],
    scratch: &mut [u16],
    base: usize,
    (chunk, n_chunks): (usize, usize),
    ctx: &YearCtx,
    ledgers: &LedgerTable,
    tally: &mut Tally,
    out: &mut Decided,
) {
    let nd = ctx.world.n_districts;
    out.clear(nd, n_chunks);
    let year_key = YearKey::new(ctx.seed, ctx.year);
    for i in 0..agents.len() {
        scratch[i] = STAY;
        let a = &mut agents[i];
        if a.location.is_gone() {
            continue;
        }
        let idx = (base + i) as u32;
        let slot = a.location.slot(nd);
        let person = year_key.person(a.id);
        let ev = age_one_year(a, ctx, &mut person.stream(Purpose::Demography));
        if ev.died {
            let cell = tally.cell(slot, a.group);
            cell.deaths += 1;
            cell.investment_departed += ledgers.get(a).total();
            if a.guardian != NO_GUARDIAN {
                out.drops[a.guardian as usize / chunk].push(a.guardian);
            }
            a.location = Location::GONE;
            scratch[i] = DIED;
            out.died += 1;
            continue;
        }
        if ev.naturalised {
            tally.cell(slot, a.group).naturalisations += 1;
        }
        if ev.gave_birth {
            out.births.push(idx);
            out.born[slot] += 1;
        }
        if a.age >= 18 && a.guardian != NO_GUARDIAN {
            out.drops[a.guardian as usize / chunk].push(a.guardian);
            a.guardian = NO_GUARDIAN;
        }
        integrate(a, ctx, &mut person.stream(Purpose::Integration));
        let transfers = if a.on_transfers() { ON_TRANSFERS } else { 0 };
        let choice = if a.is_minor() { Choice::Stay } else { decide(a, ctx, &mut person.stream(Purpose::Mobility)) };
        // (only for those who move: the loop's common case is a stay)
        let from = |a: &Agent| a.location.as_district().map_or(NO_DISTRICT, |d| d.0);
        let dest = match choice {
            Choice::Stay => STAY,
            Choice::Elsewhere => {
                out.leavers.push((idx, from(a)));
                Location::ELSEWHERE.0
            }
            Choice::Abroad => {
                out.leavers.push((idx, from(a)));
                Location::GONE.0
            }
            Choice::District(d) => {
                let mut h = person.stream(Purpose::Housing);
                out.requests.push(Request {
                    idx,
                    to: d.0,
                    from: from(a),
                    // the newborn for now; the minors in care are added once this year's
                    // deaths and comings of age are known
                    family: u16::from(ev.gave_birth),
                    group: a.group.0,
                    priority: h.next_u64(),
                    draw: (h.next_u64() >> 32) as u32,
                });
                PENDING
            }
        };
        scratch[i] = dest | transfers;

        // Book the year now if the outcome is final: a stay, a move out of the region, or a
        // minor following a guardian whose outcome is already known (guardians come before
        // their minors in the population, so usually it is). Applicants for a dwelling, and
        // minors whose guardian is one or comes in another chunk, wait for pass 4.
        let (dest, minor_on_transfers) = if a.is_minor() && a.guardian != NO_GUARDIAN {
            let g = a.guardian as usize;
            if g < base || g >= base + i {
                out.deferred.push(idx);
                continue;
            }
            match guardian_outcome(scratch[g - base]) {
                None => {
                    a.guardian = NO_GUARDIAN;
                    (STAY, false)
                }
                Some((PENDING, _)) => {
                    out.deferred.push(idx);
                    continue;
                }
                Some(outcome) => outcome,
            }
        } else if dest == PENDING {
            out.deferred.push(idx);
            continue;
        } else {
            (dest, false)
        };
        if settle(a, dest, minor_on_transfers, ctx, ledgers, tally) {
            out.left += 1;
        }
    }
}

/// Books the year of a person whose outcome is final: `dest` is the scratch destination
/// (a district, elsewhere, abroad, or a stay), `minor_on_transfers` whether the guardian of a
/// minor is on transfers. Returns true when the person left for abroad (and is gone).
#[inline(always)]
fn settle(
    a: &mut Agent,
    dest: u16,
    minor_on_transfers: bool,
    ctx: &YearCtx,
    ledgers: &LedgerTable,
    tally: &mut Tally,
) -> bool {
    let mut moved = false;
    if dest != STAY && dest != PENDING && dest != DIED && Location(dest) != a.location {
        let to = Location(dest);
        book_move(a, a.location, to, ctx, ledgers, tally);
        if to.is_gone() {
            return true;
        }
        moved = true;
    } else {
        a.tenure = a.tenure.saturating_add(1);
    }
    book_year(a, ctx, minor_on_transfers, moved, ledgers, tally);
    false
}

impl Decided {
    fn clear(&mut self, n_districts: usize, n_chunks: usize) {
        self.requests.clear();
        self.births.clear();
        self.drops.resize_with(n_chunks, Vec::new);
        self.drops.iter_mut().for_each(Vec::clear);
        self.leavers.clear();
        self.born.clear();
        self.born.resize(n_districts, 0);
        self.died = 0;
        self.left = 0;
        self.deferred.clear();
    }
}

/// Books a move of `a` from `from` to `to` (a district, elsewhere, or abroad = gone).
fn book_move(a: &mut Agent, from: Location, to: Location, ctx: &YearCtx, ledgers: &LedgerTable, tally: &mut Tally) {
    let nd = ctx.world.n_districts;
    let g = a.group;
    let foreign = u64::from(!a.has(flag::CITIZEN));
    match (from.as_district(), to.as_district()) {
        (Some(d1), Some(d2)) => {
            let same = ctx.world.city_of(d1) == ctx.world.city_of(d2);
            if same {
                let out = tally.cell(d1.index(), g);
                out.out_same_city += 1;
                out.foreign_out_same_city += foreign;
                tally.cell(d2.index(), g).in_same_city += 1;
            } else {
                let out = tally.cell(d1.index(), g);
                out.out_other_city += 1;
                out.foreign_out_of_city += foreign;
                let into = tally.cell(d2.index(), g);
                into.in_other_city += 1;
                into.foreign_into_city += foreign;
            }
            book_registration(a, d1, ctx, ledgers, tally);
            book_registration(a, d2, ctx, ledgers, tally);
        }
        (Some(d1), None) => {
            book_registration(a, d1, ctx, ledgers, tally);
            let cell = tally.cell(d1.index(), g);
            cell.foreign_out_of_city += foreign;
            if to.is_gone() {
                cell.out_abroad += 1;
                cell.investment_departed += ledgers.get(a).total();
            } else {
                cell.out_elsewhere += 1;
                tally.cell(nd, g).in_other_city += 1;
            }
        }
        (None, Some(d2)) => {
            tally.cell(nd, g).out_other_city += 1;
            let into = tally.cell(d2.index(), g);
            into.in_elsewhere += 1;
            into.foreign_into_city += foreign;
            book_registration(a, d2, ctx, ledgers, tally);
        }
        (None, None) => {
            if to.is_gone() {
                let cell = tally.cell(nd, g);
                cell.out_abroad += 1;
                cell.investment_departed += ledgers.get(a).total();
            }
        }
    }
    a.location = to;
    a.tenure = 0;
}

/// What a minor in care does, from its guardian's scratch code: `None` when the guardian died
/// (the minor loses its guardian and stays), else the guardian's destination and whether the
/// guardian is on transfers.
#[inline]
fn guardian_outcome(code: u16) -> Option<(u16, bool)> {
    (code & DEST_MASK != DIED).then_some((code & DEST_MASK, code & ON_TRANSFERS != 0))
}

/// What pass 4 of one chunk produced.
struct Applied {
    /// Persons who left for abroad.
    left: usize,
    /// The chunk's newborns, in the order of their parents.
    children: Vec<Agent>,
}

/// Pass 4 over one chunk: the deferred persons follow, move and are booked; then the chunk's
/// newborns are created (with their parent wherever the parent now lives in the region), the
/// `b`-th birth of the year getting identity `first_id + b`.
#[allow(clippy::too_many_arguments)]
fn apply_chunk(
    agents: &mut [Agent],
    base: usize,
    deferred: &[u32],
    births: &[u32],
    first_id: u32,
    scratch: &[u16],
    ctx: &YearCtx,
    ledgers: &LedgerTable,
    tally: &mut Tally,
) -> Applied {
    let mut left = 0;
    for &idx in deferred {
        let a = &mut agents[idx as usize - base];
        let (dest, minor_on_transfers) = if a.is_minor() && a.guardian != NO_GUARDIAN {
            match guardian_outcome(scratch[a.guardian as usize]) {
                Some(outcome) => outcome,
                None => {
                    a.guardian = NO_GUARDIAN;
                    (STAY, false)
                }
            }
        } else {
            (scratch[idx as usize] & DEST_MASK, false)
        };
        if settle(a, dest, minor_on_transfers, ctx, ledgers, tally) {
            left += 1;
        }
    }

    let birth_key = StreamKey::new(ctx.seed, ctx.year, Purpose::Birth);
    let mut children = Vec::with_capacity(births.len());
    for (b, &parent_idx) in births.iter().enumerate() {
        let parent = &mut agents[parent_idx as usize - base];
        let Some(d) = parent.location.as_district() else { continue };
        parent.dependants = parent.dependants.saturating_add(1);
        let id = first_id + b as u32;
        let mut child = newborn(parent, parent_idx, id, ctx.year, Location::district(d));
        let group = &ctx.scenario.groups[parent.group.index()];
        child.set_skill(birth_key.stream(id as u64).normal_clamped(group.skill_mean, group.skill_sd, 0.0, 1.0) as f32);
        child.assign_need(ctx.scenario.economy.needy_non_participants);
        tally.cell(d.index(), child.group).births += 1;
        book_year(&child, ctx, parent.on_transfers(), false, ledgers, tally);
        children.push(child);
    }
    Applied { left, children }
}

/// Advances `state` by one year and returns the year's counts.
pub fn step(state: &mut State, ctx: &YearCtx) -> Tally {
    let nd = ctx.world.n_districts;
    let ng = ctx.world.n_groups;
    let n = state.population.agents.len();
    let chunk = state.chunk_len();
    let n_chunks = n.div_ceil(chunk).max(1);
    state.tallies.prepare(nd, ng);
    let tallies = &state.tallies;
    state.scratch.clear();
    state.scratch.resize(n, STAY);

    // Pass 1: decide.
    state.decided.resize_with(n_chunks, Decided::default);
    let ledgers = &state.population.ledgers;
    state
        .population
        .agents
        .par_chunks_mut(chunk)
        .zip(state.scratch.par_chunks_mut(chunk))
        .zip(state.decided.par_iter_mut())
        .enumerate()
        .for_each(|(c, ((agents, scratch), out))| {
            tallies.with(|tally| decide_chunk(agents, scratch, c * chunk, (chunk, n_chunks), ctx, ledgers, tally, out))
        });

    // Each chunk's guardians lose the dependants that died or came of age (decrements floored at
    // zero, so their order does not matter).
    let decided = &state.decided;
    state.population.agents.par_chunks_mut(chunk).enumerate().for_each(|(c, part)| {
        for d in decided {
            for &g in &d.drops[c] {
                let guardian = &mut part[g as usize - c * chunk];
                guardian.dependants = guardian.dependants.saturating_sub(1);
            }
        }
    });
    let mut born = vec![0u64; nd];
    for d in &state.decided {
        for k in 0..nd {
            born[k] += d.born[k];
        }
        state.population.gone += d.died + d.left;
    }
    // Families are now exact: the minors in care after this year's deaths and comings of age.
    let agents = &state.population.agents;
    state.decided.par_iter_mut().for_each(|d| {
        for r in &mut d.requests {
            r.family += 1 + agents[r.idx as usize].dependants as u16;
        }
    });
    let leaving = state
        .decided
        .par_iter()
        .map(|d| {
            let mut leaving = vec![0u64; nd];
            for &(i, from) in &d.leavers {
                if from != NO_DISTRICT {
                    leaving[from as usize] += 1 + agents[i as usize].dependants as u64;
                }
            }
            leaving
        })
        .reduce(|| vec![0u64; nd], |a, b| a.iter().zip(&b).map(|(x, y)| x + y).collect());
    let mut deaths = vec![0u64; nd];
    tallies.each(|t| {
        for (k, dk) in deaths.iter_mut().enumerate() {
            for g in 0..ng {
                *dk += t.get(k, g).deaths;
            }
        }
    });

    // Pass 2: newcomers.
    let newcomers = arrivals::draw(ctx, &mut state.population, n);

    // Pass 3: the housing market.
    let occupancy: Vec<u64> =
        (0..nd).map(|k| (ctx.snap.population[k] + born[k]).saturating_sub(deaths[k] + leaving[k])).collect();
    let social_mix = match &ctx.scenario.policies.social_mix {
        Some(p) => (0..nd)
            .map(|k| ctx.world.social_mix[k].then_some((p.cap, p.acceptance, state.districts.social_housing[k])))
            .collect(),
        None => vec![None; nd],
    };
    let mut market = Market {
        occupancy,
        capacity: ctx.capacity,
        overcrowding: ctx.scenario.housing.arrival_overcrowding,
        social_mix,
        group_share: &ctx.snap.group_share,
        n_groups: ng,
        mix_exempt: &ctx.world.native,
    };
    let requests: Vec<&[Request]> = state.decided.iter().map(|d| &d.requests[..]).collect();
    let accepted = market.clear_movers(&requests, &mut state.movers);
    // Each chunk's applicants write their districts into the chunk's scratch.
    let mut accepted_parts = Vec::with_capacity(requests.len());
    let mut rest = accepted;
    for part in &requests {
        let (this, tail) = rest.split_at(part.len());
        accepted_parts.push(this);
        rest = tail;
    }
    state.scratch.par_chunks_mut(chunk).zip(requests.par_iter().zip(accepted_parts.par_iter())).enumerate().for_each(
        |(c, (scratch, (part, accepted)))| {
            for (r, _) in part.iter().zip(accepted.iter()).filter(|(_, a)| **a) {
                let s = &mut scratch[r.idx as usize - c * chunk];
                *s = (*s & ON_TRANSFERS) | r.to;
            }
        },
    );
    let placed = market.clear_arrivals(&newcomers.requests, &newcomers.from_abroad, |r, room| {
        // Arrivals assigned by a residence-requirement key take their second choice by the same
        // key; everyone else by the arrivals' location choice.
        let g = r.group as usize;
        let weight = |d: usize| -> f64 {
            match &newcomers.assignments[g] {
                Some(cum) => cum[d] - if d == 0 { 0.0 } else { cum[d - 1] },
                None => ctx.tables.arrival_row(g).weight[d],
            }
        };
        let total: f64 = (0..nd).filter(|&d| room(d)).map(weight).sum();
        if total <= 0.0 {
            return None;
        }
        let mut u = r.draw as f64 / (u32::MAX as f64 + 1.0) * total;
        let mut last = None;
        for d in (0..nd).filter(|&d| room(d)) {
            let w = weight(d);
            if w <= 0.0 {
                continue;
            }
            last = Some(d);
            if u < w {
                return Some(d);
            }
            u -= w;
        }
        last
    });

    // Pass 4: apply.
    let scratch = &state.scratch;
    // Every birth gets an identity, in index order, whether or not the child is born here.
    let n_births: usize = state.decided.iter().map(|d| d.births.len()).sum();
    let first_ids: Vec<u32> = state
        .decided
        .iter()
        .scan(state.population.reserve_ids(Origin::Birth, n_births as u32), |next, d| {
            let first = *next;
            *next += d.births.len() as u32;
            Some(first)
        })
        .collect();
    let ledgers = &state.population.ledgers;
    let applied: Vec<Applied> = state
        .population
        .agents
        .par_chunks_mut(chunk)
        .zip(state.decided.par_iter().zip(first_ids.par_iter()))
        .enumerate()
        .map(|(c, (agents, (decided, &first_id)))| {
            tallies.with(|tally| {
                let (deferred, births) = (&decided.deferred, &decided.births);
                apply_chunk(agents, c * chunk, deferred, births, first_id, scratch, ctx, ledgers, tally)
            })
        })
        .collect();
    state.population.gone += applied.iter().map(|a| a.left).sum::<usize>();

    // Newcomers, placed and booked in parallel over fixed blocks of requests. In-migrants with
    // no room are dropped, so the indices after them shift down by their families' sizes.
    // Those who stay and may receive investment get their ledgers first, in order.
    let mut newcomers = newcomers;
    let integration_years = ctx.scenario.economy.integration_years;
    let mut shift_before = Vec::with_capacity(newcomers.requests.len());
    let mut dropped = 0u32;
    for (j, r) in newcomers.requests.iter().enumerate() {
        shift_before.push(dropped);
        if placed[j] == Placed::Elsewhere && !newcomers.from_abroad[j] {
            dropped += r.family as u32;
            continue;
        }
        let head = r.idx as usize - n;
        for a in &mut newcomers.agents[head..head + r.family as usize] {
            if may_receive_investment(a, ctx.world.native[a.group.index()], ctx.year, integration_years) {
                a.ledger = state.population.ledgers.allocate();
            }
        }
    }
    let ledgers = &state.population.ledgers;
    let agents = &newcomers.agents;
    let n_children: usize = applied.iter().map(|a| a.children.len()).sum();
    state.population.agents.reserve(agents.len() + n_children);
    // Each block writes its persons straight into the population, at the place its first
    // family takes once the dropped families before it are left out.
    let requests = &newcomers.requests;
    let starts: Vec<usize> = (0..requests.len()).step_by(NEWCOMER_BLOCK).collect();
    let kept_before = |j: usize| match requests.get(j) {
        Some(r) => r.idx as usize - n - shift_before[j] as usize,
        None => agents.len() - dropped as usize,
    };
    let old_len = state.population.agents.len();
    let blank = Agent::new(0, crate::ids::GroupId(0), 0, Location::GONE, 0);
    state.population.agents.par_extend(rayon::iter::repeat_n(blank, agents.len() - dropped as usize));
    let mut outs: Vec<&mut [Agent]> = Vec::with_capacity(starts.len());
    let mut rest = &mut state.population.agents[old_len..];
    for &start in &starts {
        let len = kept_before(start + NEWCOMER_BLOCK) - kept_before(start);
        let (this, tail) = rest.split_at_mut(len);
        outs.push(this);
        rest = tail;
    }
    outs.into_par_iter().zip(starts.par_iter()).for_each(|(out, &start)| {
        tallies.with(|t| {
            let end = (start + NEWCOMER_BLOCK).min(newcomers.requests.len());
            let mut w = 0;
            for j in start..end {
                let r = &newcomers.requests[j];
                let head = r.idx as usize - n;
                let family = r.family as usize;
                let from_abroad = newcomers.from_abroad[j];
                let location = match placed[j] {
                    Placed::District(d) => Location::district(d),
                    Placed::Elsewhere if from_abroad => Location::ELSEWHERE,
                    Placed::Elsewhere => continue,
                };
                let mut head_on_transfers = false;
                for (m, &a) in agents[head..head + family].iter().enumerate() {
                    let mut a = a;
                    if m > 0 {
                        a.guardian -= shift_before[j];
                    }
                    a.location = location;
                    let slot = location.slot(nd);
                    let cell = t.cell(slot, a.group);
                    if from_abroad {
                        cell.arrivals_abroad += 1;
                    } else {
                        cell.in_elsewhere += 1;
                    }
                    if let Some(d) = location.as_district() {
                        cell.foreign_into_city += u64::from(!a.has(flag::CITIZEN));
                        book_registration(&a, d, ctx, ledgers, t);
                        if a.bound_years > 0 {
                            a.bound_place = if a.has(flag::BOUND_DISTRICT) { d.0 } else { ctx.world.city_of(d).0 };
                        }
                    } else {
                        a.unbind();
                    }
                    let minor_on_transfers = m > 0 && a.is_minor() && head_on_transfers;
                    book_year(&a, ctx, minor_on_transfers, false, ledgers, t);
                    if m == 0 {
                        head_on_transfers = a.on_transfers();
                    }
                    out[w] = a;
                    w += 1;
                }
            }
            debug_assert_eq!(w, out.len());
        })
    });

    // Newborns.
    for a in applied {
        state.population.agents.extend(a.children);
    }

    if state.population.gone * 8 > state.population.agents.len() {
        state.population.compact();
    }
    let mut tally = match state.spare.take() {
        Some(mut t) if t.n_districts == nd && t.n_groups == ng => {
            t.clear();
            t
        }
        _ => Tally::new(nd, ng),
    };
    state.tallies.each(|t| tally.add(t));
    tally
}

/// The year's counts, one tally per worker thread (and one for work outside the pool), kept
/// from year to year. Every count is an integer, so which thread counted a person does not
/// change the sums: the result is the same at any thread count. A task holds its thread's tally
/// while it runs and calls nothing that could run another task on the same thread.
/// A tally that was not used in a year is still empty, so only the used ones are cleared and
/// summed.
#[derive(Default)]
struct ThreadTallies(Vec<Mutex<(Tally, bool)>>);

impl ThreadTallies {
    /// Empties the tallies used last year (all are made anew when the thread count or the
    /// shape changed).
    fn prepare(&mut self, n_districts: usize, n_groups: usize) {
        let k = rayon::current_num_threads().max(1) + 1;
        let fits = |t: &mut Mutex<(Tally, bool)>| {
            let (t, _) = t.get_mut().unwrap_or_else(PoisonError::into_inner);
            t.n_districts == n_districts && t.n_groups == n_groups
        };
        if self.0.len() != k || !self.0.iter_mut().all(fits) {
            self.0 = (0..k).map(|_| Mutex::new((Tally::new(n_districts, n_groups), false))).collect();
        } else {
            for t in &mut self.0 {
                let (t, used) = t.get_mut().unwrap_or_else(PoisonError::into_inner);
                if *used {
                    t.clear();
                    *used = false;
                }
            }
        }
    }

    /// Runs `f` with the calling thread's tally.
    fn with<R>(&self, f: impl FnOnce(&mut Tally) -> R) -> R {
        let slot = rayon::current_thread_index().map_or(0, |i| i + 1) % self.0.len();
        let mut guard = self.0[slot].lock().unwrap_or_else(PoisonError::into_inner);
        guard.1 = true;
        f(&mut guard.0)
    }

    /// Visits every tally used this year.
    fn each(&self, mut f: impl FnMut(&Tally)) {
        for t in &self.0 {
            let guard = t.lock().unwrap_or_else(PoisonError::into_inner);
            if guard.1 {
                f(&guard.0);
            }
        }
    }
}

/// Counts of the initial stock (stocks only; no flows or money), the state before the first year.
/// Counted in parallel, each task into its own cells; the counts are integers, so the sum does
/// not depend on how the work was split.
pub fn initial_tally(pop: &Population, world: &World) -> Tally {
    let (nd, ng) = (world.n_districts, world.n_groups);
    let chunk = pop.agents.len().div_ceil(rayon::current_num_threads().max(1) * 4).max(MIN_CHUNK);
    let count = |mut cells: Vec<Cell>, agents: &[Agent]| {
        for a in agents {
            if a.location.is_gone() {
                continue;
            }
            let guardian_on_transfers =
                a.is_minor() && a.guardian != NO_GUARDIAN && pop.agents[a.guardian as usize].on_transfers();
            let on_transfers = a.on_transfers() || guardian_on_transfers;
            cells[Tally::cell_index(ng, a.location.slot(nd), a.group.index())].add_person(a, on_transfers);
        }
        cells
    };
    let mut total = Tally::new(nd, ng);
    // (only the cells: a whole tally per task would also make, and add, a flow matrix)
    let n_cells = total.cells.len();
    let blank = || vec![Cell::default(); n_cells];
    total.cells = pop.agents.par_chunks(chunk).fold(blank, count).reduce(blank, |mut a, b| {
        a.iter_mut().zip(&b).for_each(|(x, y)| x.add(y));
        a
    });
    total
}

/// Grows housing at the start of a year: every district by `housing.growth`, and the retention
/// programme's districts by their new dwellings and quality.
pub fn grow_housing(districts: &mut Districts, s: &Scenario, world: &World, year: i32, first_year: bool) {
    if !first_year && s.housing.growth != 0.0 {
        for c in &mut districts.capacity {
            *c = (*c as f64 * (1.0 + s.housing.growth)).round().max(0.0) as u64;
        }
    }
    let Some(r) = &s.policies.retention else { return };
    if r.start_year != 0 && (year as i64) < r.start_year {
        return;
    }
    for d in 0..world.n_districts {
        if world.retention[d] {
            districts.capacity[d] += r.new_housing.round() as u64;
            districts.base_quality[d] = (districts.base_quality[d] + r.quality_gain).min(1.0);
        }
    }
}
