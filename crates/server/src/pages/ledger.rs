//! Applications: the list of open ones by deadline, registration, an application's page
//! (facts, state, the explanation of its deadline, the timeline, one form per event, the
//! reply review) and its reply letter.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongkai_ledger::{
    ApplicantKind, Application, ApplicationId, ApplicationState, Calendar, Channel, ChannelKind,
    ConsultationKind, Decision, Delivery, EventKind, EventType, IdDocument, InformationForm,
    ReplyMethod, Stage,
};
use gongkai_service::{ErrorKind, ListFilter, Listed, ServiceError, Via};
use gongkai_store::{Review, ReviewAction, ReviewSubject};
use serde::Deserialize;

use crate::check::percent_encode;
use crate::error::PageError;
use crate::forms::{self, EventForm, RegisterForm};
use crate::pages::reviews::{ReviewPanel, review_panel};
use crate::view::{self, Chrome};
use crate::{AppState, AuthUser, Ctx, letters};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ledger", get(list))
        .route("/ledger/new", get(new_page).post(register))
        .route("/ledger/a/{id}", get(app_page))
        .route("/ledger/a/{id}/events", post(add_event))
        .route("/ledger/a/{id}/review", post(review))
        .route("/ledger/a/{id}/letter/{format}", get(letter))
}

/// Working days left before which an open application is marked “due soon”.
pub const DUE_SOON_DAYS: u32 = 5;

/// An application's deadline as the list and the page show it.
#[derive(Debug, Clone, Default)]
pub struct DeadlineView {
    /// `2026年12月1日`, or empty.
    pub date: String,
    /// `overdue`, `due-soon` or empty.
    pub mark: &'static str,
    /// `剩 3 个工作日`, `已逾期 2 个工作日`, `今日到期`.
    pub remaining: String,
}

/// The deadline of an open application on `today`.
pub fn deadline_view(
    state: &ApplicationState,
    today: chrono::NaiveDate,
    cal: &Calendar,
) -> DeadlineView {
    let Some(d) = state.deadline() else {
        return DeadlineView::default();
    };
    let date = view::date_zh(d);
    if !state.is_open() {
        return DeadlineView {
            date,
            ..DeadlineView::default()
        };
    }
    if state.stage == Stage::AwaitingCorrection {
        return DeadlineView {
            date,
            mark: "",
            remaining: "补正中，期限暂停".into(),
        };
    }
    if today > d {
        let late = cal.working_days_between(d, today).value;
        return DeadlineView {
            date,
            mark: "overdue",
            remaining: format!("已逾期 {late} 个工作日"),
        };
    }
    let left = cal.working_days_between(today, d).value;
    DeadlineView {
        date,
        mark: if left <= DUE_SOON_DAYS {
            "due-soon"
        } else {
            ""
        },
        remaining: if left == 0 {
            "今日到期".into()
        } else {
            format!("剩 {left} 个工作日")
        },
    }
}

pub struct AppRow {
    pub id: String,
    pub id_url: String,
    pub applicant: String,
    pub kind: &'static str,
    pub description: String,
    pub received: String,
    pub stage: &'static str,
    pub deadline: DeadlineView,
}

fn truncate(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

#[derive(Template, WebTemplate)]
#[template(path = "ledger_home.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<AppRow>,
    show_all: bool,
    today: String,
    overdue: usize,
    due_soon: usize,
    can_record: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub all: Option<String>,
    pub msg: Option<String>,
}

/// The rows of the list, in the service's order.
pub fn rows(listed: &[Listed], today: chrono::NaiveDate, cal: &Calendar) -> Vec<AppRow> {
    listed
        .iter()
        .map(
            |Listed {
                 application: a,
                 state: s,
             }| AppRow {
                id: a.id.0.clone(),
                id_url: percent_encode(&a.id.0),
                applicant: a.applicant.name.clone(),
                kind: a.applicant.kind.label_zh(),
                description: truncate(&a.request.description, 40),
                received: s.received_on.map(view::date_zh).unwrap_or_default(),
                stage: s.stage.label_zh(),
                deadline: deadline_view(s, today, cal),
            },
        )
        .collect()
}

