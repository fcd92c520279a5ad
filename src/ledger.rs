//! Investment ledgers: which districts invested in a person during the integration window, and
//! how much, so that the person's later fiscal returns can be split over them.
//!
//! Only persons in whom a district can invest — foreign-born members of an origin group who
//! arrived less than `economy.integration_years` ago — ever need one, and whether a person does
//! is known when the person enters (the years since arrival only grow). Their ledgers live in a
//! [`LedgerTable`] beside the population, which keeps the person record small; the record holds
//! the index. The table is kept in the order of the population (newcomers' ledgers are appended,
//! and compaction renumbers the kept ones in order), so a pass over the population reads it in
//! order, not at random.
//!
//! A ledger is written only while its owner is processed, and every owner is processed by one
//! task at a time, so the table is shared between threads with relaxed atomic loads and stores
//! (plain moves on common hardware) rather than locks.

use std::sync::atomic::{AtomicU16, AtomicU32, Ordering::Relaxed};

use crate::agent::{Agent, NO_LEDGER};
use crate::ids::DistrictId;

/// Slots in a ledger.
pub const LEDGER_SLOTS: usize = 4;

/// How much each district invested in a person during the integration window, in whole euros.
///
/// Up to four districts are recorded exactly. When a fifth district invests, its amount is
/// merged into the smallest entry, which keeps the label of whichever of the two districts
/// contributed more: the total is always exact, and the attribution error is bounded by the
/// smaller amount. Such merges are counted and reported (`ledger_merges`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ledger {
    pub amount: [u32; LEDGER_SLOTS],
    pub district: [u16; LEDGER_SLOTS],
}

impl Ledger {
    pub fn is_empty(&self) -> bool {
        self.amount.iter().all(|&a| a == 0)
    }

    pub fn total(&self) -> u64 {
        self.amount.iter().map(|&a| a as u64).sum()
    }

    /// Books `euros` invested by district `d`. Returns true when entries had to be merged.
    pub fn add(&mut self, d: DistrictId, euros: u32) -> bool {
        if euros == 0 {
            return false;
        }
        for i in 0..LEDGER_SLOTS {
            if self.amount[i] > 0 && self.district[i] == d.0 {
                self.amount[i] = self.amount[i].saturating_add(euros);
                return false;
            }
        }
        if let Some(i) = self.amount.iter().position(|&a| a == 0) {
            self.amount[i] = euros;
            self.district[i] = d.0;
            return false;
        }
        let smallest = (0..LEDGER_SLOTS).min_by_key(|&i| (self.amount[i], i)).expect("ledger has slots");
        if euros > self.amount[smallest] {
            self.district[smallest] = d.0;
        }
        self.amount[smallest] = self.amount[smallest].saturating_add(euros);
        true
    }

    /// Splits a return of `euros` over the investing districts in proportion to their entries.
    /// The parts are whole euros and sum exactly to `euros` (largest remainders win; ties go to
    /// the earlier slot).
    pub fn split(&self, euros: u64, mut out: impl FnMut(DistrictId, u64)) {
        let total = self.total();
        if total == 0 || euros == 0 {
            return;
        }
        let mut parts = [0u64; LEDGER_SLOTS];
        let mut remainders = [0u64; LEDGER_SLOTS];
        let mut given = 0;
        for i in 0..LEDGER_SLOTS {
            let num = euros as u128 * self.amount[i] as u128;
            parts[i] = (num / total as u128) as u64;
            remainders[i] = (num % total as u128) as u64;
            given += parts[i];
        }
        let mut left = euros - given;
        while left > 0 {
            let i = (0..LEDGER_SLOTS)
                .filter(|&i| self.amount[i] > 0)
                .max_by_key(|&i| (remainders[i], std::cmp::Reverse(i)))
                .expect("a non-empty ledger has an entry");
            parts[i] += 1;
            remainders[i] = 0;
            left -= 1;
        }
        for i in 0..LEDGER_SLOTS {
            if parts[i] > 0 {
                out(DistrictId(self.district[i]), parts[i]);
            }
        }
    }
}

/// The stored form of a [`Ledger`].
#[derive(Debug, Default)]
pub struct LedgerSlot {
    amount: [AtomicU32; LEDGER_SLOTS],
    district: [AtomicU16; LEDGER_SLOTS],
}

impl LedgerSlot {
    #[inline]
    pub fn load(&self) -> Ledger {
        Ledger {
            amount: std::array::from_fn(|i| self.amount[i].load(Relaxed)),
            district: std::array::from_fn(|i| self.district[i].load(Relaxed)),
        }
    }

    #[inline]
    pub fn store(&self, l: &Ledger) {
        for i in 0..LEDGER_SLOTS {
            self.amount[i].store(l.amount[i], Relaxed);
            self.district[i].store(l.district[i], Relaxed);
        }
    }
}

