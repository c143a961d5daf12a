package queue

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"

	"github.com/storyline/storyline/store"
)

// FileLeased gives a store without a leader election of its own (the
// SQLite file) one through an exclusive flock on lockPath, so several
// workers on one machine behave as with PostgreSQL: one leads, the others
// wait and take over when it dies (the kernel drops the lock with the
// process).
func FileLeased(st store.Store, lockPath string) store.Store {
	if _, ok := st.(Leaser); ok {
		return st
	}
	return &fileLeased{Store: st, path: lockPath}
}

type fileLeased struct {
	store.Store
	path string
	mu   sync.Mutex
	f    *os.File
}

// TryLead implements Leaser.
func (l *fileLeased) TryLead(ctx context.Context, name string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f != nil {
		return true, nil
	}
	f, err := os.OpenFile(l.path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return false, fmt.Errorf("lead: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return false, nil
		}
		return false, fmt.Errorf("lead: %w", err)
	}
	l.f = f
	return true, nil
}

// Close releases the lock and closes the store.
func (l *fileLeased) Close() error {
	l.mu.Lock()
	if l.f != nil {
		l.f.Close()
		l.f = nil
	}
	l.mu.Unlock()
	return l.Store.Close()
}
