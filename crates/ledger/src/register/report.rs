//! The annual report from the register (issue 16 §3): the figures of section 二's 规章 and
//! 行政规范性文件 rows, section 一's 主动公开 paragraph, and the year-end consistency check
//! in force(N) = in force(N−1) + issued(N) − repealed(N) — all computed from the items,
//! never typed.
//!
//! # What counts where
//!
//! For year N with period end `E = min(as_of, N-12-31)`:
//!
//! * **本年制发**: an item with a [`Validity`] whose 生成日期 (签发日期) is in `[N-01-01, E]`.
//! * **本年废止**: validity 废止 with its date in the period. A document that ran out
//!   (失效) leaves the in-force count without being counted as repealed.
//! * **现行有效**: formed on or before E, in effect by E (施行日期, when the validity gives
//!   one later than 生成日期) and not ended (废止, 失效) on or before E — the validity
//!   dates decide, never today's status: a document repealed in N+1 is in force at the end
//!   of N, whenever the report of N is drafted.
//! * A report frozen at its submission counts the validity as it was recorded then
//!   ([`ItemFacts::as_known`]): a repeal or a corrected validity recorded later changes the
//!   next year's figures and REG001, not the frozen report.
//! * An item withdrawn (撤稿) on or before E is counted nowhere from then on: a withdrawal
//!   says the record should not stand (a repeal is recorded as 废止, not as a withdrawal).
//! * **主动公开 (section 一)**: the items with a publication dated in the period, on each
//!   channel (an item on two channels counts on both; 新媒体 and 其他 per account), the
//!   on-time rate of the items *first* published in the period (art. 26, 20 working days
//!   on the holiday calendar), corrections and withdrawals dated in the period.
//!
//! Because 失效 and 撤稿 take documents out of force without a repeal, and a document
//! issued in one year may take effect in the next (尚未施行 at the end of N, 本年施行 in
//! N+1), the printed
//! identity in force(N) = in force(N−1) + issued(N) − repealed(N) does not always hold;
//! [`continuity`] says by how much and why ([`REG001`]), so the office can explain it in
//! the report before a reader's year-over-year check (YOY002) asks.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_report::rule::{RuleMeta, Severity};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::opening::Opening;
use crate::proactive::{DocumentKind, DocumentRecord};
use crate::register::clock::{PublicationClock, PublicationStatus};
use crate::register::item::{Outlet, Publication, Validity, ValidityStatus};

/// What the annual report needs to know of one register item: its current version and
/// the dates of its corrections and withdrawal. The store builds it from its tables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemFacts {
    /// The store's id of the item.
    pub id: String,
    /// 索引号.
    #[serde(default)]
    pub index_number: String,
    pub title: String,
    /// 生成日期.
    pub formed_on: NaiveDate,
    /// 主动公开 (the art. 26 clock runs).
    pub proactive: bool,
    /// Set for a 规章 or 行政规范性文件.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity: Option<Validity>,
    /// Every publication of the item (all channels).
    #[serde(default)]
    pub publications: Vec<Publication>,
    /// The dates of its corrections (each a superseding version).
    #[serde(default)]
    pub corrected_on: Vec<NaiveDate>,
    /// 撤稿.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_on: Option<NaiveDate>,
    /// When the item was registered (a frozen report ignores later items).
    pub registered_at: DateTime<Utc>,
    /// When the publications, corrections and withdrawal were recorded (for a report
    /// frozen at a moment: [`ItemFacts::as_known`]); empty: when the item was registered.
    #[serde(default)]
    pub recorded: Recorded,
}

/// When an item's later facts were recorded, parallel to [`ItemFacts`]' lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorded {
    #[serde(default)]
    pub publications: Vec<DateTime<Utc>>,
    #[serde(default)]
    pub corrections: Vec<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawal: Option<DateTime<Utc>>,
    /// The validity of each version in order, with when it was recorded (empty: the
    /// current validity was always the item's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub validity: Vec<(DateTime<Utc>, Option<Validity>)>,
}

impl ItemFacts {
    /// The first day it was published on any channel.
    pub fn first_published(&self) -> Option<NaiveDate> {
        self.publications.iter().map(|p| p.published_on).min()
    }

