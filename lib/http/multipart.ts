import { AppError } from "../errors";

/*
 * Request bodies with a size limit, and multipart/form-data file uploads. The limit is checked
 * twice: from Content-Length before anything is read, and while streaming (a client may omit
 * or understate Content-Length), so an oversized upload is refused without buffering it all.
 */

export interface UploadedFile {
  name: string;
  /** the part's declared content type ("" when the client sent none) */
  type: string;
  content: Buffer;
}

/** 413 payload_too_large:body: the body is over `maxBytes` (`got`: what Content-Length declared). */
export function tooLarge(maxBytes: number, got?: number): AppError {
  const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 100) / 100} MB`;
  return new AppError(
    "payload_too_large:body",
    `The request body is larger than the limit of ${mb(maxBytes)}${got !== undefined ? ` (Content-Length says ${mb(got)})` : ""}. ` +
      "Split the data into smaller files or raise MAX_UPLOAD_MB.",
  );
}

/** The body as bytes; 413 (payload_too_large:body) as soon as it exceeds `maxBytes`. */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) throw tooLarge(maxBytes, Number(declared));
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

function contentTypeOf(request: Request): string {
  return (request.headers.get("content-type") ?? "").toLowerCase();
}

export function isMultipart(request: Request): boolean {
  return contentTypeOf(request).startsWith("multipart/form-data");
}

/**
 * The files of one multipart field (default `file`), in upload order, read within `maxBytes`.
 * 415 when the request is not multipart/form-data, 400 when the multipart body is broken,
 * 422 when the field holds no file.
 */
export async function readUploadedFiles(request: Request, opts: { field?: string; maxBytes: number }): Promise<UploadedFile[]> {
  return (await readUploadForm(request, { ...opts, textFields: [] })).files;
}

/**
 * readUploadedFiles, plus the text fields named in `textFields` (a field sent twice keeps its
 * last value; a field sent as a file is 422). Fields not named are ignored.
 */
export async function readUploadForm(
  request: Request,
  { field = "file", maxBytes, textFields }: { field?: string; maxBytes: number; textFields: readonly string[] },
): Promise<{ files: UploadedFile[]; fields: Record<string, string> }> {
  const form = await readForm(request, field, maxBytes);
  const files: UploadedFile[] = [];
  for (const value of form.getAll(field)) {
    if (typeof value === "string") {
      throw new AppError("unprocessable:upload", `The field "${field}" must hold a file, not text. Attach the CSV as a file (curl -F ${field}=@clients.csv).`);
    }
    files.push({ name: value.name || "upload.csv", type: value.type, content: Buffer.from(await value.arrayBuffer()) });
  }
  if (files.length === 0) {
    const fields = [...new Set([...form.keys()])];
    throw new AppError(
      "unprocessable:upload",
      `No file in the field "${field}"${fields.length ? ` (fields sent: ${fields.join(", ")})` : ""}. Send the CSV as ${field}=@clients.csv.`,
    );
  }
  const fields: Record<string, string> = {};
  for (const name of textFields) {
    const value = form.getAll(name).at(-1);
    if (value === undefined) continue;
    if (typeof value !== "string") throw new AppError("unprocessable:upload", `The field "${name}" must be text, not a file (curl -F '${name}=…').`);
    fields[name] = value;
  }
  return { files, fields };
}

async function readForm(request: Request, field: string, maxBytes: number): Promise<FormData> {
  const type = request.headers.get("content-type") ?? "";
  if (!isMultipart(request)) {
    throw new AppError(
      "unsupported_media_type:multipart",
      `Upload the CSV as multipart/form-data with the file in the field "${field}" (got Content-Type "${type || "none"}"), e.g. curl -F ${field}=@clients.csv.`,
    );
  }
  const bytes = await readBodyBytes(request, maxBytes);
  try {
    return await new Response(bytes, { headers: { "content-type": type } }).formData();
  } catch {
    throw new AppError(
      "bad_request:multipart",
      "The multipart/form-data body could not be parsed (a missing or wrong boundary?). Let your HTTP client build it, e.g. curl -F file=@clients.csv.",
    );
  }
}

/** Megabytes → bytes, for MAX_UPLOAD_MB. */
export function megabytes(mb: number): number {
  return Math.floor(mb * 1024 * 1024);
}
