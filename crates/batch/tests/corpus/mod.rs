//! A generator of annual reports for the batch tests and the bench.
//!
//! Every report is built from values the generator chooses — so a test can compute the
//! expected year-over-year and roll-up figures on its own — and rendered as:
//!
//! * **text**: the layout of the real seed `shared/seeds/000_…txt` (a tab-separated copy of
//!   the national tables), its 200 numbers replaced in table order, with a generated
//!   title, narrative, signature and date;
//! * **HTML, Markdown, DOCX**: through the project's writers (`gongkai_write`).
//!
//! Clean reports satisfy every sum of the format (TAB001–TAB004), carry over exactly what
//! the previous year carried forward, keep the documents in force consistent, are dated
//! before 31 January, and have narrative drawn at random from 24,576 sentences, so two years
//! share almost nothing. Errors are injected by the callers on top.
//!
//! The throughput bench of `gongkai-cli` has a simpler generator (the seeds with random
//! numbers, which break the sums on purpose); this one keeps reports valid.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use gongkai_format::{
    APPEAL_COLUMNS, APPEAL_GROUPS, APPLICANT_COLUMNS, CellKind, FormatVersion, SECTION_HEADINGS,
    s3_cell_at, s4_cell_at,
};
use gongkai_report::{Location, PrintedDate, Report, Section, Value, parse_number};

/// A small deterministic generator (xorshift64).
#[derive(Debug, Clone)]
pub struct Rng(pub u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

/// The output formats of the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Text,
    Html,
    Markdown,
    Docx,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Text, Kind::Html, Kind::Markdown, Kind::Docx];

    pub fn ext(self) -> &'static str {
        match self {
            Kind::Text => "txt",
            Kind::Html => "html",
            Kind::Markdown => "md",
            Kind::Docx => "docx",
        }
    }

    /// The name `gongkai_batch::InputFormat::as_str` gives this kind.
    pub fn input_name(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Html => "html",
            Kind::Markdown => "markdown",
            Kind::Docx => "docx",
        }
    }
}

/// Sentence parts: 12 × 16 × 16 × 8 = 24,576 sentences.
const SUBJECTS: [&str; 12] = [
    "本机关",
    "我单位",
    "本部门",
    "机关办公室",
    "本单位党组",
    "信息公开工作领导小组",
    "各业务科室",
    "政务公开专班",
    "分管负责同志",
    "信息公开专员",
    "法制工作机构",
    "机关各支部",
];
const ACTIONS: [&str; 16] = [
    "持续完善",
    "认真落实",
    "进一步规范",
    "不断健全",
    "扎实推进",
    "严格执行",
    "全面梳理",
    "及时更新",
    "深入开展",
    "稳步优化",
    "切实加强",
    "着力提升",
    "系统整合",
    "定期检查",
    "统筹做好",
    "逐项核对",
];
const OBJECTS: [&str; 16] = [
    "政务公开工作制度和流程",
    "政府信息发布审核机制",
    "依申请公开办理规范",
    "政策解读和回应关切工作",
    "政府网站信息公开专栏",
    "保密审查和信息安全管理",
    "重点领域信息公开目录",
    "公开平台的栏目设置",
    "政务新媒体的内容管理",
    "信息公开工作人员培训",
    "公开内容的准确性和时效性",
    "社会评议和监督反馈渠道",
    "基层政务公开标准化建设",
    "政府信息管理和归档工作",
    "行政规范性文件清理工作",
    "政务服务事项公开内容",
];
const EFFECTS: [&str; 8] = [
    "取得了较好成效",
    "群众满意度稳步提高",
    "公开质量明显提升",
    "工作规范化水平不断提高",
    "确保信息发布及时准确",
    "形成了长效工作机制",
    "有效保障了群众知情权",
    "各项任务落实到位",
];

/// The narrative of one report: paragraphs of sections 一, 五 and 六.
#[derive(Debug, Clone, PartialEq)]
pub struct Narrative {
    pub s1: Vec<String>,
    pub s5: Vec<String>,
    pub s6: Vec<String>,
}

