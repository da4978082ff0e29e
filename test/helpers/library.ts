// The library as boot installs it: its modules and hooks (runtime/lib/index.ts) and the language
// they parse and compile with (src/language.ts). Test harnesses import this instead of booting a node.
import '../../runtime/lib/index.js';
import { installLanguage } from '../../src/language.js';

installLanguage();
