use crate::pii::{Token, labelled_not_personal, mask};
use crate::rules::{Cx, Hit, Rule, info};
use crate::{Category, RuleInfo, Severity, text};

explained!(
    MobileNumberExposed,
    r#"## mobile-number-exposed (PII003)

### 检查什么

未遮蔽的 11 位手机号码：号段在号段表（`data/pii.toml`）中，前后不挨着其他字母数字；
也认 `138 1234 5678`、`138-1234-5678`、`+86 13812345678` 的写法。后面紧跟数量单位
（元、万、吨、人……）的数字不算。已遮蔽的 `138****5678` 不报。单位公开的办公手机号可以
写进放行名单（allow.toml，须写明谁、为什么）。

### 为什么

手机号码能直接联系到本人，属于个人信息。地方检查通报把公开文件中未遮蔽的手机号列为
“个人隐私信息泄露”。

### 法律依据

- 《中华人民共和国政府信息公开条例》第十五条。
- 《中华人民共和国个人信息保护法》第四条（可识别的自然人的信息）、第二十五条。
- 遮蔽格式“前 3 位 + 后 4 位”见地方网站检查通报（content-checks.md [C4]，SECONDARY）；
  号段表来自第三方整理（[C8]，SECONDARY），可在数据文件中增补。

### 示例

```text
error[PII003]: 出现未遮蔽的手机号码
  联系人：李四，电话【13812345678】
  建议：138****5678
```
"#
);

/// Characters after a number that make it a quantity, not a phone number.
const UNITS: [char; 16] = [
    '元', '万', '亿', '千', '百', '吨', '人', '户', '个', '次', '件', '平', '米', '公', '台', '%',
];

/// The 11 digits of a mobile number in `t`, if it is one.
fn mobile_digits<'a>(t: &'a Token, prefixes: &[String]) -> Option<&'a str> {
    let d = t.digits.as_str();
    let core = match (t.groups.as_slice(), d.len()) {
        ([11], 11) => d,
        ([3, 4, 4], 11) => d,
        ([13], 13) | ([2, 11], 13) | ([2, 3, 4, 4], 13) if d.starts_with("86") => &d[2..],
        _ => return None,
    };
    prefixes
        .iter()
        .any(|p| core.starts_with(p.as_str()))
        .then_some(core)
}

impl Rule for MobileNumberExposed {
    fn info(&self) -> &'static RuleInfo {
        const INFO: RuleInfo = info(
            "PII003",
            "mobile-number-exposed",
            Severity::Error,
            Category::PersonalInformation,
            "出现未遮蔽的手机号码",
            "An unmasked mobile phone number is published",
            EXPLANATION,
        );
        &INFO
    }

    fn check(&self, cx: &Cx<'_>, out: &mut Vec<Hit>) {
        for t in cx.tokens(11) {
            let Some(core) = mobile_digits(t, &cx.data.pii.mobile_prefixes) else {
                continue;
            };
            let after = cx.text[t.end..].trim_start();
            if after.starts_with(UNITS) || after.starts_with('.') {
                continue;
            }
            if labelled_not_personal(cx.text, t.start)
                || text::char_before(cx.text, t.start) == Some('.')
            {
                continue;
            }
            out.push(Hit {
                start: t.start,
                end: t.end,
                severity: Severity::Error,
                message_zh: "出现未遮蔽的手机号码".into(),
                message_en: "An unmasked mobile phone number".into(),
                suggestion: Some(mask(core, 3, 4)),
            });
        }
    }
}
