// EPMD messages (erts "Distribution Protocol", EPMD Protocol). Requests are Len:16 | Request;
// responses have no length prefix. All integers big-endian; names are UTF-8.

export const EPMD_DEFAULT_PORT = 4369;

/** ERL_EPMD_PORT, as erl turns it into -epmd_port; 4369 without it. */
export function epmdPort(env: NodeJS.ProcessEnv = process.env): number {
  const p = Number(env.ERL_EPMD_PORT);
  return Number.isInteger(p) && p > 0 && p < 65536 ? p : EPMD_DEFAULT_PORT;
}

export const EpmdOp = {
  ALIVE2_REQ: 120, // 'x'
  ALIVE2_X_RESP: 118, // 'v'
  ALIVE2_RESP: 121, // 'y'
  PORT_PLEASE2_REQ: 122, // 'z'
  PORT2_RESP: 119, // 'w'
  NAMES_REQ: 110, // 'n'
  DUMP_REQ: 100, // 'd'
  KILL_REQ: 107, // 'k'
  STOP_REQ: 115, // 's'
} as const;

/** NodeType: a normal node; real erl registers as 77 even when hidden. */
export const NODE_TYPE_NORMAL = 77;
export const NODE_TYPE_HIDDEN = 72;
/** Protocol 0: TCP/IPv4. */
export const PROTOCOL_TCP_IPV4 = 0;

/** What ALIVE2_REQ registers and PORT2_RESP tells. */
export interface NodeEntry {
  /** the alive part only ("a" of a@host) */
  name: string;
  port: number;
  nodeType: number;
  protocol: number;
  highest: number;
  lowest: number;
  extra: Uint8Array;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Len:16 | Body */
export function request(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + body.length);
  out[0] = body.length >> 8;
  out[1] = body.length & 0xff;
  out.set(body, 2);
  return out;
}

function nodeFields(op: number, head: number[], e: NodeEntry): Uint8Array {
  const name = enc.encode(e.name);
  const out = new Uint8Array(head.length + 1 + 2 + 1 + 1 + 2 + 2 + 2 + name.length + 2 + e.extra.length);
  const v = new DataView(out.buffer);
  let o = 0;
  out[o++] = op;
  for (const b of head) out[o++] = b;
  v.setUint16(o, e.port);
  o += 2;
  out[o++] = e.nodeType;
  out[o++] = e.protocol;
  v.setUint16(o, e.highest);
  o += 2;
  v.setUint16(o, e.lowest);
  o += 2;
  v.setUint16(o, name.length);
  o += 2;
  out.set(name, o);
  o += name.length;
  v.setUint16(o, e.extra.length);
  o += 2;
  out.set(e.extra, o);
  return out;
}

/** The fields after the op byte (and PORT2_RESP's result byte), or undefined when malformed. */
function parseNodeFields(b: Uint8Array, at: number): NodeEntry | undefined {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < at + 10) return undefined;
  const port = v.getUint16(at);
  const nodeType = b[at + 2];
  const protocol = b[at + 3];
  const highest = v.getUint16(at + 4);
  const lowest = v.getUint16(at + 6);
  const nlen = v.getUint16(at + 8);
  let o = at + 10;
  if (b.length < o + nlen + 2) return undefined;
  const name = dec.decode(b.subarray(o, o + nlen));
  o += nlen;
  const elen = v.getUint16(o);
  o += 2;
  if (b.length < o + elen) return undefined;
  return { name, port, nodeType, protocol, highest, lowest, extra: b.slice(o, o + elen) };
}

// ---------- requests ----------

export function alive2Req(e: NodeEntry): Uint8Array {
  return request(nodeFields(EpmdOp.ALIVE2_REQ, [], e));
}

/** ALIVE2_REQ's body (after the length), from the op byte on. */
export function parseAlive2Req(body: Uint8Array): NodeEntry | undefined {
  if (body[0] !== EpmdOp.ALIVE2_REQ) return undefined;
  return parseNodeFields(body, 1);
}

