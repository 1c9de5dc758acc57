//! Roll-up over a jurisdiction: the sum of every cell per node and year, and coverage.
//!
//! A jurisdiction file is a TOML tree of nodes. A node has a `name`, the `agencies` it
//! covers directly (names as printed in their reports; several spellings of one agency may
//! be listed, see [`crate::identity`]) and `children`. The root may list `years`; without
//! it, the years are those of the reports found for the jurisdiction's agencies.
//!
//! ```toml
//! name = "新乡市"
//! agencies = ["新乡市人民政府办公室"]
//! years = [2023, 2024]
//!
//! [[children]]
//! name = "红旗区"
//! agencies = ["红旗区人民政府", "红旗区洪门镇"]
//!
//! [[children]]
//! name = "延津县"
//! agencies = ["延津县人民政府办公室"]
//! ```
//!
//! For each node and year, each cell is summed over the reports of the agencies the node
//! covers directly, plus its children's sums — so a parent is the sum of its children
//! (and its own agencies), counting only the agencies that published a report that year.
//! A blank cell adds nothing; a cell no report filled stays blank. Cells are those of the
//! 2021 format, by id; a 2019-format report adds the cells that have the same id in both
//! (all of 三 and 四), not the old 二 cells.
//!
//! Coverage lists, for each year, every agency of the tree with its status: published on
//! time (latest printed date on or before 31 January of the next year, art. 49), published
//! late, published without a printed date, or no report. Reports whose agency is not in the
//! tree are listed too, so that name variants can be added to the file.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::OnceLock;

use gongkai_format::FormatVersion;
use gongkai_report::Value;
use serde::{Deserialize, Serialize};

use crate::error::BatchError;
use crate::identity::agency_key;
use crate::summary::ReportSummary;

/// Deepest nesting accepted in a jurisdiction file.
const MAX_DEPTH: usize = 32;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NodeToml {
    name: String,
    #[serde(default)]
    agencies: Vec<String>,
    #[serde(default)]
    children: Vec<NodeToml>,
    #[serde(default)]
    years: Vec<i32>,
}

/// One node of the tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    pub name: String,
    /// Names from the root, joined by `/`, e.g. `新乡市/红旗区`.
    pub path: String,
    /// 0 for the root.
    pub depth: usize,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// The agencies covered directly: (name as listed, normalised key).
    pub agencies: Vec<(String, String)>,
}

/// A jurisdiction: its nodes in pre-order (the root first, every parent before its
/// children).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Jurisdiction {
    pub nodes: Vec<Node>,
    /// Years to cover; empty means the years found in the batch.
    pub years: Vec<i32>,
}