async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<ListPage, PageError> {
    let user = ctx.user()?;
    let all = q.all.is_some();
    let listed = st
        .service()
        .applications(ListFilter {
            all,
            due_within: None,
        })
        .await?;
    let today = view::today();
    let rows = rows(&listed, today, st.store().calendar());
    Ok(ListPage {
        overdue: rows.iter().filter(|r| r.deadline.mark == "overdue").count(),
        due_soon: rows
            .iter()
            .filter(|r| r.deadline.mark == "due-soon")
            .count(),
        can_record: user.role.can_record(),
        chrome: Chrome::new(&ctx, "ledger").flash(q.msg.as_deref()),
        rows,
        show_all: all,
        today: view::date_zh(today),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "ledger_new.html")]
struct NewPage {
    chrome: Chrome,
    error: Option<String>,
    today: String,
    kinds: Options,
    channels: Options,
    id_documents: Options,
    forms: Options,
    deliveries: Options,
    form: RegisterForm,
}

type Options = Vec<(&'static str, &'static str)>;

impl NewPage {
    fn new(ctx: &Ctx, form: RegisterForm, error: Option<String>) -> Self {
        NewPage {
            chrome: Chrome::new(ctx, "ledger"),
            error,
            today: view::today().to_string(),
            kinds: forms::options::<ApplicantKind>(),
            channels: forms::options::<ChannelKind>(),
            id_documents: forms::options::<IdDocument>(),
            forms: forms::options::<InformationForm>(),
            deliveries: forms::options::<Delivery>(),
            form,
        }
    }
}

async fn new_page(ctx: Ctx) -> Result<NewPage, PageError> {
    ctx.recorder()?;
    Ok(NewPage::new(&ctx, RegisterForm::blank(view::today()), None))
}

async fn register(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(form): Form<RegisterForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let actor = ctx.recorder()?.actor(Via::Web);
    let message = match form.to_new() {
        Ok(new) => match st.service().register(&actor, new).await {
            Ok(r) => {
                return Ok(Redirect::to(&format!(
                    "/ledger/a/{}?msg=registered",
                    percent_encode(&r.application.id.0)
                ))
                .into_response());
            }
            Err(e) if refusable(&e) => e.to_string(),
            Err(e) => return Err(e.into()),
        },
        Err(m) => m,
    };
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        NewPage::new(&ctx, form, Some(message)),
    )
        .into_response())
}

/// An error shown on the form it came from (the clerk can correct it), rather than as an
/// error page: input refused, a conflict, a step out of turn.
pub(crate) fn refusable(e: &ServiceError) -> bool {
    matches!(
        e.kind(),
        ErrorKind::Invalid | ErrorKind::Conflict | ErrorKind::Forbidden
    )
}

/// One line of the timeline.
pub struct EventView {
    pub seq: u32,
    pub date: String,
    pub label: &'static str,
    pub detail: String,
    pub note: String,
    pub recorded: String,
}

/// The details of an event in words.
pub fn describe(kind: &EventKind) -> String {
    match kind {
        EventKind::Received { channel } => {
            let when = match channel {
                Channel::OrdinaryMail { arrived_on } => {
                    format!("，{}到达", view::date_zh(*arrived_on))
                }
                Channel::Online { submitted_on } => {
                    format!("，{}提交", view::date_zh(*submitted_on))
                }
                Channel::Fax { sent_on } => format!("，{}发送", view::date_zh(*sent_on)),
                _ => String::new(),
            };
            format!(
                "{}{when}；{}",
                channel.label_zh(),
                channel.receipt_rule_zh()
            )
        }
        EventKind::CorrectionRequested { items, due } => {
            format!("补正事项：{items}；补正期限 {}", view::date_zh(*due))
        }
        EventKind::Corrected | EventKind::NotCorrected | EventKind::FeeNotPaid => String::new(),
        EventKind::ConsultationSent {
            consultation,
            party,
        } => format!(
            "{}：{party}（{}）",
            consultation.label_zh(),
            consultation.article_zh()
        ),
        EventKind::ConsultationAnswered {
            consultation_seq,
            consents,
        } => format!(
            "第 {consultation_seq} 项征求意见的答复：{}",
            match consents {
                Some(true) => "同意公开",
                Some(false) => "不同意公开",
                None => "未表态",
            }
        ),
        EventKind::Extended {
            days,
            approved_by,
            applicant_notified_on,
        } => format!(
            "延长 {days} 个工作日，批准人 {approved_by}，{}告知申请人",
            view::date_zh(*applicant_notified_on)
        ),
        EventKind::FeeNoticeSent {
            amount,
            received_by_applicant_on,
            ..
        } => format!(
            "信息处理费 {amount} 元{}",
            received_by_applicant_on
                .map(|d| format!("，申请人{}收到", view::date_zh(d)))
                .unwrap_or_default()
        ),
        EventKind::FeePaid { amount } => format!("缴纳 {amount} 元"),
        EventKind::DelayedReplyNotice { deadline, reason } => {
            format!(
                "确定答复期限为 {}；理由：{reason}",
                view::date_zh(*deadline)
            )
        }
        EventKind::Decided { decision } => {
            format!("{}（{}）", decision.label_zh(), decision.article())
        }
        EventKind::ReplySent { method } => format!("送达方式：{}", method.label_zh()),
        EventKind::Withdrawn { reason } => reason.clone().unwrap_or_default(),
        EventKind::Amended { changes, reason } => {
            crate::pages::corrections::describe(changes, reason)
        }
    }
}

