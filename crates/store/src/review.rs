//! The three-level review as a pure state machine: 信息员 drafts and submits → 办公室主任
//! reviews → 分管领导 approves; the reviewer or the approver may send the draft back with a
//! reason, and it is submitted again. Steps are stored one per row and never changed; the
//! status is derived from them.

use crate::error::StoreError;
use crate::model::{ReviewAction, ReviewStatus, ReviewStep, ReviewSubject, Role};

/// The status after `steps` (in order).
pub fn status(steps: &[ReviewStep]) -> ReviewStatus {
    steps
        .iter()
        .fold(ReviewStatus::NotSubmitted, |_, s| match s.action {
            ReviewAction::Submit => ReviewStatus::AwaitingReview,
            ReviewAction::Review => ReviewStatus::AwaitingApproval,
            ReviewAction::Approve => ReviewStatus::Approved,
            ReviewAction::SendBack => ReviewStatus::SentBack,
        })
}

/// The submission of the current round, if any.
pub fn current_submission(steps: &[ReviewStep]) -> Option<&ReviewStep> {
    steps
        .iter()
        .rev()
        .find(|s| s.action == ReviewAction::Submit)
}

/// The action the next step of `status` takes for a user of `role` when the caller says
/// “approve” without naming the level: 审核通过 for the office head, 批准 for the leader.
pub fn approval_for(status: ReviewStatus) -> Option<ReviewAction> {
    match status {
        ReviewStatus::AwaitingReview => Some(ReviewAction::Review),
        ReviewStatus::AwaitingApproval => Some(ReviewAction::Approve),
        _ => None,
    }
}

/// Checks that `actor` with `role` may take `action` now. Roles: submit — clerk or office
/// head; review — office head, not the submitter of the round; approve — leader; send back —
/// whoever's turn it is (office head while awaiting review, leader while awaiting approval).
pub fn check(
    subject: &ReviewSubject,
    steps: &[ReviewStep],
    action: ReviewAction,
    actor: &str,
    role: Role,
    note: Option<&str>,
) -> Result<(), StoreError> {
    let st = status(steps);
    let out_of_turn = || StoreError::ReviewOutOfTurn {
        subject: subject.to_string(),
        status: st,
        action,
    };
    let forbidden = |what: &'static str| StoreError::Forbidden {
        user: actor.to_string(),
        role,
        action: what,
    };
    match action {
        ReviewAction::Submit => {
            if !matches!(role, Role::Clerk | Role::OfficeHead) {
                return Err(forbidden("提交审核（应由信息员或办公室主任提交）"));
            }
            if matches!(
                st,
                ReviewStatus::AwaitingReview | ReviewStatus::AwaitingApproval
            ) {
                return Err(out_of_turn());
            }
        }
        ReviewAction::Review => {
            if role != Role::OfficeHead {
                return Err(forbidden("审核（应由办公室主任审核）"));
            }
            if st != ReviewStatus::AwaitingReview {
                return Err(out_of_turn());
            }
            if current_submission(steps).is_some_and(|s| s.actor == actor) {
                return Err(StoreError::SelfReview {
                    subject: subject.to_string(),
                });
            }
        }
        ReviewAction::Approve => {
            if role != Role::Leader {
                return Err(forbidden("批准（应由分管领导批准）"));
            }
            if st != ReviewStatus::AwaitingApproval {
                return Err(out_of_turn());
            }
        }
        ReviewAction::SendBack => {
            match (st, role) {
                (ReviewStatus::AwaitingReview, Role::OfficeHead)
                | (ReviewStatus::AwaitingApproval, Role::Leader) => {}
                (ReviewStatus::AwaitingReview, _) => {
                    return Err(forbidden("退回（待审核的稿件由办公室主任退回）"));
                }
                (ReviewStatus::AwaitingApproval, _) => {
                    return Err(forbidden("退回（待批准的稿件由分管领导退回）"));
                }
                _ => return Err(out_of_turn()),
            }
            if note.is_none_or(|n| n.trim().is_empty()) {
                return Err(StoreError::MissingReason);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use gongkai_ledger::ApplicationId;

    use super::*;

    fn step(action: ReviewAction, actor: &str, role: Role) -> ReviewStep {
        ReviewStep {
            seq: 0,
            action,
            actor: actor.into(),
            actor_role: role,
            at: Utc.with_ymd_and_hms(2025, 1, 2, 3, 0, 0).unwrap(),
            note: None,
            snapshot: serde_json::Value::Null,
        }
    }

    fn subject() -> ReviewSubject {
        ReviewSubject::Reply {
            application: ApplicationId::from("2025-0001"),
        }
    }

    #[test]
    fn the_three_levels_in_order() {
        let s = subject();
        let mut steps = Vec::new();
        assert_eq!(status(&steps), ReviewStatus::NotSubmitted);
        check(
            &s,
            &steps,
            ReviewAction::Review,
            "zhu",
            Role::OfficeHead,
            None,
        )
        .unwrap_err();
        check(&s, &steps, ReviewAction::Submit, "li", Role::Clerk, None).unwrap();
        steps.push(step(ReviewAction::Submit, "li", Role::Clerk));
        assert_eq!(status(&steps), ReviewStatus::AwaitingReview);
        // The leader cannot skip the office head; a clerk cannot review.
        let e = check(
            &s,
            &steps,
            ReviewAction::Approve,
            "wang",
            Role::Leader,
            None,
        );
        assert_eq!(e.unwrap_err().code(), "review_out_of_turn");
        let e = check(&s, &steps, ReviewAction::Review, "li", Role::Clerk, None);
        assert_eq!(e.unwrap_err().code(), "forbidden");
        check(
            &s,
            &steps,
            ReviewAction::Review,
            "zhu",
            Role::OfficeHead,
            None,
        )
        .unwrap();
        steps.push(step(ReviewAction::Review, "zhu", Role::OfficeHead));
        assert_eq!(status(&steps), ReviewStatus::AwaitingApproval);
        let e = check(
            &s,
            &steps,
            ReviewAction::SendBack,
            "wang",
            Role::Leader,
            Some(" "),
        );
        assert_eq!(e.unwrap_err().code(), "missing_reason");
        check(
            &s,
            &steps,
            ReviewAction::SendBack,
            "wang",
            Role::Leader,
            Some("依据不足"),
        )
        .unwrap();
        steps.push(step(ReviewAction::SendBack, "wang", Role::Leader));
        assert_eq!(status(&steps), ReviewStatus::SentBack);
        check(&s, &steps, ReviewAction::Submit, "li", Role::Clerk, None).unwrap();
    }

    #[test]
    fn office_head_cannot_review_own_draft() {
        let s = subject();
        let steps = vec![step(ReviewAction::Submit, "zhu", Role::OfficeHead)];
        let e = check(
            &s,
            &steps,
            ReviewAction::Review,
            "zhu",
            Role::OfficeHead,
            None,
        );
        assert_eq!(e.unwrap_err().code(), "self_review");
    }
}