    /// Withdrawn on or before `date`.
    pub fn withdrawn_by(&self, date: NaiveDate) -> bool {
        self.withdrawn_on.is_some_and(|w| w <= date)
    }

    /// The item as known at `known_by` (`None`: registered later): publications,
    /// corrections and a withdrawal recorded after it left out, and the validity that of
    /// the last version recorded by then (a repeal or a corrected validity recorded later
    /// is undone).
    pub fn as_known(&self, known_by: Option<DateTime<Utc>>) -> Option<ItemFacts> {
        let Some(k) = known_by else {
            return Some(self.clone());
        };
        if self.registered_at > k {
            return None;
        }
        let at =
            |list: &[DateTime<Utc>], i: usize| list.get(i).copied().unwrap_or(self.registered_at);
        let mut out = self.clone();
        out.publications = (self.publications.iter().enumerate())
            .filter(|(i, _)| at(&self.recorded.publications, *i) <= k)
            .map(|(_, p)| p.clone())
            .collect();
        out.corrected_on = (self.corrected_on.iter().enumerate())
            .filter(|(i, _)| at(&self.recorded.corrections, *i) <= k)
            .map(|(_, d)| *d)
            .collect();
        if self.recorded.withdrawal.is_some_and(|w| w > k) {
            out.withdrawn_on = None;
        }
        if let Some((_, v)) = self.recorded.validity.iter().rfind(|(at, _)| *at <= k) {
            out.validity.clone_from(v);
        }
        out.recorded = Recorded::default();
        Some(out)
    }
}

/// How a document left force, or how its force in a year differs from its issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentEnd {
    /// 废止: counted in 本年废止.
    Repealed,
    /// 失效: out of force, not a repeal.
    Expired,
    /// 撤稿: the register's record withdrawn.
    Withdrawn,
    /// Issued in the year, in effect only after its end (施行日期 later): counted in 本年制发,
    /// not in 现行有效.
    NotYetInForce,
    /// Issued in an earlier year, in effect in this one: counted in 现行有效 now, not in
    /// the previous year's.
    CameIntoForce,
}

impl DocumentEnd {
    pub fn label_zh(self) -> &'static str {
        match self {
            DocumentEnd::Repealed => "废止",
            DocumentEnd::Expired => "失效",
            DocumentEnd::Withdrawn => "撤稿",
            DocumentEnd::NotYetInForce => "尚未施行",
            DocumentEnd::CameIntoForce => "施行",
        }
    }
}

/// One 规章 or 行政规范性文件 as section 二 counts it, from a register item or from a
/// document record kept before the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentFact {
    pub kind: DocumentKind,
    /// 索引号 or record id, and title: for the explanations.
    pub reference: String,
    pub title: String,
    pub issued_on: NaiveDate,
    /// 施行日期, when later than the issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<(NaiveDate, DocumentEnd)>,
}

impl DocumentFact {
    /// The fact of a register item, if it is a 规章 or 行政规范性文件.
    pub fn from_item(item: &ItemFacts) -> Option<DocumentFact> {
        let v = item.validity.as_ref()?;
        let by_validity = match (v.status, v.ended_on) {
            (ValidityStatus::Repealed, Some(e)) => Some((e, DocumentEnd::Repealed)),
            (ValidityStatus::Expired, Some(e)) => Some((e, DocumentEnd::Expired)),
            _ => None,
        };
        // The earlier of the two ends counts.
        let ended = match (by_validity, item.withdrawn_on) {
            (Some(a), Some(w)) if w < a.0 => Some((w, DocumentEnd::Withdrawn)),
            (Some(a), _) => Some(a),
            (None, Some(w)) => Some((w, DocumentEnd::Withdrawn)),
            (None, None) => None,
        };
        Some(DocumentFact {
            kind: v.kind,
            reference: if item.index_number.is_empty() {
                item.id.clone()
            } else {
                item.index_number.clone()
            },
            title: item.title.clone(),
            issued_on: item.formed_on,
            effective_on: v.effective_on.filter(|e| *e > item.formed_on),
            ended,
        })
    }

