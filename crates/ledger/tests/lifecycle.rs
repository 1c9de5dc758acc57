//! Acceptance: a lifecycle for every decision type, from receipt to the row of table 三 it
//! is counted in; and the errors the ledger gives for impossible or unlawful input.

use chrono::NaiveDate;
use gongkai_check::{Severity, check};
use gongkai_ledger::{
    AppealCase, AppealConclusion, AppealKind, AppealResult, Applicant, ApplicantKind, Application,
    ApplicationId, Calendar, CaseRole, Channel, Closure, ConsultationKind, Contact, Context,
    Decision, EventKind, FeeBasis, IdDocument, Identity, InformationRequest, Ledger, LedgerError,
    NewEvent, Notice, ReplyMethod, Settings, Stage, YearEndOptions, fees,
};
use gongkai_report::Value;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const TODAY: &str = "2025-12-31";

fn ctx() -> Context<'static> {
    Context::new(Calendar::builtin(), Settings::default(), d(TODAY))
}

fn applicant(kind: ApplicantKind, id: &str) -> Applicant {
    Applicant {
        kind,
        name: format!("申请人{id}"),
        identity: Some(Identity {
            document: IdDocument::ResidentIdCard,
            number: id.into(),
        }),
        contact: Contact {
            email: Some("a@example.com".into()),
            ..Contact::default()
        },
        representative: None,
    }
}

fn request() -> InformationRequest {
    InformationRequest {
        description: "某道路改造工程的立项批复".into(),
        document_number: None,
        form: Default::default(),
        delivery: Default::default(),
        fee_units: 1,
    }
}

fn ev(date: &str, kind: EventKind) -> NewEvent {
    NewEvent::on(d(date), kind)
}

fn received(date: &str) -> NewEvent {
    ev(
        date,
        EventKind::Received {
            channel: Channel::Online {
                submitted_on: d(date),
            },
        },
    )
}

fn decided(date: &str, decision: Decision) -> NewEvent {
    ev(date, EventKind::Decided { decision })
}

fn reply(date: &str) -> NewEvent {
    ev(
        date,
        EventKind::ReplySent {
            method: ReplyMethod::Post,
        },
    )
}

/// The events that lead to `decision` for an application received on 2025-03-03.
fn path(decision: Decision) -> Vec<NewEvent> {
    let mut v = vec![received("2025-03-03")];
    match decision {
        Decision::DeniedThirdParty => {
            v.push(ev(
                "2025-03-05",
                EventKind::ConsultationSent {
                    consultation: ConsultationKind::ThirdParty,
                    party: "某公司".into(),
                },
            ));
            v.push(ev(
                "2025-03-12",
                EventKind::ConsultationAnswered {
                    consultation_seq: 2,
                    consents: Some(false),
                },
            ));
            v.push(decided("2025-03-20", decision));
            v.push(reply("2025-03-21"));
        }
        Decision::UnableUnclearAfterCorrection => {
            v.push(ev(
                "2025-03-05",
                EventKind::CorrectionRequested {
                    items: "请说明所需信息的具体内容".into(),
                    due: d("2025-03-14"),
                },
            ));
            v.push(ev("2025-03-10", EventKind::Corrected));
            v.push(decided("2025-03-28", decision));
            v.push(reply("2025-03-28"));
        }
        Decision::OtherNoCorrection => {
            v.push(ev(
                "2025-03-05",
                EventKind::CorrectionRequested {
                    items: "请提供身份证明".into(),
                    due: d("2025-03-14"),
                },
            ));
            v.push(ev("2025-03-17", EventKind::NotCorrected));
        }
        Decision::OtherUnpaidFee => {
            let basis = FeeBasis::PerVolume { pages: 2219 };
            v.push(decided("2025-03-10", Decision::Granted));
            v.push(ev(
                "2025-03-10",
                EventKind::FeeNoticeSent {
                    basis,
                    amount: fees::quote(basis).total,
                    received_by_applicant_on: Some(d("2025-03-11")),
                },
            ));
            // 20 working days from Mar 12: Apr 9 (Apr 4 is 清明). Not paid by then.
            v.push(ev("2025-04-10", EventKind::FeeNotPaid));
        }
        Decision::OtherOther => {
            v.push(ev(
                "2025-03-06",
                EventKind::Withdrawn {
                    reason: Some("申请人书面撤回".into()),
                },
            ));
        }
        Decision::RejectedMassRepeated => {
            v.push(ev(
                "2025-03-10",
                EventKind::DelayedReplyNotice {
                    deadline: d("2025-05-30"),
                    reason: "申请人说明理由后仍需较长时间".into(),
                },
            ));
            v.push(decided("2025-05-20", decision));
            v.push(reply("2025-05-21"));
        }
        Decision::Granted => {
            let basis = FeeBasis::PerVolume { pages: 45 };
            let amount = fees::quote(basis).total;
            v.push(decided("2025-03-10", decision));
            v.push(ev(
                "2025-03-10",
                EventKind::FeeNoticeSent {
                    basis,
                    amount,
                    received_by_applicant_on: None,
                },
            ));
            v.push(ev("2025-03-13", EventKind::FeePaid { amount }));
            v.push(reply("2025-03-14"));
        }
        _ => {
            v.push(decided("2025-03-20", decision));
            v.push(reply("2025-03-21"));
        }
    }
    v
}

