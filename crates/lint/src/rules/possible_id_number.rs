use crate::pii::{IdShape, id_shape, labelled_not_personal, mask};
use crate::rules::{Cx, Hit, Rule, info};
use crate::{Category, RuleInfo, Severity};

explained!(
    PossibleIdNumber,
    r#"## possible-id-number (PII002)

### 检查什么

形如公民身份号码、但不能确认的号码：18 位、出生日期和省级代码都合理、校验码却不对
（可能是抄错的真实号码）；或 15 位旧号码（1999 年以前签发，没有校验码）。只作提示，
由人工判断。

### 为什么

抄错一位的身份证号仍然能认出本人；15 位旧号码仍在旧档案和历史公示中出现。

### 法律依据

- 《中华人民共和国政府信息公开条例》第十五条；《中华人民共和国个人信息保护法》第二十五条。
- GB 11643-1999《公民身份号码》（18 位号码与校验码）；15 位号码的结构见其前身 GB 11643-1989。

### 示例

```text
info[PII002]: 疑似公民身份号码（校验码不符），请人工核对
  身份证号【110105194912310021】
```
"#
);

impl Rule for PossibleIdNumber {
    fn info(&self) -> &'static RuleInfo {
        const INFO: RuleInfo = info(
            "PII002",
            "possible-id-number",
            Severity::Info,
            Category::PersonalInformation,
            "疑似公民身份号码（校验码不符或 15 位旧号码）",
            "Looks like a citizen ID number (bad check digit or old 15-digit form)",
            EXPLANATION,
        );
        &INFO
    }

    fn check(&self, cx: &Cx<'_>, out: &mut Vec<Hit>) {
        for t in cx.tokens(15) {
            let (zh, en, keep) = match id_shape(t, &cx.data.pii.province_codes, cx.today) {
                IdShape::BadCheck => (
                    "疑似公民身份号码（校验码不符），请人工核对",
                    "Looks like a citizen ID number but the check digit is wrong; review it",
                    (6, 4),
                ),
                IdShape::Old15 => (
                    "疑似 15 位旧公民身份号码，请人工核对",
                    "Looks like an old 15-digit citizen ID number; review it",
                    (6, 3),
                ),
                IdShape::Valid | IdShape::NotId => continue,
            };
            if labelled_not_personal(cx.text, t.start) {
                continue;
            }
            out.push(Hit {
                start: t.start,
                end: t.end,
                severity: Severity::Info,
                message_zh: zh.into(),
                message_en: en.into(),
                suggestion: Some(mask(&t.digits, keep.0, keep.1)),
            });
        }
    }
}
