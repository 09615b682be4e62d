import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The page imports the TypeScript client from its source (../typescript/src), so no publish step is
// needed. React must come from this package only: the client's hooks import 'react' too, and two
// copies of React break hooks.
export default defineConfig({
  root: here('.'),
  base: '/',
  resolve: {
    alias: [
      { find: /^@neurograph\/client\/react$/, replacement: here('../typescript/src/react/index.ts') },
      { find: /^@neurograph\/client$/, replacement: here('../typescript/src/index.ts') },
    ],
    dedupe: ['react', 'react-dom'],
  },
  esbuild: { jsx: 'automatic', legalComments: 'none' },
  server: {
    port: 5173,
    fs: { allow: [here('..')] },
    // `npm run dev` serves the page with hot reload and forwards the WebSocket (and the operator
    // endpoints the header links to) to a running devstack gateway.
    proxy: {
      '/ws': { target: process.env.NEUROGRAPH_GATEWAY ?? 'http://localhost:8000', ws: true, changeOrigin: true },
      '/actuator': { target: process.env.NEUROGRAPH_GATEWAY ?? 'http://localhost:8000', changeOrigin: true },
    },
  },
  build: {
    // The gateway serves classpath static/index.html at "/": the built page is committed there.
    outDir: here('../../gateway/src/main/resources/static'),
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
    // Fixed file names (no content hashes): CI rebuilds the page and compares it byte for byte with
    // what is committed, and a change shows up as a change of the same files.
    rollupOptions: {
      output: {
        entryFileNames: 'assets/monitor.js',
        chunkFileNames: 'assets/[name].js',
        assetFileNames: (asset) => (asset.names.some((n) => n.endsWith('.css')) ? 'assets/monitor.css' : 'assets/[name][extname]'),
      },
    },
  },
});
