//! The platform (issue 18 §1): two agencies through the service. A clerk of A cannot list,
//! read, amend, review or export B's applications (crafted ids are "not found"); a user
//! with roles in both sees each ledger only in its own agency.

use super::*;
use gongkai_service::exports::ExportFormat;

on_both_backends!(
    agencies_are_isolated_through_the_service,
    sessions_and_tokens_work_in_one_agency
);

async fn agencies_are_isolated_through_the_service(svc: &Service) {
    let (li, _zhu, _wang) = office(svc).await;
    let admin = svc.actor("admin", Via::Cli).await.unwrap();
    assert!(svc.is_platform_admin(&admin).await.unwrap());
    assert!(!svc.is_platform_admin(&li).await.unwrap());
    // Only the platform administrator adds agencies.
    let e = svc
        .add_agency(&li, "local-1", "B", "某区某局", "县区")
        .await;
    assert_eq!(e.unwrap_err().kind(), ErrorKind::Forbidden);
    let e = svc
        .add_agency(&admin, "local-1", "B", "某区某局", "村")
        .await;
    assert_eq!(e.unwrap_err().kind(), ErrorKind::Invalid);
    let b = svc
        .add_agency(&admin, "local-1", "B", "某区某局", "县区")
        .await
        .unwrap();
    let tree = svc.agency_tree(&admin).await.unwrap();
    assert_eq!(tree.len(), 2);
    assert_eq!((tree[1].agency.id, tree[1].depth), (b.id, 1));
    // A clerk of B only, and zhu in both (办公室主任 in A, 信息员 in B).
    let u = gongkai_store::NewUser {
        name: "bclerk".into(),
        display_name: None,
        role: gongkai_store::Role::Clerk,
        password: common::PASSWORD.into(),
    };
    svc.add_user(&admin, &u).await.unwrap();
    svc.grant_roles(&admin, "bclerk", "B", &["信息员".into()])
        .await
        .unwrap();
    svc.grant_roles(&admin, "bclerk", "local-1", &[])
        .await
        .unwrap();
    svc.grant_roles(&admin, "zhu", "B", &["clerk".into()])
        .await
        .unwrap();
    let bclerk = svc.actor("bclerk", Via::Cli).await.unwrap();
    assert_eq!(bclerk.agency(), b.id, "the only agency is the default");
    let zhu_b = svc.actor_in("zhu", Via::Cli, Some("B")).await.unwrap();
    let zhu_a = svc.actor("zhu", Via::Cli).await.unwrap();
    assert_eq!(zhu_a.agency(), 1, "the first agency is the default");
    assert_eq!(zhu_b.roles(), [gongkai_store::Role::Clerk]);
    let e = svc.actor_in("li", Via::Cli, Some("B")).await;
    assert_eq!(e.unwrap_err().kind(), ErrorKind::Forbidden);
    assert_eq!(svc.my_agencies(&zhu_a).await.unwrap().len(), 2);

    let day = today() - Duration::days(2);
    let a1 = svc
        .register(&li, new_application("甲", "410702199001011234", day, 1))
        .await
        .unwrap();
    let b1 = svc
        .register(&bclerk, new_application("乙", "410702199001015678", day, 1))
        .await
        .unwrap();
    let b2 = svc
        .register(&zhu_b, new_application("丙", "410702199001019999", day, 1))
        .await
        .unwrap();
    assert_eq!(a1.application.id, b1.application.id, "numbering per agency");
    let crafted = b2.application.id.clone();
    let in_a = svc.for_actor(&li);
    let in_b = svc.for_actor(&bclerk);

    // List: each agency its own.
    let names = |l: &gongkai_service::Listing| -> Vec<String> {
        l.rows
            .iter()
            .map(|r| r.application.applicant.name.clone())
            .collect()
    };
    assert_eq!(
        names(&in_a.list(&ListFilter::default()).await.unwrap()),
        ["甲"]
    );
    let mut bn = names(&in_b.list(&ListFilter::default()).await.unwrap());
    bn.sort();
    assert_eq!(bn, ["丙", "乙"]);
    // Read, amend, review, export: B's id from A is not found.
    let e = in_a.application(&crafted, None).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let e = svc
        .append_event(
            &li,
            &crafted,
            EventDraft::complete(
                today(),
                EventKind::Decided {
                    decision: Decision::Granted,
                },
                None,
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let draft = gongkai_ledger::AmendDraft {
        applicant_name: Some("改名".into()),
        ..Default::default()
    };
    let e = svc
        .correct_application(&li, &crafted, &draft, "更正姓名", None)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let subject = ReviewSubject::Reply {
        application: crafted.clone(),
    };
    let e = svc
        .review_step(&li, &subject, ReviewAction::Submit, None)
        .await
        .unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::NotFound | ErrorKind::Invalid),
        "{e}"
    );
    let export = svc
        .export_ledger(&li, &ListFilter::default(), None, ExportFormat::Csv)
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&export.bytes).to_string();
    assert!(text.contains("甲") && !text.contains("乙") && !text.contains("丙"));
    // B's data in B is untouched; the user of both sees each ledger in its own agency.
    let detail = in_b.application(&crafted, None).await.unwrap();
    assert_eq!(detail.application.applicant.name, "丙");
    let a_of_zhu = svc
        .for_actor(&zhu_a)
        .list(&ListFilter::default())
        .await
        .unwrap();
    assert_eq!(names(&a_of_zhu), ["甲"]);
    let b_of_zhu = svc
        .for_actor(&zhu_b)
        .list(&ListFilter::default())
        .await
        .unwrap();
    assert_eq!(b_of_zhu.rows.len(), 2);
    // The year-end report of A counts A's applications only.
    let ye_a = in_a.official_year_end(day.year(), None).await.unwrap();
    let ye_b = in_b.official_year_end(day.year(), None).await.unwrap();
    let cell = |o: &gongkai_service::Official| o.year_end.report.get("s3.new_received.total");
    assert_eq!(cell(&ye_a), Some(gongkai_report::Value::int(1)));
    assert_eq!(cell(&ye_b), Some(gongkai_report::Value::int(2)));
}

