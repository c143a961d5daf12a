#!/usr/bin/python3
"""Standard peer for event clustering: sklearn TF-IDF + average-link cosine
agglomerative clustering (quadratic in articles).

Run with Debian's /usr/bin/python3 (python3-sklearn), normally via bench/peer.sh.

Input: JSONL with fields id, title, text (and event, for --gold).
Stdout: JSON lines {"id", "event"}.
Stderr: one JSON object with throughput and peak RSS; with --gold, a second
JSON object with BCubed P/R/F1 for each swept threshold and the best one.
"""
import argparse
import json
import resource
import sys
import time

from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

PEER = "sklearn-tfidf-agglo"


def read_articles(path):
    arts = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                arts.append(json.loads(line))
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{n}: bad JSON: {e}")
    return arts


def cluster(X, threshold):
    """Labels for rows of dense X; all-zero rows (no vocabulary) become singletons."""
    n = X.shape[0]
    labels = [-1] * n
    nonzero = [i for i in range(n) if X[i].any()]
    next_label = 0
    if len(nonzero) >= 2:
        model = AgglomerativeClustering(
            n_clusters=None,
            metric="cosine",
            linkage="average",
            distance_threshold=threshold,
        )
        sub = model.fit_predict(X[nonzero])
        for i, l in zip(nonzero, sub):
            labels[i] = int(l)
        next_label = int(sub.max()) + 1
    for i in range(n):
        if labels[i] < 0:
            labels[i] = next_label
            next_label += 1
    return labels


def bcubed(pred, gold):
    """BCubed precision, recall, F1 of predicted labels against gold labels."""
    from collections import Counter

    pc, gc = Counter(pred), Counter(gold)
    both = Counter(zip(pred, gold))
    n = len(pred)
    p = sum(both[(a, b)] / pc[a] for a, b in zip(pred, gold)) / n
    r = sum(both[(a, b)] / gc[b] for a, b in zip(pred, gold)) / n
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", help="JSONL articles (id, title, text)")
    ap.add_argument("--threshold", type=float, default=0.8,
                    help="cosine distance threshold for merging (default 0.8)")
    ap.add_argument("--gold", action="store_true",
                    help="also score BCubed against the input's event field over --sweep")
    ap.add_argument("--sweep", default="0.5,0.6,0.7,0.8,0.9",
                    help="comma-separated thresholds for --gold")
    args = ap.parse_args()

    arts = read_articles(args.file)
    n = len(arts)
    t0 = time.perf_counter()
    docs = [(a.get("title") or "") + "\n" + (a.get("text") or "") for a in arts]
    if n:
        vec = TfidfVectorizer(stop_words="english", sublinear_tf=True)
        try:
            X = vec.fit_transform(docs).toarray()
        except ValueError:  # empty vocabulary: every article is its own event
            X = None
        labels = cluster(X, args.threshold) if X is not None else list(range(n))
    else:
        X, labels = None, []
    secs = time.perf_counter() - t0

    out = sys.stdout
    for a, l in zip(arts, labels):
        out.write(json.dumps({"id": a.get("id"), "event": f"e{l}"}) + "\n")
    out.flush()

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux
    print(json.dumps({
        "peer": PEER,
        "articles": n,
        "seconds": round(secs, 4),
        "articles_per_sec": round(n / secs, 1) if secs > 0 else None,
        "peak_rss_mb": round(rss_mb, 1),
        "threshold": args.threshold,
    }), file=sys.stderr)

    if args.gold:
        gold = [a.get("event") for a in arts]
        if any(g is None for g in gold):
            sys.exit("--gold: some articles have no event field")
        sweep = []
        for t in (float(s) for s in args.sweep.split(",") if s.strip()):
            pred = cluster(X, t) if X is not None else list(range(n))
            p, r, f = bcubed(pred, gold)
            sweep.append({"threshold": t, "clusters": len(set(pred)),
                          "bcubed_p": round(p, 4), "bcubed_r": round(r, 4),
                          "bcubed_f1": round(f, 4)})
        best = max(sweep, key=lambda s: s["bcubed_f1"]) if sweep else None
        print(json.dumps({
            "peer": PEER,
            "gold_events": len(set(gold)),
            "sweep": sweep,
            "best_threshold": best and best["threshold"],
            "best_bcubed_f1": best and best["bcubed_f1"],
            "note": "thresholds tuned on this (evaluation) file",
        }), file=sys.stderr)


if __name__ == "__main__":
    main()
