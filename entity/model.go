package entity

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"
	"sync"
)

// Model is a trained greedy BILOU tagger: hashed feature weights quantized
// to int16, plus the hashed lexicon (gazetteers, truecase classes, word
// clusters) its features read.
type Model struct {
	bits  uint8
	scale float32 // weight = w16 / scale
	// rows maps each of the 1<<bits hashed feature rows to its row in
	// dense (0 = the all-zero row): most rows are never used, and the
	// dense table stays small enough for the CPU cache.
	rows  rankIndex
	dense []int16 // rows of nLabels weights; row 0 is zero
	lex   lexicon
	// pairs holds the scores of the previous-label features by label
	// pair (see labelPairs).
	pairsOnce sync.Once
	pairs     *[nLabels][nLabels][nLabels]int32
	// gazF and handF filter the gazetteer lookups (see hashFilter).
	filterOnce  sync.Once
	gazF, handF hashFilter
}

// rankIndex maps hashed feature rows to dense rows: a bit per feature
// row, set for the non-zero ones, which are numbered in order from 1.
// A block holds 64 bits and the number of set bits before it, so a
// lookup is one load and a popcount; at 20 bits the index takes 256 KiB
// (a []uint32 took 4 MiB, and most of its lookups missed the cache).
type rankIndex []rankBlock

type rankBlock struct {
	set  uint64
	base uint32 // 1 + the number of set bits in the blocks before
	_    uint32
}

// newRankIndex returns an index of n feature rows, none set.
func newRankIndex(n int) rankIndex { return make(rankIndex, (n+63)/64) }

// set marks feature row r non-zero; rows must be set in increasing
// order, and finish called after the last.
func (x rankIndex) set(r uint32) { x[r>>6].set |= 1 << (r & 63) }

// finish numbers the set rows.
func (x rankIndex) finish() {
	n := uint32(1)
	for i := range x {
		x[i].base = n
		n += uint32(bits.OnesCount64(x[i].set))
	}
}

// row returns the dense row of feature row f (0: none).
func (x rankIndex) row(f uint32) uint32 {
	b := &x[f>>6]
	bit := uint64(1) << (f & 63)
	if b.set&bit == 0 {
		return 0
	}
	return b.base + uint32(bits.OnesCount64(b.set&(bit-1)))
}

// each calls fn with every set feature row and its dense row, in order.
func (x rankIndex) each(fn func(r, d uint32)) {
	for i, b := range x {
		d := b.base
		for s := b.set; s != 0; s &= s - 1 {
			fn(uint32(i)<<6|uint32(bits.TrailingZeros64(s)), d)
			d++
		}
	}
}

const modelMagic = "SLNER\x03"

// newFeaturizer returns a featurizer over the model's lexicon.
func (m *Model) newFeaturizer() *featurizer {
	m.filterOnce.Do(func() {
		m.gazF, m.handF = newHashFilter(m.lex.gaz), newHashFilter(m.lex.hand)
	})
	return &featurizer{lex: &m.lex, mask: 1<<m.bits - 1, gazF: m.gazF, handF: m.handF}
}

// score sets s to the summed weights of feats.
func (m *Model) score(feats []uint32, s *[nLabels]int32) {
	*s = [nLabels]int32{}
	m.addScore(feats, s)
}

