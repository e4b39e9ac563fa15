//! String interning and stable hashes. Owns `Sym` (a small id for a repeated string such as
//! a model, session, project, tool or agent name) and `Interner`, plus the 64/128-bit
//! xxh3 hashes used as dedupe keys. Per-file interners are merged into one global interner
//! once, after the parallel scan; nothing here knows what the strings mean.

use crate::bytes::{SHORT, copy_short};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::num::NonZeroU32;
use xxhash_rust::xxh3::{Xxh3Default, xxh3_64, xxh3_128};

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
        self.add(u64::from(i));
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

/// An interned string: an index into an `Interner`. Stored plus one, so `Option<Sym>`,
/// which most records hold several of, takes four bytes instead of eight.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(NonZeroU32);

impl Sym {
    /// The largest symbol, never handed out by an interner (a sentinel).
    pub const MAX: Sym = Sym(NonZeroU32::MAX);

    /// The symbol of index `i` (`i` below `u32::MAX`).
    pub const fn new(i: u32) -> Sym {
        match NonZeroU32::new(i.wrapping_add(1)) {
            Some(n) => Sym(n),
            None => Sym::MAX,
        }
    }

    /// Its index in the interner.
    pub const fn index(self) -> u32 {
        self.0.get() - 1
    }
}

impl Default for Sym {
    fn default() -> Self {
        Sym::new(0)
    }
}

impl std::fmt::Debug for Sym {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sym({})", self.index())
    }
}

/// Maps strings to dense ids and back. Each string is stored once; the lookup map holds
/// its xxh3 and id (a hash shared by two different strings sends the later one to
/// `collided`). `compact` drops the lookup once no more strings will be added (a scanned
/// file's interner is only read and absorbed after that); a later `intern` rebuilds it.
/// The lookup is boxed: a compacted interner, one per scanned file until the merge, is
/// then a list and a null pointer.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    /// None before the first `intern` and after `compact`.
    lookup: Option<Box<Lookup>>,
    strings: Vec<Box<str>>,
}

#[derive(Debug, Default, Clone)]
struct Lookup {
    map: FastMap<u64, u32>,
    /// Ids whose string's hash was already taken by another string (in practice none).
    collided: Vec<u32>,
}

impl Lookup {
    fn of(strings: &[Box<str>]) -> Lookup {
        let mut l = Lookup::default();
        for (id, s) in strings.iter().enumerate() {
            l.add(xxh3_64(s.as_bytes()), id as u32);
        }
        l
    }

    fn add(&mut self, h: u64, id: u32) {
        if self.map.try_insert_id(h, id) {
            self.collided.push(id);
        }
    }

    fn find(&self, h: u64, s: &str, strings: &[Box<str>]) -> Option<Sym> {
        let id = *self.map.get(&h)?;
        if &*strings[id as usize] == s {
            return Some(Sym::new(id));
        }
        self.collided
            .iter()
            .find(|&&c| &*strings[c as usize] == s)
            .map(|&c| Sym::new(c))
    }
}

impl Interner {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn intern(&mut self, s: &str) -> Sym {
        let strings = &self.strings;
        let lookup = self
            .lookup
            .get_or_insert_with(|| Box::new(Lookup::of(strings)));
        let h = xxh3_64(s.as_bytes());
        if let Some(sym) = lookup.find(h, s, &self.strings) {
            return sym;
        }
        let id = self.strings.len() as u32;
        self.strings.push(s.into());
        lookup.add(h, id);
        Sym::new(id)
    }

    /// The id of a string already interned.
    pub fn get(&self, s: &str) -> Option<Sym> {
        match &self.lookup {
            Some(l) => l.find(xxh3_64(s.as_bytes()), s, &self.strings),
            None => self
                .strings
                .iter()
                .position(|t| &**t == s)
                .map(|i| Sym::new(i as u32)),
        }
    }

    /// Frees the lookup map and spare capacity: the strings stay, `resolve` and `absorb`
    /// work as before, and `intern` rebuilds the map if it is called again.
    pub fn compact(&mut self) {
        self.lookup = None;
        self.strings.shrink_to_fit();
    }

