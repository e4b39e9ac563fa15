//! A width-aware text table: columns with alignment, a priority and a way to cut long
//! cells; rows with a style (normal, dim breakdown, bold totals), rules, and spans (a line
//! of text under a row, such as a suggested fix, wrapped to the room left of the table).
//! Every table fits the width it is given: the lowest-priority columns go first (with
//! `--compact`, every detail column goes whatever the width), then the columns that may
//! be cut are narrowed, each cut marked with `…`; a dim note under the table names the
//! columns it hid. Colour comes from a `Palette` that is all no-ops when off, so the
//! layout is the same without colour.

use crate::render::fmt::{clip, clip_left, width, wrap};
use owo_colors::{OwoColorize, Style, XtermColors};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowStyle {
    Normal,
    Breakdown,
    Total,
}

/// How a view is laid out: the columns it may use, and whether tables are forced compact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    pub width: usize,
    /// `--compact`: tables hide their detail columns (priority below `DETAIL`).
    pub compact: bool,
}

impl Layout {
    /// The full width, not compact.
    pub const fn wide(width: usize) -> Self {
        Layout {
            width,
            compact: false,
        }
    }
}

/// A column that is never hidden (the one that says what a row is).
pub const KEEP: u8 = 255;
/// Columns below this priority are details: `--compact` hides them.
pub const DETAIL: u8 = 100;
/// A cut column is narrowed to this many columns before any other column is hidden for
/// it, and to `NARROWEST` only when nothing else can go.
const COMFORTABLE: usize = 16;
const NARROWEST: usize = 8;

/// Colours used by terminal output; every style is a no-op when colour is off.
///
/// Readable on light and dark backgrounds alike: emphasis is bold in the terminal's own
/// foreground (the theme's contrast, 21:1 in a black-on-white or white-on-black one), and
/// every colour is a fixed xterm-256 colour of middle lightness, at least 4.46:1 against
/// both pure white and pure black (WCAG AA for text is 4.5:1, 3:1 for graphics): grey 243
/// `#767676` 4.54/4.62, orange 130 `#af5f00` 4.71/4.46, blue 63 `#5f5fff` 4.60/4.57,
/// purple 98 `#875fd7` 4.52/4.65, green 29 `#00875f` 4.53/4.63. No yellow or bright white,
/// which vanish on a white background (xterm's bold yellow is 1.7:1 on white).
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    /// Titles and table headings: bold.
    pub header: Style,
    /// Secondary text (notes, rules, breakdown rows): grey.
    pub dim: Style,
    /// Headline numbers and total rows: bold.
    pub total: Style,
    /// Warnings (lower bounds, unpriced models): orange.
    pub warn: Style,
    /// The one thing to do next: green.
    pub accent: Style,
    /// The composition classes, as in the HTML recap: re-read blue, cache writes orange,
    /// new input purple, output green.
    pub classes: [Style; 4],
}

impl Palette {
    pub fn new(color: bool) -> Self {
        if !color {
            let n = Style::new();
            return Palette {
                header: n,
                dim: n,
                total: n,
                warn: n,
                accent: n,
                classes: [n; 4],
            };
        }
        let xterm = |n: u8| Style::new().color(XtermColors::from(n));
        Palette {
            header: Style::new().bold(),
            dim: xterm(243),
            total: Style::new().bold(),
            warn: xterm(130),
            accent: xterm(29),
            classes: [xterm(63), xterm(130), xterm(98), xterm(29)],
        }
    }
}

/// How a cell too wide for its column is cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cut {
    /// Never: numbers, ids and dates keep their width.
    Never,
    /// Its end goes (names, descriptions).
    End,
    /// Its start goes (paths, whose end says most).
    Start,
    /// A list ("a, b, c"): whole items stay and a count stands for the rest ("a, +2").
    List,
}

pub struct Column {
    pub title: &'static str,
    pub align: Align,
    /// Lower numbers are hidden first when space is short; `KEEP` is never hidden, and
    /// below `DETAIL` `--compact` hides them.
    pub priority: u8,
    pub cut: Cut,
}

impl Column {
    pub const fn new(title: &'static str, align: Align, priority: u8) -> Self {
        Column {
            title,
            align,
            priority,
            cut: Cut::Never,
        }
    }

    /// The column, its long cells cut as `cut` says.
    #[must_use]
    pub const fn cut(mut self, cut: Cut) -> Self {
        self.cut = cut;
        self
    }

