import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const page = (name: string) => fileURLToPath(new URL(`./renderer/${name}/index.html`, import.meta.url));

/**
 * One build, five pages; Express serves each on its own origin (store, forum, inspector, and the identity server's hosted login),
 * plus the desktop app's browser toolbar (`chrome`) on the inspector origin.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: '/',
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: { input: { store: page('store'), forum: page('forum'), inspector: page('inspector'), login: page('login'), chrome: page('chrome') } },
  },
});
