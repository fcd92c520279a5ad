//! The population: agent records, identities, the initial stock, and compaction.
//!
//! Agents live in one `Vec` in creation order. A person who dies or leaves for abroad is marked
//! [`Location::GONE`] and removed at the next compaction, which keeps the order and rewrites the
//! guardian indices of minors. Identities are `kind << 30 | counter` with one counter per way of
//! entering the simulation (initial stock, arrival from abroad, in-migration, birth), so two
//! scenarios with the same arrival schedule give the same arrivals the same identities — and
//! therefore the same random numbers — even when their births differ.

use crate::agent::{Agent, NO_GUARDIAN, NO_LEDGER, flag};
use crate::engine::integration::Wages;
use crate::ids::{DistrictId, GroupId, Location};
use crate::ledger::LedgerTable;
use crate::rng::{Purpose, StreamKey};
use crate::scenario::Scenario;

/// How a person entered the simulation (the top two bits of the id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum Origin {
    Initial = 0,
    Abroad = 1,
    Elsewhere = 2,
    Birth = 3,
}

const COUNTER_BITS: u32 = 30;

/// How the person with this id entered the simulation.
pub fn origin(id: u32) -> Origin {
    match id >> COUNTER_BITS {
        0 => Origin::Initial,
        1 => Origin::Abroad,
        2 => Origin::Elsewhere,
        _ => Origin::Birth,
    }
}
const COUNTER_MAX: u32 = (1 << COUNTER_BITS) - 1;

/// All persons of one replication.
#[derive(Debug, Clone)]
pub struct Population {
    pub agents: Vec<Agent>,
    /// The ledgers of the persons who may receive investment (see [`may_receive_investment`]).
    pub ledgers: LedgerTable,
    counters: [u32; 4],
    /// Records marked gone since the last compaction.
    pub gone: usize,
}

/// Pieces compaction cuts the population into (enough that most kept runs move by more than
/// their length, so they can be copied in parallel).
const COMPACTION_CHUNKS: usize = 64;
/// Kept runs shorter than this are moved by one thread.
const PARALLEL_COPY_MIN: usize = if cfg!(test) { 64 } else { 1 << 14 };

impl Population {
    pub fn empty() -> Self {
        Population { agents: Vec::new(), ledgers: LedgerTable::default(), counters: [0; 4], gone: 0 }
    }

    /// A fresh identity for a person entering by `origin`.
    pub fn next_id(&mut self, origin: Origin) -> u32 {
        let c = &mut self.counters[origin as usize];
        assert!(*c < COUNTER_MAX, "more than 2^30 persons entered by {origin:?}");
        let id = (origin as u32) << COUNTER_BITS | *c;
        *c += 1;
        id
    }

    /// Reserves `n` consecutive identities for persons entering by `origin`; returns the first.
    pub fn reserve_ids(&mut self, origin: Origin, n: u32) -> u32 {
        let c = &mut self.counters[origin as usize];
        assert!(*c as u64 + n as u64 <= COUNTER_MAX as u64, "more than 2^30 persons entered by {origin:?}");
        let first = (origin as u32) << COUNTER_BITS | *c;
        *c += n;
        first
    }

    /// Persons alive in the simulation (in the region or elsewhere).
    pub fn alive(&self) -> usize {
        self.agents.len() - self.gone
    }

