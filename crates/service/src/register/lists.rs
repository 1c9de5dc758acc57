//! The register's lists: items with filters and pages, the art. 26 due and overdue items,
//! the year's on-time rate, the withheld items due for their art. 18 re-assessment.

use chrono::{Days, NaiveDate};
use gongkai_ledger::register::{ItemStage, Outlet, PublicationClock, on_time_rate};
use gongkai_store::register::{ItemOrder, ItemQuery, RegisterItem};
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::error::ServiceError;
use crate::{Result, Service};

/// Rows per page by default, and at most.
pub const PER_PAGE: u64 = 20;
pub const MAX_PER_PAGE: u64 = 500;

/// Where an unpublished item stands against its art. 26 deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueState {
    /// Not yet published, with a deadline (any).
    Pending,
    /// Within the agency's due-soon window (today included).
    DueSoon,
    /// Past the deadline.
    Overdue,
}

impl DueState {
    pub const ALL: [DueState; 3] = [DueState::Pending, DueState::DueSoon, DueState::Overdue];

    pub fn name(self) -> &'static str {
        match self {
            DueState::Pending => "pending",
            DueState::DueSoon => "due_soon",
            DueState::Overdue => "overdue",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            DueState::Pending => "待发布",
            DueState::DueSoon => "即将到期",
            DueState::Overdue => "已逾期",
        }
    }

    /// The name (`due-soon` too) or the Chinese label.
    pub fn parse(s: &str) -> Result<Self> {
        let t = s.trim();
        let w = t.replace('-', "_");
        DueState::ALL
            .into_iter()
            .find(|d| d.name() == w || d.label_zh() == t)
            .ok_or_else(|| {
                ServiceError::invalid(
                    "到期状态",
                    format!("“{t}”无效，可用：pending（待发布）、due_soon（即将到期）、overdue（已逾期）"),
                )
            })
    }
}

/// The list's filters and page, as the front ends take them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemFilter {
    pub text: Option<String>,
    pub topic: Option<String>,
    pub genre: Option<String>,
    pub organ: Option<String>,
    pub year: Option<i32>,
    pub stage: Option<ItemStage>,
    pub outlet: Option<Outlet>,
    /// `proactive`, `on_request`, `withheld`.
    pub disclosure: Option<String>,
    pub due: Option<DueState>,
    /// From 1 (0 reads as 1).
    pub page: u64,
    /// 0: [`PER_PAGE`].
    pub per_page: u64,
}

/// An item in a list, with its clock today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListedItem {
    #[serde(flatten)]
    pub item: RegisterItem,
    pub clock: Option<PublicationClock>,
}

/// One page of the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemListing {
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub items: Vec<ListedItem>,
}

impl ItemListing {
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }
}

/// The year's on-time rate: of the items first published in the year that had an art. 26
/// clock, how many were published by their deadline. `rate` is `None` when none was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnTimeRate {
    pub year: i32,
    pub on_time: u64,
    pub published: u64,
    pub rate: Option<f64>,
}

impl OnTimeRate {
    /// `95.0%`, or `—` when nothing was published.
    pub fn percent(&self) -> String {
        self.rate
            .map_or_else(|| "—".to_string(), |r| format!("{:.1}%", r * 100.0))
    }
}

/// The art. 26 list: overdue and due-soon items (earliest deadline first) and the year's
/// on-time rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DueList {
    pub today: NaiveDate,
    pub due_soon_working_days: u32,
    pub overdue: Vec<ListedItem>,
    pub due_soon: Vec<ListedItem>,
    pub rate: OnTimeRate,
}

/// The last date that can be stored and compared as text on both backends.
fn far() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
}

impl Service {
    /// The query of `filter` on `today` (`due_soon`: the window in working days).
    pub fn item_query(&self, f: &ItemFilter, today: NaiveDate, due_soon: u32) -> ItemQuery {
        let per_page = match f.per_page {
            0 => PER_PAGE,
            n => n.min(MAX_PER_PAGE),
        };
        let page = f.page.max(1);
        let soon_until = self
            .store
            .calendar()
            .add_working_days(today, due_soon)
            .value;
        let (due_from, due_by) = match f.due {
            None => (None, None),
            Some(DueState::Pending) => (None, Some(far())),
            Some(DueState::DueSoon) => (Some(today), Some(soon_until)),
            Some(DueState::Overdue) => (None, today.checked_sub_days(Days::new(1))),
        };
        ItemQuery {
            text: f.text.clone(),
            topic: f.topic.clone(),
            genre: f.genre.clone(),
            organ: f.organ.clone(),
            year: f.year,
            stage: f.stage,
            outlet: f.outlet,
            disclosure: f.disclosure.clone(),
            due_from,
            due_by,
            order: if f.due.is_some() {
                ItemOrder::Due
            } else {
                ItemOrder::Newest
            },
            offset: (page - 1).saturating_mul(per_page),
            limit: Some(per_page),
            ..Default::default()
        }
    }

