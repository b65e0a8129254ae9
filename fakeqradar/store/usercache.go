package store

import (
	"context"
	"slices"
	"sync"
)

// userCache keeps every user in memory, in id order, so that the common
// reads — one user by id or name, a page of the unfiltered list — cost no
// SQL. SQLite stays the truth: the cache is loaded from it on first use, each
// write updates the rows it changed after it commits (under the write lock,
// so updates apply in commit order), and writes that touch many rows (a
// deploy, a seed, a reset) drop the cache to be reloaded. Filtered or sorted
// lists still run in SQL.
type userCache struct {
	mu       sync.RWMutex
	loaded   bool
	byID     map[int64]*User
	byName   map[string]int64
	all      []int64 // every user id, ascending
	deployed []int64 // ids of deployed users, ascending
}

// load fills the cache from the database; the caller holds c.mu.
func (c *userCache) load(ctx context.Context, s *Store) error {
	rows, err := s.query(ctx, "SELECT "+userColumns+" FROM users ORDER BY id")
	if err != nil {
		return err
	}
	defer rows.Close()
	byID := map[int64]*User{}
	byName := map[string]int64{}
	var all, deployed []int64
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return err
		}
		byID[u.ID] = &u
		byName[u.Username] = u.ID
		all = append(all, u.ID)
		if u.Deployed {
			deployed = append(deployed, u.ID)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	c.byID, c.byName, c.all, c.deployed, c.loaded = byID, byName, all, deployed, true
	return nil
}

// read runs fn with the cache loaded and read-locked.
func (s *Store) readCache(ctx context.Context, fn func(c *userCache)) error {
	c := &s.users
	c.mu.RLock()
	if c.loaded {
		defer c.mu.RUnlock()
		fn(c)
		return nil
	}
	c.mu.RUnlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.loaded {
		if err := c.load(ctx, s); err != nil {
			return err
		}
	}
	fn(c)
	return nil
}

// WarmCache loads the user cache now rather than on the first read.
func (s *Store) WarmCache(ctx context.Context) error {
	return s.readCache(ctx, func(*userCache) {})
}

// cachePut records a committed row (insert or update). Called under writeMu.
func (s *Store) cachePut(u User) {
	c := &s.users
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.loaded {
		return
	}
	if old, ok := c.byID[u.ID]; ok {
		if old.Username != u.Username {
			delete(c.byName, old.Username)
		}
	} else {
		c.all = insertSorted(c.all, u.ID)
	}
	if u.Deployed {
		c.deployed = insertSorted(c.deployed, u.ID)
	} else {
		c.deployed = removeSorted(c.deployed, u.ID)
	}
	cp := u
	c.byID[u.ID] = &cp
	c.byName[u.Username] = u.ID
}

// cacheDrop forgets the cache; the next read reloads it.
func (s *Store) cacheDrop() {
	c := &s.users
	c.mu.Lock()
	defer c.mu.Unlock()
	c.loaded, c.byID, c.byName, c.all, c.deployed = false, nil, nil, nil, nil
}

func insertSorted(ids []int64, id int64) []int64 {
	if n := len(ids); n == 0 || ids[n-1] < id {
		return append(ids, id)
	}
	i, found := slices.BinarySearch(ids, id)
	if found {
		return ids
	}
	return slices.Insert(ids, i, id)
}

func removeSorted(ids []int64, id int64) []int64 {
	i, found := slices.BinarySearch(ids, id)
	if !found {
		return ids
	}
	return slices.Delete(ids, i, i+1)
}