impl Jurisdiction {
    /// Reads a jurisdiction file.
    pub fn load(path: &Path) -> Result<Self, BatchError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| BatchError::JurisdictionRead {
                path: path.to_path_buf(),
                source,
            })?;
        Self::from_toml(&text)
    }

    /// Parses a jurisdiction from TOML text.
    pub fn from_toml(text: &str) -> Result<Self, BatchError> {
        let root: NodeToml = toml::from_str(text).map_err(|e| BatchError::JurisdictionSyntax {
            detail: e.to_string().trim().to_string(),
        })?;
        let mut j = Jurisdiction {
            nodes: Vec::new(),
            years: root.years.clone(),
        };
        let mut seen: HashMap<String, String> = HashMap::new();
        j.add(root, None, 0, "", &mut seen)?;
        Ok(j)
    }

    fn add(
        &mut self,
        node: NodeToml,
        parent: Option<usize>,
        depth: usize,
        prefix: &str,
        seen: &mut HashMap<String, String>,
    ) -> Result<usize, BatchError> {
        if depth > MAX_DEPTH {
            return Err(BatchError::JurisdictionTree {
                detail: format!("层级超过 {MAX_DEPTH} 层 / nested deeper than {MAX_DEPTH} levels"),
            });
        }
        let name = node.name.trim().to_string();
        if name.is_empty() {
            return Err(BatchError::JurisdictionTree {
                detail: format!(
                    "{prefix} 下有一个节点没有名称 / a node under {prefix} has no name"
                ),
            });
        }
        if depth > 0 && !node.years.is_empty() {
            return Err(BatchError::JurisdictionTree {
                detail: format!("只有根节点可以写 years（{name}）/ only the root may list years"),
            });
        }
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let mut agencies = Vec::new();
        for a in node.agencies {
            let Some(key) = agency_key(&a) else {
                return Err(BatchError::JurisdictionTree {
                    detail: format!("{path} 中有空的机关名称 / an empty agency name in {path}"),
                });
            };
            if let Some(other) = seen.insert(key.clone(), path.clone()) {
                return Err(BatchError::JurisdictionTree {
                    detail: format!(
                        "机关“{a}”同时列在 {other} 和 {path} 中（规范化名称 {key}）/ agency {a} is listed twice ({other}, {path})"
                    ),
                });
            }
            agencies.push((a, key));
        }
        let id = self.nodes.len();
        self.nodes.push(Node {
            name,
            path: path.clone(),
            depth,
            parent,
            children: Vec::new(),
            agencies,
        });
        for child in node.children {
            let c = self.add(child, Some(id), depth + 1, &path, seen)?;
            self.nodes[id].children.push(c);
        }
        Ok(id)
    }

    /// Every normalised agency key with the node covering it directly.
    fn agency_nodes(&self) -> HashMap<&str, usize> {
        let mut m = HashMap::new();
        for (i, n) in self.nodes.iter().enumerate() {
            for (_, key) in &n.agencies {
                m.insert(key.as_str(), i);
            }
        }
        m
    }
}

/// The totals of one node for one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeYear {
    pub node: usize,
    pub year: i32,
    /// Agencies in the subtree.
    pub expected: usize,
    /// Agencies in the subtree with a report for the year.
    pub reporting: usize,
    /// Of those, published after the deadline.
    pub late: usize,
    /// Every cell of the 2021 format, summed; `None` when no report filled it.
    pub cells: Vec<Option<Value>>,
}

impl NodeYear {
    /// Agencies without a report.
    pub fn missing(&self) -> usize {
        self.expected - self.reporting
    }
}

/// How an agency stands for a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// Published, dated on or before 31 January of the next year.
    OnTime,
    /// Published, dated after 31 January of the next year.
    Late,
    /// Published without a printed date.
    Undated,
    /// No report found.
    Missing,
    /// A report whose agency is not in the jurisdiction file.
    Unlisted,
}

impl Coverage {
    pub fn label_zh(self) -> &'static str {
        match self {
            Coverage::OnTime => "按期发布",
            Coverage::Late => "逾期发布",
            Coverage::Undated => "未印日期",
            Coverage::Missing => "未发布",
            Coverage::Unlisted => "不在辖区清单中",
        }
    }
}

/// One line of the coverage table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageRow {
    pub year: i32,
    /// The node covering the agency directly (empty for [`Coverage::Unlisted`]).
    pub node_path: String,
    /// The agency as listed in the jurisdiction file (or as printed, when unlisted).
    pub agency: String,
    pub status: Coverage,
    /// The latest printed date.
    pub published: Option<String>,
    pub deadline: String,
    pub file: Option<String>,
}

/// The roll-up of a batch over a jurisdiction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rollup {
    pub jurisdiction: Jurisdiction,
    pub years: Vec<i32>,
    /// For each year (in `years` order), every node in pre-order.
    pub totals: Vec<NodeYear>,
    pub coverage: Vec<CoverageRow>,
}

impl Rollup {
    /// The totals of `node` for `year`.
    pub fn get(&self, node: usize, year: i32) -> Option<&NodeYear> {
        self.totals
            .iter()
            .find(|t| t.node == node && t.year == year)
    }
}

