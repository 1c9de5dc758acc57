//! Acceptance: reply deadlines against worked examples computed by hand from the calendar
//! (regulations.md §4), across the Spring Festival, National Day and make-up Saturdays and
//! Sundays, with correction, consultation, extension, fee and art. 35 events.
//!
//! Each test spells out the count day by day, as a reader would check it against the
//! holiday notice.

use chrono::NaiveDate;
use gongkai_ledger::{
    Applicant, ApplicantKind, Application, ApplicationId, Calendar, CalendarWarning, Channel,
    ConsultationKind, Contact, Context, Decision, EventKind, FeeBasis, InformationRequest,
    NewEvent, Notice, ReplyMethod, Settings, Stage, fees,
};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn application() -> Application {
    Application::new(
        ApplicationId::from("T-1"),
        Applicant {
            kind: ApplicantKind::NaturalPerson,
            name: "张三".into(),
            identity: None,
            contact: Contact::default(),
            representative: None,
        },
        InformationRequest {
            description: "2024年某项目的批复文件".into(),
            document_number: None,
            form: Default::default(),
            delivery: Default::default(),
            fee_units: 1,
        },
    )
    .unwrap()
}

struct Case {
    app: Application,
    settings: Settings,
}

impl Case {
    fn received(date: &str) -> Self {
        Case::with(date, Settings::default())
    }

    fn with(date: &str, settings: Settings) -> Self {
        let mut c = Case {
            app: application(),
            settings,
        };
        c.push(
            date,
            EventKind::Received {
                channel: Channel::InPerson { oral: false },
            },
        );
        c
    }

    fn push(&mut self, date: &str, kind: EventKind) -> u32 {
        let ctx = Context::new(Calendar::builtin(), self.settings, d("2027-12-31"));
        self.app
            .append(NewEvent::on(d(date), kind), &ctx)
            .unwrap_or_else(|e| panic!("{date}: {e}"))
            .seq
    }

    fn deadline(&self, as_of: &str) -> NaiveDate {
        self.app
            .state_at(d(as_of), Calendar::builtin(), self.settings)
            .deadline()
            .expect("clock running")
    }
}

/// regulations.md §4.4: received Monday 2025-01-20 → 2025-02-21. Jan 21–24 days 1–4; Sunday
/// Jan 26 (make-up) day 5; Jan 27 day 6; Jan 28 – Feb 4 Spring Festival; Feb 5–7 days 7–9;
/// Saturday Feb 8 (make-up) day 10; Feb 10–14 days 11–15; Feb 17–21 days 16–20.
#[test]
fn spec_example_spring_festival_2025() {
    let c = Case::received("2025-01-20");
    assert_eq!(c.deadline("2025-01-20"), d("2025-02-21"));
    let s = c
        .app
        .state_at(d("2025-01-20"), Calendar::builtin(), c.settings);
    let clock = s.clock.unwrap();
    assert_eq!(clock.make_up_days, [d("2025-01-26"), d("2025-02-08")]);
    assert_eq!(clock.holidays.len(), 1);
    assert_eq!(clock.holidays[0].name, "春节");
    assert_eq!(
        (
            clock.holidays[0].from,
            clock.holidays[0].to,
            clock.holidays[0].weekdays
        ),
        (d("2025-01-28"), d("2025-02-04"), 6)
    );
    let text = clock.explain_zh();
    assert!(
        text.starts_with("答复期限：2025年2月21日（星期五）"),
        "{text}"
    );
    assert!(text.contains("春节 2025年1月28日至2025年2月4日"), "{text}");
    assert!(
        text.contains("2025年1月26日（星期日）、2025年2月8日（星期六）"),
        "{text}"
    );
    assert!(text.contains("收到当日不计入，自次日起计算"), "{text}");
    assert!(text.contains("合计计入20个工作日"), "{text}");
}

/// Setting `count_receipt_day`: the receipt day is day 1, so the same application is due one
/// working day earlier (Thursday 2025-02-20).
#[test]
fn counting_the_receipt_day_is_a_setting() {
    let s = Settings {
        count_receipt_day: true,
        ..Settings::default()
    };
    let c = Case::with("2025-01-20", s);
    assert_eq!(c.deadline("2025-01-20"), d("2025-02-20"));
}

