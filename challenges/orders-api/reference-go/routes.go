package main

import (
	"net/http"

	"github.com/jackc/pgx/v5/pgxpool"
)

// api holds what the handlers share: the database pool.
type api struct {
	pool *pgxpool.Pool
}

// listPage is the shape of every list: a page of data and the cursor of the next page (null on the last).
type listPage[T any] struct {
	Data       []T     `json:"data"`
	NextCursor *string `json:"next_cursor"`
}

// authed runs h with the caller's customer id, or answers 401.
func (a *api) authed(h func(http.ResponseWriter, *http.Request, int64) error) http.HandlerFunc {
	return handle(func(w http.ResponseWriter, r *http.Request) error {
		customer, err := a.customerOf(r.Context(), r)
		if err != nil {
			return err
		}
		return h(w, r, customer)
	})
}

// routes maps the contract's endpoints (Go 1.22 method patterns; GET also serves HEAD).
func routes(a *api) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /products", handle(a.listProducts))
	mux.HandleFunc("GET /products/{id}", handle(a.getProduct))
	mux.HandleFunc("POST /orders", a.authed(a.createOrder))
	mux.HandleFunc("GET /orders", a.authed(a.listOrders))
	mux.HandleFunc("GET /orders/{id}", a.authed(a.getOrder))
	mux.HandleFunc("POST /orders/{id}/cancel", a.authed(a.cancelOrder))
	mux.HandleFunc("GET /customers/me/summary", a.authed(a.summary))
	return withProblems(mux)
}
