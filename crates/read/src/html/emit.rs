//! Emitting blocks: paragraphs and table grids from the chosen body.

use super::*;

pub(super) struct Reader<'d, 'a, 's> {
    pub(super) dom: &'d Dom<'a>,
    pub(super) excluded: &'d [bool],
    pub(super) cursor: Cursor<'s>,
    pub(super) blocks: Vec<Block>,
    pub(super) tables: u32,
    pub(super) budget: usize,
}

impl<'a> Reader<'_, 'a, '_> {
    /// Emits the paragraphs and tables inside `root`.
    pub(super) fn emit(&mut self, root: usize) {
        let dom = self.dom;
        let end = dom.nodes[root].end;
        let mut acc = Collector::default();
        let mut closes: Vec<usize> = Vec::new();
        let mut k = root + 1;
        while k < end {
            while closes.last().is_some_and(|&e| e <= k) {
                closes.pop();
                self.flush(&mut acc);
            }
            let n = &dom.nodes[k];
            if n.skip || self.excluded[k] {
                k = n.end.max(k + 1);
                continue;
            }
            match (n.el, n.tag) {
                (None, _) => acc.text(n.text),
                (Some(_), Tag::Br) => acc.brk(),
                (Some(_), Tag::Inline | Tag::Link | Tag::Title | Tag::Body) => {}
                (Some(_), Tag::Table) if !dom.is_layout_table(k) => {
                    self.flush(&mut acc);
                    self.table(k);
                    k = n.end.max(k + 1);
                    continue;
                }
                (Some(_), _) => {
                    self.flush(&mut acc);
                    closes.push(n.end);
                }
            }
            k += 1;
        }
        self.flush(&mut acc);
    }

    /// Turns collected lines into paragraphs.
    pub(super) fn flush(&mut self, acc: &mut Collector<'a>) {
        let lines = std::mem::take(acc).finish();
        self.push_lines(&lines);
    }

    pub(super) fn push_lines(&mut self, lines: &[Line<'a>]) {
        if lines.is_empty() {
            return;
        }
        let texts: Vec<String> = lines.iter().map(|l| collapse(&l.raw)).collect();
        for (text, first) in paragraphs(texts) {
            let loc = self.cursor.locate(lines[first].first);
            self.blocks.push(Block::Paragraph(Paragraph { text, loc }));
        }
    }

    /// Reads a data table into a grid (or paragraphs, when it has no grid).
    pub(super) fn table(&mut self, t: usize) {
        let dom = self.dom;
        struct RawCell<'a> {
            text: String,
            first: Option<&'a str>,
            rows: usize,
            cols: usize,
        }
        // Rows in document order with their row group (the parent of the `tr`).
        let mut rows: Vec<(usize, Vec<RawCell<'a>>)> = Vec::new();
        let mut k = t + 1;
        while k < dom.nodes[t].end {
            let n = &dom.nodes[k];
            if n.skip || self.excluded[k] {
                k = n.end.max(k + 1);
                continue;
            }
            match n.tag {
                Tag::Caption => {
                    let lines = dom.lines(k, self.excluded);
                    self.push_lines(&lines);
                    k = n.end.max(k + 1);
                }
                Tag::Row => {
                    let cells = dom
                        .children(k)
                        .filter(|&c| dom.nodes[c].tag == Tag::Cell && !dom.nodes[c].skip)
                        .map(|c| {
                            let el = dom.nodes[c].el;
                            let (text, first) = dom.flat_text(c, Some(self.excluded));
                            RawCell {
                                text,
                                first,
                                rows: span(el.and_then(|e| e.rowspan.as_deref())),
                                cols: span(el.and_then(|e| e.colspan.as_deref())).max(1),
                            }
                        })
                        .collect();
                    rows.push((n.parent, cells));
                    k = n.end.max(k + 1);
                }
                _ => k += 1,
            }
        }

        // Rows left in each row's group, for `rowspan` clamping and `rowspan=0`.
        let mut left = vec![0usize; rows.len()];
        for r in (0..rows.len()).rev() {
            left[r] = 1 + if r + 1 < rows.len() && rows[r + 1].0 == rows[r].0 {
                left[r + 1]
            } else {
                0
            };
        }

        struct Placed<'a> {
            row: usize,
            col: usize,
            rows: usize,
            cols: usize,
            text: String,
            first: Option<&'a str>,
        }
        let mut occupied: Vec<Vec<bool>> = vec![Vec::new(); rows.len()];
        let mut placed: Vec<Placed<'a>> = Vec::new();
        for (r, (_, cells)) in rows.into_iter().enumerate() {
            let mut x = 0usize;
            for cell in cells {
                while occupied[r].get(x).copied().unwrap_or(false) {
                    x += 1;
                }
                if x >= MAX_COLUMNS {
                    break;
                }
                let mut cs = cell.cols.min(MAX_SPAN).min(MAX_COLUMNS - x);
                let mut rs = if cell.rows == 0 {
                    left[r]
                } else {
                    cell.rows.min(MAX_SPAN).min(left[r])
                };
                if rs * cs > self.budget {
                    rs = 1;
                    cs = 1;
                }
                self.budget = self.budget.saturating_sub(rs * cs);
                for row in &mut occupied[r..r + rs] {
                    if row.len() < x + cs {
                        row.resize(x + cs, false);
                    }
                    row[x..x + cs].fill(true);
                }
                let (text, first) = (cell.text, cell.first);
                placed.push(Placed {
                    row: r,
                    col: x,
                    rows: rs,
                    cols: cs,
                    text,
                    first,
                });
                x += cs;
            }
        }

        // No row with two filled cells: not a grid, just boxed text.
        let mut filled = vec![0usize; occupied.len()];
        for p in placed.iter().filter(|p| !p.text.is_empty()) {
            filled[p.row] += 1;
        }
        if filled.iter().all(|&f| f < 2) {
            let lines: Vec<Line<'a>> = placed
                .into_iter()
                .filter(|p| !p.text.is_empty())
                .map(|p| Line {
                    raw: p.text,
                    first: p.first,
                })
                .collect();
            // Each cell is its own paragraph.
            for l in lines {
                self.push_lines(std::slice::from_ref(&l));
            }
            return;
        }

        // Columns split by Word: no filled cell begins there, and a span crosses them.
        let width = occupied.iter().map(Vec::len).max().unwrap_or(0);
        let mut has_text = vec![false; width];
        let mut crossed = vec![false; width];
        for p in &placed {
            if !p.text.is_empty() {
                has_text[p.col] = true;
            }
            for c in &mut crossed[p.col + 1..p.col + p.cols] {
                *c = true;
            }
        }
        self.tables += 1;
        let table = self.tables;
        let mut grid: Vec<Vec<GridCell>> = vec![Vec::new(); occupied.len()];
        for p in placed {
            if p.text.is_empty() && crossed[p.col] && !has_text[p.col] {
                continue;
            }
            let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
            grid[p.row].push(GridCell {
                text: p.text,
                loc: Location::Table {
                    table,
                    row: n(p.row + 1),
                    column: n(p.col + 1),
                },
                row_span: n(p.rows),
                col_span: n(p.cols),
            });
        }
        grid.retain(|r| !r.is_empty());
        self.blocks.push(Block::Table(Table { rows: grid }));
    }
}

/// A `rowspan`/`colspan` value: leading digits, 1 when absent or unreadable (0 stays 0:
/// for `rowspan` it means "to the end of the row group").
pub(super) fn span(value: Option<&str>) -> usize {
    let Some(v) = value else {
        return 1;
    };
    let digits: String = v
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .take(7)
        .collect();
    digits.parse().unwrap_or(1)
}
