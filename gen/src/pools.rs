//! Text the corpus is written from, built once per seed and shared read-only by every
//! session: prose sentences, code lines, a thinking signature and an image payload; and
//! the contents of any project file, derived from its path alone so that every read of
//! one file returns the same text in every session.

use crate::rng::{Rng, fnv1a};
use crate::vocab::{SYMBOLS, WORDS};
use std::sync::Arc;

const SENTENCES: usize = 6000;
const CODE_LINES: usize = 5000;

pub struct Pools {
    seed: u64,
    sentences: Vec<String>,
    code: Vec<String>,
    pub signature: String,
    pub image: String,
}

const CODE_TEMPLATES: &[&str] = &[
    "const {a} = await {b}({c});",
    "export function {a}({c}: {T}): {T} {",
    "  return {b}.{a}({c});",
    "}",
    "import { {A} } from './{b}';",
    "  if (!{a}) throw new Error('{a} missing');",
    "def {a}({c}, {b}=None):",
    "    return {b}.{a}({c})",
    "    if {a} is None:",
    "class {A}:",
    "fn {a}(&self, {c}: &{T}) -> Result<{T}> {",
    "    let {a} = self.{b}.get(&{c})?;",
    "func ({a} *{A}) {B}(ctx context.Context) error {",
    "\tif err != nil {",
    "\t\treturn err",
    "  // TODO: handle {a} when {b} is empty",
    "  {a}: {b},",
    "  {a}.push({c});",
    "",
    "    logger.info(\"{a} {b}\", extra={\"{c}\": {c}})",
    "  expect({a}).toEqual({b});",
    "  it('{a} {b} {c}', async () => {",
    "SELECT {a}, {b} FROM {c} WHERE id = $1;",
];

const TYPES: &[&str] = &["string", "number", "Config", "User", "u64", "Vec<u8>"];

fn capitalize(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

impl Pools {
    pub fn new(seed: u64) -> Pools {
        let mut r = Rng::new(seed, &[0x9001]);
        let sentences = (0..SENTENCES).map(|_| sentence(&mut r)).collect();
        let code = (0..CODE_LINES).map(|_| code_line(&mut r)).collect();
        let mut signature = String::new();
        r.chars(B64, 800, &mut signature);
        let mut image = String::from("iVBORw0KGgo");
        r.chars(B64, 32_000, &mut image);
        Pools {
            seed,
            sentences,
            code,
            signature,
            image,
        }
    }

    /// Prose of about `chars` characters: paragraphs of sentences, some bullet points and
    /// fenced code blocks.
    pub fn text(&self, rng: &mut Rng, chars: usize) -> String {
        let mut out = String::with_capacity(chars + 200);
        while out.len() < chars {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            if chars > 400 && rng.chance(0.08) {
                out.push_str("```\n");
                let k = rng.range(3, 14) as usize;
                let j = rng.below((self.code.len() - k) as u64) as usize;
                for line in &self.code[j..j + k] {
                    out.push_str(line);
                    out.push('\n');
                }
                out.push_str("```");
                continue;
            }
            if rng.chance(0.2) {
                out.push_str("- ");
            }
            for i in 0..rng.range(2, 5) {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(rng.pick(&self.sentences).as_str());
            }
        }
        out
    }

    /// `n` code lines starting at a random place, joined by newlines.
    pub fn code(&self, rng: &mut Rng, n: usize) -> String {
        let j = rng.below(self.code.len() as u64) as usize;
        let mut out = String::new();
        for i in 0..n {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&self.code[(j + i) % self.code.len()]);
        }
        out
    }

    /// `n` code lines picked one by one (an edit's old or new text).
    pub fn snippet(&self, rng: &mut Rng, n: usize) -> String {
        (0..n)
            .map(|_| rng.pick(&self.code).as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The whole text of a project file (ends with a newline), the same for every read:
    /// 5–2,500 lines, about 110 typically.
    pub fn file(&self, path: &str) -> Arc<str> {
        let mut r = Rng::new(self.seed, &[0xF11E, fnv1a(path.as_bytes())]);
        let n = r.lognorm(110.0, 0.9).clamp(5.0, 2500.0) as usize;
        let j = r.below(self.code.len() as u64) as usize;
        let mut out = String::with_capacity(n * 32);
        for i in 0..n {
            out.push_str(&self.code[(j + i * 7) % self.code.len()]);
            out.push('\n');
        }
        out.into()
    }
}

fn sentence(r: &mut Rng) -> String {
    let n = r.range(6, 22) as usize;
    let mut words: Vec<String> = (0..n).map(|_| r.pick(WORDS).to_string()).collect();
    if r.chance(0.15) {
        let at = r.below(n as u64) as usize;
        words.insert(at, format!("`{}`", r.pick(SYMBOLS)));
    }
    let mut s = capitalize(&words.join(" "));
    s.push(*r.pick(&['.', '.', '.', ':', '?']));
    if r.chance(0.03) {
        let tail = *r.pick(&[
            " → done ✓",
            " → fixed",
            " → see below",
            " → nächster Schritt",
        ]);
        s.push_str(tail);
    }
    s
}

fn code_line(r: &mut Rng) -> String {
    let t = *r.pick(CODE_TEMPLATES);
    let (a, b, c) = (*r.pick(WORDS), *r.pick(WORDS), *r.pick(WORDS));
    let ty = *r.pick(TYPES);
    t.replace("{a}", a)
        .replace("{b}", b)
        .replace("{c}", c)
        .replace("{A}", &capitalize(a))
        .replace("{B}", &capitalize(b))
        .replace("{T}", ty)
}
