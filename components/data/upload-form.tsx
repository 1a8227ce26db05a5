"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { useAdminSession } from "@/components/auth/admin-session";
import { useRoleGate } from "@/components/auth/use-access";
import { actionErrorOf, type ActionError } from "@/components/ui/action-error";
import { Badge } from "@/components/ui/badges";
import { fmtInt } from "@/components/ui/format";
import { csvColumnsHint } from "@/components/ui/schema-text";
import { useSchema } from "@/components/ui/use-schema";
import { qk } from "@/lib/queries";
import { ApiError, apiErrorOf } from "@/lib/queries/fetcher";
import type { ErrorDetail, IngestResponse, IngestedDataset, RowProblem } from "@/lib/queries/types";

/**
 * Upload one or more CSVs to POST /api/ingest. XMLHttpRequest (not fetch) because only it
 * reports upload progress; the bar shows bytes sent, then "processing" until the server answers.
 */
function uploadWithProgress(files: File[], onProgress: (sent: number, total: number) => void): Promise<IngestResponse> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const f of files) form.append("file", f, f.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/ingest");
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as IngestResponse);
      reject(apiErrorOf(xhr.status, body, xhr.statusText));
    };
    xhr.onerror = () => reject(new ApiError(0, "network", "The upload failed: the server could not be reached."));
    xhr.send(form);
  });
}

type Phase = { kind: "idle" } | { kind: "uploading"; sent: number; total: number } | { kind: "processing"; total: number } | { kind: "done"; total: number };

/** The files chosen for upload, and their upload to POST /api/ingest as the admin: its phase, result or error. */
function useUpload() {
  const inputRef = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [result, setResult] = useState<IngestResponse | null>(null);
  const [error, setError] = useState<ActionError | null>(null);
  const { runAsAdmin } = useAdminSession();
  const queryClient = useQueryClient();

  const addFiles = (list: FileList | File[] | null) => {
    if (!list) return;
    const incoming = Array.from(list);
    setFiles((prev) => [...prev.filter((p) => !incoming.some((f) => f.name === p.name && f.size === p.size)), ...incoming]);
    setResult(null);
    setError(null);
  };
  // Files picked before the page finished loading (hydrating) fired no React change event: adopt them.
  useEffect(() => {
    const picked = inputRef.current?.files;
    if (picked && picked.length > 0) addFiles(picked);
    // once, on mount: later picks arrive through onChange
  }, []);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (files.length === 0) return;
    setResult(null);
    setError(null);
    const total = files.reduce((n, f) => n + f.size, 0);
    try {
      const body = await runAsAdmin(() => {
        setPhase({ kind: "uploading", sent: 0, total });
        return uploadWithProgress(files, (sent, t) => setPhase(sent >= t ? { kind: "processing", total: t } : { kind: "uploading", sent, total: t }));
      });
      setPhase({ kind: "done", total });
      setResult(body);
      setFiles([]);
      if (inputRef.current) inputRef.current.value = "";
      await queryClient.invalidateQueries({ queryKey: qk.all });
    } catch (err) {
      setPhase({ kind: "idle" });
      setError(actionErrorOf(err));
    }
  };

  const busy = phase.kind === "uploading" || phase.kind === "processing";
  const pct = phase.kind === "uploading" ? Math.round((100 * phase.sent) / Math.max(phase.total, 1)) : phase.kind === "idle" ? 0 : 100;

  return { inputRef, files, setFiles, addFiles, phase, busy, pct, result, error, submit };
}

export function UploadForm() {
  const id = useId();
  const [dragging, setDragging] = useState(false);
  const { inputRef, files, setFiles, addFiles, phase, busy, pct, result, error, submit } = useUpload();
  const gate = useRoleGate("operator");
  // The label names the columns once the schema is known; the input itself never waits for it (a file picked early is kept).
  const schema = useSchema().data;

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Upload CSV files</h2>
      <form onSubmit={submit}>
        <div
          className={`dropzone${dragging ? " dragging" : ""}`}
          data-testid="dropzone"
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            addFiles(e.dataTransfer.files);
          }}
        >
          <p>
            <strong>Drop CSV files here</strong> or choose them:
          </p>
          <label htmlFor={`${id}-file`}>{schema ? `CSV files, labelled, with ${csvColumnsHint(schema, "required")}` : "CSV files, labelled"}</label>
          <input
            ref={inputRef}
            id={`${id}-file`}
            type="file"
            accept=".csv,text/csv"
            multiple
            onChange={(e) => addFiles(e.target.files)}
            disabled={busy}
          />
        </div>
        {files.length > 0 ? <FileList files={files} busy={busy} onRemove={(f) => setFiles((p) => p.filter((x) => x !== f))} /> : null}
        <div className="form-row">
          <button type="submit" disabled={busy || files.length === 0 || gate.denied} {...gate.describe}>
            {busy ? "Uploading…" : files.length > 1 ? `Upload ${files.length} files` : "Upload"}
          </button>
          {gate.note}
          {phase.kind !== "idle" ? <UploadProgress phase={phase} pct={pct} /> : null}
        </div>
      </form>
      {error ? <UploadError message={error.message} details={error.details} /> : null}
      {result ? <UploadResult result={result} /> : null}
    </section>
  );
}

