use super::{known, section_zh};
use crate::{Finding, Rule, RuleMeta};

rule!(PlaceholderText {
    code: "TXT005",
    name: "placeholder-text",
    severity: Error,
    summary_zh: "报告中留有待填写的占位内容（【请填写】、【请补充……】、XXX、××、此处填写、待补充、TODO……）",
    summary_en: "The report still contains fill-in placeholders (【请填写】, XXX, ××, 待补充, TODO …)",
    explanation: r#"## placeholder-text (TXT005)

### 检查什么

标题、落款和六个部分的正文中留有起草时的占位内容，即本应由机关填写、却原样印出的标记：

* 方头括号内的填写提示：`【请填写。】`、`【请补充主动公开工作的主要做法。】`、`【其他需要报告的事项请在此填写。】`，以及内容为空或只有占位符号的 `【】`、`【XXX】`、`【……】`；
* 圆括号内以“请”开头的填写提示：`（请填写主动公开政府信息的情况。）`、`（请在此概述……）`（`gongkai template` 生成的数据文件就用这种提示）；
* 代替文字或数字的 `XXX`、`XX`、`×××`、`××`（`XX局`、`20XX年`、`共收到申请××件`、文号 `〔20××〕××号`），以及日期、件数里的单个 `X年X月X日`、`X件`；
* `此处填写`、`在此填写`、`待补充`、`待填写`，连续三个以上的下划线 `___`，以及 `TODO`、`TBD`、`FIXME`。

以下不是占位内容，不报：

* 遮蔽的证件号码、电话号码（`410702********1234`、`138XXXX5678`、`4107021990XXXX1234`：标记夹在数字之间，或与数字合成 11 位以上的号码）；身份证号末位的校验码 `X`；
* 乘号（`3×4`）、`X射线`、`X光`，以及与英文字母相连的 `XX`（网址中的 `XXGK`）、小写的 `xx`（`xxgk`）；
* 遮蔽的姓名：紧跟在姓氏后、不超过两个的 `×`/`X`（`王××`、`申请人张X`）；
* 作为栏目名称的方头括号（`【政策解读】`、`【补充说明】`）和“有待补充完善”这样的叙述。

含 `××` 的文号（`×政办发〔20××〕××号`）按占位内容报告：真实的文号总有数字，印出模板文号说明引用没有填写完整。

### 为什么

占位内容说明报告是未完成的草稿：`【请填写。】`、`XX局`、`共收到申请××件` 印在公开的年度报告上，既没有向社会说明应当说明的情况，又损害机关的公信力。评估和通报把“照搬模板、留有未填写内容”列为年度报告的典型问题。台账生成的正文草稿用 `【……】` 标出需由本机关补充的内容；这些内容写完之前，年度报告不能提交审核。

### 法律依据

《中华人民共和国政府信息公开条例》第五十条：政府信息公开工作年度报告应当包括总体情况、主动公开、收到和处理申请、复议诉讼、存在的主要问题及改进情况和其他需要报告的事项；《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）要求各部分如实、完整填报，年度报告敷衍塞责、内容缺失的，依照条例第四十七条追责。

### 示例

```text
error[TXT005]: 第一部分留有待填写的占位内容（共 2 处）：“【请填写。】”“XX局”
```
"#,
});

impl Rule for PlaceholderText {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &crate::Context<'_>, out: &mut Vec<Finding>) {
        let report = ctx.report;
        let mut head = Vec::new();
        for t in [&report.meta.title, &report.meta.signed_by]
            .into_iter()
            .flatten()
        {
            head.extend(placeholders(t));
        }
        if let Some(p) = &report.meta.preamble {
            head.extend(placeholders(&p.text));
        }
        if !head.is_empty() {
            let mut f = finding(
                self,
                "标题、落款或导语",
                "The title, signature or preamble",
                &head,
            );
            f.loc = report.meta.preamble.as_ref().and_then(|p| known(p.loc));
            out.push(f);
        }
        for s in &report.sections {
            let hits = placeholders(&s.text);
            if hits.is_empty() {
                continue;
            }
            let mut f = finding(
                self,
                &section_zh(s.number),
                &format!("Section {}", s.number),
                &hits,
            );
            f.section = Some(s.number);
            f.loc = known(s.loc);
            out.push(f);
        }
    }
}

/// At most this many excerpts in a message.
const SHOWN: usize = 3;

fn finding(rule: &dyn Rule, where_zh: &str, where_en: &str, hits: &[String]) -> Finding {
    let mut shown: Vec<&str> = Vec::new();
    for h in hits {
        if !shown.contains(&h.as_str()) && shown.len() < SHOWN {
            shown.push(h);
        }
    }
    let zh: String = shown.iter().map(|h| format!("“{h}”")).collect();
    let en = shown
        .iter()
        .map(|h| format!("“{h}”"))
        .collect::<Vec<_>>()
        .join(", ");
    let more = if hits.len() > shown.len() { "等" } else { "" };
    Finding::new(
        rule,
        format!(
            "{where_zh}留有待填写的占位内容（共 {} 处）：{zh}{more}",
            hits.len()
        ),
        format!(
            "{where_en} still contains placeholder text ({} places): {en}",
            hits.len()
        ),
    )
}

