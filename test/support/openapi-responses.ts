import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Schema = Record<string, unknown>;

interface ResponseObject {
  content?: Record<string, { schema?: Schema }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, ResponseObject> }>>;
  components?: { schemas?: Record<string, Schema> };
}

/** What a response is checked against: the route template as the document names it. */
export interface ObservedResponse {
  method: string;
  /** OpenAPI form: `/api/v1/cases/{id}`. */
  path: string;
  status: number;
  /** Media type without parameters, `undefined` when the response has no body. */
  contentType: string | undefined;
  /** The raw body text (empty when none). */
  text: string;
  body: unknown;
}

const DOCUMENT_ID = 'openapi.json';

/**
 * Checks response bodies against the app's own OpenAPI document, so the document cannot drift from
 * what the API sends. Stricter than the document on one point on purpose: an object that lists its
 * properties takes no others, so a field the API sends but the document omits is a failure.
 */
export class OpenApiResponseValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    // Not strict: the schemas carry OpenAPI annotations (example, readOnly…) that JSON Schema lacks.
    this.ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(this.ajv);
    this.ajv.addSchema(
      { components: { schemas: closeObjects(document.components?.schemas ?? {}) } },
      DOCUMENT_ID,
    );
  }

  /** `undefined` when the response is what the document says; otherwise why not. */
  problem(r: ObservedResponse): string | undefined {
    const operation = this.document.paths[r.path]?.[r.method.toLowerCase()];
    if (!operation) return `${r.method} ${r.path} is not in the document`;
    const documented = operation.responses?.[String(r.status)];
    if (!documented) return `status ${r.status} is not documented`;
    const content = documented.content ?? {};
    if (Object.keys(content).length === 0)
      return r.text === '' ? undefined : `status ${r.status} documents no body, got ${r.text.slice(0, 200)}`;
    const media = r.contentType ? content[r.contentType] : undefined;
    if (!media)
      return `${r.contentType ?? 'no body'} is not documented for ${r.status} (only ${Object.keys(content).join(', ')})`;
    if (!media.schema) return undefined;
    const key = `${r.method} ${r.path} ${r.status} ${r.contentType}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(closeObjects(media.schema));
      this.compiled.set(key, validate);
    }
    if (validate(r.body)) return undefined;
    return this.ajv.errorsText(validate.errors, { separator: '; ', dataVar: 'body' });
  }
}

/**
 * The schema rewritten for ajv: `$ref`s point into the registered document, OpenAPI 3.0's `nullable`
 * becomes a `null` type, and objects with listed properties refuse unlisted ones.
 */
function closeObjects<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(closeObjects) as T;
  if (!schema || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema as Schema))
    out[k] = k === '$ref' && typeof v === 'string' ? `${DOCUMENT_ID}${v}` : closeObjects(v);
  if (out.properties && out.additionalProperties === undefined && !out.allOf && !out.oneOf && !out.anyOf)
    out.additionalProperties = false;
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string' && !out.allOf && !out.$ref) {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    } else {
      // `allOf: [{ $ref }], nullable: true` and the like: either the schema or null.
      const copy = { ...out };
      for (const key of Object.keys(out)) delete out[key];
      out.anyOf = [copy, { type: 'null' }];
    }
  }
  return out as T;
}

/** The `{id}`-style template of the document that a concrete URL matches (most literal wins). */
export function pathTemplateOf(document: OpenApiDocument, url: string): string | undefined {
  const path = url.split('?')[0];
  const candidates = Object.keys(document.paths).filter((template) =>
    new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
  );
  const literalLength = (t: string) => t.replace(/\{[^}]+\}/g, '').length;
  return candidates.sort((a, b) => literalLength(b) - literalLength(a))[0];
}

/** The media type of a Content-Type header without its parameters. */
export function mediaTypeOf(header: string | undefined): string | undefined {
  return header?.split(';')[0].trim().toLowerCase() || undefined;
}