// addScore adds the weights of feats to s.
func (m *Model) addScore(feats []uint32, s *[nLabels]int32) {
	a := *s
	idx, w := m.rows, m.dense
	// Look all rows up first: the loads are independent, so the CPU
	// overlaps their cache misses. Rows are kept without a branch (a
	// feature of no row is written, then overwritten), as whether a
	// feature has a row is not predictable.
	var buf [160]uint32
	rows := buf[:]
	if len(feats) > len(rows) {
		rows = make([]uint32, len(feats))
	}
	n := 0
	for _, f := range feats {
		b := &idx[f>>6]
		bit := uint64(1) << (f & 63)
		rows[n] = b.base + uint32(bits.OnesCount64(b.set&(bit-1)))
		n += int((b.set >> (f & 63)) & 1)
	}
	rows = rows[:n]
	// Then the first and last weight of every row (the one or two cache
	// lines it spans): a short loop of independent loads, so that many
	// misses are under way at once, where the full rows below would
	// fill the CPU's window after a few.
	for _, r32 := range rows {
		r := int(r32)
		row := (*[nLabels]int16)(w[r*nLabels : r*nLabels+nLabels])
		a[0] += int32(row[0])
		a[16] += int32(row[16])
	}
	for _, r32 := range rows {
		r := int(r32)
		row := (*[nLabels]int16)(w[r*nLabels : r*nLabels+nLabels])
		a[1] += int32(row[1])
		a[2] += int32(row[2])
		a[3] += int32(row[3])
		a[4] += int32(row[4])
		a[5] += int32(row[5])
		a[6] += int32(row[6])
		a[7] += int32(row[7])
		a[8] += int32(row[8])
		a[9] += int32(row[9])
		a[10] += int32(row[10])
		a[11] += int32(row[11])
		a[12] += int32(row[12])
		a[13] += int32(row[13])
		a[14] += int32(row[14])
		a[15] += int32(row[15])
	}
	*s = a
}

// quantize builds a model from float weights.
func quantize(bits uint8, w []float32, lex lexicon) *Model {
	var mx float32
	for _, x := range w {
		if a := float32(math.Abs(float64(x))); a > mx {
			mx = a
		}
	}
	scale := float32(1)
	if mx > 0 {
		scale = 32767 / mx
	}
	m := &Model{bits: bits, scale: scale, lex: lex, rows: newRankIndex(1 << bits), dense: make([]int16, nLabels)}
	var row [nLabels]int16
	for r := range 1 << bits {
		nz := false
		for l := range nLabels {
			row[l] = int16(math.Round(float64(w[r*nLabels+l] * scale)))
			nz = nz || row[l] != 0
		}
		if nz {
			m.rows.set(uint32(r))
			m.dense = append(m.dense, row[:]...)
		}
	}
	m.rows.finish()
	return m
}

// WriteTo writes the model in its compact gzip-compressed binary form:
// only non-zero weight rows are stored.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	zw, err := gzip.NewWriterLevel(cw, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriter(zw)
	le := binary.LittleEndian
	var buf []byte
	buf = append(buf, modelMagic...)
	buf = append(buf, m.bits, nLabels)
	buf = le.AppendUint32(buf, math.Float32bits(m.scale))
	var nz, dz []uint32
	m.rows.each(func(r, d uint32) {
		nz = append(nz, r)
		dz = append(dz, d)
	})
	buf = le.AppendUint32(buf, uint32(len(nz)))
	bw.Write(buf)
	// row indices as deltas, then the rows
	prev := uint32(0)
	for _, r := range nz {
		buf = binary.AppendUvarint(buf[:0], uint64(r-prev))
		prev = r
		bw.Write(buf)
	}
	for _, d32 := range dz {
		buf = buf[:0]
		d := int(d32)
		for _, x := range m.dense[d*nLabels : (d+1)*nLabels] {
			buf = le.AppendUint16(buf, uint16(x))
		}
		bw.Write(buf)
	}
	writeMap8 := func(mp map[uint64]uint8) {
		keys := sortedKeys(mp)
		buf = le.AppendUint32(buf[:0], uint32(len(keys)))
		bw.Write(buf)
		for _, k := range keys {
			buf = le.AppendUint64(buf[:0], k)
			buf = append(buf, mp[k])
			bw.Write(buf)
		}
	}
	writeMap8(m.lex.gaz)
	writeMap8(m.lex.tc)
	writeMap8(m.lex.hand)
	keys := sortedKeys(m.lex.clusters)
	buf = le.AppendUint32(buf[:0], uint32(len(keys)))
	bw.Write(buf)
	for _, k := range keys {
		buf = le.AppendUint64(buf[:0], k)
		buf = le.AppendUint32(buf, m.lex.clusters[k])
		bw.Write(buf)
	}
	if err := bw.Flush(); err != nil {
		return cw.n, fmt.Errorf("entity: write model: %w", err)
	}
	if err := zw.Close(); err != nil {
		return cw.n, fmt.Errorf("entity: write model: %w", err)
	}
	return cw.n, nil
}

