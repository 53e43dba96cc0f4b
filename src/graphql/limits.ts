import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  valueFromAST,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Every limit on what one request may ask for, in one place (the README's Security
 * section lists them). They apply to HTTP and graphql-ws alike: both run through Yoga's
 * envelop.
 */
export const LIMITS = {
  /** Nesting of selections (introspection excepted). */
  maxDepth: 12,
  /** Aliased fields in one document (each logIn attempt still counts on its own). */
  maxAliases: 15,
  maxDirectives: 10,
  /** Lexical tokens of the document. */
  maxTokens: 2500,
  /** Characters of the query text. */
  maxQueryLength: 20_000,
  /** graphql-armor's cost of the document: 1 per scalar, 2 per object plus its children,
   * times the literal page size it asks for (maxNodes also counts page sizes given as variables). */
  maxCost: 1_000_000,
  /** Every connection needs `first` or `last` from 1 to this; list fields with `first` too. */
  maxPageSize: 100,
  /** Nodes a query may ask for, GitHub's way: each page size times the page sizes above it. */
  maxNodes: 500_000,
  /** Characters in any one string argument or variable. */
  maxStringInput: 10_000,
  /** Items in any one list argument or variable. */
  maxListInput: 500,
  /** Operations in one HTTP request (batched JSON arrays are refused). */
  batching: false,
  /** Subscriptions one graphql-ws socket may hold at once. */
  maxSubscriptionsPerSocket: 20,
  /** Bytes of one graphql-ws message; larger ones close the socket (1009). */
  maxMessageBytes: 64 * 1024,
} as const;

export const rejected = (message: string, code: 'QUERY_TOO_COMPLEX' | 'BAD_USER_INPUT') => new GraphQLError(message, { extensions: { code } });

/** Depth, aliases, directives, tokens and cost by graphql-armor; suggestions hidden in production. */
export function armorPlugins(production: boolean): Plugin[] {
  const armor = new EnvelopArmor({
    maxDepth: { n: LIMITS.maxDepth, ignoreIntrospection: true, exposeLimits: true },
    maxAliases: { n: LIMITS.maxAliases, exposeLimits: true },
    maxDirectives: { n: LIMITS.maxDirectives, exposeLimits: true },
    maxTokens: { n: LIMITS.maxTokens, exposeLimits: true },
    costLimit: { maxCost: LIMITS.maxCost, objectCost: 2, scalarCost: 1, depthCostFactor: 1, ignoreIntrospection: true, exposeLimits: true },
    blockFieldSuggestion: { enabled: production },
  });
  // Envelop and Yoga plugin types differ only in their context generics.
  return [...(armor.protect().plugins as unknown as Plugin[]), ...(production ? [useDisableIntrospection() as unknown as Plugin] : [])];
}

/** The query text's length, checked before anything parses it. */
export function queryLengthPlugin(): Plugin {
  return {
    onParams({ params }) {
      if (typeof params.query === 'string' && params.query.length > LIMITS.maxQueryLength) {
        throw rejected(`The query is ${params.query.length} characters long; the limit is ${LIMITS.maxQueryLength}.`, 'QUERY_TOO_COMPLEX');
      }
    },
  };
}

/** A code for an error of parsing or validation (graphql-armor's included) that has none,
 * or only Yoga's generic one: a value that does not fit its type (a malformed ID, date,
 * enum or number, as a literal or a variable) is BAD_USER_INPUT. */
export function withCode(error: GraphQLError): GraphQLError {
  const current = error.extensions?.code;
  if (current && current !== 'GRAPHQL_PARSE_FAILED' && current !== 'GRAPHQL_VALIDATION_FAILED') return error;
  const tooComplex = /limit of \d+ exceeded/i.test(error.message);
  const parse = error.message.startsWith('Syntax Error');
  const badInput = /got invalid value|Expected value of type|does not exist in ".+" enum|cannot represent|must not be null|was not provided/i.test(error.message);
  const code = tooComplex ? 'QUERY_TOO_COMPLEX' : parse ? 'GRAPHQL_PARSE_FAILED' : badInput ? 'BAD_USER_INPUT' : 'GRAPHQL_VALIDATION_FAILED';
  if (code === current) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

/** Every error a request gets back has an extensions.code. */
export function errorCodesPlugin(): Plugin {
  const coded = <T extends { errors?: readonly GraphQLError[] }>(result: T): T =>
    result.errors?.length ? { ...result, errors: result.errors.map(withCode) } : result;
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) setResult(result.map(coded));
      else if (result && typeof result === 'object' && 'errors' in result) setResult(coded(result as { errors?: readonly GraphQLError[] }));
    },
  };
}

// ---------------------------------------------------------------------------------
// Page sizes, node counts and input sizes, checked with the variables known.

type Walk = { nodes: number };

function argumentValues(field: GraphQLField<unknown, unknown>, node: { arguments?: readonly { name: { value: string }; value: ValueNode }[] }, variables: Record<string, unknown>) {
  const values: Record<string, unknown> = {};
  for (const arg of node.arguments ?? []) {
    const def = field.args.find((a) => a.name === arg.name.value);
    if (def) values[arg.name.value] = valueFromAST(arg.value, def.type, variables);
  }
  return values;
}

