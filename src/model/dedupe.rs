//! The one dedupe rule, applied across all files, projects and roots.
//!
//! - Key: (`message.id`, `requestId`); a missing or null `requestId` gives
//!   (session, `message.id`); no `message.id` is never deduplicated.
//! - Among copies of one key: a main-thread copy beats a sidechain copy, which beats a
//!   `progress` embedding; then the larger usage by `Tokens::rank_key` (a total order over
//!   the token tuple, so the final streaming snapshot wins over partial ones); then the
//!   earlier timestamp; then the copy in the file finished first (older mtime: the original
//!   rather than a resumed copy), then path order and line number. Every step is a total
//!   order, so the result does not depend on the order files were read in.
//! - Sidechain replay: a sidechain or progress copy whose `message.id` equals a kept
//!   main-thread response's (a `/btw` side question replaying the parent, even under another
//!   `requestId`) is that same response and is dropped.
//!
//! Input is a flat list of candidates; output is the indices to keep plus counts.

use super::ids::{FastMap, FastSet};
use super::record::{DedupeKey, Millis, Origin, ResponseLine};
use super::tokens::Tokens;
use rayon::prelude::*;
use std::cmp::Ordering;

/// What the rule looks at for one response line.
#[derive(Clone, Copy, Debug)]
pub struct Candidate {
    pub key: DedupeKey,
    pub message_hash: u64,
    pub origin: Origin,
    pub tokens: Tokens,
    pub ts: Option<Millis>,
    /// Rank of the file in "finished first, then path" order.
    pub file_rank: u32,
    pub line: u32,
}

impl Candidate {
    /// The rule's view of a response line of the file ranked `file_rank`.
    pub fn of(r: &ResponseLine, file_rank: u32) -> Candidate {
        Candidate {
            key: r.key,
            message_hash: r.message_hash,
            origin: r.origin,
            tokens: r.tokens,
            ts: r.ts,
            file_rank,
            line: r.line,
        }
    }
}

/// Counts of what the rule removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DedupeStats {
    /// Lines that were copies of a kept response (streaming snapshots, resumed-session
    /// copies, progress embeddings of sub-agent lines).
    pub duplicate_lines: u64,
    /// Sidechain copies dropped because a main-thread response has the same `message.id`.
    pub sidechain_replays: u64,
}

/// Orders two copies of one response: `Greater` means `a` is the one to keep.
pub fn prefer(a: &Candidate, b: &Candidate) -> Ordering {
    origin_rank(b.origin)
        .cmp(&origin_rank(a.origin))
        .then_with(|| a.tokens.rank_key().cmp(&b.tokens.rank_key()))
        .then_with(|| ts_rank(b.ts).cmp(&ts_rank(a.ts)))
        .then_with(|| b.file_rank.cmp(&a.file_rank))
        .then_with(|| b.line.cmp(&a.line))
}

fn origin_rank(o: Origin) -> u8 {
    match o {
        Origin::Main => 0,
        Origin::Sidechain => 1,
        Origin::Progress => 2,
    }
}

fn ts_rank(ts: Option<Millis>) -> Millis {
    ts.unwrap_or(Millis::MAX)
}

/// Applies the rule; returns the indices of the kept candidates in ascending order.
pub fn dedupe(cands: &[Candidate]) -> (Vec<usize>, DedupeStats) {
    dedupe_by(cands.len(), |i| cands[i])
}

/// `dedupe` over `n` candidates produced on demand by `cand` (no list is materialized).
/// Keys are sharded by hash across rayon's threads; each shard sees every candidate but
/// keeps only its own keys, so the result is the same whatever the thread count.
pub fn dedupe_by(n: usize, cand: impl Fn(usize) -> Candidate + Sync) -> (Vec<usize>, DedupeStats) {
    let shards = rayon::current_num_threads().clamp(1, 16);
    let mut kept: Vec<usize> = (0..shards)
        .into_par_iter()
        .map(|shard| best_of_shard(n, &cand, shard, shards))
        .flatten_iter()
        .collect();
    kept.par_sort_unstable();
    let mut stats = DedupeStats {
        duplicate_lines: (n - kept.len()) as u64,
        sidechain_replays: 0,
    };

    // Every shard reads two fields of every kept candidate, twice: from a compact copy,
    // not from the records spread over every file's list.
    let messages: Vec<Message> = kept
        .par_iter()
        .map(|&i| {
            let c = cand(i);
            (c.message_hash, c.origin)
        })
        .collect();
    let replays: FastSet<usize> = (0..shards)
        .into_par_iter()
        .flat_map_iter(|shard| replays_of_shard(&kept, &messages, shard, shards))
        .collect();
    stats.sidechain_replays = replays.len() as u64;
    kept.retain(|i| !replays.contains(i));
    (kept, stats)
}

