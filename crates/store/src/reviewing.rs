//! The review operations inside their transactions: what a reply review binds (its content
//! and that content's SHA-256 digest), the status of a review (bound to the content for a
//! reply, see [`crate::review::bind`]), the office's rules, a step, and the check that a
//! reply is approved as it stands before it is recorded as sent (送达).

use std::collections::{HashMap, HashSet};

use gongkai_ledger::{
    Application, ApplicationId, Decision, EventKind, GrantedReplyApproval, LedgerError, ReopenBy,
    Settings,
};
use serde_json::json;

use crate::backend::Conn;
use crate::error::{Result, StoreError};
use crate::model::{
    LetterTemplate, Review, ReviewAction, ReviewRules, ReviewStatus, ReviewStep, ReviewSubject,
    Stamp,
};
use crate::ops::{self, Env, actor, audit};
use crate::review;

/// What a reply review binds: the decision in force (and the event that made it, so a new
/// decision event is a change even with the same outcome), its reason (the event's note),
/// and what the letter is made of — the office, the applicant and the request as currently
/// recorded (so a correction is a change), and the office's letter template for the
/// decision. `digest` is the SHA-256 (hex) of the rest. `None` when there is no decision
/// to reply with.
pub fn reply_content(
    app: &Application,
    settings: Settings,
    calendar: &gongkai_ledger::Calendar,
    today: chrono::NaiveDate,
    agency: &str,
    office: &gongkai_ledger::OfficeSettings,
    template: Option<&LetterTemplate>,
) -> Option<serde_json::Value> {
    let st = app.state_at(today, calendar, settings);
    let decision = st.decision?;
    let invalid: HashSet<u32> = st.invalid_events.iter().map(|i| i.seq).collect();
    let decided = app
        .events
        .iter()
        .filter(|e| {
            matches!(e.kind, EventKind::Decided { .. })
                && e.date <= today
                && !invalid.contains(&e.seq)
        })
        .max_by_key(|e| (e.date, e.seq))?;
    if !matches!(decided.kind, EventKind::Decided { decision: d } if d == decision) {
        // Closed otherwise (withdrawn …): there is no reply to review.
        return None;
    }
    let receipt = app.receipt();
    let mut content = json!({
        "decision": decision,
        "decision_label": decision.label_zh(),
        "decided_on": decided.date,
        "decided_seq": decided.seq,
        "reason": decided.note,
        "letter": {
            "agency": agency,
            // The remedy paragraph names them (行政复议机关, 人民法院).
            "reconsideration_organ": office.reconsideration_organ,
            "court": office.court,
            "applicant": app.applicant.name,
            "applicant_kind": app.applicant.kind,
            "contact": app.applicant.contact,
            "received_on": receipt.map(|r| r.date),
            "channel": receipt.map(|r| r.channel),
            "description": app.request.description,
            "document_number": app.request.document_number,
            "form": app.request.form,
            "delivery": app.request.delivery,
            "template": template.map(|t| json!({ "key": t.key, "title": t.title, "body": t.body })),
        },
    });
    let text = serde_json::to_string(&content).unwrap_or_default();
    content["digest"] = json!(crate::auth::sha256_hex(text.as_bytes()));
    Some(content)
}

/// The rules for a review under `settings` (a reply's `decision` decides whether the
/// office head's approval is final).
pub fn rules(settings: &Settings, decision: Option<Decision>) -> ReviewRules {
    ReviewRules {
        office_head_approves: settings.granted_reply_approval == GrantedReplyApproval::OfficeHead
            && decision == Some(Decision::Granted),
        office_head_reopens: settings.annual_report_reopen == ReopenBy::OfficeHead,
    }
}

fn decision_of(content: Option<&serde_json::Value>) -> Option<Decision> {
    content
        .and_then(|c| c.get("decision"))
        .and_then(|d| serde_json::from_value(d.clone()).ok())
}

