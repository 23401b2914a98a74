import { PkiError } from '../errors.js';

/**
 * A regular expression in Go's RE2 syntax (what cfssl's `name_whitelist` is written in), matched
 * in time linear in the text: the pattern becomes a Thompson NFA, run as a Pike VM, so no input
 * makes it backtrack. Go's `regexp.Compile` flags (Perl: one-line `^`/`$`, `.` not matching a
 * newline unless `(?s)`) and Go 1.19's syntax, the one cfssl 1.6.5 is built with: `(?i)` `(?m)`
 * `(?s)` `(?U)`, `\A` `\z` `\b` `\B`, `(?P<name>...)`, `\Q...\E`, `\pL`, POSIX classes, counted
 * repetition up to 1000. No backreferences and no lookaround, as in RE2.
 */
export interface Re2Pattern {
  /** The pattern as written. */
  readonly source: string;
  /** Whether the pattern matches anywhere in `text` (Go's `regexp.Find(text) != nil`). */
  test(text: string): boolean;
}

/** Longest pattern compiled; cfssl configurations hold short ones. */
export const RE2_MAX_PATTERN_LENGTH = 4096;
/** Most NFA instructions after counted repetitions are expanded (Go refuses 1000^2-sized ones too). */
export const RE2_MAX_PROGRAM = 20_000;
// Go's regexp/syntax maximum repeat count and nesting depth.
const MAX_REPEAT = 1000;
const MAX_DEPTH = 1000;

/**
 * Compiles `source`.
 * @throws PkiError INVALID_CONFIG naming what Go's regexp would reject (`reason`), without file
 * or path: the caller adds them.
 */
export function compileRe2(source: string): Re2Pattern {
  if (source.length > RE2_MAX_PATTERN_LENGTH) throw syntaxError(`is longer than ${RE2_MAX_PATTERN_LENGTH} characters`);
  const program = compile(new Parser(source).parseAll());
  return { source, test: (text) => run(program, text) };
}

function syntaxError(reason: string): PkiError {
  return new PkiError('INVALID_CONFIG', `not a valid Go regular expression: ${reason}`);
}

// ---- Syntax tree ----------------------------------------------------------------------------

/** A set of code points: sorted inclusive ranges, optionally negated, optionally case-folded. */
interface CharSet {
  readonly ranges: ReadonlyArray<readonly [number, number]>;
  readonly negated: boolean;
  readonly fold: boolean;
  /** Unicode property tests (`\pL`), each a one-character JavaScript test. */
  readonly properties?: ReadonlyArray<(ch: string) => boolean>;
}

type Assertion = 'beginLine' | 'endLine' | 'beginText' | 'endText' | 'wordBoundary' | 'notWordBoundary';

type Node =
  | { readonly kind: 'empty' }
  | { readonly kind: 'set'; readonly set: CharSet }
  | { readonly kind: 'assert'; readonly assertion: Assertion }
  | { readonly kind: 'concat'; readonly items: readonly Node[] }
  | { readonly kind: 'alternate'; readonly items: readonly Node[] }
  | { readonly kind: 'repeat'; readonly node: Node; readonly min: number; readonly max: number };

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
}

const DIGIT: Array<[number, number]> = [[0x30, 0x39]];
const SPACE: Array<[number, number]> = [
  [0x09, 0x0a],
  [0x0c, 0x0d],
  [0x20, 0x20],
];
const WORD: Array<[number, number]> = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
const POSIX: Readonly<Record<string, Array<[number, number]>>> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: DIGIT,
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: WORD,
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
};
const ESCAPED_LITERALS: Readonly<Record<string, number>> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };

