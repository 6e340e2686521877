// Types for pdq.js, which web/build.sh generates with emscripten from wasm/pdq_wasm.cc (pdq.js and
// pdq.wasm are build outputs, not committed; this declaration is).
export interface PdqModule {
  HEAPU8: Uint8Array;
  HEAP32: Int32Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  _pdq_hash_rgba(
    rgba: number,
    width: number,
    height: number,
    grey: number,
    outHex65: number,
    quality: number,
  ): number;
  UTF8ToString(pointer: number): string;
}
export default function createPdqModule(options?: Record<string, unknown>): Promise<PdqModule>;
