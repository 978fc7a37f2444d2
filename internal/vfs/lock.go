package vfs

import (
	"errors"
	"io"
)

// ErrLocked: another process (or engine) holds the lock.
var ErrLocked = errors.New("locked by another process")

// Locker is implemented by file systems that can take an exclusive
// advisory lock on a file, held until the returned Closer is closed or
// the process ends.
type Locker interface {
	Lock(path string) (io.Closer, error)
}

// Lock takes the lock on path when fs supports locks; otherwise it
// returns a no-op Closer.
func Lock(fs FS, path string) (io.Closer, error) {
	if f, ok := fs.(*Faulty); ok {
		fs = f.FS
	}
	if l, ok := fs.(Locker); ok {
		return l.Lock(path)
	}
	return io.NopCloser(nil), nil
}
