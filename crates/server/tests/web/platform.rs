//! The platform (issue 18 §1) through the web pages and the API, on SQLite and on
//! PostgreSQL (when `GONGKAI_TEST_POSTGRES_URL` names a server): a user works in the agency
//! of the session (the agency switch) or of the API token, with the roles held there. A
//! user of one agency cannot read or change another's records through a crafted id, and
//! cannot switch to an agency where it holds no role.

use axum::Router;
use axum::http::{Method, StatusCode};
use gongkai_ledger::{Applicant, ApplicantKind, Channel, Contact, EventKind, InformationRequest};
use gongkai_store::{
    AgencyId, AgencyKind, AuditQuery, EventInput, NewAgency, NewApplication, NewUser, Role, Stamp,
    Store,
};
use serde_json::json;

use crate::common::{
    Client, app_over, bearer, csrf_of, fresh_postgres_url, password, seed, store_at,
};

fn application(id: &str, name: &str) -> NewApplication {
    NewApplication {
        id: Some(id.into()),
        applicant: Applicant {
            kind: ApplicantKind::NaturalPerson,
            name: name.into(),
            identity: None,
            contact: Contact::default(),
            representative: None,
        },
        request: InformationRequest {
            description: format!("{name}申请的信息"),
            document_number: None,
            form: Default::default(),
            delivery: Default::default(),
            fee_units: 1,
        },
        received: Some(EventInput::new(
            chrono::Utc::now().date_naive() - chrono::Duration::days(3),
            EventKind::Received {
                channel: Channel::InPerson { oral: false },
            },
        )),
    }
}

/// The root agency (测试市某局, `local-1`) with 甲某's application A-1, agency B (某区某局)
/// with 乙某's B-9; `bclerk` is 信息员 of B only, `both` is 信息员 of the root and
/// 办公室主任 of B, `clerk` is of the root only.
pub async fn two_agencies(store: &Store) -> AgencyId {
    let admin = Stamp::now("admin");
    let b = store
        .add_agency(
            &NewAgency {
                parent_id: 1,
                code: "B".into(),
                name: "某区某局".into(),
                kind: AgencyKind::County,
            },
            &admin,
        )
        .await
        .unwrap();
    for name in ["bclerk", "both"] {
        store
            .add_user(
                &NewUser {
                    name: name.into(),
                    display_name: None,
                    role: Role::Clerk,
                    password: password(name),
                },
                &admin,
            )
            .await
            .unwrap();
    }
    store
        .grant_roles("bclerk", b.id, &["clerk".into()], &admin)
        .await
        .unwrap();
    store.grant_roles("bclerk", 1, &[], &admin).await.unwrap();
    store
        .grant_roles("both", b.id, &["office_head".into()], &admin)
        .await
        .unwrap();
    store
        .register_application(application("A-1", "甲某"), &Stamp::now("clerk"))
        .await
        .unwrap();
    store
        .in_agency(b.id)
        .register_application(application("B-9", "乙某"), &Stamp::now("bclerk"))
        .await
        .unwrap();
    b.id
}

/// Runs `f` over a fresh app on SQLite, then on PostgreSQL when a server is named.
async fn on_both<F, Fut>(tag: &str, f: F)
where
    F: Fn(Router, Store) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let store = store_at("sqlite::memory:").await;
    f(app_over(store.clone()), store).await;
    if let Some(url) = fresh_postgres_url(tag).await {
        let store = store_at(&url).await;
        f(app_over(store.clone()), store.clone()).await;
        store.close().await;
    }
}

