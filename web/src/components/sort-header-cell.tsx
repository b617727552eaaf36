/** A table's sort: the column key and its direction (1 ascending, -1 descending). */
export interface TableSort<K extends string> {
  key: K;
  dir: 1 | -1;
}

/** Props of {@link SortHeaderCell}. */
export interface SortHeaderCellProps<K extends string> {
  /** The column this header sorts by. */
  column: K;
  label: string;
  sort: TableSort<K>;
  /** Called with the new sort: this column ascending, or the other direction when it is already sorted. */
  onSort: (sort: TableSort<K>) => void;
}

/**
 * A column header of a sortable table: a button that sorts by its column (again: the other way), with
 * `aria-sort` on the sorted column (WAI-ARIA 1.2, `aria-sort`) and a ▲/▼ marker hidden from screen readers.
 */
export function SortHeaderCell<K extends string>({ column, label, sort, onSort }: SortHeaderCellProps<K>) {
  const sorted = sort.key === column;
  return (
    <th scope="col" aria-sort={sorted ? (sort.dir === 1 ? 'ascending' : 'descending') : undefined}>
      <button
        type="button"
        class="sort"
        onClick={() => onSort({ key: column, dir: sorted ? (-sort.dir as 1 | -1) : 1 })}
      >
        {label}
        <span aria-hidden="true">{sorted ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </th>
  );
}
