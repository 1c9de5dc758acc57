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
use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A refusal about one field of a form (the form's field name, e.g. `delivery`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The form field's name; empty when the refusal is about the form as a whole.
    pub field: &'static str,
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// `Err(message)` → a [`FieldError`] about `field`.
pub fn at(field: &'static str) -> impl Fn(String) -> FieldError {
    move |message| FieldError { field, message }
}

/// The field of an event form a refusal of the ledger is about (by its stable code), or
/// empty: the message then stands at the head of the form.
pub fn event_field(code: &str) -> &'static str {
    match code {
        "future_date"
        | "before_receipt"
        | "not_received"
        | "after_closing"
        | "answered_before_consultation"
        | "awaiting_correction"
        | "correction_still_open"
        | "fee_window_open"
        | "duplicate_receipt" => "date",
        "correction_due_before_request" => "due",
        "notified_before_extension" => "applicant_notified_on",
        "extension_too_long" | "extension_zero" => "days",
        "unknown_consultation" | "consultation_already_answered" => "consultation_seq",
        "fee_notice_received_before_sent" => "received_by_applicant_on",
        "fee_amount_mismatch" | "negative_amount" => "amount",
        "monthly_count_mismatch" => "earlier_units",
        "delayed_deadline_not_later" => "deadline",
        "decision_requires_event" | "not_corrected_yet" => "decision",
        "confirmed_before_arrival" => "earlier_date",
        _ => "",
    }
}

/// A refused form re-rendered: which form, every value the clerk entered, and the
/// refusal beside its field. Templates ask it for each field's value ([`Refusal::v`]),
/// whether an option is selected ([`Refusal::sel`]) and the message beside a field
/// ([`Refusal::err`]); the forms that were not refused show their defaults
/// ([`Refusal::default_value`], `date` fields: today).
#[derive(Debug, Clone, Default)]
pub struct Refusal {
    /// The refused form (an event type, `appeal`, `conclude-<id>`, `document` …), or empty.
    pub form: String,
    values: HashMap<String, String>,
    /// The field the message is about (empty: the form as a whole).
    pub field: String,
    pub message: String,
    today: String,
    defaults: HashMap<(String, String), String>,
}

impl Refusal {
    /// The refusal of `form` with the values of `entered` (a form struct: its fields by
    /// name, the CSRF token left out).
    pub fn new<T: Serialize>(form: &str, entered: &T, error: &FieldError) -> Self {
        let values = match serde_json::to_value(entered) {
            Ok(serde_json::Value::Object(map)) => map
                .into_iter()
                .filter(|(k, _)| k != "csrf")
                .filter_map(|(k, v)| match v {
                    serde_json::Value::String(s) => Some((k, s)),
                    _ => None,
                })
                .collect(),
            _ => HashMap::new(),
        };
        Refusal {
            form: form.to_string(),
            values,
            field: error.field.to_string(),
            message: error.message.clone(),
            ..Refusal::default()
        }
    }

    /// Today's date, the default of every `date` field.
    pub fn today(mut self, today: NaiveDate) -> Self {
        self.today = today.to_string();
        self
    }

    /// The default of `form`'s `field` when it was not refused.
    pub fn default_value(mut self, form: &str, field: &str, value: impl ToString) -> Self {
        self.defaults
            .insert((form.to_string(), field.to_string()), value.to_string());
        self
    }

    /// Whether `form` is the refused one.
    pub fn is(&self, form: &str) -> bool {
        !self.form.is_empty() && self.form == form
    }

    /// The value of `form`'s `field`: what was entered if `form` was refused, else its
    /// default.
    pub fn v(&self, form: &str, field: &str) -> String {
        if self.is(form) {
            return self.values.get(field).cloned().unwrap_or_default();
        }
        match self.defaults.get(&(form.to_string(), field.to_string())) {
            Some(v) => v.clone(),
            None if field == "date" => self.today.clone(),
            None => String::new(),
        }
    }

