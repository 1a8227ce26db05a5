"use client";

import { useEffect, useRef } from "react";
import { useRoleGate } from "@/components/auth/use-access";
import type { Role } from "@/lib/auth/roles";

/** A one-file CSV form: the file input with its label and a submit button that says when the action is running (disabled, with the reason, for a role below `needs`). */
export function CsvFileForm({
  inputId,
  label,
  file,
  busy,
  onFile,
  onSubmit,
  submitText,
  busyText,
  needs = "viewer",
}: {
  inputId: string;
  label: string;
  file: File | null;
  busy: boolean;
  onFile: (file: File | null) => void;
  onSubmit: (e: React.FormEvent) => void;
  submitText: string;
  busyText: string;
  needs?: Role;
}) {
  const gate = useRoleGate(needs);
  const inputRef = useRef<HTMLInputElement>(null);
  // A file picked before the page finished loading (hydrating) fired no React change event: adopt it.
  useEffect(() => {
    const picked = inputRef.current?.files?.[0];
    if (picked) onFile(picked);
    // once, on mount: later picks arrive through onChange
  }, []);
  return (
    <form onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor={inputId}>{label}</label>
        <input ref={inputRef} id={inputId} type="file" accept=".csv,text/csv" onChange={(e) => onFile(e.target.files?.[0] ?? null)} />
      </div>
      <div className="form-row">
        <button type="submit" disabled={!file || busy || gate.denied} {...gate.describe}>
          {busy ? busyText : submitText}
        </button>
        {gate.note}
      </div>
    </form>
  );
}

