//! The supervisor's view exported (issue 18 §2): the node's summary as XLSX (one sheet per
//! part), as a self-contained HTML dashboard with SVG charts (the batch dashboard's
//! roll-up and charts, [`gongkai_batch::dashboard`], under the supervisor's own parts), or
//! as JSON (the [`Overview`] as the API gives it). Every export is audited (`download`,
//! subject `supervision`, in the node's agency).

use std::fmt::Write;

use gongkai_batch::svg::{self, Item, Rate, esc, thousands};
use gongkai_batch::{Batch, Tally, dashboard, stats};
use gongkai_write::xlsx::{self, PlainSheet, SheetValue};
use serde_json::json;

use crate::exports::Export;
use crate::supervision::Overview;
use crate::{Actor, Result, Service, ServiceError};

/// The export formats of the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupervisionFormat {
    Xlsx,
    Html,
    Json,
}

impl std::str::FromStr for SupervisionFormat {
    type Err = ServiceError;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim() {
            "xlsx" => Ok(SupervisionFormat::Xlsx),
            "html" => Ok(SupervisionFormat::Html),
            "json" => Ok(SupervisionFormat::Json),
            other => Err(ServiceError::invalid(
                "导出格式",
                format!("“{other}”无效，可用：xlsx、html、json"),
            )),
        }
    }
}

impl SupervisionFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            SupervisionFormat::Xlsx => "xlsx",
            SupervisionFormat::Html => "html",
            SupervisionFormat::Json => "json",
        }
    }
}

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |r| format!("{:.1}%", r * 100.0))
}

fn text(s: impl Into<String>) -> SheetValue {
    SheetValue::Text(s.into())
}

fn num(n: impl Into<f64>) -> SheetValue {
    SheetValue::Number(n.into())
}

fn date(d: Option<chrono::NaiveDate>) -> SheetValue {
    d.map_or(SheetValue::Empty, SheetValue::Date)
}

/// The columns of the 错敏 sheet (the items of the year, counted on each item's latest
/// kept run).
pub const LINT_HEADERS: &[&str] = &[
    "机关",
    "代码",
    "已检查事项",
    "最近一次检查有错误的事项",
    "错误",
    "警告",
    "放行错误后发布的事项",
    "放行次数",
    "最常见的问题",
];

