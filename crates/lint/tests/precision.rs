//! Regression fixtures from the precision corpus (`crates/lint/PRECISION.md`): real
//! sentences that fired wrongly, each beside a text where the same wording must still fire.

use chrono::NaiveDate;
use gongkai_lint::{Finding, Linter, OfficeLists, Options, Severity};

fn linter() -> Linter {
    Linter::new(
        OfficeLists::default(),
        Options {
            today: NaiveDate::from_ymd_opt(2026, 12, 1),
            ..Options::default()
        },
    )
    .unwrap()
}

fn codes(f: &[Finding]) -> Vec<(&str, Severity)> {
    f.iter().map(|f| (f.code, f.severity)).collect()
}

/// 《中华人民共和国税收征收管理法》 (in force, last amended 2015), articles 53 and 94, on a
/// page dated after the 2018 tax reform: the law's own wording, not the page's. It fired
/// ORG001 as an error twice.
#[test]
fn a_law_in_force_republished_later_keeps_its_institution_names() {
    let l = linter();
    let law = "中华人民共和国税收征收管理法\n发布时间：2024-03-01\n\
        第五十三条　国家税务局和地方税务局应当按照国家规定的税收征收管理范围和税款入库预算级次，将征收的税款缴入国库。\n\
        第九十四条　本法自2001年5月1日起施行。";
    let f = l.lint_text(law, "law.txt");
    assert!(f.is_empty(), "{f:?}");
    // The same sentence in a notice of its own, in force after the reform, still fires.
    let notice = "关于做好税款入库工作的通知\n发布时间：2024-03-01\n\
        国家税务局和地方税务局应当按照国家规定的税收征收管理范围和税款入库预算级次，将征收的税款缴入国库。\n\
        本通知自2024年3月1日起施行。";
    let f = l.lint_text(notice, "notice.txt");
    assert_eq!(
        codes(&f),
        vec![("ORG001", Severity::Error), ("ORG001", Severity::Error)]
    );
}

/// 《中华人民共和国保险法》 article 42 cites 《继承法》 (repealed 2021-01-01 by the Civil
/// Code); the article is unchanged law in force. It fired LAW002 as an error.
#[test]
fn a_law_in_force_citing_a_repealed_law_is_not_an_error() {
    let l = linter();
    let law = "中华人民共和国保险法\n发布时间：2024-03-01\n\
        第四十二条　被保险人死亡后，有下列情形之一的，保险金作为被保险人的遗产，由保险人依照《中华人民共和国继承法》的规定履行给付保险金的义务：\n\
        第一百八十五条　本法自2009年10月1日起施行。";
    let f = l.lint_text(law, "law.txt");
    assert!(f.is_empty(), "{f:?}");
    // Measures enacted after the repeal that cite it are still wrong.
    let measures = "某县保险服务管理办法\n发布时间：2024-03-01\n\
        保险金作为被保险人的遗产，由保险人依照《中华人民共和国继承法》的规定履行给付保险金的义务。\n\
        本办法自2024年3月1日起施行。";
    assert_eq!(
        codes(&l.lint_text(measures, "measures.txt")),
        vec![("LAW002", Severity::Error)]
    );
}

/// 《政府采购评审专家管理办法》 (财库〔2016〕198号) article 31 cites 《行政监察法》
/// (repealed 2018-03-20); the measures came into force 2017-01-01 and are still in force.
/// Undated, it fired LAW002 as a warning. 《政府采购代理机构管理暂行办法》 has
/// `本办法自2018年3月1日施行` without 起.
#[test]
fn undated_measures_are_dated_by_their_in_force_clause() {
    let l = linter();
    let art = "第三十一条 财政部门工作人员在评审专家管理工作中存在滥用职权、玩忽职守、徇私舞弊等违法违纪行为的,依照《政府采购法》《公务员法》《行政监察法》《政府采购法实施条例》等国家有关规定追究相应责任;涉嫌犯罪的,移送司法机关处理。";
    let f = l.lint_text(
        &format!("{art}\n第三十四条 本办法自2017年1月1日起施行。"),
        "a.md",
    );
    assert!(f.is_empty(), "{f:?}");
    let f = l.lint_text(&format!("{art}\n本办法自2018年3月1日施行"), "b.md");
    assert!(f.is_empty(), "{f:?}");
    // Without the clause the text is undated: a warning, as before.
    assert_eq!(
        codes(&l.lint_text(art, "c.md")),
        vec![("LAW002", Severity::Warning)]
    );
}

