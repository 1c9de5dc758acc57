//! The request context: who is asking (visitor, logged-in user), how (session cookie or
//! bearer token), and the CSRF token their pages carry.
//!
//! [`layer`] runs on every request: it reads the visitor cookie (or makes one), looks the
//! session up in the store, and puts a [`Ctx`] in the request's extensions, which handlers
//! take as an extractor.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use chrono::Utc;
use gongkai_store::{Role, SessionToken, User};

use crate::AppState;
use crate::error::PageError;
use crate::security::{self, SESSION_COOKIE, VISITOR_COOKIE};
use crate::uploads::Owner;

/// A logged-in user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthUser {
    /// Login name (what the store's stamps and the audit log record).
    pub name: String,
    /// The display name, or the login name.
    pub display: String,
    /// The primary role.
    pub role: Role,
    /// Every role held (the primary one first).
    pub roles: Vec<Role>,
    /// The password must be changed before anything else (see `pages::account`).
    pub must_change_password: bool,
    /// The client's address (for the audit log; `-` when unknown).
    pub client: String,
    /// How the user was authenticated: `session` or `token:gkp_1a2b3c`.
    pub auth: String,
}

impl From<User> for AuthUser {
    fn from(u: User) -> Self {
        AuthUser {
            display: u
                .display_name
                .clone()
                .filter(|d| !d.trim().is_empty())
                .unwrap_or_else(|| u.name.clone()),
            roles: u.roles(),
            must_change_password: u.must_change_password,
            name: u.name,
            role: u.role,
            client: "-".to_string(),
            auth: "session".to_string(),
        }
    }
}

impl AuthUser {
    /// The service's actor for this user, acting through `via` from this request's client
    /// address (both go into the audit rows of the user's changes).
    pub fn actor(&self, via: gongkai_service::Via) -> gongkai_service::Actor {
        gongkai_service::Actor::authenticated(
            &self.name,
            (self.display != self.name).then(|| self.display.clone()),
            self.role,
            via,
        )
        .with_roles(&self.roles)
        .with_client(&self.client)
        .with_auth(self.auth.clone())
    }

    /// Whether the user holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// May register and change ledger records (one of the roles may).
    pub fn can_record(&self) -> bool {
        self.roles.iter().any(|r| r.can_record())
    }

    /// May see an identity number in full (one of the roles may).
    pub fn can_see_identity(&self) -> bool {
        self.roles.iter().any(|r| r.can_see_identity())
    }
}

/// Who is asking.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The browser's visitor id (a fresh one on its first request).
    pub visitor: String,
    /// The session token, when it is valid.
    pub session: Option<String>,
    /// The token came in an `Authorization: Bearer` header (API clients), not a cookie.
    pub via_bearer: bool,
    pub user: Option<AuthUser>,
    /// The CSRF token of this visitor and session.
    pub csrf: String,
    /// The page asked for (path and query of a GET), where the login returns to.
    pub return_to: Option<String>,
    /// The client's address: the TCP peer, or what a trusted proxy forwarded
    /// (`security::reached`); `-` when the server runs without one, as in tests that drive
    /// the router directly.
    pub client: String,
    /// The request came over TLS (cookies get `Secure`, answers HSTS).
    pub secure: bool,
    secret: security::Secret,
}

impl Ctx {
    /// The owner of what this visitor uploads.
    pub fn owner(&self) -> Owner {
        match &self.user {
            Some(u) => Owner::user(&u.name),
            None => Owner::visitor(&self.visitor),
        }
    }

    /// Whether `token` is this page's CSRF token.
    pub fn csrf_ok(&self, token: &str) -> bool {
        let session = if self.via_bearer {
            None
        } else {
            self.session.as_deref()
        };
        self.secret.verify_csrf(&self.visitor, session, token)
    }

    /// Refuses a form whose CSRF token is wrong.
    pub fn check_csrf(&self, token: &str) -> Result<(), PageError> {
        if self.csrf_ok(token) {
            Ok(())
        } else {
            Err(PageError::Csrf)
        }
    }

    /// The logged-in user, or a redirect to the login page.
    pub fn user(&self) -> Result<&AuthUser, PageError> {
        self.user
            .as_ref()
            .ok_or_else(|| PageError::Login(self.return_to.clone()))
    }

