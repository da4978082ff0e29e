// terl's version and the shell's banner (erl's shape, terl's words).

export const VERSION = '0.1.0';

/** The line erl prints as `Eshell V13.1.5  (abort with ^G)`. */
export function banner(): string {
  return `Eshell terl ${VERSION}  (abort with ^G)`;
}
