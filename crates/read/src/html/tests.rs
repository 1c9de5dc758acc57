use super::*;

fn doc(html: &str) -> Document {
    read_str(html)
}

fn texts(t: &Table) -> Vec<Vec<&str>> {
    t.rows
        .iter()
        .map(|r| r.iter().map(|c| c.text.as_str()).collect())
        .collect()
}

fn only_table(d: &Document) -> &Table {
    let t: Vec<_> = d.tables().collect();
    assert_eq!(t.len(), 1, "{d:#?}");
    t[0]
}

fn paras(d: &Document) -> Vec<&str> {
    d.paragraphs().map(|p| p.text.as_str()).collect()
}

#[test]
fn spans_expand_into_origin_cells() {
    let d = doc("<table>\
        <tr><td rowspan=2 colspan=2>角</td><td colspan=2>申请人</td></tr>\
        <tr><td>甲</td><td>乙</td></tr>\
        <tr><td rowspan=3>三、结果</td><td>（一）</td><td>1</td><td>2</td></tr>\
        <tr><td>（二）</td><td>3</td><td>4</td></tr>\
        <tr><td>（三）</td><td>&nbsp;</td><td>6</td></tr>\
        </table>");
    let t = only_table(&d);
    assert_eq!(
        texts(t),
        [
            vec!["角", "申请人"],
            vec!["甲", "乙"],
            vec!["三、结果", "（一）", "1", "2"],
            vec!["（二）", "3", "4"],
            vec!["（三）", "", "6"],
        ]
    );
    assert_eq!((t.rows[0][0].row_span, t.rows[0][0].col_span), (2, 2));
    assert_eq!(t.rows[2][0].row_span, 3);
    assert_eq!(
        t.rows[3][1].loc,
        Location::Table {
            table: 1,
            row: 4,
            column: 3
        }
    );
    assert_eq!(
        t.rows[1][0].loc,
        Location::Table {
            table: 1,
            row: 2,
            column: 3
        }
    );
}

#[test]
fn absurd_spans_are_clamped() {
    let d = doc("<table><tbody>\
        <tr><td rowspan=0>a</td><td colspan=99999999>b</td></tr>\
        <tr><td>c</td></tr></tbody>\
        <tbody><tr><td>d</td><td rowspan=5000>e</td></tr></tbody></table>");
    let t = only_table(&d);
    assert_eq!(texts(t), [vec!["a", "b"], vec!["c"], vec!["d", "e"]]);
    assert_eq!(
        t.rows[0][0].row_span, 2,
        "rowspan=0 runs to the end of its group"
    );
    assert_eq!(t.rows[0][1].col_span, 999);
    assert_eq!(t.rows[2][1].row_span, 1, "clamped to its row group");
    assert_eq!(
        t.rows[1][0].loc,
        Location::Table {
            table: 1,
            row: 2,
            column: 2
        }
    );
    let d = doc(
        "<table><tr><td colspan=0>x</td><td colspan=abc>y</td><td rowspan=-3>z</td></tr></table>",
    );
    assert_eq!(texts(only_table(&d)), [vec!["x", "y", "z"]]);
}

#[test]
fn word_cells_join_and_blank() {
    let d = doc("<table><tr>\
        <td><p class=MsoNormal><span lang=EN-US>三</span><br>、<br>本年度<o:p></o:p></p><p>办理结果</p></td>\
        <td><p class=MsoNormal><span lang=EN-US>&nbsp;<o:p></o:p></span></p></td>\
        <td><p><span>1</span><span>2</span></p></td>\
        <td><o:p></o:p></td>\
        <td>Total\r\n count</td></tr></table>");
    assert_eq!(
        texts(only_table(&d)),
        [vec!["三、本年度办理结果", "", "12", "", "Total count"]]
    );
}

