import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { ConfigError, TrustedDocumentError } from '../errors/caregraph-error.js';

/** One operation of an Apollo persisted query manifest. */
export interface ManifestOperation {
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

/** The Apollo persisted query manifest (`@apollo/generate-persisted-query-manifest` writes it). */
export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: ManifestOperation[];
}

const manifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string(),
      type: z.enum(['query', 'mutation', 'subscription']),
      body: z.string().min(1),
    }),
  ),
});

/** Hex sha256 of a document, the id Apollo clients send in `extensions.persistedQuery`. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What an operation request carries that decides which document runs. */
export interface OperationSource {
  query?: unknown;
  extensions?: unknown;
}

function persistedQueryHash(extensions: unknown): string | undefined {
  const persisted = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)
    ?.persistedQuery;
  return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
}

/**
 * Trusted-documents mode: only the operations of a persisted query manifest run. A client names
 * one by id (`extensions.persistedQuery.sha256Hash`, the persisted-query request shape) or sends
 * a document whose sha256 is that of a registered body. Used on HTTP (before Apollo) and in
 * graphql-ws `onSubscribe`.
 */
export class TrustedDocuments {
  private readonly byId = new Map<string, ManifestOperation>();
  private readonly bodyHashes = new Set<string>();

  constructor(manifest: PersistedQueryManifest) {
    for (const operation of manifest.operations) {
      this.byId.set(operation.id, operation);
      this.bodyHashes.add(sha256Hex(operation.body));
    }
  }

  /** Reads and validates a manifest file; a ConfigError names CAREGRAPH_TRUSTED_DOCUMENTS. */
  static async load(path: string): Promise<TrustedDocuments> {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : '';
      throw ConfigError.invalid([
        `CAREGRAPH_TRUSTED_DOCUMENTS (config key "trustedDocuments"): expected a readable JSON manifest; ${path} ${reason || 'cannot be read as JSON'}`,
      ]);
    }
    const parsed = manifestSchema.safeParse(raw);
    if (!parsed.success) {
      throw ConfigError.invalid(
        parsed.error.issues.map(
          (issue) =>
            `CAREGRAPH_TRUSTED_DOCUMENTS (${path}, at ${issue.path.join('.') || 'top level'}): expected an Apollo persisted query manifest: ${issue.message}`,
        ),
      );
    }
    return new TrustedDocuments(parsed.data);
  }

  /** How many operations are registered. */
  get size(): number {
    return this.byId.size;
  }

  /**
   * The document to run for a request, or the coded error that refuses it. `undefined` query
   * means the request named neither (left to the GraphQL server to answer as malformed).
   */
  resolve(source: OperationSource): { query?: string } {
    const id = persistedQueryHash(source.extensions);
    const query =
      typeof source.query === 'string' && source.query !== '' ? source.query : undefined;
    if (id !== undefined) {
      const operation = this.byId.get(id);
      if (!operation) throw TrustedDocumentError.unknownId();
      if (query !== undefined && sha256Hex(query) !== sha256Hex(operation.body))
        throw TrustedDocumentError.notInList();
      return { query: operation.body };
    }
    if (query === undefined) return {};
    if (!this.bodyHashes.has(sha256Hex(query))) throw TrustedDocumentError.notInList();
    return { query };
  }

  /**
   * Express middleware for `/graphql`: replaces the request's document with the registered one
   * (and drops the persisted-query extension, so Apollo runs it as a plain operation), or
   * answers the refusal: PERSISTED_QUERY_NOT_FOUND with HTTP 200 (Apollo's convention, so
   * clients fall back to sending the document), PERSISTED_QUERY_NOT_IN_LIST with HTTP 400.
   */
  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      try {
        if (req.method === 'POST') {
          const body = req.body as Record<string, unknown> | undefined;
          // Batches are refused by Apollo; anything not an object is malformed.
          if (!body || typeof body !== 'object' || Array.isArray(body)) return next();
          const { query } = this.resolve(body);
          if (query !== undefined) {
            body.query = query;
            const rest = withoutPersistedQuery(body.extensions);
            if (rest === undefined) delete body.extensions;
            else body.extensions = rest;
          }
          return next();
        }
        if (req.method === 'GET') {
          const url = new URL(req.originalUrl, 'http://localhost');
          const params = url.searchParams;
          if (!params.has('query') && !params.has('extensions')) return next(); // landing page
          let extensions: unknown;
          try {
            extensions = params.has('extensions')
              ? JSON.parse(params.get('extensions')!)
              : undefined;
          } catch {
            return next(); // Apollo answers malformed extensions
          }
          const { query } = this.resolve({ query: params.get('query') ?? undefined, extensions });
          if (query !== undefined) {
            params.set('query', query);
            const rest = withoutPersistedQuery(extensions);
            if (rest === undefined) params.delete('extensions');
            else params.set('extensions', JSON.stringify(rest));
            req.url = `${req.url.split('?')[0]}?${params.toString()}`;
          }
          return next();
        }
        return next();
      } catch (error) {
        if (!(error instanceof TrustedDocumentError)) return next(error);
        res
          .status(error.code === 'PERSISTED_QUERY_NOT_FOUND' ? 200 : 400)
          .json({ errors: [{ message: error.message, extensions: { code: error.code } }] });
      }
    };
  }
}

function withoutPersistedQuery(extensions: unknown): Record<string, unknown> | undefined {
  if (!extensions || typeof extensions !== 'object') return undefined;
  const { persistedQuery: _dropped, ...rest } = extensions as Record<string, unknown>;
  return Object.keys(rest).length ? rest : undefined;
}
