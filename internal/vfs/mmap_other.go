//go:build !unix

package vfs

import "os"

// Map implements Mapper by reading the file where mmap is not available.
func (osFS) Map(name string) (*Mapping, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return &Mapping{Data: data}, nil
}
