//! The run: literal patterns of the data tables and the office lists compiled into two
//! Aho–Corasick automata (one pass per paragraph each), then every selected rule over
//! every paragraph and table cell, then suppression.

use std::cell::OnceCell;
use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use chrono::NaiveDate;
use gongkai_report::{Block, Document, Location};

use crate::rules::{Cx, Hit, REGISTRY, Rule};
use crate::text::Marks;
use crate::{Data, EXCERPT_CHARS, Finding, OfficeLists, Options, Place, Suppression, text};

/// What a literal pattern stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PatRef {
    Institution(usize),
    Citation(usize),
    Typo(usize),
    Sensitive(usize),
    Banned(usize),
    /// Index into [`Engine::leader_names`].
    Leader(usize),
}

/// One automaton hit in a paragraph (byte offsets).
#[derive(Debug, Clone, Copy)]
pub(crate) struct AcHit {
    pub start: usize,
    pub end: usize,
    pub what: PatRef,
}

/// An automaton and what each of its patterns stands for.
struct Automaton {
    ac: AhoCorasick,
    refs: Vec<PatRef>,
}

impl Automaton {
    /// Leftmost-longest, so `国家食品药品监督管理总局` wins over `食品药品监督管理局`.
    fn build(patterns: Vec<(String, PatRef)>) -> Option<Automaton> {
        if patterns.is_empty() {
            return None;
        }
        let (pats, refs): (Vec<String>, Vec<PatRef>) = patterns.into_iter().unzip();
        // A DFA: the fastest search (measured: the contiguous NFA that the builder picks by
        // default left the automaton at a quarter of the run time); its memory stays small
        // because Chinese text uses few distinct byte classes.
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&pats)
            .ok()?;
        Some(Automaton { ac, refs })
    }

    fn hits(&self, text: &str, out: &mut Vec<AcHit>) {
        out.extend(self.ac.find_iter(text).map(|m| AcHit {
            start: m.start(),
            end: m.end(),
            what: self.refs[m.pattern().as_usize()],
        }));
    }
}

pub(crate) struct Engine {
    data: Data,
    lists: OfficeLists,
    opts: Options,
    enabled: Vec<&'static dyn Rule>,
    builtin: Option<Automaton>,
    office: Option<Automaton>,
    /// Distinct leader names, each with the indices of its posts in `lists.leaders`.
    leader_names: Vec<(String, Vec<usize>)>,
    /// Every title in the leaders list, longest first.
    leader_titles: Vec<String>,
}

const INLINE_MARKER: &str = "gongkai-lint: allow";

/// The state of one document's run: the paragraph counter, the findings so far, and
/// buffers reused from paragraph to paragraph.
struct Run<'f> {
    file: &'f str,
    /// The document's date and the date of its wording.
    dates: (Option<NaiveDate>, Option<NaiveDate>),
    /// 1-based number of the current paragraph or table cell.
    n: u32,
    builtin: Vec<AcHit>,
    office: Vec<AcHit>,
    hits: Vec<Hit>,
    out: Vec<Finding>,
}

impl<'f> Run<'f> {
    fn new(file: &'f str, dates: (Option<NaiveDate>, Option<NaiveDate>)) -> Run<'f> {
        Run {
            file,
            dates,
            n: 0,
            builtin: Vec::new(),
            office: Vec::new(),
            hits: Vec::new(),
            out: Vec::new(),
        }
    }
}

impl Engine {
    pub fn new(data: Data, lists: OfficeLists, opts: Options) -> Engine {
        let enabled = REGISTRY
            .iter()
            .copied()
            .filter(|r| {
                opts.select.is_empty()
                    || opts.select.iter().any(|s| {
                        r.info()
                            .meta
                            .code
                            .to_ascii_uppercase()
                            .starts_with(&s.to_ascii_uppercase())
                    })
            })
            .collect();

        let mut pats = Vec::new();
        for (i, inst) in data.institutions.iter().enumerate() {
            pats.extend(inst.old.iter().map(|o| (o.clone(), PatRef::Institution(i))));
        }
        for (i, c) in data.citations.iter().enumerate() {
            pats.extend(c.patterns.iter().map(|p| (p.clone(), PatRef::Citation(i))));
        }
        for (i, t) in data.typos.iter().enumerate() {
            pats.push((t.wrong.clone(), PatRef::Typo(i)));
        }
        let builtin = Automaton::build(pats);

        let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, l) in lists.leaders.iter().enumerate() {
            by_name.entry(l.name.as_str()).or_default().push(i);
        }
        let leader_names: Vec<(String, Vec<usize>)> = by_name
            .into_iter()
            .map(|(n, v)| (n.to_string(), v))
            .collect();
        let mut leader_titles: Vec<String> =
            lists.leaders.iter().map(|l| l.title.clone()).collect();
        leader_titles.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        leader_titles.dedup();

