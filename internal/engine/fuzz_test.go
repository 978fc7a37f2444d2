package engine

import (
	"log/slog"
	"testing"

	"github.com/zeptodb/zeptodb/internal/model"
	"github.com/zeptodb/zeptodb/internal/rdb"
	"github.com/zeptodb/zeptodb/internal/vfs"
	"github.com/zeptodb/zeptodb/internal/wal"
)

// FuzzReplayRecord decodes arbitrary WAL payloads of every record type as
// recovery would. Decoding must fail cleanly or yield a record that
// replays; it must never panic.
func FuzzReplayRecord(f *testing.F) {
	s, _ := model.NewSchema("trades", []model.Column{
		{Name: "ts", Type: model.TypeTimestamp}, {Name: "symbol", Type: model.TypeSymbol},
		{Name: "price", Type: model.TypeFloat64}, {Name: "volume", Type: model.TypeInt64},
	}, "ts", model.PartitionHour)
	f.Add(recCreateTable, encodeSchema(s))
	f.Add(recDropTable, appendString(nil, "trades"))
	f.Add(recInsert, encodeInsert(nil, "trades", tradeBatch(0, 5)))
	f.Add(recDelete, []byte("\x06trades\x01\x00\x02\x02S0\x01\x00\x01"))
	f.Add(recUpdate, []byte("\x06trades\x01\x00\x02\x02S0\x01\x00\x01\x01\x02"))
	f.Add(recAlter, encodeAlter("trades", s, []int{0, 1, 2, 3}))
	f.Add(recSetTTL, encodeTTL("trades", TTL{N: 90, Unit: "DAY"}))
	f.Add(recExpire, []byte("\x06trades\x80\x80\x80\x80\x80\x01"))
	f.Add(recLoadPartition, []byte("\x06trades\x0etrades/p0-0001\x00"))
	f.Add(recSymbols, []byte("\x06trades\x01\x01\x02\x04AAPL\x04MSFT"))
	f.Add(byte(99), []byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, typ byte, payload []byte) {
		e := &Engine{tables: map[string]*rdb.Table{}}
		e.opts.ChunkRows, e.opts.FS, e.opts.Dir = 1024, vfs.NewMemFS(), "/data"
		e.opts.Logger = slog.New(slog.DiscardHandler)
		// A table for inserts to land in, as if created earlier in the log.
		if err := e.replay(wal.Record{LSN: 1, Type: recCreateTable, Payload: encodeSchema(s)}); err != nil {
			t.Fatal(err)
		}
		if err := e.replay(wal.Record{LSN: 2, Type: recInsert, Payload: encodeInsert(nil, "trades", tradeBatch(0, 5))}); err != nil {
			t.Fatal(err)
		}
		_ = e.replay(wal.Record{LSN: 3, Type: typ, Payload: payload})
	})
}
