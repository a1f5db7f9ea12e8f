import { createAjv, type ValidateFunction } from '../../adapters/validation/create-ajv.js';

/**
 * Every 2xx JSON answer of a test app, checked against the schema its route declares in its OpenAPI document:
 * startTestApp watches its app, and its fetch and Browser's check each answer from a watched origin.
 */
const watched = new Map<string, ResponseSchemas>();

interface Operation {
  pattern: RegExp;
  /** Parameters in the path: an exact path wins over a pattern that also matches it. */
  params: number;
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}

/** What the check reads of an OpenAPI document. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, Pick<Operation, 'responses'>>>;
}

export class ResponseSchemas {
  private operations: Promise<Map<string, Operation[]>> | undefined;
  private readonly checks = new Map<string, ValidateFunction>();
  private readonly ajv = createAjv({ coerceTypes: false });

  /** `readDocument` gives the app's OpenAPI document, read once when the first answer is checked. */
  constructor(private readonly readDocument: () => Promise<OpenApiDocument>) {}

  /** Throws when `res`, a 2xx JSON answer to `method path`, does not match the route's declared schema for its status. */
  async check(method: string, path: string, res: Response): Promise<void> {
    if (res.status < 200 || res.status >= 300 || !res.headers.get('content-type')?.startsWith('application/json')) return;
    const operation = (await this.operationsBy())
      .get(method === 'HEAD' ? 'get' : method.toLowerCase())
      ?.filter((candidate) => candidate.pattern.test(path))
      .sort((a, b) => a.params - b.params)[0];
    // A test's own route may be off the document, or declare no success answer: nothing to check it against.
    if (!operation || method === 'HEAD' || !Object.keys(operation.responses).some((status) => status.startsWith('2'))) return;
    const schema = operation.responses[res.status]?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`${method} ${path} answered ${res.status}, which its route does not declare`);
    const key = `${method} ${operation.pattern.source} ${res.status}`;
    if (!this.checks.has(key)) this.checks.set(key, this.ajv.compile(schema));
    const check = this.checks.get(key)!;
    const body: unknown = await res.clone().json();
    if (!check(body)) {
      throw new Error(`${method} ${path} ${res.status}: the body does not match its declared schema: ${JSON.stringify(check.errors)}`);
    }
  }

  private operationsBy(): Promise<Map<string, Operation[]>> {
    this.operations ??= this.readDocument().then((doc) => {
      const byMethod = new Map<string, Operation[]>();
      for (const [template, operations] of Object.entries(doc.paths)) {
        const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`);
        const params = template.split('{').length - 1;
        for (const [method, { responses }] of Object.entries(operations)) {
          byMethod.set(method, [...(byMethod.get(method) ?? []), { pattern, params, responses }]);
        }
      }
      return byMethod;
    });
    return this.operations;
  }
}

/** Checks the answers of the app at `origin` from now on (until unwatched). */
export function watchResponses(origin: string, schemas: ResponseSchemas): () => void {
  watched.set(origin, schemas);
  return () => watched.delete(origin);
}

/** Checks `res` if it came from a watched app (see ResponseSchemas.check). */
export async function checkResponse(url: string, method: string | undefined, res: Response): Promise<void> {
  const { origin, pathname } = new URL(url);
  await watched.get(origin)?.check((method ?? 'GET').toUpperCase(), pathname, res);
}
