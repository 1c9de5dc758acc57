//! The acceptance test of `gongkai batch`: a generated corpus on disk, in every format the
//! readers can read right now, with known injected errors.
//!
//! * Every injected error is found, on the file it was injected in.
//! * Clean reports get no finding at all (no error, no warning).
//! * Year-over-year and roll-up figures equal a computation done here, from the values the
//!   generator chose, without the batch crate's code.
//!
//! Twelve agencies in a four-level jurisdiction, years 2022–2024, one report per agency and
//! year (one missing), rendered in turn as text, HTML, Markdown and DOCX, plus duplicates,
//! two versions of one report, unreadable files, a report from outside the jurisdiction
//! and the five real seeds.

mod corpus;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use corpus::{Carry, Generated, Kind, Narrative, Rng, carry_of, clean_cells, get, set};
use gongkai_batch::output::{OutputFormat, OutputWriter};
use gongkai_batch::rollup::Coverage;
use gongkai_batch::{Batch, Entry, FindingRow, Jurisdiction, Options, discover, run};
use gongkai_check::Severity;
use gongkai_format::{APPLICANT_COLUMNS, FormatVersion};
use gongkai_report::Value;

const YEARS: [i32; 3] = [2022, 2023, 2024];

/// The agencies as listed in the jurisdiction file.
const AGENCIES: [&str; 12] = [
    "测试市人民政府办公室",
    "测试市第一区财政局",
    "测试市第一区教育局",
    "测试市第一区民政局",
    "测试市第一区第一镇人民政府",
    "测试市第二区财政局",
    "测试市第二区统计局",
    "测试市第二区卫生健康委员会",
    "测试市第三区自然资源局",
    "测试市第三区交通运输局",
    "测试市第三区审计局",
    "测试市第三区司法局",
];

/// The tree: (name, parent, agencies).
const TREE: [(&str, Option<usize>, &[usize]); 5] = [
    ("测试市", None, &[0]),
    ("第一区", Some(0), &[1, 2, 3]),
    ("第一镇", Some(1), &[4]),
    ("第二区", Some(0), &[5, 6, 7]),
    ("第三区", Some(0), &[8, 9, 10, 11]),
];

fn jurisdiction_toml() -> String {
    fn node(s: &mut String, i: usize, prefix: &str) {
        let (name, _, agencies) = TREE[i];
        let list: Vec<String> = agencies
            .iter()
            .map(|&a| format!("\"{}\"", AGENCIES[a]))
            .collect();
        if i > 0 {
            s.push_str(&format!("\n[[{prefix}]]\n"));
        }
        s.push_str(&format!(
            "name = \"{name}\"\nagencies = [{}]\n",
            list.join(", ")
        ));
        for (c, (_, parent, _)) in TREE.iter().enumerate() {
            if *parent == Some(i) {
                let p = if prefix.is_empty() {
                    "children".to_string()
                } else {
                    format!("{prefix}.children")
                };
                node(s, c, &p);
            }
        }
    }
    let mut s = String::new();
    node(&mut s, 0, "");
    s
}

/// One file of the corpus and what the test expects of it.
struct FileSpec {
    path: PathBuf,
    /// The generated report (none for unreadable files and seeds).
    report: Option<Generated>,
    /// (agency, year) when the report belongs to the jurisdiction.
    slot: Option<(usize, i32)>,
    /// Codes that must be reported on this file (each at least once).
    expect: Vec<&'static str>,
    /// Whether the batch must keep it for pairing and roll-up.
    kept: bool,
    /// Real seed: its findings are its own.
    seed: bool,
}

