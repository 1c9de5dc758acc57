//! The columns of a sheet: which row holds the headers (merged header cells and a group
//! row above are allowed), what each header means (the common Chinese headers of office
//! ledgers are recognised), and a saved mapping (field → header text) that overrides the
//! recognition for a sheet whose headers are the office's own.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Cell, ImportKind, Sheet};

/// A field an imported column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    // Applications.
    Number,
    Applicant,
    ApplicantKind,
    Received,
    Channel,
    Request,
    DocumentNumber,
    Correction,
    Corrected,
    Extension,
    Decision,
    Replied,
    ReplyMethod,
    // Documents in force.
    DocKind,
    Title,
    Issued,
    Repealed,
    Status,
}

use Field as F;

impl Field {
    /// The fields of an import kind, in display order.
    pub fn of(kind: ImportKind) -> &'static [Field] {
        match kind {
            ImportKind::Applications => &[
                F::Number,
                F::Applicant,
                F::ApplicantKind,
                F::Received,
                F::Channel,
                F::Request,
                F::DocumentNumber,
                F::Correction,
                F::Corrected,
                F::Extension,
                F::Decision,
                F::Replied,
                F::ReplyMethod,
            ],
            ImportKind::Documents => &[
                F::DocKind,
                F::Title,
                F::DocumentNumber,
                F::Issued,
                F::Repealed,
                F::Status,
            ],
        }
    }

    /// The wire name (`received`).
    pub fn name(self) -> &'static str {
        match self {
            F::Number => "number",
            F::Applicant => "applicant",
            F::ApplicantKind => "applicant_kind",
            F::Received => "received",
            F::Channel => "channel",
            F::Request => "request",
            F::DocumentNumber => "document_number",
            F::Correction => "correction",
            F::Corrected => "corrected",
            F::Extension => "extension",
            F::Decision => "decision",
            F::Replied => "replied",
            F::ReplyMethod => "reply_method",
            F::DocKind => "doc_kind",
            F::Title => "title",
            F::Issued => "issued",
            F::Repealed => "repealed",
            F::Status => "status",
        }
    }

    /// The Chinese name, as the preview and the messages say it (`收到日期`).
    pub fn label(self) -> &'static str {
        match self {
            F::Number => "编号",
            F::Applicant => "申请人",
            F::ApplicantKind => "申请人类型",
            F::Received => "收到日期",
            F::Channel => "申请方式",
            F::Request => "申请内容",
            F::DocumentNumber => "文号",
            F::Correction => "补正",
            F::Corrected => "补正后收到日期",
            F::Extension => "延期",
            F::Decision => "办理结果",
            F::Replied => "答复日期",
            F::ReplyMethod => "答复方式",
            F::DocKind => "文件类别",
            F::Title => "文件名称",
            F::Issued => "发布日期",
            F::Repealed => "废止日期",
            F::Status => "效力状态",
        }
    }

    /// Whether a row is refused without it.
    pub fn required(self) -> bool {
        matches!(
            self,
            F::Applicant | F::Received | F::Request | F::Title | F::Issued
        )
    }

    /// Headers that mean this field (after [`normalise`]).
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            F::Number => &[
                "编号",
                "序号",
                "申请编号",
                "登记号",
                "登记编号",
                "受理编号",
                "流水号",
            ],
            F::Applicant => &[
                "申请人",
                "申请人姓名",
                "申请人名称",
                "申请人姓名或名称",
                "姓名",
                "姓名/名称",
                "申请单位",
            ],
            F::ApplicantKind => &["申请人类型", "申请人类别", "申请主体类型", "申请人身份"],
            F::Received => &[
                "收到日期",
                "申请日期",
                "收到申请日期",
                "受理日期",
                "登记日期",
                "收件日期",
                "接收日期",
                "申请时间",
                "收到时间",
            ],
            F::Channel => &["申请方式", "申请渠道", "提交方式", "收到方式", "申请途径"],
            F::Request => &[
                "申请内容",
                "申请公开内容",
                "申请公开的内容",
                "所需信息",
                "所需政府信息",
                "申请事项",
                "申请信息内容",
                "申请公开事项",
                "内容",
            ],
            F::DocumentNumber => &["文号", "发文字号", "文件编号", "发文号"],
            F::Correction => &[
                "补正",
                "补正日期",
                "补正告知日期",
                "要求补正日期",
                "补正通知日期",
                "告知补正",
            ],
            F::Corrected => &[
                "补正后收到日期",
                "收到补正日期",
                "补正收到日期",
                "收到补正材料日期",
            ],
            F::Extension => &[
                "延期",
                "延期日期",
                "延长答复期限",
                "延期答复",
                "延期告知日期",
                "延期情况",
            ],
            F::Decision => &[
                "办理结果",
                "答复类型",
                "答复结果",
                "处理结果",
                "答复情况",
                "办理情况",
                "办理状态",
                "状态",
                "答复意见",
            ],
            F::Replied => &[
                "答复日期",
                "办结日期",
                "答复时间",
                "送达日期",
                "办结时间",
                "答复送达日期",
            ],
            F::ReplyMethod => &["答复方式", "送达方式", "答复送达方式"],
            F::DocKind => &["文件类别", "类别", "文件类型", "种类", "文件种类", "类型"],
            F::Title => &["文件名称", "标题", "名称", "文件标题", "规章名称", "文件名"],
            F::Issued => &[
                "发布日期",
                "印发日期",
                "成文日期",
                "公布日期",
                "发文日期",
                "制发日期",
                "施行日期",
            ],
            F::Repealed => &["废止日期", "失效日期", "废止时间", "失效时间"],
            F::Status => &["效力状态", "状态", "是否有效", "有效性", "时效性"],
        }
    }

    /// The field named `text` (wire name or Chinese label) among `kind`'s fields.
    pub fn parse(kind: ImportKind, text: &str) -> Option<Field> {
        let t = text.trim();
        Field::of(kind)
            .iter()
            .copied()
            .find(|f| f.name() == t.replace('-', "_") || f.label() == t)
    }
}

