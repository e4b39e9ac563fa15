//! Token counts: the integer tuple every report sums. Owns the arithmetic on tokens
//! (exact integer sums, so any order of addition gives the same totals) and the total
//! order used to pick among duplicate copies of one response. It knows nothing about
//! prices, files or dates.

use serde::Serialize;
use std::ops::{Add, AddAssign};

/// The token counts of one API response, or a sum of many.
///
/// Cache writes are kept by TTL: `cache_write_5m` holds 5-minute writes and also writes
/// whose TTL the transcript does not state (older lines carry only
/// `cache_creation_input_tokens`, written before 1-hour caching existed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Tokens {
    pub input: u64,
    pub output: u64,
    pub cache_read: u64,
    pub cache_write_5m: u64,
    pub cache_write_1h: u64,
}

impl Tokens {
    /// All cache writes, whatever their TTL.
    pub fn cache_write(&self) -> u64 {
        self.cache_write_5m + self.cache_write_1h
    }

    /// input + output + cache writes + cache reads.
    pub fn total(&self) -> u64 {
        self.input + self.output + self.cache_read + self.cache_write()
    }

    /// The prompt size of one request: everything the model read.
    pub fn context(&self) -> u64 {
        self.input + self.cache_read + self.cache_write()
    }

    /// A total order used to choose among copies of one response: larger total first
    /// decides, then output, input, cache writes, cache reads. Independent of arrival order.
    pub fn rank_key(&self) -> (u64, u64, u64, u64, u64, u64) {
        (
            self.total(),
            self.output,
            self.input,
            self.cache_write_1h,
            self.cache_write_5m,
            self.cache_read,
        )
    }

    pub fn is_zero(&self) -> bool {
        *self == Tokens::default()
    }
}

impl Add for Tokens {
    type Output = Tokens;
    fn add(self, o: Tokens) -> Tokens {
        Tokens {
            input: self.input + o.input,
            output: self.output + o.output,
            cache_read: self.cache_read + o.cache_read,
            cache_write_5m: self.cache_write_5m + o.cache_write_5m,
            cache_write_1h: self.cache_write_1h + o.cache_write_1h,
        }
    }
}

impl AddAssign for Tokens {
    fn add_assign(&mut self, o: Tokens) {
        *self = *self + o;
    }
}

impl std::iter::Sum for Tokens {
    fn sum<I: Iterator<Item = Tokens>>(iter: I) -> Tokens {
        iter.fold(Tokens::default(), Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(input: u64, output: u64, cr: u64, w5: u64, w1: u64) -> Tokens {
        Tokens {
            input,
            output,
            cache_read: cr,
            cache_write_5m: w5,
            cache_write_1h: w1,
        }
    }

    #[test]
    fn totals_add_every_field() {
        let a = t(1, 2, 3, 4, 5);
        assert_eq!(a.total(), 15);
        assert_eq!(a.cache_write(), 9);
        assert_eq!(a.context(), 13);
        assert_eq!((a + a).total(), 30);
        assert_eq!(
            vec![a, a, a].into_iter().sum::<Tokens>(),
            t(3, 6, 9, 12, 15)
        );
    }

    #[test]
    fn rank_prefers_larger_total_then_output() {
        assert!(t(0, 10, 0, 0, 0).rank_key() > t(0, 9, 0, 0, 0).rank_key());
        assert!(t(0, 10, 0, 0, 0).rank_key() > t(10, 0, 0, 0, 0).rank_key());
    }
}
