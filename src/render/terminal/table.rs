//! A small width-aware text table: columns with alignment and a priority, rows with a
//! style (normal, dim breakdown, bold totals). When the table is wider than the terminal,
//! the lowest-priority columns are dropped; when stdout is not a terminal nothing is
//! dropped or truncated. Colour comes from a `Palette` that is all no-ops when off, so the
//! output is readable (and identical in layout) without colour.

use owo_colors::{OwoColorize, Style};
use unicode_width_lite::width;

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

/// Colours used by terminal output; every style is a no-op when colour is off.
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    pub header: Style,
    pub dim: Style,
    pub total: Style,
    pub warn: Style,
    pub accent: Style,
}

impl Palette {
    pub fn new(color: bool) -> Self {
        if color {
            Palette {
                header: Style::new().cyan().bold(),
                dim: Style::new().dimmed(),
                total: Style::new().yellow().bold(),
                warn: Style::new().yellow(),
                accent: Style::new().green(),
            }
        } else {
            let n = Style::new();
            Palette {
                header: n,
                dim: n,
                total: n,
                warn: n,
                accent: n,
            }
        }
    }
}

pub struct Column {
    pub title: &'static str,
    pub align: Align,
    /// Lower numbers are dropped first when space is short; 255 is never dropped.
    pub priority: u8,
}

impl Column {
    pub const fn new(title: &'static str, align: Align, priority: u8) -> Self {
        Column {
            title,
            align,
            priority,
        }
    }
}

pub enum Row {
    Cells(RowStyle, Vec<String>),
    Rule,
}

pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

impl Table {
    /// Renders to lines; `max_width` None means no limit.
    pub fn render(&self, max_width: Option<usize>, pal: &Palette) -> Vec<String> {
        let n = self.columns.len();
        let mut widths: Vec<usize> = self.columns.iter().map(|c| width(c.title)).collect();
        for r in &self.rows {
            if let Row::Cells(_, cells) = r {
                for (i, c) in cells.iter().enumerate().take(n) {
                    widths[i] = widths[i].max(width(c));
                }
            }
        }
        let mut keep: Vec<bool> = vec![true; n];
        if let Some(max) = max_width {
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by_key(|&i| self.columns[i].priority);
            for i in order {
                let total: usize = (0..n).filter(|&j| keep[j]).map(|j| widths[j] + 2).sum();
                if total <= max || self.columns[i].priority == 255 {
                    break;
                }
                keep[i] = false;
            }
        }
        let cols: Vec<usize> = (0..n).filter(|&i| keep[i]).collect();
        let mut out = Vec::new();
        let header: Vec<String> = cols
            .iter()
            .map(|&i| pad(self.columns[i].title, widths[i], self.columns[i].align))
            .collect();
        out.push(format!(" {}", header.join("  ").style(pal.header)));
        out.push(rule(&cols, &widths, pal));
        for r in &self.rows {
            match r {
                Row::Rule => out.push(rule(&cols, &widths, pal)),
                Row::Cells(style, cells) => {
                    let text: Vec<String> = cols
                        .iter()
                        .map(|&i| {
                            pad(
                                cells.get(i).map_or("", String::as_str),
                                widths[i],
                                self.columns[i].align,
                            )
                        })
                        .collect();
                    let line = text.join("  ").trim_end().to_string();
                    let styled = match style {
                        RowStyle::Normal => line,
                        RowStyle::Breakdown => line.style(pal.dim).to_string(),
                        RowStyle::Total => line.style(pal.total).to_string(),
                    };
                    out.push(format!(" {}", styled.trim_end()));
                }
            }
        }
        out
    }
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

/// Display width without a dependency: counts chars, wide East Asian chars as 2.
mod unicode_width_lite {
    pub fn width(s: &str) -> usize {
        s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
    }

    fn is_wide(c: char) -> bool {
        matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1FAFF | 0x20000..=0x3FFFD)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            columns: vec![
                Column {
                    title: "Date",
                    align: Align::Left,
                    priority: 255,
                },
                Column {
                    title: "Models",
                    align: Align::Left,
                    priority: 1,
                },
                Column {
                    title: "Total",
                    align: Align::Right,
                    priority: 200,
                },
            ],
            rows: vec![Row::Cells(
                RowStyle::Normal,
                vec![
                    "2026-11-13".into(),
                    "sonnet-4-6, haiku-4-5".into(),
                    "1,234".into(),
                ],
            )],
        }
    }

    #[test]
    fn aligns_and_drops_low_priority_columns_when_narrow() {
        let pal = Palette::new(false);
        let wide = table().render(None, &pal);
        assert_eq!(wide[0], " Date        Models                 Total");
        assert_eq!(wide[2], " 2026-11-13  sonnet-4-6, haiku-4-5  1,234");
        let narrow = table().render(Some(25), &pal);
        assert_eq!(narrow[2], " 2026-11-13  1,234");
    }
}