/// 2024: received Friday Feb 2. Sunday Feb 4 (make-up) day 1; Feb 5–8 days 2–5; Friday
/// Feb 9 (除夕, a working day in 2024) day 6; Feb 10–17 holiday; Sunday Feb 18 (make-up)
/// day 7; Feb 19–23 days 8–12; Feb 26 – Mar 1 days 13–17; Mar 4–6 days 18–20.
#[test]
fn spring_festival_2024_with_two_make_up_sundays() {
    let c = Case::received("2024-02-02");
    assert_eq!(c.deadline("2024-02-02"), d("2024-03-06"));
}

/// 2026: nine days off. Received Wednesday Feb 11. Feb 12–13 days 1–2; Saturday Feb 14
/// (make-up) day 3; Feb 15–23 holiday; Feb 24–27 days 4–7; Saturday Feb 28 (make-up) day 8;
/// Mar 2–6 days 9–13; Mar 9–13 days 14–18; Mar 16–17 days 19–20.
#[test]
fn spring_festival_2026_nine_days() {
    let c = Case::received("2026-02-11");
    assert_eq!(c.deadline("2026-02-11"), d("2026-03-17"));
}

/// Correction: received Monday 2025-03-03; correction asked Wednesday Mar 5 (the 7-working-
/// day limit is Mar 12); corrected Monday Mar 10. The clock restarts: Mar 11–14 days 1–4;
/// Mar 17–21 days 5–9; Mar 24–28 days 10–14; Mar 31 – Apr 3 days 15–18; Apr 4 清明;
/// Apr 7–8 days 19–20.
#[test]
fn correction_restarts_the_clock() {
    let mut c = Case::received("2025-03-03");
    c.push(
        "2025-03-05",
        EventKind::CorrectionRequested {
            items: "请写明所需文件的名称".into(),
            due: d("2025-03-14"),
        },
    );
    let waiting = c
        .app
        .state_at(d("2025-03-07"), Calendar::builtin(), c.settings);
    assert_eq!(waiting.stage, Stage::AwaitingCorrection);
    assert_eq!(waiting.deadline(), None);
    assert!(waiting.notices.is_empty());
    c.push("2025-03-10", EventKind::Corrected);
    assert_eq!(c.deadline("2025-03-10"), d("2025-04-08"));
    let text = c
        .app
        .state_at(d("2025-03-10"), Calendar::builtin(), c.settings)
        .clock
        .unwrap()
        .explain_zh();
    assert!(text.contains("收到补正后的申请"), "{text}");
    assert!(text.contains("清明节 2025年4月4日至2025年4月6日"), "{text}");
}

/// A correction request after 7 working days is recorded with a notice. Received Friday
/// 2025-01-24: day 1 Jan 26 (make-up Sunday), Jan 27 day 2, Feb 5–7 days 3–5, Feb 8 day 6,
/// Feb 10 day 7 — so Feb 11 is late.
#[test]
fn late_correction_request_is_flagged() {
    let mut c = Case::received("2025-01-24");
    c.push(
        "2025-02-11",
        EventKind::CorrectionRequested {
            items: "补充身份证明".into(),
            due: d("2025-02-20"),
        },
    );
    let s = c
        .app
        .state_at(d("2025-02-11"), Calendar::builtin(), c.settings);
    assert_eq!(
        s.notices,
        [Notice::CorrectionRequestLate {
            date: d("2025-02-11"),
            limit: d("2025-02-10"),
        }]
    );
}

