use gongkai_format::SECTION_HEADINGS;
use gongkai_report::Report;

use super::{known, section_zh};
use crate::{Finding, Lang, Rule, Severity};

explained!(
    SectionsMissingOrDisordered,
    r#"## sections-missing-or-disordered (STR001)

### 检查什么

年度报告必须依次包含六个部分：

1. 一、总体情况
2. 二、主动公开政府信息情况
3. 三、收到和处理政府信息公开申请情况
4. 四、政府信息公开行政复议、行政诉讼情况
5. 五、存在的主要问题及改进情况
6. 六、其他需要报告的事项

缺少某一部分时报告缺少的标题；各部分顺序颠倒或重复时另报一次。

### 为什么

六个部分对应条例规定的年度报告法定内容。缺少一个部分，就缺少一项法定内容；实践中曾有报告声称“共六部分”却只列五部分、缺少复议诉讼部分（regulations.md §5.3）。

### 法律依据

《中华人民共和国政府信息公开条例》第五十条：年度报告应当包括主动公开、收到和处理申请、行政复议和行政诉讼、存在的主要问题及改进情况、其他需要报告的事项；《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）规定了六个部分的标题和顺序。

### 示例

```text
error[STR001]: 报告缺少第四部分“四、政府信息公开行政复议、行政诉讼情况”
```
"#
);

impl Rule for SectionsMissingOrDisordered {
    fn code(&self) -> &'static str {
        "STR001"
    }

    fn name(&self) -> &'static str {
        "sections-missing-or-disordered"
    }

    fn severity(&self) -> Severity {
        Severity::Error
    }

    fn summary(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => "六个部分不全或顺序错乱",
            Lang::En => "One of the six sections is missing, or they are out of order",
        }
    }

    fn explanation(&self) -> &'static str {
        EXPLANATION
    }

    fn check(&self, report: &Report, out: &mut Vec<Finding>) {
        let missing: Vec<u8> = (1..=6u8).filter(|n| report.section(*n).is_none()).collect();
        if !missing.is_empty() {
            let zh = missing
                .iter()
                .map(|&n| format!("“{}”", SECTION_HEADINGS[usize::from(n) - 1].0))
                .collect::<Vec<_>>()
                .join("、");
            let en = missing
                .iter()
                .map(|&n| format!("{n} “{}”", SECTION_HEADINGS[usize::from(n) - 1].0))
                .collect::<Vec<_>>()
                .join(", ");
            let (msg_zh, msg_en) = match missing.as_slice() {
                [n] => (
                    format!("报告缺少{}{zh}", section_zh(*n)),
                    format!("The report lacks section {en}"),
                ),
                _ => (
                    format!("报告缺少{}个部分：{zh}", missing.len()),
                    format!("The report lacks {} sections: {en}", missing.len()),
                ),
            };
            let mut f = Finding::new(self, msg_zh, msg_en);
            f.section = (missing.len() == 1).then(|| missing[0]);
            out.push(f);
        }
        let numbers: Vec<u8> = report.sections.iter().map(|s| s.number).collect();
        if let Some(pos) = numbers.windows(2).position(|w| w[0] >= w[1]) {
            let shown = numbers
                .iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            let second = &report.sections[pos + 1];
            let mut f = Finding::new(
                self,
                format!(
                    "各部分顺序错乱或重复：第{}部分出现在第{}部分之后（实际顺序 {shown}）",
                    second.number, numbers[pos]
                ),
                format!(
                    "Sections out of order or repeated: section {} follows section {} (order found: {shown})",
                    second.number, numbers[pos]
                ),
            );
            f.section = Some(second.number);
            f.loc = known(second.loc);
            out.push(f);
        }
    }
}
