package column

// Batch is a set of equally long vectors: the unit that ingest decodes,
// the WAL carries and storage appends.
type Batch struct {
	Vectors []*Vector
}

// Len returns the number of rows, 0 for a batch without vectors.
func (b *Batch) Len() int {
	if len(b.Vectors) == 0 {
		return 0
	}
	return b.Vectors[0].Len()
}
