//! One row of an office's ledger sheet → an application with its events: receipt
//! (收到日期, 申请方式), 补正 (the date the office asked; the date the corrected
//! application came), 延期 (the date of the extension, 20 working days), and the outcome
//! (办理结果 in the office's words) with its reply (答复日期, 答复方式).

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::dates;
use super::headers::{Columns, Field};
use super::{Cell, Refusal, squash};
use crate::application::{
    Applicant, ApplicantKind, Application, ApplicationId, Channel, Contact, Context, Delivery,
    InformationForm, InformationRequest,
};
use crate::calendar::date_zh;
use crate::decision::Decision;
use crate::error::LedgerError;
use crate::event::{EventKind, NewEvent, ReplyMethod};
use crate::vocab::Vocabulary;

/// An application a row would create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedApplication {
    /// The row in the sheet (1 = first row).
    pub row: usize,
    /// The row's identity (module docs of [`crate::import`]).
    pub key: String,
    /// The sheet's own number, kept in the receipt's note.
    #[serde(default)]
    pub number: Option<String>,
    pub applicant: Applicant,
    pub request: InformationRequest,
    /// The events in order: date, kind, note.
    pub events: Vec<(NaiveDate, EventKind, Option<String>)>,
}

/// How a row's 办理结果 closes the application (or not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Decided(Decision),
    Withdrawn,
    NotCorrected,
    FeeNotPaid,
}

const GRANDFATHERED: &str = "（导入）";

/// The identity of an application already in the ledger (same form as a row's key).
pub fn identity_of(app: &Application) -> Option<String> {
    let r = app.received_on()?;
    Some(identity(r, &app.applicant.name, &app.request.description))
}

fn identity(received: NaiveDate, name: &str, request: &str) -> String {
    format!("申请|{received}|{}|{}", squash(name), squash(request))
}

impl PlannedApplication {
    /// The application with id `id`, its events validated one by one as the ledger
    /// validates a typed entry (today from `ctx`), recorded at `at` by `by`.
    pub fn build(
        &self,
        id: ApplicationId,
        ctx: &Context<'_>,
        at: DateTime<Utc>,
        by: &str,
    ) -> Result<Application, LedgerError> {
        let mut app = Application::new(id, self.applicant.clone(), self.request.clone())?;
        for (date, kind, note) in &self.events {
            app.append(
                NewEvent {
                    date: *date,
                    kind: kind.clone(),
                    note: note.clone(),
                    recorded_at: at,
                    recorded_by: Some(by.to_string()),
                },
                ctx,
            )?;
        }
        Ok(app)
    }

    /// The receipt date.
    pub fn received(&self) -> NaiveDate {
        self.events.first().map_or(NaiveDate::MIN, |e| e.0)
    }

    /// What the application will show: `在办` or `已答复：予以公开` ….
    pub fn status_zh(&self) -> String {
        for (_, k, _) in self.events.iter().rev() {
            match k {
                EventKind::ReplySent { .. } => {
                    let d = self.events.iter().rev().find_map(|(_, k, _)| match k {
                        EventKind::Decided { decision } => Some(decision.label_zh()),
                        _ => None,
                    });
                    return format!("已答复：{}", d.unwrap_or(""));
                }
                EventKind::Withdrawn { .. } => return "已撤回".into(),
                EventKind::NotCorrected => return "逾期不补正，不再处理".into(),
                EventKind::FeeNotPaid => return "逾期未缴费，不再处理".into(),
                EventKind::Decided { decision } => {
                    return format!("已作决定（未答复）：{}", decision.label_zh());
                }
                _ => {}
            }
        }
        "在办".into()
    }
}