function negate(ranges: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [lo, hi] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

/** A recursive-descent parser of Go's RE2 syntax; depth is bounded by MAX_DEPTH. */
class Parser {
  private at = 0;
  private depth = 0;
  private flags: Flags = { i: false, m: false, s: false };

  constructor(private readonly text: string) {}

  parseAll(): Node {
    const node = this.alternation();
    if (this.at < this.text.length) throw syntaxError(`unexpected ) at offset ${this.at}`);
    return node;
  }

  private alternation(): Node {
    if (++this.depth > MAX_DEPTH) throw syntaxError('expression nests too deeply');
    const items = [this.concatenation()];
    while (this.peek() === '|') {
      this.at++;
      items.push(this.concatenation());
    }
    this.depth--;
    return items.length === 1 ? items[0]! : { kind: 'alternate', items };
  }

  private concatenation(): Node {
    const items: Node[] = [];
    while (this.at < this.text.length && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.atom();
      if (atom === undefined) continue;
      items.push(this.repetition(atom));
    }
    return items.length === 1 ? items[0]! : { kind: 'concat', items };
  }

  private repetition(atom: Node): Node {
    let node = atom;
    let repeated = false;
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number;
      const start = this.at;
      if (c === '*' || c === '+' || c === '?') {
        this.at++;
        [min, max] = c === '*' ? [0, -1] : c === '+' ? [1, -1] : [0, 1];
      } else if (c === '{') {
        const counted = /^\{(\d+)(,(\d*))?\}/.exec(this.text.slice(this.at, this.at + 24));
        if (!counted) return node; // Go: a brace that is not a repeat is a literal.
        this.at += counted[0].length;
        min = Number(counted[1]);
        max = counted[2] === undefined ? min : counted[3] === '' ? -1 : Number(counted[3]);
        if (min > MAX_REPEAT || max > MAX_REPEAT || (max !== -1 && max < min)) {
          throw syntaxError(`invalid repeat count: ${counted[0]}`);
        }
      } else {
        return node;
      }
      if (repeated) throw syntaxError(`invalid nested repetition operator: ${this.text.slice(start - 1, this.at)}`);
      if (this.peek() === '?') this.at++; // non-greedy: the same set of matches
      node = { kind: 'repeat', node, min, max };
      repeated = true;
    }
  }

  private atom(): Node | undefined {
    const c = this.text[this.at]!;
    switch (c) {
      case '*':
      case '+':
      case '?':
        throw syntaxError(`missing argument to repetition operator: ${c}`);
      case '(':
        return this.group();
      case '[':
        return { kind: 'set', set: this.charClass() };
      case '.':
        this.at++;
        return { kind: 'set', set: { ranges: this.flags.s ? [] : [[10, 10]], negated: true, fold: false } };
      case '^':
        this.at++;
        return { kind: 'assert', assertion: this.flags.m ? 'beginLine' : 'beginText' };
      case '$':
        this.at++;
        return { kind: 'assert', assertion: this.flags.m ? 'endLine' : 'endText' };
      case '\\':
        return this.escape();
      default: {
        const point = this.text.codePointAt(this.at)!;
        this.at += point > 0xffff ? 2 : 1;
        return this.literal(point);
      }
    }
  }

  private literal(point: number): Node {
    return { kind: 'set', set: { ranges: [[point, point]], negated: false, fold: this.flags.i } };
  }

  private group(): Node | undefined {
    this.at++;
    if (this.peek() === '?') {
      const named = /^\?P<([A-Za-z0-9_]+)>/.exec(this.text.slice(this.at, this.at + 300));
      if (named) {
        this.at += named[0].length;
      } else {
        const flags = /^\?([imsU-]*)(:|\))/.exec(this.text.slice(this.at, this.at + 16));
        if (!flags) throw syntaxError(`invalid or unsupported Perl syntax at offset ${this.at - 1}`);
        this.at += flags[0].length;
        const saved = { ...this.flags };
        let on = true;
        for (const f of flags[1]!) {
          if (f === '-') on = false;
          else if (f !== 'U') this.flags[f as keyof Flags] = on;
        }
        if (flags[2] === ')') return undefined; // (?i): the flags hold to the end of the group
        const node = this.alternation();
        this.closeGroup();
        this.flags = saved;
        return node;
      }
    }
    const saved = { ...this.flags };
    const node = this.alternation();
    this.closeGroup();
    this.flags = saved;
    return node;
  }

  private closeGroup(): void {
    if (this.peek() !== ')') throw syntaxError('missing closing )');
    this.at++;
  }

  private escape(): Node {
    const c = this.text[this.at + 1];
    if (c === undefined) throw syntaxError('trailing backslash at end of expression');
    this.at += 2;
    switch (c) {
      case 'A':
        return { kind: 'assert', assertion: 'beginText' };
      case 'z':
        return { kind: 'assert', assertion: 'endText' };
      case 'b':
        return { kind: 'assert', assertion: 'wordBoundary' };
      case 'B':
        return { kind: 'assert', assertion: 'notWordBoundary' };
      case 'Q': {
        const end = this.text.indexOf('\\E', this.at);
        const literal = this.text.slice(this.at, end < 0 ? undefined : end);
        this.at = end < 0 ? this.text.length : end + 2;
        return { kind: 'concat', items: Array.from(literal, (ch) => this.literal(ch.codePointAt(0)!)) };
      }
      default: {
        this.at -= 2;
        return { kind: 'set', set: this.classEscape() ?? this.charSetOf(this.escapedPoint()) };
      }
    }
  }

  private charSetOf(point: number): CharSet {
    return { ranges: [[point, point]], negated: false, fold: this.flags.i };
  }

  /** `\d \s \w \D \S \W \pX \p{X} \PX`: a class, or undefined for a single-character escape. */
  private classEscape(): CharSet | undefined {
    const c = this.text[this.at + 1]!;
    const perl = { d: DIGIT, s: SPACE, w: WORD } as Readonly<Record<string, Array<[number, number]>>>;
    const lower = c.toLowerCase();
    if (perl[lower]) {
      this.at += 2;
      return { ranges: perl[lower]!, negated: c !== lower, fold: false };
    }
    if (c !== 'p' && c !== 'P') return undefined;
    const braced = /^\{(\^?)([A-Za-z_]+)\}/.exec(this.text.slice(this.at + 2, this.at + 40));
    const name = braced ? braced[2]! : this.text[this.at + 2];
    if (name === undefined || !/^[A-Za-z_]+$/.test(name)) throw syntaxError('invalid character class range: \\p');
    this.at += 2 + (braced ? braced[0].length : 1);
    const test = unicodeProperty(name);
    return { ranges: [], negated: (c === 'P') !== (braced?.[1] === '^'), fold: false, properties: [test] };
  }

  /** One character written as an escape: `\n`, `\x41`, `\x{263a}`, `\101`, `\.`. */
  private escapedPoint(): number {
    const c = this.text[this.at + 1]!;
    this.at += 2;
    if (ESCAPED_LITERALS[c] !== undefined) return ESCAPED_LITERALS[c]!;
    if (c === 'x') {
      const hex = /^(?:\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2}))/.exec(this.text.slice(this.at, this.at + 8));
      if (!hex) throw syntaxError('invalid escape sequence: \\x');
      this.at += hex[0].length;
      const point = parseInt(hex[1] ?? hex[2]!, 16);
      if (point > 0x10ffff) throw syntaxError('invalid escape sequence: \\x');
      return point;
    }
    if (c >= '0' && c <= '7') {
      // Go: an octal escape of up to three digits; a lone \1-\7 would be a backreference.
      const octal = /^[0-7]{1,2}/.exec(this.text.slice(this.at, this.at + 2));
      if (c !== '0' && !octal) throw syntaxError(`invalid escape sequence: \\${c}`);
      this.at += octal ? octal[0].length : 0;
      return parseInt(c + (octal ? octal[0] : ''), 8);
    }
    const point = c.codePointAt(0)!;
    if (point < 0x80 && !/[A-Za-z0-9]/.test(c)) return point;
    throw syntaxError(`invalid escape sequence: \\${c}`);
  }

  private charClass(): CharSet {
    const start = this.at;
    this.at++;
    const negated = this.peek() === '^';
    if (negated) this.at++;
    const ranges: Array<[number, number]> = [];
    const properties: Array<(ch: string) => boolean> = [];
    let first = true;
    for (;;) {
      if (this.at >= this.text.length) throw syntaxError(`missing closing ]: ${this.text.slice(start, start + 20)}`);
      const c = this.text[this.at]!;
      if (c === ']' && !first) break;
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.text.slice(this.at, this.at + 12));
      if (posix) {
        const table = POSIX[posix[2]!];
        if (!table) throw syntaxError(`invalid character class range: ${posix[0]}`);
        ranges.push(...(posix[1] ? negate(table) : table));
        this.at += posix[0].length;
        continue;
      }
      if (c === '\\') {
        const set = this.classEscape();
        if (set) {
          if (set.properties) {
            const [test] = set.properties;
            properties.push(set.negated ? (ch) => !test!(ch) : test!);
          } else {
            for (const [lo, hi] of set.negated ? negate(set.ranges) : set.ranges) ranges.push([lo, hi]);
          }
          continue;
        }
      }
      const lo = this.classChar();
      if (this.peek() === '-' && this.text[this.at + 1] !== ']' && this.at + 1 < this.text.length) {
        this.at++;
        const hi = this.classChar();
        if (hi < lo) throw syntaxError(`invalid character class range: ${this.text.slice(start, this.at)}`);
        ranges.push([lo, hi]);
      } else {
        ranges.push([lo, lo]);
      }
    }
    this.at++;
    return { ranges, negated, fold: this.flags.i, ...(properties.length ? { properties } : {}) };
  }

  private classChar(): number {
    if (this.peek() === '\\') return this.escapedPoint();
    const point = this.text.codePointAt(this.at)!;
    this.at += point > 0xffff ? 2 : 1;
    return point;
  }

  private peek(): string | undefined {
    return this.text[this.at];
  }
}

