import { getNamedType, GraphQLError, Kind, type FieldNode, type GraphQLObjectType, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { getArgumentValues } from 'graphql/execution/values.js';
import { AppError } from '../errors.js';
import { MAX_TREE_KEYS, type JsonTree, type TreeRelation, type TreeSource } from '../modules/shared/json-tree.js';
import { pageArgs, type ConnectionArgs } from './connections.js';

// A relation's whole selection as one JSON tree built in SQL (src/modules/shared/json-tree.ts):
// `organizations { nodes { people { nodes { interviews { nodes { interviewee { organization
// { name } } } } } } } }` reads the people, their interviews, the interviewees and their
// organizations in ONE statement, where the loaders would read one level at a time. A selection
// the tree cannot hold exactly (a child list kept in another table, a field computed from
// several, a directive) is not compiled: the loaders answer it, as they answer everything else.

type Args = Record<string, unknown>;

/** How a relation field reads in SQL: the record its parent names, or the first children of its parent. */
export type SqlRelation =
  | { kind: 'one'; source: TreeSource | null; idField: string }
  | { kind: 'many'; source: TreeSource | null; childrenOf(args: Args): { parent: string; filter?: Record<string, unknown> } };

/** What a type's field is: a relation that reads in SQL, a relation that does not (`loader`), or neither (undefined). */
export type RelationOf = (type: string, field: string) => SqlRelation | 'loader' | undefined;

/** The selection holds something a tree cannot answer exactly. */
class NotInSql extends Error {}

const responseKey = (node: FieldNode) => (node.alias ?? node.name).value;
const fieldOf = (type: GraphQLObjectType, name: string) => {
  const field = type.getFields()[name];
  if (!field) throw new NotInSql(name);
  return field;
};

/**
 * The tree that answers these calls of a to-many relation at once (their connections'
 * selection), or null when the loaders must answer it. The calls must share their selection:
 * one tree serves them all.
 */
export function treeOfConnection(relationOf: RelationOf, infos: readonly GraphQLResolveInfo[], source: TreeSource, tenantId: string): JsonTree | null {
  const info = infos[0]!;
  const same = (other: GraphQLResolveInfo) => other.fieldNodes.length === info.fieldNodes.length && other.fieldNodes.every((node, i) => node === info.fieldNodes[i]);
  if (!infos.every(same)) return null;

  // The fields under these selection sets of `type`, by response key, through fragments.
  const collect = (type: GraphQLObjectType, sets: readonly (SelectionSetNode | undefined)[]): Map<string, FieldNode[]> => {
    const found = new Map<string, FieldNode[]>();
    const walk = (set: SelectionSetNode | undefined) => {
      for (const selection of set?.selections ?? []) {
        // @skip and @include would make the tree depend on variables per field: the loaders' job.
        if (selection.directives?.length) throw new NotInSql('directive');
        if (selection.kind === Kind.FIELD) found.set(responseKey(selection), [...(found.get(responseKey(selection)) ?? []), selection]);
        else {
          const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : info.fragments[selection.name.value];
          if (fragment?.typeCondition && fragment.typeCondition.name.value !== type.name) throw new NotInSql('fragment on another type');
          walk(fragment?.selectionSet);
        }
      }
    };
    sets.forEach(walk);
    return found;
  };
  const argsOf = (type: GraphQLObjectType, nodes: FieldNode[]): Args => {
    const all = nodes.map((node) => getArgumentValues(fieldOf(type, node.name.value), node, info.variableValues));
    // One key, one answer: the same relation under one key with other arguments (from two parents' selections merged) is not one tree.
    if (all.some((args) => JSON.stringify(args) !== JSON.stringify(all[0]))) throw new NotInSql('arguments differ');
    return all[0]!;
  };
  const subsets = (nodes: FieldNode[]) => nodes.map((node) => node.selectionSet);

  // `keys`: what the record must carry besides its selection (its cursor's id and createdAt).
  const recordTree = (type: GraphQLObjectType, sets: readonly (SelectionSetNode | undefined)[], source: TreeSource, keys: readonly string[] = []): JsonTree => {
    const fields = new Set<string>(keys);
    const relations: TreeRelation[] = [];
    for (const [key, nodes] of collect(type, sets)) {
      const name = nodes[0]!.name.value;
      if (nodes.some((node) => node.name.value !== name)) throw new NotInSql('one key, two fields');
      if (name === '__typename') continue;
      const relation = relationOf(type.name, name);
      if (relation === undefined) {
        if (!source.columns.has(name)) throw new NotInSql(name);
        fields.add(name);
        continue;
      }
      if (relation === 'loader' || !relation.source) throw new NotInSql(name);
      const target = getNamedType(fieldOf(type, name).type) as GraphQLObjectType;
      if (relation.kind === 'one') {
        if (!source.columns.has(relation.idField)) throw new NotInSql(relation.idField);
        relations.push({ key, kind: 'one', idField: relation.idField, tree: recordTree(target, subsets(nodes), relation.source) });
      } else {
        const args = argsOf(type, nodes);
        const { parent, filter } = relation.childrenOf(args);
        const { limit, cursor } = pageArgs(args as ConnectionArgs);
        const where = relation.source.where(tenantId, { after: cursor, filter });
        const { tree, counted } = connectionTree(target, subsets(nodes), relation.source);
        // A count of the children is by this record's id (see totalCountLoader).
        if (counted) fields.add('id');
        relations.push({ key, kind: 'many', parent: relation.source.parentColumn(parent), where, first: limit, tree });
      }
    }
    if (fields.size + relations.length + 2 > MAX_TREE_KEYS) throw new NotInSql('too many keys');
    return { source, fields, relations };
  };

  // A connection's records: what its `nodes` and `edges { node }` select; the rest is made of
  // them (cursors of their id and createdAt), or counted apart (`counted`: totalCount is asked).
  const connectionTree = (type: GraphQLObjectType, sets: readonly (SelectionSetNode | undefined)[], source: TreeSource): { tree: JsonTree; counted: boolean } => {
    const nodeSets: (SelectionSetNode | undefined)[] = [];
    let cursors = false;
    let counted = false;
    for (const nodes of collect(type, sets).values()) {
      const name = nodes[0]!.name.value;
      if (name === 'nodes') nodeSets.push(...subsets(nodes));
      else if (name === 'edges') {
        const edgeType = getNamedType(fieldOf(type, 'edges').type) as GraphQLObjectType;
        for (const edgeNodes of collect(edgeType, subsets(nodes)).values()) {
          const edgeField = edgeNodes[0]!.name.value;
          if (edgeField === 'node') nodeSets.push(...subsets(edgeNodes));
          else if (edgeField === 'cursor') cursors = true;
          else if (edgeField !== '__typename') throw new NotInSql(edgeField);
        }
      } else if (name === 'pageInfo') {
        const pageInfo = getNamedType(fieldOf(type, 'pageInfo').type) as GraphQLObjectType;
        cursors ||= [...collect(pageInfo, subsets(nodes)).values()].some(([node]) => node!.name.value.endsWith('Cursor'));
      } else if (name === 'totalCount') counted = true;
      else if (name !== '__typename') throw new NotInSql(name);
    }
    const nodeType = getNamedType(fieldOf(type, 'nodes').type) as GraphQLObjectType;
    return { tree: recordTree(nodeType, nodeSets, source, cursors ? ['id', 'createdAt'] : []), counted };
  };

  try {
    return connectionTree(getNamedType(info.returnType) as GraphQLObjectType, subsets([...info.fieldNodes]), source).tree;
  } catch (err) {
    // A bad argument below is the loaders' to report, on the field that carried it.
    if (err instanceof NotInSql || err instanceof AppError || err instanceof GraphQLError) return null;
    throw err;
  }
}