/// The deadline for publishing the report for `year` (art. 49): 31 January of the next year.
pub fn deadline(year: i32) -> String {
    format!("{:04}-01-31", year + 1)
}

/// For each 2021 cell index, the index of the same id in `format` (identity for 2021).
fn cell_map(format: FormatVersion) -> &'static [Option<usize>] {
    static M2019: OnceLock<Vec<Option<usize>>> = OnceLock::new();
    static M2021: OnceLock<Vec<Option<usize>>> = OnceLock::new();
    let cell = match format {
        FormatVersion::Trial2019 => &M2019,
        FormatVersion::Revised2021 => &M2021,
    };
    cell.get_or_init(|| {
        FormatVersion::Revised2021
            .cells()
            .iter()
            .map(|c| format.cell(&c.id).map(|i| i.0 as usize))
            .collect()
    })
}

/// Adds a report's cells, mapped to the 2021 ids, into `sums`. A section 三 总计 cell
/// printed blank next to printed applicant columns adds the sum of those columns (as in
/// [`crate::stats`]), so a report that left its 总计 column blank still counts.
pub(crate) fn add_cells(sums: &mut [Option<Value>], r: &ReportSummary) {
    let Some(cells) = &r.cells else { return };
    for (sum, src) in sums.iter_mut().zip(cell_map(cells.format())) {
        if let Some(v) = src.and_then(|i| cells.at(i)) {
            *sum = Some(sum.map_or(v, |s| s + v));
        }
    }
    for row in cells.format().s3_rows() {
        let id = format!("s3.{}.total", row.key);
        if cells.get(&id).is_some() {
            continue;
        }
        if let (Ok(Some(n)), Some(i)) = (
            cells.s3_row_total(row.key),
            FormatVersion::Revised2021.cell(&id),
        ) {
            let v = Value::int(n);
            let sum = &mut sums[i.0 as usize];
            *sum = Some(sum.map_or(v, |s| s + v));
        }
    }
}

