//go:build unix

package vfs

import (
	"fmt"
	"os"
	"syscall"
)

// Map implements Mapper with mmap(2), read-only and shared: pages come
// from the page cache and are never copied into the heap.
func (osFS) Map(name string) (*Mapping, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	if size == 0 {
		return &Mapping{Data: []byte{}}, nil
	}
	if int64(int(size)) != size {
		return nil, fmt.Errorf("map %s: %d bytes do not fit in memory", name, size)
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("map %s: %w", name, err)
	}
	return &Mapping{Data: data, unmap: syscall.Munmap}, nil
}
