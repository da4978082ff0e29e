-module(ets_ms_mod).
-include_lib("stdlib/include/ms_transform.hrl").
-export([sales/0, older/1, mixed/0, run/0]).
-record(emp, {no, name, dept = none, year}).

sales() -> ets:fun2ms(fun(#emp{no = N, dept = sales}) -> N end).

older(Year) -> ets:fun2ms(fun({A, B}) when A > Year -> {B, Year} end).

mixed() ->
    ets:fun2ms(fun(#emp{year = Y} = E) when Y < 2000, is_record(E, emp) -> E#emp.name;
                  (#emp{_ = '_', no = 1}) -> #emp{name = x};
                  (#emp{no = N}) when N > 10; N < 0 -> {N, object(), bindings()}
               end).

run() ->
    T = ets:new(emps, [{keypos, #emp.no}]),
    ets:insert(T, [#emp{no = 1, name = a, dept = sales, year = 1999},
                   #emp{no = 2, name = b, dept = dev, year = 2005},
                   #emp{no = 3, name = c, dept = sales, year = 2010}]),
    R = lists:sort(ets:select(T, sales())),
    ets:delete(T),
    R.
