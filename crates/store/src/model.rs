//! The store's own records: users and roles, who-and-when stamps, sessions, review steps,
//! letter templates and audit entries. Ledger records are `gongkai_ledger` types.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use gongkai_ledger::{ApplicationId, EventKind};
use serde::{Deserialize, Serialize};

/// A user's role. Stored as the serde name (`clerk` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 信息员: registers applications and events, drafts replies and the annual report.
    Clerk,
    /// 办公室主任: everything a clerk does, reviews drafts (second level).
    OfficeHead,
    /// 分管领导: approves (third level); reads everything.
    Leader,
    /// 管理员: manages users; may record like a clerk, takes no part in reviews.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Clerk, Role::OfficeHead, Role::Leader, Role::Admin];

    /// `clerk`, `office_head`, `leader`, `admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::OfficeHead => "office_head",
            Role::Leader => "leader",
            Role::Admin => "admin",
        }
    }

    /// `信息员`, `办公室主任`, `分管领导`, `管理员`.
    pub fn label_zh(self) -> &'static str {
        match self {
            Role::Clerk => "信息员",
            Role::OfficeHead => "办公室主任",
            Role::Leader => "分管领导",
            Role::Admin => "管理员",
        }
    }

    /// May register applications, events, appeals and proactive records.
    pub fn can_record(self) -> bool {
        matches!(self, Role::Clerk | Role::OfficeHead | Role::Admin)
    }

    /// May see an applicant's identity number in full (on the application's page; lists
    /// mask it): those who handle the case, not the administrator.
    pub fn can_see_identity(self) -> bool {
        matches!(self, Role::Clerk | Role::OfficeHead | Role::Leader)
    }

    /// May edit letter templates and the ledger's settings.
    pub fn can_configure(self) -> bool {
        matches!(self, Role::OfficeHead | Role::Admin)
    }

    /// May add users, disable them and reset their passwords.
    pub fn can_manage_users(self) -> bool {
        self == Role::Admin
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_zh())
    }
}

impl FromStr for Role {
    type Err = String;

    /// Accepts the English key or the Chinese name.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s || r.label_zh() == s)
            .ok_or_else(|| {
                format!("未知角色“{s}”：应为 clerk（信息员）、office_head（办公室主任）、leader（分管领导）或 admin（管理员）")
            })
    }
}

impl Role {
    /// The space-separated keys of `roles` (how `users.other_roles` stores them).
    pub fn join(roles: &[Role]) -> String {
        roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Parses space- or comma-separated roles (keys or Chinese names), in `Role::ALL`
    /// order without repeats.
    pub fn parse_list(s: &str) -> Result<Vec<Role>, String> {
        let mut out = Vec::new();
        for part in s
            .split([' ', ',', '，', '、'])
            .filter(|p| !p.trim().is_empty())
        {
            let r: Role = part.parse()?;
            out.push(r);
        }
        Ok(Role::ALL.into_iter().filter(|r| out.contains(r)).collect())
    }
}

/// A user (without the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Login name, unique.
    pub name: String,
    pub display_name: Option<String>,
    /// The primary role (what stamps, review steps and messages name).
    pub role: Role,
    /// Roles held besides `role` (a person may be 办公室主任 and 分管领导 …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_roles: Vec<Role>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    /// The last successful sign-in.
    #[serde(default)]
    pub last_login_at: Option<DateTime<Utc>>,
    /// The password must be changed before anything else (a temporary password, or one
    /// that fails today's rules).
    #[serde(default)]
    pub must_change_password: bool,
}

impl User {
    /// Every role held: the primary one first, then the others in `Role::ALL` order.
    pub fn roles(&self) -> Vec<Role> {
        std::iter::once(self.role)
            .chain(
                Role::ALL
                    .into_iter()
                    .filter(|r| *r != self.role && self.other_roles.contains(r)),
            )
            .collect()
    }

    /// Whether the user holds `role` (primary or not).
    pub fn has(&self, role: Role) -> bool {
        self.role == role || self.other_roles.contains(&role)
    }

    /// Whether any role held may do what `may` says.
    pub fn any(&self, may: impl Fn(Role) -> bool) -> bool {
        self.roles().into_iter().any(may)
    }

