//! The three-level review (三级审查): its steps and who may take them. The rules are
//! `gongkai_store::review::check`, enforced again inside the store's transaction; what a
//! page offers ([`allowed`]) is derived from the same function, so the buttons shown and
//! the steps accepted cannot disagree.

use gongkai_store::review::check_roles;
use gongkai_store::{Review, ReviewAction, ReviewSubject};
use serde::Serialize;

use crate::actor::Actor;
use crate::{Result, Service};

/// The steps an actor may take on a review now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Allowed {
    /// 提交审核.
    pub submit: bool,
    /// 审核通过 or 批准, whichever level is due.
    pub approve: bool,
    /// 退回 (with a reason).
    pub send_back: bool,
    /// 撤销批准、重新打开 (an approved annual report, with a reason).
    pub reopen: bool,
}

/// What `actor` may do with `review` now (the same rules the store enforces).
pub fn allowed(review: &Review, actor: &Actor) -> Allowed {
    let may = |action| {
        check_roles(
            &review.subject,
            &review.steps,
            review.status,
            action,
            actor.name(),
            actor.roles(),
            Some("理由"),
            &review.rules,
        )
        .is_ok()
    };
    let approval =
        gongkai_store::review::approval_for_roles(review.status, actor.roles(), &review.rules);
    Allowed {
        submit: may(ReviewAction::Submit),
        approve: approval.is_some_and(may),
        send_back: may(ReviewAction::SendBack),
        reopen: may(ReviewAction::Reopen),
    }
}

impl Service {
    /// A review with its steps (`NotSubmitted` and no steps if none yet).
    pub async fn review(&self, subject: &ReviewSubject) -> Result<Review> {
        Ok(self.store.review(subject).await?)
    }

    /// Every review that has at least one step.
    pub async fn reviews(&self) -> Result<Vec<Review>> {
        Ok(self.store.reviews().await?)
    }

    /// Takes a step; 审核通过/批准 may be asked for as [`ReviewAction::Review`] or
    /// [`ReviewAction::Approve`] — use [`Service::approve`] for “the level that is due”.
    pub async fn review_step(
        &self,
        actor: &Actor,
        subject: &ReviewSubject,
        action: ReviewAction,
        note: Option<String>,
    ) -> Result<Review> {
        crate::limits::opt("note", note.as_deref())?;
        let note = note.filter(|n| !n.trim().is_empty());
        let what = format!("review.{}", action.as_str());
        let guard = self.guard_step(actor, subject, action).await;
        self.refused(actor, &what, &subject.to_string(), guard)
            .await?;
        let r = self
            .store
            .review_step(subject, action, note, &actor.stamp())
            .await;
        let r = self
            .refused(actor, &what, &subject.to_string(), r.map_err(Into::into))
            .await?;
        tracing::info!(%subject, ?action, user = actor.name(), via = ?actor.via(), "review step");
        Ok(r)
    }

    /// Approves at the level that is due (审核通过 while awaiting review, 批准 while
    /// awaiting approval).
    pub async fn approve(
        &self,
        actor: &Actor,
        subject: &ReviewSubject,
        note: Option<String>,
    ) -> Result<Review> {
        let current = self.store_for(actor).review(subject).await?;
        let action = gongkai_store::review::approval_for_roles(
            current.status,
            actor.roles(),
            &current.rules,
        )
        .unwrap_or(if actor.roles() == [gongkai_store::Role::Leader] {
            ReviewAction::Approve
        } else {
            ReviewAction::Review
        });
        self.review_step(actor, subject, action, note).await
    }

    /// Reopens the approved annual report of `year` (撤销批准、重新打开): the 分管领导, or the
    /// 办公室主任 where the office allows it, with a written reason; audited; the approval
    /// is discarded and the year-end figures are live again until it is submitted anew.
    pub async fn reopen_annual_report(
        &self,
        actor: &Actor,
        year: i32,
        reason: &str,
    ) -> Result<Review> {
        let year = crate::year_end::check_year(year)?;
        self.review_step(
            actor,
            &ReviewSubject::AnnualReport { year },
            ReviewAction::Reopen,
            Some(reason.to_string()),
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use gongkai_store::{ReviewStatus, ReviewStep, Role, User};

    use super::*;
    use crate::Via;

    fn actor(name: &str, role: Role) -> Actor {
        Actor::new(
            &User {
                name: name.into(),
                display_name: None,
                role,
                other_roles: Vec::new(),
                active: true,
                created_at: Utc::now(),
                last_login_at: None,
                must_change_password: false,
            },
            Via::Web,
        )
    }

    fn review(steps: &[(ReviewAction, &str, Role)]) -> Review {
        let steps: Vec<ReviewStep> = steps
            .iter()
            .enumerate()
            .map(|(i, (action, who, role))| ReviewStep {
                seq: i as u32 + 1,
                action: *action,
                actor: (*who).into(),
                actor_role: *role,
                at: Utc::now(),
                note: None,
                snapshot: serde_json::Value::Null,
            })
            .collect();
        Review {
            subject: ReviewSubject::AnnualReport { year: 2025 },
            status: gongkai_store::review::status(&steps),
            steps,
            rules: Default::default(),
            current: None,
        }
    }

    #[test]
    fn rights_follow_the_status_and_the_role() {
        let clerk = actor("li", Role::Clerk);
        let head = actor("zhu", Role::OfficeHead);
        let leader = actor("wang", Role::Leader);
        let admin = actor("root", Role::Admin);
        let new = review(&[]);
        assert_eq!(new.status, ReviewStatus::NotSubmitted);
        assert!(allowed(&new, &clerk).submit);
        assert!(!allowed(&new, &leader).submit);
        assert!(!allowed(&new, &admin).submit);
        assert!(!allowed(&new, &head).approve);

        let submitted = review(&[(ReviewAction::Submit, "li", Role::Clerk)]);
        assert_eq!(
            allowed(&submitted, &head),
            Allowed {
                submit: false,
                approve: true,
                send_back: true,
                reopen: false,
            }
        );
        assert_eq!(allowed(&submitted, &leader), Allowed::default());
        assert_eq!(allowed(&submitted, &clerk), Allowed::default());

        // The office head cannot review a round they submitted.
        let own = review(&[(ReviewAction::Submit, "zhu", Role::OfficeHead)]);
        assert!(!allowed(&own, &head).approve);

        let reviewed = review(&[
            (ReviewAction::Submit, "li", Role::Clerk),
            (ReviewAction::Review, "zhu", Role::OfficeHead),
        ]);
        assert_eq!(
            allowed(&reviewed, &leader),
            Allowed {
                submit: false,
                approve: true,
                send_back: true,
                reopen: false,
            }
        );
        assert_eq!(allowed(&reviewed, &head), Allowed::default());

        // Approved: only the leader may reopen it; nobody submits it again.
        let approved = review(&[
            (ReviewAction::Submit, "li", Role::Clerk),
            (ReviewAction::Review, "zhu", Role::OfficeHead),
            (ReviewAction::Approve, "wang", Role::Leader),
        ]);
        assert!(allowed(&approved, &leader).reopen);
        assert_eq!(allowed(&approved, &clerk), Allowed::default());
        assert_eq!(allowed(&approved, &head), Allowed::default());
    }
}