fn paragraphs(rng: &mut Rng, sentences: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut p = String::new();
    for k in 0..sentences {
        p.push_str(&format!(
            "{}{}{}，{}。",
            rng.pick(&SUBJECTS),
            rng.pick(&ACTIONS),
            rng.pick(&OBJECTS),
            rng.pick(&EFFECTS)
        ));
        if k % 3 == 2 || k + 1 == sentences {
            out.push(std::mem::take(&mut p));
        }
    }
    out
}

impl Narrative {
    pub fn random(rng: &mut Rng) -> Self {
        Narrative {
            s1: paragraphs(rng, 8),
            s5: paragraphs(rng, 4),
            s6: paragraphs(rng, 2),
        }
    }
}

/// The preamble: the same every year but for the year.
pub fn preamble(year: i32) -> String {
    format!(
        "根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》要求，编制本报告。本报告统计数据从{year}年1月1日至12月31日。"
    )
}

/// One generated report.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// The agency as printed in the title.
    pub agency: String,
    pub year: i32,
    /// ISO date printed under the signature; `None` prints no date.
    pub date: Option<String>,
    /// The 200 cells of the 2021 format.
    pub cells: Vec<Option<Value>>,
    pub narrative: Narrative,
}

/// What a clean next year needs from the previous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Carry {
    /// 四、结转下年度继续办理 per applicant column (six, no total).
    pub forward: [i64; 6],
    /// 现行有效件数 of 规章 and 行政规范性文件.
    pub in_force: [i64; 2],
}

fn idx(id: &str) -> usize {
    FormatVersion::Revised2021
        .cell(id)
        .unwrap_or_else(|| panic!("no cell {id}"))
        .0 as usize
}

/// Cells that satisfy every sum of the format, with `carry` from the previous year.
/// Each applicant column gets between `volume / 2` and `volume` new applications.
pub fn clean_cells(rng: &mut Rng, carry: Carry, volume: i64) -> Vec<Option<Value>> {
    let f = FormatVersion::Revised2021;
    let n = f.cells().len();
    let mut cells: Vec<Option<Value>> = vec![Some(Value::int(0)); n];
    // Section 二.
    for (k, key) in ["regulations", "normative_documents"].iter().enumerate() {
        let issued = rng.range(0, 6);
        let repealed = rng.range(0, (carry.in_force[k] + issued).min(3));
        cells[idx(&format!("s2.{key}.issued"))] = Some(Value::int(issued));
        cells[idx(&format!("s2.{key}.repealed"))] = Some(Value::int(repealed));
        cells[idx(&format!("s2.{key}.in_force"))] =
            Some(Value::int(carry.in_force[k] + issued - repealed));
    }
    for key in ["licensing", "penalties", "coercion"] {
        cells[idx(&format!("s2.{key}.decisions"))] = Some(Value::int(rng.range(0, 40)));
    }
    let fee = format!("{}.{:02}", rng.range(0, 20), rng.range(0, 99));
    cells[idx("s2.fees.amount_10k_yuan")] = parse_number(&fee);
    // Section 三, per applicant column.
    let rows = f.s3_rows();
    let row = |key: &str| rows.iter().position(|r| r.key == key).unwrap_or(0);
    let outcome_rows: Vec<usize> = (0..rows.len()).filter(|&r| rows[r].is_outcome).collect();
    let at = |r: usize, c: usize| s3_cell_at(f, r, c).0 as usize;
    for c in 0..6 {
        let new = rng.range(volume / 2, volume);
        let open = new + carry.forward[c];
        let forward = rng.range(0, open / 4);
        let done = open - forward;
        let mut per_row = vec![0i64; rows.len()];
        for _ in 0..done {
            // Most applications are granted; the rest spread over all outcomes.
            let r = if rng.range(0, 2) < 2 {
                row("granted")
            } else {
                *rng.pick(&outcome_rows)
            };
            per_row[r] += 1;
        }
        for &r in &outcome_rows {
            cells[at(r, c)] = Some(Value::int(per_row[r]));
        }
        cells[at(row("new_received"), c)] = Some(Value::int(new));
        cells[at(row("carried_over"), c)] = Some(Value::int(carry.forward[c]));
        cells[at(row("results_total"), c)] = Some(Value::int(done));
        cells[at(row("carried_forward"), c)] = Some(Value::int(forward));
    }
    for r in 0..rows.len() {
        let sum: i64 = (0..6).filter_map(|c| cells[at(r, c)]?.as_i64()).sum();
        cells[at(r, 6)] = Some(Value::int(sum));
    }
    // Section 四.
    for g in 0..APPEAL_GROUPS.len() {
        let mut total = 0;
        for c in 0..APPEAL_COLUMNS.len() - 1 {
            let v = rng.range(0, 2);
            total += v;
            cells[s4_cell_at(f, g, c).0 as usize] = Some(Value::int(v));
        }
        cells[s4_cell_at(f, g, APPEAL_COLUMNS.len() - 1).0 as usize] = Some(Value::int(total));
    }
    cells
}