func sortedKeys[V any](m map[uint64]V) []uint64 {
	keys := make([]uint64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// ReadModel reads a model written by WriteTo.
func ReadModel(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("entity: read model: %w", err)
	}
	br := bufio.NewReaderSize(zr, 1<<16)
	m, err := readModel(br)
	if err != nil {
		return nil, fmt.Errorf("entity: read model: %w", err)
	}
	return m, nil
}

func readModel(br *bufio.Reader) (*Model, error) {
	le := binary.LittleEndian
	head := make([]byte, len(modelMagic)+2+4+4)
	if _, err := io.ReadFull(br, head); err != nil {
		return nil, err
	}
	if string(head[:len(modelMagic)]) != modelMagic {
		return nil, errors.New("not a storyline NER model")
	}
	p := head[len(modelMagic):]
	m := &Model{bits: p[0]}
	if p[1] != nLabels || m.bits < 8 || m.bits > 24 {
		return nil, fmt.Errorf("bad header (bits %d, labels %d)", p[0], p[1])
	}
	m.scale = math.Float32frombits(le.Uint32(p[2:]))
	nz := le.Uint32(p[6:])
	rows := uint32(1) << m.bits
	if nz > rows {
		return nil, fmt.Errorf("%d rows > %d", nz, rows)
	}
	idx := make([]uint32, nz)
	cur := uint64(0)
	for i := range idx {
		d, err := binary.ReadUvarint(br)
		if err != nil {
			return nil, err
		}
		cur += d
		if cur >= uint64(rows) {
			return nil, errors.New("row index out of range")
		}
		idx[i] = uint32(cur)
	}
	m.rows = newRankIndex(int(rows))
	m.dense = make([]int16, (len(idx)+1)*nLabels)
	row := make([]byte, 2*nLabels)
	for i, r := range idx {
		if _, err := io.ReadFull(br, row); err != nil {
			return nil, err
		}
		if i > 0 && r <= idx[i-1] {
			return nil, errors.New("row indices not increasing")
		}
		m.rows.set(r)
		dst := m.dense[(i+1)*nLabels:]
		for l := range nLabels {
			dst[l] = int16(le.Uint16(row[2*l:]))
		}
	}
	m.rows.finish()
	var err error
	if m.lex.gaz, err = readMap8(br); err != nil {
		return nil, err
	}
	if m.lex.tc, err = readMap8(br); err != nil {
		return nil, err
	}
	if m.lex.hand, err = readMap8(br); err != nil {
		return nil, err
	}
	var b [12]byte
	if _, err := io.ReadFull(br, b[:4]); err != nil {
		return nil, err
	}
	n := le.Uint32(b[:4])
	if n > 1<<24 {
		return nil, errors.New("cluster table too large")
	}
	m.lex.clusters = make(map[uint64]uint32, n)
	for range n {
		if _, err := io.ReadFull(br, b[:12]); err != nil {
			return nil, err
		}
		m.lex.clusters[le.Uint64(b[:8])] = le.Uint32(b[8:])
	}
	return m, nil
}

func readMap8(br *bufio.Reader) (map[uint64]uint8, error) {
	var b [9]byte
	if _, err := io.ReadFull(br, b[:4]); err != nil {
		return nil, err
	}
	n := binary.LittleEndian.Uint32(b[:4])
	if n > 1<<24 {
		return nil, errors.New("table too large")
	}
	m := make(map[uint64]uint8, n)
	for range n {
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return nil, err
		}
		m[binary.LittleEndian.Uint64(b[:8])] = b[8]
	}
	return m, nil
}
