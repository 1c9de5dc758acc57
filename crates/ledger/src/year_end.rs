//! The year-end report: sections 二, 三 and 四 computed from the ledger, with a draft of the
//! narrative sections, as a [`gongkai_report::Report`] that the checker and the writers take
//! like any published report.
//!
//! # What counts where (table 三)
//!
//! For year N computed as of date A, the *period end* is `E = min(A, N-12-31)`; the fold of
//! each application sees only the events dated on or before E (and, if
//! [`YearEndOptions::known_by`] is set, recorded by then). Let R be the legal receipt date
//! and X the date the application was closed (reply sent, deemed abandoned, withdrawn).
//!
//! * 一、本年新收: R in `[N-01-01, E]`.
//! * 二、上年结转: R before N-01-01 and not closed before N-01-01.
//! * 三、办理结果: X in `[N-01-01, E]`, in the row of its outcome ([`crate::Decision`]) and
//!   the column of its applicant. A decision without a sent reply is not yet a result.
//! * 四、结转下年度继续办理: counted in 一 or 二 and not closed by E.
//!
//! So 一 + 二 = （七）总计 + 四 in every column, and 二 of N+1 equals 四 of N (both are “received
//! by N-12-31 and open on N-12-31”) as long as the ledger is not changed in between — a
//! late entry dated in year N changes year N's figures, as it should.
//!
//! Section 四 counts cases per [`crate::AppealCounting`]; section 二 per
//! [`crate::proactive`].

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use gongkai_format::{
    APPEAL_COLUMNS, APPEAL_GROUPS, APPLICANT_COLUMNS, FormatVersion, SECTION_HEADINGS,
};
use gongkai_report::{Location, Meta, PrintedDate, Report, Section, Value};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::appeals::{AppealStatus, CaseRole};
use crate::application::ApplicationId;
use crate::calendar::{Calendar, date_zh};
use crate::decision::Decision;
use crate::ledger::Ledger;
use crate::proactive::{DecisionArea, ProactiveData};
use crate::register::report::{
    DocumentFact, ItemFacts, ProactiveFigures, RegisterFinding, commencement_sentence, continuity,
    count_documents, other_ends_sentence, proactive_figures, proactive_paragraph,
};
use crate::settings::{AppealCounting, Settings};
use crate::year_end_parts::{ApplicationsSum, contribution};

/// What to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearEndOptions {
    /// The report year.
    pub year: i32,
    /// The ledger's date to compute on; events after `min(as_of, year-12-31)` are ignored.
    pub as_of: NaiveDate,
    /// Ignore events recorded after this moment (to reproduce a report as it was computed).
    #[serde(default)]
    pub known_by: Option<DateTime<Utc>>,
    /// The date to print under the report (publication date), if fixed.
    #[serde(default)]
    pub report_date: Option<NaiveDate>,
}

impl YearEndOptions {
    /// Year `year` as of its last day.
    pub fn year(year: i32) -> Self {
        YearEndOptions {
            year,
            as_of: NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
            known_by: None,
            report_date: None,
        }
    }
}

/// The figures behind the report, with the extra counts the narrative uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Columns in `APPLICANT_COLUMNS` order; index 6 is 总计.
    pub new_received: [u64; 7],
    pub carried_over: [u64; 7],
    /// One row per [`Decision`], in [`Decision::ALL`] order.
    pub outcomes: Vec<[u64; 7]>,
    pub results_total: [u64; 7],
    pub carried_forward: [u64; 7],
    /// `[group][column]`, groups and columns of `APPEAL_GROUPS` / `APPEAL_COLUMNS`.
    pub appeals: [[u64; 5]; 3],
    /// `[规章, 行政规范性文件][本年制发, 本年废止, 现行有效]`.
    pub documents: [[u64; 3]; 2],
    /// 行政许可, 行政处罚, 行政强制.
    pub decisions: [u64; 3],
    /// 行政事业性收费, 万元.
    pub admin_fees_10k_yuan: Decimal,
    /// Applications replied to in the period, and of those replied after the deadline.
    pub replied: u64,
    pub replied_late: u64,
    /// Carried forward and already past the deadline at the period end.
    pub overdue_open: u64,
    /// Events dated in the period, among the applications of the table.
    pub corrections_requested: u64,
    pub consultations: u64,
    pub extensions: u64,
    /// 信息处理费 paid in the period (元) and by how many applications.
    pub processing_fees_yuan: Decimal,
    pub processing_fees_paid: u64,
    /// `[规章, 行政规范性文件][失效, 撤稿]` in the period: out of force without a repeal.
    #[serde(default)]
    pub documents_other_ends: [[u64; 2]; 2],
    /// `[规章, 行政规范性文件][本年制发、尚未施行, 以前年度制发、本年施行]`: documents whose
    /// 施行日期 moves them across the year's end.
    #[serde(default)]
    pub documents_commencement: [[u64; 2]; 2],
    /// The publication register's 主动公开 figures (`None`: no register items).
    #[serde(default)]
    pub proactive: Option<ProactiveFigures>,
}

