//! Identifiers in Claude Code's shapes: v4 uuids, `msg_01…` message ids, `req_011C…`
//! request ids, `toolu_01…` tool-use ids and sub-agent ids (`a` + 6 hex in older builds,
//! `a` + 16 hex in newer ones).

use crate::rng::Rng;

const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const HEX: &[u8] = b"0123456789abcdef";

pub fn uuid(r: &mut Rng) -> String {
    let (a, b) = (r.u64(), r.u64());
    let variant = 8 + ((b >> 62) & 3);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        variant,
        (b >> 48) & 0xfff,
        b & 0xffff_ffff_ffff
    )
}

fn prefixed(r: &mut Rng, prefix: &str, n: usize) -> String {
    let mut s = String::with_capacity(prefix.len() + n);
    s.push_str(prefix);
    r.chars(B62, n, &mut s);
    s
}

pub fn message(r: &mut Rng) -> String {
    prefixed(r, "msg_01", 22)
}

pub fn request(r: &mut Rng) -> String {
    prefixed(r, "req_011C", 20)
}

pub fn tool_use(r: &mut Rng) -> String {
    prefixed(r, "toolu_01", 22)
}

pub fn agent(r: &mut Rng, long: bool) -> String {
    let mut s = String::from("a");
    r.chars(HEX, if long { 16 } else { 6 }, &mut s);
    s
}

pub fn hex(r: &mut Rng, n: usize) -> String {
    let mut s = String::new();
    r.chars(HEX, n, &mut s);
    s
}

/// A server-side tool use id (web search results).
pub fn server_tool_use(r: &mut Rng) -> String {
    prefixed(r, "srvtoolu_01", 22)
}