/// 办理结果 in the office's words → an outcome (`Ok(None)`: still being handled).
pub fn parse_outcome(text: &str) -> Result<Option<Outcome>, String> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return Ok(None);
    }
    if let Ok(d) = Decision::parse(&t) {
        return Ok(Some(Outcome::Decided(d)));
    }
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    use Decision as D;
    if has(&[
        "办理中",
        "在办",
        "正在办理",
        "未办结",
        "待答复",
        "受理中",
        "处理中",
        "未答复",
        "待办",
    ]) {
        return Ok(None);
    }
    if has(&["撤回", "撤销申请"]) {
        return Ok(Some(Outcome::Withdrawn));
    }
    if has(&["未缴费", "未缴纳", "逾期未缴"]) {
        return Ok(Some(Outcome::FeeNotPaid));
    }
    if has(&["逾期不补正", "未补正", "视为放弃", "逾期未补正"]) {
        return Ok(Some(Outcome::NotCorrected));
    }
    let d = if has(&["部分公开"]) {
        D::PartiallyGranted
    } else if has(&["不予公开", "不公开"]) {
        if has(&["国家秘密", "涉密"]) {
            D::DeniedStateSecret
        } else if has(&["法律", "法规"]) {
            D::DeniedProhibitedByLaw
        } else if has(&["三安全", "稳定", "危及"]) {
            D::DeniedThreeSecurity
        } else if has(&["第三方"]) {
            D::DeniedThirdParty
        } else if has(&["内部事务", "内部"]) {
            D::DeniedInternalAffairs
        } else if has(&["过程性", "过程"]) {
            D::DeniedProcessInfo
        } else if has(&["执法案卷", "案卷"]) {
            D::DeniedEnforcementFile
        } else if has(&["查询"]) {
            D::DeniedQueryMatter
        } else {
            return Err(format!(
                "“{t}”未写明不予公开的理由：请写明国家秘密、法律法规禁止、三安全一稳定、第三方合法权益、内部事务、过程性信息、行政执法案卷或行政查询事项"
            ));
        }
    } else if has(&["无法提供", "不存在", "不掌握", "非本机关"]) {
        if has(&["另行制作", "加工", "汇总", "分析"]) {
            D::UnableNeedsCreation
        } else if has(&["不明确"]) {
            D::UnableUnclearAfterCorrection
        } else if has(&["不存在", "不掌握", "非本机关"]) {
            D::UnableNotHeld
        } else {
            return Err(format!(
                "“{t}”未写明无法提供的情形：请写明本机关不掌握（信息不存在）、需要另行制作或补正后仍不明确"
            ));
        }
    } else if has(&["不予处理", "不予受理"]) {
        if has(&["信访", "举报", "投诉"]) {
            D::RejectedPetition
        } else if has(&["重复"]) {
            D::RejectedDuplicate
        } else if has(&["出版物"]) {
            D::RejectedPublication
        } else if has(&["大量反复"]) {
            D::RejectedMassRepeated
        } else if has(&["确认", "重新出具"]) {
            D::RejectedConfirmation
        } else {
            return Err(format!(
                "“{t}”未写明不予处理的情形：请写明信访举报投诉、重复申请、公开出版物、大量反复申请或要求确认、重新出具"
            ));
        }
    } else if has(&["公开", "同意", "已提供", "提供"]) {
        D::Granted
    } else if has(&["其他"]) {
        D::OtherOther
    } else {
        return Err(format!(
            "无法识别的办理结果“{t}”：可写 予以公开、部分公开、不予公开（理由）、无法提供（情形）、不予处理（情形）、撤回、逾期不补正、办理中 等"
        ));
    };
    Ok(Some(Outcome::Decided(d)))
}

fn applicant_kind(text: &str) -> Option<ApplicantKind> {
    if let Ok(k) = ApplicantKind::parse(text) {
        return Some(k);
    }
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    Some(if has(&["律师", "法律服务"]) {
        ApplicantKind::LegalService
    } else if has(&["科研", "研究", "高校", "大学", "学院"]) {
        ApplicantKind::Research
    } else if has(&["公益", "基金会", "协会"]) {
        ApplicantKind::SocialWelfare
    } else if has(&["企业", "公司", "商业", "厂", "集团", "合作社"]) {
        ApplicantKind::Commercial
    } else if has(&["自然人", "个人", "公民", "群众"]) {
        ApplicantKind::NaturalPerson
    } else if has(&["其他", "组织", "单位", "委员会"]) {
        ApplicantKind::OtherOrganisation
    } else {
        return None;
    })
}

/// The kind guessed from the name when the sheet has no 申请人类型: an organisation's
/// name (公司, 律师事务所, 大学 …) or else a person.
fn guess_kind(name: &str) -> ApplicantKind {
    match applicant_kind(name) {
        Some(ApplicantKind::NaturalPerson) | None => ApplicantKind::NaturalPerson,
        Some(k) => k,
    }
}

fn channel(text: &str, received: NaiveDate) -> Channel {
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if has(&["网", "在线", "平台", "邮箱", "电子邮件"]) {
        Channel::Online {
            submitted_on: received,
        }
    } else if has(&["传真"]) {
        Channel::Fax { sent_on: received }
    } else if has(&["平信", "普通信"]) {
        Channel::OrdinaryMail {
            arrived_on: received,
        }
    } else if has(&["邮", "信函", "快递", "挂号"]) {
        Channel::PostWithSignature
    } else {
        Channel::InPerson {
            oral: has(&["口头"]),
        }
    }
}

fn reply_method(text: &str) -> ReplyMethod {
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if has(&["电子邮件", "邮箱", "email", "Email", "E-mail"]) {
        ReplyMethod::Email
    } else if has(&["网", "平台", "在线"]) {
        ReplyMethod::Online
    } else if has(&["传真"]) {
        ReplyMethod::Fax
    } else if has(&["当面", "现场", "自取", "领取", "当场"]) {
        ReplyMethod::InPerson
    } else {
        ReplyMethod::Post
    }
}