/** `\pL`, `\p{Greek}`: a general category or a script, tested with JavaScript's Unicode tables. */
function unicodeProperty(name: string): (ch: string) => boolean {
  if (name === 'Any') return () => true;
  for (const body of [name, `Script=${name}`]) {
    try {
      const pattern = new RegExp(`^\\p{${body}}$`, 'u');
      return (ch) => pattern.test(ch);
    } catch {
      // try the next spelling
    }
  }
  throw syntaxError(`invalid character class range: \\p{${name}}`);
}

// ---- Program and Pike VM ---------------------------------------------------------------------

type Instruction =
  | { op: 'set'; set: CharSet }
  | { op: 'assert'; assertion: Assertion }
  | { op: 'split'; x: number; y: number }
  | { op: 'jump'; x: number }
  | { op: 'match' };

function compile(root: Node): Instruction[] {
  const program: Instruction[] = [];
  const emit = (instruction: Instruction): number => {
    if (program.length >= RE2_MAX_PROGRAM) throw syntaxError(`expression too large (more than ${RE2_MAX_PROGRAM} instructions)`);
    program.push(instruction);
    return program.length - 1;
  };
  const visit = (node: Node): void => {
    switch (node.kind) {
      case 'empty':
        return;
      case 'set':
        emit({ op: 'set', set: node.set });
        return;
      case 'assert':
        emit({ op: 'assert', assertion: node.assertion });
        return;
      case 'concat':
        for (const item of node.items) visit(item);
        return;
      case 'alternate': {
        const jumps: number[] = [];
        node.items.forEach((item, i) => {
          if (i === node.items.length - 1) {
            visit(item);
            return;
          }
          const split = emit({ op: 'split', x: 0, y: 0 });
          (program[split] as { x: number }).x = program.length;
          visit(item);
          jumps.push(emit({ op: 'jump', x: 0 }));
          (program[split] as { y: number }).y = program.length;
        });
        for (const jump of jumps) (program[jump] as { x: number }).x = program.length;
        return;
      }
      case 'repeat': {
        for (let i = 0; i < node.min; i++) visit(node.node);
        if (node.max === -1) {
          // x*: L: split body, out; body; jump L
          const split = emit({ op: 'split', x: 0, y: 0 });
          (program[split] as { x: number }).x = program.length;
          visit(node.node);
          emit({ op: 'jump', x: split });
          (program[split] as { y: number }).y = program.length;
          return;
        }
        // x{0,k}: k optional copies, each skipping to the end.
        const splits: number[] = [];
        for (let i = node.min; i < node.max; i++) {
          const split = emit({ op: 'split', x: 0, y: 0 });
          (program[split] as { x: number }).x = program.length;
          splits.push(split);
          visit(node.node);
        }
        for (const split of splits) (program[split] as { y: number }).y = program.length;
        return;
      }
    }
  };
  visit(root);
  emit({ op: 'match' });
  return program;
}

