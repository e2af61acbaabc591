import module from 'node:module';

// `npm start` runs this file bundled (out/loginscope.mjs: one file to read instead of hundreds of modules);
// Node's on-disk compile cache then spares later starts the compiling as well.
module.enableCompileCache?.();
await import('./cli.js');
