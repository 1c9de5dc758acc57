//! Sessions (idle timeout, absolute lifetime, 记住我), personal API tokens, the CSRF secret
//! and the one-time setup code, on SQLite and on PostgreSQL. Time is passed in, never
//! slept.

mod common;

use chrono::Duration;
use common::{PASSWORD, TestDb, now, office, stamp};
use gongkai_store::{AuditQuery, NewUser, Role, Stamp, Store, StoreError, ThrottlePolicy};

on_both_backends!(
    sessions_end_when_idle_or_at_their_lifetime,
    remembered_sessions_have_no_idle_timeout,
    api_tokens_are_created_used_and_revoked,
    the_csrf_secret_is_made_once,
    the_setup_code_opens_setup_once,
    the_origin_goes_into_the_audit_row,
);

fn code<T: std::fmt::Debug>(r: Result<T, StoreError>) -> &'static str {
    r.unwrap_err().code()
}

async fn sessions_end_when_idle_or_at_their_lifetime(db: &TestDb) {
    let s = &db.store;
    office(s).await;
    let t0 = now();
    let idle = Duration::minutes(30);
    let (token, session, _) = s
        .sign_in_for(
            "li",
            PASSWORD,
            "-",
            &ThrottlePolicy::default(),
            Duration::hours(12),
            false,
            t0,
        )
        .await
        .unwrap();
    assert!(!session.persistent);
    assert_eq!(session.last_seen_at, t0);
    // Used every 20 minutes, it lives on …
    for step in 1..=6 {
        let t = t0 + Duration::minutes(20 * step);
        assert!(
            s.session_user(&token, idle, t).await.unwrap().is_some(),
            "after {} minutes",
            20 * step
        );
    }
    // … but no longer than its lifetime, however busy.
    let mut t = t0 + Duration::minutes(120);
    while t < t0 + Duration::hours(12) - Duration::minutes(20) {
        t += Duration::minutes(20);
        assert!(s.session_user(&token, idle, t).await.unwrap().is_some());
    }
    assert!(
        s.session_user(&token, idle, t0 + Duration::hours(12))
            .await
            .unwrap()
            .is_none()
    );

    // Idle for 30 minutes: gone, even though its lifetime is not over.
    let (token, _, _) = s
        .sign_in_for(
            "zhao",
            PASSWORD,
            "-",
            &ThrottlePolicy::default(),
            Duration::hours(12),
            false,
            t0,
        )
        .await
        .unwrap();
    assert!(
        s.session_user(&token, idle, t0 + Duration::minutes(29))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        s.session_user(&token, idle, t0 + Duration::minutes(59))
            .await
            .unwrap()
            .is_none(),
        "idle for 30 minutes since the last use at 29"
    );
    // The last use is written at most once a minute: a use 30 s after the previous one does
    // not move it (so 29:00 stays the last recorded use).
    let (token, _, _) = s
        .sign_in_for(
            "zhu",
            PASSWORD,
            "-",
            &ThrottlePolicy::default(),
            Duration::hours(12),
            false,
            t0,
        )
        .await
        .unwrap();
    let t1 = t0 + Duration::seconds(30);
    let (seen, _) = s.session_user(&token, idle, t1).await.unwrap().unwrap();
    assert_eq!(seen.last_seen_at, t0);
    let t2 = t0 + Duration::seconds(90);
    s.session_user(&token, idle, t2).await.unwrap().unwrap();
    let (seen, _) = s.session_user(&token, idle, t2).await.unwrap().unwrap();
    assert_eq!(seen.last_seen_at, t2);
}

async fn remembered_sessions_have_no_idle_timeout(db: &TestDb) {
    let s = &db.store;
    office(s).await;
    let t0 = now();
    let idle = Duration::minutes(30);
    let (token, session, _) = s
        .sign_in_for(
            "li",
            PASSWORD,
            "-",
            &ThrottlePolicy::default(),
            Duration::days(30),
            true,
            t0,
        )
        .await
        .unwrap();
    assert!(session.persistent);
    assert!(
        s.session_user(&token, idle, t0 + Duration::days(3))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        s.session_user(&token, idle, t0 + Duration::days(30))
            .await
            .unwrap()
            .is_none()
    );
}