const isWordChar = (point: number | undefined): boolean =>
  point !== undefined &&
  ((point >= 0x30 && point <= 0x39) || (point >= 0x41 && point <= 0x5a) || point === 0x5f || (point >= 0x61 && point <= 0x7a));

function holds(assertion: Assertion, before: number | undefined, after: number | undefined): boolean {
  switch (assertion) {
    case 'beginText':
      return before === undefined;
    case 'endText':
      return after === undefined;
    case 'beginLine':
      return before === undefined || before === 10;
    case 'endLine':
      return after === undefined || after === 10;
    case 'wordBoundary':
      return isWordChar(before) !== isWordChar(after);
    case 'notWordBoundary':
      return isWordChar(before) === isWordChar(after);
  }
}

function inSet(set: CharSet, point: number): boolean {
  const within = (p: number) =>
    set.ranges.some(([lo, hi]) => p >= lo && p <= hi) || (set.properties?.some((test) => test(String.fromCodePoint(p))) ?? false);
  let found = within(point);
  if (!found && set.fold) {
    const ch = String.fromCodePoint(point);
    for (const other of [ch.toLowerCase(), ch.toUpperCase()]) {
      if (other.length > 0 && [...other].length === 1 && within(other.codePointAt(0)!)) found = true;
    }
  }
  return found !== set.negated;
}