    /// The fact of a document record (the records kept before the register).
    pub fn from_record(id: &str, d: &DocumentRecord) -> DocumentFact {
        DocumentFact {
            kind: d.kind,
            reference: id.to_string(),
            title: d.title.clone(),
            issued_on: d.issued_on,
            effective_on: None,
            ended: d.repealed_on.map(|r| (r, DocumentEnd::Repealed)),
        }
    }

    fn row(&self) -> usize {
        match self.kind {
            DocumentKind::Regulation => 0,
            DocumentKind::NormativeDocument => 1,
        }
    }

    fn in_force_on(&self, date: NaiveDate) -> bool {
        self.issued_on <= date
            && self.effective_on.is_none_or(|e| e <= date)
            && self.ended.is_none_or(|(e, _)| e > date)
    }
}

/// Section 二's document rows and what explains them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentFigures {
    /// `[规章, 行政规范性文件][本年制发, 本年废止, 现行有效]`.
    pub rows: [[u64; 3]; 2],
    /// Documents in force at the start of the period or issued in it that left force in
    /// the period other than by repeal, issued in it but not yet in effect at its end, or
    /// issued before it and in effect in it: `(row, how, reference, title)`.
    pub other_ends: Vec<(usize, DocumentEnd, String, String)>,
    /// Notes for the year-end's warnings (opening balances).
    pub notes: Vec<String>,
}

impl DocumentFigures {
    /// `[first, second]` per row: how many explanations of each kind.
    fn count_pair(&self, first: DocumentEnd, second: DocumentEnd) -> [[u64; 2]; 2] {
        let mut out = [[0; 2]; 2];
        for (row, how, _, _) in &self.other_ends {
            if *how == first {
                out[*row][0] += 1;
            } else if *how == second {
                out[*row][1] += 1;
            }
        }
        out
    }

    /// 失效 and 撤稿 in the period, per row.
    pub fn other_end_counts(&self) -> [[u64; 2]; 2] {
        self.count_pair(DocumentEnd::Expired, DocumentEnd::Withdrawn)
    }

    /// `[尚未施行, 本年施行]` per row: issued in the period but in effect after it, and
    /// issued before it but in effect in it.
    pub fn commencement_counts(&self) -> [[u64; 2]; 2] {
        self.count_pair(DocumentEnd::NotYetInForce, DocumentEnd::CameIntoForce)
    }
}

const ROW_LABELS: [&str; 2] = ["规章", "行政规范性文件"];

/// Counts section 二's document rows of `year` up to `end` (see the module docs), on top
/// of the opening balances if the office set them for an earlier year.
pub fn count_documents<'a>(
    facts: impl IntoIterator<Item = &'a DocumentFact>,
    year: i32,
    end: NaiveDate,
    opening: Option<&Opening>,
) -> DocumentFigures {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let in_period = |d: NaiveDate| first <= d && d <= end;
    // 现行有效 from the opening balances: documents issued since (in force) and those
    // issued before, ended since.
    let opening = opening.filter(|o| year > o.year);
    let opening_from = opening.and_then(|o| NaiveDate::from_ymd_opt(o.year + 1, 1, 1));
    let mut since_in_force = [0u64; 2];
    let mut before_ended = [0u64; 2];
    let mut f = DocumentFigures::default();
    for d in facts {
        let row = d.row();
        if in_period(d.issued_on) {
            f.rows[row][0] += 1;
        }
        if let Some((e, how)) = d.ended
            && in_period(e)
            && d.issued_on <= end
        {
            if how == DocumentEnd::Repealed {
                f.rows[row][1] += 1;
            } else {
                f.other_ends
                    .push((row, how, d.reference.clone(), d.title.clone()));
            }
        }
        let in_force = d.in_force_on(end);
        f.rows[row][2] += u64::from(in_force);
        if let Some(e) = d.effective_on {
            let ended_by = |day: NaiveDate| d.ended.is_some_and(|(x, _)| x <= day);
            let how = if in_period(d.issued_on) && e > end && !ended_by(end) {
                Some(DocumentEnd::NotYetInForce)
            } else if d.issued_on < first
                && in_period(e)
                && !ended_by(first.pred_opt().unwrap_or(first))
            {
                Some(DocumentEnd::CameIntoForce)
            } else {
                None
            };
            if let Some(how) = how {
                f.other_ends
                    .push((row, how, d.reference.clone(), d.title.clone()));
            }
        }
        if let Some(from) = opening_from {
            if d.issued_on >= from {
                since_in_force[row] += u64::from(in_force);
            } else if d.ended.is_some_and(|(e, _)| from <= e && e <= end) {
                before_ended[row] += 1;
            }
        }
    }
    if let (Some(o), Some(_)) = (opening, opening_from) {
        for row in 0..2 {
            let base = o.in_force[row] + since_in_force[row];
            f.rows[row][2] = base.saturating_sub(before_ended[row]);
            if before_ended[row] > base {
                f.notes.push(format!(
                    "期初数中的现行有效{}（{} 件）少于台账中此后废止或失效的期初文件（{} 件），请核对期初数",
                    ROW_LABELS[row], o.in_force[row], before_ended[row]
                ));
            }
        }
        f.notes.push(format!(
            "现行有效件数以期初数为基础：{y} 年度报告的现行有效规章 {} 件、行政规范性文件 {} 件（来源：{src}），加上台账中 {y} 年以后制发、期末仍有效的文件，减去期初已有、此后废止或失效的文件",
            o.in_force[0],
            o.in_force[1],
            y = o.year,
            src = if o.source.is_empty() { "手工录入" } else { &o.source },
        ));
    }
    f
}

