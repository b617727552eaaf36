package main

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

type product struct {
	ID         int64  `json:"id"`
	SKU        string `json:"sku"`
	Name       string `json:"name"`
	PriceCents int32  `json:"price_cents"`
	Stock      int32  `json:"stock"`
}

// likeEscaper makes q plain text in ILIKE: its wildcards and escape character match themselves.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// listProducts answers GET /products?q=&limit=&cursor= (keyset on id ascending).
func (a *api) listProducts(w http.ResponseWriter, r *http.Request) error {
	limit, err := pageLimit(r)
	if err != nil {
		return err
	}
	after, err := decodeCursor(r, 1)
	if err != nil {
		return err
	}
	var where []string
	var args []any
	if q := r.URL.Query().Get("q"); q != "" {
		if strings.ContainsRune(q, 0) {
			// PostgreSQL text cannot hold NUL: no name contains it, and sending it would fail the query.
			return invalid("q must not contain a NUL character.")
		}
		args = append(args, "%"+likeEscaper.Replace(q)+"%")
		where = append(where, "name ILIKE $"+strconv.Itoa(len(args)))
	}
	if after != nil {
		args = append(args, after[0])
		where = append(where, "id > $"+strconv.Itoa(len(args)))
	}
	args = append(args, limit+1)
	sql := "SELECT id, sku, name, price_cents, stock FROM products"
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	sql += " ORDER BY id LIMIT $" + strconv.Itoa(len(args))
	rows, _ := a.pool.Query(r.Context(), sql, args...)
	products, err := pgx.CollectRows(rows, pgx.RowToStructByPos[product])
	if err != nil {
		return err
	}
	page := listPage[product]{Data: products}
	if len(products) > limit {
		page.Data = products[:limit]
		next := encodeCursor(page.Data[limit-1].ID)
		page.NextCursor = &next
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// getProduct answers GET /products/{id}.
func (a *api) getProduct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rows, _ := a.pool.Query(r.Context(), "SELECT id, sku, name, price_cents, stock FROM products WHERE id = $1", id)
	p, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[product])
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound("The product does not exist.")
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}