async fn api_tokens_are_created_used_and_revoked(db: &TestDb) {
    let s = &db.store;
    office(s).await;
    let t0 = now();
    let (secret, token) = s
        .create_api_token(&Stamp::new("li", t0), " 报表脚本 ", None)
        .await
        .unwrap();
    assert!(gongkai_store::tokens::is_api_token(&secret));
    assert_eq!(token.name, "报表脚本");
    assert!(secret.starts_with(&token.prefix));
    assert_ne!(token.id, secret, "only the token's hash is stored");
    assert_eq!(
        code(s.create_api_token(&Stamp::new("li", t0), "  ", None).await),
        "bad_token_name"
    );
    let (found, user) = s
        .api_token_user(&secret, t0 + Duration::minutes(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.name, "li");
    assert_eq!(found.last_used_at, None, "read before the use is recorded");
    let listed = s.api_tokens("li").await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].last_used_at, Some(t0 + Duration::minutes(5)));
    assert!(s.api_tokens("zhao").await.unwrap().is_empty());
    // Nobody else can revoke it (not even learn that it exists).
    assert_eq!(
        code(s.revoke_api_token(&Stamp::new("zhao", t0), &token.id).await),
        "not_found"
    );
    // Expiry.
    let (short, _) = s
        .create_api_token(&Stamp::new("li", t0), "一天", Some(t0 + Duration::days(1)))
        .await
        .unwrap();
    assert!(s.api_token_user(&short, t0).await.unwrap().is_some());
    assert!(
        s.api_token_user(&short, t0 + Duration::days(1))
            .await
            .unwrap()
            .is_none()
    );
    // Revoked: refused; a disabled user's tokens stop too.
    let revoked = s
        .revoke_api_token(&Stamp::new("li", t0), &token.id)
        .await
        .unwrap();
    assert!(revoked.revoked_at.is_some());
    assert!(s.api_token_user(&secret, t0).await.unwrap().is_none());
    let (zhao, _) = s
        .create_api_token(&Stamp::new("zhao", t0), "x", None)
        .await
        .unwrap();
    s.set_user_active("zhao", false, &stamp("admin"))
        .await
        .unwrap();
    assert!(s.api_token_user(&zhao, t0).await.unwrap().is_none());
    assert!(
        s.api_token_user(&format!("gkp_{}", "0".repeat(64)), t0)
            .await
            .unwrap()
            .is_none()
    );
    let actions: Vec<String> = s
        .audit(&AuditQuery::default())
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(actions.iter().filter(|a| *a == "token.create").count(), 3);
    assert_eq!(actions.iter().filter(|a| *a == "token.revoke").count(), 1);
}

async fn the_csrf_secret_is_made_once(db: &TestDb) {
    let s = &db.store;
    let a = s.csrf_secret().await.unwrap();
    assert_eq!(a.len(), 64);
    assert_eq!(s.csrf_secret().await.unwrap(), a);
}

async fn the_setup_code_opens_setup_once(db: &TestDb) {
    let s = &db.store;
    let t0 = now();
    // None issued yet: nothing is accepted.
    assert_eq!(
        code(s.check_setup_code("", "-", t0).await),
        "bad_setup_code"
    );
    let first = s.issue_setup_code(t0).await.unwrap().unwrap();
    let code_now = s.issue_setup_code(t0).await.unwrap().unwrap();
    assert_ne!(first, code_now);
    assert_eq!(
        code(s.check_setup_code(&first, "192.0.2.1", t0).await),
        "bad_setup_code",
        "a new start replaces the code"
    );
    s.check_setup_code(&code_now, "-", t0).await.unwrap();
    s.check_setup_code(&code_now.replace('-', ""), "-", t0)
        .await
        .unwrap();
    let refused = s
        .audit(&AuditQuery::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.action == "setup.refused")
        .collect::<Vec<_>>();
    assert_eq!(refused.len(), 2);
    assert_eq!(refused[0].detail["client"], "192.0.2.1");
    office(s).await;
    // Once the administrator exists, the code is spent and no new one is issued.
    assert_eq!(
        code(s.check_setup_code(&code_now, "-", t0).await),
        "bad_setup_code"
    );
    assert_eq!(s.issue_setup_code(t0).await.unwrap(), None);
}

async fn the_origin_goes_into_the_audit_row(db: &TestDb) {
    let s: &Store = &db.store;
    office(s).await;
    s.add_user(
        &NewUser {
            name: "sun".into(),
            display_name: None,
            role: Role::Clerk,
            password: PASSWORD.into(),
        },
        &stamp("admin").via("cli").os_user("lihua").auth("password"),
    )
    .await
    .unwrap();
    let row = s
        .audit(&AuditQuery::default())
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.action == "user.add" && a.subject_id == "sun")
        .unwrap();
    assert_eq!(row.channel.as_deref(), Some("cli"));
    assert_eq!(row.os_user.as_deref(), Some("lihua"));
    assert_eq!(row.client, None);
    assert_eq!(row.detail["auth"], "password");
    assert_eq!(row.detail["role"], "clerk");
}
