// The library functions OTP 25 has deprecated or removed, and what erl_lint says at a call to one
// (`Warning: random:uniform/0 is deprecated; use the 'rand' module instead`). Old textbooks call
// now(), random and gen_fsm, so a class sees these warnings on c(Mod) as on erl.
// Keys: `mod:fun/arity`, `mod:fun/_` (every arity) or `mod` (the whole module).

type Obsolete = { kind: 'deprecated' | 'removed'; advice: string; release?: string };

const dep = (advice: string, release?: string): Obsolete => ({ kind: 'deprecated', advice, release });
const rem = (advice: string): Obsolete => ({ kind: 'removed', advice });

const useMac = (f: string) => rem(`use crypto:${f} instead`);
const newCryptoApi = "see the 'New and Old API' chapter of the CRYPTO User's guide";
const oneTime3 = 'use crypto:crypto_one_time/4 or crypto:crypto_init/3 + crypto:crypto_update/2 + crypto:crypto_final/1 instead';
const oneTime4 =
  'use crypto:crypto_one_time/5, crypto:crypto_one_time_aead/6,7 or crypto:crypto_(dyn_iv)?_init + crypto:crypto_(dyn_iv)?_update + crypto:crypto_final instead';
const annoAccessors = 'erl_anno:{column,line,location,text}/1 instead';

