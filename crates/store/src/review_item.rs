//! The review of a register item (issue 16 §2), pure parts: the number of levels (by 体裁,
//! [`gongkai_ledger::register::RegisterSettings::review_levels_for`]) and what they make of
//! the shared three-level machine ([`crate::review`]), the 保密审查 records bound to the
//! content they judged, the 错敏排查 overrides, and the publication gate — publication is
//! impossible until the chain is approved on the current content, the secrecy conclusion
//! is 非涉密可公开, and no error-severity finding is left without a written override.
//!
//! Levels: 1 — the 信息员's 初审 (the submission, with the 保密审查) is final; 2 — 初审 →
//! 办公室主任复审, whose approval is final; 3 — 初审 → 复审 → 分管领导审核.

use chrono::{DateTime, Utc};
use gongkai_ledger::register::lint::{ItemFinding, LintOverride, blocking};
use gongkai_ledger::register::secrecy::{SecrecyDetermination, SecrecyReview, SecrecyStatus};
use serde::{Deserialize, Serialize};

use crate::model::{Review, ReviewRules, ReviewStatus, ReviewStep, Role};
use crate::review;

/// The rules of an item's review with `levels` levels: the office head's approval is final
/// with two (and one, where nobody but the submitter acts).
pub fn rules(levels: u8) -> ReviewRules {
    ReviewRules {
        office_head_approves: levels <= 2,
        office_head_reopens: false,
    }
}

/// The levels of the current round: as recorded by its submission (a change of the
/// settings does not change a round under way), else `configured`.
pub fn levels_of(steps: &[ReviewStep], configured: u8) -> u8 {
    review::current_submission(steps)
        .and_then(|s| s.snapshot.get("levels"))
        .and_then(|l| l.as_u64())
        .and_then(|l| u8::try_from(l).ok())
        .unwrap_or(configured)
        .clamp(1, 3)
}

/// An item's status: the steps bound to the item's current content hash
/// ([`review::bind`]); with one level the submission itself approves.
pub fn status(steps: &[ReviewStep], levels: u8, current: Option<&str>) -> ReviewStatus {
    let st = review::bind(steps, current);
    if levels <= 1 && st == ReviewStatus::AwaitingReview {
        ReviewStatus::Approved
    } else {
        st
    }
}

/// What a 保密审查 record holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SecrecyEntry {
    /// The 初审 reviewer's checklist and conclusion.
    Review(SecrecyReview),
    /// The determination of the authority the item was referred to (art. 17).
    Determination(SecrecyDetermination),
}

impl SecrecyEntry {
    pub fn kind_str(&self) -> &'static str {
        match self {
            SecrecyEntry::Review(_) => "review",
            SecrecyEntry::Determination(_) => "determination",
        }
    }

    /// The conclusion it records (`publishable` / `secret` / `referred`).
    pub fn conclusion(&self) -> gongkai_ledger::register::secrecy::SecrecyConclusion {
        match self {
            SecrecyEntry::Review(r) => r.conclusion,
            SecrecyEntry::Determination(d) => d.result,
        }
    }
}

/// One 保密审查 record of an item, bound to the content hash it judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecrecyRecord {
    pub seq: u32,
    pub content_hash: String,
    pub entry: SecrecyEntry,
    pub actor: String,
    pub actor_role: Role,
    pub at: DateTime<Utc>,
}

/// The secrecy status of the content with hash `current`: the last review of that content
/// and a determination recorded after it (for a referral).
pub fn secrecy_status(records: &[SecrecyRecord], current: &str) -> SecrecyStatus {
    let Some(i) = records
        .iter()
        .rposition(|r| r.content_hash == current && matches!(r.entry, SecrecyEntry::Review(_)))
    else {
        return SecrecyStatus::Missing;
    };
    let SecrecyEntry::Review(review) = &records[i].entry else {
        return SecrecyStatus::Missing;
    };
    let determination = records[i + 1..].iter().rev().find_map(|r| match &r.entry {
        SecrecyEntry::Determination(d) if r.content_hash == current => Some(d),
        _ => None,
    });
    SecrecyStatus::of(Some(review), determination)
}

/// A reviewer's override of a 错敏排查 finding, bound to the content hash it was made on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverrideRecord {
    pub seq: u32,
    pub content_hash: String,
    pub finding: ItemFinding,
    pub reason: String,
    pub actor: String,
    pub actor_role: Role,
    pub at: DateTime<Utc>,
}

/// The overrides that apply to the content with hash `current`.
pub fn overrides_for(records: &[OverrideRecord], current: &str) -> Vec<LintOverride> {
    records
        .iter()
        .filter(|o| o.content_hash == current)
        .map(|o| LintOverride {
            fingerprint: o.finding.fingerprint(),
            reason: o.reason.clone(),
        })
        .collect()
}

/// When a 错敏排查 run was made: at submission (初审) or before a publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LintStage {
    Submit,
    Publish,
}