/// A 2017 news page of the Beijing environment bureau's site (`bevoice.com.cn`, corpus
/// `pages/bevoice.com.cn-45324.txt`): its byline `2017年10月10日 来源:北京晚报` is not a
/// labelled date nor a bare signature date, so the page counted as undated and the names
/// of the time (市环保局, 市食药监局) fired ORG001 three times as warnings.
#[test]
fn a_news_byline_dates_the_page() {
    let l = linter();
    let page = |byline: &str| {
        format!(
            "85家单位环保违法 93起食品药品违规\n{byline}\n\
            市环保局近日通报,10月1日至8日,全市环保部门开展全时执法,共检查各类污染源1545家。\n\
            另据市食药监局统计,10月1日至8日,全市食药监管系统共出动监督执法人员2.5万人次。"
        )
    };
    let f = l.lint_text(&page("2017年10月10日 来源:北京晚报"), "news.txt");
    assert!(f.is_empty(), "{f:?}");
    let f = l.lint_text(&page("2017-10-10 09:12 来源：北京晚报"), "news.txt");
    assert!(f.is_empty(), "{f:?}");
    // The same report under a 2024 byline uses names abolished in 2019: errors.
    assert_eq!(
        codes(&l.lint_text(&page("2024年10月10日 来源:北京晚报"), "news.txt")),
        vec![("ORG001", Severity::Error), ("ORG001", Severity::Error)]
    );
    // Without a byline the page is undated: warnings, as before.
    assert_eq!(
        codes(&l.lint_text(&page("北京晚报"), "news.txt")),
        vec![("ORG001", Severity::Warning), ("ORG001", Severity::Warning)]
    );
}

/// A 2018 news page of 通山县 (corpus `pages/cjyun-tongshan-36615.txt`): its byline
/// `2018-04-24 10:34   全媒体记者组` names no source or author, so the page counted as
/// undated and the county's 环保局 of the time fired ORG001 twice as warnings. A date with
/// its time of day at the head of a line now dates the page.
#[test]
fn a_byline_with_a_time_of_day_dates_the_page() {
    let l = linter();
    let page = |byline: &str| {
        format!(
            "【环保督察进行时】通山县铁腕执法 强制查封五家制砂厂\n{byline}\n\
            云上通山报道:(全媒体记者组)4月21日,为贯彻落实省级环保督察“边督边改”工作机制,通山县环保局成立三个检查小组对全县环境问题进行全面排查。\n\
            为消除该环境安全隐患,确保周边环境安全,县环保局依法对该五家制砂厂实施了查封。"
        )
    };
    let f = l.lint_text(&page("2018-04-24 10:34   全媒体记者组"), "news.txt");
    assert!(f.is_empty(), "{f:?}");
    // Under a byline of 2024 the names are five years out of date: errors.
    assert_eq!(
        codes(&l.lint_text(&page("2024-04-24 10:34   全媒体记者组"), "news.txt")),
        vec![("ORG001", Severity::Error), ("ORG001", Severity::Error)]
    );
    // Without the byline the page is undated: warnings, as before.
    assert_eq!(
        codes(&l.lint_text(&page("全媒体记者组"), "news.txt")),
        vec![("ORG001", Severity::Warning), ("ORG001", Severity::Warning)]
    );
}

/// A company site reprinting a 会昌县 news item (corpus `pages/zchb.com.cn-1019.txt`),
/// labelled `发表时间:2020-03-31`: the label was not read, so the names abolished a year
/// before (`会昌县环保局`) were only warnings. `发表时间` now dates the page as `发布时间`.
#[test]
fn a_fabiao_shijian_label_dates_the_page() {
    let l = linter();
    let page = "余昌县环保局开展“散乱污”企业整治专项督查\n\
        文章出处:未知 人气:发表时间:2020-03-31\n\
        近日,会昌县生态环境局按照《“散乱污”企业整治工作专项督查方案》要求,分3个组对全县19个乡镇开展“散乱污”企业整治专项督查。\n\
        确保“散乱污”企业整治工作落实到位。来源:会昌县环保局";
    assert_eq!(
        codes(&l.lint_text(page, "news.txt")),
        vec![("ORG001", Severity::Error), ("ORG001", Severity::Error)]
    );
    let old = page.replace("2020-03-31", "2018-03-31");
    let f = l.lint_text(&old, "news.txt");
    assert!(f.is_empty(), "{f:?}");
}