    /// The narrowest this column gets with `floor` columns for cut cells.
    fn floor(&self, natural: usize, floor: usize) -> usize {
        match self.cut {
            Cut::Never => natural,
            Cut::End | Cut::Start | Cut::List => natural.min(floor.max(width(self.title))),
        }
    }
}

pub enum Row {
    Cells(RowStyle, Vec<String>),
    Rule,
    /// Text under a row starting at column `from`, wrapped to the width, its first line
    /// after `lead` and the others indented as far.
    Span {
        style: RowStyle,
        from: usize,
        lead: &'static str,
        text: String,
    },
}

pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

impl Table {
    /// Renders to lines of at most `layout.width` columns (a column that can neither go
    /// nor be cut aside), then the note naming hidden columns.
    pub fn render(&self, layout: Layout, pal: &Palette) -> Vec<String> {
        let natural = self.natural_widths();
        let keep = self.visible(&natural, layout);
        let widths = self.narrowed(natural, &keep, layout.width);
        let cols: Vec<usize> = (0..self.columns.len()).filter(|&i| keep[i]).collect();
        let mut out = Vec::new();
        let header: Vec<String> = cols
            .iter()
            .map(|&i| pad(self.columns[i].title, widths[i], self.columns[i].align))
            .collect();
        out.push(format!(
            " {}",
            header.join("  ").trim_end().style(pal.header)
        ));
        out.push(rule(&cols, &widths, pal));
        for r in &self.rows {
            match r {
                Row::Rule => out.push(rule(&cols, &widths, pal)),
                Row::Cells(style, cells) => {
                    let text: Vec<String> = cols
                        .iter()
                        .map(|&i| self.cell(i, cells.get(i).map_or("", String::as_str), widths[i]))
                        .collect();
                    out.push(styled(&text.join("  "), *style, pal));
                }
                Row::Span {
                    style,
                    from,
                    lead,
                    text,
                } => {
                    let indent: usize = cols
                        .iter()
                        .take_while(|&&i| i < *from)
                        .map(|&i| widths[i] + 2)
                        .sum();
                    out.extend(span(indent, lead, text, layout.width, *style, pal));
                }
            }
        }
        if let Some(note) = self.hidden_note(&keep, layout) {
            for l in wrap(&note, layout.width.saturating_sub(1)) {
                out.push(format!(" {}", l.style(pal.dim)));
            }
        }
        out
    }

    /// Each column's width with nothing cut: its title or its widest cell.
    fn natural_widths(&self) -> Vec<usize> {
        let mut widths: Vec<usize> = self.columns.iter().map(|c| width(c.title)).collect();
        for r in &self.rows {
            if let Row::Cells(_, cells) = r {
                for (w, c) in widths.iter_mut().zip(cells) {
                    *w = (*w).max(width(c));
                }
            }
        }
        widths
    }

    /// The columns shown: with `--compact` no detail column; then, while the table cannot
    /// fit even with its cut columns at `COMFORTABLE`, the lowest priority goes.
    fn visible(&self, natural: &[usize], layout: Layout) -> Vec<bool> {
        let mut keep: Vec<bool> = self
            .columns
            .iter()
            .map(|c| !layout.compact || c.priority >= DETAIL)
            .collect();
        let comfortable: Vec<usize> = self
            .columns
            .iter()
            .zip(natural)
            .map(|(c, &n)| c.floor(n, COMFORTABLE))
            .collect();
        let mut order: Vec<usize> = (0..self.columns.len())
            .filter(|&i| keep[i] && self.columns[i].priority < KEEP)
            .collect();
        order.sort_by_key(|&i| self.columns[i].priority);
        for i in order {
            if line_width(&keep, &comfortable) <= layout.width {
                break;
            }
            keep[i] = false;
        }
        keep
    }

    /// The widths of the shown columns, the cut ones narrowed (widest first) until the
    /// table fits: to `COMFORTABLE`, then if need be to `NARROWEST`.
    fn narrowed(&self, mut widths: Vec<usize>, keep: &[bool], room: usize) -> Vec<usize> {
        for floor in [COMFORTABLE, NARROWEST] {
            let floors: Vec<usize> = self
                .columns
                .iter()
                .zip(&widths)
                .map(|(c, &w)| c.floor(w, floor))
                .collect();
            while line_width(keep, &widths) > room {
                let widest = (0..widths.len())
                    .filter(|&i| keep[i] && widths[i] > floors[i])
                    .max_by_key(|&i| widths[i]);
                match widest {
                    Some(i) => widths[i] -= 1,
                    None => break,
                }
            }
        }
        widths
    }

