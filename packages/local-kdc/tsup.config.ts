import { defineConfig } from 'tsup';

export default defineConfig({
  // `cli` is the `lkdc` executable (dist/cli.js, ESM); only the library entry gets types.
  entry: { index: 'src/index.ts', cli: 'src/cli/bin.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  treeshake: true,
});