#[test]
fn every_decision_type_has_a_lifecycle_and_lands_in_its_row() {
    let cal = Calendar::builtin();
    let mut ledger = Ledger::new("某区某局");
    for (i, decision) in Decision::ALL.iter().enumerate() {
        let kind = ApplicantKind::ALL[i % 6];
        let id = ApplicationId(format!("2025-{i:03}"));
        ledger
            .add_application(
                Application::new(id.clone(), applicant(kind, &format!("ID{i}")), request())
                    .unwrap(),
                &ctx(),
            )
            .unwrap();
        for e in path(*decision) {
            ledger
                .append(&id, e, &ctx())
                .unwrap_or_else(|err| panic!("{decision:?}: {err}"));
        }
        let app = ledger.application(&id).unwrap();
        let s = app.state_at(d(TODAY), cal, Settings::default());
        assert_eq!(s.stage, Stage::Closed, "{decision:?}");
        assert_eq!(s.outcome(), Some(*decision), "{decision:?}");
        assert!(s.invalid_events.is_empty());
        let closure = match decision {
            Decision::OtherNoCorrection => Closure::NotCorrected,
            Decision::OtherUnpaidFee => Closure::FeeNotPaid,
            Decision::OtherOther => Closure::Withdrawn,
            _ => Closure::Replied,
        };
        assert_eq!(s.closure, Some(closure), "{decision:?}");
        assert!(!s.replied_late, "{decision:?}: {:?}", s.notices);
        // Before the first event after receipt the application is open.
        let early = app.state_at(d("2025-03-03"), cal, Settings::default());
        assert!(early.is_open());
        assert_eq!(early.outcome(), None);
    }
    let ye = ledger.year_end(YearEndOptions::year(2025), cal, Settings::default());
    for (i, decision) in Decision::ALL.iter().enumerate() {
        let col = ApplicantKind::ALL[i % 6].column_key();
        let id = format!("s3.{}.{col}", decision.row_key());
        assert_eq!(ye.report.get(&id), Some(Value::int(1)), "{id}");
        assert_eq!(
            ye.report.get(&format!("s3.{}.total", decision.row_key())),
            Some(Value::int(1))
        );
    }
    assert_eq!(
        ye.report.get("s3.results_total.total"),
        Some(Value::int(21))
    );
    assert_eq!(ye.report.get("s3.new_received.total"), Some(Value::int(21)));
    assert_eq!(
        ye.report.get("s3.carried_forward.total"),
        Some(Value::int(0))
    );
    let errors: Vec<_> = check(&ye.report)
        .into_iter()
        // Not the drafts' 【…】 fill-in markers (TXT005): the office writes those.
        .filter(|f| f.severity == Severity::Error && f.code != "TXT005")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(ye.figures.processing_fees_yuan.to_string(), "150");
    assert!(
        ye.report.sections[5].text.contains("收取信息处理费150元"),
        "{}",
        ye.report.sections[5].text
    );
}

