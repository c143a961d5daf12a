module github.com/storyline/storyline/bench/nerprose

go 1.26.8

require github.com/storyline/storyline v0.0.0

require (
	github.com/jdkato/prose/v3 v3.2.3 // indirect
	gopkg.in/neurosnap/sentences.v1 v1.0.6 // indirect
)

replace github.com/storyline/storyline => ../..