/// A kept candidate's `message.id` hash and origin, what the replay rule reads.
type Message = (u64, Origin);

/// The best candidate of every key that falls in `shard`, plus the shard's share of the
/// never-deduplicated candidates.
fn best_of_shard(
    n: usize,
    cand: &(impl Fn(usize) -> Candidate + Sync),
    shard: usize,
    shards: usize,
) -> Vec<usize> {
    let mut best: FastMap<DedupeKey, u32> = FastMap::default();
    best.reserve(n / shards + 1);
    let mut kept = Vec::new();
    for i in 0..n {
        let c = cand(i);
        let hash = match c.key {
            DedupeKey::Unique => {
                if i % shards == shard {
                    kept.push(i);
                }
                continue;
            }
            DedupeKey::Request(h) | DedupeKey::SessionMessage(h) => h.get(),
        };
        if (hash as usize) % shards != shard {
            continue;
        }
        best.entry(c.key)
            .and_modify(|j| {
                if prefer(&c, &cand(*j as usize)) == Ordering::Greater {
                    *j = i as u32;
                }
            })
            .or_insert(i as u32);
    }
    kept.extend(best.into_values().map(|j| j as usize));
    kept
}

/// Kept sidechain or progress copies whose `message.id` (hashed into `shard`) is also a
/// kept main-thread response's.
fn replays_of_shard(
    kept: &[usize],
    messages: &[Message],
    shard: usize,
    shards: usize,
) -> Vec<usize> {
    let mine = |hash: u64| hash != 0 && (hash as usize) % shards == shard;
    let main_messages: FastSet<u64> = messages
        .iter()
        .filter(|&&(hash, origin)| origin == Origin::Main && mine(hash))
        .map(|&(hash, _)| hash)
        .collect();
    kept.iter()
        .zip(messages)
        .filter(|&(_, &(hash, origin))| {
            origin != Origin::Main && mine(hash) && main_messages.contains(&hash)
        })
        .map(|(&i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(key: u128, origin: Origin, output: u64, ts: i64, file_rank: u32) -> Candidate {
        Candidate {
            key: DedupeKey::Request(key.into()),
            message_hash: key as u64,
            origin,
            tokens: Tokens {
                output,
                cache_read: 100,
                ..Tokens::default()
            },
            ts: Some(ts),
            file_rank,
            line: 0,
        }
    }

    fn kept_outputs(c: &[Candidate]) -> Vec<u64> {
        dedupe(c).0.iter().map(|&i| c[i].tokens.output).collect()
    }

    #[test]
    fn largest_usage_wins_whatever_the_order() {
        let a = [
            cand(1, Origin::Main, 5, 1, 0),
            cand(1, Origin::Main, 50, 2, 0),
            cand(1, Origin::Main, 7, 3, 0),
        ];
        assert_eq!(kept_outputs(&a), vec![50]);
        let mut b = a;
        b.reverse();
        assert_eq!(kept_outputs(&b), vec![50]);
    }

    #[test]
    fn main_copy_beats_larger_sidechain_copy() {
        let c = [
            cand(1, Origin::Sidechain, 500, 1, 0),
            cand(1, Origin::Main, 5, 1, 1),
        ];
        let (kept, _) = dedupe(&c);
        assert_eq!(kept, vec![1]);
    }

    #[test]
    fn ties_go_to_the_earlier_line_then_the_older_file() {
        let c = [
            cand(1, Origin::Main, 5, 9, 0),
            cand(1, Origin::Main, 5, 3, 1),
        ];
        assert_eq!(dedupe(&c).0, vec![1]);
        let d = [
            cand(1, Origin::Main, 5, 3, 4),
            cand(1, Origin::Main, 5, 3, 2),
        ];
        assert_eq!(dedupe(&d).0, vec![1]);
    }

    #[test]
    fn unique_keys_are_never_merged() {
        let mut a = cand(1, Origin::Main, 5, 1, 0);
        a.key = DedupeKey::Unique;
        a.message_hash = 0;
        assert_eq!(dedupe(&[a, a]).0.len(), 2);
    }

    #[test]
    fn sidechain_replay_with_other_request_id_is_dropped() {
        let main = cand(1, Origin::Main, 5, 1, 0);
        let mut replay = cand(2, Origin::Sidechain, 9, 1, 1);
        replay.message_hash = main.message_hash;
        let (kept, stats) = dedupe(&[main, replay]);
        assert_eq!(kept, vec![0]);
        assert_eq!(stats.sidechain_replays, 1);
    }
}
