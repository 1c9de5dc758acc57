//! Storage for the disclosure ledger (依申请公开台账): SQLite by default (one file, created
//! on first use), PostgreSQL for several users; the same operations and the same tests on
//! both.
//!
//! ```no_run
//! # async fn demo() -> Result<(), gongkai_store::StoreError> {
//! use gongkai_store::{NewUser, Role, Stamp, Store};
//! let store = Store::open("sqlite://gongkai.db").await?; // or postgres://user@host/db
//! let admin = NewUser { name: "admin".into(), display_name: None, role: Role::Admin,
//!                       password: "a long password".into() };
//! store.init("某市某局", &admin, chrono::Utc::now()).await?;
//! let stamp = Stamp::now("admin"); // who and when, for every write
//! # Ok(()) }
//! ```
//!
//! # What a write does
//!
//! Every write is one transaction: it checks the acting user (exists, active, role), loads
//! what `gongkai_ledger` needs (the application's log, the applicant's other applications
//! for a per-application fee), lets the ledger validate the change (`Ledger::append`,
//! `add_appeal`, …), inserts the rows and an audit row, and commits. An error (a date in the
//! future, a reply before receipt, a decision for an unknown application, a step of the
//! review out of turn) rolls everything back: nothing is half-saved. Events, review steps
//! and the audit log are append-only (the schema refuses UPDATE and DELETE).
//!
//! # Durability
//!
//! SQLite runs in WAL mode with `synchronous = FULL`: a commit returns only after the WAL
//! is on disk, so a committed change survives a killed process and a power failure (with
//! `NORMAL` it survives a killed process but a power failure may drop the last commits; a
//! ledger that must never lose a registered application takes the one fsync per commit,
//! which costs nothing at an office's pace). `tests/crash.rs` kills a writer with SIGKILL
//! in the middle of writes and checks every committed event.
//!
//! # Agencies
//!
//! A store works in one agency of the platform ([`Store::in_agency`]; agency 1, the office
//! of a single-office database, by default): every record row carries `agency_id` and every
//! query of a record filters by the store's agency, so another agency's id is "not found".
//! The acting user's roles are those held in that agency ([`agencies`]).
//!
//! # Modules
//!
//! * [`agencies`] — the agencies' tree, per-agency settings and roles, the platform
//!   administrator's changes.
//! * [`model`] — users and roles, stamps, sessions, reviews, templates, audit entries.
//! * [`review`] — the three-level review as a pure state machine.
//! * [`auth`] — argon2id password hashes and session tokens.
//! * [`tokens`] — the CSRF secret, the one-time setup code, personal API tokens, the
//!   sessions' idle timeout.
//! * [`narrative`] — the annual report's narrative and 落款, saved in versions.
//! * [`password`] — the password rules (length, common and derived passwords: zxcvbn).
//! * [`users`] — user administration with hashes made off the runtime; several roles.
//! * [`templates`] — reply letter templates, saved in versions (restore, built-in text).
//! * [`check_uploads`] — the report checker's uploads, hand corrections and scans' cell
//!   images.
//! * [`column_sets`] — the ledger export's saved column sets.
//! * [`supervision`] — each agency's figures kept for the supervisor's view, invalidated
//!   by triggers in the writing transaction.
//! * [`imports`] — imports from sheets (one transaction, idempotent), the saved column
//!   mappings and the opening balances.
//! * [`register`] — the publication register (主动公开登记): items, versions, publications
//!   per channel, the timeline, attachments, the 索引号 serials (migration 0017).
//! * `backend` — the SQL, once for both backends; `ops` — each operation's logic.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_ledger::{
    AppealCase, Application, ApplicationId, Calendar, Event, Ledger, OfficeSettings, ProactiveData,
    ProactiveRecord, Settings, YearEnd, YearEndOptions,
};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// Runs `$body` (a call on the transaction `$c`, a `&mut` transaction) in a transaction of
/// the right kind (`write` or `read`) and commits it if the body succeeded; on error the
/// transaction is rolled back. Defined before the modules so that every one of them uses it.
macro_rules! tx {
    ($self:ident, $mode:ident, |$c:ident| $body:expr) => {{
        match &$self.pool {
            $crate::Pool::Sqlite(p) => {
                let t = p.begin_with(tx!(@sqlite $mode)).await?;
                let mut s = $crate::Tx { t, agency: $self.agency };
                let out = {
                    let $c = &mut s;
                    $body.await
                };
                $crate::finish(s.t, out).await
            }
            $crate::Pool::Postgres(p) => {
                let t = p.begin_with(tx!(@pg $mode)).await?;
                let mut s = $crate::Tx { t, agency: $self.agency };
                // The row-level security's agency (migration 0013), for this transaction.
                sqlx::query("SELECT set_config('app.agency_ids', $1, true)")
                    .bind($self.agency.to_string())
                    .execute(&mut *s.t)
                    .await?;
                let out = {
                    let $c = &mut s;
                    $body.await
                };
                $crate::finish(s.t, out).await
            }
        }
    }};
    // SQLite: take the write lock at the start, so two writers queue (busy_timeout)
    // instead of failing when a read transaction tries to become a write one.
    (@sqlite write) => { "BEGIN IMMEDIATE" };
    (@sqlite read) => { "BEGIN" };
    (@pg write) => { "BEGIN" };
    // One snapshot for multi-query reads (applications and their events).
    (@pg read) => { "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" };
}

