//go:build tune

package tune

import (
	"context"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/eval"
	"github.com/storyline/storyline/pipeline"
	"github.com/storyline/storyline/text"
)

func vec(df map[text.Term]int, n int, raw []text.Weighted) map[text.Term]float64 {
	m := map[text.Term]float64{}
	s := 0.0
	for _, x := range raw {
		w := (1 + math.Log(float64(x.W))) * (math.Log(float64(n+1)/float64(df[x.Term]+1)) + 1)
		if x.W < 1 {
			w = float64(x.W)
		}
		m[x.Term] = w
		s += w * w
	}
	for k := range m {
		m[k] /= math.Sqrt(s)
	}
	return m
}
func dot(a, b map[text.Term]float64) float64 {
	s := 0.0
	for k, v := range a {
		s += v * b[k]
	}
	return s
}

func TestAgglo(t *testing.T) {
	path := os.Getenv("TUNE_GOLD")
	if path == "" {
		t.Skip()
	}
	var arts []article.Article
	article.ReadPaths(context.Background(), []string{path}, article.Sink{
		Article: func(a article.Article) error { arts = append(arts, a); return nil },
		Reject:  func(article.Rejection) {},
	})
	an := pipeline.AnalyzeAll(context.Background(), arts, 2, nil)
	df := map[text.Term]int{}
	for _, a := range an {
		for _, x := range a.Analysis.Terms {
			df[x.Term]++
		}
		for _, x := range a.Analysis.Names {
			df[x.Term]++
		}
	}
	n := len(an)
	tv := make([]map[text.Term]float64, n)
	nv := make([]map[text.Term]float64, n)
	for i, a := range an {
		tv[i] = vec(df, n, a.Analysis.Terms)
		nv[i] = vec(df, n, a.Analysis.Names)
	}
	for _, nw := range []float64{0, 0.35} {
		sim := make([][]float64, n)
		for i := range sim {
			sim[i] = make([]float64, n)
			for j := range sim[i] {
				sim[i][j] = (1-nw)*dot(tv[i], tv[j]) + nw*dot(nv[i], nv[j])
			}
		}
		for _, th := range []float64{0.08, 0.1, 0.12, 0.15, 0.2} {
			// average linkage
			cl := make([][]int, n)
			for i := range cl {
				cl[i] = []int{i}
			}
			for {
				bi, bj, bs := -1, -1, th
				for i := range cl {
					if cl[i] == nil {
						continue
					}
					for j := i + 1; j < n; j++ {
						if cl[j] == nil {
							continue
						}
						s := 0.0
						for _, a := range cl[i] {
							for _, b := range cl[j] {
								s += sim[a][b]
							}
						}
						s /= float64(len(cl[i]) * len(cl[j]))
						if s > bs {
							bi, bj, bs = i, j, s
						}
					}
				}
				if bi < 0 {
					break
				}
				cl[bi] = append(cl[bi], cl[bj]...)
				cl[bj] = nil
			}
			pred := make([]string, n)
			for i, c := range cl {
				for _, d := range c {
					pred[d] = fmt.Sprint(i)
				}
			}
			g := make([]string, n)
			for i, a := range an {
				g[i] = a.Article.Extra["event"]
			}
			s, _ := eval.ScoreClusters(g, pred)
			fmt.Printf("agglo nw=%.2f th=%.2f B3 P=%.3f R=%.3f F=%.4f n=%d\n", nw, th, s.BCubed.P, s.BCubed.R, s.BCubed.F1, s.PredClusters)
		}
	}
}
