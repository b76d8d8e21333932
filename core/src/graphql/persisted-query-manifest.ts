import {
  Kind,
  parse,
  print,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { sha256Hex, type PersistedQueryManifest } from './trusted-documents.js';

/** A `.graphql` source: its name (for error messages) and text. */
export interface GraphQLSource {
  name: string;
  text: string;
}

function fragmentSpreads(node: OperationDefinitionNode | FragmentDefinitionNode): string[] {
  const names: string[] = [];
  visit(node, { FragmentSpread: (spread) => void names.push(spread.name.value) });
  return names;
}

/**
 * Builds an Apollo persisted query manifest from `.graphql` sources: one entry per named
 * operation, whose body is the printed operation followed by the fragments it uses
 * (transitively, by name order), and whose id is the sha256 of that body. Clients send the id
 * (`extensions.persistedQuery.sha256Hash`) or exactly the body.
 */
export function buildPersistedQueryManifest(sources: GraphQLSource[]): PersistedQueryManifest {
  const operations: OperationDefinitionNode[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const source of sources) {
    let document: DocumentNode;
    try {
      document = parse(source.text);
    } catch (error) {
      throw new Error(`${source.name}: ${(error as Error).message}`, { cause: error });
    }
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) {
        if (!definition.name)
          throw new Error(`${source.name}: every operation needs a name for the manifest`);
        operations.push(definition);
      } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        if (fragments.has(definition.name.value))
          throw new Error(`${source.name}: fragment ${definition.name.value} is defined twice`);
        fragments.set(definition.name.value, definition);
      }
    }
  }
  const seenNames = new Set<string>();
  return {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: operations.map((operation) => {
      const name = operation.name!.value;
      if (seenNames.has(name)) throw new Error(`operation ${name} is defined twice`);
      seenNames.add(name);
      const used = new Set<string>();
      const pending = fragmentSpreads(operation);
      while (pending.length) {
        const next = pending.pop()!;
        if (used.has(next)) continue;
        const fragment = fragments.get(next);
        if (!fragment) throw new Error(`operation ${name} uses unknown fragment ${next}`);
        used.add(next);
        pending.push(...fragmentSpreads(fragment));
      }
      const body = [operation, ...[...used].sort().map((f) => fragments.get(f)!)]
        .map((node) => print(node))
        .join('\n\n');
      return { id: sha256Hex(body), name, type: operation.operation, body };
    }),
  };
}
