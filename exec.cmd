@rem npm start runs "exec node scripts/start.mjs" (package.json). sh replaces itself with node; cmd.exe, npm's
@rem shell on Windows, has no exec, and finds this file in the project folder: it runs the rest of the line.
@%*
