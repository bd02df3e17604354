// Fast access to tree-sitter nodes for the extraction loops. Through web-tree-sitter's `Node` API every node the
// tree walk returns becomes a JS object (its class-field initialisers showed at the top of extraction profiles),
// and every accessor (type, endIndex, childForFieldId) marshals the node through a generic, string-switched
// `setValue` and allocates another object for a child. Here the walk's result stays a flat Int32Array of the
// records web-tree-sitter's C side writes (id, start index, start row, start column, context word: 5 ints per node),
// and the accessors write a record straight into the wasm transfer buffer and call the same exported C functions
// the `Node` methods call. A real `Node` is made only for the few nodes an extractor needs to explore further.
//
// This relies on web-tree-sitter's internals (pinned to an exact version in package.json): the Emscripten module
// object `Parser.init` fills in, its exported functions and the node record layout. `initNodeAccess` checks what it
// needs and fails with a message naming this file; `wasm-nodes.test.ts` checks every accessor against the `Node`
// API on real trees, so a version bump that changes them fails the tests, not the index.

import { Node, Parser, type Language, type Tree } from "web-tree-sitter";

interface TreeSitterModule {
  HEAP_DATA_VIEW: DataView;
  _malloc(bytes: number): number;
  _free(address: number): void;
  _ts_init(): number;
  _ts_node_descendants_of_type_wasm(tree: number, symbols: number, count: number, startRow: number, startColumn: number, endRow: number, endColumn: number): void;
  _ts_node_symbol_wasm(tree: number): number;
  _ts_node_end_index_wasm(tree: number): number;
  _ts_node_child_by_field_id_wasm(tree: number, fieldId: number): void;
  _ts_node_named_children_wasm(tree: number): void;
  _ts_node_named_child_wasm(tree: number, index: number): void;
}

const RECORD = 5; // ints per node record

let wasm: TreeSitterModule | null = null;
let transfer = 0; // index (in ints) of the transfer buffer in wasm memory
let heapBuffer: ArrayBufferLike | null = null;
let heap: Int32Array<ArrayBufferLike> = new Int32Array(0);

// Initialises web-tree-sitter's runtime (once per thread; parser.ts calls this instead of Parser.init) and keeps
// its module object.
export async function initNodeAccess(): Promise<void> {
  const handle: Record<string, unknown> = {};
  await Parser.init(handle as unknown as Parameters<typeof Parser.init>[0]);
  const m = handle as Partial<TreeSitterModule>;
  const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1; // wasm memory is little-endian
  if (
    !littleEndian ||
    !(m.HEAP_DATA_VIEW instanceof DataView) ||
    typeof m._ts_init !== "function" ||
    typeof m._ts_node_descendants_of_type_wasm !== "function" ||
    typeof m._ts_node_symbol_wasm !== "function" ||
    typeof m._ts_node_end_index_wasm !== "function" ||
    typeof m._ts_node_child_by_field_id_wasm !== "function" ||
    typeof m._ts_node_named_children_wasm !== "function" ||
    typeof m._ts_node_named_child_wasm !== "function" ||
    typeof m._malloc !== "function" ||
    typeof m._free !== "function"
  ) {
    throw new Error(
      "web-tree-sitter's runtime did not expose what src/lang/wasm-nodes.ts needs (was Parser.init called outside src/lang/parser.ts, or did web-tree-sitter change?); keep web-tree-sitter at the version in package.json",
    );
  }
  wasm = m as TreeSitterModule;
  transfer = wasm._ts_init() >> 2;
}

function module(): TreeSitterModule {
  if (!wasm) throw new Error("tree-sitter's runtime is not initialised: await initLanguages() first");
  return wasm;
}

// The current view of wasm memory (memory growth replaces the buffer).
function heap32(m: TreeSitterModule): Int32Array<ArrayBufferLike> {
  const buffer = m.HEAP_DATA_VIEW.buffer;
  if (buffer !== heapBuffer) {
    heapBuffer = buffer;
    heap = new Int32Array(buffer);
  }
  return heap;
}

function treeAddress(tree: Tree): number {
  return (tree as unknown as { 0: number })[0];
}

