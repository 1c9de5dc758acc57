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
use gongkai_ledger::text::{Lang, event_detail, mask_id_number};
use gongkai_ledger::{
    ApplicantKind, Application, ApplicationId, ApplicationState, Calendar, ChannelKind,
    ConsultationKind, Decision, Delivery, EventKind, EventType, IdDocument, InformationForm,
    ReplyMethod, Stage,
};
use gongkai_service::{ErrorKind, ServiceError, Via};
use gongkai_store::{Review, ReviewAction, ReviewSubject};
use serde::Deserialize;

use crate::check::percent_encode;
use crate::error::PageError;
use crate::forms::{self, EventForm, FieldError, Refusal, RegisterForm};
use crate::pages::MsgQuery;
use crate::pages::reviews::{ReviewPanel, review_panel};
use crate::view::{self, Chrome};
use crate::{AppState, AuthUser, Ctx, letters};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ledger", get(super::ledger_list::list))
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

#[derive(Template, WebTemplate)]
#[template(path = "ledger_new.html")]
struct NewPage {
    chrome: Chrome,
    error: Option<String>,
    /// The field the error is about (its message is shown beside it too).
    error_field: &'static str,
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
    fn new(ctx: &Ctx, form: RegisterForm, error: Option<FieldError>) -> Self {
        NewPage {
            chrome: Chrome::new(ctx, "ledger"),
            error_field: error.as_ref().map_or("", |e| e.field),
            error: error.map(|e| e.message),
            today: view::today().to_string(),
            kinds: forms::options::<ApplicantKind>(),
            channels: forms::options::<ChannelKind>(),
            id_documents: forms::options::<IdDocument>(),
            forms: forms::options::<InformationForm>(),
            deliveries: forms::options::<Delivery>(),
            form,
        }
    }

    /// The message beside `field`, or empty.
    fn err(&self, field: &str) -> &str {
        match &self.error {
            Some(m) if self.error_field == field => m,
            _ => "",
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
            Err(e) if refusable(&e) => FieldError {
                field: forms::register_field(e.code()),
                message: e.to_string(),
            },
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

/// The details of an event in words (the shared wording of `gongkai_ledger::text`).
pub fn describe(kind: &EventKind) -> String {
    event_detail(kind, Lang::Zh)
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
        // Whenever a consultation is unanswered, even after its 15 working days: an answer
        // entered late, dated when it came, ends the pause on that date (the ledger checks
        // the date).
        answer: unanswered_consultations(app) > 0,
        extension: !awaiting && !has(EventType::Extended),
        fee: !awaiting && s.fee.is_none(),
        fee_paid: s.fee.as_ref().is_some_and(|f| f.paid_on.is_none()),
        delay: !awaiting && !has(EventType::DelayedReplyNotice),
        decide: !awaiting,
        reply: s.decision.is_some() && !awaiting,
        withdraw: true,
    }
}

/// Consultations of the log without an answer.
fn unanswered_consultations(app: &Application) -> usize {
    app.events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::ConsultationSent { .. }))
        .filter(|e| {
            !app.events.iter().any(|x| {
                matches!(x.kind, EventKind::ConsultationAnswered { consultation_seq, .. } if consultation_seq == e.seq)
            })
        })
        .count()
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
    /// A refused event form: what was entered and the message beside its field.
    f: Refusal,
    can_record: bool,
    offer: Offer,
    today: String,
    decisions: Vec<DecisionOption>,
    reply_methods: Options,
    consultations: Vec<(u32, String)>,
    review: ReviewPanel,
    review_title: &'static str,
    review_url: String,
    letter: bool,
    /// The letter downloads are drafts (the reply is not approved as it stands).
    letter_draft: bool,
    correction: crate::pages::corrections::CorrectionView,
    /// Submitted online: the identity documents and the e-mail notices.
    online: crate::pages::online_case::OnlineCaseView,
}

async fn build_page(
    st: &AppState,
    ctx: &Ctx,
    id: &str,
    error: Option<String>,
    refusal: Refusal,
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
        // In full only for those who handle the case; masked for the others.
        let number = if user.can_see_identity() {
            i.number.clone()
        } else {
            mask_id_number(&i.number)
        };
        applicant.push(Fact {
            label: "身份证明",
            value: format!("{} {number}", i.document.label_zh()),
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
    let names = st.service().display_names().await?;
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
                e.recorded_by.as_deref().map_or("—", |n| names.of(n))
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
    let online =
        crate::pages::online_case::OnlineCaseView::of(st, &user.actor(Via::Web), &app.id.0).await?;
    Ok(AppPage {
        online,
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
        f: refusal
            .today(today)
            .default_value("correction_requested", "due", &correction_due)
            .default_value("consultation_sent", "consultation", "third_party")
            .default_value("extended", "days", 20)
            .default_value("extended", "applicant_notified_on", today)
            .default_value("fee_notice_sent", "basis", "per_application")
            .default_value("fee_notice_sent", "units", app.request.fee_units.max(1))
            .default_value("fee_notice_sent", "earlier_units", earlier_units),
        can_record: user.can_record(),
        offer: off,
        today: today.to_string(),
        decisions: decision_options(),
        reply_methods: forms::options::<ReplyMethod>(),
        consultations,
        letter_draft: review.status != gongkai_store::ReviewStatus::Approved,
        correction: crate::pages::corrections::CorrectionView::of(&app),
        review: {
            let mut panel = review_panel(&review, user, s.decision.is_some());
            for step in &mut panel.steps {
                step.actor = names.of(&step.actor).to_string();
            }
            panel
        },
        review_title: "答复审核（信息员 → 办公室主任 → 分管领导）",
        review_url: format!("/ledger/a/{}/review", percent_encode(&app.id.0)),
        letter: s.decision.is_some(),
    })
}

async fn app_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<MsgQuery>,
) -> Result<AppPage, PageError> {
    build_page(&st, &ctx, &id, None, Refusal::default(), q.msg.as_deref()).await
}

/// Re-renders the application page with the refusal, or fails for a storage error.
pub(crate) async fn refused(
    st: &AppState,
    ctx: &Ctx,
    id: &str,
    message: String,
) -> Result<Response, PageError> {
    let page = build_page(st, ctx, id, Some(message), Refusal::default(), None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Re-renders the application page with the refused event form as entered, its message
/// beside the field it is about (and at the head of the page).
async fn refused_form(
    st: &AppState,
    ctx: &Ctx,
    id: &str,
    form: &EventForm,
    error: FieldError,
) -> Result<Response, PageError> {
    let refusal = Refusal::new(form.kind.trim(), form, &error);
    let page = build_page(st, ctx, id, Some(error.message), refusal, None).await?;
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
        Err(e) => return refused_form(&st, &ctx, &id, &form, e).await,
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
        Err(e) if refusable(&e) => {
            let error = FieldError {
                field: forms::event_field(e.code()),
                message: e.to_string(),
            };
            refused_form(&st, &ctx, &id, &form, error).await
        }
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
    let actor = ctx.user()?.actor(Via::Web);
    let letter = st
        .service()
        .letter(&actor, &ApplicationId(id.clone()))
        .await?;
    let resp = letters::download(letter, &format).await?;
    // The letter names the applicant: its download is audited.
    st.service()
        .record_download(&actor, "application", &id, &format)
        .await?;
    Ok(resp)
}