    /// Removes gone records, keeping order, and rewrites guardian indices; the ledgers of the
    /// kept are closed up in place in the same order (and renumbered), those of the gone dropped.
    /// A minor whose guardian is gone loses the guardian. Done in parallel: each chunk is
    /// compacted to its front, then the kept runs are moved together.
    pub fn compact(&mut self) {
        use rayon::prelude::*;
        if self.gone == 0 {
            return;
        }
        // Pieces of whole 64-record blocks. Per piece: which records are kept (a bit per record,
        // by blocks of 64, to rank them), how many records hold a ledger, and how many of those
        // are kept.
        let chunk = self.agents.len().div_ceil(COMPACTION_CHUNKS).max(1).next_multiple_of(64);
        let summaries: Vec<(Vec<u64>, usize, usize)> = self
            .agents
            .par_chunks(chunk)
            .map(|piece| {
                let (mut held, mut kept) = (0, 0);
                let bits = piece
                    .chunks(64)
                    .map(|block| {
                        let mut word = 0u64;
                        for (j, a) in block.iter().enumerate() {
                            let has = usize::from(a.ledger != NO_LEDGER);
                            held += has;
                            if !a.location.is_gone() {
                                word |= 1 << j;
                                kept += has;
                            }
                        }
                        word
                    })
                    .collect();
                (bits, held, kept)
            })
            .collect();
        let bits: Vec<u64> = summaries.iter().flat_map(|(b, _, _)| b.iter().copied()).collect();
        let kept_before: Vec<u32> = bits
            .iter()
            .scan(0u32, |count, w| {
                let before = *count;
                *count += w.count_ones();
                Some(before)
            })
            .collect();
        let new_index = |i: u32| -> Option<u32> {
            let (b, j) = ((i / 64) as usize, i % 64);
            let word = bits[b];
            if word & (1 << j) == 0 {
                return None;
            }
            Some(kept_before[b] + (word & ((1u64 << j) - 1)).count_ones())
        };
        // The ledger table follows the population's order, so each piece's ledgers are one run of
        // it: piece `p` holds `held[p]` of them, from the sum of the earlier pieces' on. Each piece
        // compacts its records and its ledgers to the front of its runs, in parallel; the kept
        // ledgers get their final numbers (`base[p]` on) at once.
        let mut parts = Vec::with_capacity(summaries.len());
        let (mut rest, mut base) = (self.ledgers.slots_mut(), 0u32);
        let mut ledger_runs = Vec::with_capacity(summaries.len());
        let mut first = 0usize;
        for &(_, held, kept) in &summaries {
            let (this, tail) = rest.split_at_mut(held);
            parts.push((this, first as u32, base));
            ledger_runs.push((first, kept));
            first += held;
            base += kept as u32;
            rest = tail;
        }
        let kept: Vec<usize> = self
            .agents
            .par_chunks_mut(chunk)
            .zip(parts.into_par_iter())
            .map(|(part, (ledgers, first, base))| {
                let (mut w, mut held, mut kept) = (0, 0, 0);
                for r in 0..part.len() {
                    let mut a = part[r];
                    let has_ledger = a.ledger != NO_LEDGER;
                    debug_assert!(!has_ledger || a.ledger == first + held as u32, "ledgers out of order");
                    if a.location.is_gone() {
                        held += usize::from(has_ledger);
                        continue;
                    }
                    if a.guardian != NO_GUARDIAN {
                        a.guardian = new_index(a.guardian).unwrap_or(NO_GUARDIAN);
                    }
                    if has_ledger {
                        if kept != held {
                            ledgers[kept].store(&ledgers[held].load());
                        }
                        a.ledger = base + kept as u32;
                        held += 1;
                        kept += 1;
                    }
                    part[w] = a;
                    w += 1;
                }
                w
            })
            .collect();
        self.ledgers.close_runs(&ledger_runs);
        // Then the kept runs moved together.
        let runs: Vec<(usize, usize)> = kept.iter().enumerate().map(|(c, &k)| (c * chunk, k)).collect();
        close_runs(&mut self.agents, &runs, |to, from| *to = *from);
        self.gone = 0;
    }

