/**
 * Parser of SCIM filter expressions (RFC 7644 §3.4.2.2), the language of `?filter=` on identity-domain lists:
 * `eq ne co sw ew gt ge lt le pr`, `and`/`or`/`not`, parentheses, `attr[subFilter]` value paths, quoted strings
 * with JSON escapes, numbers, `true`/`false`/`null`, dotted and URN-prefixed attribute paths. Operators and
 * keywords are case-insensitive. Precedence: `not` and groups bind tightest, then `and`, then `or`.
 * Every malformed input ends in a `FilterSyntaxError`, never in another exception.
 */

export type CompareOperator = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";
export type FilterValue = string | number | boolean | null;

export type FilterNode =
  | {
      readonly kind: "compare";
      readonly path: string;
      readonly op: CompareOperator;
      readonly value: FilterValue;
    }
  | { readonly kind: "present"; readonly path: string }
  | { readonly kind: "and" | "or"; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: "not"; readonly expr: FilterNode }
  | { readonly kind: "valuePath"; readonly path: string; readonly filter: FilterNode };

export class FilterSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FilterSyntaxError";
  }
}

const COMPARE_OPERATORS: ReadonlySet<string> = new Set([
  "eq",
  "ne",
  "co",
  "sw",
  "ew",
  "gt",
  "ge",
  "lt",
  "le",
]);
const KEYWORDS: ReadonlySet<string> = new Set([...COMPARE_OPERATORS, "pr", "and", "or", "not"]);
/** Deep enough for any real filter, shallow enough that recursion can never exhaust the stack. */
const MAX_DEPTH = 64;
const MAX_LENGTH = 8192;

type Token =
  | { readonly type: "word"; readonly text: string; readonly at: number }
  | { readonly type: "string"; readonly value: string; readonly at: number }
  | { readonly type: "number"; readonly value: number; readonly at: number }
  | { readonly type: "(" | ")" | "[" | "]"; readonly at: number };

const WORD_CHAR = /[A-Za-z0-9_$.:-]/;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const ATTR_PATH = /^(?:[A-Za-z][A-Za-z0-9_$-]*|\$ref)(?:\.(?:[A-Za-z][A-Za-z0-9_$-]*|\$ref))?$/;

function readString(input: string, start: number): { value: string; end: number } {
  let i = start + 1;
  while (i < input.length) {
    const ch = input[i];
    if (ch === "\\") {
      i += 2;
      continue;
    }
    if (ch === '"') {
      const literal = input.slice(start, i + 1);
      try {
        // JSON string grammar is exactly RFC 7644's (it points to RFC 7159 for strings).
        return { value: JSON.parse(literal) as string, end: i + 1 };
      } catch {
        throw new FilterSyntaxError(
          `Invalid escape sequence in the string that starts at position ${start + 1}.`,
        );
      }
    }
    if (ch !== undefined && ch.charCodeAt(0) < 0x20) {
      throw new FilterSyntaxError(`Control character in the string that starts at position ${start + 1}.`);
    }
    i += 1;
  }
  throw new FilterSyntaxError(`Unterminated string that starts at position ${start + 1}.`);
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] ?? "";
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === "(" || ch === ")" || ch === "[" || ch === "]") {
      tokens.push({ type: ch, at: i });
      i += 1;
    } else if (ch === '"') {
      const { value, end } = readString(input, i);
      tokens.push({ type: "string", value, at: i });
      i = end;
    } else if (/[-0-9]/.test(ch) && NUMBER.test(input.slice(i))) {
      const text = NUMBER.exec(input.slice(i))?.[0] ?? "";
      tokens.push({ type: "number", value: Number(text), at: i });
      i += text.length;
    } else if (WORD_CHAR.test(ch)) {
      let end = i;
      while (end < input.length && WORD_CHAR.test(input[end] ?? "")) end += 1;
      tokens.push({ type: "word", text: input.slice(i, end), at: i });
      i = end;
    } else {
      throw new FilterSyntaxError(`Unexpected character ${JSON.stringify(ch)} at position ${i + 1}.`);
    }
  }
  return tokens;
}

