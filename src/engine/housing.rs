//! The housing market (MODEL §3.5): moves into districts are limited by free places.
//!
//! Free places are counted from the start-of-year population, less deaths and the adults
//! leaving the region, plus births. Places freed by moves between districts become free next
//! year, so no district is ever filled beyond its capacity by a move. Applicants to a district
//! are served in the order of a per-person random priority drawn from the housing stream; a
//! family is accepted when all its members fit. Movers who are refused stay where they are.
//! Arrivals are served after movers and may fill a district up to `arrival_overcrowding` times
//! its capacity; those refused take a second choice among districts with room, or settle in
//! the rest of the country when the region is full.
//!
//! Social-mix allocation: in districts under `policy.social_mix`, an applicant of a migrant group
//! (natives are exempt) that already exceeds the cap there seeks social housing with the district's social-housing share
//! and is then accepted only with the policy's probability. The rule holds for an arrival's
//! second choice as well (one draw per applicant, so an arrival refused in one capped district
//! is refused in every capped district with at least the same social-housing share).

use rayon::prelude::*;

use crate::ids::DistrictId;

/// `Request::from` of applicants who do not leave a district of the region.
pub const NO_DISTRICT: u16 = u16::MAX;

/// Rounds of the movers' market: places freed by accepted moves are offered again to those
/// refused, until nothing changes or this many rounds have passed.
pub const MAX_ROUNDS: usize = 8;

/// An application for a place in a district.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    /// Index of the applicant in the population (arrivals: index they will have).
    pub idx: u32,
    /// District applied to.
    pub to: u16,
    /// District left, or [`NO_DISTRICT`] for someone coming from outside the region.
    pub from: u16,
    /// Persons moving (the applicant and the minors in their care).
    pub family: u16,
    pub group: u8,
    /// Order of service: lower first.
    pub priority: u64,
    /// A second uniform draw (social mix, second choice), as 32 bits.
    pub draw: u32,
}

/// The market of one year.
pub struct Market<'a> {
    /// Persons expected in each district before any move in.
    pub occupancy: Vec<u64>,
    pub capacity: &'a [u64],
    pub overcrowding: f64,
    /// Social-mix rule per district: `Some((cap, acceptance, social_housing_share))`.
    pub social_mix: Vec<Option<(f64, f64, f64)>>,
    /// Group shares at the start of the year, `[d * n_groups + g]`.
    pub group_share: &'a [f64],
    pub n_groups: usize,
    /// Groups the social-mix cap does not apply to (natives).
    pub mix_exempt: &'a [bool],
}

/// What became of the arrivals' applications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    District(DistrictId),
    /// No room in the region: settles in the rest of the country.
    Elsewhere,
}