/// A decision without a sent reply is carried forward; the reply in the next year counts
/// there.
#[test]
fn decided_but_not_replied_is_carried_forward() {
    let cal = Calendar::builtin();
    let ctx = Context::new(cal, Settings::default(), d("2026-01-31"));
    let mut ledger = Ledger::new("某局");
    let id = ApplicationId::from("X");
    ledger
        .add_application(
            Application::new(
                id.clone(),
                applicant(ApplicantKind::Research, "R1"),
                request(),
            )
            .unwrap(),
            &ctx,
        )
        .unwrap();
    ledger.append(&id, received("2025-12-10"), &ctx).unwrap();
    ledger
        .append(&id, decided("2025-12-30", Decision::UnableNotHeld), &ctx)
        .unwrap();
    let y25 = ledger.year_end(YearEndOptions::year(2025), cal, Settings::default());
    assert_eq!(
        y25.report.get("s3.carried_forward.research"),
        Some(Value::int(1))
    );
    assert_eq!(y25.carried_forward, std::slice::from_ref(&id));
    ledger.append(&id, reply("2026-01-05"), &ctx).unwrap();
    let y26 = ledger.year_end(
        YearEndOptions {
            as_of: d("2026-01-31"),
            ..YearEndOptions::year(2026)
        },
        cal,
        Settings::default(),
    );
    assert_eq!(
        y26.report.get("s3.carried_over.research"),
        Some(Value::int(1))
    );
    assert_eq!(
        y26.report.get("s3.unable_not_held.research"),
        Some(Value::int(1))
    );
    // The 2025 report computed again is unchanged by the 2026 reply.
    let again = ledger.year_end(YearEndOptions::year(2025), cal, Settings::default());
    assert_eq!(again.report, y25.report);
    // A late entry: an event dated 2025 but recorded in 2026 is hidden from the report as
    // it was known on 2025-12-31.
    let mut late = ledger.clone();
    let id2 = ApplicationId::from("Y");
    late.add_application(
        Application::new(
            id2.clone(),
            applicant(ApplicantKind::NaturalPerson, "P"),
            request(),
        )
        .unwrap(),
        &ctx,
    )
    .unwrap();
    late.append(
        &id2,
        received("2025-12-29").recorded(
            d("2026-01-04").and_hms_opt(9, 0, 0).unwrap().and_utc(),
            "信息员",
        ),
        &ctx,
    )
    .unwrap();
    let known = late.year_end(
        YearEndOptions {
            known_by: Some(d("2025-12-31").and_hms_opt(23, 59, 59).unwrap().and_utc()),
            ..YearEndOptions::year(2025)
        },
        cal,
        Settings::default(),
    );
    assert_eq!(known.report, y25.report);
    let now = late.year_end(YearEndOptions::year(2025), cal, Settings::default());
    assert_eq!(now.report.get("s3.new_received.total"), Some(Value::int(2)));
}

fn one(events: &[NewEvent]) -> Result<Application, LedgerError> {
    let mut app = Application::new(
        ApplicationId::from("E"),
        applicant(ApplicantKind::NaturalPerson, "E"),
        request(),
    )
    .unwrap();
    for e in events {
        app.append(e.clone(), &ctx())?;
    }
    Ok(app)
}

fn err(events: &[NewEvent]) -> LedgerError {
    one(events).expect_err("must be refused")
}

