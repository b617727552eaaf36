// Starter of catalog-search: connects to MongoDB ($MONGODB_URL) and Redis ($REDIS_URL) and answers
// GET /health. Every other route answers 501 Not Implemented; README.md is the contract to implement.
package main

import (
	"context"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gomodule/redigo/redis"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

func sendJSON(w http.ResponseWriter, status int, body any, contentType string) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func main() {
	ctx := context.Background()
	client, err := mongo.Connect(options.Client().ApplyURI(os.Getenv("MONGODB_URL")))
	if err != nil {
		log.Fatal(err)
	}
	// The database `shop` of the URL. TODO: its collections products, reviews and api_keys.
	db := client.Database("shop")
	if err := db.RunCommand(ctx, map[string]int{"ping": 1}).Err(); err != nil {
		log.Fatal(err)
	}
	// Redis: a pool of connections to the URL (with its ACL user). TODO: the cache and the rate-limit counters.
	cache := &redis.Pool{
		MaxIdle: 16,
		Dial:    func() (redis.Conn, error) { return redis.DialURL(os.Getenv("REDIS_URL")) },
	}
	defer cache.Close()

	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		sendJSON(w, http.StatusOK, map[string]string{"status": "ok"}, "application/json")
	})
	// TODO: GET /products, GET /products/facets, GET and PATCH /products/{id},
	// GET /categories/{category}/top-rated.
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		sendJSON(w, http.StatusNotImplemented,
			map[string]any{"type": "about:blank", "title": "Not Implemented", "status": 501},
			"application/problem+json")
	})

	server := &http.Server{Addr: "0.0.0.0:" + os.Getenv("PORT"), Handler: mux}
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGTERM)
		<-stop
		shutdown, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdown)
	}()
	if err := server.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		log.Fatal(err)
	}
}
