//! Issue 13 §1: the pages in English with the language switch — the catalogue covers every
//! Chinese text of the templates and every status message; the switch sets a cookie that
//! lasts, returns to the same page (never to another site), and switching back gives
//! Chinese; Chinese is the default; the JSON API is left as it is.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use gongkai_server::i18n::rewrite::{Piece, decode, escape, rewrite};
use gongkai_server::i18n::{Catalogue, catalogue, safe_back, template_texts, to_english};

use crate::common::{Client, app, today};

/// Every text with Han characters in every template, and every flash message, has its
/// English in `en.tsv` (whole, as a pattern with `{}`, or run by run for a text that
/// `{% %}` tags cut); the failure lists each one missing, ready to be written into the
/// catalogue.
#[test]
fn catalogue_covers_every_template() {
    let cat = Catalogue::parse_files(catalogue::EN_FILES).unwrap_or_else(|e| panic!("{e}"));
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    files.sort();
    assert!(files.len() > 20, "templates not found in {}", dir.display());
    let mut missing = BTreeSet::new();
    let mut checked = 0;
    for f in &files {
        let src = std::fs::read_to_string(f).unwrap();
        for t in template_texts(&src) {
            checked += 1;
            if t.split {
                for run in catalogue::han_runs(&t.text) {
                    if cat.get(run).is_none() {
                        missing.insert(format!("{run}\t({})", f.display()));
                    }
                }
            } else if !cat.covers(&t.text) {
                missing.insert(format!("{}\t({})", t.text, f.display()));
            }
        }
    }
    for text in gongkai_server::view::flash_texts() {
        checked += 1;
        if cat.get(text).is_none() {
            missing.insert(format!("{text}\t(view.rs)"));
        }
    }
    assert!(checked > 500, "only {checked} texts found");
    assert!(
        missing.is_empty(),
        "{} texts without English in crates/server/src/i18n/en.tsv:\n{}",
        missing.len(),
        missing.into_iter().collect::<Vec<_>>().join("\n")
    );
}

fn html_lang(page: &str) -> &str {
    let at = page.find("<html lang=\"").expect("<html lang>") + 12;
    let end = page[at..].find('"').unwrap();
    &page[at..at + end]
}

#[tokio::test]
async fn chinese_is_the_default() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    let page = c.get("/check").await.text();
    assert_eq!(html_lang(&page), "zh-CN");
    assert!(page.contains("检查政府信息公开工作年度报告"), "{page}");
    // The switch offers English and returns here.
    assert!(
        page.contains(r#"href="/lang?to=en&#38;back=%2Fcheck""#),
        "{page}"
    );
    assert!(page.contains(">English</a>"));
}

