//! Corrections (更正) of what was registered about an application, without losing history.
//!
//! The log stays append-only: a correction is an [`crate::EventKind::Amended`] event that
//! supersedes named fields — the applicant's name and type, the contact details, the
//! channel and receipt date, the request text (and document number), the form and the
//! delivery wished — with a required reason. Each change records the value it replaced
//! (`from`) and the new one (`to`), so the timeline shows old → new, who and why, and the
//! registration as first entered can always be recovered ([`Application::original`]).
//!
//! The application's fields hold the current (corrected) values once its log is replayed
//! ([`Application::replay_amendments`]; appending does it as it goes), so the year-end
//! tables follow the corrected applicant type; the fold substitutes the corrected receipt
//! for the registered one, so the deadlines follow the corrected receipt date. A
//! correction applies to every date (it fixes a record, not the facts), but only from the
//! moment it was recorded: a frozen year-end report (`known_by`) keeps what was known then.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::application::{ApplicantKind, Application, Channel, Contact, Delivery, InformationForm};
use crate::error::LedgerError;
use crate::event::{Event, EventKind, EventType};

/// The receipt of art. 31: the legal receipt date and the channel it came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Receipt {
    pub date: NaiveDate,
    pub channel: Channel,
}

/// One superseded field: the value replaced and the new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "field", rename_all = "snake_case")]
pub enum FieldChange {
    /// 申请人姓名或名称.
    ApplicantName { from: String, to: String },
    /// 申请人类型 (the column of table 三).
    ApplicantKind {
        from: ApplicantKind,
        to: ApplicantKind,
    },
    /// 联系方式.
    Contact { from: Contact, to: Contact },
    /// 提交渠道和收到申请日期.
    Receipt { from: Receipt, to: Receipt },
    /// 所需政府信息的名称、文号或特征性描述.
    Description { from: String, to: String },
    /// 文号.
    DocumentNumber {
        from: Option<String>,
        to: Option<String>,
    },
    /// 载体形式.
    Form {
        from: InformationForm,
        to: InformationForm,
    },
    /// 获取方式.
    Delivery { from: Delivery, to: Delivery },
}

fn contact_zh(c: &Contact) -> String {
    let parts: Vec<String> = [
        ("电话", &c.phone),
        ("电子邮箱", &c.email),
        ("地址", &c.address),
        ("邮编", &c.postcode),
    ]
    .iter()
    .filter_map(|(l, v)| v.as_ref().map(|v| format!("{l} {v}")))
    .collect();
    if parts.is_empty() {
        "（无）".into()
    } else {
        parts.join("，")
    }
}

fn receipt_zh(r: &Receipt) -> String {
    let earlier = r
        .channel
        .earlier_date()
        .filter(|d| *d != r.date)
        .map(|d| format!("（{}）", crate::calendar::date_zh(d)))
        .unwrap_or_default();
    format!(
        "{}，{}{earlier}",
        crate::calendar::date_zh(r.date),
        r.channel.label_zh()
    )
}

