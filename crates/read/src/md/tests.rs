//! Unit tests of the Markdown reader.

use gongkai_report::{Document, Location, Table};

use super::inline::inline;
use super::*;

fn texts(t: &Table) -> Vec<Vec<&str>> {
    t.rows
        .iter()
        .map(|r| r.iter().map(|c| c.text.as_str()).collect())
        .collect()
}

fn paras(d: &Document) -> Vec<&str> {
    d.paragraphs().map(|p| p.text.as_str()).collect()
}

fn render(s: &str) -> String {
    inline(s)
        .into_iter()
        .map(|p| p.text)
        .collect::<Vec<_>>()
        .join("|")
}

#[test]
fn junk_header_keeps_all_cells() {
    let d = read("| | | |\n|---|---|---|\n| 一、本年新收 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 |\n");
    let t: Vec<_> = d.tables().collect();
    assert_eq!(t.len(), 1);
    assert_eq!(
        texts(t[0]),
        [vec!["一、本年新收", "1", "2", "3", "4", "5", "6", "7", "8"]]
    );
    assert_eq!(
        t[0].rows[0][1].loc,
        Location::Text {
            line: 3,
            column: 12
        }
    );
}

#[test]
fn escaped_pipes_alignment_and_gfm_without_edges() {
    let d = read("a \\| b | c\n:---|---:\n1 | `x|y`\n\n|一|二|\n|:-:|-|\n|三||\n");
    let t: Vec<_> = d.tables().collect();
    assert_eq!(t.len(), 2);
    assert_eq!(texts(t[0]), [vec!["a | b", "c"], vec!["1", "`x", "y`"]]);
    assert_eq!(texts(t[1]), [vec!["一", "二"], vec!["三", ""]]);
}

#[test]
fn split_tables_and_headings() {
    let d = read(
        "# 某镇2023年政府信息公开工作年度报告\n\n## 一、总体情况 ##\n本年度，我镇\n做了工作。\n\
         （一）主动公开\n\n| 规章 | 0 |\n\n| 行政许可 | 5 |\n",
    );
    assert_eq!(
        paras(&d),
        [
            "某镇2023年政府信息公开工作年度报告",
            "一、总体情况",
            "本年度，我镇做了工作。",
            "（一）主动公开"
        ]
    );
    assert_eq!(d.tables().count(), 2);
    let locs: Vec<Location> = d.paragraphs().map(|p| p.loc).collect();
    assert_eq!(locs[1], Location::Text { line: 3, column: 4 });
    assert_eq!(locs[3], Location::Text { line: 6, column: 1 });
}

#[test]
fn inline_markup() {
    assert_eq!(render("**一、总体情况**"), "一、总体情况");
    assert_eq!(render("[附件](http://x/a.pdf) ![图](i.png)"), "附件 ");
    assert_eq!(
        render("1\\. 属于&nbsp;国家秘密&#x4E00;"),
        "1. 属于\u{a0}国家秘密一"
    );
    assert_eq!(
        render("三、<br>本年度<br/>办理结果"),
        "三、|本年度|办理结果"
    );
    assert_eq!(
        render("<span style='x'>a</span> <!-- c --> snake_case"),
        "a  snake_case"
    );
    assert_eq!(render("a < b & c [d] ~e"), "a < b & c [d] ~e");
    assert_eq!(render("<http://gov.cn>"), "http://gov.cn");
}

#[test]
fn cells_join_breaks() {
    let d = read("| 三、<br>本年度<br>办理结果 | **0** |\n");
    assert_eq!(
        texts(d.tables().next().unwrap()),
        [vec!["三、本年度办理结果", "0"]]
    );
}

#[test]
fn lists_quotes_and_rules() {
    let d =
        read("- 第一项\n- 第二项\n\n1. 属于国家秘密\n2. 其他\n\n> 引用\n---\n***\n[a]: http://x\n");
    assert_eq!(
        paras(&d),
        ["第一项", "第二项", "1. 属于国家秘密", "2. 其他", "引用"]
    );
}

#[test]
fn html_table_block() {
    let d = read(
        "# 标题\n\n<table>\n<tr><td rowspan=2>三</td><td>1</td></tr>\n<tr><td>2</td></tr>\n</table>\n\n后文\n",
    );
    let t: Vec<_> = d.tables().collect();
    assert_eq!(texts(t[0]), [vec!["三", "1"], vec!["2"]]);
    assert_eq!(paras(&d), ["标题", "后文"]);
}