// Writes record `at` of `records` into the transfer buffer (what web-tree-sitter's marshalNode does).
function load(m: TreeSitterModule, records: Int32Array, at: number): void {
  const h = heap32(m);
  const b = at * RECORD;
  const t = transfer;
  h[t] = records[b] as number;
  h[t + 1] = records[b + 1] as number;
  h[t + 2] = records[b + 2] as number;
  h[t + 3] = records[b + 3] as number;
  h[t + 4] = records[b + 4] as number;
}

// Copies the record the C side left in the transfer buffer into record 0 of `into`; false for the null node.
function store(m: TreeSitterModule, into: Int32Array): boolean {
  const h = heap32(m);
  const t = transfer;
  if (h[t] === 0) return false;
  into[0] = h[t] as number;
  into[1] = h[t + 1] as number;
  into[2] = h[t + 2] as number;
  into[3] = h[t + 3] as number;
  into[4] = h[t + 4] as number;
  return true;
}

const symbolSets = new WeakMap<Language, Map<string, { address: number; count: number }>>();

// The symbol ids of `types` in wasm memory, allocated once per language and type list (never freed: a few bytes).
function symbolsFor(m: TreeSitterModule, language: Language, types: readonly string[]): { address: number; count: number } {
  let byList = symbolSets.get(language);
  if (!byList) {
    byList = new Map();
    symbolSets.set(language, byList);
  }
  const key = types.join("\u0000");
  let entry = byList.get(key);
  if (!entry) {
    // The same ids Node.descendantsOfType picks: every symbol whose name is one of the types, and 65535 for ERROR.
    // The C side stops at the first id above the one it looks for, so the list must be ascending (the library
    // puts 65535 first, which makes a list with "ERROR" match only ERROR nodes).
    const ids: number[] = [];
    const names = language.types;
    for (let i = 0; i < names.length; i++) if (types.includes(names[i] as string)) ids.push(i);
    if (types.includes("ERROR")) ids.push(65535);
    const address = m._malloc(4 * Math.max(1, ids.length));
    const h = heap32(m);
    ids.forEach((id, i) => (h[(address >> 2) + i] = id));
    entry = { address, count: ids.length };
    byList.set(key, entry);
  }
  return entry;
}

// Writes a Node into the transfer buffer (what web-tree-sitter's marshalNode does).
function loadNode(m: TreeSitterModule, node: Node): void {
  const h = heap32(m);
  const t = transfer;
  h[t] = node.id;
  h[t + 1] = node.startIndex;
  h[t + 2] = node.startPosition.row;
  h[t + 3] = node.startPosition.column;
  h[t + 4] = (node as unknown as { 0: number })[0];
}

// Reads the array of `count` records the C side left at `address` (in bytes) and frees it.
function takeRecords(m: TreeSitterModule, tree: Tree, count: number, address: number): NodeRecords {
  const records = count === 0 ? new Int32Array(0) : heap32(m).slice(address >> 2, (address >> 2) + count * RECORD);
  if (address !== 0) m._free(address);
  return new NodeRecords(tree, records);
}

// The nodes of the given types under `root` (root included), in document (pre-)order: what
// `root.descendantsOfType(types)` returns, as records.
export function descendantRecords(tree: Tree, root: Node, types: readonly string[]): NodeRecords {
  const m = module();
  const symbols = symbolsFor(m, tree.language, types);
  loadNode(m, root);
  m._ts_node_descendants_of_type_wasm(treeAddress(tree), symbols.address, symbols.count, 0, 0, 0, 0);
  const after = heap32(m); // the result array may have grown memory
  return takeRecords(m, tree, after[transfer] as number, after[transfer + 1] as number);
}

// Nodes as web-tree-sitter's C side marshals them. Accessors take the record's position.
export class NodeRecords {
  readonly count: number;
  private readonly address: number;
  private readonly types: readonly string[];

  constructor(
    readonly tree: Tree,
    readonly records: Int32Array,
  ) {
    this.count = records.length / RECORD;
    this.address = treeAddress(tree);
    this.types = tree.language.types;
  }

  start(at: number): number {
    return this.records[at * RECORD + 1] as number;
  }

  end(at: number): number {
    const m = module();
    load(m, this.records, at);
    return m._ts_node_end_index_wasm(this.address);
  }

