//! Who acts: an authenticated user with a role, and the front end the request came
//! through. The web and the API authenticate with a password or a session before they
//! build an actor; the command line names the user (`--user`) and [`crate::Service::actor`]
//! checks that the user exists and is active.
//!
//! The fields are private and the struct `#[non_exhaustive]`. An actor works in one agency
//! of the platform ([`Actor::agency`], agency 1 unless told otherwise): the service reads
//! and writes that agency's records only, and the actor's roles are those it holds there
//! ([`crate::Service::actor_in`] resolves both for a named user).

use gongkai_store::{AgencyId, Role, Stamp, User};
use serde::Serialize;

use crate::error::ServiceError;
use crate::{Result, Service};

/// The front end a request came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    Web,
    Api,
    Cli,
}

impl Via {
    /// `web`, `api` or `cli`: the audit log's channel.
    pub fn name(self) -> &'static str {
        match self {
            Via::Web => "web",
            Via::Api => "api",
            Via::Cli => "cli",
        }
    }

    /// 网页, 接口, 命令行.
    pub fn label_zh(self) -> &'static str {
        match self {
            Via::Web => "网页",
            Via::Api => "接口",
            Via::Cli => "命令行",
        }
    }
}

/// An authenticated user acting through a front end.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Actor {
    name: String,
    display_name: Option<String>,
    role: Role,
    /// Every role held (the primary one first).
    roles: Vec<Role>,
    via: Via,
    /// The client's address (web and API).
    client: Option<String>,
    /// The operating-system user (command line).
    os_user: Option<String>,
    /// How the user was authenticated (`password`, `session`, `token:gkp_1a2b3c`).
    auth: Option<String>,
    /// The user must set a new password first (a temporary one, or one that fails today's
    /// rules): the front ends let such an actor do nothing else.
    password_change_due: bool,
    /// The agency the actor works in.
    agency: AgencyId,
}

impl Actor {
    /// The actor for a user the front end has authenticated.
    pub fn new(user: &User, via: Via) -> Self {
        Actor {
            name: user.name.clone(),
            display_name: user.display_name.clone(),
            role: user.role,
            roles: user.roles(),
            via,
            client: None,
            os_user: None,
            auth: None,
            password_change_due: user.must_change_password,
            agency: gongkai_store::agencies::ROOT,
        }
    }

    /// The actor for a user authenticated by a session (the web service keeps the user's
    /// name, display name and role with the session).
    pub fn authenticated(name: &str, display_name: Option<String>, role: Role, via: Via) -> Self {
        Actor {
            name: name.to_string(),
            display_name,
            role,
            roles: vec![role],
            via,
            client: None,
            os_user: None,
            auth: None,
            password_change_due: false,
            agency: gongkai_store::agencies::ROOT,
        }
    }

    /// The same actor working in agency `agency` (the front end has checked, through
    /// [`crate::Service::actor_in`] or the session, that the user holds these roles there).
    pub fn in_agency(mut self, agency: AgencyId) -> Self {
        self.agency = agency;
        self
    }

    /// The agency the actor works in.
    pub fn agency(&self) -> AgencyId {
        self.agency
    }

    /// The same actor holding `roles` besides the primary one (a session's user with
    /// several roles).
    pub fn with_roles(mut self, roles: &[Role]) -> Self {
        self.roles = std::iter::once(self.role)
            .chain(
                Role::ALL
                    .into_iter()
                    .filter(|r| *r != self.role && roles.contains(r)),
            )
            .collect();
        self
    }

    /// With no role at all unless `keep` (a supervisor without a ledger role in the agency
    /// it works in): [`Actor::has`] and [`Actor::may`] answer false; [`Actor::role`] still
    /// names the stored primary role for messages. The store decides again from the
    /// agency's roles in every write's transaction.
    pub fn without_roles_unless(mut self, keep: bool) -> Self {
        if !keep {
            self.roles.clear();
        }
        self
    }

