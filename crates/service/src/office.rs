//! The office's settings (the organs its letters name, the calendar directory) and the
//! working-day calendar a front end starts with.
//!
//! The calendar is the embedded one (the State Council notices 2023–2026) plus every
//! `*.toml` file of a directory: the one given on the command line (`--calendar-dir`), or
//! else the one in the office's settings. A new year's notice is thus a file, not a
//! release; a year with no file is counted with the statutory holidays and warned
//! (`gongkai_ledger::holidays`). A bad file stops the start with a Chinese message naming
//! the file and the line.

use std::path::{Path, PathBuf};

use gongkai_ledger::{Calendar, OfficeSettings, Settings};
use gongkai_store::{Role, Store, StoreError};
use serde::Serialize;

use crate::actor::Actor;
use crate::{Result, Service, ServiceError};

/// Where the calendar's extra years came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarSource {
    /// The directory read, if any.
    pub dir: Option<PathBuf>,
    /// Whether the directory came from the office's settings (not the command line).
    pub from_settings: bool,
    /// The years read from the directory.
    pub years: Vec<i32>,
}

/// The store with its calendar: the embedded notices plus the files of `flag` (the
/// command line's `--calendar-dir`) or, without it, of the office's `calendar_dir`.
pub async fn open_calendar(store: Store, flag: Option<&Path>) -> Result<(Store, CalendarSource)> {
    let (dir, from_settings) = match flag {
        Some(d) => (Some(d.to_path_buf()), false),
        None => {
            // A database not yet set up has no settings: the embedded calendar.
            let office = store.office().await.unwrap_or_default();
            (office.calendar_dir.map(PathBuf::from), true)
        }
    };
    let Some(dir) = dir else {
        return Ok((
            store,
            CalendarSource {
                dir: None,
                from_settings: false,
                years: Vec::new(),
            },
        ));
    };
    let mut calendar = Calendar::embedded();
    let years = calendar.load_dir(&dir).map_err(|e| {
        let origin = if from_settings {
            "（机关设置中的日历目录）"
        } else {
            "（--calendar-dir）"
        };
        ServiceError::invalid("日历目录", format!("{e}{origin}"))
    })?;
    tracing::info!(dir = %dir.display(), ?years, "calendar files loaded");
    Ok((
        store.with_calendar(calendar),
        CalendarSource {
            dir: Some(dir),
            from_settings,
            years,
        },
    ))
}

/// What the settings page shows and saves: the agency's name, the office's particulars
/// and the ledger's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfficeView {
    pub agency: String,
    pub office: OfficeSettings,
    pub settings: Settings,
}

fn require_admin(actor: &Actor) -> Result<()> {
    if actor.has(Role::Admin) {
        Ok(())
    } else {
        Err(StoreError::Forbidden {
            user: actor.name().to_string(),
            role: actor.role(),
            action: "管理机关设置",
        }
        .into())
    }
}

fn check_calendar_dir(office: &OfficeSettings) -> Result<()> {
    if let Some(dir) = &office.calendar_dir {
        Calendar::embedded()
            .load_dir(Path::new(dir))
            .map_err(|e| ServiceError::invalid("日历目录", e.to_string()))?;
    }
    Ok(())
}

impl Service {
    /// The settings page's content (管理员).
    pub async fn office_view(&self, actor: &Actor) -> Result<OfficeView> {
        self.refused(actor, "office.read", "office", require_admin(actor))
            .await?;
        Ok(OfficeView {
            agency: self.store_for(actor).agency().await?,
            office: self.store_for(actor).office().await?,
            settings: self.store_for(actor).settings().await?,
        })
    }

    /// Saves the settings page (管理员): every text within its limit, the agency named, a
    /// calendar directory that exists with valid files; all or nothing, each changed part
    /// audited (`agency.set`, `office.set`, `settings.set`). A new calendar directory takes
    /// effect at the next start.
    pub async fn configure(&self, actor: &Actor, view: &OfficeView) -> Result<()> {
        self.refused(actor, "office.set", "office", require_admin(actor))
            .await?;
        crate::limits::text("agency", &view.agency)?;
        crate::limits::check(&view.office)?;
        let office = view.office.clone().normalised();
        check_calendar_dir(&office)?;
        let r = self
            .store
            .configure(&view.agency, &office, view.settings, &actor.stamp())
            .await;
        self.refused(actor, "office.set", "office", r.map_err(Into::into))
            .await?;
        tracing::info!(user = actor.name(), "office settings saved");
        Ok(())
    }

    /// The office's settings (remedy organs, calendar directory).
    pub async fn office(&self) -> Result<OfficeSettings> {
        Ok(self.store.office().await?)
    }

    /// Changes the office's settings (office head or admin), audited. A calendar directory
    /// is checked first: it must exist and every file in it must be valid.
    pub async fn set_office(&self, actor: &Actor, office: &OfficeSettings) -> Result<()> {
        crate::limits::check(office)?;
        let office = office.clone().normalised();
        check_calendar_dir(&office)?;
        let r = self
            .store_for(actor)
            .set_office(&office, &actor.stamp())
            .await;
        self.refused(actor, "office.set", "office", r.map_err(Into::into))
            .await?;
        tracing::info!(user = actor.name(), "office settings changed");
        Ok(())
    }
}
