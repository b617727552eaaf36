import ts from 'typescript';
import type { SubmissionFiles } from '../archive';
import { applyEdits, type Mutant, type SourceEdit } from './mutant';
import { eachCall } from './source-calls';
import { eachSourceFile, lineOf, withFile } from './source-mutants';

/** `x.alg` or `x['alg']`: the JOSE header's algorithm (RFC 7515 §4.1.1). */
function isAlgRead(e: ts.Expression): boolean {
  if (ts.isPropertyAccessExpression(e)) return e.name.text === 'alg';
  if (ts.isElementAccessExpression(e))
    return ts.isStringLiteralLike(e.argumentExpression) && e.argumentExpression.text === 'alg';
  return false;
}

const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/**
 * A hand-written allow-list test of the header's algorithm, and the edit that makes it let every algorithm
 * through: `h.alg !== 'HS256'` → `false`, `h.alg === 'HS256'` → `true`, `ALLOWED.includes(h.alg)` → `true`.
 */
function allowListEdit(node: ts.Node, sf: ts.SourceFile): SourceEdit | null {
  if (ts.isBinaryExpression(node) && EQUALITY.has(node.operatorToken.kind)) {
    const [a, b] = [node.left, node.right];
    const literal = (e: ts.Expression): boolean => ts.isStringLiteralLike(e);
    if (!((isAlgRead(a) && literal(b)) || (isAlgRead(b) && literal(a)))) return null;
    const negated =
      node.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
      node.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsToken;
    return { start: node.getStart(sf), end: node.getEnd(), replacement: negated ? 'false' : 'true' };
  }
  if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    ['includes', 'has'].includes(node.expression.name.text) &&
    node.arguments.length === 1 &&
    isAlgRead(node.arguments[0]!)
  )
    return { start: node.getStart(sf), end: node.getEnd(), replacement: 'true' };
  return null;
}

/**
 * One mutant per algorithm allow-list of JWT verification (RFC 8725 §3.1: the verifier, not the token,
 * chooses the algorithm): the `algorithms` option of jsonwebtoken `verify` and jose `jwtVerify` is removed,
 * and a hand-written test of the header's `alg` against a literal or a list always lets it through. The
 * verification itself is left as it was; code without such a list has no mutant of this kind.
 */
export function algorithmMutants(files: SubmissionFiles): Mutant[] {
  const out: Mutant[] = [];
  const push = (file: string, text: string, sf: ts.SourceFile, edit: SourceEdit, what: string): void => {
    const where = `${file}:${lineOf(sf, edit.start)}`;
    out.push({
      id: `accept-any-algorithm:${where}`,
      kind: 'accept-any-algorithm',
      description: `${where}: ${what}, so a token of any algorithm is verified.`,
      files: withFile(files, file, applyEdits(text, [edit])),
    });
  };
  eachCall(files, (c) => {
    if (`${c.module}:${c.name}` !== 'jsonwebtoken:verify' && `${c.module}:${c.name}` !== 'jose:jwtVerify')
      return;
    const opts = c.call.arguments[2];
    if (!opts || !ts.isObjectLiteralExpression(opts)) return;
    const prop = opts.properties.find(
      (p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'algorithms',
    );
    if (!prop) return;
    const kept = opts.properties.filter((p) => p !== prop).map((p) => p.getText(c.sf));
    const edit = { start: opts.getStart(c.sf), end: opts.getEnd(), replacement: `{ ${kept.join(', ')} }` };
    push(c.file, c.text, c.sf, edit, `${c.name}() loses its algorithms option`);
  });
  eachSourceFile(files, (file, text, sf) => {
    const visit = (node: ts.Node): void => {
      const edit = allowListEdit(node, sf);
      if (edit)
        push(file, text, sf, edit, `the test \`${node.getText(sf)}\` always lets the algorithm through`);
      else node.forEachChild(visit);
    };
    visit(sf);
  });
  return out;
}
