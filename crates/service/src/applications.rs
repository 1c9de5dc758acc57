//! Applications: register, append an event with its business defaults, read one with
//! its state and review, and the list in one ordering.
//!
//! The defaults live here and nowhere else:
//! * a fee notice without an amount is quoted by `fees::quote`; a per-application notice
//!   without units takes the application's `fee_units`, without `earlier_units` the
//!   ledger's count of the applicant's earlier units in the month of receipt;
//! * a payment without an amount pays the notice's amount;
//! * an extension without a notification date was notified on the event's date.

use chrono::NaiveDate;
use gongkai_ledger::fees::{self, FeeBasis};
use gongkai_ledger::{Application, ApplicationId, ApplicationState, Event, EventKind, Notice};
use gongkai_store::{ApplicationQuery, EventInput, NewApplication, Review, ReviewSubject};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::{Result, Service};

/// What registration returns.
#[derive(Debug, Clone, Serialize)]
pub struct Registered {
    pub application: Application,
    pub state: ApplicationState,
}

/// A fee notice's basis as entered: missing quantities take the ledger's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum FeeDraft {
    /// 按件; `units` default the application's `fee_units`, `earlier_units` default the
    /// ledger's count for the month.
    PerApplication {
        #[serde(default)]
        units: Option<u32>,
        #[serde(default)]
        earlier_units: Option<u32>,
    },
    /// 按量.
    PerVolume { pages: u32 },
}

/// An event as a front end enters it: either complete, or one of the kinds whose
/// missing values the service fills in.
#[derive(Debug, Clone, PartialEq)]
pub enum DraftKind {
    Complete(EventKind),
    FeeNotice {
        basis: FeeDraft,
        amount: Option<Decimal>,
        received_by_applicant_on: Option<NaiveDate>,
    },
    FeePaid {
        amount: Option<Decimal>,
    },
    Extended {
        days: u32,
        approved_by: String,
        applicant_notified_on: Option<NaiveDate>,
    },
}

/// An event to append.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDraft {
    pub date: NaiveDate,
    pub kind: DraftKind,
    pub note: Option<String>,
}

impl EventDraft {
    pub fn complete(date: NaiveDate, kind: EventKind, note: Option<String>) -> Self {
        EventDraft {
            date,
            kind: DraftKind::Complete(kind),
            note,
        }
    }

    /// Reads the API's JSON body: `{"date", "note", "type", …}` as `gongkai_ledger`'s
    /// `EventKind`, where a fee notice may leave out `amount` (and its basis `units`,
    /// `earlier_units`), a payment its `amount` and an extension `applicant_notified_on`.
    pub fn from_json(value: serde_json::Value) -> Result<Self, serde_json::Error> {
        #[derive(Deserialize)]
        struct Head {
            date: NaiveDate,
            #[serde(default)]
            note: Option<String>,
            #[serde(rename = "type", default)]
            kind: String,
        }
        #[derive(Deserialize)]
        #[serde(tag = "type", rename_all = "snake_case")]
        enum Partial {
            FeeNoticeSent {
                basis: FeeDraft,
                #[serde(default)]
                amount: Option<Decimal>,
                #[serde(default)]
                received_by_applicant_on: Option<NaiveDate>,
            },
            FeePaid {
                #[serde(default)]
                amount: Option<Decimal>,
            },
            Extended {
                days: u32,
                approved_by: String,
                #[serde(default)]
                applicant_notified_on: Option<NaiveDate>,
            },
        }
        let head: Head = serde_json::from_value(value.clone())?;
        let kind = match head.kind.as_str() {
            "fee_notice_sent" | "fee_paid" | "extended" => {
                match serde_json::from_value::<Partial>(value)? {
                    Partial::FeeNoticeSent {
                        basis,
                        amount,
                        received_by_applicant_on,
                    } => DraftKind::FeeNotice {
                        basis,
                        amount,
                        received_by_applicant_on,
                    },
                    Partial::FeePaid { amount } => DraftKind::FeePaid { amount },
                    Partial::Extended {
                        days,
                        approved_by,
                        applicant_notified_on,
                    } => DraftKind::Extended {
                        days,
                        approved_by,
                        applicant_notified_on,
                    },
                }
            }
            _ => DraftKind::Complete(serde_json::from_value::<EventKind>(value)?),
        };
        Ok(EventDraft {
            date: head.date,
            kind,
            note: head.note,
        })
    }
}

/// What appending returns: the event, the state today, and the reminders the event
/// brought (not shown before it).
#[derive(Debug, Clone, Serialize)]
pub struct Appended {
    pub event: Event,
    pub application: Application,
    pub state: ApplicationState,
    pub new_notices: Vec<Notice>,
}

/// One application with its state on a date and its reply review.
#[derive(Debug, Clone, Serialize)]
pub struct Detail {
    pub application: Application,
    pub state: ApplicationState,
    pub review: Review,
}

/// Open, closed or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListStatus {
    /// Open ones, and registered ones not yet received (by deadline).
    #[default]
    Open,
    /// Closed ones, the latest closed (reply sent, withdrawn …) first.
    Closed,
    /// Open ones by deadline, then closed ones, the latest closed first.
    All,
}