/// Items published on one channel (one account for 新媒体 and 其他).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutletCount {
    pub outlet: Outlet,
    /// The account or channel name (empty for the named channels).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub account: String,
    pub items: u64,
}

/// The register's figures for section 一's 主动公开 paragraph.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProactiveFigures {
    /// Items with a publication dated in the period (any channel).
    pub published: u64,
    /// Per channel, in [`Outlet`] order, accounts by count then name.
    pub by_outlet: Vec<OutletCount>,
    /// Items first published in the period that had the art. 26 clock, and of those
    /// published within 20 working days of 生成日期.
    pub first_published: u64,
    pub on_time: u64,
    /// Proactive items formed by the period end, not published, past their deadline.
    pub overdue_open: u64,
    /// Corrections dated in the period, and the items they concern.
    pub corrections: u64,
    pub corrected_items: u64,
    /// Items withdrawn in the period.
    pub withdrawn: u64,
}

impl ProactiveFigures {
    /// `on_time / first_published`; `None` when nothing was first published.
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.first_published > 0).then(|| self.on_time as f64 / self.first_published as f64)
    }

    /// Items per channel summed over its accounts.
    pub fn outlet_total(&self, outlet: Outlet) -> u64 {
        self.by_outlet
            .iter()
            .filter(|c| c.outlet == outlet)
            .map(|c| c.items)
            .sum()
    }
}

const OUTLETS: [Outlet; 7] = [
    Outlet::Website,
    Outlet::NewMedia,
    Outlet::Gazette,
    Outlet::NoticeBoard,
    Outlet::PressConference,
    Outlet::Media,
    Outlet::Other,
];

fn outlet_rank(o: Outlet) -> usize {
    OUTLETS
        .iter()
        .position(|x| *x == o)
        .unwrap_or(OUTLETS.len())
}

