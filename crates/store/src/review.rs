//! The three-level review as a pure state machine: 信息员 drafts and submits → 办公室主任
//! reviews → 分管领导 approves; the reviewer or the approver may send the draft back with a
//! reason, and it is submitted again. Steps are stored one per row and never changed; the
//! status is derived from them — and, for a reply, from the content they bound: a
//! submission records the SHA-256 digest of the reply's content (decision, reason, letter),
//! and when the current content no longer has that digest the status is 需重新审核
//! ([`bind`]), whatever the steps say. An approved annual report can be reopened (with a
//! reason) by the 分管领导, or the 办公室主任 if the office allows it.

use crate::error::StoreError;
use crate::model::{ReviewAction, ReviewRules, ReviewStatus, ReviewStep, ReviewSubject, Role};

/// The status after `steps` (in order), before the content check of [`bind`].
pub fn status(steps: &[ReviewStep]) -> ReviewStatus {
    steps
        .iter()
        .fold(ReviewStatus::NotSubmitted, |_, s| match s.action {
            ReviewAction::Submit => ReviewStatus::AwaitingReview,
            ReviewAction::Review => ReviewStatus::AwaitingApproval,
            ReviewAction::Approve => ReviewStatus::Approved,
            ReviewAction::SendBack => ReviewStatus::SentBack,
            ReviewAction::Reopen => ReviewStatus::Reopened,
        })
}

/// The digest a step's snapshot bound, if any.
pub fn digest_of(step: &ReviewStep) -> Option<&str> {
    step.snapshot.get("digest").and_then(|d| d.as_str())
}

/// A reply's status: [`status`], except that a submission, review or approval whose
/// bound digest is not the digest of the reply's `current` content is 需重新审核 (an old
/// submission without a digest bound nothing and needs review again too).
pub fn bind(steps: &[ReviewStep], current: Option<&str>) -> ReviewStatus {
    let st = status(steps);
    if matches!(
        st,
        ReviewStatus::AwaitingReview | ReviewStatus::AwaitingApproval | ReviewStatus::Approved
    ) {
        let bound = current_submission(steps).and_then(digest_of);
        if bound.is_none() || bound != current {
            return ReviewStatus::NeedsReReview;
        }
    }
    st
}

/// The submission of the current round, if any.
pub fn current_submission(steps: &[ReviewStep]) -> Option<&ReviewStep> {
    steps
        .iter()
        .rev()
        .find(|s| s.action == ReviewAction::Submit)
}

/// The action “approve” means for a user of `role` now: 审核通过 for the office head (批准
/// when the office head's approval is final under `rules`), 批准 for the leader.
pub fn approval_for(status: ReviewStatus) -> Option<ReviewAction> {
    match status {
        ReviewStatus::AwaitingReview => Some(ReviewAction::Review),
        ReviewStatus::AwaitingApproval => Some(ReviewAction::Approve),
        _ => None,
    }
}

/// [`approval_for`] under the office's rules: where the 办公室主任's approval is final, the
/// level due while awaiting review is 批准.
pub fn approval_under(
    status: ReviewStatus,
    role: Role,
    rules: &ReviewRules,
) -> Option<ReviewAction> {
    match status {
        ReviewStatus::AwaitingReview if role == Role::OfficeHead && rules.office_head_approves => {
            Some(ReviewAction::Approve)
        }
        s => approval_for(s),
    }
}

/// [`approval_under`] for a person holding `roles`: the office head's final approval
/// where the rules allow it and the person is an office head, else the level due.
pub fn approval_for_roles(
    status: ReviewStatus,
    roles: &[Role],
    rules: &ReviewRules,
) -> Option<ReviewAction> {
    let role = if roles.contains(&Role::OfficeHead) {
        Role::OfficeHead
    } else {
        roles.first().copied().unwrap_or(Role::Clerk)
    };
    approval_under(status, role, rules)
}