pub mod agencies;
pub mod agency_edit;
pub mod auth;
mod backend;

pub mod bulk;
pub mod check_uploads;
pub mod column_sets;
pub mod error;
pub mod imports;
pub mod list;
pub mod mail;
pub mod model;
pub mod narrative;
pub mod online;
pub mod online_files;
mod ops;
pub mod password;
pub mod register;
mod register_import;
pub mod review;
pub mod review_item;
mod review_item_db;
mod review_item_ops;
pub mod reviewing;
pub mod search_feed;
pub mod sessions;
pub mod shared;
pub mod signin;
pub mod supervision;
pub mod templates;
pub mod tokens;
pub mod users;

pub use agencies::{Agency, AgencyId, AgencyKind, NewAgency};
pub use bulk::{BulkCounts, BulkLoad, BulkMethod};
pub use check_uploads::{CheckCorrection, CheckUpload, CheckUsage};
pub use column_sets::ColumnSet;
pub use error::{ErrorKind, StoreError};
pub use imports::{ImportBatch, ImportOutcome};
pub use list::{ApplicationPage, ApplicationQuery};
pub use mail::{MailNotice, MailSecurity, MailSettings, NoticeKind};
pub use model::{
    ApiToken, AuditEntry, AuditQuery, EventInput, LetterTemplate, NewUser, Review, ReviewAction,
    ReviewRules, ReviewStatus, ReviewStep, ReviewSubject, Role, Session, SessionPolicy,
    SessionToken, Stamp, User,
};
pub use narrative::{Narrative, NarrativeText};
pub use ops::NewApplication;
pub use search_feed::{FeedBatch, FeedMark, FeedRow};
pub use shared::RateLimit;
pub use signin::ThrottlePolicy;
pub use supervision::{FigureRow, Kept};
pub use templates::{TemplateChange, TemplateOrigin, TemplateVersion};
pub use users::NewAccount;

use error::Result;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// The database behind a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The ledger's storage. Cheap to clone (the connection pool is shared); `Send + Sync`.
///
/// A store works in one agency ([`Store::in_agency`]; agency 1, the office of a
/// single-office database, when not told otherwise): every query of a record reads and
/// writes that agency's rows only.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
    calendar: Arc<Calendar>,
    agency: AgencyId,
}

/// A transaction of either backend with the agency its queries are scoped to.
pub(crate) struct Tx<'c, DB: sqlx::Database> {
    pub t: sqlx::Transaction<'c, DB>,
    pub agency: AgencyId,
}

