import type {} from 'handlebars'; // declares the global hbs.AST types
import { HELPER_SHAPES, HelperShape } from './template-helpers';

type Node = hbs.AST.Node;
type Program = hbs.AST.Program;
type Statement = hbs.AST.Statement;
type Expression = hbs.AST.Expression;
type Call = hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression;

/** The name of the helper every `{{value}}` is routed through; not callable from templates (not in HELPER_SHAPES). */
export const ESCAPE_HELPER = 'hookhub_escape';
/** The helper every `{{{raw}}}` value is routed through (printed as it is, but counted); not callable either. */
export const RAW_HELPER = 'hookhub_raw';
const RESERVED_HELPERS = [ESCAPE_HELPER, RAW_HELPER];

/** Blocks (`{{#if}}`, `{{#each}}`, `{{#with}}`…) inside one another, at most. */
export const MAX_BLOCK_DEPTH = 16;
/** `{{#each}}` loops inside one another, at most: every level multiplies the work of a render. */
export const MAX_EACH_DEPTH = 3;

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
  if (name !== null && RESERVED_HELPERS.includes(name)) refuse(call, `"${name}" is reserved`);
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

/** How many blocks, and how many `#each` among them, enclose the statements being checked. */
interface Nesting {
  blocks: number;
  loops: number;
}

/** The nesting inside `block`, refused when it goes deeper than {@link MAX_BLOCK_DEPTH} or {@link MAX_EACH_DEPTH}. */
function nestingInside(block: hbs.AST.BlockStatement, outer: Nesting): Nesting {
  const loop = helperName(block.path) === 'each';
  const inner = { blocks: outer.blocks + 1, loops: outer.loops + (loop ? 1 : 0) };
  if (inner.blocks > MAX_BLOCK_DEPTH) refuse(block, `blocks are nested more than ${MAX_BLOCK_DEPTH} deep`);
  if (inner.loops > MAX_EACH_DEPTH) refuse(block, `#each loops are nested more than ${MAX_EACH_DEPTH} deep`);
  return inner;
}

function checkStatement(statement: Statement, nesting: Nesting): void {
  switch (statement.type) {
    case 'MustacheStatement':
      return checkCall(statement as hbs.AST.MustacheStatement, false);
    case 'BlockStatement': {
      const block = statement as hbs.AST.BlockStatement;
      checkCall(block, true);
      const inner = nestingInside(block, nesting);
      if (block.program) checkBody(block.program, inner);
      // `{{else if …}}` chains nest as inverses: they are alternatives, not deeper levels
      if (block.inverse) checkBody(block.inverse, nesting);
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

function checkBody(program: Program, nesting: Nesting): void {
  for (const statement of program.body) checkStatement(statement, nesting);
}

/** Throws a {@link TemplateShapeError} at the first construct we refuse. */
export function checkProgram(program: Program): void {
  checkBody(program, { blocks: 0, loops: 0 });
}

function pathTo(name: string, loc: hbs.AST.SourceLocation): hbs.AST.PathExpression {
  return { type: 'PathExpression', data: false, depth: 0, parts: [name], original: name, loc };
}

/** `{{x …}}` (or `{{{x …}}}`) as `{{{helper (x …)}}}`, or `{{{helper path}}}` for a plain path. */
function routedThrough(mustache: hbs.AST.MustacheStatement, helper: string): hbs.AST.MustacheStatement {
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
  return { ...mustache, path: pathTo(helper, loc), params: [value], hash: noHash, escaped: false };
}

/**
 * Rewrites every escaped `{{x …}}` into `{{{hookhub_escape (x …)}}}` (a plain `{{path}}` into
 * `{{{hookhub_escape path}}}`), so escaping is chosen per render (per channel) instead of Handlebars' fixed HTML
 * escaping, and every `{{{raw …}}}` into `{{{hookhub_raw (raw …)}}}`, which prints it as it is: every printed value
 * goes through one of the two, where the render counts it against its output limit. Mutates and returns the program.
 */
export function routeValuesThroughHelpers(program: Program): Program {
  program.body = program.body.map((statement) => {
    if (statement.type === 'MustacheStatement') {
      const mustache = statement as hbs.AST.MustacheStatement;
      return routedThrough(mustache, mustache.escaped ? ESCAPE_HELPER : RAW_HELPER);
    }
    if (statement.type === 'BlockStatement') {
      const block = statement as hbs.AST.BlockStatement;
      if (block.program) routeValuesThroughHelpers(block.program);
      if (block.inverse) routeValuesThroughHelpers(block.inverse);
    }
    return statement;
  });
  return program;
}