#[test]
fn detection() {
    assert!(looks_like_markdown("# a\n\n## b\n".as_bytes()));
    assert!(looks_like_markdown("x\n| a | b |\n|---|---|\n".as_bytes()));
    assert!(looks_like_markdown("a | b\n--- | ---\n".as_bytes()));
    assert!(!looks_like_markdown("# only one\ntext\n".as_bytes()));
    assert!(!looks_like_markdown(
        "a\tb\tc\n| a | b |\n|---|---|\nx\ty\tz\n1\t2\t3\n".as_bytes()
    ));
    assert!(!looks_like_markdown("---\n".as_bytes()));
    assert!(!looks_like_markdown("#hashtag\n#another\n".as_bytes()));
}

#[test]
fn pathological_inline_is_bounded() {
    let s = "[".repeat(20_000) + &"`".repeat(10_000) + &"<a".repeat(10_000);
    let d = read(&s);
    assert_eq!(d.paragraphs().count(), 1);
}

#[test]
fn placeholder_headers_are_empty() {
    // pymupdf4llm invents `ColN` for a header row it needs; others write `数据N`.
    let d = read(
        "|二、主动公开政府信息情况|Col2|Col3|\n|---|---|---|\n|规章|1|Col2|\n\n|数据1|数据2|\n|---|---|\n|Col1|2|\n",
    );
    let t: Vec<_> = d.tables().collect();
    assert_eq!(
        texts(t[0]),
        [
            vec!["二、主动公开政府信息情况", "", ""],
            vec!["规章", "1", "Col2"]
        ]
    );
    // The junk header row is dropped; a body row keeps its text.
    assert_eq!(texts(t[1]), [vec!["Col1", "2"]]);
    assert!(is_placeholder("Col12") && is_placeholder("数据6") && is_placeholder("Column3"));
    assert!(!is_placeholder("Col") && !is_placeholder("数据") && !is_placeholder("数据内容"));
}

#[test]
fn numbers_run_together_are_split() {
    // markitdown (pdfminer) puts neighbouring columns in one cell.
    let d = read("| 一、本年新收 |  | 1144 1069 | 1265 | 920 6861 |\n| 2.其他 7 | 1 件 2 |\n");
    let t: Vec<_> = d.tables().collect();
    assert_eq!(
        texts(t[0]),
        [
            vec!["一、本年新收", "", "1144", "1069", "1265", "920", "6861"],
            vec!["2.其他 7", "1 件 2"]
        ]
    );
    let cols: Vec<Location> = t[0].rows[0][2..4].iter().map(|c| c.loc).collect();
    assert_eq!(
        cols,
        [
            Location::Text {
                line: 1,
                column: 15
            },
            Location::Text {
                line: 1,
                column: 20
            }
        ]
    );
    assert_eq!(run_of_numbers("1 2.5"), Some(vec!["1", "2.5"]));
    assert_eq!(run_of_numbers("12"), None);
    assert_eq!(run_of_numbers("1 2."), None);
}

#[test]
fn doubled_headings_taken_once() {
    let d = read("三三、、收收到到和和处处理理\n\n三三、、\n\n谢谢谢谢谢谢谢谢\n");
    assert_eq!(
        paras(&d),
        ["三、收到和处理", "三三、、", "谢谢谢谢谢谢谢谢"]
    );
}

#[test]
fn running_text_in_a_header_row_is_a_paragraph() {
    // pymupdf4llm took the paragraph line above the table as its header row.
    let d = read(
        "|范、内容准确，杜绝失密泄密事件发生；三是结合实际镇情，通过政府信息公开栏公开信息|Col2|Col3|\n\
         |---|---|---|\n|二、主动公开政府信息情况|二、主动公开政府信息情况|二、主动公开政府信息情况|\n\
         |规章|1|2|\n\n|（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）|Col2|\n|---|---|\n|一、本年新收|3|\n",
    );
    assert_eq!(
        paras(&d),
        ["范、内容准确，杜绝失密泄密事件发生；三是结合实际镇情，通过政府信息公开栏公开信息"]
    );
    let t: Vec<_> = d.tables().collect();
    assert_eq!(t[0].rows.len(), 2);
    assert_eq!(t[0].rows[0][0].text, "二、主动公开政府信息情况");
    // A header of the table's own (a note, no sentence end) stays.
    assert_eq!(t[1].rows.len(), 2);
}
