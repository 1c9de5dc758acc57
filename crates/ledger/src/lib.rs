//! The disclosure ledger's domain core (依申请公开台账): applications through their
//! statutory clocks, appeals, proactive-disclosure records, and the year-end report computed
//! from them — never typed.
//!
//! * [`calendar`] — working days: holidays and make-up working days per year, from data
//!   files (embedded 2023–2026, more loadable at run time).
//! * [`holidays`] — the statutory holidays, for a year without its notice.
//! * [`application`] — applicant, request, channel and receipt date (art. 31), the log.
//! * [`event`] — the events of the append-only log.
//! * [`amend`] — corrections (更正) of the registered facts, old → new, with a reason.
//! * [`state`] — the fold: an application's state on any date, derived from its log.
//! * [`clock`] — the reply deadline (art. 33) with its explanation.
//! * [`decision`] — the outcome, one member per outcome row of table 三.
//! * [`fees`] — the information processing fee (both methods).
//! * [`appeals`], [`proactive`] — section 四 and section 二 records.
//! * [`register`] — the publication register (主动公开): items, 索引号, the art. 26 clock.
//! * [`import`] — bringing an old ledger sheet and a list of documents in (plans, refusals).
//! * [`opening`] — the opening balances from the last report before gongkai.
//! * [`ledger`] — all of one office's records, with the checks across applications.
//! * [`text`] — an event in words for timelines (Chinese, English), masked identity numbers.
//! * [`vocab`] — one vocabulary (wire name, Chinese label, members) per domain enum.
//! * [`year_end`] — sections 二, 三, 四 and draft narrative as a `gongkai_report::Report`.
//!
//! The crate is pure: no I/O except loading calendar files, no system clock (callers pass
//! `today` and `recorded_at`). Storage and interfaces build on these types; every type is
//! serde.

pub mod amend;
pub mod appeals;
pub mod application;
pub mod calendar;
pub mod clock;
pub mod decision;
pub mod error;
pub mod event;
pub mod fees;
pub mod holidays;
pub mod import;
pub mod ledger;
pub mod opening;
pub mod proactive;
pub mod register;
pub mod settings;
pub mod state;
pub mod text;
pub mod vocab;
pub mod year_end;
pub mod year_end_parts;

pub use amend::{AmendDraft, FieldChange, Receipt};
pub use appeals::{AppealCase, AppealConclusion, AppealKind, AppealResult, AppealStatus, CaseRole};
pub use application::{
    Applicant, ApplicantKind, Application, ApplicationId, Channel, Contact, Context, Delivery,
    IdDocument, Identity, InformationForm, InformationRequest,
};
pub use calendar::{Calendar, CalendarError, CalendarWarning, Checked, DayKind};
pub use clock::ReplyClock;
pub use decision::Decision;
pub use error::{LedgerError, Notice};
pub use event::{ConsultationKind, Event, EventKind, EventType, NewEvent, ReplyMethod};
pub use fees::{FeeBasis, FeeQuote};
pub use ledger::{Ledger, LedgerData};
pub use opening::Opening;
pub use proactive::{
    DecisionArea, DecisionCount, DocumentKind, DocumentRecord, FeeIncome, ProactiveData,
    ProactiveRecord, Supersedes,
};
pub use settings::{AppealCounting, GrantedReplyApproval, OfficeSettings, ReopenBy, Settings};
pub use state::{ApplicationState, Closure, Stage};
pub use vocab::{ChannelKind, UnknownValue, Vocabulary, parse_date};
pub use year_end::{Figures, YearEnd, YearEndOptions};
pub use year_end_parts::{ApplicationsSum, Contribution, contribution};
