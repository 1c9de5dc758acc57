//! The store's error: what the ledger refused (with its own Chinese message and code), what
//! the store itself refuses (unknown user, wrong role, a review step out of turn), and
//! storage failures.
//!
//! Every message is Chinese (`Display`); [`StoreError::code`] is a stable English code for
//! the API layer, the same as [`LedgerError::code`] for ledger errors.

use gongkai_ledger::LedgerError;

use crate::model::{ReviewAction, ReviewStatus, Role};

/// An error of the store. A write that returns an error has changed nothing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The ledger refused the change (a future date, a reply before receipt, …).
    #[error("{0}")]
    Ledger(#[from] LedgerError),
    /// The database URL is neither `sqlite:` nor `postgres://`.
    #[error("无法识别的数据库地址“{url}”：应为 sqlite://文件名 或 postgres://…")]
    BadUrl { url: String },
    /// `init` on a database that already has users.
    #[error("数据库已经初始化（已有用户），不能重复初始化")]
    AlreadyInitialised,
    /// A write before `init`.
    #[error("数据库尚未初始化：请先运行 gongkai ledger init")]
    NotInitialised,
    /// No such user, or the user is disabled.
    #[error("用户“{name}”不存在或已停用")]
    UnknownUser { name: String },
    /// A user name that is taken.
    #[error("用户“{name}”已存在")]
    DuplicateUser { name: String },
    /// A unique value that is taken (an agency's code).
    #[error("{what}“{id}”已存在")]
    Duplicate { what: &'static str, id: String },
    /// The user holds no role in the agency the request works in.
    #[error("用户“{name}”在本机关没有角色")]
    NotMember { name: String },
    /// Login failed (the message does not say whether the name or the password was wrong).
    #[error("用户名或密码错误")]
    BadCredentials,
    /// Too many failed logins: the account or the client address is locked.
    #[error("登录失败次数过多，已暂时锁定至 {}（北京时间）；到时自动解除，或请管理员解锁", until.with_timezone(&crate::model::china_offset()).format("%Y-%m-%d %H:%M"))]
    LoginLocked {
        until: chrono::DateTime<chrono::Utc>,
    },
    /// A login attempt inside the back-off delay after a failure.
    #[error("登录尝试过于频繁，请 {retry_after} 秒后再试")]
    LoginThrottled { retry_after: u64 },
    /// `/setup` with a wrong or used-up one-time setup code.
    #[error(
        "设置码不正确：请输入服务器启动时在控制台和日志中显示的一次性设置码（重启服务器会生成新的设置码）"
    )]
    BadSetupCode,
    /// A personal API token that is unknown, expired or revoked.
    #[error("访问令牌无效、已过期或已撤销")]
    BadToken,
    /// A personal API token without a name, or with one too long.
    #[error("令牌名称：{0}")]
    BadTokenName(&'static str),
    /// A password that is too short.
    #[error("密码至少需要 {min} 个字符")]
    WeakPassword { min: usize },
    /// The user's role may not do this.
    #[error("用户“{user}”（{}）无权{action}", .role.label_zh())]
    Forbidden {
        user: String,
        role: Role,
        action: &'static str,
    },
    /// A record other than an application that does not exist.
    #[error("找不到{what}“{id}”")]
    NotFound { what: &'static str, id: String },
    /// A review step that does not fit the review's status.
    #[error("{}：当前状态为“{}”，不能{}", .subject, .status.label_zh(), .action.label_zh())]
    ReviewOutOfTurn {
        subject: String,
        status: ReviewStatus,
        action: ReviewAction,
    },
    /// The reviewer drafted the same round.
    #[error("{subject}：审核人不能审核自己提交的稿件")]
    SelfReview { subject: String },
    /// One person holding two roles took (submitted or reviewed) an earlier level of the
    /// same round and now wants a later one.
    #[error("{subject}：同一人不能在同一轮审核中担任两级（本轮已由其提交或审核）")]
    TwoLevels { subject: String },
    /// Sending back needs a reason.
    #[error("退回时必须说明理由")]
    MissingReason,
    /// The reply reviewed is no longer the application's current decision (kept for the
    /// API's list of codes; the store now reports a changed reply as 需重新审核).
    #[error(
        "申请 {application} 提交审核的答复结论（{submitted}）已变更为“{current}”，请重新提交审核"
    )]
    ReviewStale {
        application: String,
        submitted: String,
        current: String,
    },
    /// 送达 of a reply whose current content is not approved.
    #[error(
        "申请 {application} 的答复尚未经审核批准（当前审核状态：{}），不能登记送达；答复内容改变后须重新提交审核",
        .status.label_zh()
    )]
    ReplyNotApproved {
        application: String,
        status: ReviewStatus,
    },
    /// A reply review for an application without a decision.
    #[error("申请 {application} 尚未作出答复结论，不能提交答复审核")]
    NothingToReview { application: String },
    /// The annual report's narrative cannot change while the report is under review or
    /// approved.
    #[error("{year} 年度报告{}，不能修改正文和落款；退回后才能修改", .status.label_zh())]
    NarrativeLocked {
        year: i32,
        status: crate::model::ReviewStatus,
    },
    /// Someone else wrote the same record at the same moment; retry.
    #[error("数据已被同时修改，请重试")]
    Conflict,
    /// A stored row that cannot be read back.
    #[error("数据库中的记录无法读取（{what}）：{detail}")]
    Corrupt { what: String, detail: String },
    /// The database failed.
    #[error("数据库错误：{0}")]
    Database(#[source] sqlx::Error),
    /// Creating or upgrading the tables failed.
    #[error("数据库升级（迁移）失败：{0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Hashing a password failed (no randomness from the OS, …).
    #[error("密码处理失败：{0}")]
    Password(String),
    /// An import refused as a whole: a row the ledger refuses when written (row 0: the
    /// import's own figures, such as opening balances that do not add up).
    #[error("导入失败：{}{detail}", if *.row > 0 { format!("第 {} 行：", .row) } else { String::new() })]
    ImportRow { row: usize, detail: String },
    /// The publication register refused an item's field (names the field).
    #[error("{0}")]
    Register(#[from] gongkai_ledger::register::RegisterError),
    /// A register item's state does not allow the step (correct a draft, publish a
    /// withdrawn item, …).
    #[error("事项 {item}：{reason}")]
    ItemRefused { item: String, reason: String },
    /// An attachment over the size limit.
    #[error("附件“{name}”大小 {size} 字节，超过上限 {max} 字节")]
    AttachmentTooLarge { name: String, size: u64, max: u64 },
    /// A 保密审查 whose answers and conclusion do not fit together.
    #[error("{0}")]
    Secrecy(#[from] gongkai_ledger::register::secrecy::SecrecyError),
    /// A register item submitted for 初审 without its 保密审查.
    #[error("登记事项 {item} 提交初审时须同时填写保密审查")]
    SecrecyRequired { item: i64 },
    /// A determination recorded for an item that was not referred.
    #[error("登记事项 {item} 的保密审查未报送保密行政管理部门确定，无需登记确定意见")]
    NotReferred { item: i64 },
    /// A register item that cannot be published yet (each obstacle named).
    #[error("登记事项 {item} 尚不能发布：{}", .obstacles.join("；"))]
    PublicationBlocked { item: i64, obstacles: Vec<String> },
    /// An override of a 错敏排查 finding the item's current text does not have.
    #[error("登记事项 {item} 的当前文本没有这条错敏排查问题（可能已修改），请刷新后再试")]
    NoSuchFinding { item: i64 },
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict,
            _ => StoreError::Database(e),
        }
    }
}