impl ListStatus {
    pub const ALL: [ListStatus; 3] = [ListStatus::Open, ListStatus::Closed, ListStatus::All];

    /// The wire name: `open`, `closed`, `all`.
    pub fn name(self) -> &'static str {
        match self {
            ListStatus::Open => "open",
            ListStatus::Closed => "closed",
            ListStatus::All => "all",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            ListStatus::Open => "在办",
            ListStatus::Closed => "已办结",
            ListStatus::All => "全部",
        }
    }
}

impl std::str::FromStr for ListStatus {
    type Err = crate::ServiceError;

    /// `open` | `closed` | `all`, or 在办 | 已办结 | 全部.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        ListStatus::ALL
            .into_iter()
            .find(|v| v.name() == t || v.label_zh() == t)
            .ok_or_else(|| {
                crate::ServiceError::invalid(
                    "状态",
                    format!("状态“{t}”无效，可用：open（在办）、closed（已办结）、all（全部）"),
                )
            })
    }
}

/// Which applications a list shows, and which page of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub status: ListStatus,
    /// Words found in the applicant's name, the application's number or the request text
    /// (every word somewhere).
    pub search: Option<String>,
    /// Received in this year.
    pub year: Option<i32>,
    /// Only open ones past their deadline.
    pub overdue: bool,
    /// Only open ones whose deadline is within this many calendar days (overdue ones
    /// included).
    pub due_within: Option<u32>,
    /// Rows to skip.
    pub offset: usize,
    /// At most this many rows (`None`: all).
    pub limit: Option<usize>,
}

impl ListFilter {
    /// Open and closed ones (no paging).
    pub fn all() -> Self {
        ListFilter {
            status: ListStatus::All,
            ..ListFilter::default()
        }
    }
}

/// A page of the list: its rows and how many rows the filter selects in all.
#[derive(Debug, Clone, Serialize)]
pub struct Listing {
    pub total: usize,
    pub offset: usize,
    pub rows: Vec<Listed>,
}

/// A row of the list.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub application: Application,
    pub state: ApplicationState,
}

/// The one ordering of the list: open applications with a running deadline first, by
/// deadline; then open ones without a running deadline (not yet received, awaiting a
/// correction); then closed ones; ties by id.
pub fn open_order(app: &Application, st: &ApplicationState) -> (u8, NaiveDate, ApplicationId) {
    let rank = if is_closed(st) {
        2
    } else if st.deadline().is_some() && st.stage != gongkai_ledger::Stage::AwaitingCorrection {
        0
    } else {
        1
    };
    (
        rank,
        st.deadline().unwrap_or(NaiveDate::MAX),
        app.id.clone(),
    )
}

/// Closed: received and no longer open (one not yet received is not closed).
fn is_closed(st: &ApplicationState) -> bool {
    !st.is_open() && st.received_on.is_some()
}

impl Service {
    async fn state_of(&self, app: &Application, date: NaiveDate) -> Result<ApplicationState> {
        let settings = self.store.settings().await?;
        Ok(app.state_at(date, self.store.calendar(), settings))
    }

    /// Registers an application (and its receipt). `fee_units` is at least 1.
    pub async fn register(&self, actor: &Actor, mut new: NewApplication) -> Result<Registered> {
        crate::limits::check(&new)?;
        new.request.fee_units = new.request.fee_units.max(1);
        let r = self
            .store_for(actor)
            .register_application(new, &actor.stamp())
            .await;
        let application = self
            .refused(actor, "application.register", "", r.map_err(Into::into))
            .await?;
        let state = self
            .for_actor(actor)
            .state_of(&application, Service::today())
            .await?;
        tracing::info!(id = %application.id, user = actor.name(), via = ?actor.via(), "application registered");
        Ok(Registered { application, state })
    }