/// Reads one cell of `field` (`Cell::Empty` when unmapped or past the row's end).
pub(super) fn cell<'a>(row: &'a [Cell], cols: &Columns, field: Field) -> &'a Cell {
    cols.fields
        .get(&field)
        .and_then(|c| row.get(*c))
        .unwrap_or(&Cell::Empty)
}

/// A date cell of `field`: `Ok(None)` if blank, a refusal if it is not a date or is
/// after today.
pub(super) fn date(
    row: &[Cell],
    n: usize,
    cols: &Columns,
    field: Field,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, Refusal> {
    let c = cell(row, cols, field);
    if c.is_empty() {
        return Ok(None);
    }
    let refuse = |reason: String| Refusal {
        row: n,
        column: Some(cols.header(field).to_string()),
        reason,
    };
    let Some(d) = dates::parse_cell(c) else {
        return Err(refuse(format!(
            "“{}”不是可识别的日期（可写 2025-03-03、2025/3/3、2025年3月3日、25-3-3 或 Excel 日期）",
            c.text()
        )));
    };
    if d > today {
        return Err(refuse(format!(
            "日期 {} 晚于今天（{}），不能导入未来的日期",
            date_zh(d),
            date_zh(today)
        )));
    }
    Ok(Some(d))
}

fn no(text: &str) -> bool {
    matches!(
        text,
        "否" | "无" | "没有" | "-" | "—" | "／" | "/" | "不需要" | "未"
    )
}

pub(super) fn plan_row(
    row: &[Cell],
    n: usize,
    cols: &Columns,
    source: &str,
    ctx: &Context<'_>,
) -> Result<PlannedApplication, Refusal> {
    let today = ctx.today;
    let refuse = |field: Option<Field>, reason: String| Refusal {
        row: n,
        column: field.map(|f| cols.header(f).to_string()),
        reason,
    };
    let name = squash(&cell(row, cols, Field::Applicant).text());
    if name.is_empty() {
        return Err(refuse(Some(Field::Applicant), "申请人为空".into()));
    }
    let request = squash(&cell(row, cols, Field::Request).text());
    if request.is_empty() {
        return Err(refuse(Some(Field::Request), "申请内容为空".into()));
    }
    let Some(received) = date(row, n, cols, Field::Received, today)? else {
        return Err(refuse(Some(Field::Received), "收到日期为空".into()));
    };
    let kind_text = cell(row, cols, Field::ApplicantKind).text();
    let kind = if kind_text.is_empty() {
        guess_kind(&name)
    } else {
        applicant_kind(&kind_text).ok_or_else(|| {
            refuse(
                Some(Field::ApplicantKind),
                format!(
                    "申请人类型“{kind_text}”无法识别，可用：{}",
                    ApplicantKind::ALL
                        .iter()
                        .map(|k| k.label())
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            )
        })?
    };
    let number = Some(cell(row, cols, Field::Number).text()).filter(|s| !s.is_empty());
    let doc_number = Some(cell(row, cols, Field::DocumentNumber).text()).filter(|s| !s.is_empty());
    let mut note = format!("导入自 {source} 第 {n} 行");
    if let Some(no) = &number {
        note.push_str(&format!("（原编号 {no}）"));
    }
    let mut events = vec![(
        received,
        EventKind::Received {
            channel: channel(&cell(row, cols, Field::Channel).text(), received),
        },
        Some(note),
    )];

    // 补正: a date (when the office asked), or 否/无; 是 without a date cannot be dated.
    let corr_text = cell(row, cols, Field::Correction).text();
    let corrected = date(row, n, cols, Field::Corrected, today)?;
    if !corr_text.is_empty() && !no(&corr_text) {
        let Some(asked) = date(row, n, cols, Field::Correction, today)? else {
            return Err(refuse(Some(Field::Correction), "补正日期为空".into()));
        };
        events.push((
            asked,
            EventKind::CorrectionRequested {
                items: format!("{GRANDFATHERED}原表未载明补正事项"),
                due: asked.checked_add_days(Days::new(15)).unwrap_or(asked),
            },
            None,
        ));
        if let Some(c) = corrected {
            events.push((c, EventKind::Corrected, None));
        }
    } else if corrected.is_some() {
        return Err(refuse(
            Some(Field::Corrected),
            "有补正后收到日期，但没有补正（告知）日期".into(),
        ));
    }

    // 延期: the date the reply period was extended.
    let ext_text = cell(row, cols, Field::Extension).text();
    if !ext_text.is_empty() && !no(&ext_text) {
        let d = match dates::parse_cell(cell(row, cols, Field::Extension)) {
            Some(_) => date(row, n, cols, Field::Extension, today)?,
            None => None,
        };
        let Some(d) = d else {
            return Err(refuse(
                Some(Field::Extension),
                format!("“{ext_text}”：延期须写延期（告知）的日期，如 2025-03-20"),
            ));
        };
        events.push((
            d,
            EventKind::Extended {
                days: 20,
                approved_by: GRANDFATHERED.into(),
                applicant_notified_on: d,
            },
            None,
        ));
    }

    let outcome_text = cell(row, cols, Field::Decision).text();
    let outcome = parse_outcome(&outcome_text).map_err(|r| refuse(Some(Field::Decision), r))?;
    let replied = date(row, n, cols, Field::Replied, today)?;
    match (outcome, replied) {
        (None, None) => {}
        (None, Some(_)) if outcome_text.is_empty() => {
            return Err(refuse(
                Some(Field::Decision),
                "有答复日期但办理结果为空：请写明办理结果（如 予以公开）".into(),
            ));
        }
        (None, Some(_)) => {
            return Err(refuse(
                Some(Field::Decision),
                format!("办理结果为“{outcome_text}”（在办），但已有答复日期"),
            ));
        }
        (Some(_), None) => {
            return Err(refuse(
                Some(Field::Replied),
                format!("办理结果为“{outcome_text}”，但答复日期为空"),
            ));
        }
        (Some(o), Some(r)) => {
            let has_corr = events
                .iter()
                .any(|e| matches!(e.1, EventKind::CorrectionRequested { .. }));
            let has_corrected = events.iter().any(|e| matches!(e.1, EventKind::Corrected));
            if has_corr && !has_corrected && o != Outcome::NotCorrected && o != Outcome::Withdrawn {
                return Err(refuse(
                    Some(Field::Corrected),
                    "有补正日期和答复日期，但没有补正后收到日期：请填写申请人提交补正的日期，或办理结果写“逾期不补正”".into(),
                ));
            }
            match o {
                Outcome::Decided(d) => {
                    events.push((r, EventKind::Decided { decision: d }, None));
                    events.push((
                        r,
                        EventKind::ReplySent {
                            method: reply_method(&cell(row, cols, Field::ReplyMethod).text()),
                        },
                        None,
                    ));
                }
                Outcome::Withdrawn => events.push((
                    r,
                    EventKind::Withdrawn {
                        reason: Some(outcome_text.clone()),
                    },
                    None,
                )),
                Outcome::NotCorrected => events.push((r, EventKind::NotCorrected, None)),
                Outcome::FeeNotPaid => events.push((r, EventKind::FeeNotPaid, None)),
            }
        }
    }

    let planned = PlannedApplication {
        row: n,
        key: identity(received, &name, &request),
        number,
        applicant: Applicant {
            kind,
            name,
            identity: None,
            contact: Contact::default(),
            representative: None,
        },
        request: InformationRequest {
            description: request,
            document_number: doc_number,
            form: InformationForm::default(),
            delivery: Delivery::default(),
            fee_units: 1,
        },
        events,
    };
    // The ledger's own checks (order of events, deadlines of a correction …).
    planned
        .build(
            ApplicationId("导入".into()),
            ctx,
            DateTime::<Utc>::MIN_UTC,
            "导入",
        )
        .map_err(|e| refuse(None, e.to_string()))?;
    Ok(planned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words() {
        use Decision as D;
        let d = |t: &str| parse_outcome(t).unwrap();
        assert_eq!(d("予以公开"), Some(Outcome::Decided(D::Granted)));
        assert_eq!(d("已公开"), Some(Outcome::Decided(D::Granted)));
        assert_eq!(d("部分公开"), Some(Outcome::Decided(D::PartiallyGranted)));
        assert_eq!(
            d("不予公开（国家秘密）"),
            Some(Outcome::Decided(D::DeniedStateSecret))
        );
        assert_eq!(d("信息不存在"), Some(Outcome::Decided(D::UnableNotHeld)));
        assert_eq!(
            d("不予处理-重复申请"),
            Some(Outcome::Decided(D::RejectedDuplicate))
        );
        assert_eq!(d("申请人撤回"), Some(Outcome::Withdrawn));
        assert_eq!(d("逾期不补正"), Some(Outcome::NotCorrected));
        assert_eq!(d("办理中"), None);
        assert_eq!(d(""), None);
        assert_eq!(d("granted"), Some(Outcome::Decided(D::Granted)));
        assert!(parse_outcome("不予公开").unwrap_err().contains("理由"));
        assert!(parse_outcome("已阅").unwrap_err().contains("无法识别"));
    }
}
