/** People's names of the grading categories, in report order. */
export const CATEGORY_LABELS: Record<string, string> = {
  correctness: 'Correctness',
  api_design: 'API design',
  query_optimization: 'Query optimization',
  security: 'Security',
  performance: 'Performance',
};

/** Category ids in report order, then any other the report has. */
export function orderedCategories(categories: Record<string, unknown>): string[] {
  const known = Object.keys(CATEGORY_LABELS).filter((c) => c in categories);
  return [...known, ...Object.keys(categories).filter((c) => !(c in CATEGORY_LABELS))];
}

const BAR_W = 240;
const ROW_H = 28;
const LABEL_W = 150;

/**
 * Overall and per-category scores as a horizontal bar chart (SVG, no script or inline style), with the
 * same figures as text for assistive technology (`role="img"` with a full `aria-label`, and a caption).
 */
export function ScoreChart({ scores }: { scores: { overall: number; categories: Record<string, number> } }) {
  const rows: [string, number][] = [
    ['Overall', scores.overall],
    ...orderedCategories(scores.categories).map((c): [string, number] => [
      CATEGORY_LABELS[c] ?? c,
      scores.categories[c] ?? 0,
    ]),
  ];
  const label = rows.map(([n, v]) => `${n} ${Math.round(v)}%`).join(', ');
  const height = rows.length * ROW_H;
  return (
    <figure class="score-chart">
      <svg
        role="img"
        aria-label={`Scores: ${label}`}
        viewBox={`0 0 ${LABEL_W + BAR_W + 60} ${height}`}
        width={LABEL_W + BAR_W + 60}
        height={height}
      >
        {rows.map(([name, value], i) => (
          <g key={name} transform={`translate(0 ${i * ROW_H})`}>
            <text x={0} y={18} class={i === 0 ? 'chart-label overall' : 'chart-label'}>
              {name}
            </text>
            <rect x={LABEL_W} y={6} width={BAR_W} height={16} class="chart-track" />
            <rect
              x={LABEL_W}
              y={6}
              width={Math.max(0, Math.min(100, value)) * (BAR_W / 100)}
              height={16}
              class={value >= 100 ? 'chart-bar full' : 'chart-bar'}
            />
            <text x={LABEL_W + BAR_W + 8} y={18} class="chart-value">
              {Math.round(value)}%
            </text>
          </g>
        ))}
      </svg>
      <figcaption data-testid="overall-score">Overall score: {Math.round(scores.overall)}%</figcaption>
    </figure>
  );
}