/// The ledgers of a population: one slot per person who may receive investment, numbered in
/// the order of their owners in the population (slots are only appended, and compaction keeps
/// the order), so that a pass over the population reads the table in order too.
#[derive(Debug, Default)]
pub struct LedgerTable {
    slots: Vec<LedgerSlot>,
}

impl Clone for LedgerTable {
    fn clone(&self) -> Self {
        let slots = self
            .slots
            .iter()
            .map(|s| {
                let copy = LedgerSlot::default();
                copy.store(&s.load());
                copy
            })
            .collect();
        LedgerTable { slots }
    }
}

impl LedgerTable {
    /// An empty ledger for a new person, at the end of the table; returns its index.
    pub fn allocate(&mut self) -> u32 {
        self.slots.push(LedgerSlot::default());
        (self.slots.len() - 1) as u32
    }

    /// The slots, for compaction.
    pub fn slots_mut(&mut self) -> &mut [LedgerSlot] {
        &mut self.slots
    }

    /// Moves the runs `(start, len)` (in increasing order, not overlapping) together to the
    /// front of the table, in order, and drops everything after them. A run that no longer
    /// overlaps its destination is copied by all threads.
    pub fn close_runs(&mut self, runs: &[(usize, usize)]) {
        crate::population::close_runs(&mut self.slots, runs, |to, from| to.store(&from.load()));
    }

    /// `n` empty ledgers at the end of the table; returns the first index.
    pub fn append_empty(&mut self, n: usize) -> u32 {
        use rayon::prelude::*;
        let first = self.slots.len();
        // (made in parallel, so the fresh pages are first touched by every thread)
        self.slots.par_extend((0..n).into_par_iter().map(|_| LedgerSlot::default()));
        first as u32
    }

    /// The stored ledger of `a`, if it has one.
    #[inline]
    pub fn of(&self, a: &Agent) -> Option<&LedgerSlot> {
        (a.ledger != NO_LEDGER).then(|| &self.slots[a.ledger as usize])
    }

    /// The ledger of `a` (empty if it has none).
    pub fn get(&self, a: &Agent) -> Ledger {
        self.of(a).map_or_else(Ledger::default, LedgerSlot::load)
    }

    /// Slots held (including those of persons gone since the last compaction).
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(ledger: &Ledger, euros: u64) -> Vec<(u16, u64)> {
        let mut out = Vec::new();
        ledger.split(euros, |d, x| out.push((d.0, x)));
        out
    }

    #[test]
    fn ledger_books_and_splits_exactly() {
        let mut l = Ledger::default();
        l.add(DistrictId(3), 300);
        l.add(DistrictId(5), 100);
        l.add(DistrictId(3), 200);
        assert_eq!(l.total(), 600);
        // 500:100 of 7 euros = 5.83 : 1.17 → 6 : 1
        assert_eq!(split(&l, 7), vec![(3, 6), (5, 1)]);
        // 1000 euros split 5:1 → 833.33 : 166.67 → 833 : 167
        assert_eq!(split(&l, 1000), vec![(3, 833), (5, 167)]);
        assert!(split(&Ledger::default(), 10).is_empty());
    }

    #[test]
    fn ledger_merges_beyond_four_districts_and_keeps_the_total() {
        let mut l = Ledger::default();
        for (d, x) in [(1, 50), (2, 40), (3, 30), (4, 20)] {
            assert!(!l.add(DistrictId(d), x));
        }
        assert!(l.add(DistrictId(9), 25));
        assert_eq!(l.total(), 165);
        // the smallest entry (district 4, 20) absorbed 25 and took district 9's label
        assert!(l.district.contains(&9));
        assert!(!l.district.contains(&4));
        let parts: u64 = split(&l, 999).iter().map(|p| p.1).sum();
        assert_eq!(parts, 999);
    }

    #[test]
    fn slots_are_appended_empty_and_runs_close_up_in_order() {
        let mut t = LedgerTable::default();
        assert_eq!(t.append_empty(2), 0);
        assert_eq!(t.allocate(), 2);
        for i in 3..40_000u32 {
            assert_eq!(t.allocate(), i);
        }
        let mark = |t: &LedgerTable, i: usize| t.slots[i].load().total();
        for i in 0..t.len() {
            let mut l = Ledger::default();
            l.add(DistrictId(1), i as u32 + 1);
            t.slots[i].store(&l);
        }
        assert_eq!(t.clone().slots[7].load(), t.slots[7].load());
        // keep 0..2, 5..6 and 20000..40000 (a long run far from its destination)
        t.close_runs(&[(0, 2), (5, 1), (20_000, 20_000)]);
        assert_eq!(t.len(), 20_003);
        assert_eq!((mark(&t, 0), mark(&t, 1), mark(&t, 2)), (1, 2, 6));
        assert_eq!((mark(&t, 3), mark(&t, 20_002)), (20_001, 40_000));
    }
}
