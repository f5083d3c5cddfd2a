import {
  GraphQLError,
  Kind,
  getNamedType,
  getVariableValues,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  parse,
  valueFromAST,
  type ArgumentNode,
  type DocumentNode,
  type GraphQLArgument,
  type GraphQLSchema,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

// The bounds of api.md, refused before any resolver runs. Parsing and the standard validation
// cost time in the size of the document, so the size and tokens are checked first (before
// parsing), then depth and aliases (before validation), then cost (before execution, when the
// variables are known). Each walk follows fragments once, remembers each fragment's result, and
// refuses a cycle instead of following it: no document can make them recurse without end.

export interface GraphqlLimits {
  maxBytes: number;
  maxTokens: number;
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

export const limitError = (message: string) => new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });

/**
 * Brackets nested deeper than any accepted document needs (selection sets, list and object
 * values): refused before the parser, which recurses once per level, could run out of stack.
 */
const MAX_NESTING = 200;

function nestingOf(source: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '#') {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (c === '"' && source.startsWith('"""', i)) {
      const end = source.indexOf('"""', i + 3);
      if (end < 0) break; // unterminated: the parser reports it
      i = end + 2;
    } else if (c === '"') {
      for (i++; i < source.length && source[i] !== '"' && source[i] !== '\n'; i++) if (source[i] === '\\') i++;
    } else if (c === '{' || c === '[' || c === '(') {
      deepest = Math.max(deepest, ++depth);
    } else if (c === '}' || c === ']' || c === ')') {
      depth--;
    }
  }
  return deepest;
}

/**
 * Size, then syntax with a token budget. Parsing here also keeps Mercurius from reading a
 * query that is not GraphQL as a JSON syntax tree (its fallback): it never sees one.
 */
export function checkSource(source: string, limits: GraphqlLimits): void {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > limits.maxBytes) throw limitError(`The query is ${bytes} bytes; at most ${limits.maxBytes} are accepted.`);
  if (nestingOf(source) > MAX_NESTING) throw limitError(`The query nests brackets more than ${MAX_NESTING} deep.`);
  try {
    parse(source, { maxTokens: limits.maxTokens, noLocation: true });
  } catch (err) {
    const message = (err as Error).message;
    if (message.includes('tokens. Parsing aborted')) throw limitError(`The query has more than ${limits.maxTokens} tokens.`);
    throw new GraphQLError(message.replace(/ Did you mean .*$/s, ''), { extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
  }
}

interface Measure {
  depth: number;
  aliases: number;
}

/** Depth (fields below the operation, fragments included) and aliases, counted as executed. */
export function checkShape(document: DocumentNode, limits: GraphqlLimits): void {
  const fragments = fragmentsOf(document);
  const done = new Map<string, Measure>();
  const visiting = new Set<string>();

  const measure = (set: SelectionSetNode): Measure => {
    let depth = 0;
    let aliases = 0;
    for (const selection of set.selections) {
      let inner: Measure = { depth: 0, aliases: 0 };
      if (selection.kind === Kind.FIELD) {
        const below = selection.selectionSet ? measure(selection.selectionSet) : { depth: 0, aliases: 0 };
        inner = { depth: below.depth + 1, aliases: below.aliases + (selection.alias ? 1 : 0) };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = measure(selection.selectionSet);
      } else {
        inner = measureFragment(selection.name.value);
      }
      depth = Math.max(depth, inner.depth);
      aliases += inner.aliases;
    }
    return { depth, aliases };
  };
  const measureFragment = (name: string): Measure => {
    const known = done.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment) return { depth: 0, aliases: 0 }; // an unknown fragment: validation names it
    if (visiting.has(name)) throw limitError(`Fragment "${name}" spreads itself: fragments cannot form a cycle.`);
    visiting.add(name);
    const result = measure(fragment.selectionSet);
    visiting.delete(name);
    done.set(name, result);
    return result;
  };

  for (const operation of operationsOf(document)) {
    const { depth, aliases } = measure(operation.selectionSet);
    if (depth > limits.maxDepth) throw limitError(`The query is ${depth} fields deep; at most ${limits.maxDepth} are accepted.`);
    if (aliases > limits.maxAliases) throw limitError(`The query uses ${aliases} aliases; at most ${limits.maxAliases} are accepted.`);
  }
}