/// Rolls the kept reports up over `j`.
pub fn roll_up(j: &Jurisdiction, reports: &[ReportSummary]) -> Rollup {
    let nodes_of = j.agency_nodes();
    // (agency key, year) → report index, kept reports only.
    let mut found: HashMap<(&str, i32), usize> = HashMap::new();
    let mut unlisted = Vec::new();
    let mut years: BTreeSet<i32> = j.years.iter().copied().collect();
    for (i, r) in reports.iter().enumerate() {
        let (true, Some(key), Some(year)) = (r.selected, r.agency_key.as_deref(), r.year) else {
            continue;
        };
        if nodes_of.contains_key(key) {
            found.insert((key, year), i);
            if j.years.is_empty() {
                years.insert(year);
            }
        } else {
            unlisted.push(i);
        }
    }
    let years: Vec<i32> = years.into_iter().collect();
    let n_cells = FormatVersion::Revised2021.cells().len();
    let mut totals = Vec::new();
    let mut coverage = Vec::new();
    for &year in &years {
        let deadline = deadline(year);
        let mut per_node: Vec<NodeYear> = (0..j.nodes.len())
            .map(|node| NodeYear {
                node,
                year,
                expected: 0,
                reporting: 0,
                late: 0,
                cells: vec![None; n_cells],
            })
            .collect();
        for (ni, node) in j.nodes.iter().enumerate() {
            for (name, key) in &node.agencies {
                let t = &mut per_node[ni];
                t.expected += 1;
                let report = found.get(&(key.as_str(), year)).map(|&i| &reports[i]);
                let status = match report {
                    None => Coverage::Missing,
                    Some(r) => {
                        t.reporting += 1;
                        add_cells(&mut t.cells, r);
                        match r.published() {
                            None => Coverage::Undated,
                            Some(d) if d > deadline.as_str() => {
                                t.late += 1;
                                Coverage::Late
                            }
                            Some(_) => Coverage::OnTime,
                        }
                    }
                };
                coverage.push(CoverageRow {
                    year,
                    node_path: node.path.clone(),
                    agency: name.clone(),
                    status,
                    published: report.and_then(|r| r.published().map(str::to_string)),
                    deadline: deadline.clone(),
                    file: report.map(|r| r.file.clone()),
                });
            }
        }
        // Children after parents in pre-order: fold bottom-up.
        for ni in (0..j.nodes.len()).rev() {
            let Some(parent) = j.nodes[ni].parent else {
                continue;
            };
            let (lo, hi) = per_node.split_at_mut(ni);
            let child = &hi[0];
            let p = &mut lo[parent];
            p.expected += child.expected;
            p.reporting += child.reporting;
            p.late += child.late;
            for (s, c) in p.cells.iter_mut().zip(&child.cells) {
                if let Some(c) = c {
                    *s = Some(s.map_or(*c, |s| s + *c));
                }
            }
        }
        totals.extend(per_node);
    }
    let mut by_year_agency: BTreeMap<(i32, String), Vec<usize>> = BTreeMap::new();
    for i in unlisted {
        let r = &reports[i];
        if let (Some(year), Some(a)) = (r.year, r.agency.clone()) {
            by_year_agency.entry((year, a)).or_default().push(i);
        }
    }
    for ((year, agency), idx) in by_year_agency {
        for i in idx {
            let r = &reports[i];
            coverage.push(CoverageRow {
                year,
                node_path: String::new(),
                agency: agency.clone(),
                status: Coverage::Unlisted,
                published: r.published().map(str::to_string),
                deadline: deadline(year),
                file: Some(r.file.clone()),
            });
        }
    }
    coverage.sort_by(|a, b| {
        (a.year, a.status == Coverage::Unlisted, &a.node_path).cmp(&(
            b.year,
            b.status == Coverage::Unlisted,
            &b.node_path,
        ))
    });
    Rollup {
        jurisdiction: j.clone(),
        years,
        totals,
        coverage,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TREE: &str = r#"
name = "新乡市"
agencies = ["新乡市人民政府办公室"]

[[children]]
name = "红旗区"
agencies = ["红旗区人民政府", "红旗区 洪门镇"]

[[children.children]]
name = "某街道"
agencies = ["东城街道"]

[[children]]
name = "延津县"
agencies = ["延津县人民政府办公室"]
"#;

    #[test]
    fn parses_the_tree_in_pre_order() {
        let j = Jurisdiction::from_toml(TREE).unwrap();
        let paths: Vec<&str> = j.nodes.iter().map(|n| n.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "新乡市",
                "新乡市/红旗区",
                "新乡市/红旗区/某街道",
                "新乡市/延津县"
            ]
        );
        assert_eq!(j.nodes[0].children, [1, 3]);
        assert_eq!(j.nodes[2].parent, Some(1));
        assert_eq!(j.nodes[1].agencies[1].1, "红旗区洪门镇人民政府");
        assert_eq!(j.nodes[2].agencies[0].1, "东城街道办事处");
    }

    #[test]
    fn rejects_bad_trees() {
        for (text, want) in [
            (
                "name = \"a\"\nagencies = [\"x局\", \"x 局\"]",
                "listed twice",
            ),
            ("agencies = []", "malformed"),
            ("name = \"a\"\n[[children]]\nname = \" \"", "no name"),
            ("name = \"a\"\nfoo = 1", "malformed"),
            (
                "name = \"a\"\n[[children]]\nname = \"b\"\nyears = [2023]",
                "only the root",
            ),
        ] {
            let e = Jurisdiction::from_toml(text).unwrap_err().to_string();
            assert!(e.contains(want), "{text:?}: {e}");
        }
    }

    #[test]
    fn deadline_is_31_january() {
        assert_eq!(deadline(2023), "2024-01-31");
    }
}