#[test]
fn impossible_or_unlawful_input_is_refused_with_a_chinese_message() {
    let cases: Vec<(Vec<NewEvent>, &str, &str)> = vec![
        (vec![received("2026-01-05")], "future_date", "晚于今天"),
        (
            vec![received("2025-03-03"), reply("2025-03-01")],
            "before_receipt",
            "早于收到申请的日期",
        ),
        (
            vec![decided("2025-03-03", Decision::Granted)],
            "not_received",
            "尚未登记收到",
        ),
        (
            vec![received("2025-03-03"), reply("2025-03-10")],
            "no_decision",
            "尚未作出答复结论",
        ),
        (
            vec![
                received("2025-03-03"),
                ev(
                    "2025-03-04",
                    EventKind::CorrectionRequested {
                        items: "a".into(),
                        due: d("2025-03-10"),
                    },
                ),
                ev("2025-03-05", EventKind::Corrected),
                ev(
                    "2025-03-06",
                    EventKind::CorrectionRequested {
                        items: "b".into(),
                        due: d("2025-03-12"),
                    },
                ),
            ],
            "second_correction_request",
            "一次性告知",
        ),
        (
            vec![
                received("2025-03-03"),
                ev(
                    "2025-03-20",
                    EventKind::Extended {
                        days: 25,
                        approved_by: "主任".into(),
                        applicant_notified_on: d("2025-03-20"),
                    },
                ),
            ],
            "extension_too_long",
            "最长20个工作日",
        ),
        (
            vec![
                received("2025-03-03"),
                ev(
                    "2025-03-20",
                    EventKind::Extended {
                        days: 10,
                        approved_by: "主任".into(),
                        applicant_notified_on: d("2025-03-20"),
                    },
                ),
                ev(
                    "2025-03-25",
                    EventKind::Extended {
                        days: 10,
                        approved_by: "主任".into(),
                        applicant_notified_on: d("2025-03-25"),
                    },
                ),
            ],
            "second_extension",
            "延长过一次",
        ),
        (
            vec![
                received("2025-03-03"),
                ev(
                    "2025-03-20",
                    EventKind::Extended {
                        days: 10,
                        approved_by: " ".into(),
                        applicant_notified_on: d("2025-03-20"),
                    },
                ),
            ],
            "empty_field",
            "负责人",
        ),
        (
            vec![
                received("2025-03-03"),
                decided("2025-03-10", Decision::Granted),
                reply("2025-03-11"),
                decided("2025-03-12", Decision::Granted),
            ],
            "after_closing",
            "已于 2025年3月11日 办结（已答复）",
        ),
        (
            vec![
                received("2025-03-03"),
                ev("2025-03-04", EventKind::Withdrawn { reason: None }),
                reply("2025-03-05"),
            ],
            "after_closing",
            "申请人撤回",
        ),
        (
            vec![
                received("2025-03-03"),
                decided("2025-03-10", Decision::OtherNoCorrection),
            ],
            "decision_requires_event",
            "逾期未补正",
        ),
        (
            vec![
                received("2025-03-03"),
                decided("2025-03-10", Decision::UnableUnclearAfterCorrection),
            ],
            "not_corrected_yet",
            "没有补正记录",
        ),
        (
            vec![
                received("2025-03-03"),
                ev(
                    "2025-03-04",
                    EventKind::CorrectionRequested {
                        items: "a".into(),
                        due: d("2025-03-14"),
                    },
                ),
                ev("2025-03-10", EventKind::NotCorrected),
            ],
            "correction_still_open",
            "尚未届满",
        ),
        (
            vec![
                received("2025-03-03"),
                ev(
                    "2025-03-04",
                    EventKind::CorrectionRequested {
                        items: "a".into(),
                        due: d("2025-03-14"),
                    },
                ),
                decided("2025-03-10", Decision::Granted),
            ],
            "awaiting_correction",
            "补正期间",
        ),
        (
            vec![
                received("2025-03-03"),
                ev(
                    "2025-03-04",
                    EventKind::FeeNoticeSent {
                        basis: FeeBasis::PerVolume { pages: 100 },
                        amount: 800.into(),
                        received_by_applicant_on: None,
                    },
                ),
            ],
            "fee_amount_mismatch",
            "700 元",
        ),
        (
            vec![
                received("2025-03-03"),
                ev(
                    "2025-03-04",
                    EventKind::FeeNoticeSent {
                        basis: FeeBasis::PerVolume { pages: 100 },
                        amount: 700.into(),
                        received_by_applicant_on: None,
                    },
                ),
                ev("2025-03-20", EventKind::FeeNotPaid),
            ],
            "fee_window_open",
            "缴费期限",
        ),
        (
            vec![
                received("2025-03-03"),
                decided("2025-03-04", Decision::Granted),
                ev(
                    "2025-03-04",
                    EventKind::FeeNoticeSent {
                        basis: FeeBasis::PerVolume { pages: 100 },
                        amount: 700.into(),
                        received_by_applicant_on: None,
                    },
                ),
                reply("2025-03-05"),
            ],
            "fee_pending",
            "尚未缴纳",
        ),
        (
            vec![
                received("2025-03-03"),
                ev(
                    "2025-03-05",
                    EventKind::ConsultationAnswered {
                        consultation_seq: 7,
                        consents: None,
                    },
                ),
            ],
            "unknown_consultation",
            "序号为 7",
        ),
        (
            vec![ev(
                "2025-03-03",
                EventKind::Received {
                    channel: Channel::OrdinaryMail {
                        arrived_on: d("2025-03-04"),
                    },
                },
            )],
            "confirmed_before_arrival",
            "第三十一条",
        ),
        (
            vec![received("2025-03-03"), received("2025-03-04")],
            "duplicate_receipt",
            "不能重复登记",
        ),
        (
            vec![
                received("2025-03-03"),
                ev(
                    "2025-03-05",
                    EventKind::DelayedReplyNotice {
                        deadline: d("2025-03-05"),
                        reason: "x".into(),
                    },
                ),
            ],
            "delayed_deadline_not_later",
            "不晚于",
        ),
    ];
    for (events, code, text) in cases {
        let e = err(&events);
        assert_eq!(e.code(), code, "{e}");
        let msg = e.to_string();
        assert!(msg.contains(text), "{code}: {msg}");
    }
}

