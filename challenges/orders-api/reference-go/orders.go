package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

var statuses = []string{"pending", "paid", "shipped", "cancelled"}

// timestamp is written as ISO 8601 in UTC with milliseconds, like 2026-01-01T10:00:00.000Z.
type timestamp time.Time

func (t timestamp) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(t).UTC().Format("2006-01-02T15:04:05.000Z") + `"`), nil
}

type orderItem struct {
	Product struct {
		ID   int64  `json:"id"`
		SKU  string `json:"sku"`
		Name string `json:"name"`
	} `json:"product"`
	Quantity       int32 `json:"quantity"`
	UnitPriceCents int32 `json:"unit_price_cents"`
}

type order struct {
	ID         int64       `json:"id"`
	Status     string      `json:"status"`
	TotalCents int32       `json:"total_cents"`
	CreatedAt  timestamp   `json:"created_at"`
	Items      []orderItem `json:"items"`
}

type orderListEntry struct {
	ID         int64     `json:"id"`
	Status     string    `json:"status"`
	TotalCents int32     `json:"total_cents"`
	CreatedAt  timestamp `json:"created_at"`
	ItemCount  int64     `json:"item_count"`
}

// orderRequest is the body of POST /orders; only items is read, any other field is ignored.
type orderRequest struct {
	Items []struct {
		ProductID int64 `json:"product_id"`
		Quantity  int64 `json:"quantity"`
	} `json:"items"`
}

// readOrderRequest decodes and validates the body: 400 when it is not JSON, 422 when it is not 1 to 50
// items of distinct positive product ids and integer quantities from 1 to 1000 (strings and fractions are
// type errors, hence 422). Returns product ids and quantities sorted by product id, so that concurrent
// orders lock their products in the same order.
func readOrderRequest(r *http.Request) (ids []int64, quantities []int32, err error) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, 1<<20))
	if err != nil {
		return nil, nil, newProblem(http.StatusRequestEntityTooLarge, "The request body is too large.")
	}
	var req orderRequest
	if err := json.Unmarshal(body, &req); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) || len(body) == 0 {
			return nil, nil, newProblem(http.StatusBadRequest, "The request body is not valid JSON.")
		}
		return nil, nil, invalid("The body must be an object with an items array of integer product_id and quantity.")
	}
	if len(req.Items) < 1 || len(req.Items) > 50 {
		return nil, nil, invalid("items must be an array of 1 to 50 entries.")
	}
	items := req.Items
	slices.SortFunc(items, func(x, y struct {
		ProductID int64 `json:"product_id"`
		Quantity  int64 `json:"quantity"`
	}) int {
		return cmp.Compare(x.ProductID, y.ProductID)
	})
	for i, item := range items {
		switch {
		case item.ProductID < 1:
			return nil, nil, invalid("Every product_id must be a positive integer.")
		case item.Quantity < 1 || item.Quantity > 1000:
			return nil, nil, invalid("Every quantity must be an integer from 1 to 1000.")
		case i > 0 && items[i-1].ProductID == item.ProductID:
			return nil, nil, invalid("A product_id appears more than once.")
		}
		ids = append(ids, item.ProductID)
		quantities = append(quantities, int32(item.Quantity))
	}
	return ids, quantities, nil
}

