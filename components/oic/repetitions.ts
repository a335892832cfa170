/**
 * Lists whose entries may each appear once: the roles (one grant each, and the identity domain refuses a second
 * identical grant: a grant's `compositeKey` is unique, oci-go-sdk identitydomains/grant.go) and the scope kinds
 * (one `allowedScopes` entry each). The one rule and wording for the stack config and the component, which each
 * frame it their own way; the stack config also finds repeated client and display names with it.
 */

/** An entry that repeats an earlier one: its position and the position of that earlier one. */
export interface Repetition {
  readonly index: number;
  readonly firstIndex: number;
}

/** The entries that repeat an earlier one (by `keyOf`, default the entry itself), in list order. */
export function repetitions<T>(
  items: readonly T[],
  keyOf: (item: T) => string = (item) => String(item),
): Repetition[] {
  const seen = new Map<string, number>();
  const found: Repetition[] = [];
  items.forEach((item, index) => {
    const key = keyOf(item);
    const firstIndex = seen.get(key);
    if (firstIndex === undefined) seen.set(key, index);
    else found.push({ index, firstIndex });
  });
  return found;
}

/** `<subject> is listed twice (also at [<firstIndex>])`: lower case, no full stop. */
export function repetitionProblem(subject: string, repetition: Repetition): string {
  return `${subject} is listed twice (also at [${repetition.firstIndex}])`;
}

/** The fix of a repetition: lower case, no full stop. */
export const REPETITION_FIX = "remove the repetition";