/// 广东省人民政府办公厅's 2010 notice (粤办函〔2010〕249号) as a law site republishes it
/// (corpus `pages/fsou-17186519.txt`): no date line, but its number on a line of its own.
/// It quotes article 31 of the 2007 Regulations, current in 2010; undated, that fired
/// LAW003 as a warning. The year of the text's own number now dates the wording.
#[test]
fn a_republished_notice_is_dated_by_its_own_document_number() {
    let l = linter();
    let page = |number: &str| {
        format!(
            "广东省人民政府办公厅关于2009年政府信息公开工作年度报告编制公布情况的通报\n{number}\n\
            各地级以上市人民政府,省政府各部门、各直属机构:\n\
            《中华人民共和国政府信息公开条例》(以下简称《条例》)第三十一条规定,各级行政机关应当在每年3月31日前公布本行政机关的政府信息公开工作年度报告。"
        )
    };
    let f = l.lint_text(&page("(粤办函〔2010〕249号)"), "notice.txt");
    assert!(f.is_empty(), "{f:?}");
    // The same sentence in a notice numbered 〔2024〕 states a repealed rule: an error.
    assert_eq!(
        codes(&l.lint_text(&page("(粤办函〔2024〕249号)"), "notice.txt")),
        vec![("LAW003", Severity::Error)]
    );
    // A number cited inside a sentence does not date the text: a warning, as before.
    assert_eq!(
        codes(&l.lint_text(
            &page("根据《要点》(粤府办〔2010〕15号)的安排检查。"),
            "notice.txt"
        )),
        vec![("LAW003", Severity::Warning)]
    );
}

/// A 2018 penalty decision of 株洲市国土资源局 (corpus
/// `pages/zrzyj.zhuzhou.gov.cn-922796.txt`) dated by a bare `时间:2018-08-03` line: the
/// label was not read, so the page was undated and the 湖南省国土资源厅 of the time warned.
#[test]
fn a_bare_shijian_label_at_the_start_dates_the_page() {
    let l = linter();
    let page = |date_line: &str| {
        format!(
            "国土资源违法案件行政处罚决定书 株国土资执法〔2018〕96号\n{date_line}\n\
            被处罚单位:湖南隆太建材商贸有限公司\n\
            如不服本处罚决定,可在接到本处罚决定书后60天内依法向湖南省国土资源厅或株洲市人民政府申请行政复议,也可在6个月内依法向人民法院起诉。"
        )
    };
    let f = l.lint_text(&page("时间:2018-08-03"), "decision.txt");
    assert!(f.is_empty(), "{f:?}");
    assert_eq!(
        codes(&l.lint_text(&page("时间:2021-08-03"), "decision.txt")),
        vec![("ORG001", Severity::Error)]
    );
    // The end of another label (`公示时间`) is no publication date: undated, a warning.
    assert_eq!(
        codes(&l.lint_text(&page("公示时间:2018-08-03"), "decision.txt")),
        vec![("ORG001", Severity::Warning)]
    );
}

/// A law firm's article on the Civil Code (corpus `pages/360doc-964398947.txt`) compares
/// it with the Contract Law it replaced: `在《民法典》颁布前……由《合同法》……规定`,
/// `《民法典》相较于《合同法》`. Undated, each mention fired LAW002 as a warning. A
/// paragraph that names the Civil Code itself is about the change.
#[test]
fn a_paragraph_comparing_the_civil_code_with_the_old_law_is_not_flagged() {
    let l = linter();
    let article = "合同解除是合同权利义务关系终止的最为核心的事由之一,在《民法典》颁布前,合同解除的事由主要由《合同法》以及最高院针对各种类型合同纠纷适用法律所出台的司法解释分别进行规定。除此之外,在合同解除事由方面,《民法典》相较于《合同法》,亦有不少变动。";
    let f = l.lint_text(article, "article.txt");
    assert!(f.is_empty(), "{f:?}");
    // A model text that gives the Contract Law as the law in force still warns.
    let model = "【法律依据】\n《合同法》第九十三条合同约定解除\n根据《合同法》第九十二条,合同的权利义务终止后,当事人应当遵循诚实信用原则。";
    assert_eq!(
        codes(&l.lint_text(model, "model.txt")),
        vec![("LAW002", Severity::Warning), ("LAW002", Severity::Warning)]
    );
}