/// A computed year-end report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearEnd {
    pub options: YearEndOptions,
    /// `min(as_of, year-12-31)`.
    pub period_end: NaiveDate,
    pub report: Report,
    pub figures: Figures,
    /// Applications counted in 二、上年结转.
    pub carried_over: Vec<ApplicationId>,
    /// Applications counted in 四、结转下年度继续办理.
    pub carried_forward: Vec<ApplicationId>,
    /// Things to look at: invalid events in stored logs, uncovered calendar years.
    pub warnings: Vec<String>,
    /// The register's year-end checks (REG001), also listed in `warnings`.
    #[serde(default)]
    pub findings: Vec<RegisterFinding>,
}

impl Ledger {
    /// Computes sections 二, 三 and 四 (and drafts of the narrative sections) for
    /// `options.year`: the sum of the applications' contributions
    /// ([`crate::year_end_parts::contribution`]), then [`Ledger::year_end_from`].
    pub fn year_end(
        &self,
        options: YearEndOptions,
        calendar: &Calendar,
        settings: Settings,
    ) -> YearEnd {
        let mut apps = ApplicationsSum::default();
        for app in self.applications() {
            apps.add(&app.id, &contribution(app, options, calendar, settings));
        }
        self.year_end_from(apps, options, calendar, settings)
    }

