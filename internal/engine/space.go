package engine

import (
	"errors"
	"fmt"

	"github.com/zeptodb/zeptodb/internal/vfs"
)

// ErrNoSpace: the data directory's file system has less free space than
// Options.MinFreeBytes. The write was refused before anything was
// logged; writes are accepted again as soon as space is freed.
var ErrNoSpace = errors.New("not enough free disk space")

// checkSpace refuses a write when the disk is nearly full. A write that
// hits ENOSPC in the middle would leave the WAL unable to continue (its
// records are numbered), so the engine stops accepting writes while a
// margin is left: queries, TTL and checkpoints (which free space) go on.
func (e *Engine) checkSpace() error {
	if e.opts.MinFreeBytes <= 0 {
		return nil
	}
	free, ok := vfs.FreeSpace(e.opts.FS, e.opts.Dir)
	if !ok || free >= uint64(e.opts.MinFreeBytes) {
		return nil
	}
	return fmt.Errorf("%w: %d MiB free in %s, writes need at least %d MiB (min_free_bytes); free space (TTL, a larger volume) and writes resume by themselves",
		ErrNoSpace, free>>20, e.opts.Dir, e.opts.MinFreeBytes>>20)
}
