//! HTML forms → ledger input: a registration form → `NewApplication`, an event form →
//! `EventInput`. Every field arrives as text; what cannot be understood is refused with a
//! Chinese message naming the field (the ledger then checks the meaning: dates, order,
//! limits).

use chrono::NaiveDate;
use gongkai_ledger::fees::{self, FeeBasis};
use gongkai_ledger::{
    Applicant, ApplicantKind, Channel, ConsultationKind, Contact, Decision, Delivery, EventKind,
    IdDocument, Identity, InformationForm, InformationRequest, ReplyMethod,
};
use gongkai_store::{EventInput, NewApplication};
use rust_decimal::Decimal;
use serde::Deserialize;

fn date(field: &str, text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("请填写“{field}”"));
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map_err(|_| format!("“{field}”不是有效日期（应为 年-月-日）：{t}"))
}

fn opt_date(field: &str, text: &str) -> Result<Option<NaiveDate>, String> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        date(field, text).map(Some)
    }
}

fn number(field: &str, text: &str) -> Result<u32, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("请填写“{field}”"));
    }
    t.parse().map_err(|_| format!("“{field}”应为非负整数：{t}"))
}

fn money(field: &str, text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    t.parse::<Decimal>()
        .map_err(|_| format!("“{field}”应为金额（元）：{t}"))
}

fn required(field: &str, text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        Err(format!("请填写“{field}”"))
    } else {
        Ok(t.to_string())
    }
}

