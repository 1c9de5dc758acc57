//! The ledger: every application, appeal case and proactive record of one office, with the
//! checks that need more than one application (ids, the monthly count of the
//! per-application fee, links from appeals to applications).
//!
//! The ledger is plain data (serde): a storage layer loads it, calls the same methods to
//! validate a change, and writes only what they accepted.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::appeals::AppealCase;
use crate::application::{Application, ApplicationId, Context};
use crate::error::LedgerError;
use crate::event::{Event, EventKind, NewEvent};
use crate::fees::FeeBasis;
use crate::opening::Opening;
use crate::proactive::{ProactiveRecord, Supersedes};
use crate::register::report::ItemFacts;

/// One office's ledger.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(from = "LedgerData", into = "LedgerData")]
pub struct Ledger {
    /// The office's name, for the report title (e.g. `某市某局`).
    pub agency: String,
    applications: Vec<Application>,
    appeals: Vec<AppealCase>,
    proactive: Vec<ProactiveRecord>,
    opening: Option<Opening>,
    /// The publication register's items as the year-end counts them (set by the store;
    /// not part of [`LedgerData`]).
    register: Vec<ItemFacts>,
    by_id: HashMap<ApplicationId, usize>,
    by_applicant: HashMap<String, Vec<usize>>,
}

/// The serialised form of a [`Ledger`] (indexes rebuilt on load).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LedgerData {
    pub agency: String,
    #[serde(default)]
    pub applications: Vec<Application>,
    #[serde(default)]
    pub appeals: Vec<AppealCase>,
    #[serde(default)]
    pub proactive: Vec<ProactiveRecord>,
    /// The opening balances ([`crate::opening`]), if the office set them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opening: Option<Opening>,
}

impl From<LedgerData> for Ledger {
    fn from(d: LedgerData) -> Self {
        let mut l = Ledger {
            agency: d.agency,
            applications: d.applications,
            appeals: d.appeals,
            proactive: d.proactive,
            opening: d.opening,
            ..Ledger::default()
        };
        l.reindex();
        l
    }
}

impl From<Ledger> for LedgerData {
    fn from(l: Ledger) -> Self {
        LedgerData {
            agency: l.agency,
            applications: l.applications,
            appeals: l.appeals,
            proactive: l.proactive,
            opening: l.opening,
        }
    }
}

impl Ledger {
    /// An empty ledger of `agency`.
    pub fn new(agency: impl Into<String>) -> Self {
        Ledger {
            agency: agency.into(),
            ..Ledger::default()
        }
    }

    fn reindex(&mut self) {
        self.by_id.clear();
        self.by_applicant.clear();
        for (i, a) in self.applications.iter().enumerate() {
            self.by_id.insert(a.id.clone(), i);
            self.by_applicant
                .entry(a.applicant.key())
                .or_default()
                .push(i);
        }
    }

    pub fn applications(&self) -> &[Application] {
        &self.applications
    }

    pub fn appeals(&self) -> &[AppealCase] {
        &self.appeals
    }

    pub fn proactive(&self) -> &[ProactiveRecord] {
        &self.proactive
    }

    /// The opening balances, if set.
    pub fn opening(&self) -> Option<&Opening> {
        self.opening.as_ref()
    }

    /// The publication register's items (section 二's documents, section 一's 主动公开).
    pub fn register(&self) -> &[ItemFacts] {
        &self.register
    }

    /// Sets the publication register's items the year-end counts.
    pub fn set_register(&mut self, items: Vec<ItemFacts>) {
        self.register = items;
    }

    /// Sets (or clears) the opening balances.
    pub fn set_opening(&mut self, opening: Option<Opening>) {
        self.opening = opening;
    }

    /// An application by id.
    pub fn application(&self, id: &ApplicationId) -> Option<&Application> {
        self.by_id.get(id).map(|&i| &self.applications[i])
    }

