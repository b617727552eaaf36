// Command orders-api is the reference solution of the orders-api challenge in Go: net/http routing and
// pgx v5 with a connection pool. It listens on 0.0.0.0:$PORT and reads PostgreSQL at $DATABASE_URL.
package main

import (
	"context"
	"errors"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	if err := run(); err != nil {
		log.Fatalf("orders-api: %v", err)
	}
}

func run() error {
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		return errors.New("DATABASE_URL is not set")
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	pool, err := openPool(ctx, url, 45*time.Second)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := ensureIndexes(ctx, pool); err != nil {
		return err
	}

	server := &http.Server{
		Addr:              "0.0.0.0:" + port,
		Handler:           routes(&api{pool: pool}),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	served := make(chan error, 1)
	go func() { served <- server.ListenAndServe() }()
	log.Printf("orders-api listening on %s", server.Addr)

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return server.Shutdown(shutdown)
}
