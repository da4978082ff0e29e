// Distribution capability flags (kernel/include/dist.hrl), exchanged in the handshake's 'N' messages.
// A connection uses the flags both sides set (ThisFlags band OtherFlags).

export const DFLAG = {
  PUBLISHED: 0x1n,
  ATOM_CACHE: 0x2n,
  EXTENDED_REFERENCES: 0x4n,
  DIST_MONITOR: 0x8n,
  FUN_TAGS: 0x10n,
  DIST_MONITOR_NAME: 0x20n,
  HIDDEN_ATOM_CACHE: 0x40n,
  NEW_FUN_TAGS: 0x80n,
  EXTENDED_PIDS_PORTS: 0x100n,
  EXPORT_PTR_TAG: 0x200n,
  BIT_BINARIES: 0x400n,
  NEW_FLOATS: 0x800n,
  UNICODE_IO: 0x1000n,
  DIST_HDR_ATOM_CACHE: 0x2000n,
  SMALL_ATOM_TAGS: 0x4000n,
  UTF8_ATOMS: 0x10000n,
  MAP_TAG: 0x20000n,
  BIG_CREATION: 0x40000n,
  SEND_SENDER: 0x80000n,
  BIG_SEQTRACE_LABELS: 0x100000n,
  EXIT_PAYLOAD: 0x400000n,
  FRAGMENTS: 0x800000n,
  HANDSHAKE_23: 0x1000000n,
  UNLINK_ID: 0x2000000n,
  /** stands for all of MANDATORY_OTP25 (dist_util:expand_mandatory_25_flag/1); bit 26, not 36 as the erts doc says */
  MANDATORY_25_DIGEST: 0x4000000n,
  SPAWN: 1n << 32n,
  NAME_ME: 1n << 33n,
  V4_NC: 1n << 34n,
  ALIAS: 1n << 35n,
} as const;

export type DFlagName = keyof typeof DFLAG;

/** What an OTP 25 peer requires of us (erts_internal:get_dflags() mandatory). */
export const MANDATORY_OTP25 =
  DFLAG.EXTENDED_REFERENCES |
  DFLAG.FUN_TAGS |
  DFLAG.NEW_FUN_TAGS |
  DFLAG.EXTENDED_PIDS_PORTS |
  DFLAG.EXPORT_PTR_TAG |
  DFLAG.BIT_BINARIES |
  DFLAG.NEW_FLOATS |
  DFLAG.UTF8_ATOMS |
  DFLAG.MAP_TAG |
  DFLAG.BIG_CREATION |
  DFLAG.HANDSHAKE_23;

/**
 * terl's flags as a visible node: the mandatory set and its digest bit, plus what terl implements
 * (monitors, send-sender, exit payloads, unlink ids, spawn, V4 identifiers, aliases). No atom cache
 * and no fragments, so every frame OTP sends us is a plain 112 pass-through message.
 */
export const TERL_FLAGS =
  MANDATORY_OTP25 |
  DFLAG.MANDATORY_25_DIGEST |
  DFLAG.PUBLISHED |
  DFLAG.DIST_MONITOR |
  DFLAG.DIST_MONITOR_NAME |
  DFLAG.UNICODE_IO |
  DFLAG.SMALL_ATOM_TAGS |
  DFLAG.SEND_SENDER |
  DFLAG.BIG_SEQTRACE_LABELS |
  DFLAG.EXIT_PAYLOAD |
  DFLAG.UNLINK_ID |
  DFLAG.SPAWN |
  DFLAG.V4_NC |
  DFLAG.ALIAS;

/** The same without PUBLISHED: a hidden node (erl -hidden). */
export const TERL_HIDDEN_FLAGS = TERL_FLAGS & ~DFLAG.PUBLISHED;

/** A peer that sets MANDATORY_25_DIGEST has every OTP 25 mandatory flag. */
export function expandMandatory25(flags: bigint): bigint {
  return (flags & DFLAG.MANDATORY_25_DIGEST) !== 0n ? flags | MANDATORY_OTP25 : flags;
}

/** dist_util:dflag2str/1 for each bit. */
export function flagName(bit: bigint): string {
  for (const [name, v] of Object.entries(DFLAG)) if (v === bit) return name;
  return `UNKNOWN<${bit.toString(16).toUpperCase()}>`;
}

/** The names of the set bits, lowest first. */
export function flagNames(flags: bigint): string[] {
  const out: string[] = [];
  for (let bit = 1n; bit <= flags; bit <<= 1n) if ((flags & bit) !== 0n) out.push(flagName(bit));
  return out;
}

/**
 * The mandatory flags the peer lacks, in the order dist_util:check_mandatory/3 lists them
 * (it prepends from the lowest bit up, so the highest missing bit comes first).
 */
export function missingMandatory(otherFlags: bigint, mandatory: bigint = MANDATORY_OTP25): string[] {
  return flagNames(mandatory & ~otherFlags).reverse();
}

/** The flags a connection uses. */
export function negotiate(thisFlags: bigint, otherFlags: bigint): bigint {
  return thisFlags & otherFlags;
}

export function isPublished(flags: bigint): boolean {
  return (flags & DFLAG.PUBLISHED) !== 0n;
}