// createOrder answers POST /orders: stock is taken for every product at once, atomically.
func (a *api) createOrder(w http.ResponseWriter, r *http.Request, customer int64) error {
	ids, quantities, err := readOrderRequest(r)
	if err != nil {
		return err
	}
	var o order
	err = inTx(r.Context(), a.pool, func(tx pgx.Tx) error {
		// A product with too little stock is not updated, so fewer rows come back.
		rows, _ := tx.Query(r.Context(),
			`UPDATE products p SET stock = p.stock - x.quantity
			 FROM unnest($1::bigint[], $2::int[]) AS x(product_id, quantity)
			 WHERE p.id = x.product_id AND p.stock >= x.quantity
			 RETURNING p.id, p.sku, p.name, x.quantity, p.price_cents`, ids, quantities)
		items, err := pgx.CollectRows(rows, scanItem)
		if err != nil {
			return err
		}
		if len(items) < len(ids) {
			var found int
			if err := tx.QueryRow(r.Context(), "SELECT count(*) FROM products WHERE id = ANY($1::bigint[])", ids).Scan(&found); err != nil {
				return err
			}
			if found < len(ids) {
				return invalid("An item names a product that does not exist.")
			}
			return conflict("A product does not have enough stock for this order.")
		}
		slices.SortFunc(items, byProduct)
		var total int64
		prices := make([]int32, len(items))
		qty := make([]int32, len(items))
		pids := make([]int64, len(items))
		for i, it := range items {
			total += int64(it.Quantity) * int64(it.UnitPriceCents)
			pids[i], qty[i], prices[i] = it.Product.ID, it.Quantity, it.UnitPriceCents
		}
		if total > math.MaxInt32 {
			return invalid("The order total is too large.")
		}
		var created time.Time
		err = tx.QueryRow(r.Context(),
			`WITH o AS (
			   INSERT INTO orders (customer_id, status, total_cents) VALUES ($1, 'pending', $2)
			   RETURNING id, status, total_cents, created_at
			 ), i AS (
			   INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
			   SELECT o.id, x.product_id, x.quantity, x.unit_price_cents
			   FROM o, unnest($3::bigint[], $4::int[], $5::int[]) AS x(product_id, quantity, unit_price_cents)
			 )
			 SELECT id, status, total_cents, created_at FROM o`,
			customer, total, pids, qty, prices).Scan(&o.ID, &o.Status, &o.TotalCents, &created)
		o.CreatedAt, o.Items = timestamp(created), items
		return err
	})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/orders/"+strconv.FormatInt(o.ID, 10))
	writeJSON(w, http.StatusCreated, o)
	return nil
}

func scanItem(row pgx.CollectableRow) (orderItem, error) {
	var it orderItem
	err := row.Scan(&it.Product.ID, &it.Product.SKU, &it.Product.Name, &it.Quantity, &it.UnitPriceCents)
	return it, err
}

func byProduct(x, y orderItem) int { return cmp.Compare(x.Product.ID, y.Product.ID) }