/// A header as compared: no spaces or line breaks, no `*` (required marks), ASCII
/// parentheses and slash.
pub fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '＊')
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '／' => '/',
            _ => c,
        })
        .collect()
}

/// The field a header means: an exact synonym, else the longest synonym the header
/// contains (`申请人姓名（名称）` → 申请人); `None` if nothing matches.
pub fn recognise(kind: ImportKind, header: &str) -> Option<Field> {
    let h = normalise(header);
    if h.is_empty() {
        return None;
    }
    let fields = Field::of(kind);
    if let Some(f) = fields.iter().find(|f| f.synonyms().contains(&h.as_str())) {
        return Some(*f);
    }
    let mut best: Option<(usize, Field)> = None;
    for f in fields {
        for s in f.synonyms() {
            if s.chars().count() >= 2 && h.contains(s) {
                let len = s.chars().count();
                if best.is_none_or(|(l, _)| len > l) {
                    best = Some((len, *f));
                }
            }
        }
    }
    best.map(|(_, f)| f)
}

/// A saved mapping: for each field, the header text of its column. Saved per import kind
/// and reused for the next sheet; a field not in it is recognised from the headers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    #[serde(default)]
    pub columns: BTreeMap<Field, String>,
}

/// The columns of one sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Columns {
    /// The header row (0-based index into the sheet's rows).
    pub header_row: usize,
    /// The header of each column (a merged group label above joined to it: `答复情况/日期`
    /// is shown as the lower cell's text when it has one).
    pub headers: Vec<String>,
    /// Field → column (0-based).
    pub fields: BTreeMap<Field, usize>,
}

fn text(cell: Option<&Cell>) -> String {
    match cell {
        Some(Cell::Text(t)) => t.trim().to_string(),
        _ => String::new(),
    }
}

