import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/primitives/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  treeshake: true,
  // One shared chunk for both entry points, so CJS users of `.` and `./primitives` see the
  // same error classes and the same selected backend.
  splitting: true,
});