/// The view as an XLSX workbook.
pub fn xlsx_bytes(o: &Overview) -> Result<Vec<u8>> {
    let agencies: Vec<Vec<SheetValue>> = o
        .agencies
        .iter()
        .map(|a| {
            vec![
                text(format!("{}{}", "　".repeat(a.depth), a.name)),
                text(a.code.clone()),
                text(a.kind),
                num(a.replied as f64),
                num(a.replied_late as f64),
                text(pct(a.on_time_rate)),
                num(a.overdue as f64),
                num(a.due_soon as f64),
                num(a.published as f64),
                text(pct(a.publication_on_time_rate)),
                num(a.publication_overdue as f64),
                text(a.report_status),
                date(a.approved_on),
                text(a.coverage),
                num(a.differences as f64),
            ]
        })
        .collect();
    let table = |rows: &[crate::supervision::TableRow]| -> Vec<Vec<SheetValue>> {
        rows.iter()
            .map(|r| {
                std::iter::once(text(r.label.clone()))
                    .chain(r.values.iter().map(|v| num(*v as f64)))
                    .collect()
            })
            .collect()
    };
    let t3 = table(&o.table3);
    let t4 = table(&o.table4);
    let at_risk: Vec<Vec<SheetValue>> = o
        .at_risk
        .iter()
        .map(|r| {
            vec![
                text(r.agency_name.clone()),
                text(r.case.id.clone()),
                date(r.case.received_on),
                SheetValue::Date(r.case.deadline),
                num(r.case.days_left as f64),
                text(if r.overdue {
                    "已逾期"
                } else {
                    "临近期限"
                }),
                text(r.case.stage.clone()),
            ]
        })
        .collect();
    let diffs: Vec<Vec<SheetValue>> = o
        .differences
        .iter()
        .flat_map(|d| {
            d.cells.iter().map(move |c| {
                vec![
                    text(d.agency_name.clone()),
                    date(d.approved_on),
                    text(c.id.clone()),
                    text(c.label.clone()),
                    text(c.published.map_or("空".into(), |v| v.to_string())),
                    text(c.current.map_or("空".into(), |v| v.to_string())),
                ]
            })
        })
        .collect();
    let lint: Vec<Vec<SheetValue>> = o
        .lint
        .iter()
        .map(|l| {
            vec![
                text(format!("{}{}", "　".repeat(l.depth), l.name)),
                text(l.code.clone()),
                num(l.checked as f64),
                num(l.with_errors as f64),
                num(l.errors as f64),
                num(l.warnings as f64),
                num(l.published_overridden as f64),
                num(l.overrides as f64),
                text(l.top_codes_text()),
            ]
        })
        .collect();
    let mut h3 = vec!["项目"];
    h3.extend(Overview::table3_columns());
    let mut h4 = vec!["类别"];
    h4.extend(Overview::table4_columns());
    let sheets = [
        PlainSheet {
            name: "各机关",
            headers: &[
                "机关",
                "代码",
                "层级",
                "已答复",
                "其中逾期答复",
                "按期答复率",
                "在办逾期",
                "临近期限",
                "主动公开发布",
                "按期发布率",
                "逾期未发布",
                "年度报告审核状态",
                "批准日期",
                "发布情况",
                "与台账不一致的单元格",
            ],
            widths: &[
                36.0, 22.0, 8.0, 10.0, 12.0, 12.0, 10.0, 10.0, 12.0, 12.0, 12.0, 20.0, 12.0, 12.0,
                12.0,
            ],
            rows: &agencies,
        },
        PlainSheet {
            name: "表三 收到和处理申请",
            headers: &h3,
            widths: &[48.0],
            rows: &t3,
        },
        PlainSheet {
            name: "表四 复议诉讼",
            headers: &h4,
            widths: &[32.0],
            rows: &t4,
        },
        PlainSheet {
            name: "临期与逾期申请",
            headers: &[
                "机关",
                "申请编号",
                "收到日期",
                "答复期限",
                "剩余工作日（负数为已逾期）",
                "情况",
                "办理阶段",
            ],
            widths: &[36.0, 16.0, 12.0, 12.0, 14.0, 10.0, 14.0],
            rows: &at_risk,
        },
        PlainSheet {
            name: "已批准报告与台账差异",
            headers: &[
                "机关",
                "批准日期",
                "单元格",
                "项目",
                "已批准报告",
                "台账现值",
            ],
            widths: &[36.0, 12.0, 30.0, 60.0, 12.0, 12.0],
            rows: &diffs,
        },
        PlainSheet {
            name: "错敏排查",
            headers: LINT_HEADERS,
            widths: &[36.0, 22.0, 12.0, 16.0, 10.0, 10.0, 18.0, 10.0, 36.0],
            rows: &lint,
        },
    ];
    xlsx::tables(&sheets).map_err(|e| ServiceError::BadRequest(format!("生成 XLSX 时出错：{e}")))
}

/// The roll-up as a batch, for the batch dashboard.
fn batch(o: &Overview) -> Batch {
    let tally = Tally::default();
    Batch {
        stats: stats::compute(&o.summaries, &tally),
        reports: o.summaries.clone(),
        batch_findings: Vec::new(),
        pairs: Vec::new(),
        rollup: Some(o.rollup.clone()),
        tally,
    }
}

fn title(o: &Overview) -> String {
    format!("{} {} 年度政府信息公开监督概况", o.node.name, o.year)
}

