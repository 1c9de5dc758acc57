//! A deterministic generator of ledgers for the tests and the benchmark.
//!
//! Every application follows a planned path (correction, consultation, extension, fee,
//! decision, reply, withdrawal …) whose dates are taken from the calendar; the generator
//! records, beside the ledger, the truth it planned — receipt date, closing date and
//! outcome — so tests can count table 三 without the ledger's fold.
#![allow(dead_code)]

use chrono::{Datelike, Days, NaiveDate};
use gongkai_ledger::{
    AppealCase, AppealConclusion, AppealKind, AppealResult, Applicant, ApplicantKind, Application,
    ApplicationId, Calendar, CaseRole, Channel, ConsultationKind, Contact, Context, Decision,
    DecisionArea, DecisionCount, Delivery, DocumentKind, DocumentRecord, EventKind, FeeBasis,
    FeeIncome, IdDocument, Identity, InformationForm, InformationRequest, Ledger, NewEvent,
    ProactiveData, ProactiveRecord, ReplyMethod, Settings, fees,
};
use rust_decimal::Decimal;

/// SplitMix64: small, fast, deterministic.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// True with probability `p` percent.
    pub fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// What the generator planned for one application (as of `today`).
#[derive(Debug, Clone)]
pub struct Truth {
    pub id: ApplicationId,
    pub kind: ApplicantKind,
    pub received: NaiveDate,
    /// Closing date and outcome, if closed by `today`.
    pub closed: Option<(NaiveDate, Decision)>,
}

/// A planned appeal.
#[derive(Debug, Clone)]
pub struct AppealTruth {
    pub kind: AppealKind,
    pub filed: NaiveDate,
    pub decided: Option<(NaiveDate, AppealResult)>,
}

pub struct Generated {
    pub ledger: Ledger,
    pub truth: Vec<Truth>,
    pub appeals: Vec<AppealTruth>,
    /// (kind, issued, repealed)
    pub documents: Vec<(DocumentKind, NaiveDate, Option<NaiveDate>)>,
    /// (area, period end, count)
    pub decisions: Vec<(DecisionArea, NaiveDate, u64)>,
    /// (period end, amount in 元)
    pub fees: Vec<(NaiveDate, Decimal)>,
}

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Weights of the 21 outcomes (granted and not held are the commonest in practice).
const WEIGHTS: [u64; 21] = [
    30, 8, 2, 2, 2, 4, 2, 3, 2, 1, 15, 3, 2, 3, 3, 2, 1, 1, 4, 3, 6,
];

fn pick_decision(rng: &mut Rng) -> Decision {
    let total: u64 = WEIGHTS.iter().sum();
    let mut x = rng.below(total);
    for (i, w) in WEIGHTS.iter().enumerate() {
        if x < *w {
            return Decision::ALL[i];
        }
        x -= w;
    }
    Decision::Granted
}

