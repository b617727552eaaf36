package main

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strconv"

	"github.com/jackc/pgx/v5"
)

var (
	bearerRe = regexp.MustCompile(`(?i)^Bearer +([\x21-\x7e]+) *$`)
	idRe     = regexp.MustCompile(`^[0-9]{1,19}$`)
	limitRe  = regexp.MustCompile(`^[0-9]{1,3}$`)
	cursorRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,200}$`)
)

// customerOf returns the caller's customer id from `Authorization: Bearer <token>` (the token's SHA-256 in
// lowercase hex is looked up in api_tokens), or a 401 problem.
func (a *api) customerOf(ctx context.Context, r *http.Request) (int64, error) {
	m := bearerRe.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		return 0, unauthorized()
	}
	sum := sha256.Sum256([]byte(m[1]))
	var customer int64
	err := a.pool.QueryRow(ctx, "SELECT customer_id FROM api_tokens WHERE token_sha256 = $1",
		hex.EncodeToString(sum[:])).Scan(&customer)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, unauthorized()
	}
	return customer, err
}

// pathID reads a path id: a positive bigint in decimal; anything else names no resource (404).
func pathID(r *http.Request) (int64, error) {
	raw := r.PathValue("id")
	if !idRe.MatchString(raw) {
		return 0, notFound("The resource does not exist.")
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 {
		return 0, notFound("The resource does not exist.")
	}
	return id, nil
}

// pageLimit reads `limit`: an integer from 1 to 100, 20 when absent, else a 422 problem.
func pageLimit(r *http.Request) (int, error) {
	values, ok := r.URL.Query()["limit"]
	if !ok {
		return 20, nil
	}
	raw := values[0]
	n, err := strconv.Atoi(raw)
	if !limitRe.MatchString(raw) || err != nil || n < 1 || n > 100 {
		return 0, invalid("limit must be an integer from 1 to 100.")
	}
	return n, nil
}

// encodeCursor makes the opaque cursor of a sort key: unpadded base64url of its JSON array.
func encodeCursor(key ...int64) string {
	b, _ := json.Marshal(key)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads `cursor` into a sort key of n integers; nil when absent; a 422 problem when it is not
// a cursor this API returned.
func decodeCursor(r *http.Request, n int) ([]int64, error) {
	values, ok := r.URL.Query()["cursor"]
	if !ok {
		return nil, nil
	}
	bad := invalid("cursor is not a cursor returned by this API.")
	if !cursorRe.MatchString(values[0]) {
		return nil, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(values[0])
	if err != nil {
		return nil, bad
	}
	var key []int64
	if err := json.Unmarshal(raw, &key); err != nil || len(key) != n {
		return nil, bad
	}
	return key, nil
}
