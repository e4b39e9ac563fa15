//! Bitmasks over 64 bytes of a line at a time, as in simdjson's first stage: which bytes
//! are quotes, backslashes and brackets, which quotes are escaped, and which bytes lie
//! inside strings. The lazy walker (`lazy`) finds the end of a string or a container from
//! these masks with a few word operations instead of a byte loop whose exit the CPU cannot
//! predict. On x86_64 each mask is four SSE2 compares (SSE2 is part of the baseline);
//! elsewhere a plain loop that the compiler vectorises.

/// Bytes per block: one bit each in a `u64`.
pub const BLOCK: usize = 64;

/// The masks of one block; bit `k` stands for byte `k` of the block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Masks {
    pub quote: u64,
    pub backslash: u64,
    /// `{` and `[`.
    pub open: u64,
    /// `}` and `]`.
    pub close: u64,
}

/// The masks of the 64 bytes of `s` from `at`, read in place; bytes past the end of `s`
/// set no bit. Near the end, the last 64 bytes of `s` are read and their masks shifted down
/// (no copy: a copy read back by vector loads stalls on store forwarding); only a slice
/// shorter than a block is copied and padded with spaces.
// Three callers made the compiler outline it at `opt-level = "s"`, a call per string.
#[allow(clippy::inline_always)]
#[inline(always)]
fn block_masks(s: &[u8], at: usize, brackets: bool) -> Masks {
    if let Some(b) = s.get(at..at.wrapping_add(BLOCK)) {
        return masks(b.try_into().expect("64 bytes"), brackets);
    }
    if at >= s.len() {
        return Masks::default();
    }
    if let Some(base) = s.len().checked_sub(BLOCK) {
        let m = masks(s[base..].try_into().expect("64 bytes"), brackets);
        return m.shifted(at - base);
    }
    let mut b = [b' '; BLOCK];
    crate::bytes::copy_short(&mut b, &s[at..]);
    masks(&b, brackets)
}

impl Masks {
    /// Every mask shifted down by `k` (< 64) bytes.
    #[inline]
    fn shifted(self, k: usize) -> Masks {
        Masks {
            quote: self.quote >> k,
            backslash: self.backslash >> k,
            open: self.open >> k,
            close: self.close >> k,
        }
    }
}

/// The quote and backslash masks of the block at `at` (the others stay 0).
#[inline]
pub fn quotes(s: &[u8], at: usize) -> Masks {
    block_masks(s, at, false)
}

/// Every mask of the block at `at`.
#[inline]
pub fn all(s: &[u8], at: usize) -> Masks {
    block_masks(s, at, true)
}

/// The quote and backslash masks of the 16 bytes of `s` from `at` (bit `k` for byte
/// `at + k`), or `None` when fewer than 16 remain: the first look at a string, which
/// settles most keys and short values with one load and two compares.
#[cfg(target_arch = "x86_64")]
#[inline]
pub fn quotes16(s: &[u8], at: usize) -> Option<(u32, u32)> {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    let b: &[u8; 16] = s.get(at..at.wrapping_add(16))?.try_into().ok()?;
    // SAFETY: SSE2 is part of the x86_64 baseline; `b` holds 16 bytes and `loadu` allows
    // any alignment.
    unsafe {
        #[allow(clippy::cast_ptr_alignment)]
        let v = _mm_loadu_si128(b.as_ptr().cast::<__m128i>());
        let m = |c: u8| _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c.cast_signed())));
        Some((m(b'"').cast_unsigned(), m(b'\\').cast_unsigned()))
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline]
pub fn quotes16(s: &[u8], at: usize) -> Option<(u32, u32)> {
    let b = s.get(at..at.wrapping_add(16))?;
    let eq = |c: u8| (b.iter().enumerate()).fold(0, |m, (k, &x)| m | (u32::from(x == c) << k));
    Some((eq(b'"'), eq(b'\\')))
}

