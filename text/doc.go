// Package text holds storyline's language plumbing for English news:
// sentence splitting, word tokens with byte offsets, stop words, stemming
// to hashed term ids, and the Analyzer that turns an article into the
// weighted terms the clustering engine compares.
package text