/// A session works in the user's first agency until the switch (which remembers the new
/// one and is audited there); a switch to an agency where the user holds no ledger role,
/// or of someone else's session, is refused. A token works in the agency it was made for.
async fn sessions_and_tokens_work_in_one_agency(svc: &Service) {
    use gongkai_service::SeatChoice;
    let (li, _zhu, _wang) = office(svc).await;
    let admin = svc.actor("admin", Via::Cli).await.unwrap();
    let b = svc
        .add_agency(&admin, "local-1", "B", "某区某局", "县区")
        .await
        .unwrap();
    svc.grant_roles(&admin, "zhu", "B", &["clerk".into()])
        .await
        .unwrap();
    let store = svc.store();
    let ttl = chrono::Duration::hours(1);
    let now = chrono::Utc::now();
    let (token, session, user) = store
        .login("zhu", common::PASSWORD, ttl, now)
        .await
        .unwrap();
    assert_eq!(
        session.agency_id, None,
        "a new session: the user's first agency"
    );
    let seat = svc
        .seat(user.clone(), SeatChoice::Remembered(None))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seat.agency.id, 1);
    assert_eq!(seat.user.role, gongkai_store::Role::OfficeHead);
    assert_eq!(seat.agencies.len(), 2);

    // The switch: remembered, with the roles held there, audited in B.
    let zhu = svc.actor("zhu", Via::Web).await.unwrap();
    let to = svc.switch_agency(&zhu, &token, "B").await.unwrap();
    assert_eq!(to.id, b.id);
    let (session, user) = store
        .session_user(&token, ttl, chrono::Utc::now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(session.agency_id, Some(b.id));
    let seat = svc
        .seat(user.clone(), SeatChoice::Remembered(session.agency_id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (seat.agency.id, seat.user.roles()),
        (b.id, vec![gongkai_store::Role::Clerk])
    );
    let audit = store
        .in_agency(b.id)
        .audit(&gongkai_store::AuditQuery {
            action: Some("session.agency".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor, "zhu");

    // Refused: an agency where li holds no role (403), an unknown code (404), someone
    // else's session (404); the session stays where it was.
    let (li_token, _, _) = store.login("li", common::PASSWORD, ttl, now).await.unwrap();
    let e = svc.switch_agency(&li, &li_token, "B").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden, "{e}");
    let e = svc.switch_agency(&zhu, &token, "C").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    let e = svc.switch_agency(&li, &token, "local-1").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    let (session, _) = store
        .session_user(&li_token, ttl, chrono::Utc::now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(session.agency_id, None);
    // A remembered agency where the user lost its roles: back to the first one.
    svc.grant_roles(&admin, "zhu", "B", &[]).await.unwrap();
    let seat = svc
        .seat(user.clone(), SeatChoice::Remembered(Some(b.id)))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seat.agency.id, 1);
    assert!(
        svc.seat(user.clone(), SeatChoice::Only(b.id))
            .await
            .unwrap()
            .is_none()
    );

    // A token is made for the actor's agency and works there only.
    svc.grant_roles(&admin, "zhu", "B", &["clerk".into()])
        .await
        .unwrap();
    let zhu_b = svc.actor_in("zhu", Via::Cli, Some("B")).await.unwrap();
    let (secret, tok) = svc.create_token(&zhu_b, "脚本", None).await.unwrap();
    assert_eq!(tok.agency_id, Some(b.id));
    let e = svc
        .create_token(&li.clone().in_agency(b.id), "脚本", None)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden, "{e}");
    let in_b = svc.in_agency(b.id);
    let actor = in_b
        .authenticate_token(&secret, None, Via::Cli)
        .await
        .unwrap();
    assert_eq!(actor.agency(), b.id);
    let e = svc
        .authenticate_token(&secret, None, Via::Cli)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert!(e.to_string().contains("--agency B"), "{e}");
}
