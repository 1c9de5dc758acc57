//! `/account/tokens`: the user's personal API tokens — create (named, optional expiry; the
//! token is shown once), list (with the last use), revoke. The command line and the JSON
//! API accept them in place of a password; every change made with one is audited with the
//! token's prefix.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use gongkai_service::Via;
use gongkai_store::ApiToken;
use serde::Deserialize;

use crate::error::PageError;
use crate::view::{self, Chrome};
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/tokens", get(page).post(create))
        .route("/account/tokens/revoke", post(revoke))
}

struct Row {
    id: String,
    name: String,
    prefix: String,
    created: String,
    expires: String,
    last_used: String,
    live: bool,
    state: &'static str,
}

struct Created {
    name: String,
    secret: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "account_tokens.html")]
struct TokensPage {
    chrome: Chrome,
    rows: Vec<Row>,
    created: Option<Created>,
    error: Option<String>,
    name: String,
    days: String,
}

fn row(t: ApiToken, now: chrono::DateTime<Utc>) -> Row {
    let state = if t.revoked_at.is_some() {
        "已撤销"
    } else if t.is_live(now) {
        "有效"
    } else {
        "已过期"
    };
    Row {
        live: t.is_live(now),
        created: view::datetime(t.created_at),
        expires: t.expires_at.map_or_else(|| "长期".into(), view::datetime),
        last_used: t
            .last_used_at
            .map_or_else(|| "未使用".into(), view::datetime),
        id: t.id,
        name: t.name,
        prefix: t.prefix,
        state,
    }
}

async fn render(
    st: &AppState,
    ctx: &Ctx,
    created: Option<Created>,
    error: Option<String>,
    form: Option<&CreateForm>,
    flash: Option<&str>,
) -> Result<TokensPage, PageError> {
    let actor = ctx.user()?.actor(Via::Web);
    let now = Utc::now();
    let rows = st
        .service()
        .tokens(&actor)
        .await?
        .into_iter()
        .map(|t| row(t, now))
        .collect();
    Ok(TokensPage {
        chrome: Chrome::new(ctx, "").flash(flash),
        rows,
        created,
        error,
        name: form.map(|f| f.name.clone()).unwrap_or_default(),
        days: form.map(|f| f.days.clone()).unwrap_or_default(),
    })
}

#[derive(Debug, Default, Deserialize)]
struct MsgQuery {
    msg: Option<String>,
}

async fn page(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<MsgQuery>,
) -> Result<Response, PageError> {
    Ok(render(&st, &ctx, None, None, None, q.msg.as_deref())
        .await?
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CreateForm {
    csrf: String,
    name: String,
    /// Days of validity; empty for a token without expiry.
    days: String,
}

async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(form): Form<CreateForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let actor = ctx.user()?.actor(Via::Web);
    let days = form.days.trim();
    let expires_at = if days.is_empty() {
        None
    } else {
        match days.parse::<i64>() {
            Ok(d) if (1..=3650).contains(&d) => Some(Utc::now() + chrono::Duration::days(d)),
            _ => {
                let page = render(
                    &st,
                    &ctx,
                    None,
                    Some("有效期：请填写1至3650之间的天数，或留空（长期有效）".into()),
                    Some(&form),
                    None,
                )
                .await?;
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
            }
        }
    };
    match st
        .service()
        .create_token(&actor, &form.name, expires_at)
        .await
    {
        Ok((secret, token)) => {
            let created = Created {
                name: token.name,
                secret,
            };
            Ok(render(&st, &ctx, Some(created), None, None, None)
                .await?
                .into_response())
        }
        Err(e) if e.kind() == gongkai_service::ErrorKind::Invalid => {
            let page = render(&st, &ctx, None, Some(e.to_string()), Some(&form), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RevokeForm {
    csrf: String,
    id: String,
}

async fn revoke(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(form): Form<RevokeForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
    let actor = ctx.user()?.actor(Via::Web);
    st.service().revoke_token(&actor, form.id.trim()).await?;
    Ok(Redirect::to("/account/tokens?msg=token_revoked").into_response())
}
