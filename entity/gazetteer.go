package entity

import (
	_ "embed"
	"strings"
)

//go:embed gazetteer.txt
var gazetteerText string

const handFirst = nTypes // bit index of given names in the hand gazetteer

// handGazetteer parses gazetteer.txt into phrase hashes → type bits.
func handGazetteer() map[uint64]uint8 {
	out := map[uint64]uint8{}
	for _, line := range strings.Split(gazetteerText, "\n") {
		tag, names, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok || strings.HasPrefix(tag, "#") {
			continue
		}
		bit := handFirst
		if tag != "FIRST" {
			if bit = typeIndex(tag); bit < 0 {
				continue
			}
		}
		for _, name := range strings.Split(names, "|") {
			toks, _ := Tokenize(name, nil, nil)
			if len(toks) == 0 || len(toks) > maxGazLen {
				continue
			}
			h := uint64(0)
			for k, sp := range toks {
				h = phraseHash(h, hashLower(name[sp.Start:sp.End]))
				if k < len(toks)-1 {
					out[h] |= gazPrefix
				}
			}
			out[h] |= 1 << bit
		}
	}
	return out
}