pub struct DecisionOption {
    pub key: &'static str,
    pub label: &'static str,
    pub group: &'static str,
}

/// The 21 decisions for `<select>`, with their group headings.
pub fn decision_options() -> Vec<DecisionOption> {
    Decision::ALL
        .iter()
        .map(|d| DecisionOption {
            key: d.row_key(),
            label: d.label_zh(),
            group: d.group_zh(),
        })
        .collect()
}

pub struct Fact {
    pub label: &'static str,
    pub value: String,
}

pub struct StepView {
    pub seq: Option<u32>,
    pub text: String,
}

/// Which event forms the page offers.
#[derive(Default)]
pub struct Offer {
    pub correction: bool,
    pub corrected: bool,
    pub consultation: bool,
    pub answer: bool,
    pub extension: bool,
    pub fee: bool,
    pub fee_paid: bool,
    pub delay: bool,
    pub decide: bool,
    pub reply: bool,
    pub withdraw: bool,
}

impl Offer {
    fn any(&self) -> bool {
        self.correction
            || self.corrected
            || self.consultation
            || self.extension
            || self.fee
            || self.decide
            || self.reply
            || self.withdraw
    }
}

fn offer(app: &Application, s: &ApplicationState) -> Offer {
    if !s.is_open() {
        return Offer::default();
    }
    let has = |t: EventType| app.events.iter().any(|e| e.kind.event_type() == t);
    let awaiting = s.stage == Stage::AwaitingCorrection;
    Offer {
        correction: !has(EventType::CorrectionRequested),
        corrected: awaiting,
        consultation: !awaiting,
        answer: s.open_consultations > 0,
        extension: !awaiting && !has(EventType::Extended),
        fee: !awaiting && s.fee.is_none(),
        fee_paid: s.fee.as_ref().is_some_and(|f| f.paid_on.is_none()),
        delay: !awaiting && !has(EventType::DelayedReplyNotice),
        decide: !awaiting,
        reply: s.decision.is_some() && !awaiting,
        withdraw: true,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "application.html")]
struct AppPage {
    chrome: Chrome,
    id: String,
    id_url: String,
    applicant: Vec<Fact>,
    request: Vec<Fact>,
    stage: &'static str,
    closed: String,
    decision: String,
    deadline: DeadlineView,
    steps: Vec<StepView>,
    notices: Vec<String>,
    events: Vec<EventView>,
    error: Option<String>,
    can_record: bool,
    offer: Offer,
    today: String,
    correction_due: String,
    decisions: Vec<DecisionOption>,
    reply_methods: Options,
    consultations: Vec<(u32, String)>,
    earlier_units: u32,
    review: ReviewPanel,
    review_title: &'static str,
    review_url: String,
    letter: bool,
    /// The letter downloads are drafts (the reply is not approved as it stands).
    letter_draft: bool,
    correction: crate::pages::corrections::CorrectionView,
}

