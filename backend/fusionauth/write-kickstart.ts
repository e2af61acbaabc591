import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../paths.js';
import { buildKickstart, buildRealFusionAuthConfig, jsonText } from './kickstart.js';

/** Regenerates assets/fusionauth/kickstart.json and loginscope.config.json: `npx tsx backend/fusionauth/write-kickstart.ts`. */
const dir = path.join(projectRoot(), 'assets', 'fusionauth');
writeFileSync(path.join(dir, 'kickstart.json'), jsonText(buildKickstart()));
writeFileSync(path.join(dir, 'loginscope.config.json'), jsonText(buildRealFusionAuthConfig()));
console.log(`Wrote ${path.join(dir, 'kickstart.json')} and loginscope.config.json`);
