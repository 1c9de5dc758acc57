//! An application (依申请公开): who asked, what for, in what form, through which channel,
//! and its event log.
//!
//! The application's state is never stored: [`Application::state_at`] folds the log up to a
//! date. [`Application::append`] validates the whole log with the new event before adding
//! it, so a log in storage is always one the ledger accepted.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::error::LedgerError;
use crate::event::{Event, NewEvent};
use crate::settings::Settings;
use crate::state::{self, ApplicationState, Cutoff};

/// An application's id, chosen by the caller (storage may use a registration number such
/// as `2025-0001`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ApplicationId(pub String);

impl fmt::Display for ApplicationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for ApplicationId {
    fn from(s: &str) -> Self {
        ApplicationId(s.to_string())
    }
}

/// The applicant column of table 三: a natural person or one of the five organisation
/// types of the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    /// 自然人
    NaturalPerson,
    /// 法人或其他组织 / 商业企业
    Commercial,
    /// 法人或其他组织 / 科研机构
    Research,
    /// 法人或其他组织 / 社会公益组织
    SocialWelfare,
    /// 法人或其他组织 / 法律服务机构
    LegalService,
    /// 法人或其他组织 / 其他
    OtherOrganisation,
}

impl ApplicantKind {
    /// Every kind, in the column order of table 三.
    pub const ALL: [ApplicantKind; 6] = [
        ApplicantKind::NaturalPerson,
        ApplicantKind::Commercial,
        ApplicantKind::Research,
        ApplicantKind::SocialWelfare,
        ApplicantKind::LegalService,
        ApplicantKind::OtherOrganisation,
    ];

    /// Column index in `gongkai_format::APPLICANT_COLUMNS` (0..6; 6 is 总计).
    pub fn column(self) -> usize {
        self as usize
    }

    /// Column key, e.g. `natural_person`, `other_org`.
    pub fn column_key(self) -> &'static str {
        gongkai_format::APPLICANT_COLUMNS[self.column()].key
    }

    /// `自然人`, `商业企业` …
    pub fn label_zh(self) -> &'static str {
        match self {
            ApplicantKind::NaturalPerson => "自然人",
            ApplicantKind::Commercial => "商业企业",
            ApplicantKind::Research => "科研机构",
            ApplicantKind::SocialWelfare => "社会公益组织",
            ApplicantKind::LegalService => "法律服务机构",
            ApplicantKind::OtherOrganisation => "其他组织",
        }
    }
}

/// The kind of identity document (art. 29: 身份证明).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdDocument {
    /// 居民身份证
    ResidentIdCard,
    /// 护照
    Passport,
    /// 其他个人身份证件
    OtherPersonal,
    /// 统一社会信用代码
    UnifiedSocialCreditCode,
    /// 其他组织证明
    OtherOrganisational,
}

impl IdDocument {
    /// `居民身份证`, `护照` …
    pub fn label_zh(self) -> &'static str {
        match self {
            IdDocument::ResidentIdCard => "居民身份证",
            IdDocument::Passport => "护照",
            IdDocument::OtherPersonal => "其他身份证件",
            IdDocument::UnifiedSocialCreditCode => "统一社会信用代码",
            IdDocument::OtherOrganisational => "其他组织证明",
        }
    }

    /// The usual document for an applicant of `kind`.
    pub fn default_for(kind: ApplicantKind) -> IdDocument {
        if kind == ApplicantKind::NaturalPerson {
            IdDocument::ResidentIdCard
        } else {
            IdDocument::UnifiedSocialCreditCode
        }
    }
}

/// Proof of identity.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Identity {
    pub document: IdDocument,
    pub number: String,
}

/// Contact details (art. 29: 联系方式). At least one should be given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Contact {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
}

/// Who applied.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Applicant {
    pub kind: ApplicantKind,
    /// Name of the person or organisation.
    pub name: String,
    pub identity: Option<Identity>,
    #[serde(default)]
    pub contact: Contact,
    /// For organisations: the legal representative or contact person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representative: Option<String>,
}

