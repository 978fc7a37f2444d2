package rdb

import (
	"reflect"
	"testing"

	"github.com/zeptodb/zeptodb/internal/column"
	"github.com/zeptodb/zeptodb/internal/model"
)

func TestExportSortedAndLoadBack(t *testing.T) {
	tbl := NewTable(tradesSchema(t), Options{ChunkRows: 2048})
	b := batch([]int64{30, 10, 20, 15, 5}, []string{"B", "A", "B", "A", "C"}, []float64{3, 1, 2, 1.5, 0.5}, []int64{3, 1, 2, 15, 5})
	b.Vectors[1].SetNull(4) // the C row's symbol is NULL
	b.Vectors[2].SetNull(2)
	tbl.Append(b)
	if dir, clean := tbl.Partition(0).SealedDir(); dir != "" || clean {
		t.Fatal("a new partition says it is sealed")
	}
	exp, _ := tbl.Export(0, true)
	if len(exp) != 3 || !exp[0].Null || exp[1].Symbol != "A" || exp[2].Symbol != "B" {
		t.Fatalf("series order: %+v", exp)
	}
	if got := exp[2].Rows.Vectors[0].Int64; !reflect.DeepEqual(got, []int64{20, 30}) || !exp[2].Rows.Vectors[2].IsNull(0) {
		t.Fatalf("B sorted by ts: %v, price NULL moved with its row: %v", got, exp[2].Rows.Vectors[2].IsNull(0))
	}
	unsorted, _ := tbl.Export(0, false)
	if got := unsorted[2].Rows.Vectors[0].Int64; !reflect.DeepEqual(got, []int64{30, 20}) {
		t.Fatalf("B in position order: %v", got)
	}

	fresh := NewTable(tradesSchema(t), Options{})
	fresh.LoadPartition(0, exp, "hdb/trades/p0", nil)
	if fresh.Rows() != 5 {
		t.Fatalf("rows %d", fresh.Rows())
	}
	if dir, clean := fresh.Partition(0).SealedDir(); dir != "hdb/trades/p0" || !clean {
		t.Fatalf("sealed dir %q clean %v", dir, clean)
	}
	if again, _ := fresh.Export(0, false); !reflect.DeepEqual(again, exp) {
		t.Fatal("loaded partition exports differently")
	}
	// Replacing a partition in place, and a late row making it dirty.
	fresh.LoadPartition(0, exp[1:2], "hdb/trades/p0-2", nil)
	if fresh.Rows() != 2 {
		t.Fatalf("rows after replace %d", fresh.Rows())
	}
	fresh.Append(batch([]int64{1}, []string{"A"}, []float64{9}, []int64{9}))
	if _, clean := fresh.Partition(0).SealedDir(); clean {
		t.Fatal("a late row left the partition clean")
	}
}

func TestExportWithoutDesignatedSymbol(t *testing.T) {
	s, _ := model.NewSchema("m", []model.Column{{Name: "ts", Type: model.TypeTimestamp}, {Name: "v", Type: model.TypeInt64}}, "", model.PartitionDay)
	tbl := NewTable(s, Options{})
	tbl.Append(&column.Batch{Vectors: []*column.Vector{{Type: model.TypeTimestamp, Int64: []int64{2, 1}}, {Type: model.TypeInt64, Int64: []int64{20, 10}}}})
	exp, _ := tbl.Export(0, true)
	if len(exp) != 1 || exp[0].Null || exp[0].Symbol != "" || !reflect.DeepEqual(exp[0].Rows.Vectors[1].Int64, []int64{10, 20}) {
		t.Fatalf("%+v", exp)
	}
}
