//! Renderers: turn a finished `Report` into bytes on a writer — JSON, terminal views, the
//! HTML recap and the year in review, the SVG cards — and the one-line diagnostics footer on stderr, all with
//! the number and text formats of `fmt`. They format; they never compute, filter or
//! re-price, and they never import `scan`, `cli` or the command registry.

pub mod card_svg;
pub mod fmt;
pub mod footer;
pub mod html;
pub mod json;
pub mod sanitize;
pub mod statusline;
pub mod terminal;
pub mod wrapped_svg;
