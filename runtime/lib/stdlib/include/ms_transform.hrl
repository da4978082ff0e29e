%% ets:fun2ms/1 and dbg:fun2ms/1 in this module become match specifications at compile time.
-compile({parse_transform, ms_transform}).
