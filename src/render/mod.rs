//! Renderers: turn a finished `Report` into bytes on a writer (JSON or terminal text), and
//! the one-line diagnostics footer on stderr. They format; they never compute, filter or
//! re-price.

pub mod card_svg;
pub mod footer;
pub mod html;
pub mod json;
pub mod sanitize;
pub mod terminal;