#[test]
fn split_column_is_dropped_but_blank_columns_stay() {
    // 自然人 is split in two grid columns: the header spans both, one data row has a
    // stray empty cell in the second.
    let d = doc("<table>\
        <tr><td>名</td><td colspan=2>自然人</td><td>企业</td></tr>\
        <tr><td>新收</td><td>1</td><td>&nbsp;</td><td>2</td></tr>\
        <tr><td>结转</td><td colspan=2>3</td><td></td></tr>\
        </table>");
    assert_eq!(
        texts(only_table(&d)),
        [
            vec!["名", "自然人", "企业"],
            vec!["新收", "1", "2"],
            vec!["结转", "3", ""]
        ]
    );
    // A column that is blank all the way down, with no span across it, is data.
    let d = doc("<table><tr><td>新收</td><td>1</td><td></td><td>2</td></tr>\
        <tr><td>结转</td><td>3</td><td></td><td>4</td></tr></table>");
    assert_eq!(
        texts(only_table(&d)),
        [vec!["新收", "1", "", "2"], vec!["结转", "3", "", "4"]]
    );
}

#[test]
fn paragraphs_from_blocks_and_soft_breaks() {
    let d = doc(
        "<div>XX镇2023年政府信息公开<br>工作年度报告<br>一、总体情况<br>\
        本年度，我镇做了很多\r\n工作。<br>二、主动公开政府信息情况</div>\
        <p><span>（一）</span><font>主动</font><b>公开</b></p><h2>三、收到和处理政府信息公开申请情况</h2>\
        <ul><li>第一项</li><li>第二项</li></ul>",
    );
    assert_eq!(
        paras(&d),
        [
            "XX镇2023年政府信息公开工作年度报告",
            "一、总体情况",
            "本年度，我镇做了很多工作。",
            "二、主动公开政府信息情况",
            "（一）主动公开",
            "三、收到和处理政府信息公开申请情况",
            "第一项",
            "第二项",
        ]
    );
}

#[test]
fn chrome_is_dropped_and_title_recovered() {
    let body: String = (0..30)
        .map(|i| format!("<p>第{i}段：本机关依法依规做好政府信息公开工作，进一步提升质量。</p>"))
        .collect();
    let html = format!(
        "<html><head><title>某县2023年政府信息公开工作年度报告_某县人民政府</title>\
         <script>var a = '<p>x</p>';</script><style>p{{}}</style></head><body>\
         <div class=header><a href=/>首页</a><a href=/a>政务公开</a><a href=/b>互动</a></div>\
         <ul class=nav><li><a href=1>机构</a></li><li><a href=2>政策</a></li></ul>\
         <div class=crumb>当前位置：首页 &gt; 政务公开</div>\
         <div class=main><h1 class=title>某县2023年政府信息公开工作年度报告</h1>\
         <div class=info>发布时间：2024-01-20</div>\
         <div id=zoom class=TRS_Editor><p>一、总体情况</p>{body}</div></div>\
         <div class=footer>主办单位：某县人民政府 版权所有</div></body></html>"
    );
    let d = doc(&html);
    let p = paras(&d);
    assert_eq!(p[0], "某县2023年政府信息公开工作年度报告");
    assert_eq!(p[1], "一、总体情况");
    assert_eq!(p.len(), 32, "{p:#?}");
    assert!(!p.iter().any(|t| t.contains("首页") || t.contains("主办")));
}