    /// The year-end from the applications' contributions already summed (`apps`, computed
    /// with the same options, calendar and settings) and this ledger's opening balances,
    /// appeals and proactive records — its applications are not read, so a sum kept up to
    /// date by delta gives the report without the applications at hand.
    pub fn year_end_from(
        &self,
        apps: ApplicationsSum,
        options: YearEndOptions,
        calendar: &Calendar,
        settings: Settings,
    ) -> YearEnd {
        let year = options.year;
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
        let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
        let end = options.as_of.min(last);
        let in_period = |d: NaiveDate| first <= d && d <= end;
        let known = |at: DateTime<Utc>| options.known_by.is_none_or(|k| at <= k);

        let ApplicationsSum {
            figures: mut f,
            received_before_year,
            carried_over,
            carried_forward,
            mut warnings,
            ..
        } = apps;
        if f.outcomes.len() < Decision::ALL.len() {
            f.outcomes.resize(Decision::ALL.len(), [0; 7]);
        }

        // The opening balances, where the ledger has no history (crate::opening).
        if let Some(o) = self.opening()
            && year == o.year + 1
            && o.carried_forward[6] > 0
            && received_before_year == 0
        {
            for c in 0..7 {
                f.carried_over[c] += o.carried_forward[c];
                f.carried_forward[c] += o.carried_forward[c];
            }
            warnings.push(format!(
                "二、上年结转 {n} 件取自期初数（{y} 年度报告“四、结转下年度继续办理”，来源：{src}）：台账中没有 {year} 年 1 月 1 日前收到的申请。这 {n} 件申请的办理情况未在台账登记，按仍在办理计入“四、结转下年度继续办理”；导入或登记这些申请后，按台账计算",
                n = o.carried_forward[6],
                y = o.year,
                src = if o.source.is_empty() { "手工录入" } else { &o.source },
            ));
        }

        // Section 四.
        for case in self.current_appeals() {
            if case.role != CaseRole::OriginalActor
                || case.filed_on > end
                || !known(case.recorded_at)
            {
                continue;
            }
            let status = case.status_at(end);
            let counts = match settings.appeal_counting {
                AppealCounting::FiledInYear => case.filed_on >= first,
                AppealCounting::ActiveInYear => {
                    case.filed_on >= first || case.conclusion.is_none_or(|c| c.decided_on >= first)
                }
            };
            if counts {
                let g = case.kind.group();
                f.appeals[g][status.column()] += 1;
                f.appeals[g][4] += 1;
            }
        }
        debug_assert_eq!(AppealStatus::Pending.column(), 3);

        // Section 二: the documents (register items with validity, and the document
        // records kept before the register), decisions and fees.
        let docs = self.document_facts(options.known_by);
        let documents = count_documents(&docs, year, end, self.opening());
        f.documents = documents.rows;
        warnings.extend(documents.notes.iter().cloned());
        let mut fees_yuan = Decimal::ZERO;
        for rec in self.current_proactive() {
            if !known(rec.recorded_at) {
                continue;
            }
            match &rec.data {
                ProactiveData::Document(_) => {}
                ProactiveData::Decisions(c) => {
                    if in_period(c.to) {
                        let i = match c.area {
                            DecisionArea::Licensing => 0,
                            DecisionArea::Penalty => 1,
                            DecisionArea::Coercion => 2,
                        };
                        f.decisions[i] += c.count;
                    }
                }
                ProactiveData::Fees(x) => {
                    if in_period(x.to) {
                        fees_yuan += x.amount_yuan;
                    }
                }
            }
        }
        f.admin_fees_10k_yuan = (fees_yuan / Decimal::from(10_000)).normalize();
        f.documents_other_ends = documents.other_end_counts();
        f.documents_commencement = documents.commencement_counts();
        // REG001 against the register's own previous year (the service compares with the
        // previous report as frozen: `continuity` with `reported`).
        let previous_end = NaiveDate::from_ymd_opt(year - 1, 12, 31).unwrap_or_default();
        let previous = count_documents(&docs, year - 1, previous_end, self.opening());
        let findings = continuity(year, &documents, &previous, None);
        if !self.register().is_empty() {
            let items: Vec<ItemFacts> = self
                .register()
                .iter()
                .filter_map(|i| i.as_known(options.known_by))
                .collect();
            f.proactive = Some(proactive_figures(&items, year, end, calendar));
        }
        for x in &findings {
            warnings.push(format!("[{}] {}", x.code, x.message_zh));
        }

        if !calendar.years().any(|c| c == year) {
            warnings.push(format!(
                "日历中没有{year}年的节假日安排通知，期限按《全国年节及纪念日放假办法》规定的法定节假日推算（未计调休）"
            ));
        }

        let report = build_report(&self.agency, &options, end, &f);
        YearEnd {
            options,
            period_end: end,
            report,
            figures: f,
            carried_over,
            carried_forward,
            warnings,
            findings,
        }
    }

    /// REG001 of `ye` again, against the previous year's report as frozen at its
    /// submission (`known_by`, computed as of `as_of`) instead of the register's own
    /// previous year: a document of an earlier year registered or corrected since is named.
    pub fn recheck_continuity(
        &self,
        ye: &mut YearEnd,
        previous_known_by: DateTime<Utc>,
        previous_as_of: NaiveDate,
    ) {
        let year = ye.options.year;
        let previous_end = NaiveDate::from_ymd_opt(year - 1, 12, 31).unwrap_or_default();
        let docs = self.document_facts(ye.options.known_by);
        let current = count_documents(&docs, year, ye.period_end, self.opening());
        let previous = count_documents(&docs, year - 1, previous_end, self.opening());
        let then = self.document_facts(Some(previous_known_by));
        let reported = count_documents(
            &then,
            year - 1,
            previous_as_of.min(previous_end),
            self.opening(),
        )
        .rows
        .map(|r| r[2]);
        let findings = continuity(year, &current, &previous, Some(reported));
        ye.warnings.retain(|w| !w.starts_with("[REG001]"));
        for x in &findings {
            ye.warnings.push(format!("[{}] {}", x.code, x.message_zh));
        }
        ye.findings = findings;
    }

