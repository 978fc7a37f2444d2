package exec

import (
	"math/rand"
	"sort"
	"testing"
)

// TestGallopMatchesBinarySearch checks the hinted search against
// sort.Search for every hint, on sorted data with long runs of equal
// values.
func TestGallopMatchesBinarySearch(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for round := 0; round < 200; round++ {
		ts := make([]int64, rng.Intn(40))
		for i := range ts {
			ts[i] = int64(rng.Intn(15))
		}
		sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
		for probe := int64(-1); probe <= 16; probe++ {
			after := func(v int64) bool { return v > probe }
			want := sort.Search(len(ts), func(i int) bool { return after(ts[i]) })
			for hint := -1; hint <= len(ts)+1; hint++ {
				if got := gallop(ts, hint, after); got != want {
					t.Fatalf("ts %v probe %d hint %d: got %d want %d", ts, probe, hint, got, want)
				}
			}
		}
	}
}
