//! The three-level review (三级审查): its steps and who may take them. The rules are
//! `gongkai_store::review::check`, enforced again inside the store's transaction; what a
//! page offers ([`allowed`]) is derived from the same function, so the buttons shown and
//! the steps accepted cannot disagree.

use gongkai_store::review::check;
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
}

/// What `actor` may do with `review` now (the same rules the store enforces).
pub fn allowed(review: &Review, actor: &Actor) -> Allowed {
    let may = |action| {
        check(
            &review.subject,
            &review.steps,
            action,
            actor.name(),
            actor.role(),
            Some("理由"),
        )
        .is_ok()
    };
    let approval = gongkai_store::review::approval_for(review.status);
    Allowed {
        submit: may(ReviewAction::Submit),
        approve: approval.is_some_and(may),
        send_back: may(ReviewAction::SendBack),
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
        let note = note.filter(|n| !n.trim().is_empty());
        self.guard_step(actor, subject, action).await?;
        let r = self
            .store
            .review_step(subject, action, note, &actor.stamp())
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
        let current = self.store.review(subject).await?;
        let action =
            gongkai_store::review::approval_for(current.status).unwrap_or(ReviewAction::Review);
        self.review_step(actor, subject, action, note).await
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
                active: true,
                created_at: Utc::now(),
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
                send_back: true
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
                send_back: true
            }
        );
        assert_eq!(allowed(&reviewed, &head), Allowed::default());
    }
}
