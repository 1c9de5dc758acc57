use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at() -> DateTime<Utc> {
    "2025-01-01T00:00:00Z".parse().unwrap()
}

fn item(id: &str, formed: &str) -> ItemFacts {
    ItemFacts {
        id: id.into(),
        index_number: format!("000-{id}"),
        title: format!("文件{id}"),
        formed_on: d(formed),
        proactive: true,
        validity: None,
        publications: Vec::new(),
        corrected_on: Vec::new(),
        withdrawn_on: None,
        registered_at: at(),
        recorded: Recorded::default(),
    }
}

fn doc(id: &str, formed: &str, status: ValidityStatus, ended: Option<&str>) -> ItemFacts {
    ItemFacts {
        validity: Some(Validity {
            kind: DocumentKind::NormativeDocument,
            status,
            effective_on: None,
            ended_on: ended.map(d),
        }),
        ..item(id, formed)
    }
}

fn publ(outlet: Outlet, account: &str, on: &str) -> Publication {
    Publication {
        outlet,
        account: account.into(),
        published_on: d(on),
        url: None,
    }
}

fn facts(items: &[ItemFacts]) -> Vec<DocumentFact> {
    items.iter().filter_map(DocumentFact::from_item).collect()
}

#[test]
fn documents_issued_repealed_expired_and_in_force() {
    use ValidityStatus::*;
    let items = vec![
        doc("a", "2023-05-01", Effective, None),
        doc("b", "2024-02-01", Repealed, Some("2025-03-01")),
        doc("c", "2024-03-01", Expired, Some("2025-04-01")),
        doc("d", "2025-06-01", Effective, None),
        doc("e", "2025-07-01", Repealed, Some("2025-09-01")),
        // Withdrawn in 2025: out of force from then, not a repeal.
        ItemFacts {
            withdrawn_on: Some(d("2025-08-01")),
            ..doc("f", "2024-08-01", Effective, None)
        },
        // Repealed after the year: in force at its end.
        doc("g", "2024-01-10", Repealed, Some("2026-01-05")),
        // No validity: not a document.
        item("h", "2025-01-02"),
    ];
    let f = count_documents(&facts(&items), 2025, d("2025-12-31"), None);
    assert_eq!(f.rows[0], [0, 0, 0]);
    assert_eq!(
        f.rows[1],
        [2, 2, 3],
        "issued d e; repealed b e; in force a d g"
    );
    assert_eq!(f.other_end_counts()[1], [1, 1]);
    assert_eq!(
        other_ends_sentence(f.other_end_counts()),
        "本年度另有行政规范性文件失效（未经废止）1件、行政规范性文件撤稿1件，现行有效件数相应减少。"
    );
    let prev = count_documents(&facts(&items), 2024, d("2024-12-31"), None);
    assert_eq!(prev.rows[1], [4, 0, 5]);
    // 3 ≠ 5 + 2 − 2: the expired and the withdrawn explain it.
    let found = continuity(2025, &f, &prev, None);
    assert_eq!(found.len(), 1);
    let m = &found[0].message_zh;
    assert!(
        m.contains("现行有效件数（3）不等于上年现行有效 5 + 本年制发 2 − 本年废止 2 = 5，相差 -2"),
        "{m}"
    );
    assert!(m.contains("本年失效（未经废止）1件：000-c《文件c》"), "{m}");
    assert!(m.contains("本年撤稿1件：000-f《文件f》"), "{m}");
    assert_eq!(found[0].cells[0], "s2.normative_documents.in_force");
    // As of mid-year: only what happened by then.
    let mid = count_documents(&facts(&items), 2025, d("2025-06-30"), None);
    assert_eq!(mid.rows[1], [1, 1, 4]);
}

#[test]
fn a_consistent_register_has_no_finding_and_a_late_entry_is_named() {
    use ValidityStatus::*;
    let items = vec![
        doc("a", "2023-05-01", Effective, None),
        doc("b", "2024-02-01", Repealed, Some("2025-03-01")),
        doc("d", "2025-06-01", Effective, None),
    ];
    let cur = count_documents(&facts(&items), 2025, d("2025-12-31"), None);
    let prev = count_documents(&facts(&items), 2024, d("2024-12-31"), None);
    assert!(continuity(2025, &cur, &prev, None).is_empty());
    // The 2024 report said 1 in force: a 2024 document was registered after it.
    let found = continuity(2025, &cur, &prev, Some([0, 1]));
    assert_eq!(found.len(), 1);
    assert!(
        found[0]
            .message_zh
            .contains("2024 年度报告所列现行有效 1 件，按登记簿现为 2 件"),
        "{}",
        found[0].message_zh
    );
    assert!(other_ends_sentence(cur.other_end_counts()).is_empty());
}

