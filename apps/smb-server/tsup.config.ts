import { defineConfig } from 'tsup';

// An application: one ESM entry (dist/main.js) that bin/ loads; no library types.
export default defineConfig({
  entry: { main: 'src/main.ts' },
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'node',
});
