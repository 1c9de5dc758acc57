//! HTML forms → the service's input: a registration form → `NewApplication`, an event
//! form → `EventDraft`. Every field arrives as text; enumerated fields parse from their
//! one vocabulary (`gongkai_ledger::vocab`, the same names as the API and the command
//! line); what cannot be understood is refused with a Chinese message naming the field,
//! never replaced by a default. Defaults of meaning (a fee's amount, earlier units) are
//! the service's; the ledger then checks dates, order and limits.

use chrono::NaiveDate;
use gongkai_ledger::{
    Applicant, ApplicantKind, ChannelKind, ConsultationKind, Contact, Decision, Delivery,
    EventKind, EventType, IdDocument, Identity, InformationForm, InformationRequest, ReplyMethod,
    Vocabulary,
};
use gongkai_service::applications::DraftKind;
use gongkai_service::{EventDraft, FeeDraft};
use gongkai_store::{EventInput, NewApplication};
use rust_decimal::Decimal;
use serde::Deserialize;

pub fn date(field: &str, text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("请填写“{field}”"));
    }
    gongkai_ledger::parse_date(t)
        .ok_or_else(|| format!("“{field}”不是有效日期（应为 年-月-日）：{t}"))
}

fn opt_date(field: &str, text: &str) -> Result<Option<NaiveDate>, String> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        date(field, text).map(Some)
    }
}

pub fn number(field: &str, text: &str) -> Result<u32, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("请填写“{field}”"));
    }
    t.parse().map_err(|_| format!("“{field}”应为非负整数：{t}"))
}

fn opt_number(field: &str, text: &str) -> Result<Option<u32>, String> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        number(field, text).map(Some)
    }
}

pub fn money(field: &str, text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    t.parse::<Decimal>()
        .map_err(|_| format!("“{field}”应为金额（元）：{t}"))
}

fn opt_money(field: &str, text: &str) -> Result<Option<Decimal>, String> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        money(field, text).map(Some)
    }
}

fn required(field: &str, text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        Err(format!("请填写“{field}”"))
    } else {
        Ok(t.to_string())
    }
}

pub fn optional(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A member of `T`'s vocabulary; empty: “请选择…”, unknown: the field and the names.
pub fn pick<T: Vocabulary>(text: &str) -> Result<T, String> {
    if text.trim().is_empty() {
        return Err(format!("请选择“{}”", T::FIELD_ZH));
    }
    T::parse(text).map_err(|e| e.to_string())
}

/// The `<select>` options of `T`: `(name, label)`.
pub fn options<T: Vocabulary>() -> Vec<(&'static str, &'static str)> {
    T::options()
}

/// The registration form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RegisterForm {
    pub csrf: String,
    pub id: String,
    pub kind: String,
    pub name: String,
    pub id_document: String,
    pub id_number: String,
    pub representative: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub postcode: String,
    pub description: String,
    pub document_number: String,
    pub form: String,
    pub delivery: String,
    pub fee_units: String,
    pub received_on: String,
    pub channel: String,
    pub earlier_date: String,
    pub note: String,
}

impl RegisterForm {
    /// A new form with the usual choices.
    pub fn blank(today: NaiveDate) -> Self {
        RegisterForm {
            kind: ApplicantKind::NaturalPerson.name().into(),
            channel: ChannelKind::InPerson.name().into(),
            form: InformationForm::Paper.name().into(),
            delivery: Delivery::Post.name().into(),
            received_on: today.to_string(),
            ..RegisterForm::default()
        }
    }