function describe(token: Token | undefined): string {
  if (!token) return "the end of the filter";
  switch (token.type) {
    case "word":
      return `"${token.text}" at position ${token.at + 1}`;
    case "string":
      return `a string at position ${token.at + 1}`;
    case "number":
      return `a number at position ${token.at + 1}`;
    default:
      return `"${token.type}" at position ${token.at + 1}`;
  }
}

class Parser {
  private position = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): FilterNode {
    const node = this.parseOr();
    const rest = this.peek();
    if (rest) throw new FilterSyntaxError(`Unexpected ${describe(rest)}.`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token | undefined {
    const token = this.tokens[this.position];
    this.position += 1;
    return token;
  }

  private isKeyword(token: Token | undefined, keyword: string): boolean {
    return token?.type === "word" && token.text.toLowerCase() === keyword;
  }

  private expect(type: "(" | ")" | "]"): void {
    const token = this.next();
    if (token?.type !== type) throw new FilterSyntaxError(`Expected "${type}" but found ${describe(token)}.`);
  }

  private enter(): void {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) throw new FilterSyntaxError(`Filter nests deeper than ${MAX_DEPTH} levels.`);
  }

  private parseOr(): FilterNode {
    this.enter();
    let left = this.parseAnd();
    while (this.isKeyword(this.peek(), "or")) {
      this.next();
      left = { kind: "or", left, right: this.parseAnd() };
    }
    this.depth -= 1;
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.isKeyword(this.peek(), "and")) {
      this.next();
      left = { kind: "and", left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    const token = this.peek();
    if (this.isKeyword(token, "not")) {
      this.next();
      if (this.peek()?.type !== "(") {
        throw new FilterSyntaxError(`Expected "(" after "not" but found ${describe(this.peek())}.`);
      }
      return { kind: "not", expr: this.parseGroup() };
    }
    if (token?.type === "(") return this.parseGroup();
    return this.parseAttributeExpression();
  }

  private parseGroup(): FilterNode {
    this.expect("(");
    const inner = this.parseOr();
    this.expect(")");
    return inner;
  }

  private parseAttributeExpression(): FilterNode {
    const token = this.next();
    if (token?.type !== "word" || KEYWORDS.has(token.text.toLowerCase())) {
      throw new FilterSyntaxError(`Expected an attribute name but found ${describe(token)}.`);
    }
    const path = attributePath(token.text, token.at);
    if (this.peek()?.type === "[") {
      this.next();
      const filter = this.parseOr();
      this.expect("]");
      return { kind: "valuePath", path, filter };
    }
    const operator = this.next();
    const op = operator?.type === "word" ? operator.text.toLowerCase() : "";
    if (op === "pr") return { kind: "present", path };
    if (!COMPARE_OPERATORS.has(op)) {
      throw new FilterSyntaxError(`Expected an operator after "${path}" but found ${describe(operator)}.`);
    }
    return { kind: "compare", path, op: op as CompareOperator, value: this.parseValue() };
  }

  private parseValue(): FilterValue {
    const token = this.next();
    if (token?.type === "string" || token?.type === "number") return token.value;
    if (token?.type === "word") {
      const word = token.text.toLowerCase();
      if (word === "true") return true;
      if (word === "false") return false;
      if (word === "null") return null;
    }
    throw new FilterSyntaxError(
      `Expected a value (a quoted string, a number, true, false or null) but found ${describe(token)}.`,
    );
  }
}

/** Accepts `name`, `parent.sub` and `urn:…:Resource:name[.sub]`; returns the path with its URN prefix kept. */
function attributePath(text: string, at: number): string {
  const colon = text.lastIndexOf(":");
  const local = colon >= 0 ? text.slice(colon + 1) : text;
  const urnOk = colon < 0 || /^urn:[A-Za-z0-9_.:-]+$/i.test(text.slice(0, colon));
  if (!urnOk || !ATTR_PATH.test(local)) {
    throw new FilterSyntaxError(`"${text}" at position ${at + 1} is not an attribute path.`);
  }
  return text;
}

export function parseFilter(input: string): FilterNode {
  if (input.length > MAX_LENGTH)
    throw new FilterSyntaxError(`Filter is longer than ${MAX_LENGTH} characters.`);
  if (input.trim() === "") throw new FilterSyntaxError("Filter is empty.");
  return new Parser(tokenize(input)).parse();
}
