// The two interrupt menus as the terminal runs them: Ctrl-C's BREAK menu (with (k)ill's walk through
// the processes) and Ctrl-G's user switch loop at ` --> `. The texts and what each answer means are
// in break_menu.ts; this holds the answer being typed, which menu is open, and the node's replies.

import type { FromNode, ToNode } from '../src/bridge.js';
import { LineEditor } from './editor.js';
import type { Key } from './keys.js';
import {
  BREAK_MENU,
  USER_SWITCH_HEADER,
  USER_SWITCH_PROMPT,
  breakChoice,
  infoText,
  invalidOption,
  switchCommand,
  versionText,
} from './break_menu.js';

/** BREAK (k)ill's question after each process. */
const KILL_PROMPT = '(k)ill (n)ext (r)eturn:\n';

type MenuReply = Extract<FromNode, { t: 'break_reply' | 'switch_reply' }>;

/** What the menus ask of the session. */
export interface MenuHost {
  /** write our own text (after any partial output line) */
  echo(text: string): void;
  post(msg: ToNode): void;
  beep(): void;
  /** halt: BREAK (a), Ctrl-C at BREAK, Ctrl-G q */
  abort(): void;
  /** the menus are closed: back at the line */
  resume(): void;
  /** Ctrl-G i: stop the running evaluation */
  interrupt(): void;
}

export class InterruptMenus {
  /** the menu being answered, or null at the line */
  open: 'break' | 'switch' | null = null;
  /** the answer typed at BREAK, or the command at ` --> ` */
  readonly answer = new LineEditor();
  /** where BREAK returns to: Ctrl-C from the switch menu goes back to it */
  private returnTo: 'line' | 'switch' = 'line';
  /** a command went to the node and its answer has not come: keys wait in typedAhead */
  waiting = false;
  private readonly typedAhead: Key[] = [];
  /** BREAK (k)ill: the processes being walked through */
  private killWalk: { procs: { pid: string; text: string }[]; at: number } | null = null;

  constructor(
    private readonly host: MenuHost,
    private readonly version: string,
  ) {}

  /** The prompt drawn before the answer: ` --> ` in the switch menu, nothing at BREAK. */
  get prompt(): string {
    return this.open === 'switch' ? USER_SWITCH_PROMPT : '';
  }

  /** Ctrl-C; `shown` is the line on the screen when it came from the line (it stays, as in erl). */
  openBreak(shown: string): void {
    // Ctrl-C at the BREAK menu: erl is gone
    if (this.open === 'break') return this.host.abort();
    this.returnTo = this.open === 'switch' ? 'switch' : 'line';
    const line = this.open === 'switch' ? USER_SWITCH_PROMPT + this.answer.text : shown;
    this.host.echo(line + '\n' + BREAK_MENU);
    this.answer.clear();
    this.open = 'break';
  }

  /** Ctrl-G (ignored at BREAK and in the switch menu itself). */
  openSwitch(shown: string): void {
    if (this.open !== null) return;
    this.host.echo(shown + '\n' + USER_SWITCH_HEADER);
    this.answer.clear();
    this.open = 'switch';
  }

  /** A key while the node answers a command: it waits, as erl's menus answer before reading on. */
  hold(k: Key): void {
    this.typedAhead.push(k);
  }

  key(k: Key): void {
    const m = this.answer;
    if (k.kind === 'text') m.insert(k.text);
    else if (k.kind === 'paste') m.insert(k.text.replace(/\n/g, ''));
    else if (k.kind === 'key') {
      if (k.name === 'enter') return this.answered(m.text);
      if (k.name === 'backspace' && !m.backspace()) this.host.beep();
      if (k.name === 'left') m.left();
      if (k.name === 'right') m.right();
      if (k.name === 'delete') m.deleteForward();
    } else if (k.kind === 'ctrl') {
      if (k.ch === 'u') m.killToStart();
      if (k.ch === 'a') m.home();
      if (k.ch === 'e') m.end();
      if (k.ch === 'h') m.backspace();
    }
  }

  private answered(answer: string): void {
    this.answer.clear();
    if (this.open === 'break') return this.killWalk !== null ? this.killAnswer(answer) : this.breakAnswer(answer);
    this.switchAnswer(answer);
  }

  private breakAnswer(answer: string): void {
    const host = this.host;
    host.echo(answer + '\n');
    const choice = breakChoice(answer);
    switch (choice.kind) {
      case 'abort':
        return host.abort();
      case 'continue':
        return this.back();
      case 'info':
        host.echo(infoText());
        return this.back();
      case 'version':
        host.echo(versionText(this.version));
        return this.back();
      case 'node':
        // the node answers with break_reply (reply)
        this.waiting = true;
        host.post({ t: 'break_info', what: choice.what });
        return;
      case 'again':
        return;
      case 'invalid':
        host.echo(invalidOption(choice.option) + BREAK_MENU);
        return;
    }
  }

  private switchAnswer(answer: string): void {
    const host = this.host;
    host.echo(USER_SWITCH_PROMPT + answer + '\n');
    const cmd = switchCommand(answer);
    switch (cmd.kind) {
      case 'node':
        // the node answers with switch_reply (reply)
        this.waiting = true;
        host.post({ t: 'switch', cmd: cmd.cmd, arg: cmd.arg });
        return;
      case 'interrupt':
        host.interrupt();
        return;
      case 'quit':
        return host.abort();
      case 'print':
        if (cmd.text) host.echo(cmd.text);
        return;
    }
  }

  /**
   * The node's answer to a BREAK (p), (l), (D), (d) or (k), or to a Ctrl-G job command; returns the
   * keys typed while it was awaited, for the session to take in order.
   */
  reply(m: MenuReply): Key[] {
    this.waiting = false;
    if (m.text) this.host.echo(m.text);
    if (m.t === 'switch_reply') {
      if (m.connect) this.close();
    } else if (m.procs === undefined) {
      this.back();
    } else {
      this.killWalk = { procs: m.procs, at: 0 };
      this.host.echo('\n\nProcess Information\n\n--------------------------------------------------\n');
      this.showKillStep();
    }
    return this.typedAhead.splice(0);
  }

  /** (k)ill: one process and the question, or back when none is left. */
  private showKillStep(): void {
    const w = this.killWalk!;
    const p = w.procs[w.at];
    if (p === undefined) {
      this.killWalk = null;
      return this.back();
    }
    this.host.echo(p.text + KILL_PROMPT);
  }

  private killAnswer(answer: string): void {
    const w = this.killWalk!;
    this.host.echo(answer + '\n');
    switch (answer.trimStart()[0]) {
      case 'k':
        this.host.post({ t: 'break_kill', pid: w.procs[w.at]!.pid });
        w.at++;
        return this.showKillStep();
      case 'n':
        w.at++;
        return this.showKillStep();
      case 'r':
        this.killWalk = null;
        return this.back();
      default:
        this.host.echo(KILL_PROMPT);
    }
  }

  /** Leave BREAK: to the switch menu it came from, or to the line. */
  private back(): void {
    if (this.returnTo === 'switch') this.open = 'switch';
    else this.close();
  }

  private close(): void {
    this.open = null;
    this.host.resume();
  }
}
