import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/**
 * Static check that secrets are compared in constant time (docs/api.md, issue #7). Speed is never
 * asserted in tests, so instead of timing comparisons this reads the code that checks credentials:
 * ingest verification, the integrations, tenant API keys and the admin key. Secrets, signatures,
 * tokens, digests and keys may only be compared through `safeEqual` (src/common/crypto.ts, a wrapper of
 * node's `crypto.timingSafeEqual`), never with `===`, `!==`, `==`, `!=`, `switch`, `.includes()`,
 * `.indexOf()`, `.startsWith()` or `.endsWith()`.
 *
 * Not comparisons, and fine: checks against a constant (`secret === ''`, `token === undefined`,
 * `typeof signature !== 'string'`, `digest.length === 32`), which reveal nothing of the secret.
 * Tenant API keys are looked up by their SHA-256 (`findOneBy({ keyHash: sha256Hex(key) })`, tenants.service):
 * an attacker who times that index lookup learns at most a prefix of the hash of a guess, which does
 * not lead to the key, so the lookup is not a secret comparison either.
 */

const SRC = join(__dirname, '..');
const SCOPES = ['webhooks/verification', 'integrations', 'tenants', 'admin'];
const SENSITIVE = /signature|secret|token|digest|hmac|api_?key|apikey|password|credential/i;
const SEARCHES = new Set(['includes', 'indexOf', 'lastIndexOf', 'startsWith', 'endsWith']);
const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);
/** Properties of a value that are not the value: its length, a Read<T>'s `ok`, a header's name. */
const HARMLESS_PROPERTIES = new Set(['length', 'ok', 'name', 'size', 'byteLength']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') && !path.includes(`${'/'}testing${'/'}`) ? [path] : [];
  });
}

/** The name an expression goes by: `secret`, `input.secret` → secret, `sha256Hex(x)` → sha256Hex, `a.b()` → b. */
function nameOf(node: ts.Expression): string | null {
  if (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node)) {
    return nameOf(node.expression);
  }
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) {
    return node.argumentExpression.text;
  }
  if (ts.isCallExpression(node)) return nameOf(node.expression);
  return null;
}

/** Constants and facts about a value that do not reveal it. */
function isConstant(node: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(node)) return isConstant(node.expression);
  if (
    ts.isLiteralExpression(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    ts.isTypeOfExpression(node) ||
    ts.isPrefixUnaryExpression(node)
  ) {
    return true;
  }
  if (
    node.kind === ts.SyntaxKind.NullKeyword ||
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword
  ) {
    return true;
  }
  if (ts.isIdentifier(node) && (node.text === 'undefined' || /^[A-Z][A-Z0-9_]*$/.test(node.text))) return true;
  return ts.isPropertyAccessExpression(node) && HARMLESS_PROPERTIES.has(node.name.text);
}

const sensitive = (node: ts.Expression): boolean => !isConstant(node) && SENSITIVE.test(nameOf(node) ?? '');

/** Every comparison in `code` that puts a secret-like value beside another non-constant value. */
export function unsafeComparisons(code: string, file = 'inline.ts'): string[] {
  const source = ts.createSourceFile(file, code, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const report = (node: ts.Node): void => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart());
    found.push(`${file}:${line + 1}: ${node.getText().replace(/\s+/g, ' ').slice(0, 120)}`);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && EQUALITY.has(node.operatorToken.kind)) {
      const { left, right } = node;
      if (!isConstant(left) && !isConstant(right) && (sensitive(left) || sensitive(right))) report(node);
    } else if (ts.isSwitchStatement(node) && sensitive(node.expression)) {
      if (node.caseBlock.clauses.some((c) => ts.isCaseClause(c) && !isConstant(c.expression))) report(node);
    } else if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      SEARCHES.has(node.expression.name.text)
    ) {
      const receiver = node.expression.expression;
      const argument = node.arguments[0];
      if (argument && !isConstant(argument) && (sensitive(receiver) || sensitive(argument))) report(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('timing-safe comparison of secrets', () => {
  const files = SCOPES.flatMap((scope) => sourceFiles(join(SRC, scope)));

  it('reads the verification, integration, tenant and admin code', () => {
    const names = files.map((f) => relative(SRC, f));
    expect(names).toEqual(
      expect.arrayContaining([
        'webhooks/verification/verifier.helpers.ts',
        'webhooks/verification/token.verifier.ts',
        'integrations/whatsapp/whatsapp.handshake.ts',
        'tenants/auth.ts',
        'tenants/tenants.service.ts',
        'admin/queue-dashboard.auth.ts',
      ]),
    );
  });

  it('finds the comparisons it is meant to find', () => {
    const unsafe = [
      'if (signature === expected) ok();',
      'if (given !== input.secret) fail();',
      'const ok = req.headers["x-token"] == token;',
      'if (sha256Hex(key) === storedDigest) ok();',
      'if (allowedTokens.includes(token)) ok();',
      'if (expectedDigest.startsWith(given)) ok();',
      'switch (apiKey) { case adminKey: ok(); }',
    ];
    for (const code of unsafe) expect({ code, found: unsafeComparisons(code).length }).toEqual({ code, found: 1 });
    const fine = [
      "if (secret === '') fail();",
      'if (token === undefined || token === null) fail();',
      "if (typeof signature !== 'string') fail();",
      'if (digest.length !== 32) fail();',
      'if (!signature.ok) return signature;',
      "if (scheme === 'telegram') x();",
      'return safeEqual(signature, expected);',
      'if (header.name === TELEGRAM_SECRET_HEADER) x();',
    ];
    for (const code of fine) expect({ code, found: unsafeComparisons(code) }).toEqual({ code, found: [] });
  });

  it('compares secrets, signatures, tokens and keys only through safeEqual', () => {
    const found = files.flatMap((file) => unsafeComparisons(readFileSync(file, 'utf8'), relative(SRC, file)));
    expect(found).toEqual([]);
  });

  it('uses node’s timingSafeEqual only inside the project helper, and the helper uses it', () => {
    const crypto = readFileSync(join(SRC, 'common/crypto.ts'), 'utf8');
    expect(crypto).toMatch(/export function safeEqual[\s\S]*timingSafeEqual\(left, right\)/);
    const direct = files.filter((file) => /\btimingSafeEqual\b/.test(readFileSync(file, 'utf8')));
    expect(direct.map((f) => relative(SRC, f))).toEqual([]);
  });

  it('routes every credential check of these folders through safeEqual or a helper built on it', () => {
    const users = files
      .filter((file) => /\b(safeEqual|anyMatches|tokenMatches)\(/.test(readFileSync(file, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(users).toEqual(
      expect.arrayContaining([
        'webhooks/verification/verifier.helpers.ts',
        'webhooks/verification/hex-signature.verifier.ts',
        'webhooks/verification/slack.verifier.ts',
        'webhooks/verification/standard-webhooks.verifier.ts',
        'webhooks/verification/stripe.verifier.ts',
        'webhooks/verification/token.verifier.ts',
        'integrations/whatsapp/whatsapp.handshake.ts',
        'tenants/auth.ts',
        'admin/queue-dashboard.auth.ts',
      ]),
    );
  });
});