        let mut pats = Vec::new();
        for (i, w) in lists.sensitive.iter().enumerate() {
            pats.push((w.word.clone(), PatRef::Sensitive(i)));
        }
        for (i, b) in lists.banned.iter().enumerate() {
            pats.push((b.text.clone(), PatRef::Banned(i)));
        }
        for (i, (n, _)) in leader_names.iter().enumerate() {
            pats.push((n.clone(), PatRef::Leader(i)));
        }
        let office = Automaton::build(pats);

        Engine {
            data,
            lists,
            opts,
            enabled,
            builtin,
            office,
            leader_names,
            leader_titles,
        }
    }

    pub fn document_date(&self, doc: &Document) -> Option<NaiveDate> {
        text::document_date(doc.paragraphs().map(|p| p.text.as_str()), self.opts.today)
    }

    pub fn lint(&self, doc: &Document, file: &str) -> Vec<Finding> {
        self.lint_dated(doc, file, self.document_date(doc))
    }

    pub fn lint_dated(
        &self,
        doc: &Document,
        file: &str,
        doc_date: Option<NaiveDate>,
    ) -> Vec<Finding> {
        let wording_date = text::wording_date(
            doc_date,
            text::in_force_date(doc.paragraphs().map(|p| p.text.as_str())),
        );
        let mut run = Run::new(file, (doc_date, wording_date));
        for block in &doc.blocks {
            match block {
                Block::Paragraph(p) => {
                    self.paragraph(&mut run, &p.text, p.loc, Marks::of(&p.text));
                }
                Block::Table(t) => {
                    for cell in t.rows.iter().flatten() {
                        self.paragraph(&mut run, &cell.text, cell.loc, Marks::of(&cell.text));
                    }
                }
            }
        }
        run.out
    }

    /// The same as linting [`crate::text_document`]`(text)`, without copying the lines
    /// into a document first.
    pub fn lint_text(&self, text: &str, file: &str) -> Vec<Finding> {
        // The non-blank lines with their marks, found once for the three passes (date,
        // in-force date, lint).
        let lines: Vec<(usize, &str, Marks)> = text
            .split('\n')
            .enumerate()
            .filter(|(_, l)| !text::is_blank(l))
            .map(|(i, l)| {
                let l = l.strip_suffix('\r').unwrap_or(l);
                (i, l, Marks::of(l))
            })
            .collect();
        let doc_date =
            text::document_date_marked(lines.iter().map(|&(_, l, m)| (l, m)), self.opts.today);
        let wording_date = text::wording_date(
            doc_date,
            text::in_force_date_marked(lines.iter().map(|&(_, l, m)| (l, m))),
        );
        let mut run = Run::new(file, (doc_date, wording_date));
        for &(i, l, marks) in &lines {
            let loc = Location::Text {
                line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                column: 1,
            };
            self.paragraph(&mut run, l, loc, marks);
        }
        run.out
    }

