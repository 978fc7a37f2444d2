package hdb

import (
	"fmt"
	"strings"
	"sync"

	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// Compression names the codec of a partition's column blocks.
type Compression byte

// Codecs. The values are stored in metadata files; never renumber them.
const (
	CompressLZ4  Compression = 1 // LZ4 block format
	CompressZstd Compression = 2 // a Zstandard frame per block
)

// ParseCompression parses "lz4" or "zstd" (any case).
func ParseCompression(s string) (Compression, error) {
	switch strings.ToLower(s) {
	case "lz4":
		return CompressLZ4, nil
	case "zstd":
		return CompressZstd, nil
	}
	return 0, fmt.Errorf("hdb: unknown compression %q (want lz4 or zstd)", s)
}

func (c Compression) String() string {
	switch c {
	case CompressLZ4:
		return "lz4"
	case CompressZstd:
		return "zstd"
	}
	return fmt.Sprintf("Compression(%d)", byte(c))
}

func (c Compression) valid() bool { return c == CompressLZ4 || c == CompressZstd }

// The zstd encoder and decoder are safe for concurrent EncodeAll and
// DecodeAll; one of each serves the process. The decoder refuses output
// beyond the capacity it is given, so a damaged frame cannot make it
// allocate more than the block's recorded raw length.
var (
	zstdEncoder = sync.OnceValue(func() *zstd.Encoder {
		e, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithEncoderCRC(false))
		if err != nil {
			panic(fmt.Sprintf("hdb: zstd encoder: %v", err)) // only for invalid options
		}
		return e
	})
	zstdDecoder = sync.OnceValue(func() *zstd.Decoder {
		d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderLowmem(true),
			zstd.WithDecoderMaxMemory(maxBlockRaw), zstd.WithDecodeAllCapLimit(true))
		if err != nil {
			panic(fmt.Sprintf("hdb: zstd decoder: %v", err))
		}
		return d
	})
)

// compressor compresses blocks for one Write; it is not safe for
// concurrent use.
type compressor struct {
	c  Compression
	lz lz4.Compressor
}

// compress appends the stored form of raw to dst. When the codec does not
// make raw smaller, raw is stored as it is: a block whose stored length
// equals its raw length is uncompressed.
func (z *compressor) compress(dst, raw []byte) []byte {
	start := len(dst)
	switch z.c {
	case CompressLZ4:
		bound := lz4.CompressBlockBound(len(raw))
		dst = grow(dst, bound)
		n, err := z.lz.CompressBlock(raw, dst[start:start+bound])
		if err != nil || n == 0 {
			n = len(raw) // cannot happen with a bound-sized buffer; store raw
		}
		dst = dst[:start+n]
	case CompressZstd:
		dst = zstdEncoder().EncodeAll(raw, dst)
	}
	if len(dst)-start >= len(raw) {
		dst = append(dst[:start], raw...)
	}
	return dst
}

// decompress returns the raw form of a stored block of rawLen bytes,
// using buf's memory when it is large enough.
func decompress(c Compression, stored []byte, rawLen int, buf []byte) ([]byte, error) {
	if len(stored) == rawLen {
		return stored, nil
	}
	if len(stored) > rawLen {
		return nil, fmt.Errorf("stored length %d exceeds raw length %d", len(stored), rawLen)
	}
	buf = grow(buf[:0], rawLen)[:rawLen]
	switch c {
	case CompressLZ4:
		n, err := lz4.UncompressBlock(stored, buf)
		if err != nil {
			return nil, fmt.Errorf("lz4: %w", err)
		}
		if n != rawLen {
			return nil, fmt.Errorf("lz4: %d bytes decompressed, want %d", n, rawLen)
		}
		return buf, nil
	case CompressZstd:
		out, err := zstdDecoder().DecodeAll(stored, buf[:0:rawLen])
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		if len(out) != rawLen {
			return nil, fmt.Errorf("zstd: %d bytes decompressed, want %d", len(out), rawLen)
		}
		return out, nil
	}
	return nil, fmt.Errorf("unknown compression %d", c)
}

// grow returns b with room for n more bytes.
func grow(b []byte, n int) []byte {
	if cap(b)-len(b) >= n {
		return b
	}
	nb := make([]byte, len(b), len(b)+n)
	copy(nb, b)
	return nb
}