/// A back-dated event that would make a later one invalid is refused; the log is unchanged.
#[test]
fn back_dated_closing_before_later_events_is_refused() {
    let mut app = one(&[
        received("2025-03-03"),
        decided("2025-03-10", Decision::Granted),
        ev(
            "2025-03-12",
            EventKind::Extended {
                days: 5,
                approved_by: "主任".into(),
                applicant_notified_on: d("2025-03-12"),
            },
        ),
    ])
    .unwrap();
    let e = app.append(reply("2025-03-11"), &ctx()).unwrap_err();
    assert_eq!(e.code(), "after_closing");
    assert_eq!(app.events.len(), 3);
    // A back-dated event that fits is accepted and folded in date order.
    app.append(
        ev(
            "2025-03-05",
            EventKind::ConsultationSent {
                consultation: ConsultationKind::CoProducer,
                party: "某委".into(),
            },
        ),
        &ctx(),
    )
    .unwrap();
    let s = app.state_at(d("2025-03-12"), Calendar::builtin(), Settings::default());
    assert_eq!(s.clock.unwrap().pauses.len(), 1);
}

#[test]
fn notices_for_things_that_happened_late() {
    let app = one(&[
        ev(
            "2025-03-04",
            EventKind::Received {
                channel: Channel::OrdinaryMail {
                    arrived_on: d("2025-03-03"),
                },
            },
        ),
        ev(
            "2025-03-05",
            EventKind::CorrectionRequested {
                items: "a".into(),
                due: d("2025-03-10"),
            },
        ),
        ev("2025-03-12", EventKind::Corrected),
    ])
    .unwrap();
    let s = app.state_at(d("2025-03-12"), Calendar::builtin(), Settings::default());
    assert_eq!(
        s.notices,
        [
            Notice::MailConfirmedLate {
                arrived_on: d("2025-03-03"),
                confirmed_on: d("2025-03-04"),
            },
            Notice::CorrectedAfterDue {
                date: d("2025-03-12"),
                due: d("2025-03-10"),
            },
        ]
    );
    assert!(
        s.notices[0]
            .to_string()
            .contains("应当于收到申请的当日确认")
    );
}

