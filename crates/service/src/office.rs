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

use gongkai_ledger::{Calendar, OfficeSettings};
use gongkai_store::Store;

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

impl Service {
    /// The office's settings (remedy organs, calendar directory).
    pub async fn office(&self) -> Result<OfficeSettings> {
        Ok(self.store.office().await?)
    }

    /// Changes the office's settings (office head or admin), audited. A calendar directory
    /// is checked first: it must exist and every file in it must be valid.
    pub async fn set_office(&self, actor: &Actor, office: &OfficeSettings) -> Result<()> {
        let office = office.clone().normalised();
        if let Some(dir) = &office.calendar_dir {
            Calendar::embedded()
                .load_dir(Path::new(dir))
                .map_err(|e| ServiceError::invalid("日历目录", e.to_string()))?;
        }
        self.store.set_office(&office, &actor.stamp()).await?;
        tracing::info!(user = actor.name(), "office settings changed");
        Ok(())
    }
}