    /// The roles in Chinese (`办公室主任、分管领导`).
    pub fn roles_label(&self) -> String {
        self.roles()
            .iter()
            .map(|r| r.label_zh())
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// A user to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub name: String,
    #[serde(default)]
    pub display_name: Option<String>,
    pub role: Role,
    pub password: String,
}

/// Who makes a change and when: every write takes one. The store checks that the user
/// exists, is active and has the role the change needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// The acting user's name.
    pub user: String,
    /// The moment of the write (`recorded_at` of events, audit time).
    pub at: DateTime<Utc>,
    /// The client's address (web and API), for the audit row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// The channel the change came through (`web`, `api`, `cli`), for the audit row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// The operating-system user (command line), for the audit row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_user: Option<String>,
    /// How the user was authenticated (`password`, `session`, `token:<prefix>`); the
    /// audit row's detail records it under `"auth"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<String>,
}

/// China Standard Time (UTC+8, no daylight saving): the office's calendar day.
pub fn china_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

impl Stamp {
    pub fn new(user: impl Into<String>, at: DateTime<Utc>) -> Self {
        Stamp {
            user: user.into(),
            at,
            client: None,
            via: None,
            os_user: None,
            auth: None,
        }
    }

    /// The same stamp with the client's address (`-` or empty: none).
    pub fn client(mut self, client: impl Into<String>) -> Self {
        let c = client.into();
        self.client = Some(c).filter(|c| !c.is_empty() && c != "-");
        self
    }

    /// The same stamp with the channel (`web`, `api`, `cli`).
    pub fn via(mut self, via: impl Into<String>) -> Self {
        self.via = Some(via.into());
        self
    }

    /// The same stamp with the operating-system user (command line).
    pub fn os_user(mut self, os_user: impl Into<String>) -> Self {
        let u = os_user.into();
        self.os_user = Some(u).filter(|u| !u.is_empty());
        self
    }

    /// The same stamp with how the user was authenticated.
    pub fn auth(mut self, auth: impl Into<String>) -> Self {
        self.auth = Some(auth.into());
        self
    }

    /// `user` acting now (reads the system clock).
    pub fn now(user: impl Into<String>) -> Self {
        Stamp::new(user, Utc::now())
    }

    /// The office's date of `at` (Beijing time): no event may be dated after it.
    pub fn today(&self) -> NaiveDate {
        self.at.with_timezone(&china_offset()).date_naive()
    }
}

/// An event to record: the store adds `recorded_at` and `recorded_by` from the [`Stamp`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventInput {
    /// The date the event happened in law.
    pub date: NaiveDate,
    #[serde(flatten)]
    pub kind: EventKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl EventInput {
    pub fn new(date: NaiveDate, kind: EventKind) -> Self {
        EventInput {
            date,
            kind,
            note: None,
        }
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
}

/// A login session (the web service's cookie refers to it through its token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// SHA-256 of the token, hex: what the `sessions` table stores.
    pub id: String,
    pub user: String,
    pub created_at: DateTime<Utc>,
    /// The absolute end of the session (its lifetime, or 记住我's).
    pub expires_at: DateTime<Utc>,
    /// The last use (refreshed at most once a minute): the idle timeout counts from here.
    pub last_seen_at: DateTime<Utc>,
    /// A 记住我 login: the cookie outlives the browser and there is no idle timeout.
    pub persistent: bool,
    /// The agency the session works in, chosen with the agency switch (`None`: the user's
    /// first agency).
    pub agency_id: Option<crate::agencies::AgencyId>,
}

/// How long sessions last: an idle timeout and an absolute lifetime, and the lifetime of a
/// 记住我 login (which has no idle timeout). Defaults: 30 minutes, 12 hours, 30 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle: chrono::Duration,
    pub absolute: chrono::Duration,
    pub remember: chrono::Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle: chrono::Duration::minutes(30),
            absolute: chrono::Duration::hours(12),
            remember: chrono::Duration::days(30),
        }
    }
}

impl Session {
    /// Whether the session is still valid at `now` under an idle timeout of `idle`.
    pub fn is_live(&self, idle: chrono::Duration, now: DateTime<Utc>) -> bool {
        self.expires_at > now && (self.persistent || self.last_seen_at + idle > now)
    }
}