// listOrders answers GET /orders?status=&limit=&cursor=: the caller's orders by created_at, id descending,
// a keyset page. The cursor keeps created_at in microseconds (orders placed through the API share
// milliseconds).
func (a *api) listOrders(w http.ResponseWriter, r *http.Request, customer int64) error {
	where := []string{"o.customer_id = $1"}
	args := []any{customer}
	if values, ok := r.URL.Query()["status"]; ok {
		if !slices.Contains(statuses, values[0]) {
			return invalid("status must be one of " + strings.Join(statuses, ", ") + ".")
		}
		args = append(args, values[0])
		where = append(where, "o.status = $"+strconv.Itoa(len(args)))
	}
	limit, err := pageLimit(r)
	if err != nil {
		return err
	}
	after, err := decodeCursor(r, 2)
	if err != nil {
		return err
	}
	if after != nil {
		args = append(args, time.UnixMicro(after[0]), after[1])
		where = append(where, "(o.created_at, o.id) < ($"+strconv.Itoa(len(args)-1)+", $"+strconv.Itoa(len(args))+")")
	}
	args = append(args, limit+1)
	rows, _ := a.pool.Query(r.Context(),
		`SELECT o.id, o.status, o.total_cents, o.created_at,
		        (SELECT count(*) FROM order_items i WHERE i.order_id = o.id)
		 FROM orders o
		 WHERE `+strings.Join(where, " AND ")+`
		 ORDER BY o.created_at DESC, o.id DESC
		 LIMIT $`+strconv.Itoa(len(args)), args...)
	var lastCreated []time.Time
	entries, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (orderListEntry, error) {
		var e orderListEntry
		var created time.Time
		err := row.Scan(&e.ID, &e.Status, &e.TotalCents, &created, &e.ItemCount)
		e.CreatedAt = timestamp(created)
		lastCreated = append(lastCreated, created)
		return e, err
	})
	if err != nil {
		return err
	}
	page := listPage[orderListEntry]{Data: entries}
	if len(entries) > limit {
		page.Data = entries[:limit]
		next := encodeCursor(lastCreated[limit-1].UnixMicro(), entries[limit-1].ID)
		page.NextCursor = &next
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// getOrder answers GET /orders/{id} with one statement: the order joined with its items and products.
func (a *api) getOrder(w http.ResponseWriter, r *http.Request, customer int64) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rows, err := a.pool.Query(r.Context(),
		`SELECT o.id, o.status, o.total_cents, o.created_at,
		        i.product_id, p.sku, p.name, i.quantity, i.unit_price_cents
		 FROM orders o
		 LEFT JOIN order_items i ON i.order_id = o.id
		 LEFT JOIN products p ON p.id = i.product_id
		 WHERE o.id = $1 AND o.customer_id = $2
		 ORDER BY i.product_id`, id, customer)
	if err != nil {
		return err
	}
	defer rows.Close()
	var o *order
	items := []orderItem{}
	for rows.Next() {
		var created time.Time
		var pid *int64
		var sku, name *string
		var quantity, unit *int32
		o = &order{}
		if err := rows.Scan(&o.ID, &o.Status, &o.TotalCents, &created, &pid, &sku, &name, &quantity, &unit); err != nil {
			return err
		}
		o.CreatedAt = timestamp(created)
		if pid != nil {
			var it orderItem
			it.Product.ID, it.Product.SKU, it.Product.Name, it.Quantity, it.UnitPriceCents = *pid, *sku, *name, *quantity, *unit
			items = append(items, it)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if o == nil {
		return notFound("The order does not exist.")
	}
	o.Items = items
	writeJSON(w, http.StatusOK, o)
	return nil
}

// cancelOrder answers POST /orders/{id}/cancel: a pending order of the caller becomes cancelled and its
// stock goes back, in one transaction; the status guard makes a second (or concurrent) cancel change nothing.
func (a *api) cancelOrder(w http.ResponseWriter, r *http.Request, customer int64) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var o order
	err = inTx(r.Context(), a.pool, func(tx pgx.Tx) error {
		var created time.Time
		err := tx.QueryRow(r.Context(),
			`UPDATE orders SET status = 'cancelled'
			 WHERE id = $1 AND customer_id = $2 AND status = 'pending'
			 RETURNING id, status, total_cents, created_at`, id, customer).
			Scan(&o.ID, &o.Status, &o.TotalCents, &created)
		if errors.Is(err, pgx.ErrNoRows) {
			var exists bool
			if err := tx.QueryRow(r.Context(),
				"SELECT EXISTS (SELECT 1 FROM orders WHERE id = $1 AND customer_id = $2)", id, customer).
				Scan(&exists); err != nil {
				return err
			}
			if !exists {
				return notFound("The order does not exist.")
			}
			return conflict("Only a pending order can be cancelled.")
		}
		if err != nil {
			return err
		}
		o.CreatedAt = timestamp(created)
		rows, _ := tx.Query(r.Context(),
			`UPDATE products p SET stock = p.stock + i.quantity
			 FROM order_items i
			 WHERE i.order_id = $1 AND p.id = i.product_id
			 RETURNING i.product_id, p.sku, p.name, i.quantity, i.unit_price_cents`, id)
		o.Items, err = pgx.CollectRows(rows, scanItem)
		slices.SortFunc(o.Items, byProduct)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

// summary answers GET /customers/me/summary: all the caller's orders counted; paid and shipped summed.
func (a *api) summary(w http.ResponseWriter, r *http.Request, customer int64) error {
	var out struct {
		OrderCount      int64      `json:"order_count"`
		TotalSpentCents int64      `json:"total_spent_cents"`
		LastOrderAt     *timestamp `json:"last_order_at"`
	}
	var last *time.Time
	err := a.pool.QueryRow(r.Context(),
		`SELECT count(*),
		        coalesce(sum(total_cents) FILTER (WHERE status IN ('paid', 'shipped')), 0)::bigint,
		        max(created_at)
		 FROM orders WHERE customer_id = $1`, customer).Scan(&out.OrderCount, &out.TotalSpentCents, &last)
	if err != nil {
		return err
	}
	if last != nil {
		t := timestamp(*last)
		out.LastOrderAt = &t
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