/// Two 2016 pages whose date line the engine could not read, so the names of the time
/// warned as undated: 东莞市卫生和计划生育局's transmittal, signed on one line with its
/// organ (corpus `pages/dghb.dg.gov.cn-140018.txt`), and an aggregator's copy of a 邹平县
/// news item under the byline `02.06.2016 05:10` (`pages/baogaosu-jinan-47283370.txt`).
#[test]
fn an_organ_signature_and_a_dotted_byline_date_the_page() {
    let l = linter();
    let transmittal = |signature: &str| {
        format!(
            "各镇街(园区)卫生、计生行政管理部门,各医院、社区卫生服务中心,局直属各单位:\n\
            现将省卫生计生委通告转发给你们,请周知。\n{signature}"
        )
    };
    let f = l.lint_text(&transmittal("东莞市卫生和计划生育局2016年4月20日"), "t.txt");
    assert!(f.is_empty(), "{f:?}");
    assert_eq!(
        codes(&l.lint_text(&transmittal("东莞市卫生和计划生育局2022年4月20日"), "t.txt")),
        vec![("ORG001", Severity::Error), ("ORG001", Severity::Error)]
    );
    let news =
        |byline: &str| format!("邹平县人大组织新《环保法》执法检查\n{byline}\n本文来源: 环保局厅");
    let f = l.lint_text(&news("02.06.2016 05:10"), "n.txt");
    assert!(f.is_empty(), "{f:?}");
    assert_eq!(
        codes(&l.lint_text(&news("02.06.2022 05:10"), "n.txt")),
        vec![("ORG001", Severity::Error)]
    );
}

/// A legal Q&A page (corpus `pages/uianet.net-b10340970.txt`) gives the repealed
/// Marriage Law as the law: `根据《婚姻法》第十九条的规定:夫妻可以约定婚姻关系存续期间所得的财产`.
/// The bare word `期间` counted as a sign of history and silenced the citation; only a
/// reform's or transition's period does now.
#[test]
fn a_period_in_the_sentence_is_not_history() {
    let l = linter();
    let qa = "同时,根据《婚姻法》第十九条的规定:夫妻可以约定婚姻关系存续期间所得的财产以及婚前财产归各自所有。";
    assert_eq!(
        codes(&l.lint_text(qa, "qa.txt")),
        vec![("LAW002", Severity::Warning)]
    );
    let reform = "机构改革期间,县环保局的职责由县生态环境局承接。";
    let f = l.lint_text(reform, "reform.txt");
    assert!(f.is_empty(), "{f:?}");
}

/// Not a check of its own: the measurement behind `PRECISION.md` when no `gongkai` binary
/// is at hand. Lints every `.txt` and `.md` file under each directory of
/// `GONGKAI_LINT_CORPUS` (colon-separated) as plain text and prints the findings by rule
/// and severity and per 10,000 characters, then every finding. Each file is linted both as
/// a document and with `lint_text`, which must agree.
#[test]
#[ignore = "needs the corpus of scripts/lint-corpus: GONGKAI_LINT_CORPUS=DIR[:DIR…]"]
fn measure_corpus() {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "txt" || e == "md") {
                out.push(p);
            }
        }
    }

    let dirs = std::env::var("GONGKAI_LINT_CORPUS").expect("GONGKAI_LINT_CORPUS=DIR[:DIR…]");
    let l = linter();
    for dir in dirs.split(':') {
        let mut files = Vec::new();
        walk(Path::new(dir), &mut files);
        let (mut chars, mut by) = (0usize, BTreeMap::new());
        let mut all = Vec::new();
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap();
            let doc = gongkai_lint::text_document(&text);
            chars += doc
                .paragraphs()
                .map(|p| p.text.chars().count())
                .sum::<usize>();
            let name = f.display().to_string();
            let found = l.lint_document(&doc, &name);
            // `lint_text` lints the lines without building the document first: the same
            // findings.
            assert_eq!(found, l.lint_text(&text, &name), "{name}");
            for x in found {
                *by.entry((x.code, x.severity)).or_insert(0usize) += 1;
                all.push(x);
            }
        }
        let n: usize = by.values().sum();
        println!(
            "== {dir}: {} files, {chars} characters, {n} findings, {:.3} per 10,000 characters",
            files.len(),
            n as f64 * 10_000.0 / chars.max(1) as f64
        );
        for ((code, sev), c) in &by {
            println!("  {code} {sev:?}: {c}");
        }
        for x in &all {
            println!(
                "  {} {:?} {} {}【{}】{}",
                x.code, x.severity, x.place.file, x.before, x.matched, x.after
            );
        }
    }
}