impl Market<'_> {
    fn passes_mix(&self, r: &Request) -> bool {
        self.passes_mix_at(r, r.to as usize)
    }

    /// The social-mix rule for applicant `r` in district `d` (its first or a second choice).
    fn passes_mix_at(&self, r: &Request, d: usize) -> bool {
        match self.social_mix[d] {
            Some((cap, acceptance, social))
                if !self.mix_exempt.get(r.group as usize).copied().unwrap_or(false)
                    && self.group_share[d * self.n_groups + r.group as usize] > cap =>
            {
                let u = r.draw as f64 / (u32::MAX as f64 + 1.0);
                // With probability `social` the applicant seeks social housing, and is then
                // accepted with probability `acceptance`.
                u >= social * (1.0 - acceptance)
            }
            _ => true,
        }
    }

    /// Places a newcomer may fill: the capacity, or with overcrowding the overcrowding limit.
    fn limit(&self, d: usize, overcrowd: bool) -> u64 {
        if overcrowd { (self.capacity[d] as f64 * self.overcrowding).floor() as u64 } else { self.capacity[d] }
    }

    /// Serves movers in rounds; returns for each request whether it was accepted. In each round
    /// applicants are served by district and priority; an accepted family frees its places at
    /// its origin, which later applicants (in this round or the next) may take.
    pub fn clear_movers<'b>(&mut self, parts: &[&[Request]], buf: &'b mut MoverBuffers) -> &'b [bool] {
        let nd = self.capacity.len();
        let n: usize = parts.iter().map(|p| p.len()).sum();
        buf.accepted.clear();
        buf.accepted.resize(n, false);
        let accepted = &mut buf.accepted;
        // Applications by district, each district's by priority. Those refused by the social-mix
        // rule are never served, so they are left out here. Each part is sorted into districts
        // on its own (a counting sort), then every district gathers its pieces and sorts them,
        // all in parallel.
        buf.parts.resize_with(parts.len(), PartBuckets::default);
        let mut first_pos = 0u32;
        let firsts: Vec<u32> = parts
            .iter()
            .map(|p| {
                let f = first_pos;
                first_pos += p.len() as u32;
                f
            })
            .collect();
        let market = &*self;
        buf.parts.par_iter_mut().zip(parts.par_iter().zip(firsts.par_iter())).for_each(|(local, (part, &first))| {
            local.start.clear();
            local.start.resize(nd + 1, 0);
            for r in part.iter().filter(|r| market.passes_mix(r)) {
                local.start[r.to as usize + 1] += 1;
            }
            for d in 0..nd {
                local.start[d + 1] += local.start[d];
            }
            let mut next = local.start.clone();
            local.entries.clear();
            local.entries.resize(local.start[nd], Entry { priority: 0, pos: 0, family: 0, from: 0 });
            for (i, r) in part.iter().enumerate().filter(|(_, r)| market.passes_mix(r)) {
                let slot = &mut next[r.to as usize];
                local.entries[*slot] =
                    Entry { priority: r.priority, pos: first + i as u32, family: r.family, from: r.from };
                *slot += 1;
            }
        });
        let locals = &buf.parts;
        let mut start = vec![0usize; nd + 1];
        for d in 0..nd {
            start[d + 1] = start[d] + locals.iter().map(|l| l.start[d + 1] - l.start[d]).sum::<usize>();
        }
        buf.entries.clear();
        buf.entries.resize(start[nd], Entry { priority: 0, pos: 0, family: 0, from: 0 });
        let mut buckets = Vec::with_capacity(nd);
        let mut rest: &mut [Entry] = &mut buf.entries;
        for d in 0..nd {
            let (bucket, tail) = rest.split_at_mut(start[d + 1] - start[d]);
            buckets.push(bucket);
            rest = tail;
        }
        // (`pos` is the position in the request list, which is in index order, so it breaks
        // ties as the index would, and the order the pieces are gathered in does not matter)
        buckets.par_iter_mut().enumerate().for_each(|(d, b)| {
            let mut w = 0;
            for l in locals {
                let piece = &l.entries[l.start[d]..l.start[d + 1]];
                b[w..w + piece.len()].copy_from_slice(piece);
                w += piece.len();
            }
            b.sort_unstable_by_key(|e| (e.priority, e.pos));
        });
        let mut live: Vec<usize> = buckets.iter().map(|b| b.len()).collect();
        for _ in 0..MAX_ROUNDS {
            let mut served = 0usize;
            let mut refused = 0usize;
            for (to, bucket) in buckets.iter_mut().enumerate() {
                let occupancy = &mut self.occupancy;
                let capacity = self.capacity[to];
                live[to] = retain_in_place(bucket, live[to], |e| {
                    let family = e.family as u64;
                    if occupancy[to] + family <= capacity {
                        occupancy[to] += family;
                        if e.from != NO_DISTRICT {
                            let from = e.from as usize;
                            occupancy[from] = occupancy[from].saturating_sub(family);
                        }
                        accepted[e.pos as usize] = true;
                        served += 1;
                        false
                    } else {
                        true
                    }
                });
                refused += live[to];
            }
            if served == 0 || refused == 0 {
                break;
            }
        }
        &buf.accepted
    }

    /// Serves newcomers after movers, in two stages. First everyone is placed within capacity:
    /// first choices by district and priority, then second choices (`second_choice(request,
    /// has_room)` picks among districts where `has_room(d)` holds) by priority. Arrivals from
    /// abroad (`from_abroad[i]`) still unplaced may then overcrowd up to the overcrowding limit,
    /// first choice before second. Returns one placement per request, in order; whoever is left
    /// settles elsewhere.
    pub fn clear_arrivals(
        &mut self,
        requests: &[Request],
        from_abroad: &[bool],
        mut second_choice: impl FnMut(&Request, &dyn Fn(usize) -> bool) -> Option<usize>,
    ) -> Vec<Placed> {
        let mut placed = vec![Placed::Elsewhere; requests.len()];
        let mut waiting: Vec<usize> = (0..requests.len()).collect();
        for overcrowd in [false, true] {
            if overcrowd {
                waiting.retain(|&i| from_abroad[i]);
            }
            waiting = sorted_by(&waiting, |i| {
                let r = &requests[i];
                (r.to, r.priority, r.idx)
            });
            let mut refused = Vec::new();
            for i in waiting {
                let r = &requests[i];
                let d = r.to as usize;
                let fits = d < self.capacity.len()
                    && self.passes_mix(r)
                    && self.occupancy[d] + r.family as u64 <= self.limit(d, overcrowd);
                if fits {
                    self.occupancy[d] += r.family as u64;
                    placed[i] = Placed::District(DistrictId(r.to));
                } else {
                    refused.push(i);
                }
            }
            let refused = sorted_by(&refused, |i| (requests[i].priority, requests[i].idx));
            let mut still = Vec::new();
            for i in refused {
                let r = requests[i];
                let family = r.family as u64;
                let choice = {
                    let occupancy = &self.occupancy;
                    // a second choice obeys the social-mix rule too
                    let room =
                        |d: usize| occupancy[d] + family <= self.limit(d, overcrowd) && self.passes_mix_at(&r, d);
                    second_choice(&r, &room)
                };
                match choice {
                    Some(d) => {
                        self.occupancy[d] += family;
                        placed[i] = Placed::District(DistrictId::from_index(d));
                    }
                    None => still.push(i),
                }
            }
            waiting = still;
        }
        placed
    }
}