#[test]
fn opening_balances_carry_the_in_force_count() {
    use ValidityStatus::*;
    let opening = Opening {
        year: 2023,
        carried_forward: [0; 7],
        in_force: [2, 30],
        source: String::new(),
    };
    let items = vec![
        // Before the opening year: part of the 30, ended in 2025.
        doc("old", "2020-05-01", Expired, Some("2025-02-01")),
        doc("new", "2024-05-01", Effective, None),
        doc("gone", "2024-05-01", Repealed, Some("2025-05-01")),
    ];
    let f = count_documents(&facts(&items), 2025, d("2025-12-31"), Some(&opening));
    assert_eq!(f.rows[1], [0, 1, 30], "30 + new − old");
    assert!(f.notes.iter().any(|n| n.contains("期初数")));
    // The opening year itself is not rebased.
    let f = count_documents(&facts(&items), 2023, d("2023-12-31"), Some(&opening));
    assert_eq!(f.rows[1][2], 1);
}

#[test]
fn the_proactive_paragraph_counts_channels_accounts_and_the_clock() {
    let cal = Calendar::builtin();
    let mut a = item("a", "2025-03-03");
    a.publications = vec![
        publ(Outlet::Website, "", "2025-03-04"),
        publ(Outlet::NewMedia, "某某发布", "2025-03-05"),
    ];
    let mut b = item("b", "2025-03-03");
    // Late: due 2025-03-31.
    b.publications = vec![publ(Outlet::Website, "", "2025-04-15")];
    b.corrected_on = vec![d("2025-04-20"), d("2025-05-01")];
    let mut c = item("c", "2025-05-06");
    c.publications = vec![
        publ(Outlet::NewMedia, "某某微博", "2025-05-07"),
        publ(Outlet::NewMedia, "某某发布", "2025-05-07"),
        publ(Outlet::NewMedia, "某某发布", "2025-05-08"),
    ];
    c.withdrawn_on = Some(d("2025-06-01"));
    // Published in 2024 first: on the website in 2025 again, not first published.
    let mut e = item("e", "2024-12-20");
    e.publications = vec![
        publ(Outlet::Gazette, "", "2024-12-24"),
        publ(Outlet::Website, "", "2025-01-03"),
    ];
    // Not published and overdue; a withheld one has no clock.
    let f_ = item("f", "2025-10-09");
    let g = ItemFacts {
        proactive: false,
        ..item("g", "2025-01-02")
    };
    let items = [a, b, c, e, f_, g];
    let f = proactive_figures(&items, 2025, d("2025-12-31"), cal);
    assert_eq!(f.published, 4);
    assert_eq!(f.outlet_total(Outlet::Website), 3);
    assert_eq!(f.outlet_total(Outlet::NewMedia), 3);
    assert_eq!(f.outlet_total(Outlet::Gazette), 0);
    assert_eq!(
        f.by_outlet
            .iter()
            .map(|c| (c.account.as_str(), c.items))
            .collect::<Vec<_>>(),
        vec![("", 3), ("某某发布", 2), ("某某微博", 1)]
    );
    assert_eq!((f.first_published, f.on_time), (3, 2));
    assert_eq!(f.overdue_open, 1);
    assert_eq!((f.corrected_items, f.corrections, f.withdrawn), (1, 2, 1));
    let p = proactive_paragraph(2025, &f);
    assert_eq!(
        p,
        "本年度主动公开政府信息4条，其中通过政府网站发布3条，通过政务新媒体发布3条（“某某发布”2条、“某某微博”1条）（同一条信息通过多个渠道发布的，分别计入各渠道）。本年度首次公开的3条信息中，2条在生成之日起20个工作日内公开，按时公开率66.7%。截至年度统计期末，尚有1条应主动公开的信息超过20个工作日未公开。本年度更正已公开信息1条（2次），撤回已公开信息1条。"
    );
    // As of 2025-03-31 (a live report in March): only a was published.
    let f = proactive_figures(&items, 2025, d("2025-03-31"), cal);
    assert_eq!((f.published, f.first_published, f.on_time), (2, 1, 1));
    assert_eq!(f.overdue_open, 0, "b is due on 03-31 itself");
}

#[test]
fn an_empty_register_says_so_and_percentages_round() {
    let f = ProactiveFigures::default();
    assert_eq!(
        proactive_paragraph(2025, &f),
        "2025年，主动公开登记中没有本年度发布的政府信息。"
    );
    assert_eq!(percent(None), "—");
    assert_eq!(percent(Some(1.0)), "100.0%");
    assert_eq!(percent(Some(0.98456)), "98.5%");
}

#[test]
fn the_rule_is_in_the_catalogue_form() {
    assert!(gongkai_report::rule::catalogue_problems(rules()).is_empty());
}

