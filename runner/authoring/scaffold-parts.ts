/**
 * What `challenge new` writes differently per runtime and per database engine, beside the template folders
 * (runner/authoring/templates/): the statement's paragraphs, the manifest's service entry and
 * query-optimization check, and the one realistic mistake of each runtime's reference that becomes
 * wrong/leaky-errors. Every runtime here has templates for every engine here.
 */

/** One text replacement of a defect: `[before, after]`, `before` found exactly once in the file. */
export type DefectEdit = readonly [before: string, after: string];

/** What a runtime adds to a scaffold. */
export interface RuntimePart {
  /** The `## Runtime` paragraph of the statement: language, how dependencies are installed, the start. */
  readme: string;
  /**
   * The wrong/leaky-errors defect: malformed JSON in `POST /items` is not caught and the error handler sends
   * the exception's message with a 500. `file` is the reference file (relative to reference/) edited.
   */
  leakyErrors: { file: string; edits: readonly DefectEdit[] };
}

/** What a database engine adds to a scaffold. */
export interface ServicePart {
  /** The engine's name in prose (starter comments, statement). */
  engine: string;
  /** The variable the service reads the engine's URL from (its kind's default). */
  env: string;
  /** The manifest's `services:` entry, YAML lines indented under `services:` (`__DB__` is replaced). */
  manifest: string;
  /** The statement's paragraph on the data: where it lives, its shape, the seed, what an id is. */
  readme: string;
  /** The query-optimization check: its id and title (the same id as in the service's hidden tests). */
  queryCheck: { id: string; title: string };
  /** What the query-optimization category counts, in the statement's `## How it is graded`. */
  queryEvidence: string;
}

/** The runtimes `challenge new` scaffolds, by runtime id (runner/contract/runtime-selection.ts). */
export const RUNTIME_PARTS: Readonly<Record<string, RuntimePart>> = {
  node22: {
    readme:
      'Node.js 22. Dependencies are installed from `package.json` and its lock file; `npm start`\n' +
      '(`scripts.start`) starts the service, which listens on `$PORT`.',
    leakyErrors: {
      file: 'server.js',
      edits: [
        [
          "        const body = await readJson(req).catch(() => undefined);\n        if (body === undefined) return problem(res, 400, 'The body is not valid JSON.');\n",
          '        const body = await readJson(req);\n',
        ],
        ["    problem(res, 500, 'Internal error.');", '    problem(res, 500, String(err.message));'],
      ],
    },
  },
  python3: {
    readme:
      'Python 3.11. Dependencies are installed from `requirements.txt` (wheels); the `web:` line of a\n' +
      '`Procfile` starts the service, else `python main.py`. It listens on `$PORT`.',
    leakyErrors: {
      file: 'main.py',
      edits: [
        [
          '    try:\n        body = await request.json()\n    except ValueError:\n        return problem(400, "The body is not valid JSON.")\n',
          '    body = await request.json()\n',
        ],
        ['    return problem(500, "Internal error.")', '    return problem(500, str(exc))'],
      ],
    },
  },
  go: {
    readme:
      'Go 1.25: a module with `go.mod` (and `go.sum`); its main package is built and started (with several,\n' +
      'the `web:` line of a `Procfile` names the one that serves). It listens on `$PORT`.',
    leakyErrors: {
      file: 'main.go',
      edits: [
        [
          '\t\t\tproblem(w, http.StatusBadRequest, "The body is not valid JSON.")',
          '\t\t\tproblem(w, http.StatusInternalServerError, err.Error())',
        ],
      ],
    },
  },
};

/** The database engines `challenge new` scaffolds, by service kind (docs/engines.md). */
export const SERVICE_PARTS: Readonly<Record<string, ServicePart>> = {
  postgres: {
    engine: 'PostgreSQL',
    env: 'DATABASE_URL',
    manifest: `  - kind: postgres
    name: db
    image: db
    port: 5432
    database: __DB__
    candidate_role: app`,
    readme:
      'PostgreSQL 15 at `$DATABASE_URL` (a non-superuser role that owns the tables). Table\n' +
      "`items(id serial primary key, name text not null)`, seeded with 20 rows. An item's `id` is its row's `id`.",
    queryCheck: { id: 'q-items-list-statements', title: 'GET /items runs a single statement' },
    queryEvidence: 'statements the database ran for a request',
  },
  mongodb: {
    engine: 'MongoDB',
    env: 'MONGODB_URL',
    manifest: `  - kind: mongodb
    name: db
    image: db
    port: 27017
    database: __DB__`,
    readme:
      'MongoDB at `$MONGODB_URL` (its path names the database; use an official driver). Collection `items` of\n' +
      "documents `{_id: ObjectId, name: string}`, seeded with 20 documents. An item's `id` is its `_id` as 24\n" +
      'lower-case hexadecimal digits; "ordered by id" is `_id` order.',
    queryCheck: { id: 'q-items-list-commands', title: 'GET /items runs a single MongoDB command' },
    queryEvidence: 'MongoDB commands a request ran',
  },
  redis: {
    engine: 'Redis',
    env: 'REDIS_URL',
    manifest: `  - kind: redis
    name: db
    image: db
    port: 6379`,
    readme:
      'Redis 7 at `$REDIS_URL` (a user without administrative commands). Items are the hash `items` (field:\n' +
      'the id in decimal digits, value: the name), seeded with 20 items; `items:last_id` holds the last id\n' +
      "given (`INCR` it for a new item). An item's `id` is a positive integer.",
    queryCheck: {
      id: 'q-items-list-commands',
      title: 'GET /items runs as many Redis commands with 20 more items (no command per item)',
    },
    queryEvidence: 'Redis commands a request ran, as the number of items grows',
  },
};
