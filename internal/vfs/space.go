package vfs

// SpaceReporter is implemented by file systems that can tell how much
// space is left (the OS, MemFS).
type SpaceReporter interface {
	// FreeSpace returns the bytes available to unprivileged writers on
	// the file system holding path.
	FreeSpace(path string) (uint64, error)
}

// FreeSpace returns the free bytes under path, and false when fs cannot
// tell (the caller then does not guard).
func FreeSpace(fs FS, path string) (uint64, bool) {
	if f, ok := fs.(*Faulty); ok {
		fs = f.FS
	}
	r, ok := fs.(SpaceReporter)
	if !ok {
		return 0, false
	}
	n, err := r.FreeSpace(path)
	return n, err == nil
}
