//! `gongkai serve`: the web interface.
//!
//! * **Report checking** (no login): upload published annual reports, see the three tables
//!   in the national layout with every finding on its cells, correct misread cells by hand
//!   (history kept), download JSON and CSV — [`check`].
//! * **The ledger** (login, roles): open applications by deadline, an application's
//!   timeline and the explanation of its deadline, a form per event, review queues,
//!   appeals, proactive records, the year-end report with its findings on the cells and
//!   its downloads — [`pages`].
//! * **The JSON API** under `/api/v1` with its OpenAPI document at
//!   `/api/v1/openapi.json` — [`api`].
//!
//! Everything the pages need (style sheet, script, icon) is compiled into the binary
//! ([`assets`]); pages are rendered on the server (askama templates, escaped by default);
//! every form carries a CSRF token ([`security`]). Storage is `gongkai_store`: the ledger,
//! users, sessions, reviews and the audit log; uploaded reports and their corrections too
//! ([`uploads::StoredUploads`], a bounded cache in front, behind the
//! [`uploads::UploadStore`] trait), within the limits of [`check::Limits`].
//!
//! Not here: the use cases and their business rules (gongkai-service), the domain rules
//! (gongkai-ledger), SQL (gongkai-store), reading and checking
//! reports (gongkai-read, gongkai-check), writing them (gongkai-write).

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use gongkai_store::Store;
use tower_http::set_header::SetResponseHeaderLayer;

pub mod api;
pub mod assets;
pub mod check;
pub mod content_check;
pub mod context;
pub mod error;
pub mod forms;
pub mod i18n;
pub mod letters;
pub mod memory;
pub mod national;
pub mod pages;
pub mod portal;
pub mod security;
pub mod uploads;
pub mod view;

