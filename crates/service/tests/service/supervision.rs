//! The supervisor's live view (issue 18 §2) through the service, on both backends: a city
//! (C) with two counties (C1, C2) under the root, and an agency outside the city (X). The
//! roll-up equals the sum of each agency's own year-end; the kept figures are used until a
//! write to the agency invalidates them (in the writing transaction); applications at risk
//! carry their agency; an approved report is compared cell by cell with the ledger now;
//! only the supervisor of the node sees it, only its subtree, and never writes.

use super::*;
use gongkai_service::supervision::Overview;
use gongkai_service::supervision::export::SupervisionFormat;
use gongkai_store::Role;

on_both_backends!(the_supervisor_sees_its_subtree_live);

fn sum_row(o: &Overview, row: usize) -> i64 {
    o.table3[row].values[6]
}

/// The office (root), a city C with two counties C1 and C2 and a sibling city X; li, zhu
/// and wang serve C1, C2 and X too; `sup` supervises C and holds no ledger role. Returns
/// `sup`.
pub(super) async fn city_and_supervisor(svc: &Service) -> Actor {
    let (_li, _zhu, _wang) = office(svc).await;
    let admin = svc.actor("admin", Via::Cli).await.unwrap();
    for (parent, code, name, kind) in [
        ("local-1", "C", "某市人民政府办公室", "市"),
        ("C", "C1", "甲县人民政府办公室", "县区"),
        ("C", "C2", "乙县人民政府办公室", "县区"),
        ("local-1", "X", "丙市人民政府办公室", "市"),
    ] {
        svc.add_agency(&admin, parent, code, name, kind)
            .await
            .unwrap();
    }
    // li, zhu and wang serve C1, C2 and X too (信息员, 办公室主任, 分管领导).
    for code in ["C1", "C2", "X"] {
        for (u, r) in [("li", "clerk"), ("zhu", "office_head"), ("wang", "leader")] {
            svc.grant_roles(&admin, u, code, &[r.to_string()])
                .await
                .unwrap();
        }
    }
    // The supervisor holds `supervisor` on C and no ledger role anywhere.
    let u = gongkai_store::NewUser {
        name: "sup".into(),
        display_name: Some("市政务公开办".into()),
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
    Actor::authenticated("sup", None, Role::Clerk, Via::Web)
}

async fn the_supervisor_sees_its_subtree_live(svc: &Service) {
    let sup = city_and_supervisor(svc).await;
    let admin = svc.actor("admin", Via::Cli).await.unwrap();

    let year = today().year() - 1;
    let last_year = NaiveDate::from_ymd_opt(year, 12, 1).unwrap();
    let recent = today() - Duration::days(1);
    let li1 = svc.actor_in("li", Via::Cli, Some("C1")).await.unwrap();
    let li2 = svc.actor_in("li", Via::Cli, Some("C2")).await.unwrap();
    let lix = svc.actor_in("li", Via::Cli, Some("X")).await.unwrap();
    // C1: one application of last year (open: overdue now) and one received yesterday;
    // C2: one of last year; X (outside the city): one of last year.
    svc.register(&li1, new_application("甲", "A1", last_year, 1))
        .await
        .unwrap();
    svc.register(&li1, new_application("乙", "A2", recent, 1))
        .await
        .unwrap();
    svc.register(&li2, new_application("丙", "B1", last_year, 1))
        .await
        .unwrap();
    svc.register(&lix, new_application("丁", "X1", last_year, 1))
        .await
        .unwrap();

    // Only a supervisor of the node: li (no supervisor role) gets 403, the supervisor of C
    // cannot see the root, X, or an unknown code.
    let li = svc.actor("li", Via::Cli).await.unwrap();
    let e = svc
        .supervision(&li, None, Some(year), None)
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Forbidden, "not_supervisor")
    );
    for node in ["local-1", "X", "nonesuch"] {
        let e = svc
            .supervision(&sup, Some(node), Some(year), None)
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Forbidden, "{node}");
    }

    // The view of C: its subtree only, computed from the ledgers the first time.
    let o = svc
        .supervision(&sup, Some("C"), Some(year), Some(30))
        .await
        .unwrap();
    let codes: Vec<&str> = o.agencies.iter().map(|a| a.code.as_str()).collect();
    assert_eq!(codes, ["C", "C1", "C2"]);
    assert_eq!((o.cache.kept, o.cache.computed), (0, 3));
    // The roll-up equals the sum of each agency's own year-end, cell by cell.
    let mut own = vec![0i64; o.table3.len() * 7];
    for code in ["C", "C1", "C2"] {
        let a = svc.agency_by_code(code).await.unwrap();
        let ye = svc
            .in_agency(a.id)
            .official_year_end(year, None)
            .await
            .unwrap()
            .year_end;
        let f = gongkai_format::FormatVersion::Revised2021;
        for r in 0..o.table3.len() {
            for c in 0..7 {
                let i = gongkai_format::s3_cell_at(f, r, c).0 as usize;
                own[r * 7 + c] += ye.report.cells[i].and_then(|v| v.as_i64()).unwrap_or(0);
            }
        }
    }
    let summed: Vec<i64> = o.table3.iter().flat_map(|r| r.values.clone()).collect();
    assert_eq!(summed, own);
    assert_eq!(sum_row(&o, 0), 2, "一、本年新收: C1 and C2, not X");
    // At risk, across the counties, with their names: two overdue, one due soon.
    let risk: Vec<(&str, bool)> = o
        .at_risk
        .iter()
        .map(|r| (r.agency_code.as_str(), r.overdue))
        .collect();
    assert_eq!(risk.len(), 3, "{risk:?}");
    assert!(risk.contains(&("C1", true)) && risk.contains(&("C2", true)));
    assert!(risk.contains(&("C1", false)));
    assert!(o.at_risk.iter().all(|r| !r.agency_name.is_empty()));
    // With the default 5 working days, yesterday's application is not yet at risk.
    let o5 = svc
        .supervision(&sup, Some("C"), Some(year), None)
        .await
        .unwrap();
    assert_eq!(o5.at_risk.len(), 2);
    assert_eq!(
        (o5.cache.kept, o5.cache.computed),
        (3, 0),
        "kept figures reused"
    );
    // Both county reports are late (the deadline of last year's report is past).
    assert_eq!(o5.reports.late, 3);

    // C1 approves its report (submitted → 审核通过 → 批准), then records a late entry dated
    // last year: the approved report and the ledger now differ in 一、本年新收.
    let zhu1 = svc.actor_in("zhu", Via::Cli, Some("C1")).await.unwrap();
    let wang1 = svc.actor_in("wang", Via::Cli, Some("C1")).await.unwrap();
    let in_c1 = svc.for_actor(&li1);
    write_narrative(&in_c1, &li1, year).await;
    let subject = ReviewSubject::AnnualReport { year };
    in_c1
        .review_step(&li1, &subject, ReviewAction::Submit, None)
        .await
        .unwrap();
    in_c1.approve(&zhu1, &subject, None).await.unwrap();
    in_c1.approve(&wang1, &subject, None).await.unwrap();
    let o = svc
        .supervision(&sup, Some("C"), Some(year), None)
        .await
        .unwrap();
    assert_eq!(
        (o.cache.kept, o.cache.computed),
        (2, 1),
        "only C1 recomputed"
    );
    assert_eq!(o.reports.approved, 1);
    assert!(o.differences.is_empty(), "{:?}", o.differences);
    svc.register(&li1, new_application("戊", "A3", last_year, 1))
        .await
        .unwrap();
    let o = svc
        .supervision(&sup, Some("C"), Some(year), None)
        .await
        .unwrap();
    assert_eq!((o.cache.kept, o.cache.computed), (2, 1));
    assert_eq!(sum_row(&o, 0), 3, "the write is in the roll-up at once");
    assert_eq!(o.differences.len(), 1);
    let d = &o.differences[0];
    assert_eq!(d.agency_code, "C1");
    let cell = d
        .cells
        .iter()
        .find(|c| c.id == "s3.new_received.total")
        .expect("一、本年新收 总计 differs");
    assert_eq!(
        (
            cell.published.and_then(|v| v.as_i64()),
            cell.current.and_then(|v| v.as_i64())
        ),
        (Some(1), Some(2))
    );
    let c1 = o.agencies.iter().find(|a| a.code == "C1").unwrap();
    assert_eq!(c1.coverage, "逾期发布", "approved after 31 January");
    assert!(c1.differences > 0);
    // A county's own view is inside C's subtree.
    let o1 = svc
        .supervision(&sup, Some("C1"), Some(year), None)
        .await
        .unwrap();
    assert_eq!(o1.agencies.len(), 1);

    // The supervisor never writes to a ledger.
    let c1_id = svc.agency_by_code("C1").await.unwrap().id;
    let e = svc
        .register(
            &sup.clone().in_agency(c1_id),
            new_application("己", "A4", recent, 1),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);

    // Exports: XLSX, the HTML dashboard with SVG charts, JSON; each audited in the node.
    let x = svc
        .export_supervision(&sup, Some("C"), Some(year), None, SupervisionFormat::Xlsx)
        .await
        .unwrap();
    assert!(x.bytes.starts_with(b"PK"));
    let h = svc
        .export_supervision(&sup, Some("C"), Some(year), None, SupervisionFormat::Html)
        .await
        .unwrap();
    let html = String::from_utf8(h.bytes).unwrap();
    assert!(html.contains("<svg") && html.contains("甲县人民政府办公室"));
    let j = svc
        .export_supervision(&sup, Some("C"), Some(year), None, SupervisionFormat::Json)
        .await
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&j.bytes).unwrap();
    assert_eq!(v["agencies"].as_array().unwrap().len(), 3);

    // Rebuild: the platform administrator only; every agency's figures computed.
    let e = svc.rebuild_figures(&li, Some(year)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    let r = svc.rebuild_figures(&admin, Some(year)).await.unwrap();
    assert_eq!(r.agencies, 5);
    let o = svc
        .supervision(&sup, Some("C"), Some(year), None)
        .await
        .unwrap();
    assert_eq!((o.cache.kept, o.cache.computed), (3, 0));
}
