//! A realistic year of register items, seeded (the same seed gives the same year): titles
//! as offices write them, 生成日期 on working days, publication on the website and two
//! new-media accounts within the art. 26 deadline mostly (a few late, a few never), a few
//! withheld or on-request items, 规章 and 行政规范性文件 with their validity (some taking
//! effect weeks after issue; older ones from earlier years, some repealed or expired in the
//! year), corrections and withdrawals.
//! For the acceptance tests (year-end drafts equal to an independent count) and the
//! benches. Pure: no randomness source but the seed.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use crate::calendar::Calendar;
use crate::proactive::DocumentKind;
use crate::register::item::{
    Disclosure, ItemDraft, Outlet, Publication, Validity, ValidityStatus, WithholdBasis,
};
use crate::register::report::ItemFacts;

/// splitmix64: small, good enough, and stable across platforms.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// In `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `per_mille / 1000`.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// One generated item: what the office enters, then what happens to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedItem {
    pub draft: ItemDraft,
    /// Publications, in date order (empty: never published by the year end).
    pub publications: Vec<Publication>,
    /// Corrections of the published item: date and reason.
    pub corrections: Vec<(NaiveDate, String)>,
    /// 撤稿: date and reason.
    pub withdrawal: Option<(NaiveDate, String)>,
    pub registered_at: DateTime<Utc>,
}

impl GeneratedItem {
    /// The item as the year-end counts it, under the store's id and 索引号.
    pub fn facts(&self, id: String, index_number: String) -> ItemFacts {
        ItemFacts {
            id,
            index_number,
            title: self.draft.title.clone(),
            formed_on: self.draft.formed_on,
            proactive: self.draft.disclosure == Disclosure::Proactive,
            validity: self.draft.validity.clone(),
            publications: self.publications.clone(),
            corrected_on: self.corrections.iter().map(|c| c.0).collect(),
            withdrawn_on: self.withdrawal.as_ref().map(|w| w.0),
            registered_at: self.registered_at,
            recorded: Default::default(),
        }
    }
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct YearPlan {
    pub seed: u64,
    pub year: i32,
    /// Items formed in the year.
    pub items: usize,
    /// 规章 and 行政规范性文件 formed in the five years before (kept in force or ended).
    pub earlier_documents: usize,
    /// The agency (发布机构) and the short name of its 文号 (e.g. `某府办发`).
    pub agency: String,
    pub number_prefix: String,
    /// Nothing happens after this day (publications, corrections, ends).
    pub today: NaiveDate,
}

impl YearPlan {
    /// `items` items of `year` for a city government office (a 设区的市 makes 规章), seen on 31 December.
    pub fn new(seed: u64, year: i32, items: usize) -> Self {
        YearPlan {
            seed,
            year,
            items,
            earlier_documents: items / 60,
            agency: "临河市人民政府办公室".into(),
            number_prefix: "临政办发".into(),
            today: NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
        }
    }
}

/// The two new-media accounts of the generated office.
pub const ACCOUNTS: [&str; 2] = ["临河发布", "临河市人民政府微博"];
/// The other channel of the generated office.
pub const OTHER_CHANNEL: &str = "政务服务中心电子屏";

const SUBJECTS: &[&str] = &[
    "安全生产大检查",
    "城乡居民医疗保险参保缴费",
    "高标准农田建设",
    "农村人居环境整治",
    "城镇老旧小区改造",
    "义务教育阶段学校招生入学",
    "秋冬季森林防火",
    "耕地保护专项整治",
    "最低生活保障对象动态管理",
    "农村危房改造",
    "河湖“清四乱”专项行动",
    "营商环境优化提升",
    "稳岗就业补贴申领",
    "消防安全隐患排查整治",
    "困难残疾人生活补贴发放",
    "食品安全抽检",
    "燃气安全专项整治",
    "防汛抗旱",
    "冬春农田水利基本建设",
    "退役军人优待证申领",
    "城市生活垃圾分类",
    "大气污染防治",
    "家庭经济困难学生资助",
    "耕地地力保护补贴发放",
    "国有土地上房屋征收与补偿",
    "春季植树造林",
    "扫黑除恶常态化",
    "重大行政决策事项目录编制",
    "政府采购意向公开",
    "乡村振兴衔接资金项目",
];

const DATA: &[&str] = &[
    "居民消费价格指数",
    "规模以上工业增加值",
    "环境空气质量状况",
    "一般公共预算收支",
    "城乡低保金发放",
    "建设项目环境影响评价审批",
    "行政许可办理结果",
    "行政处罚决定",
];

const RULES: &[&str] = &[
    "城市市容和环境卫生管理",
    "农村集体资产管理",
    "政府投资项目管理",
    "行政规范性文件制定和备案管理",
    "公共资源交易管理",
    "城镇住房保障管理",
    "残疾人就业保障金征收使用管理",
    "重大行政决策程序",
    "村庄规划建设管理",
    "政府购买服务管理",
];

const TOPICS: &[&str] = &[
    "综合政务",
    "国民经济管理、国有资产监管",
    "财政、金融、审计",
    "农业、林业、水利",
    "城乡建设、环境保护",
    "科技、教育",
    "卫生、体育",
    "劳动、人事、监察",
    "公安、安全、司法",
    "民政、扶贫、救灾",
    "市场监管、安全生产监管",
];

const WITHHOLD: [WithholdBasis; 4] = [
    WithholdBasis::Internal,
    WithholdBasis::Process,
    WithholdBasis::ThirdParty,
    WithholdBasis::EnforcementFile,
];

/// A working day of `year` (uniform over the year's days, moved to the next working day).
fn working_day(rng: &mut Rng, cal: &Calendar, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(0) as u64;
    let day = from + Duration::days(rng.below(span + 1) as i64);
    let next = cal.next_working_day_from(day).value;
    if next > to { day } else { next }
}

fn stamp(day: NaiveDate, rng: &mut Rng) -> DateTime<Utc> {
    day.and_hms_opt(1 + rng.below(8) as u32, rng.below(60) as u32, 0)
        .unwrap_or_default()
        .and_utc()
}

struct Ctx<'a> {
    plan: &'a YearPlan,
    cal: &'a Calendar,
    serial: u32,
}