    /// Adds an application (usually with an empty log; a log it brings must be valid).
    pub fn add_application(
        &mut self,
        app: Application,
        ctx: &Context<'_>,
    ) -> Result<(), LedgerError> {
        if self.by_id.contains_key(&app.id) {
            return Err(LedgerError::DuplicateApplication { id: app.id.0 });
        }
        // Replayed from the registration as first entered: the log's corrections apply
        // again as they are appended.
        let mut checked = Application {
            events: Vec::new(),
            ..app.original()
        };
        for e in app.events {
            checked.append(
                NewEvent {
                    date: e.date,
                    kind: e.kind,
                    note: e.note,
                    recorded_at: e.recorded_at,
                    recorded_by: e.recorded_by,
                },
                ctx,
            )?;
        }
        let i = self.applications.len();
        self.by_id.insert(checked.id.clone(), i);
        self.by_applicant
            .entry(checked.applicant.key())
            .or_default()
            .push(i);
        self.applications.push(checked);
        Ok(())
    }

    /// Appends an event to an application's log, after the application's own checks and
    /// the ledger's (the monthly count of a per-application fee notice).
    pub fn append(
        &mut self,
        id: &ApplicationId,
        event: NewEvent,
        ctx: &Context<'_>,
    ) -> Result<&Event, LedgerError> {
        let &i = self
            .by_id
            .get(id)
            .ok_or_else(|| LedgerError::UnknownApplication { id: id.0.clone() })?;
        if let EventKind::FeeNoticeSent {
            basis: FeeBasis::PerApplication { earlier_units, .. },
            ..
        } = &event.kind
        {
            let actual = self.earlier_units_in_month(id);
            if *earlier_units != actual {
                return Err(LedgerError::MonthlyCountMismatch {
                    stated: *earlier_units,
                    actual,
                });
            }
        }
        let amended = matches!(event.kind, EventKind::Amended { .. });
        let seq = self.applications[i].append(event, ctx)?.seq;
        if amended {
            // A corrected name changes the applicant's key.
            self.reindex();
        }
        Ok(&self.applications[i].events[seq as usize - 1])
    }

    /// The per-application fee units the same applicant had in the natural month of this
    /// application's receipt before it (applications ordered by receipt date, then id).
    /// Applications not yet received do not count.
    pub fn earlier_units_in_month(&self, id: &ApplicationId) -> u32 {
        let Some(app) = self.application(id) else {
            return 0;
        };
        let Some(r) = app.received_on() else {
            return 0;
        };
        let key = app.applicant.key();
        let month = (r.year(), r.month());
        self.by_applicant
            .get(&key)
            .into_iter()
            .flatten()
            .map(|&j| &self.applications[j])
            .filter(|o| {
                o.received_on().is_some_and(|d: NaiveDate| {
                    (d.year(), d.month()) == month && (d, &o.id) < (r, &app.id)
                })
            })
            .map(|o| o.request.fee_units.max(1))
            .sum()
    }

