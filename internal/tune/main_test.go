// Package tune holds the parameter sweeps used to choose the engine defaults on ECB+.
// Run: TUNE_GOLD=../shared/data/ecbplus/ecbplus-dev.jsonl go test -tags tune -v -run Sweep ./internal/tune/
//go:build tune

package tune

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/cluster"
	"github.com/storyline/storyline/eval"
	"github.com/storyline/storyline/pipeline"
)

func floats(env string, def []float64) []float64 {
	v := os.Getenv(env)
	if v == "" {
		return def
	}
	var out []float64
	for _, f := range strings.Split(v, ",") {
		x, _ := strconv.ParseFloat(f, 64)
		out = append(out, x)
	}
	return out
}

func TestSweep(t *testing.T) {
	path := os.Getenv("TUNE_GOLD")
	if path == "" {
		t.Skip("TUNE_GOLD not set")
	}
	var arts []article.Article
	article.ReadPaths(context.Background(), []string{path}, article.Sink{
		Article: func(a article.Article) error { arts = append(arts, a); return nil },
		Reject:  func(article.Rejection) {},
	})
	gold := map[string]article.Article{}
	for _, a := range arts {
		gold[a.ID] = a
	}
	for _, st := range floats("ST", []float64{0.18}) {
		for _, th := range floats("TH", []float64{0.1, 0.15, 0.2, 0.25}) {
			for _, nw := range floats("NW", []float64{0.35}) {
				for _, lw := range floats("LW", []float64{1}) {
					o := cluster.DefaultOptions()
					o.SettleThreshold, o.SettleLocalPower, o.StoryThreshold, o.LocalWeight = th, nw, st, lw
					cp := append([]article.Article(nil), arts...)
					labels, _ := pipeline.ClusterAll(context.Background(), cp, o)
					g, p, ps, gt := []string{}, []string{}, []string{}, []string{}
					for _, l := range labels {
						g = append(g, gold[l.ID].Extra["event"])
						gt = append(gt, gold[l.ID].Extra["topic"])
						p = append(p, l.Event)
						ps = append(ps, l.Story)
					}
					s, _ := eval.ScoreClusters(g, p)
					sst, _ := eval.ScoreClusters(gt, ps)
					fmt.Printf("st=%.2f th=%.2f nw=%.2f lw=%.2f ev B3 P=%.3f R=%.3f F=%.4f n=%d | story/topic B3 P=%.3f R=%.3f F=%.4f n=%d\n", st, th, nw, lw, s.BCubed.P, s.BCubed.R, s.BCubed.F1, s.PredClusters, sst.BCubed.P, sst.BCubed.R, sst.BCubed.F1, sst.PredClusters)
				}
			}
		}
	}
}