impl FieldChange {
    /// The field's Chinese name, e.g. `申请人类型`.
    pub fn field_zh(&self) -> &'static str {
        match self {
            FieldChange::ApplicantName { .. } => "申请人姓名或名称",
            FieldChange::ApplicantKind { .. } => "申请人类型",
            FieldChange::Contact { .. } => "联系方式",
            FieldChange::Receipt { .. } => "提交渠道和收到日期",
            FieldChange::Description { .. } => "所需信息",
            FieldChange::DocumentNumber { .. } => "文号",
            FieldChange::Form { .. } => "载体形式",
            FieldChange::Delivery { .. } => "获取方式",
        }
    }

    /// The old and the new value in words.
    pub fn values_zh(&self) -> (String, String) {
        let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "（无）".into());
        match self {
            FieldChange::ApplicantName { from, to } | FieldChange::Description { from, to } => {
                (from.clone(), to.clone())
            }
            FieldChange::ApplicantKind { from, to } => {
                (from.label_zh().into(), to.label_zh().into())
            }
            FieldChange::Contact { from, to } => (contact_zh(from), contact_zh(to)),
            FieldChange::Receipt { from, to } => (receipt_zh(from), receipt_zh(to)),
            FieldChange::DocumentNumber { from, to } => (opt(from), opt(to)),
            FieldChange::Form { from, to } => (from.label_zh().into(), to.label_zh().into()),
            FieldChange::Delivery { from, to } => (from.label_zh().into(), to.label_zh().into()),
        }
    }

    /// `申请人类型：自然人 → 商业企业`.
    pub fn describe_zh(&self) -> String {
        let (from, to) = self.values_zh();
        format!("{}：{from} → {to}", self.field_zh())
    }

    /// Whether the change changes nothing.
    fn is_noop(&self) -> bool {
        match self {
            FieldChange::ApplicantName { from, to } | FieldChange::Description { from, to } => {
                from == to
            }
            FieldChange::ApplicantKind { from, to } => from == to,
            FieldChange::Contact { from, to } => from == to,
            FieldChange::Receipt { from, to } => from == to,
            FieldChange::DocumentNumber { from, to } => from == to,
            FieldChange::Form { from, to } => from == to,
            FieldChange::Delivery { from, to } => from == to,
        }
    }

    /// Dates of the new value that must not lie in the future.
    pub(crate) fn dates(&self) -> Vec<NaiveDate> {
        match self {
            FieldChange::Receipt { to, .. } => std::iter::once(to.date)
                .chain(to.channel.earlier_date())
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The new values of a correction, as a front end enters them (`None`: unchanged). The
/// ledger turns it into [`FieldChange`]s against the current values
/// ([`Application::amendment`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AmendDraft {
    pub applicant_name: Option<String>,
    pub applicant_kind: Option<ApplicantKind>,
    pub contact: Option<Contact>,
    /// The corrected receipt date (the channel's earlier date follows unless given).
    pub received_on: Option<NaiveDate>,
    pub channel: Option<Channel>,
    pub description: Option<String>,
    /// `Some(None)` clears the document number.
    pub document_number: Option<Option<String>>,
    pub form: Option<InformationForm>,
    pub delivery: Option<Delivery>,
}

fn trimmed(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl Application {
    /// The receipt as currently recorded (the first `Received` event, as corrected).
    pub fn receipt(&self) -> Option<Receipt> {
        self.receipt_known_by(None)
    }

    /// The receipt as corrected by the amendments recorded by `known_by` (all if `None`).
    pub(crate) fn receipt_known_by(&self, known_by: Option<DateTime<Utc>>) -> Option<Receipt> {
        let first = self.events.iter().find_map(|e| match e.kind {
            EventKind::Received { channel } => Some(Receipt {
                date: e.date,
                channel,
            }),
            _ => None,
        })?;
        Some(
            self.amendments()
                .filter(|(e, _)| known_by.is_none_or(|k| e.recorded_at <= k))
                .flat_map(|(_, changes)| changes.iter())
                .fold(first, |r, c| match c {
                    FieldChange::Receipt { to, .. } => *to,
                    _ => r,
                }),
        )
    }

    /// The `Amended` events in log order, with their changes.
    pub fn amendments(&self) -> impl Iterator<Item = (&Event, &[FieldChange])> {
        self.events.iter().filter_map(|e| match &e.kind {
            EventKind::Amended { changes, .. } => Some((e, changes.as_slice())),
            _ => None,
        })
    }

    /// The changes a correction makes to the current values (unchanged fields left out).
    /// Refused when nothing changes or a required text is emptied.
    pub fn amendment(&self, draft: &AmendDraft) -> Result<Vec<FieldChange>, LedgerError> {
        let a = &self.applicant;
        let r = &self.request;
        let mut out = Vec::new();
        if let Some(name) = &draft.applicant_name {
            let to = trimmed(name).ok_or(LedgerError::EmptyField {
                field: "申请人姓名或名称",
            })?;
            out.push(FieldChange::ApplicantName {
                from: a.name.clone(),
                to,
            });
        }
        if let Some(k) = draft.applicant_kind {
            out.push(FieldChange::ApplicantKind {
                from: a.kind,
                to: k,
            });
        }
        if let Some(c) = &draft.contact {
            let clean = |v: &Option<String>| v.as_deref().and_then(trimmed);
            out.push(FieldChange::Contact {
                from: a.contact.clone(),
                to: Contact {
                    phone: clean(&c.phone),
                    email: clean(&c.email),
                    address: clean(&c.address),
                    postcode: clean(&c.postcode),
                },
            });
        }
        if draft.received_on.is_some() || draft.channel.is_some() {
            let from = self.receipt().ok_or(LedgerError::NotReceived {
                event: EventType::Amended,
            })?;
            let date = draft.received_on.unwrap_or(from.date);
            let channel = match draft.channel {
                Some(c) => c,
                // A new receipt date moves the channel's earlier date along when it was
                // the receipt date itself.
                None => {
                    let kind = from.channel.kind();
                    let earlier = from.channel.earlier_date().filter(|d| *d != from.date);
                    kind.with_dates(earlier, date)
                }
            };
            out.push(FieldChange::Receipt {
                from,
                to: Receipt { date, channel },
            });
        }
        if let Some(d) = &draft.description {
            let to = trimmed(d).ok_or(LedgerError::EmptyField {
                field: "所需政府信息的名称、文号或特征性描述",
            })?;
            out.push(FieldChange::Description {
                from: r.description.clone(),
                to,
            });
        }
        if let Some(n) = &draft.document_number {
            out.push(FieldChange::DocumentNumber {
                from: r.document_number.clone(),
                to: n.as_deref().and_then(trimmed),
            });
        }
        if let Some(f) = draft.form {
            out.push(FieldChange::Form {
                from: r.form,
                to: f,
            });
        }
        if let Some(d) = draft.delivery {
            out.push(FieldChange::Delivery {
                from: r.delivery,
                to: d,
            });
        }
        out.retain(|c| !c.is_noop());
        if out.is_empty() {
            return Err(LedgerError::NothingToAmend);
        }
        Ok(out)
    }

    /// Checks a correction against the current values (before it is appended).
    pub(crate) fn check_amendment(
        &self,
        changes: &[FieldChange],
        reason: &str,
    ) -> Result<(), LedgerError> {
        if reason.trim().is_empty() {
            return Err(LedgerError::EmptyField {
                field: "更正理由"
            });
        }
        if changes.is_empty() || changes.iter().all(FieldChange::is_noop) {
            return Err(LedgerError::NothingToAmend);
        }
        let a = &self.applicant;
        let r = &self.request;
        for c in changes {
            let current = match c {
                FieldChange::ApplicantName { from, to } => {
                    if to.trim().is_empty() {
                        return Err(LedgerError::EmptyField {
                            field: "申请人姓名或名称",
                        });
                    }
                    *from == a.name
                }
                FieldChange::ApplicantKind { from, .. } => *from == a.kind,
                FieldChange::Contact { from, .. } => *from == a.contact,
                FieldChange::Receipt { from, to } => {
                    let Some(now) = self.receipt() else {
                        return Err(LedgerError::NotReceived {
                            event: EventType::Amended,
                        });
                    };
                    if let Some(earlier) = to.channel.earlier_date()
                        && earlier > to.date
                    {
                        return Err(LedgerError::ConfirmedBeforeArrival {
                            date: to.date,
                            earlier,
                        });
                    }
                    *from == now
                }
                FieldChange::Description { from, to } => {
                    if to.trim().is_empty() {
                        return Err(LedgerError::EmptyField {
                            field: "所需政府信息的名称、文号或特征性描述",
                        });
                    }
                    *from == r.description
                }
                FieldChange::DocumentNumber { from, .. } => *from == r.document_number,
                FieldChange::Form { from, .. } => *from == r.form,
                FieldChange::Delivery { from, .. } => *from == r.delivery,
            };
            if !current {
                return Err(LedgerError::AmendStale {
                    field: c.field_zh(),
                });
            }
        }
        Ok(())
    }

    /// Sets the fields to the new values of `changes` (the receipt is the fold's).
    pub(crate) fn apply_changes(&mut self, changes: &[FieldChange], forward: bool) {
        fn pick<T>(forward: bool, from: T, to: T) -> T {
            if forward { to } else { from }
        }
        for c in changes {
            match c.clone() {
                FieldChange::ApplicantName { from, to } => {
                    self.applicant.name = pick(forward, from, to)
                }
                FieldChange::ApplicantKind { from, to } => {
                    self.applicant.kind = pick(forward, from, to)
                }
                FieldChange::Contact { from, to } => {
                    self.applicant.contact = pick(forward, from, to)
                }
                FieldChange::Receipt { .. } => {}
                FieldChange::Description { from, to } => {
                    self.request.description = pick(forward, from, to)
                }
                FieldChange::DocumentNumber { from, to } => {
                    self.request.document_number = pick(forward, from, to)
                }
                FieldChange::Form { from, to } => self.request.form = pick(forward, from, to),
                FieldChange::Delivery { from, to } => {
                    self.request.delivery = pick(forward, from, to)
                }
            }
        }
    }

    /// Sets the fields to the values after every correction of the log, in order: what a
    /// store does after loading the application as registered and its log.
    pub fn replay_amendments(&mut self) {
        let all: Vec<FieldChange> = self
            .amendments()
            .flat_map(|(_, c)| c.iter().cloned())
            .collect();
        self.apply_changes(&all, true);
    }

    /// The application as registered, before any correction (the log kept).
    pub fn original(&self) -> Application {
        self.rewound(|_| true)
    }

    /// The application as it was known at `known_by`: corrections recorded later are
    /// undone (all kept if `None`).
    pub fn known_at(&self, known_by: Option<DateTime<Utc>>) -> Cow<'_, Application> {
        match known_by {
            Some(k) if self.amendments().any(|(e, _)| e.recorded_at > k) => {
                Cow::Owned(self.rewound(|e| e.recorded_at > k))
            }
            _ => Cow::Borrowed(self),
        }
    }

    fn rewound(&self, undo: impl Fn(&Event) -> bool) -> Application {
        let mut app = self.clone();
        let undone: Vec<Vec<FieldChange>> = self
            .amendments()
            .filter(|(e, _)| undo(e))
            .map(|(_, c)| c.to_vec())
            .collect();
        for changes in undone.iter().rev() {
            let mut rev = changes.clone();
            rev.reverse();
            app.apply_changes(&rev, false);
        }
        app
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::{Applicant, ApplicationId, Context, InformationRequest};
    use crate::calendar::Calendar;
    use crate::event::NewEvent;
    use crate::settings::Settings;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn app() -> Application {
        Application::new(
            ApplicationId::from("2025-0001"),
            Applicant {
                kind: ApplicantKind::NaturalPerson,
                name: "张三".into(),
                identity: None,
                contact: Contact::default(),
                representative: None,
            },
            InformationRequest {
                description: "某文件".into(),
                document_number: None,
                form: InformationForm::Paper,
                delivery: Delivery::Post,
                fee_units: 1,
            },
        )
        .unwrap()
    }

    #[test]
    fn a_correction_supersedes_fields_and_moves_the_deadline() {
        let cal = Calendar::embedded();
        let ctx = Context::new(&cal, Settings::default(), d("2025-06-30"));
        let mut a = app();
        a.append(
            NewEvent::on(
                d("2025-03-10"),
                EventKind::Received {
                    channel: Channel::InPerson { oral: false },
                },
            ),
            &ctx,
        )
        .unwrap();
        let before = a.state_at(d("2025-03-20"), &cal, Settings::default());
        let changes = a
            .amendment(&AmendDraft {
                applicant_kind: Some(ApplicantKind::Commercial),
                received_on: Some(d("2025-03-03")),
                description: Some("某项目环评批复".into()),
                ..AmendDraft::default()
            })
            .unwrap();
        assert_eq!(changes.len(), 3);
        // Without a reason: refused.
        let no_reason = NewEvent::on(
            d("2025-03-20"),
            EventKind::Amended {
                changes: changes.clone(),
                reason: " ".into(),
            },
        );
        assert_eq!(a.append(no_reason, &ctx).unwrap_err().code(), "empty_field");
        let at = d("2025-03-20").and_hms_opt(9, 0, 0).unwrap().and_utc();
        a.append(
            NewEvent::on(
                d("2025-03-20"),
                EventKind::Amended {
                    changes,
                    reason: "登记时录入错误".into(),
                },
            )
            .recorded(at, "li"),
            &ctx,
        )
        .unwrap();
        assert_eq!(a.applicant.kind, ApplicantKind::Commercial);
        assert_eq!(a.request.description, "某项目环评批复");
        assert_eq!(a.received_on(), Some(d("2025-03-03")));
        let after = a.state_at(d("2025-03-20"), &cal, Settings::default());
        assert!(after.deadline() < before.deadline());
        // The registration as first entered is kept; a report frozen before the
        // correction does not see it.
        assert_eq!(a.original().applicant.kind, ApplicantKind::NaturalPerson);
        let earlier = at - chrono::Duration::hours(1);
        assert_eq!(
            a.known_at(Some(earlier)).applicant.kind,
            ApplicantKind::NaturalPerson
        );
        assert_eq!(
            a.known_at(Some(at)).applicant.kind,
            ApplicantKind::Commercial
        );
        // Replaying the log over the registration gives the same values.
        let mut replayed = a.original();
        replayed.replay_amendments();
        assert_eq!(replayed, a);
        // A correction made against stale values is refused.
        let stale = NewEvent::on(
            d("2025-03-21"),
            EventKind::Amended {
                changes: vec![FieldChange::ApplicantKind {
                    from: ApplicantKind::NaturalPerson,
                    to: ApplicantKind::Research,
                }],
                reason: "再改".into(),
            },
        );
        assert_eq!(a.append(stale, &ctx).unwrap_err().code(), "amend_stale");
        // Nothing to change.
        let same = a.amendment(&AmendDraft {
            applicant_kind: Some(ApplicantKind::Commercial),
            ..AmendDraft::default()
        });
        assert_eq!(same.unwrap_err().code(), "nothing_to_amend");
    }
}
