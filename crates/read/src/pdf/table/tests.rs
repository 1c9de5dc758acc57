//! Unit tests of the module above.

use super::*;
use crate::pdf::page::Line;

fn ch(c: char, x: f32, y: f32) -> Char {
    Char {
        ch: c,
        x0: x,
        x1: x + 10.0,
        top: y,
        bottom: y + 10.0,
        size: 10.0,
    }
}

fn hline(y: f32, x0: f32, x1: f32) -> Line {
    Line {
        x0,
        top: y,
        x1,
        bottom: y,
    }
}

fn vline(x: f32, y0: f32, y1: f32) -> Line {
    Line {
        x0: x,
        top: y0,
        x1: x,
        bottom: y1,
    }
}

fn raw(cells: &[(usize, usize, usize, usize, &str)], rows: usize, page: u32) -> RawTable {
    RawTable {
        xs: vec![0.0, 40.0, 200.0, 240.0],
        rows,
        cells: cells
            .iter()
            .map(|&(r0, r1, c0, c1, text)| RawCell {
                r0,
                r1,
                c0,
                c1,
                text: text.into(),
                page,
                bbox: [0.0, 0.0, 1.0, 1.0],
            })
            .collect(),
        last_page: page,
        last_bottom: 800.0,
        first_page: page,
        top: 50.0,
        x0: 0.0,
        x1: 240.0,
    }
}

fn texts(t: &RawTable) -> Vec<(usize, usize, &str)> {
    t.cells
        .iter()
        .map(|c| (c.r0, c.r1, c.text.as_str()))
        .collect()
}

#[test]
fn join_puts_cut_cells_and_rows_back_together() {
    // The page break cuts the group label and the row `2.没有现成信息需要另行制作`.
    let mut a = raw(
        &[
            (0, 2, 0, 1, "（四）无"),
            (0, 1, 1, 2, "1.本机关不掌握相关政府信息"),
            (0, 1, 2, 3, "5"),
            (1, 2, 1, 2, "2.没有现成信息需要"),
            (1, 2, 2, 3, "3"),
        ],
        2,
        1,
    );
    let b = raw(
        &[
            (0, 2, 0, 1, "法提供"),
            (0, 1, 1, 2, "另行制作"),
            (0, 1, 2, 3, ""),
            (1, 2, 1, 2, "3.补正后申请内容仍不明确"),
            (1, 2, 2, 3, "7"),
        ],
        2,
        2,
    );
    assert!(continues(&a, &b));
    join(&mut a, b);
    assert_eq!(a.rows, 3);
    assert_eq!(
        texts(&a),
        vec![
            (0, 3, "（四）无法提供"),
            (0, 1, "1.本机关不掌握相关政府信息"),
            (0, 1, "5"),
            (1, 2, "2.没有现成信息需要另行制作"),
            (1, 2, "3"),
            (2, 3, "3.补正后申请内容仍不明确"),
            (2, 3, "7"),
        ]
    );
}

#[test]
fn join_keeps_whole_rows_apart() {
    // A clean break between rows: only the spanning group label is joined; a blank
    // value at the top of the page stays a blank of its own row.
    let mut a = raw(
        &[
            (0, 1, 0, 1, "（四）无"),
            (0, 1, 1, 2, "1.本机关不掌握相关政府信息"),
            (0, 1, 2, 3, "5"),
        ],
        1,
        1,
    );
    let b = raw(
        &[
            (0, 2, 0, 1, "法提供"),
            (0, 1, 1, 2, "2.没有现成信息需要另行制作"),
            (0, 1, 2, 3, ""),
            (1, 2, 1, 2, "3.补正后申请内容仍不明确"),
            (1, 2, 2, 3, "7"),
        ],
        2,
        2,
    );
    join(&mut a, b);
    assert_eq!(a.rows, 3);
    assert_eq!(
        texts(&a),
        vec![
            (0, 3, "（四）无法提供"),
            (0, 1, "1.本机关不掌握相关政府信息"),
            (0, 1, "5"),
            (1, 2, "2.没有现成信息需要另行制作"),
            (1, 2, ""),
            (2, 3, "3.补正后申请内容仍不明确"),
            (2, 3, "7"),
        ]
    );
    // A new group at the top of the next page is not glued to the one above.
    let mut a = raw(
        &[
            (0, 2, 0, 1, "（三）不予公开"),
            (1, 2, 1, 2, "8.属于行政查询事项"),
        ],
        2,
        1,
    );
    let b = raw(
        &[(0, 3, 0, 1, "（四）无法提供"), (0, 1, 1, 2, "1.本机关")],
        3,
        2,
    );
    join(&mut a, b);
    assert!(
        a.cells
            .iter()
            .any(|c| c.text == "（四）无法提供" && c.r0 == 2)
    );
}

#[test]
fn repeated_header_rows_are_dropped() {
    let mut a = raw(
        &[
            (0, 1, 0, 3, "申请人情况"),
            (1, 2, 0, 2, "1.属于国家秘密"),
            (1, 2, 2, 3, "4"),
        ],
        2,
        1,
    );
    let b = raw(
        &[
            (0, 1, 0, 3, "申请人情况"),
            (1, 2, 0, 2, "2.其他法律行政法规禁止公开"),
            (1, 2, 2, 3, "5"),
        ],
        2,
        2,
    );
    join(&mut a, b);
    assert_eq!(a.rows, 3);
    assert_eq!(
        texts(&a),
        vec![
            (0, 1, "申请人情况"),
            (1, 2, "1.属于国家秘密"),
            (1, 2, "4"),
            (2, 3, "2.其他法律行政法规禁止公开"),
            (2, 3, "5"),
        ]
    );
}

#[test]
fn numbering() {
    assert!(starts_numbered("（四）无法提供"));
    assert!(starts_numbered("2.没有现成信息"));
    assert!(starts_numbered("四、结转下年度继续办理"));
    assert!(!starts_numbered("法提供"));
    assert!(!starts_numbered("12"));
    assert!(!starts_numbered(""));
}

#[test]
fn vertical_label_and_spans() {
    // Two columns; the left cell spans both rows and holds a label printed one
    // character per line; the right column has two cells with numbers printed as two
    // separate runs each.
    let page = Page {
        number: 1,
        width: 600.0,
        height: 800.0,
        chars: vec![
            ch('三', 5.0, 5.0),
            ch('、', 5.0, 20.0),
            ch('办', 5.0, 35.0),
            ch('1', 55.0, 10.0),
            ch('2', 65.0, 10.0),
            ch('3', 55.0, 30.0),
        ],
        lines: vec![
            hline(0.0, 0.0, 100.0),
            hline(25.0, 50.0, 100.0),
            hline(50.0, 0.0, 100.0),
            vline(0.0, 0.0, 50.0),
            vline(50.0, 0.0, 50.0),
            vline(100.0, 0.0, 50.0),
        ],
        ..Page::default()
    };
    let (tables, taken) = find(&page);
    assert!(taken.iter().all(|t| *t));
    let t = &tables[0];
    assert_eq!(t.rows, 2);
    let cells: Vec<(usize, usize, usize, usize, &str)> = t
        .cells
        .iter()
        .map(|c| (c.r0, c.r1, c.c0, c.c1, c.text.as_str()))
        .collect();
    assert_eq!(
        cells,
        vec![
            (0, 2, 0, 1, "三、办"),
            (0, 1, 1, 2, "12"),
            (1, 2, 1, 2, "3")
        ]
    );
}