    pub fn resolve(&self, sym: Sym) -> &str {
        &self.strings[sym.index() as usize]
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

/// Inserting an id under a hash that may already be taken.
trait InsertId {
    /// Inserts `id` under `h`; true when `h` already held another id (nothing inserted).
    fn try_insert_id(&mut self, h: u64, id: u32) -> bool;
}

impl InsertId for FastMap<u64, u32> {
    fn try_insert_id(&mut self, h: u64, id: u32) -> bool {
        match self.entry(h) {
            std::collections::hash_map::Entry::Occupied(_) => true,
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(id);
                false
            }
        }
    }
}

/// The parts as one byte string, each prefixed with its length so part boundaries count
/// (`["ab", "c"]` and `["a", "bc"]` differ), hashed by `one_shot` when it fits in a
/// small buffer (ids are short) and by xxh3's stream otherwise. Both give the same hash
/// of the same bytes; the buffer only spares the stream's 500-byte state.
fn framed<T>(parts: &[&[u8]], one_shot: fn(&[u8]) -> T, stream: fn(&Xxh3Default) -> T) -> T {
    // Ids are short: the parts, each at most `SHORT` bytes, fit a buffer that needs no
    // `memset` or `memcpy` call.
    const FRAMED_BYTES: usize = 128;
    let len: usize = parts.iter().map(|p| 8 + p.len()).sum();
    if len <= FRAMED_BYTES && parts.iter().all(|p| p.len() <= SHORT) {
        let mut buf = [0u8; FRAMED_BYTES];
        let mut at = 0;
        for p in parts {
            buf[at..at + 8].copy_from_slice(&(p.len() as u64).to_le_bytes());
            copy_short(&mut buf[at + 8..], p);
            at += 8 + p.len();
        }
        return one_shot(&buf[..at]);
    }
    let mut h = Xxh3Default::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    stream(&h)
}

/// A deterministic 64-bit hash (xxh3) of a sequence of byte strings. For ids from
/// transcripts, not for anything adversarial.
pub fn hash64(parts: &[&[u8]]) -> u64 {
    framed(parts, xxh3_64, Xxh3Default::digest)
}

/// A deterministic 128-bit hash (xxh3-128) of a sequence of byte strings; used for
/// dedupe keys, where a collision would merge two real responses.
pub fn hash128(parts: &[&[u8]]) -> u128 {
    framed(parts, xxh3_128, Xxh3Default::digest128)
}

/// The 64-bit xxh3 of one long byte string (tool outputs). Not comparable with `hash64`.
pub fn hash_bulk(bytes: &[u8]) -> u64 {
    xxh3_64(bytes)
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
    fn a_compacted_interner_resolves_and_interns_again() {
        let mut a = Interner::new();
        let x = a.intern("opus");
        let y = a.intern("sonnet");
        a.compact();
        assert_eq!(a.resolve(y), "sonnet");
        assert_eq!(a.get("opus"), Some(x));
        assert_eq!(a.intern("sonnet"), y, "no second copy after compacting");
        assert_eq!(a.intern("haiku"), Sym::new(2));
        assert_eq!(a.get("haiku"), Some(Sym::new(2)));
        assert_eq!(a.len(), 3);
    }

    #[test]
    fn strings_sharing_a_hash_keep_their_own_ids() {
        let mut a = Interner::new();
        let x = a.intern("x");
        // Force a collision: a string stored under another's hash goes to `collided`.
        let h = xxh3_64(b"y");
        a.strings.push("y".into());
        let l = a.lookup.as_mut().unwrap();
        l.map.remove(&h);
        assert!(!l.map.try_insert_id(h, 0), "the slot is free");
        assert!(l.map.try_insert_id(h, 1), "the slot is taken by id 0");
        l.collided.push(1);
        assert_eq!(a.get("y"), Some(Sym::new(1)));
        assert_eq!(a.get("x"), Some(x));
        assert_eq!(a.intern("y"), Sym::new(1));
        assert_eq!(a.get("z"), None);
    }

    #[test]
    fn hashes_are_xxh3() {
        // XXH3_64bits of the empty input, from the reference implementation.
        assert_eq!(hash_bulk(b""), 0x2d06_8005_38d3_94c2);
        let framed = [&3u64.to_le_bytes()[..], b"abc"].concat();
        assert_eq!(hash64(&[b"abc"]), xxh3_64(&framed));
        assert_eq!(
            hash128(&[b"abc"]),
            xxhash_rust::xxh3::xxh3_128(&framed),
            "the streaming and one-shot xxh3-128 agree"
        );
        // Past the small buffer the stream takes over, with the same hashes.
        for n in [40, 63, 64, 111, 112, 600] {
            let long = vec![b'x'; n];
            let framed = [
                &(n as u64).to_le_bytes()[..],
                &long,
                &1u64.to_le_bytes(),
                b"y",
            ]
            .concat();
            assert_eq!(hash64(&[&long, b"y"]), xxh3_64(&framed), "{n}");
            let want = xxhash_rust::xxh3::xxh3_128(&framed);
            assert_eq!(hash128(&[&long, b"y"]), want, "{n}");
        }
    }

    #[test]
    fn bulk_hash_sees_every_byte_and_the_length() {
        let base: Vec<u8> = (0..200u8).collect();
        let h = hash_bulk(&base);
        for i in [0, 31, 32, 100, 199] {
            let mut v = base.clone();
            v[i] ^= 1;
            assert_ne!(hash_bulk(&v), h, "byte {i}");
        }
        assert_ne!(
            hash_bulk(&base[..64]),
            hash_bulk(&[&base[..64], &[0][..]].concat())
        );
        assert_eq!(hash_bulk(&base), h);
    }

    #[test]
    fn hashes_separate_part_boundaries() {
        assert_ne!(hash128(&[b"ab", b"c"]), hash128(&[b"a", b"bc"]));
        assert_ne!(hash128(&[b"abcdefgh", b""]), hash128(&[b"", b"abcdefgh"]));
        assert_ne!(hash64(&[b"a\0"]), hash64(&[b"a"]));
        assert_eq!(hash64(&[b"x"]), hash64(&[b"x"]));
    }

    #[test]
    fn hashes_do_not_collide_on_similar_ids() {
        let mut seen = FastSet::default();
        for i in 0..200_000u32 {
            let id = format!("msg_01{i:022}");
            assert!(seen.insert(hash128(&[id.as_bytes(), b"req_011"])));
            assert!(seen.insert(u128::from(hash64(&[id.as_bytes()]))));
        }
    }
}
