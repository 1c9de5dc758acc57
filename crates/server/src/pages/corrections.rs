//! 更正 on the application page: the form that corrects named fields of the registration
//! (each field pre-filled with its current value; only the fields changed are corrected),
//! with a required reason; and how a correction reads in the timeline (old → new, why).

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use gongkai_ledger::{
    AmendDraft, ApplicantKind, Application, ApplicationId, ChannelKind, Contact, Delivery,
    FieldChange, InformationForm,
};
use gongkai_service::Via;
use serde::Deserialize;

use crate::check::percent_encode;
use crate::error::PageError;
use crate::forms::{self, optional, pick};
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/ledger/a/{id}/correct", post(correct))
}

/// The correction form's current values and choices.
pub struct CorrectionView {
    pub name: String,
    pub kind: &'static str,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub postcode: String,
    pub received: String,
    pub channel: &'static str,
    pub arrived: String,
    pub description: String,
    pub document_number: String,
    pub form: &'static str,
    pub delivery: &'static str,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub channels: Vec<(&'static str, &'static str)>,
    pub forms: Vec<(&'static str, &'static str)>,
    pub deliveries: Vec<(&'static str, &'static str)>,
}

use gongkai_ledger::Vocabulary as _;

impl CorrectionView {
    pub fn of(app: &Application) -> CorrectionView {
        let a = &app.applicant;
        let r = &app.request;
        let receipt = app.receipt();
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        CorrectionView {
            name: a.name.clone(),
            kind: a.kind.name(),
            phone: s(&a.contact.phone),
            email: s(&a.contact.email),
            address: s(&a.contact.address),
            postcode: s(&a.contact.postcode),
            received: receipt.map(|x| x.date.to_string()).unwrap_or_default(),
            channel: receipt.map_or("", |x| x.channel.kind().name()),
            arrived: receipt
                .and_then(|x| x.channel.earlier_date())
                .map(|d| d.to_string())
                .unwrap_or_default(),
            description: r.description.clone(),
            document_number: s(&r.document_number),
            form: r.form.name(),
            delivery: r.delivery.name(),
            kinds: forms::options::<ApplicantKind>(),
            channels: forms::options::<ChannelKind>(),
            forms: forms::options::<InformationForm>(),
            deliveries: forms::options::<Delivery>(),
        }
    }
}

/// A correction in the timeline: `申请人类型：自然人 → 商业企业；…；理由：…`.
pub fn describe(changes: &[FieldChange], reason: &str) -> String {
    let mut parts: Vec<String> = changes.iter().map(FieldChange::describe_zh).collect();
    parts.push(format!("理由：{reason}"));
    parts.join("；")
}

/// The posted form: every field with its (possibly unchanged) value.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CorrectionForm {
    pub csrf: String,
    pub reason: String,
    pub name: String,
    pub applicant_type: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub postcode: String,
    pub received: String,
    pub channel: String,
    pub arrived: String,
    pub description: String,
    pub document_number: String,
    pub form: String,
    pub delivery: String,
}

impl CorrectionForm {
    /// The values as a correction draft: the ledger keeps only those that differ from the
    /// current ones (an untouched form changes nothing and is refused).
    pub fn to_draft(&self, app: &Application) -> Result<AmendDraft, String> {
        let mut d = AmendDraft {
            applicant_name: optional(&self.name),
            ..AmendDraft::default()
        };
        if !self.applicant_type.trim().is_empty() {
            d.applicant_kind = Some(pick::<ApplicantKind>(&self.applicant_type)?);
        }
        d.contact = Some(Contact {
            phone: optional(&self.phone),
            email: optional(&self.email),
            address: optional(&self.address),
            postcode: optional(&self.postcode),
        });
        if let Some(current) = app.receipt() {
            let received = if self.received.trim().is_empty() {
                current.date
            } else {
                forms::date("收到申请日期", &self.received)?
            };
            let kind = if self.channel.trim().is_empty() {
                current.channel.kind()
            } else {
                pick::<ChannelKind>(&self.channel)?
            };
            let arrived = if self.arrived.trim().is_empty() {
                None
            } else {
                Some(forms::date("到达、提交或发送日期", &self.arrived)?)
            };
            d.received_on = Some(received);
            d.channel = Some(kind.with_dates(arrived, received));
        }
        d.description = optional(&self.description);
        d.document_number = Some(optional(&self.document_number));
        if !self.form.trim().is_empty() {
            d.form = Some(pick::<InformationForm>(&self.form)?);
        }
        if !self.delivery.trim().is_empty() {
            d.delivery = Some(pick::<Delivery>(&self.delivery)?);
        }
        Ok(d)
    }
}

async fn correct(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<CorrectionForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let actor = ctx.recorder()?.actor(Via::Web);
    let app_id = ApplicationId(id.clone());
    let app = st.store().application(&app_id).await?;
    let draft = match form.to_draft(&app) {
        Ok(d) => d,
        Err(m) => return crate::pages::ledger::refused(&st, &ctx, &id, m).await,
    };
    match st
        .service()
        .correct_application(&actor, &app_id, &draft, &form.reason, None)
        .await
    {
        Ok(r) => Ok(Redirect::to(&format!(
            "/ledger/a/{}?msg=amended#e-{}",
            percent_encode(&id),
            r.event.seq
        ))
        .into_response()),
        Err(e) if crate::pages::ledger::refusable(&e) => {
            crate::pages::ledger::refused(&st, &ctx, &id, e.to_string()).await
        }
        Err(e) => Err(e.into()),
    }
}