    /// Draws the initial stock of a replication. Each (district, group) cell is drawn on its own
    /// (in parallel); identities are numbered cell by cell, so the result does not depend on
    /// the thread count.
    pub fn initial(s: &Scenario, seed: u64) -> Self {
        use rayon::prelude::*;
        let key = StreamKey::new(seed, s.meta.start_year, Purpose::Initial);
        let wages = Wages::new(s);
        let mut cells = Vec::new();
        let mut next = 0u32;
        for (d, district) in s.districts.iter().enumerate() {
            for (g, &count) in district.population.iter().enumerate() {
                if count > 0 {
                    cells.push((d, g, count, next));
                    next += count;
                }
            }
        }
        // One allocation, cut into a slice per cell, each filled in place (no second copy).
        let blank = Agent::new(0, GroupId(0), 0, Location::GONE, 0);
        let mut agents = Vec::with_capacity(next as usize);
        // (filled in parallel, so the pages are first touched by both threads)
        agents.par_extend(rayon::iter::repeat_n(blank, next as usize));
        let mut slices: Vec<&mut [Agent]> = Vec::with_capacity(cells.len());
        let mut rest: &mut [Agent] = &mut agents;
        for &(_, _, count, _) in &cells {
            let (this, tail) = rest.split_at_mut(count as usize);
            slices.push(this);
            rest = tail;
        }
        let marked: Vec<u32> = cells
            .par_iter()
            .zip(slices.into_par_iter())
            // (one task per cell: the cells' sizes differ by orders of magnitude)
            .with_max_len(1)
            .map(|(&(d, g, count, first), slice)| initial_cell(s, &wages, key, d, g, count, first, slice))
            .collect();
        let mut pop = Population::empty();
        pop.agents = agents;
        pop.counters[Origin::Initial as usize] = next;
        let sizes: Vec<u32> = cells.iter().map(|&(_, _, count, _)| count).collect();
        pop.number_initial_ledgers(&sizes, &marked);
        pop
    }

    /// Gives a ledger to every initial person marked [`NEEDS_LEDGER`], numbered in index order.
    /// `sizes[c]` is the number of records of cell `c` (the cells lie one after another) and
    /// `marked[c]` how many of them are marked; cells without any are not visited.
    fn number_initial_ledgers(&mut self, sizes: &[u32], marked: &[u32]) {
        use rayon::prelude::*;
        let total: u32 = marked.iter().sum();
        let first = self.ledgers.append_empty(total as usize);
        let mut cells: Vec<(&mut [Agent], u32, u32)> = Vec::with_capacity(sizes.len());
        let (mut rest, mut next): (&mut [Agent], u32) = (&mut self.agents, first);
        for (&size, &m) in sizes.iter().zip(marked) {
            let (this, tail) = rest.split_at_mut(size as usize);
            cells.push((this, next, m));
            next += m;
            rest = tail;
        }
        // (one task per cell, as when drawing them)
        cells.into_par_iter().with_max_len(1).filter(|(_, _, m)| *m > 0).for_each(|(cell, start, _)| {
            for (index, a) in (start..).zip(cell.iter_mut().filter(|a| a.ledger == NEEDS_LEDGER)) {
                a.ledger = index;
            }
        });
    }
}

/// Moves the runs `(start, len)` of `v` (in increasing order, not overlapping) together to its
/// front, in order, with `copy`, and drops everything after them. Once the gap before a run is
/// at least as long as the run, source and destination do not overlap and a long run is copied
/// by all threads.
pub fn close_runs<T: Send + Sync>(v: &mut Vec<T>, runs: &[(usize, usize)], copy: impl Fn(&mut T, &T) + Sync) {
    use rayon::prelude::*;
    let mut w = 0;
    for &(start, len) in runs {
        if start - w >= len && len >= PARALLEL_COPY_MIN {
            let (head, tail) = v.split_at_mut(start);
            let piece = len.div_ceil(rayon::current_num_threads().max(1));
            head[w..w + len]
                .par_chunks_mut(piece)
                .zip(tail[..len].par_chunks(piece))
                .for_each(|(to, from)| to.iter_mut().zip(from).for_each(|(t, f)| copy(t, f)));
        } else if start != w {
            for i in 0..len {
                let (head, tail) = v.split_at_mut(start + i);
                copy(&mut head[w + i], &tail[0]);
            }
        }
        w += len;
    }
    v.truncate(w);
}

/// Marks a record that is to get a ledger once the records are numbered.
const NEEDS_LEDGER: u32 = NO_LEDGER - 1;

