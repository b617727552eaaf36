package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// indexes the endpoints need on the seeded tables (the challenge creates only the keys). It serves the
// order list, also filtered by status (status is an included column: the rarest status is about a tenth of
// a customer's orders, so a page reads at most about ten times its size), and the summary, both as
// index-only scans.
var indexes = []string{
	`CREATE INDEX IF NOT EXISTS orders_customer_created_idx
	   ON orders (customer_id, created_at DESC, id DESC) INCLUDE (status, total_cents)`,
}

// openPool connects to the database, waiting up to timeout for it to accept connections.
func openPool(ctx context.Context, url string, timeout time.Duration) (*pgxpool.Pool, error) {
	config, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	config.MaxConns = 10
	pool, err := pgxpool.NewWithConfig(ctx, config)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(timeout)
	for {
		err := pool.Ping(ctx)
		if err == nil {
			return pool, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			pool.Close()
			return nil, fmt.Errorf("database not reachable: %w", err)
		}
		log.Printf("database not ready yet: %v", err)
		time.Sleep(500 * time.Millisecond)
	}
}

// ensureIndexes creates the missing indexes, with more sort memory for this transaction only.
func ensureIndexes(ctx context.Context, pool *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL maintenance_work_mem = '256MB'"); err != nil {
			return err
		}
		for _, sql := range indexes {
			if _, err := tx.Exec(ctx, sql); err != nil {
				return fmt.Errorf("creating an index: %w", err)
			}
		}
		return nil
	})
}

// inTx runs fn in one transaction. A deadlock victim (SQLSTATE 40P01) is retried: concurrent orders lock
// their products in id order, but an order and a cancellation may still meet.
func inTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := pgx.BeginFunc(ctx, pool, fn)
		var pgErr *pgconn.PgError
		if err != nil && errors.As(err, &pgErr) && pgErr.Code == "40P01" && attempt < 3 {
			continue
		}
		return err
	}
}
