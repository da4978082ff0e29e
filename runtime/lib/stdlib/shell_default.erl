%% What the shell calls when an expression calls a local function that is not one of the shell's
%% own commands: help/0 and the commands of module c. (c/1,2, l/1, nl/1, lc/1 and nc/1,2 are
%% the shell's own in terl: runtime/lib/stdlib/shell/commands.ts.)
-module(shell_default).

-export([help/0, ih/0, bt/1, cd/1, flush/0, h/1, h/2, h/3, ht/1, ht/2, ht/3, hcb/1, hcb/2, hcb/3,
         i/0, i/3, ls/0, ls/1, m/0, m/1, mm/0, lm/0, memory/0, memory/1, ni/0, nregs/0,
         pid/3, pwd/0, q/0, regs/0, uptime/0, xm/1, y/1, y/2]).

help() ->
    io:put_chars(<<"** shell internal commands **\n"
                   "b()        -- display all variable bindings\n"
                   "e(N)       -- repeat the expression in query <N>\n"
                   "f()        -- forget all variable bindings\n"
                   "f(X)       -- forget the binding of variable X\n"
                   "h()        -- history\n"
                   "h(Mod)     -- help about module\n"
                   "h(Mod,Func)-- help about function in module\n"
                   "h(Mod,Func,Arity) -- help about function with arity in module\n"
                   "ht(Mod)    -- help about a module's types\n"
                   "ht(Mod,Type) -- help about type in module\n"
                   "ht(Mod,Type,Arity) -- help about type with arity in module\n"
                   "hcb(Mod)    -- help about a module's callbacks\n"
                   "hcb(Mod,CB) -- help about callback in module\n"
                   "hcb(Mod,CB,Arity) -- help about callback with arity in module\n"
                   "history(N) -- set how many previous commands to keep\n"
                   "results(N) -- set how many previous command results to keep\n"
                   "catch_exception(B) -- how exceptions are handled\n"
                   "v(N)       -- use the value of query <N>\n"
                   "rd(R,D)    -- define a record\n"
                   "rf()       -- remove all record information\n"
                   "rf(R)      -- remove record information about R\n"
                   "rl()       -- display all record information\n"
                   "rl(R)      -- display record information about R\n"
                   "rp(Term)   -- display Term using the shell's record information\n"
                   "rr(File)   -- read record information from File (wildcards allowed)\n"
                   "rr(F,R)    -- read selected record information from file(s)\n"
                   "rr(F,R,O)  -- read selected record information with options\n"
                   "** commands in module c **\n">>),
    c:help(),
    io:put_chars(<<"** commands in module i (interpreter interface) **\n"
                   "ih()       -- print help for the i module\n"
                   %% terl's own, after erl's list (the shell's wire and cluster commands,
                   %% runtime/lib/stdlib/shell/wire.ts and cluster.ts)
                   "** terl's commands **\n"
                   "wire()     -- show this node's distribution traffic live, decoded (not ticks)\n"
                   "wire(off)  -- stop showing it\n"
                   "wire(Opts) -- only some: [{node,N}], [{kind,K}] (epmd, handshake, control,\n"
                   "              tick, or a control message: reg_send, send, ...), ticks\n"
                   "cluster()  -- the nodes known, their ports and who is connected to whom\n">>),
    true.

%% the interpreter (module i) is the debugger application's, which terl does not have
ih() -> c:appcall(debugger, i, help, []).

bt(Pid) -> c:bt(Pid).
cd(Dir) -> c:cd(Dir).
flush() -> c:flush().
h(M) -> c:h(M).
h(M, F) -> c:h(M, F).
h(M, F, A) -> c:h(M, F, A).
ht(M) -> c:ht(M).
ht(M, T) -> c:ht(M, T).
ht(M, T, A) -> c:ht(M, T, A).
hcb(M) -> c:hcb(M).
hcb(M, CB) -> c:hcb(M, CB).
hcb(M, CB, A) -> c:hcb(M, CB, A).
i() -> c:i().
i(X, Y, Z) -> c:i(X, Y, Z).
ls() -> c:ls().
ls(Dir) -> c:ls(Dir).
m() -> c:m().
m(M) -> c:m(M).
mm() -> c:mm().
lm() -> c:lm().
memory() -> c:memory().
memory(T) -> c:memory(T).
ni() -> c:ni().
nregs() -> c:nregs().
pid(X, Y, Z) -> c:pid(X, Y, Z).
pwd() -> c:pwd().
q() -> c:q().
regs() -> c:regs().
uptime() -> c:uptime().
xm(M) -> c:xm(M).
y(File) -> c:y(File).
y(File, Opts) -> c:y(File, Opts).