/// Whether a district can invest in `a` in `year`: foreign-born, of an origin group, within the
/// integration window. The accounting asks it every year; on entering, it decides who gets a
/// ledger (the years since arrival only grow, so a person who cannot receive investment on
/// entering never will).
pub fn may_receive_investment(a: &Agent, native_group: bool, year: i32, integration_years: i64) -> bool {
    a.foreign_born() && !native_group && (a.years_since_arrival(year) as i64) < integration_years
}

/// The initial residents of group `g` in district `d`, with identities (and indices) from `first`.
/// Returns how many are marked [`NEEDS_LEDGER`].
fn initial_cell(
    s: &Scenario,
    wages: &Wages,
    key: StreamKey,
    d: usize,
    g: usize,
    count: u32,
    first: u32,
    cell: &mut [Agent],
) -> u32 {
    let year = s.meta.start_year;
    let mut marked = 0;
    let group = &s.groups[g];
    let minors = (count as f64 * group.initial.minor_share).round() as u32;
    let adults = count - minors;
    let mut guardian = u32::MAX;
    for i in 0..count {
        let id = first + i;
        let mut r = key.stream(id as u64);
        let minor = i >= adults;
        let init = &group.initial;
        let age = if minor {
            (r.uniform() * 18.0) as u8
        } else {
            r.normal_clamped(init.age_mean, init.age_sd, 18.0, 95.0).round() as u8
        };
        let born_here_p = if group.native {
            1.0
        } else if minor {
            (2.0 * init.born_here_share).min(1.0)
        } else {
            init.born_here_share
        };
        let born_here = r.chance(born_here_p);
        let citizen = group.native || r.chance(init.citizen_share);
        let years_here = if born_here {
            age as u32
        } else {
            let exp = -init.years_since_arrival_mean.max(0.5) * (1.0 - r.uniform()).ln();
            (exp.round() as u32).min(age as u32)
        };
        let mut a = Agent::new(
            id,
            GroupId::from_index(g),
            age,
            Location::district(DistrictId::from_index(d)),
            (year - years_here as i32) as i16,
        );
        a.tenure = (r.uniform() * (years_here.min(10) as f64 + 1.0)) as u8;
        a.set(flag::BORN_HERE, born_here);
        a.set(flag::CITIZEN, citizen);
        let language =
            if born_here || group.native { 1.0 } else { r.normal_clamped(init.language_mean, 0.15, 0.0, 1.0) };
        a.set_language(language as f32);
        a.set_skill(r.normal_clamped(group.skill_mean, group.skill_sd, 0.0, 1.0) as f32);
        if a.is_working_age() && r.chance(group.participation) {
            a.set(flag::LABOUR_FORCE, true);
            if r.chance(init.employment_rate) {
                a.set(flag::EMPLOYED, true);
                a.income = wages.of(&a);
            }
        }
        a.assign_need(s.economy.needy_non_participants);
        if may_receive_investment(&a, group.native, year, s.economy.integration_years) {
            a.ledger = NEEDS_LEDGER;
            marked += 1;
        }
        if minor && adults > 0 {
            // Minors are dealt to the adults in families: a minor joins the previous one's
            // guardian (a sibling) with probability 1 − 1/children_per_family, else the next
            // family's guardian, a random step further on among the adults (wrapping round).
            // The adults are visited in order, so the guardians are written as a stream.
            let per_family = s.demography.children_per_family;
            let step_max = (2.0 * adults as f64 * per_family / minors as f64 - 1.0).max(1.0);
            if guardian == u32::MAX {
                guardian = (r.uniform() * adults as f64) as u32;
            } else if r.chance(1.0 / per_family) {
                guardian = (guardian + 1 + (r.uniform() * step_max) as u32) % adults;
            }
            a.guardian = first + guardian;
            let g = &mut cell[guardian as usize];
            g.dependants = g.dependants.saturating_add(1);
        }
        cell[i as usize] = a;
    }
    marked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_carry_their_origin() {
        let mut p = Population::empty();
        assert_eq!(p.next_id(Origin::Initial), 0);
        assert_eq!(p.next_id(Origin::Initial), 1);
        assert_eq!(p.next_id(Origin::Abroad), 1 << 30);
        assert_eq!(p.next_id(Origin::Birth), 3 << 30);
    }

    fn person(id: u32, gone: bool, guardian: u32) -> Agent {
        let location = if gone { Location::GONE } else { Location(0) };
        let mut a = Agent::new(id, GroupId(0), 30, location, 2000);
        a.guardian = guardian;
        a
    }

    #[test]
    fn compaction_keeps_order_and_rewrites_guardians() {
        let mut p = Population::empty();
        // 0 kept, 1 gone, 2 kept (guardian 0), 3 kept (guardian 1, gone), 130 more kept, last with guardian 2
        p.agents.push(person(0, false, NO_GUARDIAN));
        p.agents.push(person(1, true, NO_GUARDIAN));
        p.agents.push(person(2, false, 0));
        p.agents.push(person(3, false, 1));
        for i in 4..134 {
            p.agents.push(person(i, i % 7 == 0, NO_GUARDIAN));
        }
        p.agents.push(person(134, false, 2));
        p.gone = p.agents.iter().filter(|a| a.location.is_gone()).count();
        let kept: Vec<u32> = p.agents.iter().filter(|a| !a.location.is_gone()).map(|a| a.id).collect();
        p.compact();
        assert_eq!(p.agents.iter().map(|a| a.id).collect::<Vec<_>>(), kept);
        assert_eq!(p.agents[1].guardian, 0);
        assert_eq!(p.agents[2].guardian, NO_GUARDIAN);
        assert_eq!(p.agents.last().unwrap().guardian, 1);
        assert_eq!(p.gone, 0);
    }

    #[test]
    fn compaction_renumbers_the_ledgers_of_the_kept_in_order() {
        use crate::ids::DistrictId;
        use crate::ledger::Ledger;
        let mut p = Population::empty();
        for i in 0..300u32 {
            let mut a = person(i, i % 4 == 1, NO_GUARDIAN);
            if i % 3 == 0 {
                a.ledger = p.ledgers.allocate();
                let mut l = Ledger::default();
                l.add(DistrictId(1), i + 1);
                p.ledgers.of(&a).unwrap().store(&l);
            }
            p.agents.push(a);
        }
        p.gone = p.agents.iter().filter(|a| a.location.is_gone()).count();
        p.compact();
        let holders: Vec<&Agent> = p.agents.iter().filter(|a| a.ledger != NO_LEDGER).collect();
        assert_eq!(p.ledgers.len(), holders.len());
        for (k, a) in holders.iter().enumerate() {
            assert_eq!(a.ledger, k as u32, "ledgers numbered in the order of their owners");
            assert_eq!(p.ledgers.get(a).total(), a.id as u64 + 1, "ledger of {} kept", a.id);
        }
        assert_eq!(holders.len(), (0..300).filter(|i| i % 3 == 0 && i % 4 != 1).count());
    }

    #[test]
    fn compaction_moves_long_runs_in_parallel_without_losing_order() {
        // Gone records thicken towards the front, so later runs move by more than their length
        // (the parallel copy) and earlier ones overlap their destination (the plain move).
        let mut p = Population::empty();
        for i in 0..20_000u32 {
            let gone = (i < 6_000 && i % 3 != 0) || i % 11 == 0;
            let guardian = if i > 0 && i % 5 == 0 { i - 1 } else { NO_GUARDIAN };
            p.agents.push(person(i, gone, guardian));
        }
        p.gone = p.agents.iter().filter(|a| a.location.is_gone()).count();
        let kept: Vec<u32> = p.agents.iter().filter(|a| !a.location.is_gone()).map(|a| a.id).collect();
        let position = |id: u32| kept.iter().position(|&k| k == id);
        p.compact();
        assert_eq!(p.agents.iter().map(|a| a.id).collect::<Vec<_>>(), kept);
        for a in &p.agents {
            let expected = if a.id > 0 && a.id % 5 == 0 { position(a.id - 1) } else { None };
            assert_eq!(a.guardian, expected.map_or(NO_GUARDIAN, |i| i as u32), "guardian of {}", a.id);
        }
    }
}
