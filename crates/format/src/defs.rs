//! Rows, columns and headings of the two editions of the format.
//!
//! Labels are the official wording. `keywords` are the distinctive words of a row label
//! that survive wrapping, spacing and abbreviation in published reports; the mapper uses
//! them to recognise a row by meaning rather than by position.

use crate::{CellKind, FormatVersion, S2Row};

/// A value column of table 2 (申请人情况).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub key: &'static str,
    /// Label path, e.g. `法人或其他组织 / 商业企业`.
    pub label: &'static str,
    /// The printed header word, e.g. `商业企业`.
    pub short: &'static str,
}

/// The seven applicant columns of table 2, in printed order.
pub const APPLICANT_COLUMNS: [Column; 7] = [
    Column {
        key: "natural_person",
        label: "自然人",
        short: "自然人",
    },
    Column {
        key: "commercial",
        label: "法人或其他组织 / 商业企业",
        short: "商业企业",
    },
    Column {
        key: "research",
        label: "法人或其他组织 / 科研机构",
        short: "科研机构",
    },
    Column {
        key: "social_welfare",
        label: "法人或其他组织 / 社会公益组织",
        short: "社会公益组织",
    },
    Column {
        key: "legal_service",
        label: "法人或其他组织 / 法律服务机构",
        short: "法律服务机构",
    },
    Column {
        key: "other_org",
        label: "法人或其他组织 / 其他",
        short: "其他",
    },
    Column {
        key: "total",
        label: "总计",
        short: "总计",
    },
];

/// The outcome groups of 三、本年度办理结果.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutcomeGroup {
    /// 一、本年新收 / 二、上年结转 / 四、结转下年度: not an outcome.
    None,
    /// （一）予以公开
    Granted,
    /// （二）部分公开
    Partial,
    /// （三）不予公开
    Denied,
    /// （四）无法提供
    Unable,
    /// （五）不予处理
    Rejected,
    /// （六）其他处理
    Other,
    /// （七）总计
    Total,
}

impl OutcomeGroup {
    /// The printed group label, e.g. `（三）不予公开`.
    pub fn label(self) -> &'static str {
        match self {
            OutcomeGroup::None => "",
            OutcomeGroup::Granted => "（一）予以公开",
            OutcomeGroup::Partial => "（二）部分公开",
            OutcomeGroup::Denied => "（三）不予公开",
            OutcomeGroup::Unable => "（四）无法提供",
            OutcomeGroup::Rejected => "（五）不予处理",
            OutcomeGroup::Other => "（六）其他处理",
            OutcomeGroup::Total => "（七）总计",
        }
    }
}

/// A row of table 2 (三、收到和处理政府信息公开申请情况).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct S3Row {
    /// Id segment, e.g. `denied_state_secret`.
    pub key: &'static str,
    /// The printed row label, e.g. `1.属于国家秘密` or `一、本年新收政府信息公开申请数量`.
    pub label: &'static str,
    /// The label path used in the spec, e.g. `三 /（三）不予公开 / 1.属于国家秘密`.
    pub label_path: &'static str,
    pub group: OutcomeGroup,
    /// Item number inside its group (1-based), 0 for rows that are not items.
    pub item: u8,
    /// Words that identify the row in any printing (after normalisation).
    pub keywords: &'static [&'static str],
    /// True for the outcome rows that add up to （七）总计.
    pub is_outcome: bool,
}

const fn row(
    key: &'static str,
    label: &'static str,
    label_path: &'static str,
    group: OutcomeGroup,
    item: u8,
    keywords: &'static [&'static str],
) -> S3Row {
    let is_outcome = !matches!(group, OutcomeGroup::None | OutcomeGroup::Total);
    S3Row {
        key,
        label,
        label_path,
        group,
        item,
        keywords,
        is_outcome,
    }
}

use OutcomeGroup as G;