    /// Appends an event after filling in the defaults (module docs).
    pub async fn append_event(
        &self,
        actor: &Actor,
        id: &ApplicationId,
        draft: EventDraft,
    ) -> Result<Appended> {
        crate::limits::text("id", &id.0)?;
        crate::limits::opt("note", draft.note.as_deref())?;
        match &draft.kind {
            DraftKind::Complete(k) => crate::limits::check(k)?,
            DraftKind::Extended { approved_by, .. } => {
                crate::limits::text("approved_by", approved_by)?
            }
            DraftKind::FeeNotice { .. } | DraftKind::FeePaid { .. } => {}
        }
        let before = self.store_for(actor).application(id).await?;
        let today = Service::today();
        let before_state = self.for_actor(actor).state_of(&before, today).await?;
        let kind = match draft.kind {
            DraftKind::Complete(k) => k,
            DraftKind::FeeNotice {
                basis,
                amount,
                received_by_applicant_on,
            } => {
                let basis = match basis {
                    FeeDraft::PerVolume { pages } => FeeBasis::PerVolume { pages },
                    FeeDraft::PerApplication {
                        units,
                        earlier_units,
                    } => FeeBasis::PerApplication {
                        units: units.unwrap_or(before.request.fee_units).max(1),
                        earlier_units: match earlier_units {
                            Some(e) => e,
                            None => self.store_for(actor).earlier_units_in_month(id).await?,
                        },
                    },
                };
                EventKind::FeeNoticeSent {
                    basis,
                    amount: amount.unwrap_or_else(|| fees::quote(basis).total),
                    received_by_applicant_on,
                }
            }
            DraftKind::FeePaid { amount } => EventKind::FeePaid {
                amount: match amount {
                    Some(a) => a,
                    None => self
                        .for_actor(actor)
                        .state_of(&before, draft.date)
                        .await?
                        .fee
                        .map_or(Decimal::ZERO, |f| f.amount),
                },
            },
            DraftKind::Extended {
                days,
                approved_by,
                applicant_notified_on,
            } => EventKind::Extended {
                days,
                approved_by,
                applicant_notified_on: applicant_notified_on.unwrap_or(draft.date),
            },
        };
        let input = EventInput {
            date: draft.date,
            kind,
            note: draft.note,
        };
        let r = self
            .store_for(actor)
            .append_event(id, input, &actor.stamp())
            .await;
        let event = self
            .refused(actor, "event.append", &id.0, r.map_err(Into::into))
            .await?;
        let application = self.store_for(actor).application(id).await?;
        let state = self.for_actor(actor).state_of(&application, today).await?;
        let new_notices = state
            .notices
            .iter()
            .filter(|n| !before_state.notices.contains(n))
            .cloned()
            .collect();
        tracing::info!(%id, seq = event.seq, user = actor.name(), via = ?actor.via(), "event appended");
        Ok(Appended {
            event,
            application,
            state,
            new_notices,
        })
    }

    /// One application with its state on `as_of` (default today) and its reply review.
    pub async fn application(
        &self,
        id: &ApplicationId,
        as_of: Option<NaiveDate>,
    ) -> Result<Detail> {
        let application = self.store.application(id).await?;
        let state = self
            .state_of(&application, as_of.unwrap_or_else(Service::today))
            .await?;
        let review = self
            .store
            .review(&ReviewSubject::Reply {
                application: id.clone(),
            })
            .await?;
        Ok(Detail {
            application,
            state,
            review,
        })
    }

    /// The list as of today, in the one ordering ([`open_order`]), all of it.
    pub async fn applications(&self, filter: ListFilter) -> Result<Vec<Listed>> {
        Ok(self.list(&filter).await?.rows)
    }

    /// A page of the list as of today, in the one ordering ([`open_order`]).
    ///
    /// Search, year and open/closed are the store's query; closed applications (the bulk
    /// of a ledger after some years) are paged there too. Open ones are read whole (their
    /// deadlines need the calendar), filtered for `overdue`/`due_within`, sorted by
    /// deadline and paged here.
    pub async fn list(&self, filter: &ListFilter) -> Result<Listing> {
        let today = Service::today();
        let settings = self.store.settings().await?;
        let cal = self.store.calendar();
        let search = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let query = |closed: bool, offset: usize, limit: Option<usize>| ApplicationQuery {
            search: search.clone(),
            received_in: filter.year,
            closed: Some(closed),
            offset: offset as u64,
            limit: limit.map(|l| l as u64),
        };
        let limit = filter.limit;
        let deadline_limit = filter
            .due_within
            .map(|n| today + chrono::Duration::days(i64::from(n)));
        let only_open = filter.overdue || filter.due_within.is_some();
        let mut rows = Vec::new();
        let mut total = 0;
        if filter.status != ListStatus::Closed {
            let open = self.store.list_applications(&query(false, 0, None)).await?;
            let mut open: Vec<Listed> = open
                .applications
                .into_iter()
                .map(|application| {
                    let state = application.state_at(today, cal, settings);
                    Listed { application, state }
                })
                .filter(|r| !is_closed(&r.state))
                .filter(|r| !filter.overdue || r.state.is_overdue())
                .filter(|r| {
                    deadline_limit.is_none_or(|limit| {
                        r.state.is_open() && r.state.deadline().is_some_and(|d| d <= limit)
                    })
                })
                .collect();
            open.sort_by_cached_key(|r| open_order(&r.application, &r.state));
            total = open.len();
            rows = open
                .into_iter()
                .skip(filter.offset)
                .take(limit.unwrap_or(usize::MAX))
                .collect();
        }
        if filter.status != ListStatus::Open && !only_open {
            let offset = filter.offset.saturating_sub(total);
            let room = limit.map(|l| l.saturating_sub(rows.len()));
            // A page full of open ones still needs the count of closed ones.
            let page = self
                .store
                .list_applications(&query(true, offset, Some(room.unwrap_or(usize::MAX >> 1))))
                .await?;
            total += page.total as usize;
            rows.extend(page.applications.into_iter().map(|application| {
                let state = application.state_at(today, cal, settings);
                Listed { application, state }
            }));
        }
        Ok(Listing {
            total,
            offset: filter.offset,
            rows,
        })
    }
}
