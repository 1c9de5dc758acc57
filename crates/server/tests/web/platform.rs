//! The platform (issue 18 §1) through the web pages and the API: the pages work in the root
//! agency; a crafted id of another agency's application is not found there, that agency's
//! rows never show, and a user who serves only the other agency is not let in.

use axum::http::{Method, StatusCode};
use gongkai_ledger::{Applicant, ApplicantKind, Channel, Contact, EventKind, InformationRequest};
use gongkai_store::{AgencyKind, EventInput, NewAgency, NewApplication, NewUser, Role, Stamp};

use crate::common::{Client, app, bearer, password};

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

#[tokio::test]
async fn another_agencys_applications_are_not_found_on_the_pages_and_the_api() {
    let (app, store) = app().await;
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
    store
        .add_user(
            &NewUser {
                name: "bclerk".into(),
                display_name: None,
                role: Role::Clerk,
                password: password("bclerk"),
            },
            &admin,
        )
        .await
        .unwrap();
    store
        .grant_roles("bclerk", b.id, &["clerk".into()], &admin)
        .await
        .unwrap();
    store.grant_roles("bclerk", 1, &[], &admin).await.unwrap();
    store
        .register_application(application("A-1", "甲某"), &Stamp::now("clerk"))
        .await
        .unwrap();
    store
        .in_agency(b.id)
        .register_application(application("B-9", "乙某"), &Stamp::now("bclerk"))
        .await
        .unwrap();

    // A clerk of the root agency: the list shows A's rows only, B's id is not found.
    let mut c = Client::new(&app);
    c.login("clerk").await;
    let list = c.get("/ledger").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text().contains("甲某"));
    assert!(!list.text().contains("乙某"));
    assert_eq!(c.get("/ledger/a/A-1").await.status, StatusCode::OK);
    let r = c.get("/ledger/a/B-9").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    assert!(!r.text().contains("乙某"));

    // The same through the API.
    let mut api = Client::new(&app);
    bearer(&mut api, "clerk").await;
    let r = api
        .json(Method::GET, "/api/v1/applications/B-9", None, None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    let r = api
        .json(Method::GET, "/api/v1/applications", None, None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("甲某") && !r.text().contains("乙某"));

    // A user of B only is not let into the root agency's pages or API.
    let mut other = Client::new(&app);
    let token = other.csrf("/login").await;
    other
        .post_form(
            "/login",
            &[
                ("csrf", &token),
                ("name", "bclerk"),
                ("password", &password("bclerk")),
            ],
        )
        .await;
    let r = other.get("/ledger").await;
    assert_ne!(r.status, StatusCode::OK);
    assert!(!r.text().contains("甲某") && !r.text().contains("乙某"));
    let r = other
        .json(Method::GET, "/api/v1/applications", None, None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text());
}
