//! String interning and stable hashes. Owns `Sym` (a small id for a repeated string such as
//! a model, session, project, tool or agent name) and `Interner`, plus the 64/128-bit
//! hashes used as dedupe keys. Per-file interners are merged into one global interner
//! once, after the parallel scan; nothing here knows what the strings mean.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// A fast non-cryptographic hasher (the FxHash mix) for in-memory maps whose keys are
/// already hashes or short ids. Not for anything an attacker could aim collisions at
/// beyond slowing a run down.
#[derive(Clone, Copy, Default)]
pub struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.add(i as u64);
        self.add((i >> 64) as u64);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A HashMap with `FxHasher`.
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
/// A HashSet with `FxHasher`.
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

/// An interned string: an index into an `Interner`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Sym(pub u32);

/// Maps strings to dense ids and back.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    map: FastMap<Box<str>, u32>,
    strings: Vec<Box<str>>,
}

impl Interner {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&id) = self.map.get(s) {
            return Sym(id);
        }
        let id = self.strings.len() as u32;
        let boxed: Box<str> = s.into();
        self.strings.push(boxed.clone());
        self.map.insert(boxed, id);
        Sym(id)
    }

    pub fn get(&self, s: &str) -> Option<Sym> {
        self.map.get(s).map(|&id| Sym(id))
    }

    pub fn resolve(&self, sym: Sym) -> &str {
        &self.strings[sym.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }

    /// Adds every string of `other` and returns the table that maps `other`'s ids to ours.
    pub fn absorb(&mut self, other: &Interner) -> Vec<Sym> {
        other.strings.iter().map(|s| self.intern(s)).collect()
    }
}

/// A deterministic 64-bit hash (SipHash-1-3 with fixed keys, via std's `DefaultHasher`).
pub fn hash64(parts: &[&[u8]]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    for p in parts {
        p.hash(&mut h);
    }
    h.finish()
}

/// A deterministic 128-bit hash built from two independent 64-bit hashes; used for dedupe
/// keys, where a collision would merge two real responses.
pub fn hash128(parts: &[&[u8]]) -> u128 {
    let a = hash64(parts);
    let mut h = std::hash::DefaultHasher::new();
    0xC0FF_EE00_u32.hash(&mut h);
    for p in parts.iter().rev() {
        p.hash(&mut h);
    }
    ((a as u128) << 64) | h.finish() as u128
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_is_stable_and_absorb_remaps() {
        let mut a = Interner::new();
        let x = a.intern("opus");
        assert_eq!(a.intern("opus"), x);
        let mut b = Interner::new();
        b.intern("sonnet");
        b.intern("opus");
        let map = a.absorb(&b);
        assert_eq!(a.resolve(map[0]), "sonnet");
        assert_eq!(map[1], x);
    }

    #[test]
    fn hashes_separate_part_boundaries() {
        assert_ne!(hash128(&[b"ab", b"c"]), hash128(&[b"a", b"bc"]));
        assert_eq!(hash64(&[b"x"]), hash64(&[b"x"]));
    }
}
