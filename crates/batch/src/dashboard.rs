//! The dashboard: one self-contained HTML page summarising a batch.
//!
//! No external assets — the CSS is inline, the charts are inline SVG drawn by
//! [`crate::svg`], there is no script — so the file can be mailed, archived or served by
//! the web service as it is ([`render`] returns the whole page; [`render_body`] the part
//! inside `<body>`, for embedding in another page). The text is Chinese.
//!
//! Sections: totals; applications by outcome and by applicant type; disclosure,
//! reconsideration, litigation and correction rates; figures by year; the most frequent
//! findings; the reports with the most findings; year-over-year problems; the roll-up and
//! coverage (with a jurisdiction file); the files that could not be read.

use std::fmt::Write;

use gongkai_check::Severity;

use crate::Batch;
use crate::rollup::Coverage;
use crate::svg::{self, ERROR, Item, MUTED, OK, PALETTE, Rate, Stack, WARNING, esc, thousands};

/// Rows listed in the long tables of the page.
const LIST_LIMIT: usize = 50;

const CSS: &str = r#"
:root{--fg:#1d2730;--muted:#5f6b76;--line:#dde3e8;--bg:#f6f8fa;--err:#c8453b;--warn:#b27c12;--ok:#3b8a5e}
*{box-sizing:border-box}
body{margin:0;font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",sans-serif;color:var(--fg);background:var(--bg);line-height:1.6}
header{background:#1f4e79;color:#fff;padding:20px 32px}
header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;opacity:.85;font-size:14px}
main{max-width:1100px;margin:0 auto;padding:16px 24px 48px}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:16px 20px;margin:16px 0}
h2{font-size:17px;margin:0 0 12px;border-left:4px solid #1f4e79;padding-left:8px}
h3{font-size:15px;margin:16px 0 8px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{flex:1 1 130px;border:1px solid var(--line);border-radius:6px;padding:10px 14px;background:#fbfcfd}
.card b{display:block;font-size:24px}
.card span{color:var(--muted);font-size:13px}
.card.err b{color:var(--err)}.card.warn b{color:var(--warn)}.card.ok b{color:var(--ok)}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f0f3f6;font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.sev-error{color:var(--err);font-weight:600}.sev-warning{color:var(--warn);font-weight:600}
.note{color:var(--muted);font-size:13px}
.file{word-break:break-all}
svg.chart{max-width:100%;height:auto;display:block;margin:4px 0 8px}
svg .lbl{font-size:13px;fill:#33404b}
svg .val{font-size:12px;fill:#33404b}
svg .inbar{font-size:11px;fill:#fff}
.grid{display:grid;grid-template-columns:1fr;gap:8px}
code{background:#f0f3f6;padding:0 4px;border-radius:3px}
footer{color:var(--muted);font-size:12px;text-align:center;padding:12px}
"#;

/// The whole page, titled `政府信息公开工作年度报告批量检查`.
pub fn render(batch: &Batch) -> String {
    render_titled(batch, "政府信息公开工作年度报告批量检查")
}

/// The whole page with a title of the caller's choosing (escaped here).
pub fn render_titled(batch: &Batch, title: &str) -> String {
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(title)
    );
    let _ = writeln!(
        s,
        "<header><h1>{}</h1><p>{}</p></header>",
        esc(title),
        esc(&subtitle(batch))
    );
    s.push_str(&render_body(batch));
    s.push_str(
        "<footer>由 gongkai batch 生成：读取与检查依据《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）。</footer>\n</body>\n</html>\n",
    );
    s
}

fn subtitle(batch: &Batch) -> String {
    let years: Vec<String> = batch
        .stats
        .by_year
        .iter()
        .map(|y| y.year.to_string())
        .collect();
    if years.is_empty() {
        format!("共 {} 个文件", batch.stats.files)
    } else {
        format!(
            "共 {} 个文件，报告年度：{}",
            batch.stats.files,
            years.join("、")
        )
    }
}

/// The content of the page (inside `<main>`), for embedding; needs the page's CSS.
pub fn render_body(batch: &Batch) -> String {
    let mut s = String::with_capacity(48 * 1024);
    s.push_str("<main>\n");
    totals(&mut s, batch);
    applications(&mut s, batch);
    rates(&mut s, batch);
    by_year(&mut s, batch);
    findings(&mut s, batch);
    worst(&mut s, batch);
    year_over_year(&mut s, batch);
    rollup(&mut s, batch);
    unreadable(&mut s, batch);
    s.push_str("</main>\n");
    s
}

/// The CSS of the page, for a host page that embeds [`render_body`].
pub fn css() -> &'static str {
    CSS
}

fn card(s: &mut String, class: &str, value: String, label: &str) {
    let _ = write!(
        s,
        "<div class=\"card {class}\"><b>{value}</b><span>{}</span></div>",
        esc(label)
    );
}

fn totals(s: &mut String, b: &Batch) {
    let st = &b.stats;
    s.push_str("<section><h2>总体情况</h2><div class=\"cards\">");
    card(s, "", thousands(st.files as i64), "文件");
    card(s, "ok", thousands(st.readable as i64), "已读取");
    card(
        s,
        if st.unreadable > 0 { "err" } else { "" },
        thousands(st.unreadable as i64),
        "无法读取",
    );
    card(s, "", thousands(st.kept as i64), "计入统计的报告（已去重）");
    card(
        s,
        if st.with_errors > 0 { "err" } else { "ok" },
        thousands(st.with_errors as i64),
        "有错误的报告",
    );
    card(s, "err", thousands(st.errors as i64), "错误");
    card(s, "warn", thousands(st.warnings as i64), "警告");
    s.push_str("</div>");
    s.push_str("<p class=\"note\">错误：数据或期限明显不符合规定，需要更正；警告：需要人工核实。重复文件和同一机关同一年度的其他版本只计一次。</p></section>\n");
}

fn applications(s: &mut String, b: &Batch) {
    let st = &b.stats;
    s.push_str("<section><h2>依申请公开</h2>");
    let _ = write!(
        s,
        "<div class=\"cards\">{}{}{}{}</div>",
        small_card("本年新收申请", st.new_received),
        small_card("上年结转", st.carried_over),
        small_card("办理结果总计", st.results_total),
        small_card("结转下年度继续办理", st.carried_forward),
    );
    s.push_str("<h3>办理结果</h3>");
    let items: Vec<Item> = st
        .outcomes
        .iter()
        .enumerate()
        .map(|(k, bar)| Item {
            label: &bar.label,
            value: bar.value,
            color: PALETTE[k % PALETTE.len()],
        })
        .collect();
    s.push_str(&svg::hbars("办理结果", &items));
    s.push_str("<h3>申请人类型（本年新收）</h3>");
    let items: Vec<Item> = st
        .applicants
        .iter()
        .enumerate()
        .map(|(k, bar)| Item {
            label: if k == 5 { "其他组织" } else { &bar.label },
            value: bar.value,
            color: PALETTE[k % PALETTE.len()],
        })
        .collect();
    s.push_str(&svg::hbars("申请人类型", &items));
    s.push_str("</section>\n");
}

fn small_card(label: &str, n: i64) -> String {
    format!(
        "<div class=\"card\"><b>{}</b><span>{}</span></div>",
        thousands(n),
        esc(label)
    )
}

fn rates(s: &mut String, b: &Batch) {
    let st = &b.stats;
    s.push_str("<section><h2>公开率与复议、诉讼</h2>");
    let items = [
        Rate {
            label: "公开率",
            value: st.disclosure_rate,
            note: "（予以公开＋部分公开）÷ 办理结果总计".to_string(),
        },
        Rate {
            label: "行政复议比例",
            value: st.reconsideration_rate,
            note: format!("{} 件 ÷ 办理结果总计", thousands(st.reconsideration)),
        },
        Rate {
            label: "行政诉讼比例",
            value: st.litigation_rate,
            note: format!("{} 件 ÷ 办理结果总计", thousands(st.litigation)),
        },
        Rate {
            label: "复议诉讼纠错率",
            value: st.correction_rate,
            note: format!(
                "结果纠正 {} 件 ÷ 已审结 {} 件",
                thousands(st.corrected),
                thousands(st.decided_appeals)
            ),
        },
    ];
    s.push_str(&svg::rates("公开率与复议、诉讼", &items));
    if !st.rate_excluded.is_empty() {
        let _ = write!(
            s,
            "<p class=\"note\">{} 份报告未计入比率（不按 0% 计）：",
            st.rate_excluded.len()
        );
        for (i, x) in st.rate_excluded.iter().take(LIST_LIMIT).enumerate() {
            let sep = if i == 0 { "" } else { "；" };
            let _ = write!(s, "{sep}{}（{}）", esc(&x.file), esc(x.reason));
        }
        if st.rate_excluded.len() > LIST_LIMIT {
            s.push_str("；……");
        }
        s.push_str("</p>");
    }
    s.push_str("</section>\n");
}

fn pct(v: Option<f64>) -> String {
    v.map_or("—".to_string(), |v| format!("{:.1}%", v * 100.0))
}

fn by_year(s: &mut String, b: &Batch) {
    let years = &b.stats.by_year;
    if years.is_empty() {
        return;
    }
    s.push_str("<section><h2>各年度</h2>");
    if years.len() > 1 {
        let labels: Vec<String> = years.iter().map(|y| format!("{}年", y.year)).collect();
        let items: Vec<Item> = years
            .iter()
            .zip(&labels)
            .map(|(y, l)| Item {
                label: l,
                value: y.new_received,
                color: PALETTE[0],
            })
            .collect();
        s.push_str("<h3>本年新收申请</h3>");
        s.push_str(&svg::columns("各年度本年新收申请", &items));
    }
    s.push_str("<table><thead><tr><th>年度</th><th class=\"n\">报告</th><th class=\"n\">本年新收申请</th><th class=\"n\">办理结果总计</th><th class=\"n\">公开率</th></tr></thead><tbody>");
    for y in years {
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            y.year,
            thousands(y.reports as i64),
            thousands(y.new_received),
            thousands(y.results_total),
            pct(y.disclosure_rate)
        );
    }
    s.push_str("</tbody></table></section>\n");
}

fn severity_class(sev: Severity) -> (&'static str, &'static str) {
    match sev {
        Severity::Error => ("sev-error", "错误"),
        Severity::Warning => ("sev-warning", "警告"),
        Severity::Info => ("sev-info", "提示"),
    }
}

fn findings(s: &mut String, b: &Batch) {
    let top = &b.stats.top_findings;
    s.push_str("<section><h2>最常见的问题</h2>");
    if top.is_empty() {
        s.push_str("<p>没有发现问题。</p></section>\n");
        return;
    }
    let labels: Vec<String> = top.iter().map(|c| c.code.to_string()).collect();
    let items: Vec<Item> = top
        .iter()
        .zip(&labels)
        .map(|(c, l)| Item {
            label: l,
            value: c.count as i64,
            color: if c.severity == Severity::Error {
                ERROR
            } else {
                WARNING
            },
        })
        .collect();
    s.push_str(&svg::hbars("最常见的问题", &items));
    s.push_str("<table><thead><tr><th>代码</th><th>级别</th><th>说明</th><th class=\"n\">次数</th></tr></thead><tbody>");
    for c in top {
        let (class, name) = severity_class(c.severity);
        let _ = write!(
            s,
            "<tr><td><code>{}</code></td><td class=\"{class}\">{name}</td><td>{}</td><td class=\"n\">{}</td></tr>",
            esc(c.code),
            esc(&c.summary_zh),
            thousands(c.count as i64)
        );
    }
    s.push_str("</tbody></table></section>\n");
}

fn worst(s: &mut String, b: &Batch) {
    let worst = &b.stats.worst;
    if worst.is_empty() {
        return;
    }
    s.push_str("<section><h2>问题最多的报告</h2><table><thead><tr><th>文件</th><th>机关</th><th>年度</th><th class=\"n\">错误</th><th class=\"n\">警告</th><th>问题代码</th></tr></thead><tbody>");
    for r in worst {
        let _ = write!(
            s,
            "<tr><td class=\"file\">{}</td><td>{}</td><td>{}</td><td class=\"n sev-error\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&r.file),
            esc(r.agency.as_deref().unwrap_or("—")),
            r.year.map_or("—".to_string(), |y| y.to_string()),
            r.errors,
            r.warnings,
            esc(&r.codes.join(" "))
        );
    }
    s.push_str("</tbody></table></section>\n");
}

fn year_over_year(s: &mut String, b: &Batch) {
    if b.pairs.is_empty() {
        return;
    }
    let flagged: Vec<_> = b
        .pairs
        .iter()
        .filter(|p| {
            p.carry_over_mismatches + p.in_force_mismatches + p.jumps > 0
                || p.copied_share.is_some_and(|c| {
                    c * 100.0 >= crate::rules::COPY_SHARE_PERCENT as f64
                        && p.sentences >= crate::rules::COPY_MIN_SENTENCES
                })
        })
        .collect();
    let _ = write!(
        s,
        "<section><h2>逐年对比</h2><p>相邻两年都有报告的机关 {} 对，其中有问题的 {} 对。</p>",
        thousands(b.pairs.len() as i64),
        thousands(flagged.len() as i64)
    );
    if !flagged.is_empty() {
        s.push_str("<table><thead><tr><th>机关</th><th>年度</th><th class=\"n\">结转不符的列</th><th class=\"n\">现行有效不符</th><th class=\"n\">异常变化</th><th class=\"n\">正文雷同</th></tr></thead><tbody>");
        for p in flagged.iter().take(LIST_LIMIT) {
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}→{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(&p.agency),
                p.previous_year,
                p.year,
                p.carry_over_mismatches,
                p.in_force_mismatches,
                p.jumps,
                pct(p.copied_share)
            );
        }
        s.push_str("</tbody></table>");
        if flagged.len() > LIST_LIMIT {
            let _ = write!(
                s,
                "<p class=\"note\">仅列出前 {LIST_LIMIT} 对，完整列表见逐年对比表。</p>"
            );
        }
    }
    s.push_str("</section>\n");
}

fn rollup(s: &mut String, b: &Batch) {
    let Some(r) = &b.rollup else { return };
    s.push_str("<section><h2>辖区汇总与发布情况</h2>");
    let legend = [
        ("按期发布", OK),
        ("逾期发布", ERROR),
        ("未印日期", WARNING),
        ("未发布", MUTED),
    ];
    for &year in &r.years {
        let _ = write!(s, "<h3>{year} 年度</h3>");
        let rows: Vec<Stack> = r
            .jurisdiction
            .nodes
            .iter()
            .filter(|n| n.depth <= 1)
            .map(|n| {
                let count = |status: Coverage| {
                    r.coverage
                        .iter()
                        .filter(|c| {
                            c.year == year
                                && c.status == status
                                && (c.node_path == n.path
                                    || c.node_path.starts_with(&format!("{}/", n.path)))
                        })
                        .count() as i64
                };
                Stack {
                    label: n.name.clone(),
                    parts: vec![
                        (count(Coverage::OnTime), OK),
                        (count(Coverage::Late), ERROR),
                        (count(Coverage::Undated), WARNING),
                        (count(Coverage::Missing), MUTED),
                    ],
                }
            })
            .collect();
        s.push_str(&svg::stacked(
            &format!("{year} 年度发布情况"),
            &legend,
            &rows,
        ));
        s.push_str("<table><thead><tr><th>节点</th><th class=\"n\">应发布</th><th class=\"n\">已发布</th><th class=\"n\">未发布</th><th class=\"n\">逾期</th><th class=\"n\">本年新收申请</th><th class=\"n\">办理结果总计</th><th class=\"n\">公开率</th></tr></thead><tbody>");
        let cell = |t: &crate::rollup::NodeYear, id: &str| -> i64 {
            gongkai_format::FormatVersion::Revised2021
                .cell(id)
                .and_then(|i| t.cells[i.0 as usize])
                .and_then(|v| v.as_i64())
                .unwrap_or(0)
        };
        for t in r.totals.iter().filter(|t| t.year == year) {
            let node = &r.jurisdiction.nodes[t.node];
            let rt = cell(t, "s3.results_total.total");
            let gp = cell(t, "s3.granted.total") + cell(t, "s3.partially_granted.total");
            let _ = write!(
                s,
                "<tr><td>{}{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                "　".repeat(node.depth),
                esc(&node.name),
                t.expected,
                t.reporting,
                t.missing(),
                t.late,
                thousands(cell(t, "s3.new_received.total")),
                thousands(rt),
                pct((rt > 0).then(|| gp as f64 / rt as f64))
            );
        }
        s.push_str("</tbody></table>");
        for (status, title) in [
            (Coverage::Missing, "未发布报告的机关"),
            (Coverage::Late, "逾期发布的机关（日期晚于次年1月31日）"),
            (Coverage::Unlisted, "不在辖区清单中的报告"),
        ] {
            let list: Vec<_> = r
                .coverage
                .iter()
                .filter(|c| c.year == year && c.status == status)
                .collect();
            if list.is_empty() {
                continue;
            }
            let _ = write!(s, "<h3>{}（{}）</h3><ul>", esc(title), list.len());
            for c in list.iter().take(LIST_LIMIT) {
                let _ = write!(
                    s,
                    "<li>{}{}{}</li>",
                    esc(&c.agency),
                    if c.node_path.is_empty() {
                        String::new()
                    } else {
                        format!("（{}）", esc(&c.node_path))
                    },
                    c.published
                        .as_deref()
                        .map_or(String::new(), |d| format!("，{}", esc(d)))
                );
            }
            s.push_str("</ul>");
        }
    }
    s.push_str("</section>\n");
}

fn unreadable(s: &mut String, b: &Batch) {
    let bad: Vec<_> = b.reports.iter().filter(|r| !r.status.is_ok()).collect();
    if bad.is_empty() {
        return;
    }
    let _ = write!(
        s,
        "<section><h2>无法读取的文件（{}）</h2><table><thead><tr><th>文件</th><th>原因</th></tr></thead><tbody>",
        bad.len()
    );
    for r in bad.iter().take(LIST_LIMIT) {
        let reason = r.status.reason().unwrap_or("");
        let zh = reason.split_once(" / ").map_or(reason, |(zh, _)| zh);
        let _ = write!(
            s,
            "<tr><td class=\"file\">{}</td><td>{}</td></tr>",
            esc(&r.file),
            esc(zh)
        );
    }
    s.push_str("</tbody></table></section>\n");
}
