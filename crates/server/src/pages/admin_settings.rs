//! 机关设置 (`/admin/settings`, 管理员): the agency's name, address and contact, the
//! 复议机关 and the court named in reply letters, which replies need which review levels,
//! who may reopen an approved annual report, and the calendar directory. Saved through
//! the service (`Service::configure`: limits, checks, one transaction, audited); a refusal
//! re-renders the form as entered with the Chinese message.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use gongkai_ledger::{GrantedReplyApproval, OfficeSettings, ReopenBy};
use gongkai_service::{OfficeView, Via};
use serde::Deserialize;

use crate::error::PageError;
use crate::view::Chrome;
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/settings", get(page).post(save))
}

/// The form's fields, as entered.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    csrf: String,
    agency: String,
    address: String,
    contact: String,
    office_name: String,
    hours: String,
    phone: String,
    fax: String,
    email: String,
    postcode: String,
    guide_note: String,
    rules_topic: String,
    /// A checkbox: `on` when checked.
    online_receipt_by_clerk: String,
    organ: String,
    court: String,
    calendar_dir: String,
    /// `all_levels` or `office_head`.
    granted: String,
    /// `leader` or `office_head`.
    reopen: String,
}

impl SettingsForm {
    fn of(v: &OfficeView) -> Self {
        SettingsForm {
            csrf: String::new(),
            agency: v.agency.clone(),
            address: v.office.address.clone(),
            contact: v.office.contact.clone(),
            office_name: v.office.office_name.clone(),
            hours: v.office.hours.clone(),
            phone: v.office.phone.clone(),
            fax: v.office.fax.clone(),
            email: v.office.email.clone(),
            postcode: v.office.postcode.clone(),
            guide_note: v.office.guide_note.clone(),
            rules_topic: v.office.rules_topic.clone(),
            online_receipt_by_clerk: if v.office.online_receipt_by_clerk {
                "on".into()
            } else {
                String::new()
            },
            organ: v.office.reconsideration_organ.clone(),
            court: v.office.court.clone(),
            calendar_dir: v.office.calendar_dir.clone().unwrap_or_default(),
            granted: match v.settings.granted_reply_approval {
                GrantedReplyApproval::OfficeHead => "office_head",
                _ => "all_levels",
            }
            .into(),
            reopen: match v.settings.annual_report_reopen {
                ReopenBy::OfficeHead => "office_head",
                _ => "leader",
            }
            .into(),
        }
    }

    /// The view to save over `current` (the settings the page does not show are kept).
    fn apply(&self, current: &OfficeView) -> Result<OfficeView, String> {
        let mut settings = current.settings;
        settings.granted_reply_approval = match self.granted.as_str() {
            "all_levels" => GrantedReplyApproval::AllLevels,
            "office_head" => GrantedReplyApproval::OfficeHead,
            other => return Err(format!("予以公开答复的审核层级：无法识别“{other}”")),
        };
        settings.annual_report_reopen = match self.reopen.as_str() {
            "leader" => ReopenBy::Leader,
            "office_head" => ReopenBy::OfficeHead,
            other => return Err(format!("重新打开年度报告：无法识别“{other}”")),
        };
        Ok(OfficeView {
            agency: self.agency.clone(),
            office: OfficeSettings {
                reconsideration_organ: self.organ.clone(),
                court: self.court.clone(),
                address: self.address.clone(),
                contact: self.contact.clone(),
                office_name: self.office_name.clone(),
                hours: self.hours.clone(),
                phone: self.phone.clone(),
                fax: self.fax.clone(),
                email: self.email.clone(),
                postcode: self.postcode.clone(),
                guide_note: self.guide_note.clone(),
                rules_topic: self.rules_topic.clone(),
                online_receipt_by_clerk: self.online_receipt_by_clerk == "on",
                calendar_dir: Some(self.calendar_dir.clone()),
            },
            settings,
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_settings.html")]
struct SettingsPage {
    chrome: Chrome,
    form: SettingsForm,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Msg {
    msg: Option<String>,
}

async fn page(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<Msg>,
) -> Result<Response, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let view = st.service().office_view(&actor).await?;
    Ok(SettingsPage {
        chrome: Chrome::new(&ctx, "admin").flash(q.msg.as_deref()),
        form: SettingsForm::of(&view),
        error: None,
    }
    .into_response())
}

async fn save(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SettingsForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let actor = ctx.user()?.actor(Via::Web);
    let current = st.service().office_view(&actor).await?;
    let refuse = |error: String| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            SettingsPage {
                chrome: Chrome::new(&ctx, "admin"),
                form: form.clone(),
                error: Some(error),
            },
        )
            .into_response()
    };
    let view = match form.apply(&current) {
        Ok(v) => v,
        Err(e) => return Ok(refuse(e)),
    };
    match st.service().configure(&actor, &view).await {
        Ok(()) => Ok(Redirect::to("/admin/settings?msg=settings").into_response()),
        Err(e) if e.kind() == gongkai_service::ErrorKind::Invalid => Ok(refuse(e.to_string())),
        Err(e) => Err(e.into()),
    }
}