function checkInput(value: unknown, where: string) {
  if (typeof value === 'string' && value.length > LIMITS.maxStringInput) {
    throw rejected(`${where} is ${value.length} characters long; the limit is ${LIMITS.maxStringInput}.`, 'BAD_USER_INPUT');
  }
  if (Array.isArray(value)) {
    if (value.length > LIMITS.maxListInput) throw rejected(`${where} has ${value.length} items; the limit is ${LIMITS.maxListInput}.`, 'BAD_USER_INPUT');
    for (const item of value) checkInput(item, where);
  } else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) checkInput(item, `${where}.${key}`);
  }
}

function walk(
  schema: GraphQLSchema,
  selectionSet: SelectionSetNode,
  parent: GraphQLNamedType,
  multiplier: number,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  state: Walk,
  seen: Set<string>,
) {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments[selection.name.value];
      if (!fragment || seen.has(fragment.name.value)) continue;
      const type = schema.getType(fragment.typeCondition.name.value);
      if (type) walk(schema, fragment.selectionSet, type, multiplier, fragments, variables, state, new Set([...seen, fragment.name.value]));
      continue;
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
      if (type) walk(schema, selection.selectionSet, type, multiplier, fragments, variables, state, seen);
      continue;
    }
    if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
    const field = parent.getFields()[selection.name.value];
    if (!field) continue;
    const args = argumentValues(field, selection, variables);
    for (const [name, value] of Object.entries(args)) checkInput(value, `Argument ${name} of ${field.name}`);
    const returns = getNamedType(field.type);
    let size = 1;
    if (field.args.some((a) => a.name === 'first')) {
      const isConnection = returns.name.endsWith('Connection');
      const given = (args.first ?? args.last) as number | null | undefined;
      const defaulted = given ?? (isConnection ? undefined : (field.args.find((a) => a.name === 'first')?.defaultValue as number | undefined));
      if (defaulted === undefined || defaulted === null) {
        throw rejected(`${parent.name}.${field.name} needs first or last (1 to ${LIMITS.maxPageSize}).`, 'BAD_USER_INPUT');
      }
      if (!Number.isInteger(defaulted) || defaulted < 1 || defaulted > LIMITS.maxPageSize) {
        throw rejected(`${parent.name}.${field.name}: first and last go from 1 to ${LIMITS.maxPageSize} (got ${defaulted}).`, 'BAD_USER_INPUT');
      }
      size = defaulted;
      state.nodes += multiplier * size;
    }
    if (selection.selectionSet) walk(schema, selection.selectionSet, returns, multiplier * size, fragments, variables, state, seen);
  }
}

/** Nodes the operation may return at most, after checking page sizes and input sizes. */
export function countNodes(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown>) {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation) return 0;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  for (const [name, value] of Object.entries(variables)) checkInput(value, `Variable $${name}`);
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  const state: Walk = { nodes: 0 };
  if (root) walk(schema, operation.selectionSet, root, 1, fragments, variables, state, new Set());
  return state.nodes;
}

/** Applies page sizes, the node limit and input sizes before an operation runs. */
export function nodeLimitPlugin(): Plugin {
  type Hook = {
    args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variableValues?: Record<string, unknown> | null };
    setResultAndStopExecution: (result: { errors: GraphQLError[] }) => void;
  };
  const check = ({ args, setResultAndStopExecution }: Hook) => {
    try {
      const nodes = countNodes(args.schema, args.document, args.operationName, args.variableValues ?? {});
      if (nodes > LIMITS.maxNodes) {
        throw rejected(`This query could return ${nodes} nodes; the limit is ${LIMITS.maxNodes}. Ask for smaller pages.`, 'QUERY_TOO_COMPLEX');
      }
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      setResultAndStopExecution({ errors: [error] });
    }
  };
  return { onExecute: check, onSubscribe: check } as Plugin;
}

/**
 * How often one actor may do expensive or guessable things: [points, per seconds]. Keys
 * are the account's email, the client's address, the member, the token or the network.
 * Every mutation also counts against `mutation` for whoever sends it.
 */
export const RATE_LIMITS = {
  /** logIn attempts per email (existing or not), each alias counting. */
  'login.account': { points: 10, duration: 15 * 60 },
  /** logIn attempts per client address. */
  'login.address': { points: 30, duration: 15 * 60 },
  'signup.address': { points: 5, duration: 60 * 60 },
  'proposal.member': { points: 20, duration: 60 * 60 },
  'checkin.member': { points: 20, duration: 15 * 60 },
  'webhook.network': { points: 10, duration: 60 * 60 },
  'password.member': { points: 5, duration: 15 * 60 },
  /** Any mutation, per member, token or (when anonymous) client address. */
  mutation: { points: 120, duration: 60 },
} as const;

export type RateLimitRule = keyof typeof RATE_LIMITS;