/// The headers of row `h`, a blank cell taking the text of the row above (a header
/// merged over two rows, or a group row whose label spans several columns).
fn headers_at(sheet: &Sheet, h: usize) -> Vec<String> {
    let width = sheet.width();
    let row = sheet.rows.get(h);
    let above = h.checked_sub(1).and_then(|a| sheet.rows.get(a));
    (0..width)
        .map(|c| {
            let own = text(row.and_then(|r| r.get(c)));
            if !own.is_empty() {
                return own;
            }
            text(above.and_then(|r| r.get(c)))
        })
        .collect()
}

/// Finds the header row (the row among the first ten whose cells are recognised most
/// often, at least two) and maps the fields: the saved mapping first (a header it names
/// that the sheet lacks is ignored), then recognition, each column used once.
pub fn columns(kind: ImportKind, sheet: &Sheet, saved: &Mapping) -> Option<Columns> {
    let mut best: Option<(usize, usize)> = None;
    for h in 0..sheet.rows.len().min(10) {
        let headers = headers_at(sheet, h);
        let n = headers
            .iter()
            .filter(|t| {
                recognise(kind, t).is_some()
                    || saved.columns.values().any(|s| normalise(s) == normalise(t))
            })
            .count();
        if n >= 2 && best.is_none_or(|(bn, _)| n > bn) {
            best = Some((n, h));
        }
    }
    let (_, header_row) = best?;
    let headers = headers_at(sheet, header_row);
    let mut fields = BTreeMap::new();
    let mut used = vec![false; headers.len()];
    for (field, header) in &saved.columns {
        if !Field::of(kind).contains(field) {
            continue;
        }
        let want = normalise(header);
        if let Some(c) = headers.iter().position(|h| normalise(h) == want)
            && !used[c]
        {
            fields.insert(*field, c);
            used[c] = true;
        }
    }
    for (c, h) in headers.iter().enumerate() {
        if used[c] {
            continue;
        }
        if let Some(f) = recognise(kind, h)
            && !fields.contains_key(&f)
        {
            fields.insert(f, c);
            used[c] = true;
        }
    }
    Some(Columns {
        header_row,
        headers,
        fields,
    })
}

impl Columns {
    /// The mapping to save: each mapped field with its column's header.
    pub fn mapping(&self) -> Mapping {
        Mapping {
            columns: self
                .fields
                .iter()
                .filter_map(|(f, c)| self.headers.get(*c).map(|h| (*f, h.clone())))
                .collect(),
        }
    }

    /// Maps `field` to the column whose header is `header` (`None`: unmapped). Errors
    /// name the header the sheet lacks.
    pub fn set(&mut self, field: Field, header: Option<&str>) -> Result<(), String> {
        self.fields.remove(&field);
        let Some(h) = header.map(str::trim).filter(|h| !h.is_empty()) else {
            return Ok(());
        };
        let want = normalise(h);
        let c = self
            .headers
            .iter()
            .position(|x| normalise(x) == want)
            .ok_or_else(|| format!("表格中没有标题为“{h}”的列（用于“{}”）", field.label()))?;
        self.fields.retain(|_, col| *col != c);
        self.fields.insert(field, c);
        Ok(())
    }

    /// The header of `field`'s column, for messages.
    pub fn header(&self, field: Field) -> &str {
        self.fields
            .get(&field)
            .and_then(|c| self.headers.get(*c))
            .map_or(field.label(), String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_headers_are_recognised() {
        let k = ImportKind::Applications;
        for (h, f) in [
            ("申请人", F::Applicant),
            ("申请人姓名（名称）", F::Applicant),
            ("申请日期", F::Received),
            ("收到日期", F::Received),
            ("申请内容", F::Request),
            ("答复日期", F::Replied),
            ("答复类型", F::Decision),
            ("办理结果", F::Decision),
            ("延期", F::Extension),
            ("补正", F::Correction),
            ("补正后收到日期", F::Corrected),
            ("*申请人\n类型", F::ApplicantKind),
        ] {
            assert_eq!(recognise(k, h), Some(f), "{h}");
        }
        assert_eq!(recognise(k, "备注"), None);
        assert_eq!(
            recognise(ImportKind::Documents, "印发日期"),
            Some(F::Issued)
        );
    }
}
