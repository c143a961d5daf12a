#!/usr/bin/env python3
"""Wrap the articles of a JSONL file (id, title, text, published, source) in
heavy news-page HTML (scripts, styles, a long menu, ads, related cards,
comments: ~100 KB per page, like the page in article/bench_readers_test.go)
and write them as one uncompressed WARC of HTTP response records, for
measuring `storyline ingest` of pages end to end.

Usage: bench/pages_warc.py IN.jsonl OUT.warc [N]
"""
import html
import json
import sys
import uuid


def page(a, i):
    out = ['<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
           '<title>%s | %s</title>' % (html.escape(a.get("title", "")), html.escape(a.get("source", "Site"))),
           '<meta property="og:site_name" content="%s">' % html.escape(a.get("source", "Site")),
           '<link rel="canonical" href="https://site.example/story/%d/">' % i,
           '<script type="application/ld+json">%s</script>' % json.dumps(
               {"@type": "NewsArticle", "headline": a.get("title", ""), "datePublished": a.get("published", "")})]
    for k in range(20):
        out.append("<script>var config%d = {a:1,b:[1,2,3],c:'%s'};</script>" % (k, "x" * 2000))
        out.append("<style>.c%d{color:red;margin:0 auto;%s}</style>" % (k, "padding:1px;" * 100))
    out.append('</head><body><header><nav><ul>')
    for k in range(300):
        out.append('<li class="menu-item"><a href="/section/%d">Section %d</a></li>' % (k, k))
    out.append('</ul></nav></header><div class="wrap"><main><article><h1>%s</h1><div class="article-body">'
               % html.escape(a.get("title", "")))
    for k, para in enumerate(a.get("text", "").split("\n")):
        if para.strip():
            out.append("<p>%s</p>" % html.escape(para))
        if k % 2 == 1:
            out.append('<div class="ad-slot"><span>Advertisement</span></div>')
    out.append('</div></article><section class="related">')
    for k in range(60):
        out.append('<div class="card"><a href="/story/%d"><img src="/i.jpg"><h3>Another story headline that is '
                   'fairly long %d</h3></a><p>A short teaser for the story, one line long.</p></div>' % (k, k))
    out.append('</section><section class="comments">')
    for k in range(40):
        out.append('<div class="comment"><b>user%d</b><p>I think this is a waste of money, and the government '
                   'should have spent it on schools, hospitals and the railway instead.</p></div>' % k)
    out.append('</section></main></div><footer>%s</footer></body></html>' % ('<a href="/x">Footer link</a> ' * 100))
    return "".join(out).encode()


def main():
    src, dst = sys.argv[1], sys.argv[2]
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
    n = 0
    with open(src) as f, open(dst, "wb") as w:
        for line in f:
            if limit is not None and n >= limit:
                break
            a = json.loads(line)
            body = page(a, n)
            http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(body) + body
            head = ("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://site.example/story/%d/\r\n"
                    "WARC-Date: 2024-03-14T09:00:00Z\r\nWARC-Record-ID: <urn:uuid:%s>\r\n"
                    "Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n"
                    % (n, uuid.uuid4(), len(http))).encode()
            w.write(head + http + b"\r\n\r\n")
            n += 1
    print("%d pages written to %s" % (n, dst), file=sys.stderr)


if __name__ == "__main__":
    main()
