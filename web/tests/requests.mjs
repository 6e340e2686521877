// The survivor pages' promise, checked on every request a test's browser context made: nothing
// but hashes leave the device. Same origin only; no multipart, image, video or octet-stream
// content; request bodies only as small JSON carrying no JPEG bytes; no data: URLs.
//
// blob: URLs are local to the page (the browser serves them from its own memory), and the report
// page plays a chosen video from one to sample its frames. So a blob: request is allowed exactly
// when it is a GET of media, at this page's origin, of an object URL the page made from one of the
// files she chose: recordObjectUrls() (an init script, run through the DevTools protocol, which the
// page's CSP does not govern) notes each object URL the page creates from a File.
import assert from "node:assert/strict";

export async function recordObjectUrls(context) {
  await context.addInitScript(() => {
    const made = [];
    const create = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (blob) => {
      const url = create(blob);
      made.push({ url, file: blob instanceof File, name: blob.name ?? null, type: blob.type });
      return url;
    };
    Object.defineProperty(window, "__objectUrls", { value: made });
  });
}

// The object URLs the page made (recordObjectUrls), from every page of the context still open.
export async function objectUrlsOf(pages) {
  const all = [];
  for (const page of pages) all.push(...(await page.evaluate(() => window.__objectUrls ?? [])));
  return all;
}

// Fails on anything but the above; answers the requests with a body ({what, body}) and the blob:
// media loads. `sizes`: the chosen files' sizes (a body must be far smaller than any);
// `objectUrls`: objectUrlsOf() the pages; `videos`: the names of the chosen videos, the only
// files whose object URLs may be loaded.
export async function expectOnlyHashesSent(requests, base, { sizes, objectUrls = [], videos = [], maxBody = 4096 }) {
  const posts = [];
  const blobMedia = [];
  for (const r of requests) {
    const url = new URL(r.url());
    const what = `${r.method()} ${r.url()} (${r.resourceType()})`;
    if (url.protocol === "data:") assert.fail(`the page fetched a data: URL: ${what}`);
    if (url.protocol === "blob:") {
      const made = objectUrls.find((o) => o.url === r.url());
      assert.ok(made, `a blob: URL the page did not make from a chosen file: ${what}`);
      assert.ok(made.file && videos.includes(made.name) && made.type.startsWith("video/"),
        `a blob: URL of something other than a chosen video: ${what} ${JSON.stringify(made)}`);
      assert.equal(r.resourceType(), "media", what);
      assert.equal(r.method(), "GET", what);
      assert.equal(url.origin, base, `blob: of this page's origin: ${what}`);
      blobMedia.push(what);
      continue;
    }
    assert.equal(url.origin, base, `only same-origin requests: ${what}`);
    const headers = await r.allHeaders();
    const type = headers["content-type"] ?? "";
    assert.ok(!/multipart|image\/|video\/|octet-stream/i.test(type), `${what} sends ${type}`);
    const body = r.postDataBuffer();
    if (body) {
      posts.push({ what, body });
      assert.equal(type, "application/json", what);
      assert.ok(body.length < maxBody, `${what}: ${body.length} bytes`);
      assert.ok(!body.includes(Buffer.from([0xff, 0xd8, 0xff])), `${what} carries JPEG bytes`);
      assert.ok(sizes.every((size) => body.length < size / 4), what);
    }
  }
  return { posts, blobMedia };
}