    /// The 规章 and 行政规范性文件 section 二 counts, as known at `known_by`: the register's
    /// items with validity and the current document records.
    pub fn document_facts(&self, known_by: Option<DateTime<Utc>>) -> Vec<DocumentFact> {
        let known = |at: DateTime<Utc>| known_by.is_none_or(|k| at <= k);
        let records = self.current_proactive().filter(|r| known(r.recorded_at));
        let records = records.filter_map(|r| match &r.data {
            ProactiveData::Document(d) => Some(DocumentFact::from_record(&r.id, d)),
            _ => None,
        });
        let items = self
            .register()
            .iter()
            .filter_map(|i| i.as_known(known_by))
            .filter_map(|i| DocumentFact::from_item(&i));
        records.chain(items).collect()
    }
}

fn int(n: u64) -> Option<Value> {
    Some(Value::int(i64::try_from(n).unwrap_or(i64::MAX)))
}

fn build_report(agency: &str, options: &YearEndOptions, end: NaiveDate, f: &Figures) -> Report {
    let v = FormatVersion::Revised2021;
    let mut r = Report::new(v);
    let year = options.year;
    let docs = ["regulations", "normative_documents"];
    let doc_cols = ["issued", "repealed", "in_force"];
    for (row, key) in docs.iter().enumerate() {
        for (c, col) in doc_cols.iter().enumerate() {
            r.set(&format!("s2.{key}.{col}"), int(f.documents[row][c]));
        }
    }
    for (i, key) in ["licensing", "penalties", "coercion"].iter().enumerate() {
        r.set(&format!("s2.{key}.decisions"), int(f.decisions[i]));
    }
    r.set(
        "s2.fees.amount_10k_yuan",
        Some(Value(f.admin_fees_10k_yuan)),
    );
    let mut rows: Vec<(&str, [u64; 7])> = vec![
        ("new_received", f.new_received),
        ("carried_over", f.carried_over),
    ];
    for (d, row) in Decision::ALL.iter().zip(&f.outcomes) {
        rows.push((d.row_key(), *row));
    }
    rows.push(("results_total", f.results_total));
    rows.push(("carried_forward", f.carried_forward));
    for (key, row) in rows {
        for (c, col) in APPLICANT_COLUMNS.iter().enumerate() {
            r.set(&format!("s3.{key}.{}", col.key), int(row[c]));
        }
    }
    for (g, group) in APPEAL_GROUPS.iter().enumerate() {
        for (c, col) in APPEAL_COLUMNS.iter().enumerate() {
            r.set(
                &format!("s4.{}.{}", group.key, col.key),
                int(f.appeals[g][c]),
            );
        }
    }
    for p in &mut r.provenance {
        *p = Some(Location::None);
    }
    r.meta = Meta {
        title: Some(format!("{agency}{year}年政府信息公开工作年度报告")),
        agency: (!agency.is_empty()).then(|| agency.to_string()),
        year: Some(year),
        dates: options
            .report_date
            .map(|d| PrintedDate {
                date: d.format("%Y-%m-%d").to_string(),
                text: date_zh(d),
                loc: Location::None,
            })
            .into_iter()
            .collect(),
        signed_by: (!agency.is_empty()).then(|| agency.to_string()),
        preamble: None,
    };
    let texts = narrative(agency, year, end, f);
    r.sections = SECTION_HEADINGS
        .iter()
        .zip(texts)
        .enumerate()
        .map(|(i, ((heading, _), text))| Section {
            number: (i + 1) as u8,
            heading: (*heading).to_string(),
            text,
            loc: Location::None,
        })
        .collect();
    r
}