    /// Lints one paragraph or table cell (the next in reading order) into `run`.
    fn paragraph(&self, run: &mut Run<'_>, para: &str, loc: Location, marks: Marks) {
        run.n += 1;
        if text::is_blank(para) {
            return;
        }
        let (doc_date, wording_date) = run.dates;
        run.builtin.clear();
        if let Some(a) = &self.builtin {
            a.hits(para, &mut run.builtin);
        }
        run.office.clear();
        if let Some(a) = &self.office {
            a.hits(para, &mut run.office);
        }
        let cx = Cx {
            text: para,
            doc_date,
            wording_date,
            today: self.opts.today,
            grace_days: self.opts.grace_days.unwrap_or(crate::DEFAULT_GRACE_DAYS),
            data: &self.data,
            lists: &self.lists,
            builtin: &run.builtin,
            office: &run.office,
            leader_names: &self.leader_names,
            leader_titles: &self.leader_titles,
            marks,
            dates: OnceCell::new(),
            tokens: OnceCell::new(),
        };
        let inline = if marks.has(Marks::G) {
            inline_allowed(para)
        } else {
            None
        };
        let mut hits = std::mem::take(&mut run.hits);
        for rule in &self.enabled {
            hits.clear();
            rule.check(&cx, &mut hits);
            if hits.is_empty() {
                continue;
            }
            let code = rule.info().meta.code;
            for h in hits.drain(..) {
                let f = self.finding(code, h, para, loc, run.n, run.file, inline.as_deref());
                run.out.push(f);
            }
        }
        run.hits = hits;
    }

    #[allow(clippy::too_many_arguments)]
    fn finding(
        &self,
        code: &'static str,
        h: Hit,
        para: &str,
        loc: Location,
        n: u32,
        file: &str,
        inline: Option<&[String]>,
    ) -> Finding {
        let (before, after) = text::context(para, h.start, h.end, EXCERPT_CHARS);
        let matched = para[h.start..h.end].to_string();
        let offset = para[..h.start].chars().count();
        let loc = match loc {
            // One paragraph per line: the column of the match is the paragraph's column
            // plus the characters before it.
            Location::Text { line, column } if !para[..h.start].contains('\n') => Location::Text {
                line,
                column: column.saturating_add(u32::try_from(offset).unwrap_or(u32::MAX)),
            },
            other => other,
        };
        let suppressed = match inline {
            Some(codes) if codes.is_empty() || codes.iter().any(|c| c == code) => {
                Some(Suppression {
                    source: "inline",
                    who: String::new(),
                    why: INLINE_MARKER.to_string(),
                })
            }
            _ => self.allowed(code, &matched, file),
        };
        Finding {
            code,
            severity: h.severity,
            message_zh: h.message_zh,
            message_en: h.message_en,
            matched,
            before,
            after,
            suggestion: h.suggestion,
            place: Place {
                file: file.to_string(),
                paragraph: n,
                loc,
                offset: u32::try_from(offset).unwrap_or(u32::MAX),
            },
            suppressed,
        }
    }

    fn allowed(&self, code: &str, matched: &str, file: &str) -> Option<Suppression> {
        self.lists
            .allow
            .iter()
            .find(|a| {
                a.text == matched
                    && (a.rules.is_empty() || a.rules.iter().any(|r| r.eq_ignore_ascii_case(code)))
                    && (a.file.is_empty() || file.contains(&a.file))
            })
            .map(|a| Suppression {
                source: "allow-list",
                who: a.who.clone(),
                why: a.why.clone(),
            })
    }
}

/// The codes named by an inline marker `gongkai-lint: allow [CODE, …]` in the paragraph;
/// an empty list allows every rule. `None` without a marker.
fn inline_allowed(para: &str) -> Option<Vec<String>> {
    let at = para.find(INLINE_MARKER)?;
    let rest = &para[at + INLINE_MARKER.len()..];
    Some(
        rest.split(|c: char| c == ',' || c == '，' || c.is_whitespace())
            .map(str::trim)
            .take_while(|w| {
                w.is_empty()
                    || (w.len() >= 4
                        && w.chars().all(|c| c.is_ascii_alphanumeric())
                        && w.chars().any(|c| c.is_ascii_digit()))
            })
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_uppercase)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_marker_lists_codes() {
        assert_eq!(inline_allowed("无标记"), None);
        assert_eq!(inline_allowed("x gongkai-lint: allow"), Some(vec![]));
        assert_eq!(
            inline_allowed("x gongkai-lint: allow PII003, org001 其余文字"),
            Some(vec!["PII003".to_string(), "ORG001".to_string()])
        );
    }
}