    /// A cell padded (or cut, as its column says) to `w` columns.
    fn cell(&self, i: usize, s: &str, w: usize) -> String {
        let c = &self.columns[i];
        let s = match c.cut {
            _ if width(s) <= w => s.to_string(),
            Cut::Never => s.to_string(),
            Cut::End => clip(s, w),
            Cut::Start => clip_left(s, w),
            Cut::List => clip_list(s, w),
        };
        pad(&s, w, c.align)
    }

    /// "compact: hid Input, Output (…)" when columns were hidden.
    fn hidden_note(&self, keep: &[bool], layout: Layout) -> Option<String> {
        let hidden: Vec<&str> = self
            .columns
            .iter()
            .zip(keep)
            .filter(|&(_, &k)| !k)
            .map(|(c, _)| c.title)
            .collect();
        if hidden.is_empty() {
            return None;
        }
        let how = if layout.compact {
            "--compact; --json has every column"
        } else {
            "widen the terminal or use --json"
        };
        Some(format!("compact: hid {} ({how})", hidden.join(", ")))
    }
}

/// The first items of a ", "-separated list that fit in `w` columns with a count of the
/// others ("sonnet-4-6, opus-4-6, +2"); the first item cut when even it does not fit.
fn clip_list(s: &str, w: usize) -> String {
    let items: Vec<&str> = s.split(", ").collect();
    (1..items.len())
        .rev()
        .map(|k| format!("{}, +{}", items[..k].join(", "), items.len() - k))
        .find(|c| width(c) <= w)
        .unwrap_or_else(|| clip(s, w))
}

/// Columns a row takes: the leading space, the cells and two spaces between them.
fn line_width(keep: &[bool], widths: &[usize]) -> usize {
    let shown: Vec<usize> = widths
        .iter()
        .zip(keep)
        .filter(|&(_, &k)| k)
        .map(|(&w, _)| w)
        .collect();
    1 + shown.iter().sum::<usize>() + 2 * shown.len().saturating_sub(1)
}

fn styled(line: &str, style: RowStyle, pal: &Palette) -> String {
    let line = line.trim_end();
    let styled = match style {
        RowStyle::Normal => line.to_string(),
        RowStyle::Breakdown => line.style(pal.dim).to_string(),
        RowStyle::Total => line.style(pal.total).to_string(),
    };
    format!(" {styled}")
}

/// A span's lines: `lead` and the text wrapped into the room right of `indent`.
fn span(
    indent: usize,
    lead: &str,
    text: &str,
    max: usize,
    style: RowStyle,
    pal: &Palette,
) -> Vec<String> {
    let max = max.min(super::PROSE);
    let indent = indent.min(max / 3);
    let hang = width(lead);
    let room = max.saturating_sub(1 + indent + hang).max(10);
    wrap(text, room)
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let lead = if i == 0 { lead } else { "" };
            let line = format!("{}{lead:<hang$}{part}", " ".repeat(indent));
            styled(&line, style, pal)
        })
        .collect()
}

fn rule(cols: &[usize], widths: &[usize], pal: &Palette) -> String {
    let parts: Vec<String> = cols.iter().map(|&i| "─".repeat(widths[i])).collect();
    format!(" {}", parts.join("  ").style(pal.dim))
}

