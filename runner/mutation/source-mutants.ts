import ts from 'typescript';
import type { SubmissionFiles } from '../archive';
import { applyEdits, type Mutant, type SourceEdit } from './mutant';

/** Source files the source-level mutants look at: JavaScript and TypeScript outside node_modules. */
export function isSourceFile(file: string): boolean {
  return (
    /\.(?:c|m)?[jt]sx?$/.test(file) && !file.split('/').includes('node_modules') && !file.endsWith('.d.ts')
  );
}

function parse(file: string, text: string): ts.SourceFile {
  const kind = /\.[cm]?tsx?$/.test(file) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
}

/** Calls `fn` with the text and parsed AST of every source file of `files` (see {@link isSourceFile}). */
export function eachSourceFile(
  files: SubmissionFiles,
  fn: (file: string, text: string, sf: ts.SourceFile) => void,
): void {
  for (const [file, buf] of files) {
    if (!isSourceFile(file)) continue;
    const text = buf.toString('utf8');
    fn(file, text, parse(file, text));
  }
}

function visit(node: ts.Node, fn: (n: ts.Node) => void): void {
  fn(node);
  node.forEachChild((child) => visit(child, fn));
}

/** Calls `fn` for every AST node of every source file of `files` (see {@link isSourceFile}). */
function eachSourceNode(
  files: SubmissionFiles,
  fn: (file: string, text: string, sf: ts.SourceFile, node: ts.Node) => void,
): void {
  eachSourceFile(files, (file, text, sf) => visit(sf, (node) => fn(file, text, sf, node)));
}

/** The 1-based line of offset `pos`. */
export const lineOf = (sf: ts.SourceFile, pos: number): number =>
  sf.getLineAndCharacterOfPosition(pos).line + 1;

/** `files` with `file` replaced by `text`. */
export function withFile(files: SubmissionFiles, file: string, text: string): SubmissionFiles {
  const out = new Map(files);
  out.set(file, Buffer.from(text, 'utf8'));
  return out;
}

/**
 * An ownership predicate in SQL text: `customer_id = $2`, `o.owner_id = $1` (also user, account, tenant).
 * Matched only in a WHERE/ON/AND/OR context, not after `SET`.
 */
const OWNERSHIP = /\b((?:\w+\.)?(?:customer|owner|user|account|tenant)_id)\s*=\s*\$(\d+)/gi;

/**
 * One mutant per ownership predicate found in a string or template literal: the predicate is replaced by
 * `($n::text IS NOT NULL)`, which keeps the parameter referenced (so the statement still prepares) and
 * lets every row through — the broken object-level authorization of OWASP API1:2023.
 */
export function ownershipFilterMutants(files: SubmissionFiles): Mutant[] {
  const out: Mutant[] = [];
  eachSourceNode(files, (file, text, sf, node) => {
    if (
      !ts.isStringLiteral(node) &&
      !ts.isNoSubstitutionTemplateLiteral(node) &&
      !ts.isTemplateHead(node) &&
      !ts.isTemplateMiddle(node) &&
      !ts.isTemplateTail(node)
    )
      return;
    const start = node.getStart(sf);
    const raw = text.slice(start, node.getEnd());
    for (const m of raw.matchAll(OWNERSHIP)) {
      const before = raw.slice(0, m.index);
      const keywords = before.match(/\b(SET|WHERE|AND|OR|ON)\b/gi) ?? [];
      if (keywords.length && keywords[keywords.length - 1]!.toUpperCase() === 'SET') continue;
      const at = start + m.index;
      const edit: SourceEdit = {
        start: at,
        end: at + m[0].length,
        replacement: `($${m[2]}::text IS NOT NULL)`,
      };
      out.push({
        id: `remove-ownership-filter:${file}:${lineOf(sf, at)}`,
        kind: 'remove-ownership-filter',
        description: `${file}:${lineOf(sf, at)}: the predicate \`${m[0]}\` no longer restricts rows to the caller.`,
        files: withFile(files, file, applyEdits(text, [edit])),
      });
    }
  });
  return out;
}

/** Callee names that build a validation error (`throw invalid(...)`, `throw new ValidationError(...)`). */
const VALIDATION_ERROR =
  /^(?:invalid\w*|validation\w*|badRequest\w*|unprocessable\w*|\w*ValidationError|BadRequest\w*)$/i;

function calleeName(expr: ts.Expression): string | null {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  return null;
}

/** `throw invalid(...)`, `return res.status(422).json(...)`, `schema.parse(x)` → the edit that removes it. */
function validationEdit(node: ts.Node, sf: ts.SourceFile): SourceEdit | null {
  if (ts.isThrowStatement(node)) {
    const e = node.expression;
    if (
      (ts.isCallExpression(e) || ts.isNewExpression(e)) &&
      VALIDATION_ERROR.test(calleeName(e.expression) ?? '')
    )
      return { start: node.getStart(sf), end: node.getEnd(), replacement: ';' };
    return null;
  }
  if (ts.isReturnStatement(node) || ts.isExpressionStatement(node)) {
    const text = node.getText(sf);
    if (/\.status\(\s*(?:400|422)\s*\)/.test(text))
      return { start: node.getStart(sf), end: node.getEnd(), replacement: ';' };
    return null;
  }
  if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'parse' &&
    /schema/i.test(node.expression.expression.getText(sf)) &&
    node.arguments.length === 1
  ) {
    return {
      start: node.getStart(sf),
      end: node.getEnd(),
      replacement: `(${node.arguments[0]!.getText(sf)})`,
    };
  }
  return null;
}

function functionName(fn: ts.FunctionLikeDeclaration): string | null {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const parent = fn.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return null;
}

function insideFunction(node: ts.Node): boolean {
  for (let p = node.parent; p; p = p.parent) if (ts.isFunctionLike(p)) return true;
  return false;
}

/**
 * One mutant per function that validates input: every validation rejection directly inside it (not in
 * named functions nested in it; anonymous callbacks count as part of it) is removed: `throw invalid(...)`-style
 * statements, early `res.status(400|422)` answers, and `schema.parse(x)` calls (replaced by `x`). Grouping by function keeps a check that is
 * repeated as a fallback in the same function from making the mutant survive by accident.
 */
export function validationMutants(files: SubmissionFiles): Mutant[] {
  const out: Mutant[] = [];
  eachSourceNode(files, (file, text, sf, node) => {
    if (!ts.isFunctionLike(node) || !('body' in node) || !node.body) return;
    const fn = node as ts.FunctionLikeDeclaration;
    const named = functionName(fn);
    if (named === null && insideFunction(fn)) return; // an anonymous callback belongs to its enclosing function
    const name = named ?? `line-${lineOf(sf, fn.getStart(sf))}`;
    const edits: SourceEdit[] = [];
    const walk = (n: ts.Node): void => {
      if (ts.isFunctionLike(n) && functionName(n as ts.FunctionLikeDeclaration) !== null) return;
      const edit = validationEdit(n, sf);
      if (edit) edits.push(edit);
      else n.forEachChild(walk);
    };
    fn.body!.forEachChild(walk);
    if (!edits.length) return;
    out.push({
      id: `remove-validation:${file}:${name}`,
      kind: 'remove-validation',
      description: `${file}: ${name}() no longer rejects invalid input (${edits.length} rejection${edits.length > 1 ? 's' : ''} removed).`,
      files: withFile(files, file, applyEdits(text, edits)),
    });
  });
  return out;
}