/// [`check`] for a person holding several `roles`: the step is allowed if one of the
/// roles allows it, and that role is returned (what the step records). Otherwise the
/// refusal that says most: a step out of turn, by the same person at two levels, without
/// a reason, before “not your role”.
#[allow(clippy::too_many_arguments)]
pub fn check_roles(
    subject: &ReviewSubject,
    steps: &[ReviewStep],
    st: ReviewStatus,
    action: ReviewAction,
    actor: &str,
    roles: &[Role],
    note: Option<&str>,
    rules: &ReviewRules,
) -> Result<Role, StoreError> {
    let mut refusal = None;
    for &role in roles {
        match check(subject, steps, st, action, actor, role, note, rules) {
            Ok(()) => return Ok(role),
            Err(e) => {
                let better = !matches!(e, StoreError::Forbidden { .. });
                if refusal.is_none() || better {
                    refusal = Some(e);
                }
            }
        }
    }
    Err(refusal.unwrap_or(StoreError::Forbidden {
        user: actor.to_string(),
        role: Role::Clerk,
        action: "参与审核",
    }))
}

/// Whether `actor` submitted or reviewed the current round (a person holding two roles
/// must not approve a level they already took).
fn took_a_level(steps: &[ReviewStep], actor: &str) -> bool {
    let start = steps
        .iter()
        .rposition(|s| s.action == ReviewAction::Submit)
        .unwrap_or(steps.len());
    steps[start..].iter().any(|s| {
        s.actor == actor && matches!(s.action, ReviewAction::Submit | ReviewAction::Review)
    })
}

