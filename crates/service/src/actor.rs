//! Who acts: an authenticated user with a role, and the front end the request came
//! through. The web and the API authenticate with a password or a session before they
//! build an actor; the command line names the user (`--user`) and [`crate::Service::actor`]
//! checks that the user exists and is active.
//!
//! The fields are private and the struct `#[non_exhaustive]`, so the agency an actor works
//! for (the multi-agency platform) can be added without touching the front ends.

use gongkai_store::{Origin, Role, Stamp, User};
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

/// An authenticated user acting through a front end.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Actor {
    name: String,
    display_name: Option<String>,
    role: Role,
    via: Via,
    /// The client's address (web, API), the operating-system user (command line), how the
    /// user was authenticated: recorded with every audit row ([`Actor::origin`]).
    client: Option<String>,
    os_user: Option<String>,
    auth: Option<String>,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Web => "web",
            Via::Api => "api",
            Via::Cli => "cli",
        }
    }
}

impl Actor {
    /// The actor for a user the front end has authenticated.
    pub fn new(user: &User, via: Via) -> Self {
        Actor {
            name: user.name.clone(),
            display_name: user.display_name.clone(),
            role: user.role,
            via,
            client: None,
            os_user: None,
            auth: None,
        }
    }

    /// The actor for a user authenticated by a session (the web service keeps the user's
    /// name, display name and role with the session).
    pub fn authenticated(name: &str, display_name: Option<String>, role: Role, via: Via) -> Self {
        Actor {
            name: name.to_string(),
            display_name,
            role,
            via,
            client: None,
            os_user: None,
            auth: None,
        }
    }

    /// The same actor with the client's address (`-` or empty: unknown).
    pub fn with_client(mut self, client: &str) -> Self {
        self.client = (!client.is_empty() && client != "-").then(|| client.to_string());
        self
    }

    /// The same actor with the operating-system user who ran the command.
    pub fn with_os_user(mut self, os_user: Option<String>) -> Self {
        self.os_user = os_user.filter(|u| !u.is_empty());
        self
    }

    /// The same actor with how it was authenticated (`password`, `session`,
    /// `token:gkp_1a2b3c`).
    pub fn with_auth(mut self, auth: impl Into<String>) -> Self {
        self.auth = Some(auth.into());
        self
    }

    /// Where this actor's changes come from: what every audit row records besides the
    /// user (the one function that builds the audit context).
    pub fn origin(&self) -> Origin {
        Origin {
            channel: self.via.as_str().to_string(),
            client: self.client.clone(),
            os_user: self.os_user.clone(),
            auth: self.auth.clone(),
        }
    }

    /// The login name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The name to show (`李明`), or the login name.
    pub fn shown_name(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.name)
    }

    pub fn role(&self) -> Role {
        self.role
    }

    pub fn via(&self) -> Via {
        self.via
    }

    /// Who and when, now, for a write.
    pub fn stamp(&self) -> Stamp {
        Stamp::now(&self.name).with_origin(Some(self.origin()))
    }
}

impl Service {
    /// The actor for a named user (the command line): the user must exist and be active.
    pub async fn actor(&self, name: &str, via: Via) -> Result<Actor> {
        let name = name.trim();
        match self.store.user(name).await? {
            Some(u) if u.active => Ok(Actor::new(&u, via)),
            _ => Err(ServiceError::Store(
                gongkai_store::StoreError::UnknownUser {
                    name: name.to_string(),
                },
            )),
        }
    }
}
