// Module file against real Erlang: whole files, directories, file info, consult, format_error and
// open files as I/O devices, each case run in order in its own copy of the same directory tree.

import { describe, it, expect, beforeAll } from 'vitest';
import { HAVE_ERL, erlOutcomes, enterTree, makeTree, terlOutcome, type Tree } from './file_harness.js';

const TREE: Tree = {
  files: {
    'a.txt': 'hello\n',
    'l.txt': 'line1\r\nline2\nlast',
    'u.txt': 'h\xc3\xa9llo\n\xe2\x82\xac\n',
    't.conf': '{a,1}.\n"str".\n[1,2]. % done\n',
    'bad.conf': '{a,1}.\n{b c}.\n',
    'sub/inner.txt': 'in\n',
    'order/zeta': '',
    'order/alpha': '',
    'order/mid': '',
  },
  dirs: ['empty'],
};

const CASES = [
  // reading whole files, and the names file functions take
  'file:read_file("a.txt")',
  'file:read_file("nope")',
  'file:read_file("sub")',
  'file:read_file("")',
  'file:read_file(123)',
  'file:read_file(<<"a.txt">>)',
  'file:read_file([$a, ["."], txt])',
  "file:read_file(['a', \".txt\"])",
  'file:read_file(["a", <<".txt">>])',
  'file:read_file("a\\0b")',
  'file:read_file("sub/inner.txt")',
  'file:read_file("sub/../a.txt")',
  // directories
  'file:list_dir("empty")',
  'lists:sort(element(2, file:list_dir("order")))',
  'file:list_dir("nope")',
  'file:list_dir("a.txt")',
  'file:list_dir(<<"empty">>)',
  'file:list_dir("")',
  'file:make_dir("sub")',
  'file:make_dir("new")',
  'file:make_dir("x/y")',
  'file:make_dir(42)',
  'file:del_dir("nope")',
  'file:del_dir("a.txt")',
  'file:del_dir("sub")',
  'file:del_dir("new")',
  'file:delete("sub")',
  'file:delete("nope")',
  'file:write_file("sub/f", "x")',
  'file:delete("sub/f")',
  'file:write_file("f.txt", "x"), [file:del_dir_r("f.txt"), file:read_file("f.txt")]',
  'file:del_dir_r("nope")',
  'file:make_dir("tree"), file:make_dir("tree/deep"), file:write_file("tree/deep/f", "1"), file:del_dir_r("tree")',
  'file:list_dir("tree")',
  // writing
  'file:write_file("w.txt", [<<"ab">>, "cd", 10])',
  'file:read_file("w.txt")',
  'file:write_file("w.txt", "more", [append])',
  'file:read_file("w.txt")',
  'file:write_file("w.txt", "x", [exclusive])',
  'file:write_file("w.txt", [256])',
  'file:write_file("w.txt", foo)',
  'file:write_file("nodir/w.txt", "x")',
  'file:write_file("sub", "x")',
  'file:write_file(<<"b.txt">>, <<1,2,3>>), file:read_file("b.txt")',
  // rename and copy
  'file:rename("w.txt", "v.txt")',
  'file:rename("nope", "v2.txt")',
  'file:read_file("v.txt")',
  'file:rename("v.txt", "sub")',
  'file:copy("v.txt", "c.txt")',
  'file:copy("nope", "c.txt")',
  'file:read_file("c.txt")',
  'file:copy("v.txt", "c3.txt", 3), file:read_file("c3.txt")',
  // consult
  'file:consult("t.conf")',
  'file:consult("bad.conf")',
  'file:consult("nope")',
  'file:consult("sub")',
  'file:consult(123)',
  'file:consult("")',
  // the working directory
  'file:set_cwd("nope")',
  'file:set_cwd("a.txt")',
  'file:set_cwd(123)',
  'file:set_cwd("sub"), R = file:read_file("inner.txt"), file:set_cwd(".."), R',
  'file:set_cwd("sub"), {ok, D} = file:get_cwd(), file:set_cwd(".."), filename:basename(D)',
  'file:get_cwd()',
  // file info: the fields that are the same for two copies of a tree
  '{ok, I} = file:read_file_info("a.txt"), {tuple_size(I), element(1, I), element(2, I), element(3, I), element(4, I), element(6, I), element(8, I) band 8#170000, element(9, I)}',
  '{ok, I} = file:read_file_info("sub"), {element(3, I), element(4, I), element(8, I) band 8#170000}',
  '{ok, I} = file:read_file_info("a.txt", [{time, posix}]), element(6, I)',
  '{ok, I} = file:read_file_info("a.txt", [{time, universal}]), element(6, I)',
  'file:read_file_info("nope")',
  'file:read_file_info(7)',
  'file:read_file_info("a.txt", [{time, never}])',
  '{ok, I} = file:read_link_info("a.txt"), element(3, I)',
  // format_error
  'file:format_error(enoent)',
  'file:format_error(eacces)',
  'file:format_error(eisdir)',
  'file:format_error(enotdir)',
  'file:format_error(eexist)',
  'file:format_error(enotempty)',
  'file:format_error(eperm)',
  'file:format_error(ebadf)',
  'file:format_error(einval)',
  'file:format_error(badarg)',
  'file:format_error(terminated)',
  'file:format_error(system_limit)',
  'file:format_error(foo)',
  'file:format_error({foo, bar})',
  'file:format_error("text")',
  'file:format_error({1, erl_parse, ["syntax error before: ", "\'.\'"]})',
  'file:format_error({3, erl_scan, {illegal, atom}})',
  'file:format_error({2, erl_scan, {string, $", "abc"}})',
  'file:format_error({4, file_io_server, invalid_unicode})',
  '{error, R} = file:consult("bad.conf"), lists:flatten(file:format_error(R))',
  // open files: modes and failures
  'file:open("sub", [read])',
  'file:open("nope", [read])',
  'file:open("", [read])',
  'file:open(123, [read])',
  'file:open("l.txt", [read, {encoding, foo}])',
  'file:open("l.txt", bad)',
  '{ok, F} = file:open("l.txt", [foo]), file:close(F)',
  '{ok, F} = file:open("l.txt", read), R = file:read_line(F), file:close(F), R',
  'file:open("l.txt", [write, exclusive])',
  // reading lines and characters
  '{ok, F} = file:open("l.txt", [read]), [file:read_line(F), file:read_line(F), file:read_line(F), file:read_line(F), file:close(F), file:read_line(F), file:close(F)]',
  '{ok, F} = file:open("l.txt", [read, binary]), [file:read_line(F), file:read(F, 3), file:read(F, 100), file:read(F, 1), file:position(F, 0), file:read(F, 0), io:get_line(F, \'\'), io:get_chars(F, \'\', 2), file:position(F, {eof, -2}), file:read(F, 5), file:close(F)]',
  '{ok, F} = file:open("l.txt", [read]), [is_pid(F), file:position(F, 100), file:read_line(F), file:position(F, -1), file:position(F, {cur, -95}), file:read(F, 3), file:close(F)]',
  '{ok, F} = file:open("l.txt", [read]), [io:getopts(F), io:setopts(F, [binary]), io:get_line(F, \'\'), io:setopts(F, [list]), io:get_line(F, \'\'), file:close(F)]',
  // encodings
  '{ok, F} = file:open("u.txt", [read]), [file:read_line(F), file:read_line(F), file:close(F)]',
  '{ok, F} = file:open("u.txt", [read, {encoding, utf8}]), [io:get_line(F, \'\'), io:get_line(F, \'\'), io:get_line(F, \'\'), file:close(F)]',
  '{ok, F} = file:open("u.txt", [read, {encoding, utf8}]), [io:get_line(F, \'\'), file:read_line(F), file:close(F)]',
  '{ok, F} = file:open("u.txt", [read, {encoding, utf8}, binary]), [io:get_line(F, \'\'), file:read_line(F), file:close(F)]',
  '{ok, F} = file:open("u.txt", [read, binary]), [io:get_line(F, \'\'), file:read_line(F), file:close(F)]',
  '{ok, F} = file:open("u.txt", [read, {encoding, unicode}]), [io:get_chars(F, \'\', 3), io:get_chars(F, \'\', 10), io:get_chars(F, \'\', 1), file:close(F)]',
  // writing through the device
  '{ok, F} = file:open("w1.txt", [write]), [io:format(F, "~p~n", [{a, [104,233,108,108,111]}]), file:write(F, <<"raw">>), io:put_chars(F, "x"), file:close(F), file:read_file("w1.txt")]',
  '{ok, F} = file:open("w2.txt", [write, {encoding, utf8}]), [io:format(F, "~ts~n", [[104,8364]]), file:write(F, <<233>>), file:close(F), file:read_file("w2.txt")]',
  '{ok, F} = file:open("l.txt", [read]), [file:write(F, "x"), file:close(F)]',
  '{ok, F} = file:open("w4.txt", [append]), [file:write(F, "a"), file:close(F), element(1, file:open("w4.txt", [append])), file:read_file("w4.txt")]',
  '{ok, F} = file:open("w4.txt", [append]), [file:write(F, "b"), file:close(F), file:read_file("w4.txt")]',
  '{ok, F} = file:open("w5.txt", [read, write]), [file:write(F, "abc"), file:position(F, bof), file:read(F, 2), file:position(F, cur), file:pread(F, 0, 10), file:pwrite(F, 1, "Z"), file:position(F, {cur, 0}), file:read(F, 10), file:pread(F, 10, 1), file:close(F), file:read_file("w5.txt")]',
  '{ok, F} = file:open("w6.txt", [write]), [file:write(F, [300]), file:write(F, foo), file:close(F)]',
  '{ok, F} = file:open("w7.txt", [write]), [file:write(F, "abcdef"), file:position(F, 2), file:truncate(F), file:close(F), file:read_file("w7.txt")]',
  '{ok, F} = file:open("w8.txt", [write, binary]), [file:write(F, ["a", <<"b">>, $c]), file:close(F), file:read_file("w8.txt")]',
  '{ok, F} = file:open("w9.txt", [write]), io:fwrite(F, "~s and ~w~n", ["text", [1,2]]), io:nl(F), file:close(F), file:read_file("w9.txt")',
  // devices that are not open files
  'file:close(foo)',
  'file:read_line(foo)',
  'file:read(foo, 1)',
  'file:write(foo, "x")',
  'file:read_line(self())',
  'file:read(self(), -1)',
  'file:position(foo, 0)',
  '{ok, F} = file:open("l.txt", [read]), file:close(F), [file:read_line(F), file:read(F, 1), file:write(F, "x"), file:position(F, 0), file:close(F)]',
  'file:native_name_encoding()',
];

describe.skipIf(!HAVE_ERL)('file, compared with real Erlang', () => {
  let expected: string[];
  let dir: string;

  beforeAll(async () => {
    expected = await erlOutcomes(makeTree('file-erl-', TREE), CASES);
    dir = makeTree('file-terl-', TREE);
    enterTree(dir);
  });

  CASES.forEach((c, i) => {
    it(c, async () => {
      expect(await terlOutcome(c, dir)).toBe(expected[i]);
    });
  });
});
