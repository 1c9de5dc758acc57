//! The supervisor's figures kept incrementally (issue 18 §3, migration 0020), on both
//! backends: after the first view computes each agency whole, a write moves only the
//! written agency's figures by the difference of the changed application's share (no
//! ledger read whole); a settings change or an approved report computes the agency whole
//! again. After every write the view equals (a) the sum of each agency's own year-end
//! computed from its ledger, cell by cell, and (b) the view after a rebuild from the
//! ledgers — at-risk lists, replies and late replies included.

use super::*;
use gongkai_service::supervision::Overview;
use gongkai_store::Role;

on_both_backends!(the_kept_figures_move_by_difference_and_equal_the_ledgers);

/// The view without how it was obtained.
fn shown(o: &Overview) -> serde_json::Value {
    let mut v = serde_json::to_value(o).unwrap();
    v.as_object_mut().unwrap().remove("cache");
    v
}

/// Table 三 and 四 of the view equal the sum of each agency's own year-end.
async fn equals_the_ledgers(svc: &Service, o: &Overview, year: i32) {
    let f = gongkai_format::FormatVersion::Revised2021;
    let mut own3 = vec![0i64; o.table3.len() * 7];
    let mut own4 = vec![0i64; o.table4.len() * 5];
    for line in &o.agencies {
        let ye = svc
            .in_agency(line.id)
            .official_year_end(year, None)
            .await
            .unwrap()
            .year_end;
        let v = |i: gongkai_format::CellIdx| {
            ye.report.cells[i.0 as usize]
                .and_then(|v| v.as_i64())
                .unwrap_or(0)
        };
        for r in 0..o.table3.len() {
            for c in 0..7 {
                own3[r * 7 + c] += v(gongkai_format::s3_cell_at(f, r, c));
            }
        }
        for g in 0..o.table4.len() {
            for c in 0..5 {
                own4[g * 5 + c] += v(gongkai_format::s4_cell_at(f, g, c));
            }
        }
    }
    let summed3: Vec<i64> = o.table3.iter().flat_map(|r| r.values.clone()).collect();
    let summed4: Vec<i64> = o.table4.iter().flat_map(|r| r.values.clone()).collect();
    assert_eq!(summed3, own3, "table 三");
    assert_eq!(summed4, own4, "table 四");
}

