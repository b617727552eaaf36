import ts from 'typescript';
import type { SubmissionFiles } from '../archive';
import { eachSourceFile } from './source-mutants';

/** One call expression of a source file, with what it resolves to through the file's imports. */
export interface SourceCall {
  file: string;
  text: string;
  sf: ts.SourceFile;
  call: ts.CallExpression;
  /** `x` of `x.name(…)`; null for a bare `name(…)`. */
  receiver: ts.Expression | null;
  /** The called function or method name. */
  name: string;
  /**
   * The module the callee comes from, without a `node:` prefix (`argon2` for `argon2.verify(…)` after
   * `const argon2 = require('argon2')`, `crypto` for a destructured `timingSafeEqual(…)`), or null.
   */
  module: string | null;
}

/** Local names bound to a module (`const x = require('m')`, `import x from 'm'`, `import * as x`, named imports). */
function moduleBindings(sf: ts.SourceFile): Map<string, string> {
  const out = new Map<string, string>();
  const norm = (m: string): string => m.replace(/^node:/, '');
  const visit = (node: ts.Node): void => {
    if (
      ts.isVariableDeclaration(node) &&
      node.initializer &&
      ts.isCallExpression(node.initializer) &&
      ts.isIdentifier(node.initializer.expression) &&
      node.initializer.expression.text === 'require' &&
      node.initializer.arguments[0] &&
      ts.isStringLiteralLike(node.initializer.arguments[0])
    ) {
      const mod = norm(node.initializer.arguments[0].text);
      if (ts.isIdentifier(node.name)) out.set(node.name.text, mod);
      else if (ts.isObjectBindingPattern(node.name))
        for (const el of node.name.elements) if (ts.isIdentifier(el.name)) out.set(el.name.text, mod);
    }
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const mod = norm(node.moduleSpecifier.text);
      const clause = node.importClause;
      if (clause?.name) out.set(clause.name.text, mod);
      const nb = clause?.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) out.set(nb.name.text, mod);
      if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) out.set(el.name.text, mod);
    }
    node.forEachChild(visit);
  };
  visit(sf);
  return out;
}

/** Calls `fn` for every call expression of every JavaScript/TypeScript source file of `files`. */
export function eachCall(files: SubmissionFiles, fn: (c: SourceCall) => void): void {
  eachSourceFile(files, (file, text, sf) => {
    const bindings = moduleBindings(sf);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const e = node.expression;
        if (ts.isPropertyAccessExpression(e)) {
          const root = ts.isIdentifier(e.expression) ? e.expression.text : null;
          const module = root ? (bindings.get(root) ?? null) : null;
          fn({ file, text, sf, call: node, receiver: e.expression, name: e.name.text, module });
        } else if (ts.isIdentifier(e)) {
          fn({
            file,
            text,
            sf,
            call: node,
            receiver: null,
            name: e.text,
            module: bindings.get(e.text) ?? null,
          });
        }
      }
      node.forEachChild(visit);
    };
    visit(sf);
  });
}

/** The name of the function `node` is in (declaration, variable or property it is assigned to), or null. */
export function enclosingFunctionName(node: ts.Node): string | null {
  for (let p = node.parent; p; p = p.parent) {
    if (!ts.isFunctionLike(p)) continue;
    const f = p as ts.FunctionLikeDeclaration;
    if (f.name && ts.isIdentifier(f.name)) return f.name.text;
    const parent = f.parent;
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
    if (ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  }
  return null;
}