/**
 * Pike VM: every thread advances one character at a time, at most one thread per instruction, so
 * the work is O(text length x program size) whatever the pattern.
 */
function run(program: readonly Instruction[], text: string): boolean {
  const points = Array.from(text, (ch) => ch.codePointAt(0)!);
  const seen = new Int32Array(program.length).fill(-1);
  let current: number[] = [];
  let next: number[] = [];
  const stack: number[] = [];
  // Follows jumps, splits and assertions from `pc` at position `at`; returns true on a match.
  const add = (list: number[], pc: number, at: number, generation: number): boolean => {
    stack.push(pc);
    while (stack.length > 0) {
      const p = stack.pop()!;
      if (seen[p] === generation) continue;
      seen[p] = generation;
      const instruction = program[p]!;
      switch (instruction.op) {
        case 'match':
          stack.length = 0;
          return true;
        case 'jump':
          stack.push(instruction.x);
          break;
        case 'split':
          stack.push(instruction.y, instruction.x);
          break;
        case 'assert':
          if (holds(instruction.assertion, points[at - 1], points[at])) stack.push(p + 1);
          break;
        case 'set':
          list.push(p);
          break;
      }
    }
    return false;
  };
  for (let at = 0; ; at++) {
    // Unanchored search: a new thread starts at every position (Go's Find).
    if (add(current, 0, at, at)) return true;
    if (at >= points.length) return false;
    const point = points[at]!;
    next.length = 0;
    for (const pc of current) {
      const instruction = program[pc] as { op: 'set'; set: CharSet };
      if (inSet(instruction.set, point) && add(next, pc + 1, at + 1, at + 1)) return true;
    }
    [current, next] = [next, current];
  }
}