/**
 * The most items of a list field that takes no `first`: the bound of the record's own list
 * (the zod input schemas: at most 50 referrals, 100 informing interviews, ...). A list of
 * objects not named here counts as MAX_LIST_SIZE.
 */
export const LIST_SIZES: Record<string, number> = {
  'Interview.questions': 50,
  'Interview.insights': 100,
  'Interview.referrals': 50,
  'Interview.followUps': 50,
  'CareerStrategy.goals': 50,
  'CareerStrategy.targetOrganizations': 50,
  'CareerStrategy.informedBy': 100,
};
const MAX_LIST_SIZE = 100;

/**
 * Fields dearer than their selection: the analytics summary aggregates whole tables, so it
 * counts as this much on its own (at the default bound of 20,000, three per query).
 */
export const FIELD_COSTS: Record<string, number> = {
  'Query.analytics': 5000,
};

/**
 * The cost of a document, the dearest of its operations (one of them runs): every field costs
 * 1, a field that takes `first` or `last` (a connection) costs that many times its children
 * (an absent argument counts as its default in the schema), and a list of objects without
 * them costs its most items (LIST_SIZES) times its children; a field of FIELD_COSTS adds its own.
 */
export function documentCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined): number {
  const fragments = fragmentsOf(document);
  const done = new Map<string, number>();
  const visiting = new Set<string>();

  const costOf = (set: SelectionSetNode, parent: GraphQLNamedType | undefined): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
        const children = selection.selectionSet ? costOf(selection.selectionSet, field ? getNamedType(field.type) : undefined) : 0;
        // A connection's edges and nodes are its page, already counted by its `first`.
        const boundedList = field && !hasPageArgument(field.args) && isListType(getNullableType(field.type)) && !parent!.name.endsWith('Connection');
        const times = boundedList ? (LIST_SIZES[`${parent!.name}.${field.name}`] ?? MAX_LIST_SIZE) : multiplier(selection.arguments ?? [], field?.args ?? [], variables);
        total += 1 + times * children + (field ? (FIELD_COSTS[`${parent!.name}.${field.name}`] ?? 0) : 0);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += costOf(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || visiting.has(name)) continue; // validation has refused both already
        if (!done.has(name)) {
          visiting.add(name);
          done.set(name, costOf(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value)));
          visiting.delete(name);
        }
        total += done.get(name)!;
      }
    }
    return total;
  };
  const rootOf = (operation: OperationDefinitionNode) =>
    (operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType()) ??
    undefined;
  return Math.max(0, ...operationsOf(document).map((operation) => costOf(operation.selectionSet, rootOf(operation))));
}

const hasPageArgument = (defs: readonly GraphQLArgument[]) => defs.some((d) => d.name === 'first' || d.name === 'last');

function multiplier(given: readonly ArgumentNode[], defs: readonly GraphQLArgument[], variables: Record<string, unknown> | undefined): number {
  for (const name of ['first', 'last']) {
    const def = defs.find((d) => d.name === name);
    if (!def) continue;
    const node = given.find((a) => a.name.value === name);
    const value = node ? valueFromAST(node.value, def.type, variables) : def.defaultValue;
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  }
  return 1;
}

export function checkCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined, limits: GraphqlLimits): void {
  const cost = documentCost(schema, document, variables);
  if (cost > limits.maxCost) throw limitError(`The query costs ${cost}; at most ${limits.maxCost} is accepted (a list costs its \`first\`, or its most items, times its fields).`);
}

const operationsOf = (document: DocumentNode): OperationDefinitionNode[] =>
  document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);

const fragmentsOf = (document: DocumentNode): Map<string, FragmentDefinitionNode> =>
  new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );

/**
 * The variables as the schema coerces them, before any resolver (and before the cost, which
 * counts `first` by them). graphql-js does this too, but a document compiled by graphql-jit
 * (its second run) reports a scalar's refusal without the variable's name and path: done here,
 * a bad variable is the same BAD_USER_INPUT on every run. A document of several operations is
 * left to the executor (which one runs is the executor's choice).
 */
export function coerceVariables(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const operations = operationsOf(document);
  if (operations.length !== 1) return variables;
  const coerced = getVariableValues(schema, operations[0]!.variableDefinitions ?? [], variables ?? {});
  if (coerced.errors) throw Object.assign(new Error('The variables do not fit their types.'), { code: 'MER_ERR_GQL_VALIDATION', errors: coerced.errors });
  return coerced.coerced;
}
