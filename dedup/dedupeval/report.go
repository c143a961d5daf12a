package dedupeval

import (
	"fmt"
	"io"
)

// WriteReport prints a Report for people.
func WriteReport(w io.Writer, r Report) error {
	o := r.Options
	_, err := fmt.Fprintf(w, `corpus: %d articles (mean %.0f bytes)
options: threshold %.2f, %d-word shingles, %d hashes = %d bands x %d rows, passages >= %d words, window %d
near-duplicate pairs: precision %.4f recall %.4f (tp %d, predicted %d, true %d; %d pairs within 0.1 of the threshold)
shared sentences: precision %.4f recall %.4f F1 %.4f (%d of %d sentences shared)
origin accuracy %.4f over %d passages; novelty MAE %.4f
speed: %.0f articles/s (Add, 1 goroutine); index %.0f bytes/article
`, r.Articles, r.MeanBytesText, r.Threshold, o.Shingle, o.NumHash, o.Bands, o.Rows, o.MinPassage, o.Window,
		r.Precision, r.Recall, r.PairTP, r.PredictedPairs, r.TruePairs, r.HardPairs,
		r.SentPrecision, r.SentRecall, r.SentenceF1, r.SharedSentences, r.Sentences,
		r.OriginAccuracy, r.Passages, r.NoveltyMAE, r.ArticlesPerSec, r.BytesPerArticle)
	return err
}
