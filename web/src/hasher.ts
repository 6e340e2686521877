// The main thread's side of the hashing worker (hash-worker.ts): one worker for the page, started
// on first use, answering each request by its id. Files and frames go to the worker in this
// page's memory (a File is passed by reference, a video frame is transferred); nothing
// leaves the device.
import { HashError, type ImageHash } from "./hash";
import type { WorkerReply, WorkerRequest } from "./hash-worker";

type Pending = { resolve: (hash: ImageHash) => void; reject: (error: Error) => void };

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function failAll(): void {
  for (const p of pending.values()) p.reject(new HashError("unreadable"));
  pending.clear();
  worker?.terminate();
  worker = null; // the next request starts a new one
}

function hashWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL("./hash-worker.ts", import.meta.url), { type: "module" });
  worker.onmessage = (event: MessageEvent<WorkerReply>) => {
    const reply = event.data;
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (reply.ok) {
      const { pdq, quality, sha256 } = reply;
      p.resolve(sha256 ? { pdq, quality, sha256 } : { pdq, quality });
    } else {
      p.reject(new HashError(reply.reason));
    }
  };
  // A worker that failed to load or crashed (out of memory) answers nothing more.
  worker.onerror = failAll;
  return worker;
}

function ask(request: WorkerRequest, transfer: Transferable[] = []): Promise<ImageHash> {
  return new Promise((resolve, reject) => {
    pending.set(request.id, { resolve, reject });
    hashWorker().postMessage(request, transfer);
  });
}

// PDQ, quality and SHA-256 of an image file (hash.ts, in the worker).
export function hashImage(file: Blob): Promise<ImageHash> {
  return ask({ id: nextId++, type: "image", file });
}

// PDQ and quality of one video frame; the frame is handed over (closed by the worker).
export function hashFrame(frame: VideoFrame | ImageBitmap): Promise<ImageHash> {
  return ask({ id: nextId++, type: "frame", frame }, [frame]);
}