impl Ctx<'_> {
    fn number(&mut self, year: i32) -> String {
        self.serial += 1;
        format!("{}〔{year}〕{}号", self.plan.number_prefix, self.serial)
    }

    /// A 规章 or 行政规范性文件 formed on `formed_on`, ending (or not) by `today`.
    fn document(&mut self, rng: &mut Rng, formed_on: NaiveDate) -> GeneratedItem {
        let today = self.plan.today;
        let regulation = rng.chance(90);
        let subject = rng.pick(RULES);
        let (title, genre, kind) = if regulation {
            (
                format!("临河市{subject}规定"),
                "命令（令）",
                DocumentKind::Regulation,
            )
        } else {
            (
                format!("临河市人民政府办公室关于印发《临河市{subject}办法》的通知"),
                "通知",
                DocumentKind::NormativeDocument,
            )
        };
        let roll = rng.below(100);
        let (status, ended_on) = if roll < 80 || formed_on >= today {
            (ValidityStatus::Effective, None)
        } else {
            let end = working_day(rng, self.cal, formed_on + Duration::days(1), today);
            let status = if roll < 90 {
                ValidityStatus::Repealed
            } else {
                ValidityStatus::Expired
            };
            (status, (end > formed_on).then_some(end))
        };
        let status = if ended_on.is_none() {
            ValidityStatus::Effective
        } else {
            status
        };
        // One in five takes effect some weeks after it is issued (施行日期), before it ends.
        let effective_on = rng
            .chance(200)
            .then(|| formed_on + Duration::days(10 + rng.below(50) as i64))
            .filter(|e| ended_on.is_none_or(|end| end > *e));
        let number = Some(self.number(formed_on.year()));
        let mut item = self.base(rng, formed_on, title, genre.into(), number);
        item.draft.summary = format!("规范临河市{subject}工作，明确职责分工、办理程序和监督措施。");
        item.draft.validity = Some(Validity {
            kind,
            status,
            effective_on,
            ended_on,
        });
        item.draft.disclosure = Disclosure::Proactive;
        item
    }

    fn base(
        &mut self,
        rng: &mut Rng,
        formed_on: NaiveDate,
        title: String,
        genre: String,
        number: Option<String>,
    ) -> GeneratedItem {
        GeneratedItem {
            draft: ItemDraft {
                summary: format!("{title}。"),
                body: format!(
                    "{title}\n\n各县（区）人民政府，市政府各部门：\n\n现将有关事项通知如下。"
                ),
                title,
                organ: self.plan.agency.clone(),
                formed_on,
                number,
                topic: rng.pick(TOPICS).to_string(),
                genre,
                disclosure: Disclosure::Proactive,
                validity: None,
                outlets: Vec::new(),
            },
            publications: Vec::new(),
            corrections: Vec::new(),
            withdrawal: None,
            registered_at: stamp(formed_on, rng),
        }
    }

    /// An item of the year other than a document.
    fn ordinary(&mut self, rng: &mut Rng, formed_on: NaiveDate) -> GeneratedItem {
        let y = formed_on.year();
        let m = formed_on.month();
        let subject = rng.pick(SUBJECTS);
        let (title, genre, numbered) = match rng.below(10) {
            0..=2 => (format!("关于做好{subject}工作的通知"), "通知", true),
            3 => (format!("关于开展{y}年{subject}工作的通知"), "通知", true),
            4 => (
                format!("临河市人民政府办公室关于{subject}的公告"),
                "公告",
                true,
            ),
            5 => (
                format!("临河市{y}年{}月{}情况", m, rng.pick(DATA)),
                "其他",
                false,
            ),
            6 => (
                format!("《临河市{subject}实施方案》政策解读"),
                "其他",
                false,
            ),
            7 => (format!("{y}年{subject}资金分配结果公示"), "其他", false),
            8 => (format!("关于{subject}有关情况的通报"), "通报", true),
            _ => (format!("临河市{subject}工作动态"), "其他", false),
        };
        let number = numbered.then(|| self.number(y));
        let mut item = self.base(rng, formed_on, title, genre.into(), number);
        item.draft.disclosure = match rng.below(100) {
            0..=3 => Disclosure::OnRequest,
            4..=6 => Disclosure::Withheld {
                basis: *rng.pick(&WITHHOLD),
            },
            _ => Disclosure::Proactive,
        };
        item
    }

    /// Publishes, corrects and withdraws a proactive item (the art. 26 clock mostly kept).
    fn publish(&mut self, rng: &mut Rng, item: &mut GeneratedItem) {
        if item.draft.disclosure != Disclosure::Proactive {
            return;
        }
        let today = self.plan.today;
        let formed = item.draft.formed_on;
        let delay = match rng.below(1000) {
            0..=699 => rng.below(4),
            700..=959 => 4 + rng.below(16),
            960..=984 => 21 + rng.below(20),
            _ => 10_000, // never
        };
        let mut outlets = Vec::new();
        if rng.chance(600) || item.draft.validity.is_some() {
            outlets.push((Outlet::Website, ""));
        }
        if rng.chance(550) {
            outlets.push((Outlet::NewMedia, ACCOUNTS[0]));
        }
        if rng.chance(150) {
            outlets.push((Outlet::NewMedia, ACCOUNTS[1]));
        }
        if rng.chance(30) {
            outlets.push((Outlet::Gazette, ""));
        }
        if rng.chance(50) {
            outlets.push((Outlet::NoticeBoard, ""));
        }
        if rng.chance(40) {
            outlets.push((Outlet::Other, OTHER_CHANNEL));
        }
        if outlets.is_empty() {
            outlets.push((Outlet::Website, ""));
        }
        item.draft.outlets = outlets.iter().map(|o| o.0).collect();
        item.draft.outlets.dedup();
        if delay >= 10_000 {
            return;
        }
        let first = self.cal.add_working_days(formed, delay as u32).value;
        for (outlet, account) in outlets {
            let on = if rng.chance(800) {
                first
            } else {
                self.cal
                    .add_working_days(first, 1 + rng.below(2) as u32)
                    .value
            };
            if on <= today {
                item.publications.push(Publication {
                    outlet,
                    account: account.to_string(),
                    published_on: on,
                    url: (outlet == Outlet::Website)
                        .then(|| format!("https://www.linhe.gov.cn/zwgk/{}.html", self.serial)),
                });
            }
        }
        item.publications.sort_by_key(|p| p.published_on);
        let Some(first) = item.publications.first().map(|p| p.published_on) else {
            return;
        };
        if rng.chance(20) {
            let n = 1 + rng.below(2);
            let mut on = first;
            for _ in 0..n {
                on = self
                    .cal
                    .add_working_days(on, 1 + rng.below(10) as u32)
                    .value;
                if on <= today {
                    item.corrections
                        .push((on, "更正正文中的错别字和附件名称".to_string()));
                }
            }
        }
        if item.draft.validity.is_none() && rng.chance(5) {
            let on = self
                .cal
                .add_working_days(first, 1 + rng.below(5) as u32)
                .value;
            if on <= today {
                item.withdrawal = Some((on, "内容与已发布信息重复，予以撤稿".to_string()));
            }
        }
    }
}