/// The per-application fee counts the applicant's units in the natural month.
#[test]
fn per_application_fee_uses_the_monthly_count() {
    let cal = Calendar::builtin();
    let mut ledger = Ledger::new("某局");
    let ctx = ctx();
    for i in 0..12 {
        let id = ApplicationId(format!("M{i:02}"));
        ledger
            .add_application(
                Application::new(
                    id.clone(),
                    applicant(ApplicantKind::Commercial, "91X"),
                    request(),
                )
                .unwrap(),
                &ctx,
            )
            .unwrap();
        ledger
            .append(&id, received(&format!("2025-04-{:02}", i + 1)), &ctx)
            .unwrap();
    }
    // Another applicant, and the same applicant in another month, do not count.
    let other = ApplicationId::from("N");
    ledger
        .add_application(
            Application::new(
                other.clone(),
                applicant(ApplicantKind::Commercial, "92Y"),
                request(),
            )
            .unwrap(),
            &ctx,
        )
        .unwrap();
    ledger.append(&other, received("2025-04-02"), &ctx).unwrap();
    let id = ApplicationId::from("M11");
    assert_eq!(ledger.earlier_units_in_month(&id), 11);
    let wrong = FeeBasis::PerApplication {
        units: 1,
        earlier_units: 3,
    };
    let e = ledger
        .append(
            &id,
            ev(
                "2025-04-14",
                EventKind::FeeNoticeSent {
                    basis: wrong,
                    amount: fees::quote(wrong).total,
                    received_by_applicant_on: None,
                },
            ),
            &ctx,
        )
        .unwrap_err();
    assert_eq!(e.code(), "monthly_count_mismatch");
    // The 12th application in April: 100 元.
    let basis = FeeBasis::PerApplication {
        units: 1,
        earlier_units: 11,
    };
    let q = fees::quote(basis);
    assert_eq!(q.total.to_string(), "100");
    ledger
        .append(
            &id,
            ev(
                "2025-04-14",
                EventKind::FeeNoticeSent {
                    basis,
                    amount: q.total,
                    received_by_applicant_on: None,
                },
            ),
            &ctx,
        )
        .unwrap();
    let s = ledger
        .application(&id)
        .unwrap()
        .state_at(d("2025-04-15"), cal, Settings::default());
    assert_eq!(s.stage, Stage::AwaitingPayment);
    assert!(
        q.explain_zh().contains("第12–12件 1件×100元=100元"),
        "{}",
        q.explain_zh()
    );
}

