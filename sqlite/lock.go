package sqlite

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// LockName is the lock file's name inside the state directory.
const LockName = "tributary.lock"

// ErrLocked is returned when another process writes the store.
var ErrLocked = errors.New("sqlite: state directory in use")

// lock takes the state directory's exclusive lock (flock on LockName), so
// that one process at a time writes the store: two daemons on one store
// would poll every source twice and split stories between two dedupe
// indexes. The lock file holds the owner's pid, for the message a second
// process gets. The kernel releases the lock when the process ends, even
// by kill -9.
func lock(dir string) (*os.File, error) {
	path := filepath.Join(dir, LockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sqlite: lock %s: %w", path, err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		owner, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			who := "another process"
			if pid, err := strconv.Atoi(string(bytes.TrimSpace(owner))); err == nil {
				who = fmt.Sprintf("another tributary (pid %d)", pid)
			}
			return nil, fmt.Errorf("%w: %s is used by %s; stop it first, or give this one another state_dir", ErrLocked, dir, who)
		}
		return nil, fmt.Errorf("sqlite: lock %s: %w", path, err)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f, nil
}
