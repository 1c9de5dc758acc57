use crate::rules::{Cx, Hit, Rule, citation_hits, date_zh, info};
use crate::{Category, RuleInfo, Severity};

explained!(
    RepealedLawCited,
    r#"## repealed-law-cited (LAW002)

### 检查什么

引用已经废止的法律或标准：《民法通则》《合同法》《物权法》《侵权责任法》《婚姻法》
《继承法》《收养法》《担保法》《民法总则》（2021 年 1 月 1 日《民法典》施行时废止），
《行政监察法》（2018 年 3 月 20 日《监察法》施行时废止），GB/T 9704-1999、
GB/T 15835-1995（已被 2012、2011 年版代替）。数据在 `data/laws.toml`。

同一段出现“废止”“失效”或名称前有“原”时不报；同一句写有废止以前的年份（叙述当时依据
旧法的事）不报。日期规则同 ORG001。

### 为什么

以已废止的法律为依据作出的决定、答复或合同条款缺乏法律依据。

### 法律依据

- 《中华人民共和国民法典》第一千二百六十条。
- 《中华人民共和国监察法》（2018 年）第六十九条。
- GB/T 9704-2012、GB/T 15835-2011 前言（代替旧版，SECONDARY）。

### 示例

```text
error[LAW002]: 《合同法》已于2021年1月1日废止，现行规定为《中华人民共和国民法典》
  依据【《中华人民共和国合同法》】第五十二条
```
"#
);

impl Rule for RepealedLawCited {
    fn info(&self) -> &'static RuleInfo {
        const INFO: RuleInfo = info(
            "LAW002",
            "repealed-law-cited",
            Severity::Error,
            Category::LegalCitation,
            "引用了已废止的法律或标准",
            "Cites a repealed law or superseded standard",
            EXPLANATION,
        );
        &INFO
    }

    fn check(&self, cx: &Cx<'_>, out: &mut Vec<Hit>) {
        for (h, c, severity) in citation_hits(cx, "LAW002") {
            let cited = &cx.text[h.start..h.end];
            out.push(Hit {
                start: h.start,
                end: h.end,
                severity,
                message_zh: format!(
                    "{cited}已于{}废止或被代替，现行规定为{}",
                    date_zh(c.effective),
                    c.current
                ),
                message_en: format!(
                    "{cited} was repealed or superseded on {}; now {}",
                    c.effective, c.current
                ),
                suggestion: Some(c.current.clone()),
            });
        }
    }
}