#[test]
fn title_from_head_when_none_in_page() {
    let body: String = (0..10)
        .map(|i| format!("<p>第{i}段内容，本机关依法依规做好政府信息公开工作。</p>"))
        .collect();
    let html = format!(
        "<html><head><title>某局2023年政府信息公开工作年度报告 - 某市人民政府</title></head>\
         <body><div>{body}</div></body></html>"
    );
    assert_eq!(paras(&doc(&html))[0], "某局2023年政府信息公开工作年度报告");
    // A body title that says less (no agency) does not replace the page's.
    let html = format!(
        "<html><head><title>某县人民政府2023年政府信息公开工作年度报告</title></head>\
         <body><div><h1>2023年政府信息公开工作年度报告</h1>{body}</div></body></html>"
    );
    let d = doc(&html);
    assert_eq!(
        paras(&d)[..2],
        [
            "某县人民政府2023年政府信息公开工作年度报告",
            "2023年政府信息公开工作年度报告"
        ]
    );
    // One that says as much does.
    let html = format!(
        "<html><head><title>某县人民政府2023年政府信息公开工作年度报告</title></head>\
         <body><div><h1>某县人民政府 2023年政府信息公开工作年度报告</h1>{body}</div></body></html>"
    );
    assert_eq!(
        paras(&doc(&html))[..2],
        [
            "某县人民政府 2023年政府信息公开工作年度报告",
            "第0段内容，本机关依法依规做好政府信息公开工作。"
        ]
    );
}

#[test]
fn many_soft_breaks_stay_linear() {
    let line = "本机关依法依规做好政府信息公开工作<br>";
    let d = doc(&format!("<div>{}</div>", line.repeat(20_000)));
    assert_eq!(d.paragraphs().count(), 1);
}

#[test]
fn layout_tables_are_containers() {
    let html = "<table><tr><td><a href=1>首页</a></td></tr><tr><td>\
        <p>一、总体情况</p><table><tr><td>规章</td><td>1</td><td>2</td></tr></table>\
        </td></tr></table>";
    let d = doc(html);
    // The link row above the article is page chrome: the body is the inner cell.
    assert_eq!(paras(&d), ["一、总体情况"]);
    assert_eq!(texts(only_table(&d)), [vec!["规章", "1", "2"]]);
    // A one-column table is boxed text.
    let d = doc("<table><tr><td>某镇人民政府</td></tr><tr><td>2024年1月17日</td></tr></table>");
    assert_eq!(d.tables().count(), 0);
    assert_eq!(paras(&d), ["某镇人民政府", "2024年1月17日"]);
}

#[test]
fn paragraph_locations_are_source_positions_and_distinct() {
    let src = "<html><body>\n<p>一、总体情况</p>\n<p>正文。</p><p>正文。</p>\n</body></html>";
    let d = doc(src);
    let locs: Vec<Location> = d.paragraphs().map(|p| p.loc).collect();
    assert_eq!(
        locs,
        [
            Location::Text { line: 2, column: 4 },
            Location::Text { line: 3, column: 4 },
            Location::Text {
                line: 3,
                column: 14
            },
        ]
    );
    // Text written with character references cannot be found; still distinct.
    let d = doc("<p>&#19968;</p><p>&#19968;</p>");
    let locs: Vec<Location> = d.paragraphs().map(|p| p.loc).collect();
    assert_eq!(locs.len(), 2);
    assert_ne!(locs[0], locs[1]);
}

#[test]
fn hidden_and_scripts_are_ignored() {
    let d = doc(
        "<p>可见<span style='display: none'>隐藏</span><script>x()</script></p>\
                 <p hidden>不见</p><noscript>无脚本</noscript>",
    );
    assert_eq!(paras(&d), ["可见"]);
    assert!(style_hides("color:red; DISPLAY : None"));
    assert!(style_hides("display:none;mso-hide:all"));
    assert!(!style_hides(
        "border-top:none;mso-border-top-alt:solid windowtext .5pt"
    ));
    assert!(!style_hides("display:block"));
}

