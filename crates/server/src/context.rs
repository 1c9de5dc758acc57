//! The request context: who is asking (visitor, logged-in user), how (session cookie or
//! bearer token), and the CSRF token their pages carry.
//!
//! [`layer`] runs on every request: it reads the visitor cookie (or makes one), looks the
//! session up in the store, and puts a [`Ctx`] in the request's extensions, which handlers
//! take as an extractor.
//!
//! The platform (issue 18 §1): a signed-in user works in one agency — the one the session
//! remembers (the agency switch, `pages::account_agency`), or the one an API token was
//! made for — with the roles held there. The layer runs the rest of the request inside
//! that agency ([`agency`]): [`crate::AppState::service`] and [`crate::AppState::store`]
//! read and write its records only, so a handler cannot reach another agency's rows by
//! forgetting to scope, and a crafted id of another agency is simply not found.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use chrono::Utc;
use gongkai_service::{Seat, SeatChoice};
use gongkai_store::agencies::ROOT;
use gongkai_store::{Agency, AgencyId, Role, SessionToken, User};

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
    /// The agency the user works in (the session's, or the API token's): the roles above
    /// are those held there, and every page and API call reads and writes its records.
    pub agency: Agency,
    /// The agencies where the user holds a ledger role (the agency switch when more than
    /// one), by number.
    pub agencies: Vec<Agency>,
    /// Holds `supervisor` on some node (the 监督 link to `/supervise`).
    pub supervises: bool,
}

impl AuthUser {
    /// The user as seated in an agency ([`gongkai_service::Service::seat`]), authenticated
    /// by `auth` (`session`, `token:gkp_1a2b3c`).
    pub fn seated(seat: Seat, auth: impl Into<String>) -> Self {
        let u = seat.user;
        AuthUser {
            display: u
                .display_name
                .clone()
                .filter(|d| !d.trim().is_empty())
                .unwrap_or_else(|| u.name.clone()),
            // A supervisor without a ledger role holds none here (it reads only).
            roles: if seat.supervisor_only {
                Vec::new()
            } else {
                u.roles()
            },
            must_change_password: u.must_change_password,
            name: u.name,
            role: u.role,
            client: "-".to_string(),
            auth: auth.into(),
            agency: seat.agency,
            agencies: seat.agencies,
            supervises: seat.supervises,
        }
    }

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
        .without_roles_unless(!self.roles.is_empty())
        .with_client(&self.client)
        .with_auth(self.auth.clone())
        .in_agency(self.agency.id)
    }

    /// The user holds ledger roles in more than one agency (the top bar offers a switch).
    pub fn can_switch(&self) -> bool {
        self.agencies.len() > 1
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

tokio::task_local! {
    /// The agency of the request being served (set by [`layer`]).
    static AGENCY: AgencyId;
}

/// The agency the current request works in: the signed-in user's (the session's choice
/// or the API token's), the root agency for visitors and outside a request.
pub fn agency() -> AgencyId {
    AGENCY.try_with(|a| *a).unwrap_or(ROOT)
}

/// Runs `f` as a request of agency `agency` would (tests, and work a handler hands to
/// another task).
pub async fn in_agency<F: std::future::Future>(agency: AgencyId, f: F) -> F::Output {
    AGENCY.scope(agency, f).await
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
    let mut api_token = false;
    // A store failure counts as "not logged in": the page then asks to log in rather
    // than failing for a visitor who only checks reports.
    let found: Option<(User, SeatChoice, String)> = match token.as_deref() {
        Some(t) if via_bearer && gongkai_store::tokens::is_api_token(t) => {
            match state.store().api_token_user(t, now).await {
                Ok(Some((tok, u))) => {
                    api_token = true;
                    // A token works in the agency it was made for (one made before the
                    // platform: the user's first).
                    let choice = tok
                        .agency_id
                        .map_or(SeatChoice::Remembered(None), SeatChoice::Only);
                    Some((u, choice, format!("token:{}", tok.prefix)))
                }
                _ => None,
            }
        }
        Some(t) if security::is_token(t) => match state
            .store()
            .session_user(&SessionToken(t.to_string()), config.session.idle, now)
            .await
        {
            Ok(Some((s, u))) => Some((u, SeatChoice::Remembered(s.agency_id), "session".into())),
            _ => None,
        },
        _ => None,
    };
    // The user works in one agency (the session's choice, or the token's): the roles are
    // those held there. A user who holds no ledger role there (nor anywhere, for a
    // session) is not let in.
    let mut user = None;
    if let Some((u, choice, auth)) = found
        && let Ok(Some(seat)) = state.service().seat(u, choice).await
    {
        user = Some(AuthUser::seated(seat, auth));
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
    let agency = user.as_ref().map_or(ROOT, |u| u.agency.id);
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
    // Everything the request does through `AppState::service()` and `AppState::store()`
    // reads and writes the user's agency (visitors: the root's, for the public checker).
    let mut resp = AGENCY.scope(agency, next.run(req)).await;
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