#[tokio::test]
async fn switching_to_english_lasts_and_switching_back_gives_chinese() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    c.login("clerk").await;

    let r = c.get("/lang?to=en&back=%2Fledger").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/ledger");
    let cookie = r.header(axum::http::header::SET_COOKIE);
    assert!(cookie.starts_with("gongkai_lang=en;"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");

    // The ledger in English: title, headings, the switch back, <html lang>.
    let page = c.get("/ledger").await.text();
    assert_eq!(html_lang(&page), "en");
    assert!(
        page.contains(
            "<title>Disclosure-on-request ledger · Government information disclosure</title>"
        ),
        "{page}"
    );
    assert!(
        page.contains("<h1>Disclosure-on-request ledger</h1>"),
        "{page}"
    );
    assert!(page.contains(">Register an application</a>"), "{page}");
    assert!(page.contains(r#"placeholder="Applicant, number or information requested""#));
    assert!(page.contains(">中文</a>"), "{page}");
    assert!(!page.contains("依申请公开台账"), "{page}");

    // It lasts: another page, a form error from the server, the 404 page.
    let token = c.csrf("/ledger/new").await;
    let r = c
        .post_form(
            "/ledger/new",
            &[
                ("csrf", &token),
                ("kind", "natural_person"),
                ("name", ""),
                ("description", "某项目的环评批复"),
                ("received_on", &today()),
                ("channel", "in_person"),
            ],
        )
        .await;
    let page = r.text();
    assert!(
        page.contains("Please fill in “Name of the applicant”"),
        "{}: {page}",
        r.status
    );
    // What the user typed stays as typed.
    assert!(page.contains("某项目的环评批复"), "{page}");
    let r = c.get("/no-such-page").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let page = r.text();
    assert!(page.contains("<h1>Page not found</h1>"), "{page}");
    assert!(
        page.contains("The page you asked for does not exist"),
        "{page}"
    );
    assert_eq!(html_lang(&page), "en");
    // A status message after a redirect.
    let page = c.get("/ledger?msg=registered").await.text();
    assert!(page.contains("Application registered."), "{page}");
    // The switch returns to the page, not to its one-time message.
    assert!(page.contains("/lang?to=zh&#38;back=%2Fledger\""), "{page}");

    // The report checker's rules in their own English (not through the catalogue).
    let page = c.get("/check").await.text();
    let rule = gongkai_check::registry()
        .iter()
        .map(|r| r.summary(gongkai_check::Lang::En))
        .find(|s| s.chars().all(|c| c.is_ascii_alphanumeric() || c == ' '))
        .expect("a rule with a plain English summary");
    assert!(page.contains(rule), "{rule}: {page}");

    // The JSON API keeps its Chinese messages.
    let r = c.get("/api/v1/no-such-thing").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["error"]["message"], "没有这个接口");

    // Back to Chinese.
    let r = c.get("/lang?to=zh&back=%2Fledger").await;
    assert_eq!(r.location(), "/ledger");
    let page = c.get("/ledger").await.text();
    assert_eq!(html_lang(&page), "zh-CN");
    assert!(page.contains("<h1>依申请公开台账</h1>"), "{page}");
    assert!(page.contains(">English</a>"));
}

#[tokio::test]
async fn the_switch_returns_only_to_a_local_path() {
    let (app, _) = app().await;
    let mut c = Client::new(&app);
    for back in [
        "%2F%2Fevil.example%2F",
        "https%3A%2F%2Fevil.example%2F",
        "%2F%5Cevil.example",
        "javascript%3Aalert(1)",
    ] {
        let r = c.get(&format!("/lang?to=en&back={back}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/", "back={back}");
    }
    // No `back`: the home page; the login page is a place to return to.
    assert_eq!(c.get("/lang?to=en").await.location(), "/");
    assert_eq!(
        c.get("/lang?to=en&back=%2Flogin").await.location(),
        "/login"
    );
    let page = c.get("/login").await.text();
    assert!(
        page.contains("Sign in to the disclosure-on-request ledger"),
        "{page}"
    );
}

// ---- The catalogue and the rewriter on their own ----

fn cat(text: &str) -> Catalogue {
    Catalogue::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn entries_patterns_paths_and_runs() {
    let c = cat(
        "申请\tApplication\n在办\topen\n{}申请 {} 件\t{} applications: {}\n件\titems\n\
         总计\tTotal\n自然人\tNatural person\n未能登记：{}\tNot recorded: {}\n",
    );
    // Whole, keeping the whitespace around.
    assert_eq!(
        c.translate("  申请 \n").as_deref(),
        Some("  Application \n")
    );
    // A pattern; its value translated in turn.
    assert_eq!(
        c.translate("在办申请 12 件").as_deref(),
        Some("open applications: 12")
    );
    // A path of labels, part by part; a date alone.
    assert_eq!(
        c.translate("三 / 总计 / 自然人").as_deref(),
        Some("三 / Total / Natural person")
    );
    assert_eq!(c.translate("2026年12月6日").as_deref(), Some("2026-12-06"));
    // Run by run only when every run is known, with English punctuation.
    assert_eq!(
        c.translate("申请（12件）").as_deref(),
        Some("Application (12 items)")
    );
    assert_eq!(c.translate("申请（12本）").as_deref(), None);
    // Nothing known, nothing Chinese.
    assert_eq!(c.translate("没有").as_deref(), None);
    assert_eq!(c.translate("abc").as_deref(), None);
    // A name in a pattern's value stays; a Chinese sentence there refuses the pattern.
    assert_eq!(
        c.translate("未能登记：张三").as_deref(),
        Some("Not recorded: 张三")
    );
    assert_eq!(
        c.translate("未能登记：日期晚于今天，不能登记").as_deref(),
        None
    );
}

#[test]
fn bad_catalogue_lines_are_refused() {
    assert_eq!(Catalogue::parse("申请").unwrap_err().line, 1);
    assert!(Catalogue::parse("申请\tA\n申请\tB").is_err());
    assert!(Catalogue::parse("申请 {}\tApplication").is_err());
    assert!(Catalogue::parse("abc\tA").is_err());
    assert!(Catalogue::parse("申请\t ").is_err());
    assert!(catalogue::english().len() > 700);
}

fn brackets(html: &str) -> String {
    rewrite(html, |p| match p {
        Piece::Text(t) => Some(format!("[{}]", t.trim())),
        Piece::Attr { value, .. } => Some(format!("[{value}]")),
    })
}

#[test]
fn the_rewriter_takes_texts_and_shown_attributes_only() {
    assert_eq!(
        brackets(r#"<p title="t" class="c">a<b>b</b></p>"#),
        r#"<p title="[t]" class="c">[a]<b>[b]</b></p>"#
    );
    // A button's value is shown, an input's value is data.
    assert_eq!(
        brackets(r#"<input type="submit" value="v"><input name="x" value="v">"#),
        r#"<input type="submit" value="[v]"><input name="x" value="v">"#
    );
    // Raw text, comments and translate="no" stay byte for byte.
    assert_eq!(
        brackets("<textarea>a<b></textarea><!-- c --><script>x<y</script>"),
        "<textarea>a<b></textarea><!-- c --><script>x<y</script>"
    );
    assert_eq!(
        brackets(r#"<div translate="no"><div>a</div>b</div>c"#),
        r#"<div translate="no"><div>a</div>b</div>[c]"#
    );
    assert_eq!(decode("a&amp;b&#39;&lt;"), "a&b'<");
    assert_eq!(escape("a&b\"<"), "a&amp;b&#34;&lt;");
    // The page as a whole: entities decoded for the lookup, the English escaped.
    let c = cat("申请人\tApplicant & co\n查找\tSearch\n");
    assert_eq!(
        to_english(
            r#"<label>申请人</label><input placeholder="查找" value="申请人"><textarea>申请人</textarea>"#,
            &c
        ),
        r#"<label>Applicant &amp; co</label><input placeholder="Search" value="申请人"><textarea>申请人</textarea>"#
    );
}

#[test]
fn template_texts_mask_askama() {
    let t = template_texts(
        r#"<h1>申请 {{ id }}</h1><p>{% if a %}已批准{% else %}退回{% endif %}</p><p> 第 {{ n }} 页 {% if x %}{% endif %}</p><a title="看{{ x }}">x</a><div translate="no">中文</div>"#,
    );
    let texts: Vec<(&str, bool)> = t.iter().map(|t| (t.text.as_str(), t.split)).collect();
    assert_eq!(
        texts,
        [
            ("申请 {}", false),
            ("已批准", true),
            ("退回", true),
            ("第 {} 页", false),
            ("看{}", false)
        ]
    );
}

#[test]
fn back_is_a_local_path_only() {
    assert_eq!(safe_back("/ledger?q=1"), Some("/ledger?q=1"));
    assert_eq!(safe_back("/login"), Some("/login"));
    assert_eq!(safe_back("//evil.example"), None);
    assert_eq!(safe_back("https://evil.example/"), None);
    assert_eq!(safe_back("/\\evil.example"), None);
}