/// What the next year carries from these cells.
pub fn carry_of(cells: &[Option<Value>]) -> Carry {
    let int = |id: &str| cells[idx(id)].and_then(|v| v.as_i64()).unwrap_or(0);
    let mut c = Carry::default();
    for (k, col) in APPLICANT_COLUMNS[..6].iter().enumerate() {
        c.forward[k] = int(&format!("s3.carried_forward.{}", col.key));
    }
    c.in_force = [
        int("s2.regulations.in_force"),
        int("s2.normative_documents.in_force"),
    ];
    c
}

/// Sets a cell by id.
pub fn set(cells: &mut [Option<Value>], id: &str, v: i64) {
    cells[idx(id)] = Some(Value::int(v));
}

/// Reads a cell by id as an integer.
pub fn get(cells: &[Option<Value>], id: &str) -> i64 {
    cells[idx(id)].and_then(|v| v.as_i64()).unwrap_or(0)
}

fn seed_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds")
}

/// The paths of the five real seeds.
pub fn seed_paths() -> Vec<PathBuf> {
    let dir = seed_dir();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    paths
}

/// The tables of seed 000 (from `二、主动公开政府信息情况` to before `五、`), with each
/// numeric field replaced by `\u{0}`; checked to have exactly 200 fields.
fn table_template() -> &'static str {
    static T: OnceLock<String> = OnceLock::new();
    T.get_or_init(|| {
        let path = seed_paths()
            .into_iter()
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("000_"))
            })
            .expect("seed 000");
        let text = std::fs::read_to_string(&path).expect("seed 000 is UTF-8");
        let start = text.find("二、主动公开政府信息情况").expect("section 二");
        let end = text.find("五、存在的主要问题").expect("section 五");
        let mut out = String::new();
        let mut fields = 0;
        for line in text[start..end].lines() {
            if line.contains('\t') {
                let parts: Vec<&str> = line
                    .split('\t')
                    .map(|f| {
                        if !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()) {
                            fields += 1;
                            "\u{0}"
                        } else {
                            f
                        }
                    })
                    .collect();
                out.push_str(&parts.join("\t"));
            } else {
                out.push_str(line);
            }
            out.push('\n');
        }
        assert_eq!(fields, 200, "seed 000 has 200 numbers in its tables");
        out
    })
}

/// `2024年1月20日` for `2024-01-20`.
pub fn date_text(iso: &str) -> String {
    let p: Vec<u32> = iso.split('-').filter_map(|s| s.parse().ok()).collect();
    format!("{}年{}月{}日", p[0], p[1], p[2])
}

fn show(v: Option<Value>) -> String {
    v.map_or("/".to_string(), |v| v.to_string())
}