/// Drafts of the six sections' running text. Every number comes from the figures; the
/// parts the office must write are marked 【…】. The wording is chosen so that the checker's
/// narrative rules (TXT001, STR002) read the same numbers as the tables.
fn narrative(agency: &str, year: i32, end: NaiveDate, f: &Figures) -> [String; 6] {
    let who = if agency.is_empty() {
        "本机关"
    } else {
        agency
    };
    let period_end = if end.month() == 12 && end.day() == 31 {
        format!("{year}年12月31日")
    } else {
        date_zh(end)
    };
    let o = |d: Decision| f.outcomes[d.index()][6];
    let group =
        |from: usize, to: usize| -> u64 { f.outcomes[from..=to].iter().map(|r| r[6]).sum() };
    let granted = o(Decision::Granted);
    let partial = o(Decision::PartiallyGranted);
    let denied = group(2, 9);
    let unable = group(10, 12);
    let rejected = group(13, 17);
    let other = group(18, 20);
    let [regs, norms] = f.documents;
    let register = f
        .proactive
        .as_ref()
        .map(|p| proactive_paragraph(year, p))
        .unwrap_or_default();

    let s1 = format!(
        "{year}年，{who}认真贯彻落实《中华人民共和国政府信息公开条例》，扎实做好政府信息公开工作。本报告中所列数据的统计期限自{year}年1月1日起至{period_end}止。\n\
         （一）主动公开。{}本年制发行政规范性文件{}件，废止行政规范性文件{}件，现行有效行政规范性文件{}件；制发规章{}件，现行有效规章{}件。本年作出行政许可决定{}件、行政处罚决定{}件、行政强制决定{}件。【请补充主动公开工作的主要做法。】\n\
         （二）依申请公开。本年度共收到政府信息公开申请{}件。另有上年结转申请{}件；本年度办结{}件，结转下年度继续办理{}件。\n\
         （三）政府信息管理。【请填写。】\n\
         （四）政府信息公开平台建设。【请填写。】\n\
         （五）监督保障。【请填写。】",
        register,
        norms[0],
        norms[1],
        norms[2],
        regs[0],
        regs[2],
        f.decisions[0],
        f.decisions[1],
        f.decisions[2],
        f.new_received[6],
        f.carried_over[6],
        f.results_total[6],
        f.carried_forward[6],
    );
    let s2 = format!(
        "本年度主动公开政府信息情况见下表。{}{}本年行政事业性收费金额{}万元。",
        other_ends_sentence(f.documents_other_ends),
        commencement_sentence(f.documents_commencement),
        f.admin_fees_10k_yuan
    );
    let mut s3 = format!(
        "本年度共收到政府信息公开申请{}件。\n\
         本年度办理结果：予以公开{granted}件，部分公开{partial}件，不予公开{denied}件，无法提供{unable}件，不予处理{rejected}件，其他处理{other}件，合计{}件；另有{}件结转下年度继续办理。",
        f.new_received[6], f.results_total[6], f.carried_forward[6],
    );
    let mut process = Vec::new();
    if f.corrections_requested > 0 {
        process.push(format!("告知申请人补正{}次", f.corrections_requested));
    }
    if f.consultations > 0 {
        process.push(format!("书面征求第三方或有关机关意见{}次", f.consultations));
    }
    if f.extensions > 0 {
        process.push(format!("经批准延长答复期限{}次", f.extensions));
    }
    if !process.is_empty() {
        s3.push_str(&format!("\n办理过程中，{}。", process.join("，")));
    }
    let [rec, direct, after] = f.appeals;
    let mut s4 = format!(
        "本年度因政府信息公开被申请行政复议{}件，被提起行政诉讼{}件。",
        rec[4],
        direct[4] + after[4]
    );
    for (label, g) in [
        ("行政复议", rec),
        ("未经复议直接起诉的行政诉讼", direct),
        ("复议后起诉的行政诉讼", after),
    ] {
        if g[4] > 0 {
            s4.push_str(&format!(
                "\n{label}：结果维持{}件，结果纠正{}件，其他结果{}件，尚未审结{}件。",
                g[0], g[1], g[2], g[3]
            ));
        }
    }
    let mut s5 = if f.replied_late > 0 {
        format!(
            "本年度答复的{}件申请中，有{}件超过法定期限答复。",
            f.replied, f.replied_late
        )
    } else {
        format!("本年度答复的{}件申请均在法定期限内答复。", f.replied)
    };
    if f.overdue_open > 0 {
        s5.push_str(&format!(
            "截至{period_end}，尚有{}件申请已超过答复期限仍未答复。",
            f.overdue_open
        ));
    }
    s5.push_str("\n【请填写存在的主要问题及改进情况。】");
    let s6 = if f.processing_fees_paid > 0 {
        format!(
            "本年度共收取信息处理费{}元（{}件申请）。\n【其他需要报告的事项请在此填写。】",
            f.processing_fees_yuan.normalize(),
            f.processing_fees_paid
        )
    } else {
        "本年度未收取信息处理费。\n【其他需要报告的事项请在此填写。】".to_string()
    };
    [s1, s2, s3, s4, s5, s6]
}
