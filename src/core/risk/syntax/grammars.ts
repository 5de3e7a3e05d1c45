/**
 * The tree-sitter grammars the rules read, by file, and how each names the nodes the rules care about:
 * node type names differ per grammar (`call_expression`, `call`, `method_invocation`…).
 * Kotlin, Scala, Groovy, Vue and Svelte files have no grammar here: they are read line by line.
 */
import { extensionOf } from '../languages';

export type GrammarId = 'typescript' | 'tsx' | 'javascript' | 'python' | 'go' | 'java' | 'ruby';

const BY_EXTENSION: Record<string, GrammarId> = {
  ts: 'typescript', mts: 'typescript', cts: 'typescript', tsx: 'tsx',
  // The JavaScript grammar reads JSX as well.
  js: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript',
  py: 'python', pyw: 'python',
  go: 'go',
  java: 'java',
  rb: 'ruby', rake: 'ruby', gemspec: 'ruby', ru: 'ruby',
};
const BY_NAME: Record<string, GrammarId> = { Rakefile: 'ruby', Guardfile: 'ruby', Gemfile: 'ruby' };

/** The grammar of a source file, or undefined when its language has none. */
export function grammarOf(path: string): GrammarId | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return Object.hasOwn(BY_NAME, name) ? BY_NAME[name] : Object.hasOwn(BY_EXTENSION, extensionOf(path)) ? BY_EXTENSION[extensionOf(path)] : undefined;
}

/** What one grammar calls the nodes the syntax facts are made of. */
export interface Adapter {
  comments: ReadonlySet<string>;
  /** String literals; their interpolations are `interpolations`. */
  strings: ReadonlySet<string>;
  interpolations: ReadonlySet<string>;
  /** Leaves that name something: identifiers, properties, constants, symbols. */
  names: ReadonlySet<string>;
  /** Calls, with the fields holding the callee (a name or a member access) and the arguments. */
  calls: ReadonlyMap<string, { callee?: string; receiver?: string; method?: string; args: string }>;
  /** Member accesses `a.b`: the field of the object and of the property. */
  members: ReadonlyMap<string, { object: string; property: string }>;
  functions: ReadonlySet<string>;
  classes: ReadonlySet<string>;
  decorators: ReadonlySet<string>;
  imports: ReadonlySet<string>;
  /** Declarations of a field or property: a shape of data, not an action (their `value` is code). */
  fields: ReadonlySet<string>;
  /** Keys of an object literal, a keyword argument or a keyed element: `{ sessionId: … }`, `f(charge=…)`. */
  keys: ReadonlyMap<string, string>;
  /** Nodes whose direct children are statements. */
  blocks: ReadonlySet<string>;
  /** Field names of a declaration's value (code, not shape). */
  values: ReadonlySet<string>;
}

const set = (...xs: string[]): ReadonlySet<string> => new Set(xs);

const JS: Adapter = {
  comments: set('comment', 'html_comment'),
  strings: set('string', 'template_string', 'regex'),
  interpolations: set('template_substitution'),
  names: set('identifier', 'property_identifier', 'shorthand_property_identifier', 'shorthand_property_identifier_pattern', 'type_identifier', 'private_property_identifier'),
  calls: new Map([
    ['call_expression', { callee: 'function', args: 'arguments' }],
    ['new_expression', { callee: 'constructor', args: 'arguments' }],
  ]),
  members: new Map([['member_expression', { object: 'object', property: 'property' }]]),
  functions: set('function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function_declaration', 'generator_function', 'method_signature'),
  classes: set('class_declaration', 'class', 'abstract_class_declaration', 'interface_declaration', 'type_alias_declaration', 'enum_declaration'),
  decorators: set('decorator'),
  imports: set('import_statement'),
  fields: set('public_field_definition', 'field_definition', 'property_signature', 'required_parameter_with_accessibility'),
  keys: new Map([['pair', 'key'], ['pair_pattern', 'key']]),
  blocks: set('program', 'statement_block', 'class_body', 'switch_body', 'switch_case', 'switch_default', 'interface_body', 'object_type'),
  values: set('value'),
};

