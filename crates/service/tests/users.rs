//! User administration on both backends: accounts with several roles, the password rules,
//! temporary passwords and the forced change, the lock after failed sign-ins and its
//! unlock, and a person with two roles in a review.

use chrono::{Duration, Utc};
use gongkai_service::{AccountDraft, Actor, ErrorKind, Service, Via};
use gongkai_store::{AuditQuery, NewUser, ReviewAction, ReviewSubject, Role, ThrottlePolicy};

#[macro_use]
mod common;
use common::{PASSWORD, office, postgres, sqlite};

on_both_backends!(
    admin_creates_accounts_with_roles,
    reset_forces_a_change_at_sign_in,
    weak_old_passwords_must_be_changed,
    locked_accounts_are_listed_and_unlocked,
    two_roles_take_one_level_of_a_round,
);

const STRONG: &str = "Plum7-harbor-Quill";

async fn admin(svc: &Service) -> Actor {
    svc.actor("admin", Via::Web).await.unwrap()
}

fn draft(name: &str, display: &str, roles: &[Role]) -> AccountDraft {
    AccountDraft {
        name: name.into(),
        display_name: Some(display.into()),
        roles: roles.to_vec(),
        password: None,
        must_change_password: true,
    }
}

async fn sign_in(svc: &Service, name: &str, pw: &str) -> gongkai_store::User {
    svc.store()
        .sign_in(
            name,
            pw,
            "10.0.0.9",
            &ThrottlePolicy::default(),
            Duration::hours(1),
            Utc::now(),
        )
        .await
        .unwrap()
        .2
}

async fn admin_creates_accounts_with_roles(svc: &Service) {
    let (li, _, _) = office(svc).await;
    let admin = admin(svc).await;
    // Three reviewers, one of them holding two roles; temporary passwords shown once.
    let zhao = svc
        .create_account(&admin, draft("zhao", "赵敏", &[Role::Clerk]))
        .await
        .unwrap();
    let t = zhao.temporary_password.clone().unwrap();
    assert_eq!(t.len(), 16);
    assert!(zhao.user.must_change_password);
    let qian = svc
        .create_account(
            &admin,
            draft("qian", "钱进", &[Role::OfficeHead, Role::Leader]),
        )
        .await
        .unwrap();
    assert_eq!(qian.user.role, Role::OfficeHead);
    assert_eq!(qian.user.roles(), vec![Role::OfficeHead, Role::Leader]);
    assert!(qian.user.has(Role::Leader));
    // A chosen password must pass the rules; the error names the field in Chinese.
    for (weak, why) in [
        ("short1", "至少需要 10 个字符"),
        ("password123", "常见密码"),
        ("sun2024sun2024", "密码"),
        ("zhouyu-2024", "用户名"),
    ] {
        let mut d = draft("zhouyu", "周瑜", &[Role::Leader]);
        d.password = Some(weak.into());
        let e = svc.create_account(&admin, d).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Invalid, "{weak}");
        let msg = e.to_string();
        assert!(msg.starts_with("初始密码："), "{msg}");
        assert!(msg.contains(why), "{weak}: {msg}");
    }
    let mut d = draft("zhouyu", "周瑜", &[Role::Leader]);
    d.password = Some(STRONG.into());
    d.must_change_password = false;
    let zhou = svc.create_account(&admin, d).await.unwrap();
    assert!(zhou.temporary_password.is_none());
    assert!(!zhou.user.must_change_password);
    // Nobody else administers users.
    let e = svc
        .create_account(&li, draft("x1", "某", &[Role::Clerk]))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    assert_eq!(
        svc.accounts(&li).await.unwrap_err().kind(),
        ErrorKind::Forbidden
    );
    let e = svc.create_account(&admin, draft("x2", "某", &[])).await;
    assert_eq!(e.unwrap_err().kind(), ErrorKind::Invalid);
    // Roles change; an administrator keeps their own administrator role.
    let u = svc
        .set_roles(&admin, "zhao", &[Role::Clerk, Role::OfficeHead])
        .await
        .unwrap();
    assert_eq!(u.roles(), vec![Role::Clerk, Role::OfficeHead]);
    let e = svc
        .set_roles(&admin, "admin", &[Role::Clerk])
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    // The list: roles, never signed in, active; disabled after disabling.
    svc.set_account_active(&admin, "zhao", false).await.unwrap();
    let list = svc.accounts(&admin).await.unwrap();
    let z = list.iter().find(|a| a.user.name == "zhao").unwrap();
    assert_eq!(z.user.roles_label(), "信息员、办公室主任");
    assert!(!z.user.active);
    assert!(z.user.last_login_at.is_none());
    assert!(z.locked_until.is_none());
    // Every change is audited.
    let audit = svc.store().audit(&AuditQuery::default()).await.unwrap();
    for action in ["user.add", "user.roles", "user.disable"] {
        assert!(
            audit
                .iter()
                .any(|a| a.action == action && a.subject_id == "zhao" && a.actor == "admin"),
            "{action}"
        );
    }
}

