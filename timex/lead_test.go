package timex

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestTagLead checks that tagging only the lead gives what tagging the
// whole text gives for the lead's sentences, whether the lead fits in the
// first prefix or not.
func TestTagLead(t *testing.T) {
	dct := time.Date(2022, 2, 7, 0, 0, 0, 0, time.UTC)
	short := "The presidents spoke on Sunday. They will meet on Monday. Talks began in March 2014. " +
		"A deal was signed on 3 May 2015. Officials met last week. The summit is set for next year. " +
		"It was first planned on 12 June."
	filler := strings.Repeat("The negotiators discussed the many details of the proposal at length ", 40)
	long := "The ministers met on Friday. " + filler + ". They agreed on Tuesday. A vote follows on 9 March. " +
		"Critics spoke on Thursday. The plan dates from 2019. Another round is due next month."
	for name, text := range map[string]string{"short": short, "long lead": long, "long tail": short + " " + filler + ". Then on 1 April 2022 it ended."} {
		t.Run(name, func(t *testing.T) {
			xs, sent, tenses := tagDetail(text, dct)
			var wx []Timex
			var ws []int
			var wt []int8
			for k := range xs {
				if sent[k] < leadSentences {
					wx, ws, wt = append(wx, xs[k]), append(ws, sent[k]), append(wt, tenses[k])
				}
			}
			gx, gs, gt := tagLead(text, dct, leadSentences)
			if !reflect.DeepEqual(gx, wx) || !reflect.DeepEqual(gs, ws) || !reflect.DeepEqual(gt, wt) {
				t.Fatalf("tagLead = %v %v %v\nwant %v %v %v", gx, gs, gt, wx, ws, wt)
			}
			if len(gx) == 0 {
				t.Fatal("no expressions found in the lead")
			}
		})
	}
}