/// `items` sorted by `key`, with the keys computed once (in order) and sorted in parallel.
fn sorted_by<K: Ord + Send>(items: &[usize], key: impl Fn(usize) -> K) -> Vec<usize> {
    let mut keyed: Vec<(K, usize)> = items.iter().map(|&i| (key(i), i)).collect();
    keyed.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// The movers' market's working memory, kept from year to year.
#[derive(Debug, Default)]
pub struct MoverBuffers {
    entries: Vec<Entry>,
    accepted: Vec<bool>,
    /// Each part's applications sorted into districts.
    parts: Vec<PartBuckets>,
}

/// One part's applications by district: district `d`'s are `entries[start[d]..start[d + 1]]`.
#[derive(Debug, Default)]
struct PartBuckets {
    start: Vec<usize>,
    entries: Vec<Entry>,
}

/// A mover's application as the market serves it (the district applied to is its bucket).
#[derive(Debug, Clone, Copy)]
struct Entry {
    priority: u64,
    /// Position in the request list.
    pos: u32,
    family: u16,
    from: u16,
}

/// Keeps the elements of `v[..len]` for which `keep` holds, in order, at the front of `v`;
/// returns how many were kept.
fn retain_in_place<T: Copy>(v: &mut [T], len: usize, mut keep: impl FnMut(&T) -> bool) -> usize {
    let mut kept = 0;
    for i in 0..len {
        let e = v[i];
        if keep(&e) {
            v[kept] = e;
            kept += 1;
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(idx: u32, to: u16, family: u16, priority: u64) -> Request {
        Request { idx, to, from: NO_DISTRICT, family, group: 0, priority, draw: 0 }
    }

    /// The indices of the accepted requests.
    fn served(requests: &[Request], accepted: &[bool]) -> Vec<u32> {
        requests.iter().zip(accepted).filter(|(_, a)| **a).map(|(r, _)| r.idx).collect()
    }

    fn market(capacity: &[u64], occupancy: Vec<u64>) -> Market<'_> {
        Market {
            occupancy,
            capacity,
            overcrowding: 1.5,
            social_mix: vec![None; capacity.len()],
            group_share: &[],
            n_groups: 1,
            mix_exempt: &[],
        }
    }

    #[test]
    fn movers_are_served_by_priority_until_full() {
        let capacity = [10, 10];
        let mut m = market(&capacity, vec![7, 0]);
        let requests = [req(5, 0, 2, 30), req(1, 0, 1, 10), req(2, 0, 1, 20), req(3, 1, 4, 0)];
        let accepted = served(&requests, m.clear_movers(&[&requests], &mut MoverBuffers::default()));
        // district 0 has 3 places: priority 10 (1 person), 20 (1 person); the family of 2 no longer fits
        assert_eq!(accepted, vec![1, 2, 3]);
        assert_eq!(m.occupancy, vec![9, 4]);
    }

    #[test]
    fn places_freed_by_a_move_go_to_those_refused_earlier() {
        // both districts full; a family of 2 moves from 1 to 0?  No room.  But a person moving
        // from 0 to 1 is refused too — a swap needs free places somewhere. With one free place
        // in district 1, the mover from 0 gets it, which frees a place in 0 for the mover from 1.
        let capacity = [10, 10];
        let mut m = market(&capacity, vec![10, 9]);
        let a = Request { from: 1, ..req(1, 0, 1, 0) };
        let b = Request { from: 0, ..req(2, 1, 1, 0) };
        let accepted = served(&[a, b], m.clear_movers(&[&[a, b]], &mut MoverBuffers::default()));
        assert_eq!(accepted, vec![1, 2]);
        assert_eq!(m.occupancy, vec![10, 9]);
    }

    #[test]
    fn a_smaller_family_can_take_the_last_places() {
        let capacity = [5];
        let mut m = market(&capacity, vec![2]);
        let requests = [req(1, 0, 4, 1), req(2, 0, 3, 2)];
        assert_eq!(served(&requests, m.clear_movers(&[&requests], &mut MoverBuffers::default())), vec![2]);
    }

    #[test]
    fn an_arrival_refused_by_the_social_mix_rule_is_not_placed_there_as_second_choice() {
        let capacity = [10, 10];
        let shares = [0.5, 0.5];
        let mut m = Market {
            occupancy: vec![0, 0],
            capacity: &capacity,
            overcrowding: 1.0,
            // district 0: all social housing, nobody above the cap accepted
            social_mix: vec![Some((0.25, 0.0, 1.0)), None],
            group_share: &shares,
            n_groups: 1,
            mix_exempt: &[false],
        };
        // the second choice would take the refused district again if the rule allowed it
        let placed = m.clear_arrivals(&[req(1, 0, 1, 0)], &[true], |_, room| (0..2).find(|&d| room(d)));
        assert_eq!(placed, vec![Placed::District(DistrictId(1))]);
        // natives are exempt from the cap
        let exempt = [true];
        m.mix_exempt = &exempt;
        let placed = m.clear_arrivals(&[req(2, 0, 1, 0)], &[true], |_, room| (0..2).find(|&d| room(d)));
        assert_eq!(placed, vec![Placed::District(DistrictId(0))]);
    }

    #[test]
    fn arrivals_overcrowd_then_take_a_second_choice() {
        let capacity = [10, 10];
        let mut m = market(&capacity, vec![14, 9]);
        let placed =
            m.clear_arrivals(&[req(1, 0, 1, 5), req(2, 0, 1, 1), req(5, 0, 1, 9)], &[true, true, true], |_, room| {
                (0..2).find(|&d| room(d))
            });
        // district 0 is above capacity: the first by priority (idx 2) takes the free place in
        // district 1 as second choice; then idx 1 overcrowds district 0 (limit 15), and idx 5,
        // finding district 0 at its limit, overcrowds district 1.
        assert_eq!(
            placed,
            vec![Placed::District(DistrictId(0)), Placed::District(DistrictId(1)), Placed::District(DistrictId(1))]
        );
        assert_eq!(m.occupancy, vec![15, 11]);
        let placed = m.clear_arrivals(&[req(3, 0, 20, 0)], &[true], |_, room| (0..2).find(|&d| room(d)));
        assert_eq!(placed, vec![Placed::Elsewhere]);
        // an in-migrant from the rest of the country may not overcrowd
        let mut m = market(&capacity, vec![10, 10]);
        let placed = m.clear_arrivals(&[req(4, 0, 1, 0)], &[false], |_, room| (0..2).find(|&d| room(d)));
        assert_eq!(placed, vec![Placed::Elsewhere]);
    }
}