  // The node's type name, as Node.type gives it.
  type(at: number): string {
    const m = module();
    load(m, this.records, at);
    return this.types[m._ts_node_symbol_wasm(this.address)] || "ERROR";
  }

  // The node's type id (Node.typeId: the grammar's public symbol, 65535 for ERROR); one wasm call, no string.
  symbol(at: number): number {
    const m = module();
    load(m, this.records, at);
    return m._ts_node_symbol_wasm(this.address);
  }

  // The node's named children (Node.namedChildren), as records: one wasm call for all of them.
  namedChildren(at: number): NodeRecords {
    const m = module();
    load(m, this.records, at);
    m._ts_node_named_children_wasm(this.address);
    const h = heap32(m);
    return takeRecords(m, this.tree, h[transfer] as number, h[transfer + 1] as number);
  }

  // Copies the node's child for `fieldId` into record 0 of `into` (a NodeRecords of one record over the same tree);
  // false when there is none (or fieldId < 0: the grammar has no such field).
  fieldChild(at: number, fieldId: number, into: NodeRecords): boolean {
    if (fieldId < 0) return false;
    const m = module();
    load(m, this.records, at);
    m._ts_node_child_by_field_id_wasm(this.address, fieldId);
    return store(m, into.records);
  }

  // Copies the node's named child number `index` (Node.namedChild(index)) into record 0 of `into`; false when
  // there is none. The C side counts from the first child on every call: for the first few children only.
  namedChild(at: number, index: number, into: NodeRecords): boolean {
    const m = module();
    load(m, this.records, at);
    m._ts_node_named_child_wasm(this.address, index);
    return store(m, into.records);
  }

  // A web-tree-sitter Node for the record, for code that explores the tree further. Made the way the library's
  // own unmarshalNode makes one, minus the constructor's internal-use check.
  node(at: number): Node {
    const b = at * RECORD;
    const r = this.records;
    const node = Object.create(Node.prototype) as { 0: number; id: number; tree: Tree; startIndex: number; startPosition: { row: number; column: number } };
    node[0] = r[b + 4] as number;
    node.id = r[b] as number;
    node.tree = this.tree;
    node.startIndex = r[b + 1] as number;
    node.startPosition = { row: r[b + 2] as number, column: r[b + 3] as number };
    return node as unknown as Node;
  }
}

// A one-record NodeRecords to receive a child (NodeRecords.fieldChild).
export function scratchRecord(tree: Tree): NodeRecords {
  return new NodeRecords(tree, new Int32Array(RECORD));
}

// The named children of the nodes a depth-first walk has open, on one growing array of records: a walk pushes a
// node's children when it enters the node and drops them when it leaves, so no array is allocated per node (an
// Int32Array each showed in profiles of Python's indentation check). Positions are indices into the stack.
export class ChildStack {
  private records = new Int32Array(RECORD * 256);
  private size = 0; // records in use
  private readonly address: number;

  constructor(tree: Tree, root: Node) {
    this.address = treeAddress(tree);
    const m = module();
    loadNode(m, root);
    this.records.set(heap32(m).subarray(transfer, transfer + RECORD));
    this.size = 1;
  }

  get length(): number {
    return this.size;
  }

  // Drops the records from position `length` on.
  truncate(length: number): void {
    this.size = length;
  }

  start(at: number): number {
    return this.records[at * RECORD + 1] as number;
  }

  // Node.typeId of the record.
  symbol(at: number): number {
    const m = module();
    load(m, this.records, at);
    return m._ts_node_symbol_wasm(this.address);
  }

  // Pushes the named children of record `at` (one wasm call for all of them); returns how many.
  pushNamedChildren(at: number): number {
    const m = module();
    load(m, this.records, at);
    m._ts_node_named_children_wasm(this.address);
    const h = heap32(m);
    const count = h[transfer] as number;
    const address = h[transfer + 1] as number;
    if (count > 0) {
      const needed = (this.size + count) * RECORD;
      if (needed > this.records.length) {
        const grown = new Int32Array(Math.max(needed, this.records.length * 2));
        grown.set(this.records.subarray(0, this.size * RECORD));
        this.records = grown;
      }
      this.records.set(h.subarray(address >> 2, (address >> 2) + count * RECORD), this.size * RECORD);
      this.size += count;
    }
    if (address !== 0) m._free(address);
    return count;
  }
}
