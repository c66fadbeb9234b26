// The user's own receivers (generic and generic-hmac Providers, e.g.
// https://audit.acme.example/flux): the mock cannot know them in advance, so it captures the
// hosts of the loaded Providers' addresses. It answers 200 like a plain webhook receiver and, for
// generic-hmac, checks X-Signature against the key the mock was told, refusing a bad one with 401
// as a verifying receiver (such as Flux's own Receiver) would.

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HttpHandler } from 'msw';
import type { GenericPreview } from '../src/runner/preview-model.js';
import { compact, endpoint, maskHeaders, maskUrl, parseJson, textReply, type MockContext, type MockReply, type MockRequest } from './common.js';
import type { MockState } from './state.js';

const GENERIC_TYPES = new Set(['generic', 'generic-hmac']);
const HMAC_ALGORITHMS: Record<string, string> = { sha1: 'sha1', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' };

/** The request as a capture shows it: masked headers, the body parsed when it is JSON or a form. */
export function genericPreview(req: MockRequest, service: string, extra: Partial<GenericPreview> = {}): GenericPreview {
  const contentType = (req.header('content-type') ?? '').toLowerCase();
  const base: GenericPreview = { kind: 'generic', service, method: req.method, url: maskUrl(req.url.href), headers: maskHeaders(req.headers) };
  const notes: string[] = [...(extra.notes ?? [])];
  if (req.bytes.length > 0) {
    const parsed = parseJson(req.text);
    if (parsed.ok) base.json = parsed.value;
    else if (contentType.startsWith('application/x-www-form-urlencoded')) {
      base.json = Object.fromEntries(new URLSearchParams(req.text).entries());
      notes.push('form-encoded body, shown decoded');
    } else if (contentType.startsWith('text/') || contentType === '' || /json|xml|yaml/.test(contentType)) {
      base.text = req.text;
    } else {
      base.text = `<${req.bytes.length} bytes of ${contentType}>`;
    }
  }
  return compact<GenericPreview>({ ...base, ...extra, notes: notes.length > 0 ? notes : undefined });
}

export interface SignatureCheck {
  valid?: boolean;
  algorithm?: string;
  detail?: string;
}

/** Checks `X-Signature: <algo>=<hex>` over the exact body bytes. */
export function checkSignature(req: MockRequest, key: string | undefined): SignatureCheck {
  const header = req.header('x-signature');
  if (key === undefined) return header === undefined ? {} : { detail: 'the mock does not know the HMAC key for this address: signature not checked' };
  if (header === undefined) return { valid: false, detail: 'no X-Signature header' };
  const eq = header.indexOf('=');
  const algorithm = eq === -1 ? '' : header.slice(0, eq);
  const hex = eq === -1 ? header : header.slice(eq + 1);
  const algo = HMAC_ALGORITHMS[algorithm.toLowerCase()];
  if (!algo) return { valid: false, algorithm, detail: `unsupported signature algorithm '${algorithm}' (expected <algo>=<hex>)` };
  const want = createHmac(algo, key).update(req.bytes).digest();
  const got = Buffer.from(hex, 'hex');
  const valid = got.length === want.length && timingSafeEqual(got, want);
  return { valid, algorithm, ...(valid ? {} : { detail: `X-Signature does not match the ${algorithm} HMAC of the body under the configured key` }) };
}

export function genericRespond(state: MockState, req: MockRequest, service: string): MockReply {
  const sig = checkSignature(req, state.hmacKeyFor(req.url));
  const preview = genericPreview(req, service, {
    ...(sig.valid !== undefined ? { signatureValid: sig.valid } : {}),
    ...(sig.algorithm ? { signatureAlgorithm: sig.algorithm } : {}),
    ...(sig.detail && sig.valid === undefined ? { notes: [sig.detail] } : {}),
  });
  if (sig.valid === false) {
    return { ...textReply(401, 'invalid signature'), preview, previewError: { service, status: 401, error: 'invalid signature', detail: sig.detail ?? '' } };
  }
  return { status: 200, headers: {}, body: '', preview };
}

export function genericHandlers(ctx: MockContext): HttpHandler[] {
  const { state } = ctx;
  const typeOf = (url: URL) => state.providerFor(url)?.type;
  return [
    endpoint(ctx, {
      service: (url) => typeOf(url) ?? 'generic',
      match: (url) => {
        const type = typeOf(url);
        return type !== undefined && GENERIC_TYPES.has(type);
      },
      respond: (req) => genericRespond(state, req, typeOf(req.url) ?? 'generic'),
    }),
  ];
}
