//! 管理 → 用户 in the browser (router driven without a socket): the administrator creates
//! an account with two roles and a temporary password, resets a password; the user is
//! sent to /account/password (and the API answers 403) until they change it; others are
//! refused; a locked account is listed and unlocked.

use axum::http::{Method, StatusCode};

use crate::common::{Client, app, password};

/// Logs in with an explicit password; the response.
async fn login_with(c: &mut Client, name: &str, pw: &str) -> crate::common::Resp {
    let token = c.csrf("/login").await;
    c.post_form(
        "/login",
        &[("csrf", &token), ("name", name), ("password", pw)],
    )
    .await
}

/// The temporary password shown on the page.
fn temporary(page: &str) -> String {
    let open = "<code id=\"temp-password\">";
    let start = page.find(open).expect(page) + open.len();
    let end = page[start..].find("</code>").unwrap() + start;
    page[start..end].to_string()
}

#[tokio::test]
async fn the_administrator_manages_users_and_a_temporary_password_must_be_changed() {
    let (app, store) = app().await;
    let mut admin = Client::new(&app);
    admin.login("admin").await;
    // The nav offers 管理 to the administrator; the admin nav links the four pages.
    let page = admin.get("/admin/users").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    for link in [
        "href=\"/admin/users\"",
        "/admin/settings",
        "/admin/templates",
        "/admin/audit",
    ] {
        assert!(text.contains(link), "{link}");
    }
    assert!(text.contains("从未登录") || text.contains("最后登录"));
    let csrf = crate::common::csrf_of(&text);
    // A weak chosen password is refused with a Chinese message naming the field.
    let r = admin
        .post_form(
            "/admin/users",
            &[
                ("csrf", &csrf),
                ("name", "qian"),
                ("display_name", "钱进"),
                ("role", "office_head"),
                ("role", "leader"),
                ("password", "password123"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("初始密码："), "{}", r.text());
    assert!(store.user("qian").await.unwrap().is_none());
    // Without a password: a temporary one, shown once.
    let r = admin
        .post_form(
            "/admin/users",
            &[
                ("csrf", &csrf),
                ("name", "qian"),
                ("display_name", "钱进"),
                ("role", "office_head"),
                ("role", "leader"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let temp = temporary(&r.text());
    let u = store.user("qian").await.unwrap().unwrap();
    assert_eq!(u.roles_label(), "办公室主任、分管领导");
    assert!(u.must_change_password);
    assert!(r.text().contains("办公室主任、分管领导"));

    // The new user signs in and is held at /account/password.
    let mut q = Client::new(&app);
    let r = login_with(&mut q, "qian", &temp).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = q.get("/ledger").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.location().starts_with("/account/password"),
        "{}",
        r.location()
    );
    let r = q
        .json(Method::GET, "/api/v1/applications", None, None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["code"], "password_change_required");
    let page = q.get("/account/password").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("须先修改密码"));
    let csrf_q = crate::common::csrf_of(&page.text());
    let r = q
        .post_form(
            "/account/password",
            &[
                ("csrf", &csrf_q),
                ("current", &temp),
                ("password", "qianqian2024"),
                ("password2", "qianqian2024"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("新密码："), "{}", r.text());
    let new = "Tide4-lantern-Orbit";
    let r = q
        .post_form(
            "/account/password",
            &[
                ("csrf", &csrf_q),
                ("current", &temp),
                ("password", new),
                ("password2", new),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(r.location().starts_with("/login"));
    let r = login_with(&mut q, "qian", new).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(q.get("/ledger").await.status, StatusCode::OK);

    // Roles edited; others cannot reach the pages.
    let edit = admin.get("/admin/users/qian").await;
    assert_eq!(edit.status, StatusCode::OK);
    let r = admin
        .post_form(
            "/admin/users/qian/roles",
            &[("csrf", &csrf), ("role", "leader")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        store.user("qian").await.unwrap().unwrap().roles_label(),
        "分管领导"
    );
    assert_eq!(q.get("/admin/users").await.status, StatusCode::FORBIDDEN);
    let csrf_q = q.csrf("/ledger").await;
    let r = q
        .post_form("/admin/users/clerk/reset", &[("csrf", &csrf_q)])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // A reset: the old password stops working, the temporary one must be changed.
    let r = admin
        .post_form("/admin/users/clerk/reset", &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let temp = temporary(&r.text());
    let mut c = Client::new(&app);
    let r = login_with(&mut c, "clerk", &password("clerk")).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = login_with(&mut c, "clerk", &temp).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        c.get("/ledger")
            .await
            .location()
            .starts_with("/account/password")
    );

    // Disable: the user can no longer sign in.
    let r = admin
        .post_form(
            "/admin/users/head/active",
            &[("csrf", &csrf), ("active", "false")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut h = Client::new(&app);
    let r = login_with(&mut h, "head", &password("head")).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_locked_account_is_listed_and_unlocked() {
    let (app, store) = app().await;
    let mut guess = Client::new(&app);
    // Failures from several clients are counted on the account (no address here).
    for _ in 0..2 {
        let r = login_with(&mut guess, "leader", "wrong wrong wrong").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    // Lock it through the store's clock (the back-off delays would make the test slow).
    let policy = gongkai_store::ThrottlePolicy::default();
    let start = chrono::Utc::now() + chrono::Duration::minutes(1);
    for i in 0..policy.max_failures {
        let _ = store
            .sign_in(
                "leader",
                "wrong",
                "-",
                &policy,
                chrono::Duration::hours(1),
                start + chrono::Duration::seconds(i64::from(i) * 70),
            )
            .await;
    }
    let mut admin = Client::new(&app);
    admin.login("admin").await;
    let page = admin.get("/admin/users").await.text();
    assert!(page.contains("已锁定"), "{page}");
    assert!(page.contains("/admin/users/leader/unlock"));
    let r = login_with(&mut Client::new(&app), "leader", &password("leader")).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let csrf = crate::common::csrf_of(&page);
    let r = admin
        .post_form("/admin/users/leader/unlock", &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = admin.get("/admin/users").await.text();
    assert!(!page.contains("/admin/users/leader/unlock"));
    let r = login_with(&mut Client::new(&app), "leader", &password("leader")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let audit = store
        .audit(&gongkai_store::AuditQuery::default())
        .await
        .unwrap();
    assert!(audit.iter().any(|a| a.action == "user.unlock"));
}
