import type {} from 'handlebars'; // declares the global hbs.AST types
import { HELPER_SHAPES, HelperShape } from './template-helpers';

type Node = hbs.AST.Node;
type Program = hbs.AST.Program;
type Statement = hbs.AST.Statement;
type Expression = hbs.AST.Expression;
type Call = hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression;

/** The name of the helper every `{{value}}` is routed through; not callable from templates (not in HELPER_SHAPES). */
export const ESCAPE_HELPER = 'hookhub_escape';

/** A template that Handlebars parses but we refuse (unknown helper, partial, wrong arity…), with its position. */
export class TemplateShapeError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} (line ${line}, column ${column})`);
  }
}

function refuse(node: Node, message: string): never {
  throw new TemplateShapeError(message, node.loc.start.line, node.loc.start.column + 1);
}

/** The name a call would look a helper up by: a single plain identifier, or a literal (`{{"name"}}`); else null. */
function helperName(path: hbs.AST.PathExpression | hbs.AST.Literal): string | null {
  if (path.type !== 'PathExpression') return String((path as hbs.AST.StringLiteral).original);
  const p = path as hbs.AST.PathExpression;
  const scoped = /^(this|\.)[./]/.test(p.original) || p.original === 'this' || p.original === '.';
  return !p.data && p.depth === 0 && p.parts.length === 1 && !scoped ? p.parts[0] : null;
}

function knownShape(name: string | null): HelperShape | undefined {
  return name !== null && Object.hasOwn(HELPER_SHAPES, name) ? HELPER_SHAPES[name] : undefined;
}

function hasArguments(call: Call): boolean {
  return call.params.length > 0 || (call.hash?.pairs.length ?? 0) > 0;
}

function arity(shape: HelperShape): string {
  if (shape.maxArgs === Infinity) return `at least ${shape.minArgs}`;
  const count = shape.minArgs === shape.maxArgs ? `${shape.minArgs}` : `${shape.minArgs} to ${shape.maxArgs}`;
  return `${count} argument${shape.maxArgs === 1 ? '' : 's'}`;
}

/** Refuses a call of an unknown helper, a block helper used inline (or the reverse) and a wrong argument count. */
function checkCall(call: Call, block: boolean): void {
  const name = helperName(call.path);
  if (name === ESCAPE_HELPER) refuse(call, `"${ESCAPE_HELPER}" is reserved`);
  const shape = knownShape(name);
  if (!shape) {
    if (hasArguments(call)) refuse(call, `unknown helper "${name ?? (call.path as hbs.AST.PathExpression).original}"`);
    return;
  }
  if (shape.block && !block) refuse(call, `"${name}" is a block helper: write {{#${name} …}}…{{/${name}}}`);
  if (!shape.block && block) refuse(call, `"${name}" is not a block helper: write {{${name} …}}`);
  const count = call.params.length;
  if (count < shape.minArgs || count > shape.maxArgs) {
    const hint = count === 0 ? ` (to print a field named ${name}, write {{this.${name}}})` : '';
    refuse(call, `"${name}" takes ${arity(shape)}, got ${count}${hint}`);
  }
  call.params.forEach(checkExpression);
  call.hash?.pairs.forEach((pair) => checkExpression(pair.value));
}

function checkExpression(expression: Expression): void {
  if (expression.type === 'SubExpression') checkCall(expression as hbs.AST.SubExpression, false);
}

function checkStatement(statement: Statement): void {
  switch (statement.type) {
    case 'MustacheStatement':
      return checkCall(statement as hbs.AST.MustacheStatement, false);
    case 'BlockStatement': {
      const block = statement as hbs.AST.BlockStatement;
      checkCall(block, true);
      if (block.program) checkProgram(block.program);
      if (block.inverse) checkProgram(block.inverse);
      return;
    }
    case 'PartialStatement':
    case 'PartialBlockStatement':
      return refuse(statement, 'partials ({{> name}}) are not supported');
    case 'Decorator':
    case 'DecoratorBlock':
      return refuse(statement, 'decorators ({{* name}}) are not supported');
    default:
      return; // content and comments
  }
}

/** Throws a {@link TemplateShapeError} at the first construct we refuse. */
export function checkProgram(program: Program): void {
  program.body.forEach(checkStatement);
}

function pathTo(name: string, loc: hbs.AST.SourceLocation): hbs.AST.PathExpression {
  return { type: 'PathExpression', data: false, depth: 0, parts: [name], original: name, loc };
}

function escapeWrapped(mustache: hbs.AST.MustacheStatement): hbs.AST.MustacheStatement {
  const { loc, path, params, hash } = mustache;
  let value: Expression;
  if (hasArguments(mustache) || knownShape(helperName(path))) {
    const call: hbs.AST.SubExpression = {
      type: 'SubExpression',
      path: path as hbs.AST.PathExpression,
      params,
      hash,
      loc,
    };
    value = call;
  } else if (path.type === 'PathExpression') {
    value = path;
  } else {
    // `{{"a b"}}` is a lookup of the field "a b" in Handlebars, not the text: keep that meaning.
    value = pathTo(String((path as hbs.AST.StringLiteral).original), loc);
  }
  const noHash = undefined as unknown as hbs.AST.Hash;
  return { ...mustache, path: pathTo(ESCAPE_HELPER, loc), params: [value], hash: noHash, escaped: false };
}

/**
 * Rewrites every escaped `{{x …}}` into `{{{hookhub_escape (x …)}}}` (a plain `{{path}}` into
 * `{{{hookhub_escape path}}}`), so escaping is chosen per render (per channel) instead of Handlebars' fixed HTML
 * escaping; `{{{raw}}}` is left alone. Mutates and returns the program.
 */
export function routeValuesThroughEscape(program: Program): Program {
  program.body = program.body.map((statement) => {
    if (statement.type === 'MustacheStatement') {
      const mustache = statement as hbs.AST.MustacheStatement;
      return mustache.escaped ? escapeWrapped(mustache) : mustache;
    }
    if (statement.type === 'BlockStatement') {
      const block = statement as hbs.AST.BlockStatement;
      if (block.program) routeValuesThroughEscape(block.program);
      if (block.inverse) routeValuesThroughEscape(block.inverse);
    }
    return statement;
  });
  return program;
}
