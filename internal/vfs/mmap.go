package vfs

import (
	"errors"
	"fmt"
	"runtime/debug"
)

// Mapping is a file mapped read-only into memory. Data must not be used
// after Close, nor written.
type Mapping struct {
	Data  []byte
	unmap func([]byte) error
}

// Close unmaps the file.
func (m *Mapping) Close() error {
	data, unmap := m.Data, m.unmap
	m.Data, m.unmap = nil, nil
	if unmap == nil {
		return nil
	}
	return unmap(data)
}

// Mapper is a file system that maps files read-only into memory: the OS
// (mmap) and MemFS (a copy).
type Mapper interface {
	Map(name string) (*Mapping, error)
}

// ErrFault is wrapped by the error Guard returns when mapped memory could
// not be read: the file shrank under the mapping, or the device failed.
var ErrFault = errors.New("vfs: fault reading mapped file")

// Guard runs f, which reads mapped memory, in the calling goroutine and
// turns a fault on that memory (SIGBUS, which would otherwise end the
// process) into an error wrapping ErrFault.
func Guard(f func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			fault, ok := r.(interface{ Addr() uintptr })
			if !ok {
				panic(r)
			}
			err = fmt.Errorf("%w at address %#x", ErrFault, fault.Addr())
		}
	}()
	return f()
}

// Map implements Mapper with a copy of the file.
func (m *MemFS) Map(name string) (*Mapping, error) {
	data, err := ReadFile(m, name)
	if err != nil {
		return nil, err
	}
	return &Mapping{Data: data}, nil
}
