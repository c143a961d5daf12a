#!/usr/bin/env python3
"""Peer baseline for `storyline timex-eval`: Python dateparser's search_dates
on the same TimeML (.tml) documents, scored with the same TempEval-3
definitions (relaxed/strict span P/R/F1 with one-to-one matching in text
order; value F1 = values equal on relaxed matches / system or gold count).

Usage: /usr/bin/python3 bench/dateparser_peer.py DIR [--json]
Needs Debian python3-dateparser (installed here when missing; call
/usr/bin/python3 explicitly, pyenv's python3 shadows it).
dateparser returns datetimes, not TIMEX3 values: each hit is scored as a
DATE with a day value (YYYY-MM-DD), or YYYY-MM / YYYY when the matched
text names no day / no month, the most favourable mapping we could give it.
"""
import html
import json
import os
import re
import subprocess
import sys
import time

try:
    from dateparser.search import search_dates
except ImportError:  # install the Debian package, then retry
    cmd = ["apt-get", "install", "-y", "python3-dateparser"]
    if os.geteuid() != 0:
        cmd = ["sudo"] + cmd
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    from dateparser.search import search_dates

import datetime

TAG = re.compile(r"<[^>]*>")
ATTR = re.compile(r'(\w+)="([^"]*)"')


def parse(path):
    s = open(path, encoding="utf-8").read()
    dct = None
    m = re.search(r"<DCT>(.*?)</DCT>", s, re.S)
    if m:
        v = dict(ATTR.findall(m.group(1))).get("value", "")
        try:
            dct = datetime.datetime.strptime(v[:10], "%Y-%m-%d")
        except ValueError:
            dct = None
    body = s[s.index("<TEXT>") + 6 : s.index("</TEXT>")]
    out, gold, pos, open_ = [], [], 0, None
    length = 0
    for m in TAG.finditer(body):
        seg = html.unescape(body[pos : m.start()])
        out.append(seg)
        length += len(seg)
        tag = m.group(0)[1:-1]
        if tag.startswith("TIMEX3"):
            a = dict(ATTR.findall(tag))
            open_ = [length, 0, a.get("type", ""), a.get("value", "")]
        elif tag == "/TIMEX3" and open_:
            open_[1] = length
            gold.append(tuple(open_))
            open_ = None
        pos = m.end()
    out.append(html.unescape(body[pos:]))
    return "".join(out), gold, dct


MONTHS = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)


def value_of(sub, dt):
    if re.search(r"\d{1,2}(st|nd|rd|th)?\b", sub) and (MONTHS.search(sub) or "/" in sub or "-" in sub):
        return dt.strftime("%Y-%m-%d")
    if MONTHS.search(sub) and not re.search(r"\b\d{1,2}\b", sub):
        return dt.strftime("%Y-%m")
    if re.fullmatch(r"\s*\d{4}\s*", sub):
        return dt.strftime("%Y")
    return dt.strftime("%Y-%m-%d")


def tag(text, dct):
    settings = {"RELATIVE_BASE": dct} if dct else {}
    try:
        hits = search_dates(text, languages=["en"], settings=settings) or []
    except Exception:
        hits = []
    spans, cursor = [], 0
    for sub, dt in hits:
        i = text.find(sub, cursor)
        if i < 0:
            continue
        spans.append((i, i + len(sub), "DATE", value_of(sub, dt)))
        cursor = i + len(sub)
    return spans


def score(gold, sys_, c):
    c["gold"] += len(gold)
    c["sys"] += len(sys_)
    used = [False] * len(sys_)
    for gs, ge, gt, gv in gold:
        for k, (ss, se, st, sv) in enumerate(sys_):
            if used[k] or se <= gs or ss >= ge:
                continue
            used[k] = True
            c["relaxed"] += 1
            c["strict"] += ss == gs and se == ge
            c["value"] += sv == gv
            break


def prf(ok, s, g):
    p = ok / s if s else 0.0
    r = ok / g if g else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        sys.exit(__doc__)
    paths = []
    for root, _, files in os.walk(args[0]):
        paths += [os.path.join(root, f) for f in files if f.endswith(".tml")]
    paths.sort()
    c = dict(gold=0, sys=0, relaxed=0, strict=0, value=0)
    nbytes, elapsed = 0, 0.0
    for p in paths:
        text, gold, dct = parse(p)
        nbytes += len(text.encode("utf-8"))
        t0 = time.perf_counter()
        spans = tag(text, dct)
        elapsed += time.perf_counter() - t0
        score(gold, spans, c)
    sp, sr, sf = prf(c["strict"], c["sys"], c["gold"])
    rp, rr, rf = prf(c["relaxed"], c["sys"], c["gold"])
    vp, vr, vf = prf(c["value"], c["sys"], c["gold"])
    rep = {
        "docs": len(paths), "gold": c["gold"], "system": c["sys"],
        "span": {"strict_f1": sf, "relaxed_f1": rf, "strict_p": sp, "strict_r": sr, "relaxed_p": rp, "relaxed_r": rr},
        "value": {"p": vp, "r": vr, "f1": vf, "accuracy": c["value"] / c["relaxed"] if c["relaxed"] else 0.0},
        "mb_per_s": nbytes / 1e6 / elapsed if elapsed else 0.0,
    }
    if "--json" in sys.argv:
        print(json.dumps(rep, indent=2))
        return
    print(f"dateparser docs {rep['docs']} gold {rep['gold']} system {rep['system']}")
    print(f"span strict  F1 {sf:.3f}   relaxed P {rp:.3f} R {rr:.3f} F1 {rf:.3f}")
    print(f"value        P {vp:.3f} R {vr:.3f} F1 {vf:.3f} accuracy {rep['value']['accuracy']:.3f}")
    print(f"speed {rep['mb_per_s']:.3f} MB/s ({nbytes} bytes)")


if __name__ == "__main__":
    main()