impl Applicant {
    /// The key that identifies the same applicant across applications (for the monthly
    /// count of the per-application fee): the identity number, upper-cased without spaces,
    /// or else the name.
    pub fn key(&self) -> String {
        match &self.identity {
            Some(id) if !id.number.trim().is_empty() => id
                .number
                .chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_uppercase)
                .collect(),
            _ => format!("name:{}", self.name.trim()),
        }
    }
}

/// The form of the information wanted (art. 29(3); art. 40).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InformationForm {
    /// 纸质
    #[default]
    Paper,
    /// 电子数据
    Electronic,
    /// 查阅、抄录
    Inspection,
}

impl InformationForm {
    pub fn label_zh(self) -> &'static str {
        match self {
            InformationForm::Paper => "纸质",
            InformationForm::Electronic => "电子数据",
            InformationForm::Inspection => "查阅、抄录",
        }
    }
}

/// How the applicant wants to obtain it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// 自行领取
    Collect,
    /// 邮寄
    #[default]
    Post,
    /// 电子邮件
    Email,
    /// 网上获取
    Online,
    /// 传真
    Fax,
}

impl Delivery {
    pub fn label_zh(self) -> &'static str {
        match self {
            Delivery::Collect => "自行领取",
            Delivery::Post => "邮寄",
            Delivery::Email => "电子邮件",
            Delivery::Online => "网上获取",
            Delivery::Fax => "传真",
        }
    }
}

/// What was asked for (art. 29(2)–(3)).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InformationRequest {
    /// The name, document number or other identifying description of the information.
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_number: Option<String>,
    #[serde(default)]
    pub form: InformationForm,
    #[serde(default)]
    pub delivery: Delivery,
    /// Units this application counts as for the per-application fee (一事一申请: a
    /// multi-item application may be split into reasonable minimum units). 1 by default.
    #[serde(default = "one")]
    pub fee_units: u32,
}

fn one() -> u32 {
    1
}

/// The channel an application came through, with the dates art. 31 needs. The legal
/// receipt date is the date of the [`crate::EventKind::Received`] event:
///
/// | channel | receipt date (art. 31) |
/// |---|---|
/// | in person (also oral, the office filling in the form) | the day it was handed in |
/// | post with signature (需要签收) | the day the office signed for it |
/// | ordinary mail (无需签收) | the day the office confirmed it with the applicant, which should be the day it arrived |
/// | internet channel, office fax | the day both sides confirmed it |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Channel {
    /// 当面提交; `oral`: 口头提出、由工作机构代为填写.
    InPerson { oral: bool },
    /// 以邮寄方式提交、需要签收.
    PostWithSignature,
    /// 以平常信函等无需签收的邮寄方式提交; `arrived_on` is the day it arrived.
    OrdinaryMail { arrived_on: NaiveDate },
    /// 通过互联网渠道提交; `submitted_on` is the day the applicant submitted it.
    Online { submitted_on: NaiveDate },
    /// 通过政府信息公开工作机构的传真提交; `sent_on` is the day it was sent.
    Fax { sent_on: NaiveDate },
}

impl Channel {
    /// The earlier date the channel records (arrival, submission, sending), if any.
    pub fn earlier_date(&self) -> Option<NaiveDate> {
        match *self {
            Channel::OrdinaryMail { arrived_on } => Some(arrived_on),
            Channel::Online { submitted_on } => Some(submitted_on),
            Channel::Fax { sent_on } => Some(sent_on),
            Channel::InPerson { .. } | Channel::PostWithSignature => None,
        }
    }

    /// e.g. `当面提交`.
    pub fn label_zh(&self) -> &'static str {
        match self {
            Channel::InPerson { oral: false } => "当面提交",
            Channel::InPerson { oral: true } => "口头提出（代为填写）",
            Channel::PostWithSignature => "邮寄（签收）",
            Channel::OrdinaryMail { .. } => "平常信函",
            Channel::Online { .. } => "互联网渠道",
            Channel::Fax { .. } => "传真",
        }
    }

    /// What the receipt date is for this channel, e.g. `以双方确认之日为收到申请之日`.
    pub fn receipt_rule_zh(&self) -> &'static str {
        match self {
            Channel::InPerson { .. } => "以提交之日为收到申请之日",
            Channel::PostWithSignature => "以签收之日为收到申请之日",
            Channel::OrdinaryMail { .. } => "以与申请人确认之日为收到申请之日",
            Channel::Online { .. } | Channel::Fax { .. } => "以双方确认之日为收到申请之日",
        }
    }
}

