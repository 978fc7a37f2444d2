// Package vfs owns the small file-system interface all storage I/O goes
// through, with three implementations: the real OS, an in-memory file
// system that can simulate power loss (dropping whatever was not fsynced),
// and a wrapper that injects errors into chosen operations. The OS and
// MemFS also map files read-only (Mapper); Guard turns a fault on mapped
// memory into an error.
//
// Durability code is written against FS so that tests can prove what
// survives a crash. It imports only the standard library.
package vfs
