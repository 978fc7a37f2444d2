//go:build unix

package vfs

import "syscall"

// FreeSpace implements SpaceReporter with statfs.
func (osFS) FreeSpace(path string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return 0, err
	}
	return st.Bavail * uint64(st.Bsize), nil
}
