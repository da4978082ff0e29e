#!/usr/bin/env node
// CommonJS (bin/package.json), as dist/cli.cjs is: a node that loads no ES module has no ES module loader
require('../dist/cli.cjs');