/// Third-party consultation and extension across National Day 2025. Received Monday Sep 15.
/// Sep 16–19 days 1–4, Sep 22 day 5; consultation sent Sep 22, answered Friday Sep 26: Sep
/// 23–26 paused (4 working days). Sunday Sep 28 (make-up) day 6; Sep 29–30 days 7–8; Oct 1–8
/// holiday; Oct 9–10 days 9–10; Saturday Oct 11 (make-up) day 11; Oct 13–17 days 12–16;
/// Oct 20–23 days 17–20 → statutory deadline Thursday Oct 23. Extension of 20 working days
/// on Oct 20: Oct 24 day 21; Oct 27–31 days 22–26; Nov 3–7 27–31; Nov 10–14 32–36; Nov
/// 17–20 37–40 → Thursday Nov 20.
#[test]
fn consultation_and_extension_across_national_day() {
    let mut c = Case::received("2025-09-15");
    assert_eq!(c.deadline("2025-09-15"), d("2025-10-17"));
    let sent = c.push(
        "2025-09-22",
        EventKind::ConsultationSent {
            consultation: ConsultationKind::ThirdParty,
            party: "某科技有限公司".into(),
        },
    );
    // While the consultation is open the clock shows the latest possible deadline: 15
    // working days paused (Sep 23 … Oct 17).
    let open = c
        .app
        .state_at(d("2025-09-24"), Calendar::builtin(), c.settings);
    assert_eq!(open.stage, Stage::Consulting);
    let clock = open.clock.unwrap();
    assert!(clock.pauses[0].open);
    assert_eq!(clock.pauses[0].until, d("2025-10-17"));
    assert_eq!(clock.pauses[0].working_days, 15);
    c.push(
        "2025-09-26",
        EventKind::ConsultationAnswered {
            consultation_seq: sent,
            consents: Some(false),
        },
    );
    assert_eq!(c.deadline("2025-09-26"), d("2025-10-23"));
    c.push(
        "2025-10-20",
        EventKind::Extended {
            days: 20,
            approved_by: "办公室主任李四".into(),
            applicant_notified_on: d("2025-10-20"),
        },
    );
    assert_eq!(c.deadline("2025-10-20"), d("2025-11-20"));
    let s = c
        .app
        .state_at(d("2025-10-20"), Calendar::builtin(), c.settings);
    let clock = s.clock.unwrap();
    assert_eq!(clock.statutory_deadline, d("2025-10-23"));
    assert_eq!(clock.paused_days, 4);
    assert_eq!(clock.counted_days, 40);
    let text = clock.explain_zh();
    assert!(
        text.contains("征求第三方意见（某科技有限公司，条例第三十二条）"),
        "{text}"
    );
    assert!(text.contains("其间4个工作日"), "{text}");
    assert!(
        text.contains("经办公室主任李四同意延长答复期限20个工作日"),
        "{text}"
    );
    assert!(
        text.contains("国庆节、中秋节 2025年10月1日至2025年10月8日"),
        "{text}"
    );
    assert!(text.contains("暂停4个工作日"), "{text}");
    // Each line that an event caused names the event.
    let steps = clock.steps();
    assert!(steps.iter().any(|l| l.seq == Some(sent)));
    // Decided and replied on the last day: on time.
    c.push(
        "2025-11-20",
        EventKind::Decided {
            decision: Decision::DeniedThirdParty,
        },
    );
    c.push(
        "2025-11-20",
        EventKind::ReplySent {
            method: ReplyMethod::Post,
        },
    );
    let done = c
        .app
        .state_at(d("2025-11-30"), Calendar::builtin(), c.settings);
    assert!(!done.replied_late);
    assert_eq!(done.outcome(), Some(Decision::DeniedThirdParty));
}

/// A co-producer that never answers: the pause ends after 15 working days (silence =
/// consent, art. 34). 2023: received Monday Apr 17; consultation sent Tuesday Apr 18 (day
/// 1). 15 working days after it: Apr 19–21 (3), Sunday Apr 23 make-up (4), Apr 24–28 (9),
/// Apr 29 – May 3 holiday, May 4–5 (11), Saturday May 6 make-up (12), May 8–10 (15) → paused
/// to May 10. Then May 11–12 days 2–3; May 15–19 4–8; May 22–26 9–13; May 29 – Jun 2 14–18;
/// Jun 5–6 19–20.
#[test]
fn unanswered_consultation_pauses_fifteen_working_days() {
    let mut c = Case::received("2023-04-17");
    c.push(
        "2023-04-18",
        EventKind::ConsultationSent {
            consultation: ConsultationKind::CoProducer,
            party: "某区财政局".into(),
        },
    );
    assert_eq!(c.deadline("2023-06-01"), d("2023-06-06"));
    let s = c
        .app
        .state_at(d("2023-06-01"), Calendar::builtin(), c.settings);
    let p = &s.clock.as_ref().unwrap().pauses[0];
    assert_eq!(
        (p.until, p.working_days, p.open),
        (d("2023-05-10"), 15, false)
    );
    assert_eq!(s.stage, Stage::Processing);
    assert!(s.clock.unwrap().explain_zh().contains("期满未答复"));
}