#[test]
fn detection() {
    for s in [
        "<!DOCTYPE html><html>",
        "\u{feff}<html>",
        "  <!-- x --> <meta charset=gbk>",
        "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">",
        "<TABLE border=1><tr><td>1</td></tr></TABLE>",
        "<p>一、总体情况</p>\n<p>二、主动公开政府信息情况</p>",
        "<div class=x>\n<p>a</p>\n</div>",
    ] {
        assert!(looks_like_html(s.as_bytes()), "{s}");
    }
    // Plain text with a stray tag at the top (copied out of a page) is not HTML.
    for s in [
        "<script>var a = 1;</script>\n某局2023年政府信息公开工作年度报告\n一、总体情况\n本年度……\n二、主动公开政府信息情况\n",
        "<table>\n一、总体情况\n2023年，我局……\n二、主动公开政府信息情况\n规章\t0\t0\t0\n",
        "<TABLE border=1>",
    ] {
        assert!(!looks_like_html(s.as_bytes()), "{s}");
    }
    for s in [
        "一、总体情况\n<p>",
        "| a | b |",
        "<pre",
        "<!-- never closed",
        "<",
    ] {
        assert!(!looks_like_html(s.as_bytes()), "{s}");
    }
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "<html><body>".encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    assert!(looks_like_html(&utf16));
}

#[test]
fn inert_content_is_stripped_before_parsing() {
    let page = "<html><head><STYLE type=text/css>p{x:1}</style><script>var a = '<p>假</p>';</Script ></head>\n<body><!--[if gte mso 9]><xml><w:x/></xml><![endif]--><p>一、总体情况</p><!-- 未闭合";
    assert_eq!(
        prepare(page),
        "<html><head><STYLE></style><script></Script></head>\n<body><p>一、总体情况</p>"
    );
    // Styling spans go; a hiding one stays with its end tag.
    assert_eq!(
        prepare(
            "<p><span style='font-family:宋体;a:\"x>y\"'>2023</span><SPAN\r\nlang=EN-US>年</SPAN><o:p></o:p></p>"
        ),
        "<p>2023年</p>"
    );
    assert_eq!(
        prepare("<p><span style=\"display:none\">隐</span>显</p>"),
        "<p><span style=\"display:none\">隐</span>显</p>"
    );
    assert_eq!(
        prepare("<p><spanner>x</spanner></p>"),
        "<p><spanner>x</spanner></p>"
    );
    assert_eq!(prepare("<p>无脚本</p>"), "<p>无脚本</p>");
    // `<scripts>` is not a script; an unterminated script runs to the end.
    assert_eq!(prepare("<scripts>x</scripts>"), "<scripts>x</scripts>");
    assert_eq!(prepare("<p>a</p><script>x"), "<p>a</p><script>");
    assert_eq!(
        prepare("<script>a</scripts>b</script>c"),
        "<script></script>c"
    );
    let doc = read_str(page);
    assert_eq!(doc.blocks.len(), 1, "{doc:?}");
}

#[test]
fn unread_attributes_are_dropped_before_parsing() {
    // Only id, class, rowspan, colspan, hidden and a hiding style stay.
    assert_eq!(
        prepare(
            "<td width=52 valign=top style='width:39.0pt;border:none' ROWSPAN=\"2\" class=main>1</td foo=\">\">"
        ),
        "<td ROWSPAN=\"2\" class=main>1</td>"
    );
    assert_eq!(
        prepare("<p style=\"display: none\" align=center>a</p><div hidden id = 'nav'>b</div>"),
        "<p style=\"display: none\">a</p><div hidden id = 'nav'>b</div>"
    );
    assert_eq!(
        prepare("<p style=\"display&#58;none\">a</p>"),
        "<p style=\"display&#58;none\">a</p>"
    );
    // An id or class that names nothing the reader looks for goes, and so do repeats
    // (the tokenizer keeps the first); one written with references stays.
    assert_eq!(
        prepare("<p class=MsoNormal id=x2 class=header>a</p><p class=\"&#104;eader\">b</p>"),
        "<p>a</p><p class=\"&#104;eader\">b</p>"
    );
    assert_eq!(
        prepare("<div CLASS='TRS_Editor' ID=\"main-2\">c</div>"),
        "<div CLASS='TRS_Editor' ID=\"main-2\">c</div>"
    );
    // Quoted `>` and `/`, self-closing flags and values ending in a slash.
    assert_eq!(
        prepare("<img src=\"a>b\" alt=x/><br class=top/><br/><a href='/x/' id=zoom>y</a>"),
        "<img><br class=top/><br/><a id=zoom>y</a>"
    );
    // Raw text is copied as it is; not tags, comments and an unclosed tag stay.
    assert_eq!(
        prepare("<title>报告<span x>_网</span></title>a < b <!-->c<!DOCTYPE html><?x?>"),
        "<title>报告<span x>_网</span></title>a < b c<!DOCTYPE html><?x?>"
    );
    assert_eq!(prepare("<p>a</p><td x=\">"), "<p>a</p><td x=\">");
    // The same document either way.
    let page = "<table border=1 width=600><tr><td width=99 style='x:y' rowspan=2>一</td><td>1</td></tr><tr><td colspan=\"1\">2</td></tr></table>";
    assert_eq!(
        format!("{:?}", read_str(page)),
        format!("{:?}", read_str(&prepare(page)))
    );
}

