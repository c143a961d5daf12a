package text

import (
	"unicode"
	"unicode/utf8"
)

// stopWords are English function words plus reporting verbs so common in
// news that they carry no topic ("said", "told").
var stopWords = map[string]bool{}

func init() {
	for _, w := range stopList {
		stopWords[w] = true
	}
}

// IsStopWord reports whether the lower-case word w is a stop word.
func IsStopWord(w string) bool { return stopWords[w] }

func appendRuneLower(dst []byte, r rune) []byte {
	return utf8.AppendRune(dst, unicode.ToLower(r))
}

var stopList = []string{
	"a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "aren't",
	"as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can",
	"can't", "cannot", "could", "couldn't", "did", "didn't", "do", "does", "doesn't", "doing", "don't", "down",
	"during", "each", "few", "for", "from", "further", "had", "hadn't", "has", "hasn't", "have", "haven't",
	"having", "he", "he'd", "he'll", "he's", "her", "here", "here's", "hers", "herself", "him", "himself", "his",
	"how", "how's", "i", "i'd", "i'll", "i'm", "i've", "if", "in", "into", "is", "isn't", "it", "it's", "its",
	"itself", "let's", "me", "more", "most", "mustn't", "my", "myself", "no", "nor", "not", "of", "off", "on",
	"once", "only", "or", "other", "ought", "our", "ours", "ourselves", "out", "over", "own", "same", "shan't",
	"she", "she'd", "she'll", "she's", "should", "shouldn't", "so", "some", "such", "than", "that", "that's",
	"the", "their", "theirs", "them", "themselves", "then", "there", "there's", "these", "they", "they'd",
	"they'll", "they're", "they've", "this", "those", "through", "to", "too", "under", "until", "up", "very",
	"was", "wasn't", "we", "we'd", "we'll", "we're", "we've", "were", "weren't", "what", "what's", "when",
	"when's", "where", "where's", "which", "while", "who", "who's", "whom", "why", "why's", "will", "with",
	"won't", "would", "wouldn't", "you", "you'd", "you'll", "you're", "you've", "your", "yours", "yourself",
	"yourselves", "said", "says", "say", "told", "tell", "according", "just", "now", "new", "one", "two",
	"may", "might", "must", "shall", "us", "yet", "still", "even", "much", "many", "well", "back", "get",
	"got", "like", "last", "first", "since", "among", "around", "however", "would", "within", "without",
	"per", "via", "mr", "mrs", "ms", "dr", "s", "t", "year", "years", "week", "day", "days", "time",
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday",
	"tomorrow", "ago", "later", "earlier", "will", "here", "there", "make", "made", "take", "took",
	"go", "going", "went", "come", "came", "want", "see", "know", "think", "people", "way", "including",
	"told", "report", "reported", "reports", "news", "statement", "added", "asked", "says", "saying",
	"percent", "three", "four", "five", "next", "early", "late", "whether", "though", "although", "told",
}