/// The fee window pauses the clock only when the setting says so. Received Monday
/// 2025-06-09; notice Monday Jun 16, paid Friday Jun 20. Without the pause: Jun 10–13 days
/// 1–4, Jun 16–20 5–9, Jun 23–27 10–14, Jun 30 – Jul 4 15–19, Jul 7 day 20. With it, Jun
/// 17–20 (4 days) are not counted: Jul 8–11 → Friday Jul 11.
#[test]
fn fee_window_pause_is_a_setting() {
    for (pauses, want) in [(false, "2025-07-07"), (true, "2025-07-11")] {
        let mut c = Case::with(
            "2025-06-09",
            Settings {
                fee_window_pauses_clock: pauses,
                ..Settings::default()
            },
        );
        let basis = FeeBasis::PerVolume { pages: 120 };
        let amount = fees::quote(basis).total;
        assert_eq!(amount.to_string(), "1100");
        c.push(
            "2025-06-16",
            EventKind::FeeNoticeSent {
                basis,
                amount,
                received_by_applicant_on: None,
            },
        );
        let waiting = c
            .app
            .state_at(d("2025-06-17"), Calendar::builtin(), c.settings);
        assert_eq!(waiting.stage, Stage::AwaitingPayment);
        // 收到收费通知次日起20个工作日: Jun 17 … Jul 14.
        assert_eq!(waiting.fee.as_ref().unwrap().due, d("2025-07-14"));
        c.push("2025-06-20", EventKind::FeePaid { amount });
        assert_eq!(c.deadline("2025-06-20"), d(want), "pause = {pauses}");
    }
}

/// Art. 35: a deadline fixed by notice replaces the computed one.
#[test]
fn delayed_reply_deadline_fixed_by_notice() {
    let mut c = Case::received("2025-03-03");
    c.push(
        "2025-03-20",
        EventKind::DelayedReplyNotice {
            deadline: d("2025-05-30"),
            reason: "申请数量明显超过合理范围，申请人说明理由合理".into(),
        },
    );
    assert_eq!(c.deadline("2025-03-20"), d("2025-05-30"));
    let text = c
        .app
        .state_at(d("2025-03-20"), Calendar::builtin(), c.settings)
        .clock
        .unwrap()
        .explain_zh();
    assert!(text.contains("条例第三十五条"), "{text}");
}

/// A deadline that runs into a year without a notice carries a warning, and 2027 is
/// counted with its statutory holidays (never Monday to Friday only). Received Tuesday
/// 2026-12-15: Dec 16–18 (3), Dec 21–25 (8), Dec 28–31 (12), Jan 1 is 元旦 (a holiday by
/// law), Jan 4–8 (17), Jan 11–13 (20).
#[test]
fn deadline_into_an_uncovered_year_warns() {
    let c = Case::received("2026-12-15");
    let s = c
        .app
        .state_at(d("2026-12-15"), Calendar::builtin(), c.settings);
    let clock = s.clock.unwrap();
    assert_eq!(clock.deadline, d("2027-01-13"));
    assert_eq!(
        clock.warnings,
        [CalendarWarning::YearNotCovered { year: 2027 }]
    );
    let text = clock.explain_zh();
    assert!(text.contains("日历中没有2027年的节假日安排"), "{text}");
    assert!(text.contains("全国年节及纪念日放假办法"), "{text}");
    // Received Friday 2026-12-04: the 20th working day would be Friday 1 January 2027
    // counted Monday to Friday; 元旦 moves it to Monday 4 January.
    let c = Case::received("2026-12-04");
    let s = c
        .app
        .state_at(d("2026-12-04"), Calendar::builtin(), c.settings);
    assert_eq!(s.clock.unwrap().deadline, d("2027-01-04"));
}

