//! The generated corpus of the relevance test and the bench: background items with
//! titles in the shapes of real government items (通知, 办法, 规定, 公告, 批复, 公示, 通报,
//! with 文号) and bodies built from real sentences (the seed reports' narratives and the
//! specs, `fixtures/sentences.txt`), plus the planted items of `fixtures/relevance.toml`.
//! Deterministic: the same seed gives the same corpus.

#![allow(dead_code)]

use chrono::NaiveDate;
use gongkai_search::SearchDoc;
use serde::Deserialize;

pub const SENTENCES: &str = include_str!("../fixtures/sentences.txt");
pub const RELEVANCE: &str = include_str!("../fixtures/relevance.toml");

/// Planted items' numbers start here.
pub const PLANTED_BASE: u64 = 1_000_000;

#[derive(Debug, Deserialize)]
pub struct Fixture {
    pub doc: Vec<Planted>,
    pub query: Vec<Judged>,
}

#[derive(Debug, Deserialize)]
pub struct Planted {
    pub key: String,
    pub title: String,
    #[serde(default)]
    pub number: Option<String>,
    pub genre: String,
    pub organ: String,
    pub summary: String,
    pub body: String,
    #[serde(default)]
    pub attachments: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct Judged {
    pub q: String,
    pub relevant: Vec<String>,
}

pub fn fixture() -> Fixture {
    toml::from_str(RELEVANCE).expect("relevance.toml")
}

/// The item number of planted key `p07`.
pub fn planted_item(key: &str) -> u64 {
    PLANTED_BASE + key.trim_start_matches('p').parse::<u64>().expect("pNN")
}

pub fn planted_docs(f: &Fixture) -> Vec<SearchDoc> {
    f.doc
        .iter()
        .map(|p| SearchDoc {
            agency: 1,
            item: planted_item(&p.key),
            index_number: format!(
                "11150100MB1234567X/2023-{:05}",
                planted_item(&p.key) - PLANTED_BASE
            ),
            title: p.title.clone(),
            summary: p.summary.clone(),
            body: p.body.clone(),
            attachments: p.attachments.clone(),
            organ: p.organ.clone(),
            number: p.number.clone(),
            topic: "综合政务/政务公开".into(),
            genre: p.genre.clone(),
            formed_on: NaiveDate::from_ymd_opt(2023, 6, 1).expect("date"),
            published_on: NaiveDate::from_ymd_opt(2023, 6, 5),
            extra: String::new(),
        })
        .collect()
}

/// A small deterministic generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

/// Subjects of the background (none of them is what a planted item is about).
const SUBJECTS: &[&str] = &[
    "安全生产大检查",
    "高标准农田建设",
    "农村人居环境整治",
    "冬季清洁取暖",
    "道路交通安全综合治理",
    "春节期间市场保供稳价",
    "全民健身运动会",
    "根治欠薪冬季专项行动",
    "消防安全隐患排查",
    "食用农产品抽检",
    "城市绿化提升",
    "河长制工作考核",
    "集中供热价格",
    "全民国家安全教育日宣传",
    "爱国卫生运动",
    "文明城市创建",
    "统计执法检查",
    "招商引资项目推进",
    "小微企业纾困扶持",
    "科技创新券兑付",
    "职业技能提升行动",
    "城乡供水一体化",
    "农村公路养护",
    "畜禽养殖污染防治",
    "文物安全巡查",
    "旅游市场秩序整治",
    "禁毒宣传教育",
    "地质灾害隐患排查",
    "粮食收购",
    "农作物病虫害防控",
    "电动自行车充电设施建设",
    "老年人助餐服务",
    "婴幼儿照护服务",
    "中小学校园安全",
    "特种设备安全监察",
    "信访积案化解",
    "人民调解",
    "法律援助",
    "村级集体经济发展",
    "水土保持",
];

const PLACES: &[&str] = &[
    "临河市",
    "北川县",
    "南平区",
    "东湖镇",
    "西山乡",
    "临河经济开发区",
];

const ORGANS: &[(&str, &str)] = &[
    ("临河市人民政府办公室", "临政办发"),
    ("临河市人民政府", "临政发"),
    ("临河市应急管理局", "临应急发"),
    ("临河市农业农村局", "临农发"),
    ("临河市住房和城乡建设局", "临建发"),
    ("临河市市场监督管理局", "临市监发"),
    ("临河市文化广电和旅游局", "临文旅发"),
    ("临河市卫生健康委员会", "临卫健发"),
    ("北川县人民政府办公室", "北政办发"),
    ("南平区人民政府", "南政发"),
];

const TOPICS: &[&str] = &[
    "综合政务/政务公开",
    "国民经济管理、国有资产监管/统计",
    "财政、金融、审计/财政",
    "农业、林业、水利/农业、畜牧业、渔业",
    "城乡建设、环境保护/城市规划",
    "科技、教育/教育",
    "卫生、体育/卫生",
    "劳动、人事、监察/劳动就业",
    "公安、安全、司法/司法",
    "民政、扶贫、救灾/社会福利",
    "市场监管、安全生产监管/安全生产监管",
];

/// Background item `n` (1-based) of the corpus of seed `seed`.
pub fn background(rng: &mut Rng, n: u64, sentences: &[&str]) -> SearchDoc {
    let s = rng.pick(SUBJECTS);
    let place = rng.pick(PLACES);
    let (organ, prefix) = ORGANS[rng.below(ORGANS.len())];
    let year = 2019 + rng.below(6) as i32;
    let (title, genre, numbered) = match rng.below(9) {
        0 => (format!("关于做好{s}工作的通知"), "通知", true),
        1 => (format!("关于开展{s}的通知"), "通知", true),
        2 => (
            format!("关于印发《{place}{s}工作方案》的通知"),
            "通知",
            true,
        ),
        3 => (format!("{place}{s}实施办法"), "办法", true),
        4 => (format!("关于{s}有关事项的公告"), "公告", false),
        5 => (format!("关于{year}年{place}{s}情况的通报"), "通报", false),
        6 => (format!("关于同意{place}{s}项目的批复"), "批复", true),
        7 => (format!("{place}{s}管理规定"), "规定", true),
        _ => (format!("关于{s}工作情况的公示"), "公示", false),
    };
    let number = numbered.then(|| {
        let serial = 1 + rng.below(60);
        // Mostly 〔〕, as offices write them; some in other brackets.
        match rng.below(10) {
            0 => format!("{prefix}[{year}]{serial}号"),
            1 => format!("{prefix}（{year}）{serial}号"),
            _ => format!("{prefix}〔{year}〕{serial}号"),
        }
    });
    let mut body =
        format!("为切实做好{s}工作，根据有关规定，结合{place}实际，现就有关事项通知如下。");
    for _ in 0..(3 + rng.below(6)) {
        body.push_str(sentences[rng.below(sentences.len())]);
    }
    body.push_str(&format!("请各单位高度重视{s}，认真贯彻落实。"));
    let formed_on =
        NaiveDate::from_ymd_opt(year, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32)
            .expect("date");
    SearchDoc {
        agency: 1 + rng.below(5) as u64,
        item: n,
        index_number: format!("11150100MB1234567X/{year}-{n:05}"),
        title,
        summary: format!("部署{place}{s}工作，明确任务分工和时间安排。"),
        body,
        attachments: if rng.below(5) == 0 {
            vec![format!("附件：{s}工作责任分工表")]
        } else {
            Vec::new()
        },
        organ: organ.into(),
        number,
        topic: rng.pick(TOPICS).into(),
        genre: genre.into(),
        formed_on,
        published_on: Some(formed_on + chrono::Days::new(3 + rng.below(15) as u64)),
        extra: String::new(),
    }
}

/// The real sentences, one a line (comments and blank lines out).
pub fn sentences() -> Vec<&'static str> {
    SENTENCES
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// `count` background items of seed `seed`.
pub fn background_docs(seed: u64, count: u64) -> Vec<SearchDoc> {
    let sentences = sentences();
    let mut rng = Rng::new(seed);
    (1..=count)
        .map(|n| background(&mut rng, n, &sentences))
        .collect()
}