/// The 主动公开 figures of `year` up to `end` (module docs).
pub fn proactive_figures<'a>(
    items: impl IntoIterator<Item = &'a ItemFacts>,
    year: i32,
    end: NaiveDate,
    calendar: &Calendar,
) -> ProactiveFigures {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let in_period = |d: NaiveDate| first <= d && d <= end;
    let mut f = ProactiveFigures::default();
    let mut per: BTreeMap<(usize, String), u64> = BTreeMap::new();
    for item in items {
        let mut seen: Vec<(Outlet, &str)> = Vec::new();
        for p in item
            .publications
            .iter()
            .filter(|p| in_period(p.published_on))
        {
            let account = if p.outlet.needs_account() {
                p.account.trim()
            } else {
                ""
            };
            if !seen.contains(&(p.outlet, account)) {
                seen.push((p.outlet, account));
                *per.entry((outlet_rank(p.outlet), account.to_string()))
                    .or_default() += 1;
            }
        }
        f.published += u64::from(!seen.is_empty());
        let first_pub = item.first_published().filter(|d| *d <= end);
        if item.proactive {
            match first_pub {
                Some(p) if in_period(p) => {
                    let c = PublicationClock::new(calendar, item.formed_on, Some(p), end, 0);
                    f.first_published += 1;
                    f.on_time += u64::from(matches!(c.status, PublicationStatus::OnTime { .. }));
                }
                None if item.formed_on <= end && !item.withdrawn_by(end) => {
                    let c = PublicationClock::new(calendar, item.formed_on, None, end, 0);
                    f.overdue_open +=
                        u64::from(matches!(c.status, PublicationStatus::Overdue { .. }));
                }
                _ => {}
            }
        }
        let corrections = item.corrected_on.iter().filter(|d| in_period(**d)).count() as u64;
        f.corrections += corrections;
        f.corrected_items += u64::from(corrections > 0);
        f.withdrawn += u64::from(item.withdrawn_on.is_some_and(in_period));
    }
    let mut counts: Vec<OutletCount> = per
        .into_iter()
        .map(|((rank, account), items)| OutletCount {
            outlet: OUTLETS[rank],
            account,
            items,
        })
        .collect();
    counts.sort_by(|a, b| {
        outlet_rank(a.outlet)
            .cmp(&outlet_rank(b.outlet))
            .then(b.items.cmp(&a.items))
            .then(a.account.cmp(&b.account))
    });
    f.by_outlet = counts;
    f
}

/// A percentage with one decimal (`98.5%`), or `—`.
pub fn percent(rate: Option<f64>) -> String {
    match rate {
        Some(r) => {
            let tenths = (r * 1000.0).round() as i64;
            format!("{}.{}%", tenths / 10, tenths % 10)
        }
        None => "—".to_string(),
    }
}

/// Section 一's （一）主动公开 paragraph from the register's figures (the part before the
/// section 二 sentences). Every number is computed.
pub fn proactive_paragraph(year: i32, f: &ProactiveFigures) -> String {
    if f.published == 0 && f.overdue_open == 0 && f.corrections == 0 && f.withdrawn == 0 {
        return format!("{year}年，主动公开登记中没有本年度发布的政府信息。");
    }
    let mut s = format!("本年度主动公开政府信息{}条", f.published);
    let mut parts = Vec::new();
    for outlet in OUTLETS {
        let total = f.outlet_total(outlet);
        if total == 0 {
            continue;
        }
        let name = if outlet == Outlet::Other {
            "其他方式"
        } else {
            outlet.label_zh()
        };
        let mut part = format!("通过{name}发布{total}条");
        if outlet.needs_account() {
            let accounts: Vec<String> = f
                .by_outlet
                .iter()
                .filter(|c| c.outlet == outlet)
                .map(|c| format!("“{}”{}条", c.account, c.items))
                .collect();
            part.push_str(&format!("（{}）", accounts.join("、")));
        }
        parts.push(part);
    }
    if !parts.is_empty() {
        s.push_str(&format!("，其中{}", parts.join("，")));
        if f.by_outlet.len() > 1 {
            s.push_str("（同一条信息通过多个渠道发布的，分别计入各渠道）");
        }
    }
    s.push('。');
    if f.first_published > 0 {
        s.push_str(&format!(
            "本年度首次公开的{}条信息中，{}条在生成之日起20个工作日内公开，按时公开率{}。",
            f.first_published,
            f.on_time,
            percent(f.on_time_rate())
        ));
    }
    if f.overdue_open > 0 {
        s.push_str(&format!(
            "截至年度统计期末，尚有{}条应主动公开的信息超过20个工作日未公开。",
            f.overdue_open
        ));
    }
    if f.corrections > 0 || f.withdrawn > 0 {
        s.push_str(&format!(
            "本年度更正已公开信息{}条（{}次），撤回已公开信息{}条。",
            f.corrected_items, f.corrections, f.withdrawn
        ));
    }
    s
}