export function portPlease2Req(name: string): Uint8Array {
  const n = enc.encode(name);
  const body = new Uint8Array(1 + n.length);
  body[0] = EpmdOp.PORT_PLEASE2_REQ;
  body.set(n, 1);
  return request(body);
}

export function namesReq(): Uint8Array {
  return request(Uint8Array.of(EpmdOp.NAMES_REQ));
}

export function killReq(): Uint8Array {
  return request(Uint8Array.of(EpmdOp.KILL_REQ));
}

export function dumpReq(): Uint8Array {
  return request(Uint8Array.of(EpmdOp.DUMP_REQ));
}

export function stopReq(name: string): Uint8Array {
  const n = enc.encode(name);
  const body = new Uint8Array(1 + n.length);
  body[0] = EpmdOp.STOP_REQ;
  body.set(n, 1);
  return request(body);
}

// ---------- responses ----------

/** ALIVE2_X_RESP: 'v' | Result | Creation:32 (for nodes whose highest version is 6 or more). */
export function alive2XResp(result: number, creation: number): Uint8Array {
  const out = new Uint8Array(6);
  out[0] = EpmdOp.ALIVE2_X_RESP;
  out[1] = result;
  new DataView(out.buffer).setUint32(2, creation >>> 0);
  return out;
}

/** ALIVE2_RESP: 'y' | Result | Creation:16 (for version 5 nodes). */
export function alive2Resp(result: number, creation: number): Uint8Array {
  return Uint8Array.of(EpmdOp.ALIVE2_RESP, result, (creation >> 8) & 0xff, creation & 0xff);
}

export type Alive2Reply = { result: number; creation: number; size: number };

/** The ALIVE2 answer at the start of bytes, or undefined while incomplete; throws on anything else. */
export function parseAlive2Reply(b: Uint8Array): Alive2Reply | undefined {
  if (b.length === 0) return undefined;
  if (b[0] === EpmdOp.ALIVE2_X_RESP) {
    if (b.length < 6) return undefined;
    return { result: b[1], creation: new DataView(b.buffer, b.byteOffset).getUint32(2), size: 6 };
  }
  if (b[0] === EpmdOp.ALIVE2_RESP) {
    if (b.length < 4) return undefined;
    return { result: b[1], creation: (b[2] << 8) | b[3], size: 4 };
  }
  throw new Error(`unexpected EPMD answer to ALIVE2_REQ: ${b[0]}`);
}

export function port2Resp(e: NodeEntry | undefined): Uint8Array {
  if (e === undefined) return Uint8Array.of(EpmdOp.PORT2_RESP, 1);
  return nodeFields(EpmdOp.PORT2_RESP, [0], e);
}

/** A complete PORT2_RESP: the node, or null for "not registered"; undefined while incomplete. */
export function parsePort2Resp(b: Uint8Array): NodeEntry | null | undefined {
  if (b.length < 2) return undefined;
  if (b[0] !== EpmdOp.PORT2_RESP) throw new Error(`unexpected EPMD answer to PORT_PLEASE2_REQ: ${b[0]}`);
  if (b[1] !== 0) return null;
  return parseNodeFields(b, 2);
}

/** NAMES_RESP / DUMP_RESP: EpmdPort:32 then text lines. */
export function namesResp(epmdPort: number, lines: string): Uint8Array {
  const text = enc.encode(lines);
  const out = new Uint8Array(4 + text.length);
  new DataView(out.buffer).setUint32(0, epmdPort);
  out.set(text, 4);
  return out;
}

/** The lines "name N at port P" of a NAMES answer. */
export function parseNamesText(text: string): { name: string; port: number }[] {
  const out: { name: string; port: number }[] = [];
  for (const line of text.split('\n')) {
    const m = /^name (.+) at port (\d+)$/.exec(line);
    if (m) out.push({ name: m[1], port: Number(m[2]) });
  }
  return out;
}