/// Checks that `actor` with `role` may take `action` now, with the review's status `st`
/// (from [`bind`] for a reply). Roles: submit — clerk or office head, not while under review
/// or approved; review — office head, not the submitter of the round; approve — leader (or
/// the office head at the first level where `rules` make that final); send back — whoever's
/// turn it is; reopen — an approved annual report, by the leader (or the office head where
/// `rules` allow), with a reason.
#[allow(clippy::too_many_arguments)]
pub fn check(
    subject: &ReviewSubject,
    steps: &[ReviewStep],
    st: ReviewStatus,
    action: ReviewAction,
    actor: &str,
    role: Role,
    note: Option<&str>,
    rules: &ReviewRules,
) -> Result<(), StoreError> {
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
    let no_reason = note.is_none_or(|n| n.trim().is_empty());
    let own_round = || current_submission(steps).is_some_and(|s| s.actor == actor);
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
            if st == ReviewStatus::Approved {
                // Only a reopening (with a reason, by the right role) undoes an approval.
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
            if own_round() {
                return Err(StoreError::SelfReview {
                    subject: subject.to_string(),
                });
            }
        }
        ReviewAction::Approve => {
            let head_final = role == Role::OfficeHead && rules.office_head_approves;
            if role != Role::Leader && !head_final {
                return Err(forbidden("批准（应由分管领导批准）"));
            }
            let due = if role == Role::Leader {
                ReviewStatus::AwaitingApproval
            } else {
                ReviewStatus::AwaitingReview
            };
            if st != due {
                return Err(out_of_turn());
            }
            if role == Role::OfficeHead && own_round() {
                return Err(StoreError::SelfReview {
                    subject: subject.to_string(),
                });
            }
            if took_a_level(steps, actor) {
                return Err(StoreError::TwoLevels {
                    subject: subject.to_string(),
                });
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
            if no_reason {
                return Err(StoreError::MissingReason);
            }
        }
        ReviewAction::Reopen => {
            let may =
                role == Role::Leader || (role == Role::OfficeHead && rules.office_head_reopens);
            if !may {
                return Err(forbidden(if rules.office_head_reopens {
                    "撤销批准、重新打开年度报告（应由分管领导或办公室主任操作）"
                } else {
                    "撤销批准、重新打开年度报告（应由分管领导操作）"
                }));
            }
            if !matches!(subject, ReviewSubject::AnnualReport { .. })
                || st != ReviewStatus::Approved
            {
                return Err(out_of_turn());
            }
            if no_reason {
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

    const R: ReviewRules = ReviewRules {
        office_head_approves: false,
        office_head_reopens: false,
    };

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
            status(&steps),
            ReviewAction::Review,
            "zhu",
            Role::OfficeHead,
            None,
            &R,
        )
        .unwrap_err();
        check(
            &s,
            &steps,
            status(&steps),
            ReviewAction::Submit,
            "li",
            Role::Clerk,
            None,
            &R,
        )
        .unwrap();
        steps.push(step(ReviewAction::Submit, "li", Role::Clerk));
        assert_eq!(status(&steps), ReviewStatus::AwaitingReview);
        // The leader cannot skip the office head; a clerk cannot review.
        let e = check(
            &s,
            &steps,
            status(&steps),
            ReviewAction::Approve,
            "wang",
            Role::Leader,
            None,
            &R,
        );
        assert_eq!(e.unwrap_err().code(), "review_out_of_turn");
        let e = check(
            &s,
            &steps,
            status(&steps),
            ReviewAction::Review,
            "li",
            Role::Clerk,
            None,
            &R,
        );
        assert_eq!(e.unwrap_err().code(), "forbidden");
        check(
            &s,
            &steps,
            status(&steps),
            ReviewAction::Review,
            "zhu",
            Role::OfficeHead,
            None,
            &R,
        )
        .unwrap();
        steps.push(step(ReviewAction::Review, "zhu", Role::OfficeHead));
        assert_eq!(status(&steps), ReviewStatus::AwaitingApproval);
        let e = check(
            &s,
            &steps,
            status(&steps),
            ReviewAction::SendBack,
            "wang",
            Role::Leader,
            Some(" "),
            &R,
        );
        assert_eq!(e.unwrap_err().code(), "missing_reason");
        check(
            &s,
            &steps,
            status(&steps),
            ReviewAction::SendBack,
            "wang",
            Role::Leader,
            Some("依据不足"),
            &R,
        )
        .unwrap();
        steps.push(step(ReviewAction::SendBack, "wang", Role::Leader));
        assert_eq!(status(&steps), ReviewStatus::SentBack);
        check(
            &s,
            &steps,
            status(&steps),
            ReviewAction::Submit,
            "li",
            Role::Clerk,
            None,
            &R,
        )
        .unwrap();
    }

    #[test]
    fn office_head_cannot_review_own_draft() {
        let s = subject();
        let steps = vec![step(ReviewAction::Submit, "zhu", Role::OfficeHead)];
        let e = check(
            &s,
            &steps,
            status(&steps),
            ReviewAction::Review,
            "zhu",
            Role::OfficeHead,
            None,
            &R,
        );
        assert_eq!(e.unwrap_err().code(), "self_review");
    }

    #[test]
    fn a_person_with_two_roles_takes_one_level_of_a_round() {
        let s = subject();
        let both = [Role::OfficeHead, Role::Leader];
        let mut steps = vec![step(ReviewAction::Submit, "li", Role::Clerk)];
        // As office head: reviews (the leader's role alone could not).
        let r = check_roles(
            &s,
            &steps,
            status(&steps),
            ReviewAction::Review,
            "zhu",
            &both,
            None,
            &R,
        );
        assert_eq!(r.unwrap(), Role::OfficeHead);
        steps.push(step(ReviewAction::Review, "zhu", Role::OfficeHead));
        // …but then cannot approve the same round as leader.
        let e = check_roles(
            &s,
            &steps,
            status(&steps),
            ReviewAction::Approve,
            "zhu",
            &both,
            None,
            &R,
        );
        assert_eq!(e.unwrap_err().code(), "two_levels");
        // Another leader can; and in a later round the same person may approve what
        // someone else reviewed.
        let r = check_roles(
            &s,
            &steps,
            status(&steps),
            ReviewAction::Approve,
            "wang",
            &[Role::Leader],
            None,
            &R,
        );
        assert_eq!(r.unwrap(), Role::Leader);
        steps.push(step(ReviewAction::SendBack, "wang", Role::Leader));
        steps.push(step(ReviewAction::Submit, "li", Role::Clerk));
        steps.push(step(ReviewAction::Review, "zhou", Role::OfficeHead));
        let r = check_roles(
            &s,
            &steps,
            status(&steps),
            ReviewAction::Approve,
            "zhu",
            &both,
            None,
            &R,
        );
        assert_eq!(r.unwrap(), Role::Leader);
        // A clerk who is also leader cannot approve their own submission.
        let own = vec![
            step(ReviewAction::Submit, "liu", Role::Clerk),
            step(ReviewAction::Review, "zhou", Role::OfficeHead),
        ];
        let e = check_roles(
            &s,
            &own,
            status(&own),
            ReviewAction::Approve,
            "liu",
            &[Role::Clerk, Role::Leader],
            None,
            &R,
        );
        assert_eq!(e.unwrap_err().code(), "two_levels");
        assert_eq!(
            approval_for_roles(ReviewStatus::AwaitingReview, &both, &R),
            Some(ReviewAction::Review)
        );
    }

    fn with_digest(mut s: ReviewStep, d: &str) -> ReviewStep {
        s.snapshot = serde_json::json!({ "digest": d });
        s
    }

    #[test]
    fn a_changed_reply_needs_review_again() {
        let steps = vec![
            with_digest(step(ReviewAction::Submit, "li", Role::Clerk), "aaa"),
            with_digest(step(ReviewAction::Review, "zhu", Role::OfficeHead), "aaa"),
            with_digest(step(ReviewAction::Approve, "wang", Role::Leader), "aaa"),
        ];
        assert_eq!(bind(&steps, Some("aaa")), ReviewStatus::Approved);
        assert_eq!(bind(&steps, Some("bbb")), ReviewStatus::NeedsReReview);
        assert_eq!(bind(&steps, None), ReviewStatus::NeedsReReview);
        // Needing review again, it is submitted again; approved, it is not.
        let s = subject();
        let st = bind(&steps, Some("bbb"));
        check(
            &s,
            &steps,
            st,
            ReviewAction::Submit,
            "li",
            Role::Clerk,
            None,
            &R,
        )
        .unwrap();
        let e = check(
            &s,
            &steps,
            ReviewStatus::Approved,
            ReviewAction::Submit,
            "li",
            Role::Clerk,
            None,
            &R,
        );
        assert_eq!(e.unwrap_err().code(), "review_out_of_turn");
    }

    #[test]
    fn the_office_head_approves_where_the_office_allows_it() {
        let s = subject();
        let steps = vec![step(ReviewAction::Submit, "li", Role::Clerk)];
        let st = status(&steps);
        let head = ReviewRules {
            office_head_approves: true,
            ..R
        };
        assert_eq!(
            approval_under(st, Role::OfficeHead, &R),
            Some(ReviewAction::Review)
        );
        assert_eq!(
            approval_under(st, Role::OfficeHead, &head),
            Some(ReviewAction::Approve)
        );
        let e = check(
            &s,
            &steps,
            st,
            ReviewAction::Approve,
            "zhu",
            Role::OfficeHead,
            None,
            &R,
        );
        assert_eq!(e.unwrap_err().code(), "forbidden");
        check(
            &s,
            &steps,
            st,
            ReviewAction::Approve,
            "zhu",
            Role::OfficeHead,
            None,
            &head,
        )
        .unwrap();
    }

    #[test]
    fn only_the_leader_reopens_an_approved_report_with_a_reason() {
        let s = ReviewSubject::AnnualReport { year: 2025 };
        let steps = vec![
            step(ReviewAction::Submit, "li", Role::Clerk),
            step(ReviewAction::Review, "zhu", Role::OfficeHead),
            step(ReviewAction::Approve, "wang", Role::Leader),
        ];
        let st = status(&steps);
        let reopen = |who, role, note, rules: &ReviewRules| {
            check(&s, &steps, st, ReviewAction::Reopen, who, role, note, rules)
        };
        assert_eq!(
            reopen("li", Role::Clerk, Some("数据有误"), &R)
                .unwrap_err()
                .code(),
            "forbidden"
        );
        assert_eq!(
            reopen("zhu", Role::OfficeHead, Some("数据有误"), &R)
                .unwrap_err()
                .code(),
            "forbidden"
        );
        assert_eq!(
            reopen("wang", Role::Leader, Some(" "), &R)
                .unwrap_err()
                .code(),
            "missing_reason"
        );
        reopen("wang", Role::Leader, Some("数据有误"), &R).unwrap();
        let head = ReviewRules {
            office_head_reopens: true,
            ..R
        };
        reopen("zhu", Role::OfficeHead, Some("数据有误"), &head).unwrap();
        assert_eq!(
            reopen("li", Role::Clerk, Some("数据有误"), &head)
                .unwrap_err()
                .code(),
            "forbidden"
        );
        // A clerk cannot get round it by submitting the approved report again.
        let e = check(
            &s,
            &steps,
            st,
            ReviewAction::Submit,
            "li",
            Role::Clerk,
            None,
            &R,
        );
        assert_eq!(e.unwrap_err().code(), "review_out_of_turn");
        let mut reopened = steps.clone();
        reopened.push(step(ReviewAction::Reopen, "wang", Role::Leader));
        assert_eq!(status(&reopened), ReviewStatus::Reopened);
        check(
            &s,
            &reopened,
            status(&reopened),
            ReviewAction::Submit,
            "li",
            Role::Clerk,
            None,
            &R,
        )
        .unwrap();
    }
}
