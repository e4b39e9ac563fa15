//! Embeds the demo history (fixtures/demo/projects) into the binary, deflated: writes
//! OUT_DIR/demo.deflate (every file's bytes, concatenated in path order, compressed once)
//! and OUT_DIR/demo_files.rs with `DEMO_PACK` (those bytes), `DEMO_RAW_LEN` and
//! `DEMO_INDEX`, a table of (relative path, offset, length) into the inflated bytes.
//! Compressed, the 1.5 MB of JSONL costs ~0.3 MB of binary instead of all of it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/projects");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut raw = Vec::new();
    let mut index = String::from("pub static DEMO_INDEX: &[(&str, usize, usize)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(f).unwrap();
        let _ = writeln!(index, "    ({rel:?}, {}, {}),", raw.len(), bytes.len());
        raw.extend_from_slice(&bytes);
    }
    index.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let packed = miniz_oxide::deflate::compress_to_vec(&raw, 10);
    std::fs::write(out.join("demo.deflate"), &packed).unwrap();
    let code = format!(
        "{index}pub const DEMO_RAW_LEN: usize = {};\n\
         pub static DEMO_PACK: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/demo.deflate\"));\n",
        raw.len()
    );
    std::fs::write(out.join("demo_files.rs"), code).unwrap();
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            println!("cargo:rerun-if-changed={}", p.display());
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "jsonl" || x == "json") {
            out.push(p);
        }
    }
}