impl StoreError {
    /// A stable code for the API, e.g. `future_date`, `forbidden`.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Ledger(e) => e.code(),
            StoreError::BadUrl { .. } => "bad_url",
            StoreError::AlreadyInitialised => "already_initialised",
            StoreError::NotInitialised => "not_initialised",
            StoreError::UnknownUser { .. } => "unknown_user",
            StoreError::DuplicateUser { .. } => "duplicate_user",
            StoreError::Duplicate { .. } => "duplicate",
            StoreError::NotMember { .. } => "not_member",
            StoreError::BadCredentials => "bad_credentials",
            StoreError::LoginLocked { .. } => "login_locked",
            StoreError::LoginThrottled { .. } => "login_throttled",
            StoreError::WeakPassword { .. } => "weak_password",
            StoreError::BadSetupCode => "bad_setup_code",
            StoreError::BadToken => "bad_token",
            StoreError::BadTokenName(_) => "bad_token_name",
            StoreError::Forbidden { .. } => "forbidden",
            StoreError::NotFound { .. } => "not_found",
            StoreError::ReviewOutOfTurn { .. } => "review_out_of_turn",
            StoreError::SelfReview { .. } => "self_review",
            StoreError::TwoLevels { .. } => "two_levels",
            StoreError::MissingReason => "missing_reason",
            StoreError::ReviewStale { .. } => "review_stale",
            StoreError::NothingToReview { .. } => "nothing_to_review",
            StoreError::NarrativeLocked { .. } => "narrative_locked",
            StoreError::ReplyNotApproved { .. } => "reply_not_approved",
            StoreError::Conflict => "conflict",
            StoreError::Corrupt { .. } => "corrupt",
            StoreError::Database(_) => "database",
            StoreError::Migrate(_) => "migrate",
            StoreError::Password(_) => "password",
            StoreError::ImportRow { .. } => "import_refused",
            StoreError::Register(e) => e.code(),
            StoreError::ItemRefused { .. } => "item_state",
            StoreError::AttachmentTooLarge { .. } => "too_large",
            StoreError::Secrecy(_) => "secrecy_review",
            StoreError::SecrecyRequired { .. } => "secrecy_required",
            StoreError::NotReferred { .. } => "not_referred",
            StoreError::PublicationBlocked { .. } => "publication_blocked",
            StoreError::NoSuchFinding { .. } => "no_such_finding",
        }
    }

    /// What kind of failure this is, for a front end to map to an HTTP status or an exit
    /// code (never by matching [`StoreError::code`] strings).
    pub fn kind(&self) -> ErrorKind {
        use gongkai_ledger::LedgerError as L;
        match self {
            StoreError::Ledger(L::UnknownApplication { .. } | L::UnknownRecord { .. })
            | StoreError::NotFound { .. }
            | StoreError::UnknownUser { .. } => ErrorKind::NotFound,
            StoreError::Ledger(L::DuplicateApplication { .. } | L::DuplicateRecord { .. })
            | StoreError::DuplicateUser { .. }
            | StoreError::Duplicate { .. }
            | StoreError::Conflict
            | StoreError::ReviewOutOfTurn { .. }
            | StoreError::ReviewStale { .. }
            | StoreError::NarrativeLocked { .. }
            | StoreError::ReplyNotApproved { .. }
            | StoreError::ItemRefused { .. }
            | StoreError::PublicationBlocked { .. }
            | StoreError::NotReferred { .. }
            | StoreError::NoSuchFinding { .. }
            | StoreError::AlreadyInitialised => ErrorKind::Conflict,
            StoreError::Forbidden { .. }
            | StoreError::NotMember { .. }
            | StoreError::SelfReview { .. }
            | StoreError::TwoLevels { .. } => ErrorKind::Forbidden,
            StoreError::BadCredentials | StoreError::BadSetupCode | StoreError::BadToken => {
                ErrorKind::Unauthenticated
            }
            StoreError::LoginLocked { .. } | StoreError::LoginThrottled { .. } => {
                ErrorKind::TooManyRequests
            }
            StoreError::NotInitialised => ErrorKind::Unavailable,
            StoreError::Corrupt { .. }
            | StoreError::Database(_)
            | StoreError::Migrate(_)
            | StoreError::Password(_) => ErrorKind::Internal,
            StoreError::Ledger(_)
            | StoreError::BadUrl { .. }
            | StoreError::WeakPassword { .. }
            | StoreError::BadTokenName(_)
            | StoreError::MissingReason
            | StoreError::ImportRow { .. }
            | StoreError::Register(_)
            | StoreError::AttachmentTooLarge { .. }
            | StoreError::NothingToReview { .. }
            | StoreError::Secrecy(_)
            | StoreError::SecrecyRequired { .. } => ErrorKind::Invalid,
        }
    }

    /// True for input the caller can correct (HTTP 4xx), false for failures of the store
    /// (5xx).
    pub fn is_client_error(&self) -> bool {
        !matches!(
            self,
            StoreError::Corrupt { .. }
                | StoreError::Database(_)
                | StoreError::Migrate(_)
                | StoreError::Password(_)
        )
    }
}

/// The kinds of failure every layer above the store shares: each maps to one HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A request that cannot be read at all: a parameter out of range, a malformed body
    /// (400).
    BadRequest,
    /// Input the caller can correct (422).
    Invalid,
    /// No such record (404).
    NotFound,
    /// The actor's role may not do this (403).
    Forbidden,
    /// Not logged in, or a wrong password (401).
    Unauthenticated,
    /// The record exists already, or the state does not allow the step now (409).
    Conflict,
    /// Too many attempts: a login locked or inside its back-off delay (429).
    TooManyRequests,
    /// The database is not set up yet (503).
    Unavailable,
    /// A failure of the storage or the server (500; the detail is logged, not shown).
    Internal,
}

pub(crate) type Result<T, E = StoreError> = std::result::Result<T, E>;