/// The masks of `b`; the bracket masks only with `brackets`. `{` and `[` differ only in
/// bit 0x20, as do `}` and `]`, so one compare after setting that bit finds both.
#[cfg(target_arch = "x86_64")]
#[inline]
fn masks(b: &[u8; BLOCK], brackets: bool) -> Masks {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    // SAFETY: SSE2 is part of the x86_64 baseline, so these intrinsics are always
    // available; `b` holds 64 bytes, so the four 16-byte loads are in bounds, and `loadu`
    // allows any alignment.
    unsafe {
        // `loadu` reads unaligned, so the pointer's alignment does not matter.
        #[allow(clippy::cast_ptr_alignment)]
        let p = b.as_ptr().cast::<__m128i>();
        let v = [
            _mm_loadu_si128(p),
            _mm_loadu_si128(p.add(1)),
            _mm_loadu_si128(p.add(2)),
            _mm_loadu_si128(p.add(3)),
        ];
        let bits = |f: &dyn Fn(__m128i) -> __m128i| {
            let m = |k: usize| u64::from(_mm_movemask_epi8(f(v[k])).cast_unsigned());
            m(0) | (m(1) << 16) | (m(2) << 32) | (m(3) << 48)
        };
        let needle = |c: u8| _mm_set1_epi8(c.cast_signed());
        let (quote, backslash) = (needle(b'"'), needle(b'\\'));
        let mut out = Masks {
            quote: bits(&|x| _mm_cmpeq_epi8(x, quote)),
            backslash: bits(&|x| _mm_cmpeq_epi8(x, backslash)),
            ..Masks::default()
        };
        if brackets {
            let (case, open, close) = (needle(0x20), needle(b'{'), needle(b'}'));
            out.open = bits(&|x| _mm_cmpeq_epi8(_mm_or_si128(x, case), open));
            out.close = bits(&|x| _mm_cmpeq_epi8(_mm_or_si128(x, case), close));
        }
        out
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn masks(b: &[u8; BLOCK], brackets: bool) -> Masks {
    let eq = |f: &dyn Fn(u8) -> bool| {
        b.iter()
            .enumerate()
            .fold(0, |m, (k, &x)| m | (u64::from(f(x)) << k))
    };
    let mut out = Masks {
        quote: eq(&|x| x == b'"'),
        backslash: eq(&|x| x == b'\\'),
        ..Masks::default()
    };
    if brackets {
        out.open = eq(&|x| x | 0x20 == b'{');
        out.close = eq(&|x| x | 0x20 == b'}');
    }
    out
}

/// Carries the escape state of a run of backslashes from one block to the next.
#[derive(Clone, Copy, Debug, Default)]
pub struct Escapes {
    /// The first byte of the next block is escaped (an odd run of backslashes ended
    /// this one).
    carry: u64,
}

impl Escapes {
    /// The bits of the bytes escaped by a backslash (the byte after an escaping one),
    /// given the block's backslash mask. simdjson's branchless method: a subtraction
    /// tells runs of backslashes that start on even bytes from those on odd ones.
    #[inline]
    pub fn escaped(&mut self, backslash: u64) -> u64 {
        const ODD: u64 = 0xAAAA_AAAA_AAAA_AAAA;
        if backslash == 0 && self.carry == 0 {
            return 0;
        }
        let potential = backslash & !self.carry;
        let code = ((potential << 1) | ODD).wrapping_sub(potential) ^ ODD;
        let escaped = code ^ (backslash | self.carry);
        self.carry = (code & backslash) >> 63;
        escaped
    }
}

/// Each bit set to the XOR of its own and all lower bits of `x`: with `x` the unescaped
/// quotes, the bytes from an opening quote up to (not including) its closing one.
#[inline]
pub fn prefix_xor(mut x: u64) -> u64 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The escaped bytes of `s` (at most 64 bytes), the slow way: a backslash that is not
    /// itself escaped escapes the next byte.
    fn escaped_slow(s: &[u8]) -> u64 {
        let mut m = 0;
        let mut next = false;
        for (k, &c) in s.iter().enumerate() {
            if next {
                m |= 1 << k;
                next = false;
            } else {
                next = c == b'\\';
            }
        }
        m
    }

    #[test]
    fn masks_mark_their_bytes_and_padding_marks_none() {
        let s = br#"{"a\"b":[1]}"#;
        let m = all(s, 0);
        assert_eq!(m.quote, 0b101_0010);
        assert_eq!(m.backslash, 1 << 3);
        assert_eq!(m.open, (1 << 0) | (1 << 8));
        assert_eq!(m.close, (1 << 10) | (1 << 11));
        assert_eq!(all(s, 100), Masks::default());
        assert_eq!(quotes(s, 1).quote, 0b10_1001);
    }

    #[test]
    fn masks_near_the_end_match_a_padded_copy() {
        // Every start position of slices longer and shorter than a block, against the
        // masks of a copy padded with spaces.
        let text: Vec<u8> =
            br#"{"k":"v\"}",[1,{"x":"]"}]}"#.iter().copied().cycle().take(150).collect();
        for len in [0, 1, 40, 63, 64, 65, 100, 150] {
            let s = &text[..len];
            for at in 0..len + 70 {
                let mut padded = [b' '; BLOCK];
                let rest = s.get(at..).unwrap_or_default();
                let n = rest.len().min(BLOCK);
                padded[..n].copy_from_slice(&rest[..n]);
                assert_eq!(all(s, at), masks(&padded, true), "len {len} at {at}");
                assert_eq!(quotes(s, at), masks(&padded, false), "len {len} at {at}");
            }
        }
    }

    #[test]
    fn escapes_match_the_slow_rule_across_runs() {
        for s in [
            &br#"a\"b\\"c\\\"d"#[..],
            br"\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\x",
            br#"\"\"\\"\\\\\"x\"#,
            b"no escapes here",
        ] {
            // A trailing backslash also escapes the padding byte after `s`.
            let s = &s[..s.len().min(BLOCK)];
            let within = u64::MAX >> (BLOCK - s.len());
            let mut e = Escapes::default();
            let fast = e.escaped(quotes(s, 0).backslash) & within;
            assert_eq!(fast, escaped_slow(s), "{s:?}");
        }
    }

    #[test]
    fn escapes_match_the_slow_rule_on_generated_lines() {
        // Backslash-heavy strings of 1 to 3 blocks, from a fixed linear congruential
        // sequence, compared block by block with the carry.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..2000 {
            let mut s = Vec::new();
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let len = 1 + (x >> 33) as usize % 190;
            for _ in 0..len {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                s.push([b'\\', b'\\', b'"', b'a'][(x >> 40) as usize % 4]);
            }
            let mut e = Escapes::default();
            let fast: Vec<u64> = (0..len.div_ceil(BLOCK))
                .map(|k| e.escaped(quotes(&s, k * BLOCK).backslash))
                .collect();
            let mut fast = fast;
            if !len.is_multiple_of(BLOCK) {
                // A trailing backslash also escapes the padding byte after `s`.
                *fast.last_mut().unwrap() &= (1u64 << (len % BLOCK)) - 1;
            }
            let slow = escaped_slow_all(&s);
            assert_eq!(fast, slow, "{}", String::from_utf8_lossy(&s));
        }
    }

    fn escaped_slow_all(s: &[u8]) -> Vec<u64> {
        let mut out = vec![0u64; s.len().div_ceil(BLOCK)];
        let mut next = false;
        for (k, &c) in s.iter().enumerate() {
            if next {
                out[k / BLOCK] |= 1 << (k % BLOCK);
                next = false;
            } else {
                next = c == b'\\';
            }
        }
        out
    }

    #[test]
    fn an_odd_run_at_the_end_of_a_block_escapes_the_next_block() {
        let mut s = vec![b'x'; 63];
        s.push(b'\\');
        s.extend_from_slice(b"\"y");
        let mut e = Escapes::default();
        assert_eq!(e.escaped(quotes(&s, 0).backslash), 0);
        assert_eq!(e.escaped(quotes(&s, 64).backslash), 1);
        let mut s = vec![b'x'; 62];
        s.extend_from_slice(b"\\\\\"y");
        let mut e = Escapes::default();
        e.escaped(quotes(&s, 0).backslash);
        assert_eq!(e.escaped(quotes(&s, 64).backslash), 0);
    }

    #[test]
    fn prefix_xor_fills_between_quotes() {
        assert_eq!(prefix_xor(0b1001), 0b0111);
        assert_eq!(prefix_xor(0b1_0000_0100), 0b1111_1100);
        assert_eq!(prefix_xor(1 << 63), 1 << 63);
    }
}
