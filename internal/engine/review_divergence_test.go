package engine

import (
	"testing"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/vfs"
)

// TestReviewAcknowledgedWriteReplays: whatever CreateTable and Insert
// accept and acknowledge must replay, or one acknowledged write makes the
// server unable to restart. The decode checks added to replay
// (decodeSchema: PartitionBy > NONE; column decoder: more NULL-bitmap words
// than rows/64+1) are not applied on the write path.
func TestReviewAcknowledgedWriteReplays(t *testing.T) {
	t.Run("partition unit out of range", func(t *testing.T) {
		mem := vfs.NewMemFS()
		e, err := Open(testOptions(mem))
		if err != nil {
			t.Fatal(err)
		}
		s, err := model.NewSchema("odd", []model.Column{{Name: "ts", Type: model.TypeTimestamp}}, "", model.PartitionBy(7))
		if err != nil {
			t.Skipf("NewSchema rejects it: %v", err)
		}
		if err := e.CreateTable(s, false); err != nil {
			return // rejected on the write path: fine
		}
		must(t, e.Close())
		e2, err := Open(testOptions(mem))
		if err != nil {
			t.Fatalf("CREATE TABLE was acknowledged, restart fails: %v", err)
		}
		e2.Close()
	})
	t.Run("NULL bit past the last row", func(t *testing.T) {
		mem := vfs.NewMemFS()
		e, err := Open(testOptions(mem))
		if err != nil {
			t.Fatal(err)
		}
		must(t, e.CreateTable(tradesSchema(t, "trades"), false))
		b := tradeBatch(0, 10)
		b.Vectors[2].SetNull(3)
		b.Vectors[2].SetNull(200) // beyond the 10 rows; validate only looks at rows < 10
		if _, err := e.Insert("trades", b); err != nil {
			return // rejected on the write path: fine
		}
		must(t, e.Close())
		e2, err := Open(testOptions(mem))
		if err != nil {
			t.Fatalf("INSERT was acknowledged, restart fails: %v", err)
		}
		defer e2.Close()
		if n := len(volumes(t, e2, "trades")); n != 10 {
			t.Fatalf("%d rows after restart, want 10", n)
		}
	})
}
