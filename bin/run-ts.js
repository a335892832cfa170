"use strict";
// Runs a TypeScript CLI module through tsx, so `npx oic-emulator` and friends need no build step.
// The module exports `main(argv): Promise<number>`; its result becomes the exit code.
require("tsx/cjs");

module.exports = function runTs(modulePath) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { main } = require(modulePath);
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
};