    /// Whether `value` is the selected option of `form`'s `field`.
    pub fn sel(&self, form: &str, field: &str, value: &str) -> bool {
        self.v(form, field) == value
    }

    /// The message beside `form`'s `field`, or empty.
    pub fn err(&self, form: &str, field: &str) -> &str {
        if self.is(form) && self.field == field {
            &self.message
        } else {
            ""
        }
    }
}

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
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
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
            fee_units: "1".into(),
            received_on: today.to_string(),
            ..RegisterForm::default()
        }
    }

    pub fn to_new(&self) -> Result<NewApplication, FieldError> {
        let kind: ApplicantKind = pick(&self.kind).map_err(at("kind"))?;
        let name = required("申请人姓名或名称", &self.name).map_err(at("name"))?;
        let identity = match optional(&self.id_number) {
            Some(number) => Some(Identity {
                document: if self.id_document.trim().is_empty() {
                    IdDocument::default_for(kind)
                } else {
                    pick(&self.id_document).map_err(at("id_document"))?
                },
                number,
            }),
            None => None,
        };
        let description = required("所需政府信息", &self.description).map_err(at("description"))?;
        let form = pick(&self.form).map_err(at("form"))?;
        let delivery = pick(&self.delivery).map_err(at("delivery"))?;
        let fee_units = opt_number("计件数", &self.fee_units)
            .map_err(at("fee_units"))?
            .unwrap_or(1);
        let channel: ChannelKind = pick(&self.channel).map_err(at("channel"))?;
        let received_on = date("收到日期", &self.received_on).map_err(at("received_on"))?;
        let earlier =
            opt_date("提交（到达）日期", &self.earlier_date).map_err(at("earlier_date"))?;
        Ok(NewApplication {
            id: optional(&self.id).map(gongkai_ledger::ApplicationId),
            applicant: Applicant {
                kind,
                name,
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
                description,
                document_number: optional(&self.document_number),
                form,
                delivery,
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

/// The field of the registration form a refusal of the service is about.
pub fn register_field(code: &str) -> &'static str {
    match code {
        "future_date" => "received_on",
        "confirmed_before_arrival" => "earlier_date",
        "duplicate_application" | "application_exists" => "id",
        _ => "",
    }
}

/// One form for every event type; `type` says which fields count.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
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
    pub fn to_draft(&self) -> Result<EventDraft, FieldError> {
        let d = date("日期", &self.date).map_err(at("date"))?;
        let complete = DraftKind::Complete;
        let kind = match pick::<EventType>(&self.kind).map_err(at("type"))? {
            EventType::Received => complete(EventKind::Received {
                channel: pick::<ChannelKind>(&self.channel)
                    .map_err(at("channel"))?
                    .with_dates(
                        opt_date("提交（到达）日期", &self.earlier_date)
                            .map_err(at("earlier_date"))?,
                        d,
                    ),
            }),
            EventType::CorrectionRequested => complete(EventKind::CorrectionRequested {
                items: required("需要补正的事项", &self.items).map_err(at("items"))?,
                due: date("补正期限", &self.due).map_err(at("due"))?,
            }),
            EventType::Corrected => complete(EventKind::Corrected),
            EventType::NotCorrected => complete(EventKind::NotCorrected),
            EventType::ConsultationSent => complete(EventKind::ConsultationSent {
                consultation: pick::<ConsultationKind>(&self.consultation)
                    .map_err(at("consultation"))?,
                party: required("征求意见对象", &self.party).map_err(at("party"))?,
            }),
            EventType::ConsultationAnswered => complete(EventKind::ConsultationAnswered {
                consultation_seq: number("征求意见事项序号", &self.consultation_seq)
                    .map_err(at("consultation_seq"))?,
                consents: match self.consents.trim() {
                    "yes" => Some(true),
                    "no" => Some(false),
                    "" => None,
                    other => {
                        return Err(FieldError {
                            field: "consents",
                            message: format!("“意见”无效：{other}（应为 yes、no 或空）"),
                        });
                    }
                },
            }),
            EventType::Extended => DraftKind::Extended {
                days: number("延长的工作日数", &self.days).map_err(at("days"))?,
                approved_by: required("批准人", &self.approved_by).map_err(at("approved_by"))?,
                applicant_notified_on: opt_date("告知申请人日期", &self.applicant_notified_on)
                    .map_err(at("applicant_notified_on"))?,
            },
            EventType::FeeNoticeSent => DraftKind::FeeNotice {
                basis: match self.basis.trim() {
                    "per_volume" => FeeDraft::PerVolume {
                        pages: number("页数", &self.pages).map_err(at("pages"))?,
                    },
                    "per_application" | "" => FeeDraft::PerApplication {
                        units: opt_number("本申请计件数", &self.units).map_err(at("units"))?,
                        earlier_units: opt_number("本月此前件数", &self.earlier_units)
                            .map_err(at("earlier_units"))?,
                    },
                    other => {
                        return Err(FieldError {
                            field: "basis",
                            message: format!(
                                "“计费方式”无效：{other}（应为 per_application 或 per_volume）"
                            ),
                        });
                    }
                },
                amount: opt_money("金额", &self.amount).map_err(at("amount"))?,
                received_by_applicant_on: opt_date(
                    "申请人收到通知日期",
                    &self.received_by_applicant_on,
                )
                .map_err(at("received_by_applicant_on"))?,
            },
            EventType::FeePaid => DraftKind::FeePaid {
                amount: opt_money("缴费金额", &self.amount).map_err(at("amount"))?,
            },
            EventType::FeeNotPaid => complete(EventKind::FeeNotPaid),
            EventType::DelayedReplyNotice => complete(EventKind::DelayedReplyNotice {
                deadline: date("确定的答复期限", &self.deadline).map_err(at("deadline"))?,
                reason: required("理由", &self.reason).map_err(at("reason"))?,
            }),
            EventType::Decided => complete(EventKind::Decided {
                decision: pick::<Decision>(&self.decision).map_err(at("decision"))?,
            }),
            EventType::ReplySent => complete(EventKind::ReplySent {
                method: pick::<ReplyMethod>(&self.method).map_err(at("method"))?,
            }),
            EventType::Withdrawn => complete(EventKind::Withdrawn {
                reason: optional(&self.reason),
            }),
            EventType::Amended => {
                return Err(FieldError {
                    field: "",
                    message: "更正登记信息请使用“更正登记信息”表单（须说明理由）".into(),
                });
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
        let e = f.to_draft().unwrap_err();
        assert!(e.message.contains("日期"));
        assert_eq!(e.field, "date");
        let f = EventForm {
            kind: "decided".into(),
            date: "2025-03-03".into(),
            decision: "nope".into(),
            ..EventForm::default()
        };
        let e = f.to_draft().unwrap_err();
        assert!(e.message.starts_with("答复结论“nope”无效"));
        assert_eq!(e.field, "decision");
        let f = EventForm {
            kind: "reply_sent".into(),
            date: "2025-03-03".into(),
            method: "pigeon".into(),
            ..EventForm::default()
        };
        let e = f.to_draft().unwrap_err();
        assert!(e.message.starts_with("送达方式“pigeon”无效"));
        assert_eq!(e.field, "method");
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
        let e = f.to_new().unwrap_err();
        assert_eq!(e.message, "请填写“申请人姓名或名称”");
        assert_eq!(e.field, "name");
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
        let e = f.to_new().unwrap_err();
        assert!(e.message.starts_with("获取方式“carrier_pigeon”无效"));
        assert_eq!(e.field, "delivery");
        let f = RegisterForm {
            delivery: "email".into(),
            channel: "post_signature".into(),
            ..f
        };
        let e = f.to_new().unwrap_err();
        assert!(e.message.starts_with("提交渠道“post_signature”无效"));
        assert_eq!(e.field, "channel");
    }
}