/// A review assembled from its steps and, for a reply, the application's current content.
fn assemble(
    subject: &ReviewSubject,
    steps: Vec<ReviewStep>,
    settings: &Settings,
    reply: Option<(&Application, Option<serde_json::Value>)>,
) -> Review {
    let (status, current) = match reply {
        Some((app, current)) => {
            let digest = current
                .as_ref()
                .and_then(|c| c.get("digest"))
                .and_then(|d| d.as_str());
            // Once the reply is sent, the review is history: it stays as it was.
            let sent = app
                .events
                .iter()
                .any(|e| matches!(e.kind, EventKind::ReplySent { .. }));
            let status = if sent {
                review::status(&steps)
            } else {
                review::bind(&steps, digest)
            };
            (status, current)
        }
        None => (review::status(&steps), None),
    };
    let rules = rules(settings, decision_of(current.as_ref()));
    Review {
        subject: subject.clone(),
        status,
        steps,
        rules,
        current,
    }
}

async fn content_of<C: Conn>(
    c: &mut C,
    env: &Env<'_>,
    app: &Application,
    settings: Settings,
    stamp_today: chrono::NaiveDate,
) -> Result<Option<serde_json::Value>> {
    let st = app.state_at(stamp_today, env.calendar, settings);
    let template = match st.decision {
        Some(d) => c.template(d.row_key()).await?,
        None => None,
    };
    let agency = crate::ops::agency(c).await.unwrap_or_default();
    let office = crate::ops::office(c).await?;
    Ok(reply_content(
        app,
        settings,
        env.calendar,
        stamp_today,
        &agency,
        &office,
        template.as_ref(),
    ))
}

pub(crate) async fn review<C: Conn>(
    c: &mut C,
    env: &Env<'_>,
    subject: &ReviewSubject,
    today: chrono::NaiveDate,
) -> Result<Review> {
    let settings = ops::settings(c).await?;
    let steps = c
        .review_steps(subject.kind_str(), &subject.id_string())
        .await?;
    match subject {
        ReviewSubject::Reply { application } => {
            let app = ops::application(c, &application.0).await?;
            let current = content_of(c, env, &app, settings, today).await?;
            Ok(assemble(subject, steps, &settings, Some((&app, current))))
        }
        ReviewSubject::AnnualReport { .. } => Ok(assemble(subject, steps, &settings, None)),
        // Not reached through the store, which takes an item's review to
        // `review_item_ops` (bound to the item's content, levels by 体裁); unbound here.
        ReviewSubject::Item { .. } => Ok(assemble(subject, steps, &settings, None)),
    }
}

pub(crate) async fn reviews<C: Conn>(
    c: &mut C,
    env: &Env<'_>,
    today: chrono::NaiveDate,
) -> Result<Vec<Review>> {
    let settings = ops::settings(c).await?;
    let mut grouped: Vec<(ReviewSubject, Vec<ReviewStep>)> = Vec::new();
    for s in c.all_review_steps().await? {
        let Some(subject) = ReviewSubject::from_parts(&s.subject_kind, &s.subject_id) else {
            return Err(StoreError::Corrupt {
                what: format!("审核记录 {}/{}", s.subject_kind, s.subject_id),
                detail: "未知的审核对象".into(),
            });
        };
        match grouped.last_mut() {
            Some((g, steps)) if *g == subject => steps.push(s.step),
            _ => grouped.push((subject, vec![s.step])),
        }
    }
    let apps: HashMap<ApplicationId, Application> = ops::applications(c)
        .await?
        .into_iter()
        .map(|a| (a.id.clone(), a))
        .collect();
    let templates: HashMap<String, LetterTemplate> = c
        .templates()
        .await?
        .into_iter()
        .map(|t| (t.key.clone(), t))
        .collect();
    let agency = crate::ops::agency(c).await.unwrap_or_default();
    let office = crate::ops::office(c).await?;
    let mut out = Vec::new();
    for (subject, mut steps) in grouped {
        if matches!(subject, ReviewSubject::Item { .. }) {
            // Register items have their own queue (`Store::item_review_queue`).
            continue;
        }
        steps.sort_by_key(|s| s.seq);
        let reply = match &subject {
            ReviewSubject::Reply { application } => apps.get(application).map(|app| {
                let template = app
                    .state_at(today, env.calendar, settings)
                    .decision
                    .and_then(|d| templates.get(d.row_key()));
                let current = reply_content(
                    app,
                    settings,
                    env.calendar,
                    today,
                    &agency,
                    &office,
                    template,
                );
                (app, current)
            }),
            ReviewSubject::AnnualReport { .. } | ReviewSubject::Item { .. } => None,
        };
        out.push(assemble(&subject, steps, &settings, reply));
    }
    Ok(out)
}