/// A sentence for section 二 explaining documents that left force without a repeal (so
/// the reader's in-force identity check is answered in the report itself); empty if none.
pub fn other_ends_sentence(counts: [[u64; 2]; 2]) -> String {
    let mut parts = Vec::new();
    for (row, [expired, withdrawn]) in counts.iter().enumerate() {
        if *expired > 0 {
            parts.push(format!("{}失效（未经废止）{expired}件", ROW_LABELS[row]));
        }
        if *withdrawn > 0 {
            parts.push(format!("{}撤稿{withdrawn}件", ROW_LABELS[row]));
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("本年度另有{}，现行有效件数相应减少。", parts.join("、"))
    }
}

/// A sentence for section 二 on documents whose 施行日期 moves them across the year's end
/// (issued this year, not yet in effect; issued earlier, in effect this year); empty if none.
pub fn commencement_sentence(counts: [[u64; 2]; 2]) -> String {
    let mut parts = Vec::new();
    for (row, [pending, _]) in counts.iter().enumerate() {
        if *pending > 0 {
            parts.push(format!(
                "本年制发的{}中有{pending}件至年底尚未施行，未计入现行有效件数",
                ROW_LABELS[row]
            ));
        }
    }
    for (row, [_, commenced]) in counts.iter().enumerate() {
        if *commenced > 0 {
            parts.push(format!(
                "以前年度制发、本年施行的{}{commenced}件计入现行有效件数",
                ROW_LABELS[row]
            ));
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}。", parts.join("；"))
    }
}

/// `《title》`, inner 《》 as 〈〉 (a title that quotes another).
fn book_title(title: &str) -> String {
    format!("《{}》", title.replace('《', "〈").replace('》', "〉"))
}

/// A finding of the register's year-end checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterFinding {
    pub code: String,
    /// `error` or `warning` ([`Severity::as_str`]).
    pub severity: String,
    pub message_zh: String,
    pub message_en: String,
    /// The cells involved.
    pub cells: Vec<String>,
    pub expected: i64,
    pub found: i64,
}

pub const REG001: RuleMeta = RuleMeta {
    code: "REG001",
    name: "register-in-force-continuity",
    severity: Severity::Warning,
    summary_zh: "登记簿：现行有效件数不等于上年现行有效加本年制发减本年废止（说明失效、撤稿或补登的文件）",
    summary_en: "Register: in force (N) ≠ in force (N−1) + issued (N) − repealed (N), with the documents that explain it",
    explanation: r#"## register-in-force-continuity (REG001)

### 检查什么

由主动公开登记簿计算年度报告第二部分时，对规章、行政规范性文件两行核对：本年度“现行有效件数”是否等于上一年度“现行有效件数”加“本年制发件数”减“本年废止件数”。上一年度的数字取上一年度报告提交审核时冻结的数字（尚未提交的，按登记簿计算）。不相等时，逐项说明原因：本年失效（未经废止）的文件、本年撤稿的文件、本年制发但至年底尚未施行的文件（计入本年制发，不计入现行有效）、以前年度制发而本年施行的文件、登记或更正了上一年度及以前的文件（上一年度报告所列件数与登记簿现在的件数不同）。

各项均按报告年度 12 月 31 日的状态计算，依据登记的生成（签发）日期、施行日期和失效、废止日期，而不是文件今天的状态：次年废止的文件在本年末仍计入现行有效；已提交审核的报告按提交时登记的有效性计算，此后补记或更正的有效性不改变已提交的报告，只在下一年度的本项检查中说明。

### 为什么

现行有效件数是存量，制发和废止是当年的增减。文件因到期失效而减少时，表格本身不满足这一等式，读者（上级主管部门、逐年对比检查 YOY002）会提出疑问；登记簿知道是哪些文件，年度报告草稿第二部分已写明失效、撤稿的件数。补登或更正以前年度的文件，则说明上一年度报告的数字与登记簿不一致，需要在报告中说明或核对登记。

### 法律依据

《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）第二部分“第二十条第（一）项”表：本年制发件数、本年废止件数、现行有效件数；《中华人民共和国政府信息公开条例》第五十条。

### 示例

```text
warning[REG001]: 第二部分“行政规范性文件”：现行有效件数（41）不等于上年现行有效 40 + 本年制发 5 − 本年废止 2 = 43，相差 −2：本年失效（未经废止）2件：000000-2024-00012《某某管理办法》、000000-2023-00031《某某实施细则》
```
"#,
};

