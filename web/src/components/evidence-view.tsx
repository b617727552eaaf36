/**
 * A check's evidence for people. Evidence is free JSON from the grader SDK; known shapes get their own
 * rendering — HTTP exchanges (method, URL, status, headers, body), SQL statements, PostgreSQL query plans
 * (EXPLAIN JSON: nodes with `Node Type` and child `Plans`) as trees, counters as a table of numbers — and
 * anything else falls back to a labelled tree of keys and values. Every value is rendered as text.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPlanNode(v: unknown): boolean {
  return isObject(v) && typeof v['Node Type'] === 'string';
}

function looksLikeSql(s: string): boolean {
  return /^\s*(select|insert|update|delete|with|create|alter|explain)\b/i.test(s);
}

function PlanTree({ node }: { node: Record<string, Json> }) {
  const children = Array.isArray(node.Plans) ? node.Plans.filter(isObject).filter(isPlanNode) : [];
  const facts = [
    'Relation Name',
    'Index Name',
    'Index Cond',
    'Filter',
    'Actual Rows',
    'Plan Rows',
    'Total Cost',
  ]
    .filter((k) => node[k] !== undefined)
    .map((k) => `${k}: ${String(node[k])}`);
  return (
    <li>
      <span class="plan-node">{String(node['Node Type'])}</span>
      {facts.length > 0 && <span class="plan-facts"> — {facts.join('; ')}</span>}
      {children.length > 0 && (
        <ul>
          {children.map((c, i) => (
            <PlanTree key={i} node={c} />
          ))}
        </ul>
      )}
    </li>
  );
}

function HttpExchange({ value }: { value: Record<string, Json> }) {
  const req = isObject(value.request) ? value.request : value;
  const res = isObject(value.response) ? value.response : null;
  const line = `${String(req.method ?? '')} ${String(req.url ?? req.path ?? '')}`.trim();
  return (
    <div class="http-exchange">
      <p>
        <code>{line}</code>
        {res && res.status !== undefined && <span class="http-status"> → {String(res.status)}</span>}
        {!res && value.status !== undefined && <span class="http-status"> → {String(value.status)}</span>}
      </p>
      {res && res.body !== undefined && (
        <pre>{typeof res.body === 'string' ? res.body : JSON.stringify(res.body, null, 2)}</pre>
      )}
    </div>
  );
}

function isHttpExchange(v: Record<string, Json>): boolean {
  const req = isObject(v.request) ? v.request : v;
  return typeof req.method === 'string' && (typeof req.url === 'string' || typeof req.path === 'string');
}

function Value({ value }: { value: Json }) {
  if (value === null) return <span class="muted">null</span>;
  if (typeof value === 'string')
    return looksLikeSql(value) ? <pre class="sql">{value}</pre> : <span>{value}</span>;
  if (typeof value === 'number' || typeof value === 'boolean')
    return <span class="num">{String(value)}</span>;
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isPlanNode))
      return (
        <ul class="plan">
          {value.filter(isObject).map((n, i) => (
            <PlanTree key={i} node={n} />
          ))}
        </ul>
      );
    return (
      <ol class="evidence-list">
        {value.slice(0, 50).map((v, i) => (
          <li key={i}>
            <Value value={v} />
          </li>
        ))}
        {value.length > 50 && <li class="muted">… {value.length - 50} more</li>}
      </ol>
    );
  }
  if (isObject(value) && isPlanNode(value))
    return (
      <ul class="plan">
        <PlanTree node={value} />
      </ul>
    );
  const plan = value.Plan;
  if (isObject(plan) && isPlanNode(plan))
    return (
      <ul class="plan">
        <PlanTree node={plan} />
      </ul>
    );
  if (isHttpExchange(value)) return <HttpExchange value={value} />;
  const entries = Object.entries(value);
  if (entries.length > 0 && entries.every(([, v]) => typeof v === 'number'))
    return (
      <table class="counters">
        <thead>
          <tr>
            <th scope="col">Counter</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {entries.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td class="num">{String(v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  return (
    <dl class="evidence-tree">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>
            <Value value={v} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Renders one check's evidence (see the module comment); nothing for undefined. */
export function EvidenceView({ evidence }: { evidence: unknown }) {
  if (evidence === undefined) return null;
  return (
    <div class="evidence" data-testid="evidence">
      <Value value={evidence as Json} />
    </div>
  );
}