/// A personal API token (the token itself is shown once, only its SHA-256 is stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    /// SHA-256 of the token, hex (what revoking names; not a secret).
    pub id: String,
    pub user: String,
    /// The owner's name for it (“报表脚本”).
    pub name: String,
    /// The token's first characters, to recognise it.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The agency the token works in: the one its owner worked in when making it (`None`:
    /// a token made before the platform, which works in the owner's first agency).
    pub agency_id: Option<crate::agencies::AgencyId>,
}

impl ApiToken {
    /// Whether the token lets its owner in at `now` (not revoked, not expired).
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }
}

/// The secret a client holds for a session (64 hex digits). Only its hash is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(pub String);

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(…)")
    }
}

/// What a review is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReviewSubject {
    /// The reply (答复) to an application.
    Reply { application: ApplicationId },
    /// The annual report of a year.
    AnnualReport { year: i32 },
    /// An item of the publication register (主动公开登记), by its id: 初审 (with the
    /// 保密审查) → 复审 → 审核, as many levels as its 体裁 needs.
    Item { item: i64 },
}

impl ReviewSubject {
    /// `reply` / `annual_report`.
    pub fn kind_str(&self) -> &'static str {
        match self {
            ReviewSubject::Reply { .. } => "reply",
            ReviewSubject::AnnualReport { .. } => "annual_report",
            ReviewSubject::Item { .. } => "item",
        }
    }

    /// The application id or the year.
    pub fn id_string(&self) -> String {
        match self {
            ReviewSubject::Reply { application } => application.0.clone(),
            ReviewSubject::AnnualReport { year } => year.to_string(),
            ReviewSubject::Item { item } => item.to_string(),
        }
    }

    /// From the stored pair.
    pub fn from_parts(kind: &str, id: &str) -> Option<Self> {
        match kind {
            "reply" => Some(ReviewSubject::Reply {
                application: ApplicationId(id.to_string()),
            }),
            "annual_report" => id
                .parse()
                .ok()
                .map(|year| ReviewSubject::AnnualReport { year }),
            "item" => id.parse().ok().map(|item| ReviewSubject::Item { item }),
            _ => None,
        }
    }
}

impl fmt::Display for ReviewSubject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReviewSubject::Reply { application } => write!(f, "申请 {application} 的答复"),
            ReviewSubject::AnnualReport { year } => write!(f, "{year} 年度报告"),
            ReviewSubject::Item { item } => write!(f, "登记事项 {item}"),
        }
    }
}

/// A step of the three-level review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewAction {
    /// 信息员（或办公室主任）提交稿件.
    Submit,
    /// 办公室主任审核通过.
    Review,
    /// 分管领导批准.
    Approve,
    /// 退回（须说明理由）, by whoever's turn it is.
    SendBack,
    /// 撤销批准、重新打开（须说明理由）: an approved annual report is opened again by the
    /// 分管领导 (or the 办公室主任, if the office allows it); the approval is discarded.
    Reopen,
}

impl ReviewAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewAction::Submit => "submit",
            ReviewAction::Review => "review",
            ReviewAction::Approve => "approve",
            ReviewAction::SendBack => "send_back",
            ReviewAction::Reopen => "reopen",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<Self> {
        [
            ReviewAction::Submit,
            ReviewAction::Review,
            ReviewAction::Approve,
            ReviewAction::SendBack,
            ReviewAction::Reopen,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }

    /// `提交审核`, `审核通过`, `批准`, `退回`.
    pub fn label_zh(self) -> &'static str {
        match self {
            ReviewAction::Submit => "提交审核",
            ReviewAction::Review => "审核通过",
            ReviewAction::Approve => "批准",
            ReviewAction::SendBack => "退回",
            ReviewAction::Reopen => "撤销批准、重新打开",
        }
    }
}

/// Where a review stands (derived from its steps).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// 未提交.
    NotSubmitted,
    /// 待办公室主任审核.
    AwaitingReview,
    /// 待分管领导批准.
    AwaitingApproval,
    /// 已批准.
    Approved,
    /// 已退回（待重新提交）.
    SentBack,
    /// 需重新审核: the reply changed (decision, reason, letter, a correction) after it was
    /// submitted or approved; derived from the content digest, never set by hand.
    NeedsReReview,
    /// 已撤销批准（重新打开，待重新提交）: an approved annual report was reopened.
    Reopened,
}