/// The register's rules, for the catalogue (`gongkai rules`).
pub fn rules() -> impl Iterator<Item = &'static RuleMeta> {
    [&REG001].into_iter()
}

/// REG001 for `year`: `current` are this year's figures, `previous` the register's figures
/// of the year before (as now), `reported` the in-force counts of the previous year's
/// report as frozen at its submission, if it was submitted.
pub fn continuity(
    year: i32,
    current: &DocumentFigures,
    previous: &DocumentFigures,
    reported: Option<[u64; 2]>,
) -> Vec<RegisterFinding> {
    let mut out = Vec::new();
    let keys = ["regulations", "normative_documents"];
    for row in 0..2 {
        let prev = reported.map_or(previous.rows[row][2], |r| r[row]) as i64;
        let [issued, repealed, in_force] = current.rows[row].map(|n| n as i64);
        let expected = prev + issued - repealed;
        if expected == in_force {
            continue;
        }
        let mut causes = Vec::new();
        let mut causes_en = Vec::new();
        for how in [
            DocumentEnd::Expired,
            DocumentEnd::Withdrawn,
            DocumentEnd::NotYetInForce,
            DocumentEnd::CameIntoForce,
        ] {
            let docs: Vec<String> = current
                .other_ends
                .iter()
                .filter(|(r, h, _, _)| *r == row && *h == how)
                .map(|(_, _, reference, title)| format!("{reference}{}", book_title(title)))
                .collect();
            if docs.is_empty() {
                continue;
            }
            let shown: Vec<&str> = docs.iter().take(5).map(String::as_str).collect();
            let more = if docs.len() > 5 { "……" } else { "" };
            let what = match how {
                DocumentEnd::Expired => "本年失效（未经废止）",
                DocumentEnd::NotYetInForce => "本年制发、期末尚未施行",
                DocumentEnd::CameIntoForce => "以前年度制发、本年施行",
                _ => "本年撤稿",
            };
            causes.push(format!(
                "{what}{}件：{}{more}",
                docs.len(),
                shown.join("、")
            ));
            causes_en.push(format!(
                "{} {}",
                docs.len(),
                match how {
                    DocumentEnd::Expired => "expired this year",
                    DocumentEnd::NotYetInForce => "issued this year, not yet in effect",
                    DocumentEnd::CameIntoForce => "issued earlier, in effect this year",
                    _ => "withdrawn this year",
                }
            ));
        }
        if let Some(r) = reported
            && r[row] != previous.rows[row][2]
        {
            causes.push(format!(
                "{} 年度报告所列现行有效 {} 件，按登记簿现为 {} 件（此后登记或更正了 {} 年及以前的文件）",
                year - 1,
                r[row],
                previous.rows[row][2],
                year - 1
            ));
            causes_en.push(format!(
                "the {} report gave {} in force, the register now gives {}",
                year - 1,
                r[row],
                previous.rows[row][2]
            ));
        }
        let diff = in_force - expected;
        let id = |col: &str| format!("s2.{}.{col}", keys[row]);
        out.push(RegisterFinding {
            code: REG001.code.to_string(),
            severity: REG001.severity.as_str().to_string(),
            message_zh: format!(
                "第二部分“{}”：现行有效件数（{in_force}）不等于上年现行有效 {prev} + 本年制发 {issued} − 本年废止 {repealed} = {expected}，相差 {diff}{}",
                ROW_LABELS[row],
                if causes.is_empty() {
                    String::new()
                } else {
                    format!("：{}", causes.join("；"))
                }
            ),
            message_en: format!(
                "Section 2, {}: in force ({in_force}) ≠ {prev} + {issued} − {repealed} = {expected} (difference {diff}){}",
                ["rules", "normative documents"][row],
                if causes_en.is_empty() {
                    String::new()
                } else {
                    format!(": {}", causes_en.join("; "))
                }
            ),
            cells: vec![id("in_force"), id("issued"), id("repealed")],
            expected,
            found: in_force,
        });
    }
    out
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
