// Builds the survivor pages and the caseworker dashboard (staff.html) into dist/, served by `takedown serve --static web/dist`.
// Everything the pages need ends up as files in dist/: no inline scripts or styles (the server's
// CSP forbids them), no data: URLs (assetsInlineLimit 0, so pdq.wasm stays a file), and no
// module-preload polyfill (it would be inline code).
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: ".",
  base: "/",
  // The hashing worker (src/hash-worker.ts) is a module worker: it imports the WebAssembly
  // module's ES loader, which finds pdq.wasm through import.meta.url.
  worker: { format: "es" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: "es2022",
    rollupOptions: {
      input: {
        index: resolve(here, "index.html"),
        status: resolve(here, "status.html"),
        resources: resolve(here, "resources.html"),
        staff: resolve(here, "staff.html"),
      },
    },
  },
});
