//! Corrections (更正) without losing history.
//!
//! * An application: [`Service::correct_application`] appends an `Amended` event that
//!   supersedes named fields (applicant name and type, contact, channel and receipt date,
//!   the request text and document number, form and delivery wishes) with a required
//!   reason; the old values stay in the log (old → new, who, when, why). The state, the
//!   deadlines and the year-end tables follow the corrected values; a reply that was
//!   submitted or approved needs review again (its content digest changed).
//! * A proactive record (documents, decision counts, fee incomes) or an appeal case:
//!   [`Service::correct_proactive`] / [`Service::void_proactive`],
//!   [`Service::correct_appeal`] / [`Service::void_appeal`] add a superseding record
//!   (`{id}-v2`, `-v3` …) with the reason; the old record is kept and no longer counted, so
//!   a figure is never counted twice.

use chrono::NaiveDate;
use gongkai_ledger::{
    AmendDraft, AppealCase, ApplicationId, EventKind, ProactiveData, ProactiveRecord,
};

use crate::actor::Actor;
use crate::applications::{Appended, DraftKind, EventDraft};
use crate::error::ServiceError;
use crate::records::AppealDraft;
use crate::{Result, Service};

/// The id of the next version of record `id` among `ids`: `文件-001` → `文件-001-v2`,
/// `文件-001-v2` → `文件-001-v3` (the highest taken version + 1).
pub fn next_version<'a>(id: &str, ids: impl Iterator<Item = &'a str>) -> String {
    let base = match id.rsplit_once("-v") {
        Some((b, n)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => b,
        _ => id,
    };
    let prefix = format!("{base}-v");
    let n = ids
        .filter_map(|i| i.strip_prefix(&prefix)?.parse::<u32>().ok())
        .max()
        .unwrap_or(1);
    format!("{prefix}{}", n + 1)
}

fn reason_of(reason: &str, field: &'static str) -> Result<String> {
    let r = reason.trim();
    crate::limits::text("reason", r)?;
    if r.is_empty() {
        Err(ServiceError::invalid(field, "必须说明理由"))
    } else {
        Ok(r.to_string())
    }
}

impl Service {
    /// Corrects named fields of application `id` (module docs). `date`: the date of the
    /// correction (default today). Refused without a reason or when nothing changes.
    pub async fn correct_application(
        &self,
        actor: &Actor,
        id: &ApplicationId,
        draft: &AmendDraft,
        reason: &str,
        date: Option<NaiveDate>,
    ) -> Result<Appended> {
        crate::limits::check(draft)?;
        let reason = reason_of(reason, "更正理由")?;
        let app = self.store_for(actor).application(id).await?;
        let changes = app.amendment(draft)?;
        let event = EventDraft {
            date: date.unwrap_or_else(Service::today),
            kind: DraftKind::Complete(EventKind::Amended { changes, reason }),
            note: None,
        };
        let out = self.append_event(actor, id, event).await?;
        tracing::info!(%id, user = actor.name(), via = ?actor.via(), "application corrected");
        Ok(out)
    }

    /// Corrects proactive record `id` with `data` (same kind), under the next version id.
    pub async fn correct_proactive(
        &self,
        actor: &Actor,
        id: &str,
        data: ProactiveData,
        reason: &str,
    ) -> Result<ProactiveRecord> {
        self.supersede_proactive(actor, id, Some(data), reason)
            .await
    }

    /// Voids proactive record `id` (作废): it is no longer counted.
    pub async fn void_proactive(
        &self,
        actor: &Actor,
        id: &str,
        reason: &str,
    ) -> Result<ProactiveRecord> {
        self.supersede_proactive(actor, id, None, reason).await
    }

    async fn supersede_proactive(
        &self,
        actor: &Actor,
        id: &str,
        data: Option<ProactiveData>,
        reason: &str,
    ) -> Result<ProactiveRecord> {
        let field = if data.is_some() {
            "更正理由"
        } else {
            "作废理由"
        };
        let reason = reason_of(reason, field)?;
        crate::limits::text("id", id)?;
        crate::limits::check(&data)?;
        let records = self.store_for(actor).proactive_records().await?;
        let new_id = next_version(id.trim(), records.iter().map(|r| r.id.as_str()));
        let r = self
            .store_for(actor)
            .supersede_proactive(id, &new_id, data, &reason, &actor.stamp())
            .await;
        let r = self
            .refused(actor, "proactive.supersede", id, r.map_err(Into::into))
            .await?;
        tracing::info!(id, new_id, user = actor.name(), via = ?actor.via(), "proactive record superseded");
        Ok(r)
    }

    /// Corrects case `id` with the values of `draft` (its id is ignored), under the next
    /// version id; a conclusion already recorded is kept unless the draft gives one.
    pub async fn correct_appeal(
        &self,
        actor: &Actor,
        id: &str,
        mut draft: AppealDraft,
        reason: &str,
    ) -> Result<AppealCase> {
        draft.id = None;
        if draft.conclusion.is_none() {
            draft.conclusion = self.for_actor(actor).appeal(id).await?.conclusion;
        }
        let case = Service::case(actor, String::new(), draft);
        self.supersede_appeal(actor, id, Some(case), reason).await
    }

    /// Voids case `id` (作废, e.g. entered twice): it is no longer counted.
    pub async fn void_appeal(&self, actor: &Actor, id: &str, reason: &str) -> Result<AppealCase> {
        self.supersede_appeal(actor, id, None, reason).await
    }

    async fn supersede_appeal(
        &self,
        actor: &Actor,
        id: &str,
        case: Option<AppealCase>,
        reason: &str,
    ) -> Result<AppealCase> {
        let field = if case.is_some() {
            "更正理由"
        } else {
            "作废理由"
        };
        let reason = reason_of(reason, field)?;
        crate::limits::text("id", id)?;
        crate::limits::check(&case)?;
        let cases = self.store_for(actor).appeals().await?;
        let new_id = next_version(id.trim(), cases.iter().map(|c| c.id.as_str()));
        let c = self
            .store_for(actor)
            .supersede_appeal(id, &new_id, case, &reason, &actor.stamp())
            .await;
        let c = self
            .refused(actor, "appeal.supersede", id, c.map_err(Into::into))
            .await?;
        tracing::info!(id, new_id, user = actor.name(), via = ?actor.via(), "appeal superseded");
        Ok(c)
    }
}

/// Reads the API's correction body: the fields to correct (`applicant_name`,
/// `applicant_kind`, `contact`, `received_on`, `channel`, `description`,
/// `document_number`, `form`, `delivery`), `reason` and an optional `date`.
pub fn amend_from_json(
    value: serde_json::Value,
) -> Result<(AmendDraft, String, Option<NaiveDate>), serde_json::Error> {
    #[derive(serde::Deserialize)]
    struct Body {
        #[serde(default)]
        reason: String,
        #[serde(default)]
        date: Option<NaiveDate>,
        #[serde(flatten)]
        draft: AmendDraft,
    }
    let b: Body = serde_json::from_value(value)?;
    Ok((b.draft, b.reason, b.date))
}

#[cfg(test)]
mod tests {
    use super::next_version;

    #[test]
    fn versions_count_on() {
        assert_eq!(next_version("文件-001", [].into_iter()), "文件-001-v2");
        assert_eq!(
            next_version("文件-001-v2", ["文件-001-v2", "文件-001-v3"].into_iter()),
            "文件-001-v4"
        );
        assert_eq!(
            next_version("案-2025-001", [].into_iter()),
            "案-2025-001-v2"
        );
    }
}
