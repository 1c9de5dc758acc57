//! Inside the transaction: appeals (复议、诉讼) and proactive records (主动公开), each change
//! a new version that supersedes the old (see the parent module for the pattern).

use super::*;
pub(crate) async fn add_appeal<C: Conn>(
    c: &mut C,
    mut case: AppealCase,
    stamp: &Stamp,
) -> Result<AppealCase> {
    let me = actor(c, stamp).await?;
    require(
        &me,
        me.any(crate::model::Role::can_record),
        "登记复议诉讼案件",
    )?;
    case.id = case.id.trim().to_string();
    case.recorded_at = stamp.at;
    case.recorded_by = Some(stamp.user.clone());
    // The ledger's own check, on the records it looks at: the linked application and a
    // case with the same id.
    let mut applications = Vec::new();
    if let Some(a) = &case.application
        && let Some(app) = c.application(&a.0).await?
    {
        applications.push(app);
    }
    let appeals = c.appeal(&case.id).await?.into_iter().collect();
    let mut ledger = small_ledger(applications, appeals);
    ledger.add_appeal(case.clone(), stamp.today())?;
    c.insert_appeal(&case, stamp.at).await?;
    audit(c, stamp, "appeal.add", "appeal", &case.id, to_json(&case)).await?;
    Ok(case)
}

pub(crate) async fn update_appeal<C: Conn>(
    c: &mut C,
    mut case: AppealCase,
    stamp: &Stamp,
) -> Result<AppealCase> {
    let me = actor(c, stamp).await?;
    require(
        &me,
        me.any(crate::model::Role::can_record),
        "修改复议诉讼案件",
    )?;
    let Some(old) = c.appeal(&case.id).await? else {
        return Err(LedgerError::UnknownRecord { id: case.id }.into());
    };
    if let Some(a) = &case.application
        && c.application(&a.0).await?.is_none()
    {
        return Err(LedgerError::UnknownApplication { id: a.0.clone() }.into());
    }
    // When and by whom the case was first recorded stays; the audit log has the change.
    case.recorded_at = old.recorded_at;
    case.recorded_by = old.recorded_by.clone();
    case.supersedes = old.supersedes.clone();
    let mut ledger = small_ledger(Vec::new(), c.all_appeals().await?);
    ledger.update_appeal(case.clone(), stamp.today())?;
    c.update_appeal(&case, stamp.at).await?;
    audit(
        c,
        stamp,
        "appeal.update",
        "appeal",
        &case.id,
        json!({ "before": old, "after": case }),
    )
    .await?;
    Ok(case)
}

/// Adds a proactive record, or replaces the one with the same id. Returns the record and
/// whether it was new.
pub(crate) async fn set_proactive<C: Conn>(
    c: &mut C,
    id: &str,
    data: ProactiveData,
    stamp: &Stamp,
) -> Result<(ProactiveRecord, bool)> {
    let me = actor(c, stamp).await?;
    require(
        &me,
        me.any(crate::model::Role::can_record),
        "登记主动公开数据",
    )?;
    let id = id.trim();
    match c.proactive(id).await? {
        None => {
            let record = ProactiveRecord {
                id: id.to_string(),
                data,
                recorded_at: stamp.at,
                recorded_by: Some(stamp.user.clone()),
                supersedes: None,
            };
            // Against every record: the same figure entered twice is refused.
            let mut ledger = proactive_ledger(c).await?;
            ledger.add_proactive(record.clone(), stamp.today())?;
            c.insert_proactive(&record, stamp.at).await?;
            audit(c, stamp, "proactive.add", "proactive", id, to_json(&record)).await?;
            Ok((record, true))
        }
        Some(old) => {
            let ledger = proactive_ledger(c).await?;
            if let Some(by) = ledger.proactive_superseded_by(id) {
                return Err(LedgerError::Superseded {
                    id: id.to_string(),
                    by: by.to_string(),
                }
                .into());
            }
            let record = ProactiveRecord {
                id: id.to_string(),
                data,
                recorded_at: old.recorded_at,
                recorded_by: old.recorded_by.clone(),
                supersedes: old.supersedes.clone(),
            };
            record.validate(stamp.today())?;
            c.update_proactive(&record, stamp.at).await?;
            audit(
                c,
                stamp,
                "proactive.update",
                "proactive",
                id,
                json!({ "before": old, "after": record }),
            )
            .await?;
            Ok((record, false))
        }
    }
}