/// Refuses to record a reply as sent unless its current content is approved.
pub(crate) async fn require_approved<C: Conn>(
    c: &mut C,
    env: &Env<'_>,
    app: &Application,
    stamp: &Stamp,
) -> Result<()> {
    let subject = ReviewSubject::Reply {
        application: app.id.clone(),
    };
    let r = review(c, env, &subject, stamp.today()).await?;
    if r.status == ReviewStatus::Approved {
        Ok(())
    } else {
        Err(StoreError::ReplyNotApproved {
            application: app.id.0.clone(),
            status: r.status,
        })
    }
}

fn audit_subject(subject: &ReviewSubject) -> (&'static str, String) {
    match subject {
        ReviewSubject::Reply { application } => ("application", application.0.clone()),
        ReviewSubject::AnnualReport { year } => ("annual_report", year.to_string()),
        ReviewSubject::Item { item } => ("register_item", item.to_string()),
    }
}

pub(crate) async fn review_step<C: Conn>(
    c: &mut C,
    env: &Env<'_>,
    subject: &ReviewSubject,
    action: ReviewAction,
    note: Option<String>,
    stamp: &Stamp,
) -> Result<Review> {
    let me = actor(c, stamp).await?;
    // The step's number comes from the steps stored (another process may add one too).
    c.lock_numbering().await?;
    if let ReviewSubject::AnnualReport { year } = subject
        && !(2008..=9999).contains(year)
    {
        return Err(StoreError::NotFound {
            what: "报告年度",
            id: year.to_string(),
        });
    }
    if let ReviewSubject::Reply { application } = subject
        && c.application(&application.0).await?.is_none()
    {
        return Err(LedgerError::UnknownApplication {
            id: application.0.clone(),
        }
        .into());
    }
    let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    let kind = subject.kind_str();
    let sid = subject.id_string();
    let current = review(c, env, subject, stamp.today()).await?;
    let steps = current.steps.clone();
    let role = review::check_roles(
        subject,
        &steps,
        current.status,
        action,
        &me.name,
        &me.roles(),
        note.as_deref(),
        &current.rules,
    )?;
    let snapshot = match (subject, action) {
        (ReviewSubject::Reply { application }, ReviewAction::Submit) => {
            current.current.clone().ok_or(StoreError::NothingToReview {
                application: application.0.clone(),
            })?
        }
        (ReviewSubject::AnnualReport { year }, ReviewAction::Submit) => {
            json!({ "year": year, "known_by": stamp.at, "as_of": stamp.today() })
        }
        // Review, approval, sending back, reopening: the content of the round (which the
        // status check above has found unchanged for a reply).
        _ => review::current_submission(&steps)
            .map(|s| s.snapshot.clone())
            .unwrap_or_default(),
    };
    let step = ReviewStep {
        seq: steps.len() as u32 + 1,
        action,
        actor: me.name.clone(),
        actor_role: role,
        at: stamp.at,
        note,
        snapshot,
    };
    c.insert_review_step(kind, &sid, &step).await?;
    let (ak, aid) = audit_subject(subject);
    audit(
        c,
        stamp,
        &format!("review.{}", action.as_str()),
        ak,
        &aid,
        json!({ "subject": subject, "seq": step.seq, "note": step.note, "snapshot": step.snapshot }),
    )
    .await?;
    review(c, env, subject, stamp.today()).await
}
