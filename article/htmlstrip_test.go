package article

import (
	"testing"
	"time"
)

func TestStripBoilerplate(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"script and style", `<p>a</p><SCRIPT type="text/javascript">var x = "<p>no</p>";</SCRIPT><style>p{}</style><p>b</p>`,
			`<p>a</p><SCRIPT type="text/javascript"></SCRIPT><style></style><p>b</p>`},
		{"json-ld kept", `<script type="application/ld+json">{"a":1}</script>`, `<script type="application/ld+json">{"a":1}</script>`},
		{"nested nav", `<nav><ul><li><nav>x</nav></li></ul></nav><p>story</p>`, `<nav></nav><p>story</p>`},
		{"self-closing svg", `<svg/><p>story</p><svg><path d="M0"/></svg>`, `<svg/><p>story</p><svg></svg>`},
		{"comment hides a tag", `<!-- <footer> old --><p>story</p><footer>f</footer>`, `<!-- <footer> old --><p>story</p><footer></footer>`},
		{"unclosed nav before the story", `<nav><a>Home</a><article><h1>T</h1><p>story</p></article></nav>`,
			`<nav><a>Home</a><article><h1>T</h1><p>story</p></article></nav>`},
		{"unclosed script", `<p>a</p><script>var x`, `<p>a</p><script>var x`},
		{"navigation word is not nav", `<navigation>x</navigation>`, `<navigation>x</navigation>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(stripBoilerplate([]byte(tc.in))); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestStripKeepsExtraction: extraction with and without the pre-pass
// gives the same page on every test page and on the heavy bench page.
func TestStripKeepsExtraction(t *testing.T) {
	pages := map[string][]byte{"heavy": heavyPage(1), "news": newsPage(1, true)}
	for _, tc := range htmlCases {
		pages[tc.file] = readTestPage(t, tc.file)
	}
	if h := heavyPage(1); len(stripBoilerplate(h)) > len(h)/2 {
		t.Errorf("heavy page: only %d of %d bytes stripped", len(h)-len(stripBoilerplate(h)), len(h))
	}
	for name, page := range pages {
		with, err1 := extractHTML(page, "", true)
		without, err2 := extractHTML(page, "", false)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		_, o1 := with.Published.Zone()
		_, o2 := without.Published.Zone()
		same := with.Published.Equal(without.Published) && o1 == o2
		with.Published, without.Published = time.Time{}, time.Time{}
		if !same || with != without {
			t.Errorf("%s: pre-pass changed the result:\n with    %+v\n without %+v", name, with, without)
		}
	}
}
