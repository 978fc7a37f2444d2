package column

import "math/bits"

// Bitmap is a growable set of row positions. In a Vector a set bit marks a
// NULL, so a vector without NULLs needs no bitmap at all.
type Bitmap struct {
	words []uint64
}

// Set marks row i.
func (b *Bitmap) Set(i int) {
	w := i >> 6
	for w >= len(b.words) {
		b.words = append(b.words, 0)
	}
	b.words[w] |= 1 << (uint(i) & 63)
}

// Get reports whether row i is marked. A nil bitmap marks nothing.
func (b *Bitmap) Get(i int) bool {
	if b == nil {
		return false
	}
	w := i >> 6
	return w < len(b.words) && b.words[w]&(1<<(uint(i)&63)) != 0
}

// Count returns the number of marked rows below n.
func (b *Bitmap) Count(n int) int {
	if b == nil {
		return 0
	}
	c := 0
	for w, word := range b.words {
		if (w+1)*64 > n {
			if w*64 < n {
				c += bits.OnesCount64(word & (1<<(uint(n-w*64)) - 1))
			}
			break
		}
		c += bits.OnesCount64(word)
	}
	return c
}

// Any reports whether any row is marked.
func (b *Bitmap) Any() bool {
	if b == nil {
		return false
	}
	for _, w := range b.words {
		if w != 0 {
			return true
		}
	}
	return false
}

// Words exposes the backing words for encoders. Valid until the next Set.
func (b *Bitmap) Words() []uint64 { return b.words }

// BitmapFromWords wraps words; the bitmap owns them afterwards.
func BitmapFromWords(words []uint64) *Bitmap { return &Bitmap{words: words} }

// Clear unmarks row i. A nil bitmap has nothing to clear.
func (b *Bitmap) Clear(i int) {
	if b == nil {
		return
	}
	if w := i >> 6; w < len(b.words) {
		b.words[w] &^= 1 << (uint(i) & 63)
	}
}
