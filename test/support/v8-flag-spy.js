// Preloaded (node -r) by test/cli/compiler-flags.test.ts: prints each V8 flag the program sets.
const v8 = require('node:v8');

const set = v8.setFlagsFromString;
v8.setFlagsFromString = (flag) => {
  process.stderr.write(`v8 flag: ${flag}\n`);
  set(flag);
};
