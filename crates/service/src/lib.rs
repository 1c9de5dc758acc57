//! The ledger's use cases, written once for every front end: the command line
//! (`gongkai ledger`), the web pages and the JSON API parse their own syntax into these
//! calls and render what comes back; none of them holds a business rule.
//!
//! ```text
//! front ends (thin):  cli  │  web pages  │  JSON API
//!                          ▼
//! gongkai-service:    one method per use case — takes the authenticated [`Actor`],
//!                     applies the defaults (fee amounts, earlier units), one ordering of
//!                     the open applications, the official (frozen) year-end report,
//!                     review rights, stamps and ids; typed results and [`ServiceError`]
//!                          ▼
//! gongkai-store:      one transaction per write: role check, the ledger's validation,
//!                     the rows and the audit row
//! ```
//!
//! * [`actor`] — who acts, with which role, through which front end.
//! * [`error`] — [`ServiceError`] and its [`ErrorKind`] (one HTTP status each).
//! * [`applications`] — register, append an event (with its defaults), one application,
//!   the list in one ordering.
//! * [`review`] — the review steps and who may take them ([`review::allowed`]); a reply's
//!   review is bound to its content (需重新审核 when it changes), 送达 needs an approval,
//!   an approved annual report is reopened only by the 分管领导 (or 办公室主任) with a reason.
//! * [`year_end`] — the official year-end report: frozen once the annual review is
//!   submitted, live before.
//! * [`letters`] — the reply letter, dated with its decision.
//! * [`templates`] — the letter templates: placeholders checked, versions, restore, preview.
//! * [`office`] — the office's settings (remedy organs, calendar directory) and the
//!   working-day calendar loaded from a directory.
//! * [`records`] — appeals (ids and stamps made here), proactive records, users.
//! * [`narrative`] — the annual report's narrative and 落款 in saved versions, and what
//!   must hold before the report is submitted (the year over, no error left).
//! * [`users`] — user administration (administrator), several roles per person, the
//!   password rules on every new password, temporary passwords, one's own change.
//! * [`audit`] — the audit log for the 管理员 and the 办公室主任 (filters, pages, CSV
//!   export), and the rows of refused actions and downloads.
//! * [`limits`] — the length limit of every text field, one table for every front end.
//! * [`tokens`] — a password or a personal API token as an actor (the command line), the
//!   user's own tokens.
//! * [`exports`] — the ledger as XLSX and CSV (the list's filters, saved column sets) and
//!   the year's three tables as XLSX; every export audited.
//! * [`imports`] — imports from sheets (preview, mapping, one transaction) and the
//!   opening balances.
//! * [`platform`] — the platform's agencies (a tree) and the roles users hold in each:
//!   listed and changed by the platform administrator (管理员 of the root agency).
//! * [`supervision`] — the supervisor's live view of a node's subtree: tables 三 and 四
//!   summed, applications at risk, on-time rates, the annual reports and their
//!   differences from the ledgers; each agency's figures kept under its change counter.
//! * [`register`] — the publication register (主动公开登记): items, 索引号, publications per
//!   channel, corrections and withdrawals, the art. 26 due list and on-time rate, art. 18
//!   re-assessments, the register's settings.
//! * [`search`] — 全文检索: the public search over the register's published items and the
//!   indexer that keeps a process's index current from the change feed.
//! * [`corrections`] — 更正: an application's registered facts (old → new, with a reason),
//!   and superseding (corrected or voided) proactive records and appeal cases.

use chrono::{NaiveDate, Utc};
use gongkai_store::Store;
use gongkai_store::model::china_offset;

pub mod actor;
pub mod applications;
pub mod audit;
pub mod corrections;
pub mod error;
pub mod exports;
pub mod imports;
pub mod letters;
pub mod limits;
pub mod narrative;
pub mod office;
pub mod platform;
pub mod portal;
pub mod records;
pub mod register;
pub mod review;
pub mod supervision;
pub mod templates;
pub mod tokens;
pub mod users;
pub mod year_end;

pub use actor::{Actor, Via};
pub use applications::{
    Appended, Detail, EventDraft, FeeDraft, ListFilter, ListStatus, Listed, Listing, Registered,
    open_order,
};
pub use audit::{AuditFilter, AuditPage};
pub use error::{ErrorKind, ServiceError};
pub use letters::Letter;
pub use narrative::{NarrativeView, section_number};
pub use office::{CalendarSource, OfficeView, open_calendar};
pub use platform::{AgencyForm, Seat, SeatChoice};
pub use review::{Allowed, allowed};
pub use users::{Account, AccountDraft, Created, check_password};
pub use year_end::Official;

/// The result of a use case.
pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

/// The use cases over one store. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Service {
    store: Store,
    /// The date the service takes for today, if fixed (tests, demonstrations).
    fixed_date: Option<NaiveDate>,
}

impl Service {
    pub fn new(store: Store) -> Self {
        Service {
            store,
            fixed_date: None,
        }
    }

    /// The same service with its clock fixed on `date`: the date that decides whether a
    /// year is over, which year the year-end page starts on and the live report's date.
    /// Writes are still stamped with the real time.
    pub fn with_date(mut self, date: NaiveDate) -> Self {
        self.fixed_date = Some(date);
        self
    }

    /// The office's date on the service's clock: the fixed date, or [`Service::today`].
    pub fn current_date(&self) -> NaiveDate {
        self.fixed_date.unwrap_or_else(Service::today)
    }

    /// The store underneath (for reads that are not use cases: settings, templates, audit),
    /// working in the service's agency.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The same service working in agency `agency`: the reads that take no actor (lists,
    /// the year-end report, settings) read that agency's records. Front ends scope the
    /// service by the actor's agency ([`Service::for_actor`]) before anything else.
    pub fn in_agency(&self, agency: gongkai_store::AgencyId) -> Service {
        Service {
            store: self.store.in_agency(agency),
            fixed_date: self.fixed_date,
        }
    }

    /// The service working in `actor`'s agency.
    pub fn for_actor(&self, actor: &Actor) -> Service {
        self.in_agency(actor.agency())
    }

    /// The store working in `actor`'s agency: what every use case with an actor writes
    /// and reads through, whatever agency the service itself was scoped to.
    pub(crate) fn store_for(&self, actor: &Actor) -> Store {
        self.store.in_agency(actor.agency())
    }

    /// The office's date today (Beijing time): the date of states, lists and the live
    /// year-end report.
    pub fn today() -> NaiveDate {
        Utc::now().with_timezone(&china_offset()).date_naive()
    }
}
