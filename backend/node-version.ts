/** better-sqlite3 13 is built for Node 22's ABI: an older Node crashes inside it (a segfault, with no message). */
export const NEEDED_NODE = { major: 22, minor: 12 } as const;

/** The one line to print when this Node cannot run Loginscope; undefined when it can. */
export function nodeVersionProblem(version: string): string | undefined {
  const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
  if (major > NEEDED_NODE.major || (major === NEEDED_NODE.major && minor >= NEEDED_NODE.minor)) return undefined;
  return (
    `Loginscope needs Node ${NEEDED_NODE.major}.${NEEDED_NODE.minor} or newer; this is Node ${version}. ` +
    '`npm install` brings a Node 22 into node_modules and `npm start` uses it, or install Node 22 yourself.'
  );
}