async fn build_page(
    st: &AppState,
    ctx: &Ctx,
    id: &str,
    error: Option<String>,
    msg: Option<&str>,
) -> Result<AppPage, PageError> {
    let user = ctx.user()?;
    let store = st.store();
    let gongkai_service::Detail {
        application: app,
        state: s,
        review,
    } = st
        .service()
        .application(&ApplicationId(id.to_string()), None)
        .await?;
    let cal = store.calendar();
    let today = view::today();
    let a = &app.applicant;
    let mut applicant = vec![
        Fact {
            label: "申请人",
            value: a.name.clone(),
        },
        Fact {
            label: "类型",
            value: a.kind.label_zh().to_string(),
        },
    ];
    if let Some(i) = &a.identity {
        applicant.push(Fact {
            label: "身份证明",
            value: format!("{} {}", i.document.label_zh(), i.number),
        });
    }
    for (label, v) in [
        ("联系人", &a.representative),
        ("电话", &a.contact.phone),
        ("电子邮箱", &a.contact.email),
        ("通信地址", &a.contact.address),
        ("邮政编码", &a.contact.postcode),
    ] {
        if let Some(v) = v {
            applicant.push(Fact {
                label,
                value: v.clone(),
            });
        }
    }
    let r = &app.request;
    let mut request = vec![Fact {
        label: "所需信息",
        value: r.description.clone(),
    }];
    if let Some(n) = &r.document_number {
        request.push(Fact {
            label: "文号",
            value: n.clone(),
        });
    }
    request.push(Fact {
        label: "载体形式",
        value: r.form.label_zh().to_string(),
    });
    request.push(Fact {
        label: "获取方式",
        value: r.delivery.label_zh().to_string(),
    });
    let mut steps: Vec<StepView> = s
        .clock
        .as_ref()
        .map(|c| {
            c.steps()
                .into_iter()
                .map(|k| StepView {
                    seq: k.seq,
                    text: k.text,
                })
                .collect()
        })
        .unwrap_or_default();
    if steps.is_empty()
        && let Some(c) = &s.correction
        && c.corrected_on.is_none()
        && !c.lapsed
    {
        steps.push(StepView {
                seq: None,
                text: format!(
                    "{}告知补正，补正期限为{}。依照条例第三十条，答复期限自收到补正后的申请之日起重新计算。",
                    view::date_zh(c.requested_on),
                    view::date_zh(c.due)
                ),
            });
    }
    let mut events: Vec<EventView> = app
        .events
        .iter()
        .map(|e| EventView {
            seq: e.seq,
            date: view::date_zh(e.date),
            label: e.kind.event_type().label_zh(),
            detail: describe(&e.kind),
            note: e.note.clone().unwrap_or_default(),
            recorded: format!(
                "{} 由 {} 登记",
                view::datetime(e.recorded_at),
                e.recorded_by.as_deref().unwrap_or("—")
            ),
        })
        .collect();
    events.sort_by_key(|e| {
        let ev = &app.events[(e.seq - 1) as usize];
        (ev.date, ev.seq)
    });
    let consultations = app
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::ConsultationSent {
                consultation,
                party,
            } => {
                let answered = app.events.iter().any(|x| {
                    matches!(x.kind, EventKind::ConsultationAnswered { consultation_seq, .. } if consultation_seq == e.seq)
                });
                (!answered).then(|| {
                    (
                        e.seq,
                        format!(
                            "第 {} 项：{}（{}）",
                            e.seq,
                            party,
                            match consultation {
                                ConsultationKind::ThirdParty => "第三方",
                                ConsultationKind::CoProducer => "共同制作机关",
                            }
                        ),
                    )
                })
            }
            _ => None,
        })
        .collect();
    let mut notices: Vec<String> = s.notices.iter().map(ToString::to_string).collect();
    notices.extend(
        s.invalid_events
            .iter()
            .map(|i| format!("第 {} 项事项：{}", i.seq, i.message)),
    );
    if let Some(c) = &s.clock {
        notices.extend(c.warnings.iter().map(ToString::to_string));
    }
    let earlier_units = store.earlier_units_in_month(&app.id).await.unwrap_or(0);
    let correction_due = s
        .received_on
        .map(|r| cal.add_working_days(today.max(r), 15).value.to_string())
        .unwrap_or_default();
    let off = offer(&app, &s);
    Ok(AppPage {
        chrome: Chrome::new(ctx, "ledger").flash(msg),
        id: app.id.0.clone(),
        id_url: percent_encode(&app.id.0),
        applicant,
        request,
        stage: s.stage.label_zh(),
        closed: match (s.closure, s.closed_on) {
            (Some(c), Some(d)) => format!("{c}（{}）", view::date_zh(d)),
            _ => String::new(),
        },
        decision: s
            .decision
            .map(|d| d.label_zh().to_string())
            .unwrap_or_default(),
        deadline: deadline_view(&s, today, cal),
        steps,
        notices,
        events,
        error,
        can_record: user.role.can_record(),
        offer: off,
        today: today.to_string(),
        correction_due,
        decisions: decision_options(),
        reply_methods: forms::options::<ReplyMethod>(),
        consultations,
        earlier_units,
        letter_draft: review.status != gongkai_store::ReviewStatus::Approved,
        correction: crate::pages::corrections::CorrectionView::of(&app),
        review: review_panel(&review, user, s.decision.is_some()),
        review_title: "答复审核（信息员 → 办公室主任 → 分管领导）",
        review_url: format!("/ledger/a/{}/review", percent_encode(&app.id.0)),
        letter: s.decision.is_some(),
    })
}