    pub fn to_new(&self) -> Result<NewApplication, String> {
        let kind: ApplicantKind = pick(&self.kind)?;
        let identity = match optional(&self.id_number) {
            Some(number) => Some(Identity {
                document: if self.id_document.trim().is_empty() {
                    IdDocument::default_for(kind)
                } else {
                    pick(&self.id_document)?
                },
                number,
            }),
            None => None,
        };
        let received_on = date("收到日期", &self.received_on)?;
        let earlier = opt_date("提交（到达）日期", &self.earlier_date)?;
        let fee_units = opt_number("计件数", &self.fee_units)?.unwrap_or(1);
        let channel: ChannelKind = pick(&self.channel)?;
        Ok(NewApplication {
            id: optional(&self.id).map(gongkai_ledger::ApplicationId),
            applicant: Applicant {
                kind,
                name: required("申请人姓名或名称", &self.name)?,
                identity,
                contact: Contact {
                    phone: optional(&self.phone),
                    email: optional(&self.email),
                    address: optional(&self.address),
                    postcode: optional(&self.postcode),
                },
                representative: optional(&self.representative),
            },
            request: InformationRequest {
                description: required("所需政府信息", &self.description)?,
                document_number: optional(&self.document_number),
                form: pick(&self.form)?,
                delivery: pick(&self.delivery)?,
                fee_units,
            },
            received: Some(EventInput {
                date: received_on,
                kind: EventKind::Received {
                    channel: channel.with_dates(earlier, received_on),
                },
                note: optional(&self.note),
            }),
        })
    }
}

/// One form for every event type; `type` says which fields count.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EventForm {
    pub csrf: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub date: String,
    pub note: String,
    pub channel: String,
    pub earlier_date: String,
    pub items: String,
    pub due: String,
    pub consultation: String,
    pub party: String,
    pub consultation_seq: String,
    pub consents: String,
    pub days: String,
    pub approved_by: String,
    pub applicant_notified_on: String,
    pub basis: String,
    pub units: String,
    pub earlier_units: String,
    pub pages: String,
    pub amount: String,
    pub received_by_applicant_on: String,
    pub deadline: String,
    pub reason: String,
    pub decision: String,
    pub method: String,
}