    /// The user, if their role may record applications, events, appeals and records.
    pub fn recorder(&self) -> Result<&AuthUser, PageError> {
        let u = self.user()?;
        if u.can_record() {
            Ok(u)
        } else {
            Err(PageError::Forbidden(format!(
                "{}不能登记或修改台账",
                u.role.label_zh()
            )))
        }
    }

    /// The name shown in a correction's history.
    pub fn who(&self) -> String {
        match &self.user {
            Some(u) => format!("{}（{}）", u.display, u.role.label_zh()),
            None => "访客".to_string(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| PageError::Internal("request context missing".into()))
    }
}

/// The middleware that builds the [`Ctx`].
pub async fn layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let headers = req.headers();
    let (visitor, new_visitor) =
        match security::cookie(headers, VISITOR_COOKIE).filter(|v| security::is_token(v)) {
            Some(v) => (v.to_string(), false),
            None => (security::random_hex(16), true),
        };
    let bearer = security::bearer(headers).map(str::to_string);
    let cookie_session = security::cookie(headers, SESSION_COOKIE).map(str::to_string);
    let had_cookie_session = cookie_session.is_some();
    let (token, via_bearer) = match bearer {
        Some(t) => (Some(t), true),
        None => (cookie_session, false),
    };
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    let config = state.config();
    let reached = security::reached(
        headers,
        peer,
        &config.trusted_proxies,
        config.secure_cookies,
    );
    let now = Utc::now();
    let mut user = None;
    let mut api_token = false;
    // A store failure counts as "not logged in": the page then asks to log in rather
    // than failing for a visitor who only checks reports.
    match token.as_deref() {
        Some(t) if via_bearer && gongkai_store::tokens::is_api_token(t) => {
            if let Ok(Some((tok, u))) = state.store().api_token_user(t, now).await {
                let mut u = AuthUser::from(u);
                u.auth = format!("token:{}", tok.prefix);
                user = Some(u);
                api_token = true;
            }
        }
        Some(t) if security::is_token(t) => {
            if let Ok(Some((_, u))) = state
                .store()
                .session_user(&SessionToken(t.to_string()), config.session.idle, now)
                .await
            {
                user = Some(AuthUser::from(u));
            }
        }
        _ => {}
    }
    // The web pages and the API work in the root agency (agency 1, the office of a
    // single-office database) in this stage: the user's roles are those held there, and a
    // user who holds none there (a user of another agency of the platform) is not let in.
    if let Some(u) = user.take()
        && let Ok(Some(m)) = state.store().member(&u.name).await
    {
        user = Some(AuthUser {
            role: m.role,
            roles: m.roles(),
            ..u
        });
    }
    if let Some(u) = &mut user {
        u.client.clone_from(&reached.client);
    }
    // A personal API token is not a session (logging out does not end it).
    let session = if user.is_some() && !api_token {
        token
    } else {
        None
    };
    let csrf = state
        .secret()
        .csrf_token(&visitor, if via_bearer { None } else { session.as_deref() });
    let is_api = req.uri().path().starts_with("/api/");
    let return_to = (req.method() == axum::http::Method::GET)
        .then(|| req.uri().path_and_query().map(|p| p.as_str().to_string()))
        .flatten()
        .and_then(|p| security::safe_next(&p).map(str::to_string));
    let secure = reached.secure;
    req.extensions_mut().insert(Ctx {
        client: reached.client,
        secure,
        visitor: visitor.clone(),
        session: session.clone(),
        via_bearer,
        user,
        csrf,
        return_to,
        secret: state.secret().clone(),
    });
    let mut resp = next.run(req).await;
    if secure {
        resp.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(security::HSTS),
        );
    }
    if new_visitor && !is_api {
        let c = security::set_cookie(VISITOR_COOKIE, &visitor, Some(400 * 24 * 3600), secure);
        if let Ok(v) = HeaderValue::from_str(&c) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    // A session cookie that no longer works (expired, logged out elsewhere): drop it,
    // unless the handler just set a new one (login).
    if had_cookie_session && !via_bearer && session.is_none() && !sets_session(&resp) {
        let c = security::set_cookie(SESSION_COOKIE, "", Some(0), secure);
        if let Ok(v) = HeaderValue::from_str(&c) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}

fn sets_session(resp: &Response) -> bool {
    resp.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.as_bytes().starts_with(SESSION_COOKIE.as_bytes()))
}