/// A ledger of `n` applications received between `from` and `to`, events up to `today`.
pub fn generate(
    n: usize,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    seed: u64,
) -> Generated {
    let cal = Calendar::builtin();
    let settings = Settings::default();
    let ctx = Context::new(cal, settings, today);
    let mut rng = Rng::new(seed);
    let mut ledger = Ledger::new("某市某局");
    let mut truth = Vec::with_capacity(n);
    let span = (to - from).num_days() as u64 + 1;
    let wd = |date: NaiveDate, n: u32| cal.add_working_days(date, n).value;
    let plus = |date: NaiveDate, n: u64| date.checked_add_days(Days::new(n)).unwrap();
    for i in 0..n {
        let id = ApplicationId(format!("{}-{:06}", from.year(), i + 1));
        let kind = rng.pick(&ApplicantKind::ALL);
        let applicant = Applicant {
            kind,
            name: format!("申请人{}", rng.below(n as u64 / 3 + 1)),
            identity: rng.percent(80).then(|| Identity {
                document: if kind == ApplicantKind::NaturalPerson {
                    IdDocument::ResidentIdCard
                } else {
                    IdDocument::UnifiedSocialCreditCode
                },
                number: format!("{:018}", rng.below(1_000_000_000)),
            }),
            contact: Contact {
                phone: Some(format!("138{:08}", rng.below(100_000_000))),
                ..Contact::default()
            },
            representative: None,
        };
        let request = InformationRequest {
            description: format!("关于某事项的政府信息（第{}号）", i + 1),
            document_number: None,
            form: rng.pick(&[InformationForm::Paper, InformationForm::Electronic]),
            delivery: rng.pick(&[Delivery::Post, Delivery::Email, Delivery::Collect]),
            fee_units: 1,
        };
        let app = Application::new(id.clone(), applicant, request).unwrap();
        ledger.add_application(app, &ctx).unwrap();

        // The plan: a list of (date, event); the truth follows from it.
        let received = plus(from, rng.below(span));
        let channel = match rng.below(4) {
            0 => Channel::InPerson { oral: false },
            1 => Channel::Online {
                submitted_on: received - Days::new(rng.below(3)),
            },
            2 => Channel::OrdinaryMail {
                arrived_on: received,
            },
            _ => Channel::PostWithSignature,
        };
        let decision = pick_decision(&mut rng);
        let mut plan: Vec<(NaiveDate, EventKind)> =
            vec![(received, EventKind::Received { channel })];
        let mut closed: Option<(NaiveDate, Decision)> = None;
        let mut start = received;
        let needs_correction = matches!(
            decision,
            Decision::UnableUnclearAfterCorrection | Decision::OtherNoCorrection
        ) || rng.percent(8);
        if needs_correction {
            let asked = wd(received, 1 + rng.below(6) as u32);
            let due = plus(asked, 10 + rng.below(10));
            plan.push((
                asked,
                EventKind::CorrectionRequested {
                    items: "请明确所需信息的名称或文号".into(),
                    due,
                },
            ));
            if decision == Decision::OtherNoCorrection {
                let lapse = plus(due, 1 + rng.below(5));
                plan.push((lapse, EventKind::NotCorrected));
                closed = Some((lapse, decision));
            } else {
                start = plus(asked, 1 + rng.below(9));
                plan.push((start, EventKind::Corrected));
            }
        }
        if closed.is_none() {
            let mut t = start;
            if rng.percent(10) || decision == Decision::DeniedThirdParty {
                let sent = wd(start, 1 + rng.below(5) as u32);
                plan.push((
                    sent,
                    EventKind::ConsultationSent {
                        consultation: if rng.percent(70) {
                            ConsultationKind::ThirdParty
                        } else {
                            ConsultationKind::CoProducer
                        },
                        party: "某公司".into(),
                    },
                ));
                t = sent;
                if rng.percent(70) {
                    let answered = plus(sent, 2 + rng.below(20));
                    plan.push((
                        answered,
                        EventKind::ConsultationAnswered {
                            consultation_seq: plan.len() as u32,
                            consents: Some(rng.percent(50)),
                        },
                    ));
                    t = answered;
                }
            }
            if rng.percent(6) {
                let at = wd(t.max(start), 10 + rng.below(8) as u32);
                plan.push((
                    at,
                    EventKind::Extended {
                        days: 1 + rng.below(20) as u32,
                        approved_by: "办公室主任".into(),
                        applicant_notified_on: at,
                    },
                ));
                t = at;
            }
            let decided_on = wd(t, 1 + rng.below(12) as u32);
            let withdraw = decision == Decision::OtherOther && rng.percent(50);
            if withdraw {
                plan.push((
                    decided_on,
                    EventKind::Withdrawn {
                        reason: Some("申请人书面撤回".into()),
                    },
                ));
                closed = Some((decided_on, decision));
            } else if decision == Decision::OtherUnpaidFee {
                plan.push((
                    decided_on,
                    EventKind::Decided {
                        decision: Decision::Granted,
                    },
                ));
                let basis = FeeBasis::PerVolume {
                    pages: 31 + rng.below(500) as u32,
                };
                plan.push((
                    decided_on,
                    EventKind::FeeNoticeSent {
                        basis,
                        amount: fees::quote(basis).total,
                        received_by_applicant_on: None,
                    },
                ));
                let lapse = plus(wd(decided_on, 20), 1 + rng.below(3));
                plan.push((lapse, EventKind::FeeNotPaid));
                closed = Some((lapse, decision));
            } else {
                plan.push((decided_on, EventKind::Decided { decision }));
                let mut reply = plus(decided_on, rng.below(4));
                if decision == Decision::Granted && rng.percent(5) {
                    let basis = FeeBasis::PerVolume {
                        pages: 31 + rng.below(300) as u32,
                    };
                    let amount = fees::quote(basis).total;
                    plan.push((
                        decided_on,
                        EventKind::FeeNoticeSent {
                            basis,
                            amount,
                            received_by_applicant_on: None,
                        },
                    ));
                    let paid = plus(decided_on, 1 + rng.below(10));
                    plan.push((paid, EventKind::FeePaid { amount }));
                    reply = plus(paid, rng.below(3));
                }
                // 3 % stay decided without a reply for a long while.
                if rng.percent(3) {
                    reply = plus(reply, 400);
                }
                plan.push((
                    reply,
                    EventKind::ReplySent {
                        method: ReplyMethod::Post,
                    },
                ));
                closed = Some((reply, decision));
            }
        }
        for (date, kind) in plan {
            if date > today {
                break;
            }
            let e = NewEvent::on(date, kind)
                .recorded(date.and_hms_opt(10, 0, 0).unwrap().and_utc(), "信息员");
            ledger
                .append(&id, e, &ctx)
                .unwrap_or_else(|err| panic!("{id}: {err}"));
        }
        truth.push(Truth {
            id,
            kind,
            received,
            closed: closed.filter(|(x, _)| *x <= today),
        });
    }

    // Appeals, some linked to applications.
    let mut appeals = Vec::new();
    for i in 0..(n / 100).max(5) {
        let kind = rng.pick(&[
            AppealKind::Reconsideration,
            AppealKind::LitigationDirect,
            AppealKind::LitigationAfterReconsideration,
        ]);
        let filed = plus(from, rng.below(span));
        let decided = rng.percent(70).then(|| {
            (
                plus(filed, 10 + rng.below(120)),
                rng.pick(&[
                    AppealResult::Upheld,
                    AppealResult::Corrected,
                    AppealResult::Other,
                ]),
            )
        });
        let decided = decided.filter(|(x, _)| *x <= today);
        let role = if rng.percent(5) {
            CaseRole::ReconsiderationOrgan
        } else {
            CaseRole::OriginalActor
        };
        let link = truth[rng.below(truth.len() as u64) as usize].id.clone();
        ledger
            .add_appeal(
                AppealCase {
                    id: format!("A{i}"),
                    kind,
                    filed_on: filed,
                    application: Some(link),
                    role,
                    body: None,
                    case_number: None,
                    conclusion: decided
                        .map(|(decided_on, result)| AppealConclusion { result, decided_on }),
                    recorded_at: filed.and_hms_opt(10, 0, 0).unwrap().and_utc(),
                    recorded_by: None,
                    supersedes: None,
                },
                today,
            )
            .unwrap();
        if role == CaseRole::OriginalActor {
            appeals.push(AppealTruth {
                kind,
                filed,
                decided,
            });
        }
    }

    // Proactive records.
    let mut documents = Vec::new();
    let mut decisions = Vec::new();
    let mut fee_rows = Vec::new();
    let recorded = d("2020-01-01").and_hms_opt(0, 0, 0).unwrap().and_utc();
    for i in 0..40 {
        let kind = if rng.percent(20) {
            DocumentKind::Regulation
        } else {
            DocumentKind::NormativeDocument
        };
        let issued = plus(d("2018-01-01"), rng.below(2900));
        let issued = issued.min(today);
        let repealed = rng
            .percent(30)
            .then(|| plus(issued, 30 + rng.below(900)))
            .filter(|r| *r <= today);
        ledger
            .add_proactive(
                ProactiveRecord {
                    id: format!("D{i}"),
                    data: ProactiveData::Document(DocumentRecord {
                        kind,
                        title: format!("文件{i}"),
                        number: None,
                        issued_on: issued,
                        repealed_on: repealed,
                    }),
                    recorded_at: recorded,
                    recorded_by: None,
                    supersedes: None,
                },
                today,
            )
            .unwrap();
        documents.push((kind, issued, repealed));
    }
    let mut month = NaiveDate::from_ymd_opt(from.year(), from.month(), 1).unwrap();
    let mut k = 0;
    while month <= today {
        let end = month.checked_add_months(chrono::Months::new(1)).unwrap() - Days::new(1);
        if end > today {
            break;
        }
        for area in [
            DecisionArea::Licensing,
            DecisionArea::Penalty,
            DecisionArea::Coercion,
        ] {
            let count = rng.below(50);
            ledger
                .add_proactive(
                    ProactiveRecord {
                        id: format!("C{k}"),
                        data: ProactiveData::Decisions(DecisionCount {
                            area,
                            from: month,
                            to: end,
                            count,
                        }),
                        recorded_at: recorded,
                        recorded_by: None,
                        supersedes: None,
                    },
                    today,
                )
                .unwrap();
            k += 1;
            decisions.push((area, end, count));
        }
        let amount = Decimal::new(rng.below(10_000_000) as i64, 2);
        ledger
            .add_proactive(
                ProactiveRecord {
                    id: format!("F{k}"),
                    data: ProactiveData::Fees(FeeIncome {
                        from: month,
                        to: end,
                        amount_yuan: amount,
                    }),
                    recorded_at: recorded,
                    recorded_by: None,
                    supersedes: None,
                },
                today,
            )
            .unwrap();
        k += 1;
        fee_rows.push((end, amount));
        month = end + Days::new(1);
    }
    Generated {
        ledger,
        truth,
        appeals,
        documents,
        decisions,
        fees: fee_rows,
    }
}
