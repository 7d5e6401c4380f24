// Package pgtest gives tests a PostgreSQL database of their own on a real
// server: TRIBUTARY_TEST_POSTGRES names the server (a URL of a database
// to connect to for creating others), else postgres@127.0.0.1:5432.
// scripts/test makes sure one answers (installing and starting Debian's
// postgresql on a fresh machine) and sets TRIBUTARY_REQUIRE_POSTGRES=1,
// which makes a missing server a failure rather than a skip.
package pgtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultServer is the server tests use unless TRIBUTARY_TEST_POSTGRES
// names another.
const DefaultServer = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Server returns the URL of the server tests use, to connect to as an
// administrator.
func Server() string {
	if s := os.Getenv("TRIBUTARY_TEST_POSTGRES"); s != "" {
		return s
	}
	return DefaultServer
}

// Database returns the URL of a database named for the test, name and
// this process (its host and pid), created empty the first time in the
// test and dropped when the test ends; asking again in the same test
// returns the same database, and two test runs at once on one server
// never share one. Without
// a server, the test is skipped (failed with TRIBUTARY_REQUIRE_POSTGRES=1).
func Database(t testing.TB, name string) string {
	t.Helper()
	server := Server()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		if os.Getenv("TRIBUTARY_REQUIRE_POSTGRES") != "" {
			t.Fatalf("no PostgreSQL server at %s: %v", server, err)
		}
		t.Skipf("no PostgreSQL server at %s (set TRIBUTARY_TEST_POSTGRES, or run scripts/test): %v", server, err)
	}
	defer admin.Close(ctx)
	host, _ := os.Hostname()
	sum := sha256.Sum256([]byte(t.Name() + "\x00" + name + "\x00" + host + "\x00" + strconv.Itoa(os.Getpid())))
	db := "tributary_test_" + hex.EncodeToString(sum[:10])
	var exists bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, db).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if !exists {
		if _, err := admin.Exec(ctx, `CREATE DATABASE `+db); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			c, err := pgx.Connect(ctx, server)
			if err != nil {
				t.Errorf("drop %s: %v", db, err)
				return
			}
			defer c.Close(ctx)
			if _, err := c.Exec(ctx, `DROP DATABASE IF EXISTS `+db+` WITH (FORCE)`); err != nil {
				t.Errorf("drop %s: %v", db, err)
			}
		})
	}
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + db
	return u.String()
}
