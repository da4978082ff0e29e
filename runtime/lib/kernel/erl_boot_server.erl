-module(erl_boot_server).

%% A boot server: nodes started with `-loader inet -hosts IP -id Name` (terl's or erl's) find it
%% and fetch their files from it. The protocol is OTP's:
%%
%%   - a UDP datagram "EBOOTQ" ++ Version on port 4368, from an address the server accepts (a
%%     slave), is answered "EBOOTR", a priority byte, the server's TCP port (16 bits), Version;
%%   - over TCP (4-byte length before each packet) each request is an external term:
%%     {get,File}, {list_dir,Dir}, {read_file_info,File}, {read_link_info,File}, get_cwd or
%%     {get_cwd,Drive}, answered by {Request's name, Result}.
%%
%% Files are served from this node's file system as they are: a terl client asks for Mod.erl
%% (terl's object code is the source), a real one for its .boot and .beam files.

-behaviour(gen_server).

-export([start/1, start_link/1, add_slave/1, delete_slave/1, add_subnet/2, delete_subnet/2,
         which_slaves/0, would_be_booted/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2, code_change/3]).
-export([acceptor/2]).

-define(EBOOT_PORT, 4368).
-define(ONE_ADDRESS, {255, 255, 255, 255}).

-record(state, {udp, listen, tcp_port, version, slaves = []}).

start(Slaves) ->
    case masked(Slaves, []) of
        {ok, Masked} -> gen_server:start({local, boot_server}, ?MODULE, Masked, []);
        error -> {error, {badarg, Slaves}}
    end.

start_link(Slaves) ->
    case masked(Slaves, []) of
        {ok, Masked} -> gen_server:start_link({local, boot_server}, ?MODULE, Masked, []);
        error -> {error, {badarg, Slaves}}
    end.

%% Each host as a {Netmask, Address} pair that matches it alone.
masked([Host | Rest], Acc) ->
    case inet:getaddr(Host, inet) of
        {ok, IP} -> masked(Rest, [{?ONE_ADDRESS, IP} | Acc]);
        _ -> error
    end;
masked([], Acc) -> {ok, Acc};
masked(_, _) -> error.

add_slave(Slave) ->
    case inet:getaddr(Slave, inet) of
        {ok, IP} -> gen_server:call(boot_server, {add, {?ONE_ADDRESS, IP}});
        _ -> {error, {badarg, Slave}}
    end.

delete_slave(Slave) ->
    case inet:getaddr(Slave, inet) of
        {ok, IP} -> gen_server:call(boot_server, {delete, {?ONE_ADDRESS, IP}});
        _ -> {error, {badarg, Slave}}
    end.

add_subnet(Mask, Addr) when is_tuple(Mask), is_tuple(Addr) ->
    case accepts(Addr, [{Mask, Addr}]) of
        true -> gen_server:call(boot_server, {add, {Mask, Addr}});
        false -> {error, empty_subnet}
    end.

delete_subnet(Mask, Addr) when is_tuple(Mask), is_tuple(Addr) ->
    gen_server:call(boot_server, {delete, {Mask, Addr}}).

which_slaves() ->
    gen_server:call(boot_server, which).

would_be_booted(Host) ->
    {ok, IP} = inet:getaddr(Host, inet),
    accepts(IP, which_slaves()).

%% Is IP in one of the {Netmask, Address} subnets?
accepts({A, B, C, D}, [{{MA, MB, MC, MD}, {EA, EB, EC, ED}} | Rest]) ->
    case {A band MA, B band MB, C band MC, D band MD} of
        {EA, EB, EC, ED} -> true;
        _ -> accepts({A, B, C, D}, Rest)
    end;
accepts(_, _) -> false.

%% ---------- the server ----------

init(Slaves) ->
    {ok, Udp} = gen_udp:open(?EBOOT_PORT, []),
    {ok, Listen} = gen_tcp:listen(0, [binary, {packet, 4}]),
    {ok, Port} = inet:port(Listen),
    process_flag(trap_exit, true),
    spawn_link(?MODULE, acceptor, [self(), Listen]),
    {ok, #state{udp = Udp, listen = Listen, tcp_port = Port,
                version = erlang:system_info(version),
                slaves = ordsets:from_list(Slaves)}}.

handle_call({add, Subnet}, _From, S) ->
    {reply, ok, S#state{slaves = ordsets:add_element(Subnet, S#state.slaves)}};
handle_call({delete, Subnet}, _From, S) ->
    {reply, ok, S#state{slaves = ordsets:del_element(Subnet, S#state.slaves)}};
handle_call(which, _From, S) ->
    {reply, S#state.slaves, S}.

handle_cast(_, S) ->
    {noreply, S}.

handle_info({udp, Udp, IP, Port, Data}, #state{udp = Udp, version = Vsn} = S) ->
    Expected = "EBOOTQ" ++ Vsn,
    case {accepts(IP, S#state.slaves), Data} of
        {false, _} ->
            error_logger:error_msg("** Illegal boot server connection attempt: "
                                   "~w is not a valid address ** ~n", [IP]);
        {true, Expected} ->
            Reply = ["EBOOTR", 0, S#state.tcp_port bsr 8, S#state.tcp_port band 255, Vsn],
            gen_udp:send(Udp, IP, Port, Reply);
        {true, "EBOOTQ" ++ Other} ->
            error_logger:error_msg("** Illegal boot server connection attempt: "
                                   "client version is ~s ** ~n", [Other]);
        {true, _} ->
            error_logger:error_msg("** Illegal boot server connection attempt: "
                                   "unrecognizable request ** ~n", [])
    end,
    {noreply, S};
handle_info({accepted, _Conn}, S) ->
    %% the acceptor serves the connection it took: another one waits for the next
    spawn_link(?MODULE, acceptor, [self(), S#state.listen]),
    {noreply, S};
handle_info({'EXIT', _Pid, _Reason}, S) ->
    {noreply, S};
handle_info(_, S) ->
    {noreply, S}.

terminate(_Reason, _S) ->
    ok.

code_change(_Vsn, S, _Extra) ->
    {ok, S}.

%% ---------- one connection ----------

acceptor(Server, Listen) ->
    case gen_tcp:accept(Listen) of
        {ok, Socket} ->
            Server ! {accepted, self()},
            unlink(Server),
            {ok, {IP, _}} = inet:peername(Socket),
            case accepts(IP, which_slaves()) of
                true -> serve(Socket);
                false -> gen_tcp:close(Socket)
            end;
        {error, _} ->
            ok
    end.

serve(Socket) ->
    receive
        {tcp, Socket, Packet} ->
            gen_tcp:send(Socket, term_to_binary(answer(catch binary_to_term(Packet)))),
            serve(Socket);
        {tcp_closed, Socket} ->
            ok
    end.

answer({get, File}) -> {get, file:read_file(File)};
answer({list_dir, Dir}) -> {list_dir, file:list_dir(Dir)};
answer({read_file_info, File}) -> {read_file_info, file:read_file_info(File)};
answer({read_link_info, File}) -> {read_link_info, file:read_link_info(File)};
answer(get_cwd) -> {get_cwd, file:get_cwd()};
answer({get_cwd, Drive}) -> {get_cwd, file:get_cwd(Drive)};
answer({'EXIT', Reason}) -> {error, Reason};
answer(_) -> {error, unknown_command}.