async fn proactive_ledger<C: Conn>(c: &mut C) -> Result<Ledger> {
    Ok(Ledger::from(LedgerData {
        agency: String::new(),
        applications: Vec::new(),
        appeals: Vec::new(),
        proactive: c.all_proactive().await?,
        opening: None,
    }))
}

/// Adds a proactive record that corrects (`data` given) or voids (`None`) record `old_id`
/// under the new id `new_id`; the old record stays, no longer counted.
pub(crate) async fn supersede_proactive<C: Conn>(
    c: &mut C,
    old_id: &str,
    new_id: &str,
    data: Option<ProactiveData>,
    reason: &str,
    stamp: &Stamp,
) -> Result<ProactiveRecord> {
    let me = actor(c, stamp).await?;
    require(
        &me,
        me.any(crate::model::Role::can_record),
        "更正或作废主动公开数据",
    )?;
    let Some(old) = c.proactive(old_id.trim()).await? else {
        return Err(LedgerError::UnknownRecord { id: old_id.into() }.into());
    };
    let void = data.is_none();
    let record = ProactiveRecord {
        id: new_id.trim().to_string(),
        data: data.unwrap_or_else(|| old.data.clone()),
        recorded_at: stamp.at,
        recorded_by: Some(stamp.user.clone()),
        supersedes: Some(Supersedes {
            id: old.id.clone(),
            reason: reason.trim().to_string(),
            void,
        }),
    };
    let mut ledger = proactive_ledger(c).await?;
    ledger.add_proactive(record.clone(), stamp.today())?;
    c.insert_proactive(&record, stamp.at).await?;
    audit(
        c,
        stamp,
        if void {
            "proactive.void"
        } else {
            "proactive.correct"
        },
        "proactive",
        &old.id,
        json!({ "before": old, "after": record, "reason": reason.trim() }),
    )
    .await?;
    Ok(record)
}

/// Adds a case record that corrects (`case` given) or voids (`None`) case `old_id`; the old
/// record stays, no longer counted.
pub(crate) async fn supersede_appeal<C: Conn>(
    c: &mut C,
    old_id: &str,
    new_id: &str,
    case: Option<AppealCase>,
    reason: &str,
    stamp: &Stamp,
) -> Result<AppealCase> {
    let me = actor(c, stamp).await?;
    require(
        &me,
        me.any(crate::model::Role::can_record),
        "更正或作废复议诉讼案件",
    )?;
    let Some(old) = c.appeal(old_id.trim()).await? else {
        return Err(LedgerError::UnknownRecord { id: old_id.into() }.into());
    };
    let void = case.is_none();
    let mut new = case.unwrap_or_else(|| old.clone());
    new.id = new_id.trim().to_string();
    new.recorded_at = stamp.at;
    new.recorded_by = Some(stamp.user.clone());
    new.supersedes = Some(Supersedes {
        id: old.id.clone(),
        reason: reason.trim().to_string(),
        void,
    });
    let mut applications = Vec::new();
    if let Some(a) = &new.application {
        match c.application(&a.0).await? {
            Some(app) => applications.push(app),
            None => return Err(LedgerError::UnknownApplication { id: a.0.clone() }.into()),
        }
    }
    let appeals = c.all_appeals().await?;
    let mut ledger = small_ledger(applications, appeals);
    ledger.add_appeal(new.clone(), stamp.today())?;
    c.insert_appeal(&new, stamp.at).await?;
    audit(
        c,
        stamp,
        if void {
            "appeal.void"
        } else {
            "appeal.correct"
        },
        "appeal",
        &old.id,
        json!({ "before": old, "after": new, "reason": reason.trim() }),
    )
    .await?;
    Ok(new)
}
