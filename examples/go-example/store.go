package ledger

import (
	"errors"
	"sort"
	"sync"
)

// ErrNoAccount is returned by a Store asked for a name it does not hold.
var ErrNoAccount = errors.New("ledger: no such account")

// Store keeps accounts by name.
type Store interface {
	// Get returns the account with that name, or ErrNoAccount.
	Get(name string) (*Account, error)
	// Put adds or replaces an account.
	Put(a *Account)
	// Names lists every account name in order.
	Names() []string
}

// MemoryStore is a Store held in memory, safe for concurrent use.
type MemoryStore struct {
	mu       sync.Mutex
	accounts map[string]*Account
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{accounts: make(map[string]*Account)}
}

// Get returns the account stored under name, or ErrNoAccount when there is none.
func (s *MemoryStore) Get(name string) (*Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[name]
	if !ok {
		return nil, ErrNoAccount
	}
	return a, nil
}

// Put stores the account under its name, replacing any account of the same name.
func (s *MemoryStore) Put(a *Account) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accounts[a.Name] = a
}

// Names lists the names of the stored accounts in alphabetical order.
func (s *MemoryStore) Names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.accounts))
	for name := range s.accounts {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