struct World {
    _dir: tempfile::TempDir,
    root: PathBuf,
    files: Vec<FileSpec>,
    kinds: Vec<Kind>,
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn build() -> World {
    let kinds = corpus::readable_kinds();
    assert!(
        kinds.contains(&Kind::Text),
        "the text reader reads the generator's text"
    );
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    let mut files = Vec::new();
    let mut rng = Rng::new(2024);
    for (a, agency) in AGENCIES.iter().enumerate() {
        let mut carry = Carry::default();
        let mut previous_narrative: Option<Narrative> = None;
        for (k, &year) in YEARS.iter().enumerate() {
            let kind = kinds[(a + k) % kinds.len()];
            let mut expect: Vec<&'static str> = Vec::new();
            let mut c = carry;
            if (a, year) == (2, 2024) {
                c.forward[1] += 2; // wrong carry-over into the commercial column
                expect.push("YOY001");
            }
            let volume = if (a, year) == (9, 2024) { 60 } else { 3 };
            let mut cells = clean_cells(&mut rng, c, volume);
            if (a, year) == (9, 2024) {
                expect.push("YOY003");
            }
            if (a, year) == (1, 2023) {
                // A broken sum: （七）总计 of the 自然人 column one too many.
                let v = get(&cells, "s3.results_total.natural_person");
                set(&mut cells, "s3.results_total.natural_person", v + 1);
                expect.extend(["TAB001", "TAB002", "TAB003"]);
            }
            if (a, year) == (3, 2023) {
                let v = get(&cells, "s2.regulations.in_force");
                set(&mut cells, "s2.regulations.in_force", v + 3);
                expect.push("YOY002");
            }
            let narrative = if (a, year) == (8, 2024) {
                expect.push("YOY004");
                previous_narrative.clone().unwrap()
            } else {
                Narrative::random(&mut rng)
            };
            let date = if (a, year) == (5, 2023) {
                expect.push("DAT001");
                format!("{}-03-15", year + 1)
            } else {
                format!("{}-01-{:02}", year + 1, 10 + (a % 15))
            };
            // Name variants that identity normalisation must fold.
            let printed = match (a, year) {
                (4, 2022) => "测试市第一区第一镇".to_string(),
                (11, 2024) => "测试市第三区\u{3000}司法局".to_string(),
                _ => agency.to_string(),
            };
            let g = Generated {
                agency: printed,
                year,
                date: Some(date),
                cells,
                narrative: narrative.clone(),
            };
            previous_narrative = Some(narrative);
            carry = carry_of(&g.cells);
            if (a, year) == (10, 2023) {
                continue; // never published
            }
            let path = root
                .join(year.to_string())
                .join(format!("a{a:02}.{}", kind.ext()));
            if (a, year) == (7, 2022) {
                // An earlier, different version of the same report, dated earlier.
                let mut v1 = g.clone();
                v1.cells = clean_cells(&mut rng, Carry::default(), 3);
                v1.date = Some("2023-01-02".to_string());
                let p1 = root.join("2022").join(format!("a07-v1.{}", kind.ext()));
                write(&p1, &corpus::render(&v1, kind));
                files.push(FileSpec {
                    path: p1,
                    report: Some(v1),
                    slot: Some((a, year)),
                    expect: vec!["DUP001"],
                    kept: false,
                    seed: false,
                });
                expect.push("DUP001");
            }
            let bytes = corpus::render(&g, kind);
            write(&path, &bytes);
            if (a, year) == (6, 2023) {
                // The same file saved twice.
                let copy = root.join("2023").join(format!("a06_copy.{}", kind.ext()));
                write(&copy, &bytes);
                files.push(FileSpec {
                    path: copy,
                    report: Some(g.clone()),
                    slot: Some((a, year)),
                    expect: vec!["DUP002"],
                    kept: false,
                    seed: false,
                });
            }
            files.push(FileSpec {
                path,
                report: Some(g),
                slot: Some((a, year)),
                expect,
                kept: true,
                seed: false,
            });
        }
    }
    // A report from outside the jurisdiction.
    let outside = Generated {
        agency: "外省某县财政局".to_string(),
        year: 2023,
        date: Some("2024-01-15".to_string()),
        cells: clean_cells(&mut rng, Carry::default(), 3),
        narrative: Narrative::random(&mut rng),
    };
    let path = root.join("other").join("outside.txt");
    write(&path, &corpus::render(&outside, Kind::Text));
    files.push(FileSpec {
        path,
        report: Some(outside),
        slot: None,
        expect: vec![],
        kept: true,
        seed: false,
    });
    // Files that cannot be read.
    for (name, bytes) in [
        ("broken.pdf", &b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"[..]),
        ("empty.txt", &b""[..]),
        ("damaged.docx", &b"PK\x03\x04\x14\x00\x00\x00garbage"[..]),
        ("binary.txt", &b"\x00\x01\x02\x03\xff\xfe\x00\x00binary"[..]),
    ] {
        let path = root.join("bad").join(name);
        write(&path, bytes);
        files.push(FileSpec {
            path,
            report: None,
            slot: None,
            expect: vec!["BAT001"],
            kept: false,
            seed: false,
        });
    }
    // The real seeds.
    for p in corpus::seed_paths() {
        let path = root.join("seeds").join(p.file_name().unwrap());
        write(&path, &std::fs::read(&p).unwrap());
        files.push(FileSpec {
            path,
            report: None,
            slot: None,
            expect: vec![],
            kept: true,
            seed: true,
        });
    }
    // Not a report file: skipped by the directory walk.
    write(&root.join("bad").join("notes.csv"), b"a,b\n");
    World {
        _dir: dir,
        root,
        files,
        kinds,
    }
}

fn run_batch(world: &World, jobs: Option<usize>) -> (Batch, Vec<FindingRow>) {
    let entries = discover(std::slice::from_ref(&world.root), &[]);
    assert!(entries.iter().all(|e| matches!(e, Entry::File(_))));
    let j = Jurisdiction::from_toml(&jurisdiction_toml()).unwrap();
    let opts = Options {
        jobs,
        jurisdiction: Some(j),
    };
    let mut findings = Vec::new();
    let batch = run(&entries, &opts, &mut findings, &|| {}).unwrap();
    (batch, findings)
}

fn spec<'a>(world: &'a World, file: &str) -> &'a FileSpec {
    world
        .files
        .iter()
        .find(|f| f.path.display().to_string() == file)
        .unwrap_or_else(|| panic!("unexpected file {file}"))
}