#[tokio::test]
async fn a_user_works_in_its_own_agency_and_never_reaches_another() {
    on_both("platform_pages", |app, store| async move {
        let b = two_agencies(&store).await;

        // A clerk of the root agency: A's rows only; B's id is not found, and it cannot
        // switch to B (403), nor change B-9 through a crafted id.
        let mut c = Client::new(&app);
        c.login("clerk").await;
        let list = c.get("/ledger").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.text().contains("甲某") && !list.text().contains("乙某"));
        assert!(
            list.text().contains("测试市某局"),
            "the agency in the top bar"
        );
        assert!(
            !list.text().contains("/account/agency"),
            "one agency: no switch"
        );
        assert_eq!(c.get("/ledger/a/A-1").await.status, StatusCode::OK);
        let r = c.get("/ledger/a/B-9").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
        assert!(!r.text().contains("乙某"));
        let csrf = csrf_of(&list.text());
        let r = c
            .post_form("/account/agency", &[("csrf", &csrf), ("agency", "B")])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        let list = c.get("/ledger").await;
        assert!(list.text().contains("甲某") && !list.text().contains("乙某"));

        // The same through the API, a crafted write included.
        let mut api = Client::new(&app);
        bearer(&mut api, "clerk").await;
        let r = api
            .json(Method::GET, "/api/v1/applications/B-9", None, None)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
        let r = api
            .json(Method::GET, "/api/v1/applications", None, None)
            .await;
        assert!(r.text().contains("甲某") && !r.text().contains("乙某"));
        let r = api
            .json(
                Method::POST,
                "/api/v1/applications/B-9/events",
                Some(json!({"date": crate::common::today(), "type": "withdrawn"})),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
        let r = api
            .json(
                Method::PUT,
                "/api/v1/session/agency",
                Some(json!({"code": "B"})),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        let b9 = store
            .in_agency(b)
            .application(&gongkai_ledger::ApplicationId("B-9".into()))
            .await
            .unwrap();
        assert_eq!(b9.events.len(), 1, "B-9 unchanged");

        // A user of B only works in B after login: B's rows, A's id not found, no switch
        // to the root agency.
        let mut bc = Client::new(&app);
        bc.login("bclerk").await;
        let list = bc.get("/ledger").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.text());
        assert!(list.text().contains("乙某") && !list.text().contains("甲某"));
        assert!(list.text().contains("某区某局"));
        assert_eq!(bc.get("/ledger/a/B-9").await.status, StatusCode::OK);
        assert_eq!(bc.get("/ledger/a/A-1").await.status, StatusCode::NOT_FOUND);
        let csrf = csrf_of(&list.text());
        let r = bc
            .post_form("/account/agency", &[("csrf", &csrf), ("agency", "local-1")])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        // Its API token is made for B and works there.
        let r = bc
            .post_form(
                "/account/tokens",
                &[("csrf", &csrf), ("name", "脚本"), ("days", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let page = r.text();
        let start = page.find("gkp_").unwrap();
        let secret = page[start..start + 68].to_string();
        let mut script = Client::new(&app);
        script.bearer = Some(secret.clone());
        let r = script
            .json(Method::GET, "/api/v1/applications", None, None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(r.text().contains("乙某") && !r.text().contains("甲某"));
        let me = script
            .json(Method::GET, "/api/v1/me", None, None)
            .await
            .json();
        assert_eq!(me["agency"]["code"], "B");
        let r = script
            .json(
                Method::PUT,
                "/api/v1/session/agency",
                Some(json!({"code": "B"})),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
        // A token whose owner lost the role in its agency no longer lets in.
        store
            .grant_roles("bclerk", b, &[], &Stamp::now("admin"))
            .await
            .unwrap();
        let r = script
            .json(Method::GET, "/api/v1/applications", None, None)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text());
    })
    .await;
}

#[tokio::test]
async fn a_user_of_two_agencies_switches_and_the_session_remembers() {
    on_both("platform_switch", |app, store| async move {
        let b = two_agencies(&store).await;
        let mut c = Client::new(&app);
        c.login("both").await;
        // The first agency by number, with the switch in the top bar.
        let list = c.get("/ledger").await;
        assert!(list.text().contains("甲某") && !list.text().contains("乙某"));
        assert!(list.text().contains("action=\"/account/agency\""));
        assert!(list.text().contains("信息员"));
        let csrf = csrf_of(&list.text());
        // Without the CSRF token: refused, nothing changes.
        let r = c
            .post_form("/account/agency", &[("csrf", "x"), ("agency", "B")])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(c.get("/ledger").await.text().contains("甲某"));
        // An unknown code: not found.
        let r = c
            .post_form("/account/agency", &[("csrf", &csrf), ("agency", "ZZ")])
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = c
            .post_form("/account/agency", &[("csrf", &csrf), ("agency", "B")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        assert_eq!(r.location(), "/ledger?msg=agency_switched");
        let list = c.get("/ledger?msg=agency_switched").await;
        assert!(list.text().contains("已切换机关"));
        assert!(list.text().contains("乙某") && !list.text().contains("甲某"));
        assert!(list.text().contains("办公室主任"), "the roles held in B");
        assert_eq!(c.get("/ledger/a/A-1").await.status, StatusCode::NOT_FOUND);
        // Remembered: the next requests (and a new page) stay in B.
        assert_eq!(c.get("/ledger/a/B-9").await.status, StatusCode::OK);
        let audit = store
            .in_agency(b)
            .audit(&AuditQuery {
                action: Some("session.agency".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].actor, "both");
        assert_eq!(audit[0].detail["from"], serde_json::Value::Null);
        // And back.
        let csrf = csrf_of(&list.text());
        let r = c
            .post_form("/account/agency", &[("csrf", &csrf), ("agency", "local-1")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(c.get("/ledger").await.text().contains("甲某"));

        // An API session switches too; the answer says where it works now.
        let mut api = Client::new(&app);
        bearer(&mut api, "both").await;
        let r = api
            .json(
                Method::PUT,
                "/api/v1/session/agency",
                Some(json!({"code": "B"})),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let me = r.json();
        assert_eq!(me["agency"]["code"], "B");
        assert_eq!(me["role"], "office_head");
        assert_eq!(me["agencies"].as_array().unwrap().len(), 2);
        let r = api
            .json(
                Method::POST,
                "/api/v1/applications",
                Some(json!({
                    "applicant": {"kind": "natural_person", "name": "丙某", "identity": null,
                                  "contact": {}},
                    "request": {"description": "某项信息", "form": "electronic",
                                "delivery": "email"},
                })),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = r.json()["application"]["id"].as_str().unwrap().to_string();
        let id = gongkai_ledger::ApplicationId(id);
        assert_eq!(
            store
                .in_agency(b)
                .application(&id)
                .await
                .unwrap()
                .applicant
                .name,
            "丙某"
        );
        assert!(
            store.application(&id).await.is_err(),
            "not in the root agency"
        );
    })
    .await;
}

#[tokio::test]
async fn the_platform_administrator_keeps_the_tree_and_the_roles() {
    on_both("platform_admin", |app, store| async move {
        let b = two_agencies(&store).await;
        // Not for a clerk, nor for an administrator of another agency than the root.
        let mut c = Client::new(&app);
        c.login("clerk").await;
        assert_eq!(c.get("/admin/platform").await.status, StatusCode::FORBIDDEN);
        store
            .grant_roles("both", b, &["admin".into()], &Stamp::now("admin"))
            .await
            .unwrap();
        store
            .grant_roles("both", 1, &[], &Stamp::now("admin"))
            .await
            .unwrap();
        let mut other = Client::new(&app);
        other.login("both").await;
        let r = other.get("/admin/platform").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        let csrf = csrf_of(&other.get("/ledger").await.text());
        let r = other
            .post_form(
                "/admin/platform/a/B",
                &[
                    ("csrf", &csrf),
                    ("code", "B"),
                    ("name", "改名"),
                    ("kind", "county"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());

        let mut a = Client::new(&app);
        a.login("admin").await;
        let page = a.get("/admin/platform").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        assert!(page.text().contains("测试市某局") && page.text().contains("某区某局"));
        let csrf = csrf_of(&page.text());
        // Add an agency under B; a code already taken is refused on the page.
        let r = a
            .post_form(
                "/admin/platform",
                &[
                    ("csrf", &csrf),
                    ("parent", "B"),
                    ("code", "C"),
                    ("name", "某街道办事处"),
                    ("kind", "township"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let r = a
            .post_form(
                "/admin/platform",
                &[
                    ("csrf", &csrf),
                    ("parent", "B"),
                    ("code", "C"),
                    ("name", "重复"),
                    ("kind", "township"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("机关代码"), "{}", r.text());
        let tree = a.get("/admin/platform").await.text();
        assert!(
            tree.contains("└ <a href=\"/admin/platform/a/C\">某街道办事处</a>"),
            "{tree}"
        );

        // Edit B: code, name, the 复议机关 and the court its letters name.
        assert_eq!(a.get("/admin/platform/a/B").await.status, StatusCode::OK);
        let r = a
            .post_form(
                "/admin/platform/a/B",
                &[
                    ("csrf", &csrf),
                    ("code", "B2"),
                    ("name", "某区某某局"),
                    ("kind", "county"),
                    ("organ", "某区人民政府"),
                    ("court", "某区人民法院"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let office = store.in_agency(b).office().await.unwrap();
        assert_eq!(office.reconsideration_organ, "某区人民政府");
        assert_eq!(office.court, "某区人民法院");
        assert_eq!(
            store.office().await.unwrap().court,
            "",
            "the root's own stays"
        );
        let r = a
            .post_form(
                "/admin/platform/a/B2",
                &[
                    ("csrf", &csrf),
                    ("code", "C"),
                    ("name", "x"),
                    ("kind", "county"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(
            a.get("/admin/platform/a/B").await.status,
            StatusCode::NOT_FOUND
        );
        let audit = store
            .audit(&AuditQuery {
                action: Some("agency.edit".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].detail["before"]["code"], "B");
        assert_eq!(audit[0].detail["after"]["court"], "某区人民法院");

        // Roles per agency: bclerk becomes 信息员 and 监督 of C too.
        let page = a.get("/admin/platform/users/bclerk").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        assert!(page.text().contains("id=\"roles-C\""));
        let r = a
            .post_form(
                "/admin/platform/users/bclerk",
                &[
                    ("csrf", &csrf),
                    ("agency", "C"),
                    ("role", "clerk"),
                    ("role", "supervisor"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let held = store.held_agencies("bclerk").await.unwrap();
        let c_roles = &held.iter().find(|(a, _)| a.code == "C").unwrap().1;
        assert!(
            c_roles.contains(&"clerk".to_string()) && c_roles.contains(&"supervisor".to_string())
        );
        // bclerk now has the switch, and the root agency is still not among its choices.
        let mut bc = Client::new(&app);
        bc.login("bclerk").await;
        let list = bc.get("/ledger").await.text();
        assert!(list.contains("value=\"C\"") && !list.contains("value=\"local-1\""));
    })
    .await;
}

/// A report uploaded to the checker belongs to the agency the user works in: after a
/// switch to another agency the same user's upload is not found (nor listed), and back in
/// the first agency it is there again with its correction history.
#[tokio::test]
async fn a_checker_upload_belongs_to_the_agency_it_was_made_in() {
    on_both("platform_uploads", |app, store| async move {
        let b = two_agencies(&store).await;
        let mut c = Client::new(&app);
        c.login("both").await;
        let token = c.csrf("/check").await;
        let r = c
            .upload(
                "/check",
                &token,
                &[("报告.txt", &seed("002_726e471a72bc1b83.txt"))],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let at = r.location();
        let id = at.trim_start_matches("/check/r/").to_string();
        assert_eq!(c.get(&at).await.status, StatusCode::OK);
        assert!(store.check_upload(&id).await.unwrap().is_some());
        assert!(
            store
                .in_agency(b)
                .check_upload(&id)
                .await
                .unwrap()
                .is_none()
        );

        let list = c.get("/ledger").await;
        let csrf = csrf_of(&list.text());
        let r = c
            .post_form("/account/agency", &[("csrf", &csrf), ("agency", "B")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = c.get(&at).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
        assert!(!c.get("/check").await.text().contains(&id));

        let csrf = csrf_of(&c.get("/ledger").await.text());
        let r = c
            .post_form("/account/agency", &[("csrf", &csrf), ("agency", "local-1")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(c.get(&at).await.status, StatusCode::OK);
    })
    .await;
}