const PYTHON: Adapter = {
  comments: set('comment'),
  strings: set('string', 'concatenated_string'),
  interpolations: set('interpolation'),
  names: set('identifier'),
  calls: new Map([['call', { callee: 'function', args: 'arguments' }]]),
  members: new Map([['attribute', { object: 'object', property: 'attribute' }]]),
  functions: set('function_definition', 'lambda'),
  classes: set('class_definition'),
  decorators: set('decorator'),
  imports: set('import_statement', 'import_from_statement', 'future_import_statement'),
  fields: set(),
  keys: new Map([['keyword_argument', 'name']]),
  blocks: set('module', 'block'),
  values: set('right', 'value'),
};

const GO: Adapter = {
  comments: set('comment'),
  strings: set('interpreted_string_literal', 'raw_string_literal', 'rune_literal'),
  interpolations: set(),
  names: set('identifier', 'field_identifier', 'type_identifier', 'package_identifier'),
  calls: new Map([['call_expression', { callee: 'function', args: 'arguments' }]]),
  members: new Map([['selector_expression', { object: 'operand', property: 'field' }]]),
  functions: set('function_declaration', 'method_declaration', 'func_literal', 'method_elem'),
  classes: set('type_spec'),
  decorators: set(),
  imports: set('import_declaration', 'package_clause'),
  fields: set('field_declaration'),
  keys: new Map([['keyed_element', 'key']]),
  blocks: set('source_file', 'block', 'statement_list', 'expression_case', 'communication_case', 'default_case', 'type_case'),
  values: set('value'),
};

const JAVA: Adapter = {
  comments: set('line_comment', 'block_comment'),
  strings: set('string_literal', 'character_literal', 'text_block'),
  interpolations: set(),
  names: set('identifier', 'type_identifier'),
  calls: new Map([
    ['method_invocation', { receiver: 'object', method: 'name', args: 'arguments' }],
    ['object_creation_expression', { callee: 'type', args: 'arguments' }],
  ]),
  members: new Map([['field_access', { object: 'object', property: 'field' }]]),
  functions: set('method_declaration', 'constructor_declaration', 'lambda_expression', 'compact_constructor_declaration'),
  classes: set('class_declaration', 'interface_declaration', 'record_declaration', 'enum_declaration', 'annotation_type_declaration'),
  decorators: set('annotation', 'marker_annotation'),
  imports: set('import_declaration', 'package_declaration'),
  fields: set('field_declaration', 'constant_declaration', 'record_component'),
  keys: new Map([['element_value_pair', 'key']]),
  blocks: set('program', 'block', 'class_body', 'interface_body', 'enum_body_declarations', 'switch_block_statement_group', 'constructor_body'),
  values: set('value'),
};

const RUBY: Adapter = {
  comments: set('comment'),
  strings: set('string', 'heredoc_body', 'string_array', 'symbol_array', 'regex', 'subshell'),
  interpolations: set('interpolation'),
  names: set('identifier', 'constant', 'instance_variable', 'class_variable', 'simple_symbol', 'hash_key_symbol', 'global_variable'),
  calls: new Map([['call', { receiver: 'receiver', method: 'method', args: 'arguments' }]]),
  members: new Map([['scope_resolution', { object: 'scope', property: 'name' }]]),
  functions: set('method', 'singleton_method', 'lambda'),
  classes: set('class', 'module', 'singleton_class'),
  decorators: set(),
  imports: set(),
  fields: set(),
  keys: new Map([['pair', 'key']]),
  blocks: set('program', 'body_statement', 'then', 'else', 'do', 'begin_block', 'block_body'),
  values: set('value'),
};

export const ADAPTERS: Record<GrammarId, Adapter> = { typescript: JS, tsx: JS, javascript: JS, python: PYTHON, go: GO, java: JAVA, ruby: RUBY };