#[test]
fn injected_errors_are_found_and_clean_reports_stay_clean() {
    let world = build();
    let (batch, findings) = run_batch(&world, None);
    eprintln!(
        "formats in the corpus: {:?}; {} files, {} findings",
        world.kinds,
        batch.reports.len(),
        findings.len()
    );

    // Every file is listed once, in path order; the CSV beside them is not.
    let listed: Vec<&str> = batch.reports.iter().map(|r| r.file.as_str()).collect();
    let mut want: Vec<String> = world
        .files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    want.sort();
    assert_eq!(listed, want);

    let mut by_file: BTreeMap<&str, Vec<&FindingRow>> = BTreeMap::new();
    for f in &findings {
        by_file.entry(f.file.as_str()).or_default().push(f);
    }
    let mut problems = Vec::new();
    for r in &batch.reports {
        let s = spec(&world, &r.file);
        let got = by_file.get(r.file.as_str()).cloned().unwrap_or_default();
        let codes: BTreeSet<&str> = got.iter().map(|f| f.code).collect();
        // Every injected error is found.
        for code in &s.expect {
            if !codes.contains(code) {
                problems.push(format!("{}: {code} not found (got {codes:?})", r.file));
            }
        }
        if s.seed {
            // Real reports keep their own findings, but no batch finding.
            for f in &got {
                if ["BAT", "DUP", "YOY"].iter().any(|p| f.code.starts_with(p)) {
                    problems.push(format!("{}: seed got {}", r.file, f.message_zh));
                }
            }
            continue;
        }
        // Nothing else: clean reports get no finding, injected ones only what was injected.
        for f in &got {
            if !s.expect.contains(&f.code) {
                problems.push(format!(
                    "{}: unexpected {} {}",
                    r.file, f.code, f.message_zh
                ));
            }
        }
        // Counts in the reports table agree with the findings table.
        let errors = got.iter().filter(|f| f.severity == Severity::Error).count();
        assert_eq!(r.errors as usize, errors, "{}", r.file);
        assert_eq!(r.warnings as usize, got.len() - errors, "{}", r.file);
        assert_eq!(r.selected, s.kept, "{} kept", r.file);
        // Read status and identity.
        match &s.report {
            None => assert!(
                !r.status.is_ok() && r.status.reason().is_some(),
                "{}",
                r.file
            ),
            Some(g) => {
                assert!(r.status.is_ok(), "{}: {:?}", r.file, r.status);
                assert_eq!(r.year, Some(g.year), "{}", r.file);
                if let Some((a, _)) = s.slot {
                    let key = gongkai_batch::identity::agency_key(AGENCIES[a]);
                    assert_eq!(r.agency_key, key, "{} identity", r.file);
                }
                let cells: Vec<Option<Value>> = r.cells.as_ref().unwrap().values().collect();
                assert_eq!(cells, g.cells, "{} cells", r.file);
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The carry-over error names the two columns that differ.
    let yoy1: Vec<&FindingRow> = findings.iter().filter(|f| f.code == "YOY001").collect();
    let cols: BTreeSet<&str> = yoy1.iter().map(|f| f.cells[0].as_str()).collect();
    assert_eq!(
        cols,
        BTreeSet::from(["s3.carried_over.commercial", "s3.carried_over.total"])
    );
    assert!(yoy1.iter().all(|f| f.difference == Some(Value::int(2))));

    // Files in every format the readers support took part.
    let formats: BTreeSet<&str> = batch.reports.iter().map(|r| r.input.as_str()).collect();
    for k in &world.kinds {
        assert!(formats.contains(k.input_name()), "{k:?} in the corpus");
    }
}

/// Narrative sentences as this test normalises them (independently of the crate).
fn sentences(g: &Generated) -> BTreeSet<String> {
    let mut text = corpus::preamble(g.year);
    for p in g
        .narrative
        .s1
        .iter()
        .chain(&g.narrative.s5)
        .chain(&g.narrative.s6)
    {
        text.push_str(p);
    }
    text.split('。')
        .map(|s| {
            let mut out = String::new();
            let mut digits = false;
            for c in s.chars() {
                if c.is_ascii_digit() {
                    if !digits {
                        out.push('#');
                    }
                    digits = true;
                    continue;
                }
                digits = false;
                if !"，、《》：；“”（）".contains(c) && !c.is_whitespace() {
                    out.push(c);
                }
            }
            out
        })
        .filter(|s| s.chars().count() >= 10)
        .collect()
}

#[test]
fn year_over_year_and_roll_up_equal_an_independent_computation() {
    let world = build();
    let (batch, _) = run_batch(&world, None);

    // The reports that count: kept, in the jurisdiction, by (agency, year).
    let kept: BTreeMap<(usize, i32), &Generated> = world
        .files
        .iter()
        .filter(|f| f.kept)
        .filter_map(|f| Some((f.slot?, f.report.as_ref()?)))
        .collect();

    // Year over year.
    let f = FormatVersion::Revised2021;
    let mut want_pairs = Vec::new();
    for (a, agency) in AGENCIES.iter().enumerate() {
        for y in [2023, 2024] {
            let (Some(prev), Some(cur)) = (kept.get(&(a, y - 1)), kept.get(&(a, y))) else {
                continue;
            };
            let mut carry = 0;
            for col in APPLICANT_COLUMNS {
                let fwd = get(&prev.cells, &format!("s3.carried_forward.{}", col.key));
                let over = get(&cur.cells, &format!("s3.carried_over.{}", col.key));
                carry += u32::from(fwd != over);
            }
            let mut in_force = 0;
            for key in ["regulations", "normative_documents"] {
                let id = |c: &str| format!("s2.{key}.{c}");
                let expected = get(&prev.cells, &id("in_force")) + get(&cur.cells, &id("issued"))
                    - get(&cur.cells, &id("repealed"));
                in_force += u32::from(expected != get(&cur.cells, &id("in_force")));
            }
            let (sp, sc) = (sentences(prev), sentences(cur));
            let shared = sc.intersection(&sp).count();
            want_pairs.push((
                gongkai_batch::identity::agency_key(agency).unwrap(),
                y,
                carry,
                in_force,
                shared,
                sc.len(),
            ));
        }
    }
    let mut got_pairs: Vec<_> = batch
        .pairs
        .iter()
        .filter(|p| !p.agency.starts_with("外省"))
        .map(|p| {
            assert_eq!(p.previous_year + 1, p.year);
            (
                p.agency.clone(),
                p.year,
                p.carry_over_mismatches,
                p.in_force_mismatches,
                p.copied_sentences,
                p.sentences,
            )
        })
        .collect();
    got_pairs.sort();
    want_pairs.sort();
    assert_eq!(got_pairs, want_pairs);
    // Agency 10 has no 2023 report: no pair bridges the gap.
    assert!(!batch.pairs.iter().any(|p| p.agency.contains("审计局")));

    // Roll-up: every cell of every node and year.
    let rollup = batch.rollup.as_ref().expect("roll-up");
    assert_eq!(rollup.years, YEARS);
    let subtree = |n: usize| -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![n];
        while let Some(x) = stack.pop() {
            out.extend_from_slice(TREE[x].2);
            stack.extend((0..TREE.len()).filter(|&c| TREE[c].1 == Some(x)));
        }
        out
    };
    for (n, (name, _, _)) in TREE.iter().enumerate() {
        let node = rollup
            .jurisdiction
            .nodes
            .iter()
            .position(|x| x.name == *name)
            .unwrap();
        for year in YEARS {
            let agencies = subtree(n);
            let mut sums: Vec<Option<Value>> = vec![None; f.cells().len()];
            let mut reporting = 0;
            let mut late = 0;
            for a in &agencies {
                if let Some(g) = kept.get(&(*a, year)) {
                    reporting += 1;
                    late +=
                        usize::from(g.date.as_deref() > Some(&format!("{}-01-31", year + 1)[..]));
                    for (s, v) in sums.iter_mut().zip(&g.cells) {
                        if let Some(v) = v {
                            *s = Some(s.map_or(*v, |s| s + *v));
                        }
                    }
                }
            }
            let t = rollup.get(node, year).unwrap();
            assert_eq!(t.expected, agencies.len(), "{name} {year}");
            assert_eq!(t.reporting, reporting, "{name} {year}");
            assert_eq!(t.late, late, "{name} {year}");
            for (i, def) in f.cells().iter().enumerate() {
                assert_eq!(t.cells[i], sums[i], "{name} {year} {}", def.id);
            }
        }
    }
    // The root covers everything: its 2023 total of new applications by hand.
    let root_2023: i64 = (0..AGENCIES.len())
        .filter_map(|a| kept.get(&(a, 2023)))
        .map(|g| get(&g.cells, "s3.new_received.total"))
        .sum();
    let root = rollup.get(0, 2023).unwrap();
    let id = f.cell("s3.new_received.total").unwrap().0 as usize;
    assert_eq!(root.cells[id], Some(Value::int(root_2023)));

    // Coverage: the missing, the late, the unlisted.
    let status = |agency: &str, year: i32| {
        rollup
            .coverage
            .iter()
            .find(|c| c.agency == agency && c.year == year)
            .map(|c| c.status)
    };
    assert_eq!(status(AGENCIES[10], 2023), Some(Coverage::Missing));
    assert_eq!(status(AGENCIES[10], 2022), Some(Coverage::OnTime));
    assert_eq!(status(AGENCIES[5], 2023), Some(Coverage::Late));
    assert_eq!(status("外省某县财政局", 2023), Some(Coverage::Unlisted));
    let missing: Vec<_> = rollup
        .coverage
        .iter()
        .filter(|c| c.status == Coverage::Missing)
        .collect();
    assert_eq!(missing.len(), 1);
    let late: Vec<_> = rollup
        .coverage
        .iter()
        .filter(|c| c.status == Coverage::Late)
        .map(|c| (c.agency.as_str(), c.year))
        .collect();
    assert_eq!(late, [(AGENCIES[5], 2023)]);
}

#[test]
fn same_result_on_one_thread_and_on_all() {
    let world = build();
    let (a, fa) = run_batch(&world, Some(1));
    let (b, fb) = run_batch(&world, None);
    assert_eq!(fa, fb);
    assert_eq!(a, b);
}

#[test]
fn outputs_and_dashboard() {
    let world = build();
    let out = tempfile::tempdir().unwrap();
    let entries = discover(std::slice::from_ref(&world.root), &[]);
    let j = Jurisdiction::from_toml(&jurisdiction_toml()).unwrap();
    let opts = Options {
        jobs: None,
        jurisdiction: Some(j),
    };
    for format in [OutputFormat::Csv, OutputFormat::Xlsx, OutputFormat::Json] {
        let path = out.path().join(match format {
            OutputFormat::Csv => "csv",
            OutputFormat::Xlsx => "batch.xlsx",
            OutputFormat::Json => "batch.json",
        });
        let mut w = OutputWriter::create(format, &path).unwrap();
        let batch = run(&entries, &opts, &mut w, &|| {}).unwrap();
        let written = w.finish(&batch).unwrap();
        let n_findings: usize = batch.tally.ranked().iter().map(|t| t.2 as usize).sum();
        match format {
            OutputFormat::Csv => {
                let names: Vec<String> = written
                    .iter()
                    .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
                    .collect();
                assert_eq!(
                    names,
                    [
                        "reports.csv",
                        "findings.csv",
                        "year_over_year.csv",
                        "rollup.csv",
                        "coverage.csv"
                    ]
                );
                for p in &written {
                    let bytes = std::fs::read(p).unwrap();
                    assert!(
                        bytes.starts_with(b"\xEF\xBB\xBF"),
                        "{} has a BOM",
                        p.display()
                    );
                }
                let count = |name: &str, header: &str| {
                    let bytes = std::fs::read(path.join(name)).unwrap();
                    let mut r = csv::Reader::from_reader(&bytes[3..]);
                    assert_eq!(&r.headers().unwrap()[0], header);
                    r.records().inspect(|x| assert!(x.is_ok())).count()
                };
                assert_eq!(count("reports.csv", "文件"), batch.reports.len());
                assert_eq!(count("findings.csv", "文件"), n_findings);
                assert_eq!(
                    count("year_over_year.csv", "机关（规范化）"),
                    batch.pairs.len()
                );
                assert_eq!(count("rollup.csv", "节点路径"), TREE.len() * YEARS.len());
                assert_eq!(
                    count("coverage.csv", "年度"),
                    batch.rollup.as_ref().unwrap().coverage.len()
                );
            }
            OutputFormat::Xlsx => {
                let bytes = std::fs::read(&path).unwrap();
                assert!(bytes.starts_with(b"PK\x03\x04"));
                // Five sheets in the workbook.
                let text = String::from_utf8_lossy(&bytes);
                assert!(text.contains("xl/worksheets/sheet5.xml"));
            }
            OutputFormat::Json => {
                let v: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
                assert_eq!(v["findings"].as_array().unwrap().len(), n_findings);
                assert_eq!(v["reports"].as_array().unwrap().len(), batch.reports.len());
                assert_eq!(
                    v["year_over_year"].as_array().unwrap().len(),
                    batch.pairs.len()
                );
                assert_eq!(
                    v["rollup"]["totals"].as_array().unwrap().len(),
                    TREE.len() * YEARS.len()
                );
                assert!(v["summary"]["disclosure_rate"].as_f64().is_some());
                let first = &v["reports"][0];
                assert!(first["cells"].is_object() || first["cells"].is_null());
            }
        }
        let html = gongkai_batch::dashboard::render(&batch);
        assert!(html.starts_with("<!DOCTYPE html>"));
        for needle in [
            "<svg",
            "办理结果",
            "申请人类型",
            "公开率",
            "行政复议比例",
            "行政诉讼比例",
            "最常见的问题",
            "问题最多的报告",
            "辖区汇总与发布情况",
            "未发布报告的机关",
            "无法读取的文件",
        ] {
            assert!(html.contains(needle), "dashboard lacks {needle}");
        }
        for banned in ["<script", "http://", "https://", "src=", "<link"] {
            assert!(!html.contains(banned), "dashboard has {banned}");
        }
    }
}