async fn finish<DB: sqlx::Database, T>(
    t: sqlx::Transaction<'static, DB>,
    out: Result<T>,
) -> Result<T> {
    match out {
        Ok(v) => {
            t.commit().await?;
            Ok(v)
        }
        Err(e) => {
            // Dropping would roll back too; doing it here returns the connection clean.
            let _ = t.rollback().await;
            Err(e)
        }
    }
}

/// How long a SQLite writer waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

impl Store {
    /// Opens (and, for SQLite, creates) the database at `url` and brings its tables up to
    /// date. `url`: `sqlite://gongkai.db` (relative to the current directory),
    /// `sqlite:///abs/path.db`, `sqlite::memory:`, a bare file path, or
    /// `postgres://user:password@host:port/db` (`postgresql://` too).
    pub async fn open(url: &str) -> Result<Store> {
        let url = url.trim();
        let pool = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)
                .map_err(|_| StoreError::BadUrl { url: redact(url) })?;
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts)
                .await?;
            POSTGRES_MIGRATIONS.run(&pool).await?;
            Pool::Postgres(pool)
        } else {
            let memory = url == "sqlite::memory:" || url == ":memory:";
            let opts = if memory {
                SqliteConnectOptions::from_str("sqlite::memory:")?
            } else if url.starts_with("sqlite:") {
                SqliteConnectOptions::from_str(url)
                    .map_err(|_| StoreError::BadUrl { url: url.into() })?
            } else if url.is_empty() || url.contains("://") {
                return Err(StoreError::BadUrl { url: redact(url) });
            } else {
                SqliteConnectOptions::new().filename(url)
            };
            let opts = opts
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(BUSY_TIMEOUT);
            let pool = if memory {
                // One connection that never closes: each connection would have its own
                // empty in-memory database.
                SqlitePoolOptions::new()
                    .max_connections(1)
                    .min_connections(1)
                    .idle_timeout(None)
                    .max_lifetime(None)
            } else {
                SqlitePoolOptions::new().max_connections(4)
            }
            .acquire_timeout(BUSY_TIMEOUT)
            .connect_with(opts)
            .await?;
            SQLITE_MIGRATIONS.run(&pool).await?;
            Pool::Sqlite(pool)
        };
        Ok(Store {
            pool,
            calendar: Arc::new(Calendar::embedded()),
            agency: agencies::ROOT,
        })
    }

    /// The same store (the same pool) working in agency `agency`: every record read or
    /// written through it is that agency's. The caller (the service layer) decides
    /// whether the user may work there.
    pub fn in_agency(&self, agency: AgencyId) -> Store {
        Store {
            agency,
            ..self.clone()
        }
    }

    /// The agency this store works in.
    pub fn agency_id(&self) -> AgencyId {
        self.agency
    }

    /// Uses `calendar` (e.g. `Calendar::with_dir`) instead of the embedded one.
    pub fn with_calendar(mut self, calendar: Calendar) -> Self {
        self.calendar = Arc::new(calendar);
        self
    }

    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Closes the pool (waits for connections in use).
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }

    fn env(&self) -> ops::Env<'_> {
        ops::Env {
            calendar: &self.calendar,
        }
    }

    // ---- set-up, settings, users ---------------------------------------------------------

    /// Sets the office's name and creates the first user (an administrator). Refused when
    /// the database already has users.
    pub async fn init(&self, agency: &str, admin: &NewUser, at: DateTime<Utc>) -> Result<User> {
        self.init_office(agency, admin, &OfficeSettings::default(), at)
            .await
    }

    /// [`Store::init`] with the office's settings (remedy organs, calendar directory), in
    /// the same transaction.
    pub async fn init_office(
        &self,
        agency: &str,
        admin: &NewUser,
        office: &OfficeSettings,
        at: DateTime<Utc>,
    ) -> Result<User> {
        let admin = NewUser {
            role: Role::Admin,
            ..admin.clone()
        };
        tx!(self, write, |c| ops::init(c, agency, &admin, office, at))
    }

    /// Whether `init` has run.
    pub async fn is_initialised(&self) -> Result<bool> {
        match tx!(self, read, |c| ops::agency(c)) {
            Ok(_) => Ok(true),
            Err(StoreError::NotInitialised) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// The office's name (for report titles).
    pub async fn agency(&self) -> Result<String> {
        tx!(self, read, |c| ops::agency(c))
    }

    pub async fn settings(&self) -> Result<Settings> {
        tx!(self, read, |c| ops::settings(c))
    }

    /// The office's settings (remedy organs named in letters, calendar directory).
    pub async fn office(&self) -> Result<OfficeSettings> {
        tx!(self, read, |c| ops::office(c))
    }

    /// Changes the office's settings (office head or admin), audited.
    pub async fn set_office(&self, office: &OfficeSettings, stamp: &Stamp) -> Result<()> {
        tx!(self, write, |c| ops::set_office(c, office, stamp))
    }

    /// Changes the agency's name, the office's particulars and the ledger's settings at
    /// once (office head or admin): each part written and audited only if it changed;
    /// nothing written if any part is refused.
    pub async fn configure(
        &self,
        agency: &str,
        office: &OfficeSettings,
        settings: Settings,
        stamp: &Stamp,
    ) -> Result<()> {
        tx!(self, write, |c| ops::configure(
            c, agency, office, settings, stamp
        ))
    }

    /// Changes the ledger's settings (office head or admin).
    pub async fn set_settings(&self, settings: Settings, stamp: &Stamp) -> Result<()> {
        tx!(self, write, |c| ops::set_settings(c, settings, stamp))
    }

    /// Adds a user (admin only).
    pub async fn add_user(&self, user: &NewUser, stamp: &Stamp) -> Result<User> {
        tx!(self, write, |c| ops::add_user(c, user, stamp))
    }

    pub async fn user(&self, name: &str) -> Result<Option<User>> {
        tx!(self, read, |c| async {
            Ok::<_, StoreError>(c.user(name).await?.map(|r| r.user))
        })
    }

    /// The users who hold a role in the store's agency, with the roles they hold there.
    pub async fn users(&self) -> Result<Vec<User>> {
        tx!(self, read, |c| async {
            let members = c.agency_members().await?;
            let users = c.users().await?;
            Ok::<_, StoreError>(
                users
                    .into_iter()
                    .filter_map(|u| {
                        let keys: Vec<String> = members
                            .iter()
                            .filter(|(n, _)| *n == u.name)
                            .map(|(_, r)| r.clone())
                            .collect();
                        agencies::with_roles(u, &agencies::ledger_roles(&keys))
                    })
                    .collect(),
            )
        })
    }

    /// Sets a password (one's own, or anyone's for an admin); ends the user's sessions.
    pub async fn set_password(&self, name: &str, password: &str, stamp: &Stamp) -> Result<()> {
        tx!(self, write, |c| ops::set_password(c, name, password, stamp))
    }

    /// Enables or disables a user (admin only); disabling ends the user's sessions.
    pub async fn set_user_active(&self, name: &str, active: bool, stamp: &Stamp) -> Result<()> {
        tx!(self, write, |c| ops::set_active(c, name, active, stamp))
    }

    /// Checks a name and password (`BadCredentials` whichever is wrong).
    pub async fn authenticate(&self, name: &str, password: &str) -> Result<User> {
        tx!(self, read, |c| ops::authenticate(c, name, password))
    }

    // ---- sessions (for the web service) -----------------------------------------------------

    /// Checks the password and opens a session valid for `ttl`; the token goes to the
    /// client (cookie), only its SHA-256 is stored. Audited as `session.login`. The same
    /// path as [`Store::sign_in`] with the default throttle and no client address.
    pub async fn login(
        &self,
        name: &str,
        password: &str,
        ttl: chrono::Duration,
        now: DateTime<Utc>,
    ) -> Result<(SessionToken, Session, User)> {
        self.sign_in(name, password, "-", &ThrottlePolicy::default(), ttl, now)
            .await
    }

    /// Ends a session; false if there was none.
    pub async fn logout(&self, token: &SessionToken, now: DateTime<Utc>) -> Result<bool> {
        tx!(self, write, |c| ops::logout(c, token, now))
    }

    /// Deletes expired sessions; returns how many.
    pub async fn purge_sessions(&self, now: DateTime<Utc>) -> Result<u64> {
        tx!(self, write, |c| c.delete_expired_sessions(now))
    }

    // ---- applications and events ---------------------------------------------------------------

    /// Registers an application (and its receipt, if given) after the ledger's checks.
    pub async fn register_application(
        &self,
        new: NewApplication,
        stamp: &Stamp,
    ) -> Result<Application> {
        let env = self.env();
        tx!(self, write, |c| ops::register(c, &env, new, stamp))
    }

    /// Appends an event to an application's log after the ledger validated the whole log
    /// with it (`recorded_at`/`recorded_by` from `stamp`).
    pub async fn append_event(
        &self,
        id: &ApplicationId,
        input: EventInput,
        stamp: &Stamp,
    ) -> Result<Event> {
        let env = self.env();
        tx!(self, write, |c| ops::append(c, &env, id, input, stamp))
    }

    /// An application with its log (`UnknownApplication` if there is none).
    pub async fn application(&self, id: &ApplicationId) -> Result<Application> {
        tx!(self, read, |c| ops::application(c, &id.0))
    }

    /// Every application with its log, ordered by id.
    pub async fn applications(&self) -> Result<Vec<Application>> {
        tx!(self, read, |c| ops::applications(c))
    }

    /// A page of the applications a query selects, with their events, and how many it
    /// selects in all ([`list`]).
    pub async fn list_applications(&self, query: &ApplicationQuery) -> Result<ApplicationPage> {
        tx!(self, read, |c| c.list_applications(query))
    }

    /// Everything: applications, appeals, proactive records and the publication register's
    /// items (as the year-end counts them), as the ledger.
    pub async fn ledger(&self) -> Result<Ledger> {
        tx!(self, read, |c| async {
            let mut ledger = ops::ledger(c).await?;
            ledger.set_register(register::register_facts(c).await?);
            Ok::<_, StoreError>(ledger)
        })
    }

    /// The per-application fee units the applicant had earlier in the month of receipt
    /// (for a fee notice's `earlier_units`).
    pub async fn earlier_units_in_month(&self, id: &ApplicationId) -> Result<u32> {
        tx!(self, read, |c| ops::earlier_units_in_month(c, id))
    }

    /// The year-end report computed from the ledger with the store's calendar and settings.
    pub async fn year_end(&self, options: YearEndOptions) -> Result<YearEnd> {
        self.year_end_against(options, None).await
    }

    /// The publication register's items as the year-end counts them (every item, its
    /// publications, corrections and withdrawal).
    pub async fn register_facts(&self) -> Result<Vec<gongkai_ledger::register::ItemFacts>> {
        tx!(self, read, |c| register::register_facts(c))
    }

    /// [`Store::year_end`], with REG001 checked against the previous year's report as
    /// frozen at its submission (`known_by`, `as_of`), if it was submitted.
    pub async fn year_end_against(
        &self,
        options: YearEndOptions,
        previous: Option<(DateTime<Utc>, NaiveDate)>,
    ) -> Result<YearEnd> {
        let (ledger, settings) = tx!(self, read, |c| async {
            let mut ledger = ops::ledger(c).await?;
            ledger.set_register(register::register_facts(c).await?);
            Ok::<_, StoreError>((ledger, ops::settings(c).await?))
        })?;
        let mut ye = ledger.year_end(options, &self.calendar, settings);
        if let Some((known_by, as_of)) = previous {
            ledger.recheck_continuity(&mut ye, known_by, as_of);
        }
        Ok(ye)
    }

    // ---- appeals and proactive records --------------------------------------------------------

    /// Adds a reconsideration or litigation case (`recorded_at`/`recorded_by` from `stamp`).
    pub async fn add_appeal(&self, case: AppealCase, stamp: &Stamp) -> Result<AppealCase> {
        tx!(self, write, |c| ops::add_appeal(c, case, stamp))
    }

    /// Replaces a case (e.g. with its conclusion).
    pub async fn update_appeal(&self, case: AppealCase, stamp: &Stamp) -> Result<AppealCase> {
        tx!(self, write, |c| ops::update_appeal(c, case, stamp))
    }

    pub async fn appeal(&self, id: &str) -> Result<Option<AppealCase>> {
        tx!(self, read, |c| c.appeal(id))
    }

    pub async fn appeals(&self) -> Result<Vec<AppealCase>> {
        tx!(self, read, |c| c.all_appeals())
    }

    /// Adds or replaces a proactive-disclosure record; true if it was new.
    pub async fn set_proactive(
        &self,
        id: &str,
        data: ProactiveData,
        stamp: &Stamp,
    ) -> Result<(ProactiveRecord, bool)> {
        tx!(self, write, |c| ops::set_proactive(c, id, data, stamp))
    }

    /// Corrects (`data` given) or voids (`None`) proactive record `old_id` with a superseding
    /// record `new_id` and the reason; the old record is kept and no longer counted.
    pub async fn supersede_proactive(
        &self,
        old_id: &str,
        new_id: &str,
        data: Option<ProactiveData>,
        reason: &str,
        stamp: &Stamp,
    ) -> Result<ProactiveRecord> {
        tx!(self, write, |c| ops::supersede_proactive(
            c, old_id, new_id, data, reason, stamp
        ))
    }

    /// Corrects (`case` given) or voids (`None`) case `old_id` with a superseding record.
    pub async fn supersede_appeal(
        &self,
        old_id: &str,
        new_id: &str,
        case: Option<AppealCase>,
        reason: &str,
        stamp: &Stamp,
    ) -> Result<AppealCase> {
        tx!(self, write, |c| ops::supersede_appeal(
            c, old_id, new_id, case, reason, stamp
        ))
    }

    pub async fn proactive_records(&self) -> Result<Vec<ProactiveRecord>> {
        tx!(self, read, |c| c.all_proactive())
    }

    // ---- reviews ------------------------------------------------------------------------------

    /// Takes a step of the three-level review (see [`review::check`] for who may do what).
    pub async fn review_step(
        &self,
        subject: &ReviewSubject,
        action: ReviewAction,
        note: Option<String>,
        stamp: &Stamp,
    ) -> Result<Review> {
        if let ReviewSubject::Item { item } = subject {
            // An item's review binds its content and levels (`review_item_ops`); a
            // submission needs the 保密审查 (`Store::item_review_step`).
            return self
                .item_review_step(*item, action, note, None, stamp)
                .await
                .map(|r| r.review);
        }
        let env = self.env();
        tx!(self, write, |c| reviewing::review_step(
            c, &env, subject, action, note, stamp
        ))
    }

    /// Approves at the level that is due: 审核通过 while awaiting review, 批准 while awaiting
    /// approval (the role check still applies).
    pub async fn review_approve(
        &self,
        subject: &ReviewSubject,
        note: Option<String>,
        stamp: &Stamp,
    ) -> Result<Review> {
        let current = self.review(subject).await?;
        let roles = self
            .member(&stamp.user)
            .await?
            .map_or(vec![Role::Clerk], |u| u.roles());
        let action = review::approval_for_roles(current.status, &roles, &current.rules).unwrap_or(
            if roles == [Role::Leader] {
                ReviewAction::Approve
            } else {
                ReviewAction::Review
            },
        );
        self.review_step(subject, action, note, stamp).await
    }

    /// A review with its steps (status `NotSubmitted` and no steps if none yet).
    pub async fn review(&self, subject: &ReviewSubject) -> Result<Review> {
        if let ReviewSubject::Item { item } = subject {
            return self.item_review(*item).await.map(|r| r.review);
        }
        let env = self.env();
        let today = today();
        tx!(self, read, |c| reviewing::review(c, &env, subject, today))
    }

    /// The years whose annual report has a review with at least one step (any status),
    /// oldest first.
    pub async fn reviewed_report_years(&self) -> Result<Vec<i32>> {
        let ids: Vec<String> = tx!(self, read, |c| c.reviewed_subjects("annual_report"))?;
        Ok(ids.iter().filter_map(|id| id.parse().ok()).collect())
    }

    /// Every review that has at least one step.
    pub async fn reviews(&self) -> Result<Vec<Review>> {
        let env = self.env();
        let today = today();
        tx!(self, read, |c| reviewing::reviews(c, &env, today))
    }

    // ---- letter templates ---------------------------------------------------------------------

    /// Adds or replaces a reply letter template (office head or admin) as a new version
    /// ([`Store::change_template`]; the text is not checked here — the service checks its
    /// placeholders).
    pub async fn set_template(
        &self,
        key: &str,
        title: &str,
        body: &str,
        stamp: &Stamp,
    ) -> Result<LetterTemplate> {
        let change = TemplateChange {
            title: title.trim().to_string(),
            body: body.to_string(),
            origin: TemplateOrigin::Edit,
            restored_from: None,
            note: None,
        };
        self.change_template(key, change, stamp).await?;
        self.template(key.trim())
            .await?
            .ok_or(StoreError::NotFound {
                what: "答复书模板",
                id: key.trim().to_string(),
            })
    }

    pub async fn template(&self, key: &str) -> Result<Option<LetterTemplate>> {
        tx!(self, read, |c| c.template(key))
    }

    pub async fn templates(&self) -> Result<Vec<LetterTemplate>> {
        tx!(self, read, |c| c.templates())
    }

    // ---- audit -------------------------------------------------------------------------------

    /// Audit rows, newest first, filtered and paged by `query`.
    pub async fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        tx!(self, read, |c| ops::audit_log(c, query))
    }

    /// Writes one audit row on its own, for what changes nothing in the ledger: a refused
    /// action (`refused`, written after the refused write rolled back) or a download of a
    /// document with personal data (`download`). The stamp's user is recorded as given
    /// (it may be a visitor who is not a user).
    pub async fn record_audit(
        &self,
        stamp: &Stamp,
        action: &str,
        subject_kind: &str,
        subject_id: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
        tx!(self, write, |c| ops::audit(
            c,
            stamp,
            action,
            subject_kind,
            subject_id,
            detail
        ))
    }
}

