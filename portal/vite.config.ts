import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The portal is served by the API server at `/` (from portal/dist). `npm run portal:dev`
// serves it with hot reload and passes /graphql (HTTP and WebSocket) to a server on :4000.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: { '/graphql': { target: 'http://localhost:4000', ws: true } },
  },
});
