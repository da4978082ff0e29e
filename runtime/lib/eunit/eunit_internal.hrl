%% EUnit's representation of tests, shared by eunit_data (which builds it) and eunit_proc (which
%% runs it).

-define(DEFAULT_TEST_TIMEOUT, 5000).    % ms
-define(DEFAULT_GROUP_TIMEOUT, infinity).
-define(DEFAULT_SETUP_PROCESS, spawn).  % a setup's tests run in a process of their own
-define(MODULE_WRAPPER, eunit_wrapper_).

%% One test: f is a fun of no arguments, or {M, F} for the function M:F/0.
-record(test, {f, desc, timeout, location, line = 0}).

%% A group of tests: tests is the (unparsed) test representation inside.
-record(group, {desc, options, order, timeout, context, spawn, tests}).

%% A fixture: setup/0 and cleanup/1 around the tests; process is local, spawn or {spawn, Node}.
-record(context, {setup, cleanup, process = local}).

%% Where in the tree the next test is: its parent's id (reversed) and its number.
-record(iter, {tests = [], parent = [], pos = 0, options = []}).
