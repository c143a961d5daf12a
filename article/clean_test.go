package article

import (
	"os"
	"strings"
	"testing"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"untouched", "WASHINGTON (Reuters) - The Senate passed the bill.\nIt now goes to the House.",
			"WASHINGTON (Reuters) - The Senate passed the bill.\nIt now goes to the House."},
		{"credit line", "The Senate passed the bill.\nREUTERS / Kevin Lamarque\nIt now goes to the House.",
			"The Senate passed the bill.\nIt now goes to the House."},
		{"credit with file photo", "REUTERS/Kevin Lamarque/File Photo\nThe Senate passed the bill.",
			"The Senate passed the bill."},
		{"caption ending in credit", "FILE PHOTO: U.S. President Joe Biden speaks at the White House in Washington, U.S., March 3, 2024. REUTERS/Kevin Lamarque/File Photo\nThe Senate passed the bill.",
			"The Senate passed the bill."},
		{"name then agency", "Firefighters work near the fire on Tuesday. Noah Berger/AP\nThe fire grew overnight.",
			"The fire grew overnight."},
		{"ap photo parens", "(AP Photo/Evan Vucci)\nThe fire grew overnight.", "The fire grew overnight."},
		{"via getty", "Protesters gather in Paris. AFP via Getty Images\nThe strike continued.", "The strike continued."},
		{"credit glued before dateline", "REUTERS/Kevin Lamarque WASHINGTON (Reuters) - The Senate passed the bill.",
			"WASHINGTON (Reuters) - The Senate passed the bill."},
		{"poll is not a credit", "A Reuters/Ipsos poll found 40% support.\nReuters/Ipsos Poll Shows Tight Race",
			"A Reuters/Ipsos poll found 40% support.\nReuters/Ipsos Poll Shows Tight Race"},
		{"agency tail", "The minister said talks would resume on Monday. (With inputs from ANI)",
			"The minister said talks would resume on Monday."},
		{"agency tail own line", "The minister spoke.\n(With inputs from agencies)", "The minister spoke."},
		{"plain agency tail", "The minister spoke.\nWith inputs from PTI", "The minister spoke."},
		{"reuters tail", "The bill passed 52-48.\n(Reporting by Jane Doe in Washington; Editing by Mark Potter)",
			"The bill passed 52-48."},
		{"reuters tail plain", "The bill passed 52-48.\nReporting by Jane Doe in Washington; Editing by Mark Potter and Ann Poe",
			"The bill passed 52-48."},
		{"two tails", "He left. (Reporting by Jane Doe; Editing by Ann Poe) (With inputs from ANI)", "He left."},
		{"pti end tail", "The court will hear the case next week. (PTI)", "The court will hear the case next week."},
		{"also read", "The court ruled.\nAlso read: Five things to know about the ruling\nThe case began in 2019.",
			"The court ruled.\nThe case began in 2019."},
		{"also read pipe caps", "ALSO READ | Court ruling explained\nThe case began in 2019.", "The case began in 2019."},
		{"read more", "Read more: Why the court matters\nThe case began in 2019.", "The case began in 2019."},
		{"share buttons", "Share on Facebook Share on Twitter Email\nThe case began in 2019.", "The case began in 2019."},
		{"share pipes", "Facebook | Twitter | WhatsApp | Copy link\nThe case began in 2019.", "The case began in 2019."},
		{"advertisement", "The case began.\nADVERTISEMENT\nStory continues below advertisement\nIt ended.", "The case began.\nIt ended."},
		{"photo label", "Photo: Jane Doe for The Daily Herald\nThe case began.", "The case began."},
		{"bbc image source", "Image source, Getty Images\nImage caption, The judge arriving at court on Monday\nThe case began.", "The case began."},
		{"cookie", "We use cookies to improve your experience. By continuing you accept our policy.\nThe case began.", "The case began."},
		{"hyphenated label word kept", "Credit-card debt rose 4% in March.\nRead-outs of the call differ.\nPhotographers were barred.",
			"Credit-card debt rose 4% in March.\nRead-outs of the call differ.\nPhotographers were barred."},
		{"sentences starting like labels kept", "Related charges were filed on Friday against two men.\nWatch officials said the storm could strengthen.\nEditing by computers is now common at the paper.\nWith inputs from experts, the committee drafted the bill.",
			"Related charges were filed on Friday against two men.\nWatch officials said the storm could strengthen.\nEditing by computers is now common at the paper.\nWith inputs from experts, the committee drafted the bill."},
		{"long label paragraph kept", "Read more: " + strings.Repeat("the committee said it would study the proposal ", 8),
			"Read more: " + strings.Repeat("the committee said it would study the proposal ", 8)},
		{"share word in sentence kept", "Share prices fell on Twitter news.", "Share prices fell on Twitter news."},
		{"tail after a long paragraph", strings.Repeat("The committee said it would study the proposal. ", 20) + "(With inputs from ANI)",
			strings.TrimSpace(strings.Repeat("The committee said it would study the proposal. ", 20))},
		{"plain tail after a long paragraph", strings.Repeat("The committee said it would study the proposal. ", 20) + "With inputs from PTI",
			strings.TrimSpace(strings.Repeat("The committee said it would study the proposal. ", 20))},
		{"credit after a long caption-like paragraph kept", strings.Repeat("The committee said it would study the proposal. ", 20) + "REUTERS/Kevin Lamarque",
			strings.TrimSpace(strings.Repeat("The committee said it would study the proposal. ", 20))},
		{"byline", "By Owen Price · 3 October 2024\nBY JANE DOE AND JOHN ROE, Staff Writers\nThe strike ended.", "The strike ended."},
		{"by-sentences kept", "By Tuesday, the storm had passed.\nBy Ellen's account, the talks failed.\nBy Law, the council must vote.",
			"By Tuesday, the storm had passed.\nBy Ellen's account, the talks failed.\nBy Law, the council must vote."},
		{"blank lines kept", "A.\n\nB.", "A.\n\nB."},
		{"all debris", "Advertisement\nShare", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Clean(tc.in)
			if got != tc.want {
				t.Errorf("Clean(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
			if again := Clean(got); again != got {
				t.Errorf("not idempotent: %q -> %q", got, again)
			}
		})
	}
}

func BenchmarkClean(b *testing.B) {
	// A realistic mix: mostly news prose, a little debris.
	var sb strings.Builder
	prose := "The central bank held rates at 5.25% on Wednesday, saying inflation, while easing, remained too high for comfort, and signalled that cuts could come later in the year if data allowed."
	for sb.Len() < 1<<20 {
		for i := 0; i < 20; i++ {
			sb.WriteString(prose)
			sb.WriteByte('\n')
		}
		sb.WriteString("Also read: Rates explained\nREUTERS/Kevin Lamarque\nThe minister spoke. (With inputs from ANI)\nA 24/7 hotline was set up.\n")
	}
	text := sb.String()
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Clean(text)
	}
}

func FuzzClean(f *testing.F) {
	f.Add("REUTERS/Kevin Lamarque\nThe Senate passed the bill. (With inputs from ANI)")
	f.Add("Also read: x\n\nShare on Facebook\nCredit-card")
	if b, err := os.ReadFile("testdata/html/herald.html"); err == nil {
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Clean(s)
		if len(got) > len(s) {
			t.Fatalf("Clean grew the text: %q -> %q", s, got)
		}
		if again := Clean(got); again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, got, again)
		}
	})
}
