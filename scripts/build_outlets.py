"""Regenerate src/unspin/data/media/outlets.tsv from Baly et al.'s outlet label files.

Reads ../shared/data/media/{acl2020,emnlp18}-corpus.tsv (Media Bias/Fact Check labels as
published with Baly et al. 2018 and 2020).  One row per outlet, keyed by host: the ACL 2020 label
wins over the EMNLP 2018 one.  A label given for a section of a site ('theguardian.com/observer',
'newyorker.com/humor/borowitz-report') stays keyed by that path when the section is a
publication of its own (the site has its own label, or the MBFC name shares no word with the
host), so it never rates the whole site.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "media"
OUT = ROOT / "src" / "unspin" / "data" / "media" / "outlets.tsv"
CORPORA = (("acl2020", "acl2020-corpus.tsv"), ("emnlp18", "emnlp18-corpus.tsv"))
SMALL_WORDS = {"the", "of", "and", "for", "in", "on", "a", "news"}


def name_from_ref(ref: str) -> str:
    """A display name from the MBFC page slug: 'al-jazeera' -> 'Al Jazeera', 'cnn' -> 'CNN'."""
    slug = urlsplit(ref).path.strip("/").split("/")[-1]
    words = []
    for n, word in enumerate(w for w in slug.split("-") if w):
        if not any(c in "aeiouy" for c in word):
            words.append(word.upper())
        elif n and word in SMALL_WORDS and word != "news":
            words.append(word)
        else:
            words.append(word.capitalize())
    return " ".join(words)


def is_site_label(host: str, ref: str, root_rated: bool) -> bool:
    """Does a label found under a site's section rate the site itself ('npr.org/sections/news')?"""
    if root_rated:
        return False
    label = host.split(".")[-2] if host.count(".") >= 1 else host
    label = host.split(".")[0] if label in ("co", "org", "com", "net") else label
    words = [w for w in urlsplit(ref).path.strip("/").split("/")[-1].split("-") if w]
    initials = "".join(w[0] for w in words)
    return initials == label or any(
        w == label or (len(w) >= 3 and w not in SMALL_WORDS and w in label) for w in words
    )


def rows(corpus: str, path: Path) -> list[dict[str, str]]:
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            url = row["source_url"] if "://" in row["source_url"] else "http://" + row["source_url"]
            parts = urlsplit(url)
            host = (parts.hostname or "").removeprefix("www.")
            if not host:
                continue
            out.append(
                {
                    "domain": host,
                    "name": name_from_ref(row["ref"]),
                    "fact": row["fact"],
                    "bias": row["bias"],
                    "ref": row["ref"].replace("http://", "https://"),
                    "corpus": corpus,
                    "section": parts.path.strip("/").split("#")[0],
                }
            )
    return out


def main() -> int:
    if not SHARED.exists():
        print(f"missing {SHARED}", file=sys.stderr)
        return 1
    everything = [row for corpus, name in CORPORA for row in rows(corpus, SHARED / name)]
    rated = {row["domain"] for row in everything if not row["section"]}
    table: dict[str, dict[str, str]] = {}
    for row in everything:  # acl2020 first: the first label for a key wins
        if row["section"] and not is_site_label(row["domain"], row["ref"], row["domain"] in rated):
            row["domain"] = f"{row['domain']}/{row['section']}".rstrip("/")
        table.setdefault(row["domain"], row)
    fields = ["domain", "name", "fact", "bias", "ref", "corpus"]
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(
            fh, fields, delimiter="\t", extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        for domain in sorted(table):
            writer.writerow(table[domain])
    print(f"{len(table)} outlets -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