async fn reset_forces_a_change_at_sign_in(svc: &Service) {
    let (li, _, _) = office(svc).await;
    let admin = admin(svc).await;
    assert_eq!(
        svc.reset_password(&li, "zhu").await.unwrap_err().kind(),
        ErrorKind::Forbidden
    );
    let temp = svc.reset_password(&admin, "li").await.unwrap();
    // The old password no longer works; the temporary one signs in, flagged.
    let e = svc
        .store()
        .sign_in(
            "li",
            PASSWORD,
            "-",
            &ThrottlePolicy::default(),
            Duration::hours(1),
            Utc::now(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "bad_credentials");
    let u = sign_in(svc, "li", &temp).await;
    assert!(u.must_change_password);
    assert!(u.last_login_at.is_some());
    let li = Actor::new(&u, Via::Web);
    // The change needs the current password, a different and strong new one.
    let e = svc
        .change_own_password(&li, "wrong password!", STRONG)
        .await
        .unwrap_err();
    assert!(e.to_string().starts_with("当前密码"), "{e}");
    let e = svc
        .change_own_password(&li, &temp, &temp)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("不能与当前密码相同"), "{e}");
    let e = svc
        .change_own_password(&li, &temp, "李明李明李明李明李明")
        .await
        .unwrap_err();
    assert!(e.to_string().starts_with("新密码："), "{e}");
    svc.change_own_password(&li, &temp, STRONG).await.unwrap();
    let u = sign_in(svc, "li", STRONG).await;
    assert!(!u.must_change_password);
    let listed = svc.account(&admin, "li").await.unwrap();
    assert!(listed.user.last_login_at.is_some());
    let audit = svc.store().audit(&AuditQuery::default()).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.action == "user.reset" && a.subject_id == "li")
    );
    assert!(
        audit
            .iter()
            .any(|a| a.action == "user.password" && a.actor == "li")
    );
}

async fn weak_old_passwords_must_be_changed(svc: &Service) {
    office(svc).await;
    // A password set before the rules (the store alone checks only its length).
    svc.store()
        .add_user(
            &NewUser {
                name: "old".into(),
                display_name: None,
                role: Role::Clerk,
                password: "password123".into(),
            },
            &gongkai_store::Stamp::now("admin"),
        )
        .await
        .unwrap();
    let u = sign_in(svc, "old", "password123").await;
    assert!(u.must_change_password, "a weak password is flagged");
    assert!(
        svc.store()
            .user("old")
            .await
            .unwrap()
            .unwrap()
            .must_change_password
    );
    // A strong one is not.
    let u = sign_in(svc, "li", PASSWORD).await;
    assert!(!u.must_change_password);
    // The command line's path applies the rules too.
    let admin = admin(svc).await;
    let e = svc
        .set_password(&admin, "old", "password1234")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
}

async fn locked_accounts_are_listed_and_unlocked(svc: &Service) {
    let (li, _, _) = office(svc).await;
    let admin = admin(svc).await;
    let policy = ThrottlePolicy::default();
    let start = Utc::now();
    for i in 0..policy.max_failures {
        let at = start + Duration::minutes(i64::from(i));
        let _ = svc
            .store()
            .sign_in(
                "zhu",
                "not the password",
                "-",
                &policy,
                Duration::hours(1),
                at,
            )
            .await;
    }
    let e = svc
        .store()
        .sign_in(
            "zhu",
            PASSWORD,
            "-",
            &policy,
            Duration::hours(1),
            start + Duration::minutes(6),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "login_locked");
    let zhu = svc.account(&admin, "zhu").await.unwrap();
    assert!(zhu.locked_until.is_some());
    assert_eq!(zhu.failures, policy.max_failures);
    assert_eq!(
        svc.unlock_user(&li, "zhu").await.unwrap_err().kind(),
        ErrorKind::Forbidden
    );
    assert!(svc.unlock_user(&admin, "zhu").await.unwrap());
    let zhu = svc.account(&admin, "zhu").await.unwrap();
    assert!(zhu.locked_until.is_none());
    sign_in(svc, "zhu", PASSWORD).await;
}

async fn two_roles_take_one_level_of_a_round(svc: &Service) {
    let (li, _, wang) = office(svc).await;
    let admin = admin(svc).await;
    let mut d = draft("qian", "钱进", &[Role::OfficeHead, Role::Leader]);
    d.password = Some(STRONG.into());
    let qian = svc.create_account(&admin, d).await.unwrap().user;
    let qian = Actor::new(&qian, Via::Web);
    let year = chrono::Datelike::year(&Service::today()) - 1;
    let s = ReviewSubject::AnnualReport { year };
    common::write_narrative(svc, &li, year).await;
    svc.review_step(&li, &s, ReviewAction::Submit, None)
        .await
        .unwrap();
    // As 办公室主任 the person reviews…
    let r = svc.approve(&qian, &s, None).await.unwrap();
    assert_eq!(r.steps.last().unwrap().actor_role, Role::OfficeHead);
    // …and as 分管领导 may not approve the same round.
    assert!(!gongkai_service::allowed(&r, &qian).approve);
    let e = svc.approve(&qian, &s, None).await.unwrap_err();
    assert_eq!(e.code(), "two_levels");
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    let r = svc.approve(&wang, &s, None).await.unwrap();
    assert_eq!(r.status, gongkai_store::ReviewStatus::Approved);
}
