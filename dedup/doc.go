// Package dedup finds exact copies, near-duplicates and reused passages
// among news articles.
//
// Every article is reduced to a sequence of word tokens (maximal runs of
// letters and digits, lower-cased), each kept as a 16-bit hash together with
// its byte offset. From that sequence the index derives:
//
//   - an exact hash of the normalized text (exact copies);
//   - a one-permutation MinHash signature with optimal densification over
//     word shingles (Options.Shingle words), indexed by LSH bands whose
//     row/band counts are chosen from Options.Threshold (near copies);
//     candidates whose estimate is too close to the threshold to decide are
//     verified with the exact shingle Jaccard computed from the stored tokens;
//   - winnowed fingerprints of 8-word shingles (passage candidates), after
//     which a candidate pair is aligned word by word to find every shared run
//     of at least Options.MinPassage words, attributed to its origin: the
//     earliest published article holding it.
//
// The index keeps per article only its tokens, word offsets, signature and
// hash-table slots (see Index.Stats); it can be persisted per article with
// Index.Entry and rebuilt with Index.AddEntry without the text.
package dedup