#[test]
fn as_known_leaves_out_what_was_recorded_later() {
    let t = |s: &str| -> DateTime<Utc> { s.parse().unwrap() };
    let mut a = item("a", "2025-03-03");
    a.publications = vec![
        publ(Outlet::Website, "", "2025-03-04"),
        publ(Outlet::Gazette, "", "2025-03-20"),
    ];
    a.corrected_on = vec![d("2025-04-01")];
    a.withdrawn_on = Some(d("2025-05-01"));
    a.recorded = Recorded {
        publications: vec![t("2025-03-04T02:00:00Z"), t("2025-06-01T02:00:00Z")],
        corrections: vec![t("2025-04-01T02:00:00Z")],
        withdrawal: Some(t("2025-05-01T02:00:00Z")),
        ..Recorded::default()
    };
    let k = a.as_known(Some(t("2025-04-15T00:00:00Z"))).unwrap();
    assert_eq!(k.publications.len(), 1);
    assert_eq!(k.corrected_on.len(), 1);
    assert_eq!(k.withdrawn_on, None);
    assert_eq!(a.as_known(None).unwrap(), a);
    assert!(a.as_known(Some(t("2024-12-31T00:00:00Z"))).is_none());
}

/// Section 二 as of 31 December of the report year, from the validity dates, whatever the
/// documents' status today (issue 16 §3).
#[test]
fn section_two_counts_the_documents_as_of_the_years_end() {
    use ValidityStatus::*;
    let t = |s: &str| -> DateTime<Utc> { s.parse().unwrap() };
    let items = vec![
        // Repealed next year: in force at the end of 2025, repealed in 2026.
        doc("next", "2024-03-01", Repealed, Some("2026-02-10")),
        // Repealed this year.
        doc("this", "2023-03-01", Repealed, Some("2025-07-01")),
        // Expired this year: out of force, not repealed.
        doc("exp", "2022-03-01", Expired, Some("2025-09-30")),
        // Issued in December 2025, in effect from 1 February 2026.
        ItemFacts {
            validity: Some(Validity {
                kind: DocumentKind::NormativeDocument,
                status: Effective,
                effective_on: Some(d("2026-02-01")),
                ended_on: None,
            }),
            ..item("late", "2025-12-15")
        },
        doc("plain", "2025-04-01", Effective, None),
    ];
    let y25 = count_documents(&facts(&items), 2025, d("2025-12-31"), None);
    assert_eq!(
        y25.rows[1],
        [2, 1, 2],
        "issued late plain; repealed this; in force next plain"
    );
    assert_eq!(y25.commencement_counts()[1], [1, 0]);
    assert_eq!(y25.other_end_counts()[1], [1, 0]);
    assert_eq!(
        commencement_sentence(y25.commencement_counts()),
        "本年制发的行政规范性文件中有1件至年底尚未施行，未计入现行有效件数。"
    );
    let y24 = count_documents(&facts(&items), 2024, d("2024-12-31"), None);
    assert_eq!(y24.rows[1], [1, 0, 3]);
    // 2 = 3 + 2 − 1 − 1 (expired) − 1 (not yet in effect).
    let found = continuity(2025, &y25, &y24, None);
    let m = &found[0].message_zh;
    assert!(m.contains("本年失效（未经废止）1件：000-exp"), "{m}");
    assert!(m.contains("本年制发、期末尚未施行1件：000-late"), "{m}");
    let y26 = count_documents(&facts(&items), 2026, d("2026-12-31"), None);
    assert_eq!(y26.rows[1], [0, 1, 2], "repealed next; in force late plain");
    assert_eq!(y26.commencement_counts()[1], [0, 1]);
    let m = &continuity(2026, &y26, &y25, None)[0].message_zh;
    assert!(m.contains("以前年度制发、本年施行1件：000-late"), "{m}");

    // A corrected validity: recorded in March 2026 that "this" was repealed only in 2026,
    // after the 2025 report was submitted in January. The report as frozen keeps what was
    // recorded then; the register as now counts the corrected dates.
    let mut corrected = doc("this", "2023-03-01", Repealed, Some("2026-01-20"));
    let was = items[1].validity.clone();
    let now = corrected.validity.clone();
    corrected.recorded.validity = vec![
        (
            t("2023-03-02T02:00:00Z"),
            Some(Validity {
                status: Effective,
                ended_on: None,
                ..now.clone().unwrap()
            }),
        ),
        (t("2025-07-02T02:00:00Z"), was),
        (t("2026-03-01T02:00:00Z"), now),
    ];
    let mut register = items.clone();
    register[1] = corrected;
    let frozen: Vec<ItemFacts> = register
        .iter()
        .filter_map(|i| i.as_known(Some(t("2026-01-20T08:00:00Z"))))
        .collect();
    assert_eq!(
        count_documents(&facts(&frozen), 2025, d("2025-12-31"), None).rows,
        y25.rows,
        "the frozen report does not change"
    );
    let live = count_documents(&facts(&register), 2025, d("2025-12-31"), None);
    assert_eq!(live.rows[1], [2, 0, 3]);
    // Before its repeal was recorded, the document was in force in the frozen view.
    let early: Vec<ItemFacts> = register
        .iter()
        .filter_map(|i| i.as_known(Some(t("2025-06-30T00:00:00Z"))))
        .collect();
    assert_eq!(
        count_documents(&facts(&early), 2025, d("2025-06-30"), None).rows[1],
        [1, 0, 4]
    );
}
