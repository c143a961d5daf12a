//go:build tune

package tune

import (
	"context"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/cluster"
	"github.com/storyline/storyline/eval"
	"github.com/storyline/storyline/pipeline"
	"github.com/storyline/storyline/text"
)

func TestLocal(t *testing.T) {
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
	topics := map[string][]int{}
	if os.Getenv("PRED") != "" {
		o := cluster.DefaultOptions()
		o.StoryThreshold = 0.06
		cp := append([]article.Article(nil), arts...)
		labels, _ := pipeline.ClusterAll(context.Background(), cp, o)
		pos := map[string]int{}
		for i, a := range an {
			pos[a.Article.ID] = i
		}
		for _, l := range labels {
			topics[l.Story] = append(topics[l.Story], pos[l.ID])
		}
	} else {
		for i, a := range an {
			topics[a.Article.Extra["topic"]] = append(topics[a.Article.Extra["topic"]], i)
		}
	}
	for _, alpha := range []float64{0.5, 0.75} {
		for _, th := range []float64{0.06, 0.08, 0.1, 0.12} {
			pred := make([]string, n)
			for tp, docs := range topics {
				ldf := map[text.Term]int{}
				for _, i := range docs {
					for _, x := range an[i].Analysis.Terms {
						ldf[x.Term]++
					}
					for _, x := range an[i].Analysis.Names {
						ldf[x.Term]++
					}
				}
				m := len(docs)
				vs := make([]map[text.Term]float64, m)
				for k, i := range docs {
					v := map[text.Term]float64{}
					s := 0.0
					for _, lst := range [][]text.Weighted{an[i].Analysis.Terms, an[i].Analysis.Names} {
						for _, x := range lst {
							w := (1 + math.Log(float64(x.W))) * (math.Log(float64(n+1)/float64(df[x.Term]+1)) + 1)
							loc := math.Pow(math.Log(float64(m+1)/float64(ldf[x.Term])), alpha)
							w *= loc
							v[x.Term] += w
							s += w * w
						}
					}
					for kk := range v {
						v[kk] /= math.Sqrt(s)
					}
					vs[k] = v
				}
				cl := make([][]int, m)
				for i := range cl {
					cl[i] = []int{i}
				}
				for {
					bi, bj, bs := -1, -1, th
					for i := range cl {
						if cl[i] == nil {
							continue
						}
						for j := i + 1; j < m; j++ {
							if cl[j] == nil {
								continue
							}
							s := 0.0
							for _, a := range cl[i] {
								for _, b := range cl[j] {
									s += dot(vs[a], vs[b])
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
				for ci, c := range cl {
					for _, d := range c {
						pred[docs[d]] = fmt.Sprint(tp, "-", ci)
					}
				}
			}
			g := make([]string, n)
			for i, a := range an {
				g[i] = a.Article.Extra["event"]
			}
			s, _ := eval.ScoreClusters(g, pred)
			fmt.Printf("local alpha=%.1f th=%.2f B3 P=%.3f R=%.3f F=%.4f n=%d\n", alpha, th, s.BCubed.P, s.BCubed.R, s.BCubed.F1, s.PredClusters)
		}
	}
}
