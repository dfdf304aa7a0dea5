/**
 * Where each value of a JSON text sits, by JSON pointer (`/screens/0/id`), so that a problem found
 * in the parsed value can be reported at its line and column, as Meta's and Infobip's flow JSON
 * validation errors are. A small scanner of its own: JSON.parse keeps no positions.
 */

export interface TextSpan {
  readonly lineStart: number;
  readonly lineEnd: number;
  readonly columnStart: number;
  readonly columnEnd: number;
}

interface Offsets {
  /** The member's key, for values inside objects. */
  readonly key?: readonly [number, number];
  readonly value: readonly [number, number];
}

export class JsonPositions {
  readonly #at = new Map<string, Offsets>();
  readonly #lineStarts: number[] = [0];

  /** Throws `JsonSyntaxError` (with its offset) when `text` is not JSON. */
  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.#lineStarts.push(i + 1);
    let i = this.#value(this.#skip(0), "", undefined);
    i = this.#skip(i);
    if (i < text.length) throw new JsonSyntaxError("unexpected text after the JSON value", i);
  }

  /**
   * The span of the value at `pointer` (or of its key, when `key`), or of the nearest enclosing
   * value that exists (a missing property is reported where its object is).
   */
  span(pointer: string, key = false): TextSpan {
    let p = pointer;
    for (;;) {
      const o = this.#at.get(p);
      if (o) {
        const [s, e] = key && o.key ? o.key : o.value;
        return this.spanOf(s, e);
      }
      if (p === "") return this.spanOf(0, 0);
      p = p.slice(0, p.lastIndexOf("/"));
    }
  }

  /** Line and column (1-based; the end column is the last character's) of offsets [s, e). */
  spanOf(s: number, e: number): TextSpan {
    const [ls, cs] = this.#lineCol(s);
    const [le, ce] = this.#lineCol(Math.max(s, e - 1));
    return { lineStart: ls, lineEnd: le, columnStart: cs, columnEnd: ce };
  }

  #lineCol(offset: number): [number, number] {
    let lo = 0;
    let hi = this.#lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.#lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return [lo + 1, offset - (this.#lineStarts[lo] as number) + 1];
  }

  #skip(i: number): number {
    const t = this.text;
    while (i < t.length && (t[i] === " " || t[i] === "\n" || t[i] === "\r" || t[i] === "\t")) i++;
    return i;
  }

  #value(i: number, pointer: string, key: readonly [number, number] | undefined): number {
    const t = this.text;
    const start = i;
    const c = t[i];
    let end: number;
    if (c === "{") {
      i = this.#skip(i + 1);
      if (t[i] === "}") end = i + 1;
      else {
        for (;;) {
          if (t[i] !== '"') throw new JsonSyntaxError("expected a property name", i);
          const keyEnd = this.#string(i);
          const name = JSON.parse(t.slice(i, keyEnd)) as string;
          const k = [i, keyEnd] as const;
          i = this.#skip(keyEnd);
          if (t[i] !== ":") throw new JsonSyntaxError("expected ':'", i);
          i = this.#value(this.#skip(i + 1), `${pointer}/${pointerSegment(name)}`, k);
          i = this.#skip(i);
          if (t[i] === ",") i = this.#skip(i + 1);
          else if (t[i] === "}") break;
          else throw new JsonSyntaxError("expected ',' or '}'", i);
        }
        end = i + 1;
      }
    } else if (c === "[") {
      i = this.#skip(i + 1);
      if (t[i] === "]") end = i + 1;
      else {
        for (let n = 0; ; n++) {
          i = this.#skip(this.#value(i, `${pointer}/${n}`, undefined));
          if (t[i] === ",") i = this.#skip(i + 1);
          else if (t[i] === "]") break;
          else throw new JsonSyntaxError("expected ',' or ']'", i);
        }
        end = i + 1;
      }
    } else if (c === '"') end = this.#string(i);
    else {
      const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(t.slice(i, i + 400));
      if (!m) throw new JsonSyntaxError("unexpected character", i);
      end = i + m[0].length;
    }
    this.#at.set(pointer, { ...(key ? { key } : {}), value: [start, end] });
    return end;
  }

  #string(i: number): number {
    const t = this.text;
    for (let j = i + 1; j < t.length; j++) {
      const ch = t[j];
      if (ch === "\\") j++;
      else if (ch === '"') return j + 1;
      else if (ch === "\n") break;
    }
    throw new JsonSyntaxError("unterminated string", i);
  }
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** A JSON pointer segment (RFC 6901). */
export function pointerSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}
