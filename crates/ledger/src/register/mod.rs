//! The publication register (主动公开登记): every item of government information the
//! office forms or changes, from draft to the channels it is published on (arts 12, 17–26
//! of the Regulations). Pure domain types; storage, review (三审, 保密审查) and the front
//! ends build on them.
//!
//! * [`item`] — an item: the catalogue fields (索引号, 名称, 内容概述, 生成日期, 发布机构, 文号,
//!   主题分类, 体裁), its body, 公开属性, validity (规章 / 行政规范性文件) and publications.
//! * [`index_number`] — the 索引号 scheme, a per-agency template such as
//!   `{code}/{year}-{seq:05}` (no national format exists: UNCONFIRMED, so configurable).
//! * [`taxonomy`] — 主题分类 and 体裁 lists, configurable, with national defaults.
//! * [`clock`] — the art. 26 clock: publish within 20 working days of 生成日期.
//! * [`secrecy`] — 保密审查: the checklist, the conclusion, the authority's determination.
//! * [`lint`] — 错敏排查 of an item (title, summary, body, attachments) and the gate that
//!   blocks publication on an error-severity finding not overridden with a reason.
//! * [`settings`] — the register's per-agency settings.
//! * [`report`] — the annual report from the register: section 二's document rows, section
//!   一's 主动公开 paragraph, the in-force continuity check (REG001).
//! * [`generate`] — a realistic, seeded year of items for tests and benches.
//! * [`reassess`] — art. 18: withheld items re-assessed periodically, the outcome.

pub mod clock;
pub mod generate;
pub mod index_number;
pub mod item;
pub mod lint;
pub mod reassess;
pub mod report;
pub mod secrecy;
pub mod settings;
pub mod taxonomy;

pub use clock::{PUBLISH_WITHIN_WORKING_DAYS, PublicationClock, PublicationStatus, on_time_rate};
pub use index_number::{IndexScheme, IndexSchemeError};
pub use item::{
    Disclosure, ItemDraft, ItemStage, Outlet, Publication, RegisterError, Validity, ValidityStatus,
    WithholdBasis,
};
pub use reassess::{ReassessOutcome, next_reassessment};
pub use report::{
    DocumentFact, DocumentFigures, ItemFacts, ProactiveFigures, Recorded, RegisterFinding,
    count_documents, proactive_figures,
};
pub use settings::RegisterSettings;
pub use taxonomy::Taxonomy;
