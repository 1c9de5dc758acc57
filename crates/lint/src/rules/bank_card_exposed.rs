use crate::pii::{IdShape, id_shape, labelled_not_personal, luhn, mask};
use crate::rules::{Cx, Hit, Rule, info};
use crate::{Category, RuleInfo, Severity};

explained!(
    BankCardExposed,
    r#"## bank-card-exposed (PII004)

### 检查什么

未遮蔽的银行卡号：16–19 位数字（可每 4 位空一格或用连字符），开头在卡 BIN 表中
（默认 62，中国银联），并通过 Luhn 校验（ISO/IEC 7812-1 附录 B：从右数偶数位乘 2、
大于 9 减 9，总和能被 10 整除）。`622202******1234` 这样遮蔽的卡号不报。

### 为什么

银行账户是《个人信息保护法》第二十八条所列的敏感个人信息；补贴发放、退费公示中常见
完整卡号。

### 法律依据

- 《中华人民共和国个人信息保护法》第二十八条（金融账户属敏感个人信息）、第二十五条。
- 《中华人民共和国政府信息公开条例》第十五条。
- Luhn 算法：ISO/IEC 7812-1 附录 B（content-checks.md [C9]，SECONDARY）；遮蔽格式
  “前 6 位 + 后 4 位”出自 JR/T 0171-2020 附录 A（只读到目录，UNCONFIRMED）。

### 示例

```text
error[PII004]: 出现未遮蔽的银行卡号（通过 Luhn 校验）
  补贴发放账号【6222021234567890128】
  建议：622202*********0128
```
"#
);

impl Rule for BankCardExposed {
    fn info(&self) -> &'static RuleInfo {
        const INFO: RuleInfo = info(
            "PII004",
            "bank-card-exposed",
            Severity::Error,
            Category::PersonalInformation,
            "出现未遮蔽的银行卡号（Luhn 校验通过）",
            "An unmasked bank card number (valid Luhn) is published",
            EXPLANATION,
        );
        &INFO
    }

    fn check(&self, cx: &Cx<'_>, out: &mut Vec<Hit>) {
        for t in cx.tokens(16) {
            let d = t.digits.as_str();
            let shaped = match t.groups.as_slice() {
                [n] => (16..=19).contains(n),
                [4, 4, 4, 4] | [4, 4, 4, 4, 1..=3] => true,
                _ => false,
            };
            if !shaped
                || !cx.data.pii.card_prefixes.iter().any(|p| d.starts_with(p.as_str()))
                || !luhn(d)
                || labelled_not_personal(cx.text, t.start)
                // An ID number of Gansu (62…) is reported as an ID, not also as a card.
                || id_shape(t, &cx.data.pii.province_codes, cx.today) != IdShape::NotId
            {
                continue;
            }
            out.push(Hit {
                start: t.start,
                end: t.end,
                severity: Severity::Error,
                message_zh: "出现未遮蔽的银行卡号（通过 Luhn 校验）".into(),
                message_en: "An unmasked bank card number (valid Luhn)".into(),
                suggestion: Some(mask(d, 6, 4)),
            });
        }
    }
}