/// The report as text in the seed-000 layout.
pub fn render_text(g: &Generated) -> String {
    let mut values = g.cells.iter();
    let tables: String = table_template()
        .split('\u{0}')
        .enumerate()
        .map(|(i, piece)| {
            if i == 0 {
                piece.to_string()
            } else {
                format!("{}{piece}", show(values.next().copied().flatten()))
            }
        })
        .collect();
    let mut s = format!(
        "\n\n{} {} 年政府信息公开工作年度报告\n\n{}\n\n一、总体情况\n\n",
        g.agency,
        g.year,
        preamble(g.year)
    );
    for p in &g.narrative.s1 {
        s.push_str(p);
        s.push_str("\n\n");
    }
    s.push_str(&tables);
    s.push_str("五、存在的主要问题及改进情况\n\n");
    for p in &g.narrative.s5 {
        s.push_str(p);
        s.push_str("\n\n");
    }
    s.push_str("六、其他需要报告的事项\n\n");
    for p in &g.narrative.s6 {
        s.push_str(p);
        s.push_str("\n\n");
    }
    s.push_str(&g.agency);
    s.push('\n');
    if let Some(d) = &g.date {
        s.push_str(&date_text(d));
        s.push('\n');
    }
    s
}

/// The report as a [`Report`], for the writers.
pub fn to_report(g: &Generated) -> Report {
    let mut r = Report::new(FormatVersion::Revised2021);
    r.cells = g.cells.clone();
    r.meta.title = Some(format!("{}{}年政府信息公开工作年度报告", g.agency, g.year));
    r.meta.agency = Some(g.agency.clone());
    r.meta.year = Some(g.year);
    r.meta.signed_by = Some(g.agency.clone());
    if let Some(d) = &g.date {
        r.meta.dates.push(PrintedDate {
            date: d.clone(),
            text: date_text(d),
            loc: Location::None,
        });
    }
    r.meta.preamble = Some(Section {
        number: 0,
        heading: String::new(),
        text: preamble(g.year),
        loc: Location::None,
    });
    for (i, (heading, _)) in SECTION_HEADINGS.iter().enumerate() {
        let text = match i {
            0 => g.narrative.s1.join("\n"),
            4 => g.narrative.s5.join("\n"),
            5 => g.narrative.s6.join("\n"),
            _ => String::new(),
        };
        r.sections.push(Section {
            number: i as u8 + 1,
            heading: (*heading).to_string(),
            text,
            loc: Location::None,
        });
    }
    r
}

/// The report rendered as `kind`.
pub fn render(g: &Generated, kind: Kind) -> Vec<u8> {
    use gongkai_write::{Options, OutputFormat};
    let format = match kind {
        Kind::Text => return render_text(g).into_bytes(),
        Kind::Html => OutputFormat::Html,
        Kind::Markdown => OutputFormat::Markdown,
        Kind::Docx => OutputFormat::Docx,
    };
    gongkai_write::render(&to_report(g), format, &Options::default())
        .unwrap_or_else(|e| panic!("render {kind:?}: {e}"))
}

/// The kinds the project's readers read back exactly (cells, agency, year, date) right
/// now: text always; HTML, Markdown and DOCX once their readers have landed.
pub fn readable_kinds() -> Vec<Kind> {
    let mut rng = Rng::new(7);
    let g = Generated {
        agency: "探测市统计局".to_string(),
        year: 2023,
        date: Some("2024-01-20".to_string()),
        cells: clean_cells(&mut rng, Carry::default(), 5),
        narrative: Narrative::random(&mut rng),
    };
    Kind::ALL
        .into_iter()
        .filter(|&k| {
            let bytes = render(&g, k);
            match gongkai_read::read_report(&bytes) {
                Ok(r) => {
                    r.cells == g.cells
                        && r.meta.year == Some(2023)
                        && r.meta.agency.as_deref() == Some(g.agency.as_str())
                        && r.meta.dates.iter().any(|d| d.date == "2024-01-20")
                        && gongkai_check::check(&r).is_empty()
                }
                Err(_) => false,
            }
        })
        .collect()
}

/// True when `kind` of cell is a decimal (the fee).
pub fn is_decimal(i: usize) -> bool {
    FormatVersion::Revised2021.cells()[i].kind == CellKind::Decimal
}