/// The view as one self-contained HTML page (inline CSS and SVG, no script).
pub fn html_page(o: &Overview) -> String {
    let mut s = String::with_capacity(64 * 1024);
    let t = esc(&title(o));
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{t}</title>\n<style>{}</style>\n</head>\n<body>\n<header><h1>{t}</h1><p>统计至 {}，共 {} 个机关；数据由各机关台账实时计算</p></header>\n<main>\n",
        dashboard::css(),
        o.as_of,
        o.agencies.len()
    );
    let overdue: usize = o.agencies.iter().map(|a| a.overdue).sum();
    let soon: usize = o.agencies.iter().map(|a| a.due_soon).sum();
    let _ = writeln!(
        s,
        "<section><h2>概况</h2><div class=\"cards\"><div class=\"card\"><b>{}</b><span>机关</span></div><div class=\"card err\"><b>{}</b><span>在办逾期申请</span></div><div class=\"card warn\"><b>{}</b><span>{} 个工作日内到期</span></div><div class=\"card ok\"><b>{}</b><span>年度报告已批准</span></div><div class=\"card err\"><b>{}</b><span>年度报告逾期</span></div></div></section>",
        o.agencies.len(),
        overdue,
        soon,
        o.days,
        o.reports.approved,
        o.reports.late
    );
    // Table 三 and 四 summed.
    s.push_str(
        "<section><h2>三、收到和处理政府信息公开申请情况（辖区合计）</h2><table><tr><th>项目</th>",
    );
    for c in Overview::table3_columns() {
        let _ = write!(s, "<th class=\"n\">{}</th>", esc(c));
    }
    s.push_str("</tr>");
    for r in &o.table3 {
        let _ = write!(s, "<tr><td>{}</td>", esc(&r.label));
        for v in &r.values {
            let _ = write!(s, "<td class=\"n\">{}</td>", thousands(*v));
        }
        s.push_str("</tr>");
    }
    s.push_str("</table>\n<h3>四、政府信息公开行政复议、行政诉讼情况（辖区合计）</h3><table><tr><th>类别</th>");
    for c in Overview::table4_columns() {
        let _ = write!(s, "<th class=\"n\">{}</th>", esc(c));
    }
    s.push_str("</tr>");
    for r in &o.table4 {
        let _ = write!(s, "<tr><td>{}</td>", esc(&r.label));
        for v in &r.values {
            let _ = write!(s, "<td class=\"n\">{}</td>", thousands(*v));
        }
        s.push_str("</tr>");
    }
    s.push_str("</table></section>\n");
    // On-time rates.
    let rates: Vec<Rate> = o
        .agencies
        .iter()
        .map(|a| Rate {
            label: &a.name,
            value: a.on_time_rate,
            note: format!("{} 件答复，逾期 {} 件", a.replied, a.replied_late),
        })
        .collect();
    s.push_str("<section><h2>各机关按期答复率</h2>");
    s.push_str(&svg::rates("按期答复率", &rates));
    let bars: Vec<Item> = o
        .agencies
        .iter()
        .map(|a| Item {
            label: &a.name,
            value: (a.overdue + a.due_soon) as i64,
            color: if a.overdue > 0 {
                svg::ERROR
            } else {
                svg::WARNING
            },
        })
        .collect();
    s.push_str("<h3>临期与逾期申请（按机关）</h3>");
    s.push_str(&svg::hbars("临期与逾期申请", &bars));
    s.push_str("</section>\n<section><h2>临期与逾期申请</h2>");
    if o.at_risk.is_empty() {
        s.push_str("<p class=\"note\">没有临期或逾期的申请。</p>");
    } else {
        s.push_str("<table><tr><th>机关</th><th>申请编号</th><th>答复期限</th><th>情况</th><th>办理阶段</th></tr>");
        for r in &o.at_risk {
            let state = if r.overdue {
                format!("已逾期 {} 个工作日", -r.case.days_left)
            } else {
                format!("剩 {} 个工作日", r.case.days_left)
            };
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td></tr>",
                esc(&r.agency_name),
                esc(&r.case.id),
                r.case.deadline,
                if r.overdue {
                    "sev-error"
                } else {
                    "sev-warning"
                },
                esc(&state),
                esc(&r.case.stage)
            );
        }
        s.push_str("</table>");
    }
    let _ = write!(
        s,
        "</section>\n<section><h2>年度报告（{} 前发布）</h2><p>机关 {}，已起草 {}，已提交 {}，已批准 {}，按期 {}，逾期 {}。</p>",
        o.deadline,
        o.reports.agencies,
        o.reports.drafted,
        o.reports.submitted,
        o.reports.approved,
        o.reports.on_time,
        o.reports.late
    );
    if !o.late.is_empty() {
        s.push_str(
            "<h3>逾期名单</h3><table><tr><th>机关</th><th>审核状态</th><th>批准日期</th></tr>",
        );
        for l in &o.late {
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&l.agency_name),
                esc(l.status),
                l.approved_on.map(|d| d.to_string()).unwrap_or_default()
            );
        }
        s.push_str("</table>");
    }
    s.push_str("<h3>已批准报告与台账的差异</h3>");
    if o.differences.is_empty() {
        s.push_str("<p class=\"note\">已批准的报告与台账现值一致。</p>");
    }
    for d in &o.differences {
        let _ = write!(
            s,
            "<h3>{}</h3><table><tr><th>项目</th><th class=\"n\">已批准报告</th><th class=\"n\">台账现值</th></tr>",
            esc(&d.agency_name)
        );
        for c in &d.cells {
            let _ = write!(
                s,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(&c.label),
                c.published.map_or("空".into(), |v| v.to_string()),
                c.current.map_or("空".into(), |v| v.to_string())
            );
        }
        s.push_str("</table>");
    }
    s.push_str("</section>\n<section><h2>错敏排查（按机关，各事项最近一次检查）</h2><table><tr>");
    for h in LINT_HEADERS {
        let _ = write!(s, "<th>{}</th>", esc(h));
    }
    s.push_str("</tr>");
    for l in &o.lint {
        let _ = write!(
            s,
            "<tr><td>{}{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            "　".repeat(l.depth),
            esc(&l.name),
            esc(&l.code),
            l.checked,
            l.with_errors,
            l.errors,
            l.warnings,
            l.published_overridden,
            l.overrides,
            esc(&l.top_codes_text())
        );
    }
    s.push_str("</table></section>\n");
    if !o.unavailable.is_empty() {
        s.push_str("<section><h2>暂不能统计</h2><ul>");
        for u in &o.unavailable {
            let _ = write!(s, "<li>{}：—（{}）</li>", esc(u.what), esc(u.reason));
        }
        s.push_str("</ul></section>\n");
    }
    s.push_str("</main>\n");
    // The batch dashboard of the ledgers' reports: outcomes, rates, roll-up.
    s.push_str(&dashboard::render_body(&batch(o)));
    s.push_str("<footer>由 gongkai 平台生成：各机关数据由其台账按《中华人民共和国政府信息公开工作年度报告格式》计算。</footer>\n</body>\n</html>\n");
    s
}