pub use context::{AuthUser, Ctx};
use security::Secret;
use uploads::{StoredUploads, UploadStore};

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies `Secure` and send HSTS on every request (the server is only reached
    /// over HTTPS). Without it, a request counts as HTTPS when it comes from a trusted
    /// proxy with `X-Forwarded-Proto: https`.
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-Proto` and `X-Forwarded-For` are believed (their
    /// addresses as the TCP peer). Empty: forwarded headers are ignored.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Largest single uploaded file, in bytes.
    pub max_file_bytes: usize,
    /// Largest upload request (all files together), in bytes.
    pub max_upload_bytes: usize,
    /// Most files in one upload.
    pub max_files: usize,
    /// How long a login lasts: idle timeout, absolute lifetime, 记住我.
    pub session: gongkai_store::SessionPolicy,
    /// The secret of the CSRF tokens (`None`: a random one per run; `gongkai serve` passes
    /// `GONGKAI_SECRET` or the one kept in the database, [`AppState::open`]).
    pub secret: Option<String>,
    /// How failed logins are throttled and locked (per account and per client address).
    pub throttle: gongkai_store::ThrottlePolicy,
    /// The report checker's quotas, memory bounds, rate limit and retention.
    pub check: check::Limits,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: false,
            trusted_proxies: Vec::new(),
            max_file_bytes: 16 * 1024 * 1024,
            max_upload_bytes: 64 * 1024 * 1024,
            max_files: 200,
            session: gongkai_store::SessionPolicy::default(),
            secret: None,
            throttle: gongkai_store::ThrottlePolicy::default(),
            check: check::Limits::default(),
        }
    }
}

/// The state every handler shares. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    secret: Secret,
    service: gongkai_service::Service,
    uploads: Arc<dyn UploadStore>,
    checker: check::Checker,
    portal: portal::PortalState,
}

impl AppState {
    /// The state over `store`, with uploads kept in the store (a cache of
    /// `config.check.cache_bytes` in front).
    pub fn new(store: Store, config: Config) -> Self {
        let uploads = Arc::new(StoredUploads::new(store.clone(), config.check.cache_bytes));
        Self::with_uploads(store, config, uploads)
    }

    /// The state with another upload store.
    pub fn with_uploads(store: Store, config: Config, uploads: Arc<dyn UploadStore>) -> Self {
        Self::from_service(gongkai_service::Service::new(store), config, uploads)
    }

    /// The state over a service built by the caller (e.g. with its date fixed:
    /// `Service::with_date`, for tests and demonstrations).
    pub fn from_service(
        service: gongkai_service::Service,
        config: Config,
        uploads: Arc<dyn UploadStore>,
    ) -> Self {
        let secret = match &config.secret {
            Some(s) if !s.is_empty() => Secret::from_text(s),
            _ => Secret::random(),
        };
        // Several processes share one PostgreSQL database: their rate limit too.
        let checker = match service.store().backend() {
            gongkai_store::Backend::Postgres => {
                check::Checker::shared(config.check.clone(), service.store().clone())
            }
            gongkai_store::Backend::Sqlite => check::Checker::new(config.check.clone()),
        };
        AppState {
            inner: Arc::new(Inner {
                checker,
                config,
                secret,
                service,
                uploads,
                portal: portal::PortalState::default(),
            }),
        }
    }

    /// The state with the CSRF secret kept in the database (made on first use), unless
    /// `config.secret` is set: a restart, or another process on the same database, accepts
    /// the forms of the pages it served.
    pub async fn open(
        service: gongkai_service::Service,
        mut config: Config,
        uploads: Arc<dyn UploadStore>,
    ) -> Result<Self, gongkai_store::StoreError> {
        if config.secret.as_deref().is_none_or(str::is_empty) {
            config.secret = Some(service.store().csrf_secret().await?);
        }
        Ok(Self::from_service(service, config, uploads))
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub fn secret(&self) -> &Secret {
        &self.inner.secret
    }

    /// The ledger's use cases (every write of the pages and the API goes through them),
    /// working in the request's agency ([`context::agency`]: the signed-in user's; the
    /// root agency for visitors).
    pub fn service(&self) -> gongkai_service::Service {
        self.inner.service.in_agency(context::agency())
    }

    /// The store, working in the request's agency (as [`AppState::service`]).
    pub fn store(&self) -> Store {
        self.inner.service.store().in_agency(context::agency())
    }

    pub fn uploads(&self) -> &dyn UploadStore {
        self.inner.uploads.as_ref()
    }

    /// The portal's search of this process (its index, its rate limit).
    pub fn portal(&self) -> &portal::PortalState {
        &self.inner.portal
    }

    /// The report checker's limits and their state (semaphores, rate limiter).
    pub fn checker(&self) -> &check::Checker {
        &self.inner.checker
    }
}

/// The whole application: pages, API, assets, with the security headers and the request
/// context (visitor, session, CSRF token) on every request.
pub fn app(state: AppState) -> Router {
    let routes = Router::new()
        .merge(check::router())
        .merge(content_check::router())
        .merge(pages::router())
        .merge(portal::router())
        .merge(assets::router())
        .merge(i18n::router())
        .nest(api::API_PREFIX, api::router());
    layered(routes, state)
}

/// Only what the public may reach (`gongkai serve --public`, issue 17 §4): the 专栏, its
/// assets and its search API (`GET /api/v1/portal/search`, every caller rate-limited),
/// `/` leading to it. The office's workbench, the rest of its API, the sign-in and the
/// report checker are not routed at all, so a public process exposes nothing else
/// whatever its proxy forwards.
pub fn public_app(state: AppState) -> Router {
    let routes = Router::new()
        .route(
            "/",
            axum::routing::get(|| async { axum::response::Redirect::to("/portal") }),
        )
        .merge(portal::router())
        .merge(assets::router())
        .nest(api::API_PREFIX, api::public_router());
    layered(routes, state)
}

/// The security headers, the request context and the error pages around `routes`.
fn layered(routes: Router<AppState>, state: AppState) -> Router {
    let upload_limit = state.config().max_upload_bytes;
    routes
        .fallback(error::not_found)
        .layer(DefaultBodyLimit::max(upload_limit))
        // Inside the context layer: it needs the user.
        .layer(middleware::from_fn(pages::account::forced_change))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            error::audit_refusals,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            context::layer,
        ))
        // A handler that panics answers with the Chinese 500 page (JSON under /api/).
        .layer(error::PanicLayer::custom(error::panic_response))
        .layer(middleware::from_fn(error::json_for_api))
        // Outside the panic layer: the 500 page is translated too.
        .layer(middleware::from_fn(i18n::layer))
        .layer(middleware::from_fn(no_store_for_pages))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(security::CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .with_state(state)
}

/// Pages and API answers show personal data: browsers and proxies must not keep them.
/// Assets set their own caching.
async fn no_store_for_pages(req: Request, next: Next) -> Response {
    let is_get = req.method() == Method::GET;
    let mut resp = next.run(req).await;
    if !resp.headers().contains_key(header::CACHE_CONTROL) || !is_get {
        resp.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

/// Serves `app` on `listener` until Ctrl-C (or SIGTERM).
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    serve_router(listener, app(state)).await
}

/// Serves [`public_app`] on `listener` until Ctrl-C (or SIGTERM).
pub async fn serve_public(
    listener: tokio::net::TcpListener,
    state: AppState,
) -> std::io::Result<()> {
    serve_router(listener, public_app(state)).await
}

async fn serve_router(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    // The peer's address reaches the handlers (sign-in throttling and its audit).
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
