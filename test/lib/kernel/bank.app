{application, bank,
 [{description, "A bank for the transcripts"},
  {vsn, "1.0.0"},
  {modules, [bank_app]},
  {registered, [bank_server]},
  {applications, [kernel, stdlib]},
  {mod, {bank_app, [opening]}},
  {env, [{currency, euro}, {fee, 3}]}]}.
