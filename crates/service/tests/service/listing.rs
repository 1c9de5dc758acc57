//! The list: search, year, open/closed, overdue and paging in the store's query, on both
//! backends.

use super::*;

on_both_backends!(the_list_searches_filters_and_pages);

fn app(name: &str, id_number: &str, description: &str, received: NaiveDate) -> NewApplication {
    let mut a = new_application(name, id_number, received, 1);
    a.request.description = description.into();
    a
}

async fn the_list_searches_filters_and_pages(svc: &Service) {
    let (li, zhu, wang) = office(svc).await;
    let now = today();
    let long_ago = now - Duration::days(400);
    let recent = now - Duration::days(3);
    let mut ids = Vec::new();
    for (name, desc, day) in [
        ("王五", "2024年度道路改造工程的招标文件", long_ago),
        ("赵六", "某小区规划许可 ABC", long_ago),
        ("钱七", "道路养护合同", long_ago),
        ("孙八", "50%_工程预算", recent),
        ("周九", "某项目环评", recent),
    ] {
        let r = svc
            .register(&li, app(name, "410702199001011234", desc, day))
            .await
            .unwrap();
        ids.push(r.application.id);
    }
    // 王五 replied 10 days after receipt, 钱七 withdrawn 20 days after: both closed.
    let complete = EventDraft::complete;
    for (i, decided, closed, kind) in [
        (
            0,
            Some(long_ago + Duration::days(5)),
            long_ago + Duration::days(10),
            EventKind::ReplySent {
                method: gongkai_ledger::ReplyMethod::Post,
            },
        ),
        (
            2,
            None,
            long_ago + Duration::days(20),
            EventKind::Withdrawn { reason: None },
        ),
    ] {
        if let Some(d) = decided {
            let decision = EventKind::Decided {
                decision: Decision::Granted,
            };
            svc.append_event(&li, &ids[i], complete(d, decision, None))
                .await
                .unwrap();
        }
        if matches!(kind, EventKind::ReplySent { .. }) {
            approve_reply(svc, (&li, &zhu, &wang), &ids[i]).await;
        }
        svc.append_event(&li, &ids[i], complete(closed, kind, None))
            .await
            .unwrap();
    }
    let names = |rows: &[gongkai_service::Listed]| -> Vec<String> {
        rows.iter()
            .map(|r| r.application.applicant.name.clone())
            .collect()
    };
    let list = |f: ListFilter| async move { svc.list(&f).await.unwrap() };
    // Open by default: by deadline (赵六, received long ago, first).
    let open = list(ListFilter::default()).await;
    assert_eq!(names(&open.rows), ["赵六", "孙八", "周九"]);
    assert_eq!(open.total, 3);
    // Closed: the latest closed first, with their closing dates.
    let closed = list(ListFilter {
        status: ListStatus::Closed,
        ..ListFilter::default()
    })
    .await;
    assert_eq!(names(&closed.rows), ["钱七", "王五"]);
    assert_eq!(
        closed.rows[1].state.closed_on,
        Some(long_ago + Duration::days(10))
    );
    // Search: applicant, number, request text; every word; LIKE characters literal;
    // Latin case-insensitive.
    let search = |q: &str| ListFilter {
        status: ListStatus::All,
        search: Some(q.into()),
        ..ListFilter::default()
    };
    assert_eq!(names(&list(search("道路")).await.rows), ["钱七", "王五"]);
    assert_eq!(names(&list(search("道路 招标")).await.rows), ["王五"]);
    assert_eq!(names(&list(search("周九")).await.rows), ["周九"]);
    assert_eq!(names(&list(search(&ids[3].0)).await.rows), ["孙八"]);
    assert_eq!(names(&list(search("50%_")).await.rows), ["孙八"]);
    assert_eq!(list(search("5%")).await.total, 0);
    assert_eq!(names(&list(search("abc")).await.rows), ["赵六"]);
    // Year of receipt.
    let by_year = |y: i32| ListFilter {
        status: ListStatus::All,
        year: Some(y),
        ..ListFilter::default()
    };
    let old = list(by_year(long_ago.year())).await;
    if long_ago.year() != recent.year() {
        assert_eq!(old.total, 3);
        assert_eq!(names(&old.rows), ["赵六", "钱七", "王五"]);
    }
    assert_eq!(list(by_year(1999)).await.total, 0);
    // Overdue: 赵六 only (open and long past the deadline); none among the closed.
    let overdue = list(ListFilter {
        status: ListStatus::All,
        overdue: true,
        ..ListFilter::default()
    })
    .await;
    assert_eq!(names(&overdue.rows), ["赵六"]);
    // Paging over open then closed: the pages put together are the whole list.
    let whole = list(ListFilter::all()).await;
    assert_eq!(names(&whole.rows), ["赵六", "孙八", "周九", "钱七", "王五"]);
    let mut paged = Vec::new();
    for page in 0..3 {
        let p = list(ListFilter {
            status: ListStatus::All,
            offset: page * 2,
            limit: Some(2),
            ..ListFilter::default()
        })
        .await;
        assert_eq!(p.total, 5);
        assert!(p.rows.len() <= 2);
        paged.extend(names(&p.rows));
    }
    assert_eq!(paged, names(&whole.rows));
    // A closed page alone is cut in the query.
    let p = list(ListFilter {
        status: ListStatus::Closed,
        offset: 1,
        limit: Some(1),
        ..ListFilter::default()
    })
    .await;
    assert_eq!((p.total, names(&p.rows)), (2, vec!["王五".to_string()]));
    // The store's query alone: the events come with the page.
    let page = svc
        .store()
        .list_applications(&gongkai_store::ApplicationQuery {
            closed: Some(true),
            limit: Some(1),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.total, 2);
    assert_eq!(page.applications[0].events.len(), 2);
}
