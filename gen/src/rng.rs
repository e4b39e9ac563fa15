//! The generator's only source of randomness: ChaCha8 (a value-stable stream: the same
//! key gives the same words in every version of `rand_chacha`), keyed by SplitMix64 over
//! the master seed and a stream path, so every session, file and pool draws from its own
//! stream and the output does not depend on the order or the thread that draws it.
//! Distributions are built here from `next_u64` with integer and basic float arithmetic
//! only (no `ln`/`exp`/`cos` from the platform's libm), so the bytes are the same on every
//! platform too.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

/// A seeded random stream.
pub struct Rng(ChaCha8Rng);

/// SplitMix64's output function: a bijective mix of 64 bits.
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a over bytes: a stable hash (unlike std's `DefaultHasher`) for keying content by
/// name, e.g. a file's text by its path.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

impl Rng {
    /// The stream named by `path` under the master `seed`.
    pub fn new(seed: u64, path: &[u64]) -> Rng {
        let mut state = mix64(seed ^ 0x6363_7265_6361_7021);
        for p in path {
            state = mix64(state ^ mix64(*p));
        }
        let mut key = [0u8; 32];
        for (i, chunk) in key.chunks_mut(8).enumerate() {
            state = mix64(state.wrapping_add(i as u64 + 1));
            chunk.copy_from_slice(&state.to_le_bytes());
        }
        Rng(ChaCha8Rng::from_seed(key))
    }

    pub fn u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in [0, 1).
    pub fn f64(&mut self) -> f64 {
        (self.u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in 0..n (0 when n is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in lo..=hi.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        debug_assert!(lo <= hi);
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in [a, b).
    pub fn uniform(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.f64()
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }

    /// An index drawn with the given (non-negative) weights.
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.f64() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    /// Standard normal, approximately: the Irwin–Hall sum of 12 uniforms, minus 6.
    pub fn gauss(&mut self) -> f64 {
        (0..12).map(|_| self.f64()).sum::<f64>() - 6.0
    }

    /// Log-normal with the given median and log-space spread.
    pub fn lognorm(&mut self, median: f64, sigma: f64) -> f64 {
        median * exp(self.gauss() * sigma)
    }

    /// Geometric: how many successes of `p` in a row.
    pub fn streak(&mut self, p: f64) -> u64 {
        let mut n = 0;
        while n < 64 && self.chance(p) {
            n += 1;
        }
        n
    }

    /// `n` random characters of `alphabet`.
    pub fn chars(&mut self, alphabet: &[u8], n: usize, out: &mut String) {
        for _ in 0..n {
            out.push(*self.pick(alphabet) as char);
        }
    }
}

/// e^x from basic arithmetic only (range reduction plus a Taylor series), so it rounds the
/// same everywhere. Accurate to about 1e-15 relative for |x| < 700.
pub fn exp(x: f64) -> f64 {
    const LN2: f64 = std::f64::consts::LN_2;
    let k = (x / LN2).round();
    let r = x - k * LN2;
    let (mut term, mut sum) = (1.0, 1.0);
    for i in 1..=18 {
        term *= r / f64::from(i);
        sum += term;
    }
    let k = k.clamp(-1022.0, 1023.0) as i64;
    sum * f64::from_bits(((k + 1023) as u64) << 52)
}

/// Natural log of x >= 1 from basic arithmetic: Newton steps on `exp` from a bit-length
/// guess.
pub fn ln(x: f64) -> f64 {
    debug_assert!(x >= 1.0);
    let bits = 64 - (x as u64).leading_zeros();
    let mut y = f64::from(bits) * std::f64::consts::LN_2;
    for _ in 0..30 {
        y -= 1.0 - x / exp(y);
    }
    y
}

/// Zipf weight of rank `i` (0-based): 1 / (i + 1)^s.
pub fn zipf(i: usize, s: f64) -> f64 {
    1.0 / exp(s * ln((i + 1) as f64))
}
