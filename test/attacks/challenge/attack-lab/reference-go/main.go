// Reference of attack-lab in Go: net/http and a pgx pool, one statement per request (the same behaviour
// as reference/server.js).
package main

import (
	"context"
	"encoding/json"
	"log"
	"net/http"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"
)

type note struct {
	ID   int64  `json:"id"`
	Body string `json:"body"`
}

func send(w http.ResponseWriter, status int, body any) {
	w.Header().Set("content-type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func main() {
	pool, err := pgxpool.New(context.Background(), os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		send(w, 200, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /notes", func(w http.ResponseWriter, r *http.Request) {
		rows, err := pool.Query(r.Context(), "SELECT id, body FROM notes ORDER BY id")
		if err != nil {
			send(w, 500, map[string]string{"title": "internal error"})
			return
		}
		notes := []note{}
		for rows.Next() {
			var n note
			if err := rows.Scan(&n.ID, &n.Body); err != nil {
				send(w, 500, map[string]string{"title": "internal error"})
				return
			}
			notes = append(notes, n)
		}
		send(w, 200, notes)
	})
	mux.HandleFunc("POST /notes", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Body *string `json:"body"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Body == nil {
			send(w, 422, map[string]string{"title": "body is required"})
			return
		}
		var n note
		err := pool.QueryRow(r.Context(), "INSERT INTO notes (body) VALUES ($1) RETURNING id, body", *in.Body).
			Scan(&n.ID, &n.Body)
		if err != nil {
			send(w, 500, map[string]string{"title": "internal error"})
			return
		}
		send(w, 201, n)
	})
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	log.Fatal(http.ListenAndServe("0.0.0.0:"+port, mux))
}