    /// The record that corrects or voids record `id`, if any.
    fn superseder<'a>(
        links: impl Iterator<Item = (&'a str, Option<&'a Supersedes>)>,
        id: &str,
    ) -> Option<&'a str> {
        links
            .filter(|(_, s)| s.is_some_and(|s| s.id == id))
            .map(|(by, _)| by)
            .next()
    }

    /// The id of the case record that corrects or voids case `id`, if any.
    pub fn appeal_superseded_by(&self, id: &str) -> Option<&str> {
        Self::superseder(
            self.appeals
                .iter()
                .map(|c| (c.id.as_str(), c.supersedes.as_ref())),
            id,
        )
    }

    /// The id of the record that corrects or voids proactive record `id`, if any.
    pub fn proactive_superseded_by(&self, id: &str) -> Option<&str> {
        Self::superseder(
            self.proactive
                .iter()
                .map(|r| (r.id.as_str(), r.supersedes.as_ref())),
            id,
        )
    }

    /// The cases that count: neither superseded by a correction nor a voiding record.
    pub fn current_appeals(&self) -> impl Iterator<Item = &AppealCase> {
        let gone: HashSet<&str> = self
            .appeals
            .iter()
            .filter_map(|c| c.supersedes.as_ref().map(|s| s.id.as_str()))
            .collect();
        self.appeals.iter().filter(move |c| {
            !gone.contains(c.id.as_str()) && !c.supersedes.as_ref().is_some_and(|s| s.void)
        })
    }

    /// The proactive records that count (the current version of each figure).
    pub fn current_proactive(&self) -> impl Iterator<Item = &ProactiveRecord> {
        let gone: HashSet<&str> = self
            .proactive
            .iter()
            .filter_map(|r| r.supersedes.as_ref().map(|s| s.id.as_str()))
            .collect();
        self.proactive.iter().filter(move |r| {
            !gone.contains(r.id.as_str()) && !r.supersedes.as_ref().is_some_and(|s| s.void)
        })
    }

    /// Adds a reconsideration or litigation case (or a correction of one: the case it
    /// supersedes must exist and be current).
    pub fn add_appeal(&mut self, case: AppealCase, today: NaiveDate) -> Result<(), LedgerError> {
        case.validate(today)?;
        if self.appeals.iter().any(|c| c.id == case.id) {
            return Err(LedgerError::DuplicateRecord { id: case.id });
        }
        if let Some(s) = &case.supersedes {
            if !self.appeals.iter().any(|c| c.id == s.id) {
                return Err(LedgerError::UnknownRecord { id: s.id.clone() });
            }
            if let Some(by) = self.appeal_superseded_by(&s.id) {
                return Err(LedgerError::Superseded {
                    id: s.id.clone(),
                    by: by.to_string(),
                });
            }
        }
        if let Some(a) = &case.application
            && !self.by_id.contains_key(a)
        {
            return Err(LedgerError::UnknownApplication { id: a.0.clone() });
        }
        self.appeals.push(case);
        Ok(())
    }

    /// Replaces a case (e.g. to record its conclusion), after the same checks.
    pub fn update_appeal(&mut self, case: AppealCase, today: NaiveDate) -> Result<(), LedgerError> {
        case.validate(today)?;
        if let Some(by) = self.appeal_superseded_by(&case.id) {
            return Err(LedgerError::Superseded {
                id: case.id,
                by: by.to_string(),
            });
        }
        let Some(slot) = self.appeals.iter_mut().find(|c| c.id == case.id) else {
            return Err(LedgerError::UnknownRecord { id: case.id });
        };
        if slot.supersedes.as_ref().is_some_and(|s| s.void) {
            return Err(LedgerError::Superseded {
                id: case.id.clone(),
                by: case.id,
            });
        }
        *slot = case;
        Ok(())
    }

    /// Adds a proactive-disclosure record.
    pub fn add_proactive(
        &mut self,
        record: ProactiveRecord,
        today: NaiveDate,
    ) -> Result<(), LedgerError> {
        record.validate(today)?;
        if self.proactive.iter().any(|r| r.id == record.id) {
            return Err(LedgerError::DuplicateRecord { id: record.id });
        }
        let replaced = record.supersedes.as_ref().map(|s| s.id.as_str());
        if let Some(s) = &record.supersedes {
            let Some(old) = self.proactive.iter().find(|r| r.id == s.id) else {
                return Err(LedgerError::UnknownRecord { id: s.id.clone() });
            };
            if let Some(by) = self.proactive_superseded_by(&s.id) {
                return Err(LedgerError::Superseded {
                    id: s.id.clone(),
                    by: by.to_string(),
                });
            }
            if old.supersedes.as_ref().is_some_and(|s| s.void) {
                return Err(LedgerError::Superseded {
                    id: s.id.clone(),
                    by: s.id.clone(),
                });
            }
            if old.data.type_name() != record.data.type_name() {
                return Err(LedgerError::SupersedeKindMismatch { id: s.id.clone() });
            }
        }
        // The same figure entered twice would be counted twice: correct the record instead.
        if !record.supersedes.as_ref().is_some_and(|s| s.void)
            && let Some(other) = self
                .current_proactive()
                .find(|r| Some(r.id.as_str()) != replaced && r.data.overlaps(&record.data))
        {
            return Err(LedgerError::OverlappingRecord {
                existing: other.id.clone(),
            });
        }
        self.proactive.push(record);
        Ok(())
    }
}