/// Overdue and late replies are notices on the state.
#[test]
fn overdue_and_late_reply() {
    let mut c = Case::received("2025-01-20");
    let s = c
        .app
        .state_at(d("2025-02-24"), Calendar::builtin(), c.settings);
    assert!(s.is_overdue());
    assert_eq!(
        s.notices,
        [Notice::Overdue {
            as_of: d("2025-02-24"),
            deadline: d("2025-02-21"),
        }]
    );
    c.push(
        "2025-02-24",
        EventKind::Decided {
            decision: Decision::Granted,
        },
    );
    c.push(
        "2025-02-25",
        EventKind::ReplySent {
            method: ReplyMethod::Email,
        },
    );
    let s = c
        .app
        .state_at(d("2025-03-01"), Calendar::builtin(), c.settings);
    assert!(s.replied_late);
    assert!(!s.is_overdue());
    assert_eq!(
        s.notices,
        [Notice::RepliedLate {
            date: d("2025-02-25"),
            deadline: d("2025-02-21"),
        }]
    );
}

#[test]
#[ignore = "prints an explanation for reading"]
fn print_explanation() {
    let mut c = Case::received("2025-09-15");
    let sent = c.push(
        "2025-09-22",
        EventKind::ConsultationSent {
            consultation: ConsultationKind::ThirdParty,
            party: "某科技有限公司".into(),
        },
    );
    c.push(
        "2025-09-26",
        EventKind::ConsultationAnswered {
            consultation_seq: sent,
            consents: Some(false),
        },
    );
    c.push(
        "2025-10-20",
        EventKind::Extended {
            days: 20,
            approved_by: "办公室主任李四".into(),
            applicant_notified_on: d("2025-10-20"),
        },
    );
    let s = c
        .app
        .state_at(d("2025-10-20"), Calendar::builtin(), c.settings);
    println!("{}", s.clock.unwrap().explain_zh());
}

/// An answer recorded weeks after it came (the 15 working days of the consultation have
/// run out when the clerk enters it): dated on the day it came, it ends the pause there,
/// so the deadline is the one of the worked example above (Oct 23), not the one the open
/// consultation showed (the full 15 working days paused → Nov 7, two weeks later).
#[test]
fn a_late_entered_answer_ends_the_pause_on_its_date() {
    let mut c = Case::received("2025-09-15");
    let sent = c.push(
        "2025-09-22",
        EventKind::ConsultationSent {
            consultation: ConsultationKind::ThirdParty,
            party: "某科技有限公司".into(),
        },
    );
    // On Nov 3 nothing was entered yet: the pause ran its 15 working days.
    let before = c.deadline("2025-11-03");
    assert_eq!(before, d("2025-11-07"));
    let s = c
        .app
        .state_at(d("2025-11-03"), Calendar::builtin(), c.settings);
    assert_eq!(s.open_consultations, 0, "the 15 days have run out");
    // Entered on Nov 3, dated Sep 26: the deadline comes back to Oct 23.
    c.push(
        "2025-09-26",
        EventKind::ConsultationAnswered {
            consultation_seq: sent,
            consents: Some(true),
        },
    );
    assert_eq!(c.deadline("2025-11-03"), d("2025-10-23"));
}

/// The answer's date: not before the consultation was sent (named as such), not before
/// receipt, not in the future.
#[test]
fn an_answer_is_not_dated_before_its_consultation() {
    let mut c = Case::received("2025-09-15");
    let sent = c.push(
        "2025-09-22",
        EventKind::ConsultationSent {
            consultation: ConsultationKind::ThirdParty,
            party: "某科技有限公司".into(),
        },
    );
    let answer = |date: &str| {
        NewEvent::on(
            d(date),
            EventKind::ConsultationAnswered {
                consultation_seq: sent,
                consents: None,
            },
        )
    };
    let ctx = Context::new(Calendar::builtin(), c.settings, d("2025-10-10"));
    let e = c.app.append(answer("2025-09-19"), &ctx).unwrap_err();
    assert_eq!(e.code(), "answered_before_consultation");
    assert_eq!(
        e.to_string(),
        "收到答复的日期 2025年9月19日 早于第 2 项征求意见发出的日期 2025年9月22日"
    );
    let e = c.app.append(answer("2025-09-01"), &ctx).unwrap_err();
    assert_eq!(e.code(), "before_receipt");
    let e = c.app.append(answer("2025-10-11"), &ctx).unwrap_err();
    assert_eq!(e.code(), "future_date");
    assert_eq!(c.app.events.len(), 2, "nothing appended");
    c.app.append(answer("2025-09-22"), &ctx).unwrap();
}