/// What validation needs besides the log: the calendar, the settings and today's date.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub calendar: &'a Calendar,
    pub settings: Settings,
    /// No event may be dated after today.
    pub today: NaiveDate,
}

impl<'a> Context<'a> {
    pub fn new(calendar: &'a Calendar, settings: Settings, today: NaiveDate) -> Self {
        Context {
            calendar,
            settings,
            today,
        }
    }
}

/// An application with its log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub id: ApplicationId,
    pub applicant: Applicant,
    pub request: InformationRequest,
    /// The log, in recording order (`seq` 1, 2, …). Append only.
    #[serde(default)]
    pub events: Vec<Event>,
}

impl Application {
    /// A new application with an empty log; the first event to append is
    /// [`crate::EventKind::Received`].
    pub fn new(
        id: ApplicationId,
        applicant: Applicant,
        request: InformationRequest,
    ) -> Result<Self, LedgerError> {
        if id.0.trim().is_empty() {
            return Err(LedgerError::EmptyField {
                field: "申请编号"
            });
        }
        if applicant.name.trim().is_empty() {
            return Err(LedgerError::EmptyField {
                field: "申请人姓名或名称",
            });
        }
        if request.description.trim().is_empty() {
            return Err(LedgerError::EmptyField {
                field: "所需政府信息的名称、文号或特征性描述",
            });
        }
        Ok(Application {
            id,
            applicant,
            request,
            events: Vec::new(),
        })
    }

    /// Validates `event` against the whole log and appends it. Nothing changes on error.
    pub fn append(&mut self, event: NewEvent, ctx: &Context<'_>) -> Result<&Event, LedgerError> {
        for d in std::iter::once(event.date).chain(event.kind.other_dates()) {
            if d > ctx.today {
                return Err(LedgerError::FutureDate {
                    date: d,
                    today: ctx.today,
                });
            }
        }
        if let crate::EventKind::Amended { changes, reason } = &event.kind {
            self.check_amendment(changes, reason)?;
        }
        let seq = self.events.len() as u32 + 1;
        let before = state::validate(&self.events, ctx);
        self.events.push(Event {
            seq,
            date: event.date,
            kind: event.kind,
            note: event.note,
            recorded_at: event.recorded_at,
            recorded_by: event.recorded_by,
        });
        let after = state::validate(&self.events, ctx);
        // The new event, or one it invalidates (a back-dated closing before later events).
        if let Some((_, err)) = after
            .into_iter()
            .find(|(s, e)| *s == seq || !before.iter().any(|(bs, be)| bs == s && be == e))
        {
            self.events.pop();
            return Err(err);
        }
        let last = self.events.len() - 1;
        if let crate::EventKind::Amended { changes, .. } = &self.events[last].kind {
            let changes = changes.clone();
            self.apply_changes(&changes, true);
        }
        Ok(&self.events[last])
    }

    /// The state on `date`, from the events dated on or before it.
    pub fn state_at(
        &self,
        date: NaiveDate,
        calendar: &Calendar,
        settings: Settings,
    ) -> ApplicationState {
        state::fold(self, Cutoff::date(date), calendar, settings, true)
    }

    /// The state on `date` from the events dated on or before it that had been recorded by
    /// `known_by` (what the ledger showed at that moment).
    pub fn state_known_at(
        &self,
        date: NaiveDate,
        known_by: DateTime<Utc>,
        calendar: &Calendar,
        settings: Settings,
    ) -> ApplicationState {
        state::fold(
            self,
            Cutoff {
                date,
                known_by: Some(known_by),
            },
            calendar,
            settings,
            true,
        )
    }

    /// The legal receipt date (of the first `Received` event, as corrected), if received.
    pub fn received_on(&self) -> Option<NaiveDate> {
        self.receipt().map(|r| r.date)
    }
}