    /// The login name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The name to show (`李明`), or the login name.
    pub fn shown_name(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.name)
    }

    /// The primary role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// Every role held, the primary one first.
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// Whether the actor holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether one of the actor's roles may do what `may` says (`Role::can_record` …).
    pub fn may(&self, may: impl Fn(Role) -> bool) -> bool {
        self.roles.iter().any(|r| may(*r))
    }

    pub fn via(&self) -> Via {
        self.via
    }

    /// The same actor, with the client's address (`-`: unknown) for the audit log.
    pub fn with_client(mut self, client: impl Into<String>) -> Self {
        let c = client.into();
        self.client = Some(c).filter(|c| !c.is_empty() && c != "-");
        self
    }

    /// The same actor, with the operating-system user (command line) for the audit log.
    pub fn with_os_user(mut self, os_user: impl Into<String>) -> Self {
        let u = os_user.into();
        self.os_user = Some(u).filter(|u| !u.is_empty());
        self
    }

    /// The same actor, marked as having to set a new password before anything else.
    pub fn with_password_change_due(mut self, due: bool) -> Self {
        self.password_change_due = due;
        self
    }

    /// True when the user must set a new password before anything else (a temporary
    /// password, or one that fails today's rules).
    pub fn password_change_due(&self) -> bool {
        self.password_change_due
    }

    /// The same actor with how it was authenticated (`password`, `session`,
    /// `token:gkp_1a2b3c`).
    pub fn with_auth(mut self, auth: impl Into<String>) -> Self {
        self.auth = Some(auth.into());
        self
    }

    /// The client's address, if known.
    pub fn client(&self) -> Option<&str> {
        self.client.as_deref()
    }

    /// Who and when, now, for a write: with the channel, the client's address and the
    /// operating-system user, which the store writes into the audit row.
    pub fn stamp(&self) -> Stamp {
        let mut s = Stamp::now(&self.name).via(self.via.name());
        s.client.clone_from(&self.client);
        s.os_user.clone_from(&self.os_user);
        s.auth.clone_from(&self.auth);
        s
    }
}

impl Service {
    /// The actor for a named user (the command line) in the user's first agency: the user
    /// must exist and be active ([`Service::actor_in`]).
    pub async fn actor(&self, name: &str, via: Via) -> Result<Actor> {
        self.actor_in(name, via, None).await
    }

    /// The actor for a named user in the agency with code `agency` (None: the first agency,
    /// by number, where the user holds a ledger role), with the roles held there. The user
    /// must exist, be active and hold a role in that agency.
    pub async fn actor_in(&self, name: &str, via: Via, agency: Option<&str>) -> Result<Actor> {
        let name = name.trim();
        crate::limits::text("name", name)?;
        let unknown = || {
            ServiceError::Store(gongkai_store::StoreError::UnknownUser {
                name: name.to_string(),
            })
        };
        match self.store.user(name).await? {
            Some(u) if u.active => {}
            _ => return Err(unknown()),
        }
        let id = match agency.map(str::trim).filter(|c| !c.is_empty()) {
            Some(code) => {
                crate::limits::text("agency", code)?;
                self.store
                    .agency_by_code(code)
                    .await?
                    .ok_or_else(|| {
                        ServiceError::Store(gongkai_store::StoreError::NotFound {
                            what: "机关",
                            id: code.to_string(),
                        })
                    })?
                    .id
            }
            None => {
                let held = self.store.memberships(name).await?;
                held.iter()
                    .find(|(_, roles)| roles.iter().any(|r| r.parse::<Role>().is_ok()))
                    .map(|(id, _)| *id)
                    .unwrap_or(gongkai_store::agencies::ROOT)
            }
        };
        match self.store.in_agency(id).member(name).await? {
            Some(u) => Ok(Actor::new(&u, via).in_agency(id)),
            None => Err(ServiceError::Store(gongkai_store::StoreError::NotMember {
                name: name.to_string(),
            })),
        }
    }
}