impl Service {
    /// The view of `node` for `year` exported as `format` (audited as a download in the
    /// node's agency).
    pub async fn export_supervision(
        &self,
        actor: &Actor,
        node: Option<&str>,
        year: Option<i32>,
        days: Option<u32>,
        format: SupervisionFormat,
    ) -> Result<Export> {
        let o = self.supervision(actor, node, year, days).await?;
        let (bytes, content_type) = match format {
            SupervisionFormat::Xlsx => (
                xlsx_bytes(&o)?,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            SupervisionFormat::Html => (html_page(&o).into_bytes(), "text/html; charset=utf-8"),
            SupervisionFormat::Json => (
                serde_json::to_vec_pretty(&o)
                    .map_err(|e| ServiceError::BadRequest(format!("生成 JSON 时出错：{e}")))?,
                "application/json; charset=utf-8",
            ),
        };
        self.store
            .in_agency(o.node.id)
            .record_audit(
                &actor.stamp(),
                "download",
                "supervision",
                &o.node.code,
                json!({ "format": format.as_str(), "year": o.year }),
            )
            .await?;
        Ok(Export {
            bytes,
            file_name: format!("{}-{}年度监督概况.{}", o.node.name, o.year, format.as_str()),
            content_type,
            rows: o.agencies.len(),
        })
    }
}
