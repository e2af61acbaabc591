import module from 'node:module';
import { nodeVersionProblem } from './node-version.js';

// Checked before anything else loads: the rest of Loginscope (and its native module) is imported only after.
const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  console.error(problem);
  process.exit(2);
}

// `npm start` runs this file bundled (out/loginscope.mjs, with the rest in out/chunks/: a few files to read instead
// of hundreds of modules); Node's on-disk compile cache then spares later starts the compiling as well.
module.enableCompileCache?.();
await import('./cli.js');