/// Fill-in instructions inside 【】 or after （请.
const FILL_WORDS: [&str; 9] = [
    "填写",
    "请补充",
    "待补充",
    "在此",
    "此处",
    "待定",
    "填入",
    "请输入",
    "TODO",
];

/// Phrases that are fill-in markers wherever they stand.
const MARKERS: [&str; 4] = ["此处填写", "在此填写", "此处补充", "在此补充"];

/// Stand-alone markers (not after 有: “有待补充完善” is prose).
const PENDING: [&str; 2] = ["待补充", "待填写"];

/// English markers, as whole words.
const WORDS: [&str; 3] = ["TODO", "TBD", "FIXME"];

/// Characters standing for a missing name or number.
fn is_mask(c: char) -> bool {
    matches!(c, 'X' | 'Ｘ' | '×')
}

/// Characters that fill an empty bracket.
fn is_filler(c: char) -> bool {
    is_mask(c)
        || c.is_whitespace()
        || matches!(
            c,
            '…' | '.' | '。' | '·' | '_' | '＿' | '*' | '＊' | '-' | '—' | '－' | 'x' | '○'
        )
}

fn is_ideograph(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Single-character surnames, the commonest (for masked names such as 王××).
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常";

/// The placeholders in `text`, each as the excerpt a reader can search for.
pub(crate) fn placeholders(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut hits: Vec<(usize, String)> = Vec::new();
    let mut taken = vec![false; chars.len()];
    let excerpt = |from: usize, to: usize| chars[from..to].iter().collect::<String>();

    // Brackets: 【…】 with a fill-in instruction or nothing but fillers; （请…填写…）.
    let mut i = 0;
    while i < chars.len() {
        let close = match chars[i] {
            '【' => '】',
            '（' => '）',
            '(' => ')',
            _ => {
                i += 1;
                continue;
            }
        };
        let Some(len) = chars[i + 1..].iter().take(120).position(|&c| c == close) else {
            i += 1;
            continue;
        };
        let end = i + 1 + len;
        let inner: String = chars[i + 1..end].iter().collect();
        let inner = inner.trim();
        let fill = FILL_WORDS.iter().any(|w| inner.contains(w));
        let hit = if chars[i] == '【' {
            fill || inner.chars().all(is_filler)
        } else {
            inner.starts_with('请') && fill
        };
        if hit {
            hits.push((i, excerpt(i, end + 1)));
            taken[i..=end].iter_mut().for_each(|t| *t = true);
            i = end + 1;
        } else {
            i += 1;
        }
    }

    let find_all = |needle: &str| -> Vec<usize> {
        // Most texts have none of the markers: `str::contains` (SIMD) says so first.
        if !text.contains(needle) {
            return Vec::new();
        }
        let n: Vec<char> = needle.chars().collect();
        // The first character is compared alone first: most positions fail there, and a
        // slice comparison at every position costs a `memcmp` call each.
        (0..chars.len().saturating_sub(n.len() - 1))
            .filter(|&k| chars[k] == n[0] && chars[k..k + n.len()] == n[..])
            .collect()
    };
    let mut mark = |hits: &mut Vec<(usize, String)>, from: usize, to: usize| {
        if taken[from..to].iter().any(|t| *t) {
            return;
        }
        taken[from..to].iter_mut().for_each(|t| *t = true);
        hits.push((from, excerpt(from, to)));
    };

    for m in MARKERS {
        for k in find_all(m) {
            mark(&mut hits, k, k + m.chars().count());
        }
    }
    for m in PENDING {
        for k in find_all(m) {
            if k > 0 && chars[k - 1] == '有' {
                continue;
            }
            mark(&mut hits, k, k + m.chars().count());
        }
    }
    for w in WORDS {
        for k in find_all(w) {
            let end = k + w.len();
            let letter = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            if letter(k.checked_sub(1).and_then(|p| chars.get(p))) || letter(chars.get(end)) {
                continue;
            }
            mark(&mut hits, k, end);
        }
    }

    // Runs of mask characters.
    let mut k = 0;
    while k < chars.len() {
        if !is_mask(chars[k]) {
            k += 1;
            continue;
        }
        let start = k;
        while k < chars.len() && is_mask(chars[k]) {
            k += 1;
        }
        if mask_is_placeholder(&chars, start, k) {
            // Show the run with the word it stands in: up to two ideographs after it (XX局,
            // ××件) or before it when nothing follows.
            let mut to = k;
            while to < chars.len() && to < k + 1 && is_ideograph(chars[to]) {
                to += 1;
            }
            let mut from = start;
            if to == k {
                while from > 0 && from + 2 > start && is_ideograph(chars[from - 1]) {
                    from -= 1;
                }
            }
            mark(&mut hits, start, k);
            if let Some(h) = hits.last_mut()
                && h.0 == start
            {
                h.1 = excerpt(from, to);
            }
        }
    }

    // Fill-in blanks: three or more underscores.
    let mut k = 0;
    while k < chars.len() {
        if !matches!(chars[k], '_' | '＿') {
            k += 1;
            continue;
        }
        let start = k;
        while k < chars.len() && matches!(chars[k], '_' | '＿') {
            k += 1;
        }
        if k - start >= 3 {
            mark(&mut hits, start, k);
        }
    }

    hits.sort_by_key(|h| h.0);
    hits.into_iter().map(|h| h.1).collect()
}

/// Whether the run `chars[start..end]` of mask characters stands for missing text.
fn mask_is_placeholder(chars: &[char], start: usize, end: usize) -> bool {
    let before = start.checked_sub(1).map(|p| chars[p]);
    let after = chars.get(end).copied();
    let len = end - start;
    // Part of an English word or code (XXGK, MAXX).
    if before.is_some_and(|c| c.is_ascii_alphabetic())
        || after.is_some_and(|c| c.is_ascii_alphabetic())
    {
        return false;
    }
    // Between digits: a masked number (138XXXX5678) or a product (3×4).
    if before.is_some_and(|c| c.is_ascii_digit()) && after.is_some_and(|c| c.is_ascii_digit()) {
        return false;
    }
    // With the digits around it, a number of 11 characters or more: a masked ID or phone
    // number (4107021990123412XX), or an ID number's check digit.
    let numeric = |c: &char| c.is_ascii_digit() || is_mask(*c) || matches!(c, '*' | '＊');
    let mut from = start;
    while from > 0 && numeric(&chars[from - 1]) {
        from -= 1;
    }
    let mut to = end;
    while to < chars.len() && numeric(&chars[to]) {
        to += 1;
    }
    if to - from >= 11 {
        return false;
    }
    // A masked name: a surname followed by one or two marks (王××, 申请人张X).
    let open_count = |c: char| "年月日号件个项次元".contains(c);
    if len <= 2
        && let Some(s) = before
        && SURNAMES.contains(s)
        && after.is_none_or(|c| !open_count(c))
    {
        let before_surname = start.checked_sub(2).map(|p| chars[p]);
        if before_surname.is_none_or(|c| !is_ideograph(c) || matches!(c, '人' | '告' | '者')) {
            return false;
        }
    }
    if len >= 2 {
        return true;
    }
    // One mark: only where a date or a count is left open (X月X日, X件, 〔20X〕X号).
    after.is_some_and(open_count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_in_markers_are_found() {
        for (text, want) in [
            ("（三）政府信息管理。【请填写。】", vec!["【请填写。】"]),
            (
                "【请补充主动公开工作的主要做法。】其余",
                vec!["【请补充主动公开工作的主要做法。】"],
            ),
            (
                "本年度未收取信息处理费。\n【其他需要报告的事项请在此填写。】",
                vec!["【其他需要报告的事项请在此填写。】"],
            ),
            ("【】【XXX】【……】", vec!["【】", "【XXX】", "【……】"]),
            (
                "（请填写主动公开政府信息的情况。）",
                vec!["（请填写主动公开政府信息的情况。）"],
            ),
            ("XX局本年度共收到申请××件。", vec!["XX局", "××件"]),
            ("统计期限至20XX年12月31日", vec!["XX年"]),
            ("于X月X日答复", vec!["X月", "X日"]),
            ("依据×政办发〔20××〕××号文件", vec!["××", "××号"]),
            ("此处填写具体做法。", vec!["此处填写"]),
            ("改进措施：待补充", vec!["待补充"]),
            ("TODO: 核对数字", vec!["TODO"]),
            ("共收到申请____件", vec!["____"]),
            ("本机关：XXX", vec!["XXX"]),
        ] {
            let got = placeholders(text);
            let want: Vec<String> = want.into_iter().map(String::from).collect();
            assert_eq!(got.len(), want.len(), "{text}: {got:?}");
            for w in &want {
                assert!(
                    got.iter().any(|g| g.contains(w.as_str())),
                    "{text}: {got:?} lacks {w}"
                );
            }
        }
    }

    #[test]
    fn legitimate_text_is_not_a_placeholder() {
        for text in [
            "申请人身份证号410702********1234已遮蔽。",
            "联系电话138XXXX5678",
            "身份证号4107021990XXXX1234",
            "身份证号11010519491231002X。",
            "设备规格3×4米，购置X射线机1台、X光机2台。",
            "网址 http://www.example.gov.cn/xxgk/ 与 XXGK 栏目",
            "王××诉本局政府信息公开一案，申请人张X要求公开",
            "【政策解读】发布解读材料5篇。【补充说明】无。",
            "公开渠道有待补充完善。",
            "二〇二三年十二月三十一日",
            "（请登录本局网站查询）",
            "依据湘政办发〔2023〕12号文件",
        ] {
            assert!(
                placeholders(text).is_empty(),
                "{text}: {:?}",
                placeholders(text)
            );
        }
    }
}
