//! Comparing and copying short byte strings (ids, names, the last bytes of a line) in
//! registers. With a length known only at run time, `==` on slices and `copy_from_slice`
//! call `memcmp` and `memcpy`, which the static (musl) build runs a byte or a word at a
//! time and which cost more than the work itself on strings this short.

/// `a == b`, compared eight bytes at a time.
#[inline]
pub fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let word = |c: &[u8]| u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    if (&mut x).zip(&mut y).any(|(p, q)| word(p) != word(q)) {
        return false;
    }
    x.remainder().iter().zip(y.remainder()).all(|(p, q)| p == q)
}

/// The longest string `copy_short` copies.
pub const SHORT: usize = 63;

/// Copies `src` (at most `SHORT` bytes) to the start of `dst`: as two copies of a fixed
/// size, one from each end, which may overlap (the way short `memcpy`s are done inline).
#[inline]
pub fn copy_short(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    debug_assert!(n <= SHORT && n <= dst.len());
    macro_rules! ends {
        ($k:literal) => {{
            let head: [u8; $k] = src[..$k].try_into().unwrap_or([0; $k]);
            let tail: [u8; $k] = src[n - $k..].try_into().unwrap_or([0; $k]);
            dst[..$k].copy_from_slice(&head);
            dst[n - $k..n].copy_from_slice(&tail);
        }};
    }
    match n {
        0 => {}
        1..4 => {
            dst[0] = src[0];
            dst[n / 2] = src[n / 2];
            dst[n - 1] = src[n - 1];
        }
        4..8 => ends!(4),
        8..16 => ends!(8),
        16..32 => ends!(16),
        _ => ends!(32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_is_slice_equality() {
        let base: Vec<u8> = (0..40u8).collect();
        for n in 0..base.len() {
            let a = &base[..n];
            assert!(same(a, a), "{n}");
            assert!(!same(a, &base[..=n]), "lengths differ: {n}");
            for k in 0..n {
                let mut b = a.to_vec();
                b[k] ^= 1;
                assert!(!same(a, &b), "byte {k} of {n}");
            }
        }
    }

    #[test]
    fn copy_short_copies_every_length() {
        let src: Vec<u8> = (1..=SHORT as u8).collect();
        for n in 0..=SHORT {
            let mut dst = [0u8; SHORT + 1];
            copy_short(&mut dst, &src[..n]);
            assert_eq!(&dst[..n], &src[..n], "{n}");
            assert!(dst[n..].iter().all(|&b| b == 0), "nothing past {n}");
        }
    }
}