/// The office's date today (Beijing time).
fn today() -> chrono::NaiveDate {
    Utc::now()
        .with_timezone(&model::china_offset())
        .date_naive()
}

/// `url` without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..s + 3], &creds[..colon], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

use agencies::AgencyConn as _;
use backend::{AccountConn as _, Conn as _};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_redacted() {
        assert_eq!(
            redact("postgres://u:secret@127.0.0.1:5432/db"),
            "postgres://u:***@127.0.0.1:5432/db"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }

    /// The web service holds futures of the store across `.await` in handlers that must be
    /// `Send`.
    #[test]
    fn futures_are_send() {
        fn send<T: Send>(_: &T) {}
        fn sync<T: Send + Sync + Clone>() {}
        sync::<Store>();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let store = Store::open("sqlite::memory:").await.unwrap();
            let stamp = Stamp::new("x", Utc::now());
            let id = ApplicationId::from("1");
            let f = store.append_event(
                &id,
                EventInput::new(stamp.today(), gongkai_ledger::EventKind::Corrected),
                &stamp,
            );
            send(&f);
            let g = store.ledger();
            send(&g);
            let h = store.review_step(
                &ReviewSubject::AnnualReport { year: 2025 },
                ReviewAction::Submit,
                None,
                &stamp,
            );
            send(&h);
        });
    }
}