async fn app_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<AppPage, PageError> {
    build_page(&st, &ctx, &id, None, q.msg.as_deref()).await
}

/// Re-renders the application page with the refusal, or fails for a storage error.
pub(crate) async fn refused(
    st: &AppState,
    ctx: &Ctx,
    id: &str,
    message: String,
) -> Result<Response, PageError> {
    let page = build_page(st, ctx, id, Some(message), None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn add_event(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<EventForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let actor = ctx.recorder()?.actor(Via::Web);
    let draft = match form.to_draft() {
        Ok(d) => d,
        Err(m) => return refused(&st, &ctx, &id, m).await,
    };
    match st
        .service()
        .append_event(&actor, &ApplicationId(id.clone()), draft)
        .await
    {
        Ok(r) => Ok(Redirect::to(&format!(
            "/ledger/a/{}?msg=event#e-{}",
            percent_encode(&id),
            r.event.seq
        ))
        .into_response()),
        Err(e) if refusable(&e) => refused(&st, &ctx, &id, e.to_string()).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    pub csrf: String,
    /// `submit`, `approve` (the level that is due) or `send_back`.
    pub action: String,
    pub note: String,
}

/// Takes a review step from a form; the service checks the role and the turn.
pub async fn review_step(
    st: &AppState,
    user: &AuthUser,
    subject: &ReviewSubject,
    form: &ReviewForm,
) -> Result<Review, ServiceError> {
    let note = Some(form.note.clone());
    let actor = user.actor(Via::Web);
    let svc = st.service();
    match form.action.as_str() {
        "approve" => svc.approve(&actor, subject, note).await,
        "send_back" => {
            svc.review_step(&actor, subject, ReviewAction::SendBack, note)
                .await
        }
        "submit" => {
            svc.review_step(&actor, subject, ReviewAction::Submit, note)
                .await
        }
        "reopen" => {
            svc.review_step(&actor, subject, ReviewAction::Reopen, note)
                .await
        }
        other => Err(ServiceError::invalid(
            "审核操作",
            format!("未知的审核操作“{other}”"),
        )),
    }
}

async fn review(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.user()?.clone();
    let subject = ReviewSubject::Reply {
        application: ApplicationId(id.clone()),
    };
    match review_step(&st, &user, &subject, &form).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/ledger/a/{}?msg=review#review",
            percent_encode(&id)
        ))
        .into_response()),
        Err(e) if refusable(&e) => refused(&st, &ctx, &id, e.to_string()).await,
        Err(e) => Err(e.into()),
    }
}

async fn letter(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, format)): Path<(String, String)>,
) -> Result<Response, PageError> {
    ctx.user()?;
    let store = st.store();
    let app = store.application(&ApplicationId(id)).await?;
    let settings = store.settings().await?;
    let today = view::today();
    let s = app.state_at(today, store.calendar(), settings);
    let Some(decision) = s.decision else {
        return Err(PageError::BadRequest(
            "尚未作出答复结论，不能生成答复书".into(),
        ));
    };
    let template = store.template(decision.row_key()).await?;
    let agency = store.agency().await.unwrap_or_default();
    // Until the reply is approved as it stands, every download is marked 未经审核（草稿）.
    let review = st
        .service()
        .review(&ReviewSubject::Reply {
            application: app.id.clone(),
        })
        .await?;
    let draft = review.status != gongkai_store::ReviewStatus::Approved;
    let letter =
        letters::Letter::new(&app, &s, decision, &agency, template.as_ref(), today).draft(draft);
    letters::download(letter, &format).await
}