#[test]
fn appeals_and_proactive_records_are_validated_and_counted() {
    let cal = Calendar::builtin();
    let mut ledger = Ledger::new("某局");
    let today = d(TODAY);
    let at = d("2025-01-01").and_hms_opt(0, 0, 0).unwrap().and_utc();
    let case = |id: &str, kind, filed: &str, concl: Option<(&str, AppealResult)>| AppealCase {
        id: id.into(),
        kind,
        filed_on: d(filed),
        application: None,
        role: CaseRole::OriginalActor,
        body: None,
        case_number: None,
        conclusion: concl.map(|(x, result)| AppealConclusion {
            result,
            decided_on: d(x),
        }),
        recorded_at: at,
        recorded_by: None,
        supersedes: None,
    };
    ledger
        .add_appeal(
            case(
                "A1",
                AppealKind::Reconsideration,
                "2025-02-01",
                Some(("2025-04-01", AppealResult::Upheld)),
            ),
            today,
        )
        .unwrap();
    ledger
        .add_appeal(
            case("A2", AppealKind::LitigationDirect, "2025-05-01", None),
            today,
        )
        .unwrap();
    ledger
        .add_appeal(
            case(
                "A3",
                AppealKind::LitigationAfterReconsideration,
                "2024-11-01",
                Some(("2025-03-01", AppealResult::Corrected)),
            ),
            today,
        )
        .unwrap();
    let mut co = case("A4", AppealKind::LitigationDirect, "2025-06-01", None);
    co.role = CaseRole::ReconsiderationOrgan;
    ledger.add_appeal(co, today).unwrap();
    assert_eq!(
        ledger
            .add_appeal(
                case(
                    "A5",
                    AppealKind::Reconsideration,
                    "2025-05-01",
                    Some(("2025-04-01", AppealResult::Other))
                ),
                today
            )
            .unwrap_err()
            .code(),
        "decided_before_filed"
    );
    let mut linked = case("A6", AppealKind::Reconsideration, "2025-05-01", None);
    linked.application = Some(ApplicationId::from("nope"));
    assert_eq!(
        ledger.add_appeal(linked, today).unwrap_err().code(),
        "unknown_application"
    );
    assert_eq!(
        ledger
            .add_appeal(
                case("A1", AppealKind::Reconsideration, "2025-02-01", None),
                today
            )
            .unwrap_err()
            .code(),
        "duplicate_record"
    );

    let ye = ledger.year_end(YearEndOptions::year(2025), cal, Settings::default());
    let get = |id: &str| ye.report.get(id).unwrap();
    assert_eq!(get("s4.reconsideration.upheld"), Value::int(1));
    assert_eq!(get("s4.reconsideration.total"), Value::int(1));
    assert_eq!(get("s4.litigation_direct.pending"), Value::int(1));
    assert_eq!(get("s4.litigation_direct.total"), Value::int(1));
    // Filed in 2024: counted only under ActiveInYear.
    assert_eq!(
        get("s4.litigation_after_reconsideration.total"),
        Value::int(0)
    );
    let active = ledger.year_end(
        YearEndOptions::year(2025),
        cal,
        Settings {
            appeal_counting: gongkai_ledger::AppealCounting::ActiveInYear,
            ..Settings::default()
        },
    );
    assert_eq!(
        active
            .report
            .get("s4.litigation_after_reconsideration.corrected"),
        Some(Value::int(1))
    );
    // As of March, A1 was still pending.
    let march = ledger.year_end(
        YearEndOptions {
            as_of: d("2025-03-15"),
            ..YearEndOptions::year(2025)
        },
        cal,
        Settings::default(),
    );
    assert_eq!(
        march.report.get("s4.reconsideration.pending"),
        Some(Value::int(1))
    );
    let bad = |data| gongkai_ledger::ProactiveRecord {
        id: "P".into(),
        data,
        recorded_at: at,
        recorded_by: None,
        supersedes: None,
    };
    let e = ledger
        .add_proactive(
            bad(gongkai_ledger::ProactiveData::Document(
                gongkai_ledger::DocumentRecord {
                    kind: gongkai_ledger::DocumentKind::Regulation,
                    title: "某规章".into(),
                    number: None,
                    issued_on: d("2025-05-01"),
                    repealed_on: Some(d("2025-04-01")),
                },
            )),
            today,
        )
        .unwrap_err();
    assert_eq!(e.code(), "repealed_before_issued");
    let e = ledger
        .add_proactive(
            bad(gongkai_ledger::ProactiveData::Decisions(
                gongkai_ledger::DecisionCount {
                    area: gongkai_ledger::DecisionArea::Penalty,
                    from: d("2024-12-01"),
                    to: d("2025-01-31"),
                    count: 3,
                },
            )),
            today,
        )
        .unwrap_err();
    assert_eq!(e.code(), "bad_period");
    let s4 = &ye.report.sections[3].text;
    assert!(
        s4.contains("因政府信息公开被申请行政复议1件，被提起行政诉讼1件"),
        "{s4}"
    );
    let errors: Vec<_> = check(&ye.report)
        .into_iter()
        // Not the drafts' 【…】 fill-in markers (TXT005): the office writes those.
        .filter(|f| f.severity == Severity::Error && f.code != "TXT005")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
#[ignore = "prints a drafted report for reading"]
fn print_draft() {
    let mut ledger = Ledger::new("某区某局");
    for (i, decision) in Decision::ALL.iter().enumerate() {
        let id = ApplicationId(format!("2025-{i:03}"));
        ledger
            .add_application(
                Application::new(
                    id.clone(),
                    applicant(ApplicantKind::ALL[i % 6], "Z"),
                    request(),
                )
                .unwrap(),
                &ctx(),
            )
            .unwrap();
        for e in path(*decision) {
            ledger.append(&id, e, &ctx()).unwrap();
        }
    }
    let ye = ledger.year_end(
        YearEndOptions::year(2025),
        Calendar::builtin(),
        Settings::default(),
    );
    for s in &ye.report.sections {
        println!("{}\n{}\n", s.heading, s.text);
    }
}