impl LintStage {
    pub fn as_str(self) -> &'static str {
        match self {
            LintStage::Submit => "submit",
            LintStage::Publish => "publish",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            LintStage::Submit => "提交审核时",
            LintStage::Publish => "发布前",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [LintStage::Submit, LintStage::Publish]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// An attachment whose text could not be extracted (未能提取文字): not checked, shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnreadAttachment {
    /// Its number on the item (附件1, 附件2 …).
    pub seq: u32,
    pub name: String,
    /// Why (the reader's words, or 无文字层).
    pub note: String,
}

impl UnreadAttachment {
    /// `附件2《扫描件.pdf》未能提取文字（…）`.
    pub fn label_zh(&self) -> String {
        format!(
            "附件{}《{}》未能提取文字（{}）",
            self.seq, self.name, self.note
        )
    }
}

/// One stored 错敏排查 run of an item (migration 0023).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LintRun {
    pub seq: u32,
    /// The item's version and the content hash (text and attachments) it ran on.
    pub version: i64,
    pub content_hash: String,
    pub stage: LintStage,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub errors: u32,
    pub warnings: u32,
    /// Error findings covered by a reviewer's override at the time.
    pub overridden: u32,
    pub findings: Vec<ItemFinding>,
    /// Attachments not checked: no text could be extracted.
    pub unread: Vec<UnreadAttachment>,
}

impl LintRun {
    /// The findings counted by (code, severity), most frequent first.
    pub fn codes(&self) -> Vec<(String, String, u32)> {
        let mut out: Vec<(String, String, u32)> = Vec::new();
        for f in &self.findings {
            match out
                .iter_mut()
                .find(|(c, s, _)| *c == f.code && *s == f.severity)
            {
                Some(e) => e.2 += 1,
                None => out.push((f.code.clone(), f.severity.clone(), 1)),
            }
        }
        out.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        out
    }
}

/// An item with its latest kept run (the supervisor's drill-down).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintedItem {
    pub item: i64,
    pub index_number: String,
    pub title: String,
    pub stage: gongkai_ledger::register::ItemStage,
    pub first_published_on: Option<chrono::NaiveDate>,
    pub run: LintRun,
}

/// An item's review as pages and the API show it: the chain, the 保密审查, the findings on
/// the current text and what still stands in the way of publication.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemReview {
    pub item: i64,
    /// The item's current version and its content hash (what a submission binds).
    pub version: i64,
    pub content_hash: String,
    /// Levels of the current round (1–3).
    pub levels: u8,
    pub review: Review,
    pub secrecy: SecrecyStatus,
    pub secrecy_records: Vec<SecrecyRecord>,
    /// 错敏排查 of the current content (名称, 内容概述, 正文, every attachment's text).
    pub findings: Vec<ItemFinding>,
    /// Attachments whose text could not be extracted (shown to the reviewer, not checked).
    pub unread: Vec<UnreadAttachment>,
    /// The last stored run (at submission or before a publication), if any.
    pub last_run: Option<LintRun>,
    /// Overrides recorded on the current text.
    pub overrides: Vec<OverrideRecord>,
    /// Error-severity findings not overridden.
    pub blocking: Vec<ItemFinding>,
    /// Why it cannot be published now (empty: it can).
    pub obstacles: Vec<String>,
}

impl ItemReview {
    /// Publication is allowed: approved, 非涉密可公开, nothing blocking.
    pub fn publishable(&self) -> bool {
        self.obstacles.is_empty()
    }

    /// The level now due, in words (`初审`, `复审`, `审核`), while under review.
    pub fn level_due_zh(&self) -> Option<&'static str> {
        match self.review.status {
            ReviewStatus::NotSubmitted | ReviewStatus::SentBack | ReviewStatus::NeedsReReview => {
                Some("初审")
            }
            ReviewStatus::AwaitingReview => Some("复审"),
            ReviewStatus::AwaitingApproval => Some("审核"),
            _ => None,
        }
    }
}