fn pad(s: &str, w: usize, align: Align) -> String {
    let fill = " ".repeat(w.saturating_sub(width(s)));
    match align {
        Align::Left => format!("{s}{fill}"),
        Align::Right => format!("{fill}{s}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            columns: vec![
                Column::new("Date", Align::Left, KEEP),
                Column::new("Models", Align::Left, 120).cut(Cut::End),
                Column::new("Input", Align::Right, 10),
                Column::new("Total", Align::Right, KEEP),
            ],
            rows: vec![
                Row::Cells(
                    RowStyle::Normal,
                    vec![
                        "2026-11-13".into(),
                        "sonnet-4-6, haiku-4-5".into(),
                        "12,345".into(),
                        "1,234".into(),
                    ],
                ),
                Row::Span {
                    style: RowStyle::Normal,
                    from: 1,
                    lead: "→ ",
                    text: "a fix in several words".into(),
                },
            ],
        }
    }

    #[test]
    fn aligns_and_hides_low_priority_columns_when_narrow() {
        let pal = Palette::new(false);
        let wide = table().render(Layout::wide(120), &pal);
        assert_eq!(wide[0], " Date        Models                  Input  Total");
        assert_eq!(wide[2], " 2026-11-13  sonnet-4-6, haiku-4-5  12,345  1,234");
        assert_eq!(wide[3], "             → a fix in several words");
        assert_eq!(wide.len(), 4, "no note when nothing is hidden");
        let narrow = table().render(Layout::wide(41), &pal);
        assert_eq!(narrow[2], " 2026-11-13  sonnet-4-6, haiku-4-5  1,234");
        assert_eq!(
            narrow[4..].join(""),
            " compact: hid Input (widen the terminal or use --json)"
        );
    }

    #[test]
    fn cut_columns_narrow_with_an_ellipsis_and_everything_fits() {
        let pal = Palette::new(false);
        for w in [30, 34, 40, 60] {
            for l in table().render(Layout::wide(w), &pal) {
                assert!(width(&l) <= w, "{w}: {l:?}");
            }
        }
        let lines = table().render(Layout::wide(36), &pal);
        assert_eq!(lines[2], " 2026-11-13  sonnet-4-6, hai…  1,234");
        assert_eq!(lines[3], "             → a fix in several");
        assert_eq!(lines[4], "               words");
        // Narrower, the models go rather than shrink to a stub.
        let lines = table().render(Layout::wide(34), &pal);
        assert_eq!(lines[2], " 2026-11-13  1,234");
        assert!(lines[4..].join(" ").contains("hid Models, Input (widen"));
        assert_eq!(
            clip_list("sonnet-4-6, opus-4-6, haiku-4-5", 22),
            "sonnet-4-6, +2"
        );
        assert_eq!(
            clip_list("sonnet-4-6, opus-4-6, haiku-4-5", 26),
            "sonnet-4-6, opus-4-6, +1"
        );
        assert_eq!(clip_list("sonnet-4-6, opus-4-6", 8), "sonnet-…");
    }

    #[test]
    fn compact_hides_detail_columns_at_any_width() {
        let pal = Palette::new(false);
        let layout = Layout {
            width: 200,
            compact: true,
        };
        let lines = table().render(layout, &pal);
        assert_eq!(lines[0], " Date        Models                 Total");
        assert!(lines.last().unwrap().contains("hid Input (--compact"));
    }

    /// WCAG contrast of xterm-256 colour `n` (the 6×6×6 cube or the grey ramp) against
    /// white and against black.
    fn contrast(n: u8) -> (f64, f64) {
        const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
        let rgb = match n {
            16..=231 => {
                let i = usize::from(n - 16);
                [LEVELS[i / 36], LEVELS[i / 6 % 6], LEVELS[i % 6]]
            }
            232..=255 => [8 + 10 * (n - 232); 3],
            _ => panic!("a theme colour ({n}) is not fixed"),
        };
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let l = 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]);
        (1.05 / (l + 0.05), (l + 0.05) / 0.05)
    }

    #[test]
    fn colours_read_on_white_and_on_black() {
        let pal = Palette::new(true);
        let mut styles = vec![pal.header, pal.dim, pal.total, pal.warn, pal.accent];
        styles.extend(pal.classes);
        for st in styles {
            let esc = "x".style(st).to_string();
            let codes: Vec<&str> = esc
                .trim_start_matches("\u{1b}[")
                .split('m')
                .next()
                .unwrap()
                .split(';')
                .collect();
            match codes.as_slice() {
                // Bold in the terminal's own foreground.
                ["1"] => {}
                ["38", "5", n] => {
                    let (on_white, on_black) = contrast(n.parse().unwrap());
                    assert!(
                        on_white >= 4.45 && on_black >= 4.45,
                        "{n}: {on_white:.2}/{on_black:.2}"
                    );
                }
                other => panic!("unexpected style {other:?}"),
            }
        }
        assert_eq!(format!("{:.2}", contrast(243).0), "4.54");
        // No escape at all without colour.
        assert_eq!("x".style(Palette::new(false).total).to_string(), "x");
    }
}