const TABLE = new Map<string, Obsolete>([
  // erts and kernel
  ['erlang:now/0', dep('see the "Time and Time Correction in Erlang" chapter of the ERTS User\'s Guide for more information')],
  ['erlang:phash/2', dep('use erlang:phash2/2 instead')],
  ['erlang:get_stacktrace/0', rem('use the new try/catch syntax for retrieving the stack backtrace')],
  ['erlang:hash/2', rem('use erlang:phash2/2 instead')],
  ['auth:cookie/0', dep('use erlang:get_cookie/0 instead')],
  ['auth:cookie/1', dep('use erlang:set_cookie/2 instead')],
  ['auth:is_auth/1', dep('use net_adm:ping/1 instead')],
  ['auth:node_cookie/_', dep('use erlang:set_cookie/2 and net_adm:ping/1 instead')],
  ['code:is_module_native/1', dep('HiPE has been removed', 'OTP 26')],
  ['code:rehash/0', dep('the code path cache feature has been removed', 'OTP 26')],
  ['disk_log:accessible_logs/0', dep('use disk_log:all/0 instead', 'OTP 26')],
  ['disk_log:lclose/1', dep('use disk_log:close/1 instead', 'OTP 26')],
  ['disk_log:lclose/2', dep('use disk_log:close/1 instead', 'OTP 26')],
  ['net:broadcast/3', dep('use rpc:eval_everywhere/3 instead')],
  ['net:call/4', dep('use rpc:call/4 instead')],
  ['net:cast/4', dep('use rpc:cast/4 instead')],
  ['net:ping/1', dep('use net_adm:ping/1 instead')],
  ['net:sleep/1', dep("use 'receive after T -> ok end' instead")],
  ['net:relay/1', rem('use fun Relay(Pid) -> receive X -> Pid ! X end, Relay(Pid) instead')],
  ['rpc:safe_multi_server_call/2', rem('use rpc:multi_server_call/2 instead')],
  ['rpc:safe_multi_server_call/3', rem('use rpc:multi_server_call/3 instead')],
  ['slave', dep("use the 'peer' module instead", 'OTP 27')],
  ['pg2', rem("this module was removed in OTP 24. Use 'pg' instead")],
  // stdlib
  ['calendar:local_time_to_universal_time/1', dep('use calendar:local_time_to_universal_time_dst/1 instead')],
  ['queue:lait/1', dep('use queue:liat/1 instead')],
  ['sys:get_debug/3', dep('incorrectly documented and only for internal use. Can often be replaced with sys:get_log/1')],
  ['gen_fsm', dep("use the 'gen_statem' module instead")],
  ['random', dep("use the 'rand' module instead")],
  ['filename:safe_relative_path/1', rem('use filelib:safe_relative_path/2 instead')],
  ['filename:find_src/_', rem('use filelib:find_source/1,3 instead')],
  ['erl_lint:modify_line/2', rem('use erl_parse:map_anno/2 instead')],
  ['erl_parse:get_attribute/2', rem(annoAccessors)],
  ['erl_parse:get_attributes/1', rem(annoAccessors)],
  ['erl_parse:set_line/2', rem('use erl_anno:set_line/2')],
  ['erl_scan:set_attribute/3', rem('use erl_anno:set_line/2 instead')],
  ['erl_scan:attributes_info/_', rem('use ' + annoAccessors)],
  ['erl_scan:token_info/_', rem('use erl_scan:{category,column,line,location,symbol,text}/1 instead')],
  ['zlib:adler32/2', dep('use erlang:adler32/1 instead', 'OTP 27')],
  ['zlib:adler32/3', dep('use erlang:adler32/2 instead', 'OTP 27')],
  ['zlib:adler32_combine/4', dep('use erlang:adler_combine/3 instead', 'OTP 27')],
  ['zlib:crc32/1', dep('use erlang:crc32/1 on the uncompressed data instead', 'OTP 27')],
  ['zlib:crc32/2', dep('use erlang:crc32/1 instead', 'OTP 27')],
  ['zlib:crc32/3', dep('use erlang:crc32/2 instead', 'OTP 27')],
  ['zlib:crc32_combine/4', dep('use erlang:crc32_combine/3 instead', 'OTP 27')],
  ['zlib:getBufSize/1', dep('this function will be removed in a future release', 'OTP 27')],
  ['zlib:setBufSize/2', dep('this function will be removed in a future release', 'OTP 27')],
  ['zlib:inflateChunk/1', dep('use safeInflate/2 instead', 'OTP 27')],
  ['zlib:inflateChunk/2', dep('use safeInflate/2 instead', 'OTP 27')],
  // crypto: the pre-OTP 23 API
  ['crypto:rand_uniform/2', dep('use rand:uniform/1 instead')],
  ['crypto:crypto_dyn_iv_init/3', dep('see the documentation for details', 'OTP 27')],
  ['crypto:crypto_dyn_iv_update/3', dep('see the documentation for details', 'OTP 27')],
  ['crypto:block_decrypt/3', rem(oneTime3)],
  ['crypto:block_encrypt/3', rem(oneTime3)],
  ['crypto:block_decrypt/4', rem(oneTime4)],
  ['crypto:block_encrypt/4', rem(oneTime4)],
  ['crypto:cmac/3', useMac('mac/4')],
  ['crypto:cmac/4', useMac('macN/5')],
  ['crypto:hmac/3', useMac('mac/4')],
  ['crypto:hmac/4', useMac('macN/5')],
  ['crypto:hmac_final/1', useMac('mac_final/1')],
  ['crypto:hmac_final_n/2', useMac('mac_finalN/2')],
  ['crypto:hmac_init/2', useMac('mac_init/3')],
  ['crypto:hmac_update/2', useMac('mac_update/2')],
  ['crypto:poly1305/2', useMac('mac/3')],
  ['crypto:stream_decrypt/2', rem('use crypto:crypto_update/2 instead')],
  ['crypto:stream_encrypt/2', rem('use crypto:crypto_update/2 instead')],
  ['crypto:next_iv/_', rem(newCryptoApi)],
  [
    'crypto:stream_init/_',
    rem('use crypto:crypto_init/3 + crypto:crypto_update/2 + crypto:crypto_final/1 or crypto:crypto_one_time/4 instead'),
  ],
]);

/** What OTP 25 says of module:fun/arity, if it is deprecated or removed. */
export function obsolete(module: string, fun: string, arity: number): Obsolete | undefined {
  return TABLE.get(`${module}:${fun}/${arity}`) ?? TABLE.get(`${module}:${fun}/_`) ?? TABLE.get(module);
}

/** erl_lint's warning text for a call to it; `mfa` as erl_lint shows it (`random:uniform/0`). */
export function obsoleteWarning(o: Obsolete, mfa: string): string {
  if (o.kind === 'removed') return `${mfa} is removed; ${o.advice}`;
  return o.release === undefined ? `${mfa} is deprecated; ${o.advice}` : `${mfa} is deprecated and will be removed in ${o.release}; ${o.advice}`;
}