impl ReviewStatus {
    pub fn label_zh(self) -> &'static str {
        match self {
            ReviewStatus::NotSubmitted => "未提交",
            ReviewStatus::AwaitingReview => "待办公室主任审核",
            ReviewStatus::AwaitingApproval => "待分管领导批准",
            ReviewStatus::Approved => "已批准",
            ReviewStatus::SentBack => "已退回",
            ReviewStatus::NeedsReReview => "需重新审核",
            ReviewStatus::Reopened => "已撤销批准，待重新提交",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ReviewStatus::NotSubmitted => "not submitted",
            ReviewStatus::AwaitingReview => "awaiting the office head's review",
            ReviewStatus::AwaitingApproval => "awaiting the leader's approval",
            ReviewStatus::Approved => "approved",
            ReviewStatus::SentBack => "sent back",
            ReviewStatus::NeedsReReview => "needs review again (changed since)",
            ReviewStatus::Reopened => "reopened, to be submitted again",
        }
    }

    /// The serde name (`needs_re_review` …).
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::NotSubmitted => "not_submitted",
            ReviewStatus::AwaitingReview => "awaiting_review",
            ReviewStatus::AwaitingApproval => "awaiting_approval",
            ReviewStatus::Approved => "approved",
            ReviewStatus::SentBack => "sent_back",
            ReviewStatus::NeedsReReview => "needs_re_review",
            ReviewStatus::Reopened => "reopened",
        }
    }
}

/// One recorded review step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewStep {
    pub seq: u32,
    pub action: ReviewAction,
    pub actor: String,
    pub actor_role: Role,
    pub at: DateTime<Utc>,
    /// A comment, or the reason for sending back.
    pub note: Option<String>,
    /// What was submitted (a reply: its content — decision, reason, decision date, the
    /// letter's text sources — with their SHA-256 `digest`; a report: the moment its
    /// figures were taken, `known_by`, so the same report can be computed again).
    pub snapshot: serde_json::Value,
}

/// The office's review rules as they apply to one review (from the settings and, for a
/// reply, its current decision).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewRules {
    /// The 办公室主任's approval is final (a 予以公开 reply, when the office allows it).
    pub office_head_approves: bool,
    /// The 办公室主任 may reopen an approved annual report (besides the 分管领导).
    pub office_head_reopens: bool,
}

/// A review with its steps and status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub subject: ReviewSubject,
    pub status: ReviewStatus,
    pub steps: Vec<ReviewStep>,
    /// The rules that apply now.
    #[serde(default)]
    pub rules: ReviewRules,
    /// A reply's current content (what a submission would bind, with its `digest`), if it
    /// has a decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<serde_json::Value>,
}

impl Review {
    /// The content of the last approval (what was approved), if any.
    pub fn approved(&self) -> Option<&ReviewStep> {
        self.steps
            .iter()
            .rev()
            .find(|s| s.action == ReviewAction::Approve)
    }
}

/// A reply letter template (答复告知书), keyed by a decision row key (`granted` …) or
/// another letter kind chosen by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterTemplate {
    pub key: String,
    pub title: String,
    pub body: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    /// e.g. `event.append`, `user.add`, `review.approve`.
    pub action: String,
    /// e.g. `application`, `user`, `review`.
    pub subject_kind: String,
    pub subject_id: String,
    /// What changed (the event, the old and new record …).
    pub detail: serde_json::Value,
    /// The client's address (web and API; `None` on the command line and on rows older
    /// than migration 0008).
    #[serde(default)]
    pub client: Option<String>,
    /// `web`, `api` or `cli` (`None` on rows older than migration 0008).
    #[serde(default)]
    pub channel: Option<String>,
    /// The operating-system user of a command-line change.
    #[serde(default)]
    pub os_user: Option<String>,
}

/// Which audit rows to list (newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    /// At most this many rows (default 100).
    pub limit: Option<u32>,
    /// Only this user's rows.
    #[serde(default)]
    pub actor: Option<String>,
    /// Only this action (`review.approve`) or family of actions (`review`: every
    /// `review.…`).
    #[serde(default)]
    pub action: Option<String>,
    /// Only rows at or after this moment.
    #[serde(default)]
    pub from: Option<DateTime<Utc>>,
    /// Only rows before this moment.
    #[serde(default)]
    pub until: Option<DateTime<Utc>>,
    /// Skip this many rows (paging).
    #[serde(default)]
    pub offset: Option<u32>,
}
