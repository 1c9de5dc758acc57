//! `POST /account/agency`: the agency switch in the top bar. A user who holds ledger roles
//! in several agencies of the platform picks the one to work in; the session remembers it
//! (`sessions.agency_id`), every page and API call then reads and writes that agency's
//! records with the roles held there. Refused (403) for an agency where the user holds no
//! ledger role; audited `session.agency`. An API token is made for one agency and does not
//! switch (`PUT /api/v1/session/agency` switches an API session).

use axum::Router;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use gongkai_service::Via;
use gongkai_store::SessionToken;
use serde::Deserialize;

use crate::error::PageError;
use crate::{AppState, Ctx};

pub const SWITCH_PATH: &str = "/account/agency";

pub fn router() -> Router<AppState> {
    Router::new().route(SWITCH_PATH, post(switch))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SwitchForm {
    csrf: String,
    /// The code of the agency to work in.
    agency: String,
}

async fn switch(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SwitchForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let actor = ctx.user()?.actor(Via::Web);
    let Some(token) = ctx.session.clone().filter(|_| !ctx.via_bearer) else {
        return Err(PageError::BadRequest(
            "只有网页登录的会话可以切换机关（访问令牌只用于制作它的机关）".into(),
        ));
    };
    st.service()
        .switch_agency(&actor, &SessionToken(token), form.agency.trim())
        .await?;
    // The pages of the other agency start from its ledger (an application's page of this
    // agency would not be found there).
    Ok(Redirect::to("/ledger?msg=agency_switched").into_response())
}