const S3_HEAD: [S3Row; 18] = [
    row(
        "new_received",
        "一、本年新收政府信息公开申请数量",
        "一、本年新收政府信息公开申请数量",
        G::None,
        0,
        &["本年新收"],
    ),
    row(
        "carried_over",
        "二、上年结转政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        G::None,
        0,
        &["上年结转"],
    ),
    row(
        "granted",
        "（一）予以公开",
        "三、本年度办理结果 /（一）予以公开",
        G::Granted,
        0,
        &["予以公开"],
    ),
    row(
        "partially_granted",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "三 /（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        G::Partial,
        0,
        &["部分公开"],
    ),
    row(
        "denied_state_secret",
        "1.属于国家秘密",
        "三 /（三）不予公开 / 1.属于国家秘密",
        G::Denied,
        1,
        &["国家秘密"],
    ),
    row(
        "denied_prohibited_by_law",
        "2.其他法律行政法规禁止公开",
        "三 /（三）不予公开 / 2.其他法律行政法规禁止公开",
        G::Denied,
        2,
        &["禁止公开"],
    ),
    row(
        "denied_three_security",
        "3.危及“三安全一稳定”",
        "三 /（三）不予公开 / 3.危及“三安全一稳定”",
        G::Denied,
        3,
        &["三安全一稳定"],
    ),
    row(
        "denied_third_party",
        "4.保护第三方合法权益",
        "三 /（三）不予公开 / 4.保护第三方合法权益",
        G::Denied,
        4,
        &["第三方合法权益"],
    ),
    row(
        "denied_internal_affairs",
        "5.属于三类内部事务信息",
        "三 /（三）不予公开 / 5.属于三类内部事务信息",
        G::Denied,
        5,
        &["内部事务"],
    ),
    row(
        "denied_process_info",
        "6.属于四类过程性信息",
        "三 /（三）不予公开 / 6.属于四类过程性信息",
        G::Denied,
        6,
        &["过程性信息"],
    ),
    row(
        "denied_enforcement_file",
        "7.属于行政执法案卷",
        "三 /（三）不予公开 / 7.属于行政执法案卷",
        G::Denied,
        7,
        &["执法案卷"],
    ),
    row(
        "denied_query_matter",
        "8.属于行政查询事项",
        "三 /（三）不予公开 / 8.属于行政查询事项",
        G::Denied,
        8,
        &["行政查询事项"],
    ),
    row(
        "unable_not_held",
        "1.本机关不掌握相关政府信息",
        "三 /（四）无法提供 / 1.本机关不掌握相关政府信息",
        G::Unable,
        1,
        &["不掌握"],
    ),
    row(
        "unable_needs_creation",
        "2.没有现成信息需要另行制作",
        "三 /（四）无法提供 / 2.没有现成信息需要另行制作",
        G::Unable,
        2,
        &["另行制作", "没有现成信息"],
    ),
    row(
        "unable_unclear_after_correction",
        "3.补正后申请内容仍不明确",
        "三 /（四）无法提供 / 3.补正后申请内容仍不明确",
        G::Unable,
        3,
        &["仍不明确"],
    ),
    row(
        "rejected_petition",
        "1.信访举报投诉类申请",
        "三 /（五）不予处理 / 1.信访举报投诉类申请",
        G::Rejected,
        1,
        &["信访举报投诉"],
    ),
    row(
        "rejected_duplicate",
        "2.重复申请",
        "三 /（五）不予处理 / 2.重复申请",
        G::Rejected,
        2,
        &["重复申请"],
    ),
    row(
        "rejected_publication",
        "3.要求提供公开出版物",
        "三 /（五）不予处理 / 3.要求提供公开出版物",
        G::Rejected,
        3,
        &["公开出版物"],
    ),
];

const S3_REJECTED_TAIL: [S3Row; 2] = [
    row(
        "rejected_mass_repeated",
        "4.无正当理由大量反复申请",
        "三 /（五）不予处理 / 4.无正当理由大量反复申请",
        G::Rejected,
        4,
        &["大量反复申请"],
    ),
    row(
        "rejected_confirmation",
        "5.要求行政机关确认或重新出具已获取信息",
        "三 /（五）不予处理 / 5.要求行政机关确认或重新出具已获取信息",
        G::Rejected,
        5,
        &["重新出具", "确认或重新"],
    ),
];

const S3_OTHER_2021: [S3Row; 3] = [
    row(
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "三 /（六）其他处理 / 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        G::Other,
        1,
        &["逾期不补正"],
    ),
    row(
        "other_unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "三 /（六）其他处理 / 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        G::Other,
        2,
        &["收费通知", "缴纳费用"],
    ),
    row(
        "other_other",
        "3.其他",
        "三 /（六）其他处理 / 3.其他",
        G::Other,
        3,
        &[],
    ),
];

const S3_OTHER_2019: [S3Row; 1] = [row(
    "other_handling",
    "（六）其他处理",
    "三 /（六）其他处理",
    G::Other,
    0,
    &["其他处理"],
)];

const S3_TAIL: [S3Row; 2] = [
    row(
        "results_total",
        "（七）总计",
        "三 /（七）总计",
        G::Total,
        0,
        &["总计"],
    ),
    row(
        "carried_forward",
        "四、结转下年度继续办理",
        "四、结转下年度继续办理",
        G::None,
        0,
        &["结转下年度"],
    ),
];

/// The rows of table 2 for `version`, in printed order.
pub fn s3_rows(version: FormatVersion) -> &'static [S3Row] {
    use std::sync::OnceLock;
    static R2019: OnceLock<Vec<S3Row>> = OnceLock::new();
    static R2021: OnceLock<Vec<S3Row>> = OnceLock::new();
    let (cell, other): (_, &[S3Row]) = match version {
        FormatVersion::Trial2019 => (&R2019, &S3_OTHER_2019),
        FormatVersion::Revised2021 => (&R2021, &S3_OTHER_2021),
    };
    cell.get_or_init(|| {
        let mut v = S3_HEAD.to_vec();
        v.extend_from_slice(&S3_REJECTED_TAIL);
        v.extend_from_slice(other);
        v.extend_from_slice(&S3_TAIL);
        v
    })
}

use CellKind::{Count, Decimal};

const DOCS_2021: &[(&str, &str, CellKind)] = &[
    ("issued", "本年制发件数", Count),
    ("repealed", "本年废止件数", Count),
    ("in_force", "现行有效件数", Count),
];
const DECISIONS_2021: &[(&str, &str, CellKind)] = &[("decisions", "本年处理决定数量", Count)];