/// What stands in the way of publishing: the review not approved on the current content,
/// the secrecy conclusion not 非涉密可公开, error findings without an override (each with
/// its place).
pub fn obstacles(
    status: ReviewStatus,
    secrecy: SecrecyStatus,
    findings: &[ItemFinding],
    overrides: &[LintOverride],
) -> Vec<String> {
    let mut out = Vec::new();
    if status != ReviewStatus::Approved {
        out.push(format!("审核未完成（{}）", status.label_zh()));
    }
    if secrecy != SecrecyStatus::Publishable {
        out.push(format!("保密审查：{}", secrecy.label_zh()));
    }
    for f in blocking(findings, overrides) {
        out.push(format!(
            "错敏排查 {}：{}（{}：{}）",
            f.code,
            f.message,
            f.place_zh(),
            f.excerpt_marked()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use gongkai_ledger::register::lint::ItemPart;
    use gongkai_ledger::register::secrecy::{SecrecyChecklist, SecrecyConclusion, SecrecyQuestion};
    use serde_json::json;

    use super::*;
    use crate::model::ReviewAction;

    fn step(action: ReviewAction, actor: &str, role: Role, digest: &str, levels: u8) -> ReviewStep {
        ReviewStep {
            seq: 0,
            action,
            actor: actor.into(),
            actor_role: role,
            at: Utc.with_ymd_and_hms(2025, 1, 2, 3, 0, 0).unwrap(),
            note: None,
            snapshot: json!({ "digest": digest, "levels": levels }),
        }
    }

    #[test]
    fn one_two_or_three_levels() {
        let submit = step(ReviewAction::Submit, "li", Role::Clerk, "h1", 1);
        assert_eq!(
            status(std::slice::from_ref(&submit), 1, Some("h1")),
            ReviewStatus::Approved
        );
        assert_eq!(
            status(std::slice::from_ref(&submit), 1, Some("h2")),
            ReviewStatus::NeedsReReview
        );
        // Two levels: the office head's approval at 复审 is final.
        let steps = vec![step(ReviewAction::Submit, "li", Role::Clerk, "h1", 2)];
        let levels = levels_of(&steps, 3);
        assert_eq!(levels, 2);
        let st = status(&steps, levels, Some("h1"));
        assert_eq!(st, ReviewStatus::AwaitingReview);
        let subject = crate::model::ReviewSubject::Item { item: 7 };
        let r = review::check_roles(
            &subject,
            &steps,
            st,
            ReviewAction::Approve,
            "zhu",
            &[Role::OfficeHead],
            None,
            &rules(levels),
        );
        assert_eq!(r.unwrap(), Role::OfficeHead);
        assert_eq!(
            review::approval_for_roles(st, &[Role::OfficeHead], &rules(levels)),
            Some(ReviewAction::Approve)
        );
        // Three levels: 复审 passes it on to the leader.
        assert_eq!(
            review::approval_for_roles(st, &[Role::OfficeHead], &rules(3)),
            Some(ReviewAction::Review)
        );
        assert_eq!(levels_of(&[], 3), 3);
    }

    fn rec(seq: u32, hash: &str, entry: SecrecyEntry) -> SecrecyRecord {
        SecrecyRecord {
            seq,
            content_hash: hash.into(),
            entry,
            actor: "li".into(),
            actor_role: Role::Clerk,
            at: Utc.with_ymd_and_hms(2025, 1, 2, 3, 0, 0).unwrap(),
        }
    }

    #[test]
    fn secrecy_binds_the_content_it_judged() {
        let ok = SecrecyEntry::Review(SecrecyReview {
            checklist: SecrecyChecklist::all_no(),
            conclusion: SecrecyConclusion::Publishable,
            note: None,
        });
        let recs = vec![rec(1, "h1", ok.clone())];
        assert_eq!(secrecy_status(&recs, "h1"), SecrecyStatus::Publishable);
        assert_eq!(secrecy_status(&recs, "h2"), SecrecyStatus::Missing);
        let referred = SecrecyEntry::Review(SecrecyReview {
            checklist: SecrecyChecklist {
                state_secret: gongkai_ledger::register::secrecy::SecrecyAnswer::Unsure,
                ..SecrecyChecklist::all_no()
            },
            conclusion: SecrecyConclusion::Referred,
            note: Some("报县保密局".into()),
        });
        let mut recs = vec![rec(1, "h2", referred)];
        assert_eq!(
            secrecy_status(&recs, "h2"),
            SecrecyStatus::AwaitingDetermination
        );
        recs.push(rec(
            2,
            "h2",
            SecrecyEntry::Determination(SecrecyDetermination {
                authority: "某县国家保密局".into(),
                reference: None,
                decided_on: "2025-01-03".parse().unwrap(),
                result: SecrecyConclusion::Publishable,
            }),
        ));
        assert_eq!(secrecy_status(&recs, "h2"), SecrecyStatus::Publishable);
        // A new review of the same content after the determination starts over.
        recs.push(rec(3, "h2", ok));
        assert_eq!(secrecy_status(&recs, "h2"), SecrecyStatus::Publishable);
        let _ = SecrecyQuestion::ALL;
    }

    #[test]
    fn the_gate_names_every_obstacle() {
        let f = ItemFinding {
            code: "PII001".into(),
            severity: "error".into(),
            message: "公民身份号码未遮盖".into(),
            matched: "11010519491231002X".into(),
            before: "身份证号".into(),
            after: "）".into(),
            suggestion: None,
            part: ItemPart::Body,
            line: 2,
            offset: 10,
        };
        let o = obstacles(
            ReviewStatus::AwaitingApproval,
            SecrecyStatus::Missing,
            std::slice::from_ref(&f),
            &[],
        );
        assert_eq!(o.len(), 3, "{o:?}");
        assert!(o[2].contains("正文第 2 行第 11 字"), "{o:?}");
        let over = LintOverride {
            fingerprint: f.fingerprint(),
            reason: "本人同意".into(),
        };
        assert!(
            obstacles(
                ReviewStatus::Approved,
                SecrecyStatus::Publishable,
                &[f],
                &[over]
            )
            .is_empty()
        );
    }
}