#[test]
fn charsets() {
    let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><p>年度报告</p></body></html>";
    let (gbk, _, _) = encoding_rs::GBK.encode(page);
    assert!(decode(&gbk).unwrap().contains("年度报告"));
    // Labelled GB2312 but really UTF-8.
    assert!(decode(page.as_bytes()).unwrap().contains("年度报告"));
    // No label at all: detected.
    let bare = "<html><body><p>政府信息公开工作年度报告，本年度收到申请三件。</p></body></html>";
    let (gbk, _, _) = encoding_rs::GBK.encode(bare);
    assert!(decode(&gbk).unwrap().contains("年度报告"));
    // Labelled UTF-8 but GBK bytes.
    let lying = format!("<meta charset=\"utf-8\">{bare}");
    let (gbk, _, _) = encoding_rs::GBK.encode(&lying);
    assert!(decode(&gbk).unwrap().contains("年度报告"));
    assert!(matches!(decode(b"  \n"), Err(ReadError::Empty)));
    assert_eq!(declared_charset(b"<META CHARSET='utf-16'>"), Some(UTF_8));
    assert_eq!(
        declared_charset(b"<meta content='text/html;charset=GBK' http-equiv=content-type>"),
        Some(encoding_rs::GBK)
    );
}

#[test]
fn numbered_starts() {
    for s in ["一、总体情况", "（二）部分公开", "(十)x", "3.其他", "12、x"] {
        assert!(starts_numbered(s), "{s}");
    }
    for s in ["一是加强", "（a）", "2023年", "", "（一"] {
        assert!(!starts_numbered(s), "{s}");
    }
}

#[test]
fn white_space() {
    assert_eq!(
        collapse("  红旗区\n洪门镇 2023 年\u{a0} "),
        "红旗区洪门镇 2023 年"
    );
    assert_eq!(collapse("a\nb\u{200b}c"), "a bc");
    assert_eq!(collapse("\u{3000}\u{3000}一、总体情况"), "一、总体情况");
}

#[test]
fn deep_nesting_does_not_overflow() {
    let mut s = "<div>".repeat(5_000);
    s.push_str("一、总体情况");
    let d = doc(&s);
    assert_eq!(paras(&d), ["一、总体情况"]);
    let mut s = "<table><tr><td>".repeat(2_000);
    s.push('x');
    let _ = doc(&s);
}

#[test]
fn hiding_styles_survive_the_prepass() {
    for style in [
        "display:none",
        "DISPLAY : NONE",
        "visibility: hidden",
        "mso-hide:all",
        "x:1;display&#58;none",
    ] {
        let page = format!("<p style='{style}' width=3>隐</p><p>显</p>");
        assert_eq!(
            prepare(&page),
            format!("<p style='{style}'>隐</p><p>显</p>"),
            "{style}"
        );
    }
    assert_eq!(
        prepare("<td style='border-top: none; display: block'>1</td>"),
        "<td>1</td>"
    );
}
