package main

import (
	"encoding/json"
	"errors"
	"log"
	"net/http"
)

// problem is an error answer as RFC 9457 problem details. Its detail is written here, never an
// exception's message, a stack trace or SQL.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	header http.Header
}

func (p *problem) Error() string { return p.Title + ": " + p.Detail }

func newProblem(status int, detail string) *problem {
	return &problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail}
}

func notFound(detail string) *problem { return newProblem(http.StatusNotFound, detail) }
func invalid(detail string) *problem  { return newProblem(http.StatusUnprocessableEntity, detail) }
func conflict(detail string) *problem { return newProblem(http.StatusConflict, detail) }

func unauthorized() *problem {
	p := newProblem(http.StatusUnauthorized, "A valid bearer token is required.")
	p.header = http.Header{"Www-Authenticate": {"Bearer"}}
	return p
}

func writeProblem(w http.ResponseWriter, p *problem) {
	for k, v := range p.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// handle adapts a handler that returns an error: a *problem is answered as it is, anything else is logged
// and answered as a bare 500.
func handle(h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		var p *problem
		if errors.As(err, &p) {
			writeProblem(w, p)
			return
		}
		log.Printf("%s %s failed: %v", r.Method, r.URL.Path, err)
		writeProblem(w, newProblem(http.StatusInternalServerError, "The request could not be completed."))
	}
}

// headerOnly records what ServeMux's own 404 and 405 answers set, so they can be answered as problems.
type headerOnly struct {
	header http.Header
	status int
}

func (h *headerOnly) Header() http.Header         { return h.header }
func (h *headerOnly) Write(b []byte) (int, error) { return len(b), nil }
func (h *headerOnly) WriteHeader(status int)      { h.status = status }

// withProblems serves mux, answering a path no pattern matches (404) and a known path with another method
// (405, with ServeMux's Allow header) as problems instead of ServeMux's plain text.
func withProblems(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		rec := &headerOnly{header: http.Header{}, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		switch rec.status {
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", rec.header.Get("Allow"))
			writeProblem(w, newProblem(rec.status, r.Method+" is not allowed on this resource."))
		case http.StatusNotFound:
			writeProblem(w, notFound("No such endpoint."))
		default:
			writeProblem(w, newProblem(rec.status, ""))
		}
	})
}