static S2_2021: [S2Row; 6] = [
    S2Row {
        key: "regulations",
        caption: "第二十条第（一）项",
        label: "规章",
        columns: DOCS_2021,
    },
    S2Row {
        key: "normative_documents",
        caption: "第二十条第（一）项",
        label: "行政规范性文件",
        columns: DOCS_2021,
    },
    S2Row {
        key: "licensing",
        caption: "第二十条第（五）项",
        label: "行政许可",
        columns: DECISIONS_2021,
    },
    S2Row {
        key: "penalties",
        caption: "第二十条第（六）项",
        label: "行政处罚",
        columns: DECISIONS_2021,
    },
    S2Row {
        key: "coercion",
        caption: "第二十条第（六）项",
        label: "行政强制",
        columns: DECISIONS_2021,
    },
    S2Row {
        key: "fees",
        caption: "第二十条第（八）项",
        label: "行政事业性收费",
        columns: &[("amount_10k_yuan", "本年收费金额（单位：万元）", Decimal)],
    },
];

const DOCS_2019: &[(&str, &str, CellKind)] = &[
    ("new_made", "本年新制作数量", Count),
    ("new_published", "本年新公开数量", Count),
    ("total_published", "对外公开总数量", Count),
];
const ITEMS_2019: &[(&str, &str, CellKind)] = &[
    ("previous_items", "上一年项目数量", Count),
    ("change", "本年增/减", Count),
    ("decisions", "处理决定数量", Count),
];

static S2_2019: [S2Row; 8] = [
    S2Row {
        key: "regulations",
        caption: "第二十条第（一）项",
        label: "规章",
        columns: DOCS_2019,
    },
    S2Row {
        key: "normative_documents",
        caption: "第二十条第（一）项",
        label: "规范性文件",
        columns: DOCS_2019,
    },
    S2Row {
        key: "licensing",
        caption: "第二十条第（五）项",
        label: "行政许可",
        columns: ITEMS_2019,
    },
    S2Row {
        key: "other_services",
        caption: "第二十条第（五）项",
        label: "其他对外管理服务事项",
        columns: ITEMS_2019,
    },
    S2Row {
        key: "penalties",
        caption: "第二十条第（六）项",
        label: "行政处罚",
        columns: ITEMS_2019,
    },
    S2Row {
        key: "coercion",
        caption: "第二十条第（六）项",
        label: "行政强制",
        columns: ITEMS_2019,
    },
    S2Row {
        key: "fees",
        caption: "第二十条第（八）项",
        label: "行政事业性收费",
        columns: &[
            ("previous_items", "上一年项目数量", Count),
            ("change", "本年增/减", Count),
        ],
    },
    S2Row {
        key: "procurement",
        caption: "第二十条第（九）项",
        label: "政府集中采购",
        columns: &[
            ("items", "采购项目数量", Count),
            ("amount", "采购总金额", Decimal),
        ],
    },
];

/// Section 二 rows of the revised format.
pub fn s2_rows_2021() -> &'static [S2Row] {
    &S2_2021
}

/// Section 二 rows of the trial format.
pub fn s2_rows_2019() -> &'static [S2Row] {
    &S2_2019
}

/// A column group of table 3 (四、行政复议、行政诉讼).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppealGroup {
    pub key: &'static str,
    pub label: &'static str,
}

/// The three groups of table 3.
pub const APPEAL_GROUPS: [AppealGroup; 3] = [
    AppealGroup {
        key: "reconsideration",
        label: "行政复议",
    },
    AppealGroup {
        key: "litigation_direct",
        label: "行政诉讼 / 未经复议直接起诉",
    },
    AppealGroup {
        key: "litigation_after_reconsideration",
        label: "行政诉讼 / 复议后起诉",
    },
];

/// The five columns of each group of table 3.
pub const APPEAL_COLUMNS: [Column; 5] = [
    Column {
        key: "upheld",
        label: "结果维持",
        short: "结果维持",
    },
    Column {
        key: "corrected",
        label: "结果纠正",
        short: "结果纠正",
    },
    Column {
        key: "other",
        label: "其他结果",
        short: "其他结果",
    },
    Column {
        key: "pending",
        label: "尚未审结",
        short: "尚未审结",
    },
    Column {
        key: "total",
        label: "总计",
        short: "总计",
    },
];

/// The six section headings (一 … 六) with the words that identify each.
pub const SECTION_HEADINGS: [(&str, &[&str]); 6] = [
    ("一、总体情况", &["总体情况"]),
    ("二、主动公开政府信息情况", &["主动公开"]),
    (
        "三、收到和处理政府信息公开申请情况",
        &["收到和处理", "依申请公开"],
    ),
    (
        "四、政府信息公开行政复议、行政诉讼情况",
        &["行政复议", "行政诉讼"],
    ),
    ("五、存在的主要问题及改进情况", &["问题", "改进"]),
    ("六、其他需要报告的事项", &["其他需要报告", "其他事项"]),
];