/// Generates the plan's items: earlier documents first (by 生成日期), then the year's items
/// (by 生成日期).
pub fn generate_year(plan: &YearPlan, calendar: &Calendar) -> Vec<GeneratedItem> {
    let mut rng = Rng::new(plan.seed);
    let mut ctx = Ctx {
        plan,
        cal: calendar,
        serial: 0,
    };
    let year = plan.year;
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let last = NaiveDate::from_ymd_opt(year, 12, 31)
        .unwrap_or_default()
        .min(plan.today);
    let mut out = Vec::with_capacity(plan.items + plan.earlier_documents);
    let mut earlier: Vec<NaiveDate> = (0..plan.earlier_documents)
        .map(|_| {
            let from = NaiveDate::from_ymd_opt(year - 5, 1, 1).unwrap_or_default();
            let to = NaiveDate::from_ymd_opt(year - 1, 12, 31).unwrap_or_default();
            working_day(&mut rng, calendar, from, to)
        })
        .collect();
    earlier.sort();
    for formed in earlier {
        let mut item = ctx.document(&mut rng, formed);
        // Published long ago, on time.
        item.publications.push(Publication {
            outlet: Outlet::Website,
            account: String::new(),
            published_on: calendar.add_working_days(formed, 3).value,
            url: None,
        });
        item.draft.outlets = vec![Outlet::Website];
        out.push(item);
    }
    let mut days: Vec<NaiveDate> = (0..plan.items)
        .map(|_| working_day(&mut rng, calendar, first, last))
        .collect();
    days.sort();
    for formed in days {
        let mut item = if rng.chance(30) {
            ctx.document(&mut rng, formed)
        } else {
            ctx.ordinary(&mut rng, formed)
        };
        ctx.publish(&mut rng, &mut item);
        out.push(item);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::register::settings::RegisterSettings;

    #[test]
    fn the_same_seed_gives_the_same_year_and_every_draft_is_valid() {
        let cal = Calendar::builtin();
        let plan = YearPlan::new(7, 2025, 400);
        let a = generate_year(&plan, cal);
        assert_eq!(a, generate_year(&plan, cal));
        assert_ne!(a, generate_year(&YearPlan::new(8, 2025, 400), cal));
        assert_eq!(a.len(), 400 + 400 / 60);
        let settings = RegisterSettings::default();
        for g in &a {
            g.draft
                .clone()
                .validated(&settings, plan.today)
                .unwrap_or_else(|e| panic!("{}: {e}", g.draft.title));
            for p in &g.publications {
                p.validate(g.draft.formed_on, plan.today).unwrap();
            }
        }
        assert!(a.iter().any(|g| g.withdrawal.is_some()));
        assert!(a.iter().any(|g| !g.corrections.is_empty()));
        assert!(a.iter().any(|g| g.draft.validity.is_some()));
        assert!(
            a.iter()
                .filter_map(|g| g.draft.validity.as_ref())
                .any(|v| v.effective_on.is_some())
        );
    }
}
