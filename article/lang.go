package article

import (
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"
)

// MinLangLetters is the fewest letters DetectLang needs before it names a
// language; shorter texts give ("", 0).
const MinLangLetters = 40

// langSampleBytes bounds how much of a text DetectLang reads: trigram
// statistics settle well before 4 KB, and long articles stay cheap.
const langSampleBytes = 4096

// DetectLang returns an ISO 639-1 code and a confidence in [0,1]; ("", 0)
// when the text is too short to tell. It reads at most the first 4 KB.
func DetectLang(text string) (lang string, confidence float64) {
	if len(text) > langSampleBytes {
		cut := langSampleBytes
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	letters := 0
	for _, r := range text {
		if unicode.IsLetter(r) {
			letters++
			if letters >= MinLangLetters {
				break
			}
		}
	}
	if letters < MinLangLetters {
		return "", 0
	}
	info := whatlanggo.Detect(text)
	if info.Lang < 0 {
		return "", 0
	}
	code := info.Lang.Iso6391()
	if code == "" {
		// A language with no two-letter code: report the three-letter one.
		code = info.Lang.Iso6393()
	}
	c := info.Confidence
	if c < 0 {
		c = 0
	} else if c > 1 {
		c = 1
	}
	return code, c
}

// Identify sets a.Lang (when empty) from the title and text and records
// the confidence in a.Extra["lang_confidence"]. An article whose language
// cannot be told keeps Lang empty.
func Identify(a *Article) {
	if a.Lang != "" {
		return
	}
	sample := a.Text
	if a.Title != "" {
		sample = a.Title + "\n" + a.Text
	}
	lang, conf := DetectLang(sample)
	if lang == "" {
		return
	}
	a.Lang = lang
	if a.Extra == nil {
		a.Extra = map[string]string{}
	}
	a.Extra["lang_confidence"] = strconv.FormatFloat(conf, 'f', 2, 64)
}

// IsEnglish reports whether a should go to the English-only stages: its
// language is English or unknown (too short to tell).
func IsEnglish(a *Article) bool { return a.Lang == "" || a.Lang == "en" }
