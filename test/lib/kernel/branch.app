{application, branch, [{vsn, "0.1"}, {applications, [kernel, stdlib, bank]}]}.