fn optional(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The applicant kinds with their labels, for `<select>`.
pub const APPLICANT_KINDS: [(&str, &str); 6] = [
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("social_welfare", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_organisation", "其他组织"),
];

/// Channels of art. 31, for `<select>`.
pub const CHANNELS: [(&str, &str); 6] = [
    ("in_person", "当面提交"),
    ("oral", "口头提出（代为填写）"),
    ("post_signature", "邮寄（需签收）"),
    ("ordinary_mail", "平常信函（无需签收）"),
    ("online", "互联网渠道"),
    ("fax", "传真"),
];

/// Reply methods, for `<select>`.
pub const REPLY_METHODS: [(&str, &str); 5] = [
    ("post", "邮寄"),
    ("in_person", "当面送达"),
    ("email", "电子邮件"),
    ("online", "网上平台"),
    ("fax", "传真"),
];

fn applicant_kind(s: &str) -> Result<ApplicantKind, String> {
    Ok(match s {
        "natural_person" => ApplicantKind::NaturalPerson,
        "commercial" => ApplicantKind::Commercial,
        "research" => ApplicantKind::Research,
        "social_welfare" => ApplicantKind::SocialWelfare,
        "legal_service" => ApplicantKind::LegalService,
        "other_organisation" => ApplicantKind::OtherOrganisation,
        _ => return Err("请选择申请人类型".into()),
    })
}

fn channel(kind: &str, earlier: Option<NaiveDate>, received: NaiveDate) -> Result<Channel, String> {
    let earlier = earlier.unwrap_or(received);
    Ok(match kind {
        "in_person" => Channel::InPerson { oral: false },
        "oral" => Channel::InPerson { oral: true },
        "post_signature" => Channel::PostWithSignature,
        "ordinary_mail" => Channel::OrdinaryMail {
            arrived_on: earlier,
        },
        "online" => Channel::Online {
            submitted_on: earlier,
        },
        "fax" => Channel::Fax { sent_on: earlier },
        _ => return Err("请选择提交方式".into()),
    })
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
    pub fn to_new(&self) -> Result<NewApplication, String> {
        let kind = applicant_kind(&self.kind)?;
        let identity = optional(&self.id_number).map(|number| Identity {
            document: match self.id_document.as_str() {
                "passport" => IdDocument::Passport,
                "other_personal" => IdDocument::OtherPersonal,
                "credit_code" => IdDocument::UnifiedSocialCreditCode,
                "other_organisational" => IdDocument::OtherOrganisational,
                _ if kind == ApplicantKind::NaturalPerson => IdDocument::ResidentIdCard,
                _ => IdDocument::UnifiedSocialCreditCode,
            },
            number,
        });
        let received_on = date("收到日期", &self.received_on)?;
        let earlier = opt_date("提交（到达）日期", &self.earlier_date)?;
        let fee_units = if self.fee_units.trim().is_empty() {
            1
        } else {
            number("计件数", &self.fee_units)?.max(1)
        };
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
                form: match self.form.as_str() {
                    "electronic" => InformationForm::Electronic,
                    "inspection" => InformationForm::Inspection,
                    _ => InformationForm::Paper,
                },
                delivery: match self.delivery.as_str() {
                    "collect" => Delivery::Collect,
                    "email" => Delivery::Email,
                    "online" => Delivery::Online,
                    "fax" => Delivery::Fax,
                    _ => Delivery::Post,
                },
                fee_units,
            },
            received: Some(EventInput {
                date: received_on,
                kind: EventKind::Received {
                    channel: channel(&self.channel, earlier, received_on)?,
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
    /// The event; `earlier_units` is the ledger's count for a per-application fee when the
    /// form leaves it empty.
    pub fn to_input(&self, earlier_units: u32) -> Result<EventInput, String> {
        let d = date("日期", &self.date)?;
        let kind = match self.kind.as_str() {
            "received" => EventKind::Received {
                channel: channel(
                    &self.channel,
                    opt_date("提交（到达）日期", &self.earlier_date)?,
                    d,
                )?,
            },
            "correction_requested" => EventKind::CorrectionRequested {
                items: required("需要补正的事项", &self.items)?,
                due: date("补正期限", &self.due)?,
            },
            "corrected" => EventKind::Corrected,
            "not_corrected" => EventKind::NotCorrected,
            "consultation_sent" => EventKind::ConsultationSent {
                consultation: match self.consultation.as_str() {
                    "co_producer" => ConsultationKind::CoProducer,
                    _ => ConsultationKind::ThirdParty,
                },
                party: required("征求意见对象", &self.party)?,
            },
            "consultation_answered" => EventKind::ConsultationAnswered {
                consultation_seq: number("征求意见事项序号", &self.consultation_seq)?,
                consents: match self.consents.as_str() {
                    "yes" => Some(true),
                    "no" => Some(false),
                    _ => None,
                },
            },
            "extended" => EventKind::Extended {
                days: number("延长的工作日数", &self.days)?,
                approved_by: required("批准人", &self.approved_by)?,
                applicant_notified_on: opt_date("告知申请人日期", &self.applicant_notified_on)?
                    .unwrap_or(d),
            },
            "fee_notice_sent" => {
                let basis = if self.basis == "per_volume" {
                    FeeBasis::PerVolume {
                        pages: number("页数", &self.pages)?,
                    }
                } else {
                    FeeBasis::PerApplication {
                        units: if self.units.trim().is_empty() {
                            1
                        } else {
                            number("本申请计件数", &self.units)?
                        },
                        earlier_units: if self.earlier_units.trim().is_empty() {
                            earlier_units
                        } else {
                            number("本月此前件数", &self.earlier_units)?
                        },
                    }
                };
                let amount = if self.amount.trim().is_empty() {
                    fees::quote(basis).total
                } else {
                    money("金额", &self.amount)?
                };
                EventKind::FeeNoticeSent {
                    basis,
                    amount,
                    received_by_applicant_on: opt_date(
                        "申请人收到通知日期",
                        &self.received_by_applicant_on,
                    )?,
                }
            }
            "fee_paid" => EventKind::FeePaid {
                amount: money("缴费金额", &self.amount)?,
            },
            "fee_not_paid" => EventKind::FeeNotPaid,
            "delayed_reply_notice" => EventKind::DelayedReplyNotice {
                deadline: date("确定的答复期限", &self.deadline)?,
                reason: required("理由", &self.reason)?,
            },
            "decided" => EventKind::Decided {
                decision: Decision::from_row_key(self.decision.trim()).ok_or("请选择答复结论")?,
            },
            "reply_sent" => EventKind::ReplySent {
                method: match self.method.as_str() {
                    "in_person" => ReplyMethod::InPerson,
                    "email" => ReplyMethod::Email,
                    "online" => ReplyMethod::Online,
                    "fax" => ReplyMethod::Fax,
                    _ => ReplyMethod::Post,
                },
            },
            "withdrawn" => EventKind::Withdrawn {
                reason: optional(&self.reason),
            },
            other => return Err(format!("未知的事项类型“{other}”")),
        };
        Ok(EventInput {
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
    fn an_extension_form_becomes_an_event() {
        let f = EventForm {
            kind: "extended".into(),
            date: "2025-03-03".into(),
            days: "20".into(),
            approved_by: "张主任".into(),
            ..EventForm::default()
        };
        let e = f.to_input(0).unwrap();
        assert!(matches!(e.kind, EventKind::Extended { days: 20, .. }));
    }

    #[test]
    fn bad_fields_are_named() {
        let f = EventForm {
            kind: "extended".into(),
            date: "2025-13-03".into(),
            ..EventForm::default()
        };
        assert!(f.to_input(0).unwrap_err().contains("日期"));
        let f = EventForm {
            kind: "decided".into(),
            date: "2025-03-03".into(),
            decision: "nope".into(),
            ..EventForm::default()
        };
        assert_eq!(f.to_input(0).unwrap_err(), "请选择答复结论");
    }

    #[test]
    fn a_fee_notice_without_amount_is_quoted() {
        let f = EventForm {
            kind: "fee_notice_sent".into(),
            date: "2025-03-03".into(),
            basis: "per_volume".into(),
            pages: "40".into(),
            ..EventForm::default()
        };
        match f.to_input(0).unwrap().kind {
            EventKind::FeeNoticeSent { amount, .. } => assert_eq!(amount, Decimal::from(100)),
            k => panic!("{k:?}"),
        }
    }

    #[test]
    fn registration_needs_a_name() {
        let f = RegisterForm {
            kind: "natural_person".into(),
            description: "某文件".into(),
            received_on: "2025-03-03".into(),
            channel: "in_person".into(),
            ..RegisterForm::default()
        };
        assert_eq!(f.to_new().unwrap_err(), "请填写“申请人姓名或名称”");
    }
}