impl EventForm {
    /// The event as the service takes it (empty amounts and counts: the service's
    /// defaults).
    pub fn to_draft(&self) -> Result<EventDraft, String> {
        let d = date("日期", &self.date)?;
        let complete = DraftKind::Complete;
        let kind = match pick::<EventType>(&self.kind)? {
            EventType::Received => complete(EventKind::Received {
                channel: pick::<ChannelKind>(&self.channel)?
                    .with_dates(opt_date("提交（到达）日期", &self.earlier_date)?, d),
            }),
            EventType::CorrectionRequested => complete(EventKind::CorrectionRequested {
                items: required("需要补正的事项", &self.items)?,
                due: date("补正期限", &self.due)?,
            }),
            EventType::Corrected => complete(EventKind::Corrected),
            EventType::NotCorrected => complete(EventKind::NotCorrected),
            EventType::ConsultationSent => complete(EventKind::ConsultationSent {
                consultation: pick::<ConsultationKind>(&self.consultation)?,
                party: required("征求意见对象", &self.party)?,
            }),
            EventType::ConsultationAnswered => complete(EventKind::ConsultationAnswered {
                consultation_seq: number("征求意见事项序号", &self.consultation_seq)?,
                consents: match self.consents.trim() {
                    "yes" => Some(true),
                    "no" => Some(false),
                    "" => None,
                    other => return Err(format!("“意见”无效：{other}（应为 yes、no 或空）")),
                },
            }),
            EventType::Extended => DraftKind::Extended {
                days: number("延长的工作日数", &self.days)?,
                approved_by: required("批准人", &self.approved_by)?,
                applicant_notified_on: opt_date("告知申请人日期", &self.applicant_notified_on)?,
            },
            EventType::FeeNoticeSent => DraftKind::FeeNotice {
                basis: match self.basis.trim() {
                    "per_volume" => FeeDraft::PerVolume {
                        pages: number("页数", &self.pages)?,
                    },
                    "per_application" | "" => FeeDraft::PerApplication {
                        units: opt_number("本申请计件数", &self.units)?,
                        earlier_units: opt_number("本月此前件数", &self.earlier_units)?,
                    },
                    other => {
                        return Err(format!(
                            "“计费方式”无效：{other}（应为 per_application 或 per_volume）"
                        ));
                    }
                },
                amount: opt_money("金额", &self.amount)?,
                received_by_applicant_on: opt_date(
                    "申请人收到通知日期",
                    &self.received_by_applicant_on,
                )?,
            },
            EventType::FeePaid => DraftKind::FeePaid {
                amount: opt_money("缴费金额", &self.amount)?,
            },
            EventType::FeeNotPaid => complete(EventKind::FeeNotPaid),
            EventType::DelayedReplyNotice => complete(EventKind::DelayedReplyNotice {
                deadline: date("确定的答复期限", &self.deadline)?,
                reason: required("理由", &self.reason)?,
            }),
            EventType::Decided => complete(EventKind::Decided {
                decision: pick::<Decision>(&self.decision)?,
            }),
            EventType::ReplySent => complete(EventKind::ReplySent {
                method: pick::<ReplyMethod>(&self.method)?,
            }),
            EventType::Withdrawn => complete(EventKind::Withdrawn {
                reason: optional(&self.reason),
            }),
            EventType::Amended => {
                return Err("更正登记信息请使用“更正登记信息”表单（须说明理由）".into());
            }
        };
        Ok(EventDraft {
            date: d,
            kind,
            note: optional(&self.note),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_extension_form_becomes_a_draft() {
        let f = EventForm {
            kind: "extended".into(),
            date: "2025-03-03".into(),
            days: "20".into(),
            approved_by: "张主任".into(),
            ..EventForm::default()
        };
        let e = f.to_draft().unwrap();
        assert!(matches!(e.kind, DraftKind::Extended { days: 20, .. }));
    }

    #[test]
    fn bad_fields_are_named() {
        let f = EventForm {
            kind: "extended".into(),
            date: "2025-13-03".into(),
            ..EventForm::default()
        };
        assert!(f.to_draft().unwrap_err().contains("日期"));
        let f = EventForm {
            kind: "decided".into(),
            date: "2025-03-03".into(),
            decision: "nope".into(),
            ..EventForm::default()
        };
        assert!(f.to_draft().unwrap_err().starts_with("答复结论“nope”无效"));
        let f = EventForm {
            kind: "reply_sent".into(),
            date: "2025-03-03".into(),
            method: "pigeon".into(),
            ..EventForm::default()
        };
        assert!(
            f.to_draft()
                .unwrap_err()
                .starts_with("送达方式“pigeon”无效")
        );
    }

    #[test]
    fn a_fee_notice_without_amount_is_left_to_the_service() {
        let f = EventForm {
            kind: "fee_notice_sent".into(),
            date: "2025-03-03".into(),
            basis: "per_volume".into(),
            pages: "40".into(),
            ..EventForm::default()
        };
        match f.to_draft().unwrap().kind {
            DraftKind::FeeNotice { amount, basis, .. } => {
                assert_eq!(amount, None);
                assert_eq!(basis, FeeDraft::PerVolume { pages: 40 });
            }
            k => panic!("{k:?}"),
        }
    }

    #[test]
    fn registration_needs_a_name() {
        let f = RegisterForm {
            description: "某文件".into(),
            ..RegisterForm::blank(NaiveDate::from_ymd_opt(2025, 3, 3).unwrap())
        };
        assert_eq!(f.to_new().unwrap_err(), "请填写“申请人姓名或名称”");
    }

    #[test]
    fn unknown_choices_are_refused_not_defaulted() {
        let base = RegisterForm {
            name: "张三".into(),
            description: "某文件".into(),
            ..RegisterForm::blank(NaiveDate::from_ymd_opt(2025, 3, 3).unwrap())
        };
        let new = base.to_new().unwrap();
        assert_eq!(new.request.delivery, Delivery::Post);
        let f = RegisterForm {
            delivery: "carrier_pigeon".into(),
            ..base
        };
        assert!(
            f.to_new()
                .unwrap_err()
                .starts_with("获取方式“carrier_pigeon”无效")
        );
        let f = RegisterForm {
            delivery: "email".into(),
            channel: "post_signature".into(),
            ..f
        };
        assert!(
            f.to_new()
                .unwrap_err()
                .starts_with("提交渠道“post_signature”无效")
        );
    }
}
