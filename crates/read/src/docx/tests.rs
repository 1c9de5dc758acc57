//! Unit tests of the module above.

use super::*;

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>"#;
const TAIL: &str = "</w:body></w:document>";

fn doc(body: &str) -> Document {
    parse(format!("{HEAD}{body}{TAIL}").as_bytes()).unwrap()
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

fn tc(props: &str, text: &str) -> String {
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>", p(text))
}

fn texts(t: &Table) -> Vec<Vec<&str>> {
    t.rows
        .iter()
        .map(|r| r.iter().map(|c| c.text.as_str()).collect())
        .collect()
}

fn only_table(d: &Document) -> &Table {
    let tables: Vec<_> = d.tables().collect();
    assert_eq!(tables.len(), 1, "{d:#?}");
    tables[0]
}

#[test]
fn paragraphs_runs_tabs_breaks_and_entities() {
    let d = doc(concat!(
        r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr>"#,
        r#"<w:r><w:t xml:space="preserve">一、</w:t></w:r><w:r><w:tab/><w:t>总体情况</w:t></w:r></w:p>"#,
        "<w:p/>",
        r#"<w:p><w:r><w:t>红旗区</w:t><w:br/><w:t>2023年报告 A&amp;B</w:t><w:br/><w:t>x</w:t></w:r></w:p>"#,
        r#"<w:p><w:r><w:t>&#x4E00;&lt;</w:t></w:r><w:del><w:r><w:delText>删</w:delText></w:r></w:del>"#,
        r#"<w:r><w:instrText>PAGE</w:instrText></w:r></w:p>"#,
    ));
    let ps: Vec<(&str, Location)> = d.paragraphs().map(|p| (p.text.as_str(), p.loc)).collect();
    assert_eq!(
        ps,
        [
            ("一、 总体情况", Location::Text { line: 1, column: 1 }),
            (
                "红旗区2023年报告 A&B x",
                Location::Text { line: 3, column: 1 }
            ),
            ("一<", Location::Text { line: 4, column: 1 }),
        ]
    );
}

#[test]
fn spans_and_vertical_merges() {
    let row = |cells: &[String]| format!("<w:tr>{}</w:tr>", cells.concat());
    let d = doc(&format!(
        "<w:tbl><w:tblPr/><w:tblGrid/>{}{}{}{}</w:tbl>",
        row(&[
            tc(r#"<w:vMerge w:val="restart"/>"#, "三、本年度办理结果"),
            tc(r#"<w:gridSpan w:val="2"/>"#, "（一）予以公开"),
            tc("", "1"),
        ]),
        row(&[
            tc("<w:vMerge/>", ""),
            tc(r#"<w:vMerge w:val="restart"/>"#, "（三）不予公开"),
            tc("", "1.属于国家秘密"),
            tc("", "2"),
        ]),
        row(&[
            tc(r#"<w:vMerge w:val="continue"/>"#, ""),
            tc("<w:vMerge/>", ""),
            tc("", "2.其他"),
            tc("", "3"),
        ]),
        row(&[tc(r#"<w:gridSpan w:val="3"/>"#, "四、结转"), tc("", "4")]),
    ));
    let t = only_table(&d);
    assert_eq!(
        texts(t),
        [
            vec!["三、本年度办理结果", "（一）予以公开", "1"],
            vec!["（三）不予公开", "1.属于国家秘密", "2"],
            vec!["2.其他", "3"],
            vec!["四、结转", "4"],
        ]
    );
    assert_eq!(t.rows[0][0].row_span, 3);
    assert_eq!(t.rows[0][1].col_span, 2);
    assert_eq!(t.rows[1][0].row_span, 2);
    assert_eq!(
        t.rows[2][1].loc,
        Location::Table {
            table: 1,
            row: 3,
            column: 4
        }
    );
    assert_eq!(t.rows[3][0].col_span, 3);
}

#[test]
fn grid_before_after_and_wrappers() {
    let d = doc(&format!(
        concat!(
            "<w:sdt><w:sdtPr><w:alias w:val=\"x\"/><w:t>no</w:t></w:sdtPr><w:sdtContent>",
            "<w:tbl><w:sdt><w:sdtContent><w:tr><w:trPr><w:gridBefore w:val=\"2\"/>",
            "<w:gridAfter w:val=\"1\"/></w:trPr>",
            "<w:sdt><w:sdtContent>{}</w:sdtContent></w:sdt>{}</w:tr></w:sdtContent></w:sdt>",
            "</w:tbl></w:sdtContent></w:sdt>"
        ),
        tc("", "a"),
        "<w:tc><w:p><w:ins><w:r><w:t>b</w:t></w:r></w:ins><w:smartTag><w:r><w:t>c</w:t></w:r></w:smartTag><w:hyperlink><w:r><w:t>d</w:t></w:r></w:hyperlink></w:p></w:tc>",
    ));
    let t = only_table(&d);
    assert_eq!(texts(t), [vec!["a", "bcd"]]);
    assert_eq!(
        t.rows[0][0].loc,
        Location::Table {
            table: 1,
            row: 1,
            column: 3
        }
    );
}

#[test]
fn nested_tables_and_text_boxes_are_flattened() {
    let d = doc(&format!(
        concat!(
            "<w:tbl><w:tr><w:tc>{}<w:tbl><w:tr>{}{}</w:tr></w:tbl>{}</w:tc>{}</w:tr></w:tbl>",
            "<w:p><w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent>{}</w:txbxContent>",
            "</w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>{}</w:txbxContent></w:pict>",
            "</mc:Fallback></mc:AlternateContent></w:r></w:p>"
        ),
        p("外"),
        tc("<w:gridSpan w:val=\"9\"/>", "内1"),
        tc("", "内2"),
        p("尾"),
        tc("", "7"),
        p("框"),
        p("框"),
    ));
    let t = only_table(&d);
    assert_eq!(texts(t), [vec!["外内1内2尾", "7"]]);
    assert_eq!(t.rows[0][0].col_span, 1);
    let ps: Vec<&str> = d.paragraphs().map(|p| p.text.as_str()).collect();
    assert_eq!(ps, ["框"]);
}

#[test]
fn default_namespace_and_other_prefixes() {
    let xml = r#"<document xmlns="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><body><p><r><t>甲</t></r></p></body></document>"#;
    let d = parse(xml.as_bytes()).unwrap();
    assert_eq!(d.paragraphs().next().unwrap().text, "甲");
    let xml = r#"<x:document xmlns:x="http://purl.oclc.org/ooxml/wordprocessingml/main"><x:body><x:p><x:r><x:t>乙</x:t></x:r></x:p></x:body></x:document>"#;
    let d = parse(xml.as_bytes()).unwrap();
    assert_eq!(d.paragraphs().next().unwrap().text, "乙");
}

#[test]
fn byte_order_marks() {
    let xml = format!("{HEAD}{}{TAIL}", p("甲"));
    let mut utf8 = b"\xEF\xBB\xBF".to_vec();
    utf8.extend(xml.as_bytes());
    let mut utf16 = vec![0xFF, 0xFE];
    for u in xml.replace("UTF-8", "UTF-16").encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    for bytes in [utf8, utf16] {
        let d = parse(&bytes).unwrap();
        assert_eq!(d.paragraphs().next().unwrap().text, "甲");
    }
}

#[test]
fn bad_xml_is_an_error_with_an_offset() {
    for bad in [
        &b"<w:document><w:body><w:p></w:body></w:document>"[..],
        b"<w:document><w:body>",
        b"\xff\xfe<\x00",
    ] {
        match parse(bad) {
            Err(ReadError::Xml { .. }) => {}
            other => panic!("{:?}: {other:?}", String::from_utf8_lossy(bad)),
        }
    }
    assert!(parse(b"").unwrap().blocks.is_empty());
}