function FileList({ files, busy, onRemove }: { files: File[]; busy: boolean; onRemove: (file: File) => void }) {
  return (
    <ul className="file-list" aria-label="Files to upload">
      {files.map((f) => (
        <li key={`${f.name}-${f.size}`}>
          {f.name} <span className="muted">({fmtInt(f.size)} bytes)</span>{" "}
          <button type="button" className="link-button" onClick={() => onRemove(f)} disabled={busy} aria-label={`Remove ${f.name}`}>
            remove
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Bytes sent while uploading, then "processing" until the server answers. */
function UploadProgress({ phase, pct }: { phase: Phase; pct: number }) {
  return (
    <div className="progress-wrap">
      <div
        className="progress"
        role="progressbar"
        aria-label="Upload progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={phase.kind === "processing" ? "uploaded, the server is processing" : `${pct} %`}
      >
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <span className="small muted" aria-live="polite">
        {phase.kind === "uploading" ? `${pct} % sent` : phase.kind === "processing" ? "sent — the server is checking the rows…" : "done"}
      </span>
    </div>
  );
}

/** A row problem of a refused upload (ErrorDetail) or of a quarantined row (RowProblem and its file). */
type ProblemRow = ErrorDetail | (RowProblem & { file?: string });

function ProblemTable({ rows, caption }: { rows: ProblemRow[]; caption: string }) {
  const shown = rows.slice(0, 200);
  return (
    <div className="table-wrap">
      <table className="problems">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th>File</th>
            <th className="num">Row</th>
            <th>Column</th>
            <th>Problem</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((d, i) => (
            <tr key={i}>
              <td>{d.file ?? "—"}</td>
              <td className="num">{d.row ?? "—"}</td>
              <td>{d.column ?? "—"}</td>
              <td>{d.problem}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > shown.length ? <p className="small muted">…and {rows.length - shown.length} more.</p> : null}
    </div>
  );
}

function UploadError({ message, details }: { message: string; details: ErrorDetail[] }) {
  return (
    <div className="error-panel" role="alert" data-testid="upload-error">
      <strong>Nothing was ingested.</strong>
      <p>{message}</p>
      {details.length > 0 ? <ProblemTable rows={details} caption="What to fix (row numbers count the header as row 1)" /> : null}
    </div>
  );
}

function UploadResult({ result }: { result: IngestResponse }) {
  const problems: ProblemRow[] =
    result.details?.length > 0
      ? result.details
      : result.datasets.flatMap((d: IngestedDataset) => (d.problems ?? []).map((p) => ({ ...p, file: d.name })));
  return (
    <div className="upload-result" role="status" data-testid="upload-result">
      <ul>
        {result.datasets.map((d) => (
          <li key={`${d.id}-${d.name}`}>
            <strong>{d.name}</strong>:{" "}
            {d.alreadyIngested ? (
              <Badge tone="muted">already ingested — nothing added</Badge>
            ) : (
              <>
                <Badge tone="ok">{fmtInt(d.rowsAccepted)} rows added</Badge> {d.duplicates ? <Badge tone="muted">{d.duplicates} duplicates skipped</Badge> : null}{" "}
                {d.imputed ? <Badge tone="warn">{d.imputed} cells imputed</Badge> : null}{" "}
                {d.rejected ? <Badge tone="bad">{d.rejected} rows quarantined</Badge> : null}
              </>
            )}
          </li>
        ))}
      </ul>
      {problems.length > 0 ? <ProblemTable rows={problems} caption="Rows sent to the quarantine" /> : null}
    </div>
  );
}