    fn listed(&self, items: Vec<RegisterItem>, today: NaiveDate, due_soon: u32) -> Vec<ListedItem> {
        let cal = self.store.calendar();
        items
            .into_iter()
            .map(|item| ListedItem {
                clock: item.clock(cal, today, due_soon),
                item,
            })
            .collect()
    }

    /// A page of the agency's items with the filters.
    pub async fn list_items(&self, actor: &Actor, filter: &ItemFilter) -> Result<ItemListing> {
        if let Some(y) = filter.year
            && !(1949..=9999).contains(&y)
        {
            return Err(ServiceError::invalid("年度", format!("{y} 不是有效年度")));
        }
        for (k, v) in [
            ("search", &filter.text),
            ("title", &filter.topic),
            ("title", &filter.genre),
            ("title", &filter.organ),
        ] {
            crate::limits::opt(k, v.as_deref())?;
        }
        let store = self.store_for(actor);
        let settings = store.register_settings().await?;
        let today = self.current_date();
        let q = self.item_query(filter, today, settings.due_soon_working_days);
        let page = store.list_items(&q).await?;
        Ok(ItemListing {
            total: page.total,
            page: filter.page.max(1),
            per_page: q.limit.unwrap_or(PER_PAGE),
            items: self.listed(page.items, today, settings.due_soon_working_days),
        })
    }

    /// The overdue and due-soon items and this year's on-time rate.
    pub async fn due_items(&self, actor: &Actor) -> Result<DueList> {
        let store = self.store_for(actor);
        let settings = store.register_settings().await?;
        let today = self.current_date();
        let n = settings.due_soon_working_days;
        let mut lists = Vec::new();
        for due in [DueState::Overdue, DueState::DueSoon] {
            let f = ItemFilter {
                due: Some(due),
                ..Default::default()
            };
            let q = ItemQuery {
                limit: None,
                offset: 0,
                ..self.item_query(&f, today, n)
            };
            lists.push(self.listed(store.list_items(&q).await?.items, today, n));
        }
        let due_soon = lists.pop().unwrap_or_default();
        let overdue = lists.pop().unwrap_or_default();
        Ok(DueList {
            today,
            due_soon_working_days: n,
            overdue,
            due_soon,
            rate: self
                .on_time_rate(actor, chrono::Datelike::year(&today))
                .await?,
        })
    }

    /// The on-time rate of `year`: items first published in the year that had a clock.
    pub async fn on_time_rate(&self, actor: &Actor, year: i32) -> Result<OnTimeRate> {
        if !(1949..=9999).contains(&year) {
            return Err(ServiceError::invalid(
                "年度",
                format!("{year} 不是有效年度"),
            ));
        }
        let store = self.store_for(actor);
        let q = ItemQuery {
            published_in: Some(year),
            ..Default::default()
        };
        let items = store.list_items(&q).await?.items;
        let today = self.current_date();
        let clocks: Vec<PublicationClock> = items
            .iter()
            .filter_map(|i| i.clock(store.calendar(), today, 0))
            .collect();
        let (on_time, published, rate) = on_time_rate(&clocks);
        Ok(OnTimeRate {
            year,
            on_time,
            published,
            rate,
        })
    }

    /// Withheld items: those due for re-assessment today (earliest first) when `due_only`,
    /// else every withheld item that is not withdrawn.
    pub async fn withheld_items(&self, actor: &Actor, due_only: bool) -> Result<Vec<RegisterItem>> {
        let q = ItemQuery {
            disclosure: Some("withheld".into()),
            reassess_by: Some(if due_only { self.current_date() } else { far() }),
            order: ItemOrder::Reassess,
            ..Default::default()
        };
        Ok(self.store_for(actor).list_items(&q).await?.items)
    }
}
