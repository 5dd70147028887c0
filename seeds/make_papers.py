#!/usr/bin/env python3
"""Builds seeds/papers.json from the captured Daily Papers page (shared/seeds).

Run from the repository root: python3 seeds/make_papers.py ../shared/seeds
Only what the page shows is kept: the title, the abstract, the upvote count (0 where none is
shown), the arXiv publication date, and the authors as the page gives them: a count (recorded as
that many hidden authors, the way the API marks authors it does not name) or the organisation.
Records without a known arXiv id are left out rather than given an invented one.
"""
import datetime, json, re, sys, pathlib

src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/seeds")
lines = (src / "daily-papers-page.txt").read_text(encoding="utf-8").split("\n")
ids = {}
for row in (src / "arxiv-ids.tsv").read_text(encoding="utf-8").splitlines()[1:]:
    index, arxiv_id, title, _ = row.split("\t")
    ids[title.strip()] = arxiv_id.strip()

LIST_DAY = "2026-05-20T00:00:00.000Z"
date_re = re.compile(r"^([A-Z][a-z]{2}) (\d{1,2})(?:, (\d{4}))?(?: (\d+))?$")

def parse_date(line):
    m = date_re.match(line.strip())
    if not m:
        return None
    month, day, year, upvotes = m.groups()
    d = datetime.datetime.strptime(f"{month} {day} {year or 2026}", "%b %d %Y")
    return d.strftime("%Y-%m-%dT00:00:00.000Z"), int(upvotes or 0)

# Records start after the "May 20" header line; each title is followed by blank, abstract, blank.
start = lines.index("May 20") + 2
records, i = [], start
while i < len(lines):
    if not lines[i].strip():
        i += 1
        continue
    title, abstract = lines[i].strip(), lines[i + 2].strip()
    i += 3
    rec = {"title": title, "abstract": abstract, "authors_line": None, "date": None}
    # Optional trailer: blank, authors/organisation, "·", date.
    if i + 3 < len(lines) + 1 and i + 2 < len(lines) and lines[i + 2].strip() == "·":
        rec["authors_line"], rec["date"] = lines[i + 1].strip(), lines[i + 3].strip()
        i += 4
    records.append(rec)

papers = []
for n, rec in enumerate(records):
    arxiv_id = ids.get(rec["title"])
    if not arxiv_id or arxiv_id == "unknown":
        continue
    paper = {"id": arxiv_id, "authors": [], "title": rec["title"], "summary": rec["abstract"],
             "upvotes": 0, "discussionId": "", "submittedOnDailyAt": LIST_DAY}
    outer = {}
    if rec["date"]:
        paper["publishedAt"], paper["upvotes"] = parse_date(rec["date"])
    line = rec["authors_line"] or ""
    m = re.match(r"^• (\d+) authors?$", line)
    if m:
        paper["authors"] = [{"_id": "", "name": "", "hidden": True} for _ in range(int(m.group(1)))]
    elif line:
        handle, _, fullname = line.partition(" ")
        org = {"_id": "", "name": handle, "fullname": fullname or handle, "avatar": ""}
        paper["organization"] = org
        outer["organization"] = org
    item = {"paper": paper, "publishedAt": paper.get("publishedAt", LIST_DAY), "title": rec["title"],
            "summary": rec["abstract"], "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{arxiv_id}.png",
            "numComments": 0, "submittedBy": {"_id": "", "avatarUrl": "", "fullname": "", "name": "", "type": "user"},
            **outer, "isAuthorParticipating": False}
    papers.append(item)

json.dump(papers, open("seeds/papers.json", "w", encoding="utf-8"), ensure_ascii=False, indent=1)
print(f"{len(records)} records, {len(papers)} papers written")
