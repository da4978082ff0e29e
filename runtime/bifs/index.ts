// Registers the sequential built-in functions and modules (importing a module defines its BIFs).
import './erlang.js';
import './lists.js';
import './maps.js';
import './string.js';
import './math.js';
import './unicode.js';
import './binary.js';
import './io_lib.js';
import './os.js';
import './calendar.js';
import './etf.js';
import '../lib_chan/api.js';
import './erl_posix_msg.js';
import './filename.js';
import './file.js';
import './code.js';
import './init.js';