async fn the_kept_figures_move_by_difference_and_equal_the_ledgers(svc: &Service) {
    office(svc).await;
    let admin = svc.actor("admin", Via::Cli).await.unwrap();
    for (parent, code, name, kind) in [
        ("local-1", "C", "某市人民政府办公室", "市"),
        ("C", "C1", "甲县人民政府办公室", "县区"),
        ("C", "C2", "乙县人民政府办公室", "县区"),
    ] {
        svc.add_agency(&admin, parent, code, name, kind)
            .await
            .unwrap();
    }
    for code in ["C1", "C2"] {
        for (u, r) in [("li", "clerk"), ("zhu", "office_head"), ("admin", "admin")] {
            svc.grant_roles(&admin, u, code, &[r.to_string()])
                .await
                .unwrap();
        }
    }
    let u = gongkai_store::NewUser {
        name: "sup".into(),
        display_name: None,
        role: Role::Clerk,
        password: common::PASSWORD.into(),
    };
    svc.add_user(&admin, &u).await.unwrap();
    svc.grant_roles(&admin, "sup", "local-1", &[])
        .await
        .unwrap();
    svc.grant_roles(&admin, "sup", "C", &["supervisor".into()])
        .await
        .unwrap();
    let sup = Actor::authenticated("sup", None, Role::Clerk, Via::Web);

    // The current year, computed as of today: the date-dependent parts (overdue, at risk)
    // are in play.
    let year = today().year();
    let jan = NaiveDate::from_ymd_opt(year, 1, 2).unwrap();
    let last_year = NaiveDate::from_ymd_opt(year - 1, 11, 20).unwrap();
    let recent = (today() - Duration::days(3)).max(jan);
    let li1 = svc.actor_in("li", Via::Cli, Some("C1")).await.unwrap();
    let li2 = svc.actor_in("li", Via::Cli, Some("C2")).await.unwrap();
    let mut ids = Vec::new();
    for (who, name, n, on) in [
        (&li1, "甲", "A1", last_year),
        (&li1, "乙", "A2", jan),
        (&li1, "丙", "A3", recent),
        (&li2, "丁", "B1", last_year),
        (&li2, "戊", "B2", recent),
    ] {
        let r = svc
            .register(who, new_application(name, n, on, 1))
            .await
            .unwrap();
        ids.push(r.application.id.clone());
    }
    let view = || async {
        svc.supervision(&sup, Some("C"), Some(year), Some(30))
            .await
            .unwrap()
    };
    let o = view().await;
    assert_eq!((o.cache.kept, o.cache.computed, o.cache.updated), (0, 3, 0));
    equals_the_ledgers(svc, &o, year).await;
    assert!(o.at_risk.len() >= 2, "{:?}", o.at_risk);

    // Each write: only the written agency is brought up to date, by difference; the view
    // equals the ledgers and the view rebuilt from them.
    let in_c1 = svc.for_actor(&li1);
    let in_c2 = svc.for_actor(&li2);
    let mut checks = 0;
    for step in 0..5 {
        match step {
            0 => {
                svc.register(&li1, new_application("己", "A4", recent, 1))
                    .await
                    .unwrap();
            }
            1 => {
                let d = EventDraft::complete(recent, EventKind::Withdrawn { reason: None }, None);
                in_c1.append_event(&li1, &ids[0], d).await.unwrap();
            }
            2 => {
                let d = EventDraft::complete(
                    recent,
                    EventKind::Decided {
                        decision: Decision::Granted,
                    },
                    None,
                );
                in_c2.append_event(&li2, &ids[4], d).await.unwrap();
                let d = EventDraft::complete(recent, EventKind::Withdrawn { reason: None }, None);
                in_c2.append_event(&li2, &ids[3], d).await.unwrap();
            }
            3 => {
                let draft = AppealDraft {
                    id: None,
                    kind: AppealKind::Reconsideration,
                    filed_on: recent,
                    application: None,
                    role: Default::default(),
                    body: None,
                    case_number: None,
                    conclusion: None,
                };
                in_c1.add_appeal(&li1, draft).await.unwrap();
            }
            _ => {
                // Nothing the figures come from: a reply's review step (C2's B2 decided).
                let subject = ReviewSubject::Reply {
                    application: ids[4].clone(),
                };
                in_c2
                    .review_step(&li2, &subject, ReviewAction::Submit, None)
                    .await
                    .unwrap();
            }
        }
        let o = view().await;
        assert_eq!(
            (o.cache.kept, o.cache.computed, o.cache.updated),
            (2, 1, 1),
            "step {step}: one agency moved by difference"
        );
        equals_the_ledgers(svc, &o, year).await;
        let incremental = shown(&o);
        svc.rebuild_figures(&admin, Some(year)).await.unwrap();
        let whole = view().await;
        assert_eq!((whole.cache.kept, whole.cache.computed), (3, 0));
        assert_eq!(
            incremental,
            shown(&whole),
            "step {step}: by difference = whole"
        );
        checks += 1;
    }
    assert_eq!(checks, 5);
    let o = view().await;
    assert_eq!(o.table4[0].values[4], 1, "the appeal counted");

    // The settings of C2 change (every deadline may move): C2 computed whole.
    let admin2 = svc.actor_in("admin", Via::Cli, Some("C2")).await.unwrap();
    let in_c2a = svc.for_actor(&admin2);
    let mut v = in_c2a.office_view(&admin2).await.unwrap();
    v.settings.count_receipt_day = !v.settings.count_receipt_day;
    in_c2a.configure(&admin2, &v).await.unwrap();
    let o = view().await;
    assert_eq!((o.cache.kept, o.cache.computed, o.cache.updated), (2, 1, 0));
    equals_the_ledgers(svc, &o, year).await;
}
